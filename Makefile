# Optovik — two commands: `make run` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000

help:
	@echo "make run    install, migrate, seed demo data (first start), serve on http://127.0.0.1:$(PORT) with a task worker"
	@echo "make test   the whole suite on SQLite and PostgreSQL, browser tests included"
	@echo "make bench  benchmarks (figures go to docs/benchmarks.md)"
	@echo "make lint   ruff, import-linter, migrations and deploy checks"
	@echo "make lock   re-pin requirements.lock from requirements.in"
	@echo "make messages  re-extract and compile translations"

$(VENV)/.installed: requirements.lock scripts/find-python
	@set -e; PYBIN=$$(scripts/find-python); \
	  if [ ! -x $(PY) ]; then echo "Creating $(VENV) with $$PYBIN"; "$$PYBIN" -m venv $(VENV); fi; \
	  $(PY) -m pip install -q --disable-pip-version-check -r requirements.lock
	@touch $@

install: $(VENV)/.installed

run: install
	@scripts/run

test: install
	@scripts/test

lint: install
	@scripts/lint

bench: install
	@scripts/bench

lock:
	@set -e; PYBIN=$$(scripts/find-python); tmp=$$(mktemp -d); "$$PYBIN" -m venv $$tmp; \
	  $$tmp/bin/pip install -q -r requirements.in; \
	  (echo "# Pinned by 'make lock' from requirements.in (Python 3.12+)."; $$tmp/bin/pip freeze) > requirements.lock; rm -rf $$tmp

messages: install
	$(PY) manage.py makemessages -l ru -l en --ignore=.venv --ignore=tests --ignore=bench
	$(PY) scripts/compile_messages.py

.PHONY: help install run test lint bench lock messages
