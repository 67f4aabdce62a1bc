# Mentorat — the two commands a new user needs: `make run` and `make test`.
SHELL := /bin/bash
UV ?= $(shell command -v uv 2>/dev/null || echo "$(HOME)/.local/bin/uv")
VENV := .venv
BIN := $(VENV)/bin
DEMO_ADMIN_EMAIL ?= admin@mentorat.example
DEMO_ADMIN_PASSWORD ?= mentorat-demo-2026
PG_TEST_URL ?= postgresql://postgres@127.0.0.1:5432/test

.PHONY: run test test-sqlite test-pg lint typecheck openapi openapi-check openapi-lint node-tools client client-check docs-assets docs-assets-check migrate-check schemathesis multiprocess-check backup-check bench install install-run uv clean

uv:
	@command -v uv >/dev/null 2>&1 || [ -x "$(UV)" ] || python3 -m pip install --quiet --user uv || python3 -m pip install --quiet uv

# `make run` installs what the service needs to run; `make test` (and every check) adds the
# dev tools. --inexact: serving after testing keeps the tools instead of uninstalling them.
$(VENV)/.installed-run: pyproject.toml uv.lock | uv
	@UV_BIN=$$(command -v uv 2>/dev/null || echo "$(UV)"); $$UV_BIN sync --frozen --no-dev --inexact
	@touch $@

$(VENV)/.installed: pyproject.toml uv.lock | uv
	@UV_BIN=$$(command -v uv 2>/dev/null || echo "$(UV)"); $$UV_BIN sync --frozen --all-groups
	@touch $@ $(VENV)/.installed-run

install-run: $(VENV)/.installed-run

install: $(VENV)/.installed

run: install-run
	@$(BIN)/mentorat migrate
	@$(BIN)/mentorat seed-demo --if-empty --admin-email "$(DEMO_ADMIN_EMAIL)" --admin-password "$(DEMO_ADMIN_PASSWORD)"
	@echo ""
	@echo "  Mentorat is starting on http://127.0.0.1:8000 (Swagger UI: http://127.0.0.1:8000/docs)"
	@echo "  Log in with Authorize: $(DEMO_ADMIN_EMAIL) / $(DEMO_ADMIN_PASSWORD)"
	@echo ""
	@# The worker (emails to ./mail/ without SMTP settings) runs beside the server and stops with it.
	@$(BIN)/mentorat worker & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
		$(BIN)/mentorat serve --no-migrate --host 127.0.0.1 --port 8000

# SQLite always; PostgreSQL too when MENTORAT_TEST_DATABASE_URL is set.
test: install
	env -u MENTORAT_TEST_DATABASE_URL $(BIN)/python -m pytest
	@if [ -n "$$MENTORAT_TEST_DATABASE_URL" ]; then \
		echo "== again on PostgreSQL"; \
		$(BIN)/python -m pytest; \
	fi

test-sqlite: install
	env -u MENTORAT_TEST_DATABASE_URL $(BIN)/python -m pytest

test-pg: install
	MENTORAT_TEST_DATABASE_URL=$(PG_TEST_URL) $(BIN)/python -m pytest

lint: install
	$(BIN)/ruff check app tests bench migrations
	$(BIN)/ruff format --check app tests bench migrations
	$(BIN)/lint-imports

typecheck: install
	$(BIN)/mypy app

openapi: install
	$(BIN)/mentorat openapi

openapi-check: install
	$(BIN)/mentorat openapi --check

# The contract's tools from npm, at the versions of package-lock.json (Node.js 20).
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

node-tools: node_modules/.installed

# Redocly CLI's recommended ruleset over openapi/openapi.json (exceptions, each with its
# reason, in openapi/.redocly.lint-ignore.yaml).
openapi-lint: node-tools
	npx --no-install redocly lint openapi/openapi.json --config openapi/redocly.yaml --format=stylish

# The typed TypeScript client of openapi/typescript/ (openapi-typescript + openapi-fetch):
# `make client` regenerates it after `make openapi`; `make client-check` compares it, runs
# `tsc --strict` and the example program against a live server.
client: node-tools
	npx --no-install openapi-typescript openapi/openapi.json -o openapi/typescript/schema.d.ts

client-check: install node-tools
	bash scripts/client-check.sh

# Swagger UI and ReDoc under app/static/ are byte for byte the pinned npm packages
# (`make docs-assets` copies them again after a version change in package.json).
docs-assets: node-tools
	bash scripts/docs-assets.sh

docs-assets-check: node-tools
	bash scripts/docs-assets.sh --check

migrate-check: install
	bash scripts/migrate-check.sh

# Two API processes and two workers on PostgreSQL under a bounded mixed load (needs Redis).
# Schemathesis against live servers with the demo data, as two hubs' coordinators and an API
# client (scripts/schemathesis-check.sh; SCHEMATHESIS_MAX_TIME seconds per identity).
schemathesis: install
	bash scripts/schemathesis-check.sh

multiprocess-check: install
	$(BIN)/python scripts/multiprocess_check.py --pg "$${MENTORAT_TEST_PG_SERVER:-postgresql://postgres@127.0.0.1:5432}"

# The documented pg_dump / pg_restore commands on scratch databases, then a read-back check.
backup-check: install
	bash scripts/backup-restore-check.sh

bench: install
	bash bench/run.sh

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
