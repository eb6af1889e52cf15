#!/usr/bin/python3
"""Real httpx DigestAuth (the client Home Assistant uses) against httpx_interop_test's server.

Usage: httpx_digest_client.py PORT. Exit 0 = all checks passed, 77 = httpx not installed.
The server echoes "<role> <Authorization header>" for every allowed request.
"""
import sys

try:
    import httpx
except ImportError:
    sys.exit(77)

base = f"http://127.0.0.1:{sys.argv[1]}"
failures = []


def check(name, condition, detail=""):
    if not condition:
        failures.append(f"{name}: {detail}")


def get(path, user, password, method="GET", content=None):
    # A fresh DigestAuth per request, as Home Assistant's iotawattpy does (nc=00000001 always).
    auth = httpx.DigestAuth(user, password) if user else None
    with httpx.Client(auth=auth) as client:
        return client.request(method, base + path, content=content)


# Two challenges are offered (MD5 first, then SHA-256); httpx must pick the MD5 one.
r = get("/status?wifi=yes", None, None)
check("challenge status", r.status_code == 401, r.status_code)
check("two challenges", len(r.headers.get_list("www-authenticate")) == 2, r.headers)
check("login body", r.text == "IoTaWatt-Login", r.text)

r = get("/status?wifi=yes", "admin", "secret1")
check("admin status", r.status_code == 200, r.status_code)
check("httpx answered MD5", "algorithm=MD5" in r.text and 'uri="/status?wifi=yes"' in r.text, r.text)
check("role admin", r.text.startswith("admin "), r.text)

raw = "/query?select=[Voltage.volts,Main.watts]&begin=s-30s&end=s&group=30s"
r = get(raw, "user", "viewer2")
check("raw brackets", r.status_code == 200, (r.status_code, r.text))
check("role user", r.text.startswith("user "), r.text)

encoded = "/query?select=%5BTotal.wh%5D&begin=d&end=s&group=all"
r = get(encoded, "admin", "secret1")
check("encoded brackets", r.status_code == 200, (r.status_code, r.text))

r = get("/status?inputs=yes", "admin", "wrong")
check("wrong password", r.status_code == 401, r.status_code)

r = get("/command?restart=yes", "user", "viewer2")
check("user at admin endpoint", r.status_code == 403, r.status_code)

r = get("/auth", "admin", "secret1", method="POST", content=b"e30=")
check("POST as admin", r.status_code == 200, (r.status_code, r.text))

# One client object reusing its challenge: nc goes 00000001, 00000002, ...
with httpx.Client(auth=httpx.DigestAuth("admin", "secret1")) as client:
    codes = [client.get(base + "/status?inputs=yes").status_code for _ in range(3)]
check("nonce reuse with increasing nc", codes == [200, 200, 200], codes)

for f in failures:
    print("FAIL", f)
sys.exit(1 if failures else 0)
