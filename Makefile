# cnpj-radar: two commands for a newcomer — `make up` and `make test`. Each installs what is missing first.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION := 20
export PYTHONDONTWRITEBYTECODE := 1
# The stage the synth and the local cloud run: `make synth STAGE=prod`, `RADAR_STAGE=staging make up` (dev by default).
export RADAR_STAGE := $(or $(STAGE),$(RADAR_STAGE),dev)


.PHONY: help install up test suite test-fast bench-localcloud lint typecheck synth invoke seed ops ops-deps browser redrive schedule fuzz chaos load bench openapi clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | column -t -s $$'\t'

$(STAMP): pyproject.toml
	@command -v node >/dev/null || { echo "Node.js is required for CDK synth (apt-get install nodejs)"; exit 1; }
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --require-hashes --no-deps -r <(sed -n '/^uv==/,/# via/p' requirements-dev.lock)
	$(UV) pip install --quiet --python $(PY) --require-hashes --no-deps -r requirements-dev.lock || \
	  $(PY) -m pip install --quiet --require-hashes --no-deps -r requirements-dev.lock
	$(UV) pip install --quiet --python $(PY) --no-deps -e . -e ./sdk
	@touch $(STAMP)

# The virtualenv follows the dev lock (exact versions, hashes), rebuilt when it changes too; the SDK's dependencies
# are in that lock, so the sdk package (radar_sdk, the `radar` CLI) goes in without its own resolution. uv, itself
# pinned and hashed in that lock, installs it (parallel downloads, no bytecode compile: a minute where pip took five
# on a clean clone); pip installs the same lock if uv cannot.
UV := $(VENV)/bin/uv
$(STAMP): requirements-dev.lock sdk/pyproject.toml

install: $(STAMP) ## create .venv and install the pinned dependencies (only when pyproject.toml changed)

up: $(STAMP) ## start the whole local cloud (moto, resources from the CDK template, functions, gateway) and print its URLs
	$(PY) -m scripts.localcloud up

# lint and typecheck run beside the suite (mypy takes one core for minutes on a clean clone, while the suite's first
# part, unit and infra, is not timing-sensitive); the suite starts once the CLIs and the console are installed.
# Sections below add what the suite needs as prerequisites of suite. `make test` fails when any of them fails.
test: $(STAMP) browser ## lint, typecheck and run the whole suite (unit, infra, integration, e2e)
	$(MAKE) --no-print-directory --jobs=4 lint typecheck suite

suite: $(STAMP) ## the whole pytest suite (unit, infra, integration, e2e) without lint and typecheck
	env -u MAKEFLAGS -u MFLAGS $(PY) -m pytest

test-fast: $(STAMP) ## unit tests only
	$(PY) -m pytest tests/unit -q

lint: $(STAMP) ## ruff
	$(VENV)/bin/ruff check .

typecheck: $(STAMP) ## mypy: the domain package, then the CDK app, the scripts, the SDK (strict) and each handler
	$(VENV)/bin/mypy
	$(VENV)/bin/mypy infra_cdk scripts
	$(VENV)/bin/mypy --strict sdk/src/radar_sdk
	@for f in functions/*/app.py; do $(VENV)/bin/mypy --no-error-summary $$f || exit 1; done

synth: $(STAMP) ## synthesize the CDK app into cdk.out (cached by a hash of the sources)
	$(PY) -m scripts.localcloud synth

invoke: $(STAMP) ## run one function once with one event and print its logs and result (like sam local invoke): make invoke FN=checks EVENT=events/checks/get_health.json
	@test -n "$(FN)" -a -n "$(EVENT)" || { echo "usage: make invoke FN=<function> EVENT=<events/...json>"; exit 2; }
	$(PY) -m scripts.localcloud invoke $(FN) $(EVENT)

seed: $(STAMP) ## on the running local cloud: sign up (or log in to) the demo tenant and print a fresh API key
	$(PY) -m scripts.seed_demo

schedule: $(STAMP) ## on the running local cloud: fire an EventBridge schedule now, e.g. make schedule RULE=BillingSweepSchedule (the hourly billing sweep); no RULE lists them
	$(PY) -m scripts.localcloud schedule $(RULE)

redrive: $(STAMP) ## on the running local cloud: move dead checks from the DLQ back to the queue (REDRIVE_ARGS=--dry-run)
	$(PY) scripts/redrive_dlq.py $(REDRIVE_ARGS)

bench-localcloud: $(STAMP) ## local cloud figures: make up to first /health (cold/warm synth), /health p50/p99 gateway vs in-process, memory
	$(PY) -m scripts.bench.localcloud

chaos: $(STAMP) ## 500 async checks, 30% provider faults, workers killed: every check final, queue and DLQ accounted (CHAOS_ARGS="--api-url ...")
	$(PY) -m scripts.chaos $(CHAOS_ARGS)

load: $(STAMP) ## tenants on four plans for a fixed time: 0 5xx, friendly 429s, p50/p99 per route (LOAD_ARGS="--seconds 90 --api-url ...")
	$(PY) -m scripts.load $(LOAD_ARGS)

bench: $(STAMP) ## the benchmark figures, one `name: value` line each: upstream calls, 429s, overhead, cold starts, drain, cost (BENCH_ARGS="--api-url ...")
	$(PY) -m scripts.bench.run $(BENCH_ARGS)

openapi: $(STAMP) ## regenerate docs/openapi.json from the handlers and the SDK's models from it (make test fails when either drifts)
	$(PY) -m scripts.openapi

fuzz: $(STAMP) ## contract fuzzing: Schemathesis, every check, >= 1000 requests on a private local cloud (FUZZ_ARGS="--api-url ...")
	$(PY) -m scripts.fuzz $(FUZZ_ARGS)

ops: $(STAMP) ## the running local cloud's alarms and dashboard figures in the terminal (OPS_ARGS="--watch 5")
	$(PY) -m scripts.localcloud.opsview $(OPS_ARGS)

ops-deps: ## install Debian's chromium for the dashboard browser test (needs root; never `playwright install`)
	@command -v chromium >/dev/null && { echo "chromium: $$(command -v chromium)"; exit 0; }; \
	test "$$(id -u)" = 0 || { echo "run as root (or: sudo apt-get install -y chromium)"; exit 1; }; \
	apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium

browser: ## chromium for the e2e dashboard test: installed when missing and running as root, else a note
	@command -v chromium >/dev/null || { test "$$(id -u)" = 0 && $(MAKE) --no-print-directory ops-deps; } || \
	echo "note: chromium is missing and this is not root: the dashboard browser test will fail (make ops-deps as root)"

clean: ## remove build output and the local cloud's kept state (.local: tables, keys, logs); keeps .venv
	rm -rf cdk.out .local .pytest_cache .mypy_cache .ruff_cache

# The pinned CDK CLI (infra_cdk/cli, npm ci from its committed lock) and SAM CLI (its own virtualenv: its pins would
# hold the project's boto3 and pydantic back), for the CLI checks in make test and for people who deploy.
CDK_CLI := infra_cdk/cli/node_modules/.bin/cdk
SAM_CLI := $(VENV)/sam/bin/sam

$(CDK_CLI): infra_cdk/cli/package-lock.json
	npm ci --prefix infra_cdk/cli --no-audit --no-fund --silent
	@touch $(CDK_CLI)

$(SAM_CLI): infra_cdk/cli/sam-requirements.txt | $(STAMP)
	@test -x $(VENV)/sam/bin/python || $(PYTHON) -m venv $(VENV)/sam
	$(UV) pip install --quiet --python $(VENV)/sam/bin/python --require-hashes --no-deps \
	  -r infra_cdk/cli/sam-requirements.txt || \
	  $(VENV)/sam/bin/python -m pip install --quiet --require-hashes --no-deps -r infra_cdk/cli/sam-requirements.txt
	@touch $(SAM_CLI)

.PHONY: tools lock audit cdk-synth migrate restore-drill
tools: $(STAMP) $(CDK_CLI) $(SAM_CLI) ## install the pinned CDK CLI (npm ci) and SAM CLI (.venv/sam) the CLI checks use

suite: tools

lock: $(STAMP) ## regenerate the lock files from pyproject.toml's ranges (uv, exact versions and hashes)
	$(PY) -m scripts.lock

audit: $(STAMP) ## pip-audit every lock file against PyPI's vulnerability data (fails on any unignored advisory)
	$(PY) -m scripts.audit

cdk-synth: tools ## the real CDK CLI's synth (cdk-nag on) of STAGE (dev, staging, prod or all) into cdk.out
	RADAR_BUNDLE=$${RADAR_BUNDLE:-0} CDK_DISABLE_CLI_TELEMETRY=true $(CDK_CLI) synth -c radar:stage=$(RADAR_STAGE) --no-notices -q

migrate: $(STAMP) ## data migrations: make migrate ARGS="status|up|down --table main [--dry-run]" (scripts/migrate)
	$(PY) -m scripts.migrate $(ARGS)

restore-drill: $(STAMP) ## export, destroy, restore and verify a table on the running local cloud (scripts/restore_drill.py)
	$(PY) -m scripts.restore_drill $(ARGS)

# --- the tenant web console (console/; issue 17). `make test` runs its typecheck and unit tests too. ---------------
.PHONY: console console-deps console-types console-check

console-deps: $(STAMP) ## npm ci for the console when console/node_modules is missing or stale (hash of the lockfile)
	$(PY) -m scripts.console deps

console: $(STAMP) ## build the console into console/dist (cached by a hash of its sources, like synth)
	$(PY) -m scripts.console build

console-types: $(STAMP) ## regenerate the console's typed API client from docs/openapi.json (make test fails when it drifts)
	$(PY) -m scripts.console types

console-check: $(STAMP) ## the console's TypeScript typecheck and vitest suite (with the typed-client drift test)
	$(PY) -m scripts.console check

suite: console-check
