#!/usr/bin/env bash
# Builds the sanitizer (ASan + UBSan) test build and runs the whole suite:
# unit, integration (server on 127.0.0.1:0) and end-to-end tests with real
# third-party clients. Installs whatever is missing first.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
for dir in src/web/console tests/e2e; do
  if [[ -f $dir/package-lock.json ]]; then
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  fi
done
# ccache with paths taken relative to the checkout, so that another clone of
# the same sources (a CI checkout) reuses the objects.
export CCACHE_BASEDIR=$PWD CCACHE_NOHASHDIR=true
cmake -S . -B build/test -G Ninja -DCMAKE_BUILD_TYPE=Debug \
  -DWARDEN_SANITIZE=ON -DWARDEN_BUILD_BENCH=ON \
  -DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache \
  >/dev/null
cmake --build build/test
# A throwaway PostgreSQL for the store suites' PostgreSQL runs and the
# multi-replica test (WARDEN_TEST_POSTGRES_URI); stopped however ctest ends.
pg_dir=$(mktemp -d)
trap './scripts/pg-cluster.sh stop "$pg_dir"' EXIT
WARDEN_TEST_POSTGRES_URI=$(./scripts/pg-cluster.sh start "$pg_dir")
export WARDEN_TEST_POSTGRES_URI
(cd build/test && ctest --output-on-failure --timeout 600 -j "$(nproc)")
