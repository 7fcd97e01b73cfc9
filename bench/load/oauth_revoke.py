#!/usr/bin/env python3
"""Revocation figure: one identity holds N live tokens; revoke the identity
and measure (a) the revoke call and (b) the time until every one of the N
tokens reads inactive at /oauth/introspect. Also prints the database growth
for the N issuances (token state is O(1): no row per token; the audit log
has one record per issuance).

Usage: oauth_revoke.py URL ADMIN_TOKEN CLIENT_ID CLIENT_SECRET DB_PATH [N]
"""
import base64, http.client, json, os, sys, time, urllib.parse

url, admin, client_id, secret, db = sys.argv[1:6]
n = int(sys.argv[6]) if len(sys.argv) > 6 else 10000
host = urllib.parse.urlparse(url)
conn = http.client.HTTPConnection(host.hostname, host.port)
basic = "Basic " + base64.b64encode(f"{client_id}:{secret}".encode()).decode()
form = {"Content-Type": "application/x-www-form-urlencoded"}


def post(path, body, headers):
    conn.request("POST", path, body, headers)
    r = conn.getresponse()
    return r.status, r.read()


def db_bytes():
    return sum(os.path.getsize(db + s) for s in ("", "-wal") if os.path.exists(db + s))


before = db_bytes()
tokens = []
t0 = time.time()
for _ in range(n):
    status, body = post("/oauth/token", "grant_type=client_credentials",
                        {**form, "Authorization": basic})
    assert status == 200, body
    tokens.append(json.loads(body)["access_token"])
issue_s = time.time() - t0
print(f"issued {n} tokens in {issue_s:.1f}s ({n / issue_s:.0f}/s, one client, one connection)")
time.sleep(3)  # let batched usage flush
grown = db_bytes() - before
print(f"database growth for {n} issuances: {grown} bytes ({grown / n:.0f} bytes/token, "
      f"~{grown / n * 1e6 / 2**30:.2f} GiB per million; audit records, no token rows)")

bearer = {**form, "Authorization": "Bearer " + admin}
status, body = post("/oauth/introspect", "token=" + tokens[0], bearer)
assert json.loads(body)["active"] is True

t0 = time.time()
status, body = post(f"/v1/identities/{client_id}/revoke", json.dumps({"reason": "bench"}),
                    {"Authorization": "Bearer " + admin, "Content-Type": "application/json"})
revoke_ms = (time.time() - t0) * 1000
assert status == 200, body
t1 = time.time()
inactive = 0
for token in tokens:
    status, body = post("/oauth/introspect", "token=" + token, bearer)
    inactive += json.loads(body)["active"] is False
check_s = time.time() - t1
print(f"revoke call (epoch bump, persisted, audited): {revoke_ms:.1f} ms; "
      f"then {inactive}/{n} tokens inactive at introspection "
      f"(verified in {check_s:.1f}s, {n / check_s:.0f} introspections/s on one connection)")
