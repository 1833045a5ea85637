#!/usr/bin/env bash
# `make dev`: the emulator (unless AWS_ENDPOINT_URL points at one already), then devstack in the
# foreground. Ctrl-C stops devstack and the emulator this script started.
set -euo pipefail
cd "$(dirname "$0")/../.."
export AWS_REGION=${AWS_REGION:-us-east-1} AWS_ACCESS_KEY_ID=${AWS_ACCESS_KEY_ID:-testing} AWS_SECRET_ACCESS_KEY=${AWS_SECRET_ACCESS_KEY:-testing}
started=""
if [ -z "${AWS_ENDPOINT_URL:-}" ]; then
  AWS_ENDPOINT_URL=$(infra/scripts/emulator.sh start 4566)
  export AWS_ENDPOINT_URL
  started=4566
  echo "moto listening on $AWS_ENDPOINT_URL"
else
  echo "using the emulator at $AWS_ENDPOINT_URL"
fi
cleanup() { [ -n "$started" ] && infra/scripts/emulator.sh stop "$started"; }
trap cleanup EXIT INT TERM
cargo build -q -p devstack
"${CARGO_TARGET_DIR:-target}/debug/devstack" up
