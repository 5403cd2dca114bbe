# The two commands: `make run` (install + build every export) and `make test` (install + every test).
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: run test check install system lint bench screenshots clean

run: install
	$(BIN)/solidarity-edu build
	$(BIN)/solidarity-edu screenshots

test: install
	$(BIN)/python -m pytest

# The fast lane while you work (under 3 minutes): ruff, the lesson linter, and the unit, notebook and
# deploy tests, without building the course, starting a hub or opening a browser; property tests sized
# down. CI runs `make test`, which runs everything.
check: install
	$(BIN)/ruff check solidarity_edu tests bench deploy scripts
	$(BIN)/ruff format --check solidarity_edu tests bench deploy scripts
	$(BIN)/solidarity-edu lint
	$(BIN)/solidarity-edu data check
	SOLIDARITY_EDU_FAST=1 $(BIN)/python -m pytest -q -m "not slow"

install: system $(VENV)/.installed node_modules/.installed

system:
	@scripts/install-system.sh

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	@touch $@

# axe-core (accessibility checks) and configurable-http-proxy (JupyterHub's proxy), pinned by the lockfile.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

lint: install
	$(BIN)/ruff check solidarity_edu tests bench deploy scripts
	$(BIN)/ruff format --check solidarity_edu tests bench deploy scripts
	$(BIN)/solidarity-edu lint
	$(BIN)/solidarity-edu data check

# PNGs of every lesson's first slide, worksheet page 1 and guide page 1, shown on exports/index.html.
screenshots: install
	$(BIN)/solidarity-edu build
	$(BIN)/solidarity-edu screenshots

bench: install
	$(BIN)/python bench/run.py

clean:
	rm -rf exports/*/ exports/index.html exports/.build-state.json exports/.cache exports/screenshots
