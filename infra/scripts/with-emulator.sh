#!/usr/bin/env bash
# Runs a command against an AWS emulator: the one in AWS_ENDPOINT_URL if set, else a freshly
# started moto on a free port, stopped when the command ends.
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
echo "== $* (emulator at $AWS_ENDPOINT_URL)"
"$@"
