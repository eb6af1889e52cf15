#!/usr/bin/python3
"""Home Assistant's IoTaWatt integration against the daemon, with the real HTTP client.

Replays the exact request sequence of iotawattpy as Home Assistant drives it
(shared/reference/protocols.md 1.3) using httpx and its DigestAuth, and checks every field the
integration reads and every way 1.4 says it breaks. Starts its own daemon on the simulator with
an admin password set through POST /auth.

usage: home_assistant.py --binary build/iotawatt
"""
import argparse
import base64
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

import httpx

# A cross build runs the daemon under qemu-user: ctest names the emulator (tests/CMakeLists.txt).
EMULATOR = os.environ.get("IOTAWATT_EMULATOR", "").split()

FAILURES = []


def check(condition, what):
    print(("ok    " if condition else "FAIL  ") + what)
    if not condition:
        FAILURES.append(what)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_ready(base):
    for _ in range(200):
        try:
            if httpx.get(base + "/nullreq", timeout=1).status_code in (200, 401):
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.05)
    raise SystemExit("daemon did not answer")


def wait_records(base):
    """Until the current log spans 10 s (three 5 s records): the last 30 s then have data."""
    deadline = time.time() + 120
    while time.time() < deadline:
        logs = httpx.get(base + "/status?datalogs", timeout=5).json()["datalogs"]
        current = [d for d in logs if d["id"] == "Current"]
        if current and current[0]["firstkey"] and current[0]["lastkey"] - current[0]["firstkey"] >= 10:
            return
        time.sleep(0.5)
    raise SystemExit("the daemon wrote no 5 s records in 120 s")


class Library:
    """What iotawattpy does: a fresh DigestAuth per request, plain GETs, raise_for_status."""

    def __init__(self, host, username, password):
        self.host, self.username, self.password = host, username, password
        self.exchanges = 0

    def get(self, path):
        auth = httpx.DigestAuth(self.username, self.password) if self.username else None
        response = httpx.get("http://" + self.host + path, auth=auth, timeout=10)
        self.exchanges += 1 + len(response.history)
        return response

    def get_json(self, path):
        response = self.get(path)
        response.raise_for_status()
        return response.json()


def run_sequence(lib):
    # 1. connect(): /status?wifi=yes -> the MAC (colons stripped) keys the device.
    wifi = lib.get_json("/status?wifi=yes")
    mac = wifi["wifi"]["mac"]
    check(re.fullmatch(r"([0-9A-F]{2}:){5}[0-9A-F]{2}", mac) is not None, "wifi.mac is XX:XX:XX:XX:XX:XX: " + mac)

    # 2-3. every poll: inputs/outputs, then the series they pair with BY INDEX.
    status = lib.get_json("/status?inputs=yes&outputs=yes")
    check(isinstance(status.get("inputs"), list) and isinstance(status.get("outputs"), list),
          "/status has inputs and outputs arrays")
    series = lib.get_json("/query?show=series")["series"]
    inputs = status["inputs"]
    check(len(series) >= len(inputs), "show=series lists at least as many series as inputs")
    sensors = []
    for i, inp in enumerate(inputs):
        s = series[i]
        check(isinstance(inp["channel"], int), "inputs[%d].channel is an int" % i)
        check(s["unit"] in ("Watts", "Volts"), "series[%d] (%s) unit is Watts or Volts" % (i, s["name"]))
        sensors.append((s["name"], s["unit"]))
    output_names = [o["name"] for o in status["outputs"]]
    check(output_names == [s["name"] for s in series[len(inputs):]], "outputs follow the inputs in show=series")
    for o in status["outputs"]:
        sensors.append((o["name"], o["units"]))

    # 4. non-energy sensors: the last 30 s.
    select = ",".join("%s.%s" % (name, unit.lower()) for name, unit in sensors)
    rows = lib.get_json("/query?select=[%s]&begin=s-30s&end=s&group=30s" % select)
    check(isinstance(rows, list) and len(rows) == 1, "s-30s..s group=30s gives one row")
    if rows:
        check(len(rows[0]) == len(sensors), "one value per select item")
        check(all(isinstance(v, (int, float)) for v in rows[0]), "current values are numbers: %s" % rows[0])
        volts = [v for (name, unit), v in zip(sensors, rows[0]) if unit == "Volts"]
        check(all(200 < v < 260 for v in volts), "voltage near 230 V: %s" % volts)

    # 5. daily energy since local midnight, one row, time.iso first.
    watts = [name for name, unit in sensors if unit == "Watts"]
    energy = ",".join(name + ".wh" for name in watts)
    rows = lib.get_json("/query?select=[time.iso,%s]&begin=d&end=s&group=all" % energy)
    check(len(rows) == 1, "begin=d end=s group=all gives exactly one row")
    if rows:
        check(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d", rows[0][0]) is not None,
              "time.iso is local YYYY-MM-DDTHH:MM:SS: " + str(rows[0][0]))
        check(all(isinstance(v, (int, float)) for v in rows[0][1:]), "energy values are numbers")

    # 6. interval energy (library default, not used by HA since 2023): UTC ISO with Z.
    now = int(time.time()) // 5 * 5
    iso = lambda t: time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))
    rows = lib.get_json("/query?select=[time.iso,%s]&begin=%s&end=%s&group=all" % (
        ",".join(n + ".wh.d3" for n in watts), iso(now - 30), iso(now)))
    check(len(rows) == 1, "ISO Z begin/end with group=all gives one row")

    # 7-8. lifetime sensors (ha-iotawattpy 0.3.0): firstkey of History, else Current.
    logs = {d["id"]: d for d in lib.get_json("/status?datalogs=yes")["datalogs"]}
    check("Current" in logs and "History" in logs, "datalogs lists Current and History")
    first = (logs.get("History") or logs.get("Current"))["firstkey"]
    # end=s is rounded down to 5 s, so within 5 s of History's first record begin == end, an
    # empty range (HA 0.2.1+ tolerates that; HA asks 30 s apart). Wait until end=s passes it.
    while first >= 1000000000 and int(time.time()) // 5 * 5 <= first:
        time.sleep(0.5)
    begin = str(first) if first >= 1000000000 else "2000-01-01"
    rows = lib.get_json("/query?select=[time.iso,%s]&begin=%s&end=s&group=all" % (
        ",".join(n + ".wh.d3" for n in watts), begin))
    check(len(rows) == 1, "lifetime query from firstkey gives one row")
    rows = lib.get_json("/query?select=[time.iso,%s.wh.d3]&begin=2000-01-01&end=s&group=all" % watts[0])
    check(len(rows) == 1 and rows[0][1] is not None, "begin=2000-01-01 is clamped to the oldest data")

    # 1.4: an unknown series is a 400 whose body says why (HA shows UpdateFailed).
    bad = lib.get("/query?select=[NoSuchSeries.watts]&begin=s-30s&end=s&group=30s")
    check(bad.status_code == 400 and "Invalid series: NoSuchSeries" in bad.text,
          "unknown series: 400 %s" % bad.text)
    # Percent-encoded brackets (some httpx releases send them) mean the same query.
    encoded = lib.get_json("/query?select=%%5B%s%%5D&begin=s-30s&end=s&group=30s" % select.replace(",", "%2C"))
    check(isinstance(encoded, list) and len(encoded) == 1, "percent-encoded select works")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    args = parser.parse_args()
    data = tempfile.mkdtemp(prefix="iotawatt-ha-")
    port = free_port()
    host = "127.0.0.1:%d" % port
    log = open(os.path.join(data, "daemon.out"), "w")
    daemon = subprocess.Popen([*EMULATOR, args.binary, "run", "--data", data, "--http", host], stdout=log, stderr=log)
    try:
        wait_ready("http://" + host)
        wait_records("http://" + host)
        print("-- no password: open, like a fresh IoTaWatt")
        open_lib = Library(host, None, None)
        run_sequence(open_lib)

        print("-- admin password set through POST /auth")
        body = base64.b64encode(json.dumps({"newadmin": "s3cret_pw", "newuser": "reader_pw"}).encode())
        # Home Assistant only reads; this write is the test's own setup, and a write whose body
        # is not JSON carries X-Requested-With (README, HTTP API).
        r = httpx.post("http://" + host + "/auth", content=body, headers={"X-Requested-With": "test"}, timeout=10)
        check(r.status_code == 200 and r.text.startswith("Passwords reset"), "POST /auth: %d %s" % (r.status_code, r.text))
        r = httpx.get("http://" + host + "/status?wifi=yes", timeout=10)
        check(r.status_code == 401 and "Digest" in r.headers.get("www-authenticate", ""),
              "without credentials: 401 with a Digest challenge")
        wrong = Library(host, "admin", "wrong")
        check(wrong.get("/status?wifi=yes").status_code == 401, "wrong password: 401 (HA says invalid_auth)")
        admin = Library(host, "admin", "s3cret_pw")
        run_sequence(admin)
        check(admin.exchanges >= 2 * 10, "every request went 401 then Digest (%d exchanges)" % admin.exchanges)
        user = Library(host, "user", "reader_pw")
        check(user.get("/status?inputs=yes").status_code == 200, "user account reads /status")
        check(user.get("/config").status_code == 403, "user account cannot read /config (secrets): 403, no new challenge")
    finally:
        daemon.send_signal(signal.SIGTERM)
        code = daemon.wait(timeout=15)
        check(code == 0, "daemon stopped cleanly (exit %s)" % code)
        log.close()
        if FAILURES:
            print(open(os.path.join(data, "daemon.out")).read()[-3000:])
        shutil.rmtree(data, ignore_errors=True)
    print("%d check(s) failed" % len(FAILURES) if FAILURES else "all checks passed")
    return 1 if FAILURES else 0


if __name__ == "__main__":
    sys.exit(main())
