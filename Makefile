# Every target bootstraps what it needs: .venv from uv.lock, node_modules from package-lock.json.
.DEFAULT_GOAL := help
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
MAKEFLAGS += --no-builtin-rules

PYTHON ?= python3
# The one pin of uv: pyproject.toml's [tool.uv] required-version. The client's build requirement,
# a uv_build range from the uv-build of uv.lock, holds it, so `uv build` needs no download.
UV_VERSION := $(shell sed -n 's/^required-version = "==\(.*\)"$$/\1/p' pyproject.toml)
UV := .tools/bin/uv
PY := .venv/bin/python
VENV := .venv/.synced
NODE := node_modules/.installed
GENERATED := build/generate.stamp
SPEC_FILES := $(shell find openapi -type f -name '*.yaml' | LC_ALL=C sort) redocly.yaml
GENERATOR_INPUTS := $(SPEC_FILES) $(shell find scripts contract -type f -not -path '*/__pycache__/*') \
	pyproject.toml uv.lock package-lock.json LICENSE

.PHONY: help
help: ## Show this list of targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  %-18s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

$(UV):
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

# The generated client is importable in .venv, from its folder, as once installed: the reference
# server answers with its models, and the benchmarks and tests call it.
$(VENV): pyproject.toml uv.lock | $(UV)
	$(UV) sync --locked --quiet --python $(PYTHON)
	@echo "$(CURDIR)/generated/client" > "$$($(PY) -c 'import sysconfig; print(sysconfig.get_path("purelib"))')/generated-client.pth"
	@touch $@

$(NODE): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

.PHONY: venv node_modules
venv: $(VENV) ## Create .venv with the exact tool versions of uv.lock
node_modules: $(NODE) ## Install the Node tools pinned in package-lock.json (Redocly CLI, Prism)

.PHONY: lint
lint: $(VENV) $(NODE) ## Check the spec: openapi-spec-validator, Redocly and the house rules
	$(PY) -m scripts.lint

.PHONY: generate
generate: $(GENERATED) ## Lint the spec, then regenerate generated/ and docs/assumptions.md

$(GENERATED): $(GENERATOR_INPUTS) | $(VENV) $(NODE)
	$(PY) -m scripts.generate
	@mkdir -p $(@D) && touch $@

.PHONY: docs
docs: $(GENERATED) | $(VENV) $(NODE) ## Build the static reference site in build/site/ (HTML page, spec, table)
	$(PY) -m scripts.docs

.PHONY: check-generated
check-generated: $(VENV) $(NODE) ## Fail with a diff when generated/ or docs/assumptions.md is stale
	$(PY) -m scripts.generate --check
	@# Fresh output, just proved: the targets that need it (conformance, proxy) need not rebuild it.
	@mkdir -p $(dir $(GENERATED)) && touch $(GENERATED)

.PHONY: typecheck
typecheck: $(VENV) ## ruff and mypy --strict on the handwritten code
	$(PY) -m ruff check scripts contract tests reference_server benchmarks docs/tutorial
	$(PY) -m ruff format --check scripts contract tests reference_server benchmarks docs/tutorial
	$(PY) -m mypy scripts contract tests reference_server benchmarks docs/tutorial/buggy_server.py
	$(PY) -m ruff check --no-cache generated/client
	$(PY) -m mypy --strict generated/client/customer_interface_client

.PHONY: dist
# FIRST_RELEASE=1: there is no release tag yet, and that is right. ALLOW_DIRTY=1 (dist): a draft
# built from uncommitted changes.
dist: | $(VENV) $(NODE) ## Build dist/: client wheel and sdist at its own version, bundled spec and docs archive at info.version, SHA256SUMS (refuses a tagged version, a bump short of the rules, a dirty tree)
	$(PY) -m scripts.dist $(if $(FIRST_RELEASE),--first-release) $(if $(ALLOW_DIRTY),--allow-dirty)

.PHONY: changelog
changelog: $(VENV) $(NODE) ## Prepend this release's entry to CHANGELOG.md: client and API version, make breaking's classification and the Python API's changes since the last release tag
	$(PY) -m scripts.changelog $(if $(FIRST_RELEASE),--first-release)

BASE ?=
# OLD=path NEW=path: compare two spec files instead of the work tree with a git reference.
OLD ?=
NEW ?=

# FORMAT=text|json|markdown|junit|github; OUTPUT=<file> writes the report there.
FORMAT ?= text
OUTPUT ?=

.PHONY: breaking
breaking: $(VENV) $(NODE) ## Classify spec changes since BASE=<ref> (default: latest release tag, else main), or from OLD=<file> to NEW=<file>; fail on an unannounced break; FORMAT=json|markdown|junit|github, OUTPUT=<file>
	@$(PY) -m scripts.breaking $(strip $(if $(BASE),--base '$(BASE)') \
		$(if $(OLD),--old '$(OLD)') $(if $(NEW),--new '$(NEW)') --format '$(FORMAT)' \
		$(if $(OUTPUT),--output '$(OUTPUT)'))

breaking-agreement: $(VENV) $(NODE) ## Measure how often make breaking agrees with oasdiff on oasdiff's own checker test pairs
	$(PY) -m benchmarks.agreement

.PHONY: ci-lint
ci-lint: $(VENV) ## Check the workflows and the conformance action in .github/ with actionlint and zizmor
	.venv/bin/actionlint
	.venv/bin/zizmor --offline --no-progress --quiet .github

.PHONY: test
# TEST_WORKERS: pytest processes (pytest-xdist): auto = one per core; 0 runs them in this one.
TEST_WORKERS ?= auto

test: lint check-generated typecheck ci-lint ## Everything CI runs: lint, freshness, types, workflows, pytest (docs in Chromium included)
	$(PY) -m pytest -n $(TEST_WORKERS)

# `make serve` options. API_USER/API_PASSWORD, not USER, which the shell already sets. They
# reach the server in its environment (exported below), so neither make's echo of the recipe
# nor `ps` shows them. PASSWORD_FILE: read the password from that file's first line (mode 0600);
# a missing file receives a generated one. Without either, the server generates a password into
# a temporary 0600 file and prints that file's path, not the password. SERVE_ARGS takes the
# rest, e.g. SERVE_ARGS="--synthetic 100000" or SERVE_ARGS="--load groups.json".
HOST ?= 127.0.0.1
PORT ?= 8080
API_USER ?=
API_PASSWORD ?=
PASSWORD_FILE ?=
export API_USER API_PASSWORD
DB ?=
SERVE_ARGS ?=
# A bundled spec other than generated/openapi.yaml, for `make serve` and `make conformance`.
SPEC ?=

.PHONY: serve
serve: $(VENV) ## Run the reference server (HOST, PORT, API_USER, API_PASSWORD, PASSWORD_FILE, DB, SPEC, SERVE_ARGS)
	$(PY) -m reference_server $(strip --host '$(HOST)' --port '$(PORT)' $(SERVE_ARGS) \
		$(if $(SPEC),--spec '$(SPEC)') \
		$(if $(PASSWORD_FILE),--password-file '$(PASSWORD_FILE)') $(if $(DB),--db '$(DB)'))

.PHONY: clean
clean: ## Remove build output and caches (keeps generated/, which is committed)
	rm -rf build reports .pytest_cache .mypy_cache .ruff_cache .hypothesis .schemathesis

.PHONY: distclean
distclean: clean ## Also remove .venv, .tools and node_modules
	rm -rf .venv .tools node_modules

BASE_URL ?=
# AUTH=user:password for BASE_URL travels in the environment (exported), never on a command
# line; or AUTH_FILE names a 0600 file whose first line is user:password.
AUTH ?=
AUTH_FILE ?=
export AUTH
# MAX_EXAMPLES, SEED, RATE_LIMIT, MAX_REQUESTS, REPORTS, MIN_COVERAGE, CONCURRENCY,
# FIRST_ANSWER_TIMEOUT: unset, the command's own defaults apply (`python -m
# scripts.conformance --help` shows them).
# Set ALLOW_PARTIAL=1 to pass although some rules could not be checked (no data, budget spent).
ALLOW_PARTIAL ?=

.PHONY: conformance
conformance: $(GENERATED) ## Fuzz a live server against the spec (BASE_URL, AUTH=user:pass or AUTH_FILE, SPEC, MAX_EXAMPLES, SEED, RATE_LIMIT, MAX_REQUESTS, REPORTS, MIN_COVERAGE, ALLOW_PARTIAL, CONCURRENCY, FIRST_ANSWER_TIMEOUT)
	$(PY) -m scripts.conformance $(strip $(if $(SPEC),--spec '$(SPEC)') \
		$(if $(MAX_EXAMPLES),--max-examples '$(MAX_EXAMPLES)') $(if $(SEED),--seed '$(SEED)') \
		$(if $(RATE_LIMIT),--rate-limit '$(RATE_LIMIT)') \
		$(if $(MAX_REQUESTS),--max-requests '$(MAX_REQUESTS)') \
		$(if $(REPORTS),--reports '$(REPORTS)') \
		$(if $(MIN_COVERAGE),--min-coverage '$(MIN_COVERAGE)') \
		$(if $(BASE_URL),--base-url '$(BASE_URL)') $(if $(AUTH_FILE),--auth-file '$(AUTH_FILE)') \
		$(if $(ALLOW_PARTIAL),--allow-partial))

# The HAR file `make check-traffic` judges (exported by a browser, Playwright, mitmproxy or
# Postman); BASE_URL, when the traffic went elsewhere than the spec's server path.
HAR ?=

.PHONY: check-traffic
check-traffic: $(GENERATED) ## Judge recorded traffic against the spec and its declared behaviour (HAR=file.har, BASE_URL, SPEC, REPORTS, MIN_COVERAGE)
	$(PY) -m scripts.check_traffic $(strip $(if $(HAR),'$(HAR)') $(if $(SPEC),--spec '$(SPEC)') \
		$(if $(REPORTS),--reports '$(REPORTS)') $(if $(BASE_URL),--base-url '$(BASE_URL)') \
		$(if $(MIN_COVERAGE),--min-coverage '$(MIN_COVERAGE)'))

# `make proxy`: TARGET is the server to forward to (with the API's path prefix); PROXY_PORT the
# loopback port to listen on (8081); HAR where the session goes when it stops; STRICT=1 answers
# a response that breaks the contract with 502.
TARGET ?=
PROXY_PORT ?=
STRICT ?=

.PHONY: proxy
proxy: $(GENERATED) ## Run a validating proxy in front of a server (TARGET=url, PROXY_PORT, HAR, STRICT=1, SPEC)
	$(PY) -m scripts.proxy $(strip $(if $(TARGET),--target '$(TARGET)') \
		$(if $(PROXY_PORT),--port '$(PROXY_PORT)') \
		$(if $(HAR),--har '$(HAR)') $(if $(STRICT),--strict) $(if $(SPEC),--spec '$(SPEC)'))

# `make bench` options for benchmarks/run.py, e.g. BENCH_ARGS="--only server --seconds 10", or
# BENCH_ARGS=--large to measure 1,000,000 groups too (seeding them takes about two minutes).
BENCH_ARGS ?=

.PHONY: bench
bench: $(GENERATED) | $(VENV) $(NODE) ## Measure generate, the reference server against Prism (wrk), conformance and the client; write benchmarks/results/ and docs/benchmarks.md
	@if ! command -v wrk >/dev/null; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			echo "installing wrk (Debian package) for the server benchmarks"; \
			export DEBIAN_FRONTEND=noninteractive; \
			{ apt-get update -qq && apt-get install -y -qq --no-install-recommends wrk >/dev/null; } \
				|| echo "could not install wrk: the server benchmarks will be skipped"; \
		else \
			echo "wrk is not installed: the server benchmarks will be skipped" \
				"(install it with: sudo apt-get install wrk)"; \
		fi; \
	fi
	$(PY) -m benchmarks.run $(BENCH_ARGS)
