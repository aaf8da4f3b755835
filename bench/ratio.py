"""Requests per second of pages and API reads against the bare view of the same size, served by
the same server in the same run (wrk from Debian, on loopback).

    python bench/ratio.py http://127.0.0.1:8020 /api/v1/lessons/slug/ /lessons/slug/ …

Each target and its bare twin are run one after the other, ``--rounds`` times, interleaved;
the table gives the median requests per second of each, their ratio, and p50/p99 latency.
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import urllib.request


def size_of(url: str, headers: dict) -> int:
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 (loopback)
    with urllib.request.urlopen(request) as response:  # noqa: S310
        return len(response.read())


def wrk(url: str, *, seconds: int, connections: int, headers: dict) -> dict:
    args = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency"]
    for name, value in headers.items():
        args += ["-H", f"{name}: {value}"]
    out = subprocess.run([*args, url], capture_output=True, text=True, check=True).stdout  # noqa: S603
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))

    def latency(label):
        value, unit = re.search(rf"{label}%\s+([\d.]+)(us|ms|s)", out).groups()
        return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "rps": rps,
        "p50": latency("50"),
        "p99": latency("99"),
        "errors": int(errors.group(1)) if errors else 0,
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("base")
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--etag", action="store_true", help="send If-None-Match (a 304)")
    options = parser.parse_args()
    rows = ["| path | bytes | req/s | bare req/s | ratio | p50 ms | p99 ms | errors |",
            "|---|---|---|---|---|---|---|---|"]  # fmt: skip
    for path in options.paths:
        url = options.base + path
        headers = {}
        if options.etag:
            with urllib.request.urlopen(url) as response:  # noqa: S310
                headers["If-None-Match"] = response.headers["ETag"]
        size = size_of(url, {}) if not options.etag else 0
        bare = f"{options.base}/bench/bare/{size}/"
        target_runs, bare_runs = [], []
        for _ in range(options.rounds):
            target_runs.append(
                wrk(url, seconds=options.seconds, connections=options.connections, headers=headers)
            )
            bare_runs.append(
                wrk(bare, seconds=options.seconds, connections=options.connections, headers={})
            )
        rps = statistics.median(r["rps"] for r in target_runs)
        base = statistics.median(r["rps"] for r in bare_runs)
        rows.append(
            f"| {path}{' (304)' if options.etag else ''} | {size} | {rps:.0f} | {base:.0f} | "
            f"{rps / base:.3f} | {statistics.median(r['p50'] for r in target_runs):.1f} | "
            f"{statistics.median(r['p99'] for r in target_runs):.1f} | "
            f"{sum(r['errors'] for r in target_runs)} |"
        )
    print("\n".join(rows))


if __name__ == "__main__":
    main()
