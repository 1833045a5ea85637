#!/usr/bin/env bash
# The Plaid fake (infra/fakes/plaid_server.py: Link tokens, public token exchange, accounts,
# /transactions/sync with cursors, pending → posted, mutation during pagination, ES256-signed webhooks;
# Sandbox). Point the Plaid base URL at the URL it prints (credentials: see its docstring).
#   start <port>   starts it on 127.0.0.1:<port> in the background and waits until it answers;
#                  prints the base URL on stdout; pid in .devstack/plaid-<port>.pid, log in
#                  .devstack/plaid-<port>.log. On failure nothing is left running (and a fake
#                  already on the port is left alone), so callers only `stop` after a successful start.
#   stop <port>    stops the one `start <port>` started
#   check <url>    exit 0 if a Plaid fake answers at <url>
set -euo pipefail
cd "$(dirname "$0")/../.."
cmd=${1:?start|stop|check}
mkdir -p .devstack
case "$cmd" in
  start)
    port=${2:?port}; pidfile=.devstack/plaid-$port.pid; log=.devstack/plaid-$port.log
    # A fake already there would answer the health check below for the new one that failed to bind.
    if curl -fsS --max-time 2 -o /dev/null "http://127.0.0.1:$port/_fake/plaid/health" 2>/dev/null; then
      echo "a Plaid fake already runs on port $port (stop it, or point the Plaid base URL at it)" >&2; exit 1
    fi
    .venv/bin/python infra/fakes/plaid_server.py --port "$port" > "$log" 2>&1 &
    pid=$!; echo "$pid" > "$pidfile"
    for _ in $(seq 1 100); do
      if curl -fsS -o /dev/null "http://127.0.0.1:$port/_fake/plaid/health" 2>/dev/null; then
        echo "http://127.0.0.1:$port"; exit 0
      fi
      kill -0 "$pid" 2>/dev/null || { rm -f "$pidfile"; cat "$log" >&2; exit 1; }
      sleep 0.1
    done
    kill "$pid" 2>/dev/null || true; rm -f "$pidfile"
    echo "the Plaid fake did not answer on port $port" >&2; exit 1 ;;
  stop)
    pidfile=.devstack/plaid-${2:?port}.pid
    [ -f "$pidfile" ] && kill "$(cat "$pidfile")" 2>/dev/null || true
    rm -f "$pidfile" ;;
  check)
    url=${2:?url}
    [ "$(curl -fsS --max-time 2 "$url/_fake/plaid/health" 2>/dev/null)" = ok ] ;;
  *) echo "usage: plaid-fake.sh start <port> | stop <port> | check <url>" >&2; exit 2 ;;
esac
