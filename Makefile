VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# Empty: the first run prints a random password per demo account, once.
DEMO_PASSWORD ?=

.PHONY: run serve worker test lint install migrate seed keys

# With the `redis` extra (small), so that the tests of the Redis task queue run where Redis answers.
$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev,redis]'
	touch $@

install: $(VENV)/.installed

# This install's SECRET_KEY and FIELD_ENCRYPTION_KEY, generated once (git-ignored, mode 600).
.env.local: | $(VENV)/.installed
	$(PY) -m yichuang.localkeys

keys: .env.local

migrate: install .env.local
	$(PY) manage.py migrate --noinput
	$(PY) manage.py createcachetable

# The demo is served as a hall would see it: no debug pages (friendly 404/500), over plain HTTP
# on the loopback (so no HTTPS redirect, HSTS or Secure-only cookies). `make run DEBUG=true`
# brings Django's debug pages back for development.
DEBUG ?= false
RUN_ENV := DEBUG=$(DEBUG) SECURE_SSL_REDIRECT=false SECURE_HSTS_SECONDS=0 \
	SESSION_COOKIE_SECURE=false CSRF_COOKIE_SECURE=false

run: migrate
	$(PY) manage.py seed_demo $(if $(DEMO_PASSWORD),--password '$(DEMO_PASSWORD)')
	$(RUN_ENV) $(PY) manage.py runserver 127.0.0.1:$(PORT)

# The same demo under an ASGI server (issue 18): the hall screen, the calling consoles and
# the ticket pages are told of each call by server-sent events instead of polling (under
# runserver they poll). gunicorn runs WEB_WORKERS uvicorn workers; with more than one, set
# REDIS_URL so that a call handled by one worker reaches the pages connected to another.
WEB_WORKERS ?= 1
serve: migrate
	$(PY) manage.py seed_demo $(if $(DEMO_PASSWORD),--password '$(DEMO_PASSWORD)')
	$(RUN_ENV) $(VENV)/bin/gunicorn yichuang.asgi:application -k uvicorn_worker.UvicornWorker \
		-w $(WEB_WORKERS) -b 127.0.0.1:$(PORT) --graceful-timeout 10

# Background tasks on a worker: the queue in the database (TASKS_BACKEND=database, the default
# here) or in Redis (TASKS_BACKEND=rq with REDIS_URL), and the scheduler of periodic jobs.
# Run the web server with the same TASKS_BACKEND so that its tasks go to this worker
# (`make run` alone runs them inline). WORKERS=N runs N worker processes.
WORKERS ?= 1
worker: migrate
	TASKS_BACKEND=$(or $(TASKS_BACKEND),database) $(PY) manage.py run_worker --workers $(WORKERS)

test: install
	$(PY) -m pytest

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(PY) manage.py makemigrations --check --dry-run
