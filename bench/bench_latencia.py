"""Latency from an HTTP action in captura to its effect in publicacion, through Kafka.

Run: uv run python bench/bench_latencia.py [--eventos 1000]
Starts the distributed mode (`conoceles up`, real Kafka/FerretDB/Keycloak, nginx) with the
services exporting traces to a receiver here. Each POST pushes one fórmula (two registrations,
two events) with its own trace id; its latency is the end of publicacion's last consumer span
minus the start of captura's request span.
"""

import argparse
import asyncio
import os
import secrets
import statistics
import subprocess
import sys
import time
import uuid

import httpx

from comun.auth.pruebas_keycloak import admin_del_realm, crear_usuario_de_prueba, llenar_formularios
from comun.store.mongo import borrar_bases
from conoceles.receptor_otlp import ReceptorOtlp
from identidad.config import Settings

PASARELA = "http://127.0.0.1:8080"
KEYCLOAK = "http://127.0.0.1:8081"
MONGODB = "mongodb://127.0.0.1:27017"
CONSUMIDOR = "publicacion mx.conoceles.captura.candidatura_registrada.v1"


def conoceles(*argumentos: str) -> None:
    """Run the CLI and stop on failure."""
    subprocess.run([sys.executable, "-m", "conoceles", *argumentos], check=True)


def formulas(prefijo: str, cuantas: int) -> list[list[dict[str, object]]]:
    """One push-API body per request: a new fórmula (propietaria and suplente)."""
    from captura.adapters import leer_directorio_eleccion
    from captura.config import Settings as CapturaSettings
    from captura.domain import armar_eleccion
    from captura.generador import repetir_formula

    eleccion = armar_eleccion(leer_directorio_eleccion(CapturaSettings().catalogo))
    semilla = uuid.uuid4().int % 2**31
    filas = repetir_formula(eleccion, prefijo=prefijo, formulas=cuantas, semilla=semilla)
    minusculas = [{k.lower(): v for k, v in f.items()} for f in filas]
    return [minusculas[i : i + 2] for i in range(0, len(minusculas), 2)]


async def sesion(cliente: httpx.AsyncClient) -> tuple[str, object, str]:
    """Create an administrator, sign in through Keycloak; return the CSRF token."""
    ajustes = Settings()
    admin = admin_del_realm(
        url=KEYCLOAK,
        realm="conoceles",
        cliente=ajustes.keycloak_cliente_admin,
        secreto=ajustes.keycloak_secreto_admin.get_secret_value(),
    )
    persona = await crear_usuario_de_prueba(admin, rol="administrador")
    inicio = await cliente.get("/identidad/login")
    retorno, _ = await llenar_formularios(
        inicio.headers["location"],
        usuario=persona.usuario,
        clave=persona.clave,
        sitio=PASARELA,
        totp=persona.totp,
    )
    await cliente.get(retorno)
    await cliente.get("/captura/", headers={"Accept": "text/html"})
    return str(cliente.cookies["conoceles_csrf"]), admin, persona.id


async def medir(eventos: int, receptor: ReceptorOtlp) -> list[float]:
    """Post the events one by one; return each one's latency in milliseconds."""
    async with httpx.AsyncClient(base_url=PASARELA, timeout=30) as cliente:
        csrf, admin, usuario_id = await sesion(cliente)
        trazas = []
        prefijo = uuid.uuid4().hex[:6].upper()
        cuerpos = formulas(f"LAT-{prefijo}", eventos)
        for i in range(eventos):
            traza = secrets.token_hex(16)
            cabeceras = {
                "X-CSRF-Token": csrf,
                "traceparent": f"00-{traza}-{secrets.token_hex(8)}-01",
            }
            respuesta = await cliente.post(
                "/api/captura/v1/registro/candidaturas",
                json={"candidaturas": cuerpos[i]},
                headers=cabeceras,
            )
            respuesta.raise_for_status()
            trazas.append(traza)
        await admin.a_delete_user(usuario_id)  # type: ignore[attr-defined]
    limite = time.monotonic() + 300
    latencias: dict[str, float] = {}
    while len(latencias) < eventos and time.monotonic() < limite:
        for traza in trazas:
            if traza in latencias:
                continue
            spans = receptor.de_traza(traza)
            inicio = [
                s.inicio_ns
                for s in spans
                if s.servicio == "conoceles-captura" and s.nombre.startswith("POST")
            ]
            fin = [s.fin_ns for s in spans if s.nombre == CONSUMIDOR]
            if inicio and fin:
                latencias[traza] = (max(fin) - min(inicio)) / 1e6
        await asyncio.sleep(0.5)
    return list(latencias.values())


def main() -> None:
    """Start the distributed mode with tracing to here, measure, stop it."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--eventos", type=int, default=1000)
    eventos = parser.parse_args().eventos
    prefijo = f"bench_{uuid.uuid4().hex[:6]}"
    with ReceptorOtlp() as receptor:
        os.environ["CONOCELES_OTLP_URL"] = receptor.url
        os.environ["OTEL_BSP_SCHEDULE_DELAY"] = "200"
        # Fresh databases: FerretDB scans collections, so earlier runs' data would skew it.
        os.environ["CONOCELES_MONGODB_PREFIJO"] = prefijo
        conoceles("down")
        conoceles("up")
        try:
            latencias = asyncio.run(medir(eventos, receptor))
        finally:
            conoceles("down")
            asyncio.run(borrar_bases(MONGODB, prefijo))
    cuantiles = statistics.quantiles(latencias, n=100)
    print(f"events measured: {len(latencias)} of {eventos}")
    p50, p90, p99 = cuantiles[49], cuantiles[89], cuantiles[98]
    print(f"latency ms: p50 {p50:.1f}, p90 {p90:.1f}, p99 {p99:.1f}, max {max(latencias):.1f}")


if __name__ == "__main__":
    main()
