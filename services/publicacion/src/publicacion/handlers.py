"""Use cases of publicacion: one keyword-only function each, returning data."""

import json
from collections.abc import Callable, Sequence
from functools import partial
from typing import Any, Protocol

from comun.eventos import SISTEMA, Evento, nuevo_evento
from comun.eventos.captura import DatosRegistro
from comun.eventos.publicacion import PerfilPublicado, PerfilRetirado
from comun.eventos.validacion import (
    CandidaturaPublicable,
    ContenidoDeshabilitado,
    ContenidoHabilitado,
    SolicitudCambioAplicada,
)
from publicacion.adapters import Cargado, ConflictoVersion, PerfilRepository
from publicacion.domain import (
    CambioPublicado,
    EstadoPerfil,
    Perfil,
    Resumen,
    url_de,
    vista_publica,
)
from publicacion.domain.busqueda import Contienda, Criterios, agrupar_contiendas
from publicacion.indice import IndicePublico

INTENTOS = 10


class Descifrador(Protocol):
    """Opens an identity envelope of one candidacy."""

    def abrir(self, texto: str, *, contexto: str) -> bytes:
        """The clear bytes of an envelope sealed for `contexto`."""
        ...


Cambio = Callable[[Perfil], bool]


async def conocer_registro(*, repo: PerfilRepository, datos: DatosRegistro) -> bool:
    """A registered or corrected candidacy (idempotent)."""
    cambio = partial(Perfil.conocer_registro, datos=datos.model_dump(), version=datos.version)
    return await _aplicar(repo, datos.candidatura_id, cambio)


async def dar_de_baja(
    *, repo: PerfilRepository, candidatura_id: str, motivo: str, version: int
) -> bool:
    """A substituted or cancelled candidacy leaves the public site (idempotent)."""
    cambio = partial(Perfil.dar_de_baja, motivo=motivo, version=version)
    return await _aplicar(repo, candidatura_id, cambio)


async def hacer_publicable(
    *, repo: PerfilRepository, evento: Evento, datos: CandidaturaPublicable, cifrador: Descifrador
) -> bool:
    """Validated content whose publication date arrived, or republished after a change."""
    cambio = partial(
        Perfil.hacer_publicable,
        curricular=datos.curricular.model_dump(mode="json"),
        identidad=_identidad(datos, cifrador),
        version=datos.version,
        momento=evento.time.isoformat(),
    )
    return await _aplicar(repo, datos.candidatura_id, cambio)


async def deshabilitar(*, repo: PerfilRepository, datos: ContenidoDeshabilitado) -> bool:
    """A verifier's takedown: the fields (or the profile) disappear from every public output."""
    cambio = partial(
        Perfil.deshabilitar, campos=datos.campos, motivo=datos.motivo.value, version=datos.version
    )
    return await _aplicar(repo, datos.candidatura_id, cambio)


async def habilitar(*, repo: PerfilRepository, datos: ContenidoHabilitado) -> bool:
    """Disabled content is shown again."""
    cambio = partial(Perfil.habilitar, campos=datos.campos, version=datos.version)
    return await _aplicar(repo, datos.candidatura_id, cambio)


async def anotar_cambio(
    *, repo: PerfilRepository, evento: Evento, datos: SolicitudCambioAplicada
) -> bool:
    """An applied change request enters the public change log (new texts come republished)."""
    anteriores = {a.campo.value: a.texto for a in datos.anteriores}
    publicado = CambioPublicado(
        solicitud_id=datos.solicitud_id,
        fecha=evento.time.isoformat(),
        campos=tuple(
            (c.campo.value, anteriores.get(c.campo.value), c.texto) for c in datos.cambios
        ),
    )
    return await _aplicar(
        repo, datos.candidatura_id, partial(Perfil.anotar_cambio, cambio=publicado)
    )


async def perfil_publico(
    *, repo: PerfilRepository, candidatura_id: str
) -> tuple[EstadoPerfil, dict[str, Any] | None]:
    """The public view of one profile and its state."""
    return await repo.vista(candidatura_id)


async def perfiles_publicos(
    *, repo: PerfilRepository, filtro: dict[str, Any], pagina: int, por_pagina: int
) -> tuple[int, list[dict[str, Any]]]:
    """One page of public profiles and how many match."""
    return await repo.vistas(filtro, saltar=(pagina - 1) * por_pagina, limite=por_pagina)


async def buscar_perfiles(
    *,
    repo: PerfilRepository,
    indice: IndicePublico,
    criterios: Criterios,
    pagina: int,
    por_pagina: int,
) -> tuple[int, list[dict[str, Any]]]:
    """One page of the public profiles matching a search, and how many match."""
    encontradas = (await indice.tabla()).buscar(criterios)
    inicio = (pagina - 1) * por_pagina
    ids = [f.id for f in encontradas[inicio : inicio + por_pagina]]
    return len(encontradas), await repo.vistas_de(ids)


async def contiendas(
    *, indice: IndicePublico, municipio: str | None = None, distritos: Sequence[int] = ()
) -> list[Contienda]:
    """The contests with public profiles; for a place, those on its voters' ballots."""
    filas = (await indice.filas()).values()
    return agrupar_contiendas(filas, municipio=municipio, distritos=distritos)


async def resumen_publico(*, repo: PerfilRepository) -> Resumen:
    """The counts of the public home page."""
    return Resumen(
        registradas=await repo.contar({"registrada": True, "vigente": True}),
        publicadas=await repo.contar({"estado": EstadoPerfil.PUBLICADO.value}),
    )


def _identidad(datos: CandidaturaPublicable, cifrador: Descifrador) -> dict[str, Any] | None:
    """Identity answers in clear only where the publication rule allows (DOMINIO §4)."""
    if not datos.identidad_publica or datos.identidad_cifrada is None:
        return None
    claro = cifrador.abrir(datos.identidad_cifrada, contexto=datos.candidatura_id)
    respuestas: dict[str, Any] = json.loads(claro)
    return respuestas


async def _aplicar(repo: PerfilRepository, candidatura_id: str, cambio: Cambio) -> bool:
    """Load, change, save with the public event the change causes; retry if another wrote."""
    for intento in range(INTENTOS):
        cargado = await repo.cargar(candidatura_id)
        antes = vista_publica(cargado.perfil), cargado.perfil.estado
        if not cambio(cargado.perfil):
            return False
        eventos = _eventos(cargado, *antes)
        try:
            await repo.guardar(
                cargado, version_publica=cargado.version_publica + len(eventos), eventos=eventos
            )
        except ConflictoVersion:
            if intento == INTENTOS - 1:
                raise
            continue
        return True
    raise AssertionError("unreachable")


def _eventos(
    cargado: Cargado, vista_antes: dict[str, Any] | None, estado_antes: EstadoPerfil
) -> list[Evento]:
    """perfil_publicado when what the public sees changed; perfil_retirado when it stopped."""
    perfil, version = cargado.perfil, cargado.version_publica + 1
    if perfil.estado is EstadoPerfil.PUBLICADO:
        if vista_publica(perfil) == vista_antes:
            return []
        datos: PerfilPublicado | PerfilRetirado = PerfilPublicado(
            candidatura_id=perfil.candidatura_id,
            version=version,
            url=url_de(perfil.candidatura_id),
            identidad_publica=perfil.identidad is not None,
        )
        accion = "publicar_perfil"
    elif estado_antes is EstadoPerfil.PUBLICADO:
        motivo = "deshabilitada" if perfil.vigente else (perfil.baja or "cancelada")
        datos = PerfilRetirado.model_validate(
            {"candidatura_id": perfil.candidatura_id, "version": version, "motivo": motivo}
        )
        accion = "retirar_perfil"
    else:
        return []
    return [nuevo_evento(datos, subject=perfil.candidatura_id, actor=SISTEMA, accion=accion)]
