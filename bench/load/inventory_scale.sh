#!/usr/bin/env bash
# Scale figures of docs/PERFORMANCE.md: COUNT identities (default 1,000,000)
# loaded through the real Store, then filtered list pages and name searches
# over HTTP (wrk --latency, p99), server RSS, and offline audit verification
# throughput.
# With BASELINE_BUILD set (a build of the previous commit), the rows are
# loaded by the baseline's loader, the baseline server answers every query
# first, then this build's server opens the same database (applying any new
# migration: its start-up time is printed) and answers them again: one run,
# one disk, the ratio is the figure.
# Each server is left to go idle (its first posture sweep over the whole
# inventory, and the queue a slow query leaves behind) before each query;
# each query is also timed alone with curl before wrk runs it. At 1M rows
# the first sweep writes every finding (~20 min on a 2-core VM): IDLE_CHECKS
# (2 s each, default 450) bounds the wait.
# SCALE_DIR=DIR keeps the loaded rows in DIR for the next run (and reuses
# them when DIR/data exists: the schema must be one both builds open).
# Usage: [BASELINE_BUILD=DIR] [SCALE_DIR=DIR] bench/load/inventory_scale.sh
#        [BUILD_DIR] (default build/release)
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${1:-build/release}
baseline=${BASELINE_BUILD:-}
count=${COUNT:-1000000}
dir=${SCALE_DIR:-$(mktemp -d /var/tmp/warden-scale.XXXXXX)}
server=
cleanup() {
  kill $server 2>/dev/null || true
  wait 2>/dev/null || true
  if [[ -z "${SCALE_DIR:-}" ]]; then rm -rf "$dir"; fi
}
trap cleanup EXIT

queries=("owner=team-7&status=active&limit=50"
         "environment=production&kind=api_key&limit=50"
         "tenant=tenant-42&limit=50"
         "risk_tier=critical&expiring_before=2027-01-01T00:00:00Z&limit=50"
         "q=nhi-4242&limit=50"
         "q=NHI-77777&limit=50"
         "q=4242&owner=team-42&limit=50"
         "q=zzz&limit=50"
         "q=nhi&limit=50"
         "q=42&limit=50")

cpu_ticks() { awk '{print $14 + $15}' "/proc/$server/stat"; }
wait_idle() {  # until the server used < 10% of a core over 2 s
  local before after
  for _ in $(seq "${IDLE_CHECKS:-450}"); do  # 2 s each
    before=$(cpu_ticks); sleep 2; after=$(cpu_ticks)
    (( after - before < 20 )) && return
  done
}

run_server() {  # $1: build dir; answers every query, then stops
  local start=$(date +%s.%N)
  taskset -c 0 "$1/warden" serve --data-dir "$dir/data" \
    --listen 127.0.0.1:0 >"$dir/serve.log" 2>&1 &
  server=$!
  for _ in $(seq 6000); do grep -q listening "$dir/serve.log" && break; sleep 0.1; done
  echo "== $1/warden listening after $(echo "$(date +%s.%N) - $start" | bc) s"
  url=$(grep -o 'http://[0-9.:]*' "$dir/serve.log")
  export WARDEN_TOKEN=$(cat "$dir/data/admin.token")
  start=$(date +%s.%N)
  wait_idle
  echo "== idle after $(echo "$(date +%s.%N) - $start" | bc) s"
  for query in "${queries[@]}"; do
    echo "== GET /v1/identities?$query"
    wait_idle
    for _ in 1 2 3; do
      curl -s -o /dev/null -w "alone: %{http_code} %{time_total} s\n" \
        -H "Authorization: Bearer $WARDEN_TOKEN" "$url/v1/identities?$query"
    done
    taskset -c 1 wrk -t2 -c16 -d"${DURATION:-10s}" --latency \
      -s bench/load/authed_get.lua "$url/v1/identities?$query" |
      grep -E "Requests/sec|99%|50%|Non-2xx|Socket errors"
  done
  echo "== server RSS: $(grep VmRSS /proc/$server/status)"
  kill $server; wait $server || true
  server=
}

if [[ ! -d "$dir/data" ]]; then
  "${baseline:-$build}/bench/inventory_loader" "$dir/data" "$count"
fi
echo "database: $(du -h "$dir/data/warden.db" | cut -f1)"
if [[ -n "$baseline" ]]; then run_server "$baseline"; fi
run_server "$build"
echo "database: $(du -h "$dir/data/warden.db" | cut -f1)"
echo "== audit verify"
"$build/warden" audit verify --data-dir "$dir/data"
