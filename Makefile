# Every target bootstraps what it needs: .venv from uv.lock, node_modules from package-lock.json.
.DEFAULT_GOAL := help
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
MAKEFLAGS += --no-builtin-rules

PYTHON ?= python3
UV_VERSION := 0.13.8
UV := .tools/bin/uv
PY := .venv/bin/python
VENV := .venv/.synced
NODE := node_modules/.installed
GENERATED := build/generate.stamp
SPEC_FILES := $(shell find openapi -type f -name '*.yaml' | LC_ALL=C sort) redocly.yaml
GENERATOR_INPUTS := $(SPEC_FILES) $(wildcard scripts/*.py scripts/*.yaml scripts/client_templates/*) \
	pyproject.toml uv.lock package-lock.json

.PHONY: help
help: ## Show this list of targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  %-18s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

$(UV):
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(VENV): pyproject.toml uv.lock | $(UV)
	$(UV) sync --locked --quiet --python $(PYTHON)
	@touch $@

$(NODE): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

.PHONY: venv node_modules
venv: $(VENV) ## Create .venv with the exact tool versions of uv.lock
node_modules: $(NODE) ## Install the Node tools pinned in package-lock.json (Redocly CLI, Optic)

.PHONY: lint
lint: $(VENV) $(NODE) ## Check the spec: openapi-spec-validator, Redocly and the house rules
	$(PY) -m scripts.lint

.PHONY: generate
generate: $(GENERATED) ## Lint the spec, then regenerate generated/ and the README's assumptions table

$(GENERATED): $(GENERATOR_INPUTS) | $(VENV) $(NODE)
	$(PY) -m scripts.generate
	@mkdir -p $(@D) && touch $@

.PHONY: check-generated
check-generated: $(VENV) $(NODE) ## Fail with a diff when generated/ or the README table is stale
	$(PY) -m scripts.generate --check

.PHONY: typecheck
typecheck: $(VENV) ## ruff and mypy --strict on the handwritten code
	$(PY) -m ruff check scripts tests
	$(PY) -m ruff format --check scripts tests
	$(PY) -m mypy scripts tests
	$(PY) -m ruff check --no-cache generated/client
	$(PY) -m mypy --strict generated/models generated/client/customer_interface_client

BASE ?=

.PHONY: breaking
breaking: $(VENV) $(NODE) ## Classify spec changes since BASE=<ref> (default: latest release tag, else main); fail on an unannounced break
	$(PY) -m scripts.breaking $(if $(BASE),--base '$(BASE)')

.PHONY: test
test: lint check-generated typecheck ## Everything CI runs: lint, freshness, types, pytest
	$(PY) -m pytest

.PHONY: clean
clean: ## Remove build output and caches (keeps generated/, which is committed)
	rm -rf build .pytest_cache .mypy_cache .ruff_cache .hypothesis .schemathesis

.PHONY: distclean
distclean: clean ## Also remove .venv, .tools and node_modules
	rm -rf .venv .tools node_modules
