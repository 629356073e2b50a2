#!/usr/bin/env bash
# Reproduces models/superres-photo-x3.onnx (and its checked int8 copy) on 2 CPU cores: the shipped superres-edsr x3
# fine-tuned on photos as people upload them. Each LR patch is damaged as degrade.py describes (a random downscale
# kernel, blur, Gaussian or Poisson noise, JPEG quality 30-95 with 4:2:0 chroma, sometimes saved twice), and the loss
# is L1 to the clean HR; no teacher. Starts from the shipped ONNX, so no checkpoint is needed.
# Needs what superres-edsr.sh installs (Debian's python3-torch and the wallpaper packages); resumable with --resume.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
py=/usr/bin/python3
"$py" -m superres_train train --include recipes/wallpaper-photos.txt \
  --data /usr/share/wallpapers /usr/share/backgrounds /usr/share/palapeli/collection --hr-scale 0.5 0.35 --min-detail 3 \
  --seed 3 --arch edsr --blocks 12 --features 48 --scale 3 --steps 3000 --lr 2e-4 --warmup 100 \
  --init ../models/superres-edsr-x3.onnx --degrade --checkpoint-dir runs/superres-photo-x3 --save-every 100 --val-every 500 --resume
"$py" -m superres_train export runs/superres-photo-x3/last.pt -o ../models/superres-photo-x3.onnx
# The int8 copy beside it, kept only when the quantizer's guard (0.1 dB) accepts it.
../superres models quantize ../models/superres-photo-x3.onnx -o ../models/superres-photo-x3.int8.onnx || true
