#!/usr/bin/env bash
# The issue's drip test: `superres serve` with two API keys on its default settings; 16 connections drip uploads at
# 300 B/s under one key for 2 minutes while the other key's probe uploads a Set5 LR every 2 s.
# usage: bench/hardening/run.sh [MINUTES=2] [DRIPS=16] [OUT=bench/hardening/results/drip.json]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
minutes=${1:-2}; drips=${2:-16}; out=${3:-bench/hardening/results/drip.json}
mkdir -p "$(dirname "$out")"
. bench/lib/serve.sh
SUPERRES__Security__ApiKeys__0=drip-key-0123456789abcdef SUPERRES__Security__ApiKeys__1=probe-key-0123456789abcdef serve
image=../shared/datasets/Set5/LR_bicubic/X3/butterfly.png
python3 bench/hardening/drip.py "http://127.0.0.1:$port" "$image" --drip-key drip-key-0123456789abcdef \
  --probe-key probe-key-0123456789abcdef --drips "$drips" --minutes "$minutes" --out "$out"
