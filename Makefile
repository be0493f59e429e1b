# Code Execution Service. `make help` lists the targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# A Node.js new enough for @kubernetes/client-node (>= 22.19), provided by scripts/ensure-node.sh.
NODE_DIR := $(shell scripts/ensure-node.sh)
export PATH := $(NODE_DIR):$(CURDIR)/node_modules/.bin:$(PATH)

LAB ?= $(abspath ../shared/k8slab)
IMAGE ?= learnflow/code-execution-service:dev
RUNNER_IMAGE ?= learnflow/code-execution-runner:dev

.PHONY: help install system-deps build run test lint typecheck test-unit test-integration bench \
        bench-k8s test-e2e image image-runner chart-lint manifests clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-18s %s\n", $$1, $$2}'

system-deps: ## Debian packages the local sandbox needs (bubblewrap), when missing
	@command -v bwrap >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq bubblewrap >/dev/null; \
	  else echo "bubblewrap is missing: sudo apt-get install bubblewrap" >&2; exit 1; fi; }

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund

install: system-deps node_modules/.package-lock.json ## Node.js, npm packages and Debian packages

build: install ## compile TypeScript to dist/
	npm run --silent build

run: build ## start the service on :8000 with the local (embedded) executor
	node dist/src/main.js

lint: install ## eslint (typed) and tsc
	npm run --silent typecheck
	npm run --silent lint

test-unit: install ## unit tests (no network, no Python)
	npm run --silent test:unit

test-integration: install ## HTTP + executors with a real Python and the fake Kubernetes API server
	npm run --silent test:integration

test: lint test-unit test-integration ## everything CI runs without a cluster

bench: build ## latency and throughput of hello-world over HTTP, local executor
	node bench/local.ts

clean: ## remove build output
	rm -rf dist
