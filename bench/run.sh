#!/usr/bin/env bash
# Runs the benchmarks and writes bench/results/*.md (see bench/README.md).
#   bench/run.sh                                     # consumption, coldstart, sizes, scaling
#   BENCHES=scaling bench/run.sh                     # only the escrow-lane simulation (no local stack)
#   CONSUMPTION_ARGS="--requests 1000" COLDSTART_ARGS="--samples 10" SCALING_ARGS="--lanes 1,4,16" bench/run.sh
# consumption, coldstart and sizes each start their own local stack (moto, cognito-local, local runtime)
# on free ports, with its state under bench/target/, and stop it at the end.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/env.sh

BENCHES="${BENCHES:-consumption coldstart sizes scaling}"
BENCHES="${BENCHES//,/ }"
for b in $BENCHES; do
  case "$b" in consumption|coldstart|sizes|scaling) ;; *) echo "unknown benchmark '$b' (consumption, coldstart, sizes, scaling)" >&2; exit 2 ;; esac
done
needs_stack() { [[ " $BENCHES " == *" consumption "* || " $BENCHES " == *" coldstart "* || " $BENCHES " == *" sizes "* ]]; }

if needs_stack; then bash scripts/bootstrap.sh; fi
./mvnw -q -DskipTests install -pl functions,local,bench -am
if [[ " $BENCHES " == *" coldstart "* ]]; then
  # The deployment artifact's runtime classpath (the functions jar's dependencies, no test scope).
  ./mvnw -q -f functions/pom.xml dependency:build-classpath -DincludeScope=runtime \
    -Dmdep.outputFile="$ROOT/functions/target/runtime-classpath.txt"
fi

CP="bench/target/bench-1.0.0-SNAPSHOT.jar:$(cat bench/target/classpath.txt)"
for b in $BENCHES; do
  case "$b" in
    consumption)
      export BENCH_COMMAND="bench/run.sh${CONSUMPTION_ARGS:+ (CONSUMPTION_ARGS=\"$CONSUMPTION_ARGS\")}"
      # shellcheck disable=SC2086
      java -cp "$CP" com.enterpriseadmin.bench.ConsumptionBench ${CONSUMPTION_ARGS:-} ;;
    coldstart)
      export BENCH_COMMAND="bench/run.sh${COLDSTART_ARGS:+ (COLDSTART_ARGS=\"$COLDSTART_ARGS\")}"
      # shellcheck disable=SC2086
      java -cp "$CP" com.enterpriseadmin.bench.ColdStartBench \
        --functions-classpath functions/target/runtime-classpath.txt ${COLDSTART_ARGS:-} ;;
    sizes)
      export BENCH_COMMAND="BENCHES=sizes bench/run.sh"
      java -cp "$CP" com.enterpriseadmin.bench.ItemSizes ;;
    scaling)
      export BENCH_COMMAND="BENCHES=scaling bench/run.sh${SCALING_ARGS:+ (SCALING_ARGS=\"$SCALING_ARGS\")}"
      # shellcheck disable=SC2086
      java -cp "$CP" com.enterpriseadmin.bench.ScalingBench ${SCALING_ARGS:-} ;;
  esac
done
