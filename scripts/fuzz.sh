#!/usr/bin/env bash
# Builds the libFuzzer targets with clang in build/fuzz (ASan + UBSan) and
# runs each for FUZZ_SECONDS (default 60). Seeds come from the checked-in
# fuzz/corpus/<name>/; new interesting inputs go to build/fuzz/corpus/<name>/
# (not checked in); crashes are written to fuzz/regressions/<name>/, to be
# checked in with a test named after the bug. Existing regression inputs are
# replayed first. A target's dictionary, fuzz/<name>.dict, is passed when
# present.
set -euo pipefail
cd "$(dirname "$0")/.."
FUZZ_SECONDS="${FUZZ_SECONDS:-60}"

cmake -S . -B build/fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
  -DWARDEN_BUILD_FUZZ=ON -DWARDEN_BUILD_TESTS=OFF -DWARDEN_BUILD_BENCH=OFF \
  -DWARDEN_SANITIZE=ON >/dev/null

fuzzers=()
for source in fuzz/*_fuzzer.cc; do
  fuzzers+=("$(basename "${source}" .cc)")
done
ninja -C build/fuzz -j2 "${fuzzers[@]}"

status=0
for name in "${fuzzers[@]}"; do
  seeds="fuzz/corpus/${name}"
  work="build/fuzz/corpus/${name}"
  crashes="fuzz/regressions/${name}"
  mkdir -p "${seeds}" "${work}" "${crashes}"
  if compgen -G "${crashes}/*" >/dev/null; then
    echo "== ${name}: replaying regressions"
    "build/fuzz/fuzz/${name}" "${crashes}"/* || status=1
  fi
  # A target's dictionary (fuzz/<name>.dict) names the words of its format.
  dict=()
  if [[ -f "fuzz/${name}.dict" ]]; then dict=(-dict="fuzz/${name}.dict"); fi
  echo "== ${name}: fuzzing for ${FUZZ_SECONDS}s"
  "build/fuzz/fuzz/${name}" "${work}" "${seeds}" "${dict[@]}" \
    -max_total_time="${FUZZ_SECONDS}" -max_len=65536 -timeout=10 \
    -artifact_prefix="${crashes}/" -print_final_stats=1 || status=1
done
exit "${status}"
