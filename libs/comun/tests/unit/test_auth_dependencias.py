"""FastAPI auth dependencies: Bearer header, session cookie, 401 and 403."""

from collections.abc import AsyncIterator
from typing import Annotated

import httpx
import pytest
from fastapi import Depends, FastAPI, Request
from fastapi.responses import JSONResponse

from comun.auth.dependencias import (
    COOKIE_SESION,
    UsuarioActual,
    UsuarioOpcional,
    requiere_rol,
)
from comun.auth.pruebas import EmisorDePrueba
from comun.auth.usuario import Usuario
from comun.errores import Problema
from comun.roles import Rol

ADMIN = Usuario(id="a-1", nombre_usuario="admin", roles=frozenset({Rol.ADMINISTRADOR}))
CAPTURA = Usuario(
    id="p-1", nombre_usuario="captura.pri", roles=frozenset({Rol.PARTIDO}), partido="PRI"
)


@pytest.fixture(scope="module")
def emisor() -> EmisorDePrueba:
    return EmisorDePrueba()


@pytest.fixture
async def cliente(emisor: EmisorDePrueba) -> AsyncIterator[httpx.AsyncClient]:
    app = FastAPI()
    app.state.verificador = emisor.verificador()

    @app.exception_handler(Problema)
    async def _problema(_: Request, error: Problema) -> JSONResponse:
        return JSONResponse(
            {"title": error.title, "detail": error.detail, "status": error.status},
            status_code=error.status,
            media_type="application/problem+json",
        )

    @app.get("/opcional")
    async def opcional(usuario: UsuarioOpcional, request: Request) -> dict[str, str | None]:
        guardado = request.state.usuario
        return {
            "usuario": usuario.nombre_usuario if usuario else None,
            "en_estado": guardado.nombre_usuario if guardado else None,
        }

    @app.get("/yo")
    async def yo(usuario: UsuarioActual) -> dict[str, str]:
        return {"usuario": usuario.nombre_usuario}

    @app.get("/admin")
    async def admin(
        usuario: Annotated[Usuario, Depends(requiere_rol(Rol.ADMINISTRADOR, Rol.SOPORTE))],
    ) -> dict[str, str]:
        return {"usuario": usuario.nombre_usuario}

    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://prueba"
    ) as cliente:
        yield cliente


async def test_bearer_valido_identifica_al_usuario(
    cliente: httpx.AsyncClient, emisor: EmisorDePrueba
) -> None:
    respuesta = await cliente.get(
        "/yo", headers={"Authorization": f"Bearer {emisor.token(CAPTURA)}"}
    )

    assert respuesta.json() == {"usuario": "captura.pri"}


async def test_cookie_de_sesion_identifica_al_usuario(
    cliente: httpx.AsyncClient, emisor: EmisorDePrueba
) -> None:
    cliente.cookies.set(COOKIE_SESION, emisor.token(CAPTURA))

    respuesta = await cliente.get("/yo")

    assert respuesta.json() == {"usuario": "captura.pri"}


async def test_bearer_tiene_prioridad_sobre_la_cookie(
    cliente: httpx.AsyncClient, emisor: EmisorDePrueba
) -> None:
    cliente.cookies.set(COOKIE_SESION, emisor.token(CAPTURA))

    respuesta = await cliente.get("/yo", headers={"Authorization": f"Bearer {emisor.token(ADMIN)}"})

    assert respuesta.json() == {"usuario": "admin"}


async def test_sin_credenciales_da_401_en_espanol(cliente: httpx.AsyncClient) -> None:
    respuesta = await cliente.get("/yo")

    assert respuesta.status_code == 401
    assert respuesta.headers["content-type"].startswith("application/problem+json")
    assert respuesta.json()["detail"] == "Inicie sesión para continuar."


async def test_bearer_expirado_da_401_sesion_expirada(
    cliente: httpx.AsyncClient, emisor: EmisorDePrueba
) -> None:
    token = emisor.token(CAPTURA, vida_s=-3600)

    respuesta = await cliente.get("/yo", headers={"Authorization": f"Bearer {token}"})

    assert respuesta.status_code == 401
    assert respuesta.json()["detail"] == "La sesión expiró; inicie sesión de nuevo."


async def test_bearer_falsificado_da_401(cliente: httpx.AsyncClient) -> None:
    impostor = EmisorDePrueba()

    respuesta = await cliente.get(
        "/opcional", headers={"Authorization": f"Bearer {impostor.token(ADMIN)}"}
    )

    assert respuesta.status_code == 401


@pytest.mark.parametrize("cabecera", ["Basic YWRtaW46eA==", "Bearer", "Bearer   ", "token"])
async def test_cabecera_authorization_malformada_da_401(
    cliente: httpx.AsyncClient, cabecera: str
) -> None:
    respuesta = await cliente.get("/yo", headers={"Authorization": cabecera})

    assert respuesta.status_code == 401
    assert "Bearer" in respuesta.json()["detail"]


async def test_cookie_expirada_deja_anonimo_en_paginas_publicas(
    cliente: httpx.AsyncClient, emisor: EmisorDePrueba
) -> None:
    cliente.cookies.set(COOKIE_SESION, emisor.token(CAPTURA, vida_s=-3600))

    respuesta = await cliente.get("/opcional")

    assert respuesta.json() == {"usuario": None, "en_estado": None}


async def test_cookie_expirada_en_pagina_protegida_explica_que_expiro(
    cliente: httpx.AsyncClient, emisor: EmisorDePrueba
) -> None:
    cliente.cookies.set(COOKIE_SESION, emisor.token(CAPTURA, vida_s=-3600))

    respuesta = await cliente.get("/yo")

    assert respuesta.status_code == 401
    assert respuesta.json()["detail"] == "La sesión expiró; inicie sesión de nuevo."


async def test_usuario_queda_en_request_state(
    cliente: httpx.AsyncClient, emisor: EmisorDePrueba
) -> None:
    cliente.cookies.set(COOKIE_SESION, emisor.token(CAPTURA))

    respuesta = await cliente.get("/opcional")

    assert respuesta.json() == {"usuario": "captura.pri", "en_estado": "captura.pri"}


async def test_requiere_rol_deja_pasar_a_quien_tiene_el_rol(
    cliente: httpx.AsyncClient, emisor: EmisorDePrueba
) -> None:
    respuesta = await cliente.get(
        "/admin", headers={"Authorization": f"Bearer {emisor.token(ADMIN)}"}
    )

    assert respuesta.status_code == 200


async def test_requiere_rol_da_403_a_quien_no_lo_tiene(
    cliente: httpx.AsyncClient, emisor: EmisorDePrueba
) -> None:
    respuesta = await cliente.get(
        "/admin", headers={"Authorization": f"Bearer {emisor.token(CAPTURA)}"}
    )

    assert respuesta.status_code == 403
    assert "administrador o soporte" in respuesta.json()["detail"]


async def test_requiere_rol_sin_sesion_da_401(cliente: httpx.AsyncClient) -> None:
    respuesta = await cliente.get("/admin")

    assert respuesta.status_code == 401


def test_requiere_rol_sin_roles_es_un_error_de_programacion() -> None:
    with pytest.raises(ValueError, match="al menos un rol"):
        requiere_rol()
