#!/usr/bin/env bash
# Runs the README's walkthrough against a running stack: every ```sh snippet that follows a
# `<!-- walkthrough -->` line, in order, in this one shell. Each call goes through scripts/api.sh,
# which prints "METHOD path -> status" and fails on any other status than the README's; any failing
# command stops the walkthrough. So a README that drifts from the code fails.
#
#   scripts/walkthrough.sh [stack.json]      (default: .local/stack.json, as ./run-local writes it)
set -euo pipefail
shopt -s inherit_errexit

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STACK_FILE="$(realpath "${1:-$ROOT/.local/stack.json}")"
API_LOG="$(mktemp)"
export STACK_FILE API_LOG
trap 'rm -f "$API_LOG" "${TMPDIR:-/tmp}/api-headers.$$"' EXIT
cd "$ROOT"

snippets="$(awk '
  !inside && /^#+ / { heading = $0; sub(/^#+ /, "", heading) }
  /^<!-- walkthrough -->$/ { marked = 1; next }
  marked && /^```sh$/ { inside = 1; gsub(/\047/, "", heading); printf "echo >&2; echo \047== %s\047 >&2\n", heading; next }
  inside && /^```$/ { inside = 0; marked = 0; next }
  inside { print }
' README.md)"
[ -n "$snippets" ] || { echo "walkthrough: README.md has no <!-- walkthrough --> snippets" >&2; exit 1; }

started=$SECONDS
trap 'echo "walkthrough: stopped at: $BASH_COMMAND" >&2' ERR
eval "$snippets"
echo
echo "walkthrough: $(wc -l < "$API_LOG") calls answered as the README says, in $((SECONDS - started)) s ($STACK_FILE)"
