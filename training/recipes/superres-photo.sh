#!/usr/bin/env bash
# Reproduces models/superres-photo-x{2,3,4}.onnx (and the checked int8 copies) on 2 CPU cores: the shipped
# superres-edsr of the same scale fine-tuned on photos as people upload them. Each LR patch is damaged as degrade.py describes (a random downscale
# kernel, blur, Gaussian or Poisson noise, JPEG quality 30-95 with 4:2:0 chroma, sometimes saved twice), and the loss
# is L1 to the clean HR; no teacher. Starts from the shipped ONNX, so no checkpoint is needed.
# Needs what superres-edsr.sh installs (Debian's python3-torch and the wallpaper packages); resumable with --resume.
# Usage: superres-photo.sh [scale] [steps]   (scale 2, 3 or 4, default 3; steps default 3000: the shipped x4 ran 2000,
# its schedule shortened from 3000 at step 1025)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
py=/usr/bin/python3
s=${1:-3}
steps=${2:-3000}
"$py" -m superres_train train --include recipes/wallpaper-photos.txt \
  --data /usr/share/wallpapers /usr/share/backgrounds /usr/share/palapeli/collection --hr-scale 0.5 0.35 --min-detail 3 \
  --seed 3 --arch edsr --blocks 12 --features 48 --scale "$s" --steps "$steps" --lr 2e-4 --warmup 100 \
  --init ../models/superres-edsr-x$s.onnx --degrade --checkpoint-dir runs/superres-photo-x$s --save-every 100 --val-every 500 --resume
"$py" -m superres_train export runs/superres-photo-x$s/last.pt -o ../models/superres-photo-x$s.onnx
# The int8 copy beside it, kept only when the quantizer's guard (0.1 dB) accepts it.
../superres models quantize ../models/superres-photo-x$s.onnx -o ../models/superres-photo-x$s.int8.onnx || true
