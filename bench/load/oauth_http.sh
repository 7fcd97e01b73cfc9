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
# A/B: BASELINE_BIN=/path/to/old/warden [ROUNDS=2] (token runs only).
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

# Starts `warden serve` from binary $1 on a fresh data directory $2 and
# registers $clients OAuth clients (their Basic headers in $2/clients).
start_server() {
  local bin=$1 data=$2
  mkdir -p "$data"
  taskset -c 0 "$bin" serve --data-dir "$data/data" --listen 127.0.0.1:0 \
    --oauth-client-rate 1000000 ${SERVE_ARGS:-} >"$data/serve.log" 2>&1 &
  server=$!
  for _ in $(seq 100); do grep -q listening "$data/serve.log" && break; sleep 0.1; done
  url=$(grep -o 'http://[0-9.:]*' "$data/serve.log")
  export WARDEN_TOKEN=$(cat "$data/data/admin.token")
  api -d '{"name":"bench","members":["load"]}' "$url/v1/teams" >/dev/null
  local expires i id secret
  expires=$(date -u -d '+30 days' +%Y-%m-%dT%H:%M:%SZ)
  : >"$data/clients"
  for i in $(seq "$clients"); do
    id=$(api -d "{\"name\":\"oauth-bench-$i\",\"kind\":\"workload\",\"owner\":\"bench\",\"application\":\"bench\",\"environment\":\"production\",\"scopes\":[\"orders:read\"],\"expires_at\":\"$expires\",\"justification\":\"bench\"}" \
      "$url/v1/identities" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
    secret=$(api -d '{"method":"client_secret"}' "$url/v1/identities/$id/credentials" |
      python3 -c 'import json,sys; print(json.load(sys.stdin)["client_secret"])')
    echo "Basic $(printf '%s:%s' "$id" "$secret" | base64 -w0)" >>"$data/clients"
    if [ "$i" = 1 ]; then first_id=$id; first_secret=$secret; fi
  done
}
api() { curl -sf -H "Authorization: Bearer $WARDEN_TOKEN" -H 'Content-Type: application/json' "$@"; }

# One token run against the running server ($url), clients from $1.
token_run() {
  OAUTH_CLIENTS=$1 taskset -c 1 wrk -t2 -c"$connections" -d"$duration" --latency \
    -s bench/load/oauth_token.lua "$url" | grep -E "Requests/sec|99%|50%|Non-2xx|requests in"
  curl -s "$url/metrics" | grep -E '^warden_store_(commit|read)_' | grep -E '_(sum|count) ' || true
}

# BASELINE_BIN=FILE: A/B in this run. The token run alternates baseline
# and this build ROUNDS times (default 2), each on a fresh server, so that
# both see the same machine load.
if [ -n "${BASELINE_BIN:-}" ]; then
  for round in $(seq "${ROUNDS:-2}"); do
    for side in baseline build; do
      bin=$build/warden
      [ "$side" = baseline ] && bin=$BASELINE_BIN
      start_server "$bin" "$dir/$side-$round"
      echo "== [$side, round $round, load $(cut -d' ' -f1-3 /proc/loadavg)] POST /oauth/token, $connections connections, $clients clients"
      token_run "$dir/$side-$round/clients"
      kill "$server"; wait "$server" 2>/dev/null || true
    done
  done
  exit 0
fi

start_server "$build/warden" "$dir"

echo "== POST /oauth/token over HTTP, audit durable, $connections connections, $clients clients"
[ -n "${PERF_OUT:-}" ] && {
  perf record -g -o "$PERF_OUT" -p "$server" >/dev/null 2>&1 &
  perf=$!
}
token_run "$dir/clients"
[ -n "${PERF_OUT:-}" ] && { kill -INT "$perf"; wait "$perf" || true; }
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
