# Conóceles — developer entry points. `make run` and `make test` work on a fresh clone.
SHELL := /bin/bash
UV := $(shell command -v uv 2>/dev/null || echo "$(HOME)/.local/bin/uv")
export UV_LINK_MODE ?= copy
SERVICIOS := identidad captura validacion publicacion estadistica auditoria

.PHONY: run test lint typecheck contracts unit setup bench clean

$(UV):
	@echo "Instalando uv (gestor de entornos de Python)…"
	python3 -m pip install --user --quiet "uv==0.13.9" || python3 -m pip install --quiet "uv==0.13.9"

setup: $(UV)
	$(UV) sync --frozen --all-packages

run: setup
	$(UV) run conoceles dev --demo

lint: setup
	$(UV) run ruff check .
	$(UV) run ruff format --check .

typecheck: setup
	$(UV) run mypy -p comun $(foreach s,$(SERVICIOS),-m $(s).domain)

contracts: setup
	$(UV) run lint-imports

test: lint typecheck contracts
	$(UV) run pytest

bench: setup
	$(UV) run python bench/bench_store.py
	$(UV) run python bench/bench_bus.py
	$(UV) run python bench/bench_arranque.py

clean:
	rm -rf .venv .mypy_cache .ruff_cache
