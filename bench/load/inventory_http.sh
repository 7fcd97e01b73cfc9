#!/usr/bin/env bash
# Inventory figures of docs/PERFORMANCE.md, in one run on one disk:
#  1. raw SQLite durable single-row inserts (one transaction per insert):
#     the baseline (store_bench BM_RawSqliteDurableInsert);
#  2. durable identity creates over HTTP, audit included, 16 keep-alive
#     connections (wrk);
#  3. GET /v1/identities/{id} and a filtered list page (wrk --latency).
# The server is pinned to core 0 and wrk to core 1.
# Usage: bench/load/inventory_http.sh [BUILD_DIR] (default build/release)
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${1:-build/release}
duration=${DURATION:-10s}
dir=$(mktemp -d /var/tmp/warden-bench.XXXXXX)
trap 'kill $server 2>/dev/null || true; wait 2>/dev/null; rm -rf "$dir"' EXIT

echo "== baseline: raw SQLite durable insert (same disk: $dir)"
WARDEN_BENCH_DIR=$dir "$build/bench/store_bench" \
  --benchmark_filter='BM_RawSqliteDurableInsert|BM_StoreWriteIdentityWithAudit' \
  --benchmark_counters_tabular=true 2>/dev/null | grep -E "^BM_|Benchmark"

start_server() {  # $1: --commit-batch value; sets url, server, WARDEN_TOKEN
  rm -rf "$dir/data"
  taskset -c 0 "$build/warden" serve --data-dir "$dir/data" \
    --listen 127.0.0.1:0 --commit-batch "$1" >"$dir/serve.log" 2>&1 &
  server=$!
  for _ in $(seq 50); do grep -q listening "$dir/serve.log" && break; sleep 0.1; done
  url=$(grep -o 'http://[0-9.:]*' "$dir/serve.log")
  export WARDEN_TOKEN=$(cat "$dir/data/admin.token")
  curl -sf -H "Authorization: Bearer $WARDEN_TOKEN" \
    -d '{"name":"bench","members":["load"]}' "$url/v1/teams" >/dev/null
}
export EXPIRES_AT=$(date -u -d '+30 days' +%Y-%m-%dT%H:%M:%SZ)

echo "== same server, group commit off (--commit-batch 1): creates, 16 connections"
start_server 1
taskset -c 1 wrk -t2 -c16 -d"$duration" --latency -s bench/load/create_identity.lua "$url" |
  grep -E "Requests/sec|99%|50%|Non-2xx|requests in"
kill $server; wait $server || true

start_server 128
echo "== group commit on (default): creates, 16 connections"
taskset -c 1 wrk -t2 -c16 -d"$duration" --latency -s bench/load/create_identity.lua "$url" |
  grep -E "Requests/sec|99%|50%|Non-2xx|requests in"

curl -s "$url/metrics" | grep -E '^warden_store_commit_units_(sum|count)'
id=$(curl -sf -H "Authorization: Bearer $WARDEN_TOKEN" "$url/v1/identities?limit=1" | grep -o '"id":"[^"]*"' | head -1 | cut -d'"' -f4)
echo "== GET /v1/identities/{id}, 16 connections"
taskset -c 1 wrk -t2 -c16 -d"$duration" --latency -s bench/load/authed_get.lua \
  "$url/v1/identities/$id" | grep -E "Requests/sec|99%|50%|Non-2xx"
echo "== GET /v1/identities?owner=bench&environment=development&limit=50"
taskset -c 1 wrk -t2 -c16 -d"$duration" --latency -s bench/load/authed_get.lua \
  "$url/v1/identities?owner=bench&environment=development&limit=50" |
  grep -E "Requests/sec|99%|50%|Non-2xx"
echo "== server RSS: $(grep VmRSS /proc/$server/status)"
