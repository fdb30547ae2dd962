# Calls a running stack the way the README shows; scripts/walkthrough.sh runs the README with it.
#
#   source scripts/api.sh [stack.json]     # default: $STACK_FILE, else .local/stack.json of this checkout
#
# Sets S (the stack file), API, INVOKE, COGNITO, POOL, CLIENT, and RUN (new at every `source`, so
# the e-mails of one session never collide with an earlier one's). Defines:
#
#   api STATUS METHOD PATH [TOKEN [BODY]] [curl options...]   the HTTP API (PATH may be a full URL)
#   idp STATUS ACTION BODY                                     Cognito's AWSCognitoIdentityProviderService.ACTION
#   header NAME                                                a header of the last answer
#
# Each call prints "METHOD path -> status" on stderr and the body on stdout (always ending with a
# newline). Any other status than STATUS prints the body on stderr and fails (return 1).

for _tool in curl jq; do
  command -v "$_tool" >/dev/null 2>&1 || {
    echo "api.sh: $_tool is missing: run scripts/bootstrap.sh clients (or install jq and curl)" >&2
    return 1
  }
done

S="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/.local/stack.json"
S="${1:-${STACK_FILE:-$S}}"
[ -s "$S" ] || { echo "api.sh: no stack file $S: start ./run-local first" >&2; return 1; }
API=$(jq -er .apiUrl "$S") && INVOKE=$(jq -er .invokeUrl "$S") && COGNITO=$(jq -er .cognitoEndpoint "$S") &&
  POOL=$(jq -er .userPoolId "$S") && CLIENT=$(jq -er .userPoolClientId "$S") || return 1
RUN="$(date -u +%H%M%S)-$RANDOM"
API_HEADERS="${TMPDIR:-/tmp}/api-headers.$$"

_call() { # STATUS METHOD URL LABEL [curl options...]
  local want=$1 method=$2 url=$3 label=$4 out status body
  shift 4
  out=$(curl -sS -X "$method" "$url" -D "$API_HEADERS" -w '\n%{http_code}' "$@") || return 1
  status=${out##*$'\n'} body=${out%$'\n'*}
  echo "$method $label -> $status" >&2
  [ -z "${API_LOG:-}" ] || echo "$method $label -> $status" >> "$API_LOG"
  if [ "$status" != "$want" ]; then
    printf '  expected %s; the answer was:\n%s\n' "$want" "$body" >&2
    return 1
  fi
  [ -z "$body" ] || printf '%s\n' "${body%$'\n'}"
}

api() {
  local want=$1 method=$2 path=$3 url
  shift 3
  case $path in
    http://* | https://*) url=$path ;;
    *) url=$API$path ;;
  esac
  case ${path#*://} in
    *//* | */ | *=\&* | *=) echo "api: $method $path has an empty part (an unset variable?)" >&2; return 1 ;;
  esac
  local args=()
  if [ $# -gt 0 ]; then
    [ -n "$1" ] || { echo "api: $method $path: the token is empty" >&2; return 1; }
    args+=(-H "Authorization: Bearer $1")
    shift
  fi
  if [ $# -gt 0 ]; then
    [ -z "$1" ] || args+=(-H 'Content-Type: application/json' --data-binary "$1")
    shift
  fi
  _call "$want" "$method" "$url" "${url#"$API"}" "${args[@]}" "$@"
}

idp() {
  _call "$1" POST "$COGNITO" "cognito:$2" -H 'Content-Type: application/x-amz-json-1.1' \
    -H "X-Amz-Target: AWSCognitoIdentityProviderService.$2" --data-binary "$3"
}

header() {
  sed -n "s/^$1: *//Ip" "$API_HEADERS" | tr -d '\r'
}
