"""The public web site: `/` and everything no other service claims."""

from publicacion.web import informativas, sitio

routers = [sitio.router, informativas.router]
