#!/usr/bin/env bash
# Warden beside the OpenTelemetry Java agent: what each way of running adds to a JVM's start, to a
# JDBC statement and to a Spring Boot application's context start, in one invocation. Four variants,
# measured in rounds; within a round each variant runs once, in an order that rotates between rounds (so none always inherits another's aftermath):
#   none        no agent
#   otel        the OpenTelemetry Java agent, exporters off
#   warden      -javaagent:warden-agent.jar (jdbc surface, no telemetry)
#   warden-ext  the OpenTelemetry agent with Warden as its extension (exporters off)
# Each run is (a) a trivial main that prints one line, under /usr/bin/time (wall, user+sys CPU, max
# RSS; Warden gating every surface, as README's start-up figures) and when its main began (the launch to
# main's first line: what premain holds the host up by), and (b) one fork of the H2 point-query JMH benchmark (H2PointQueryWithoutAgent, the agent given
# through -jvmArgsAppend), and (c) the Spring Boot application of jmh/spring-app (component scan, embedded
# H2 DataSource queried at start, Tomcat on a loopback port; Warden gating every surface with
# jmh/rules/spring-app), which prints its context start (SpringApplication.run until it returns: wall, and
# the process's CPU time meanwhile, every thread), under /usr/bin/time. The tables give medians over
# rounds; "added" is the median of each round's difference to that round's no-agent run. Run from the repository root on a quiet machine (load < 1)
# after building jmh/ and agent/ (README, Performance) and e2e/ (which fetches the OpenTelemetry agent):
#   mvn -q -B -pl agent,jmh,jmh/spring-app -am package -Dmaven.test.skip=true
#   mvn -q -B -pl e2e generate-test-resources
#   jmh/otel-side-by-side.sh [ROUNDS]        # default 5
# Environment: JAVA (default java), OTEL_AGENT (default e2e/target/otel/opentelemetry-javaagent.jar,
# else the local Maven repository's 2.33.1), JMH_ARGS (default "-wi 5 -i 5"; e.g. "-wi 1 -i 1 -w 1s -r 1s"
# for a smoke test), SPRING_ONLY=1 runs only (c), KEEP=1 keeps the raw output.
set -euo pipefail
rounds=${1:-5}
java=${JAVA:-java}
jmh_args=${JMH_ARGS:--wi 5 -i 5}
bench=H2PointQueryWithoutAgent.pointQuery
warden=agent/target/warden-agent.jar
spring_app=jmh/spring-app/target/spring-app.jar
otel=${OTEL_AGENT:-e2e/target/otel/opentelemetry-javaagent.jar}
[ -f "$otel" ] || otel=${HOME}/.m2/repository/io/opentelemetry/javaagent/opentelemetry-javaagent/2.33.1/opentelemetry-javaagent-2.33.1.jar
for jar in "$warden" "$otel" jmh/target/benchmarks.jar "$spring_app"; do
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
        System.out.println("hello " + System.currentTimeMillis());
    }
}
EOF
"${java%java}javac" -d "$out/app" "$out/app/Hello.java" 2>/dev/null || javac -d "$out/app" "$out/app/Hello.java"

variants=(none otel warden warden-ext)
otel_off=(-Dotel.traces.exporter=none -Dotel.metrics.exporter=none -Dotel.logs.exporter=none)
flags() { # flags VARIANT RECEIPTS RULES [SURFACES]: the JVM options of a variant, one a line (Warden: every surface without SURFACES)
  case $1 in
    none) ;;
    otel) printf '%s\n' "-javaagent:$otel" "${otel_off[@]}" ;;
    warden) printf '%s\n' "-javaagent:$warden=rules=$3,receipts=$2${4:+,surfaces=$4},log=warn" ;;
    warden-ext) printf '%s\n' "-javaagent:$otel" "${otel_off[@]}" "-Dotel.javaagent.extensions=$warden" \
      "-Dwarden.rules=$3" "-Dwarden.receipts=$2" -Dwarden.log=warn
      [ -z "${4:-}" ] || printf '%s\n' "-Dwarden.surfaces=$4" ;;
  esac
}
started() { # started VARIANT RECEIPTS LOG WHAT: fail unless a Warden variant claimed its receipts directory
  # (its queue may not be: a JVM that exits before Warden opened it opens none, for nothing was decided)
  if [[ $1 == warden* ]] && [ ! -f "$2/writer.lock" ]; then
    echo "otel-side-by-side: $1: Warden did not start with $4 (no receipts):" >&2; tail -5 "$3" >&2; exit 1
  fi
}

for ((round = 1; round <= rounds; round++)); do
  for ((k = 0; k < ${#variants[@]}; k++)); do
    v=${variants[(k + round - 1) % ${#variants[@]}]}
    rm -rf "$out/receipts"
    mapfile -t opts < <(flags "$v" "$out/receipts" jmh/rules/spring-app)
    /usr/bin/time -f "%e %U %S %M" -o "$out/time" "$java" "${opts[@]}" -jar "$spring_app" > "$out/spring.out" 2>&1 \
      || { echo "otel-side-by-side: $v: the Spring Boot application failed:" >&2; tail -20 "$out/spring.out" >&2; exit 1; }
    read -r wall user sys rss < <(tail -1 "$out/time")
    started "$v" "$out/receipts" "$out/spring.out" "the Spring Boot application"
    context=$(sed -n 's/^context started in \([0-9]*\) ms, \([0-9]*\) ms CPU$/\1 \2/p' "$out/spring.out")
    [ -n "$context" ] || { echo "otel-side-by-side: $v: no context start in the Spring Boot application's output:" >&2; tail -5 "$out/spring.out" >&2; exit 1; }
    echo "$round $v spring $(echo "$context" | awk '{ print $1 / 1000, $2 / 1000 }') $wall $(echo "$user $sys" | awk '{ print $1 + $2 }') $rss" \
      | tee -a "$out/spring.txt" >&2
    [ -z "${SPRING_ONLY:-}" ] || continue

    rm -rf "$out/receipts"
    mapfile -t opts < <(flags "$v" "$out/receipts" jmh/rules/jdbc)
    launched=$(date +%s%3N)
    /usr/bin/time -f "%e %U %S %M" -o "$out/time" "$java" "${opts[@]}" -cp "$out/app" Hello > "$out/start.out" 2> "$out/start.err" \
      || { echo "otel-side-by-side: $v: the trivial app failed:" >&2; tail -5 "$out/start.err" >&2; exit 1; }
    read -r wall user sys rss < <(tail -1 "$out/time")
    # When main began: what the agent's premain held it up by (the rest of an agent's start may run alongside it).
    main=$(awk -v t="$launched" '$1 == "hello" { print ($2 - t) / 1000 }' "$out/start.out")
    started "$v" "$out/receipts" "$out/start.err" "the trivial app"
    rm -rf "$out/receipts"
    # Only jdbc is gated in the benchmark: JMH talks to its fork over a loopback socket that net would (rightly) refuse.
    mapfile -t opts < <(flags "$v" "$out/receipts" jmh/rules/jdbc jdbc)
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
    echo "$round $v $wall $(echo "$user $sys" | awk '{ print $1 + $2 }') $rss $p50 $mean $p999 $main" | tee -a "$out/runs.txt" >&2
  done
done

median='
  function median(list, n,   v, i, j, t) {
    for (i = 1; i <= n; i++) v[i] = list[i]
    for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t }
    return n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
  }'
load="$("$java" -version 2>&1 | head -1), load $(cut -d' ' -f1-3 /proc/loadavg)"
if [ -z "${SPRING_ONLY:-}" ]; then
  echo
  echo "$rounds round(s), $load; µs per statement; medians over rounds"
  awk "$median"'
  { r = $1; v = $2; wall[v, r] = $3; cpu[v, r] = $4; rss[v, r] = $5; p50[v, r] = $6; mean[v, r] = $7; p999[v, r] = $8; main[v, r] = $9; rounds = r }
  END {
    printf "%-11s %9s %9s %9s %9s %8s %8s %8s %10s %10s %10s %9s\n", "variant", "main s", "start s", "CPU s", "RSS MiB", "p50", "mean",
      "p99.9", "+p50", "+mean", "+p99.9", "+main"
    split("none otel warden warden-ext", names, " ")
    for (k = 1; k <= 4; k++) {
      v = names[k]
      for (r = 1; r <= rounds; r++) {
        a[r] = wall[v, r]; b[r] = cpu[v, r]; c[r] = rss[v, r] / 1024; d[r] = p50[v, r]; e[r] = mean[v, r]; f[r] = p999[v, r]
        g[r] = p50[v, r] - p50["none", r]; h[r] = mean[v, r] - mean["none", r]; x[r] = p999[v, r] - p999["none", r]
        m[r] = main[v, r]; n[r] = main[v, r] - main["none", r]
      }
      printf "%-11s %9.2f %9.2f %9.2f %9.0f %8.2f %8.2f %8.1f %+10.2f %+10.2f %+10.1f %+9.2f\n", v, median(m, rounds), median(a, rounds),
        median(b, rounds), median(c, rounds), median(d, rounds), median(e, rounds), median(f, rounds), median(g, rounds), median(h, rounds),
        median(x, rounds), median(n, rounds)
    }
  }' "$out/runs.txt"
fi

echo
echo "$rounds round(s), $load; the Spring Boot application: context start (wall, and CPU meanwhile), its JVM's wall and CPU time (s); medians over rounds"
awk "$median"'
  { r = $1; v = $2; context[v, r] = $4; ccpu[v, r] = $5; wall[v, r] = $6; cpu[v, r] = $7; rss[v, r] = $8; rounds = r }
  END {
    printf "%-11s %9s %9s %9s %9s %9s %9s %9s %9s %9s\n", "variant", "context s", "ctx CPU s", "wall s", "CPU s", "RSS MiB",
      "+context", "+ctx CPU", "+wall", "+CPU"
    split("none otel warden warden-ext", names, " ")
    for (k = 1; k <= 4; k++) {
      v = names[k]
      for (r = 1; r <= rounds; r++) {
        a[r] = context[v, r]; b[r] = ccpu[v, r]; c[r] = wall[v, r]; d[r] = cpu[v, r]; e[r] = rss[v, r] / 1024
        f[r] = context[v, r] - context["none", r]; g[r] = ccpu[v, r] - ccpu["none", r]
        h[r] = wall[v, r] - wall["none", r]; x[r] = cpu[v, r] - cpu["none", r]
      }
      printf "%-11s %9.2f %9.2f %9.2f %9.2f %9.0f %+9.2f %+9.2f %+9.2f %+9.2f\n", v, median(a, rounds), median(b, rounds),
        median(c, rounds), median(d, rounds), median(e, rounds), median(f, rounds), median(g, rounds), median(h, rounds), median(x, rounds)
    }
  }' "$out/spring.txt"
