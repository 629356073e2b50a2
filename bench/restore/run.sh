#!/usr/bin/env bash
# Restoration on damaged photos: every degradation of the README's table, bicubic, superres-edsr at each fixed
# restoration strength 0, 0.1, ..., 1 and at auto, on Set5 and Set14 (the protocol's LR, then the damage, seeded).
# Writes bench/restore/json/*.json, then restore.csv (Set5 and Set14 averaged per image set, then the two averaged)
# and the README's table (table.md), and strength.png (quality against strength, one line per degradation).
# usage: bench/restore/run.sh DATASETS_DIR [SCALE] [--quick|--auto]   (DATASETS_DIR holds Set5/ and Set14/; --quick: 0, 0.5, 1
# and auto only; --auto: auto only, after a change to the automatic strength, the fixed strengths' results kept)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
datasets=$(cd "$1" && pwd)
scale=${2:-3}
strengths=(0 0.1 0.2 0.3 0.4 0.5 0.6 0.7 0.8 0.9 1 auto)
[[ ${3:-} == --quick ]] && strengths=(0 0.5 1 auto)
[[ ${3:-} == --auto ]] && strengths=(auto)
degradations=(clean jpeg:95 jpeg:90 jpeg:85 jpeg:75 jpeg:60 jpeg:50 jpeg:40 jpeg:30 noise:5,jpeg:85 noise:10,jpeg:85 noise:5 noise:10 blur:1,jpeg:75)
# DEGRADATIONS="clean jpeg:60 ..." runs a subset (the x4 table's).
[[ -n ${DEGRADATIONS:-} ]] && read -r -a degradations <<<"$DEGRADATIONS"
out=bench/restore/json
mkdir -p "$out"
for d in "${degradations[@]}"; do
  args=()
  [[ $d != clean ]] && args=(--degrade "$d")
  for set in Set5 Set14; do
    name="$set-x$scale-${d//[:,]/_}"
    echo "$name" >&2
    ./superres bench quality --dataset "$datasets/$set" -s "$scale" -m bicubic "${args[@]}" --json >"$out/$name-bicubic.json"
    for s in "${strengths[@]}"; do
      # fp32 throughout: the strengths are about the weights, and on VNNI CPUs strength 0 would otherwise run the
      # shipped int8 copy while the mixes run in fp32.
      ./superres bench quality --dataset "$datasets/$set" -s "$scale" --restore "$s" --precision fp32 "${args[@]}" --json >"$out/$name-restore-$s.json"
    done
  done
done
/usr/bin/python3 bench/restore/collect.py "$scale"
