"""Reads bench/restore/json and writes restore.csv, table.md, strength-by-quality.csv and strength.png for one scale
(argument); the raw results it reads are rewritten one line each where they are not already."""
import csv
import glob
import io
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
scale = sys.argv[1] if len(sys.argv) > 1 else "3"
runs = {}
for path in glob.glob(os.path.join(HERE, "json", f"*-x{scale}-*.json")):
    m = re.match(rf"(Set5|Set14)-x{scale}-(.+)-(bicubic|restore-(.+))\.json$", os.path.basename(path))
    if not m:
        continue
    dataset, method = m.group(1), m.group(4) or "bicubic"
    with open(path) as f:
        text = f.read()
    report = json.loads(text)
    compact = json.dumps(report, separators=(",", ":")) + "\n"
    if text != compact:
        # The raw results stay in the tree (a rerun of auto alone reuses the fixed strengths'), kept to one line each.
        with open(path, "w") as f:
            f.write(compact)
    damage = report.get("degrade") or "clean"
    runs.setdefault((damage, method), {})[dataset] = report


def mean(damage, method):
    sets = runs.get((damage, method), {})
    return sum(r["meanPsnr"] for r in sets.values()) / len(sets) if len(sets) == 2 else None


damages = sorted({d for d, _ in runs}, key=lambda d: (d != "clean", d))
methods = sorted({m for _, m in runs}, key=lambda m: (m != "bicubic", m == "auto", float(m) if m not in ("bicubic", "auto") else 0))
with open(os.path.join(HERE, f"restore-x{scale}.csv"), "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["degradation"] + methods + ["best_fixed", "auto_strengths"])
    for d in damages:
        row = [mean(d, m) for m in methods]
        fixed = {m: mean(d, m) for m in methods if m not in ("bicubic", "auto") and mean(d, m) is not None}
        best = max(fixed, key=fixed.get) if fixed else ""
        chosen = sorted({r["restore"] for s in runs.get((d, "auto"), {}).values() for r in s["images"] if r.get("restore")})
        w.writerow([d] + [f"{v:.3f}" if v is not None else "" for v in row] + [best, " | ".join(chosen)])

# The automatic strength's points (src/SuperRes/Restoration/RestoreStrength.cs): a JPEG's tables give its quality but
# not what was under the compression, so each quality's point is the fixed strength with the best mean over every
# degradation that ends in that quality (plain, noisy or soft, then saved at it), weighting each alike; and a lower
# quality never gets less than a higher one (the point is the largest strength at this quality or above).
by_quality = {}
for d in damages:
    last = d.split(",")[-1]
    if last.startswith("jpeg:"):
        by_quality.setdefault(int(last[5:]), []).append(d)
rows, floor = [], 0.0
for q in sorted(by_quality, reverse=True):
    group = by_quality[q]
    scores = {m: sum(mean(d, m) for d in group) / len(group) for m in methods
              if m not in ("bicubic", "auto") and all(mean(d, m) is not None for d in group)}
    if scores:
        best = max(scores, key=scores.get)
        floor = max(floor, float(best))
        rows.append([q, " + ".join(group), best, f"{scores[best]:.3f}", f"{floor:g}"])
with open(os.path.join(HERE, f"strength-by-quality-x{scale}.csv"), "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["jpeg_quality", "degradations", "best_mean_strength", "mean_psnr_there", "point"])
    w.writerows(sorted(rows))

# The README's table: rows bicubic, superres-edsr (0), superres-photo (1), auto; one column per degradation.
label = {"bicubic": "bicubic", "0": "superres-edsr", "1": "superres-photo (restore 1)", "auto": "auto"}
lines = ["| x" + scale + ", Set5 + Set14 | " + " | ".join(damages) + " |",
         "|---|" + "---|" * len(damages)]
for m in ("bicubic", "0", "1", "auto"):
    if any(mean(d, m) is not None for d in damages):
        cells = [f"{mean(d, m):.2f}" if mean(d, m) is not None else "" for d in damages]
        lines.append(f"| {label[m]} | " + " | ".join(cells) + " |")
with open(os.path.join(HERE, f"table-x{scale}.md"), "w") as f:
    f.write("\n".join(lines) + "\n")
print("\n".join(lines))

try:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from PIL import Image
except ImportError:
    sys.exit(0)
fixed_methods = [m for m in methods if m not in ("bicubic", "auto")]
fig, ax = plt.subplots(figsize=(8, 5), dpi=100)
for d in damages:
    points = [(float(m), mean(d, m) - mean(d, "0")) for m in fixed_methods if mean(d, m) is not None and mean(d, "0") is not None]
    if len(points) > 2:
        ax.plot(*zip(*points), marker="o", markersize=3, label=d)
ax.axhline(0, color="grey", linewidth=0.8)
ax.set_xlabel("restoration strength s (0 = superres-edsr, 1 = superres-photo)")
ax.set_ylabel(f"PSNR gain over s = 0 (dB), Set5 + Set14 x{scale}")
ax.legend(fontsize=7, ncol=2)
fig.tight_layout()
# A line plot needs few colours: a 128-colour palette keeps the committed plot about a quarter of RGB's size.
buffer = io.BytesIO()
fig.savefig(buffer, format="png")
buffer.seek(0)
Image.open(buffer).convert("RGB").quantize(colors=128, dither=Image.Dither.NONE).save(
    os.path.join(HERE, f"strength-x{scale}.png"), optimize=True)
