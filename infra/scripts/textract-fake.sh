#!/usr/bin/env bash
# The Textract fake (infra/fakes/textract_server.py: AnalyzeExpense, which moto lacks), reading S3
# objects from the emulator in AWS_ENDPOINT_URL.
#   start <port>       starts it on 127.0.0.1:<port> in the background and waits until it answers;
#                      prints the endpoint URL on stdout; pid in .devstack/textract-<port>.pid,
#                      log in .devstack/textract-<port>.log. On failure nothing is left running
#                      (and a fake already on the port is left alone), so callers only `stop`
#                      after a successful start.
#   stop <port>        stops the one `start <port>` started
#   check <url> [s3]   exit 0 if a fake answers at <url> (and, given [s3], reads S3 from there)
set -euo pipefail
cd "$(dirname "$0")/../.."
cmd=${1:?start|stop|check}
mkdir -p .devstack
case "$cmd" in
  start)
    port=${2:?port}; pidfile=.devstack/textract-$port.pid; log=.devstack/textract-$port.log
    # A fake already there would answer the health check below for the new one that failed to bind.
    if curl -fsS --max-time 2 -o /dev/null "http://127.0.0.1:$port/_fake/textract/health" 2>/dev/null; then
      echo "a Textract fake already runs on port $port (stop it, or set TEXTRACT_ENDPOINT_URL to use it)" >&2; exit 1
    fi
    .venv/bin/python infra/fakes/textract_server.py --port "$port" > "$log" 2>&1 &
    pid=$!; echo "$pid" > "$pidfile"
    for _ in $(seq 1 100); do
      if curl -fsS -o /dev/null "http://127.0.0.1:$port/_fake/textract/health" 2>/dev/null; then
        echo "http://127.0.0.1:$port"; exit 0
      fi
      kill -0 "$pid" 2>/dev/null || { rm -f "$pidfile"; cat "$log" >&2; exit 1; }
      sleep 0.1
    done
    kill "$pid" 2>/dev/null || true; rm -f "$pidfile"
    echo "the Textract fake did not answer on port $port" >&2; exit 1 ;;
  stop)
    pidfile=.devstack/textract-${2:?port}.pid
    [ -f "$pidfile" ] && kill "$(cat "$pidfile")" 2>/dev/null || true
    rm -f "$pidfile" ;;
  check)
    url=${2:?url}; s3=${3:-}
    [ "$(curl -fsS --max-time 2 "$url/_fake/textract/health" 2>/dev/null)" = ok ] || exit 1
    # /config is the fake's own JSON, {"s3Endpoint": "<url without trailing slash>"}.
    [ -z "$s3" ] || curl -fsS --max-time 2 "$url/_fake/textract/config" | grep -qF "\"s3Endpoint\": \"${s3%/}\"" ;;
  *) echo "usage: textract-fake.sh start <port> | stop <port> | check <url> [s3-endpoint]" >&2; exit 2 ;;
esac
