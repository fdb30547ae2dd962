#!/usr/bin/env bash
# Installs the pinned local tools, and nothing else:
#   .venv/emulators  moto[server]            (tools/requirements-emulators.lock)
#   .venv/sam        aws-sam-cli, cfn-lint   (tools/requirements-sam.lock)
#   local/cognito/node_modules  cognito-local (local/cognito/package-lock.json, npm ci)
# Idempotent: each part is redone only when its lock file changed (a stamp holds its hash).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

PYTHON="${PYTHON:-}"
if [ -z "$PYTHON" ]; then
  for candidate in python3.11 python3.12 python3.13 python3; do
    if command -v "$candidate" >/dev/null 2>&1; then PYTHON="$candidate"; break; fi
  done
fi
[ -n "$PYTHON" ] || { echo "bootstrap: no python3 found" >&2; exit 1; }

hash_of() { sha256sum "$@" | sha256sum | cut -d' ' -f1; }

venv() { # name lockfile
  local dir="$ROOT/.venv/$1" lock="$ROOT/$2" stamp="$ROOT/.venv/$1/.lock-hash" want
  want="$(hash_of "$lock")"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -x "$dir/bin/python" ]; then return; fi
  echo "bootstrap: installing .venv/$1 from $2" >&2
  rm -rf "$dir"
  "$PYTHON" -m venv "$dir"
  "$dir/bin/pip" install --quiet --disable-pip-version-check --no-input -r "$lock"
  echo "$want" > "$stamp"
}

# The two venvs install in parallel (pip is mostly waiting on the network and unpacking).
venv emulators tools/requirements-emulators.lock & emulators=$!
venv sam tools/requirements-sam.lock & sam=$!
wait "$emulators"
wait "$sam"

cognito="$ROOT/local/cognito"
want="$(hash_of "$cognito/package-lock.json")"
stamp="$cognito/node_modules/.lock-hash"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "bootstrap: npm ci in local/cognito" >&2
  (cd "$cognito" && npm ci --no-audit --no-fund --loglevel=error)
  echo "$want" > "$stamp"
fi
