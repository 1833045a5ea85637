#!/usr/bin/env bash
# `make test`: formatting, lints, cfn-lint on the template, then every unit and integration test
# against a freshly started emulator, then schemathesis against a devstack of its own.
set -euo pipefail
cd "$(dirname "$0")/../.."
echo "== cargo fmt --check"; cargo fmt --all -- --check
echo "== cargo clippy"; cargo clippy --workspace --all-targets -q -- -D warnings
# Features unify in a workspace build: check the Lambda crates alone too, as `make build` builds
# them, and that none of the test-only features reaches them.
echo "== Lambda builds: no test hooks"; cargo clippy -p functions -q -- -D warnings
if cargo tree -p functions -e normal,build,features --prefix none | grep -E 'feature "(fault-injection|test-support)"'; then
  echo "a test-only feature reaches the Lambda binaries" >&2; exit 1
fi
echo "== cfn-lint template.yaml"; .venv/bin/cfn-lint template.yaml
# The local fakes of third-party services check their own wire formats (through the real SDKs where
# there is one) before anything relies on them.
echo "== fakes: self-checks"; .venv/bin/python -m unittest discover -s infra/fakes -p 'test_*.py'

# The exports are checked by the real tools (hledger, bean-check, pdftotext) from Debian's packages;
# SFTP imports are tested against a real OpenSSH sshd.
infra/scripts/apt-tools.sh hledger beancount poppler-utils openssh-server
infra/scripts/with-emulator.sh cargo test --workspace --lib --bins --tests
# Contract fuzzing of the API against openapi.json (bounded; see the script).
infra/scripts/fuzz.sh
# The web app: tsc, ESLint, Vitest, the build and its budget, Playwright in Debian's chromium.
infra/scripts/web-test.sh
