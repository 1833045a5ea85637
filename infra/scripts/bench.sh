#!/usr/bin/env bash
# `make bench`: benchmarks against a freshly started emulator (release build, printed ratios).
set -euo pipefail
cd "$(dirname "$0")/../.."
export AWS_REGION=${AWS_REGION:-us-east-1} AWS_ACCESS_KEY_ID=${AWS_ACCESS_KEY_ID:-testing} AWS_SECRET_ACCESS_KEY=${AWS_SECRET_ACCESS_KEY:-testing}
started=""
if [ -z "${AWS_ENDPOINT_URL:-}" ]; then
  port=$(infra/scripts/free-port.sh)
  AWS_ENDPOINT_URL=$(infra/scripts/emulator.sh start "$port")
  export AWS_ENDPOINT_URL
  started=$port
fi
trap '[ -n "$started" ] && infra/scripts/emulator.sh stop "$started"' EXIT
cargo bench -p e2e --bench api
