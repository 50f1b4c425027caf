#!/usr/bin/env bash
# What an agent adds to loading an application's classes: every class of a few large jars (Spring core, beans
# and context, H2, Drools) is loaded through one URLClassLoader, runs without and with the agent alternating,
# and the harness's own wall and CPU time of the loading (not the JVM's start) compared per pair.
# Run from the repository root after building the agent:
#   jmh/class-loading.sh PAIRS [AGENT_JAR] [RULES]
# e.g. jmh/class-loading.sh 5 agent/target/warden-agent.jar jmh/rules/jdbc
# AGENT_JAR may be another agent (e.g. opentelemetry-javaagent.jar with OTEL_*_EXPORTER=none) given as
# "otel:/path/to/opentelemetry-javaagent.jar". Jars come from the local Maven repository (M2, default ~/.m2/repository).
set -euo pipefail
pairs=${1:-5} agent=${2:-agent/target/warden-agent.jar} rules=${3:-jmh/rules/jdbc}
m2=${M2:-$HOME/.m2/repository}
jars=(
  "$m2/org/springframework/spring-core/7.0.10/spring-core-7.0.10.jar"
  "$m2/org/springframework/spring-beans/7.0.10/spring-beans-7.0.10.jar"
  "$m2/org/springframework/spring-context/7.0.10/spring-context-7.0.10.jar"
  "$m2/com/h2database/h2/2.3.232/h2-2.3.232.jar"
  "$m2/org/drools/drools-core/10.2.0/drools-core-10.2.0.jar"
)
for jar in "${jars[@]}"; do [ -f "$jar" ] || { echo "missing $jar (build the e2e module once, or set M2)" >&2; exit 2; }; done
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
javac -d "$out/classes" "$(dirname "$0")/class-loading/LoadEveryClass.java"
cp=$(IFS=:; echo "${jars[*]}")

with() {
  rm -rf "$out/receipts"
  case "$agent" in
    otel:*) OTEL_TRACES_EXPORTER=none OTEL_METRICS_EXPORTER=none OTEL_LOGS_EXPORTER=none \
              java "-javaagent:${agent#otel:}" -cp "$out/classes" LoadEveryClass "${jars[@]}" 2>/dev/null ;;
    *) java "-javaagent:$agent=rules=$rules,receipts=$out/receipts,log=warn" -cp "$out/classes" LoadEveryClass "${jars[@]}" ;;
  esac
}
without() { java -cp "$out/classes" LoadEveryClass "${jars[@]}"; }
ms() { sed -E 's/.* in ([0-9]+) ms wall, ([0-9]+) ms CPU/\1 \2/'; }

echo "pair  wall without  wall with  CPU without  CPU with  (ms)"
for ((i = 1; i <= pairs; i++)); do
  if ((i % 2)); then a=$(without | ms); b=$(with | ms); else b=$(with | ms); a=$(without | ms); fi
  echo "$i $a $b" | awk '{ printf "%4d %12d %10d %12d %9d\n", $1, $2, $4, $3, $5 }' | tee -a "$out/pairs.txt"
done
median() { sort -g | awk '{ d[NR] = $1 } END { print NR % 2 ? d[(NR + 1) / 2] : (d[NR / 2] + d[NR / 2 + 1]) / 2 }'; }
printf "median added over %d pairs: %+.0f ms wall, %+.0f ms CPU\n" "$pairs" \
  "$(awk '{ print $3 - $2 }' "$out/pairs.txt" | median)" "$(awk '{ print $5 - $4 }' "$out/pairs.txt" | median)"
without | sed 's/^/classes: /' | sed -E 's/ in .*//'
