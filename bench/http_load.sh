#!/usr/bin/env bash
# Load test of the HTTP API while the daemon samples the simulator: wrk on /status and on a
# query, requests/s and p99 of each, and a check that no sampling cycle was lost meanwhile
# (the sampling counters of /status?stats and the 5 s datalog, before and after).
#
#   bench/http_load.sh [--data DIR] [--days N] [--duration S] [--port P] [--build DIR] [--status-only]
#                      [--run-arg ARG]...
#     --data DIR     a seeded data directory (the daemon appends to it); default: a temporary
#                    one seeded with --days N (default 7) and deleted on exit
#     --duration S   seconds of wrk per endpoint (default 20, at most 300)
#     --port P       the daemon listens on 127.0.0.1:P (default 18080)
#     --status-only  skip the query endpoint (before /query exists)
#     --run-arg ARG  one more argument for `iotawatt run` (repeatable; e.g. --run-arg --realtime=on)
# Exits 1 when a sampling cycle or a datalog record was lost, or an endpoint answered errors.
set -euo pipefail
cd "$(dirname "$0")/.."

data="" days=7 duration=20 port=18080 build=build status_only=0 run_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --data) data=$2; shift 2 ;;
    --days) days=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --port) port=$2; shift 2 ;;
    --build) build=$2; shift 2 ;;
    --status-only) status_only=1; shift ;;
    --run-arg) run_args+=("$2"); shift 2 ;;
    *) echo "usage: $0 [--data DIR] [--days N] [--duration S] [--port P] [--build DIR] [--status-only] [--run-arg ARG]..." >&2; exit 2 ;;
  esac
done
[[ "$duration" =~ ^[0-9]+$ && "$duration" -ge 1 && "$duration" -le 300 ]] || { echo "--duration: 1 to 300" >&2; exit 2; }
iotawatt=$build/iotawatt
[ -x "$iotawatt" ] || { echo "missing $iotawatt: ninja -C $build iotawatt" >&2; exit 2; }
command -v wrk >/dev/null || { echo "wrk not found: scripts/setup.sh installs it" >&2; exit 2; }
scenario=household-230v-50hz
base=http://127.0.0.1:$port

work=$(mktemp -d /tmp/iw-load.XXXXXX)
daemon_pid=""
cleanup() {
  if [ -n "$daemon_pid" ]; then kill "$daemon_pid" 2>/dev/null || true; wait "$daemon_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

if [ -z "$data" ]; then
  data=$work/data
  "$iotawatt" seed --scenario "$scenario" --days "$days" --data "$data" >&2
fi

echo "== iotawatt run --sim $scenario --data $data --http 127.0.0.1:$port ${run_args[*]}" >&2
"$iotawatt" run --sim "$scenario" --data "$data" --http "127.0.0.1:$port" "${run_args[@]}" >"$work/daemon.log" 2>&1 &
daemon_pid=$!
for _ in $(seq 1 150); do
  curl -sf -o /dev/null "$base/status?stats" && break
  kill -0 "$daemon_pid" 2>/dev/null || { tail -20 "$work/daemon.log" >&2; exit 1; }
  sleep 0.2
done
# Two datalog records before the first snapshot: sampling and logging are running.
sleep 11

# One line of the counters that show a lost cycle or record:
#   wall_time dropped_cycles restarts current_log_lastkey channel_cycles_per_second lag_peak_ms
counters() {
  local now json
  now=$(date +%s.%N)
  json=$(curl -sf --max-time 5 "$base/status?stats&datalogs") || { echo "status failed" >&2; return 1; }
  python3 -c '
import json, sys
now, doc = sys.argv[1], json.loads(sys.argv[2])
s = doc["stats"]["sampling"]
cur = [d for d in doc.get("datalogs", []) if d.get("id") == "Current"]
print(now, s["dropped_cycles"], s["restarts"], cur[0]["lastkey"] if cur else 0, s["channel_cycles_per_second"],
      s["lag_peak_ms"])
' "$now" "$json"
}

# Runs wrk on path $2 (title $1); prints one line: requests/s, p99, errors. Non-zero on errors.
load() {
  local title=$1 path=$2 out
  out=$(timeout $((duration + 60)) wrk -t2 -c16 -d"${duration}s" --timeout 30s --latency "$base$path")
  echo "$out" >"$work/wrk-$title.txt"
  local rps p99 non2xx errors
  rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
  non2xx=$(awk '/Non-2xx or 3xx responses:/ {print $NF}' <<<"$out")
  errors=$(grep -oE 'Socket errors: .*' <<<"$out" || true)
  printf '%-8s %10s req/s  p99 %-9s non-2xx %s%s   %s\n' "$title" "${rps:-?}" "${p99:-?}" "${non2xx:-0}" \
    "${errors:+  $errors}" "$path"
  [ -n "$rps" ] && [ "${non2xx:-0}" -eq 0 ] && [ -z "$errors" ]
}

query_path='/query?select=%5Btime.iso,Mains.watts,Solar.watts,HeatPump.watts,EV_Charger.watts%5D&begin=d&end=s&group=5m'
if [ "$status_only" -eq 0 ]; then
  code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 "$base$query_path")
  if [ "$code" != 200 ]; then
    echo "the query endpoint answers HTTP $code: is /query merged? (--status-only skips it)" >&2
    exit 1
  fi
fi

# A slow query: every CT at 5 s over the whole seeded history, no row limit (~1 s each).
slow_path='/query?select=%5Btime.unix,Mains.watts,Solar.watts,Oven.watts,Kettle.watts,Fridge.watts,HeatPump.watts,LED_Lights.watts,Computers.watts,Washer.watts,Dryer.watts,EV_Charger.watts,Hob.watts,Lights.watts,Sockets.watts%5D&begin=d-6d&end=s&group=5s&limit=none'

before=$(counters)
result=0
load status '/status?inputs&outputs&stats' || result=1
mid=$(counters)
[ "$status_only" -eq 1 ] || load query "$query_path" || result=1
[ "$status_only" -eq 1 ] || load slow "$slow_path" || result=1
sleep 6  # the record of the last loaded 5 s interval is written
bytes=$(curl -s --max-time 60 "$base$slow_path" | wc -c)
echo "(one slow query answers $((bytes / 1024)) KiB)"
after=$(counters)

# Lost cycles show as dropped cycles or restarts; a sampler that fell behind shows as fewer
# 5 s records than wall-clock time allows (a record is written every 5 s of sampled time).
python3 - "$before" "$mid" "$after" <<'PY' || result=1
import sys
b, m, a = ([float(x) for x in arg.split()] for arg in sys.argv[1:4])
dropped, restarts = a[1] - b[1], a[2] - b[2]
wall = a[0] - b[0]
records = (a[3] - b[3]) / 5
expected = wall / 5
ok = dropped == 0 and restarts == 0 and records >= expected - 1.5
print("sampling: %.0f s under load, dropped_cycles +%d, restarts +%d, 5 s records +%d of %.1f "
      "expected, channel cycles/s per channel %.2f / %.2f / %.2f (before/between/after): %s"
      % (wall, dropped, restarts, records, expected, b[4], m[4], a[4],
         "no sampling cycle lost" if ok else "CYCLES LOST"))
print("sampling thread lateness (largest since start, stats.sampling.lag_peak_ms): %.1f ms before the "
      "load, %.1f ms after it" % (b[5], a[5]))
sys.exit(0 if ok else 1)
PY
exit "$result"
