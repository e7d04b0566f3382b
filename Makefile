# Conóceles — developer entry points. `make run` and `make test` work on a fresh clone.
SHELL := /bin/bash
# uv from PATH, else a private copy installed from PyPI into .herramientas/ on first use.
UV := $(shell command -v uv 2>/dev/null || echo .herramientas/bin/uv)
export UV_LINK_MODE ?= copy
# The lock file is the truth: a pyproject change without `uv lock` fails instead of re-locking.
export UV_FROZEN ?= 1
SERVICIOS := identidad captura validacion publicacion estadistica auditoria

.PHONY: run test lint typecheck contracts unit setup bench clean infra

.herramientas/bin/uv:
	@echo "Instalando uv 0.13.9 (gestor de entornos de Python) en .herramientas/…"
	python3 -m venv .herramientas
	.herramientas/bin/pip install --quiet "uv==0.13.9"

setup: $(if $(filter .herramientas/bin/uv,$(UV)),.herramientas/bin/uv)
	$(UV) lock --check
	$(UV) sync --frozen --all-packages

run: setup
	$(UV) run conoceles dev --demo

lint: setup
	$(UV) run ruff check .
	$(UV) run ruff format --check .

typecheck: setup
	$(UV) run mypy -p comun -p conoceles $(foreach s,$(SERVICIOS),-p $(s).domain)

contracts: setup
	$(UV) run lint-imports

# Real Kafka, FerretDB and Keycloak for the tests, unless all three CONOCELES_TEST_* are given;
# Debian's Chromium for the browser tests in every case.
INFRA_ENV := $(or $(CONOCELES_DATOS),var)/infra/test.env
infra: setup
	@if [ -n "$$CONOCELES_TEST_MONGODB_URL" ] && [ -n "$$CONOCELES_TEST_KAFKA" ] \
	    && [ -n "$$CONOCELES_TEST_KEYCLOAK_URL" ]; then \
	  echo "Pruebas con los servidores de CONOCELES_TEST_*; no se inicia infraestructura local."; \
	  $(UV) run conoceles infra up chromium; \
	else $(UV) run conoceles infra up; fi

test: lint typecheck contracts infra
	if [ -f "$(INFRA_ENV)" ]; then . "$(INFRA_ENV)"; fi; $(UV) run pytest

bench: setup
	$(UV) run python bench/bench_store.py
	$(UV) run python bench/bench_bus.py
	$(UV) run python bench/bench_arranque.py

clean:
	rm -rf .venv .mypy_cache .ruff_cache
