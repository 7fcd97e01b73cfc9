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
source bench/lib.sh
bench_init warden-oauth-bench
dir=$bench_dir

echo "== baseline: raw Ed25519 and in-process token issue/verify"
"$build/bench/tokens_bench" --benchmark_filter='Raw|Issue|Verify' \
  --benchmark_min_time=0.5 2>/dev/null | grep -E "^BM_"
echo "== baseline: raw SQLite durable insert (same disk: $dir)"
WARDEN_BENCH_DIR=$dir "$build/bench/store_bench" \
  --benchmark_filter='BM_RawSqliteDurableInsert' 2>/dev/null | grep -E "^BM_"

# Starts `warden serve` from binary $1 as server $2 (data in $dir/$2) and
# registers $clients OAuth clients (their Basic headers in $dir/$2/clients);
# sets url, server, WARDEN_TOKEN, first_id and first_secret.
start_server() {
  warden_start "$2" "$1" --oauth-client-rate 1000000 ${SERVE_ARGS:-}
  local url_var=url_$2 pid_var=pid_$2 admin_var=admin_$2
  url=${!url_var} server=${!pid_var}
  export WARDEN_TOKEN=${!admin_var}
  seed_team "$2"
  seed_oauth_clients "$2" "$clients"
  local id_var=first_id_$2 secret_var=first_secret_$2
  first_id=${!id_var} first_secret=${!secret_var}
}

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
      start_server "$bin" "${side}_$round"
      echo "== [$side, round $round, load $(cut -d' ' -f1-3 /proc/loadavg)] POST /oauth/token, $connections connections, $clients clients"
      token_run "$dir/${side}_$round/clients"
      kill "$server"; wait "$server" 2>/dev/null || true
    done
  done
  exit 0
fi

start_server "$build/warden" current

echo "== POST /oauth/token over HTTP, audit durable, $connections connections, $clients clients"
[ -n "${PERF_OUT:-}" ] && {
  perf record -g -o "$PERF_OUT" -p "$server" >/dev/null 2>&1 &
  perf=$!
}
token_run "$dir/current/clients"
[ -n "${PERF_OUT:-}" ] && { kill -INT "$perf"; wait "$perf" || true; }
[ -n "${TOKEN_ONLY:-}" ] && exit 0

token=$(curl -sf -H "$(sed -n 1p "$dir/current/clients" | sed 's/^/Authorization: /')" \
  -d grant_type=client_credentials "$url/oauth/token" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
echo "== POST /oauth/introspect, 16 connections"
OAUTH_TOKEN=$token taskset -c 1 wrk -t2 -c16 -d"$duration" --latency \
  -s bench/load/oauth_introspect.lua "$url" | grep -E "Requests/sec|99%|50%|Non-2xx"

echo "== revocation of one identity with 10,000 live tokens; storage growth"
taskset -c 1 python3 bench/load/oauth_revoke.py "$url" "$WARDEN_TOKEN" \
  "$first_id" "$first_secret" "$dir/current/data/warden.db" 10000
echo "== token state rows after all of it (no row per token):"
sqlite3 "$dir/current/data/warden.db" "SELECT 'oauth_revocation_state', COUNT(*), SUM(LENGTH(document)) FROM oauth_revocation_state; SELECT 'audit oauth.token.issue', COUNT(*) FROM audit_log WHERE action = 'oauth.token.issue';"
