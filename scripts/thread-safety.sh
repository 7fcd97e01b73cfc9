#!/usr/bin/env bash
# Builds Warden's libraries with Clang's thread-safety analysis as an error
# (-Wthread-safety; annotations in src/core/thread_annotations.h), in
# build/tsa with no sanitizers, tests or benchmarks: a compile-only check
# that every member marked WARDEN_GUARDED_BY is touched only under its
# mutex and every WARDEN_REQUIRES helper is called with it held.
#
# Usage: scripts/thread-safety.sh [TARGET...]
#   With no argument, checks every target in LIBRARIES below. JOBS (default
#   1) sets ninja's parallelism; the build runs under `nice -n 10`.
#
# Only each target's own object files are compiled (no archive, no link):
# that is all the analysis needs, and a library's dependencies are checked
# under their own names rather than compiled again for each dependant.
set -euo pipefail
cd "$(dirname "$0")/.."

# The library targets checked, bottom up. A new library joins this list.
LIBRARIES=(
  warden_core
  warden_store_sql
  warden_store_sqlite
  warden_store_postgres
  warden_audit
  warden_authz
  warden_eval
  warden_policy
  warden_wire
  warden_tokens
  warden_pki
  warden_secrets
  warden_sdk
  warden_service
  warden_approvals
  warden_inventory
  warden_signin
  warden_exposure
  warden_access
  warden_releases
  warden_outbound
  warden_oauth
  warden_custody
  warden_discovery
  warden_posture
  warden_http
  warden_api
  warden_server
  warden_cli
)
JOBS="${JOBS:-1}"
if (($# > 0)); then LIBRARIES=("$@"); fi

launcher=()
if command -v ccache >/dev/null; then
  export CCACHE_BASEDIR=$PWD CCACHE_NOHASHDIR=true
  launcher=(-DCMAKE_C_COMPILER_LAUNCHER=ccache
            -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
fi
# No build type: no optimiser or debug info to pay for; the analysis runs
# in the front end.
cmake -S . -B build/tsa -G Ninja -DCMAKE_BUILD_TYPE= \
  -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
  -DCMAKE_CXX_FLAGS="-Wthread-safety -Werror=thread-safety" \
  -DWARDEN_SANITIZE=OFF -DWARDEN_BUILD_TESTS=OFF -DWARDEN_BUILD_BENCH=OFF \
  "${launcher[@]}" >/dev/null

objects=()
all_targets="$(ninja -C build/tsa -t targets all)"
for library in "${LIBRARIES[@]}"; do
  found="$(grep -o "^[^:]*/CMakeFiles/${library}\.dir/[^:]*\.o" \
    <<<"${all_targets}" || true)"
  if [[ -z "${found}" ]]; then
    echo "thread-safety: no sources for target ${library}" >&2
    exit 2
  fi
  mapfile -t -O "${#objects[@]}" objects <<<"${found}"
done

start=${SECONDS}
nice -n 10 ninja -C build/tsa -j "${JOBS}" "${objects[@]}"
echo "thread-safety: ${#LIBRARIES[@]} libraries (${#objects[@]} files)" \
  "clean in $((SECONDS - start))s"
