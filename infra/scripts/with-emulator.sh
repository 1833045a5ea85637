#!/usr/bin/env bash
# Runs a command against an AWS emulator: the one in AWS_ENDPOINT_URL if set, else a freshly
# started moto on a free port, stopped when the command ends. Alongside it the Textract fake
# (infra/fakes/textract_server.py; moto has no Textract), exported as TEXTRACT_ENDPOINT_URL: the
# one in TEXTRACT_ENDPOINT_URL if set; with a reused emulator, the one `make dev` runs on
# $TEXTRACT_FAKE_PORT (4599) if it answers and reads that emulator's S3; else a fresh one on a free
# port, stopped when the command ends. Likewise the Stripe fake (infra/fakes/stripe_server.py),
# exported as STRIPE_API_BASE, and the Plaid fake (plaid_server.py) as PLAID_API_BASE: the one
# there if set, else a fresh one on a free port.
set -euo pipefail
cd "$(dirname "$0")/../.."
export AWS_REGION=${AWS_REGION:-us-east-1} AWS_ACCESS_KEY_ID=${AWS_ACCESS_KEY_ID:-testing} AWS_SECRET_ACCESS_KEY=${AWS_SECRET_ACCESS_KEY:-testing}
started="" textract="" stripe="" plaid=""
cleanup() {
  [ -n "$textract" ] && infra/scripts/textract-fake.sh stop "$textract"
  [ -n "$stripe" ] && infra/scripts/stripe-fake.sh stop "$stripe"
  [ -n "$plaid" ] && infra/scripts/plaid-fake.sh stop "$plaid"
  [ -n "$started" ] && infra/scripts/emulator.sh stop "$started"
  return 0
}
trap cleanup EXIT
reused=${AWS_ENDPOINT_URL:+yes}
if [ -z "${AWS_ENDPOINT_URL:-}" ]; then
  port=$(infra/scripts/free-port.sh)
  AWS_ENDPOINT_URL=$(infra/scripts/emulator.sh start "$port")
  export AWS_ENDPOINT_URL
  started=$port
fi
dev_fake=http://127.0.0.1:${TEXTRACT_FAKE_PORT:-4599}
if [ -n "${TEXTRACT_ENDPOINT_URL:-}" ]; then
  infra/scripts/textract-fake.sh check "$TEXTRACT_ENDPOINT_URL" \
    || { echo "no Textract fake answers at TEXTRACT_ENDPOINT_URL=$TEXTRACT_ENDPOINT_URL" >&2; exit 1; }
elif [ -n "$reused" ] && infra/scripts/textract-fake.sh check "$dev_fake" "$AWS_ENDPOINT_URL"; then
  TEXTRACT_ENDPOINT_URL=$dev_fake
else
  fake_port=$(infra/scripts/free-port.sh)
  TEXTRACT_ENDPOINT_URL=$(infra/scripts/textract-fake.sh start "$fake_port")
  textract=$fake_port
fi
export TEXTRACT_ENDPOINT_URL
if [ -n "${STRIPE_API_BASE:-}" ]; then
  infra/scripts/stripe-fake.sh check "$STRIPE_API_BASE" \
    || { echo "no Stripe fake answers at STRIPE_API_BASE=$STRIPE_API_BASE" >&2; exit 1; }
else
  stripe_port=$(infra/scripts/free-port.sh)
  STRIPE_API_BASE=$(infra/scripts/stripe-fake.sh start "$stripe_port")
  stripe=$stripe_port
fi
export STRIPE_API_BASE
if [ -n "${PLAID_API_BASE:-}" ]; then
  infra/scripts/plaid-fake.sh check "$PLAID_API_BASE" \
    || { echo "no Plaid fake answers at PLAID_API_BASE=$PLAID_API_BASE" >&2; exit 1; }
else
  plaid_port=$(infra/scripts/free-port.sh)
  PLAID_API_BASE=$(infra/scripts/plaid-fake.sh start "$plaid_port")
  plaid=$plaid_port
fi
export PLAID_API_BASE
echo "== $* (emulator at $AWS_ENDPOINT_URL, fakes: Textract $TEXTRACT_ENDPOINT_URL, Stripe $STRIPE_API_BASE, Plaid $PLAID_API_BASE)"
"$@"
