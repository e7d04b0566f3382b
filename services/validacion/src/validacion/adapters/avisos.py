"""Notices, their e-mail copies and the recipients' addresses on the document-store port."""

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from comun.app import AvisoRelay
from comun.auth.alcance import ROLES_GLOBALES
from comun.auth.usuario import Usuario
from comun.bus import outbox
from comun.bus.idempotencia import aplicar_una_vez
from comun.eventos import Evento
from comun.eventos.vocabulario import CampoCurricular, MotivoContenido
from comun.roles import Rol
from comun.servicios import Servicio, topic
from comun.store import Collection, Document, DuplicateKeyError, Filter, Store
from validacion.domain.avisos import Aviso, Contacto, Destinatario, Envio, EstadoEnvio

COLECCION_AVISOS = "avisos"
COLECCION_ENVIOS = "envios_correo"
COLECCION_CONTACTOS = "contactos"
NADA: Filter = {"_id": {"$in": []}}


class ConflictoAviso(Exception):
    """Someone else changed the notice between reading and writing it."""


def _sin_aviso(doc_id: str | None = None) -> None:
    """No relay to wake (tests, or before the relay starts)."""


def _fecha(texto: str | None) -> datetime | None:
    return None if texto is None else datetime.fromisoformat(texto)


def filtro_bandeja(usuario: Usuario) -> Filter | None:
    """Notices an account sees: all (institute), its party's supervisors', or its candidacy's."""
    if usuario.tiene_rol(*ROLES_GLOBALES):
        return None
    opciones: list[Filter] = []
    if usuario.tiene_rol(Rol.SUPERVISOR) and usuario.partido is not None:
        opciones.append(
            {"destinatario.rol": Rol.SUPERVISOR.value, "destinatario.partido": usuario.partido}
        )
    if usuario.tiene_rol(Rol.CANDIDATURA) and usuario.candidatura is not None:
        opciones.append(
            {
                "destinatario.rol": Rol.CANDIDATURA.value,
                "destinatario.candidatura_id": usuario.candidatura,
            }
        )
    if not opciones:
        return NADA
    return opciones[0] if len(opciones) == 1 else {"$or": opciones}


def _y(*filtros: Filter | None) -> Filter:
    presentes = [f for f in filtros if f]
    if not presentes:
        return {}
    return presentes[0] if len(presentes) == 1 else {"$and": presentes}


def _aviso_a_documento(aviso: Aviso) -> Document:
    destino = aviso.destinatario
    return {
        "_id": aviso.id,
        "candidatura_id": aviso.candidatura_id,
        "destinatario": {
            "rol": destino.rol.value,
            "partido": destino.partido,
            "candidatura_id": destino.candidatura_id,
        },
        "asunto": aviso.asunto,
        "mensaje": aviso.mensaje,
        "motivo": None if aviso.motivo is None else aviso.motivo.value,
        "campos": [c.value for c in aviso.campos],
        "creado_en": aviso.creado_en.isoformat(),
        "creado_por": aviso.creado_por,
        # A list, not a map keyed by username: usernames carry dots, which dotted paths split.
        "leido_por": [{"usuario": u, "en": en.isoformat()} for u, en in aviso.leido_por.items()],
        "lectores": list(aviso.leido_por),
        "version": aviso.version,
    }


def _aviso_de_documento(doc: Document) -> Aviso:
    destino = doc["destinatario"]
    return Aviso(
        id=doc["_id"],
        candidatura_id=doc["candidatura_id"],
        destinatario=Destinatario(
            Rol(destino["rol"]),
            partido=destino.get("partido"),
            candidatura_id=destino.get("candidatura_id"),
        ),
        asunto=doc["asunto"],
        mensaje=doc["mensaje"],
        creado_en=datetime.fromisoformat(doc["creado_en"]),
        creado_por=doc["creado_por"],
        motivo=None if doc.get("motivo") is None else MotivoContenido(doc["motivo"]),
        campos=tuple(CampoCurricular(c) for c in doc.get("campos", [])),
        leido_por={
            lectura["usuario"]: datetime.fromisoformat(lectura["en"])
            for lectura in doc.get("leido_por", [])
        },
        version=int(doc["version"]),
    )


class AvisoRepository:
    """One document per notice; its aviso_emitido event waits in the same document."""

    def __init__(self, store: Store, *, avisar_relay: AvisoRelay = _sin_aviso) -> None:
        self._coleccion: Collection = store.collection(COLECCION_AVISOS)
        self._avisar = avisar_relay
        self._cargados: dict[str, Document] = {}

    async def preparar(self) -> None:
        """Indexes for the supervisors' and the candidacies' inboxes, newest first."""
        await self._coleccion.create_index(
            [("destinatario.rol", 1), ("destinatario.partido", 1), ("creado_en", -1)]
        )
        await self._coleccion.create_index(
            [("destinatario.rol", 1), ("destinatario.candidatura_id", 1), ("creado_en", -1)]
        )

    async def agregar(self, aviso: Aviso, eventos: Sequence[Evento]) -> bool:
        """Write a new notice and its events in one atomic write; False if its id is taken."""
        aviso.version = 1
        doc = outbox.adjuntar(_aviso_a_documento(aviso), topic(Servicio.VALIDACION), eventos)
        # A notice derived from an event has that event's id: a redelivery writes nothing.
        if not await aplicar_una_vez(self._coleccion, doc, evento_id=aviso.id):
            return False
        self._avisar(aviso.id)
        return True

    async def obtener(self, aviso_id: str) -> Aviso | None:
        """The notice with this id, or None."""
        doc = await self._coleccion.get(aviso_id)
        if doc is None:
            return None
        self._cargados[aviso_id] = doc
        return _aviso_de_documento(doc)

    async def guardar(self, aviso: Aviso) -> None:
        """Write a loaded notice back (its pending events stay); ConflictoAviso on a race."""
        previo = self._cargados.pop(aviso.id)
        ok = await outbox.guardar(
            self._coleccion,
            _aviso_a_documento(aviso),
            topic=topic(Servicio.VALIDACION),
            eventos=(),
            previo=previo,
        )
        if not ok:
            raise ConflictoAviso(aviso.id)

    async def bandeja(self, usuario: Usuario, *, solo_no_leidos: bool = False) -> list[Aviso]:
        """The notices this account sees, newest first."""
        docs = await self._coleccion.find(
            _y(filtro_bandeja(usuario), self._no_leidos(usuario) if solo_no_leidos else None),
            sort=[("creado_en", -1), ("_id", -1)],
        )
        return [_aviso_de_documento(d) for d in docs]

    async def no_leidos(self, usuario: Usuario) -> int:
        """How many notices this account sees and has not read."""
        return await self._coleccion.count(_y(filtro_bandeja(usuario), self._no_leidos(usuario)))

    @staticmethod
    def _no_leidos(usuario: Usuario) -> Filter:
        return {"lectores": {"$nin": [usuario.nombre_usuario]}}


def _envio_a_documento(envio: Envio) -> Document:
    return {
        "_id": envio.id,
        "aviso_id": envio.aviso_id,
        "para": envio.para,
        "asunto": envio.asunto,
        "cuerpo": envio.cuerpo,
        "creado_en": envio.creado_en.isoformat(),
        "siguiente_intento": envio.siguiente_intento.isoformat(),
        "estado": envio.estado.value,
        "intentos": envio.intentos,
        "error": envio.error,
        "enviado_en": None if envio.enviado_en is None else envio.enviado_en.isoformat(),
        "version": envio.version,
    }


def _envio_de_documento(doc: Document) -> Envio:
    return Envio(
        id=doc["_id"],
        aviso_id=doc["aviso_id"],
        para=doc["para"],
        asunto=doc["asunto"],
        cuerpo=doc["cuerpo"],
        creado_en=datetime.fromisoformat(doc["creado_en"]),
        siguiente_intento=datetime.fromisoformat(doc["siguiente_intento"]),
        estado=EstadoEnvio(doc["estado"]),
        intentos=int(doc["intentos"]),
        error=doc.get("error"),
        enviado_en=_fecha(doc.get("enviado_en")),
        version=int(doc["version"]),
    )


class EnvioRepository:
    """The e-mail copies of notices waiting for, or done with, the SMTP server."""

    def __init__(self, store: Store) -> None:
        self._coleccion: Collection = store.collection(COLECCION_ENVIOS)

    async def preparar(self) -> None:
        """Index for the deliveries that are due."""
        await self._coleccion.create_index([("estado", 1), ("siguiente_intento", 1)])
        await self._coleccion.create_index([("creado_en", -1)])

    async def agregar(self, envio: Envio) -> bool:
        """Queue a copy; False if it was already queued (redelivered event)."""
        envio.version = 1
        try:
            await self._coleccion.insert(_envio_a_documento(envio))
        except DuplicateKeyError:
            return False
        return True

    async def vencidos(self, ahora: datetime, *, limite: int = 50) -> list[Envio]:
        """Pending copies whose next attempt is due, oldest first."""
        docs = await self._coleccion.find(
            {
                "estado": EstadoEnvio.PENDIENTE.value,
                "siguiente_intento": {"$lte": ahora.isoformat()},
            },
            sort=[("siguiente_intento", 1)],
            limit=limite,
        )
        return [_envio_de_documento(d) for d in docs]

    async def guardar(self, envio: Envio) -> bool:
        """Write a copy back if nobody changed it meanwhile; False otherwise."""
        doc = _envio_a_documento(envio)
        ok = await self._coleccion.update_if_version(doc, expected_version=envio.version)
        if ok:
            envio.version += 1
        return ok

    async def recientes(self, *, limite: int = 200) -> list[Envio]:
        """The latest copies, newest first (for the administrator)."""
        docs = await self._coleccion.find(sort=[("creado_en", -1), ("_id", 1)], limit=limite)
        return [_envio_de_documento(d) for d in docs]

    async def por_estado(self) -> dict[EstadoEnvio, int]:
        """How many copies are in each state."""
        return {e: await self._coleccion.count({"estado": e.value}) for e in EstadoEnvio}


class ContactoRepository:
    """The e-mail address of each account that has one, learnt from identidad's events."""

    def __init__(self, store: Store) -> None:
        self._coleccion: Collection = store.collection(COLECCION_CONTACTOS)

    async def preparar(self) -> None:
        """Indexes to find a party's supervisors and a candidacy's account."""
        await self._coleccion.create_index([("rol", 1), ("partido", 1)])
        await self._coleccion.create_index([("rol", 1), ("candidatura_id", 1)])

    async def registrar(self, contacto: Contacto) -> bool:
        """Record an account's address; False if it was already known (redelivery)."""
        doc: dict[str, Any] = {
            "_id": contacto.cuenta_id,
            "usuario": contacto.usuario,
            "rol": contacto.rol.value,
            "correo": contacto.correo,
            "partido": contacto.partido,
            "candidatura_id": contacto.candidatura_id,
        }
        try:
            await self._coleccion.insert(doc)
        except DuplicateKeyError:
            return False
        return True

    async def de(self, destinatario: Destinatario) -> list[Contacto]:
        """The accounts with an address among a notice's recipients."""
        filtro: Filter = {"rol": destinatario.rol.value}
        if destinatario.rol is Rol.SUPERVISOR:
            filtro["partido"] = destinatario.partido
        else:
            filtro["candidatura_id"] = destinatario.candidatura_id
        docs = await self._coleccion.find(filtro, sort=[("usuario", 1)])
        return [
            Contacto(
                cuenta_id=d["_id"],
                usuario=d["usuario"],
                rol=Rol(d["rol"]),
                correo=d["correo"],
                partido=d.get("partido"),
                candidatura_id=d.get("candidatura_id"),
            )
            for d in docs
        ]
