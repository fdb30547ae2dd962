#!/usr/bin/env bash
# Runs both benchmarks and writes bench/results/{consumption,coldstart}.md (see bench/README.md).
#   bench/run.sh                                     # defaults
#   CONSUMPTION_ARGS="--requests 1000" COLDSTART_ARGS="--samples 10" bench/run.sh
#   bench/run.sh coldstart                           # only one of them: consumption | coldstart
# Each benchmark starts its own local stack (moto, cognito-local, local runtime) on free ports,
# with its state under bench/target/, and stops it at the end.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
which="${1:-all}"
case "$which" in all|consumption|coldstart) ;; *) echo "usage: bench/run.sh [all|consumption|coldstart]" >&2; exit 2 ;; esac
source scripts/env.sh

bash scripts/bootstrap.sh
./mvnw -q -DskipTests install -pl functions,local,bench -am
# The deployment artifact's runtime classpath (the functions jar's dependencies, no test scope).
./mvnw -q -f functions/pom.xml dependency:build-classpath -DincludeScope=runtime \
  -Dmdep.outputFile="$ROOT/functions/target/runtime-classpath.txt"

CP="bench/target/bench-1.0.0-SNAPSHOT.jar:$(cat bench/target/classpath.txt)"
export BENCH_COMMAND="bench/run.sh${1:+ $1}${CONSUMPTION_ARGS:+ (CONSUMPTION_ARGS=\"$CONSUMPTION_ARGS\")}${COLDSTART_ARGS:+ (COLDSTART_ARGS=\"$COLDSTART_ARGS\")}"

if [ "$which" != coldstart ]; then
  # shellcheck disable=SC2086
  java -cp "$CP" com.enterpriseadmin.bench.ConsumptionBench ${CONSUMPTION_ARGS:-}
fi
if [ "$which" != consumption ]; then
  # shellcheck disable=SC2086
  java -cp "$CP" com.enterpriseadmin.bench.ColdStartBench \
    --functions-classpath functions/target/runtime-classpath.txt ${COLDSTART_ARGS:-}
fi
