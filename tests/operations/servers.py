"""Servers the fault tests start and stop themselves: a PostgreSQL cluster and the site.

Both listen on loopback only, on ports the system picks, and are stopped by the tests.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def postgres_bin() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not found:
        raise RuntimeError(
            "The fault tests start their own PostgreSQL: apt-get install postgresql "
            "(its initdb and pg_ctl under /usr/lib/postgresql/*/bin)."
        )
    return Path(found[-1]).parent


class PostgresCluster:
    """A PostgreSQL cluster on a free loopback port (initdb, start, stop): a throwaway one, or
    one kept in ``directory`` between runs (the benchmarks keep their corpus)."""

    def __init__(self, directory: Path | None = None):
        self.bin = postgres_bin()
        self.dir = directory or Path(tempfile.mkdtemp(prefix="hardening-pg-"))
        self.dir.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, *args: str) -> None:
        command = [str(self.bin / args[0]), *args[1:]]
        if os.geteuid() == 0:  # PostgreSQL refuses to run as root
            shutil.chown(self.dir, "postgres")
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, timeout=60)

    def init(self) -> PostgresCluster:
        if (self.dir / "PG_VERSION").exists():
            return self
        self._run("initdb", "-D", str(self.dir), "-U", "postgres", "-A", "trust", "-E", "UTF8")
        return self

    def start(self) -> None:
        options = (
            f"-c listen_addresses=127.0.0.1 -c port={self.port} "
            f"-c unix_socket_directories={self.dir} -c fsync=off"
        )
        self._run(
            "pg_ctl", "-D", str(self.dir), "-w", "-l", f"{self.dir}/log", "-o", options, "start"
        )

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.dir), "-m", "fast", "-w", "stop")

    def remove(self) -> None:
        with contextlib.suppress(Exception):
            self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


def site_environment(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "DEBUG")}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        ENV_FILE="",
        SECRET_KEY="hardening-" + "k" * 50,
        ALLOWED_HOSTS="127.0.0.1",
        HTTPS="0",
        TESTING="1",  # plain static files storage: no collectstatic needed
    )
    env.update(extra)
    return env


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


class Site:
    """The site in one single-threaded WSGI process, as a worker of an application server:
    one request at a time, its database connection kept between requests."""

    def __init__(self, env: dict[str, str]):
        self.port = free_port()
        code = (
            "import django, sys; from wsgiref.simple_server import make_server, "
            "WSGIRequestHandler\n"
            "class Quiet(WSGIRequestHandler):\n"
            "    def log_message(self, *args): pass\n"
            "from django.core.wsgi import get_wsgi_application\n"
            f"make_server('127.0.0.1', {self.port}, get_wsgi_application(), "
            "handler_class=Quiet).serve_forever()\n"
        )
        self.log = tempfile.NamedTemporaryFile(prefix="hardening-site-", suffix=".log")  # noqa: SIM115 (closed in stop)
        self.process = subprocess.Popen(
            [sys.executable, "-c", code], cwd=ROOT, env=env, stdout=self.log, stderr=self.log
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with (
                contextlib.suppress(OSError),
                socket.create_connection(("127.0.0.1", self.port), timeout=1),
            ):
                return
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"The site did not start: {self.logged()}")

    def get(self, path: str, **headers: str) -> tuple[int, dict[str, str], str]:
        request = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}", headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
                return response.status, dict(response.headers), response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read().decode()

    def logged(self) -> str:
        return Path(self.log.name).read_text(errors="replace")

    def stop(self) -> None:
        self.process.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=10)
        if self.process.poll() is None:
            self.process.kill()
        self.log.close()
