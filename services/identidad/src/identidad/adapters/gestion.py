"""Account management on the document store: records, packages, designations, participants."""

import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Generic, TypeVar

from comun.auth.proveedor import ProveedorIdentidad
from comun.bus import outbox
from comun.eventos import Evento
from comun.roles import Rol
from comun.servicios import Servicio, topic
from comun.store import Collection, Document, DuplicateKeyError, Store
from identidad.domain.gestion import (
    Conflicto,
    CuentaPaquete,
    Designacion,
    EstadoPaquete,
    Ficha,
    MotivoClave,
    OrigenCuenta,
    Paquete,
    Participante,
    TipoParticipante,
)

COLECCION_FICHAS = "fichas"
COLECCION_PAQUETES = "paquetes"
COLECCION_DESIGNACIONES = "designaciones"
COLECCION_PARTICIPANTES = "participantes"
COLECCIONES_OUTBOX = (COLECCION_FICHAS, COLECCION_PAQUETES, COLECCION_DESIGNACIONES)
TOPIC = topic(Servicio.IDENTIDAD)

T = TypeVar("T")


class _ConOutbox(Generic[T]):
    """Aggregates stored as documents whose pending events travel in the same write."""

    def __init__(
        self,
        coleccion: Collection,
        *,
        a_doc: Callable[[T], Document],
        de_doc: Callable[[Document], T],
    ) -> None:
        self._coleccion = coleccion
        self._a_doc = a_doc
        self._de_doc = de_doc
        self._previos: weakref.WeakKeyDictionary[Any, Document] = weakref.WeakKeyDictionary()

    async def agregar(self, objeto: T, *, eventos: Sequence[Evento] = ()) -> None:
        """Insert a new aggregate with its events; DuplicateKeyError if its id is taken."""
        doc = {**self._a_doc(objeto), "version": 0}
        await outbox.guardar(self._coleccion, doc, topic=TOPIC, eventos=eventos, previo=None)
        self._previos[objeto] = outbox.adjuntar(doc, TOPIC, eventos)

    async def guardar(self, objeto: T, *, eventos: Sequence[Evento] = ()) -> bool:
        """Write a loaded aggregate and its new events at once; False on a version conflict."""
        previo = self._previos.get(objeto)
        if previo is None:
            raise ValueError("El objeto no se cargó con este repositorio")
        doc = {**self._a_doc(objeto), "version": previo["version"]}
        if not await outbox.guardar(
            self._coleccion, doc, topic=TOPIC, eventos=eventos, previo=previo
        ):
            return False
        version = int(previo["version"]) + 1
        if hasattr(objeto, "version"):
            setattr(objeto, "version", version)  # noqa: B010 - not every aggregate has one
        guardado = {**doc, "version": version, outbox.CAMPO: outbox.pendientes(previo)}
        self._previos[objeto] = outbox.adjuntar(guardado, TOPIC, eventos)
        return True

    async def _uno(self, doc_id: str) -> T | None:
        doc = await self._coleccion.get(doc_id)
        return self._cargar(doc) if doc is not None else None

    async def _varios(self, filtro: Document, **opciones: Any) -> list[T]:
        return [self._cargar(doc) for doc in await self._coleccion.find(filtro, **opciones)]

    def _cargar(self, doc: Document) -> T:
        objeto = self._de_doc(doc)
        self._previos[objeto] = doc
        return objeto


class FichaRepository(_ConOutbox[Ficha]):
    """Account records by username (`fichas`)."""

    def __init__(self, store: Store) -> None:
        super().__init__(store.collection(COLECCION_FICHAS), a_doc=_ficha_a_doc, de_doc=_ficha)

    async def preparar(self) -> None:
        """Indexes of the filters of the account list."""
        for campo in ("rol", "participante", "candidatura", "habilitada", "paquete"):
            await self._coleccion.create_index([(campo, 1)])

    async def por_usuario(self, usuario: str) -> Ficha | None:
        """The record of this username, or None."""
        return await self._uno(usuario.strip().lower())

    async def por_usuarios(self, usuarios: Sequence[str]) -> dict[str, Ficha]:
        """The records among these usernames, by username."""
        fichas = await self._varios({"_id": {"$in": list(usuarios)}})
        return {ficha.usuario: ficha for ficha in fichas}

    async def por_candidatura(self, candidatura_id: str) -> Ficha | None:
        """The individual account of a candidacy, or None."""
        fichas = await self._varios({"candidatura": candidatura_id, "rol": Rol.CANDIDATURA.value})
        return fichas[0] if fichas else None

    async def usuarios_con_prefijo(self, prefijo: str) -> list[str]:
        """Usernames starting with this prefix (to number generated accounts)."""
        docs = await self._coleccion.find(
            {"$and": [{"_id": {"$gte": prefijo}}, {"_id": {"$lt": prefijo + "\uffff"}}]}
        )
        return [doc["_id"] for doc in docs]

    async def de_participante(self, participante: str) -> list[Ficha]:
        """Every record of a party's or independent's accounts."""
        return await self._varios({"participante": participante}, sort=[("_id", 1)])

    async def sin_participante(self) -> list[Ficha]:
        """Candidacy accounts not yet assigned to a package (independents learned later)."""
        return await self._varios(
            {"participante": None, "rol": Rol.CANDIDATURA.value, "partido": None}
        )

    async def contar_de_participante(
        self, participante: str, *, folios_sin_entregar: Sequence[str]
    ) -> tuple[int, int]:
        """A participant's active accounts, and those among them still to be delivered."""
        activas: Document = {"participante": participante, "habilitada": True}
        pendientes: Document = {
            "$and": [
                activas,
                {"$or": [{"paquete": None}, {"paquete": {"$in": list(folios_sin_entregar)}}]},
            ]
        }
        return await self._coleccion.count(activas), await self._coleccion.count(pendientes)

    async def buscar(
        self,
        *,
        rol: Rol | None = None,
        participante: str | None = None,
        habilitada: bool | None = None,
        desde: int = 0,
        limite: int = 50,
    ) -> tuple[int, list[Ficha]]:
        """One page of records with these filters, by username, and how many match."""
        condiciones: list[Document] = []
        if rol is not None:
            condiciones.append({"rol": rol.value})
        if participante is not None:
            condiciones.append({"participante": participante})
        if habilitada is not None:
            condiciones.append({"habilitada": habilitada})
        filtro: Document = {"$and": condiciones} if condiciones else {}
        total = await self._coleccion.count(filtro)
        fichas = await self._varios(filtro, sort=[("_id", 1)], skip=desde, limit=limite)
        return total, fichas


class PaqueteRepository(_ConOutbox[Paquete]):
    """Delivery packages by folio (`paquetes`); their events are the credential events."""

    def __init__(self, store: Store) -> None:
        super().__init__(
            store.collection(COLECCION_PAQUETES), a_doc=_paquete_a_doc, de_doc=_paquete
        )

    async def preparar(self) -> None:
        """Indexes for a participant's packages and the latest ones."""
        await self._coleccion.create_index([("participante", 1), ("generado", -1)])
        await self._coleccion.create_index([("generado", -1)])

    async def por_folio(self, folio: str) -> Paquete | None:
        """The package with this folio, or None."""
        return await self._uno(folio)

    async def por_folios(self, folios: Sequence[str]) -> dict[str, Paquete]:
        """The packages among these folios."""
        paquetes = await self._varios({"_id": {"$in": list(folios)}})
        return {paquete.folio: paquete for paquete in paquetes}

    async def folios_sin_entregar(self) -> list[str]:
        """Folios of the packages generated but never delivered (pending or replaced)."""
        docs = await self._coleccion.find({"estado": {"$ne": EstadoPaquete.ENTREGADO.value}})
        return [doc["_id"] for doc in docs]

    async def recientes(
        self, *, participante: str | None = None, limite: int = 50
    ) -> list[Paquete]:
        """The latest packages (of one participant, if given), newest first."""
        filtro: Document = {"participante": participante} if participante else {}
        return await self._varios(filtro, sort=[("generado", -1)], limit=limite)


class DesignacionRepository(_ConOutbox[Designacion]):
    """Supervisor designations (`designaciones`)."""

    def __init__(self, store: Store) -> None:
        super().__init__(
            store.collection(COLECCION_DESIGNACIONES), a_doc=_designacion_a_doc, de_doc=_designacion
        )

    async def preparar(self) -> None:
        """A person is designated once per party."""
        await self._coleccion.create_index([("partido", 1), ("correo", 1)], unique=True)

    async def agregar_unica(self, designacion: Designacion, *, eventos: Sequence[Evento]) -> None:
        """Insert the designation; Conflicto if this party already designated that e-mail."""
        try:
            await self.agregar(designacion, eventos=eventos)
        except DuplicateKeyError as error:
            raise Conflicto(
                f"{designacion.partido} ya designó a una persona con el correo "
                f"{designacion.correo}; revise la lista de designaciones."
            ) from error

    async def de_partido(self, partido: str | None = None) -> list[Designacion]:
        """The designations (of one party, if given), newest first."""
        filtro: Document = {"partido": partido} if partido else {}
        return await self._varios(filtro, sort=[("registrada", -1)])


class ParticipanteRepository:
    """Parties and independents of the election catalog (`participantes`), by key."""

    def __init__(self, store: Store) -> None:
        self._coleccion = store.collection(COLECCION_PARTICIPANTES)

    async def guardar(self, participante: Participante, *, eleccion: str) -> None:
        """Insert or replace one participant."""
        doc: Document = {
            "_id": participante.clave,
            "nombre": participante.nombre,
            "tipo": participante.tipo.value,
            "eleccion": eleccion,
        }
        for _ in range(10):
            actual = await self._coleccion.get(participante.clave)
            if actual is None:
                try:
                    await self._coleccion.insert({**doc, "version": 0})
                except DuplicateKeyError:
                    continue
                return
            if {k: actual.get(k) for k in doc} == doc:
                return
            if await self._coleccion.update_if_version(doc, expected_version=actual["version"]):
                return

    async def por_clave(self, clave: str) -> Participante | None:
        """The participant with this key (case-insensitive for party acronyms), or None."""
        doc = await self._coleccion.get(clave)
        if doc is None and clave != clave.upper():
            doc = await self._coleccion.get(clave.upper())
        return _participante(doc) if doc is not None else None

    async def todos(self, tipo: TipoParticipante | None = None) -> list[Participante]:
        """Every participant (of one kind, if given), by key."""
        filtro: Document = {"tipo": tipo.value} if tipo else {}
        docs = await self._coleccion.find(filtro, sort=[("tipo", -1), ("_id", 1)])
        return [_participante(doc) for doc in docs]


@dataclass
class Gestion:
    """What the account-management handlers work with, in both identity modes."""

    fichas: FichaRepository
    paquetes: PaqueteRepository
    designaciones: DesignacionRepository
    participantes: ParticipanteRepository
    proveedor: Callable[[], ProveedorIdentidad]
    avisar: Callable[[], None]

    @classmethod
    def de_store(
        cls,
        store: Store,
        *,
        proveedor: Callable[[], ProveedorIdentidad],
        avisar: Callable[[], None],
    ) -> "Gestion":
        """Repositories on one store."""
        return cls(
            fichas=FichaRepository(store),
            paquetes=PaqueteRepository(store),
            designaciones=DesignacionRepository(store),
            participantes=ParticipanteRepository(store),
            proveedor=proveedor,
            avisar=avisar,
        )

    async def preparar(self) -> None:
        """Create the indexes."""
        await self.fichas.preparar()
        await self.paquetes.preparar()
        await self.designaciones.preparar()


def _iso(momento: datetime | date | None) -> str | None:
    return momento.isoformat() if momento is not None else None


def _fecha(texto: str | None) -> datetime | None:
    return datetime.fromisoformat(texto) if texto else None


def _ficha_a_doc(ficha: Ficha) -> Document:
    return {
        "_id": ficha.usuario,
        "cuenta_id": ficha.cuenta_id,
        "nombre": ficha.nombre,
        "rol": ficha.rol.value,
        "origen": ficha.origen.value,
        "creada": _iso(ficha.creada),
        "partido": ficha.partido,
        "candidatura": ficha.candidatura,
        "participante": ficha.participante,
        "nombre_postulante": ficha.nombre_postulante,
        "correo": ficha.correo,
        "telefono": ficha.telefono,
        "habilitada": ficha.habilitada,
        "motivo_deshabilitada": ficha.motivo_deshabilitada,
        "paquete": ficha.paquete,
    }


def _ficha(doc: Document) -> Ficha:
    creada = _fecha(doc.get("creada"))
    assert creada is not None
    return Ficha(
        usuario=doc["_id"],
        cuenta_id=doc["cuenta_id"],
        nombre=doc["nombre"],
        rol=Rol(doc["rol"]),
        origen=OrigenCuenta(doc["origen"]),
        creada=creada,
        partido=doc.get("partido"),
        candidatura=doc.get("candidatura"),
        participante=doc.get("participante"),
        nombre_postulante=doc.get("nombre_postulante"),
        correo=doc.get("correo"),
        telefono=doc.get("telefono"),
        habilitada=bool(doc.get("habilitada", True)),
        motivo_deshabilitada=doc.get("motivo_deshabilitada"),
        paquete=doc.get("paquete"),
        version=int(doc.get("version", 0)),
    )


def _paquete_a_doc(paquete: Paquete) -> Document:
    return {
        "_id": paquete.folio,
        "destinatario": paquete.destinatario,
        "participante": paquete.participante,
        "motivo": paquete.motivo.value,
        "generado": _iso(paquete.generado),
        "generado_por": paquete.generado_por,
        "estado": paquete.estado.value,
        "entregado": _iso(paquete.entregado),
        "recibio": paquete.recibio,
        "entrego": paquete.entrego,
        "reemplazado_por": paquete.reemplazado_por,
        "usuarios": sorted(paquete.usuarios),
        "cuentas": [
            {
                "usuario": c.usuario,
                "nombre": c.nombre,
                "rol": c.rol.value,
                "cuenta_id": c.cuenta_id,
                "motivo": c.motivo.value,
                "partido": c.partido,
                "candidatura": c.candidatura,
            }
            for c in paquete.cuentas
        ],
    }


def _paquete(doc: Document) -> Paquete:
    generado = _fecha(doc.get("generado"))
    assert generado is not None
    return Paquete(
        folio=doc["_id"],
        destinatario=doc["destinatario"],
        participante=doc.get("participante"),
        motivo=MotivoClave(doc["motivo"]),
        generado=generado,
        generado_por=doc["generado_por"],
        estado=EstadoPaquete(doc["estado"]),
        entregado=_fecha(doc.get("entregado")),
        recibio=doc.get("recibio"),
        entrego=doc.get("entrego"),
        reemplazado_por=doc.get("reemplazado_por"),
        version=int(doc.get("version", 0)),
        cuentas=tuple(
            CuentaPaquete(
                usuario=c["usuario"],
                nombre=c["nombre"],
                rol=Rol(c["rol"]),
                cuenta_id=c["cuenta_id"],
                motivo=MotivoClave(c["motivo"]),
                partido=c.get("partido"),
                candidatura=c.get("candidatura"),
            )
            for c in doc.get("cuentas", [])
        ),
    )


def _designacion_a_doc(designacion: Designacion) -> Document:
    return {
        "_id": designacion.id,
        "partido": designacion.partido,
        "nombre": designacion.nombre,
        "apellidos": designacion.apellidos,
        "correo": designacion.correo,
        "telefono": designacion.telefono,
        "oficio": designacion.oficio,
        "fecha_oficio": designacion.fecha_oficio.isoformat(),
        "usuario": designacion.usuario,
        "registrada": _iso(designacion.registrada),
        "registrada_por": designacion.registrada_por,
    }


def _designacion(doc: Document) -> Designacion:
    registrada = _fecha(doc.get("registrada"))
    assert registrada is not None
    return Designacion(
        id=doc["_id"],
        partido=doc["partido"],
        nombre=doc["nombre"],
        apellidos=doc["apellidos"],
        correo=doc["correo"],
        telefono=doc["telefono"],
        oficio=doc["oficio"],
        fecha_oficio=date.fromisoformat(doc["fecha_oficio"]),
        usuario=doc["usuario"],
        registrada=registrada,
        registrada_por=doc["registrada_por"],
    )


def _participante(doc: Document) -> Participante:
    return Participante(clave=doc["_id"], nombre=doc["nombre"], tipo=TipoParticipante(doc["tipo"]))
