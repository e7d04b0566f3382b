"""Each service also runs alone in its own process (`conoceles serve <servicio>`)."""

from pathlib import Path

import httpx
import pytest
from asgi_lifespan import LifespanManager

from comun.app import crear_app
from comun.servicios import Servicio
from conoceles.todo_en_uno import modulo_de


@pytest.mark.parametrize("servicio", list(Servicio))
async def test_un_servicio_solo_arranca_listo_y_con_su_propia_base(
    servicio: Servicio, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CONOCELES_DATOS", str(tmp_path))
    app = crear_app([modulo_de(servicio)])
    async with LifespanManager(app, startup_timeout=60):
        transporte = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transporte, base_url="http://t") as cliente:
            listo = await cliente.get(f"/api/{servicio.value}/health/ready")
            otro = (
                Servicio.PUBLICACION if servicio is not Servicio.PUBLICACION else Servicio.CAPTURA
            )
            ajeno = await cliente.get(f"/api/{otro.value}/health/ready")
    assert listo.status_code == 200
    assert ajeno.status_code == 404
    assert sorted(p.name for p in tmp_path.glob("*.db")) == sorted(
        [f"{servicio.value}.db", f"bus-{servicio.value}.db"]
    )
