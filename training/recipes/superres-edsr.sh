#!/usr/bin/env bash
# Reproduces the bundled superres-edsr models (models/superres-edsr-x{2,3,4}.onnx) on 2 CPU cores:
# 8x48 x3 from scratch, then x2 and x4 starting from the x3 body (only the upsampler is new); then the shipped
# 12x48 models, grown from the 8x48 of their scale (4 added blocks that start as identities) and distilled from CARN-M.
# The teacher is needed for training only: SUPERRES_TEACHERS names its folder (default ../shared/models/teachers
# beside the repository; CARN-M, MIT licence, Copyright (c) 2018 Namhyuk Ahn).
# Trains on the photographs listed in wallpaper-photos.txt, from Debian's wallpaper packages and palapeli-data
# (installed here when missing), with Debian's python3-torch, python3-onnx, python3-pil and python3-matplotlib
# (installed here too), and OpenBLAS in place of the reference BLAS python3-torch is otherwise linked to: the
# teacher's 1x1 convolutions are matrix products, about 4x faster with it.
# Each run is resumable: run this again after an interruption and it continues from the last checkpoint.
# The first x3 and x4 distillation runs were made when the teacher ran on each patch; it now runs once per whole
# picture (targets differ near a patch's edge, where it saw zero padding), so a rerun lands close to the shipped weights.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

as_root() { if [[ $(id -u) -eq 0 ]]; then "$@"; else sudo "$@"; fi; }
missing=()
for pkg in python3-torch python3-onnx python3-numpy python3-pil python3-matplotlib libopenblas0-openmp \
           plasma-workspace-wallpapers mate-backgrounds gnome-backgrounds lomiri-wallpapers-16.04 lomiri-wallpapers-20.04 palapeli-data; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if (( ${#missing[@]} )); then
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

py=/usr/bin/python3   # Debian's interpreter, the one python3-torch is installed for
common=(--include recipes/wallpaper-photos.txt --arch edsr --blocks 8 --features 48 --seed 1 --hr-scale 0.5 --min-detail 3)

"$py" -m superres_train train "${common[@]}" --scale 3 --steps 7000 --lr 8e-4 --checkpoint-dir runs/edsr-8x48-x3 --resume
for s in 4 2; do
  "$py" -m superres_train train "${common[@]}" --scale "$s" --steps 2000 --lr 4e-4 --warmup 50 \
    --init runs/edsr-8x48-x3/last.pt --checkpoint-dir "runs/edsr-8x48-x$s" --resume
done
teachers=${SUPERRES_TEACHERS:-../../shared/models/teachers}
# distill SCALE STEPS LR FROM RUN [OPTIONS]: a 12x48 from checkpoint FROM, with CARN-M of that scale as teacher;
# OPTIONS come last, so they override the defaults here.
distill() {
  local s=$1 steps=$2 lr=$3 from=$4 run=$5
  shift 5
  "$py" -m superres_train train "${common[@]}" --blocks 12 --scale "$s" --steps "$steps" --lr "$lr" \
    --teacher "$teachers/CARN-M_x$s.onnx" --teacher-weight 0.5 --init "$from" \
    --checkpoint-dir "$run" --save-every 100 --val-every 500 --resume "$@"
}
distill 3 3500 4e-4 runs/edsr-8x48-x3/last.pt runs/edsr-12x48-x3-distilled
distill 4 1200 4e-4 runs/edsr-8x48-x4/last.pt runs/edsr-12x48-x4-distilled --val-every 300
distill 2 3500 4e-4 runs/edsr-8x48-x2/last.pt runs/edsr-12x48-x2-distilled
# x3 and x4 then go on with the teacher's whole-picture targets and each photo at two downscales.
distill 3 4000 3e-4 runs/edsr-12x48-x3-distilled/last.pt runs/edsr-12x48-x3-distilled-2 --hr-scale 0.5 0.35
distill 4 2000 2e-4 runs/edsr-12x48-x4-distilled/last.pt runs/edsr-12x48-x4-distilled-2 --hr-scale 0.5 0.35
# Then a third run each, with palapeli-data's photographs too (2 more pass the 1000 px bound) and a third downscale.
photos=(--data /usr/share/wallpapers /usr/share/backgrounds /usr/share/palapeli/collection --hr-scale 0.5 0.35 0.7)
distill 3 7000 2e-4 runs/edsr-12x48-x3-distilled-2/last.pt runs/edsr-12x48-x3-distilled-3 "${photos[@]}"
distill 4 3000 2e-4 runs/edsr-12x48-x4-distilled-2/last.pt runs/edsr-12x48-x4-distilled-3 "${photos[@]}"
# A fourth run each learns more from the teacher: its 8-orientation mean as target (--teacher-ensemble; CARN-M x3 scores
# 0.15 dB more on Set5 that way) at weight 0.75, as the held-out photos and Set5 had drifted apart with weight 0.5.
distill 3 5500 2e-4 runs/edsr-12x48-x3-distilled-3/last.pt runs/edsr-12x48-x3-distilled-4 "${photos[@]}" \
  --teacher-ensemble --teacher-weight 0.75
distill 4 3000 2e-4 runs/edsr-12x48-x4-distilled-3/last.pt runs/edsr-12x48-x4-distilled-4 "${photos[@]}" \
  --teacher-ensemble --teacher-weight 0.75
# A fifth x3 run on 64x64 patches at a lower rate: more of each patch's output sees its whole receptive field.
distill 3 2000 1e-4 runs/edsr-12x48-x3-distilled-4/last.pt runs/edsr-12x48-x3-distilled-5 "${photos[@]}" \
  --teacher-ensemble --teacher-weight 0.75 --warmup 50 --patch 64
# A sixth with the teacher at 0.9 of the loss: each larger share has lifted Set5 (Set14 less).
distill 3 1800 1e-4 runs/edsr-12x48-x3-distilled-5/last.pt runs/edsr-12x48-x3-distilled-6 "${photos[@]}" \
  --teacher-ensemble --teacher-weight 0.9 --warmup 50 --patch 64
# The x3 line has trained twice as long (20,000 distillation steps against 9,200), so the x4 then takes its body
# (--init) with the x4's own trained upsampler (--init-upsampler): 2000 steps at 4e-4, 1200 at 1e-4, then 3000 at 2e-4.
distill 4 2000 4e-4 runs/edsr-12x48-x3-distilled-4/last.pt runs/edsr-12x48-x4-from-x3 "${photos[@]}" \
  --teacher-ensemble --teacher-weight 0.75 --warmup 50 --init-upsampler runs/edsr-12x48-x4-distilled-4/last.pt
distill 4 1200 1e-4 runs/edsr-12x48-x4-from-x3/last.pt runs/edsr-12x48-x4-from-x3-2 "${photos[@]}" \
  --teacher-ensemble --teacher-weight 0.75
distill 4 3000 2e-4 runs/edsr-12x48-x4-from-x3-2/last.pt runs/edsr-12x48-x4-from-x3-3 "${photos[@]}" \
  --teacher-ensemble --teacher-weight 0.75
# x2 then goes on in one run with what the x3 line learnt step by step: whole-picture targets, the 43 photographs at
# three downscales and the teacher at 0.75 (its single pass: the 8-orientation mean would take about 80 min at x2).
distill 2 3000 2e-4 runs/edsr-12x48-x2-distilled/last.pt runs/edsr-12x48-x2-distilled-2 "${photos[@]}" \
  --teacher-weight 0.75 --warmup 50
# And x4 a last run as the sixth x3: 64x64 patches, teacher at 0.9, 1e-4.
distill 4 1800 1e-4 runs/edsr-12x48-x4-from-x3-3/last.pt runs/edsr-12x48-x4-from-x3-4 "${photos[@]}" \
  --teacher-ensemble --teacher-weight 0.9 --warmup 50 --patch 64 --val-every 600
# Then x3 goes on as the same network re-parameterised (--arch edsr-rep: each 3x3 conv trained as a sum of 1x1,
# expanding and edge branches, all merged into the one 3x3 at export): 6000 steps at 1.5e-4, then 4000 at 1e-4,
# 48x48 patches, the photos at 0.5 and 0.35.
rep=(--data /usr/share/wallpapers /usr/share/backgrounds /usr/share/palapeli/collection --hr-scale 0.5 0.35 --arch edsr-rep
     --teacher-ensemble --teacher-weight 0.9)
distill 3 6000 1.5e-4 runs/edsr-12x48-x3-distilled-6/last.pt runs/edsr-12x48-x3-rep "${rep[@]}"
distill 3 4000 1e-4 runs/edsr-12x48-x3-rep/last.pt runs/edsr-12x48-x3-rep-2 "${rep[@]}"
# A third with the photos at 0.7 too (their teacher targets are made at its start): 3000 steps at 1e-4.
distill 3 3000 1e-4 runs/edsr-12x48-x3-rep-2/last.pt runs/edsr-12x48-x3-rep-3 "${rep[@]}" --hr-scale 0.5 0.35 0.7
# And a fourth on 64x64 patches, as the fifth plain run: 1500 steps at 1e-4.
distill 3 1500 1e-4 runs/edsr-12x48-x3-rep-3/last.pt runs/edsr-12x48-x3-rep-4 "${rep[@]}" --hr-scale 0.5 0.35 0.7 \
  --patch 64 --warmup 50
"$py" -m superres_train export runs/edsr-12x48-x2-distilled-2/last.pt -o ../models/superres-edsr-x2.onnx
"$py" -m superres_train export runs/edsr-12x48-x3-rep-4/last.pt -o ../models/superres-edsr-x3.onnx
"$py" -m superres_train export runs/edsr-12x48-x4-from-x3-4/last.pt -o ../models/superres-edsr-x4.onnx
