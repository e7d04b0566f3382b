"""Account-management use cases on the SQLite store and the embedded provider."""

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher

from comun.bus import outbox
from comun.eventos import SISTEMA, Actor, CandidaturaRegistrada, EleccionCargada
from comun.eventos.captura import Participante as ParticipanteEvento
from comun.roles import Rol
from comun.store.sqlite import SqliteStore, open_sqlite
from identidad.adapters import Componentes, CuentaRepository, Hasher, LlaveroLocal, ProveedorLocal
from identidad.adapters.gestion import Gestion
from identidad.config import Settings
from identidad.domain import DatosCuentaInvalidos, EstadoCuenta, UsuarioDuplicado
from identidad.domain.gestion import Conflicto, OrigenCuenta, ParticipanteDesconocido
from identidad.handlers import cuentas

AHORA = datetime(2024, 4, 10, 16, 0, tzinfo=UTC)
ADMIN = Actor(usuario="admin", rol="administrador")
ELECCION = EleccionCargada(
    eleccion="edomex-2024",
    nombre="Elección 2024",
    partidos=(
        ParticipanteEvento(clave="PAN", nombre="Partido Acción Nacional"),
        ParticipanteEvento(clave="MORENA", nombre="Morena"),
    ),
    independientes=(ParticipanteEvento(clave="IND-01", nombre="Planilla de Temamatla"),),
)


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[SqliteStore]:
    abierto = await open_sqlite(tmp_path / "identidad.db")
    yield abierto
    await abierto.close()


@pytest.fixture
async def repo(store: SqliteStore) -> CuentaRepository:
    cuentas_locales = CuentaRepository(store.collection("cuentas"))
    await cuentas_locales.crear_indices()
    return cuentas_locales


@pytest.fixture
async def gestion(store: SqliteStore, repo: CuentaRepository, tmp_path: Path) -> Gestion:
    settings = Settings()
    componentes = Componentes(
        settings=settings,
        llavero=LlaveroLocal(tmp_path / "clave.pem", secreto=settings.plataforma.clave_secreta),
        hasher=Hasher(PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)),
    )
    componentes.repo = repo
    proveedor = ProveedorLocal(componentes)
    lista = Gestion.de_store(store, proveedor=lambda: proveedor, avisar=lambda: None)
    await lista.preparar()
    await cuentas.conocer_eleccion(gestion=lista, datos=ELECCION)
    return lista


async def eventos(store: SqliteStore, coleccion: str) -> list[tuple[str, dict[str, Any]]]:
    """Every event waiting in a collection's outbox: (type name, data)."""
    resultado = []
    for doc in await store.collection(coleccion).find({}):
        for pendiente in outbox.pendientes(doc):
            evento = pendiente["evento"]
            resultado.append((evento["type"].split(".")[3], evento["data"]))
    return resultado


def registrada(candidatura_id: str, **cambios: Any) -> CandidaturaRegistrada:
    datos: dict[str, Any] = {
        "candidatura_id": candidatura_id,
        "version": 1,
        "eleccion": "edomex-2024",
        "nombre": "Rosa Elena Martínez Villegas",
        "cargo": "presidencia_municipal",
        "principio": "MR",
        "tipo_candidatura": "propietaria",
        "postulante": "partido",
        "partido": "PAN",
        "sexo": "mujer",
        **cambios,
    }
    return CandidaturaRegistrada.model_validate(datos)


async def crear_pan(gestion: Gestion, cantidad: int | None = None) -> list[str]:
    fichas = await cuentas.crear_cuentas_partido(
        gestion=gestion, siglas="PAN", cantidad=cantidad, por_defecto=3, actor=ADMIN, ahora=AHORA
    )
    return [f.usuario for f in fichas]


async def test_las_cuentas_genericas_de_un_partido_se_crean_con_su_evento(
    gestion: Gestion, store: SqliteStore, repo: CuentaRepository
) -> None:
    usuarios = await crear_pan(gestion)

    cuenta = await repo.por_usuario("pan.captura.02")
    assert usuarios == ["pan.captura.01", "pan.captura.02", "pan.captura.03"]
    assert cuenta is not None
    assert (cuenta.roles, cuenta.partido) == (frozenset({Rol.PARTIDO}), "PAN")
    assert cuenta.debe_cambiar_clave
    creadas = [d for tipo, d in await eventos(store, "fichas") if tipo == "cuenta_creada"]
    assert [d["nombre_usuario"] for d in creadas] == usuarios
    assert all(d["partido"] == "PAN" and d["rol"] == "partido" for d in creadas)


async def test_las_cuentas_nuevas_no_tienen_clave_hasta_su_paquete(
    gestion: Gestion, repo: CuentaRepository
) -> None:
    await crear_pan(gestion, 1)

    cuenta = await repo.por_usuario("pan.captura.01")

    assert cuenta is not None
    assert not cuenta.hash_clave.startswith("$argon2")


async def test_generar_otra_vez_sin_cantidad_es_un_conflicto_y_con_cantidad_sigue_numerando(
    gestion: Gestion,
) -> None:
    await crear_pan(gestion)

    with pytest.raises(Conflicto, match=r"pan\.captura\.01 a pan\.captura\.03"):
        await crear_pan(gestion)
    assert await crear_pan(gestion, 2) == ["pan.captura.04", "pan.captura.05"]


async def test_un_partido_que_no_esta_en_el_catalogo_da_422(gestion: Gestion) -> None:
    with pytest.raises(ParticipanteDesconocido, match="XYZ"):
        await cuentas.crear_cuentas_partido(
            gestion=gestion, siglas="XYZ", cantidad=None, por_defecto=3, actor=ADMIN, ahora=AHORA
        )


async def test_una_independiente_no_recibe_cuentas_genericas(gestion: Gestion) -> None:
    with pytest.raises(ParticipanteDesconocido):
        await cuentas.crear_cuentas_partido(
            gestion=gestion, siglas="IND-01", cantidad=1, por_defecto=3, actor=ADMIN, ahora=AHORA
        )


async def test_si_un_usuario_ya_existe_en_el_proveedor_no_se_crea_ninguna(
    gestion: Gestion, repo: CuentaRepository
) -> None:
    await gestion.proveedor().crear_cuenta_sin_clave(
        usuario="pan.captura.02",
        nombre="Creada",
        apellidos="A mano",
        correo="mano@ejemplo.mx",
        roles=[Rol.SOPORTE],
    )

    with pytest.raises(UsuarioDuplicado, match=r"pan\.captura\.02"):
        await crear_pan(gestion)
    assert await repo.por_usuario("pan.captura.01") is None


async def test_la_designacion_crea_la_cuenta_de_supervision_y_ambos_eventos(
    gestion: Gestion, store: SqliteStore, repo: CuentaRepository
) -> None:
    designacion, ficha = await cuentas.registrar_designacion(
        gestion=gestion,
        partido="morena",
        nombre="Rosa Elena",
        apellidos="Martínez Villegas",
        correo="rosa@morena.mx",
        telefono="722 123 4567",
        oficio="MORENA/045/2024",
        fecha_oficio=date(2024, 3, 15),
        actor=ADMIN,
        ahora=AHORA,
    )

    cuenta = await repo.por_usuario("morena.supervision.01")
    assert (designacion.partido, ficha.usuario) == ("MORENA", "morena.supervision.01")
    assert cuenta is not None and cuenta.roles == frozenset({Rol.SUPERVISOR})
    assert [tipo for tipo, _ in await eventos(store, "designaciones")] == [
        "designacion_registrada",
        "cuenta_creada",
    ]


async def test_la_misma_persona_no_se_designa_dos_veces_y_la_siguiente_es_la_02(
    gestion: Gestion,
) -> None:
    datos: dict[str, Any] = {
        "gestion": gestion,
        "partido": "PAN",
        "nombre": "Ana",
        "apellidos": "López Ruiz",
        "correo": "ana@pan.mx",
        "telefono": "5512345678",
        "oficio": "PAN/1",
        "fecha_oficio": date(2024, 3, 1),
        "actor": ADMIN,
        "ahora": AHORA,
    }
    await cuentas.registrar_designacion(**datos)

    with pytest.raises(Conflicto, match="ya designó a Ana López Ruiz"):
        await cuentas.registrar_designacion(**datos)
    _, segunda = await cuentas.registrar_designacion(**{**datos, "correo": "beto@pan.mx"})
    assert segunda.usuario == "pan.supervision.02"


async def test_las_cuentas_del_instituto_toman_el_usuario_del_correo(gestion: Gestion) -> None:
    ficha = await cuentas.crear_cuenta_institucional(
        gestion=gestion,
        rol=Rol.VERIFICADOR,
        nombre="Laura",
        apellidos="Gómez Ríos",
        correo="Laura.Gomez@ieem.org.mx",
        actor=ADMIN,
        ahora=AHORA,
    )

    assert (ficha.usuario, ficha.origen, ficha.correo) == (
        "laura.gomez",
        OrigenCuenta.INSTITUCIONAL,
        "laura.gomez@ieem.org.mx",
    )


async def test_desde_el_alta_del_instituto_no_se_crean_cuentas_de_partido(
    gestion: Gestion,
) -> None:
    with pytest.raises(DatosCuentaInvalidos, match="propio procedimiento"):
        await cuentas.crear_cuenta_institucional(
            gestion=gestion,
            rol=Rol.PARTIDO,
            nombre="Ana",
            apellidos="López",
            correo="ana@pan.mx",
            actor=ADMIN,
            ahora=AHORA,
        )


async def test_cada_candidatura_registrada_tiene_una_cuenta_aunque_el_evento_se_repita(
    gestion: Gestion, store: SqliteStore, repo: CuentaRepository
) -> None:
    datos = registrada("AY-033-PM-PAN-P")

    primera = await cuentas.crear_cuenta_candidatura(
        gestion=gestion, datos=datos, actor=SISTEMA, ahora=AHORA
    )
    repetida = await cuentas.crear_cuenta_candidatura(
        gestion=gestion, datos=datos, actor=SISTEMA, ahora=AHORA
    )

    cuenta = await repo.por_usuario("cand.ay-033-pm-pan-p")
    assert primera is not None and repetida is None
    assert cuenta is not None
    assert (cuenta.partido, cuenta.candidatura) == ("PAN", "AY-033-PM-PAN-P")
    assert [t for t, _ in await eventos(store, "fichas")] == ["cuenta_creada"]


async def test_la_cuenta_de_una_independiente_no_lleva_partido_y_va_con_su_planilla(
    gestion: Gestion, repo: CuentaRepository
) -> None:
    datos = registrada(
        "AY-15010-RM01-IND-01-P",
        partido=None,
        postulante="independiente",
        nombre_postulante="Planilla de Temamatla",
    )

    ficha = await cuentas.crear_cuenta_candidatura(
        gestion=gestion, datos=datos, actor=SISTEMA, ahora=AHORA
    )

    cuenta = await repo.por_usuario("cand.ay-15010-rm01-ind-01-p")
    assert ficha is not None and ficha.participante == "IND-01"
    assert cuenta is not None and cuenta.partido is None


async def test_si_el_catalogo_llega_despues_la_independiente_encuentra_su_paquete(
    gestion: Gestion, store: SqliteStore
) -> None:
    datos = registrada(
        "AY-1-PM-IND-09-P",
        partido=None,
        postulante="independiente",
        nombre_postulante="Planilla Nueva",
    )
    await cuentas.crear_cuenta_candidatura(gestion=gestion, datos=datos, actor=SISTEMA, ahora=AHORA)
    nuevo = ELECCION.model_copy(
        update={"independientes": (ParticipanteEvento(clave="IND-09", nombre="Planilla nueva"),)}
    )

    await cuentas.conocer_eleccion(gestion=gestion, datos=nuevo)

    ficha = await gestion.fichas.por_candidatura("AY-1-PM-IND-09-P")
    assert ficha is not None and ficha.participante == "IND-09"


async def test_si_otra_cuenta_tiene_el_usuario_la_candidatura_recibe_uno_con_huella(
    gestion: Gestion,
) -> None:
    await gestion.proveedor().crear_cuenta_sin_clave(
        usuario="cand.dl-01-pan-p",
        nombre="Otra",
        apellidos="Cuenta",
        correo="otra@ejemplo.mx",
        roles=[Rol.SOPORTE],
    )

    ficha = await cuentas.crear_cuenta_candidatura(
        gestion=gestion, datos=registrada("DL-01-PAN-P"), actor=SISTEMA, ahora=AHORA
    )

    assert ficha is not None
    assert ficha.usuario.startswith("cand.dl-01-pan-p-")


async def test_sustituir_una_candidatura_deshabilita_su_cuenta_una_sola_vez(
    gestion: Gestion, store: SqliteStore, repo: CuentaRepository
) -> None:
    await cuentas.crear_cuenta_candidatura(
        gestion=gestion, datos=registrada("DL-02-PAN-P"), actor=SISTEMA, ahora=AHORA
    )

    primera = await cuentas.retirar_cuenta_candidatura(
        gestion=gestion, candidatura_id="DL-02-PAN-P", motivo="Sustituida", actor=SISTEMA
    )
    segunda = await cuentas.retirar_cuenta_candidatura(
        gestion=gestion, candidatura_id="DL-02-PAN-P", motivo="Sustituida", actor=SISTEMA
    )

    cuenta = await repo.por_usuario("cand.dl-02-pan-p")
    assert (primera, segunda) == (True, False)
    assert cuenta is not None and cuenta.estado is EstadoCuenta.DESHABILITADA
    assert [t for t, _ in await eventos(store, "fichas")].count("cuenta_deshabilitada") == 1


async def test_retirar_una_candidatura_sin_cuenta_no_hace_nada(gestion: Gestion) -> None:
    assert not await cuentas.retirar_cuenta_candidatura(
        gestion=gestion, candidatura_id="NO-EXISTE", motivo="Cancelada", actor=SISTEMA
    )


async def test_deshabilitar_y_habilitar_cambian_el_proveedor_y_dejan_sus_eventos(
    gestion: Gestion, store: SqliteStore, repo: CuentaRepository
) -> None:
    await crear_pan(gestion, 1)

    await cuentas.deshabilitar_cuenta(
        gestion=gestion, usuario="pan.captura.01", motivo="Baja del partido", actor=ADMIN
    )
    deshabilitada = await repo.por_usuario("pan.captura.01")
    await cuentas.habilitar_cuenta(gestion=gestion, usuario="pan.captura.01", actor=ADMIN)
    habilitada = await repo.por_usuario("pan.captura.01")

    assert deshabilitada is not None and deshabilitada.estado is EstadoCuenta.DESHABILITADA
    assert habilitada is not None and habilitada.estado is EstadoCuenta.ACTIVA
    tipos = [t for t, _ in await eventos(store, "fichas")]
    assert tipos[-2:] == ["cuenta_deshabilitada", "cuenta_habilitada"]


async def test_deshabilitar_sin_motivo_no_toca_el_proveedor(
    gestion: Gestion, repo: CuentaRepository
) -> None:
    await crear_pan(gestion, 1)

    with pytest.raises(DatosCuentaInvalidos, match="motivo"):
        await cuentas.deshabilitar_cuenta(
            gestion=gestion, usuario="pan.captura.01", motivo=" ", actor=ADMIN
        )
    cuenta = await repo.por_usuario("pan.captura.01")
    assert cuenta is not None and cuenta.estado is EstadoCuenta.ACTIVA


async def crear_admin(gestion: Gestion, correo: str) -> str:
    ficha = await cuentas.crear_cuenta_institucional(
        gestion=gestion,
        rol=Rol.ADMINISTRADOR,
        nombre="Persona",
        apellidos="Administradora",
        correo=correo,
        actor=ADMIN,
        ahora=AHORA,
    )
    return ficha.usuario


async def test_la_ultima_cuenta_de_administracion_activa_no_se_deshabilita(
    gestion: Gestion,
) -> None:
    unica = await crear_admin(gestion, "unica@ieem.org.mx")

    with pytest.raises(Conflicto, match="última cuenta de administración activa"):
        await cuentas.deshabilitar_cuenta(
            gestion=gestion, usuario=unica, motivo="Baja", actor=SISTEMA
        )


async def test_con_otra_administracion_activa_si_se_deshabilita(gestion: Gestion) -> None:
    primera = await crear_admin(gestion, "primera@ieem.org.mx")
    segunda = await crear_admin(gestion, "segunda@ieem.org.mx")

    ficha = await cuentas.deshabilitar_cuenta(
        gestion=gestion,
        usuario=primera,
        motivo="Baja",
        actor=Actor(usuario=segunda, rol="administrador"),
    )

    assert not ficha.habilitada


async def test_nadie_deshabilita_su_propia_cuenta_de_administracion(gestion: Gestion) -> None:
    propia = await crear_admin(gestion, "propia@ieem.org.mx")
    await crear_admin(gestion, "otra@ieem.org.mx")

    with pytest.raises(Conflicto, match="su propia cuenta"):
        await cuentas.deshabilitar_cuenta(
            gestion=gestion,
            usuario=propia,
            motivo="Baja",
            actor=Actor(usuario=propia, rol="administrador"),
        )


async def test_sincronizar_incorpora_las_cuentas_creadas_fuera_una_sola_vez(
    gestion: Gestion,
) -> None:
    await gestion.proveedor().crear_cuenta_sin_clave(
        usuario="captura.pan",
        nombre="Captura",
        apellidos="Demo",
        correo="c@ejemplo.mx",
        roles=[Rol.PARTIDO],
        partido="PAN",
    )
    await crear_pan(gestion, 1)

    nuevas = await cuentas.sincronizar(gestion=gestion, ahora=AHORA)
    otra_vez = await cuentas.sincronizar(gestion=gestion, ahora=AHORA)

    ficha = await gestion.fichas.por_usuario("captura.pan")
    assert (nuevas, otra_vez) == (1, 0)
    assert ficha is not None
    assert (ficha.origen, ficha.participante) == (OrigenCuenta.EXISTENTE, "PAN")


async def test_una_cuenta_que_no_existe_da_404(gestion: Gestion) -> None:
    from identidad.domain.gestion import CuentaDesconocida

    with pytest.raises(CuentaDesconocida, match="nadie"):
        await cuentas.habilitar_cuenta(gestion=gestion, usuario="nadie", actor=ADMIN)
