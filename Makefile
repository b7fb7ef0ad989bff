# Rapport — the two commands: `make run` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

# The first Python >= 3.12 found: python3.13, python3.12, pyenv's, then python3.
PYTHON ?= $(shell for c in python3.13 python3.12 $$HOME/.pyenv/versions/3.13*/bin/python3 $$HOME/.pyenv/versions/3.12*/bin/python3 python3; do \
	if command -v $$c >/dev/null 2>&1 && $$c -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then command -v $$c; break; fi; done)

.PHONY: help run test lint typecheck check install migrate demo worker clean

help:
	@echo "make run    set up, migrate, load demo data on first run, serve web + worker + scheduler"
	@echo "make test   set up, then run the whole test suite"
	@echo "make check  ruff and mypy"

$(STAMP): pyproject.toml
	@if [ -z "$(PYTHON)" ]; then \
		echo "Rapport needs Python 3.12 or newer, and none was found (tried python3.13, python3.12, pyenv, python3)." >&2; \
		echo "Install one (e.g. 'pyenv install 3.13' or your system's python3.13 package) or run 'make PYTHON=/path/to/python3.12 run'." >&2; \
		exit 1; fi
	@echo "Using $(PYTHON) ($$($(PYTHON) --version))"
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,redis]'
	@touch $(STAMP)

install: $(STAMP)

migrate: install
	@mkdir -p var
	$(BIN)/rapport migrate --noinput

demo: migrate
	$(BIN)/rapport demo --if-empty

run: demo
	@$(BIN)/rapport banner
	$(BIN)/honcho start -f Procfile

worker: migrate
	$(BIN)/rapport worker

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check rapport bench conftest.py
	$(BIN)/ruff format --check rapport bench conftest.py

typecheck: install
	$(BIN)/mypy rapport conftest.py

check: lint typecheck

clean:
	rm -rf $(VENV) var/static .pytest_cache .mypy_cache .ruff_cache
