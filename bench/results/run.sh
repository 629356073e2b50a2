#!/usr/bin/env bash
# Quality and cost of every catalog model (and bicubic) on Set5 and Set14 at x2, x3 and x4, through the whole
# pipeline: writes bench/results/json/*.json, then quality.csv, the README's table and quality-cost.png.
# usage: bench/results/run.sh DATASETS_DIR [MODEL ...]   (DATASETS_DIR holds Set5/ and Set14/)
# One process at a time: the seconds per image are only comparable on an otherwise idle machine.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
datasets=$(cd "$1" && pwd); shift
models=("$@")
(( ${#models[@]} )) || models=(bicubic esrgan-slim esrgan-medium esrgan-thick superres-edsr)
scripts/setup python3-matplotlib >/dev/null  # the plot
out=bench/results/json
mkdir -p "$out"
for model in "${models[@]}"; do
  for scale in 2 3 4; do
    for set in Set5 Set14; do
      echo "$model x$scale $set" >&2
      ./superres bench quality --dataset "$datasets/$set" -s "$scale" -m "$model" --json >"$out/$model-$set-x$scale.json"
    done
    if [[ $model != bicubic ]]; then
      ./superres bench speed -m "$model" -s "$scale" --sizes 32 --concurrency 1 --repeats 1 --json 2>/dev/null \
        | sed -n '/^{/,$p' >"$out/$model-cost-x$scale.json"
    fi
  done
done
/usr/bin/python3 bench/results/collect.py
/usr/bin/python3 bench/results/plot_quality_cost.py
