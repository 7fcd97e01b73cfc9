#!/usr/bin/env bash
# Installs every build, test and benchmark dependency of Warden from Debian
# packages. Idempotent: installs only what is missing. Uses sudo when not root.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config clang clang-format clang-tidy
  libclang-rt-14-dev
  # Faster links (lld) and rebuilds (ccache) for scripts/test.sh.
  lld ccache
  libboost1.81-all-dev libssl-dev libsodium-dev libsqlite3-dev sqlite3
  libpq-dev postgresql postgresql-contrib libre2-dev libyaml-cpp-dev libcli11-dev libfmt-dev
  zlib1g-dev
  libgtest-dev libgmock-dev googletest libbenchmark-dev
  openssl curl wrk python3 util-linux
  # The reference Prometheus parser: tests/integration/metrics_test.cc
  # reads /metrics with it (through /usr/bin/python3).
  python3-prometheus-client
  rsyslog
  chromium
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

# Node.js (with npm) runs the real-client tests; Debian's nodejs package ships
# npm separately, NodeSource's bundles it, so ask for npm only when absent.
if ! command -v npm >/dev/null 2>&1; then
  for p in nodejs npm; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
fi

if ((${#missing[@]} == 0)); then
  exit 0
fi

echo "install-deps: installing ${missing[*]}" >&2
sudo_cmd=()
if [[ $(id -u) -ne 0 ]]; then sudo_cmd=(sudo); fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
