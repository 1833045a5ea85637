#!/usr/bin/env bash
# The web app's checks (part of `make test`): npm ci from the lockfile; tsc, ESLint, the generated
# API types against openapi.json, Vitest; the production build and its initial-bundle budget; then
# Playwright driving Debian's chromium against the built app (`vite preview`) and a devstack of
# its own (emulator, Textract fake), as `make dev` runs them. Screenshots and axe-core results land
# in web/test-results/. Everything started here is stopped on exit.
set -euo pipefail
cd "$(dirname "$0")/../.."
export AWS_REGION=${AWS_REGION:-us-east-1} AWS_ACCESS_KEY_ID=${AWS_ACCESS_KEY_ID:-testing} AWS_SECRET_ACCESS_KEY=${AWS_SECRET_ACCESS_KEY:-testing}
bin=${CARGO_TARGET_DIR:-target}/debug/devstack
emulator="" textract="" stripe="" plaid="" devstack="" preview=""
cleanup() {
  set +e
  for p in "$preview" "$devstack"; do
    if [ -n "$p" ]; then kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; fi
  done
  if [ -n "$textract" ]; then infra/scripts/textract-fake.sh stop "$textract"; fi
  if [ -n "$stripe" ]; then infra/scripts/stripe-fake.sh stop "$stripe"; fi
  if [ -n "$plaid" ]; then infra/scripts/plaid-fake.sh stop "$plaid"; fi
  if [ -n "$emulator" ]; then infra/scripts/emulator.sh stop "$emulator"; fi
  return 0
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# chromium for Playwright; openssh-client's ssh-keygen for the keys e2e/sftp.spec.ts connects with.
infra/scripts/apt-tools.sh chromium openssh-client
echo "== web: npm ci"; (cd web && npm ci --no-audit --no-fund --loglevel=error)
echo "== web: tsc"; (cd web && npx tsc --noEmit)
echo "== web: eslint"; (cd web && npx eslint . --max-warnings 0)
echo "== web: API types"; (cd web && node scripts/check-api-types.mjs)
echo "== web: vitest"; (cd web && npx vitest run)

cargo build -q -p devstack
mkdir -p .devstack
if [ -z "${AWS_ENDPOINT_URL:-}" ]; then
  emulator=$(infra/scripts/free-port.sh)
  AWS_ENDPOINT_URL=$(infra/scripts/emulator.sh start "$emulator")
  export AWS_ENDPOINT_URL
fi
if [ -z "${TEXTRACT_ENDPOINT_URL:-}" ]; then
  fake_port=$(infra/scripts/free-port.sh)
  TEXTRACT_ENDPOINT_URL=$(infra/scripts/textract-fake.sh start "$fake_port")
  textract=$fake_port
  export TEXTRACT_ENDPOINT_URL
fi
if [ -z "${STRIPE_API_BASE:-}" ]; then
  stripe_port=$(infra/scripts/free-port.sh)
  STRIPE_API_BASE=$(infra/scripts/stripe-fake.sh start "$stripe_port")
  stripe=$stripe_port
  export STRIPE_API_BASE
fi
if [ -z "${PLAID_API_BASE:-}" ]; then
  plaid_port=$(infra/scripts/free-port.sh)
  PLAID_API_BASE=$(infra/scripts/plaid-fake.sh start "$plaid_port")
  plaid=$plaid_port
  export PLAID_API_BASE
fi
port=$(infra/scripts/free-port.sh)
api=http://127.0.0.1:$port
# The Items made from this stack's Link tokens send Plaid's webhooks here.
export PLAID_WEBHOOK_URL=$api/webhooks/plaid
log=.devstack/web-devstack.log
DEVSTACK_PREFIX=portfolio-web-$port "$bin" up --port "$port" > "$log" 2>&1 &
devstack=$!

echo "== web: vite build (API and issuer $api)"
(cd web && VITE_API_URL=$api VITE_AUTH_URL=$api VITE_PLAID_FAKE_URL=$PLAID_API_BASE npx vite build --logLevel warn)
echo "== web: bundle size"; (cd web && node scripts/bundle-size.mjs)

for _ in $(seq 1 300); do
  curl -fsS -o /dev/null "$api/api/v1/health" 2>/dev/null && break
  kill -0 "$devstack" 2>/dev/null || { cat "$log" >&2; echo "devstack did not start" >&2; exit 1; }
  sleep 0.2
done
web_port=$(infra/scripts/free-port.sh)
web=http://127.0.0.1:$web_port
# vite itself, not through npx (which would run it as a child that a kill of $preview leaves behind).
(cd web && exec node_modules/.bin/vite preview --port "$web_port" --strictPort --logLevel warn) > .devstack/web-preview.log 2>&1 &
preview=$!
for _ in $(seq 1 100); do curl -fsS -o /dev/null "$web/" 2>/dev/null && break; sleep 0.2; done
rm -rf web/test-results
echo "== web: playwright (chromium $(chromium --version 2>/dev/null | awk '{print $2}'), app $web, API $api)"
(cd web && WEB_URL=$web API_URL=$api STRIPE_API_BASE=$STRIPE_API_BASE PLAID_API_BASE=$PLAID_API_BASE npx playwright test) || { echo "devstack log: $log" >&2; exit 1; }
