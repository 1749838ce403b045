# Carrefour: `make run` serves the portal, `make test` runs the whole suite.
# Both install what they need first, on a fresh clone of a fresh machine.

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python

.PHONY: run test install assets messages chromium migrate demo lint bench clean

$(VENV)/.installed: requirements.txt
	@# WeasyPrint (the PDF of the minutes and of the evaluation) draws with Pango.
	@ldconfig -p | grep -q libpangoft2-1.0 || (apt-get update -qq && apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core)
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

install: $(VENV)/.installed node_modules/.installed messages

assets: node_modules/.installed

# The translation catalogue is compiled here; the .mo files are not committed.
messages: $(VENV)/.installed
	@command -v msgfmt >/dev/null || (apt-get update -qq && apt-get install -y -qq gettext)
	DEBUG=1 $(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules -v 0

chromium:
	@command -v chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium)

migrate: install
	mkdir -p var/mail
	DEBUG=1 $(PY) manage.py migrate --no-input

demo: migrate
	DEBUG=1 $(PY) manage.py seed_demo

run: demo
	@echo "Carrefour on http://127.0.0.1:8000 — web, Celery worker and beat (Ctrl-C stops all)."
	DEBUG=1 $(BIN)/honcho start -f Procfile

test: install chromium
	mkdir -p var/screenshots
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

clean:
	rm -rf var/ staticfiles/ .pytest_cache
