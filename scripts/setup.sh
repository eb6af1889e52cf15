#!/usr/bin/env bash
# Installs everything iotawatt needs to build, test and run on Debian 12.
# Idempotent: packages already present are left alone. Run as root (or with sudo).
set -euo pipefail

PACKAGES=(
  build-essential cmake ninja-build pkg-config git ccache
  libboost-dev               # the HTTP edge: Boost.Beast on Asio (header-only), TLS through OpenSSL
  libgtest-dev libgmock-dev libbenchmark-dev
  nlohmann-json3-dev libcpp-httplib-dev libcli11-dev libspdlog-dev libfmt-dev
  libcctz-dev libssl-dev libcurl4-openssl-dev libmosquitto-dev zlib1g-dev
  curl python3 tzdata
  python3-httpx              # tests/clients/home_assistant.py: Home Assistant's own HTTP client
  clang libclang-rt-14-dev   # scripts/fuzz.sh: libFuzzer (libclang_rt.fuzzer) and the sanitizers
  clang-format clang-tidy    # scripts/lint.sh: layout and names, in CI
  influxdb wrk               # bench/query_vs_influxdb.sh, bench/http_load.sh, bench/upload_backfill.sh,
                             # tests/app/influx_upload_e2e.py
  openssl ca-certificates    # tests make throwaway CAs (TLS transport, MQTT); libcurl's CA store
  mosquitto mosquitto-clients  # MQTT tests: a real broker on loopback
  python3-prometheus-client  # tests/app/metrics_parse.py: the official /metrics parser
  chromium fonts-dejavu-core # tests/web: the browser the web app's tests drive (playwright-core), a font for its screenshots
  libsystemd-dev             # sd_notify: READY and the watchdog under the systemd unit (app/service_notify.h)
  debhelper dpkg-dev fakeroot lintian  # scripts/package.sh (dpkg-buildpackage) and scripts/package_test.sh
)
# node and npm: the web app's npm packages (uPlot, playwright-core). A machine that already
# has a node (e.g. a newer one than Debian's) keeps it; playwright-core needs node >= 20.
command -v node >/dev/null 2>&1 || PACKAGES+=(nodejs)
command -v npm >/dev/null 2>&1 || PACKAGES+=(npm)

# shellcheck source=scripts/apt_install_missing.sh
source "$(dirname "$0")/apt_install_missing.sh"
apt_install_missing setup "${PACKAGES[@]}"

# The web app's npm packages, exactly as web/package-lock.json pins them: uPlot (served by the
# daemon under /vendor/uplot/) and playwright-core (the browser tests). Skipped when installed.
web_dir="$(cd "$(dirname "$0")/.." && pwd)/web"
if [ ! -f "$web_dir/node_modules/.package-lock.json" ] || [ "$web_dir/package-lock.json" -nt "$web_dir/node_modules/.package-lock.json" ]; then
  echo "setup: npm ci in web/"
  (cd "$web_dir" && npm ci --no-audit --no-fund)
else
  echo "setup: web/node_modules up to date"
fi
