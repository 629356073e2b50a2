#!/usr/bin/env python3
"""Load for a running SuperRes service: N synchronous upscale requests from C concurrent clients.

usage: load.py URL IMAGES_DIR --requests N --concurrency C [--model M] [--scale S]
Prints client latency (median, p95), images/s, the server's own time per request (X-SuperRes-Seconds),
the HTTP overhead (client latency minus server time) and the server's resident memory (/metrics).
Standard library only. Start the server with the cache off (SuperRes:Cache:MaxBytes=0) to measure inference.
"""
import argparse
import json
import os
import statistics
import threading
import time
import urllib.request
import uuid


def multipart(fields, image_name, image):
    boundary = uuid.uuid4().hex
    parts = []
    for key, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode())
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="image"; filename="{image_name}"\r\n'
                 f'Content-Type: application/octet-stream\r\n\r\n'.encode() + image + b'\r\n')
    parts.append(f'--{boundary}--\r\n'.encode())
    return b''.join(parts), f'multipart/form-data; boundary={boundary}'


def resident_mb(url):
    text = urllib.request.urlopen(url + '/metrics').read().decode()
    for line in text.splitlines():
        if line.startswith('process_working_set_bytes '):
            return float(line.split()[1]) / 2**20
    return float('nan')


def main():
    p = argparse.ArgumentParser()
    p.add_argument('url')
    p.add_argument('images')
    p.add_argument('--requests', type=int, default=20)
    p.add_argument('--concurrency', type=int, default=1)
    p.add_argument('--model', default='')
    p.add_argument('--scale', default='3')
    a = p.parse_args()
    url = a.url.rstrip('/')
    names = sorted(n for n in os.listdir(a.images) if n.lower().endswith(('.png', '.jpg', '.jpeg')))
    images = [(n, open(os.path.join(a.images, n), 'rb').read()) for n in names]
    fields = {'scale': a.scale}
    if a.model:
        fields['model'] = a.model

    lock = threading.Lock()
    latencies, server_seconds, failures = [], [], []
    counter = iter(range(a.requests))

    def client():
        while True:
            with lock:
                i = next(counter, None)
            if i is None:
                return
            name, image = images[i % len(images)]
            body, content_type = multipart(fields, name, image)
            request = urllib.request.Request(url + '/api/v1/upscale', data=body, headers={'Content-Type': content_type})
            t = time.perf_counter()
            try:
                with urllib.request.urlopen(request) as response:
                    response.read()
                    seconds = float(response.headers.get('X-SuperRes-Seconds', 'nan'))
                with lock:
                    latencies.append(time.perf_counter() - t)
                    server_seconds.append(seconds)
            except Exception as e:  # a refused or failed request is counted, not fatal
                with lock:
                    failures.append(str(e))

    started = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(a.concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    latencies.sort()
    overhead = [l - s for l, s in zip(latencies, sorted(server_seconds))] if a.concurrency == 1 else []
    print(json.dumps({
        'requests': a.requests, 'concurrency': a.concurrency, 'failed': len(failures),
        'images_per_second': round(len(latencies) / elapsed, 3),
        'latency_median_s': round(statistics.median(latencies), 4) if latencies else None,
        'latency_p95_s': round(latencies[max(0, int(len(latencies) * 0.95) - 1)], 4) if latencies else None,
        'server_seconds_median': round(statistics.median(server_seconds), 4) if server_seconds else None,
        'http_overhead_median_s': round(statistics.median(overhead), 4) if overhead else None,
        'server_resident_mb': round(resident_mb(url), 1),
        'first_error': failures[0] if failures else None,
    }))


if __name__ == '__main__':
    main()
