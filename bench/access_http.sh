#!/usr/bin/env bash
# Access decision figures of docs/PERFORMANCE.md, next to OFREP in the same
# run: one server pinned to core 0, wrk (64 keep-alive connections) pinned
# to core 1, RUNS alternating rounds of DURATION each:
#   ofrep        POST /ofrep/v1/evaluate/flags/new-checkout (the baseline)
#   evaluation   POST /access/v1/evaluation: the interop Todo policy, an
#                editor updating its own todo (a role check and a rule with
#                a condition over policy data)
#   batch100     POST /access/v1/evaluations with 100 evaluations (every
#                Todo user, action and owner); decisions/s = rate x 100
# Every caller is the same sdk token of "development", where the Todo
# policy is active. Prints wrk's figures and the server's CPU per request.
# Usage: [DURATION=10s] [RUNS=3] bench/access_http.sh [BUILD_DIR]
#        (default build/release)
# shellcheck source=bench/lib.sh disable=SC2154
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/release}
duration=${DURATION:-10s}
runs=${RUNS:-3}
source bench/lib.sh
bench_init warden-access

warden_start current "$build/warden"
seed_ofrep current
python3 - "$bench_dir" <<'PY'
import json, sys
out = sys.argv[1]
policy = json.load(open("examples/policies/todo.policy.json"))
json.dump({"policy": policy, "reason": "benchmark"}, open(f"{out}/push.json", "w"))
users = [e for e in policy["entities"] if e["type"] == "user"]
morty = users[1]
def request(user, action, owner):
    return {"subject": {"type": "user", "id": user["id"]},
            "action": {"name": action},
            "resource": {"type": "todo", "id": "t-1",
                         "properties": {"ownerID": owner}}}
json.dump(request(morty, "can_update_todo", morty["attributes"]["email"]),
          open(f"{out}/evaluation.json", "w"))
actions = ["can_read_user", "can_read_todos", "can_create_todo",
           "can_update_todo", "can_delete_todo"]
items = []
while len(items) < 100:
    for user in users:
        for action in actions:
            for owner in users[:4]:
                if len(items) < 100:
                    r = request(user, action, owner["attributes"]["email"])
                    items.append(r)
json.dump({"evaluations": items}, open(f"{out}/batch100.json", "w"))
PY
warden_api current -o /dev/null -d @"$bench_dir/push.json" \
  "$url_current/v1/access/policies/development/versions"

# run NAME PATH BODY_FILE: one wrk run.
run() {
  echo "-- $1"
  if [[ $1 == ofrep ]]; then
    SDK_TOKEN=$sdk_current wrk_measure current -t1 -c64 -d"$duration" \
      -s bench/ofrep_evaluate.lua "$url_current$2"
  else
    TOKEN=$sdk_current BODY_FILE=$3 wrk_measure current -t1 -c64 \
      -d"$duration" -s bench/load/authzen_post.lua "$url_current$2"
  fi
}

echo "== OFREP and AuthZEN, 64 connections (server core 0, wrk core 1)"
echo "   load before: $(uptime)"
for round in $(seq "$runs"); do
  echo "round $round/$runs"
  run ofrep /ofrep/v1/evaluate/flags/new-checkout
  run evaluation /access/v1/evaluation "$bench_dir/evaluation.json"
  run batch100 /access/v1/evaluations "$bench_dir/batch100.json"
done
echo "   load after: $(uptime)"
