# The two commands a newcomer needs: `make run` and `make test` (see README.md).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: run setup serve test lint unit install clean system-packages bench-autosave bench-report bench-search bench-workshop

$(STAMP): requirements.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	@rm -f $(VENV)/.installed-*
	@touch $(STAMP)

install: $(STAMP)

## make run: install, migrate, load content and demo data, print logins, serve on http://127.0.0.1:5000
run: setup serve

setup: install
	@$(BIN)/ctsat doctor
	$(BIN)/ctsat db-upgrade
	$(BIN)/ctsat load
	$(BIN)/ctsat seed-demo

serve: install
	@echo "CTSAT is serving on http://127.0.0.1:5000 with a background worker for e-mail and reminders (Ctrl+C stops both). Sign in with a login printed above."
	$(BIN)/ctsat serve --workers 2 --bind 127.0.0.1:5000

## make test: everything CI checks
test: lint unit

lint: install
	$(BIN)/ruff check app tests bench migrations/env.py config.py wsgi.py
	$(BIN)/ruff format --check app tests bench config.py wsgi.py
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/ctsat validate questionnaires/

unit: install
	$(BIN)/pytest

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis

## make system-packages: the Debian packages for browser tests, PostgreSQL and PDF fonts (needs root)
system-packages:
	apt-get update -qq && grep -v '^#' .ci/packages.txt | xargs apt-get install -y -qq --no-install-recommends

## make bench-autosave: autosave req/s vs. a bare Flask + SQLAlchemy upsert, and the results page time (needs wrk; ARGS="--postgres URL" for PostgreSQL)
bench-autosave: install
	$(BIN)/python -m bench.autosave $(ARGS)

## make bench-search: search p95 at 5,000 and 20,000 synthetic resources (SQLite; ARGS="--postgres URL" for PostgreSQL)
bench-search: install
	$(BIN)/python -m bench.search $(ARGS)

## make bench-report: the gap-analysis PDF of a fully answered 25+ page assessment vs. WeasyPrint alone, and a cached repeat
bench-report: install
	$(BIN)/python -m bench.report

## make bench-workshop: 60 participants answering and the facilitator's board polling for 60 s: p95, errors, 304 share (ARGS="--seconds N")
bench-workshop: install
	$(BIN)/python -m bench.workshop $(ARGS)
