#!/usr/bin/python3
"""Abuse of the HTTP edge while the daemon samples the simulator (issue 12).

At once, for --duration seconds, from loopback addresses standing for LAN neighbours:
  - 500 slow connections (127.0.0.2-21) each sending one header line every 2 s, reopened when closed;
  - a chunked flood: POST /config with an endless chunked body and no credentials (127.0.0.22);
  - a header flood: 100 000 header lines per connection (127.0.0.23);
  - 5 000 Digest password guesses (127.0.0.24).
Meanwhile a fresh client (127.0.0.1, new connection and Digest login each time, as Home Assistant
does) asks GET /status every 100 ms. Prints a table: p50/p99/max of the fresh client, RSS before
and after, sampling cycles and dropped cycles, and what each attack achieved. Exits 1 when a
target is missed: p99 < 100 ms, RSS within 20 MB, 0 dropped cycles, every fresh request answered.
"""
import argparse, base64, json, multiprocessing, os, shutil, socket, subprocess, sys, tempfile, threading, time

import httpx

PASSWORD = "bench-password-1234"


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return -1


def connect(port, source):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind((source, 0))
    s.settimeout(5)
    s.connect(("127.0.0.1", port))
    return s


class Attack:
    def __init__(self, name):
        self.name, self.count, self.note = name, 0, ""


def run_attack(function, port, stop, name, results, flood_bytes_per_s):
    """One attack in its own process (no shared interpreter lock with the fresh client)."""
    global FLOOD_BYTES_PER_S
    FLOOD_BYTES_PER_S = flood_bytes_per_s
    stats = Attack(name)
    function(port, stop, stats)
    results.put((name, stats.note))


def slowloris(port, stop, stats):
    conns = []
    def open_one(i):
        try:
            s = connect(port, f"127.0.0.{2 + i // 25}")
            s.sendall(b"GET /status HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            return s
        except OSError:
            return None
    conns = [open_one(i) for i in range(500)]
    stats.count = sum(1 for c in conns if c)
    reopened = 0
    while not stop.is_set():
        for i, c in enumerate(conns):
            try:
                if c is None:
                    raise OSError
                c.sendall(b"X-Slow: 1\r\n")
            except OSError:
                if c:
                    c.close()
                conns[i] = open_one(i)
                reopened += 1
        stop.wait(2)
    open_now = sum(1 for c in conns if c)
    for c in conns:
        if c:
            c.close()
    stats.note = f"500 held open; {reopened} closed by the head deadline and reopened"


def paced(stop, started, sent, bytes_per_s):
    """Sleeps while `sent` bytes are ahead of the flood's rate."""
    ahead = sent / bytes_per_s - (time.monotonic() - started)
    if ahead > 0:
        stop.wait(ahead)


FLOOD_BYTES_PER_S = 12_500_000  # set by --flood-mbit


def chunked_flood(port, stop, stats):
    chunk = b"100000\r\n" + b"{" * 0x100000 + b"\r\n"
    sent_total, answers = 0, {}
    while not stop.is_set():
        try:
            s = connect(port, "127.0.0.22")
            s.sendall(b"POST /config HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                      b"Transfer-Encoding: chunked\r\n\r\n")
            started, sent = time.monotonic(), 0
            while not stop.is_set():
                s.sendall(chunk)
                sent += len(chunk)
                sent_total += len(chunk)
                paced(stop, started, sent, FLOOD_BYTES_PER_S)
        except OSError:
            pass
        stats.count += 1
        s.close()
    stats.note = f"{sent_total / 1e6:.0f} MB accepted by the kernel over {stats.count} connections"


def header_flood(port, stop, stats):
    lines = b"".join(b"X-%d: a\r\n" % i for i in range(100000))
    refused, started, sent = 0, time.monotonic(), 0
    while not stop.is_set():
        try:
            s = connect(port, "127.0.0.23")
            s.sendall(b"GET /status HTTP/1.1\r\nHost: 127.0.0.1\r\n" + lines + b"\r\n")
        except OSError:
            refused += 1
        stats.count += 1
        sent += len(lines)
        s.close()
        paced(stop, started, sent, FLOOD_BYTES_PER_S)
    stats.note = f"{stats.count} floods of 100 000 headers, {refused} cut off by the server"


def guesses(port, stop, stats, total=5000):
    statuses = {}
    client = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=5,
                          transport=httpx.HTTPTransport(local_address="127.0.0.24"))
    for i in range(total):
        if stop.is_set():
            break
        try:
            r = client.get("/status?stats", auth=httpx.DigestAuth("admin", f"wrong-{i}"))
            statuses[r.status_code] = statuses.get(r.status_code, 0) + 1
        except httpx.HTTPError:
            statuses["error"] = statuses.get("error", 0) + 1
        stats.count += 1
    stats.note = "answers: " + ", ".join(f"{k}: {v}" for k, v in sorted(statuses.items(), key=str))


def fresh_client(port, stop, latencies, failures):
    auth = httpx.DigestAuth("admin", PASSWORD)
    # No keep-alive: every request opens a new connection, as a fresh client would. (A new
    # httpx.Client per request would measure its own 25 ms of set-up, not the server.)
    client = httpx.Client(timeout=5, limits=httpx.Limits(max_keepalive_connections=0))
    while not stop.is_set():
        t = time.perf_counter()
        try:
            r = client.get(f"http://127.0.0.1:{port}/status?stats", auth=auth)
            if r.status_code == 200:
                latencies.append(1000 * (time.perf_counter() - t))
            else:
                failures.append(r.status_code)
        except httpx.HTTPError as e:
            failures.append(type(e).__name__)
        stop.wait(0.1)


def sampling(port):
    r = httpx.get(f"http://127.0.0.1:{port}/status?stats", auth=httpx.DigestAuth("admin", PASSWORD), timeout=5)
    s = r.json()["stats"]["sampling"]
    return s["cycles"], s["dropped_cycles"]


def percentile(values, p):
    v = sorted(values)
    return v[min(len(v) - 1, int(round(p / 100 * (len(v) - 1))))] if v else float("nan")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", default="build/iotawatt")
    ap.add_argument("--port", type=int, default=18081)
    ap.add_argument("--duration", type=int, default=20, help="seconds of abuse (10 to 120)")
    ap.add_argument("--flood-mbit", type=float, default=100,
                    help="each flood's rate in Mbit/s, as one LAN device could send (default 100; "
                         "0: unbounded, then the attacker's own CPU use on this machine is measured too)")
    ap.add_argument("--run-arg", action="append", default=[],
                    help="one more argument for `iotawatt run` (repeatable; --run-arg=--realtime=on)")
    a = ap.parse_args()
    if not 10 <= a.duration <= 120:
        sys.exit("--duration: 10 to 120")
    data = tempfile.mkdtemp(prefix="iw-abuse.")
    log = open(os.path.join(data, "daemon.out"), "w")
    daemon = subprocess.Popen([a.binary, "run", "--http", f"127.0.0.1:{a.port}", "--data", data, *a.run_arg],
                              stdout=log, stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{a.port}"
        for _ in range(200):
            try:
                if httpx.get(base + "/nullreq", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.05)
        body = base64.b64encode(json.dumps({"newadmin": PASSWORD}).encode())
        r = httpx.post(base + "/auth", content=body, headers={"X-Requested-With": "bench"})
        assert r.status_code == 200, r.text
        time.sleep(3)
        rss_before = rss_kib(daemon.pid)
        cycles_before, dropped_before = sampling(a.port)

        stop = multiprocessing.Event()
        results = multiprocessing.Queue()
        names = ["500 slow connections", "chunked flood, no credentials", "header flood", "password guesses"]
        procs = [multiprocessing.Process(target=run_attack, args=(f, a.port, stop, n, results, a.flood_mbit * 125_000 or 1e15))
                 for f, n in zip([slowloris, chunked_flood, header_flood, guesses], names)]
        for p in procs:
            p.start()
        time.sleep(2)  # the 500 connections are open
        latencies, failures = [], []
        client_stop = threading.Event()
        client = threading.Thread(target=fresh_client, args=(a.port, client_stop, latencies, failures))
        client.start()
        time.sleep(a.duration)
        client_stop.set()
        stop.set()
        client.join(timeout=30)
        notes = dict(results.get(timeout=60) for _ in procs)
        for p in procs:
            p.join(timeout=30)
        time.sleep(2)
        rss_after = rss_kib(daemon.pid)
        cycles_after, dropped_after = sampling(a.port)
        alive = daemon.poll() is None
    finally:
        daemon.terminate()
        daemon.wait(timeout=20)
        shutil.rmtree(data, ignore_errors=True)

    p50, p99, worst = percentile(latencies, 50), percentile(latencies, 99), max(latencies or [float("nan")])
    rows = [
        ("fresh client /status p50 (ms)", f"{p50:.1f}", ""),
        ("fresh client /status p99 (ms)", f"{p99:.1f}", "< 100"),
        ("fresh client /status max (ms)", f"{worst:.1f}", ""),
        ("fresh requests answered", f"{len(latencies)} of {len(latencies) + len(failures)}", "all"),
        ("RSS before / after (MiB)", f"{rss_before / 1024:.1f} / {rss_after / 1024:.1f}", "within 20"),
        ("cycles measured during the run", f"{cycles_after - cycles_before}", "> 0"),
        ("dropped cycles", f"{dropped_after - dropped_before}", "0"),
        ("daemon alive", "yes" if alive else "NO", "yes"),
    ]
    print(f"floods at {'unbounded' if not a.flood_mbit else f'{a.flood_mbit:g} Mbit/s each'}, {a.duration} s\n")
    print(f"{'metric':<34} {'value':>22}  target")
    for name, value, target in rows:
        print(f"{name:<34} {value:>22}  {target}")
    print()
    for name in names:
        print(f"{name:<34} {notes.get(name, '?')}")
    ok = (alive and not failures and p99 < 100 and rss_after - rss_before < 20 * 1024
          and dropped_after == dropped_before and cycles_after > cycles_before)
    print("\nresult:", "all targets met" if ok else "TARGET MISSED")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
