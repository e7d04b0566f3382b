"""What the captura pages show: numbers, dates, list rows, counts, filters and imports."""

import math
import re
from collections import Counter
from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from fastapi import Request
from pydantic import Field, model_validator

from captura import handlers
from captura.api import FiltrosQuery, Importaciones, Repo
from captura.domain import Candidatura, Eleccion, EstadoCandidatura, Registro
from comun.auth.usuario import Usuario
from comun.errores import NoEncontrado
from comun.eventos.vocabulario import Cargo, Postulante, Principio, etiqueta
from comun.roles import Rol

PREFIJO = "/captura"
POR_PAGINA = 50
MESES = (
    "enero", "febrero", "marzo", "abril", "mayo", "junio",
    "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre",
)  # fmt: skip
CAMPOS_REGISTRO = {
    "eleccion": "Elección",
    "nombres": "Nombre(s)",
    "primer_apellido": "Primer apellido",
    "segundo_apellido": "Segundo apellido",
    "sobrenombre": "Sobrenombre",
    "curp": "CURP",
    "fecha_nacimiento": "Fecha de nacimiento",
    "sexo": "Sexo",
    "cargo": "Cargo",
    "principio": "Principio",
    "tipo_candidatura": "Tipo",
    "postulante": "Postulante",
    "clave_postulante": "Clave del postulante",
    "partido": "Partido que captura",
    "distrito": "Distrito",
    "municipio": "Municipio",
    "posicion": "Posición",
    "accion_afirmativa": "Acción afirmativa",
}
ACCIONES_AFIRMATIVAS = {
    "indigena": "Indígena",
    "discapacidad": "Persona con discapacidad",
    "afromexicana": "Afromexicana",
    "lgbtttiq": "LGBTTTIQ+",
    "migrante": "Migrante",
    "joven": "Joven",
    "persona_mayor": "Persona mayor",
}
TOTALES_CATALOGO = {
    "distritos": "Distritos locales",
    "municipios": "Municipios",
    "diputaciones_mr": "Diputaciones de mayoría relativa",
    "diputaciones_rp": "Diputaciones de representación proporcional",
    "presidencias": "Presidencias municipales",
    "sindicaturas": "Sindicaturas",
    "regidurias": "Regidurías",
}
RESUMEN = (
    ("nuevas", "nueva", "nuevas"),
    ("modificadas", "modificada", "modificadas"),
    ("sustituidas", "sustituida", "sustituidas"),
    ("canceladas", "cancelada", "canceladas"),
    ("rechazadas", "rechazada", "rechazadas"),
    ("sin_cambios", "sin cambios", "sin cambios"),
)
ESTADOS_IMPORTACION = {
    "en_proceso": "En proceso",
    "terminada": "Terminada",
    "fallida": "Fallida",
    "interrumpida": "Interrumpida",
}
_COLOR = re.compile(r"#[0-9A-Fa-f]{3}(?:[0-9A-Fa-f]{3})?")


def cifra(numero: int | None) -> str:
    """A whole number with a non-breaking space between thousands (12 000)."""
    return "—" if numero is None else f"{numero:,}".replace(",", "\u00a0")


def fecha_larga(dia: date) -> str:
    """`2 de junio de 2024`."""
    return f"{dia.day} de {MESES[dia.month - 1]} de {dia.year}"


def contar(numero: int, singular: str, plural: str) -> str:
    """`1 nueva`, `3 nuevas`."""
    return f"{cifra(numero)} {singular if numero == 1 else plural}"


class FiltrosPagina(FiltrosQuery):
    """The list's filters as a GET form sends them: blank fields mean «any»."""

    por_pagina: int = Field(default=POR_PAGINA, ge=1, le=500)

    @model_validator(mode="before")
    @classmethod
    def _sin_vacios(cls, datos: Any) -> Any:
        """Drop blank values (an unchosen select sends an empty string)."""
        if isinstance(datos, Mapping):
            return {k: v for k, v in datos.items() if not (isinstance(v, str) and not v.strip())}
        return datos

    def consulta(self, *, pagina: int) -> str:
        """The query string of these filters for another page."""
        valores = self.model_dump(exclude_none=True, exclude={"pagina", "por_pagina"})
        if self.por_pagina != POR_PAGINA:
            valores["por_pagina"] = self.por_pagina
        if pagina > 1:
            valores["pagina"] = pagina
        return urlencode({k: getattr(v, "value", v) for k, v in valores.items()})


async def pagina_de_candidaturas(
    repo: Repo, usuario: Usuario, eleccion: Eleccion, filtros: FiltrosPagina, *, ruta: str
) -> tuple[list[Candidatura], dict[str, Any]]:
    """One page of the candidacies in scope, with the total and the links to the pages around."""
    total, encontradas = await handlers.buscar_candidaturas(
        repo=repo,
        usuario=usuario,
        eleccion_id=eleccion.id,
        filtros=filtros.filtros(),
        pagina=filtros.pagina,
        por_pagina=filtros.por_pagina,
    )
    paginas = max(1, math.ceil(total / filtros.por_pagina))
    url = f"{PREFIJO}{ruta}?"
    return encontradas, {
        "total": total,
        "pagina": filtros.pagina,
        "paginas": paginas,
        "anterior": url + filtros.consulta(pagina=filtros.pagina - 1)
        if 1 < filtros.pagina <= paginas + 1
        else None,
        "siguiente": url + filtros.consulta(pagina=filtros.pagina + 1)
        if filtros.pagina < paginas
        else None,
        "filtros": filtros,
    }


async def lista(
    repo: Repo, usuario: Usuario, eleccion: Eleccion, filtros: FiltrosPagina
) -> dict[str, Any]:
    """One page of the candidacy list with its filter options and page links."""
    encontradas, paginacion = await pagina_de_candidaturas(
        repo, usuario, eleccion, filtros, ruta="/candidaturas"
    )
    return {
        "filas": [fila_lista(c, eleccion) for c in encontradas],
        **paginacion,
        "primera": f"{PREFIJO}/candidaturas?" + filtros.consulta(pagina=1),
        "con_filtros": bool(
            filtros.model_dump(exclude_none=True).keys() - {"pagina", "por_pagina"}
        ),
        "ver_partido": usuario.tiene_rol(Rol.ADMINISTRADOR),
        "ver_filtros": usuario.tiene_rol(Rol.ADMINISTRADOR, Rol.PARTIDO, Rol.SUPERVISOR),
        "opciones": _opciones_filtros(eleccion),
    }


def _opciones_filtros(e: Eleccion) -> dict[str, list[tuple[str, str]]]:
    """(value, text) pairs of each filter select."""
    return {
        "cargo": [(c.value, etiqueta(c)) for c in Cargo],
        "principio": [(p.value, f"{etiqueta(p)} ({p.value})") for p in Principio],
        "distrito": [(str(n), f"{n} – {d.cabecera}") for n, d in sorted(e.distritos.items())],
        "municipio": [
            (m.clave, m.nombre) for m in sorted(e.municipios.values(), key=lambda m: m.nombre)
        ],
        "partido": [(p.siglas, f"{p.siglas} – {p.nombre}") for p in e.partidos.values()],
        "estado": [(s.value, etiqueta(s)) for s in EstadoCandidatura],
    }


def _ambito(r: Registro, e: Eleccion) -> str:
    """Where it runs: «Distrito 2 – Toluca de Lerdo», the municipality, or the RP list."""
    if r.cargo is Cargo.DIPUTACION_LOCAL:
        if r.distrito is None:
            return "Lista estatal de representación proporcional"
        distrito = e.distritos.get(r.distrito)
        return f"Distrito {r.distrito}" + (f" – {distrito.cabecera}" if distrito else "")
    municipio = e.municipios.get(r.municipio or "")
    return municipio.nombre if municipio else (r.municipio or "—")


def _postulante(r: Registro, e: Eleccion) -> str:
    """Who postulates: the party, a coalition with the party that captures, or an independent."""
    if r.postulante is Postulante.INDEPENDIENTE:
        independiente = e.independientes.get(r.clave_postulante or "")
        nombre = independiente.nombre if independiente else r.clave_postulante
        return f"Independiente: {nombre}"
    if r.postulante is Postulante.PARTIDO or r.clave_postulante == r.partido:
        return r.partido or "—"
    return f"{r.clave_postulante} (captura {r.partido or '—'})"


def fila_lista(c: Candidatura, e: Eleccion) -> dict[str, Any]:
    """A candidacy as a row of the list."""
    r = c.registro
    detalle = [r.principio.value]
    if r.principio is Principio.RP or r.cargo in (Cargo.SINDICATURA, Cargo.REGIDURIA):
        detalle.append(f"posición {r.posicion or 1}")
    detalle.append(etiqueta(r.tipo_candidatura).lower())
    return {
        "folio": c.id,
        "nombre": r.nombre,
        "cargo": etiqueta(r.cargo),
        "detalle_cargo": ", ".join(detalle),
        "ambito": _ambito(r, e),
        "postulante": _postulante(r, e),
        "estado": etiqueta(c.estado),
    }


def nombre_postulante(clave: str | None, e: Eleccion) -> str | None:
    """Name of a party, coalition, candidatura común or independent by its key."""
    for catalogo in (e.postulaciones, e.independientes, e.partidos):
        if clave and clave in catalogo:
            return str(catalogo[clave].nombre)
    return None


def totales_catalogo(e: Eleccion) -> list[dict[str, Any]]:
    """Each catalog total as computed from its data, next to the one the election declares."""
    calculados = e.calculados()
    return [
        {
            "concepto": texto,
            "calculado": calculados[clave],
            "declarado": e.totales.get(clave),
            "coincide": e.totales.get(clave) in (None, calculados[clave]),
        }
        for clave, texto in TOTALES_CATALOGO.items()
    ]


def conteos(todas: list[Candidatura], e: Eleccion) -> dict[str, Any]:
    """Registered candidacies by office and principle, by party and by state."""
    por_cargo = Counter((c.registro.cargo, c.registro.principio) for c in todas)
    por_partido = Counter(c.registro.partido for c in todas)
    por_estado = Counter(c.estado for c in todas)
    partidos = [
        {
            "siglas": p.siglas,
            "nombre": p.nombre,
            "color": p.color if _COLOR.fullmatch(p.color) else "#767676",
            "total": por_partido[p.siglas],
        }
        for p in e.partidos.values()
    ]
    return {
        "por_cargo": [
            {
                "valor": cargo.value,
                "cargo": etiqueta(cargo),
                "mr": por_cargo[(cargo, Principio.MR)],
                "rp": por_cargo[(cargo, Principio.RP)],
                "total": por_cargo[(cargo, Principio.MR)] + por_cargo[(cargo, Principio.RP)],
            }
            for cargo in Cargo
        ],
        "por_partido": partidos,
        "independientes": por_partido[None],
        "por_estado": [
            {"valor": s.value, "estado": etiqueta(s), "total": por_estado[s]}
            for s in EstadoCandidatura
        ],
    }


def es_htmx(request: Request) -> bool:
    """An htmx request that swaps part of the page."""
    return request.headers.get("hx-request") == "true"


def zona_de(eleccion: Eleccion) -> ZoneInfo:
    """The election's time zone (UTC if the system lacks it)."""
    try:
        return ZoneInfo(eleccion.zona_horaria)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def _hora_local(iso: str | None, zona: ZoneInfo) -> str:
    """An ISO timestamp as `dd/mm/aaaa hh:mm` in the election's time zone."""
    if not iso:
        return "—"
    momento = datetime.fromisoformat(iso)
    if momento.tzinfo is None:
        momento = momento.replace(tzinfo=UTC)
    return momento.astimezone(zona).strftime("%d/%m/%Y %H:%M")


def _estado_importacion(doc: Mapping[str, Any]) -> str:
    """Spanish state of an import job; a finished all-or-nothing one says nothing was applied."""
    reporte = doc.get("reporte") or {}
    if doc["estado"] == "terminada" and reporte.get("aplicado") is False:
        return "Terminada sin aplicar cambios"
    return ESTADOS_IMPORTACION.get(doc["estado"], etiqueta(doc["estado"]))


def _texto_resumen(reporte: Mapping[str, Any] | None) -> str:
    """`3 nuevas, 1 modificada, …` of a report, or a dash."""
    if not reporte:
        return "—"
    resumen = reporte["resumen"]
    return ", ".join(contar(resumen.get(k, 0), uno, varios) for k, uno, varios in RESUMEN)


def resumen_importacion(doc: Mapping[str, Any], zona: ZoneInfo) -> dict[str, Any]:
    """A row of the recent imports table."""
    return {
        "id": doc["_id"],
        "fecha": _hora_local(doc.get("inicio"), zona),
        "archivo": doc.get("archivo", ""),
        "usuario": doc.get("usuario", ""),
        "estado": _estado_importacion(doc),
        "resumen": _texto_resumen(doc.get("reporte")),
    }


async def vista_importacion(
    importaciones: Importaciones, importacion_id: str, eleccion: Eleccion
) -> dict[str, Any]:
    """An import job as its page shows it; 404 when missing."""
    doc = await importaciones.obtener(importacion_id)
    if doc is None:
        raise NoEncontrado(f"No existe la importación «{importacion_id}».")
    zona = zona_de(eleccion)
    avance = avance_trabajo(doc)
    hechas, total = avance["hechas"], avance["total"]
    if doc.get("fase") == "aplicando":
        texto = f"Aplicando: {cifra(hechas)} de {cifra(total)}"
    elif hechas or total:
        texto = f"Leyendo filas: {cifra(total or hechas)}"
    else:
        texto = "Leyendo el archivo…"
    return {
        **resumen_importacion(doc, zona),
        "fin": _hora_local(doc.get("fin"), zona),
        "todo_o_nada": bool(doc.get("todo_o_nada")),
        **avance,
        "progreso": texto,
        "resumen_cifras": [
            (varios.capitalize(), (doc.get("reporte") or {}).get("resumen", {}).get(k, 0))
            for k, _, varios in RESUMEN
        ],
    }


def avance_trabajo(doc: Mapping[str, Any]) -> dict[str, Any]:
    """What every job page shows of a job's progress: state, counts, error and report."""
    hechas, total = int(doc.get("hechas") or 0), doc.get("total")
    return {
        "en_proceso": doc["estado"] == "en_proceso",
        "codigo_estado": doc["estado"],
        "aplicando": doc.get("fase") == "aplicando" and bool(total),
        "hechas": hechas,
        "total": total,
        "error": doc.get("error"),
        "reporte": doc.get("reporte"),
    }
