"""`python -m conoceles` runs the CLI."""

from conoceles.cli import app

app(prog_name="conoceles")
