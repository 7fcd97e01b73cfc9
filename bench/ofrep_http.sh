#!/usr/bin/env bash
# OFREP and streaming figures of docs/PERFORMANCE.md:
#  1. OFREP single evaluations/s and latency percentiles: wrk, 64 keep-alive
#     connections, server pinned to core 0 (one I/O thread), wrk to core 1;
#     RUNS runs of DURATION each. With BASELINE=/path/to/other/warden, that
#     binary is measured too, alternating run by run with this build's, so
#     both see the same machine load (the ratio is the figure to trust on a
#     shared machine). BASELINE may list several binaries (space-separated):
#     each is measured in the same alternation.
#     With FLOOR=1 the floor is measured too, in the same alternation and
#     pinned the same way: bench/ofrep_floor_server answers the same
#     request with Warden's fixed bytes from plain epoll (no parsing beyond
#     framing), the least any server on this machine can cost per request.
#  2. kill-switch propagation to 1,000 stream subscribers
#     (ofrep_propagation, pinned to core 1); SKIP_PROPAGATION=1 skips it.
#     With BASELINE, measured against that binary too (after this build's,
#     with the same data), and each server's RSS printed after its run.
#     SKIP_OFREP=1 skips part 1.
#     With TENANTS=N the server's data dir is first filled with N tenants
#     and a segment "cohort" of all N (bench/exposure_loader), and a flag
#     "cohort-feature" targets that segment, so the configuration every
#     subscriber holds is the size of a large deployment.
# Usage: [DURATION=10s] [RUNS=1] [TRIALS=20] [BASELINE=bin] [FLOOR=1] [TENANTS=N] \
#          [SKIP_OFREP=1] [SKIP_PROPAGATION=1] \
#          bench/ofrep_http.sh [BUILD_DIR] (default build/release)
# Variables named after a server (url_NAME, sdk_NAME, ...) are set by
# bench/lib.sh or start_floor.
# shellcheck source=bench/lib.sh disable=SC2154,SC2034
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/release}
duration=${DURATION:-10s}
subscribers=${SUBSCRIBERS:-1000}
trials=${TRIALS:-20}
runs=${RUNS:-1}
baseline=${BASELINE:-}
source bench/lib.sh
bench_init warden-ofrep

# start_server NAME BINARY: a server with the benchmark flag (and, with
# TENANTS=N, the large configuration) and an sdk token in sdk_NAME.
start_server() {
  local name=$1 bin=$2
  if [[ -n ${TENANTS:-} ]]; then
    mkdir -p "$bench_dir/$name"
    "$build/bench/exposure_loader" "$bench_dir/$name/data" "$TENANTS"
  fi
  warden_start "$name" "$bin"
  seed_ofrep "$name"
  if [[ -n ${TENANTS:-} ]]; then
    local url_var=url_$name
    warden_api "$name" -o /dev/null -X POST -d '{"key": "cohort-feature",
      "variants": {"on": true, "off": false}, "default_variant": "off",
      "off_variant": "off", "owner_team": "platform", "rules": [{"conditions":
      [{"op": "in_segment", "value": "cohort"}], "variant": "on"}]}' \
      "${!url_var}/v1/flags?environment=development"
  fi
}

# evaluate NAME: one wrk run against server NAME (see wrk_measure).
evaluate() {
  local url_var=url_$1 sdk_var=sdk_$1
  echo "-- $1"
  SDK_TOKEN=${!sdk_var} wrk_measure "$1" -t1 -c64 -d"$duration" \
    -s bench/ofrep_evaluate.lua "${!url_var}/ofrep/v1/evaluate/flags/new-checkout"
}

# start_floor: bench/ofrep_floor_server as server "floor" (url_floor,
# pid_floor), pinned like warden.
start_floor() {
  taskset -c "$SERVER_CORE" "$build/bench/ofrep_floor_server" \
    >"$bench_dir/floor.log" 2>&1 &
  pid_floor=$!
  bench_pids+=("$pid_floor")
  for _ in $(seq 50); do grep -q listening "$bench_dir/floor.log" && break; sleep 0.1; done
  url_floor=$(grep -o 'http://[0-9.:]*' "$bench_dir/floor.log")
  sdk_floor=unused
}

start_server current "$build/warden"
others=()  # BASELINE may name several binaries: baseline, baseline2, ...
for bin in $baseline; do
  name=baseline$((${#others[@]} + 1))
  [[ $name == baseline1 ]] && name=baseline
  start_server "$name" "$bin"
  others+=("$name")
done
[[ -n ${FLOOR:-} ]] && start_floor

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
    for name in "${others[@]}"; do evaluate "$name"; done
    [[ -n ${FLOOR:-} ]] && evaluate floor
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
rss current
