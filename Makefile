# PortfolioOS — see README.md. Every target installs what it needs (Python tools into .venv).
SHELL := /bin/bash
.DEFAULT_GOAL := help
VENV := .venv
REQ := infra/emulator/requirements.txt

.PHONY: help venv dev token test bench build build-web deploy invoke openapi

help:
	@echo "make dev | token EMAIL=… | test | bench | build | deploy | invoke FUNCTION=… EVENT=… | openapi"

venv:
	@infra/scripts/venv.sh $(REQ)

## The local stack: moto on 127.0.0.1:4566 (unless AWS_ENDPOINT_URL is set), resources from
## template.yaml, the API on 127.0.0.1:3000. Ctrl-C stops everything it started.
dev: venv
	@infra/scripts/dev.sh

## A bearer token for EMAIL, valid for the running `make dev` (the JWT alone on the last line).
token:
	@test -n "$(EMAIL)" || { echo "usage: make token EMAIL=you@example.com" >&2; exit 2; }
	@cargo build -q -p devstack && "$${CARGO_TARGET_DIR:-target}/debug/devstack" token --email "$(EMAIL)"

## fmt, clippy, cfn-lint, every test against a freshly started emulator.
test: venv
	@infra/scripts/test.sh

## Benchmarks against a freshly started emulator (ratios, DynamoDB calls per route, the cost of an org-month).
bench: venv
	@infra/scripts/with-emulator.sh cargo bench -p e2e --bench api --bench ledger --bench events --bench burst --bench books --bench stripe --bench matching --bench imports --bench cost --bench init

## Deployable artifacts: arm64 Lambdas (cargo lambda, Zig as the cross linker) and the web app
## (web/dist, for the SPA bucket; VITE_API_URL, VITE_AUTH_URL, VITE_CLIENT_ID from the stack's outputs).
build: build-web
	@infra/scripts/venv.sh infra/emulator/requirements-build.txt
	@rustup target list --installed 2>/dev/null | grep -q aarch64-unknown-linux-gnu || rustup target add aarch64-unknown-linux-gnu || true
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" cargo lambda build --release --arm64 --package functions

build-web:
	cd web && npm ci --no-audit --no-fund --loglevel=error && npm run build && node scripts/bundle-size.mjs

deploy:
	@infra/scripts/venv.sh infra/emulator/requirements-build.txt infra/emulator/requirements-deploy.txt
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" sam build && PATH="$(CURDIR)/$(VENV)/bin:$$PATH" sam deploy --guided

## Run one function on one event against the running `make dev` stack.
invoke:
	@cargo build -q -p devstack && "$${CARGO_TARGET_DIR:-target}/debug/devstack" invoke "$(FUNCTION)" "$(EVENT)"

## Regenerate the committed openapi.json from the Rust types, and the web app's types from it.
openapi:
	@cargo run -q -p devstack -- openapi > openapi.json.tmp && mv openapi.json.tmp openapi.json
	@if [ -d web/node_modules ]; then cd web && npx openapi-typescript ../openapi.json -o src/api/schema.d.ts >/dev/null; fi
