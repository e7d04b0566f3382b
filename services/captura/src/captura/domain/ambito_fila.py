"""Checks of a row against the catalog: territory, position and who may postulate there."""

from captura.domain.catalogo import Contienda, Eleccion, contienda_de
from captura.domain.celdas import Lector, normalizar
from comun.eventos.vocabulario import ETIQUETAS, Cargo, Postulante, Principio


def territorio(
    lector: Lector, e: Eleccion, cargo: Cargo, principio: Principio
) -> tuple[int | None, str | None, int] | None:
    """District or municipality consistent with the office, and the position within its size."""
    distrito = lector.entero("DISTRITO")
    municipio_texto = lector.texto("MUNICIPIO")
    posicion = lector.entero("POSICION") or 1
    if lector.rechazos:
        return None
    municipio = _municipio(e, municipio_texto)
    if cargo is Cargo.DIPUTACION_LOCAL:
        if principio is Principio.MR and distrito not in e.distritos:
            detalle = "está vacío" if distrito is None else f"es {distrito}"
            lector.rechazar(
                "DISTRITO",
                "Una diputación de mayoría relativa necesita un distrito de 1 a "
                f"{max(e.distritos)}; {detalle}.",
            )
        if principio is Principio.RP and distrito is not None:
            lector.rechazar(
                "DISTRITO", "Una diputación de representación proporcional no lleva distrito."
            )
        if municipio_texto:
            lector.rechazar("MUNICIPIO", "Una diputación no lleva municipio.")
        municipio = None
    else:
        if distrito is not None:
            lector.rechazar("DISTRITO", "Una candidatura de ayuntamiento no lleva distrito.")
        if municipio is None:
            lector.rechazar(
                "MUNICIPIO",
                f"«{municipio_texto or ''}» no es un municipio de {e.entidad}; "
                "use su clave INEGI o su nombre.",
            )
            return None
        if (
            cargo in (Cargo.PRESIDENCIA_MUNICIPAL, Cargo.SINDICATURA)
            and principio is not Principio.MR
        ):
            lector.rechazar("PRINCIPIO", f"{ETIQUETAS[cargo]} solo se elige por mayoría relativa.")
            return None
    maximo = e.posiciones(cargo, principio, municipio)
    if posicion > maximo:
        lector.rechazar(
            "POSICION",
            f"La posición {posicion} excede las {maximo} que tiene "
            f"{ETIQUETAS[cargo].lower()} ({principio.value}) aquí.",
        )
    return (
        None
        if lector.rechazos
        else (distrito if cargo is Cargo.DIPUTACION_LOCAL else None, municipio, posicion)
    )


def _municipio(e: Eleccion, texto: str | None) -> str | None:
    """Municipality key from its INEGI key (with or without the state prefix) or its name."""
    if not texto:
        return None
    if texto in e.municipios:
        return texto
    if texto.isdigit() and f"{e.clave_entidad}{int(texto):03d}" in e.municipios:
        return f"{e.clave_entidad}{int(texto):03d}"
    buscado = normalizar(texto)
    return next((m.clave for m in e.municipios.values() if normalizar(m.nombre) == buscado), None)


def postulacion(
    lector: Lector,
    e: Eleccion,
    postulante: Postulante,
    cargo: Cargo,
    principio: Principio,
    distrito: int | None,
    municipio: str | None,
) -> tuple[str, str | None] | None:
    """Who postulates (checked against the catalog and the siglado) → (clave, capturing party)."""
    clave = lector.texto("CLAVE_POSTULANTE", obligatoria=True, maximo=40)
    indicado = lector.texto("PARTIDO_POSTULANTE", maximo=20)
    if clave is None:
        return None
    clave, indicado = clave.upper(), indicado.upper() if indicado else None
    contienda = contienda_de(cargo)
    territorio = str(distrito) if contienda is Contienda.DIPUTACION_LOCAL else (municipio or "")
    if (
        principio is Principio.RP
        and cargo is Cargo.DIPUTACION_LOCAL
        and postulante is not Postulante.PARTIDO
    ):
        lector.rechazar(
            "POSTULANTE",
            "Las listas de representación proporcional las postula cada partido por sí solo.",
        )
        return None
    partido = _partido_postulante(lector, e, postulante, clave, contienda, territorio)
    if partido is not None and indicado and indicado != partido:
        lector.rechazar(
            "PARTIDO_POSTULANTE",
            f"Según el convenio, en esta contienda postula «{partido}», no «{indicado}».",
        )
    if lector.rechazos:
        return None
    return clave, partido


def _partido_postulante(
    lector: Lector,
    e: Eleccion,
    postulante: Postulante,
    clave: str,
    contienda: Contienda,
    territorio: str,
) -> str | None:
    """The party that captures, per the postulante kind; records a Rechazo when not allowed."""
    if postulante is Postulante.INDEPENDIENTE:
        independiente = e.independientes.get(clave)
        if independiente is None or (independiente.contienda, independiente.territorio) != (
            contienda,
            territorio,
        ):
            lector.rechazar(
                "CLAVE_POSTULANTE",
                f"«{clave}» no es una candidatura independiente registrada para esta contienda.",
            )
        return None
    if postulante is Postulante.PARTIDO:
        if clave not in e.partidos:
            lector.rechazar(
                "CLAVE_POSTULANTE",
                f"«{clave}» no es un partido de esta elección; use: {', '.join(e.partidos)}.",
            )
            return None
        if territorio and (en := _coalicion_del_partido(e, clave, contienda, territorio)):
            lector.rechazar(
                "CLAVE_POSTULANTE",
                f"En esta contienda «{clave}» participa en «{en}»; regístrela con esa postulación.",
            )
        return clave
    definicion = e.postulaciones.get(clave)
    if definicion is None or definicion.tipo is not postulante:
        lector.rechazar(
            "CLAVE_POSTULANTE",
            f"«{clave}» no es una {ETIQUETAS[postulante].lower()} de esta elección.",
        )
        return None
    partido = definicion.siglado.get((contienda, territorio))
    if partido is None:
        lector.rechazar(
            "CLAVE_POSTULANTE", f"«{clave}» no participa en esta contienda según su convenio."
        )
    return partido


def _coalicion_del_partido(
    e: Eleccion, partido: str, contienda: Contienda, territorio: str
) -> str | None:
    """The coalition or común a party runs in for a contest, if any."""
    return next(
        (
            p.clave
            for p in e.postulaciones.values()
            if partido in p.partidos and (contienda, territorio) in p.siglado
        ),
        None,
    )
