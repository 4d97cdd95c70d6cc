# Cluster Academy LMS. `make run` starts the academy; `make test` runs the suite.
# Needs only Python 3.11+ with pip: everything else is installed into .venv.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: run test install install-dev demo lint audit lock clean

$(PY):
	@# venv may be missing on a minimal Python (Debian's python3-venv); fall back
	@# to virtualenv from PyPI.
	$(PYTHON) -m venv $(VENV) || ( $(PYTHON) -m pip install --user --quiet virtualenv && $(PYTHON) -m virtualenv $(VENV) )
	$(PY) -m pip install --quiet --upgrade pip

# requirements.txt and requirements-dev.txt name what the project uses;
# requirements.lock and requirements-dev.lock (made from them by `make lock`)
# pin every package, dependencies too, with the hashes of their files: pip
# refuses anything else, so an install is the same everywhere and a tampered
# download cannot get in.
$(VENV)/.installed: requirements.lock | $(PY)
	$(PY) -m pip install --quiet --require-hashes -r requirements.lock
	@touch $@

$(VENV)/.installed-dev: requirements.lock requirements-dev.lock | $(PY)
	$(PY) -m pip install --quiet --require-hashes -r requirements-dev.lock
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

## audit: known vulnerabilities (PyPI's advisory feed) in every locked package
## (dependencies included) and in whatever else is installed in the venv
audit: install-dev
	@# The lock pins and hashes everything, so pip-audit checks it as written
	@# instead of resolving it in a throw-away venv (--disable-pip).
	@# -s pypi: only PyPI is reachable from CI, not OSV.
	$(BIN)/pip-audit -r requirements-dev.lock --require-hashes --strict -s pypi --disable-pip
	$(BIN)/pip-audit --strict -s pypi --local --skip-editable

## lock: pin and hash every dependency of requirements.txt and
## requirements-dev.txt (run after changing either)
PIP_TOOLS := pip-tools==7.7.0
LOCK_FLAGS := --quiet --generate-hashes --strip-extras --allow-unsafe --no-emit-index-url --no-emit-find-links
lock: | $(PY)
	$(PY) -m pip install --quiet $(PIP_TOOLS)
	$(BIN)/pip-compile $(LOCK_FLAGS) --output-file requirements.lock requirements.txt
	@# The development lock keeps the runtime lock's versions.
	$(BIN)/pip-compile $(LOCK_FLAGS) --constraint requirements.lock --output-file requirements-dev.lock requirements-dev.txt

clean:
	rm -rf var/test-runs var/celery
