# Sourced by every project script: selects a JDK >= 21 (the Lambda runtime is java21) and the
# project-local tool locations. The machine's default java may be older; we never rely on it.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export ROOT

java_major() { "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p'; }

if [ -z "${JAVA_HOME:-}" ] || [ "$(java_major "$JAVA_HOME" 2>/dev/null || echo 0)" -lt 21 ] 2>/dev/null; then
  JAVA_HOME=""
  for candidate in /usr/lib/jvm/*; do
    [ -x "$candidate/bin/javac" ] || continue
    major="$(java_major "$candidate" 2>/dev/null || echo 0)"
    if [ "${major:-0}" -ge 21 ] 2>/dev/null; then JAVA_HOME="$candidate"; break; fi
  done
  if [ -z "$JAVA_HOME" ]; then
    echo "No JDK >= 21 found under /usr/lib/jvm; install one (e.g. Temurin 21) or set JAVA_HOME." >&2
    exit 1
  fi
fi
export JAVA_HOME
export PATH="$JAVA_HOME/bin:$PATH"
export VENV="$ROOT/.venv"
