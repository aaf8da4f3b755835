"""The open-data export over HTTP as production serves it: gunicorn (sync workers, DEBUG off),
time to the first byte, the whole download, and the peak resident memory (VmHWM) of each
worker before and after. Then ``manage.py export_content`` (and ``--full``) in a process of
its own, with its peak RSS. Not part of ``make test``.

    ENV_FILE= DEBUG=0 HTTPS=0 SECRET_KEY=… DATABASE_URL=sqlite:////tmp/corpus.sqlite3 \\
        .venv/bin/python bench/export_http.py --port 8231

Run ``manage.py collectstatic`` first, as on a server. The server is stopped at the end.
"""

from __future__ import annotations

import argparse
import http.client
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def peak_rss_mb(pid: int) -> tuple[float, float]:
    """(current RSS, peak RSS) of a process in MB, from /proc."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        fields[name] = value.strip()
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


def workers_of(pid: int) -> list[int]:
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return [int(c) for c in children]


def wait_until_up(port: int, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/robots.txt")
            connection.getresponse().read()
            return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"gunicorn did not answer on port {port}")


def download(port: int, path: str) -> tuple[int, float, float, int]:
    """(status, seconds to the first byte of the body, seconds in all, bytes)."""
    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    connection.request("GET", path, headers={"Accept-Encoding": "identity"})
    response = connection.getresponse()
    first = response.read1(65536)
    first_byte = time.perf_counter() - started
    size = len(first)
    while chunk := response.read1(1 << 20):
        size += len(chunk)
    return response.status, first_byte, time.perf_counter() - started, size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=8231)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--timeout", type=int, default=300, help="gunicorn's worker timeout")
    parser.add_argument("--path", default="/api/v1/export.json")
    options = parser.parse_args()
    server = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "--bind",
            f"127.0.0.1:{options.port}",
            "--workers",
            str(options.workers),
            "--timeout",
            str(options.timeout),
            "config.wsgi",
        ],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_until_up(options.port)
        workers = workers_of(server.pid)
        before = {pid: peak_rss_mb(pid) for pid in workers}
        for round_ in (1, 2):
            status, first_byte, total, size = download(options.port, options.path)
            after = {pid: peak_rss_mb(pid) for pid in workers}
            print(
                f"| {options.path} (download {round_}) | {status} | first byte "
                f"{first_byte * 1000:.0f} ms | {size / 1e6:,.1f} MB in {total:.1f} s | "
                "workers' RSS before → now (peak): "
                + "; ".join(
                    f"{before[p][0]:.0f} → {after[p][0]:.0f} ({after[p][1]:.0f}) MB"
                    for p in workers
                )
                + " |"
            )
    finally:
        server.terminate()
        server.wait(timeout=60)
    for full in (False, True):
        # /usr/bin/time reports the command's own peak RSS (kilobytes) on its last line.
        args = ["/usr/bin/time", "-f", "%M", sys.executable, "manage.py", "export_content"]
        args += [os.devnull, *(["--full"] if full else [])]
        started = time.perf_counter()
        done = subprocess.run(args, check=True, cwd=ROOT, capture_output=True, text=True)
        seconds = time.perf_counter() - started
        peak = int(done.stderr.strip().splitlines()[-1]) / 1024
        print(
            f"| manage.py export_content{' --full' if full else ''} | {seconds:.1f} s | "
            f"peak RSS {peak:,.0f} MB |"
        )


if __name__ == "__main__":
    main()
