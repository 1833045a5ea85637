#!/usr/bin/env bash
# Installs the Debian packages named (e.g. `hledger beancount`) unless their commands are already
# on the PATH: the tests run the real tools against what the project writes.
set -euo pipefail
declare -A command_of=([hledger]=hledger [beancount]=bean-check [poppler-utils]=pdftotext [openssh-server]=/usr/sbin/sshd [openssh-client]=ssh-keygen)
missing=()
for pkg in "$@"; do
  command -v "${command_of[$pkg]:-$pkg}" >/dev/null 2>&1 || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "== apt-get install ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
