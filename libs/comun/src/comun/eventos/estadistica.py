"""Events of the estadistica service: cédula de evaluación scores."""

from pydantic import BaseModel, ConfigDict, Field

from comun.eventos.contenido import DatosCandidatura
from comun.servicios import Servicio


class PuntajeRubro(BaseModel):
    """Points a candidacy earned in one rubro of the cédula."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    rubro: str
    puntos: float = Field(ge=0)
    maximo: float = Field(ge=0)


class CedulaCalculada(DatosCandidatura):
    """The cédula de evaluación of a candidacy was (re)computed with a rubric version."""

    SERVICIO = Servicio.ESTADISTICA
    NOMBRE = "cedula_calculada"

    rubrica: str = Field(description="Id of the rubric version applied.")
    puntos: float = Field(ge=0)
    maximo: float = Field(ge=0)
    porcentaje: float = Field(ge=0, le=100)
    rubros: tuple[PuntajeRubro, ...] = ()
