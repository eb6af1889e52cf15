#!/usr/bin/env bash
# CPU share of the whole daemon while it samples the simulator at the full ADC rate
# (200 000 conversions/s, 15 channels, real time), measured from /proc over a window.
# The sampling thread also runs the simulator, so this is an upper bound for the
# measurement cost on real hardware (where the kernel's SPI driver does that work instead).
#   bench/daemon_cpu.sh [seconds] [build dir]
set -euo pipefail
cd "$(dirname "$0")/.."
window=${1:-20}
build=${2:-build}
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
log=$(mktemp)
"$build/iotawatt" run --http "127.0.0.1:$port" --sim household-230v-50hz --speed 1 >"$log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; rm -f "$log"' EXIT
sleep 3
ticks() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
hz=$(getconf CLK_TCK)
t0=$(ticks); s0=$(date +%s.%N)
sleep "$window"
t1=$(ticks); s1=$(date +%s.%N)
status=$(curl -s "http://127.0.0.1:$port/status?stats")
python3 - "$t0" "$t1" "$s0" "$s1" "$hz" "$status" <<'PY'
import json, sys
t0, t1, s0, s1, hz = (float(x) for x in sys.argv[1:6])
st = json.loads(sys.argv[6])["stats"]
cpu = 100.0 * (t1 - t0) / hz / (s1 - s0)
sampling = st["sampling"]
print("| metric | value |")
print("|---|---|")
print(f"| daemon CPU (one core = 100 %) | {cpu:.1f} % |")
print(f"| sampling thread CPU (simulator + engine) | {sampling['sampler_cpu_percent']:.1f} % |")
print(f"| conversions/s sampled | {sampling['conversions_per_second']} |")
print(f"| channel-cycles/s (all 15 channels) | {st['chanrate']:.1f} |")
print(f"| samples per cycle | {st['cyclerate']:.1f} |")
PY
