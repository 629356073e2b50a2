"""The README's picture: a crop of a JPEG-50 input upscaled x3 as bicubic | superres-edsr | auto, side by side.

usage: /usr/bin/python3 bench/restore/picture.py DATASETS_DIR   (writes bench/restore/jpeg50-monarch.png)
The input is Set14's monarch at the protocol's LR x3, saved at JPEG quality 50 with libjpeg's standard tables and
4:2:0 chroma (Pillow's defaults), as a web page would have saved it; SuperRes runs in fp32, as the table does.
"""
import os
import subprocess
import sys
import tempfile

from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
SUPERRES = os.path.join(HERE, "..", "..", "superres")
CROP = (330, 120, 660, 450)  # output pixels: a wing's veins and spots, where block edges show
GAP = 8


def upscale(jpeg, out, *args):
    run = subprocess.run([SUPERRES, "upscale", jpeg, "-s", "3", "--precision", "fp32", "-o", out, *args],
                         check=True, capture_output=True, text=True)
    return run.stdout + run.stderr


def main(datasets):
    with tempfile.TemporaryDirectory() as work:
        jpeg = os.path.join(work, "monarch.jpg")
        lr = Image.open(os.path.join(datasets, "Set14", "LR_bicubic", "X3", "monarch.png")).convert("RGB")
        lr.save(jpeg, quality=50, subsampling=2)
        damaged = Image.open(jpeg).convert("RGB")
        panels = [damaged.resize((damaged.width * 3, damaged.height * 3), Image.BICUBIC)]
        upscale(jpeg, os.path.join(work, "edsr.png"), "--restore", "0")
        log = upscale(jpeg, os.path.join(work, "auto.png"))
        panels += [Image.open(os.path.join(work, name)).convert("RGB") for name in ("edsr.png", "auto.png")]
        crops = [p.crop(CROP) for p in panels]
        w, h = crops[0].size
        sheet = Image.new("RGB", (3 * w + 2 * GAP, h), "white")
        for i, crop in enumerate(crops):
            sheet.paste(crop, (i * (w + GAP), 0))
        # A 128-colour palette, as the other plots in the tree: a third of the bytes, no visible change at this size.
        sheet.quantize(128, dither=Image.Dither.NONE).save(os.path.join(HERE, "jpeg50-monarch.png"), optimize=True)
        print(next((line.strip() for line in log.splitlines() if "restore" in line), log.strip()))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "..", "..", "..", "shared", "datasets"))
