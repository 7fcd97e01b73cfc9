#!/usr/bin/env bash
# OFREP and streaming figures of docs/PERFORMANCE.md:
#  1. OFREP single evaluations/s and latency percentiles: wrk, 64 keep-alive
#     connections, server pinned to core 0 (one I/O thread), wrk to core 1;
#     RUNS runs of DURATION each. With BASELINE=/path/to/other/warden, that
#     binary is measured too, alternating run by run with this build's, so
#     both see the same machine load (the ratio is the figure to trust on a
#     shared machine).
#  2. kill-switch propagation to 1,000 stream subscribers
#     (ofrep_propagation, pinned to core 1); SKIP_PROPAGATION=1 skips it.
#     With BASELINE, measured against that binary too (after this build's,
#     with the same data), and each server's RSS printed after its run.
#     SKIP_OFREP=1 skips part 1.
#     With TENANTS=N the server's data dir is first filled with N tenants
#     and a segment "cohort" of all N (bench/exposure_loader), and a flag
#     "cohort-feature" targets that segment, so the configuration every
#     subscriber holds is the size of a large deployment.
# Usage: [DURATION=10s] [RUNS=1] [TRIALS=20] [BASELINE=bin] [TENANTS=N] \
#          [SKIP_OFREP=1] [SKIP_PROPAGATION=1] \
#          bench/ofrep_http.sh [BUILD_DIR] (default build/release)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/release}
duration=${DURATION:-10s}
subscribers=${SUBSCRIBERS:-1000}
trials=${TRIALS:-20}
runs=${RUNS:-1}
baseline=${BASELINE:-}
dir=$(mktemp -d /var/tmp/warden-ofrep.XXXXXX)
servers=()
trap 'kill "${servers[@]}" 2>/dev/null || true; wait 2>/dev/null; rm -rf "$dir"' EXIT
ulimit -n "$(ulimit -Hn)"

flags='{"flags": {"new-checkout": {"state": "ENABLED",
  "variants": {"on": true, "off": false}, "defaultVariant": "off",
  "targeting": {"if": [{"and": [{"==": [{"var": "plan"}, "enterprise"]},
    {"in": [{"var": "region"}, ["eu", "us"]]}]}, "on", "off"]}}}}'
echo "$flags" >"$dir/flags.json"

# start_server NAME BINARY: serves from $dir/NAME on core 0; sets
# url_NAME, admin_NAME, sdk_NAME and appends the pid to servers.
start_server() {
  local name=$1 bin=$2 data=$dir/$1
  mkdir -p "$data"
  if [[ -n ${TENANTS:-} ]]; then
    "$build/bench/exposure_loader" "$data/data" "$TENANTS"
  fi
  taskset -c 0 "$bin" serve --data-dir "$data/data" \
    --listen 127.0.0.1:0 >"$data/serve.log" 2>&1 &
  servers+=($!)
  eval "pid_$name=$!"
  for _ in $(seq 100); do grep -q listening "$data/serve.log" && break; sleep 0.1; done
  local url admin
  url=$(grep -o 'http://[0-9.:]*' "$data/serve.log")
  admin=$(cat "$data/data/admin.token")
  WARDEN_URL=$url WARDEN_TOKEN=$admin \
    "$bin" flag import --env development "$dir/flags.json" >/dev/null
  if [[ -n ${TENANTS:-} ]]; then
    curl -sf -o /dev/null -X POST -H "Authorization: Bearer $admin" \
      -H 'Content-Type: application/json' -d '{"key": "cohort-feature",
      "variants": {"on": true, "off": false}, "default_variant": "off",
      "off_variant": "off", "owner_team": "platform", "rules": [{"conditions":
      [{"op": "in_segment", "value": "cohort"}], "variant": "on"}]}' \
      "$url/v1/flags?environment=development"
  fi
  eval "url_$name=$url admin_$name=$admin"
  eval "sdk_$name=$(WARDEN_URL=$url WARDEN_TOKEN=$admin \
    "$bin" token create --role sdk --env development 2>/dev/null)"
}

# cpu_ns PID: CPU time used so far by all threads of PID, in ns.
cpu_ns() {
  cat /proc/"$1"/task/*/schedstat 2>/dev/null | awk '{s += $1} END {printf "%.0f\n", s}'
}

# evaluate NAME: one wrk run against server NAME; also prints the server's
# CPU time per answered request, which other load on the machine distorts
# far less than the request rate does.
evaluate() {
  local url_var=url_$1 sdk_var=sdk_$1 pid_var=pid_$1 before after out
  echo "-- $1"
  before=$(cpu_ns "${!pid_var}")
  out=$(SDK_TOKEN=${!sdk_var} taskset -c 1 wrk -t1 -c64 -d"$duration" \
    --latency -s bench/ofrep_evaluate.lua \
    "${!url_var}/ofrep/v1/evaluate/flags/new-checkout")
  after=$(cpu_ns "${!pid_var}")
  echo "$out" | grep -E "Requests/sec|^ +(50|90|99)%|Non-2xx|requests in"
  echo "$out" | awk -v ns=$((after - before)) \
    '/requests in/ {printf "  server CPU per request: %.2f us\n", ns / $1 / 1000}'
}

start_server current "$build/warden"
[[ -n $baseline ]] && start_server baseline "$baseline"

# rss NAME: the server's resident set, and how much of it is heap.
rss() {
  local pid_var=pid_$1
  echo "   $1 server: $(grep VmRSS /proc/"${!pid_var}"/status | tr -s ' ')," \
    "$(grep -E '^Anonymous' /proc/"${!pid_var}"/smaps_rollup | tr -s ' ')"
}

echo "== RSS after start and load"
rss current
[[ -n $baseline ]] && rss baseline

if [[ -z ${SKIP_OFREP:-} ]]; then
  echo "== OFREP single evaluation, 64 connections (server core 0, wrk core 1)"
  echo "   load before: $(uptime)"
  for run in $(seq "$runs"); do
    echo "run $run/$runs"
    evaluate current
    [[ -n $baseline ]] && evaluate baseline
  done
  echo "   load after: $(uptime)"
fi

# propagate NAME: the kill-switch figures against server NAME.
propagate() {
  local url_var=url_$1 admin_var=admin_$1 sdk_var=sdk_$1 url
  url=${!url_var}
  echo "-- $1 (load before: $(uptime | sed 's/.*load average/load average/'))"
  taskset -c 1 "$build/bench/ofrep_propagation" 127.0.0.1 "${url##*:}" \
    "${!admin_var}" "${!sdk_var}" "$subscribers" "$trials"
  rss "$1"
}

if [[ -z ${SKIP_PROPAGATION:-} ]]; then
  echo "== kill-switch propagation: $subscribers subscribers, $trials trials"
  propagate current
  [[ -n $baseline ]] && propagate baseline
fi
echo "   load after: $(uptime)"
