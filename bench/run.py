"""`make bench`: the project's reads against the floor, a bare Django view of the same size.

    make bench                                   # SQLite and PostgreSQL, the sample
    make bench SCALE=1                           # the large corpus (bench/corpus.py --scale 1)
    make bench BENCH_DBS=sqlite SECONDS=3 ROUNDS=2
    BENCH_DATABASE_URL=postgres://u@host/db make bench   # your server (its database is filled)
    BENCH_PORT=8330 make bench                   # gunicorn on this port (default: a free one)

For each database it fills a database (the sample, or the corpus of ``--scale``, kept under
var/bench/ for the next run), serves the project with gunicorn as the README serves
production (config/gunicorn.py, 2 sync workers, DEBUG off, production settings) plus
``/bench/bare/<size>/`` (bench/urls.py), and drives it from wrk, a separate process on
loopback. Each endpoint and the bare view of its size run one after the other, ``--rounds``
times, interleaved (the order swapped each round); the ratio is that of the medians, its
spread that of the rounds. Latency is measured at a fixed rate of half the endpoint's median
maximum (bench/wrk.lua paces wrk). Queries per request come from a pass of Django's test
client over the same database (bench/queries.py), the throttle's count included.

Results: a Markdown table in bench/results/ (a dated file and latest-<scale>.md). PostgreSQL,
unless ``BENCH_DATABASE_URL`` is given, is a cluster of Debian's binaries started here on a
free loopback port (var/bench/pg/, fsync off as in CI), as .ci/run starts one.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import json
import os
import platform
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.operations.servers import PostgresCluster, free_port  # noqa: E402

VAR = ROOT / "var" / "bench"
RESULTS = ROOT / "bench" / "results"
PYTHON = ROOT / ".venv" / "bin" / "python"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
CONNECTIONS = 8
WORKERS = 2

# What each endpoint must reach, as a ratio to the bare view (issue 11).
TARGETS = {
    "API lesson detail": 0.6,
    "API lesson detail, 304": 0.9,
    "API list of 20": 0.4,
    "learner lesson page": 0.5,
    "learner lesson page, 304": 0.9,
    "article page": 0.4,
}
P99_TARGET_MS = 50


@dataclass
class Endpoint:
    name: str
    path: str
    conditional: bool = False
    headers: dict[str, str] = field(default_factory=dict)
    size: int = 0


@dataclass
class Row:
    endpoint: Endpoint
    rps: list[float]
    bare_rps: list[float]
    paced: dict
    queries: int | None
    errors: int

    @property
    def ratio(self) -> float:
        return statistics.median(self.rps) / statistics.median(self.bare_rps)

    @property
    def spread(self) -> tuple[float, float]:
        ratios = [t / b for t, b in zip(self.rps, self.bare_rps, strict=True)]
        return min(ratios), max(ratios)


# --- databases ---------------------------------------------------------------------------


def server_environment(database_url: str, static_root: Path) -> dict[str, str]:
    """Production settings (DEBUG off), on plain HTTP on loopback (TLS is the proxy's)."""
    keep = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR")
    env = {k: v for k, v in os.environ.items() if k in keep}
    env.update(
        ENV_FILE="",
        DJANGO_SETTINGS_MODULE="bench.settings",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1",
        HTTPS="0",
        SECURE_SSL_REDIRECT="0",
        HSTS_SECONDS="0",
        DATABASE_URL=database_url,
        STATIC_ROOT=str(static_root),
        PYTHONPATH=str(ROOT),
    )
    return env


def manage(env: dict, *args: str) -> None:
    subprocess.run([str(PYTHON), "manage.py", *args], cwd=ROOT, env=env, check=True)


def fill(env: dict, scale: str, *, fresh_sample: Path | None) -> None:
    """Migrate and load the sample, or the corpus of this scale unless it is there already."""
    if fresh_sample is not None:
        fresh_sample.unlink(missing_ok=True)
    manage(env, "migrate", "--noinput", "-v", "0")
    if scale == "sample":
        manage(env, "load_sample")
        return
    check = (
        "import django; django.setup(); from lessons.models import LiveLesson; "
        "print(LiveLesson.objects.count())"
    )
    out = subprocess.run(
        [str(PYTHON), "-c", check], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    if int(out.stdout.strip() or 0) > 0:
        print(f"   the corpus is there already ({out.stdout.strip()} live lessons)")
        return
    subprocess.run(
        [str(PYTHON), "-m", "bench.corpus", "--scale", scale, "--no-migrate"],
        cwd=ROOT,
        env=env,
        check=True,
    )


@contextlib.contextmanager
def database(kind: str, scale: str):
    """(database URL) of a filled database of this kind."""
    VAR.mkdir(parents=True, exist_ok=True)
    label = "sample" if scale == "sample" else f"corpus-{scale}"
    if kind == "sqlite":
        yield f"sqlite:///{VAR / label}.sqlite3", VAR / f"{label}.sqlite3"
        return
    given = os.environ.get("BENCH_DATABASE_URL", "")
    if given:
        yield given, None
        return
    cluster = PostgresCluster(VAR / "pg").init()
    cluster.start()

    def psql(sql: str) -> str:
        command = [str(cluster.bin / "psql"), "-h", "127.0.0.1", "-p", str(cluster.port)]
        done = subprocess.run(
            [*command, "-U", "postgres", "-Atc", sql], capture_output=True, text=True, check=True
        )
        return done.stdout.strip()

    try:
        name = f"bench_{label.replace('-', '_').replace('.', '_')}"
        exists = psql(f"SELECT 1 FROM pg_database WHERE datname = '{name}'")
        if scale == "sample" and exists:  # the sample is loaded afresh
            psql(f"DROP DATABASE {name}")
        if scale == "sample" or not exists:
            psql(f"CREATE DATABASE {name}")
        yield f"postgres://postgres@127.0.0.1:{cluster.port}/{name}", None
    finally:
        cluster.stop()


# --- the server and the load -------------------------------------------------------------


@contextlib.contextmanager
def gunicorn(env: dict):
    port = int(os.environ.get("BENCH_PORT") or free_port())
    log = tempfile.NamedTemporaryFile(prefix="bench-gunicorn-", suffix=".log", delete=False)  # noqa: SIM115
    process = subprocess.Popen(
        [str(GUNICORN), "-c", "config/gunicorn.py", "config.wsgi"],
        cwd=ROOT,
        env={**env, "GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_WORKERS": str(WORKERS)},
        stdout=log,
        stderr=log,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=5):  # noqa: S310 (loopback)
                break
        except (OSError, urllib.error.URLError):
            if process.poll() is not None or time.monotonic() > deadline:
                logged = Path(log.name).read_text()
                raise RuntimeError(f"gunicorn did not start: {logged}") from None
            time.sleep(0.2)
    try:
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)
        Path(log.name).unlink(missing_ok=True)


def get(url: str, headers: dict | None = None) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(url, headers=headers or {})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def endpoints(base: str) -> list[Endpoint]:
    """The reads issue 11 names, found in this database: its first lesson and article."""
    lessons = json.loads(get(f"{base}/api/v1/lessons/")[2])
    lesson = lessons["results"][0]["slug"]
    article = json.loads(get(f"{base}/api/v1/articles/")[2])["results"][0]["slug"]
    # A list of 20: lessons when there are 20 of them, else concepts (the sample has one lesson).
    listed = "/api/v1/lessons/" if lessons["count"] >= 20 else "/api/v1/concepts/"
    found = [
        Endpoint("API lesson detail", f"/api/v1/lessons/{lesson}/"),
        Endpoint("API lesson detail, 304", f"/api/v1/lessons/{lesson}/", conditional=True),
        Endpoint("API list of 20", listed),
        Endpoint("learner lesson page", f"/lessons/{lesson}/"),
        Endpoint("learner lesson page, 304", f"/lessons/{lesson}/", conditional=True),
        Endpoint("article page", f"/articles/{article}/"),
    ]
    page = get(f"{base}/lessons/{lesson}/")[2].decode()
    stylesheet = page.split('rel="stylesheet" href="', 1)[1].split('"', 1)[0]
    found.append(Endpoint("static file (WhiteNoise)", stylesheet))
    for endpoint in found:
        status, headers, body = get(base + endpoint.path)
        if status != 200:
            raise RuntimeError(f"{endpoint.path}: {status}")
        if endpoint.conditional:
            endpoint.headers = {"If-None-Match": headers["ETag"]}
            status = get(base + endpoint.path, endpoint.headers)[0]
            if status != 304:
                raise RuntimeError(f"{endpoint.path} with its ETag: {status}, not 304")
        else:
            endpoint.size = len(body)
    return found


def wrk(url: str, *, seconds: int, headers: dict, rate: float = 0) -> dict:
    args = ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{seconds}s", "-s", str(ROOT / "bench/wrk.lua")]
    for name, value in headers.items():
        args += ["-H", f"{name}: {value}"]
    env = {**os.environ, "BENCH_RATE": str(rate), "BENCH_CONNECTIONS": str(CONNECTIONS)}
    out = subprocess.run([*args, url], capture_output=True, text=True, check=True, env=env)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    result["rps"] = result["requests"] / (result["duration_us"] / 1e6)
    result["errors"] = result["status_errors"] + result["socket_errors"]
    return result


def queries(env: dict, found: list[Endpoint]) -> dict[str, int]:
    spec = [{"path": e.path, "headers": e.headers} for e in found]
    out = subprocess.run(
        [str(PYTHON), "-m", "bench.queries", json.dumps(spec)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    counted = json.loads(out.stdout)
    return {f"{e.path} {bool(e.headers)}": n for e, n in zip(found, counted, strict=True)}


def measure(base: str, found: list[Endpoint], *, seconds: int, rounds: int, counts) -> list[Row]:
    for endpoint in found:  # warm both workers' connections and caches
        wrk(base + endpoint.path, seconds=1, headers=endpoint.headers)
    rows = []
    for endpoint in found:
        bare = f"{base}/bench/bare/{endpoint.size}/"
        target_runs, bare_runs = [], []
        for round_ in range(rounds):
            order = [("target", base + endpoint.path), ("bare", bare)]
            for which, url in order if round_ % 2 == 0 else reversed(order):
                run = wrk(
                    url, seconds=seconds, headers=endpoint.headers if which == "target" else {}
                )
                (target_runs if which == "target" else bare_runs).append(run)
        max_rps = statistics.median(r["rps"] for r in target_runs)
        paced = wrk(
            base + endpoint.path, seconds=max(seconds * 2, 6), headers=endpoint.headers,
            rate=max_rps / 2,
        )  # fmt: skip
        paced["rate"] = max_rps / 2
        row = Row(
            endpoint=endpoint,
            rps=[r["rps"] for r in target_runs],
            bare_rps=[r["rps"] for r in bare_runs],
            paced=paced,
            queries=counts.get(f"{endpoint.path} {bool(endpoint.headers)}"),
            errors=sum(r["errors"] for r in [*target_runs, paced]),
        )
        rows.append(row)
        print(f"   {endpoint.name}: {row.ratio:.3f} × ({statistics.median(row.rps):.0f} req/s)")
    return rows


# --- the report --------------------------------------------------------------------------


def table(rows: list[Row]) -> list[str]:
    lines = [
        "| endpoint | bytes | req/s | bare req/s | ratio (rounds' spread) | target | "
        "p50 / p99 ms at half max | queries | errors |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        target = TARGETS.get(row.endpoint.name)
        low, high = row.spread
        p99 = row.paced["p99_us"] / 1000
        met = (
            ""
            if target is None
            else (" ✓" if row.ratio >= target and p99 <= P99_TARGET_MS and not row.errors else " ✗")
        )
        lines.append(
            f"| {row.endpoint.name} (`{row.endpoint.path}`) | "
            f"{row.endpoint.size if not row.endpoint.conditional else '304'} | "
            f"{statistics.median(row.rps):.0f} | {statistics.median(row.bare_rps):.0f} | "
            f"**{row.ratio:.2f}** ({low:.2f}–{high:.2f}) | "
            f"{'≥ ' + format(target, '.1f') if target else ''}{met} | "
            f"{row.paced['p50_us'] / 1000:.1f} / {p99:.1f} at {row.paced['rps']:.0f} req/s | "
            f"{'' if row.queries is None else row.queries} | {row.errors} |"
        )
    return lines


def machine() -> str:
    load = os.getloadavg()
    return (
        f"{os.cpu_count()} CPUs, load average {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} "
        f"(1/5/15 min) at the end; Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}"
    )


def commit() -> str:
    out = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    )
    return out.stdout.strip() or "unknown"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--databases", nargs="+", default=["sqlite", "postgres"])
    parser.add_argument("--scale", default="sample", help="sample, or a corpus scale (1, 0.1…)")
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--fill-only", action="store_true", help="fill the databases, no load")
    options = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("make bench needs wrk: apt-get install wrk")
    started = datetime.datetime.now(datetime.UTC)
    sections = []
    for kind in options.databases:
        print(f"== {kind}, {options.scale}")
        with (
            database(kind, options.scale) as (url, sqlite_file),
            tempfile.TemporaryDirectory(prefix="bench-static-") as static,
        ):
            env = server_environment(url, Path(static))
            fresh = sqlite_file if options.scale == "sample" else None
            fill(env, options.scale, fresh_sample=fresh)
            if options.fill_only:
                continue
            manage(env, "collectstatic", "--noinput", "-v", "0")
            with gunicorn(env) as base:
                found = endpoints(base)
                counts = queries(env, found)
                rows = measure(
                    base, found, seconds=options.seconds, rounds=options.rounds, counts=counts
                )
        if options.fill_only:
            continue
        name = "SQLite" if kind == "sqlite" else "PostgreSQL"
        sections += [f"### {name}, {options.scale}", "", *table(rows), ""]
    if options.fill_only:
        return
    scale = "the sample" if options.scale == "sample" else f"the corpus at scale {options.scale}"
    report = [
        f"# make bench: {scale}, {started:%Y-%m-%d %H:%M} UTC",
        "",
        f"Commit {commit()}; {machine()}. gunicorn -c config/gunicorn.py ({WORKERS} sync "
        f"workers, production settings, DEBUG off, throttles counting); wrk -t2 -c{CONNECTIONS} "
        f"on loopback, {options.rounds} rounds of {options.seconds} s for each endpoint and for "
        "the bare view of its size (`/bench/bare/<size>/`, a JsonResponse), interleaved. Ratio: "
        "median req/s over the bare view's median, with the range of the rounds' ratios. "
        f"Latency: wrk paced to half the median maximum (bench/wrk.lua). Queries: one request "
        "through Django's test client, the throttle's count included. Targets (issue 11): the "
        f"ratio, p99 ≤ {P99_TARGET_MS} ms, no errors. The machine is shared: read the spread.",
        "",
        *sections,
    ]
    RESULTS.mkdir(exist_ok=True)
    label = "sample" if options.scale == "sample" else f"corpus-{options.scale}"
    dated = RESULTS / f"{started:%Y-%m-%d-%H%M}-{label}-{'-'.join(options.databases)}.md"
    dated.write_text("\n".join(report))
    (RESULTS / f"latest-{label}-{'-'.join(options.databases)}.md").write_text("\n".join(report))
    print("\n".join(report))
    print(f"\nWritten to {dated.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
