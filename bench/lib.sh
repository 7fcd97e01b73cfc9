# shellcheck shell=bash
# Shared shell functions of the HTTP benchmarks (bench/ofrep_http.sh,
# bench/load/*.sh, bench/compare.sh, bench/soak.sh). Source it from bash
# after `set -euo pipefail` and `cd` to the repository root:
#   source bench/lib.sh
#   bench_init warden-ofrep     # temporary directory, cleanup on exit
# Servers are named (NAME is a shell identifier); each gets its own data
# directory $bench_dir/NAME and these variables: url_NAME, admin_NAME,
# pid_NAME, bin_NAME. The server runs on core $SERVER_CORE (default 0) and
# load generators on core $LOAD_CORE (default 1), so the CPU a server uses
# per request can be read from its own threads' schedstat.

SERVER_CORE=${SERVER_CORE:-0}
LOAD_CORE=${LOAD_CORE:-1}
bench_pids=()

# bench_init PREFIX: makes $bench_dir and removes it (and stops every server
# started here) on exit.
bench_init() {
  bench_dir=$(mktemp -d "/var/tmp/$1.XXXXXX")
  trap bench_cleanup EXIT
  ulimit -n "$(ulimit -Hn)"
}

bench_cleanup() {
  local pid
  for pid in "${bench_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  [[ -n ${KEEP_DIR:-} ]] || rm -rf "$bench_dir"
}

# warden_start NAME BINARY [SERVE_OPTION...]: `warden serve` on a fresh
# data directory (or the existing one: a restart), pinned to $SERVER_CORE,
# listening on a free loopback port. Waits until it listens.
warden_start() {
  local name=$1 bin=$2 data=$bench_dir/$1
  shift 2
  mkdir -p "$data"
  taskset -c "$SERVER_CORE" "$bin" serve --data-dir "$data/data" \
    --listen 127.0.0.1:0 "$@" >"$data/serve.log" 2>&1 &
  local pid=$!
  bench_pids+=("$pid")
  local _
  for _ in $(seq 300); do
    grep -q listening "$data/serve.log" && break
    kill -0 "$pid" 2>/dev/null || { cat "$data/serve.log" >&2; return 1; }
    sleep 0.1
  done
  printf -v "pid_$name" %s "$pid"
  printf -v "bin_$name" %s "$bin"
  printf -v "url_$name" %s "$(grep -o 'https\?://[0-9.:]*' "$data/serve.log" | tail -1)"
  printf -v "admin_$name" %s "$(cat "$data/data/admin.token")"
}

# warden_stop NAME: SIGTERM (graceful stop) and wait.
warden_stop() {
  local pid_var=pid_$1
  kill "${!pid_var}" 2>/dev/null || true
  wait "${!pid_var}" 2>/dev/null || true
}

# warden_api NAME CURL_ARGS...: curl with server NAME's admin token, JSON.
warden_api() {
  local admin_var=admin_$1
  shift
  curl -sf -H "Authorization: Bearer ${!admin_var}" \
    -H 'Content-Type: application/json' "$@"
}

# cpu_ns PID: CPU time used so far by all threads of PID, in ns.
cpu_ns() {
  cat /proc/"$1"/task/*/schedstat 2>/dev/null |
    awk '{s += $1} END {printf "%.0f\n", s}'
}

# rss_kb PID: resident set size in KiB.
rss_kb() { awk '/VmRSS/ {print $2}' /proc/"$1"/status; }

# The OFREP benchmark flag: targeting in JsonLogic, as imported from flagd.
ofrep_flags_json='{"flags": {"new-checkout": {"state": "ENABLED",
  "variants": {"on": true, "off": false}, "defaultVariant": "off",
  "targeting": {"if": [{"and": [{"==": [{"var": "plan"}, "enterprise"]},
    {"in": [{"var": "region"}, ["eu", "us"]]}]}, "on", "off"]}}}}'

# seed_ofrep NAME: imports the benchmark flag into "development" with the
# server's own CLI and sets sdk_NAME (an sdk token for that environment).
seed_ofrep() {
  local name=$1 url_var=url_$1 admin_var=admin_$1 bin_var=bin_$1
  echo "$ofrep_flags_json" >"$bench_dir/$name/flags.json"
  WARDEN_URL=${!url_var} WARDEN_TOKEN=${!admin_var} \
    "${!bin_var}" flag import --env development "$bench_dir/$name/flags.json" \
    >/dev/null
  printf -v "sdk_$name" %s "$(WARDEN_URL=${!url_var} WARDEN_TOKEN=${!admin_var} \
    "${!bin_var}" token create --role sdk --env development 2>/dev/null)"
}

# seed_team NAME: the team "bench" the inventory and OAuth loads own.
seed_team() {
  local url_var=url_$1
  warden_api "$1" -d '{"name":"bench","members":["load"]}' \
    "${!url_var}/v1/teams" >/dev/null
}

# seed_oauth_clients NAME COUNT: COUNT workload identities of team "bench"
# with a client secret each; their "Basic ..." header values go to
# $bench_dir/NAME/clients (one a line, for bench/load/oauth_token.lua), and
# the first one's id and secret to first_id_NAME / first_secret_NAME.
# REQUIRES: seed_team NAME.
seed_oauth_clients() {
  local name=$1 count=$2 url_var=url_$1 expires i id secret
  local clients=$bench_dir/$1/clients
  expires=$(date -u -d '+30 days' +%Y-%m-%dT%H:%M:%SZ)
  : >"$clients"
  for i in $(seq "$count"); do
    id=$(warden_api "$name" -d "{\"name\":\"oauth-bench-$i\",\"kind\":\"workload\",\"owner\":\"bench\",\"application\":\"bench\",\"environment\":\"production\",\"scopes\":[\"orders:read\"],\"expires_at\":\"$expires\",\"justification\":\"bench\"}" \
      "${!url_var}/v1/identities" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
    secret=$(warden_api "$name" -d '{"method":"client_secret"}' \
      "${!url_var}/v1/identities/$id/credentials" |
      python3 -c 'import json,sys; print(json.load(sys.stdin)["client_secret"])')
    echo "Basic $(printf '%s:%s' "$id" "$secret" | base64 -w0)" >>"$clients"
    if [[ $i == 1 ]]; then
      printf -v "first_id_$name" %s "$id"
      printf -v "first_secret_$name" %s "$secret"
    fi
  done
}

# wrk_measure NAME WRK_ARGS...: one wrk run (pinned to $LOAD_CORE, with
# --latency) against server NAME. Prints wrk's summary lines and then one
# line "figures: rate=R p50_ms=A p99_ms=B cpu_us=C non2xx=N socket_errors=S"
# (S: connect/read/write errors and timeouts) where cpu_us
# is the server's CPU time (all threads) per answered request, which other
# load on the machine distorts far less than the rate.
wrk_measure() {
  local pid_var=pid_$1 before after out
  shift
  before=$(cpu_ns "${!pid_var}")
  out=$(taskset -c "$LOAD_CORE" wrk --latency "$@" 2>"$bench_dir/wrk.err")
  after=$(cpu_ns "${!pid_var}")
  echo "$out" | grep -E "Requests/sec|^ +(50|90|99)%|Non-2xx|requests in" || true
  echo "$out" | awk -v ns=$((after - before)) '
    function ms(v) {
      if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0;
      if (v ~ /s$/) return v * 1000; return v }
    /requests in/ {n = $1}
    /Requests\/sec/ {rate = $2}
    /^ +50%/ {p50 = ms($2)}
    /^ +99%/ {p99 = ms($2)}
    /Non-2xx/ {bad = $NF}
    /Socket errors/ {gsub(/[^0-9 ]/, " "); for (i = 1; i <= NF; i++) sock += $i}
    END {printf "figures: rate=%.0f p50_ms=%.3f p99_ms=%.3f cpu_us=%.2f non2xx=%d socket_errors=%d\n",
         rate, p50, p99, n ? ns / n / 1000 : 0, bad, sock}'
}
