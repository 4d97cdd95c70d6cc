# Cluster Academy LMS. `make run` starts the academy; `make test` runs the suite.
# Needs only Python 3.11+ with pip: everything else is installed into .venv.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: run test install install-dev demo lint audit clean

$(PY):
	@# venv may be missing on a minimal Python (Debian's python3-venv); fall back
	@# to virtualenv from PyPI.
	$(PYTHON) -m venv $(VENV) || ( $(PYTHON) -m pip install --user --quiet virtualenv && $(PYTHON) -m virtualenv $(VENV) )
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements.txt
	@touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

# Links in e-mails and on certificates follow the address served (an address
# set in the environment wins).
run demo: export WAGTAILADMIN_BASE_URL ?= http://$(HOST):$(PORT)

demo: install
	$(PY) manage.py migrate --noinput --verbosity 0
	$(PY) manage.py load_demo_academy

## run: install, migrate, load the demo academy, start a Celery worker and the web server
run: demo
	$(PY) manage.py run_academy --host $(HOST) --port $(PORT)

## test: install what the tests need and run the whole suite
test: install-dev
	$(PY) -m pytest $(PYTEST_ARGS)

## lint: formatting, lint rules, the architecture's import contracts
## (pyproject.toml) and missing migrations
lint: install-dev
	$(BIN)/black --check --quiet academy_site courses enrolments home certificates tests benchmarks
	$(BIN)/ruff check .
	$(BIN)/lint-imports --no-cache
	$(PY) manage.py makemigrations --check --dry-run

## audit: known vulnerabilities (PyPI's advisory feed) in the pinned requirements
## and in everything installed in the venv (their dependencies too)
audit: install-dev
	@# Every requirement is pinned exactly, so pip-audit checks the pins as written
	@# (--no-deps) instead of building a throw-away venv to resolve them
	@# (--disable-pip); the second run covers the transitive dependencies.
	@# -s pypi: only PyPI is reachable from CI, not OSV.
	$(BIN)/pip-audit -r requirements.txt -r requirements-dev.txt --strict -s pypi --no-deps --disable-pip
	$(BIN)/pip-audit --strict -s pypi --local --skip-editable

clean:
	rm -rf var/test-runs var/celery
