"""Toolchains and the cached downloads and builds: Kafka jars, FerretDB binary, Keycloak."""

import asyncio
import contextlib
import hashlib
import os
import shutil
import tarfile
import zlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from conoceles.infra.config import InfraError, Paths
from conoceles.infra.processes import file_lock, open_log

DEPENDENCY_PLUGIN = "org.apache.maven.plugins:maven-dependency-plugin:3.11.0"
KEYCLOAK_VERSION = "26.7.3"
KEYCLOAK_ARTIFACT = f"org.keycloak:keycloak-quarkus-dist:{KEYCLOAK_VERSION}:tar.gz"
JVM_DIR = Path("/usr/lib/jvm")

Step = Callable[[str], None]


@dataclass(frozen=True)
class BuildContext:
    """What a preparation step needs: folders, its log, progress, and the shared Maven lock."""

    paths: Paths
    title: str
    log: Path
    step: Step
    detail: Step
    mvn_lock: asyncio.Lock

    def error(self, que: str, hacer: str) -> InfraError:
        """One message naming the server, what failed, the log and what to do."""
        return InfraError(f"{self.title}: {que}. {hacer} Registro: {self.log}")


def fingerprint(files: Iterable[Path]) -> str:
    """SHA-256 over the contents of `files`, so a changed source invalidates a cached build."""
    suma = hashlib.sha256()
    for archivo in files:
        suma.update(archivo.name.encode())
        suma.update(archivo.read_bytes())
    return suma.hexdigest()


def _stamp_matches(stamp: Path, huella: str) -> bool:
    """Whether a build stamp records `huella`."""
    try:
        return stamp.read_text(encoding="ascii").strip() == huella
    except OSError:
        return False


def _remove(path: Path) -> None:
    """Delete a file or folder if present."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink(missing_ok=True)


def find_mvn(ctx: BuildContext) -> str:
    """Maven, or a clear error."""
    mvn = shutil.which("mvn")
    if mvn is None:
        raise ctx.error(
            "falta Maven (`mvn`) para descargar de Maven Central",
            "Instálelo (p. ej. `apt-get install maven`) y vuelva a ejecutar `conoceles infra up`.",
        )
    return mvn


def find_go(ctx: BuildContext) -> str:
    """Go, from PATH or /usr/local/go, or a clear error."""
    go = shutil.which("go") or shutil.which("go", path="/usr/local/go/bin")
    if go is None:
        raise ctx.error(
            "falta Go (`go`) para compilar FerretDB",
            "Instale Go 1.24 o posterior (https://go.dev/dl/, o `apt-get install golang`) "
            "y vuelva a ejecutar `conoceles infra up`.",
        )
    return go


def find_java(ctx: BuildContext) -> str:
    """A `java` for Kafka (17 or later): PATH, then JAVA_HOME, then any JDK under /usr/lib/jvm."""
    candidatos = [shutil.which("java")]
    if os.environ.get("JAVA_HOME"):
        candidatos.append(str(Path(os.environ["JAVA_HOME"]) / "bin" / "java"))
    candidatos += [str(p / "bin" / "java") for p in sorted(JVM_DIR.glob("*"), reverse=True)]
    for java in candidatos:
        if java and os.access(java, os.X_OK):
            return java
    raise ctx.error(
        "falta Java (`java`, versión 17 o posterior)",
        "Instale un JDK (p. ej. `apt-get install openjdk-17-jre-headless`) "
        "y vuelva a ejecutar `conoceles infra up`.",
    )


def find_keycloak_java_home(ctx: BuildContext) -> Path:
    """JAVA_HOME for Keycloak: Temurin 25 under /usr/lib/jvm, else JAVA_HOME, else PATH's JDK."""
    temurin = sorted(JVM_DIR.glob("temurin-25*"), reverse=True)
    candidatos = [*temurin]
    if os.environ.get("JAVA_HOME"):
        candidatos.append(Path(os.environ["JAVA_HOME"]))
    java = shutil.which("java")
    if java:
        candidatos.append(Path(java).resolve().parent.parent)
    for home in candidatos:
        if os.access(home / "bin" / "java", os.X_OK):
            return home
    raise ctx.error(
        "falta Java para Keycloak (se recomienda Temurin 25 en /usr/lib/jvm/)",
        "Instale un JDK 21 o 25 (p. ej. el paquete `temurin-25-jdk`) "
        "y vuelva a ejecutar `conoceles infra up`.",
    )


async def run_tool(
    argv: Sequence[str],
    ctx: BuildContext,
    *,
    cwd: Path,
    header: str,
    describe: Callable[[str], str | None] = lambda _linea: None,
    env: Mapping[str, str] | None = None,
) -> int:
    """Run a build tool, appending its output to the server's log; return its exit code."""
    fd = open_log(ctx.log, header)
    proceso = await asyncio.create_subprocess_exec(
        *argv,
        cwd=cwd,
        env=dict(env) if env is not None else None,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    assert proceso.stdout is not None
    try:
        async for linea in proceso.stdout:
            os.write(fd, linea)
            texto = describe(linea.decode(errors="replace").strip())
            if texto:
                ctx.detail(texto)
        return await proceso.wait()
    except BaseException:
        with contextlib.suppress(ProcessLookupError):
            proceso.kill()
        raise
    finally:
        os.close(fd)


def _maven_line(prefix: str) -> Callable[[str], str | None]:
    """Describe Maven's download lines as `prefix: <file>`."""

    def describe(linea: str) -> str | None:
        if linea.startswith(("Downloading from", "Downloaded from")):
            archivo = linea.split()[-1] if "(" not in linea else linea.split(" (")[0].split()[-1]
            return f"{prefix}: {archivo.rsplit('/', 1)[-1]}"
        return None

    return describe


async def ensure_kafka_libs(ctx: BuildContext) -> Path:
    """Kafka's jars (plus an SLF4J binding) in the cache, resolved by Maven once per pom."""
    pom = ctx.paths.deploy / "local" / "kafka" / "pom.xml"
    destino = ctx.paths.cache / "kafka-libs"
    sello = destino / ".pom.sha256"
    huella = fingerprint([pom])
    if _stamp_matches(sello, huella):
        return destino
    async with file_lock(ctx.paths.cache / ".kafka-libs.lock"):
        if _stamp_matches(sello, huella):
            return destino
        mvn = find_mvn(ctx)
        temporal = ctx.paths.cache / "kafka-libs.tmp"
        _remove(temporal)
        ctx.step("descargando Kafka de Maven Central…")
        async with ctx.mvn_lock:
            codigo = await run_tool(
                [
                    mvn,
                    "-B",
                    "-C",
                    "-f",
                    str(pom),
                    f"{DEPENDENCY_PLUGIN}:copy-dependencies",
                    "-DincludeScope=runtime",
                    f"-DoutputDirectory={temporal}",
                ],
                ctx,
                cwd=ctx.paths.cache,
                header="descarga de Kafka (mvn)",
                describe=_maven_line("descargando Kafka"),
            )
        if codigo != 0 or not any(temporal.glob("kafka_2.13-*.jar")):
            raise ctx.error(
                f"la descarga con Maven falló (código {codigo})",
                "Compruebe el acceso a Maven Central y vuelva a ejecutar `conoceles infra up` "
                "(retoma lo ya descargado).",
            )
        sello.parent.mkdir(parents=True, exist_ok=True)
        (temporal / sello.name).write_text(huella + "\n", encoding="ascii")
        _remove(destino)
        temporal.rename(destino)
    return destino


async def ensure_ferretdb_binary(ctx: BuildContext) -> Path:
    """Our FerretDB program compiled into the cache, rebuilt when its sources change."""
    fuente = ctx.paths.deploy / "local" / "ferretdb"
    carpeta = ctx.paths.cache / "ferretdb"
    binario = carpeta / "conoceles-ferretdb"
    sello = carpeta / ".fuente.sha256"
    huella = fingerprint(fuente / n for n in ("main.go", "go.mod", "go.sum"))
    if binario.exists() and _stamp_matches(sello, huella):
        return binario
    async with file_lock(ctx.paths.cache / ".ferretdb.lock"):
        if binario.exists() and _stamp_matches(sello, huella):
            return binario
        go = find_go(ctx)
        carpeta.mkdir(parents=True, exist_ok=True)
        temporal = carpeta / "conoceles-ferretdb.tmp"
        _remove(temporal)
        ctx.step("compilando FerretDB con Go (la primera vez tarda de 1 a 3 minutos)…")
        compilados = 0

        def describe(linea: str) -> str | None:
            nonlocal compilados
            if not linea or linea.startswith(("go:", "#")) or " " in linea:
                return None
            compilados += 1
            return f"compilando FerretDB: {compilados} paquetes ({linea})"

        codigo = await run_tool(
            [go, "build", "-v", "-trimpath", "-buildvcs=false", "-o", str(temporal), "."],
            ctx,
            cwd=fuente,
            header="compilación de FerretDB (go build)",
            describe=describe,
        )
        if codigo != 0 or not temporal.exists():
            raise ctx.error(
                f"la compilación con Go falló (código {codigo})",
                "Compruebe el acceso al proxy de módulos de Go (GOPROXY) y vuelva a ejecutar "
                "`conoceles infra up` (la caché de Go conserva lo ya compilado).",
            )
        temporal.replace(binario)
        sello.write_text(huella + "\n", encoding="ascii")
    return binario


def _extract(tarball: Path, destino: Path, detail: Step) -> None:
    """Unpack a tar.gz, reporting progress; a truncated or corrupt archive raises."""
    with tarfile.open(tarball, "r:gz") as archivo:
        for n, miembro in enumerate(archivo, start=1):
            archivo.extract(miembro, destino, filter="data")
            if n % 250 == 0:
                detail(f"descomprimiendo Keycloak: {n} archivos")


async def ensure_keycloak(ctx: BuildContext) -> Path:
    """Keycloak unpacked in the cache; a half-downloaded or corrupt archive is fetched again."""
    home = ctx.paths.cache / f"keycloak-{KEYCLOAK_VERSION}"
    completo = home / ".completo"
    if completo.exists():
        return home
    async with file_lock(ctx.paths.cache / ".keycloak.lock"):
        if completo.exists():
            return home
        tarball = ctx.paths.cache / f"keycloak-quarkus-dist-{KEYCLOAK_VERSION}.tar.gz"
        for intento in (1, 2):
            if not tarball.exists():
                await _download_keycloak(ctx, tarball, purge_local_repo=intento > 1)
            temporal = ctx.paths.cache / f"keycloak-{KEYCLOAK_VERSION}.tmp"
            _remove(temporal)
            ctx.step("descomprimiendo Keycloak…")
            try:
                await asyncio.to_thread(_extract, tarball, temporal, ctx.detail)
            except (tarfile.TarError, EOFError, zlib.error, OSError):
                _remove(temporal)
                _remove(tarball)
                if intento == 2:
                    raise ctx.error(
                        "el archivo de Keycloak descargado está dañado dos veces seguidas",
                        "Compruebe el espacio en disco y la red, y vuelva a ejecutar "
                        "`conoceles infra up`.",
                    ) from None
                continue
            _remove(home)
            (temporal / f"keycloak-{KEYCLOAK_VERSION}").rename(home)
            _remove(temporal)
            completo.write_text(KEYCLOAK_VERSION + "\n", encoding="ascii")
            _remove(tarball)
            break
    return home


async def _download_keycloak(ctx: BuildContext, tarball: Path, *, purge_local_repo: bool) -> None:
    """Fetch Keycloak's distribution with Maven into a temporary folder, then move it in place."""
    mvn = find_mvn(ctx)
    if purge_local_repo:
        _remove(
            Path.home() / ".m2/repository/org/keycloak/keycloak-quarkus-dist" / KEYCLOAK_VERSION
        )
    temporal = ctx.paths.cache / "descarga-keycloak.tmp"
    _remove(temporal)
    ctx.step(f"descargando Keycloak {KEYCLOAK_VERSION} de Maven Central (unos 180 MB)…")
    async with ctx.mvn_lock:
        codigo = await run_tool(
            [
                mvn,
                "-B",
                "-C",
                f"{DEPENDENCY_PLUGIN}:copy",
                f"-Dartifact={KEYCLOAK_ARTIFACT}",
                f"-DoutputDirectory={temporal}",
            ],
            ctx,
            cwd=ctx.paths.cache,
            header="descarga de Keycloak (mvn)",
            describe=_maven_line("descargando Keycloak"),
        )
    descargado = temporal / tarball.name
    if codigo != 0 or not descargado.exists():
        _remove(temporal)
        raise ctx.error(
            f"la descarga con Maven falló (código {codigo})",
            "Compruebe el acceso a Maven Central y vuelva a ejecutar `conoceles infra up`.",
        )
    descargado.replace(tarball)
    _remove(temporal)
