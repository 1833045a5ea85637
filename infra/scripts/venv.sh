#!/usr/bin/env bash
# Creates .venv and installs the pinned Python tools from the given requirements files (idempotent:
# a stamp per requirements file skips the install when nothing changed).
set -euo pipefail
cd "$(dirname "$0")/../.."
python3 -m venv .venv 2>/dev/null || { apt-get update -qq && apt-get install -y -qq python3-venv && python3 -m venv .venv; }
for req in "$@"; do
  stamp=".venv/.$(basename "$req").$(sha256sum "$req" | cut -c1-16)"
  if [ ! -f "$stamp" ]; then
    .venv/bin/pip install -q --disable-pip-version-check -r "$req"
    touch "$stamp"
  fi
done
