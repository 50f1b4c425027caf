#!/usr/bin/env bash
# Warden beside the OpenTelemetry Java agent: what each way of running adds to a JVM's start and to a
# JDBC statement, in one invocation. Four variants, measured in rounds; within a round each variant
# runs once, in an order that rotates between rounds (so none always inherits another's aftermath):
#   none        no agent
#   otel        the OpenTelemetry Java agent, exporters off
#   warden      -javaagent:warden-agent.jar (jdbc surface, no telemetry)
#   warden-ext  the OpenTelemetry agent with Warden as its extension (exporters off)
# Each run is (a) a trivial main that prints one line, under /usr/bin/time (wall, user+sys CPU, max
# RSS; Warden gating every surface, as README's start-up figures), and (b) one fork of the H2 point-query JMH benchmark (H2PointQueryWithoutAgent, the agent given
# through -jvmArgsAppend). The table gives medians over rounds; "added" is the median of each round's
# difference to that round's no-agent run. Run from the repository root on a quiet machine (load < 1)
# after building jmh/ and agent/ (README, Performance) and e2e/ (which fetches the OpenTelemetry agent):
#   mvn -q -B -pl agent,jmh -am package -Dmaven.test.skip=true
#   mvn -q -B -pl e2e generate-test-resources
#   jmh/otel-side-by-side.sh [ROUNDS]        # default 5
# Environment: JAVA (default java), OTEL_AGENT (default e2e/target/otel/opentelemetry-javaagent.jar,
# else the local Maven repository's 2.33.1), JMH_ARGS (default "-wi 5 -i 5"; e.g. "-wi 1 -i 1 -w 1s -r 1s"
# for a smoke test), KEEP=1 keeps the raw output.
set -euo pipefail
rounds=${1:-5}
java=${JAVA:-java}
jmh_args=${JMH_ARGS:--wi 5 -i 5}
bench=H2PointQueryWithoutAgent.pointQuery
warden=agent/target/warden-agent.jar
otel=${OTEL_AGENT:-e2e/target/otel/opentelemetry-javaagent.jar}
[ -f "$otel" ] || otel=${HOME}/.m2/repository/io/opentelemetry/javaagent/opentelemetry-javaagent/2.33.1/opentelemetry-javaagent-2.33.1.jar
for jar in "$warden" "$otel" jmh/target/benchmarks.jar; do
  [ -f "$jar" ] || { echo "otel-side-by-side: $jar missing: build first (see the header of $0)" >&2; exit 2; }
done
[[ "$rounds" =~ ^[1-9][0-9]*$ ]] || { echo "otel-side-by-side: ROUNDS must be a positive number, not '$rounds'" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "otel-side-by-side: /usr/bin/time missing (apt-get install time)" >&2; exit 2; }

out=$(mktemp -d)
[ -n "${KEEP:-}" ] && echo "raw output in $out" || trap 'rm -rf "$out"' EXIT
mkdir -p "$out/app"
cat > "$out/app/Hello.java" <<'EOF'
public class Hello {
    public static void main(String[] args) {
        System.out.println("hello");
    }
}
EOF
"${java%java}javac" -d "$out/app" "$out/app/Hello.java" 2>/dev/null || javac -d "$out/app" "$out/app/Hello.java"

variants=(none otel warden warden-ext)
otel_off=(-Dotel.traces.exporter=none -Dotel.metrics.exporter=none -Dotel.logs.exporter=none)
flags() { # flags VARIANT RECEIPTS [SURFACES]: the JVM options of a variant, one a line (Warden: every surface without SURFACES)
  case $1 in
    none) ;;
    otel) printf '%s\n' "-javaagent:$otel" "${otel_off[@]}" ;;
    warden) printf '%s\n' "-javaagent:$warden=rules=jmh/rules/jdbc,receipts=$2${3:+,surfaces=$3},log=warn" ;;
    warden-ext) printf '%s\n' "-javaagent:$otel" "${otel_off[@]}" "-Dotel.javaagent.extensions=$warden" \
      -Dwarden.rules=jmh/rules/jdbc "-Dwarden.receipts=$2" -Dwarden.log=warn
      [ -z "${3:-}" ] || printf '%s\n' "-Dwarden.surfaces=$3" ;;
  esac
}

for ((round = 1; round <= rounds; round++)); do
  for ((k = 0; k < ${#variants[@]}; k++)); do
    v=${variants[(k + round - 1) % ${#variants[@]}]}
    rm -rf "$out/receipts"
    mapfile -t opts < <(flags "$v" "$out/receipts")
    /usr/bin/time -f "%e %U %S %M" -o "$out/time" "$java" "${opts[@]}" -cp "$out/app" Hello > /dev/null 2> "$out/start.err" \
      || { echo "otel-side-by-side: $v: the trivial app failed:" >&2; tail -5 "$out/start.err" >&2; exit 1; }
    read -r wall user sys rss < <(tail -1 "$out/time")
    if [[ $v == warden* ]] && [ ! -d "$out/receipts/queue" ]; then
      echo "otel-side-by-side: $v: Warden did not start (no receipts):" >&2; tail -5 "$out/start.err" >&2; exit 1
    fi
    rm -rf "$out/receipts"
    # Only jdbc is gated in the benchmark: JMH talks to its fork over a loopback socket that net would (rightly) refuse.
    mapfile -t opts < <(flags "$v" "$out/receipts" jdbc)
    jvm=()
    for opt in "${opts[@]}"; do jvm+=(-jvmArgsAppend "$opt"); done
    # shellcheck disable=SC2086 # JMH_ARGS is a list of options
    "$java" -jar jmh/target/benchmarks.jar "${bench//./\\.}\$" -f 1 $jmh_args "${jvm[@]}" > "$out/jmh.txt" 2>&1 \
      || { echo "otel-side-by-side: $v: the benchmark failed:" >&2; tail -5 "$out/jmh.txt" >&2; exit 1; }
    p50=$(awk -v b="$bench:p0.50" '$1 == b { print $3 }' "$out/jmh.txt")
    p999=$(awk -v b="$bench:p0.999" '$1 == b { print $3 }' "$out/jmh.txt")
    mean=$(awk -v b="$bench" '$1 == b && $2 == "sample" { print $4 }' "$out/jmh.txt")
    [ -n "$p50" ] && [ -n "$p999" ] && [ -n "$mean" ] \
      || { echo "otel-side-by-side: $v: no result in the benchmark's output:" >&2; tail -5 "$out/jmh.txt" >&2; exit 1; }
    echo "$round $v $wall $(echo "$user $sys" | awk '{ print $1 + $2 }') $rss $p50 $mean $p999" | tee -a "$out/runs.txt" >&2
  done
done

echo
echo "$rounds round(s), $("$java" -version 2>&1 | head -1), load $(cut -d' ' -f1-3 /proc/loadavg); µs per statement; medians over rounds"
awk '
  function median(list, n,   v, i, j, t) {
    for (i = 1; i <= n; i++) v[i] = list[i]
    for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t }
    return n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
  }
  { r = $1; v = $2; wall[v, r] = $3; cpu[v, r] = $4; rss[v, r] = $5; p50[v, r] = $6; mean[v, r] = $7; p999[v, r] = $8; rounds = r }
  END {
    printf "%-11s %9s %9s %9s %8s %8s %8s %10s %10s %10s\n", "variant", "start s", "CPU s", "RSS MiB", "p50", "mean", "p99.9",
      "+p50", "+mean", "+p99.9"
    split("none otel warden warden-ext", names, " ")
    for (k = 1; k <= 4; k++) {
      v = names[k]
      for (r = 1; r <= rounds; r++) {
        a[r] = wall[v, r]; b[r] = cpu[v, r]; c[r] = rss[v, r] / 1024; d[r] = p50[v, r]; e[r] = mean[v, r]; f[r] = p999[v, r]
        g[r] = p50[v, r] - p50["none", r]; h[r] = mean[v, r] - mean["none", r]; x[r] = p999[v, r] - p999["none", r]
      }
      printf "%-11s %9.2f %9.2f %9.0f %8.2f %8.2f %8.1f %+10.2f %+10.2f %+10.1f\n", v, median(a, rounds), median(b, rounds),
        median(c, rounds), median(d, rounds), median(e, rounds), median(f, rounds), median(g, rounds), median(h, rounds), median(x, rounds)
    }
  }' "$out/runs.txt"
