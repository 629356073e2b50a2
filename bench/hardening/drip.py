#!/usr/bin/env python3
"""Slow-client test against a running SuperRes service: D connections drip a multipart upload at 300 B/s (each one
reconnects as soon as the server cuts it off, as an attacker would), while a probe client with another API key
sends a real upload every 2 s. The drips must not take the probe's upload slots, and the server must keep
answering quickly.

usage: drip.py URL --drip-key KEY --probe-key KEY IMAGE [--drips 16] [--minutes 2] [--rate 300] [--out FILE]
Prints, and writes to --out as JSON: probes sent, their statuses, latency p50/p95/max, drip connections opened
and how the server ended them. Standard library only.
"""
import argparse
import json
import os
import socket
import statistics
import struct
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import zlib

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'service'))
from load import multipart  # noqa: E402  (the service bench's helpers)


def drip(host, port, key, rate, stop, ends, lock):
    """One drip connection after another until stop: headers at once, then the body a few bytes at a time."""
    body = b'x' * 1_000_000
    while not stop.is_set():
        ended = 'closed by server'
        try:
            with socket.create_connection((host, port), timeout=30) as s:
                boundary = 'drip'
                head = (f'POST /api/v1/upscale HTTP/1.1\r\nHost: {host}:{port}\r\nX-Api-Key: {key}\r\n'
                        f'Content-Type: multipart/form-data; boundary={boundary}\r\nContent-Length: {len(body) + 200}\r\n\r\n'
                        f'--{boundary}\r\nContent-Disposition: form-data; name="image"; filename="a.png"\r\n\r\n')
                s.sendall(head.encode())
                chunk = max(1, rate // 10)
                sent = 0
                while not stop.is_set() and sent < len(body):
                    s.sendall(body[sent:sent + chunk])
                    sent += chunk
                    time.sleep(0.1)
                if stop.is_set():
                    ended = 'still open at the end'
        except (ConnectionError, socket.timeout, OSError):
            pass
        with lock:
            ends[ended] = ends.get(ended, 0) + 1
        time.sleep(0.05)


def unique(png, serial):
    """The same PNG with a text chunk of its own after the header, so the result cache never answers a probe."""
    data = b'probe\0' + str(serial).encode()
    chunk = struct.pack('>I', len(data)) + b'tEXt' + data + struct.pack('>I', zlib.crc32(b'tEXt' + data))
    return png[:33] + chunk + png[33:]


def probe(url, key, image, name):
    body, content_type = multipart({'scale': '3'}, name, image)
    request = urllib.request.Request(url + '/api/v1/upscale', data=body, method='POST',
                                     headers={'Content-Type': content_type, 'X-Api-Key': key})
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as e:
        status = e.code
    except (urllib.error.URLError, OSError) as e:
        status = f'error: {e}'
    return status, time.perf_counter() - start


def main():
    p = argparse.ArgumentParser()
    p.add_argument('url')
    p.add_argument('image')
    p.add_argument('--drip-key', required=True)
    p.add_argument('--probe-key', required=True)
    p.add_argument('--drips', type=int, default=16)
    p.add_argument('--minutes', type=float, default=2)
    p.add_argument('--rate', type=int, default=300, help='bytes per second per drip')
    p.add_argument('--out')
    a = p.parse_args()
    url = a.url.rstrip('/')
    parsed = urllib.parse.urlparse(url)
    image = open(a.image, 'rb').read()
    stop, lock, ends = threading.Event(), threading.Lock(), {}
    threads = [threading.Thread(target=drip, args=(parsed.hostname, parsed.port, a.drip_key, a.rate, stop, ends, lock), daemon=True)
               for _ in range(a.drips)]
    for t in threads:
        t.start()
    time.sleep(1)  # the drips hold their connections before the first probe
    statuses, latencies = {}, []
    deadline = time.time() + a.minutes * 60
    while time.time() < deadline:
        status, seconds = probe(url, a.probe_key, unique(image, len(latencies)), os.path.basename(a.image))
        statuses[str(status)] = statuses.get(str(status), 0) + 1
        latencies.append(seconds)
        time.sleep(max(0.0, 2 - seconds))
    stop.set()
    for t in threads:
        t.join(timeout=5)
    latencies.sort()
    summary = {
        'drips': a.drips, 'rate_bytes_per_second': a.rate, 'minutes': a.minutes,
        'probes': len(latencies), 'probe_statuses': statuses,
        'probe_seconds_p50': round(statistics.median(latencies), 3),
        'probe_seconds_p95': round(latencies[int(0.95 * (len(latencies) - 1))], 3),
        'probe_seconds_max': round(latencies[-1], 3),
        'drip_connections': dict(ends),
    }
    print(json.dumps(summary, indent=2))
    if a.out:
        with open(a.out, 'w') as f:
            json.dump(summary, f, indent=2)
    ok = statuses.get('200', 0) == len(latencies) and latencies[-1] < 1
    sys.exit(0 if ok else 1)


if __name__ == '__main__':
    main()
