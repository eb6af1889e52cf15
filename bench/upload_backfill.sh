#!/usr/bin/env bash
# Benchmark: a 7-day backlog of 15 channels at 10 s delivered by the daemon's influxdb uploader
# into a local InfluxDB 1.x (influxd on loopback, temporary directories). Prints a table with
# seconds, points and points/s; target under 60 s.
#   bench/upload_backfill.sh [--days N] [--binary build/iotawatt] [--keep DIR]
# Needs scripts/setup.sh (influxdb) and `ninja -C build iotawatt`.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v influxd >/dev/null || { echo "influxd not found: scripts/setup.sh installs influxdb" >&2; exit 2; }
exec python3 bench/upload_backfill.py "$@"
