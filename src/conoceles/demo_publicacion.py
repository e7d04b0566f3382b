"""`conoceles dev --demo`: part of the demo registry captured, validated and published.

The flow goes through the HTTP APIs exactly as the people would, in process through ASGI: each
party's capture account (`captura.<siglas>`) fills both questionnaires, uploads a photograph and
the pre-filled consent format as the signed document, and sends; the administrator sets the
publication start date in the past (only if nobody set one); the party's supervisor validates,
and an independent candidacy validates itself with its own account (a one-account password
reset, first sign-in with a new password, token). validacion then makes the candidacies
publishable and publicacion publishes them. Re-running skips what is already sent or validated.
"""

import asyncio
import csv
import io
import json
import logging
import random
import re
import secrets
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from fastapi import FastAPI
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from comun.roles import Rol
from conoceles import demo_textos

log = logging.getLogger(__name__)

BASE = "http://conoceles.demo"
SEMILLA = 2024
API_CAPTURA = "/api/captura/v1"
API_VALIDACION = "/api/validacion/v1"
API_IDENTIDAD = "/api/identidad/v1"
EDITABLES = frozenset({"registrada", "en_captura"})
BAJAS = frozenset({"sustituida", "cancelada"})
LISTAS = frozenset({"validada", "publicada"})
# How long to wait for the other services to learn (by events) what captura just did.
ESPERA_EVENTOS_S = 120.0
AVANCE_CADA = 25
# Validating every few candidacies fills the public site while the rest is being captured.
VALIDAR_CADA = 10
# Candidacies captured at once: the work waits mostly on the stores' threads, not the loop.
CONCURRENCIA = 4
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
_FONDOS = (
    (46, 94, 120), (140, 70, 90), (60, 110, 80), (150, 100, 40), (90, 80, 140),
    (40, 120, 130), (130, 60, 50), (70, 90, 110), (110, 120, 60), (120, 80, 120),
)  # fmt: skip


class AjustesDemo(BaseSettings):
    """How many demo candidacies `conoceles dev --demo` publishes (`CONOCELES_DEMO_PUBLICAR`)."""

    model_config = SettingsConfigDict(env_prefix="CONOCELES_", extra="ignore")

    demo_publicar: int = Field(
        default=150,
        ge=0,
        description="Candidacies captured, validated and published at start-up (0: none)",
    )


class ErrorDemo(RuntimeError):
    """A step of the demo flow got an answer it did not expect."""


@dataclass
class Resumen:
    """What one run did."""

    elegidas: int = 0
    capturadas: int = 0
    validadas: int = 0
    ya_validadas: int = 0
    omitidas: int = 0
    segundos: float = 0.0


@dataclass(frozen=True)
class Cuentas:
    """The demo accounts the flow acts as, by role and party."""

    claves: dict[str, str]
    admin: str | None = None
    captura: dict[str, str] = field(default_factory=dict)
    supervision: dict[str, str] = field(default_factory=dict)
    candidatura_demo: str | None = None

    @classmethod
    def de(cls, credenciales: Iterable[Any]) -> "Cuentas":
        """From identidad's demo credentials (usuario, clave, rol, partido)."""
        claves: dict[str, str] = {}
        admin = candidatura = None
        captura: dict[str, str] = {}
        supervision: dict[str, str] = {}
        for c in credenciales:
            claves[c.usuario] = c.clave
            rol = str(c.rol)
            if rol == Rol.ADMINISTRADOR and admin is None:
                admin = c.usuario
            elif rol == Rol.PARTIDO and c.partido:
                captura.setdefault(c.partido, c.usuario)
            elif rol == Rol.SUPERVISOR and c.partido:
                supervision.setdefault(c.partido, c.usuario)
            elif rol == Rol.CANDIDATURA:
                candidatura = c.usuario
        return cls(claves, admin, captura, supervision, candidatura)

    def partidos(self) -> frozenset[str]:
        """Parties with both a capture and a supervisor account."""
        return frozenset(self.captura) & frozenset(self.supervision)


@dataclass(frozen=True)
class Territorio:
    """Names of the election's municipalities and district head towns, for the texts."""

    municipios: dict[str, str] = field(default_factory=dict)
    cabeceras: dict[int, str] = field(default_factory=dict)

    @classmethod
    def leer(cls, directorio: Path) -> "Territorio":
        """From the catalog's municipios.csv and distritos.csv (empty when missing)."""
        municipios = {f["clave_inegi"]: f["nombre"] for f in _filas(directorio / "municipios.csv")}
        cabeceras = {int(f["numero"]): f["cabecera"] for f in _filas(directorio / "distritos.csv")}
        return cls(municipios, cabeceras)


def _filas(ruta: Path) -> list[dict[str, str]]:
    if not ruta.is_file():
        return []
    with ruta.open(encoding="utf-8-sig", newline="") as archivo:
        return list(csv.DictReader(archivo))


def credenciales_de(app: FastAPI) -> list[Any]:
    """The demo credentials identidad seeded in this process (none without demo mode)."""
    modulos = getattr(app.state, "modulos", [])
    return [c for m in modulos for c in m.extras.get("credenciales_demo", [])]


def elegir(
    candidaturas: Sequence[Mapping[str, Any]],
    *,
    cantidad: int,
    partidos: Iterable[str],
    semilla: int = SEMILLA,
    excluir: Iterable[str] = (),
) -> list[Mapping[str, Any]]:
    """`cantidad` candidacies, taking turns among parties, independents first in each turn.

    Only candidacies in force of parties with demo accounts, or independents, are eligible.
    Within a party the order is a fixed shuffle, so a larger number keeps the smaller choice.
    """
    con_cuentas, fuera = frozenset(partidos), frozenset(excluir)
    grupos: dict[str, list[Mapping[str, Any]]] = {}
    for c in candidaturas:
        partido = c.get("partido")
        independiente = not partido and bool(c.get("clave_postulante"))
        if (
            c["estado"] in BAJAS
            or c["id"] in fuera
            or not (independiente or partido in con_cuentas)
        ):
            continue
        grupos.setdefault("" if independiente else str(partido), []).append(c)
    for clave, lista in grupos.items():
        lista.sort(key=lambda c: c["id"])
        random.Random(f"{semilla}:{clave}").shuffle(lista)
    elegidas: list[Mapping[str, Any]] = []
    turno = 0
    while len(elegidas) < cantidad and any(turno < len(lista) for lista in grupos.values()):
        for clave in sorted(grupos):
            if turno < len(grupos[clave]) and len(elegidas) < cantidad:
                elegidas.append(grupos[clave][turno])
        turno += 1
    return elegidas


def persona_de(c: Mapping[str, Any], territorio: Territorio) -> demo_textos.Persona:
    """What the text generator needs of a candidacy from captura's API."""
    distrito = c.get("distrito")
    municipio = c.get("municipio")
    return demo_textos.Persona(
        candidatura_id=str(c["id"]),
        nombre=str(c["nombre"]),
        sexo=str(c["sexo"]),
        cargo=str(c["cargo"]),
        principio=str(c.get("principio") or "MR"),
        distrito=distrito,
        municipio=territorio.municipios.get(str(municipio)) if municipio else None,
        cabecera=territorio.cabeceras.get(distrito) if distrito else None,
        accion_afirmativa=c.get("accion_afirmativa"),
    )


def retrato(nombre: str, *, clave: str, ancho: int = 600, alto: int = 800) -> bytes:
    """A portrait placeholder: the initials over a silhouette on a colour of its own (JPEG)."""
    from PIL import Image, ImageDraw, ImageFont

    fondo = random.Random(clave).choice(_FONDOS)
    claro = tuple(min(255, c + 60) for c in fondo)
    imagen = Image.new("RGB", (ancho, alto), fondo)
    dibujo = ImageDraw.Draw(imagen)
    dibujo.ellipse((ancho * 0.3, alto * 0.16, ancho * 0.7, alto * 0.46), fill=claro)
    dibujo.ellipse((ancho * 0.1, alto * 0.5, ancho * 0.9, alto * 1.2), fill=claro)
    nombre_pila, apellido = demo_textos.partes_del_nombre(nombre)
    iniciales = (nombre_pila[:1] + apellido[:1]).upper() or "?"
    letra = ImageFont.load_default(size=int(alto * 0.16))
    dibujo.text((ancho / 2, alto * 0.76), iniciales, fill=fondo, font=letra, anchor="mm")
    salida = io.BytesIO()
    imagen.save(salida, format="JPEG", quality=88)
    return salida.getvalue()


async def publicar_demo(
    app: FastAPI,
    *,
    cantidad: int,
    semilla: int = SEMILLA,
    espera_eventos: float = ESPERA_EVENTOS_S,
) -> Resumen:
    """Capture, send, validate and publish `cantidad` demo candidacies; skip what is done."""
    cuentas = Cuentas.de(credenciales_de(app))
    if cuentas.admin is None or cantidad <= 0:
        if cantidad > 0:
            log.warning("publicación de demostración omitida: no hay cuentas de demostración")
        return Resumen()
    from captura.config import Settings as AjustesCaptura

    directorio = AjustesCaptura().catalogo
    limites = demo_textos.Limites.de_eleccion(_cuestionario(directorio))
    transporte = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transporte, base_url=BASE, timeout=120) as http:
        flujo = _Flujo(
            _Api(http, transporte, cuentas.claves),
            cuentas,
            territorio=Territorio.leer(directorio),
            limites=limites,
            semilla=semilla,
        )
        resumen = await flujo.correr(cantidad, espera_eventos=espera_eventos)
    log.info(
        "publicación de demostración terminada: %d candidaturas validadas en %.1f s",
        resumen.validadas + resumen.ya_validadas,
        resumen.segundos,
        extra={"demo": vars(resumen)},
    )
    return resumen


async def publicar_en_segundo_plano(app: FastAPI, *, cantidad: int) -> None:
    """The start-up task of `conoceles dev --demo`: never raises, only logs."""
    try:
        await publicar_demo(app, cantidad=cantidad)
    except asyncio.CancelledError:
        log.info("publicación de demostración interrumpida; se retoma al reiniciar")
        raise
    except ErrorDemo as exc:
        log.warning("la publicación de demostración se detuvo: %s", exc)
    except Exception:
        log.exception("la publicación de demostración falló; el servidor sigue funcionando")


def _cuestionario(directorio: Path) -> Mapping[str, Any] | None:
    """The election's `cuestionario_curricular` settings (None: the defaults)."""
    ruta = directorio / "eleccion.json"
    if not ruta.is_file():
        return None
    configuracion: Mapping[str, Any] | None = json.loads(ruta.read_text(encoding="utf-8")).get(
        "cuestionario_curricular"
    )
    return configuracion


class _Api:
    """Bearer-token calls as one account or another; a token that expired is renewed once."""

    def __init__(
        self, http: httpx.AsyncClient, transporte: httpx.ASGITransport, claves: dict[str, str]
    ) -> None:
        self.http = http
        self.transporte = transporte
        self.claves = claves
        self._tokens: dict[str, str] = {}
        self._candado = asyncio.Lock()

    async def _token(self, usuario: str) -> str:
        async with self._candado:
            if usuario in self._tokens:
                return self._tokens[usuario]
            respuesta = await self.http.post(
                f"{API_IDENTIDAD}/token",
                data={"username": usuario, "password": self.claves[usuario]},
            )
            _exigir(respuesta, (200,), f"token de {usuario}")
            self._tokens[usuario] = str(respuesta.json()["access_token"])
            return self._tokens[usuario]

    async def pedir(
        self, usuario: str, metodo: str, ruta: str, *, esperado: Sequence[int] = (200,), **kw: Any
    ) -> httpx.Response:
        """One call as `usuario`; ErrorDemo on an unexpected status."""
        for intento in (1, 2):
            cabecera = {"Authorization": f"Bearer {await self._token(usuario)}"}
            respuesta = await self.http.request(metodo, ruta, headers=cabecera, **kw)
            if respuesta.status_code != 401 or intento == 2:
                break
            self._tokens.pop(usuario, None)
        _exigir(respuesta, esperado, f"{metodo} {ruta} como {usuario}")
        return respuesta


def _exigir(respuesta: httpx.Response, esperado: Sequence[int], que: str) -> None:
    """ErrorDemo with the problem's detail when the status is not one expected."""
    if respuesta.status_code in esperado:
        return
    try:
        detalle = respuesta.json().get("detail", respuesta.text)
    except ValueError:
        detalle = respuesta.text
    raise ErrorDemo(f"{que}: {respuesta.status_code} {str(detalle)[:300]}")


class _Flujo:
    """One run of the demo flow."""

    def __init__(
        self,
        api: _Api,
        cuentas: Cuentas,
        *,
        territorio: Territorio,
        limites: demo_textos.Limites,
        semilla: int,
    ) -> None:
        self.api = api
        self.cuentas = cuentas
        self.admin = cuentas.admin or ""
        self.territorio = territorio
        self.limites = limites
        self.semilla = semilla
        self.material = demo_textos.leer_material()
        self.resumen = Resumen()
        self.inicio = time.monotonic()
        # Candidacy → the account that validates it, once sent.
        self.pendientes: dict[str, str] = {}
        self._validando = asyncio.Lock()
        self._propias: dict[str, str] = {}

    async def correr(self, cantidad: int, *, espera_eventos: float) -> Resumen:
        """Choose, capture and send, then validate as each candidacy reaches validacion."""
        await self._fijar_inicio()
        elegidas = elegir(
            await self._candidaturas(),
            cantidad=cantidad,
            partidos=self.cuentas.partidos(),
            semilla=self.semilla,
            excluir=[c for c in [await self._candidatura_de_demo()] if c],
        )
        self.resumen.elegidas = len(elegidas)
        log.info("publicación de demostración: %d candidaturas elegidas", len(elegidas))
        turno = asyncio.Semaphore(CONCURRENCIA)
        hechas = 0

        async def una(candidatura: Mapping[str, Any]) -> None:
            nonlocal hechas
            async with turno:
                try:
                    await self._preparar(candidatura, espera_eventos=espera_eventos)
                except ErrorDemo as exc:
                    self.resumen.omitidas += 1
                    log.warning(
                        "candidatura de demostración %s omitida: %s", candidatura["id"], exc
                    )
            hechas += 1
            numero = hechas
            if numero % AVANCE_CADA == 0:
                self.resumen.segundos = round(time.monotonic() - self.inicio, 1)
                log.info(
                    "publicación de demostración: %d de %d candidaturas revisadas",
                    numero,
                    len(elegidas),
                    extra={"demo": vars(self.resumen)},
                )
            if numero % VALIDAR_CADA == 0:
                await self._validar_listas()

        await asyncio.gather(*(una(c) for c in elegidas))
        await self._esperar_y_validar(espera_eventos)
        self.resumen.segundos = round(time.monotonic() - self.inicio, 1)
        return self.resumen

    async def _fijar_inicio(self) -> None:
        """The publication start date a day ago, unless the administrator already set one."""
        ruta = f"{API_VALIDACION}/publicacion/inicio"
        actual = (await self.api.pedir(self.admin, "GET", ruta)).json().get("fecha")
        if actual is not None:
            if datetime.fromisoformat(actual) > datetime.now(UTC):
                log.warning(
                    "la fecha de inicio de publicación (%s) es futura: los perfiles validados "
                    "se publicarán hasta entonces",
                    actual,
                )
            return
        fecha = (datetime.now(UTC) - timedelta(days=1)).isoformat()
        await self.api.pedir(self.admin, "PUT", ruta, json={"fecha": fecha})

    async def _candidaturas(self) -> list[dict[str, Any]]:
        """Every candidacy of the registry, as the administrator lists them."""
        todas: list[dict[str, Any]] = []
        pagina = 1
        while True:
            respuesta = await self.api.pedir(
                self.admin,
                "GET",
                f"{API_CAPTURA}/candidaturas",
                params={"pagina": pagina, "por_pagina": 500},
            )
            datos = respuesta.json()
            todas += datos["resultados"]
            if not datos["resultados"] or len(todas) >= datos["total"]:
                return todas
            pagina += 1

    async def _candidatura_de_demo(self) -> str | None:
        """The candidacy of the `candidatura.demo` account: left for the newcomer to capture."""
        if self.cuentas.candidatura_demo is None:
            return None
        ruta = f"{API_IDENTIDAD}/cuentas/{self.cuentas.candidatura_demo}"
        respuesta = await self.api.pedir(self.admin, "GET", ruta, esperado=(200, 404))
        return respuesta.json().get("candidatura") if respuesta.status_code == 200 else None

    async def _preparar(self, c: Mapping[str, Any], *, espera_eventos: float) -> None:
        """Capture and send a candidacy still open; note who validates the sent ones."""
        cid = str(c["id"])
        ruta = f"{API_CAPTURA}/candidaturas/{cid}/captura"
        estado = (await self.api.pedir(self.admin, "GET", ruta)).json()
        if estado["estado"] in LISTAS or (
            estado["estado"] == "enviada" and await self._revision(cid) == "validada"
        ):
            self.resumen.ya_validadas += 1
            return
        if estado["estado"] not in EDITABLES and estado["estado"] != "enviada":
            raise ErrorDemo(f"está {estado['estado']}")
        if c.get("partido"):
            captura = self.cuentas.captura[str(c["partido"])]
            validadora = self.cuentas.supervision[str(c["partido"])]
        else:
            captura = validadora = await self._cuenta_propia(c, espera=espera_eventos)
        if estado["estado"] in EDITABLES:
            await self._capturar(c, captura, estado)
            self.resumen.capturadas += 1
        self.pendientes[cid] = validadora

    async def _capturar(self, c: Mapping[str, Any], cuenta: str, estado: Mapping[str, Any]) -> None:
        """Both questionnaires, photograph, signed consent and sending, as the capture team."""
        respuestas = demo_textos.generar(
            persona_de(c, self.territorio),
            material=self.material,
            limites=self.limites,
            semilla=self.semilla,
        )
        base = f"{API_CAPTURA}/candidaturas/{c['id']}"
        curricular = await self.api.pedir(
            cuenta, "PUT", f"{base}/cuestionarios/curricular",
            json={"revision": estado["revision_curricular"], "respuestas": respuestas.curricular},
        )  # fmt: skip
        identidad = await self.api.pedir(
            cuenta, "PUT", f"{base}/cuestionarios/identidad",
            json={"revision": estado["revision_identidad"], "respuestas": respuestas.identidad},
        )  # fmt: skip
        foto = await asyncio.to_thread(retrato, str(c["nombre"]), clave=f"{self.semilla}:{c['id']}")
        await self.api.pedir(
            cuenta, "PUT", f"{base}/fotografia",
            files={"archivo": ("retrato.jpg", foto, "image/jpeg")},
        )  # fmt: skip
        formato = await self.api.pedir(cuenta, "GET", f"{base}/consentimiento/formato.pdf")
        autorizaciones = {
            "tratamiento": "true",
            "publicacion": "true" if respuestas.publicar_identidad else "false",
            "uso_estadistico": "true",
            "revision": str(estado["revision_consentimiento"]),
        }
        await self.api.pedir(
            cuenta, "PUT", f"{base}/consentimiento", data=autorizaciones,
            files={"documento": ("consentimiento.pdf", formato.content, "application/pdf")},
        )  # fmt: skip
        await self.api.pedir(
            cuenta, "POST", f"{base}/envio",
            json={
                "revision_curricular": curricular.json()["revision"],
                "revision_identidad": identidad.json()["revision"],
            },
        )  # fmt: skip

    async def _revision(self, cid: str) -> str | None:
        """The candidacy's state in validacion (None while validacion does not know it yet)."""
        ruta = f"{API_VALIDACION}/candidaturas/{cid}"
        respuesta = await self.api.pedir(self.admin, "GET", ruta, esperado=(200, 404))
        return str(respuesta.json()["estado"]) if respuesta.status_code == 200 else None

    async def _validar_listas(self) -> None:
        """Validate every pending candidacy that validacion already has «por validar»."""
        async with self._validando:
            for cid, cuenta in list(self.pendientes.items()):
                estado = await self._revision(cid)
                if estado == "validada":
                    self.pendientes.pop(cid)
                    self.resumen.ya_validadas += 1
                elif estado == "por_validar":
                    self.pendientes.pop(cid)
                    await self._validar(cid, cuenta)

    async def _validar(self, cid: str, cuenta: str) -> None:
        """Validate one candidacy as its supervisor (or itself, if independent)."""
        ruta = f"{API_VALIDACION}/candidaturas/{cid}/validacion"
        try:
            await self.api.pedir(cuenta, "POST", ruta)
        except ErrorDemo as exc:
            self.resumen.omitidas += 1
            log.warning("candidatura de demostración %s sin validar: %s", cid, exc)
        else:
            self.resumen.validadas += 1

    async def _esperar_y_validar(self, espera: float) -> None:
        """Keep validating until every sent candidacy is validated or the wait runs out."""
        limite = time.monotonic() + espera
        await self._validar_listas()
        while self.pendientes and time.monotonic() < limite:
            await asyncio.sleep(0.2)
            await self._validar_listas()
        if self.pendientes:
            self.resumen.omitidas += len(self.pendientes)
            log.warning(
                "validacion no recibió a tiempo %d candidaturas enviadas de la demostración: %s",
                len(self.pendientes),
                ", ".join(sorted(self.pendientes)),
            )

    async def _cuenta_propia(self, c: Mapping[str, Any], *, espera: float) -> str:
        """The independent candidacy's own account, signed in once with a new password."""
        cid = str(c["id"])
        if cid in self._propias:
            return self._propias[cid]
        usuario = await self._buscar_cuenta(c, espera=espera)
        ruta = f"{API_IDENTIDAD}/cuentas/{usuario}/restablecer"
        paquete = (await self.api.pedir(self.admin, "POST", ruta, esperado=(201,))).json()
        temporal = next(x["clave"] for x in paquete["cuentas"] if x["usuario"] == usuario)
        nueva = secrets.token_urlsafe(24)
        async with httpx.AsyncClient(transport=self.api.transporte, base_url=BASE) as navegador:
            formulario = await navegador.get("/identidad/login")
            entrada = await navegador.post(
                "/identidad/login",
                data={"usuario": usuario, "clave": temporal, "csrf_token": _csrf(formulario)},
            )
            _exigir(entrada, (303,), f"primer inicio de sesión de {usuario}")
            pagina = await navegador.get("/identidad/cuenta/clave")
            cambio = await navegador.post(
                "/identidad/cuenta/clave",
                data={"actual": temporal, "nueva": nueva, "confirmacion": nueva,
                      "csrf_token": _csrf(pagina)},
            )  # fmt: skip
            _exigir(cambio, (303,), f"contraseña nueva de {usuario}")
        self.api.claves[usuario] = nueva
        self._propias[cid] = usuario
        return usuario

    async def _buscar_cuenta(self, c: Mapping[str, Any], *, espera: float) -> str:
        """The username identidad gave the candidacy (it creates it on captura's event)."""
        limite = time.monotonic() + espera
        parametros = {"rol": Rol.CANDIDATURA.value, "partido": c.get("clave_postulante") or ""}
        while True:
            respuesta = await self.api.pedir(
                self.admin, "GET", f"{API_IDENTIDAD}/cuentas",
                params={**parametros, "por_pagina": 500},
            )  # fmt: skip
            for cuenta in respuesta.json()["cuentas"]:
                if cuenta.get("candidatura") == c["id"] and cuenta.get("habilitada"):
                    return str(cuenta["usuario"])
            if time.monotonic() > limite:
                raise ErrorDemo("identidad todavía no creó la cuenta de la candidatura")
            await asyncio.sleep(0.2)


def _csrf(respuesta: httpx.Response) -> str:
    """The form's anti-forgery code."""
    encontrado = _CSRF.search(respuesta.text)
    if encontrado is None:
        raise ErrorDemo(f"la página {respuesta.url.path} no trae código de seguridad")
    return encontrado.group(1)
