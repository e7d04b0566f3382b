"""`conoceles cuestionarios precargar`: bulk pre-load of questionnaires from the command line."""

from pathlib import Path
from typing import Annotated, Any

import typer

from conoceles.registro import _barra, _correr, _repositorios, consola, salida

app = typer.Typer(help="Cuestionarios de las candidaturas.", no_args_is_help=True)


def _usuario(partido: str | None, candidatura: str | None) -> Any:
    """Who the pre-load acts as: a party's capture account or one candidacy's."""
    from comun.auth.usuario import Usuario
    from comun.roles import Rol

    if (partido is None) == (candidatura is None):
        consola.print("[bold red]Error:[/] indique --partido SIGLAS o --candidatura ID (uno solo).")
        raise typer.Exit(code=2)
    if partido is not None:
        return Usuario(
            id="consola", nombre_usuario="consola", roles=frozenset({Rol.PARTIDO}),
            partido=partido.strip().upper(),
        )  # fmt: skip
    return Usuario(
        id="consola", nombre_usuario="consola", roles=frozenset({Rol.CANDIDATURA}),
        candidatura=candidatura,
    )  # fmt: skip


@app.command("precargar")
def precargar(
    archivo: Annotated[
        Path, typer.Argument(help="Plantilla de precarga (XLSX) o formato del INE.")
    ],
    partido: Annotated[str | None, typer.Option(help="Siglas del partido que precarga.")] = None,
    candidatura: Annotated[
        str | None, typer.Option(help="Clave de la candidatura independiente que precarga.")
    ] = None,
    reporte: Annotated[Path | None, typer.Option(help="Guardar el reporte en este XLSX.")] = None,
) -> None:
    """Precargar cuestionarios como borrador; termina con el resumen (2: archivo inútil)."""
    from captura.config import Settings
    from captura.handlers import precarga
    from comun.tabular import UnusableFile

    usuario = _usuario(partido, candidatura)
    if not archivo.is_file():
        consola.print(f"[bold red]El archivo no se puede precargar:[/] no existe «{archivo}».")
        raise typer.Exit(code=2)
    try:
        datos = _correr(_precargar(archivo, usuario=usuario, eleccion=Settings().eleccion))
    except (UnusableFile, precarga.PlantillaInvalida, IsADirectoryError) as exc:
        consola.print(f"[bold red]El archivo no se puede precargar:[/] {exc}", soft_wrap=True)
        raise typer.Exit(code=2) from None
    for r in datos["rechazadas"][:20]:
        consola.print(f"fila {r['fila']} {r['id']} {r['columna']}: {r['motivo']}", soft_wrap=True)
    if len(datos["rechazadas"]) > 20:
        consola.print(f"… y {len(datos['rechazadas']) - 20} más; use --reporte para verlas todas.")
    if reporte is not None:
        reporte.write_bytes(precarga.reporte_xlsx(datos))
    salida.print(precarga.linea_resumen(datos))


async def _precargar(archivo: Path, *, usuario: Any, eleccion: str) -> dict[str, Any]:
    """Read and pre-load a file with a progress bar."""
    import asyncio

    from captura import handlers
    from captura.handlers import precarga
    from captura.handlers.cuestionarios import cifrador_de
    from comun.settings import PlatformSettings

    cifrador = cifrador_de(PlatformSettings().secreto_identidad())
    async with _repositorios() as (repo, elecciones):
        catalogo = await handlers.eleccion_cargada(repo=elecciones, eleccion_id=eleccion)
        formato, filas = await asyncio.to_thread(
            precarga.leer_libro, archivo, archivo.name, eleccion_id=catalogo.id
        )
        with _barra() as progreso:
            resultado = await precarga.precargar(
                repo=repo, eleccion=catalogo, cifrador=cifrador, usuario=usuario, filas=filas,
                progreso=progreso,
            )  # fmt: skip
    return precarga.reporte(resultado, archivo=archivo.name, formato=formato)
