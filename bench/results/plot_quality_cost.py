#!/usr/bin/env python3
"""Plots Set5 PSNR against multiply-adds per input pixel (log scale) from quality-cost.csv, for the README.

usage: /usr/bin/python3 bench/results/plot_quality_cost.py   (writes bench/results/quality-cost.png)
The CSV holds numbers measured with `superres bench quality` (PSNR) and `superres bench speed` or the ONNX
metadata (MAC per input pixel); FSRCNN and ESPCN costs are counted from their published layer shapes.
"""
import csv
import os

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

here = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(here, "quality-cost.csv"), newline="") as f:
    rows = list(csv.DictReader(f))

fig, ax = plt.subplots(figsize=(8, 5), dpi=100)
for scale, marker in (("2", "s"), ("3", "o"), ("4", "^")):
    pts = [r for r in rows if r["scale"] == scale]
    ax.scatter([float(r["macs_per_input_pixel"]) for r in pts], [float(r["set5_psnr"]) for r in pts],
               marker=marker, label=f"x{scale}", s=40)
    for r in pts:
        ax.annotate(r["model"], (float(r["macs_per_input_pixel"]), float(r["set5_psnr"])), fontsize=7,
                    xytext=(4, 3), textcoords="offset points")
ax.set_xscale("log")
ax.set_xlabel("multiply-adds per input pixel (log)")
ax.set_ylabel("Set5 PSNR on Y (dB)")
ax.set_title("Quality against cost: higher and further left is better")
ax.grid(True, which="both", alpha=0.3)
ax.legend()
fig.tight_layout()
fig.savefig(os.path.join(here, "quality-cost.png"))
print("wrote", os.path.join(here, "quality-cost.png"))
