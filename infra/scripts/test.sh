#!/usr/bin/env bash
# `make test`: formatting, lints, every unit and integration test against a freshly started
# emulator, and cfn-lint on the template.
set -euo pipefail
cd "$(dirname "$0")/../.."
export AWS_REGION=${AWS_REGION:-us-east-1} AWS_ACCESS_KEY_ID=${AWS_ACCESS_KEY_ID:-testing} AWS_SECRET_ACCESS_KEY=${AWS_SECRET_ACCESS_KEY:-testing}
echo "== cargo fmt --check"; cargo fmt --all -- --check
echo "== cargo clippy"; cargo clippy --workspace --all-targets -q -- -D warnings
echo "== cfn-lint template.yaml"; .venv/bin/cfn-lint template.yaml
started=""
if [ -z "${AWS_ENDPOINT_URL:-}" ]; then
  port=$(infra/scripts/free-port.sh)
  AWS_ENDPOINT_URL=$(infra/scripts/emulator.sh start "$port")
  export AWS_ENDPOINT_URL
  started=$port
fi
trap '[ -n "$started" ] && infra/scripts/emulator.sh stop "$started"' EXIT
echo "== cargo test (emulator at $AWS_ENDPOINT_URL)"
cargo test --workspace --lib --bins --tests
