#!/usr/bin/env bash
# OFREP and streaming figures of docs/PERFORMANCE.md:
#  1. OFREP single evaluations/s and latency percentiles: wrk, 64 keep-alive
#     connections, server pinned to core 0 (one I/O thread), wrk to core 1;
#  2. kill-switch propagation to 1,000 stream subscribers
#     (ofrep_propagation, pinned to core 1).
# Usage: bench/ofrep_http.sh [BUILD_DIR] (default build/release)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/release}
duration=${DURATION:-10s}
subscribers=${SUBSCRIBERS:-1000}
trials=${TRIALS:-20}
dir=$(mktemp -d /var/tmp/warden-ofrep.XXXXXX)
trap 'kill $server 2>/dev/null || true; wait 2>/dev/null; rm -rf "$dir"' EXIT
ulimit -n "$(ulimit -Hn)"

taskset -c 0 "$build/warden" serve --data-dir "$dir/data" \
  --listen 127.0.0.1:0 >"$dir/serve.log" 2>&1 &
server=$!
for _ in $(seq 100); do grep -q listening "$dir/serve.log" && break; sleep 0.1; done
url=$(grep -o 'http://[0-9.:]*' "$dir/serve.log")
export WARDEN_URL=$url WARDEN_TOKEN=$(cat "$dir/data/admin.token")
cat >"$dir/flags.json" <<'JSON'
{"flags": {"new-checkout": {"state": "ENABLED",
  "variants": {"on": true, "off": false}, "defaultVariant": "off",
  "targeting": {"if": [{"and": [{"==": [{"var": "plan"}, "enterprise"]},
    {"in": [{"var": "region"}, ["eu", "us"]]}]}, "on", "off"]}}}}
JSON
"$build/warden" flag import --env development "$dir/flags.json" >/dev/null
export SDK_TOKEN=$("$build/warden" token create --role sdk --env development)

echo "== OFREP single evaluation, 64 connections (server core 0, wrk core 1)"
taskset -c 1 wrk -t1 -c64 -d"$duration" --latency -s bench/ofrep_evaluate.lua \
  "$url/ofrep/v1/evaluate/flags/new-checkout" |
  grep -E "Requests/sec|50%|90%|99%|Non-2xx|requests in"

echo "== kill-switch propagation: $subscribers subscribers, $trials trials"
port=${url##*:}
taskset -c 1 "$build/bench/ofrep_propagation" 127.0.0.1 "$port" \
  "$WARDEN_TOKEN" "$SDK_TOKEN" "$subscribers" "$trials"
echo "== server RSS: $(grep VmRSS /proc/$server/status)"
