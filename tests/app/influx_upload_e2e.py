#!/usr/bin/env python3
"""End to end: the daemon on the simulator (--speed) uploads to a real InfluxDB 1.x (Debian's
influxd on loopback). Mid-way influxd is stopped and restarted, and the daemon is killed
with SIGKILL and restarted. At the end InfluxDB must hold every 10 s interval exactly once
(contiguous timestamps, one point per interval and measurement) with the values that
`iotawatt query --data DIR` gives for the same intervals.

  influx_upload_e2e.py --binary build/iotawatt [--speed 20] [--keep DIR]
"""
import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "upload"))
from influxd import Influxd, free_port  # noqa: E402

# A cross build runs the daemon under qemu-user: ctest names the emulator (tests/CMakeLists.txt).
EMULATOR = os.environ.get("IOTAWATT_EMULATOR", "").split()

INTERVAL = 10


def http(port, path, body=None, timeout=10):
    # Writes send JSON: the daemon refuses other bodies without X-Requested-With (README, HTTP API).
    headers = {"Content-Type": "application/json"} if body is not None else {}
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=body, headers=headers)
    with urllib.request.urlopen(req, timeout=timeout) as r:
        return r.read().decode()


class Daemon:
    def __init__(self, binary, data, speed):
        self.binary, self.data, self.speed = binary, data, speed
        self.port = free_port()
        self.proc = None

    def start(self):
        log = open(self.data + ".log", "ab")
        self.proc = subprocess.Popen([*EMULATOR, self.binary, "run", "--data", self.data, "--http", f"127.0.0.1:{self.port}",
                                      "--speed", str(self.speed)], stdout=log, stderr=log)
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                http(self.port, "/status?stats")
                return
            except Exception:
                time.sleep(0.1)
        raise RuntimeError("daemon did not start; see " + self.data + ".log")

    def status(self):
        return json.loads(http(self.port, "/status?uploaders&datalogs&influx1"))

    def kill(self, sig):
        self.proc.send_signal(sig)
        self.proc.wait(30)


def wait_for(what, done, seconds):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if done():
            return
        time.sleep(0.2)
    raise AssertionError("timed out waiting for " + what)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", required=True)
    ap.add_argument("--speed", type=float, default=20)
    ap.add_argument("--keep")
    args = ap.parse_args()
    work = args.keep or tempfile.mkdtemp(prefix="iw-influx-e2e-")
    os.makedirs(work, exist_ok=True)
    influx = Influxd(os.path.join(work, "influx"))
    daemon = Daemon(os.path.abspath(args.binary), os.path.join(work, "data"), args.speed)
    failures = []
    try:
        influx.start()
        influx.query("CREATE DATABASE iota")
        daemon.start()
        config = json.loads(http(daemon.port, "/config"))
        names = [i["name"] for i in config["inputs"] if i and i.get("type") == "CT"][:4]
        config["influxdb"] = {
            "type": "influxdb", "revision": 1, "url": influx.url, "database": "iota",
            "postInterval": INTERVAL, "bulksend": 1, "measurement": "$name", "fieldkey": "value",
            "tagset": [{"key": "device", "value": "$device"}],
            "outputs": [{"name": n, "units": "Watts", "script": "@" + str(ch)}
                        for ch, n in ((i["channel"] if "channel" in i else k, i["name"])
                                      for k, i in enumerate(config["inputs"]) if i and i["name"] in names)]}
        http(daemon.port, "/config", json.dumps(config).encode())
        st = daemon.status()
        print("uploader:", st["uploaders"], flush=True)
        wait_for("first posts", lambda: daemon.status()["uploaders"][0]["lastpost"] > 0, 30)
        time.sleep(5)
        print("stopping influxd", flush=True)
        influx.stop()
        time.sleep(6)
        st = daemon.status()["uploaders"][0]
        print("during the outage:", st, flush=True)
        if st["state"] != "retrying":
            failures.append("state during the outage is " + st["state"])
        influx.start()
        print("influxd back", flush=True)
        time.sleep(4)
        print("kill -9 the daemon", flush=True)
        daemon.kill(signal.SIGKILL)
        time.sleep(1)
        daemon.start()
        time.sleep(5)
        # Caught up: nothing logged is unacknowledged.
        wait_for("catching up", lambda: daemon.status()["uploaders"][0]["backlog_intervals"] == 0
                 and daemon.status()["uploaders"][0]["state"] == "live", 60)
        # POST /upload/test: the same config asks the server; a wrong port is a clear "no".
        probe = json.loads(http(daemon.port, "/upload/test", json.dumps(config["influxdb"]).encode()))
        if not probe["ok"] or not isinstance(probe["last_point"], int):
            failures.append("/upload/test: " + json.dumps(probe))
        nobody = free_port()  # nothing listens there
        bad = dict(config["influxdb"], url=f"http://127.0.0.1:{nobody}")
        probe = json.loads(http(daemon.port, "/upload/test", json.dumps(bad).encode()))
        if probe["ok"] or f"127.0.0.1:{nobody}" not in probe["message"] or probe["last_point"] is not None:
            failures.append("/upload/test, no server: " + json.dumps(probe))
        status_text = http(daemon.port, "/status?uploaders&influx1&influx2")
        if "iota" in status_text and "database" in status_text:
            failures.append("/status shows uploader config")
        legacy = daemon.status()["influx1"]
        if legacy.get("status") != "running":
            failures.append("legacy influx1 section: " + json.dumps(legacy))
        daemon.kill(signal.SIGTERM)

        # ---- what InfluxDB holds
        per_name = {}
        for n in names:
            res = influx.query(f'SELECT value FROM "{n}"')["results"][0]
            rows = res["series"][0]["values"] if "series" in res else []
            per_name[n] = {t: v for t, v in rows}
            times = [t for t, _ in rows]
            if len(times) != len(set(times)):
                failures.append(f"{n}: duplicate timestamps")
            if not times:
                failures.append(f"{n}: no points")
                continue
            expected = list(range(times[0], times[-1] + INTERVAL, INTERVAL))
            if times != expected:
                missing = sorted(set(expected) - set(times))
                failures.append(f"{n}: {len(times)} points, {len(missing)} missing, first missing {missing[:5]}")
        first = min(min(v) for v in per_name.values() if v)
        last = max(max(v) for v in per_name.values() if v)
        print(f"InfluxDB holds {sum(len(v) for v in per_name.values())} points, "
              f"{(last - first) // INTERVAL + 1} intervals from {first} to {last}", flush=True)

        # ---- the same intervals from the local datalog
        cols = ",".join(f"{n}.watts.d2" for n in names)
        q = f"select=[time.utc.unix,{cols}]&begin={first}&end={last + INTERVAL}&group={INTERVAL}s&format=json&limit=none"
        out = subprocess.run([*EMULATOR, args.binary, "query", "--data", daemon.data, q], capture_output=True, text=True, check=True)
        rows = json.loads(out.stdout)
        local = {int(r[0]): r[1:] for r in rows}
        mismatches = 0
        for k, n in enumerate(names):
            for t, v in per_name[n].items():
                lv = local.get(t, [None] * len(names))[k]
                if lv is None or abs(lv - v) > 1e-9:
                    mismatches += 1
                    if mismatches <= 5:
                        print(f"  {n} at {t}: influx {v}, local {lv}")
        if mismatches:
            failures.append(f"{mismatches} values differ from iotawatt query")
    finally:
        if daemon.proc and daemon.proc.poll() is None:
            daemon.proc.kill()
        influx.stop()
        if failures:
            print("daemon log tail:\n" + open(daemon.data + ".log").read()[-3000:])
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    if failures:
        print("FAIL:\n  " + "\n  ".join(failures))
        return 1
    print("PASS")
    return 0


if __name__ == "__main__":
    sys.exit(main())
