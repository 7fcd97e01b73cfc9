#!/usr/bin/env bash
# TLS figures of docs/PERFORMANCE.md, next to plain HTTP in the same run:
# two servers of one binary (one with --tls-cert/--tls-key, one plain),
# each pinned to core 0 in turn with wrk pinned to core 1, RUNS alternating
# rounds of DURATION each:
#   plain / tls            OFREP evaluations on 64 keep-alive connections
#   plain-close / tls-close  one request per connection (Connection: close):
#                          the TLS rate is the full-handshake rate (P-256
#                          ECDSA certificate, X25519, TLS 1.3)
# Prints wrk's figures and the server's CPU per request.
# Usage: [DURATION=10s] [RUNS=3] bench/tls_http.sh [BUILD_DIR]
#        (default build/release)
# shellcheck source=bench/lib.sh disable=SC2154
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/release}
duration=${DURATION:-10s}
runs=${RUNS:-3}
source bench/lib.sh
bench_init warden-tls

certs=$bench_dir/certs
mkdir -p "$certs"
(
  cd "$certs"
  key=(-newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes)
  openssl req -x509 "${key[@]}" -keyout ca.key -out ca.pem -days 1 \
    -subj /CN=bench-ca -addext basicConstraints=critical,CA:TRUE 2>/dev/null
  openssl req -new "${key[@]}" -keyout server.key -out server.csr \
    -subj /CN=localhost 2>/dev/null
  echo "subjectAltName=IP:127.0.0.1" >server.ext
  openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial \
    -out server.pem -days 1 -extfile server.ext 2>/dev/null
)
export CURL_CA_BUNDLE=$certs/ca.pem WARDEN_CA_FILE=$certs/ca.pem

warden_start plain "$build/warden"
warden_start tls "$build/warden" --tls-cert "$certs/server.pem" \
  --tls-key "$certs/server.key"
seed_ofrep plain
seed_ofrep tls

# run NAME SERVER [WRK_ARGS...]: one wrk run on OFREP.
run() {
  local name=$1 server=$2 url_var=url_$2 sdk_var=sdk_$2
  shift 2
  echo "-- $name"
  SDK_TOKEN=${!sdk_var} wrk_measure "$server" -t1 -c64 -d"$duration" "$@" \
    -s bench/ofrep_evaluate.lua "${!url_var}/ofrep/v1/evaluate/flags/new-checkout"
}

echo "== OFREP over plain HTTP and TLS (server core 0, wrk core 1)"
echo "   load before: $(uptime)"
for round in $(seq "$runs"); do
  echo "round $round/$runs"
  run plain plain
  run tls tls
  run plain-close plain -H "Connection: close"
  run tls-close tls -H "Connection: close"
done
echo "   load after: $(uptime)"
