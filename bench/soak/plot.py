#!/usr/bin/env python3
"""Plots a soak run's resident memory over time (DIR/samples.csv -> DIR/rss.png), with the +100 MB band over minute 2."""
import csv
import json
import os
import sys

import matplotlib
matplotlib.use('Agg')
import matplotlib.pyplot as plt  # noqa: E402

folder = sys.argv[1]
with open(os.path.join(folder, 'samples.csv')) as f:
    rows = list(csv.DictReader(f))
with open(os.path.join(folder, 'summary.json')) as f:
    summary = json.load(f)
minutes = [float(r['seconds']) / 60 for r in rows]
rss = [float(r['rss_mb']) for r in rows]
fig, ax = plt.subplots(figsize=(7, 3.2), dpi=110)
ax.plot(minutes, rss, marker='.', label='server resident memory')
base = summary['rss_mb']['minute_2']
ax.axhspan(base, base + 100, color='tab:green', alpha=0.12, label='minute 2 level + 100 MB')
ax.set_xlabel('minutes')
ax.set_ylabel('MB')
ax.set_ylim(0, max(rss + [base + 100]) * 1.15)
ax.set_title(f"soak: {summary['clients']} clients, {sum(summary['statuses'].values())} requests, "
             f"{summary['server_errors']} server errors, {summary['jobs']['lost']} jobs lost", fontsize=9)
ax.legend(loc='lower right', fontsize=8)
ax.grid(alpha=0.3)
fig.tight_layout()
fig.savefig(os.path.join(folder, 'rss.png'))
print('wrote', os.path.join(folder, 'rss.png'))
