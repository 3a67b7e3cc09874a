# Xinyu — make help lists the targets.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_WORKERS ?= 2
# Under CI, `make test` measures branch coverage and fails below the floors (scripts/coverage_floor.py).
COVERAGE_ARGS := $(if $(CI),--cov --cov-report=,)

.DEFAULT_GOAL := help
.PHONY: help install run setup test lint format messages bench clean

help: ## List the targets
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  \033[36m%-12s\033[0m %s\n", $$1, $$2}'

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python requirements/base.txt requirements/dev.txt
	$(BIN)/pip install --quiet -r requirements/dev.txt
	@touch $@

# Front-end libraries (ECharts) from npm, reinstalled only when package-lock.json changes.
node_modules/.package-lock.json: package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund
	@touch $@

install: $(VENV)/.installed node_modules/.package-lock.json ## Create the virtualenv, install pinned Python and npm dependencies

setup: install ## Migrate the embedded database, compile translations, load demo content
	@mkdir -p var
	$(MANAGE) compilemessages --ignore=.venv --ignore=node_modules -v 0
	$(MANAGE) migrate --noinput -v 0
	$(MANAGE) load_demo

run: setup ## Run the platform with demo content at http://127.0.0.1:8000 (SQLite, eager tasks)
	$(MANAGE) runserver $(HOST):$(PORT)

test: install ## Run the test suite (SQLite by default; set DATABASE_URL for PostgreSQL; CI=true adds coverage)
	@mkdir -p var/test-artifacts
	$(MANAGE) compilemessages --ignore=.venv --ignore=node_modules -v 0
	DJANGO_SETTINGS_MODULE=cms.settings.test $(BIN)/pytest -n $(PYTEST_WORKERS) $(COVERAGE_ARGS) $(PYTEST_ARGS)
	$(if $(CI),$(BIN)/python scripts/coverage_floor.py)

lint: install ## ruff lint and format check, import layering contracts, Django checks, migrations up to date
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	DJANGO_SETTINGS_MODULE=cms.settings.test $(MANAGE) check
	DJANGO_SETTINGS_MODULE=cms.settings.test $(MANAGE) makemigrations --check --dry-run

format: install ## Format the code with ruff
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

messages: install ## Extract translatable strings into locale/zh_Hans (then translate and compile)
	$(MANAGE) makemessages -l zh_Hans --ignore=.venv --ignore=node_modules --ignore=var --ignore=tests --ignore=bench --no-obsolete
	$(MANAGE) compilemessages --ignore=.venv --ignore=node_modules

$(VENV)/.bench-installed: $(VENV)/.installed requirements/bench.txt
	$(BIN)/pip install --quiet -r requirements/bench.txt
	@# wrk drives the side-by-side benchmarks (decision 0044): a Debian package, not a Python one.
	@command -v wrk >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
	@touch $@

bench: install $(VENV)/.bench-installed ## Run every benchmark on PostgreSQL (own xinyu_bench database if DATABASE_URL is unset), regenerate docs/benchmarks.md, print the table
	@url="$$DATABASE_URL"; \
	if ! echo "$$url" | grep -q '^postgres'; then url=$$($(BIN)/python -m bench.database); fi; \
	if [ -z "$$url" ]; then \
		echo "PostgreSQL does not answer on 127.0.0.1 and DATABASE_URL is unset: only the database-independent benchmarks run (SQLite)."; \
		$(BIN)/python -m bench; \
	else \
		export DATABASE_URL="$$url"; echo "Benchmarks on $$DATABASE_URL (load average: $$(cut -d' ' -f1-3 /proc/loadavg))"; \
		$(MANAGE) migrate --noinput -v 0 && \
		$(MANAGE) generate_city_data --if-missing && \
		$(BIN)/python -m bench && \
		$(BIN)/python -m bench.reports > /dev/null && \
		$(BIN)/python -m bench.delivery_report > /dev/null && \
		$(BIN)/python -m bench.delivery_load && \
		$(BIN)/python -m bench.membership_join && \
		$(BIN)/python -m bench.evaluation > /dev/null && \
		$(BIN)/python -m bench.deadline_load; \
	fi
	$(BIN)/python -m bench.record --doc

clean: ## Remove the embedded database, media and caches (keeps the virtualenv)
	rm -rf var/xinyu.sqlite3 var/media var/test-media .pytest_cache
