# Two commands: `make run` (set up everything and serve) and `make test` (the whole suite).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
CHROMIUM ?= /usr/bin/chromium
# Two test processes: the suite (with its browser and schemathesis runs) takes half the time.
PYTEST_WORKERS ?= 2
PYTEST_ARGS ?=
# What makes this checkout a development machine (DEBUG=1), read by config/settings.py, so that
# `.venv/bin/python manage.py …` works as the README prints it. Never copy it to a server.
DEV_ENV ?= var/.env

.PHONY: run serve setup test bench install install-dev lint format lock clean

run: setup ## set up everything, then serve http://127.0.0.1:8000/
	@echo "Serving http://$(HOST):$(PORT)/ (admin at http://$(HOST):$(PORT)/admin/); Ctrl-C stops."
	DEBUG=1 $(BIN)/python manage.py runserver $(HOST):$(PORT)

setup: install $(DEV_ENV)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_sample
	$(BIN)/python manage.py create_editor editor

$(DEV_ENV):
	@mkdir -p $(dir $@)
	@printf '%s\n' '# Written by `make run`: this checkout is a development machine.' \
	  '# Variables set in the environment win over these. Never copy this file to a server.' \
	  'DEBUG=1' > $@

test: install-dev node_modules/.installed ## run the whole suite
	@test -x "$(CHROMIUM)" || { echo "Browser tests need Chromium at $(CHROMIUM): apt-get install chromium (or set CHROMIUM=)"; exit 1; }
	CHROMIUM=$(CHROMIUM) $(BIN)/python -m pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

# Benchmarks (not part of `make test`): bench/run.py; SCALE=1 for the large corpus.
SCALE ?= sample
BENCH_DBS ?= sqlite postgres
SECONDS ?= 5
ROUNDS ?= 3

bench: install ## the reads against a bare Django view, under gunicorn (bench/README.md)
	$(BIN)/python -m bench.run --scale $(SCALE) --databases $(BENCH_DBS) --seconds $(SECONDS) --rounds $(ROUNDS)

install: $(VENV)/.base-installed
install-dev: $(VENV)/.dev-installed

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.base-installed: requirements/base.lock | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements/base.lock
	@touch $@

$(VENV)/.dev-installed: requirements/dev.lock | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements/dev.lock
	@touch $@ $(VENV)/.base-installed

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	@touch $@

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

lock: install-dev ## re-lock dependencies after editing pyproject.toml
	$(BIN)/python -m pip install --quiet pip-tools
	$(BIN)/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url --no-emit-find-links -o requirements/base.lock pyproject.toml
	$(BIN)/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url --no-emit-find-links --extra dev -o requirements/dev.lock pyproject.toml

clean:
	rm -rf $(VENV) node_modules var/static .pytest_cache
