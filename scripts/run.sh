#!/usr/bin/env bash
# Quick start: installs what is missing, builds the optimised binary (with
# the web console at /ui/) and starts `warden serve` on the embedded SQLite
# store.
#   WARDEN_DATA_DIR (default ./data) and WARDEN_LISTEN (default
#   127.0.0.1:8080) override the defaults; extra arguments go to serve.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
# The web console's bundler (served at /ui/; a placeholder page without it).
(cd src/web/console && npm ci --no-audit --no-fund --loglevel=error)
cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DWARDEN_BUILD_TESTS=OFF -DWARDEN_BUILD_BENCH=OFF >/dev/null
cmake --build build/release --target warden
exec ./build/release/warden serve \
  --data-dir "${WARDEN_DATA_DIR:-./data}" \
  --listen "${WARDEN_LISTEN:-127.0.0.1:8080}" "$@"
