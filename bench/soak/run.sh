#!/usr/bin/env bash
# The issue's soak: `superres serve` on the default model with its default settings (cache on: every input is
# new, so it never answers), 16 clients for 10 minutes, half synchronous and half jobs; then the plot.
# usage: bench/soak/run.sh [MINUTES=10] [CLIENTS=16] [OUT=bench/soak/results]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
minutes=${1:-10}; clients=${2:-16}; out=${3:-bench/soak/results}
scripts/setup python3-matplotlib >/dev/null
. bench/lib/serve.sh
serve
python3 bench/soak/soak.py "http://127.0.0.1:$port" --minutes "$minutes" --clients "$clients" --out "$out"
kill -0 "$server" || { echo "the server died during the soak"; exit 1; }
/usr/bin/python3 bench/soak/plot.py "$out"
