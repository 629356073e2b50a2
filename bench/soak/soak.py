#!/usr/bin/env python3
"""Soak a running SuperRes service: C clients for a fixed time, half synchronous requests and half jobs, every
input a new picture (so the result cache never answers), the server's memory sampled every 10 s.

usage: soak.py URL --minutes M --clients C [--model NAME] [--scale S] [--out DIR] [--idle SECONDS]
Writes DIR/samples.csv (time, resident MB, requests so far) and DIR/summary.json (status counts, latency
p50/p95 per kind, jobs submitted/finished/lost, RSS at minute 2, at the end and after --idle seconds without
load), and prints the summary.
A job is lost if it was accepted (202) and had not finished when the soak ended plus a grace minute.
Standard library only (the plot is made by plot.py).
"""
import argparse
import json
import os
import random
import statistics
import struct
import sys
import threading
import time
import urllib.error
import urllib.request
import zlib

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'service'))
from load import multipart, resident_mb  # noqa: E402  (the service bench's helpers)


def unique_png(rng, serial):
    """A photo-sized-for-tests PNG that no other request sends: a gradient with noise and a serial number."""
    w, h = rng.randint(64, 200), rng.randint(64, 200)
    rows = []
    for y in range(h):
        row = bytearray([0])
        for x in range(w):
            n = rng.randint(0, 40)
            row += bytes(((x * 255 // w + n) & 255, (y * 255 // h + n) & 255, (serial * 37 + x ^ y) & 255))
        rows.append(bytes(row))

    def chunk(kind, data):
        return struct.pack('>I', len(data)) + kind + data + struct.pack('>I', zlib.crc32(kind + data) & 0xffffffff)
    return (b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', w, h, 8, 2, 0, 0, 0))
            + chunk(b'IDAT', zlib.compress(b''.join(rows), 6)) + chunk(b'IEND', b''))


def request(url, method='GET', body=None, content_type=None, timeout=120):
    req = urllib.request.Request(url, data=body, method=method)
    if content_type:
        req.add_header('Content-Type', content_type)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def main():
    p = argparse.ArgumentParser()
    p.add_argument('url')
    p.add_argument('--minutes', type=float, default=10)
    p.add_argument('--clients', type=int, default=16)
    p.add_argument('--model', default='')
    p.add_argument('--scale', default='3')
    p.add_argument('--out', default='.')
    p.add_argument('--idle', type=float, default=60, help='seconds of sampling after the clients stop')
    a = p.parse_args()
    url = a.url.rstrip('/')
    fields = {'scale': a.scale, **({'model': a.model} if a.model else {})}
    end = time.time() + a.minutes * 60
    lock = threading.Lock()
    statuses, latency = {}, {'sync': [], 'job': []}
    jobs = {'submitted': 0, 'finished': 0, 'failed': 0, 'lost': 0}
    serial = [0]

    def count(kind, status):
        with lock:
            statuses[f'{kind} {status}'] = statuses.get(f'{kind} {status}', 0) + 1

    def follow(job_id):
        """Polls a job to its end (within the soak plus a grace minute) and fetches its result."""
        deadline = end + 60
        while time.time() < deadline:
            status, body = request(f'{url}/api/v1/jobs/{job_id}')
            if status != 200:
                count('poll', status)
                return False
            state = json.loads(body)['status']
            if state in ('succeeded', 'failed', 'canceled'):
                if state == 'succeeded':
                    got, _ = request(f'{url}/api/v1/jobs/{job_id}/result')
                    count('result', got)
                    return got == 200
                return False
            time.sleep(0.05)
        return None

    def client(index):
        rng = random.Random(index)
        while time.time() < end:
            with lock:
                serial[0] += 1
                n = serial[0]
            body, ctype = multipart(fields, f'soak{n}.png', unique_png(rng, n))
            kind = 'sync' if n % 2 else 'job'
            started = time.time()
            status, reply = request(f'{url}/api/v1/{"upscale" if kind == "sync" else "jobs"}', 'POST', body, ctype)
            count(kind, status)
            if kind == 'sync':
                if status == 200:
                    latency['sync'].append(time.time() - started)
                continue
            if status != 202:
                time.sleep(0.2 if status == 429 else 0)  # back off as Retry-After asks
                continue
            with lock:
                jobs['submitted'] += 1
            ok = follow(json.loads(reply)['id'])
            with lock:
                jobs['finished' if ok else 'lost' if ok is None else 'failed'] += 1
            if ok:
                latency['job'].append(time.time() - started)

    samples = []
    t0 = time.time()

    def sampler():
        while time.time() < end + a.idle:
            with lock:
                done = sum(statuses.values())
            samples.append((round(time.time() - t0, 1), round(resident_mb(url), 1), done))
            print(f'{samples[-1][0]:6.0f} s  RSS {samples[-1][1]:7.1f} MB  {done} requests', flush=True)
            time.sleep(10)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(a.clients)] + [threading.Thread(target=sampler)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    def pct(values, q):
        return round(statistics.quantiles(values, n=100)[q - 1], 3) if len(values) >= 2 else None
    at2 = min(samples, key=lambda s: abs(s[0] - 120))[1]
    summary = {
        'minutes': a.minutes, 'clients': a.clients, 'model': a.model or 'default', 'scale': a.scale,
        'statuses': dict(sorted(statuses.items())), 'jobs': jobs,
        'latency_s': {k: {'p50': pct(v, 50), 'p95': pct(v, 95), 'count': len(v)} for k, v in latency.items()},
        'rss_mb': {'minute_2': at2, 'end_of_load': max((s for s in samples if s[0] <= a.minutes * 60), key=lambda s: s[0])[1],
                   'max_after_minute_2': max(s[1] for s in samples if s[0] >= 120), 'after_idle': samples[-1][1]},
        'server_errors': sum(v for k, v in statuses.items() if int(k.split()[1]) >= 500),
    }
    os.makedirs(a.out, exist_ok=True)
    with open(os.path.join(a.out, 'samples.csv'), 'w') as f:
        f.write('seconds,rss_mb,requests\n' + ''.join(f'{s[0]},{s[1]},{s[2]}\n' for s in samples))
    with open(os.path.join(a.out, 'summary.json'), 'w') as f:
        json.dump(summary, f, indent=2)
    print(json.dumps(summary, indent=2))


if __name__ == '__main__':
    main()
