#!/usr/bin/env bash
# Installs what is missing, builds, and starts the demo daemon on the panel simulator
# (household, 230 V 50 Hz, 14 circuits) at http://127.0.0.1:8080, with a week of seeded
# history in demo-data/. Ctrl-C stops it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh release
mkdir -p demo-data
# A week of history first, so the logs (and later the graphs) have something to show.
if [ ! -d demo-data/datalog/current ]; then
  ./build/iotawatt seed --scenario household-230v-50hz --days 7 --data demo-data
fi
exec ./build/iotawatt run --data demo-data --http "${IOTAWATT_HTTP:-127.0.0.1:8080}" \
  --sim household-230v-50hz "$@"
