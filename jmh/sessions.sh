#!/usr/bin/env bash
# Issue 17 (scale): SESSIONS concurrent conversations of an ordinary LangChain4j support assistant
# (jmh/src/main/java/dev/warden/jmh/sessions), one thread each. A turn is a model call that asks for two tools,
# the tools (an H2 point query on the session's own connection, an HTTP GET to a loopback API) and a model call
# that answers: 6 decided actions and 8 receipts (each model call's usage is a receipt too). The host runs
# once without an agent and once under Warden (jmh/rules/sessions: permits, guardrails, a per-session rate
# limit and token budget), and the table gives p50/p99/p99.9 per kind and the throughput of both. Then the
# receipts are held against what the host did: the verifier must accept the log, and there must be exactly
# one receipt per action per surface and operation, and the same number for every session. Exit 1 otherwise.
# Run from the repository root after building (this script builds nothing):
#   mvn -q -B -pl agent,verifier-cli,jmh -am package -Dmaven.test.skip=true
#   jmh/sessions.sh [SESSIONS] [TURNS] [WARMUP] [MODEL_MS]   # default 1000 60 10 0
# TURNS and WARMUP are per session. MODEL_MS is how long a model call takes to answer on average (the model
# waits between half and 1.5 times that, using no CPU, as a remote round trip): 0 has every session compete for the CPU at
# once (the throughput at saturation); a realistic round trip leaves the sessions mostly waiting, and the turn
# then includes it twice.
# Environment: JAVA (default java), JAVA_OPTS (the host's JVM options, both runs), AGENT (default
# agent/target/warden-agent.jar: another build to compare), KEEP=1 keeps the output.
set -euo pipefail
sessions=${1:-1000} turns=${2:-60} warmup=${3:-10} model_ms=${4:-0}
java=${JAVA:-java}
agent=${AGENT:-agent/target/warden-agent.jar}
verifier=verifier-cli/target/warden-verify.jar
host=jmh/target/benchmarks.jar
rules=jmh/rules/sessions
for file in "$agent" "$verifier" "$host"; do
  [ -f "$file" ] || { echo "sessions: $file missing: build first (see the header of $0)" >&2; exit 2; }
done
[ -d "$rules" ] || { echo "sessions: $rules missing: run from the repository root" >&2; exit 2; }
[[ "$sessions" =~ ^[1-9][0-9]*$ && "$turns" =~ ^[1-9][0-9]*$ && "$warmup" =~ ^[0-9]+$ && "$model_ms" =~ ^[0-9]+$ ]] \
  || { echo "sessions: SESSIONS and TURNS must be positive numbers, WARMUP and MODEL_MS numbers: '$sessions' '$turns' '$warmup' '$model_ms'" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "sessions: /usr/bin/time missing (apt-get install time)" >&2; exit 2; }

out=$(mktemp -d)
[ -n "${KEEP:-}" ] && echo "output in $out" >&2 || trap 'rm -rf "$out"' EXIT
read -r -a opts <<< "${JAVA_OPTS:-}"

run() { # run NAME [JVM OPTION...]: the host, its output in $out/NAME.txt, its wall/CPU/RSS in $out/NAME.time
  local name=$1
  shift
  cut -d' ' -f1 /proc/loadavg > "$out/$name.load"
  /usr/bin/time -f "%e %U %S %M" -o "$out/$name.time" "$java" ${opts[@]+"${opts[@]}"} "$@" -cp "$host" \
    dev.warden.jmh.sessions.SessionsHost "$sessions" "$turns" "$warmup" "$model_ms" > "$out/$name.txt" 2> "$out/$name.err" \
    || { echo "sessions: the host failed ($name):" >&2; grep -h FAILED "$out/$name.txt" >&2 || true; tail -5 "$out/$name.err" >&2; exit 1; }
  echo "$name: $(grep THROUGHPUT "$out/$name.txt")" >&2
}

run none
"$java" -jar "$agent" keygen --out "$out/keys" > /dev/null
run warden "-javaagent:$agent=rules=$rules,receipts=$out/receipts,key=$out/keys/warden-signing.pem,log=warn"

"$java" -jar "$verifier" verify "$out/receipts" --public-key "$out/keys/warden-signing.pub.pem" > "$out/verify.txt" 2>&1 \
  || { echo "sessions: the verifier rejects the receipts:" >&2; tail -5 "$out/verify.txt" >&2; exit 1; }
"$java" -jar "$verifier" export "$out/receipts" --format csv > "$out/receipts.csv"

# The table: the host's own timings, µs.
value() { # value NAME KIND FIELD
  awk -v kind="kind=$2" -v field="$3" '$1 == "LATENCY" && $2 == kind { for (i = 3; i <= NF; i++) { split($i, kv, "="); if (kv[1] == field) print kv[2] } }' "$out/$1.txt"
}
field() { # field NAME LINE FIELD
  awk -v line="$2" -v field="$3" '$1 == line { for (i = 2; i <= NF; i++) { split($i, kv, "="); if (kv[1] == field) print kv[2] } }' "$out/$1.txt"
}
echo
echo "$sessions sessions x $turns turns (+$warmup warm-up turns each), model calls answered after $model_ms ms, $("$java" -version 2>&1 | head -1), $(nproc) CPUs;" \
  "load average (1 min) before: $(cat "$out/none.load") without, $(cat "$out/warden.load") under Warden"
printf "%-34s %27s   %27s\n" "µs" "without agent" "under Warden"
printf "%-34s %8s %9s %9s   %8s %9s %9s\n" "" p50 p99 p99.9 p50 p99 p99.9
for kind in jdbc http turn; do
  case $kind in
    jdbc) label="H2 point query (in a tool)" ;;
    http) label="HTTP GET, loopback (in a tool)" ;;
    turn) label="turn (2 model calls, 2 tools)" ;;
  esac
  printf "%-34s %8s %9s %9s   %8s %9s %9s\n" "$label" \
    "$(value none $kind p50)" "$(value none $kind p99)" "$(value none $kind p999)" \
    "$(value warden $kind p50)" "$(value warden $kind p99)" "$(value warden $kind p999)"
done
printf "%-34s %27s   %27s\n" "throughput, turns/s" "$(field none THROUGHPUT turnsPerSecond)" "$(field warden THROUGHPUT turnsPerSecond)"
printf "%-34s %27s   %27s\n" "HTTP connections the server saw" "$(field none HTTP_CONNECTIONS n)" "$(field warden HTTP_CONNECTIONS n)"
read -r wall_n user_n sys_n rss_n < "$out/none.time"
read -r wall_w user_w sys_w rss_w < "$out/warden.time"
printf "%-34s %27s   %27s\n" "JVM: wall s / CPU s / max RSS MiB" \
  "$wall_n / $(echo "$user_n $sys_n" | awk '{ print $1 + $2 }') / $((rss_n / 1024))" \
  "$wall_w / $(echo "$user_w $sys_w" | awk '{ print $1 + $2 }') / $((rss_w / 1024))"

# Every action the host did against the receipts: per surface:operation, per session, and nothing refused.
actions=$(grep '^ACTIONS ' "$out/warden.txt" | cut -d' ' -f2-)
per_session=$(field warden PER_SESSION n)
awk -F, -v actions="$actions" -v sessions="$sessions" -v per_session="$per_session" -v verify="$(tail -1 "$out/verify.txt")" '
  NR == 1 { next }
  # Only the first columns are read; a quoted field before them (a comma in an id or a name) would shift them.
  $1 !~ /^[0-9]+$/ || $10 !~ /^(PERMIT|DENY|SILENCE|HOLD)$/ { print "sessions: cannot read export line " NR ": " $0 > "/dev/stderr"; unreadable = 1; exit }
  $7 ~ /^(jdbc|http|net|tool|model|process|file|native)$/ {
    receipts[$7 ":" $8]++
    if ($10 != "PERMIT") refused[$7 ":" $8 " " $10]++
    if ($6 != "") perSession[$6]++
    next
  }
  { other[$7 ":" $8]++ }
  END {
    if (unreadable) exit 3
    n = split(actions, pairs, " ")
    for (i = 1; i <= n; i++) { split(pairs[i], kv, "="); expected[kv[1]] = kv[2]; total += kv[2] }
    ok = 1
    for (k in expected) {
      got = k in receipts ? receipts[k] : 0
      counted += (got < expected[k] ? got : expected[k])
      detail = detail sprintf("%s%s %d/%d", detail == "" ? "" : ", ", k, got, expected[k])
      if (got != expected[k]) { ok = 0; print "sessions: " k ": " got " receipts for " expected[k] " actions" > "/dev/stderr" }
    }
    for (k in receipts) if (!(k in expected)) { ok = 0; print "sessions: " receipts[k] " receipts of " k ", an action the host never did" > "/dev/stderr" }
    for (k in refused) { ok = 0; print "sessions: " refused[k] " receipts " k ": the policy should permit every action" > "/dev/stderr" }
    distinct = 0
    for (s in perSession) { distinct++; if (perSession[s] != per_session) { ok = 0; uneven++; if (uneven <= 3) print "sessions: session " s " has " perSession[s] " receipts, not " per_session > "/dev/stderr" } }
    if (distinct != sessions) { ok = 0; print "sessions: receipts name " distinct " sessions, not " sessions > "/dev/stderr" }
    for (k in other) others = others sprintf("%s%s %d", others == "" ? "" : ", ", k, other[k])
    print ""
    printf "receipts: %d of %d actions (%s)\n", counted, total, detail
    printf "per session: %d sessions, each with %d receipts%s\n", distinct, per_session, uneven ? " except " uneven : ""
    if (others != "") print "other receipts (Warden'"'"'s own): " others
    print "verify: " verify
    exit ok ? 0 : 1
  }' "$out/receipts.csv" || { echo "sessions: FAILED: the receipts do not match what the host did (above)" >&2; exit 1; }
