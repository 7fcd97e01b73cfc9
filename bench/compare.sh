#!/usr/bin/env bash
# Regression guard: the key HTTP paths of two `warden` binaries measured
# alternately in one run, so both see the same machine load, and the ratios
# NEW/OLD printed per figure. Absolute figures on a shared machine are noise;
# the ratio of the same run is the figure to quote.
#
# Both servers run at once (each on its own fresh data directory, both pinned
# to core $SERVER_CORE, default 0); only one is under load at a time (wrk on
# core $LOAD_CORE, default 1). Per round, every benchmark runs OLD then NEW
# (the order flips each round):
#   ofrep   POST /ofrep/v1/evaluate/flags/{key}, sdk key, 64 connections
#           (bench/ofrep_evaluate.lua, as bench/ofrep_http.sh)
#   get     GET /v1/identities/{id}, admin bearer, 16 connections
#           (bench/load/authed_get.lua)
#   create  POST /v1/identities, durable and audited, 16 connections
#           (bench/load/create_identity.lua)
#   token   POST /oauth/token, client_secret_basic over $CLIENTS clients, 16
#           connections, every issuance audited durably
#           (bench/load/oauth_token.lua, as bench/load/oauth_http.sh)
# Figures per run: requests/s, p99 and the server's CPU time per request (all
# threads, from schedstat); the summary shows the median of the rounds and
# NEW/OLD (rate above 1 and p99, CPU below 1 are better). Any non-2xx answer
# or socket error is reported and makes the exit status 1.
#
# Usage: [DURATION=5s] [ROUNDS=2] [CLIENTS=50] [BENCHES="ofrep get create
#        token"] bench/compare.sh OLD_BINARY NEW_BINARY
# Takes about ROUNDS x 8 x DURATION plus the setup (registering $CLIENTS
# OAuth clients on each server: about a minute, several on a loaded machine).
# Variables named after a server (url_NAME, pid_NAME, ...) are set by
# bench/lib.sh; wrk options are split on purpose.
# shellcheck source=bench/lib.sh disable=SC2154,SC2046
set -euo pipefail
if [[ $# -ne 2 ]]; then
  sed -n '2,/^# Variables named/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2
  exit 2
fi
old_bin=$(realpath "$1")
new_bin=$(realpath "$2")
cd "$(dirname "$0")/.."
source bench/lib.sh
duration=${DURATION:-5s}
rounds=${ROUNDS:-2}
clients=${CLIENTS:-50}
benches=${BENCHES:-ofrep get create token}
bench_init warden-compare
results=$bench_dir/results
: >"$results"
EXPIRES_AT=$(date -u -d "+30 days" +%Y-%m-%dT%H:%M:%SZ)
export EXPIRES_AT

# setup NAME BINARY: server, OFREP flag and sdk key, team, OAuth clients and
# one identity to read (id_NAME).
setup() {
  local name=$1 url_var=url_$1
  warden_start "$name" "$2" --oauth-client-rate 1000000
  seed_ofrep "$name"
  seed_team "$name"
  seed_oauth_clients "$name" "$clients"
  local first_var=first_id_$name
  printf -v "id_$name" %s "${!first_var}"
}

# run BENCH NAME ROUND: one measured wrk run; its figures go to $results.
run() {
  local bench=$1 name=$2 url_var=url_$2 admin_var=admin_$2 sdk_var=sdk_$2
  local id_var=id_$2 out
  case $bench in
    ofrep)
      out=$(SDK_TOKEN=${!sdk_var} wrk_measure "$name" -t1 -c64 -d"$duration" \
        -s bench/ofrep_evaluate.lua \
        "${!url_var}/ofrep/v1/evaluate/flags/new-checkout") ;;
    get)
      out=$(WARDEN_TOKEN=${!admin_var} wrk_measure "$name" -t2 -c16 \
        -d"$duration" -s bench/load/authed_get.lua \
        "${!url_var}/v1/identities/${!id_var}") ;;
    create)
      out=$(WARDEN_TOKEN=${!admin_var} wrk_measure "$name" -t2 -c16 \
        -d"$duration" -s bench/load/create_identity.lua "${!url_var}") ;;
    token)
      out=$(OAUTH_CLIENTS=$bench_dir/$name/clients wrk_measure "$name" -t2 \
        -c16 -d"$duration" -s bench/load/oauth_token.lua "${!url_var}") ;;
    *) echo "unknown benchmark $bench" >&2; exit 2 ;;
  esac
  local figures=${out##*figures: }
  printf '%-6s %-3s round %s: %s\n' "$bench" "$name" "$3" "$figures"
  echo "$bench $name $figures" >>"$results"
}

echo "== setup: OLD=$old_bin"
echo "          NEW=$new_bin"
setup old "$old_bin"
setup new "$new_bin"
# One unmeasured second per server first: the first run of a session
# otherwise pays for cold caches and page faults (it read up to 1.5x the
# CPU per request of the runs after it).
for name in old new; do
  url_var=url_$name sdk_var=sdk_$name
  SDK_TOKEN=${!sdk_var} taskset -c "$LOAD_CORE" wrk -t1 -c64 -d1s \
    -s bench/ofrep_evaluate.lua \
    "${!url_var}/ofrep/v1/evaluate/flags/new-checkout" >/dev/null
done
echo "== $rounds rounds of $duration per benchmark and binary; load: $(uptime)"
for round in $(seq "$rounds"); do
  order="old new"
  ((round % 2 == 0)) && order="new old"
  for bench in $benches; do
    for name in $order; do run "$bench" "$name" "$round"; done
  done
done
echo "== load after: $(uptime)"
echo "== RSS: old $(rss_kb "$pid_old") kB, new $(rss_kb "$pid_new") kB"

# Medians per benchmark and binary, then NEW/OLD.
echo "== medians of $rounds rounds, NEW/OLD"
awk '
  function median(list,   n, a, i, j, t) {
    n = split(list, a, " ")
    for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j-1] + 0 > a[j] + 0; j--) {
      t = a[j]; a[j] = a[j-1]; a[j-1] = t }
    return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
  }
  {
    key = $1; side = $2
    if (!(key in seen)) { seen[key] = 1; order[++k] = key }
    for (i = 3; i <= NF; i++) {
      split($i, kv, "="); v[key, side, kv[1]] = v[key, side, kv[1]] " " kv[2]
      if (kv[1] == "non2xx" || kv[1] == "socket_errors") bad[side] += kv[2]
    }
  }
  END {
    printf "%-7s %12s %12s %6s | %8s %8s %6s | %9s %9s %6s\n", "bench",
      "old req/s", "new req/s", "ratio", "old p99", "new p99", "ratio",
      "old us/rq", "new us/rq", "ratio"
    for (i = 1; i <= k; i++) {
      b = order[i]
      ro = median(v[b, "old", "rate"]); rn = median(v[b, "new", "rate"])
      po = median(v[b, "old", "p99_ms"]); pn = median(v[b, "new", "p99_ms"])
      co = median(v[b, "old", "cpu_us"]); cn = median(v[b, "new", "cpu_us"])
      printf "%-7s %12.0f %12.0f %6.2f | %6.2fms %6.2fms %6.2f | %9.2f %9.2f %6.2f\n",
        b, ro, rn, ro ? rn / ro : 0, po, pn, po ? pn / po : 0, co, cn,
        co ? cn / co : 0
    }
    printf "errors (non-2xx + socket): old %d, new %d\n", bad["old"], bad["new"]
    exit (bad["old"] + bad["new"] > 0)
  }' "$results"
