#!/usr/bin/env bash
# Side by side: the well-known recipe's stack (Python + Debian's python3-opencv, cv2.dnn_superres / cv2.dnn)
# against SuperRes, on the same model file and the same images, in one run. Prints both and the ratio.
#
# usage: bench/side-by-side/run.sh MODEL IMAGES_DIR [SCALE]
#   MODEL: an OpenCV zoo .pb (e.g. ../shared/models/opencv-zoo/FSRCNN_x3.pb), an .onnx file, or a SuperRes
#          catalog model name (e.g. esrgan-thick; its converted ONNX file from the model store is used)
#   IMAGES_DIR: low-resolution inputs (e.g. ../shared/datasets/Set5/LR_bicubic/X3)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
model="${1:?usage: run.sh MODEL IMAGES_DIR [SCALE]}"
images="${2:?usage: run.sh MODEL IMAGES_DIR [SCALE]}"
scale="${3:-3}"

as_root() { if [[ $(id -u) -eq 0 ]]; then "$@"; else sudo "$@"; fi; }
if ! python3 -c 'import cv2, numpy; cv2.dnn_superres' >/dev/null 2>&1; then
  # Debian's own interpreter and OpenCV: the recipe's stack as a Debian user gets it.
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3-opencv python3-numpy >/dev/null
fi
python=/usr/bin/python3
"$repo/scripts/setup" >/dev/null
"$repo/superres" models list >/dev/null # builds the CLI once, outside the timings

if [[ "$model" != *.pb && "$model" != *.onnx ]]; then
  store="${SUPERRES_MODELS:-${XDG_CACHE_HOME:-$HOME/.cache}/superres/models}"
  "$repo/superres" models pull "$model" >/dev/null
  model="$store/$model/x$scale.onnx"
fi
name="$(basename "$model")"
algorithm="$(echo "$name" | sed -E 's/[-_].*//' | tr 'A-Z' 'a-z')"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

echo "Model $name, images $(ls "$images" | wc -l) from $images, x$scale, $(nproc) cores"
python_json="$("$python" "$here/recipe_stack.py" "$model" "$images" "$work/python" --algorithm "$algorithm" --scale "$scale")"
echo "recipe stack (Python, OpenCV $("$python" -c 'import cv2; print(cv2.__version__)')): $python_json"

start=$(date +%s.%N)
"$repo/superres" upscale "$images" -o "$work/superres" -s "$scale" -m "$model" --format png >"$work/superres.log" 2>&1
end=$(date +%s.%N)
count=$(ls "$work/superres" | wc -l)
superres_total=$(echo "$end - $start" | bc -l)
echo "SuperRes: $(grep -E '^Model' "$work/superres.log"); total $(printf '%.2f' "$superres_total") s for $count images"

"$python" - "$python_json" "$superres_total" "$count" <<'PY'
import json, sys
py = json.loads(sys.argv[1]); total = float(sys.argv[2]); count = int(sys.argv[3])
print(f"per image, whole run (load + read + upscale + write): recipe stack {py['total_seconds'] / py['images']:.3f} s, "
      f"SuperRes {total / count:.3f} s; SuperRes is {py['total_seconds'] / total:.2f}x the recipe stack's speed")
PY
