#!/usr/bin/env python3
"""Load on an AWS JSON endpoint: C concurrent clients, each issuing N signed GetParameter calls
over one keep-alive connection, one after another. Reports calls per second over the whole run,
p50/p99 latency and every failure. Used by `make bench` against `cinch serve` and, measured the
same way, against moto_server; run alone against any endpoint:

  python3 Benchmarks/serve_load.py --endpoint http://127.0.0.1:4583 --name /bench/db \\
      --access-key AKIA… --secret-key … [--clients 4] [--requests 2000] [--with-decryption]

The client is lean on purpose (http.client, SigV4 with hmac/hashlib, one process per client) so
that it measures the server, not an SDK; the secret key is passed through the environment
(SERVE_LOAD_SECRET_KEY) when not given as a flag, and is never printed. Standard library only.
Prints one JSON object.
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import hmac
import http.client
import json
import multiprocessing
import os
import sys
import time
import urllib.parse


def signing_key(secret: str, date: str, region: str, service: str) -> bytes:
    key = ("AWS4" + secret).encode()
    for part in (date, region, service, "aws4_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    return key


def signed_headers(host, region, service, target, body: bytes, access_key, secret, now=None):
    now = now or datetime.datetime.now(datetime.timezone.utc)
    amz_date = now.strftime("%Y%m%dT%H%M%SZ")
    date = amz_date[:8]
    headers = {
        "content-type": "application/x-amz-json-1.1",
        "host": host,
        "x-amz-date": amz_date,
        "x-amz-target": target,
    }
    names = sorted(headers)
    canonical = "\n".join([
        "POST", "/", "",
        "".join(f"{n}:{headers[n]}\n" for n in names),
        ";".join(names),
        hashlib.sha256(body).hexdigest(),
    ])
    scope = f"{date}/{region}/{service}/aws4_request"
    to_sign = "\n".join(["AWS4-HMAC-SHA256", amz_date, scope, hashlib.sha256(canonical.encode()).hexdigest()])
    signature = hmac.new(signing_key(secret, date, region, service), to_sign.encode(), hashlib.sha256).hexdigest()
    headers["authorization"] = (
        f"AWS4-HMAC-SHA256 Credential={access_key}/{scope}, SignedHeaders={';'.join(names)}, Signature={signature}")
    return headers


def client(args, index, start_at, results):
    url = urllib.parse.urlsplit(args.endpoint)
    host = url.netloc
    body = json.dumps({"Name": args.name, "WithDecryption": args.with_decryption}).encode()
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
    latencies = []
    failures = []
    while time.time() < start_at:
        time.sleep(0.001)
    for _ in range(args.requests):
        headers = signed_headers(host, args.region, "ssm", "AmazonSSM.GetParameter", body,
                                 args.access_key, args.secret_key)
        begun = time.perf_counter()
        try:
            connection.request("POST", "/", body=body, headers=headers)
            response = connection.getresponse()
            payload = response.read()
            elapsed = time.perf_counter() - begun
            if response.status != 200 or b'"Parameter"' not in payload:
                failures.append(f"HTTP {response.status}: {payload[:200].decode(errors='replace')}")
            else:
                latencies.append(elapsed)
        except (OSError, http.client.HTTPException) as error:
            failures.append(f"{type(error).__name__}: {error}")
            connection.close()
            connection = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
    connection.close()
    results.put((index, latencies, failures))


def percentile(values, fraction):
    if not values:
        return None
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, int(round(fraction * len(ordered) + 0.5)) - 1))
    return ordered[rank]


def run(args) -> dict:
    results = multiprocessing.Queue()
    start_at = time.time() + 0.5
    workers = [multiprocessing.Process(target=client, args=(args, i, start_at, results))
               for i in range(args.clients)]
    for worker in workers:
        worker.start()
    collected = [results.get(timeout=args.timeout) for _ in workers]
    finished = time.time()
    for worker in workers:
        worker.join(timeout=10)
    latencies = [value for _, values, _ in collected for value in values]
    failures = [failure for _, _, items in collected for failure in items]
    seconds = finished - start_at
    total = args.clients * args.requests
    return {
        "endpoint": args.endpoint,
        "clients": args.clients,
        "requestsPerClient": args.requests,
        "requests": total,
        "succeeded": len(latencies),
        "failed": len(failures),
        "failures": failures[:5],
        "seconds": round(seconds, 3),
        "callsPerSecond": round(len(latencies) / seconds, 1) if seconds > 0 else None,
        "p50Milliseconds": round(percentile(latencies, 0.50) * 1000, 3) if latencies else None,
        "p99Milliseconds": round(percentile(latencies, 0.99) * 1000, 3) if latencies else None,
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--endpoint", required=True)
    parser.add_argument("--name", required=True, help="the parameter to read")
    parser.add_argument("--access-key", default=os.environ.get("SERVE_LOAD_ACCESS_KEY"))
    parser.add_argument("--secret-key", default=os.environ.get("SERVE_LOAD_SECRET_KEY"))
    parser.add_argument("--region", default="us-east-1")
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--requests", type=int, default=2000, help="calls per client")
    parser.add_argument("--with-decryption", action="store_true")
    parser.add_argument("--timeout", type=float, default=600, help="seconds before giving up")
    args = parser.parse_args(argv)
    if not args.access_key or not args.secret_key:
        parser.error("give --access-key and --secret-key (or SERVE_LOAD_ACCESS_KEY / SERVE_LOAD_SECRET_KEY)")
    if not 1 <= args.clients <= 64 or not 1 <= args.requests <= 1_000_000:
        parser.error("--clients 1..64, --requests 1..1000000")
    report = run(args)
    print(json.dumps(report))
    return 0 if report["failed"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
