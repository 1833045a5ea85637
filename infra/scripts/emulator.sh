#!/usr/bin/env bash
# Starts the pinned moto server on 127.0.0.1:<port> in the background and waits until it answers.
# Prints the endpoint URL on stdout; the server's pid goes to .devstack/moto-<port>.pid.
# Usage: emulator.sh start <port> | emulator.sh stop <port>
set -euo pipefail
cd "$(dirname "$0")/../.."
cmd=${1:?start|stop}; port=${2:?port}
mkdir -p .devstack
pidfile=.devstack/moto-$port.pid
case "$cmd" in
  start)
    .venv/bin/python infra/emulator/moto_server.py 127.0.0.1 "$port" > ".devstack/moto-$port.log" 2>&1 &
    echo $! > "$pidfile"
    for _ in $(seq 1 100); do
      if curl -fsS -o /dev/null "http://127.0.0.1:$port/moto-api/data.json" 2>/dev/null; then
        echo "http://127.0.0.1:$port"; exit 0
      fi
      kill -0 "$(cat "$pidfile")" 2>/dev/null || { cat ".devstack/moto-$port.log" >&2; exit 1; }
      sleep 0.2
    done
    echo "moto did not answer on port $port" >&2; exit 1 ;;
  stop)
    [ -f "$pidfile" ] && kill "$(cat "$pidfile")" 2>/dev/null || true
    rm -f "$pidfile" ;;
esac
