"""`conoceles infra`: PID files, ports, templates, idempotent start-up, and the real servers."""

import asyncio
import contextlib
import io
import os
import shutil
import socket
import subprocess
import sys
import tarfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from typer.testing import CliRunner

from comun.pruebas import puerto_libre
from conoceles.cli import app as cli
from conoceles.infra.builds import (
    KEYCLOAK_VERSION,
    BuildContext,
    ensure_kafka_libs,
    ensure_keycloak,
)
from conoceles.infra.config import REPO_ROOT, InfraError, Paths
from conoceles.infra.manager import Urls, asegurar, detener, estado
from conoceles.infra.navegador import CHROMIUM, Chromium, asegurar_chromium
from conoceles.infra.processes import (
    port_free,
    process_alive,
    process_matches,
    read_pid,
    write_pid,
)
from conoceles.infra.servers import (
    KAFKA_URL,
    KEYCLOAK_URL,
    MONGODB_URL,
    Launch,
    kafka_answers,
    keycloak_answers,
    mongodb_answers,
    new_cluster_id,
    port_answers,
    render_server_properties,
    servidores,
)

MARCA = "conoceles-prueba-eco"
ECO = """
import socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[2])))
s.listen()
while True:
    s.accept()[0].close()
"""


@dataclass(frozen=True)
class Eco:
    """A tiny TCP server standing in for Kafka & co. in the start/stop logic."""

    ports: tuple[int, ...]
    script: str = ECO
    name: str = "eco"
    title: str = "Eco"
    host: str = "127.0.0.1"
    url: str = "tcp://127.0.0.1"
    test_env: str = "CONOCELES_TEST_ECO"
    marker: str = MARCA
    ready_timeout: float = 20.0
    stop_timeout: float = 5.0
    preparados: list[int] = field(default_factory=list)

    async def prepare(self, ctx: BuildContext) -> Launch:
        self.preparados.append(1)
        argv = [sys.executable, "-c", self.script, self.marker, str(self.ports[0])]
        return Launch(argv=argv, cwd=ctx.paths.state)

    async def answers(self) -> bool:
        return await port_answers(self.host, self.ports[0])


@pytest.fixture
def rutas(tmp_path: Path) -> Paths:
    return Paths(
        cache=tmp_path / "cache",
        state=tmp_path / "datos" / "infra",
        logs=tmp_path / "datos" / "log",
        deploy=REPO_ROOT / "deploy",
    )


@pytest.fixture
def contexto(rutas: Paths) -> BuildContext:
    return BuildContext(
        paths=rutas,
        title="Prueba",
        log=rutas.log("prueba"),
        step=lambda _t: None,
        detail=lambda _t: None,
        mvn_lock=asyncio.Lock(),
    )


@contextlib.contextmanager
def escuchando(puerto: int) -> Iterator[socket.socket]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", puerto))
        sock.listen()
        yield sock


def procesos_con(marca: str) -> list[int]:
    """PIDs of live processes whose command line contains `marca`."""
    pids = []
    for linea in Path("/proc").glob("[0-9]*/cmdline"):
        with contextlib.suppress(OSError):
            pid = int(linea.parent.name)
            if marca.encode() in linea.read_bytes() and process_alive(pid):
                pids.append(pid)
    return pids


def falso_mvn(carpeta: Path, cuerpo: str) -> None:
    """Put a fake `mvn` (a Python script) first on PATH."""
    carpeta.mkdir(parents=True, exist_ok=True)
    mvn = carpeta / "mvn"
    mvn.write_text(f"#!{sys.executable}\nimport sys, pathlib, shutil\n{cuerpo}\n")
    mvn.chmod(0o755)


def test_el_pid_registrado_se_lee_tal_cual(tmp_path: Path) -> None:
    write_pid(tmp_path / "x.pid", 4321)
    assert read_pid(tmp_path / "x.pid") == 4321


@pytest.mark.parametrize("contenido", ["", "abc", "-5", "0", "12 34"])
def test_un_archivo_de_pid_danado_no_cuenta(tmp_path: Path, contenido: str) -> None:
    (tmp_path / "x.pid").write_text(contenido)
    assert read_pid(tmp_path / "x.pid") is None


def test_sin_archivo_de_pid_no_hay_pid(tmp_path: Path) -> None:
    assert read_pid(tmp_path / "nada.pid") is None


def test_un_proceso_terminado_no_cuenta_como_vivo_aunque_sea_zombi() -> None:
    hijo = subprocess.Popen([sys.executable, "-c", "pass"])
    limite = time.monotonic() + 10
    while process_alive(hijo.pid):
        assert time.monotonic() < limite, "el proceso hijo no terminó"
        time.sleep(0.02)
    hijo.wait()
    assert not process_alive(hijo.pid)


def test_un_pid_reutilizado_por_otro_programa_no_es_nuestro() -> None:
    hijo = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)", MARCA])
    try:
        # A loaded machine may show the new command line a moment after exec: poll for it.
        limite = time.monotonic() + 10
        while not process_matches(hijo.pid, MARCA) and time.monotonic() < limite:
            time.sleep(0.05)
        assert process_matches(hijo.pid, MARCA)
        assert not process_matches(hijo.pid, "kafka.Kafka")
    finally:
        hijo.kill()
        hijo.wait()


def test_un_puerto_ocupado_se_detecta_y_al_liberarse_vuelve_a_estar_libre() -> None:
    puerto = puerto_libre()
    with escuchando(puerto):
        assert not port_free("127.0.0.1", puerto)
    assert port_free("127.0.0.1", puerto)


def test_la_plantilla_de_kafka_usa_la_carpeta_de_estado() -> None:
    plantilla = (REPO_ROOT / "deploy/local/kafka/server.properties.tmpl").read_text()
    texto = render_server_properties(plantilla, log_dirs=Path("/estado/kafka/datos"))
    lineas = set(texto.splitlines())
    for esperada in (
        "log.dirs=/estado/kafka/datos",
        "process.roles=broker,controller",
        "node.id=1",
        "controller.quorum.voters=1@127.0.0.1:9093",
        "listeners=PLAINTEXT://127.0.0.1:9092,CONTROLLER://127.0.0.1:9093",
        "offsets.topic.num.partitions=1",
        "transaction.state.log.num.partitions=1",
        "group.initial.rebalance.delay.ms=0",
        "auto.create.topics.enable=false",
    ):
        assert esperada in lineas
    assert "$" not in texto


def test_el_id_de_cluster_de_kafka_son_22_caracteres_base64url() -> None:
    cluster = new_cluster_id()
    assert len(cluster) == 22
    assert set(cluster) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


async def test_up_dos_veces_deja_un_solo_servidor(rutas: Paths) -> None:
    eco = Eco(ports=(puerto_libre(),))
    try:
        await asegurar([eco], paths=rutas)
        primero = read_pid(rutas.pid_file("eco"))
        await asegurar([eco], paths=rutas)
        assert read_pid(rutas.pid_file("eco")) == primero
        assert len(eco.preparados) == 1
        [situacion] = await estado([eco], paths=rutas)
        assert situacion.pid == primero and situacion.responde
    finally:
        await detener([eco], paths=rutas)
    assert primero is not None and not process_alive(primero)
    assert not rutas.pid_file("eco").exists()


@pytest.fixture
def pid_muerto() -> int:
    muerto = subprocess.Popen([sys.executable, "-c", "pass"])
    muerto.wait()
    return muerto.pid


async def test_un_pid_obsoleto_se_descarta_y_se_arranca_de_nuevo(
    rutas: Paths, pid_muerto: int
) -> None:
    write_pid(rutas.pid_file("eco"), pid_muerto)
    eco = Eco(ports=(puerto_libre(),))
    try:
        await asegurar([eco], paths=rutas)
        nuevo = read_pid(rutas.pid_file("eco"))
        assert nuevo is not None and nuevo != pid_muerto and process_matches(nuevo, MARCA)
    finally:
        await detener([eco], paths=rutas)


async def test_un_puerto_de_otro_programa_da_un_mensaje_claro_sin_arrancar(rutas: Paths) -> None:
    eco = Eco(ports=(puerto_libre(),))
    with escuchando(eco.ports[0]), pytest.raises(InfraError) as error:
        await asegurar([eco], paths=rutas)
    mensaje = str(error.value)
    assert "Eco" in mensaje and "ya lo usa otro programa" in mensaje
    assert str(rutas.log("eco")) in mensaje
    assert eco.preparados == []


async def test_un_servidor_que_cae_al_arrancar_remite_a_su_registro(rutas: Paths) -> None:
    eco = Eco(ports=(puerto_libre(),), script="raise SystemExit('ERROR: prueba de caida')")
    with pytest.raises(InfraError) as error:
        await asegurar([eco], paths=rutas)
    mensaje = str(error.value)
    assert "Eco terminó al arrancar" in mensaje and str(rutas.log("eco")) in mensaje
    assert "prueba de caida" in mensaje
    assert not rutas.pid_file("eco").exists()


async def test_un_servidor_que_nunca_responde_se_detiene_y_se_explica(rutas: Paths) -> None:
    eco = Eco(ports=(puerto_libre(),), script="import time; time.sleep(60)", ready_timeout=1.0)
    with pytest.raises(InfraError) as error:
        await asegurar([eco], paths=rutas)
    assert "no respondió en 1 s" in str(error.value)
    assert not rutas.pid_file("eco").exists()
    assert procesos_con(MARCA) == []


async def test_sin_maven_el_mensaje_dice_como_instalarlo(
    contexto: BuildContext, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "vacio"))
    with pytest.raises(InfraError) as error:
        await ensure_kafka_libs(contexto)
    assert "falta Maven" in str(error.value) and "apt-get install maven" in str(error.value)


async def test_una_descarga_fallida_da_el_codigo_y_el_registro(
    contexto: BuildContext, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    falso_mvn(tmp_path / "bin", "print('ERROR red caida'); sys.exit(3)")
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}:{os.environ['PATH']}")
    with pytest.raises(InfraError) as error:
        await ensure_kafka_libs(contexto)
    assert "código 3" in str(error.value) and str(contexto.log) in str(error.value)
    assert "ERROR red caida" in contexto.log.read_text()
    assert not (contexto.paths.cache / "kafka-libs").exists()


async def test_un_archivo_de_keycloak_a_medias_se_descarga_de_nuevo(
    contexto: BuildContext, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    bueno = tmp_path / "bueno.tar.gz"
    with tarfile.open(bueno, "w:gz") as archivo:
        contenido = b"#!/bin/sh\n"
        miembro = tarfile.TarInfo(f"keycloak-{KEYCLOAK_VERSION}/bin/kc.sh")
        miembro.size, miembro.mode = len(contenido), 0o755
        archivo.addfile(miembro, io.BytesIO(contenido))
    nombre = f"keycloak-quarkus-dist-{KEYCLOAK_VERSION}.tar.gz"
    falso_mvn(
        tmp_path / "bin",
        "salida = [a.split('=', 1)[1] for a in sys.argv if a.startswith('-DoutputDirectory=')][0]\n"
        f"pathlib.Path(salida).mkdir(parents=True)\n"
        f"shutil.copy({str(bueno)!r}, pathlib.Path(salida) / {nombre!r})\n"
        f"open({str(tmp_path / 'llamadas')!r}, 'a').write('x')",
    )
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}:{os.environ['PATH']}")
    contexto.paths.cache.mkdir(parents=True)
    (contexto.paths.cache / nombre).write_bytes(bueno.read_bytes()[:40])
    home = await ensure_keycloak(contexto)
    assert (home / "bin" / "kc.sh").exists() and (home / ".completo").exists()
    assert (tmp_path / "llamadas").read_text() == "x"
    assert await ensure_keycloak(contexto) == home
    assert (tmp_path / "llamadas").read_text() == "x"


def guion(ruta: Path, cuerpo: str) -> Path:
    """An executable shell script at `ruta`."""
    ruta.parent.mkdir(parents=True, exist_ok=True)
    ruta.write_text(f"#!/bin/sh\n{cuerpo}\n")
    ruta.chmod(0o755)
    return ruta


async def test_sin_chromium_se_instala_el_paquete_de_debian_con_apt_get(
    contexto: BuildContext, tmp_path: Path
) -> None:
    navegador = Chromium(ejecutable=tmp_path / "bin" / "chromium")
    llamadas = tmp_path / "apt-llamadas"
    crear = f"printf '#!/bin/sh\\necho Chromium 1.2.3\\n' > {navegador.ejecutable}"
    apt = guion(
        tmp_path / "apt-get",
        f'echo "$DEBIAN_FRONTEND $*" >> {llamadas}\n'
        f'if [ "$1" = install ]; then mkdir -p {navegador.ejecutable.parent}; {crear}; '
        f"chmod +x {navegador.ejecutable}; fi",
    )
    assert await asegurar_chromium(navegador, contexto, apt=str(apt)) == "Chromium 1.2.3"
    assert llamadas.read_text().splitlines() == [
        "noninteractive update -q",
        "noninteractive install -y -q chromium",
    ]


async def test_con_chromium_instalado_no_se_llama_a_apt_get(
    contexto: BuildContext, tmp_path: Path
) -> None:
    navegador = Chromium(ejecutable=guion(tmp_path / "chromium", "echo Chromium 9.9 built on X"))
    apt = guion(tmp_path / "apt-get", f"touch {tmp_path / 'llamado'}; exit 1")
    assert await asegurar_chromium(navegador, contexto, apt=str(apt)) == "Chromium 9.9"
    assert not (tmp_path / "llamado").exists()


async def test_si_apt_get_falla_el_mensaje_lo_explica_en_espanol(
    contexto: BuildContext, tmp_path: Path
) -> None:
    navegador = Chromium(ejecutable=tmp_path / "no-hay" / "chromium")
    apt = guion(tmp_path / "apt-get", "echo 'E: Unable to locate package chromium'; exit 100")
    with pytest.raises(InfraError) as error:
        await asegurar_chromium(navegador, contexto, apt=str(apt))
    mensaje = str(error.value)
    assert "no se pudo instalar el paquete «chromium» con apt-get" in mensaje
    assert "código 100" in mensaje and str(contexto.log) in mensaje
    assert "Unable to locate package" in contexto.log.read_text()


def test_status_muestra_si_chromium_esta_instalado() -> None:
    resultado = CliRunner().invoke(cli, ["infra", "status"], env={"COLUMNS": "200"})
    assert resultado.exit_code == 0, resultado.output
    fila = next(f for f in resultado.output.splitlines() if f.startswith("│ Chromium"))
    assert str(CHROMIUM) in fila
    assert (" sí " in fila) == CHROMIUM.exists()


def test_las_lineas_de_entorno_respetan_lo_ya_definido() -> None:
    script = f'CONOCELES_TEST_KAFKA=otro:1; {Urls().env_lines()} echo "$CONOCELES_TEST_KAFKA"'
    script += ' "$CONOCELES_TEST_MONGODB_URL"'
    bash = shutil.which("bash") or "/bin/bash"
    salida = subprocess.run([bash, "-c", script], capture_output=True, text=True, check=True)
    assert salida.stdout.split() == ["otro:1", MONGODB_URL]


def test_la_orden_up_con_puertos_ajenos_da_un_mensaje_sin_traza(tmp_path: Path) -> None:
    with contextlib.ExitStack() as pila:
        for s in servidores():
            for puerto in s.ports:
                if port_free(s.host, puerto):
                    pila.enter_context(escuchando(puerto))
        resultado = CliRunner().invoke(
            cli,
            ["infra", "up"],
            env={"CONOCELES_DATOS": str(tmp_path / "datos"), "CONOCELES_CACHE": str(tmp_path)},
        )
    assert resultado.exit_code == 1
    assert "ya lo usa otro programa" in resultado.output
    assert "Traceback" not in resultado.output
    assert not list(tmp_path.glob("kafka-libs*"))


def _exigir_servidores(que: str) -> None:
    """Under CI a missing server fails the test; elsewhere it skips it."""
    mensaje = f"{que} no responde; arránquelo con `conoceles infra up` o `make test`."
    if os.environ.get("CI") == "true":
        pytest.fail(mensaje)
    pytest.skip(mensaje)


async def test_los_servidores_de_las_pruebas_responden() -> None:
    mongodb = os.environ.get("CONOCELES_TEST_MONGODB_URL", MONGODB_URL)
    kafka = os.environ.get("CONOCELES_TEST_KAFKA", KAFKA_URL)
    keycloak = os.environ.get("CONOCELES_TEST_KEYCLOAK_URL", KEYCLOAK_URL)
    gestion = None if keycloak != KEYCLOAK_URL else "http://127.0.0.1:9001"
    # Earlier tests restart servers (fault tests): give them a minute to answer again.
    limite = asyncio.get_running_loop().time() + 60
    while True:
        respuestas = await asyncio.gather(
            mongodb_answers(mongodb),
            kafka_answers(kafka),
            keycloak_answers(keycloak, management_url=gestion),
        )
        nombres = ("MongoDB", "Kafka", "Keycloak")
        caidos = [n for n, r in zip(nombres, respuestas, strict=True) if not r]
        if not caidos or asyncio.get_running_loop().time() > limite:
            break
        await asyncio.sleep(1)
    if caidos:
        _exigir_servidores(", ".join(caidos))


def test_status_muestra_los_tres_servidores_respondiendo() -> None:
    propios = (MONGODB_URL, KAFKA_URL, KEYCLOAK_URL)
    dadas = (
        os.environ.get("CONOCELES_TEST_MONGODB_URL", MONGODB_URL),
        os.environ.get("CONOCELES_TEST_KAFKA", KAFKA_URL),
        os.environ.get("CONOCELES_TEST_KEYCLOAK_URL", KEYCLOAK_URL),
    )
    if dadas != propios:
        pytest.skip("las pruebas usan servidores externos (CONOCELES_TEST_*), no los locales")
    limite = time.monotonic() + 60
    while True:
        resultado = CliRunner().invoke(cli, ["infra", "status"], env={"COLUMNS": "200"})
        assert resultado.exit_code == 0, resultado.output
        filas = [
            linea
            for linea in resultado.output.splitlines()
            if linea.startswith("│") and "127.0.0.1" in linea
        ]
        if len(filas) == 3 and all(" sí " in fila for fila in filas):
            return
        if time.monotonic() > limite:
            break
        # A probe can miss its short timeout on a loaded machine: ask again.
        time.sleep(1)
    _exigir_servidores(f"Alguno de Kafka, FerretDB y Keycloak ({resultado.output!r})")
    assert [f.split("│")[1].strip() for f in filas] == ["Kafka", "FerretDB", "Keycloak"]
