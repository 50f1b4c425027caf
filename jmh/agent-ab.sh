#!/usr/bin/env bash
# Two builds of the agent (or none) against each other on one agent-free benchmark: forks of A and B
# alternate (which goes first alternates too), each gets the agent through -jvmArgsAppend, and the
# per-pair p50 difference is printed with its median. "Is this build slower than that one?" without
# trusting a number measured on another day. Run from the repository root after building jmh/.
#   jmh/agent-ab.sh PAIRS JAR_A|none JAR_B|none BENCHMARK RULES [CPU]
# e.g. jmh/agent-ab.sh 10 /tmp/warden-before.jar agent/target/warden-agent.jar \
#        'HttpLoopbackGetWithoutAgent.jdkHttpClient' jmh/rules/http 1
# CPU pins the forks to one CPU (taskset), for a shared machine whose other work can be moved off it.
# Environment:
#   AGENT_ARGS  more agent arguments, e.g. ",surfaces=jdbc" for a JDBC benchmark (JMH's forks talk to it over
#               a loopback socket that the net surface would refuse)
#   TAIL=1      also print each fork's mean, p99, p99.9 and p99.99 (the tail, where one fork says little: compare
#               the ranges over the pairs)
#   JMH_ARGS    the forks' iterations (default "-wi 10 -i 3")
# e.g. TAIL=1 AGENT_ARGS=,surfaces=jdbc JMH_ARGS="-wi 3 -i 5" jmh/agent-ab.sh 3 /tmp/before.jar \
#        agent/target/warden-agent.jar H2PointQueryWithoutAgent.pointQuery jmh/rules/jdbc
set -euo pipefail
pairs=$1 a=$2 b=$3 bench=$4 rules=$5 cpu=${6:-}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
pin=()
[ -n "$cpu" ] && pin=(taskset -c "$cpu")
read -r -a iterations <<< "${JMH_ARGS:--wi 10 -i 3}"

p50() { awk -v b="$bench:p0.50" '$1 == b { print $3 }' "$1"; }

tail_of() { # the fork's mean, p99, p99.9, p99.99
  awk -v b="$bench" '$1 == b { mean = $4 } $1 == b ":p0.99" { p99 = $3 } $1 == b ":p0.999" { p999 = $3 }
    $1 == b ":p0.9999" { p9999 = $3 } END { printf "mean %s p99 %s p99.9 %s p99.99 %s", mean, p99, p999, p9999 }' "$1"
}

run() { # run JAR OUTPUT
  local extra=()
  if [ "$1" != none ]; then
    rm -rf "$out/receipts"
    extra=(-jvmArgsAppend "-javaagent:$1=rules=$rules,receipts=$out/receipts,log=warn${AGENT_ARGS:-}")
  fi
  "${pin[@]}" java -jar jmh/target/benchmarks.jar "${bench//./\\.}\$" -f 1 "${iterations[@]}" "${extra[@]}" > "$2"
}

echo "pair  p50 A  p50 B  B-A (µs)"
for ((i = 1; i <= pairs; i++)); do
  if ((i % 2)); then run "$a" "$out/a.txt"; run "$b" "$out/b.txt"; else run "$b" "$out/b.txt"; run "$a" "$out/a.txt"; fi
  pa=$(p50 "$out/a.txt") pb=$(p50 "$out/b.txt")
  echo "$i $pa $pb" | awk '{ printf "%4d %7.2f %7.2f %+8.2f\n", $1, $2, $3, $3 - $2 }' | tee -a "$out/pairs.txt"
  if [ -n "${TAIL:-}" ]; then
    echo "       A: $(tail_of "$out/a.txt")"
    echo "       B: $(tail_of "$out/b.txt")"
  fi
done
sort -g -k4 "$out/pairs.txt" | awk '{ d[NR] = $4 } END { m = NR % 2 ? d[(NR + 1) / 2] : (d[NR / 2] + d[NR / 2 + 1]) / 2; printf "median B-A over %d pairs: %+.2f µs\n", NR, m }'
