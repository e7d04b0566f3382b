"""Build and check an `Eleccion` from the plain data of its catalog files."""

import itertools
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import Any, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from captura.domain.catalogo import (
    ETIQUETAS_FECHAS,
    CategoriaMunicipio,
    Contienda,
    Distrito,
    Eleccion,
    Fechas,
    Independiente,
    Municipio,
    Partido,
    Plazos,
    Postulacion,
)
from captura.domain.curricular import ConfiguracionCurricular
from captura.domain.errores import ErrorDominio
from comun.eventos.vocabulario import Postulante

Fila = Mapping[str, Any]
T = TypeVar("T")


class CatalogoInvalido(ErrorDominio):
    """The catalog files do not describe a coherent election; lists every problem found."""

    def __init__(self, errores: Sequence[str]) -> None:
        self.errores = list(errores)
        lista = "\n".join(f"- {e}" for e in self.errores)
        super().__init__(
            f"El catálogo de la elección tiene {len(self.errores)} error(es):\n{lista}"
        )


def armar_eleccion(datos: Mapping[str, Any]) -> Eleccion:
    """Plain catalog data (as the files hold it) → a checked Eleccion, or CatalogoInvalido."""
    errores: list[str] = []
    try:
        eleccion = _armar(datos, errores)
    except (KeyError, TypeError, ValueError) as exc:
        errores.append(f"Falta un dato obligatorio o tiene un formato inválido: {exc}.")
        raise CatalogoInvalido(errores) from exc
    if not errores:
        errores.extend(revisar_eleccion(eleccion))
    if errores:
        raise CatalogoInvalido(errores)
    return eleccion


def _armar(datos: Mapping[str, Any], errores: list[str]) -> Eleccion:
    """Every part of the catalog, recording row errors as it goes."""
    general = datos["eleccion"]
    categorias = _indexar(
        general["categorias_municipio"], "eleccion.json", lambda c: c.clave, _categoria, errores
    )
    return Eleccion(
        id=_texto(general, "id"),
        nombre=_texto(general, "nombre"),
        entidad=_texto(general, "entidad"),
        clave_entidad=_texto(general, "clave_entidad"),
        zona_horaria=_texto(general, "zona_horaria"),
        fechas=Fechas(**{k: date.fromisoformat(general["fechas"][k]) for k in ETIQUETAS_FECHAS}),
        plazos=Plazos.desde_dict(general.get("plazos", {})),
        diputaciones_rp=int(general["diputaciones_rp"]),
        categorias=categorias,
        distritos=_indexar(
            datos["distritos"], "distritos.csv", lambda d: d.numero, _distrito, errores
        ),
        municipios=_indexar(
            datos["municipios"], "municipios.csv", lambda m: m.clave, _municipio, errores
        ),
        partidos=_indexar(datos["partidos"], "partidos.csv", lambda p: p.siglas, _partido, errores),
        postulaciones=_postulaciones(datos["postulaciones"], datos["siglado"], errores),
        independientes=_indexar(
            datos["independientes"],
            "independientes.csv",
            lambda i: i.clave,
            _independiente,
            errores,
        ),
        totales={k: int(v) for k, v in general["totales"].items()},
        cuestionario=dict(general.get("cuestionario_curricular", {})),
    )


def _indexar(
    filas: Sequence[Fila],
    archivo: str,
    clave: Callable[[T], Any],
    armar: Callable[[Fila], T],
    errores: list[str],
) -> dict[Any, T]:
    """Rows → objects keyed by their id; bad or repeated rows become errors."""
    indice: dict[Any, T] = {}
    for numero, fila in enumerate(filas, start=2):
        try:
            objeto = armar(fila)
        except (KeyError, TypeError, ValueError) as exc:
            errores.append(f"{archivo}, fila {numero}: dato faltante o inválido ({exc}).")
            continue
        if clave(objeto) in indice:
            errores.append(f"{archivo}, fila {numero}: la clave «{clave(objeto)}» está repetida.")
        indice[clave(objeto)] = objeto
    return indice


def _texto(fila: Fila, campo: str) -> str:
    """A required, non-blank text field."""
    valor = str(fila[campo] or "").strip()
    if not valor:
        raise ValueError(f"«{campo}» está vacío")
    return valor


def _categoria(f: Fila) -> CategoriaMunicipio:
    """One size category."""
    return CategoriaMunicipio(
        clave=_texto(f, "clave"),
        descripcion=_texto(f, "descripcion"),
        sindicaturas=int(f["sindicaturas"]),
        regidurias_mr=int(f["regidurias_mr"]),
        regidurias_rp=int(f["regidurias_rp"]),
    )


def _distrito(f: Fila) -> Distrito:
    """One row of distritos.csv."""
    return Distrito(numero=int(f["numero"]), cabecera=_texto(f, "cabecera"))


def _municipio(f: Fila) -> Municipio:
    """One row of municipios.csv."""
    distritos = tuple(int(d) for d in str(f["distritos"]).split("|") if d.strip())
    return Municipio(
        clave=_texto(f, "clave_inegi"),
        nombre=_texto(f, "nombre"),
        categoria=_texto(f, "categoria"),
        distritos=distritos,
    )


def _partido(f: Fila) -> Partido:
    """One row of partidos.csv."""
    return Partido(siglas=_texto(f, "siglas"), nombre=_texto(f, "nombre"), color=_texto(f, "color"))


def _independiente(f: Fila) -> Independiente:
    """One row of independientes.csv."""
    return Independiente(
        clave=_texto(f, "clave"),
        nombre=_texto(f, "nombre"),
        contienda=Contienda(_texto(f, "contienda")),
        territorio=_texto(f, "territorio"),
    )


def _postulaciones(
    definiciones: Mapping[str, Sequence[Fila]], siglado: Sequence[Fila], errores: list[str]
) -> dict[str, Postulacion]:
    """Coalitions and candidaturas comunes with their per-contest postulating party."""
    por_clave: dict[str, dict[tuple[Contienda, str], str]] = {}
    for numero, fila in enumerate(siglado, start=2):
        try:
            contienda = (Contienda(_texto(fila, "contienda")), _texto(fila, "territorio"))
            clave = _texto(fila, "postulacion")
            partido = _texto(fila, "partido")
        except (KeyError, ValueError) as exc:
            errores.append(f"siglado.csv, fila {numero}: dato faltante o inválido ({exc}).")
            continue
        contiendas = por_clave.setdefault(clave, {})
        if contienda in contiendas:
            errores.append(f"siglado.csv, fila {numero}: «{clave}» repite la contienda.")
        contiendas[contienda] = partido
    resultado: dict[str, Postulacion] = {}
    tipos = (
        ("coaliciones", Postulante.COALICION),
        ("candidaturas_comunes", Postulante.CANDIDATURA_COMUN),
    )
    for grupo, tipo in tipos:
        for fila in definiciones.get(grupo, []):
            clave = _texto(fila, "clave")
            if clave in resultado:
                errores.append(f"postulaciones.json: la clave «{clave}» está repetida.")
            resultado[clave] = Postulacion(
                clave=clave,
                nombre=_texto(fila, "nombre"),
                tipo=tipo,
                partidos=tuple(fila["partidos"]),
                siglado=por_clave.pop(clave, {}),
            )
    errores.extend(
        f"siglado.csv: la postulación «{clave}» no está en postulaciones.json."
        for clave in por_clave
    )
    return resultado


def revisar_eleccion(e: Eleccion) -> list[str]:
    """Every reference resolves, totals add up and dates are in order; Spanish messages."""
    return [
        *_revisar_generales(e),
        *_revisar_municipios(e),
        *_revisar_postulaciones(e),
        *_revisar_independientes(e),
        *_revisar_totales(e),
    ]


def _revisar_generales(e: Eleccion) -> list[str]:
    """Time zone, dates in order and sensible windows."""
    errores = []
    try:
        ZoneInfo(e.zona_horaria)
    except (ZoneInfoNotFoundError, ValueError):
        errores.append(f"eleccion.json: la zona horaria «{e.zona_horaria}» no existe.")
    nombres = list(ETIQUETAS_FECHAS)
    for antes, despues in itertools.pairwise(nombres):
        if getattr(e.fechas, antes) > getattr(e.fechas, despues):
            errores.append(
                f"eleccion.json: la fecha de {ETIQUETAS_FECHAS[antes]} es posterior a la de "
                f"{ETIQUETAS_FECHAS[despues]}."
            )
    if e.plazos.captura_dias < 1 or e.plazos.sustitucion_dias < 1:
        errores.append("eleccion.json: los plazos de captura deben ser de al menos un día.")
    try:
        ConfiguracionCurricular.desde_dict(e.cuestionario)
    except ValueError as error:
        errores.append(f"eleccion.json, cuestionario_curricular: {error}")
    return errores


def _revisar_municipios(e: Eleccion) -> list[str]:
    """Each municipality names a known category and existing districts; no district is empty."""
    errores = []
    usados: set[int] = set()
    for m in e.municipios.values():
        if m.categoria not in e.categorias:
            errores.append(
                f"municipios.csv: «{m.nombre}» tiene la categoría «{m.categoria}», que no existe."
            )
        if not m.distritos:
            errores.append(f"municipios.csv: «{m.nombre}» no indica su distrito.")
        for d in m.distritos:
            if d not in e.distritos:
                errores.append(
                    f"municipios.csv: «{m.nombre}» está en el distrito {d}, que no existe."
                )
        usados.update(m.distritos)
    errores.extend(
        f"distritos.csv: el distrito {d} no contiene ningún municipio."
        for d in sorted(set(e.distritos) - usados)
    )
    return errores


def _revisar_postulaciones(e: Eleccion) -> list[str]:
    """Members are parties; each contest exists; a party runs in one postulación per contest."""
    errores: list[str] = []
    ocupados: dict[tuple[Contienda, str, str], str] = {}
    for p in e.postulaciones.values():
        errores.extend(
            f"postulaciones.json: «{p.clave}» incluye al partido «{s}», que no existe."
            for s in p.partidos
            if s not in e.partidos
        )
        if len(p.partidos) < 2:
            errores.append(f"postulaciones.json: «{p.clave}» necesita al menos dos partidos.")
        for (contienda, territorio), partido in p.siglado.items():
            if not _territorio_existe(e, contienda, territorio):
                errores.append(
                    f"siglado.csv: «{p.clave}» nombra {contienda.value} {territorio}, "
                    "que no existe."
                )
            if partido not in p.partidos:
                errores.append(
                    f"siglado.csv: en {contienda.value} {territorio} «{p.clave}» postula a "
                    f"«{partido}», que no es parte de ella."
                )
            for miembro in p.partidos:
                previa = ocupados.setdefault((contienda, territorio, miembro), p.clave)
                if previa != p.clave:
                    errores.append(
                        f"siglado.csv: «{miembro}» está en «{previa}» y en «{p.clave}» para "
                        f"{contienda.value} {territorio}."
                    )
    return errores


def _revisar_independientes(e: Eleccion) -> list[str]:
    """Every independent names an existing contest."""
    return [
        f"independientes.csv: «{i.clave}» nombra {i.contienda.value} {i.territorio}, que no existe."
        for i in e.independientes.values()
        if not _territorio_existe(e, i.contienda, i.territorio)
    ]


def _revisar_totales(e: Eleccion) -> list[str]:
    """The declared totals equal what the catalog adds up to."""
    calculados = e.calculados()
    return [
        f"eleccion.json: el total de {nombre} declarado es {declarado}, pero el catálogo suma "
        f"{calculados[nombre]}."
        for nombre, declarado in e.totales.items()
        if nombre in calculados and calculados[nombre] != declarado
    ] + [
        f"eleccion.json: el total «{nombre}» no se conoce; use {', '.join(sorted(calculados))}."
        for nombre in e.totales
        if nombre not in calculados
    ]


def _territorio_existe(e: Eleccion, contienda: Contienda, territorio: str) -> bool:
    """A district number or a municipality key of the catalog."""
    if contienda is Contienda.DIPUTACION_LOCAL:
        return territorio.isdigit() and int(territorio) in e.distritos
    return territorio in e.municipios
