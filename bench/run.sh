#!/usr/bin/env bash
# Runs the benchmarks and writes bench/results/{consumption,coldstart,usage}.md (see bench/README.md).
#   bench/run.sh                                     # defaults, all three
#   BENCHES=usage bench/run.sh                       # only some (consumption, coldstart, usage)
#   CONSUMPTION_ARGS="--requests 1000" COLDSTART_ARGS="--samples 10" USAGE_ARGS="--levels 100,10000" bench/run.sh
# Each benchmark starts its own local stack (moto, cognito-local, local runtime) on free ports,
# with its state under bench/target/, and stops it at the end.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/env.sh

bash scripts/bootstrap.sh
./mvnw -q -DskipTests install -pl functions,local,bench -am
# The deployment artifact's runtime classpath (the functions jar's dependencies, no test scope).
./mvnw -q -f functions/pom.xml dependency:build-classpath -DincludeScope=runtime \
  -Dmdep.outputFile="$ROOT/functions/target/runtime-classpath.txt"

CP="bench/target/bench-1.0.0-SNAPSHOT.jar:$(cat bench/target/classpath.txt)"
export BENCH_COMMAND="${BENCHES:+BENCHES=\"$BENCHES\" }bench/run.sh${CONSUMPTION_ARGS:+ (CONSUMPTION_ARGS=\"$CONSUMPTION_ARGS\")}${COLDSTART_ARGS:+ (COLDSTART_ARGS=\"$COLDSTART_ARGS\")}${USAGE_ARGS:+ (USAGE_ARGS=\"$USAGE_ARGS\")}"

for bench in ${BENCHES:-consumption coldstart usage}; do
  case "$bench" in
    # shellcheck disable=SC2086
    consumption) java -cp "$CP" com.enterpriseadmin.bench.ConsumptionBench ${CONSUMPTION_ARGS:-} ;;
    # shellcheck disable=SC2086
    coldstart) java -cp "$CP" com.enterpriseadmin.bench.ColdStartBench \
                 --functions-classpath functions/target/runtime-classpath.txt ${COLDSTART_ARGS:-} ;;
    # shellcheck disable=SC2086
    usage) java -cp "$CP" com.enterpriseadmin.bench.UsageBench ${USAGE_ARGS:-} ;;
    *) echo "unknown bench '$bench' (consumption, coldstart, usage)" >&2; exit 2 ;;
  esac
done
