VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000
DEMO_PASSWORD ?= yichuang2026

.PHONY: run test lint install migrate seed

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed

migrate: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py createcachetable

run: migrate
	$(PY) manage.py seed_demo --password $(DEMO_PASSWORD)
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

test: install
	$(PY) -m pytest

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run
