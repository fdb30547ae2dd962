#!/usr/bin/env bash
# The web console (web/): `build` installs its pinned packages (npm ci, redone only when
# web/package-lock.json changes) and builds web/dist (types generated from api/openapi.yaml,
# type-check, Vite, gzip budget); `browser` makes sure Debian's Chromium is installed (apt, needs
# root); `test` builds, runs the unit tests (vitest, Node: auth, session, API client, navigation),
# then the browser test, which starts its own local stack on free ports (needs the Maven build of
# local/, as run-tests and run-local do first).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WEB="$ROOT/web"
CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"

install() {
  local want stamp="$WEB/node_modules/.lock-hash"
  want="$(sha256sum "$WEB/package-lock.json" | cut -d' ' -f1)"
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    echo "console: npm ci in web/" >&2
    (cd "$WEB" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
    echo "$want" > "$stamp"
  fi
}

build() {
  install
  (cd "$WEB" && npm run --silent build)
}

browser() {
  if [ -x "$CHROMIUM" ]; then return; fi
  if [ "$(id -u)" != 0 ]; then
    echo "console: $CHROMIUM is missing; install Debian's chromium package (apt-get install -y chromium) as root" >&2
    exit 1
  fi
  echo "console: installing Debian's chromium" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
}

case "${1:-}" in
  build) build ;;
  browser) browser ;;
  test)
    build
    (cd "$WEB" && npm run --silent test)
    browser
    (cd "$WEB" && CHROMIUM="$CHROMIUM" ROOT="$ROOT" JAVA_HOME="${JAVA_HOME:-}" npm run --silent test:browser)
    ;;
  *) echo "usage: scripts/console.sh build|browser|test" >&2; exit 2 ;;
esac
