#!/usr/bin/env python3
"""Benchmark: time to deliver a seeded backlog into a local InfluxDB 1.x through the daemon's
influxdb uploader (every channel a measurement, postInterval 10). Prints a table with seconds,
points and points/s. Target: 7 days x 15 channels at 10 s in under 60 s.

  bench/upload_backfill.py --binary build/iotawatt [--days 7] [--keep DIR]
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "upload"))
from influxd import Influxd, free_port  # noqa: E402

SCENARIO = "household-230v-50hz"


def status(port):
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/status?uploaders&datalogs", timeout=10) as r:
        return json.load(r)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", default="build/iotawatt")
    ap.add_argument("--days", type=float, default=7)
    ap.add_argument("--interval", type=int, default=10)
    ap.add_argument("--keep")
    ap.add_argument("--timeout", type=float, default=600)
    args = ap.parse_args()
    work = args.keep or tempfile.mkdtemp(prefix="iw-backfill-")
    data = os.path.join(work, "data")
    influx = Influxd(os.path.join(work, "influx"))
    daemon = None
    try:
        print(f"== seeding {args.days} days of {SCENARIO}", file=sys.stderr)
        subprocess.run([args.binary, "seed", "--scenario", SCENARIO, "--days", str(args.days), "--data", data],
                       check=True, stdout=subprocess.DEVNULL)
        cfg_path = os.path.join(data, "config.txt")
        config = json.load(open(cfg_path))
        inputs = [(ch, i) for ch, i in enumerate(config["inputs"]) if i]
        config["influxdb"] = {
            "type": "influxdb", "revision": 1, "url": "", "database": "iota", "postInterval": args.interval,
            "bulksend": 1, "begdate": 1, "measurement": "$name", "fieldkey": "value",
            "tagset": [{"key": "device", "value": "$device"}],
            "outputs": [{"name": i["name"], "units": "Volts" if i.get("type") == "VT" else "Watts",
                         "script": f"@{ch}"} for ch, i in inputs]}
        influx.start()
        influx.query("CREATE DATABASE iota")
        config["influxdb"]["url"] = influx.url
        json.dump(config, open(cfg_path, "w"))
        port = free_port()
        log = open(os.path.join(work, "daemon.log"), "wb")
        started = time.time()
        daemon = subprocess.Popen([args.binary, "run", "--data", data, "--http", f"127.0.0.1:{port}"],
                                  stdout=log, stderr=log)
        first_post = None
        while time.time() - started < args.timeout:
            try:
                u = status(port)["uploaders"][0]
            except Exception:
                time.sleep(0.1)
                continue
            if first_post is None and u["lastpost"] > 0:
                first_post = time.time()
            if u["state"] == "live" and u["backlog_intervals"] == 0 and u["lastpost"] > 0:
                break
            time.sleep(0.1)
        else:
            raise SystemExit("did not catch up in time; see " + work + "/daemon.log")
        seconds = time.time() - started
        daemon.terminate()
        daemon.wait(30)
        daemon = None
        points = 0
        for _, i in inputs:
            res = influx.query(f'SELECT COUNT(value) FROM "{i["name"]}"')["results"][0]
            points += res["series"][0]["values"][0][1] if "series" in res else 0
        intervals = points // len(inputs)
        print(f"| backlog | measurements | interval | intervals | points | seconds | points/s |")
        print(f"|---|---|---|---|---|---|---|")
        print(f"| {args.days:g} days | {len(inputs)} | {args.interval} s | {intervals} | {points} | "
              f"{seconds:.1f} | {points / seconds:.0f} |")
    finally:
        if daemon:
            daemon.kill()
        influx.stop()
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
