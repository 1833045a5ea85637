#!/usr/bin/env bash
# `make dev`: the emulator (unless AWS_ENDPOINT_URL points at one already), the Textract fake
# (infra/fakes/textract_server.py on 127.0.0.1:$TEXTRACT_FAKE_PORT, default 4599, unless
# TEXTRACT_ENDPOINT_URL points at one already or one answers there for the same emulator), then
# the web app (Vite on 127.0.0.1:5173; DEV_WEB=0 leaves it out), then devstack in the foreground
# with TEXTRACT_ENDPOINT_URL set; also the Stripe and Plaid fakes and a local SFTP server (below).
# Ctrl-C stops devstack and whatever this script started.
set -euo pipefail
cd "$(dirname "$0")/../.."
export AWS_REGION=${AWS_REGION:-us-east-1} AWS_ACCESS_KEY_ID=${AWS_ACCESS_KEY_ID:-testing} AWS_SECRET_ACCESS_KEY=${AWS_SECRET_ACCESS_KEY:-testing}
started="" textract="" stripe="" plaid="" web="" sftp=""
cleanup() {
  [ -n "$web" ] && kill "$web" 2>/dev/null
  [ -n "$textract" ] && infra/scripts/textract-fake.sh stop "$textract"
  [ -n "$stripe" ] && infra/scripts/stripe-fake.sh stop "$stripe"
  [ -n "$plaid" ] && infra/scripts/plaid-fake.sh stop "$plaid"
  [ -n "$sftp" ] && infra/scripts/sftp-server.sh stop "$sftp"
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
# The Stripe fake (infra/fakes/stripe_server.py) on 127.0.0.1:$STRIPE_FAKE_PORT (default 12111),
# unless STRIPE_API_BASE points at one already. Its test hooks (/_fake/stripe/…) play the tenant
# and the bank: confirm an intent, fail it, dispute it, pay out.
if [ -n "${STRIPE_API_BASE:-}" ]; then
  infra/scripts/stripe-fake.sh check "$STRIPE_API_BASE" \
    || { echo "no Stripe fake answers at STRIPE_API_BASE=$STRIPE_API_BASE" >&2; exit 1; }
  echo "using the Stripe fake at $STRIPE_API_BASE"
else
  STRIPE_API_BASE=$(infra/scripts/stripe-fake.sh start "${STRIPE_FAKE_PORT:-12111}")
  stripe=${STRIPE_FAKE_PORT:-12111}
  echo "Stripe fake listening on $STRIPE_API_BASE"
fi
# Its events go to devstack's webhook-stripe, signed with devstack's local secret.
curl -fsS -o /dev/null -X POST "$STRIPE_API_BASE/_fake/stripe/webhooks" -H 'content-type: application/json' \
  -d '{"url": "http://127.0.0.1:3000/webhooks/stripe", "secrets": ["whsec_devstack"]}' \
  || echo "could not register the webhook endpoint with the Stripe fake" >&2
export STRIPE_API_BASE
# The Plaid fake (infra/fakes/plaid_server.py) on 127.0.0.1:$PLAID_FAKE_PORT (default 12112),
# unless PLAID_API_BASE points at one already. Its hooks (/_fake/plaid/…) play Link and the bank:
# link an Item, add transactions, post pending ones, send signed webhooks. Items linked with a
# Link token from the API send their webhooks to devstack's webhook-plaid.
if [ -n "${PLAID_API_BASE:-}" ]; then
  infra/scripts/plaid-fake.sh check "$PLAID_API_BASE" \
    || { echo "no Plaid fake answers at PLAID_API_BASE=$PLAID_API_BASE" >&2; exit 1; }
  echo "using the Plaid fake at $PLAID_API_BASE"
else
  PLAID_API_BASE=$(infra/scripts/plaid-fake.sh start "${PLAID_FAKE_PORT:-12112}")
  plaid=${PLAID_FAKE_PORT:-12112}
  echo "Plaid fake listening on $PLAID_API_BASE"
fi
export PLAID_API_BASE
export PLAID_WEBHOOK_URL=${PLAID_WEBHOOK_URL:-http://127.0.0.1:3000/webhooks/plaid}
# A local SFTP server to import from (infra/scripts/sftp-server.sh: Debian's sshd on
# 127.0.0.1:$SFTP_DEV_PORT, default 2222), its host key, a client key and the drop directory in
# .devstack/sftp (README, "SFTP"); SFTP_DEV=0 leaves it out.
if [ "${SFTP_DEV:-1}" != 0 ]; then
  sftp_dir=.devstack/sftp
  if infra/scripts/apt-tools.sh openssh-server && infra/scripts/sftp-server.sh start "${SFTP_DEV_PORT:-2222}" "$sftp_dir"; then
    sftp=$sftp_dir
    echo "SFTP server on 127.0.0.1:${SFTP_DEV_PORT:-2222} (user $(id -un); key $sftp_dir/client_ed25519, host key $sftp_dir/host_ed25519.pub; drop files in $sftp_dir/outgoing)"
  else
    echo "no local SFTP server (SFTP imports need a server of your own)" >&2
  fi
fi
# The web app: Vite's dev server on 127.0.0.1:5173 against this API and its sign-in page
# (`npm ci` from the lockfile when node_modules is missing or older than it).
if [ "${DEV_WEB:-1}" != 0 ]; then
  if [ ! -d web/node_modules ] || [ web/package-lock.json -nt web/node_modules/.package-lock.json ]; then
    (cd web && npm ci --no-audit --no-fund --loglevel=error)
  fi
  (cd web && VITE_API_URL=http://127.0.0.1:3000 VITE_AUTH_URL=http://127.0.0.1:3000 VITE_PLAID_FAKE_URL=$PLAID_API_BASE exec npx vite --host 127.0.0.1 --port 5173 --strictPort --clearScreen false) &
  web=$!
  echo "web app on http://127.0.0.1:5173 (sign in with any email on the local issuer's page)"
fi
cargo build -q -p devstack
"${CARGO_TARGET_DIR:-target}/debug/devstack" up
