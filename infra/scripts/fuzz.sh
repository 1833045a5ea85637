#!/usr/bin/env bash
# Contract fuzzing: schemathesis (pinned in infra/fuzz/requirements.txt) against a devstack of its
# own, as an org's owner, on every operation of openapi.json. Any finding fails: a 5xx, a status
# or content type the document does not give, a body that does not match its schema, or a
# schema-valid request rejected. The emulator is the one in AWS_ENDPOINT_URL, else a fresh moto;
# the Textract fake the one in TEXTRACT_ENDPOINT_URL, else a fresh one (infra/scripts/textract-fake.sh);
# everything started here is stopped on exit.
# Env: FUZZ_MAX_EXAMPLES (default 20: cases per operation and phase), FUZZ_SEED (default a fixed
# seed, so `make test` gives the same verdict on the same code; `random` explores a new seed,
# printed at the end to reproduce it), FUZZ_PHASES (default examples,fuzzing,stateful). The coverage phase is not bounded by the
# example count: it enumerates every enum value of every field (some 600 time zones, 180
# currencies in each money field), thousands of cases and well over ten minutes here; the
# fuzzing phase draws from the same schemas. `FUZZ_PHASES=examples,coverage,fuzzing,stateful`
# runs it too.
set -euo pipefail
cd "$(dirname "$0")/../.."
export AWS_REGION=${AWS_REGION:-us-east-1} AWS_ACCESS_KEY_ID=${AWS_ACCESS_KEY_ID:-testing} AWS_SECRET_ACCESS_KEY=${AWS_SECRET_ACCESS_KEY:-testing}
bin=${CARGO_TARGET_DIR:-target}/debug/devstack
mkdir -p .devstack
emulator="" textract="" stripe="" plaid="" devstack=""
cleanup() {
  set +e
  if [ -n "$devstack" ]; then kill "$devstack" 2>/dev/null; wait "$devstack" 2>/dev/null; fi
  if [ -n "$textract" ]; then infra/scripts/textract-fake.sh stop "$textract"; fi
  if [ -n "$stripe" ]; then infra/scripts/stripe-fake.sh stop "$stripe"; fi
  if [ -n "$plaid" ]; then infra/scripts/plaid-fake.sh stop "$plaid"; fi
  if [ -n "$emulator" ]; then infra/scripts/emulator.sh stop "$emulator"; fi
  return 0
}
trap cleanup EXIT
trap 'exit 130' INT TERM

infra/scripts/venv.sh infra/fuzz/requirements.txt
cargo build -q -p devstack
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
base=http://127.0.0.1:$port
log=.devstack/fuzz-devstack.log
DEVSTACK_PREFIX=portfolio-fuzz-$port "$bin" up --port "$port" > "$log" 2>&1 &
devstack=$!
for _ in $(seq 1 300); do
  curl -fsS -o /dev/null "$base/api/v1/health" 2>/dev/null && break
  kill -0 "$devstack" 2>/dev/null || { cat "$log" >&2; echo "devstack did not start" >&2; exit 1; }
  sleep 0.2
done
curl -fsS -o /dev/null "$base/api/v1/health" || { echo "devstack did not answer on $base" >&2; exit 1; }

# An owner, and one of each resource a path names, so the fuzzer reaches the handlers' logic
# (with made-up ids every call would stop at 404).
FUZZ_TOKEN=$("$bin" token --email fuzz-owner@example.com | tail -1)
call() { # METHOD PATH [BODY] [extra curl args…] → the response body; fails on a non-2xx
  local method=$1 path=$2 body=${3:-}
  shift $(($# < 3 ? $# : 3))
  curl -fsS -X "$method" "$base/api/v1$path" -H "Authorization: Bearer $FUZZ_TOKEN" \
    ${body:+-H "Content-Type: application/json" -d "$body"} "$@"
}
FUZZ_ORG_ID=$(call POST /orgs '{"name":"Fuzz Homes","baseCurrency":"USD","country":"US","timezone":"America/New_York"}' | jq -er .id)
org=/orgs/$FUZZ_ORG_ID
FUZZ_BUILDING_ID=$(call POST "$org/buildings" '{"name":"Fuzz Court","address":{"line1":"1 Main St","city":"Springfield","postalCode":"12345","country":"US"}}' | jq -er .id)
FUZZ_UNIT_ID=$(call POST "$org/buildings/$FUZZ_BUILDING_ID/units" '{"label":"101"}' | jq -er .id)
FUZZ_TENANT_ID=$(call POST "$org/tenants" '{"firstName":"Jane","lastName":"Doe","email":"jane@example.com"}' | jq -er .id)
FUZZ_LEASE_ID=$(call POST "$org/leases" "{\"unitId\":\"$FUZZ_UNIT_ID\",\"tenantIds\":[\"$FUZZ_TENANT_ID\"],\"startDate\":\"2027-01-01\",\"rent\":{\"amount\":\"1500.00\",\"currency\":\"USD\"},\"dueDay\":1}" | jq -er .id)
call POST "$org/leases/$FUZZ_LEASE_ID:activate" > /dev/null
FUZZ_CHARGE_ID=$(call POST "$org/leases/$FUZZ_LEASE_ID/charges" '{"kind":"fee","amount":{"amount":"25.00","currency":"USD"},"dueDate":"2027-01-05"}' -H "Idempotency-Key: fuzz-charge" | jq -er .id)
FUZZ_PAYMENT_ID=$(call POST "$org/leases/$FUZZ_LEASE_ID/payments" '{"amount":{"amount":"100.00","currency":"USD"},"receivedOn":"2027-01-02","method":"check"}' -H "Idempotency-Key: fuzz-payment" | jq -er .id)
FUZZ_DOCUMENT_ID=$(call POST "$org/documents" "{\"subject\":{\"type\":\"lease\",\"id\":\"$FUZZ_LEASE_ID\"},\"name\":\"lease.pdf\",\"contentType\":\"application/pdf\",\"sizeBytes\":1000}" | jq -er .id)
FUZZ_WEBHOOK_ID=$(call POST "$org/webhooks" '{"url":"http://127.0.0.1:9/hook","eventTypes":["lease.created"]}' | jq -er .id)
# `{userId}` is another member: a PATCH or DELETE on the fuzzer's own membership would demote
# or remove it, and every later case would answer 403 or 404.
FUZZ_USER_ID=fuzz-manager
call POST "$org/members" '{"userId":"fuzz-manager","email":"manager@example.com","role":"manager"}' > /dev/null
# The books: an expense account (Repairs), the bank, a vendor, an expense, a manual entry and a
# recurring expense.
accounts=$(call GET "$org/accounts")
FUZZ_ACCOUNT_ID=$(echo "$accounts" | jq -er '.items[] | select(.code == "5140") | .id')
bank=$(echo "$accounts" | jq -er '.items[] | select(.code == "1000") | .id')
equity=$(echo "$accounts" | jq -er '.items[] | select(.code == "3000") | .id')
FUZZ_VENDOR_ID=$(call POST "$org/vendors" '{"name":"Fuzz Plumbing","kind":"company"}' | jq -er .id)
FUZZ_EXPENSE_ID=$(call POST "$org/expenses" "{\"date\":\"2027-01-03\",\"amount\":{\"amount\":\"80.00\",\"currency\":\"USD\"},\"accountId\":\"$FUZZ_ACCOUNT_ID\",\"paidFrom\":\"$bank\",\"vendorId\":\"$FUZZ_VENDOR_ID\"}" -H "Idempotency-Key: fuzz-expense" | jq -er .id)
FUZZ_ENTRY_ID=$(call POST "$org/journal" "{\"date\":\"2027-01-01\",\"memo\":\"opening\",\"lines\":[{\"accountId\":\"$bank\",\"debit\":{\"amount\":\"100.00\",\"currency\":\"USD\"}},{\"accountId\":\"$equity\",\"credit\":{\"amount\":\"100.00\",\"currency\":\"USD\"}}]}" | jq -er .id)
FUZZ_RECURRING_ID=$(call POST "$org/recurring-expenses" "{\"frequency\":\"monthly\",\"day\":1,\"startDate\":\"2027-01-01\",\"amount\":{\"amount\":\"30.00\",\"currency\":\"USD\"},\"accountId\":\"$FUZZ_ACCOUNT_ID\",\"paidFrom\":\"$bank\"}" | jq -er .id)
export FUZZ_ORG_ID FUZZ_BUILDING_ID FUZZ_UNIT_ID FUZZ_TENANT_ID FUZZ_LEASE_ID FUZZ_CHARGE_ID FUZZ_PAYMENT_ID \
  FUZZ_DOCUMENT_ID FUZZ_WEBHOOK_ID FUZZ_USER_ID FUZZ_ACCOUNT_ID FUZZ_VENDOR_ID FUZZ_EXPENSE_ID FUZZ_ENTRY_ID \
  FUZZ_RECURRING_ID

seed=${FUZZ_SEED:-20261201}
[ "$seed" = random ] && seed=""
echo "== schemathesis against devstack at $base (org $FUZZ_ORG_ID, seed ${seed:-random})"
start=$SECONDS
set +e
.venv/bin/schemathesis --config-file infra/fuzz/schemathesis.toml run openapi.json \
  --url "$base" -H "Authorization: Bearer $FUZZ_TOKEN" \
  --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance,positive_data_acceptance \
  --max-examples "${FUZZ_MAX_EXAMPLES:-20}" ${seed:+--seed "$seed"} \
  --phases "${FUZZ_PHASES:-examples,fuzzing,stateful}" \
  --workers 1 --no-color --output-truncate false --generation-database none
rc=$?
set -e
echo "== schemathesis exited $rc after $((SECONDS - start))s (devstack log: $log)"
exit $rc
