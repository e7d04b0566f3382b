"""Live hints while capturing: the text checks as a JSON route."""

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, ConfigDict, Field

from comun.app import recursos_de
from comun.auth.dependencias import UsuarioActual
from comun.servicios import Servicio
from validacion.adapters.catalogo import CatalogoRepository
from validacion.domain.revisiones import MAXIMO_CARACTERES, Hallazgo, Propia, revisar_texto
from validacion.domain.revisiones.hallazgos import CampoTexto

_REPOSITORIOS: dict[int, CatalogoRepository] = {}


def catalogo(request: Request) -> CatalogoRepository:
    """The catalog of this process's validacion store (one repository, so its cache lives)."""
    store = recursos_de(request, Servicio.VALIDACION).store
    return _REPOSITORIOS.setdefault(id(store), CatalogoRepository(store))


Catalogos = Annotated[CatalogoRepository, Depends(catalogo)]


class RevisionTextoIn(BaseModel):
    """A text to check and the curricular field it answers."""

    model_config = ConfigDict(extra="forbid")

    texto: str = Field(max_length=MAXIMO_CARACTERES)
    campo: CampoTexto


class HallazgoOut(BaseModel):
    """One finding: rule, DOMINIO §5 reason code, character offsets and advice."""

    model_config = ConfigDict(frozen=True)

    regla: str
    codigo: str | None
    inicio: int
    fin: int
    explicacion: str
    sugerencia: str | None

    @classmethod
    def de(cls, h: Hallazgo) -> "HallazgoOut":
        """The finding as sent."""
        return cls(
            regla=h.regla.value,
            codigo=h.codigo.value if h.codigo else None,
            inicio=h.inicio,
            fin=h.fin,
            explicacion=h.explicacion,
            sugerencia=h.sugerencia,
        )


class RevisionTextoOut(BaseModel):
    """What the checks found, in text order."""

    hallazgos: list[HallazgoOut]


router = APIRouter(prefix="/api/validacion/v1", tags=["validacion"])


@router.post("/revisiones/texto")
async def revisar(
    cuerpo: RevisionTextoIn, usuario: UsuarioActual, catalogos: Catalogos
) -> RevisionTextoOut:
    """Check a text as it is being written (any signed-in role); nothing is stored."""
    propia = Propia(
        partidos=frozenset({usuario.partido}) if usuario.partido else frozenset(),
        candidatura_id=usuario.candidatura,
    )
    hallazgos = revisar_texto(
        cuerpo.texto,
        campo=cuerpo.campo.value,
        catalogo=await catalogos.catalogo(),
        propia=propia,
    )
    return RevisionTextoOut(hallazgos=[HallazgoOut.de(h) for h in hallazgos])
