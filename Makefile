# Two commands set everything up on a fresh machine: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# What WeasyPrint needs to typeset Chinese, what the browser tests drive, the PDF tools, and the
# Java that runs the W3C Nu HTML checker.
DEBIAN_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk fonts-noto-core
DEBIAN_TEST_PACKAGES := chromium poppler-utils qpdf gettext openjdk-17-jre-headless
# The benchmarks' load generator (bench-web), and taskset to pin it and the server to their cores.
DEBIAN_BENCH_PACKAGES := wrk util-linux
LOCAL_PG := postgres://postgres@127.0.0.1:5432/bulletin
# The tests' pytest-xdist processes: gwN uses Redis database N after REDIS_URL's
# (bulletin/settings/test.py), so REDIS_URL's database plus TEST_WORKERS stays within Redis's 16.
# TEST_WORKERS=0 runs the suite in one process.
LOCAL_REDIS := redis://127.0.0.1:6379/12
TEST_WORKERS ?= 2

.PHONY: run test validate install lock upgrade system-deps system-test-deps migrate demo lint format messages system-bench-deps \
	collectstatic pages web worker beat bench-web bench-search bench-pdf bench-mail bench-import bench-admin bench-links

run: install system-deps migrate demo
	@echo "Serving on http://127.0.0.1:8000/ (admin: http://127.0.0.1:8000/admin/)"
	@# Without Celery beat, scheduled publishing and the job sweep run in a second process.
	@$(PY) manage.py run_periodic --loop & periodic=$$!; \
	trap "kill $$periodic 2>/dev/null" EXIT INT TERM; \
	DEBUG=1 $(PY) manage.py runserver 127.0.0.1:8000

test: install system-test-deps
	@set -e; \
	probe() { $(PY) -c "import socket,sys; socket.create_connection(('127.0.0.1', $$1), 1)" 2>/dev/null; }; \
	if [ -z "$$DATABASE_URL" ]; then \
	  if probe 5432; then export DATABASE_URL=$(LOCAL_PG); echo "make test: PostgreSQL at $$DATABASE_URL"; \
	  else echo "make test: no PostgreSQL on 127.0.0.1:5432, using SQLite (PostgreSQL-only tests skip)"; fi; \
	fi; \
	if [ -z "$$REDIS_URL" ]; then \
	  if probe 6379; then export REDIS_URL=$(LOCAL_REDIS); echo "make test: Redis at $$REDIS_URL"; \
	  else echo "make test: no Redis on 127.0.0.1:6379 (Redis tests skip)"; fi; \
	fi; \
	$(PY) -m pytest -n $(TEST_WORKERS) --dist loadfile -m "not quiet" $(PYTEST_ARGS); \
	echo "make test: the tests that time the pages (Lighthouse), alone on the machine"; \
	$(PY) -m pytest -m quiet $(or $(PYTEST_ARGS),tests/validators) || [ $$? -eq 5 ]

# The outside validators alone (W3C Nu, axe-core, Lighthouse, the sitemap schema, feedparser);
# `make test` runs them too.
validate:
	$(MAKE) test PYTEST_ARGS="tests/validators $(PYTEST_ARGS)"

install: $(STAMP)

# Exactly the versions of the lock file, checked against their hashes (make lock / make upgrade
# write it from pyproject.toml).
$(STAMP): requirements/dev.lock
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is needed ($(PYTHON) not found)"; exit 1; }
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --require-hashes -r requirements/dev.lock
	touch $(STAMP)

# The lock files: base.lock for production (the Dockerfile), dev.lock with the test tools on top.
# `make lock` after a change to pyproject.toml keeps every version that still fits; `make
# upgrade` moves everything to the newest versions pyproject.toml allows, then runs the tests.
UV_COMPILE = $(VENV)/bin/uv pip compile pyproject.toml --python-version 3.11 --universal \
	--generate-hashes --no-header --quiet

lock: install
	$(UV_COMPILE) $(UV_FLAGS) --extra s3 --extra sentry -o requirements/base.lock
	$(UV_COMPILE) $(UV_FLAGS) --extra s3 --extra sentry --extra dev -c requirements/base.lock \
		-o requirements/dev.lock

upgrade:
	$(MAKE) lock UV_FLAGS=--upgrade
	$(MAKE) test

# Installs the Debian packages when it may (root with apt-get); otherwise names them.
system-deps:
	@bin/debian-packages $(DEBIAN_PACKAGES)

system-bench-deps:
	@bin/debian-packages $(DEBIAN_BENCH_PACKAGES)

system-test-deps: system-deps node_modules/.package-lock.json
	@bin/debian-packages $(DEBIAN_TEST_PACKAGES)

# The npm test tools (axe-core, the Nu checker's vnu-jar, Lighthouse), installed again whenever
# package-lock.json is newer than the last install (npm writes node_modules/.package-lock.json).
node_modules/.package-lock.json: package-lock.json
	npm ci --no-audit --no-fund --silent

migrate: install
	$(PY) manage.py migrate --noinput

demo: install
	$(PY) manage.py load_demo

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

messages: install
	$(PY) manage.py makemessages -l zh_Hans --no-wrap --ignore=.venv --ignore=var --ignore=node_modules
	$(PY) manage.py makemessages -d djangojs -l zh_Hans --no-wrap --ignore=.venv --ignore=var --ignore=node_modules
	$(PY) manage.py compilemessages --ignore=.venv

# The production stack's commands, used by docker-compose.yml and by a plain server alike.
collectstatic: install
	$(PY) manage.py collectstatic --noinput

# The stored page of every public issue, rendered again (after a deploy that changes templates).
pages: install
	$(PY) manage.py pages_render

web:
	$(VENV)/bin/gunicorn bulletin.wsgi --bind 0.0.0.0:8000 --workers $${WEB_CONCURRENCY:-3}

worker:
	$(VENV)/bin/celery -A bulletin worker --loglevel=INFO

beat:
	$(VENV)/bin/celery -A bulletin beat --loglevel=INFO

# Benchmarks (see bench/README.md); each prints ratios against a baseline of the same run.
bench-web: install system-bench-deps
	DATABASE_URL=$${DATABASE_URL:-$(LOCAL_PG)} REDIS_URL=$${REDIS_URL:-$(LOCAL_REDIS)} $(PY) bench/web_issue.py

bench-search: install
	DATABASE_URL=$${DATABASE_URL:-$(LOCAL_PG)} $(PY) bench/search_index.py

bench-pdf: install
	DATABASE_URL=$${DATABASE_URL:-$(LOCAL_PG)} $(PY) bench/pdf_render.py

bench-mail: install
	DATABASE_URL=$${DATABASE_URL:-$(LOCAL_PG)} REDIS_URL=$${REDIS_URL:-$(LOCAL_REDIS)} $(PY) bench/mail_send.py

bench-import: install
	$(PY) bench/import_text.py

bench-admin: install
	DATABASE_URL=$${DATABASE_URL:-$(LOCAL_PG)} $(PY) bench/admin_pages.py

bench-links: install
	DATABASE_URL=$${DATABASE_URL:-$(LOCAL_PG)} REDIS_URL=$${REDIS_URL:-$(LOCAL_REDIS)} $(PY) bench/link_capture.py
