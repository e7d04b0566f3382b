"""Use cases of captura: one keyword-only function each, returning data."""

import asyncio
import json
from datetime import date
from pathlib import Path
from typing import Any

from captura.adapters import CandidaturaRepository
from captura.domain import (
    Candidatura,
    CandidaturaDuplicada,
    CandidaturaRegistradaHecho,
    Registro,
)
from comun.auth.alcance import en_alcance
from comun.auth.usuario import Usuario
from comun.eventos import Actor, CandidaturaRegistrada, Evento, nuevo_evento
from comun.roles import Rol


async def registrar_candidatura(
    *, repo: CandidaturaRepository, id: str, registro: Registro, fecha_jornada: date, actor: Actor
) -> Candidatura:
    """Register a candidacy from the registry; CandidaturaDuplicada if the id is taken."""
    if await repo.obtener(id) is not None:
        raise CandidaturaDuplicada(id)
    candidatura = Candidatura.registrar(id=id, registro=registro)
    eventos = [_evento(candidatura, h, fecha_jornada, actor) for h in candidatura.hechos]
    await repo.guardar(candidatura, eventos)
    return candidatura


async def sembrar_demo(
    *, repo: CandidaturaRepository, archivo: Path, actor: Actor
) -> Candidatura | None:
    """Register the demo election's candidacy (idempotent: None when already there)."""
    datos = json.loads(await asyncio.to_thread(archivo.read_text, encoding="utf-8"))
    fila = datos["candidatura_demo"]
    try:
        return await registrar_candidatura(
            repo=repo,
            id=fila["id"],
            registro=_registro(fila, eleccion=datos["eleccion"]["id"]),
            fecha_jornada=date.fromisoformat(datos["eleccion"]["fecha_jornada"]),
            actor=actor,
        )
    except CandidaturaDuplicada:
        return None


async def candidaturas_visibles(
    *, repo: CandidaturaRepository, usuario: Usuario
) -> list[Candidatura]:
    """Candidacies a user may see: all (institute), its party's, or its own."""
    if usuario.tiene_rol(Rol.ADMINISTRADOR):
        return await repo.listar()
    if usuario.tiene_rol(Rol.PARTIDO, Rol.SUPERVISOR) and usuario.partido:
        return await repo.listar(partido=usuario.partido)
    if usuario.candidatura:
        propia = await repo.obtener(usuario.candidatura)
        return [propia] if propia is not None else []
    return []


async def obtener_candidatura(
    *, repo: CandidaturaRepository, id: str, usuario: Usuario
) -> Candidatura | None:
    """One candidacy, or None when it is missing or out of the user's scope (same answer)."""
    candidatura = await repo.obtener(id)
    if candidatura is None:
        return None
    alcance = en_alcance(usuario, partido=candidatura.registro.partido, candidatura_id=id)
    return candidatura if alcance else None


def _registro(fila: dict[str, Any], *, eleccion: str) -> Registro:
    """A row of the registry file → Registro."""
    return Registro.desde_dict({**fila, "eleccion": eleccion})


def _evento(
    candidatura: Candidatura, hecho: CandidaturaRegistradaHecho, jornada: date, actor: Actor
) -> Evento:
    """Domain fact → integration event."""
    r = candidatura.registro
    datos = CandidaturaRegistrada(
        candidatura_id=hecho.candidatura_id,
        version=candidatura.version,
        eleccion=r.eleccion,
        nombre=r.nombre,
        cargo=r.cargo,
        principio=r.principio,
        distrito=r.distrito,
        municipio=r.municipio,
        posicion=r.posicion,
        tipo_candidatura=r.tipo_candidatura,
        postulante=r.postulante,
        partido=r.partido,
        sexo=r.sexo,
        edad=candidatura.edad(fecha_jornada=jornada),
        accion_afirmativa=r.accion_afirmativa,
    )
    return nuevo_evento(datos, subject=candidatura.id, actor=actor, accion="registrar_candidatura")
