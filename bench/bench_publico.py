"""Public-site throughput: one uvicorn worker against nginx serving the same bytes (issue 8).

Run: `uv run python bench/bench_publico.py [--candidaturas 30000] [--duracion 20]`.
Not timed: 30,000 published profiles written into publicacion's embedded SQLite store through
publicacion's own handlers (captura's generator over the Estado de México 2024 catalog,
repeated past its 12,106 places; registry event, then validated content with answers mixed
from the clauses of the 479 INE 2022 texts and sealed identity answers), the outbox drained
as the relay would. Then, side by side on this machine: `conoceles serve publicacion` (one
uvicorn worker), a minimal nginx serving the bytes that process returned as static files, and
the project's gateway (its real template, cache included) in front of that worker. Each of two
URLs (a profile page, a filtered list of the public API) is loaded by wrk (64 connections,
2 threads, 3 s warm-up, 20 s measured) on each of the three. Both nginx run one worker process,
like the one uvicorn worker; the gateway's per-address limit on the public API is lifted (one
load tool is one address). Every run starts with the origin idle: its start-up work and the
requests a finished run left queued are waited out. Targets: origin ≥ 0.2× nginx static with
p99 < 50 ms; through the gateway cache ≥ 0.7× nginx static.
"""

import argparse
import asyncio
import contextlib
import json
import os
import platform
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import Any

from bench_revisiones import oraciones_ine

from captura.adapters import leer_directorio_eleccion
from captura.domain import Candidatura, armar_eleccion
from captura.domain.formato_registro import FilaRegistro, leer_fila
from captura.domain.identidad import validar_identidad
from captura.generador import capacidad, generar
from captura.handlers.eventos import eventos_de
from comun.bus.memoria import InMemoryBus
from comun.bus.relay import OutboxRelay
from comun.cifrado import Cifrador
from comun.cuestionario_identidad import PREGUNTAS
from comun.eventos import SISTEMA, CandidaturaRegistrada, nuevo_evento
from comun.eventos.validacion import CandidaturaPublicable
from comun.eventos.vocabulario import EstatusEstudios, GradoEstudios
from comun.pruebas import puerto_libre
from comun.servicios import Servicio
from comun.settings import archivo_de_datos
from comun.store.sqlite import open_sqlite
from conoceles import pasarela
from publicacion import handlers
from publicacion.adapters import COLECCION, PerfilRepository

CONEXIONES = 64
HILOS = 2
CALENTAMIENTO_S = 3
OBJETIVO_ORIGEN = 0.2
OBJETIVO_P99_MS = 50.0
OBJETIVO_PASARELA = 0.7
MUNICIPIO = "15106"  # Toluca
LISTA = f"/api/publicacion/v1/candidaturas?cargo=regiduria&municipio={MUNICIPIO}&por_pagina=20"
SECRETO = "clave-de-identidad-del-banco-de-pruebas-publico"
WRK = "wrk"
LARGOS = {
    "historia_profesional": (1000, 3000),
    "trayectoria_politica": (1000, 3000),
    "motivo_cargo_publico": (300, 1200),
    "propuesta_1": (500, 1600),
    "propuesta_2": (500, 1600),
    "propuesta_genero": (500, 1600),
}
GRADOS = [g.value for g in GradoEstudios if g is not GradoEstudios.SIN_ESTUDIOS]
# wrk's own percentiles (microseconds) as one JSON line; more precise than its text output.
LUA = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'RESULTADO {"requests":%d,"duration_us":%d,"bytes":%d,"connect":%d,"read":%d,' ..
    '"write":%d,"status":%d,"timeout":%d,"p50":%d,"p90":%d,"p99":%d,"max":%d}\\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status,
    e.timeout, latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency.max))
end
"""
NGINX_ESTATICO = """worker_processes 1;
pid {raiz}/nginx.pid;
error_log {raiz}/error.log warn;
daemon off;
events {{ worker_connections 4096; }}
http {{
    sendfile on;
    tcp_nopush on;
    keepalive_timeout 65;
    access_log {raiz}/access.log combined buffer=64k flush=1s;
    client_body_temp_path {raiz}/tmp/body;
    proxy_temp_path {raiz}/tmp/proxy;
    fastcgi_temp_path {raiz}/tmp/fastcgi;
    uwsgi_temp_path {raiz}/tmp/uwsgi;
    scgi_temp_path {raiz}/tmp/scgi;
    server {{
        listen 127.0.0.1:{puerto};
        root {raiz}/www;
        types {{ }}
        location = /perfil {{ default_type "text/html; charset=utf-8"; }}
        location = /lista {{ default_type "application/json"; }}
    }}
}}
"""


class Interrumpido(Exception):
    """SIGTERM arrived: stop measuring and clean up."""


@dataclass(frozen=True)
class Poblado:
    """What the populated read model offers to measure."""

    perfiles: int
    perfil_id: str
    segundos: float


@dataclass(frozen=True)
class Medida:
    """One wrk run."""

    por_segundo: float
    p50_ms: float
    p90_ms: float
    p99_ms: float
    max_ms: float
    bytes_por_respuesta: float
    errores: int


# --- Populating the read model -------------------------------------------------------------------


def respuestas(rng: random.Random, oraciones: dict[str, list[str]]) -> dict[str, Any]:
    """A whole public curricular questionnaire with realistic lengths (INE clauses)."""
    textos = {}
    for campo, (minimo, maximo) in LARGOS.items():
        objetivo, partes, largo = rng.randint(minimo, maximo), [], 0
        while largo < objetivo:
            partes.append(rng.choice(oraciones[campo]))
            largo += len(partes[-1]) + 1
        textos[campo] = " ".join(partes)[:maximo]
    usuario = f"candidatura{rng.randrange(10**6):06d}"
    return {
        **textos,
        "fotografia": f"/api/captura/v1/fotografias/{rng.randbytes(32).hex()}.jpg",
        "telefono_publico": f"722{rng.randrange(10**7):07d}",
        "correo_publico": f"{usuario}@ejemplo.mx",
        "pagina_web": f"https://{usuario}.mx" if rng.random() < 0.5 else None,
        "redes_sociales": {
            "facebook": f"https://www.facebook.com/{usuario}",
            "x": f"https://x.com/{usuario}" if rng.random() < 0.6 else None,
            "instagram": f"https://www.instagram.com/{usuario}" if rng.random() < 0.4 else None,
        },
        "domicilio_casa_campana": "Av. Miguel Hidalgo Pte. 412, Col. Centro, Toluca de Lerdo, "
        "Méx., C.P. 50000",
        "grado_maximo_estudios": rng.choice(GRADOS),
        "estatus_estudios": rng.choice(list(EstatusEstudios)).value,
        "cursos": [s[:150] for s in rng.sample(oraciones["cursos"], rng.randint(1, 4))],
    }


def identidad(rng: random.Random) -> dict[str, Any]:
    """Clean identity answers: one option per question, as captura stores them."""
    crudas = {
        p.clave: rng.choice([o for o in p.opciones if o not in ("Otro", "Otra")] or p.opciones)
        for p in PREGUNTAS
        if p.opciones and not p.texto_libre
    }
    limpias, errores = validar_identidad(crudas)
    return {k: v for k, v in limpias.items() if k not in errores}


async def poblar(datos: Path, cuantas: int, semilla: int) -> Poblado:
    """Write `cuantas` published profiles through publicacion's handlers; drain the outbox."""
    inicio = time.perf_counter()
    rng = random.Random(semilla)
    eleccion = armar_eleccion(leer_directorio_eleccion(archivo_de_datos("elecciones/edomex-2024")))
    filas = generar(eleccion, candidaturas=capacidad(eleccion), semilla=semilla)
    oraciones, _ = oraciones_ine()
    cifrador = Cifrador(SECRETO)
    store = await open_sqlite(datos / "publicacion.db")
    repo = PerfilRepository(store)
    await repo.preparar()
    cupo = asyncio.Semaphore(64)

    async def una(i: int) -> None:
        fila = filas[i % len(filas)]
        leida = leer_fila(i + 2, fila, eleccion)
        assert isinstance(leida, FilaRegistro), leida
        copia = i // len(filas)
        candidatura = Candidatura.registrar(
            id=leida.folio if copia == 0 else f"{leida.folio}-{copia}", registro=leida.registro
        )
        (registrada,) = eventos_de(candidatura, eleccion, SISTEMA)
        publica = leida.registro.accion_afirmativa is not None or rng.random() < 0.35
        sobre = cifrador.sellar(json.dumps(identidad(rng)).encode(), contexto=candidatura.id)
        publicable = CandidaturaPublicable.model_validate(
            {
                "candidatura_id": candidatura.id,
                "version": 3,
                "curricular": respuestas(rng, oraciones),
                "identidad_cifrada": sobre,
                "identidad_publica": publica,
            }
        )
        evento = nuevo_evento(
            publicable, subject=candidatura.id, actor=SISTEMA, accion="hacer_publicable"
        )
        async with cupo:
            datos_registro = CandidaturaRegistrada.model_validate(registrada.data)
            await handlers.conocer_registro(repo=repo, datos=datos_registro)
            await handlers.hacer_publicable(
                repo=repo, evento=evento, datos=publicable, cifrador=cifrador
            )

    try:
        lote = 2000
        for desde in range(0, cuantas, lote):
            await asyncio.gather(*(una(i) for i in range(desde, min(cuantas, desde + lote))))
            print(f"  {min(cuantas, desde + lote):,}/{cuantas:,}", end="\r", flush=True)
        print()
        # The relay would publish each perfil_publicado and empty the outboxes; do it here, so
        # the measured process does not spend its first minute relaying 30,000 events.
        bus = InMemoryBus()
        await bus.start()
        await OutboxRelay(store, bus, [COLECCION]).drain()
        await bus.stop()
        publicados = await repo.contar({"estado": "publicado"})
        # The profile to load: a mayoral candidacy with public identity answers (the page's
        # every section filled), the first of Toluca if there is one.
        elegidos = [
            doc
            for municipio in (MUNICIPIO, {"$exists": True})
            for doc in await store.collection(COLECCION).find(
                {
                    "municipio": municipio,
                    "cargo": "presidencia_municipal",
                    "identidad": {"$ne": None},
                },
                sort=[("_id", 1)],
                limit=1,
            )
        ]
    finally:
        await store.close()
    if not elegidos:
        raise SystemExit("No se publicó ninguna presidencia municipal con identidad pública.")
    return Poblado(publicados, str(elegidos[0]["_id"]), time.perf_counter() - inicio)


# --- Processes -----------------------------------------------------------------------------------


def obtener(url: str) -> tuple[int, dict[str, str], bytes]:
    """GET a URL without raising on HTTP errors: status, headers (lower-case), body."""
    try:
        with urllib.request.urlopen(url, timeout=120) as r:
            return r.status, {k.lower(): v for k, v in r.headers.items()}, r.read()
    except urllib.error.HTTPError as exc:
        return exc.code, {k.lower(): v for k, v in exc.headers.items()}, exc.read()


def esperar(url: str, proceso: subprocess.Popen[bytes], nombre: str, limite: float = 60) -> None:
    """Poll `url` until it answers 200; stop if the process dies or time runs out."""
    inicio = time.perf_counter()
    while True:
        with contextlib.suppress(OSError):
            if obtener(url)[0] == 200:
                return
        if proceso.poll() is not None or time.perf_counter() - inicio > limite:
            raise SystemExit(f"{nombre} no arrancó (código {proceso.poll()}); vea su registro.")
        time.sleep(0.05)


class Procesos:
    """The processes this script started; all of them stop on exit, Ctrl-C included."""

    def __init__(self) -> None:
        self._procesos: list[tuple[subprocess.Popen[bytes], int]] = []

    def iniciar(
        self,
        orden: list[str],
        registro: Path,
        *,
        parar: int = signal.SIGTERM,
        env: dict[str, str] | None = None,
    ) -> subprocess.Popen[bytes]:
        """Start a process with its output in `registro`; `parar` is the signal that stops it."""
        with registro.open("wb") as salida:
            proceso = subprocess.Popen(orden, stdout=salida, stderr=subprocess.STDOUT, env=env)
        self._procesos.append((proceso, parar))
        return proceso

    def parar_todos(self) -> None:
        """Stop every process started here, newest first; kill what does not stop in 15 s."""
        for proceso, senal in reversed(self._procesos):
            if proceso.poll() is None:
                proceso.send_signal(senal)
        for proceso, _ in reversed(self._procesos):
            try:
                proceso.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proceso.kill()
                proceso.wait()
        self._procesos.clear()


def asegurar_wrk() -> str:
    """Path of wrk, installing Debian's package (like `conoceles infra up` does Chromium)."""
    ruta = shutil.which(WRK)
    if ruta is not None:
        return ruta
    apt_get = shutil.which("apt-get")
    hacer = (
        "Ejecute este banco de pruebas como administrador (root) en una máquina Debian con "
        "acceso al repositorio de paquetes, o instale wrk a mano («apt-get install wrk»)."
    )
    if apt_get is None:
        raise SystemExit(f"Falta wrk y no hay `apt-get` para instalarlo. {hacer}")
    entorno = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    ordenes = (
        ("actualizando la lista de paquetes (apt-get update)…", [apt_get, "update", "-q"]),
        (
            f"instalando el paquete «{WRK}» de Debian (apt-get install)…",
            [apt_get, "install", "-y", "-q", WRK],
        ),
    )
    for paso, orden in ordenes:
        print(paso, flush=True)
        resultado = subprocess.run(orden, capture_output=True, text=True, env=entorno, check=False)
        if resultado.returncode != 0:
            raise SystemExit(
                f"No se pudo instalar el paquete «{WRK}» con apt-get (`{' '.join(orden[1:])}` "
                f"terminó con código {resultado.returncode}: "
                f"{resultado.stderr.strip()[-300:]}). {hacer}"
            )
    ruta = shutil.which(WRK)
    if ruta is None:
        raise SystemExit(f"apt-get instaló «{WRK}» pero no está en el PATH. {hacer}")
    return ruta


def arrancar_publicacion(procesos: Procesos, carpeta: Path, puerto: int) -> subprocess.Popen[bytes]:
    """`conoceles serve publicacion` (one uvicorn worker) on the populated data folder."""
    entorno = {**os.environ, "CONOCELES_CLAVE_IDENTIDAD": SECRETO}
    orden = [sys.executable, "-m", "conoceles", "serve", "publicacion", "--port", str(puerto)]
    orden += ["--datos", str(carpeta / "datos")]
    proceso = procesos.iniciar(orden, carpeta / "publicacion.log", parar=signal.SIGINT, env=entorno)
    esperar(f"http://127.0.0.1:{puerto}/api/publicacion/health/ready", proceso, "publicacion")
    return proceso


def arrancar_estatico(
    procesos: Procesos, raiz: Path, puerto: int, perfil: bytes, lista: bytes
) -> None:
    """Debian's nginx, one worker, serving the two bodies as files with the same types."""
    (raiz / "www").mkdir(parents=True)
    for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (raiz / "tmp" / sub).mkdir(parents=True)
    (raiz / "www" / "perfil").write_bytes(perfil)
    (raiz / "www" / "lista").write_bytes(lista)
    conf = raiz / "nginx.conf"
    conf.write_text(NGINX_ESTATICO.format(raiz=raiz, puerto=puerto), encoding="utf-8")
    orden = [pasarela.nginx(), "-e", str(raiz / "error.log"), "-p", str(raiz), "-c", str(conf)]
    proceso = procesos.iniciar(orden, raiz / "salida.log", parar=signal.SIGQUIT)
    esperar(f"http://127.0.0.1:{puerto}/perfil", proceso, "nginx (estático)")


def arrancar_pasarela(procesos: Procesos, prefijo: Path, puerto: int, publicacion: int) -> None:
    """The project's gateway configuration, its publicacion upstream on the measured worker."""
    sin_usar = puerto_libre()
    config = pasarela.ConfigPasarela(
        prefijo=prefijo,
        registros=prefijo / "registros",
        upstreams={
            s.value: publicacion if s is Servicio.PUBLICACION else sin_usar for s in Servicio
        },
        puerto=puerto,
        procesos=1,
        # The per-address limit of the public API (50 r/s) would answer 429 to one load tool;
        # real visitors come from many addresses. The burst too: nginx counts per millisecond,
        # and 64 connections put more than 100 requests in one.
        limite_api_publica="1000000r/s",
        rafaga_api_publica=1_000_000,
    )
    conf = pasarela.renderizar(config)
    pasarela.comprobar(conf)
    orden = pasarela.orden_arranque(conf)
    proceso = procesos.iniciar(orden, prefijo / "salida.log", parar=signal.SIGQUIT)
    esperar(f"http://127.0.0.1:{puerto}/api/publicacion/health/live", proceso, "la pasarela")


def pico_rss_mib(pid: int) -> float:
    """Peak resident set (VmHWM) of a live process, in MiB."""
    for linea in Path(f"/proc/{pid}/status").read_text().splitlines():
        if linea.startswith("VmHWM:"):
            return int(linea.split()[1]) / 1024
    return float("nan")


# --- Measuring -----------------------------------------------------------------------------------


def wrk(ejecutable: str, url: str, segundos: int, script: Path) -> Medida:
    """One wrk run: 64 connections, 2 threads, `segundos` long."""
    orden = [ejecutable, f"-t{HILOS}", f"-c{CONEXIONES}", f"-d{segundos}s", "--timeout", "60s"]
    orden += ["--latency", "-s", str(script), url]
    resultado = subprocess.run(orden, capture_output=True, text=True, check=False)
    linea = next((x for x in resultado.stdout.splitlines() if x.startswith("RESULTADO ")), None)
    if resultado.returncode != 0 or linea is None:
        raise SystemExit(
            f"wrk terminó con código {resultado.returncode}: {resultado.stderr[-300:]}"
        )
    r = json.loads(linea.removeprefix("RESULTADO "))
    errores = sum(r[k] for k in ("connect", "read", "write", "status", "timeout"))
    return Medida(
        por_segundo=r["requests"] / (r["duration_us"] / 1e6),
        p50_ms=r["p50"] / 1000,
        p90_ms=r["p90"] / 1000,
        p99_ms=r["p99"] / 1000,
        max_ms=r["max"] / 1000,
        bytes_por_respuesta=r["bytes"] / max(1, r["requests"]),
        errores=errores,
    )


def segundos_cpu(pid: int) -> float:
    """CPU time (user + system) a process has used so far."""
    campos = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(campos[11]) + int(campos[12])) / os.sysconf("SC_CLK_TCK")


def esperar_reposo(pid: int, *, limite: float = 300) -> None:
    """Wait until the worker stops using CPU: requests queued by a finished run still drain."""
    # wrk closes its connections when time is up, but a slow server keeps working through
    # the requests it already read; that work must not land in the next measurement.
    inicio, antes = time.perf_counter(), segundos_cpu(pid)
    while time.perf_counter() - inicio < limite:
        time.sleep(1.0)
        ahora = segundos_cpu(pid)
        if ahora - antes < 0.05:
            return
        antes = ahora
    print(f"  aviso: el proceso {pid} siguió ocupado {limite:.0f} s", file=sys.stderr)


def medir(ejecutable: str, url: str, segundos: int, script: Path, origen: int) -> Medida:
    """Warm up (discarded), then measure; each run starts with the origin worker idle."""
    esperar_reposo(origen)
    wrk(ejecutable, url, CALENTAMIENTO_S, script)
    esperar_reposo(origen)
    return wrk(ejecutable, url, segundos, script)


def cpu() -> str:
    """The CPU model as /proc/cpuinfo names it."""
    with contextlib.suppress(OSError):
        for linea in Path("/proc/cpuinfo").read_text().splitlines():
            if linea.startswith("model name"):
                return linea.split(":", 1)[1].strip()
    return platform.processor() or platform.machine()


def version_de(orden: list[str]) -> str:
    """First line a tool prints about its version (stdout or stderr)."""
    r = subprocess.run(orden, capture_output=True, text=True, check=False)
    return (r.stdout or r.stderr).strip().splitlines()[0]


@contextlib.contextmanager
def sigterm_interrumpe() -> Iterator[None]:
    """SIGTERM unwinds like Ctrl-C, so the finally blocks stop every process."""

    def manejar(_senal: int, _marco: FrameType | None) -> None:
        raise Interrumpido

    anterior = signal.signal(signal.SIGTERM, manejar)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, anterior)


def main() -> None:
    """Populate, start the three servers, measure both URLs on each, print the table."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--candidaturas", type=int, default=30_000)
    parser.add_argument("--duracion", type=int, default=20, help="segundos medidos por caso")
    parser.add_argument("--semilla", type=int, default=2024)
    parser.add_argument("--conservar", action="store_true", help="no borrar la carpeta temporal")
    args = parser.parse_args()
    ejecutable = asegurar_wrk()
    carpeta = Path(tempfile.mkdtemp(prefix="bench-publico-"))
    # nginx's workers run as nobody when started by root: they must reach files and cache.
    carpeta.chmod(0o755)
    procesos = Procesos()
    try:
        with sigterm_interrumpe():
            ejecutar(args, ejecutable, carpeta, procesos)
    except (KeyboardInterrupt, Interrumpido):
        print("\ninterrumpido; deteniendo los procesos…", file=sys.stderr)
        raise SystemExit(130) from None
    finally:
        # A second Ctrl-C (or `uv run` forwarding the first) must not cut the clean-up short.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        procesos.parar_todos()
        if args.conservar:
            print(f"carpeta: {carpeta}")
        else:
            shutil.rmtree(carpeta, ignore_errors=True)


def ejecutar(args: argparse.Namespace, ejecutable: str, carpeta: Path, procesos: Procesos) -> None:
    """The whole run, with the processes registered in `procesos`."""
    (carpeta / "datos").mkdir()
    carga_inicial = os.getloadavg()[0]
    print(f"populating {args.candidaturas:,} published profiles (embedded SQLite)…", flush=True)
    poblado = asyncio.run(poblar(carpeta / "datos", args.candidaturas, args.semilla))
    print(
        f"{poblado.perfiles:,} profiles in {poblado.segundos:.0f} s; "
        f"database {(carpeta / 'datos' / 'publicacion.db').stat().st_size / 2**20:.0f} MiB"
    )

    p_origen, p_estatico, p_pasarela = puerto_libre(), puerto_libre(), puerto_libre()
    origen = arrancar_publicacion(procesos, carpeta, p_origen)
    rutas = {"profile": f"/candidaturas/{poblado.perfil_id}", "list": LISTA}
    cuerpos: dict[str, bytes] = {}
    for nombre, ruta in rutas.items():
        estado, cabeceras, cuerpo = obtener(f"http://127.0.0.1:{p_origen}{ruta}")
        tipo = cabeceras.get("content-type", "")
        if estado != 200 or len(cuerpo) < 5_000:
            raise SystemExit(f"{ruta}: {estado}, {len(cuerpo)} bytes; se esperaba 200 y contenido")
        print(f"{nombre}: {ruta} → {estado}, {len(cuerpo):,} bytes, {tipo}")
        cuerpos[nombre] = cuerpo
    arrancar_estatico(
        procesos, carpeta / "estatico", p_estatico, cuerpos["profile"], cuerpos["list"]
    )
    arrancar_pasarela(procesos, carpeta / "pasarela", p_pasarela, p_origen)
    for nombre, ruta in rutas.items():
        url = f"http://127.0.0.1:{p_pasarela}{ruta}"
        obtener(url)
        estado, cabeceras, cuerpo = obtener(url)
        if estado != 200 or cabeceras.get("x-cache") != "HIT" or cuerpo != cuerpos[nombre]:
            raise SystemExit(
                f"La pasarela no sirve {ruta} desde su caché: {estado}, "
                f"X-Cache {cabeceras.get('x-cache')}, mismo cuerpo: {cuerpo == cuerpos[nombre]}"
            )
    print("gateway: X-Cache HIT on both URLs, same bodies")

    script = carpeta / "percentiles.lua"
    script.write_text(LUA, encoding="utf-8")
    destinos = {
        "nginx static": (p_estatico, {"profile": "/perfil", "list": "/lista"}),
        "origin (uvicorn)": (p_origen, rutas),
        "gateway (cache)": (p_pasarela, rutas),
    }
    medidas: dict[tuple[str, str], Medida] = {}
    for nombre in rutas:
        for destino, (puerto, caminos) in destinos.items():
            print(f"wrk: {nombre} on {destino}…", flush=True)
            url = f"http://127.0.0.1:{puerto}{caminos[nombre]}"
            medidas[destino, nombre] = medir(ejecutable, url, args.duracion, script, origen.pid)
    rss = pico_rss_mib(origen.pid)
    carga = (carga_inicial, os.getloadavg()[0])
    imprimir(args, poblado, cuerpos, medidas, rss, carga, ejecutable)


def imprimir(
    args: argparse.Namespace,
    poblado: Poblado,
    cuerpos: dict[str, bytes],
    medidas: dict[tuple[str, str], Medida],
    rss: float,
    carga: tuple[float, float],
    ejecutable: str,
) -> None:
    """The machine, the table and the verdict against the targets."""
    print()
    print(
        f"machine: {cpu()}, {os.cpu_count()} CPUs (wrk and the servers share them); "
        f"{platform.system()} {platform.release()}; Python {platform.python_version()}; "
        f"SQLite {sqlite3.sqlite_version}; {version_de([pasarela.nginx(), '-v'])}; "
        f"{version_de([ejecutable, '-v'])}"
    )
    print(
        f"profiles: {poblado.perfiles:,}; profile page {len(cuerpos['profile']):,} B, "
        f"list {len(cuerpos['list']):,} B; wrk -t{HILOS} -c{CONEXIONES} "
        f"-d{args.duracion}s after {CALENTAMIENTO_S} s warm-up; origin: 1 uvicorn worker; "
        f"nginx static and gateway: 1 worker process each"
    )
    # Other jobs on the machine take cores from wrk and the servers: say how busy it was.
    print(f"load average (1 min) before populating: {carga[0]:.1f}; at the end: {carga[1]:.1f}")
    print()
    print(
        "| target | URL | req/s | p50 ms | p90 ms | p99 ms | max ms | B/resp | errors | × static |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for (destino, nombre), m in medidas.items():
        base = medidas["nginx static", nombre].por_segundo
        print(
            f"| {destino} | {nombre} | {m.por_segundo:,.0f} | {m.p50_ms:.2f} | "
            f"{m.p90_ms:.2f} | {m.p99_ms:.2f} | {m.max_ms:.1f} | "
            f"{m.bytes_por_respuesta:,.0f} | {m.errores} | {m.por_segundo / base:.2f} |"
        )
    print()
    print(f"peak RSS of the uvicorn worker (VmHWM): {rss:.0f} MiB")
    for nombre in ("profile", "list"):
        base = medidas["nginx static", nombre].por_segundo
        o, p = medidas["origin (uvicorn)", nombre], medidas["gateway (cache)", nombre]
        origen_ok = o.por_segundo / base >= OBJETIVO_ORIGEN and o.p99_ms < OBJETIVO_P99_MS
        pasarela_ok = p.por_segundo / base >= OBJETIVO_PASARELA
        print(
            f"{nombre}: origin {o.por_segundo / base:.2f}× static, p99 {o.p99_ms:.1f} ms "
            f"(target ≥ {OBJETIVO_ORIGEN}×, < {OBJETIVO_P99_MS:.0f} ms): "
            f"{'met' if origen_ok else 'missed'}; gateway {p.por_segundo / base:.2f}× static "
            f"(target ≥ {OBJETIVO_PASARELA}×): {'met' if pasarela_ok else 'missed'}"
        )


if __name__ == "__main__":
    main()
