#!/usr/bin/env python3
"""Turns bench/results/json/*.json (written by run.sh) into quality.csv and prints the README's table.

Seconds per image are medians over the set's images (the mean would carry the first image's model load).
"""
import csv
import glob
import json
import os
import statistics

here = os.path.dirname(os.path.abspath(__file__))
rows = {}
for path in sorted(glob.glob(os.path.join(here, "json", "*-Set*-x*.json"))):
    with open(path) as f:
        run = json.load(f)
    key = (run["model"], run["scale"])
    row = rows.setdefault(key, {"model": run["model"], "scale": run["scale"], "macs_per_input_pixel": ""})
    name = run["dataset"].lower()
    row[f"{name}_psnr"] = round(run["meanPsnr"], 2)
    row[f"{name}_ssim"] = round(run["meanSsim"], 4)
    row[f"{name}_seconds"] = round(statistics.median(i["seconds"] for i in run["images"]), 3)
    cost = os.path.join(here, "json", f"{run['model']}-cost-x{run['scale']}.json")
    if os.path.exists(cost):
        with open(cost) as f:
            row["macs_per_input_pixel"] = json.load(f)["macsPerInputPixel"]

fields = ["model", "scale", "macs_per_input_pixel", "set5_psnr", "set5_ssim", "set5_seconds",
          "set14_psnr", "set14_ssim", "set14_seconds"]
ordered = sorted(rows.values(), key=lambda r: (r["model"] != "bicubic", r["model"], r["scale"]))
with open(os.path.join(here, "quality.csv"), "w", newline="") as f:
    writer = csv.DictWriter(f, fieldnames=fields)
    writer.writeheader()
    writer.writerows(ordered)

print("| model | scale | M MAC / input px | Set5 PSNR / SSIM | Set14 PSNR / SSIM | s per image, Set5 / Set14 |")
print("|---|---|---|---|---|---|")
for r in ordered:
    macs = f"{r['macs_per_input_pixel'] / 1e6:.2f}" if r["macs_per_input_pixel"] != "" else "–"
    print(f"| {r['model']} | x{r['scale']} | {macs} | {r['set5_psnr']:.2f} / {r['set5_ssim']:.4f} | "
          f"{r['set14_psnr']:.2f} / {r['set14_ssim']:.4f} | {r['set5_seconds']:.3f} / {r['set14_seconds']:.3f} |")
