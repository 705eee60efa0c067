# The two commands of the README: `make run` and `make test`. Each installs what it needs.
PYTHON ?= python3.13
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip
PORT ?= 8000

.PHONY: run setup test lint format messages bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade "pip>=25.1"

$(VENV)/.app-installed: pyproject.toml | $(BIN)/python
	$(PIP) install --quiet --group app
	touch $@

$(VENV)/.test-installed: pyproject.toml | $(BIN)/python
	$(PIP) install --quiet --group test
	touch $@

$(VENV)/.bench-installed: pyproject.toml | $(BIN)/python
	$(PIP) install --quiet --group bench
	touch $@

## setup: install, migrate and load the demo data (SQLite unless DATABASE_URL is set)
setup: $(VENV)/.app-installed
	$(BIN)/python manage.py migrate --no-input -v0
	$(BIN)/python manage.py demo

## run: start the application with demo data at http://127.0.0.1:8000
# DEBUG is off unless set (kvu/settings.py); `make run`, and the setup it runs first, develop.
run: export DEBUG ?= true
# Links in the e-mails of a development run point at the port actually served.
run: export SITE_URL ?= http://127.0.0.1:$(PORT)
run: setup
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

## test: run the whole test suite (browser tests need /usr/bin/chromium)
test: $(VENV)/.test-installed
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.test-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.test-installed
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## messages: refresh the translation catalogues after changing user-facing text
messages: export DEBUG ?= true
messages: $(VENV)/.app-installed
	$(BIN)/python manage.py makemessages -l nl -l en --ignore=.venv --ignore=staticfiles --no-obsolete
	$(BIN)/python manage.py compilemessages --ignore=.venv

## bench: large dataset in PostgreSQL (database kvu_bench at 127.0.0.1:5432, recreated), gunicorn,
## load at 1 and 8 users, soak with faults; writes bench/results.json and docs/performance.md
bench: $(VENV)/.bench-installed
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
