#!/usr/bin/env bash
# Side by side: the well-known recipe's stack (Python + Debian's python3-opencv, cv2.dnn_superres / cv2.dnn)
# against SuperRes, on the same model file and the same images, in one run. Prints both and the ratio.
#
# usage: bench/side-by-side/run.sh MODEL IMAGES_DIR [SCALE] [REPEAT]
#   MODEL: an OpenCV zoo .pb (e.g. ../shared/models/opencv-zoo/FSRCNN_x3.pb), an .onnx file, or a SuperRes
#          catalog model name (e.g. esrgan-thick; its converted ONNX file from the model store is used)
#   IMAGES_DIR: low-resolution inputs (e.g. ../shared/datasets/Set5/LR_bicubic/X3)
#   REPEAT: each image is processed this many times (default 1), so a batch of a fast model is not all start-up
#   PRECISION: SuperRes's --precision (default auto: int8 where a checked copy exists and the CPU has VNNI)
#   SUPERRES_MODEL: what SuperRes is given as -m (default: the same file), e.g. the name a .pb was imported
#          under ('superres models import EDSR_x3.pb' converts it to ONNX; the recipe keeps running the .pb)
# Both sides are timed as whole processes (start-up, model load, read, upscale, write), one after the other.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
model="${1:?usage: run.sh MODEL IMAGES_DIR [SCALE]}"
images="${2:?usage: run.sh MODEL IMAGES_DIR [SCALE]}"
scale="${3:-3}"
repeat="${4:-1}"
precision="${5:-auto}"
superres_model="${6:-}"

as_root() { if [[ $(id -u) -eq 0 ]]; then "$@"; else sudo "$@"; fi; }
if ! /usr/bin/python3 -c 'import cv2, numpy, onnx; cv2.dnn_superres' >/dev/null 2>&1; then
  # Debian's own interpreter and OpenCV: the recipe's stack as a Debian user gets it.
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3-opencv python3-numpy python3-onnx >/dev/null
fi
python=/usr/bin/python3
"$repo/scripts/setup" >/dev/null
"$repo/superres" models list >/dev/null # builds the CLI once, outside the timings

if [[ "$model" != *.pb && "$model" != *.onnx ]]; then
  store="${SUPERRES_MODELS:-${XDG_CACHE_HOME:-$HOME/.cache}/superres/models}"
  "$repo/superres" models pull "$model" >/dev/null
  model="$store/$model/x$scale.onnx"
fi
superres_model="${superres_model:-$model}"
name="$(basename "$model")"
algorithm="$(echo "$name" | sed -E 's/[-_].*//' | tr 'A-Z' 'a-z')"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

mkdir -p "$work/in"
for ((i = 0; i < repeat; i++)); do
  for f in "$images"/*; do cp "$f" "$work/in/r${i}_$(basename "$f")"; done
done
count=$(ls "$work/in" | wc -l)
echo "Model $name, x$scale, $count images ($(ls "$images" | wc -l) from $images, $repeat time(s) each), $(nproc) cores"

t0=$(date +%s.%N)
python_json="$("$python" "$here/recipe_stack.py" "$model" "$work/in" "$work/python" --algorithm "$algorithm" --scale "$scale")"
t1=$(date +%s.%N)
"$repo/superres" upscale "$work/in" -o "$work/superres" -s "$scale" -m "$superres_model" --precision "$precision" --format png >"$work/superres.log" 2>&1
t2=$(date +%s.%N)
echo "recipe stack, Python + OpenCV $("$python" -c 'import cv2; print(cv2.__version__)'): $python_json"
echo "SuperRes: $(grep -E '^Model' "$work/superres.log")"

"$python" - "$(echo "$t1 - $t0" | bc -l)" "$(echo "$t2 - $t1" | bc -l)" "$count" <<'PY'
import sys
python_total, superres_total, count = float(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3])
print(f"whole run: recipe stack {python_total:.2f} s ({python_total / count:.3f} s per image), "
      f"SuperRes {superres_total:.2f} s ({superres_total / count:.3f} s per image)")
print(f"ratio: SuperRes is {python_total / superres_total:.2f}x the recipe stack's speed")
PY
