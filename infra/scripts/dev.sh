#!/usr/bin/env bash
# `make dev`: the emulator (unless AWS_ENDPOINT_URL points at one already), the Textract fake
# (infra/fakes/textract_server.py on 127.0.0.1:$TEXTRACT_FAKE_PORT, default 4599, unless
# TEXTRACT_ENDPOINT_URL points at one already or one answers there for the same emulator), then
# the web app (Vite on 127.0.0.1:5173; DEV_WEB=0 leaves it out), then devstack in the foreground
# with TEXTRACT_ENDPOINT_URL set. Ctrl-C stops devstack and whatever this script started.
set -euo pipefail
cd "$(dirname "$0")/../.."
export AWS_REGION=${AWS_REGION:-us-east-1} AWS_ACCESS_KEY_ID=${AWS_ACCESS_KEY_ID:-testing} AWS_SECRET_ACCESS_KEY=${AWS_SECRET_ACCESS_KEY:-testing}
started="" textract="" web=""
cleanup() {
  [ -n "$web" ] && kill "$web" 2>/dev/null
  [ -n "$textract" ] && infra/scripts/textract-fake.sh stop "$textract"
  [ -n "$started" ] && infra/scripts/emulator.sh stop "$started"
  return 0
}
trap cleanup EXIT INT TERM
if [ -z "${AWS_ENDPOINT_URL:-}" ]; then
  AWS_ENDPOINT_URL=$(infra/scripts/emulator.sh start 4566)
  export AWS_ENDPOINT_URL
  started=4566
  echo "moto listening on $AWS_ENDPOINT_URL"
else
  echo "using the emulator at $AWS_ENDPOINT_URL"
fi
fake_port=${TEXTRACT_FAKE_PORT:-4599}
if [ -n "${TEXTRACT_ENDPOINT_URL:-}" ]; then
  infra/scripts/textract-fake.sh check "$TEXTRACT_ENDPOINT_URL" \
    || { echo "no Textract fake answers at TEXTRACT_ENDPOINT_URL=$TEXTRACT_ENDPOINT_URL" >&2; exit 1; }
  echo "using the Textract fake at $TEXTRACT_ENDPOINT_URL"
elif infra/scripts/textract-fake.sh check "http://127.0.0.1:$fake_port" "$AWS_ENDPOINT_URL"; then
  TEXTRACT_ENDPOINT_URL=http://127.0.0.1:$fake_port
  echo "using the Textract fake already on $TEXTRACT_ENDPOINT_URL"
else
  TEXTRACT_ENDPOINT_URL=$(infra/scripts/textract-fake.sh start "$fake_port")
  textract=$fake_port
  echo "Textract fake (AnalyzeExpense) listening on $TEXTRACT_ENDPOINT_URL"
fi
export TEXTRACT_ENDPOINT_URL
# The web app: Vite's dev server on 127.0.0.1:5173 against this API and its sign-in page
# (`npm ci` from the lockfile when node_modules is missing or older than it).
if [ "${DEV_WEB:-1}" != 0 ]; then
  if [ ! -d web/node_modules ] || [ web/package-lock.json -nt web/node_modules/.package-lock.json ]; then
    (cd web && npm ci --no-audit --no-fund --loglevel=error)
  fi
  (cd web && VITE_API_URL=http://127.0.0.1:3000 VITE_AUTH_URL=http://127.0.0.1:3000 exec npx vite --host 127.0.0.1 --port 5173 --strictPort --clearScreen false) &
  web=$!
  echo "web app on http://127.0.0.1:5173 (sign in with any email on the local issuer's page)"
fi
cargo build -q -p devstack
"${CARGO_TARGET_DIR:-target}/debug/devstack" up
