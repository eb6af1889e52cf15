#!/usr/bin/env bash
# The HTTP edge under abuse while the daemon samples: 500 slow connections, a chunked flood, a
# header flood and 5 000 password guesses at once, and a fresh client's /status latency
# meanwhile. Prints a table (targets: p99 < 100 ms, RSS within 20 MB, 0 dropped cycles).
#   bench/http_abuse.sh [--duration S] [--port P] [--binary PATH]
set -euo pipefail
cd "$(dirname "$0")/.."
exec /usr/bin/python3 bench/http_abuse.py "$@"
