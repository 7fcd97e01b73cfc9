#!/usr/bin/env python3
"""Name search at the SQL level, old plan against new, on one database.

Times the statements IdentityRepository::List runs for q= (first page of
50, the id-ordered scan the store ran before the trigram index, and the
plan it now chooses: the capped candidate counts, then the trigram or the
scan query), each REPEAT times in turn on the same connection, and prints
median and worst per query with the ratio. No HTTP, no audit write: what
the index changes, apart from the server's queueing.

Usage: bench/load/name_search_sql.py DATA_DIR/warden.db [REPEAT]
(a database migrated by this build, e.g. the one inventory_scale.sh leaves
in SCALE_DIR).
"""
import sqlite3
import statistics
import sys
import time

COLUMNS = ("id, name, kind, owner, application, environment, "
           "business_function, risk_tier, risk_tier_declared, risk_reason, "
           "auth_method, scopes, rotation_days, expires_at_us, justification, "
           "vendor, tenant, status, status_reason, created_at_us, "
           "updated_at_us, last_used_at_us, external_id, sponsor, task_scope, "
           "version")
MAX_CANDIDATES = 5000  # kMaxTrigramCandidates
MAX_PROBED = 8  # kMaxProbedTrigrams
PAGE = 51  # a 50-row page and one more


def match_every(grams):
    return " AND ".join('"' + g.replace('"', '""') + '"' for g in grams)


def sample(db, match):
    return db.execute(
        "SELECT COUNT(*), MAX(rowid) - MIN(rowid) + 1 FROM (SELECT rowid "
        "FROM identity_name_trigrams WHERE identity_name_trigrams MATCH ? "
        "LIMIT ?)", [match, MAX_CANDIDATES + 1]).fetchone()


def choose(db, needle):
    """ChooseNameSearch: the FTS5 match to narrow by, or None (scan)."""
    grams = list(dict.fromkeys(needle[i:i + 3]
                               for i in range(len(needle) - 2)))[:MAX_PROBED]
    if not grams:
        return None
    narrowing, bounded = [], False
    for g in grams:
        count, span = sample(db, match_every([g]))
        bounded = bounded or count <= MAX_CANDIDATES
        if count <= MAX_CANDIDATES or count * 2 <= span:
            narrowing.append(g)
    match = match_every(narrowing or grams)
    if not bounded and sample(db, match)[0] > MAX_CANDIDATES:
        return None
    return match


def scan(db, needle, owner):
    where = "instr(lower(name), lower(?)) > 0"
    params = [needle]
    if owner:
        where = "owner = ? AND " + where
        params.insert(0, owner)
    return db.execute(f"SELECT {COLUMNS} FROM identities WHERE {where} "
                      "ORDER BY id LIMIT ?", params + [PAGE]).fetchall()


def chosen(db, needle, owner):
    match = choose(db, needle)
    if match is None:
        return scan(db, needle, owner)
    where = ("rowid IN (SELECT rowid FROM identity_name_trigrams WHERE "
             "identity_name_trigrams MATCH ?) AND "
             "instr(lower(name), lower(?)) > 0")
    params = [match, needle]
    if owner:
        where = "owner = ? AND " + where
        params.insert(0, owner)
    return db.execute(
        f"SELECT {COLUMNS} FROM identities WHERE rowid IN (SELECT rowid FROM "
        f"identities WHERE {where} ORDER BY id LIMIT ?) ORDER BY id",
        params + [PAGE]).fetchall()


def timed(run, db, needle, owner, repeat):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        rows = run(db, needle, owner)
        times.append(time.perf_counter() - start)
    return rows, statistics.median(times), max(times)


def main():
    db = sqlite3.connect(sys.argv[1])
    repeat = int(sys.argv[2]) if len(sys.argv) > 2 else 10
    print(f"{'query':28} {'scan median':>12} {'scan max':>10} "
          f"{'new median':>11} {'new max':>9} {'ratio':>7}  rows")
    for needle, owner in [("nhi-4242", None), ("NHI-77777", None),
                          ("4242", "team-42"), ("zzz", None), ("nhi", None),
                          ("42", None), ("i-99999", None)]:
        old_rows, old_med, old_max = timed(scan, db, needle, owner, repeat)
        new_rows, new_med, new_max = timed(chosen, db, needle, owner, repeat)
        assert old_rows == new_rows, needle
        label = f"q={needle}" + (f"&owner={owner}" if owner else "")
        print(f"{label:28} {old_med * 1e3:10.2f}ms {old_max * 1e3:8.2f}ms "
              f"{new_med * 1e3:9.3f}ms {new_max * 1e3:7.3f}ms "
              f"{old_med / new_med:6.0f}x  {len(new_rows)}")


if __name__ == "__main__":
    main()
