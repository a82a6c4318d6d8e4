# xieshang — the two commands: `make run` and `make test` (see README.md).

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
STAMP := $(VENV)/.installed
# The suite runs on every core (pytest-xdist); PYTEST_WORKERS=0 runs it in one process.
PYTEST_WORKERS ?= auto

.PHONY: run install test lint layers typecheck migrations-check pytest messages worker beat clean screenshots

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

## make run: install, migrate a SQLite database under var/, load the demo data, serve.
run: install
	mkdir -p var
	DEBUG=1 $(PY) manage.py migrate --noinput
	DEBUG=1 $(PY) manage.py seed_demo
	@echo "Serving on http://$(HOST):$(PORT)/  (Ctrl-C stops)"
	DEBUG=1 $(PY) manage.py serve $(HOST):$(PORT)

## make test: lint, types, migrations, and the suite on SQLite (and PostgreSQL when
## DATABASE_URL points to one).
test: install lint layers typecheck migrations-check pytest

lint:
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

## layers: each app imports only from the apps below it (pyproject.toml, import-linter).
layers:
	$(VENV)/bin/lint-imports

typecheck:
	XIESHANG_TESTING=1 $(VENV)/bin/mypy .

migrations-check:
	XIESHANG_TESTING=1 DATABASE_URL= $(PY) manage.py makemigrations --check --dry-run

pytest:
	@echo "== pytest on SQLite"
	env -u DATABASE_URL XIESHANG_TESTING=1 $(PY) -m pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)
	@if [ -n "$$DATABASE_URL" ]; then \
		echo "== pytest on $${DATABASE_URL%%:*}"; \
		XIESHANG_TESTING=1 $(PY) -m pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS); \
	fi

## make screenshots: phone and desktop screenshots of the main pages in var/screenshots/
## (a real browser; not part of make test).
screenshots: install
	env -u DATABASE_URL XIESHANG_TESTING=1 XIESHANG_SCREENSHOTS=1 $(PY) -m pytest -p no:xdist -q xieshang/workspace/tests/test_screenshots.py
	@ls var/screenshots | wc -l | xargs echo "screenshots in var/screenshots/:"

## make messages: refresh and compile the Chinese translation after changing strings.
messages: install
	XIESHANG_TESTING=1 $(PY) manage.py makemessages --locale zh_Hans --no-obsolete --no-location --ignore '.venv/*' --ignore 'var/*'
	XIESHANG_TESTING=1 $(PY) manage.py compilemessages --locale zh_Hans --ignore '.venv/*'

worker: install
	$(VENV)/bin/celery -A xieshang worker --loglevel INFO

beat: install
	$(VENV)/bin/celery -A xieshang beat --loglevel INFO

clean:
	rm -rf $(VENV) var/staticfiles
