#!/usr/bin/env bash
# `make test`: formatting, lints, cfn-lint on the template, then every unit and integration test
# against a freshly started emulator.
set -euo pipefail
cd "$(dirname "$0")/../.."
echo "== cargo fmt --check"; cargo fmt --all -- --check
echo "== cargo clippy"; cargo clippy --workspace --all-targets -q -- -D warnings
echo "== cfn-lint template.yaml"; .venv/bin/cfn-lint template.yaml
infra/scripts/with-emulator.sh cargo test --workspace --lib --bins --tests
