#!/usr/bin/env python3
"""Plots PSNR against multiply-adds per input pixel (log scale) on Set5 and Set14, from quality.csv.

usage: /usr/bin/python3 bench/results/plot_quality_cost.py   (writes bench/results/quality-cost.png)
bench/results/run.sh measures the numbers (`superres bench quality` and `superres bench speed`) and calls this.
Bicubic has no multiply-adds to speak of: it is drawn as a dotted line per scale.
"""
import csv
import os

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

here = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(here, "quality.csv"), newline="") as f:
    rows = list(csv.DictReader(f))

markers = {"2": "s", "3": "o", "4": "^"}
colours = {}
fig, axes = plt.subplots(1, 2, figsize=(12, 5), dpi=100)
for ax, dataset in zip(axes, ("set5", "set14")):
    for r in rows:
        psnr = float(r[f"{dataset}_psnr"])
        if not r["macs_per_input_pixel"]:
            ax.axhline(psnr, linestyle=":", color="grey", linewidth=1)
            ax.annotate(f"bicubic x{r['scale']}", (1.2e5, psnr), fontsize=7, color="grey", xytext=(0, 2), textcoords="offset points")
            continue
        colour = colours.setdefault(r["model"], f"C{len(colours)}")
        ax.scatter(float(r["macs_per_input_pixel"]), psnr, marker=markers[r["scale"]], color=colour, s=45,
                   label=r["model"] if r["scale"] == "3" else None)
        ax.annotate(f"x{r['scale']}", (float(r["macs_per_input_pixel"]), psnr), fontsize=7, xytext=(5, -3), textcoords="offset points")
    ax.set_xscale("log")
    ax.set_xlim(1e5, 2e7)
    ax.set_xlabel("multiply-adds per input pixel (log)")
    ax.set_ylabel(f"{'Set5' if dataset == 'set5' else 'Set14'} PSNR on Y (dB)")
    ax.set_title(f"{'Set5' if dataset == 'set5' else 'Set14'}: higher and further left is better")
    ax.grid(True, which="both", alpha=0.3)
axes[0].legend(fontsize=8, loc="lower right")
fig.tight_layout()
fig.savefig(os.path.join(here, "quality-cost.png"))
print("wrote", os.path.join(here, "quality-cost.png"))
