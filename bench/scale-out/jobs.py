#!/usr/bin/env python3
"""Job throughput of a SuperRes deployment: submits N jobs (spread over the given API nodes), waits until
all are finished, prints jobs/s and how the jobs were spread over the workers.

usage: jobs.py IMAGES_DIR --api URL [--api URL ...] --jobs N [--model M] [--scale S]
Standard library only. Run the nodes with the cache off (SuperRes:Cache:MaxBytes=0) to measure inference.
"""
import argparse
import collections
import json
import os
import sys
import time
import urllib.error
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "service"))
from load import multipart  # noqa: E402  (same multipart writer as the service benchmark)


def get(url):
    with urllib.request.urlopen(url) as r:
        return json.load(r)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("images")
    p.add_argument("--api", action="append", required=True)
    p.add_argument("--jobs", type=int, default=20)
    p.add_argument("--model", default="esrgan-thick")
    p.add_argument("--scale", default="3")
    a = p.parse_args()
    files = sorted(f for f in os.listdir(a.images) if f.lower().endswith((".png", ".jpg")))
    started = time.monotonic()
    ids = []
    for i in range(a.jobs):
        name = files[i % len(files)]
        with open(os.path.join(a.images, name), "rb") as f:
            body, ctype = multipart({"model": a.model, "scale": a.scale}, name, f.read())
        api = a.api[i % len(a.api)]
        req = urllib.request.Request(api + "/api/v1/jobs", data=body, headers={"Content-Type": ctype})
        with urllib.request.urlopen(req) as r:
            ids.append((api, json.load(r)["id"]))
    pending = list(ids)
    finished = {}
    while pending:
        api, job_id = pending[0]
        job = get(f"{api}/api/v1/jobs/{job_id}")
        if job["status"] in ("succeeded", "failed", "canceled"):
            finished[job_id] = job
            pending.pop(0)
        else:
            time.sleep(0.05)
    elapsed = time.monotonic() - started
    statuses = collections.Counter(j["status"] for j in finished.values())
    workers = collections.Counter(j["worker"] for j in finished.values())
    run = sorted(j["runSeconds"] for j in finished.values() if j["runSeconds"] is not None)
    print(f"{a.jobs} jobs in {elapsed:.1f} s: {a.jobs / elapsed:.2f} jobs/s; {dict(statuses)}")
    print(f"median run time per job {run[len(run) // 2]:.2f} s; jobs per worker {dict(workers)}")


if __name__ == "__main__":
    main()
