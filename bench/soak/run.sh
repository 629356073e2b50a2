#!/usr/bin/env bash
# The issue's soak: `superres serve` on the default model with its default settings (cache on: every input is
# new, so it never answers), 16 clients for 10 minutes, half synchronous and half jobs; then the plot.
# usage: bench/soak/run.sh [MINUTES=10] [CLIENTS=16] [OUT=bench/soak/results]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
minutes=${1:-10}; clients=${2:-16}; out=${3:-bench/soak/results}
port=$((20000 + RANDOM % 20000))
log=$(mktemp)
scripts/setup python3-matplotlib >/dev/null
dotnet build src/SuperRes.Cli -c Release -v q --nologo >/dev/null
dotnet src/SuperRes.Cli/bin/Release/net10.0/linux-x64/SuperRes.Cli.dll serve --urls "http://127.0.0.1:$port" >"$log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; rm -f "$log"' EXIT
until curl -sf "http://127.0.0.1:$port/readyz" >/dev/null; do
  kill -0 "$server" 2>/dev/null || { cat "$log"; exit 1; }
  sleep 0.2
done
python3 bench/soak/soak.py "http://127.0.0.1:$port" --minutes "$minutes" --clients "$clients" --out "$out"
kill -0 "$server" || { echo "the server died:"; cat "$log"; exit 1; }
/usr/bin/python3 bench/soak/plot.py "$out"
