#!/usr/bin/env bash
# `warden backup` rate on a realistic data dir while `warden serve` runs on
# it, next to baselines measured in the same run on the same file:
#   sqlite3 .backup  the sqlite3 tool's online backup (the same SQLite API,
#                    without Warden's chain verification and archive)
#   cp               a plain file copy of warden.db (not consistent: the
#                    I/O ceiling of this disk and page cache)
# Rates are MB of warden.db per wall-clock second; ratios are to sqlite3
# .backup in the same round. A writer can run during the backups
# (WRITES=1: `warden team add` in a loop, one process per write).
#
# usage: bench/backup.sh BUILD_DIR [IDENTITIES]
#   BUILD_DIR holds warden and bench/inventory_loader
#   IDENTITIES default 200000 (each with its audit record); ROUNDS=3
#   LOADED_DB=FILE: start from a copy of this warden.db (a loader's output,
#   checkpointed) instead of running the loader
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:?usage: bench/backup.sh BUILD_DIR [IDENTITIES]}
count=${2:-200000}
rounds=${ROUNDS:-3}
source bench/lib.sh
bench_init warden-backup

mkdir -p "$bench_dir/live"
if [[ -n ${LOADED_DB:-} ]]; then
  install -d -m 0700 "$bench_dir/live/data"
  install -m 0600 "$LOADED_DB" "$bench_dir/live/data/warden.db"
  count=$(sqlite3 "$LOADED_DB" "SELECT COUNT(*) FROM identities")
else
  "$build/bench/inventory_loader" "$bench_dir/live/data" "$count"
fi
# The first start keys the loaded chain and signs its first checkpoint.
warden_start live "$build/warden"
db=$bench_dir/live/data/warden.db
mb=$(python3 -c "import os; print(os.path.getsize('$db') / 1048576)")
echo "warden.db: ${mb} MB, $count identities"

writer_pid=
if [[ -n ${WRITES:-} ]]; then
  (i=0; while true; do
     WARDEN_URL=$url_live WARDEN_TOKEN=$admin_live "$build/warden" team add \
       "backup-bench-$i" >/dev/null 2>&1 || true
     i=$((i + 1))
   done) &
  writer_pid=$!
  bench_pids+=("$writer_pid")
fi

seconds() {
  local start end
  start=$(date +%s.%N)
  "$@" >/dev/null
  end=$(date +%s.%N)
  python3 -c "print($end - $start)"
}
rate() { python3 -c "print(f'{$mb / $1:.1f}')"; }

printf '%-6s %-16s %10s %10s %8s\n' round method seconds 'MB/s' ratio
for round in $(seq "$rounds"); do
  sync
  t_sqlite=$(seconds sqlite3 "$db" ".backup '$bench_dir/sqlite.db'")
  t_cp=$(seconds cp "$db" "$bench_dir/cp.db")
  t_warden=$(seconds "$build/warden" backup --data-dir "$bench_dir/live/data" \
    "$bench_dir/warden.backup")
  for m in "sqlite3 .backup:$t_sqlite" "cp:$t_cp" "warden backup:$t_warden"; do
    t=${m##*:}
    printf '%-6s %-16s %10.3f %10s %8s\n' "$round" "${m%%:*}" "$t" "$(rate "$t")" \
      "$(python3 -c "print(f'{$t_sqlite / $t:.2f}')")"
  done
  rm -f "$bench_dir/sqlite.db" "$bench_dir/cp.db" "$bench_dir/warden.backup"
done
"$build/warden" backup --data-dir "$bench_dir/live/data" "$bench_dir/last.backup"
