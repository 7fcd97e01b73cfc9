#!/usr/bin/env bash
# Scale figures of docs/PERFORMANCE.md: COUNT identities (default 1,000,000)
# loaded through the real Store, then filtered list pages over HTTP (wrk
# --latency, p99), server RSS, and offline audit verification throughput.
# Usage: bench/load/inventory_scale.sh [BUILD_DIR] (default build/release)
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${1:-build/release}
count=${COUNT:-1000000}
dir=$(mktemp -d /var/tmp/warden-scale.XXXXXX)
trap 'kill $server 2>/dev/null || true; wait 2>/dev/null; rm -rf "$dir"' EXIT

"$build/bench/inventory_loader" "$dir/data" "$count"
echo "database: $(du -h "$dir/data/warden.db" | cut -f1)"

taskset -c 0 "$build/warden" serve --data-dir "$dir/data" \
  --listen 127.0.0.1:0 >"$dir/serve.log" 2>&1 &
server=$!
for _ in $(seq 100); do grep -q listening "$dir/serve.log" && break; sleep 0.1; done
url=$(grep -o 'http://[0-9.:]*' "$dir/serve.log")
export WARDEN_TOKEN=$(cat "$dir/data/admin.token")
for query in "owner=team-7&status=active&limit=50" \
             "environment=production&kind=api_key&limit=50" \
             "tenant=tenant-42&limit=50" \
             "risk_tier=critical&expiring_before=2027-01-01T00:00:00Z&limit=50"; do
  echo "== GET /v1/identities?$query"
  taskset -c 1 wrk -t2 -c16 -d"${DURATION:-10s}" --latency \
    -s bench/load/authed_get.lua "$url/v1/identities?$query" |
    grep -E "Requests/sec|99%|50%|Non-2xx"
done
echo "== server RSS: $(grep VmRSS /proc/$server/status)"
kill $server; wait $server || true
echo "== audit verify"
"$build/warden" audit verify --data-dir "$dir/data"
