# Abrzad — run `make help` for the list of targets.
.DEFAULT_GOAL := help
SHELL := /bin/bash

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
MANAGE := $(CURDIR)/$(BIN)/python $(CURDIR)/manage.py

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else "Python 3.12 or newer is needed; found " + sys.version.split()[0])'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.runtime-installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev-installed: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.runtime-installed

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

locale/fa/LC_MESSAGES/django.mo: locale/fa/LC_MESSAGES/django.po | $(VENV)/.runtime-installed
	cd locale && DEBUG=true $(MANAGE) compilemessages --locale fa --verbosity 0

.PHONY: setup
setup: $(VENV)/.runtime-installed node_modules/.installed locale/fa/LC_MESSAGES/django.mo ## Install everything and compile translations

.PHONY: run
run: setup ## Set up, migrate, load demo data and serve on http://127.0.0.1:8000 (PORT=… to change)
	mkdir -p var
	DEBUG=true $(MANAGE) migrate --verbosity 0
	DEBUG=true BASE_URL=http://127.0.0.1:$(PORT) $(MANAGE) load_demo
	DEBUG=true BASE_URL=http://127.0.0.1:$(PORT) $(MANAGE) runserver 127.0.0.1:$(PORT)

.PHONY: test
test: $(VENV)/.dev-installed node_modules/.installed locale/fa/LC_MESSAGES/django.mo ## Run the whole test suite (SQLite, or DATABASE_URL)
	mkdir -p var/static
	$(BIN)/pytest $(PYTEST_ARGS)

.PHONY: lint
lint: $(VENV)/.dev-installed ## Lint with ruff and check the import boundaries between apps
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

.PHONY: format
format: $(VENV)/.dev-installed ## Format the code with ruff
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

.PHONY: bench
bench: $(VENV)/.dev-installed node_modules/.installed locale/fa/LC_MESSAGES/django.mo ## Run the benchmarks and print ratios to their references
	$(BIN)/python -m bench.run $(BENCH_ARGS)

.PHONY: messages
messages: $(VENV)/.runtime-installed ## Extract translatable strings into locale/fa
	DEBUG=true $(MANAGE) makemessages --locale fa --extension html,txt,py --ignore '.venv/*' --ignore 'node_modules/*' --ignore 'var/*' --no-obsolete
	cd locale && DEBUG=true $(MANAGE) compilemessages --locale fa --verbosity 0

.PHONY: help
help: ## List the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'
