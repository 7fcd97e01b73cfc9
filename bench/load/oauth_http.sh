#!/usr/bin/env bash
# OAuth figures of docs/PERFORMANCE.md, in one run on one machine:
#  1. raw Ed25519 sign/verify and token issue/verify in-process (tokens_bench);
#  2. raw durable SQLite single-row insert (store_bench), the write baseline;
#  3. tokens issued/s over HTTP (POST /oauth/token, client_secret_basic,
#     every issuance audited durably in the group-committed log), wrk with
#     16 connections over 200 clients;
#  4. introspections/s (POST /oauth/introspect, admin bearer);
#  5. revocation of an identity holding 10,000 live tokens and database
#     growth per issued token (bench/load/oauth_revoke.py).
# The server is pinned to core 0 and the load generators to core 1.
# Usage: bench/load/oauth_http.sh [BUILD_DIR] (default build/release)
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${1:-build/release}
duration=${DURATION:-10s}
clients=${CLIENTS:-200}
connections=${CONNECTIONS:-16}
# PERF_OUT=FILE: perf record -g the server during the token run.
# SERVE_ARGS: extra `warden serve` options (e.g. --worker-threads 256).
# TOKEN_ONLY=1: stop after the token run (quick iterations).
dir=$(mktemp -d /var/tmp/warden-oauth-bench.XXXXXX)
trap 'kill $server 2>/dev/null || true; wait 2>/dev/null; rm -rf "$dir"' EXIT

echo "== baseline: raw Ed25519 and in-process token issue/verify"
"$build/bench/tokens_bench" --benchmark_filter='Raw|Issue|Verify' \
  --benchmark_min_time=0.5 2>/dev/null | grep -E "^BM_"
echo "== baseline: raw SQLite durable insert (same disk: $dir)"
WARDEN_BENCH_DIR=$dir "$build/bench/store_bench" \
  --benchmark_filter='BM_RawSqliteDurableInsert' 2>/dev/null | grep -E "^BM_"

taskset -c 0 "$build/warden" serve --data-dir "$dir/data" --listen 127.0.0.1:0 \
  --oauth-client-rate 1000000 ${SERVE_ARGS:-} >"$dir/serve.log" 2>&1 &
server=$!
for _ in $(seq 100); do grep -q listening "$dir/serve.log" && break; sleep 0.1; done
url=$(grep -o 'http://[0-9.:]*' "$dir/serve.log")
export WARDEN_TOKEN=$(cat "$dir/data/admin.token")
api() { curl -sf -H "Authorization: Bearer $WARDEN_TOKEN" -H 'Content-Type: application/json' "$@"; }
api -d '{"name":"bench","members":["load"]}' "$url/v1/teams" >/dev/null
expires=$(date -u -d '+30 days' +%Y-%m-%dT%H:%M:%SZ)
: >"$dir/clients"
for i in $(seq "$clients"); do
  id=$(api -d "{\"name\":\"oauth-bench-$i\",\"kind\":\"workload\",\"owner\":\"bench\",\"application\":\"bench\",\"environment\":\"production\",\"scopes\":[\"orders:read\"],\"expires_at\":\"$expires\",\"justification\":\"bench\"}" \
    "$url/v1/identities" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
  secret=$(api -d '{"method":"client_secret"}' "$url/v1/identities/$id/credentials" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["client_secret"])')
  echo "Basic $(printf '%s:%s' "$id" "$secret" | base64 -w0)" >>"$dir/clients"
  [ "$i" = 1 ] && { first_id=$id; first_secret=$secret; }
done

echo "== POST /oauth/token over HTTP, audit durable, $connections connections, $clients clients"
[ -n "${PERF_OUT:-}" ] && {
  perf record -g -o "$PERF_OUT" -p "$server" >/dev/null 2>&1 &
  perf=$!
}
OAUTH_CLIENTS=$dir/clients taskset -c 1 wrk -t2 -c"$connections" -d"$duration" --latency \
  -s bench/load/oauth_token.lua "$url" | grep -E "Requests/sec|99%|50%|Non-2xx|requests in"
[ -n "${PERF_OUT:-}" ] && { kill -INT "$perf"; wait "$perf" || true; }
curl -s "$url/metrics" | grep -E '^warden_store_(commit|read)_' | grep -E '_(sum|count) ' || true
[ -n "${TOKEN_ONLY:-}" ] && exit 0

token=$(curl -sf -H "$(sed -n 1p "$dir/clients" | sed 's/^/Authorization: /')" \
  -d grant_type=client_credentials "$url/oauth/token" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
echo "== POST /oauth/introspect, 16 connections"
OAUTH_TOKEN=$token taskset -c 1 wrk -t2 -c16 -d"$duration" --latency \
  -s bench/load/oauth_introspect.lua "$url" | grep -E "Requests/sec|99%|50%|Non-2xx"

echo "== revocation of one identity with 10,000 live tokens; storage growth"
taskset -c 1 python3 bench/load/oauth_revoke.py "$url" "$WARDEN_TOKEN" \
  "$first_id" "$first_secret" "$dir/data/warden.db" 10000
echo "== token state rows after all of it (no row per token):"
sqlite3 "$dir/data/warden.db" "SELECT 'oauth_revocation_state', COUNT(*), SUM(LENGTH(document)) FROM oauth_revocation_state; SELECT 'audit oauth.token.issue', COUNT(*) FROM audit_log WHERE action = 'oauth.token.issue';"
