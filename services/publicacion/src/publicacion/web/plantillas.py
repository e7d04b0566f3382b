"""The public site's templates, with the presentation helpers every page uses."""

from pathlib import Path

from comun.eventos.vocabulario import etiqueta
from comun.servicios import Servicio
from comun.web.plantillas import crear_plantillas
from publicacion import presentacion

plantillas = crear_plantillas(Servicio.PUBLICACION, Path(__file__).parent.parent / "templates")
plantillas.env.globals.update(
    presentacion=presentacion, etiqueta=etiqueta, NO_PROPORCIONO=presentacion.NO_PROPORCIONO
)
