"""Starts Debian's influxd (InfluxDB 1.x) for a test or benchmark: every listener on 127.0.0.1
at free ports, meta/data/WAL under a given directory. Used by tests/app/influx_upload_e2e.py
and bench/upload_backfill.py."""
import json
import os
import socket
import subprocess
import time
import urllib.parse
import urllib.request


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Influxd:
    def __init__(self, work):
        self.work = work
        self.port = free_port()
        self.proc = None
        os.makedirs(work, exist_ok=True)
        ports = [free_port() for _ in range(7)]
        self.conf = os.path.join(work, "influxdb.conf")
        with open(self.conf, "w") as f:
            f.write(f"""reporting-disabled = true
bind-address = "127.0.0.1:{ports[0]}"
[meta]
  dir = "{work}/meta"
  logging-enabled = false
[data]
  dir = "{work}/data"
  wal-dir = "{work}/wal"
  query-log-enabled = false
[monitor]
  store-enabled = false
[subscriber]
  enabled = false
[continuous_queries]
  enabled = false
[http]
  enabled = true
  bind-address = "127.0.0.1:{self.port}"
  log-enabled = false
  max-row-limit = 0
  max-body-size = 0
[ifql]
  enabled = false
  bind-address = "127.0.0.1:{ports[1]}"
[[graphite]]
  enabled = false
  bind-address = "127.0.0.1:{ports[2]}"
[[collectd]]
  enabled = false
  bind-address = "127.0.0.1:{ports[3]}"
[[opentsdb]]
  enabled = false
  bind-address = "127.0.0.1:{ports[4]}"
[[udp]]
  enabled = false
  bind-address = "127.0.0.1:{ports[5]}"
""")

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def start(self):
        log = open(os.path.join(self.work, "influxd.log"), "ab")
        self.proc = subprocess.Popen(["influxd", "run", "-config", self.conf], stdout=log, stderr=log)
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                urllib.request.urlopen(self.url + "/ping", timeout=1)
                return
            except Exception:
                if self.proc.poll() is not None:
                    raise RuntimeError("influxd exited; see " + self.work + "/influxd.log")
                time.sleep(0.2)
        raise RuntimeError("influxd did not answer /ping in 30 s")

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None

    def query(self, q, db="iota"):
        body = urllib.parse.urlencode({"q": q, "db": db, "epoch": "s"}).encode()
        with urllib.request.urlopen(self.url + "/query", data=body, timeout=60) as r:
            return json.load(r)
