#!/usr/bin/env bash
# A 100 MP JPEG (10000x10000, made from a Debian wallpaper) upscaled x2 with the default model, as one whole process:
# prints the peak resident memory against the decoded output's own size (20000x20000x3 bytes = 1.2 GB), the budget
# being that plus 500 MB. Needs libvips-tools and a wallpaper package (mate-backgrounds); about ten minutes on 2 cores.
# usage: bench/large/run.sh [SIDE] [SCALE]   (defaults 10000 and 2)
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
side="${1:-10000}"
scale="${2:-2}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
source_picture="$(find /usr/share/backgrounds /usr/share/wallpapers -name '*.jpg' -size +500k 2>/dev/null | sort | head -1)"
[[ -n "$source_picture" ]] || { echo "no wallpaper JPEG found: install mate-backgrounds" >&2; exit 1; }
vips thumbnail "$source_picture" "$work/in.jpg[Q=90]" "$side" --height "$side" --size force
"$repo/superres" --version >/dev/null # builds the CLI outside the measurement
megapixels=$(( side * side / 1000000 + 1 ))
/usr/bin/time -v "$repo/superres" upscale "$work/in.jpg" -o "$work/out.jpg" -s "$scale" --max-megapixels "$megapixels" \
  2> "$work/time.txt" | tail -1
peak_kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/time.txt")
wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$work/time.txt")
output_mb=$(( side * scale * side * scale * 3 / 1000000 ))
# time -v gives KiB; every figure here is in MB of 10^6 bytes, as the budget is.
echo "input ${side}x${side} ($(stat -c %s "$work/in.jpg") bytes), x$scale: wall $wall, peak $(( peak_kb * 1024 / 1000000 )) MB;" \
  "decoded output $output_mb MB, budget $(( output_mb + 500 )) MB"
