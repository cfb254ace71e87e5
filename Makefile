# Evidence Academy — the front door. `make help` lists the targets.
.DEFAULT_GOAL := help
SHELL := /bin/bash

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | sha1sum | cut -c1-12)
HOST ?= 127.0.0.1
PORT ?= 8000
# The background task worker (docs/deployment.md "Background work"): the database backend's,
# or RQ's when TASKS_BACKEND=rq.
ifeq ($(TASKS_BACKEND),rq)
WORKER := rqworker default --job-class django_tasks_rq.Job --with-scheduler
else
WORKER := db_worker --backend background --queue-name default --no-reload
endif

.PHONY: help install run worker serve setup test lint format check-migrations check-content check-facts curriculum messages translations demo pilot lock system-deps browser-deps clean cluster loadtest

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-18s %s\n", $$1, $$2}'

$(STAMP): requirements.txt requirements-dev.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	@rm -f $(VENV)/.installed-*
	@touch $@

install: $(STAMP) ## Create .venv and install the locked versions

translations: $(STAMP) ## Compile locale/*/django.po into .mo files
	$(MANAGE) compile_translations

setup: install translations ## Migrate, create the cache table, load the demo content if the database is empty and the curriculum
	$(MANAGE) migrate --noinput
	$(MANAGE) createcachetable
	$(MANAGE) load_demo_content --if-empty
	$(MANAGE) load_curriculum

run: setup ## Install, migrate, load the demo and the curriculum, and serve on http://127.0.0.1:8000 (SQLite) with a task worker beside it
	@$(MANAGE) demo_accounts
	@$(MANAGE) $(WORKER) & worker=$$!; trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT; \
	$(MANAGE) runserver $(HOST):$(PORT)

# scripts/cluster and the load test (docs/deployment.md "Several machines", docs/performance.md).
# The database must exist (createdb); the cluster migrates it and loads the demo if it is empty.
CLUSTER_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/evidence_academy_cluster
CLUSTER_REDIS_URL ?= redis://127.0.0.1:6379/0
CLUSTER_DIR ?= /tmp/evidence-academy-cluster
CLUSTER_ARGS ?=  # e.g. --proxy-port 8080 --app-ports 8001,8002 --workers 4
CLUSTER := scripts/cluster start --dir $(CLUSTER_DIR) --database-url $(CLUSTER_DATABASE_URL) --redis-url $(CLUSTER_REDIS_URL) --demo $(CLUSTER_ARGS)

cluster: $(STAMP) ## Proxy, two app servers, a task worker and an object store on this machine (PostgreSQL and Redis must run), until Ctrl-C
	$(CLUSTER)

loadtest: $(STAMP) ## A 40-person workshop day with Locust against a fresh scripts/cluster, then again killing one app server half-way
	@set -e; for run in "" --kill-one-server; do \
	  $(CLUSTER) --detach; trap 'scripts/cluster stop --dir $(CLUSTER_DIR)' EXIT; \
	  DATABASE_URL=$(CLUSTER_DATABASE_URL) $(MANAGE) loadtest --cluster-dir $(CLUSTER_DIR) $$run; \
	  scripts/cluster stop --dir $(CLUSTER_DIR); trap - EXIT; \
	done

worker: $(STAMP) ## Run the background task worker alone (certificates, emails); make run starts one
	$(MANAGE) $(WORKER)

lint: $(STAMP) ## Ruff lint and format check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP) ## Apply ruff's fixes and formatting
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

check-content: $(STAMP) ## The curriculum content check (every language complete, answers, citations)
	$(MANAGE) check_curriculum

check-facts: $(STAMP) ## Fail if a dated fact in curriculum/status.yaml is past its review date (scheduled job)
	$(MANAGE) check_curriculum --strict

curriculum: $(STAMP) ## Load or update the starter course from curriculum/ (keeps pages edited in the admin)
	$(MANAGE) load_curriculum

check-migrations: $(STAMP) ## Fail if a model change has no migration
	DJANGO_SETTINGS_MODULE=config.settings.test $(MANAGE) makemigrations --check --dry-run

# The suite runs on PYTEST_WORKERS processes (pytest-xdist), each taking whole test files;
# PYTEST_WORKERS=0 runs it in this one process.
PYTEST_WORKERS ?= 2
test: install translations lint check-migrations check-content ## Install, lint, check migrations and course content, run the whole suite (SQLite unless DATABASE_URL is set)
	$(BIN)/pytest -n $(PYTEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

messages: $(STAMP) ## Extract interface strings into locale/*/django.po (needs GNU gettext)
	$(MANAGE) makemessages $(foreach l,en fr es ar ru zh_Hans pt vi,-l $(l)) --add-location=file --ignore=.venv --ignore=tests --ignore=static_collected
	$(MANAGE) sync_catalogues
	$(MANAGE) compile_translations

demo: setup ## Load the demo content (no-op if it is there), seed the pilot cohort and print the demo accounts
	$(MANAGE) seed_pilot_cohort
	@$(MANAGE) demo_accounts

pilot: setup ## Simulated pilot learners take the starter course's quizzes, for "Results by question" (idempotent; not part of make run)
	$(MANAGE) seed_pilot_cohort

lock: ## Re-resolve requirements*.in into the lock files (needs PyPI)
	rm -rf /tmp/ea-lock && $(PYTHON) -m venv /tmp/ea-lock
	/tmp/ea-lock/bin/pip install --quiet -r requirements.in
	{ echo "# Lock file: exact versions of requirements.in and everything they pull in."; \
	  echo "# Regenerate with 'make lock'."; /tmp/ea-lock/bin/pip freeze; } > requirements.txt
	/tmp/ea-lock/bin/pip install --quiet -r requirements-dev.in
	{ echo "# Lock file for the test tools (requirements-dev.in); includes requirements.txt."; \
	  echo "-r requirements.txt"; /tmp/ea-lock/bin/pip freeze | grep -v -x -F -f <(grep -v '^#' requirements.txt); } > requirements-dev.txt

system-deps: ## Install the system packages the full suite needs (Chromium, gettext; run as root)
	scripts/install-system-deps

clean: ## Remove the virtualenv, the SQLite database and compiled files
	rm -rf $(VENV) db.sqlite3 static_collected
	find . -name '*.mo' -path './locale/*' -delete
