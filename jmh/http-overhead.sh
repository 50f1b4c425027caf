#!/usr/bin/env bash
# What Warden adds to a loopback GET, robust to a shared machine's drift: forks with and without the
# agent alternate, each pair measured within a minute (which side goes first alternates too, so that
# neither inherits the other's aftermath), and the added p50 is the median over pairs.
# Run from the repository root after building jmh/ (see README, Performance).
#   jmh/http-overhead.sh [pairs] [client regex]
set -euo pipefail
pairs=${1:-5}
clients=${2:-'httpUrlConnection|jdkHttpClient'}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
# The benchmark's own receipts (~100 MB per fork): start from an empty queue, not last run's.
rm -rf target/jmh-receipts-http

p50() { # the sample-mode p50 (µs) JMH printed for one benchmark
  awk -v b="$1:p0.50" '$1 == b { print $3 }' "$2"
}

for client in ${clients//|/ }; do
  for ((i = 1; i <= pairs; i++)); do
    order="WithoutAgent WithWarden"
    ((i % 2)) || order="WithWarden WithoutAgent"
    for side in $order; do
      java -jar jmh/target/benchmarks.jar "HttpLoopbackGet$side\.$client\$" -f 1 -wi 10 -i 3 > "$out/$side.txt"
    done
    without=$(p50 "HttpLoopbackGetWithoutAgent.$client" "$out/WithoutAgent.txt")
    with=$(p50 "HttpLoopbackGetWithWarden.$client" "$out/WithWarden.txt")
    echo "$client $without $with" | tee -a "$out/pairs.txt"
  done
done

echo
echo "client                 pairs  median p50 without  median p50 with  median added"
awk '{ n[$1]++; d[$1, n[$1]] = $3 - $2; w[$1, n[$1]] = $2; x[$1, n[$1]] = $3 }
     function median(a, c, k,   v, i, j, t) {
       for (i = 1; i <= c; i++) v[i] = a[k, i]
       for (i = 1; i <= c; i++) for (j = i + 1; j <= c; j++) if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t }
       return c % 2 ? v[(c + 1) / 2] : (v[c / 2] + v[c / 2 + 1]) / 2
     }
     END { for (k in n) printf "%-22s %5d  %18.1f  %15.1f  %+12.1f\n", k, n[k], median(w, n[k], k), median(x, n[k], k), median(d, n[k], k) }' \
  "$out/pairs.txt"
