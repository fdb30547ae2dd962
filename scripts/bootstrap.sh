#!/usr/bin/env bash
# Installs the pinned local tools, and nothing else:
#
#   bash scripts/bootstrap.sh stack     what ./run-local needs:
#                                         .venv/emulators  moto's DynamoDB server (tools/requirements-emulators.lock)
#                                         local/cognito/node_modules  cognito-local (local/cognito/package-lock.json)
#   bash scripts/bootstrap.sh clients   curl and jq (the README's snippets, scripts/walkthrough.sh), with
#                                       apt-get when they are missing, or says what to install
#   bash scripts/bootstrap.sh [all]     all of the above, plus .venv/sam: aws-sam-cli, cfn-lint
#                                       (tools/requirements-sam.lock), for ./run-tests and deploying,
#                                       and .venv/checkov (tools/requirements-checkov.lock; its pins
#                                       clash with aws-sam-cli's), for ./run-tests, and .venv/fuzz:
#                                       schemathesis (tools/requirements-fuzz.lock), for scripts/fuzz.sh
#
# Idempotent: each part is redone only when its lock file changed (a stamp holds its hash).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

what="${1:-all}"
case $what in
  stack | clients | all) ;;
  *) echo "usage: bootstrap.sh [stack|clients|all]" >&2; exit 2 ;;
esac

PYTHON="${PYTHON:-}"
if [ -z "$PYTHON" ]; then
  for candidate in python3.11 python3.12 python3.13 python3; do
    if command -v "$candidate" >/dev/null 2>&1; then PYTHON="$candidate"; break; fi
  done
fi

hash_of() { sha256sum "$@" | sha256sum | cut -d' ' -f1; }

# The lock files are complete 'pip freeze' lists: installed as they are (--no-deps), without
# compiling every module up front (Python compiles what it imports, once).
venv() { # name lockfile
  local dir="$ROOT/.venv/$1" lock="$ROOT/$2" stamp="$ROOT/.venv/$1/.lock-hash" want
  want="$(hash_of "$lock")"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -x "$dir/bin/python" ]; then return; fi
  [ -n "$PYTHON" ] || { echo "bootstrap: no python3 found" >&2; exit 1; }
  echo "bootstrap: installing .venv/$1 from $2" >&2
  rm -rf "$dir"
  "$PYTHON" -m venv --without-pip "$dir"
  "$PYTHON" -m pip --python "$dir/bin/python" install --quiet --disable-pip-version-check --no-input \
    --no-deps --no-compile -r "$lock"
  echo "$want" > "$stamp"
}

cognito_local() {
  local dir="$ROOT/local/cognito" want stamp
  want="$(hash_of "$dir/package-lock.json")"
  stamp="$dir/node_modules/.lock-hash"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then return; fi
  echo "bootstrap: npm ci in local/cognito" >&2
  (cd "$dir" && npm ci --prefer-offline --no-audit --no-fund --loglevel=error)
  echo "$want" > "$stamp"
}

clients() {
  local missing=() tool
  for tool in curl jq; do command -v "$tool" >/dev/null 2>&1 || missing+=("$tool"); done
  [ ${#missing[@]} -gt 0 ] || return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "bootstrap: apt-get install ${missing[*]}" >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
  else
    echo "bootstrap: ${missing[*]} missing; install them (e.g. sudo apt-get install ${missing[*]}, brew install ${missing[*]})" >&2
    exit 1
  fi
}

if [ "$what" = clients ]; then clients; exit; fi
[ "$what" = stack ] || clients

# The parts install in parallel (mostly waiting on the network and unpacking).
pids=()
venv emulators tools/requirements-emulators.lock & pids+=($!)
if [ "$what" = all ]; then
  venv sam tools/requirements-sam.lock & pids+=($!)
  venv checkov tools/requirements-checkov.lock & pids+=($!)
  venv fuzz tools/requirements-fuzz.lock & pids+=($!)
fi
cognito_local & pids+=($!)
for pid in "${pids[@]}"; do wait "$pid"; done
