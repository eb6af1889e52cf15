#!/usr/bin/env bash
# The sampling thread's lateness (stats.sampling.lag_peak_ms) under HTTP load and under the
# slow-client attacks, with a CPU hog on every core, with and without the real-time policy
# (`iotawatt run --realtime on|off`, simulator paced to the wall clock).
#
#   bench/realtime_lag.sh [--rounds N] [--duration S] [--build DIR] [--no-abuse]
#     --rounds N     interleaved rounds of every (scenario, policy) pair (default 2, at most 5):
#                    the runs with and without the policy alternate, so both see the same
#                    background load of the machine
#     --duration S   seconds of load per endpoint in http_load.sh and of abuse in http_abuse.sh
#                    (default 10, 10 to 60)
#     --no-abuse     only the http_load.sh scenario
# Needs the privilege to set SCHED_FIFO (root, CAP_SYS_NICE or RLIMIT_RTPRIO >= 20): the "on"
# rows show the sampler's policy as the kernel saw it, so a run without it is visible.
#
# Scenarios (each with two CPU hogs, `yes >/dev/null`, one per core, for the scenario's length
# and at most 10 minutes):
#   http_load  bench/http_load.sh: wrk on /status, a 4-series query and a slow 7.5 MB query
#   abuse      bench/http_abuse.sh: 500 slow connections, chunked and header floods, 5 000
#              password guesses, a fresh client on /status
# Columns: lag_peak_ms is /status's stats.sampling.lag_peak_ms at the end (since the daemon
# started); p50/p99/max are over the one-second lag_ms of every snapshot of the loaded window;
# missed is dropped cycles + restarts over the window (the simulator itself never loses a
# sample: a late sampler catches up, so a real ADC's loss shows as lag beyond its buffer).
set -euo pipefail
cd "$(dirname "$0")/.."

rounds=2 duration=10 build=build abuse=1
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --build) build=$2; shift 2 ;;
    --no-abuse) abuse=0; shift ;;
    *) echo "usage: $0 [--rounds N] [--duration S] [--build DIR] [--no-abuse]" >&2; exit 2 ;;
  esac
done
[[ "$rounds" =~ ^[0-9]+$ && "$rounds" -ge 1 && "$rounds" -le 5 ]] || { echo "--rounds: 1 to 5" >&2; exit 2; }
[[ "$duration" =~ ^[0-9]+$ && "$duration" -ge 10 && "$duration" -le 60 ]] || { echo "--duration: 10 to 60" >&2; exit 2; }
iotawatt=$build/iotawatt
[ -x "$iotawatt" ] || { echo "missing $iotawatt: ninja -C $build iotawatt" >&2; exit 2; }

work=$(mktemp -d /tmp/iw-rtlag.XXXXXX)
hogs=()
stop_hogs() {
  for pid in "${hogs[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  hogs=()
}
trap 'stop_hogs; rm -rf "$work"' EXIT INT TERM

# One hog per core, each bounded to 10 minutes whatever happens to this script.
start_hogs() {
  for _ in $(seq 1 "$(nproc)"); do
    timeout 600 yes >/dev/null &
    hogs+=($!)
  done
}

"$iotawatt" seed --scenario household-230v-50hz --days 2 --data "$work/seed" >/dev/null 2>&1

# run SCENARIO POLICY: one row of the table, appended to $work/rows.
run() {
  local scenario=$1 policy=$2 port=$3 warmup out
  rm -f "$work/stop"
  case "$scenario" in
    http_load) warmup=10 ;;
    abuse) warmup=4 ;;
  esac
  start_hogs
  /usr/bin/python3 bench/realtime_lag_poll.py --port "$port" --stop-file "$work/stop" --warmup "$warmup" \
    --max-seconds 600 >"$work/poll.json" &
  local poller=$!
  local rc=0
  case "$scenario" in
    http_load)
      rm -rf "$work/data" && cp -a "$work/seed" "$work/data"
      bash bench/http_load.sh --data "$work/data" --duration "$duration" --port "$port" --build "$build" \
        --run-arg "--realtime=$policy" >"$work/out.txt" 2>&1 || rc=$?
      ;;
    abuse)
      timeout $((duration + 120)) bash bench/http_abuse.sh --duration "$duration" --port "$port" \
        --binary "$iotawatt" "--run-arg=--realtime=$policy" >"$work/out.txt" 2>&1 || rc=$?
      ;;
  esac
  touch "$work/stop"
  wait "$poller" || true
  stop_hogs
  if [ "$rc" -ne 0 ]; then
    echo "-- $scenario --realtime=$policy: the bench exited $rc; its last lines:" >&2
    tail -5 "$work/out.txt" >&2
  fi
  out=$(cat "$work/poll.json")
  python3 - "$scenario" "$policy" "$rc" "$out" >>"$work/rows" <<'PY'
import json, sys
scenario, policy, rc, out = sys.argv[1], sys.argv[2], sys.argv[3], json.loads(sys.argv[4])
f = lambda k: "%.2f" % out[k] if k in out else "?"
print("%-10s %-4s %-28s %11s %8s %8s %8s %6s %6s" % (scenario, policy, out.get("policy", "?"), f("lag_peak_ms"),
      f("p50_ms"), f("p99_ms"), f("window_max_ms"), out.get("missed", "?"), "ok" if rc == "0" else "rc=" + rc))
PY
  tail -1 "$work/rows" >&2
}

scenarios=(http_load)
[ "$abuse" -eq 1 ] && scenarios+=(abuse)
echo "$(nproc) CPUs, $rounds round(s), $duration s of load per step; load average before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
for r in $(seq 1 "$rounds"); do
  for scenario in "${scenarios[@]}"; do
    # Alternate which policy goes first, so neither always runs on a warmer (or busier) machine.
    if [ $((r % 2)) -eq 1 ]; then order=(off on); else order=(on off); fi
    for policy in "${order[@]}"; do run "$scenario" "$policy" 18090; done
  done
done

echo
echo "sampling lag with $(nproc) CPU hogs (yes >/dev/null), simulator paced to the wall clock; $rounds round(s), $duration s per load step"
printf '%-10s %-4s %-28s %11s %8s %8s %8s %6s %6s\n' scenario rt "sampler policy (kernel)" lag_peak_ms p50_1s p99_1s max_1s missed bench
sort -s -k1,1 -k2,2 "$work/rows"
