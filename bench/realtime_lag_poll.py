#!/usr/bin/python3
"""Watches one daemon's sampling lag for bench/realtime_lag.sh.

Polls /status?stats every 0.25 s (Digest login with the password http_abuse.py sets, which a
daemon without passwords ignores) until --stop-file exists or --max-seconds pass, and reads the
sampling thread's scheduling from /proc. Prints one JSON object: every distinct one-second
snapshot's lag_ms after --warmup seconds, their p50/p99/max, the final lag_peak_ms (since start),
dropped cycles and restarts over the window, and the sampler's policy as the kernel saw it.
"""
import argparse, glob, json, os, sys, time

import httpx

POLICIES = {0: "OTHER", 1: "FIFO", 2: "RR", 3: "BATCH", 5: "IDLE"}


def daemon_pid(port):
    for path in glob.glob("/proc/[0-9]*/cmdline"):
        try:
            argv = open(path, "rb").read().split(b"\0")
        except OSError:
            continue
        if argv and argv[0].endswith(b"iotawatt") and f"127.0.0.1:{port}".encode() in argv:
            return int(path.split("/")[2])
    return None


def sampler_policy(pid):
    for task in glob.glob(f"/proc/{pid}/task/*"):
        try:
            if open(f"{task}/comm").read().strip() != "iw-sampler":
                continue
            rest = open(f"{task}/stat").read().rsplit(")", 1)[1].split()
            nice, cpu, rtprio, policy = int(rest[16]), int(rest[36]), int(rest[37]), int(rest[38])
            allowed = [l.split(":")[1].strip() for l in open(f"{task}/status") if l.startswith("Cpus_allowed_list")]
            name = POLICIES.get(policy, str(policy))
            prio = f" {rtprio}" if policy in (1, 2) else f" nice {nice}"
            return f"{name}{prio} cpus {allowed[0] if allowed else '?'}"
        except (OSError, IndexError, ValueError):
            continue
    return "?"


def percentile(values, p):
    v = sorted(values)
    return v[min(len(v) - 1, int(round(p / 100 * (len(v) - 1))))] if v else float("nan")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--stop-file", required=True)
    ap.add_argument("--warmup", type=float, default=10)
    ap.add_argument("--max-seconds", type=float, default=600)
    a = ap.parse_args()
    auth = httpx.DigestAuth("admin", "bench-password-1234")
    client = httpx.Client(timeout=5)
    started = time.monotonic()
    first_ok = None
    seen, lags, first, last, policy = set(), [], None, None, "?"
    while not os.path.exists(a.stop_file) and time.monotonic() - started < a.max_seconds:
        try:
            r = client.get(f"http://127.0.0.1:{a.port}/status?stats", auth=auth)
            s = r.json()["stats"]["sampling"] if r.status_code == 200 else None
        except (httpx.HTTPError, ValueError, KeyError):
            s = None
        if s is not None:
            now = time.monotonic()
            if first_ok is None:
                first_ok = now
            if policy == "?" and (pid := daemon_pid(a.port)):
                policy = sampler_policy(pid)
            if now - first_ok >= a.warmup:
                last = s
                if first is None:
                    first = s
                if s["cycles"] not in seen:
                    seen.add(s["cycles"])
                    lags.append(s["lag_ms"])
        time.sleep(0.25)
    out = {"policy": policy, "snapshots": len(lags)}
    if first and last:
        out.update(lag_peak_ms=last["lag_peak_ms"], window_max_ms=max(lags), p50_ms=percentile(lags, 50),
                   p99_ms=percentile(lags, 99),
                   missed=(last["dropped_cycles"] - first["dropped_cycles"]) + (last["restarts"] - first["restarts"]))
    json.dump(out, sys.stdout)
    print()


if __name__ == "__main__":
    main()
