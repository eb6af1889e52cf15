#!/usr/bin/env python3
"""Helper of bench/query_vs_influxdb.sh (python3 stdlib only).

Reads InfluxDB line protocol (bench/log_export) on stdin and posts it to InfluxDB in batches,
then asks InfluxDB and iotawatt the same questions, several times each, and prints a table:
question, InfluxDB ms, iotawatt ms, ratio, rows, max difference. While loading it also keeps
its own means of the exported values, so the InfluxDB half is checked even without iotawatt
(--influx-only). Exits 1 when the two sides disagree beyond the tolerance.

usage: ... | query_vs_influxdb.py --influx URL --begin UNIX --end UNIX --repeat R --work DIR
             --names NAME... [--influx-only] -- IOTAWATT_QUERY_COMMAND...
"""
import argparse
import http.client
import json
import statistics
import subprocess
import sys
import time
import urllib.parse

DB = "iotawatt"
BATCH_LINES = 10000
# iotawatt prints .d2: one unit of the last printed decimal. InfluxDB's means of the exported
# 3-decimal values differ from the exact ones by at most 0.0005, ours by at most 0.005.
TOLERANCE = 0.01 + 1e-9
# The 5 s question is asked of each side with a timeout; a query slower than this is broken.
QUERY_TIMEOUT_S = 600


class Influx:
    def __init__(self, url):
        parts = urllib.parse.urlsplit(url)
        self.host, self.port = parts.hostname, parts.port
        self.conn = http.client.HTTPConnection(self.host, self.port, timeout=QUERY_TIMEOUT_S)

    def request(self, method, path, body=None):
        """Returns (status, body bytes); reconnects once after a dropped keep-alive."""
        for attempt in (0, 1):
            try:
                self.conn.request(method, path, body=body)
                resp = self.conn.getresponse()
                return resp.status, resp.read()
            except (http.client.HTTPException, ConnectionError):
                self.conn.close()
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=QUERY_TIMEOUT_S)
                if attempt:
                    raise
        raise AssertionError("unreachable")

    def query(self, q):
        path = "/query?" + urllib.parse.urlencode({"db": DB, "epoch": "s", "q": q})
        status, body = self.request("GET", path)
        if status != 200:
            raise SystemExit("influx: %s -> %d %s" % (q, status, body[:300]))
        return body

    def write(self, lines):
        status, body = self.request("POST", "/write?db=%s&precision=s" % DB, "".join(lines).encode())
        if status != 204:
            raise SystemExit("influx write -> %d %s" % (status, body[:300]))


class Reference:
    """Means of the exported values per hour and per day, and the raw values of the last day."""

    def __init__(self, names, last_day_begin):
        self.n = len(names)
        self.last_day_begin = last_day_begin
        self.sums = {3600: {}, 86400: {}}
        self.raw = {}

    def add(self, line):
        fields, ts = line.rsplit(" ", 1)[0].split(" ", 1)[1], int(line.rsplit(" ", 1)[1])
        values = [float(kv.split("=", 1)[1]) for kv in fields.split(",")]
        for width, sums in self.sums.items():
            key = ts - ts % width
            acc = sums.get(key)
            if acc is None:
                sums[key] = acc = [0] + [0.0] * self.n
            acc[0] += 1
            for i, v in enumerate(values):
                acc[i + 1] += v
        if ts >= self.last_day_begin:
            self.raw[ts] = values

    def rows(self, width):
        if width == 5:
            return {t: v for t, v in self.raw.items()}
        return {t: [s / acc[0] for s in acc[1:]] for t, acc in self.sums[width].items()}


def load(influx, ref, expected_lines):
    status, body = influx.request("POST", "/query?" + urllib.parse.urlencode({"q": "CREATE DATABASE " + DB}))
    if status != 200:
        raise SystemExit("influx: CREATE DATABASE -> %d %s" % (status, body[:300]))
    started = time.monotonic()
    batch, lines, shown, writing = [], 0, -1, 0.0
    for line in sys.stdin:
        ref.add(line)
        batch.append(line)
        if len(batch) == BATCH_LINES:
            t0 = time.monotonic()
            influx.write(batch)
            writing += time.monotonic() - t0
            lines += len(batch)
            batch = []
            percent = lines * 100 // max(1, expected_lines)
            if percent != shown:
                shown = percent
                elapsed = time.monotonic() - started
                sys.stderr.write("\rload: %3d %% (%d lines, %.0f lines/s)" % (percent, lines, lines / elapsed))
                sys.stderr.flush()
    if batch:
        t0 = time.monotonic()
        influx.write(batch)
        writing += time.monotonic() - t0
        lines += len(batch)
    return lines, time.monotonic() - started, writing


def influx_rows(body, n):
    """{time: [values]} from an InfluxDB JSON answer."""
    doc = json.loads(body)
    result = doc["results"][0]
    if "error" in result:
        raise SystemExit("influx: " + result["error"])
    rows = {}
    for series in result.get("series", []):
        for row in series["values"]:
            rows[int(row[0])] = row[1 : n + 1]
    return rows


def iotawatt_rows(out, n):
    doc = json.loads(out)
    if isinstance(doc, dict):
        doc = doc["data"]
    return {int(row[0]): row[1 : n + 1] for row in doc}


def timed(fn, repeat):
    times, result = [], None
    for _ in range(repeat):
        t0 = time.monotonic()
        result = fn()
        times.append((time.monotonic() - t0) * 1000)
    return statistics.median(times), result


def compare(a, b):
    """(rows in both, max |difference|, number of problems) of two {time: [values]} tables."""
    problems = len(set(a) ^ set(b))
    worst = 0.0
    for t in set(a) & set(b):
        for x, y in zip(a[t], b[t]):
            if x is None or y is None:
                problems += (x is None) != (y is None)
                continue
            worst = max(worst, abs(x - y))
            problems += abs(x - y) > TOLERANCE
    return len(set(a) & set(b)), worst, problems


def questions(args):
    b, e = args.begin, args.end
    days = (e - b) // 86400
    sel = ",".join('mean("%s") AS "%s"' % (n, n) for n in args.names)
    raw = ",".join('"%s"' % n for n in args.names)
    where = "time >= %ds AND time < %ds"
    ours = "select=[time.unix,%s]&begin=%%d&end=%%d&group=%%s&format=json&limit=none" % ",".join(
        n + ".watts.d2" for n in args.names)
    return [
        ("hourly means, %d days" % days, 3600,
         "SELECT %s FROM %s WHERE %s GROUP BY time(1h)" % (sel, DB, where % (b, e)), ours % (b, e, "1h")),
        ("daily means, %d days" % days, 86400,
         "SELECT %s FROM %s WHERE %s GROUP BY time(1d)" % (sel, DB, where % (b, e)), ours % (b, e, "1d")),
        ("5 s data, 1 day", 5,
         "SELECT %s FROM %s WHERE %s" % (raw, DB, where % (e - 86400, e)), ours % (e - 86400, e, "5s")),
    ]


def run_ours(cmd, q):
    proc = subprocess.run(cmd + [q], capture_output=True, timeout=QUERY_TIMEOUT_S)
    if proc.returncode != 0:
        raise SystemExit("iotawatt query failed (%d): %s" % (proc.returncode, proc.stderr.decode()[:500]))
    return proc.stdout


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--influx", required=True)
    p.add_argument("--begin", type=int, required=True)
    p.add_argument("--end", type=int, required=True)
    p.add_argument("--repeat", type=int, default=5)
    p.add_argument("--work", required=True)
    p.add_argument("--names", nargs="+", required=True)
    p.add_argument("--influx-only", action="store_true")
    p.add_argument("command", nargs=argparse.REMAINDER)
    args = p.parse_args()
    cmd = args.command[1:] if args.command[:1] == ["--"] else args.command
    n = len(args.names)

    influx = Influx(args.influx)
    ref = Reference(args.names, args.end - 86400)
    lines, seconds, writing = load(influx, ref, (args.end - args.begin) // 5)
    # The wall time includes exporting and this script's parsing; the write time is InfluxDB's.
    print("\nloaded %d points x %d fields into InfluxDB: %.1f s wall, %.1f s in /write requests: "
          "%.0f points/s, %.0f values/s" % (lines, n, seconds, writing, lines / writing, lines * n / writing))

    print("%-24s %12s %12s %8s %7s %10s %10s" % ("question", "InfluxDB ms", "iotawatt ms", "ratio", "rows",
                                                 "max diff", "vs export"))
    bad = 0
    for title, width, influxql, ours_q in questions(args):
        influx_ms, body = timed(lambda: influx.query(influxql), args.repeat)
        irows = influx_rows(body, n)
        _, ref_diff, ref_bad = compare(irows, ref.rows(width))
        bad += ref_bad
        if args.influx_only:
            print("%-24s %12.1f %12s %8s %7d %10s %10.4f%s" % (title, influx_ms, "-", "-", len(irows), "-",
                                                              ref_diff, "" if not ref_bad else " MISMATCH"))
            continue
        ours_ms, out = timed(lambda: run_ours(cmd, ours_q), args.repeat)
        with open("%s/iotawatt-%d.json" % (args.work, width), "wb") as f:
            f.write(out)
        orows = iotawatt_rows(out, n)
        rows, diff, problems = compare(irows, orows)
        bad += problems
        print("%-24s %12.1f %12.1f %8.1f %7d %10.4f %10.4f%s" % (
            title, influx_ms, ours_ms, influx_ms / ours_ms, rows, diff, ref_diff,
            "" if not problems else " MISMATCH (%d)" % problems))
    print("tolerance %.2f (iotawatt prints 2 decimals); medians of %d runs; iotawatt timed as a whole "
          "'iotawatt query' process" % (TOLERANCE, args.repeat))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
