#!/usr/bin/env bash
# /metrics scrape latency at COUNT identities (default 100,000), for
# docs/PERFORMANCE.md. The identities are loaded through the real Store
# (bench/inventory_loader); a server on the data dir is left to go idle
# (its first posture sweep), then, with curl one request at a time:
#   healthz   GET /healthz, the baseline of the same run (inline, no work)
#   warm      GET /metrics while the store counts are cached (every scrape
#             within 15 s of the last refresh: server/store_census.h)
#   cold      GET /metrics just after the cache expired: the scrape that
#             runs the census counts (one read per 15 s per process)
# and the census queries alone in the sqlite3 shell on the same file.
# The measurements wait for the server's first posture sweep to start
# (FIRST_SWEEP_WAIT seconds, default 65) and finish (IDLE_CHECKS).
# Usage: [COUNT=N] [SAMPLES=N] [COLD_SAMPLES=N] bench/load/metrics_scrape.sh
#        [BUILD_DIR] (default build/release)
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${1:-build/release}
count=${COUNT:-100000}
samples=${SAMPLES:-200}
cold_samples=${COLD_SAMPLES:-5}
dir=$(mktemp -d /var/tmp/warden-metrics.XXXXXX)
server=
cleanup() {
  if [[ -n "$server" ]]; then kill "$server" 2>/dev/null || true; fi
  wait 2>/dev/null || true
  rm -rf "$dir"
}
trap cleanup EXIT

cpu_ticks() { awk '{print $14 + $15}' "/proc/$server/stat"; }
wait_idle() {  # until the server used < 10% of a core over 2 s
  local before after
  for _ in $(seq "${IDLE_CHECKS:-300}"); do
    before=$(cpu_ticks); sleep 2; after=$(cpu_ticks)
    (( after - before < 20 )) && return
  done
}
# Prints "p50 p99 max" in milliseconds of `n` sequential GETs of `path`.
latencies() {  # $1: path, $2: n, $3: seconds to sleep before each
  for _ in $(seq "$2"); do
    if [[ "$3" != 0 ]]; then sleep "$3"; fi
    curl -s -o /dev/null -w '%{time_total}\n' "$url$1"
  done | sort -g | awk '{v[NR] = $1 * 1000}
    END {printf "p50 %.2f ms  p99 %.2f ms  max %.2f ms  (n=%d)\n",
         v[int(NR * 0.5) + (NR * 0.5 > int(NR * 0.5))],
         v[int(NR * 0.99) + (NR * 0.99 > int(NR * 0.99))], v[NR], NR}'
}

"$build/bench/inventory_loader" "$dir/data" "$count"
echo "database: $(du -h "$dir/data/warden.db" | cut -f1), $count identities"
"$build/warden" serve --data-dir "$dir/data" --listen 127.0.0.1:0 \
  >"$dir/serve.log" 2>&1 &
server=$!
for _ in $(seq 6000); do grep -q listening "$dir/serve.log" && break; sleep 0.1; done
url=$(grep -o 'http://[0-9.:]*' "$dir/serve.log")
# The first posture sweep starts on the expiry-sweep tick, 60 s after
# start-up (server/server_app.cc), and writes every finding: minutes at
# 100,000 identities. An idle check alone passes before it begins.
sleep "${FIRST_SWEEP_WAIT:-65}"
wait_idle
echo "== healthz   $(latencies /healthz "$samples" 0)"
curl -s -o /dev/null "$url/metrics"  # fills the census cache
echo "== warm      $(latencies /metrics "$samples" 0)"
echo "== cold      $(latencies /metrics "$cold_samples" 16)"
echo "== scrape size: $(curl -s "$url/metrics" | wc -c) bytes"
echo "== census queries alone (sqlite3 shell, the same ten counts):"
{
  echo ".timer on"
  for s in active suspended revoked expired pending draft; do
    echo "SELECT COUNT(*) FROM identities WHERE status = '$s';"
  done
  for t in low medium high critical; do
    echo "SELECT COUNT(*) FROM identities WHERE risk_tier = '$t';"
  done
} | sqlite3 "$dir/data/warden.db" | awk '/Run Time/ {s += $4}
    END {printf "   %.3f s real\n", s}'
echo "== server RSS: $(grep VmRSS "/proc/$server/status")"
