# Carrefour: `make run` serves the portal, `make test` runs the whole suite.
# Both install what they need first, on a fresh clone of a fresh machine.

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python

.PHONY: run test install assets messages chromium khal migrate demo lint bench clean

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
	$(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules -v 0

chromium:
	@command -v chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium)
	@# The browser tests validate every page with the Nu Html Checker (node_modules/vnu-jar), a Java program.
	@command -v java >/dev/null || (apt-get update -qq && apt-get install -y -qq default-jre-headless)

# A test imports the calendar files, with their alarms, into khal (a calendar program).
khal:
	@command -v khal >/dev/null || (apt-get update -qq && apt-get install -y -qq khal)

migrate: install
	mkdir -p var/mail
	$(PY) manage.py migrate --no-input

demo: migrate
	$(PY) manage.py seed_demo

run: demo
	@echo "Carrefour on http://127.0.0.1:8000 — web, Celery worker and beat (Ctrl-C stops all)."
	DEBUG=1 $(BIN)/honcho start -f Procfile

test: install chromium khal
	mkdir -p var/screenshots
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

# The benchmark (issue 7): a large network in its own PostgreSQL database,
# served the production way on 127.0.0.1 and driven with wrk. The dataset is
# made once and kept while its version holds. BENCH_ARGS="--seconds 10" for
# longer runs. Figures: the terminal and var/bench/results.json. Every step
# runs under devtools.bench.settings: the production settings with devtools.
# Then the same network over twenty years (seed.HISTORY, its own database,
# made once too) serves the pages whose cost must not grow with history, and
# their p50s are compared with the five-year ones (BENCH_HISTORY=0 skips it).
BENCH_DB ?= carrefour_bench
BENCH_HISTORY_DB ?= $(BENCH_DB)_history
BENCH_HISTORY ?= 1
bench_env = DJANGO_SETTINGS_MODULE=devtools.bench.settings \
	DEBUG=0 SECRET_KEY="$$(cat var/bench/secret_key)" ALLOWED_HOSTS=127.0.0.1,localhost \
	DATABASE_URL=postgres://postgres@127.0.0.1:5432/$(1) REDIS_URL=redis://127.0.0.1:6379/$(2)
BENCH_ENV = $(call bench_env,$(BENCH_DB),13)
BENCH_HISTORY_ENV = $(call bench_env,$(BENCH_HISTORY_DB),14)

bench: install
	@command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)
	@pg_isready -h 127.0.0.1 -p 5432 -q || pg_ctlcluster --skip-systemctl-redirect "$$(ls /etc/postgresql)" main start
	@redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 || redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no
	@for _ in $$(seq 1 30); do pg_isready -h 127.0.0.1 -p 5432 -q && redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && break; sleep 1; done
	@for db in $(BENCH_DB) $(BENCH_HISTORY_DB); do \
		psql -h 127.0.0.1 -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='$$db'" | grep -q 1 \
		|| createdb -h 127.0.0.1 -U postgres $$db; done
	@mkdir -p var/bench && (test -s var/bench/secret_key || head -c 64 /dev/urandom | base64 | tr -dc 'a-zA-Z0-9' > var/bench/secret_key)
	$(BENCH_ENV) $(PY) manage.py migrate --no-input -v 0
	@# collectstatic compresses every file (a minute on 2 cores): only when a source is newer.
	@test -f staticfiles/staticfiles.json && test -z "$$(find static node_modules/bootstrap/dist node_modules/htmx.org/dist node_modules/cytoscape/dist \
		-newer staticfiles/staticfiles.json -type f | head -1)" || $(BENCH_ENV) $(PY) manage.py collectstatic --no-input -v 0
	$(BENCH_ENV) $(PY) manage.py seed_bench
	$(BENCH_ENV) $(PY) manage.py bench $(BENCH_ARGS)
	@test "$(BENCH_HISTORY)" = 0 || { $(BENCH_HISTORY_ENV) $(PY) manage.py migrate --no-input -v 0 \
		&& $(BENCH_HISTORY_ENV) $(PY) manage.py seed_bench --history \
		&& $(BENCH_HISTORY_ENV) $(PY) manage.py bench --history $(BENCH_ARGS); }

clean:
	rm -rf var/ staticfiles/ .pytest_cache
