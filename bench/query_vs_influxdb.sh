#!/usr/bin/env bash
# Benchmark, side by side: the same days of 5 s data for 14 CT channels in iotawatt's datalog
# and in InfluxDB 1.x, the same questions asked of both (hourly and daily means of every
# channel over the whole span, 5 s data over its last day), median latency, the ratio, and a
# row-by-row comparison of the numbers. Target: iotawatt >= 100x faster on the year.
#
#   bench/query_vs_influxdb.sh [--days N] [--repeat R] [--build DIR] [--keep DIR]
#     --days N     days of seeded history (default 365)
#     --repeat R   times each question is asked of each side (default 5; the median counts)
#     --build DIR  build directory holding iotawatt and bench/log_export (default build)
#     --keep DIR   work in DIR and keep it (seeded data, Influx data, answers); default: a
#                  temporary directory, deleted on exit
#     --influx-only  load and ask InfluxDB only (before `iotawatt query` exists)
#
# IW_QUERY_ARGS: extra arguments for `iotawatt query` (split at spaces).
# influxd (Debian package `influxdb`) is started here with every listener on 127.0.0.1 and
# non-default ports (IW_INFLUX_PORT, default 18086; RPC on IW_INFLUX_PORT+2), its meta, data
# and WAL in the work directory, and is stopped by a trap. Needs: scripts/setup.sh, then
# `ninja -C build iotawatt log_export`.
set -euo pipefail
cd "$(dirname "$0")/.."

days=365 repeat=5 build=build keep="" influx_only=0
while [ $# -gt 0 ]; do
  case "$1" in
    --days) days=$2; shift 2 ;;
    --repeat) repeat=$2; shift 2 ;;
    --build) build=$2; shift 2 ;;
    --keep) keep=$2; shift 2 ;;
    --influx-only) influx_only=1; shift ;;
    *) echo "usage: $0 [--days N] [--repeat R] [--build DIR] [--keep DIR] [--influx-only]" >&2; exit 2 ;;
  esac
done
iotawatt=$build/iotawatt
exporter=$build/bench/log_export
for exe in "$iotawatt" "$exporter"; do
  [ -x "$exe" ] || { echo "missing $exe: ninja -C $build iotawatt log_export" >&2; exit 2; }
done
command -v influxd >/dev/null || { echo "influxd not found: scripts/setup.sh installs influxdb" >&2; exit 2; }
scenario=household-230v-50hz
port=${IW_INFLUX_PORT:-18086}
rpc_port=$((port + 2))

if [ -n "$keep" ]; then
  work=$(realpath -m "$keep"); mkdir -p "$work"
else
  work=$(mktemp -d /tmp/iw-bench.XXXXXX)
fi
influx_pid=""
cleanup() {
  if [ -n "$influx_pid" ]; then kill "$influx_pid" 2>/dev/null || true; wait "$influx_pid" 2>/dev/null || true; fi
  [ -n "$keep" ] || rm -rf "$work"
}
trap cleanup EXIT INT TERM

# ---- (a) seed our datalog
data=$work/iotawatt-data
if [ ! -d "$data/datalog/current" ]; then
  echo "== seeding $days days of $scenario into $data" >&2
  "$iotawatt" seed --scenario "$scenario" --days "$days" --data "$data" >&2
fi
"$exporter" --scenario "$scenario" --config >"$work/config-utc.json"
read -r first last < <("$exporter" --data "$data" --range)

# ---- (b) start influxd on loopback
mkdir -p "$work/influx"
cat >"$work/influx/influxdb.conf" <<CONF
reporting-disabled = true
bind-address = "127.0.0.1:$rpc_port"
[meta]
  dir = "$work/influx/meta"
  logging-enabled = false
[data]
  dir = "$work/influx/data"
  wal-dir = "$work/influx/wal"
  query-log-enabled = false
[monitor]
  store-enabled = false
[subscriber]
  enabled = false
[continuous_queries]
  enabled = false
[http]
  enabled = true
  bind-address = "127.0.0.1:$port"
  log-enabled = false
  pprof-enabled = false
  max-row-limit = 0
  max-body-size = 0
[ifql]
  enabled = false
  bind-address = "127.0.0.1:$((port + 3))"
[[graphite]]
  enabled = false
  bind-address = "127.0.0.1:$((port + 4))"
[[collectd]]
  enabled = false
  bind-address = "127.0.0.1:$((port + 5))"
[[opentsdb]]
  enabled = false
  bind-address = "127.0.0.1:$((port + 6))"
[[udp]]
  enabled = false
  bind-address = "127.0.0.1:$((port + 7))"
CONF
echo "== starting influxd on 127.0.0.1:$port" >&2
influxd run -config "$work/influx/influxdb.conf" >"$work/influx/influxd.log" 2>&1 &
influx_pid=$!
for _ in $(seq 1 100); do
  curl -sf -o /dev/null "http://127.0.0.1:$port/ping" && break
  kill -0 "$influx_pid" 2>/dev/null || { tail -20 "$work/influx/influxd.log" >&2; exit 1; }
  sleep 0.2
done
curl -sf -o /dev/null "http://127.0.0.1:$port/ping" || { echo "influxd did not start" >&2; exit 1; }

# The questions cover whole UTC days: from the first midnight after the first record to the
# last midnight before the last record.
begin=$(( (first + 86399) / 86400 * 86400 ))
end=$(( last / 86400 * 86400 ))
[ "$end" -gt "$begin" ] || { echo "need at least one whole UTC day of data (try --days 2)" >&2; exit 2; }

# Ask our side with --config when the CLI takes one: the UTC config makes 1d groups UTC days.
query_cmd=("$iotawatt" query --data "$data")
if "$iotawatt" query --help 2>/dev/null | grep -q -- '--config'; then
  query_cmd+=(--config "$work/config-utc.json")
elif [ "$influx_only" -eq 0 ]; then
  echo "note: 'iotawatt query' has no --config; day groups follow the daemon's own time zone" >&2
fi
read -ra extra <<<"${IW_QUERY_ARGS:-}"
query_cmd+=("${extra[@]}")
mapfile -t names < <("$exporter" --scenario "$scenario" --names)

# ---- (c) load, (d) ask, (e) compare: the Python helper
args=(--influx "http://127.0.0.1:$port" --begin "$begin" --end "$end" --repeat "$repeat"
      --work "$work" --names "${names[@]}" --)
[ "$influx_only" -eq 1 ] && args=(--influx-only "${args[@]}")
"$exporter" --data "$data" --begin "$begin" --end "$end" |
  python3 bench/query_vs_influxdb.py "${args[@]}" "${query_cmd[@]}"
