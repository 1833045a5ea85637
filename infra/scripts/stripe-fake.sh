#!/usr/bin/env bash
# The Stripe fake (infra/fakes/stripe_server.py: PaymentIntents card/ACH, refunds, disputes, payouts,
# idempotency keys, signed webhooks; test mode, Connect). Point STRIPE_API_BASE at the URL it prints.
#   start <port>   starts it on 127.0.0.1:<port> in the background and waits until it answers;
#                  prints the base URL on stdout; pid in .devstack/stripe-<port>.pid, log in
#                  .devstack/stripe-<port>.log. On failure nothing is left running (and a fake
#                  already on the port is left alone), so callers only `stop` after a successful start.
#   stop <port>    stops the one `start <port>` started
#   check <url>    exit 0 if a Stripe fake answers at <url>
set -euo pipefail
cd "$(dirname "$0")/../.."
cmd=${1:?start|stop|check}
mkdir -p .devstack
case "$cmd" in
  start)
    port=${2:?port}; pidfile=.devstack/stripe-$port.pid; log=.devstack/stripe-$port.log
    # A fake already there would answer the health check below for the new one that failed to bind.
    if curl -fsS --max-time 2 -o /dev/null "http://127.0.0.1:$port/_fake/stripe/health" 2>/dev/null; then
      echo "a Stripe fake already runs on port $port (stop it, or set STRIPE_API_BASE to use it)" >&2; exit 1
    fi
    .venv/bin/python infra/fakes/stripe_server.py --port "$port" > "$log" 2>&1 &
    pid=$!; echo "$pid" > "$pidfile"
    for _ in $(seq 1 100); do
      if curl -fsS -o /dev/null "http://127.0.0.1:$port/_fake/stripe/health" 2>/dev/null; then
        echo "http://127.0.0.1:$port"; exit 0
      fi
      kill -0 "$pid" 2>/dev/null || { rm -f "$pidfile"; cat "$log" >&2; exit 1; }
      sleep 0.1
    done
    kill "$pid" 2>/dev/null || true; rm -f "$pidfile"
    echo "the Stripe fake did not answer on port $port" >&2; exit 1 ;;
  stop)
    pidfile=.devstack/stripe-${2:?port}.pid
    [ -f "$pidfile" ] && kill "$(cat "$pidfile")" 2>/dev/null || true
    rm -f "$pidfile" ;;
  check)
    url=${2:?url}
    [ "$(curl -fsS --max-time 2 "$url/_fake/stripe/health" 2>/dev/null)" = ok ] ;;
  *) echo "usage: stripe-fake.sh start <port> | stop <port> | check <url>" >&2; exit 2 ;;
esac
