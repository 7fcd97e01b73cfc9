#!/usr/bin/env bash
# The store engines side by side: identity creates and OAuth token issues
# per second on SQLite and on PostgreSQL, with one Warden replica and with
# three on one database, all in one run on one machine so that every
# configuration sees the same load. Figures of docs/PERFORMANCE.md.
#
# Configurations, all running for the whole run (one `warden` binary):
#   sqlite      one server, SQLite in its data directory (synchronous=FULL)
#   postgres-1  one server, --db on database engines_pg1
#   postgres-3  three replicas, --db on database engines_pg3; the second and
#               third start on a copy of the first one's data directory (the
#               same keys); one wrk per replica at the same time, rates
#               summed, p99 the worst replica's
# PostgreSQL is a throwaway cluster (scripts/pg-cluster.sh) made durable
# again before use: fsync=on, full_page_writes=on, synchronous_commit=on, so
# that a commit waits for the disk as SQLite's synchronous=FULL does. Its
# directory is on the same file system as the SQLite databases (/var/tmp).
#
# Pinning: every Warden server and the PostgreSQL cluster on core
# $SERVER_CORE (default 0), every wrk on core $LOAD_CORE (default 1), so all
# configurations get the same CPU on the server side; three replicas on one
# core measure what coordination costs, not what three machines add.
#
# Benchmarks (as bench/compare.sh):
#   create  POST /v1/identities, durable and audited
#           (bench/load/create_identity.lua)
#   token   POST /oauth/token, client_secret_basic over $CLIENTS clients,
#           every issuance audited durably (bench/load/oauth_token.lua)
# each with $CONNECTIONS connections per server (so 3 x $CONNECTIONS for
# postgres-3). Per round every benchmark runs every configuration (the
# order reversed every other round). Per run: requests/s, p99, the Warden
# servers' CPU per request and PostgreSQL's (all its processes), the mean
# writes per group commit and the mean commit time (/metrics). The
# summary shows the median of the rounds and the ratios to sqlite. Any
# non-2xx answer or socket error is reported and makes the exit status 1.
#
# Usage: [DURATION=5s] [ROUNDS=2] [CLIENTS=50] [CONNECTIONS=16] \
#          bench/load/store_engines.sh [WARDEN_BINARY] (default
#          build/release/warden)
# Takes about ROUNDS x 6 x DURATION plus the setup (three sets of $CLIENTS
# OAuth clients: a minute or more on a loaded machine).
# Variables named after a server (url_NAME, pid_NAME, ...) are set by
# bench/lib.sh; wrk options are split on purpose.
# shellcheck source=bench/lib.sh disable=SC2154
set -euo pipefail
if [[ ${1:-} == -h || ${1:-} == --help || $# -gt 1 ]]; then
  sed -n '2,/^# Variables named/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2
  exit 2
fi
bin=$(realpath "${1:-build/release/warden}")
cd "$(dirname "$0")/../.."
source bench/lib.sh
duration=${DURATION:-5s}
rounds=${ROUNDS:-2}
clients=${CLIENTS:-50}
connections=${CONNECTIONS:-16}
configs=(sqlite postgres-1 postgres-3)
replicas=(pg3a pg3b pg3c)

bench_init warden-engines
pg_dir=$(mktemp -d /var/tmp/warden-engines-pg.XXXXXX)
trap 'bench_cleanup; scripts/pg-cluster.sh stop "$pg_dir"' EXIT
results=$bench_dir/results
: >"$results"
EXPIRES_AT=$(date -u -d "+30 days" +%Y-%m-%dT%H:%M:%SZ)
export EXPIRES_AT

# Starts the PostgreSQL cluster on $SERVER_CORE (its processes inherit the
# affinity), turns durability back on and makes the two databases. Sets
# pg_uri (the cluster's base URI) and postmaster (its pid).
start_postgres() {
  pg_uri=$(taskset -c "$SERVER_CORE" scripts/pg-cluster.sh start "$pg_dir")
  psql_quiet -c 'ALTER SYSTEM SET fsync = on' \
    -c 'ALTER SYSTEM SET full_page_writes = on' \
    -c 'ALTER SYSTEM SET synchronous_commit = on' -c 'SELECT pg_reload_conf()' >/dev/null
  local _
  for _ in $(seq 50); do
    [[ $(psql_quiet -tAc 'SHOW fsync') == on ]] && break
    sleep 0.1
  done
  echo "== PostgreSQL $(psql_quiet -tAc 'SHOW server_version'):" \
    "$(psql_quiet -tAc "SELECT string_agg(name || '=' || setting, ' ' ORDER BY name)
      FROM pg_settings WHERE name IN ('fsync', 'full_page_writes',
      'synchronous_commit', 'wal_sync_method')")"
  psql_quiet -c 'CREATE DATABASE engines_pg1' -c 'CREATE DATABASE engines_pg3'
  postmaster=$(head -1 "$pg_dir/data/postmaster.pid")
}

# psql_quiet PSQL_ARGS...: psql on the cluster's "postgres" database.
psql_quiet() {
  psql --no-psqlrc --quiet --set=ON_ERROR_STOP=1 "$pg_uri" "$@"
}

# pg_cpu_ns: CPU time used so far by the postmaster and every process it
# forked (backends of the replicas' connections, WAL writer, checkpointer).
pg_cpu_ns() {
  local pid total=0
  for pid in "$postmaster" $(pgrep -P "$postmaster"); do
    total=$((total + $(cpu_ns "$pid")))
  done
  echo "$total"
}

# seed NAME: the team and $CLIENTS OAuth clients of server NAME (in its
# database, so every replica on that database sees them).
seed() {
  seed_team "$1"
  seed_oauth_clients "$1" "$clients"
}

# start_servers: every configuration's servers, seeded.
start_servers() {
  local common=(--oauth-client-rate 1000000) replica
  warden_start sqlite "$bin" "${common[@]}"
  warden_start pg1 "$bin" "${common[@]}" --db "${pg_uri%/*}/engines_pg1"
  warden_start pg3a "$bin" "${common[@]}" --db "${pg_uri%/*}/engines_pg3"
  for replica in "${replicas[@]:1}"; do
    mkdir -p "$bench_dir/$replica"
    cp -a "$bench_dir/pg3a/data" "$bench_dir/$replica/data"
    warden_start "$replica" "$bin" "${common[@]}" \
      --db "${pg_uri%/*}/engines_pg3"
  done
  seed sqlite
  seed pg1
  seed pg3a
}

# commit_stats URL: the server's group commits so far, from its /metrics:
# "COMMITS UNITS SECONDS" (units: writes committed; seconds: their total
# commit time, including the wait for the cluster-wide write lock).
commit_stats() {
  curl -sf "$1/metrics" | awk '
    /^warden_store_commit_units_count/ {c = $2}
    /^warden_store_commit_units_sum/ {u = $2}
    /^warden_store_commit_duration_seconds_sum/ {s = $2}
    END {printf "%d %d %.6f\n", c, u, s}'
}

# measure BENCH SERVER CLIENTS_FILE THREADS: one wrk_measure of BENCH
# against SERVER; prints its figures line and "requests=N" (answered
# requests, from wrk's summary) and the server's commits meanwhile
# ("commits=C units=U commit_s=S").
measure() {
  local url_var=url_$2 admin_var=admin_$2 out before after
  before=$(commit_stats "${!url_var}")
  case $1 in
    create)
      out=$(LOAD_ID=$2- WARDEN_TOKEN=${!admin_var} wrk_measure "$2" -t"$4" \
        -c"$connections" -d"$duration" -s bench/load/create_identity.lua \
        "${!url_var}") ;;
    token)
      out=$(OAUTH_CLIENTS=$3 wrk_measure "$2" -t"$4" -c"$connections" \
        -d"$duration" -s bench/load/oauth_token.lua "${!url_var}") ;;
    *) echo "unknown benchmark $1" >&2; exit 2 ;;
  esac
  after=$(commit_stats "${!url_var}")
  echo "${out##*figures: } requests=$(echo "$out" | awk '/requests in/ {print $1}')" \
    "$(awk -v b="$before" -v a="$after" 'BEGIN {
      split(b, x, " "); split(a, y, " ")
      printf "commits=%d units=%d commit_s=%.6f", y[1] - x[1], y[2] - x[2], y[3] - x[3] }')"
}

# run BENCH CONFIG ROUND: one measured run of CONFIG (all its replicas at
# once); its combined figures go to $results.
run() {
  local bench=$1 config=$2 db_before db_after line
  local -a servers=(sqlite) figures
  [[ $config == postgres-1 ]] && servers=(pg1)
  [[ $config == postgres-3 ]] && servers=("${replicas[@]}")
  local threads=2
  ((${#servers[@]} > 1)) && threads=1
  db_before=$(pg_cpu_ns)
  local name i=0 pid
  local -a loads=()
  for name in "${servers[@]}"; do
    measure "$bench" "$name" "$bench_dir/$clients_of/clients" "$threads" \
      >"$bench_dir/run.$i" &
    loads+=($!)
    i=$((i + 1))
  done
  # Only the loads: a bare `wait` would wait for the servers too.
  for pid in "${loads[@]}"; do wait "$pid"; done
  db_after=$(pg_cpu_ns)
  figures=()
  for ((i = 0; i < ${#servers[@]}; i++)); do figures+=("$(cat "$bench_dir/run.$i")"); done
  line=$(printf '%s\n' "${figures[@]}" | awk -v db_ns=$((db_after - db_before)) '
    { for (i = 1; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = kv[2] }
      rate += f["rate"]; n += f["requests"]; cpu += f["cpu_us"] * f["requests"]
      if (f["p50_ms"] > p50) p50 = f["p50_ms"]
      if (f["p99_ms"] > p99) p99 = f["p99_ms"]
      bad += f["non2xx"]; sock += f["socket_errors"]
      commits += f["commits"]; units += f["units"]; commit_s += f["commit_s"] }
    END { printf "rate=%.0f p50_ms=%.3f p99_ms=%.3f cpu_us=%.2f db_us=%.2f units_per_commit=%.1f commit_ms=%.2f non2xx=%d socket_errors=%d\n",
          rate, p50, p99, n ? cpu / n : 0, n ? db_ns / n / 1000 : 0,
          commits ? units / commits : 0, commits ? commit_s * 1000 / commits : 0,
          bad, sock }')
  printf '%-6s %-10s round %s: %s\n' "$bench" "$config" "$3" "$line"
  # The scripts' own report of unexpected answers (the last wrk's only).
  [[ $line == *"non2xx=0 "* ]] || head -3 "$bench_dir/wrk.err" >&2
  echo "$bench $config $line" >>"$results"
}

start_postgres
echo "== setup: $bin; $clients OAuth clients per database"
start_servers
# One unmeasured second of token issues per server first (cold caches,
# page faults, the read pools' first statements).
for name in sqlite pg1 "${replicas[@]}"; do
  clients_of=$name
  [[ $name == pg3? ]] && clients_of=pg3a
  url_var=url_$name
  OAUTH_CLIENTS=$bench_dir/$clients_of/clients taskset -c "$LOAD_CORE" \
    wrk -t1 -c"$connections" -d1s -s bench/load/oauth_token.lua \
    "${!url_var}" >/dev/null
done
echo "== $rounds rounds of $duration per benchmark and configuration," \
  "$connections connections per server; load: $(uptime)"
for round in $(seq "$rounds"); do
  order=("${configs[@]}")
  ((round % 2 == 0)) && order=(postgres-3 postgres-1 sqlite)
  for bench in create token; do
    for config in "${order[@]}"; do
      case $config in
        sqlite) clients_of=sqlite ;;
        postgres-1) clients_of=pg1 ;;
        postgres-3) clients_of=pg3a ;;
      esac
      run "$bench" "$config" "$round"
    done
  done
done
echo "== load after: $(uptime)"

# Medians per benchmark and configuration, then the ratios to sqlite.
echo "== medians of $rounds rounds; ratios to sqlite (rate above 1, p99 below 1 are better)"
awk '
  function median(list,   n, a, i, j, t) {
    n = split(list, a, " ")
    for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j-1] + 0 > a[j] + 0; j--) {
      t = a[j]; a[j] = a[j-1]; a[j-1] = t }
    return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
  }
  {
    b = $1; c = $2
    if (!((b, c) in seen)) { seen[b, c] = 1; order[++k] = b SUBSEP c }
    for (i = 3; i <= NF; i++) {
      split($i, kv, "="); v[b, c, kv[1]] = v[b, c, kv[1]] " " kv[2]
      if (kv[1] == "non2xx" || kv[1] == "socket_errors") bad += kv[2]
    }
  }
  END {
    printf "%-6s %-10s %9s %6s | %9s %6s | %9s %9s | %7s %9s\n", "bench",
      "config", "req/s", "ratio", "p99", "ratio", "warden us", "pg us/rq",
      "units/c", "commit"
    for (i = 1; i <= k; i++) {
      split(order[i], bc, SUBSEP); b = bc[1]; c = bc[2]
      r = median(v[b, c, "rate"]); p = median(v[b, c, "p99_ms"])
      r0 = median(v[b, "sqlite", "rate"]); p0 = median(v[b, "sqlite", "p99_ms"])
      printf "%-6s %-10s %9.0f %6.2f | %7.2fms %6.2f | %9.1f %9.1f | %7.1f %7.2fms\n",
        b, c, r, r0 ? r / r0 : 0, p, p0 ? p / p0 : 0, median(v[b, c, "cpu_us"]),
        median(v[b, c, "db_us"]), median(v[b, c, "units_per_commit"]),
        median(v[b, c, "commit_ms"])
    }
    printf "errors (non-2xx + socket): %d\n", bad
    exit (bad > 0)
  }' "$results"
