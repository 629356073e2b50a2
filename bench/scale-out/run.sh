#!/usr/bin/env bash
# Throughput of one Redis-backed deployment on this machine: a private redis-server, one API node and
# WORKERS worker processes (each with THREADS inference threads), JOBS jobs of the images in IMAGES_DIR.
# usage: [EXTRA="--SuperRes:Queue:Heartbeat=00:00:00.5"] bench/scale-out/run.sh IMAGES_DIR [WORKERS=1] [THREADS=0 (all cores)] [JOBS=20] [MODEL=esrgan-thick]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
images=$(cd "$1" && pwd); workers=${2:-1}; threads=${3:-0}; jobs=${4:-20}; model=${5:-esrgan-thick}
port=$((20000 + RANDOM % 20000)); api_port=$((port + 1))
work=$(mktemp -d)
pids=()
cleanup() { kill "${pids[@]}" 2>/dev/null || true; redis-cli -p "$port" shutdown nosave >/dev/null 2>&1 || true; rm -rf "$work"; }
trap cleanup EXIT

scripts/setup redis-server >/dev/null
dotnet build src/SuperRes.Cli -c Release -v q --nologo >/dev/null
cli=(dotnet src/SuperRes.Cli/bin/Release/net10.0/linux-x64/SuperRes.Cli.dll)
redis-server --port "$port" --bind 127.0.0.1 --save "" --dir "$work" --daemonize yes >/dev/null
export SUPERRES__Queue__Redis="127.0.0.1:$port"
"${cli[@]}" serve --role api --urls "http://127.0.0.1:$api_port" --SuperRes:Cache:MaxBytes=0 --SuperRes:Jobs:QueueCapacity=1000 >"$work/api.log" 2>&1 &
pids+=($!)
for i in $(seq "$workers"); do
  # shellcheck disable=SC2086  # EXTRA: more --SuperRes:Key=value settings for the workers
  "${cli[@]}" worker --SuperRes:Preload:0="$model":3 --SuperRes:Threads="$threads" --SuperRes:Cache:MaxBytes=0 ${EXTRA:-} >"$work/worker$i.log" 2>&1 &
  pids+=($!)
done
for i in $(seq "$workers"); do
  until grep -q "Ready" "$work/worker$i.log"; do sleep 0.2; done
done
until curl -sf "http://127.0.0.1:$api_port/readyz" >/dev/null; do sleep 0.2; done
echo "$workers worker process(es) x ${threads/#0/all} thread(s), model $model"
python3 bench/scale-out/jobs.py "$images" --api "http://127.0.0.1:$api_port" --jobs "$jobs" --model "$model"
grep -ho "longest gap between claim renewals [0-9.]* s" "$work"/worker*.log | sort -k6 -n | tail -1 | sed 's/^/worst /'
