#!/usr/bin/env bash
# The Debian package end to end, on this machine, as root: build it (scripts/package.sh),
# lintian it (no errors, no warnings but the ones debian/iotawatt.lintian-overrides explains),
# install it with dpkg -i, verify the installed unit with systemd-analyze (verify, and its
# security score, which must stay <= 4.0), start the installed program exactly as the unit's
# ExecStart does, as the user iotawatt, on a free loopback port: with the conffile (the v5
# board) on this machine without SPI it must serve the web app and name the missing spidev in
# /status; then with the simulator's example config it must measure and log. Stop it, remove
# (data and conffile stay), purge (nothing of the package stays but the user iotawatt).
# systemd need not be PID 1: the unit is verified offline and its command run by hand.
# Exits 77 (ctest: skipped) when not root. Prints "package: N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
if [ "$(id -u)" -ne 0 ]; then
  echo "package_test: needs root (dpkg -i); skipped"
  exit 77
fi
t0=$(date +%s)
# shellcheck source=scripts/checks.sh
source scripts/checks.sh
finish() {
  echo "package_test: $(($(date +%s) - t0)) s in all (package build ${build_s:-?} s)"
  echo "package: ${passed} passed, ${failed} failed"
  [ "$failed" -eq 0 ]
  exit $?
}
# dpkg waits for a lock that another installer holds (dpkg itself has no lock timeout).
dpkg_locked() {
  local i out
  for i in $(seq 1 60); do
    if out=$(dpkg "$@" 2>&1); then
      echo "$out"
      return 0
    fi
    grep -q "lock" <<<"$out" || { echo "$out" >&2; return 1; }
    sleep 10
  done
  echo "$out" >&2
  return 1
}

version=$(dpkg-parsechangelog -S Version)
arch=$(dpkg-architecture -qDEB_HOST_ARCH)
deb="build-deb/iotawatt_${version}_${arch}.deb"

# --- build
b0=$(date +%s)
rm -f "$deb"
mkdir -p build-deb
bash scripts/package.sh >build-deb/package.log 2>&1 || tail -40 build-deb/package.log
build_s=$(($(date +%s) - b0))
check "package built: $deb" test -f "$deb"
[ -f "$deb" ] || finish
echo "package size: $(stat -c %s "$deb") bytes"

# --- what can be checked without installing: lintian (errors and warnings fail; overrides carry
# a comment), Depends, the files, the program's architecture, no build paths (package_check.sh)
check "package_check.sh $deb" bash scripts/package_check.sh "$deb"

# --- install (a leftover from a failed run goes first)
dpkg-query -W iotawatt >/dev/null 2>&1 && dpkg_locked --purge iotawatt >/dev/null
check "dpkg -i" dpkg_locked -i "$deb"
check "/usr/bin/iotawatt installed" test -x /usr/bin/iotawatt
check "web app installed" test -f /usr/share/iotawatt/web/index.html
check "uPlot installed" test -f /usr/share/iotawatt/web/node_modules/uplot/dist/uPlot.esm.js
check "conffile /etc/iotawatt/config.json" grep -qx /etc/iotawatt/config.json /var/lib/dpkg/info/iotawatt.conffiles
check "user iotawatt in groups spi and gpio" bash -c 'id -nG iotawatt | tr " " "\n" | grep -qx spi && id -nG iotawatt | tr " " "\n" | grep -qx gpio'
check "/var/lib/iotawatt owned by iotawatt" test "$(stat -c %U /var/lib/iotawatt)" = iotawatt

unit=/lib/systemd/system/iotawatt.service
check "systemd-analyze verify $unit" systemd-analyze verify "$unit"
security=$(systemd-analyze security --offline=true "$unit" 2>&1)
echo "$security" | tail -1
score=$(sed -nE 's/.*Overall exposure level for iotawatt.service: ([0-9.]+).*/\1/p' <<<"$security")
check "systemd-analyze security score ${score:-?} <= 4.0" awk -v s="${score:-99}" 'BEGIN { exit !(s <= 4.0) }'

# --- run the installed program as the unit does
exec_start=$(sed -n 's/^ExecStart=//p' "$unit")
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
command=${exec_start/--http 0.0.0.0:80/--http 127.0.0.1:$port}
check "ExecStart has --http 0.0.0.0:80 (replaced by a loopback port here)" test "$command" != "$exec_start"
log=$(mktemp)
pid=""
start_daemon() {  # start_daemon EXTRA_ARGS...: the unit's command as iotawatt, in the background
  echo "running as iotawatt: $command $*"
  # shellcheck disable=SC2086  # the unit's command line, split as systemd splits it (no quotes in it)
  setpriv --reuid=iotawatt --regid=iotawatt --init-groups --no-new-privs --inh-caps=-all $command "$@" >"$log" 2>&1 &
  pid=$!
  status=""
  for _ in $(seq 1 100); do
    status=$(curl -sf "http://127.0.0.1:$port/status?device&stats&inputs" 2>/dev/null) && break
    sleep 0.2
  done
}
check_web_app() {
  check "/ serves the web app ($1)" bash -c "curl -sf http://127.0.0.1:$port/ | grep -q '/vendor/uplot/uPlot.min.css'"
  check "/vendor/uplot/uPlot.esm.js served ($1)" curl -sf -o /dev/null "http://127.0.0.1:$port/vendor/uplot/uPlot.esm.js"
}
stop_daemon() {  # stop_daemon WHAT
  kill -TERM "$pid" 2>/dev/null
  wait "$pid"
  check "stopped cleanly on SIGTERM ($1)" test $? -eq 0
}

# The conffile names the v5 board; this machine has no /dev/spidev0.0 (were it there, the
# daemon would measure with it and this check says so).
if [ -e /dev/spidev0.0 ]; then
  echo "this machine has /dev/spidev0.0: the unavailable-ADC checks do not apply"
else
  start_daemon
  check "conffile: /status answers with the v5 board's device (IotaWatt)" \
    python3 -c 'import json, sys; d = json.loads(sys.argv[1]); assert d["device"]["name"] == "IotaWatt", d["device"]' "$status"
  check "conffile: /status names the missing /dev/spidev0.0 and dtparam=spi=on" python3 -c '
import json, sys
e = json.loads(sys.argv[1])["stats"]["sampling"]["error"]
assert "/dev/spidev0.0" in e and "No such file or directory" in e and "dtparam=spi=on" in e, e' "$status"
  check_web_app "conffile"
  sleep 3
  check "conffile: the daemon keeps running without its ADC" kill -0 "$pid"
  check "conffile: the message log says what is missing" \
    bash -c "curl -sf http://127.0.0.1:$port/iotawatt/iotamsgs.txt | grep -q 'cannot open /dev/spidev0.0'"
  stop_daemon "conffile"
  [ "$failed" -eq 0 ] || sed 's/^/  daemon: /' "$log" | tail -20
fi

# Measuring: the unit's command with the simulator's example config.
start_daemon --config /usr/share/iotawatt/examples/simulator-custom.json
check "simulator: /status answers JSON with its device (SimHouse)" \
  python3 -c 'import json, sys; d = json.loads(sys.argv[1]); assert d["device"]["name"] == "SimHouse", d["device"]' "$status"
check_web_app "simulator"
sleep 6  # one 5 s datalog record
stop_daemon "simulator"
check "datalog written by iotawatt in /var/lib/iotawatt" \
  bash -c 'test -n "$(find /var/lib/iotawatt/datalog -type f -user iotawatt | head -1)"'
[ "$failed" -eq 0 ] || sed 's/^/  daemon: /' "$log" | tail -20
rm -f "$log"

# --- remove keeps data and conffile; purge leaves nothing
check "dpkg -r" dpkg_locked -r iotawatt
check "remove: /usr/bin/iotawatt gone" test ! -e /usr/bin/iotawatt
check "remove: /var/lib/iotawatt kept" test -d /var/lib/iotawatt/datalog
check "remove: /etc/iotawatt/config.json kept" test -f /etc/iotawatt/config.json
check "dpkg --purge" dpkg_locked --purge iotawatt
for path in /usr/bin/iotawatt /usr/share/iotawatt /usr/share/doc/iotawatt /etc/iotawatt /var/lib/iotawatt \
  "$unit" /etc/systemd/system/multi-user.target.wants/iotawatt.service; do
  check "purge: $path gone" test ! -e "$path"
done
check "purge: dpkg knows no iotawatt" bash -c '! dpkg-query -W -f="\${Status}" iotawatt 2>/dev/null | grep -q installed'
finish
