#!/usr/bin/env bash
# Soak: DURATION seconds (default 600) of mixed traffic on loopback against
# one `warden serve` (Release build; pinned to core $SERVER_CORE, the load
# to core $LOAD_CORE), all at once:
#   - OFREP single evaluations, sdk key (wrk, 16 connections)
#   - $SUBSCRIBERS SSE subscribers of /v1/stream, and a kill switch every
#     10 s: a tenant limit set, then lifted (bench/ofrep_propagation, which
#     fails if a change misses a subscriber or an API call is not 2xx)
#   - token issuance (wrk, 4 connections over 20 OAuth clients) and
#     introspection (wrk, 2 connections)
#   - identity creates (wrk, 4 connections, DELAY_MS between requests per
#     connection), every id answered 201 recorded; and filtered list reads
#     (wrk, 2 connections)
# It samples the server's RSS and CPU every 10 s and prints the curve. Then
# it checks: 0 errors (non-2xx answers and socket errors of every wrk, the
# propagation tool's exit status); 0 lost acknowledged writes (the server is
# killed with SIGKILL, restarted on the same data, and every recorded
# identity id must be there: all of them in the database, a sample of
# $SAMPLE through GET /v1/identities/{id}); the audit chain verifies
# (`warden audit verify --data-dir`, offline). Exit status 0 only if all
# hold. Runs outside CI.
#
# Usage: [DURATION=600] [SUBSCRIBERS=200] [DELAY_MS=5] [SAMPLE=200] \
#          bench/soak.sh [WARDEN_BINARY] (default build/release/warden)
# Variables named after a server (url_NAME, pid_NAME, ...) are set by
# bench/lib.sh; wrk options are split on purpose.
# shellcheck source=bench/lib.sh disable=SC2154,SC2046
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
bin=$(realpath "${1:-build/release/warden}")
propagation=${PROPAGATION_BIN:-$(dirname "$bin")/bench/ofrep_propagation}
duration=${DURATION:-600}
subscribers=${SUBSCRIBERS:-200}
sample=${SAMPLE:-200}
export DELAY_MS=${DELAY_MS:-5}
bench_init warden-soak
load=$bench_dir/load
mkdir -p "$load"
EXPIRES_AT=$(date -u -d "+30 days" +%Y-%m-%dT%H:%M:%SZ)
export EXPIRES_AT

echo "== soak of ${duration}s: $bin"
echo "   load before: $(uptime)"
warden_start soak "$bin" --oauth-client-rate 1000000
seed_ofrep soak
seed_team soak
seed_oauth_clients soak 20
oauth_token=$(curl -sf -H "Authorization: $(sed -n 1p "$bench_dir/soak/clients")" \
  -d grant_type=client_credentials "$url_soak/oauth/token" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')

# load NAME COMMAND...: one load generator in the background, pinned, its
# output in $load/NAME.out and .err.
loaders=()
load() {
  local name=$1
  shift
  taskset -c "$LOAD_CORE" "$@" >"$load/$name.out" 2>"$load/$name.err" &
  loaders+=("$!")
  bench_pids+=("$!")
}
wrk_for() { echo wrk --latency --timeout 10s -d"${duration}s" "$@"; }

load ofrep env SDK_TOKEN="$sdk_soak" $(wrk_for -t1 -c16) \
  -s bench/ofrep_evaluate.lua "$url_soak/ofrep/v1/evaluate/flags/new-checkout"
load token env OAUTH_CLIENTS="$bench_dir/soak/clients" $(wrk_for -t1 -c4) \
  -s bench/load/oauth_token.lua "$url_soak"
load introspect env OAUTH_TOKEN="$oauth_token" WARDEN_TOKEN="$admin_soak" \
  $(wrk_for -t1 -c2) -s bench/load/oauth_introspect.lua "$url_soak"
load create env WARDEN_TOKEN="$admin_soak" SOAK_IDS="$load/ids" \
  $(wrk_for -t1 -c4) -s bench/load/soak_create.lua "$url_soak"
load read env WARDEN_TOKEN="$admin_soak" $(wrk_for -t1 -c2) \
  -s bench/load/authed_get.lua \
  "$url_soak/v1/identities?owner=bench&environment=development&limit=50"
load killswitch "$propagation" 127.0.0.1 "${url_soak##*:}" "$admin_soak" \
  "$sdk_soak" "$subscribers" $((duration / 10)) 10000

# The RSS and CPU curve, every 10 s while the load runs.
echo "== RSS every 10 s (MB; anonymous and file-backed parts) and server CPU"
echo "   used in the interval (%); the database size (MB)"
printf '%6s %8s %8s %8s %6s %6s\n' "t(s)" "RSS" "anon" "file" "CPU%" "db"
start=$(date +%s)
cpu_before=$(cpu_ns "$pid_soak")
rss_curve=()
while :; do
  running=0
  for pid in "${loaders[@]}"; do kill -0 "$pid" 2>/dev/null && running=1; done
  ((running)) || break
  sleep 10
  cpu_now=$(cpu_ns "$pid_soak")
  rss=$(rss_kb "$pid_soak")
  rss_curve+=("$rss")
  printf '%6d %8.1f %8.1f %8.1f %6.0f %6s\n' $(($(date +%s) - start)) \
    "$(echo "$rss / 1024" | bc -l)" \
    "$(awk '/RssAnon/ {print $2 / 1024}' /proc/"$pid_soak"/status)" \
    "$(awk '/RssFile/ {print $2 / 1024}' /proc/"$pid_soak"/status)" \
    "$(echo "($cpu_now - $cpu_before) / 100000000" | bc -l)" \
    "$(du -sm "$bench_dir/soak/data" | cut -f1)"
  cpu_before=$cpu_now
done
failures=0
for pid in "${loaders[@]}"; do wait "$pid" || failures=$((failures + 1)); done
echo "   load after: $(uptime)"

echo "== traffic (requests, rate, p99, errors)"
errors=0
for name in ofrep token introspect create read; do
  summary=$(awk '
    /requests in/ {n = $1} /Requests\/sec/ {rate = $2} /^ +99%/ {p99 = $2}
    /Non-2xx/ {bad += $NF}
    /Socket errors/ {gsub(/[^0-9 ]/, " "); for (i = 1; i <= NF; i++) bad += $i}
    END {printf "%d %s %s %d", n, rate, p99, bad}' "$load/$name.out")
  read -r n rate p99 bad <<<"$summary"
  printf '%-10s %10d requests %10s/s  p99 %-8s errors %d\n' "$name" "$n" \
    "$rate" "$p99" "$bad"
  errors=$((errors + bad))
  [[ -s $load/$name.err ]] && { echo "  stderr:"; sort "$load/$name.err" | uniq -c | head -5; }
done
echo "killswitch (every 10 s, $subscribers subscribers):"
sed 's/^/  /' "$load/killswitch.out" "$load/killswitch.err"
echo "load generators failed: $failures; non-2xx and socket errors: $errors"
final_rss=$(rss_kb "$pid_soak")

echo "== acknowledged writes after SIGKILL and restart"
kill -9 "$pid_soak"
wait "$pid_soak" 2>/dev/null || true
cat "$load"/ids.* 2>/dev/null | sort -u >"$load/ids"
acknowledged=$(wc -l <"$load/ids")
warden_start soak "$bin"
db=$bench_dir/soak/data/warden.db
missing=$(sqlite3 "$db" <<EOF
CREATE TEMP TABLE acknowledged(id TEXT PRIMARY KEY);
.mode csv
.import $load/ids acknowledged
SELECT COUNT(*) FROM acknowledged WHERE id NOT IN (SELECT id FROM identities);
EOF
)
api_missing=0
while read -r id; do
  warden_api soak -o /dev/null "$url_soak/v1/identities/$id" ||
    api_missing=$((api_missing + 1))
done < <(shuf -n "$sample" "$load/ids")
echo "acknowledged creates: $acknowledged; missing in the database: $missing;" \
  "missing through the API (sample of $sample): $api_missing"
warden_stop soak

echo "== audit chain"
audit_ok=1
"$bin" audit verify --data-dir "$bench_dir/soak/data" || audit_ok=0
echo "audit rows: $(sqlite3 "$db" 'SELECT COUNT(*) FROM audit_log')," \
  "database: $(du -sh "$bench_dir/soak/data" | cut -f1)"

echo "== verdict"
echo "errors $errors, failed load generators $failures, lost writes" \
  "$((missing + api_missing)), audit chain $([[ $audit_ok == 1 ]] && echo verifies || echo BROKEN)," \
  "RSS first sample $((${rss_curve[0]:-0} / 1024)) MB, last $((final_rss / 1024)) MB"
((errors == 0 && failures == 0 && missing == 0 && api_missing == 0 && audit_ok == 1))
