"""Several app servers on one database: what one publishes the other serves at once, with the
same ETag, and throttles count the requests both let through.

Two gunicorn servers run as the README serves production (config/gunicorn.py), on one
database: the test run's own PostgreSQL server (a database of their own) or one SQLite file;
their cache is Django's database cache, or a Redis server started here. Nothing is cached
per server, so nothing waits for a cache to expire: every step waits for a response only.
"""

from __future__ import annotations

import contextlib
import json
import re
import shutil
import signal
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.db import connection

from tests.operations.servers import ROOT, free_port, site_environment

GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
USER_LIMIT = 10  # API requests a day for an authenticated client, on both servers together


@pytest.fixture(scope="module")
def database_url(django_db_blocker):
    """A database for the servers, of the kind this test run uses, migrated."""
    directory = Path(tempfile.mkdtemp(prefix="servers-db-"))
    with django_db_blocker.unblock():
        settings = connection.settings_dict
        vendor = connection.vendor
    if vendor == "postgresql":
        import psycopg

        name = f"{settings['NAME']}_servers"[:63]
        admin = psycopg.connect(
            host=settings["HOST"],
            port=settings["PORT"] or 5432,
            user=settings["USER"],
            password=settings["PASSWORD"] or None,
            dbname="postgres",
            autocommit=True,
        )
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
        password = f":{settings['PASSWORD']}" if settings["PASSWORD"] else ""
        url = (
            f"postgres://{settings['USER']}{password}@{settings['HOST']}:"
            f"{settings['PORT'] or 5432}/{name}"
        )
    else:
        url = f"sqlite:///{directory}/db.sqlite3"
    _manage(url, "migrate", "--noinput")
    yield url
    if vendor == "postgresql":
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()
    shutil.rmtree(directory, ignore_errors=True)


def _environment(database_url: str, **extra: str) -> dict[str, str]:
    return site_environment(
        DATABASE_URL=database_url,
        MEDIA_ROOT=tempfile.gettempdir(),
        API_THROTTLE_USER=f"{USER_LIMIT}/day",
        # Each server keeps the bodies it sent, as production does: what one publishes, the
        # other must still serve at once.
        SERVED_BODIES="500",
        **extra,
    )


def _manage(database_url: str, *args: str) -> str:
    done = subprocess.run(
        [str(ROOT / ".venv/bin/python"), "manage.py", *args],
        cwd=ROOT,
        env=_environment(database_url),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


@pytest.fixture(scope="module", params=["database cache", "redis"])
def cache_url(request):
    """REDIS_URL for the servers: none (Django's database cache), or a Redis started here."""
    if request.param == "database cache":
        yield ""
        return
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.fail("The shared-cache tests need redis-server: apt-get install redis-server")
    port = free_port()
    directory = tempfile.mkdtemp(prefix="servers-redis-")
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--dir", directory],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    _wait_for(lambda: _connects(port), "redis-server to listen")
    yield f"redis://127.0.0.1:{port}/0"
    process.terminate()
    process.wait(timeout=10)
    shutil.rmtree(directory, ignore_errors=True)


class Server:
    """One gunicorn server, started as the README starts production (one worker here)."""

    def __init__(self, env: dict[str, str]):
        self.port = free_port()
        self.log = tempfile.NamedTemporaryFile(prefix="servers-gunicorn-", suffix=".log")  # noqa: SIM115 (closed in stop)
        self.process = subprocess.Popen(
            [str(GUNICORN), "-c", "config/gunicorn.py", "config.wsgi"],
            cwd=ROOT,
            env={**env, "GUNICORN_BIND": f"127.0.0.1:{self.port}", "GUNICORN_WORKERS": "1"},
            stdout=self.log,
            stderr=self.log,
        )

    def wait(self) -> Server:
        _wait_for(lambda: self.request("GET", "/healthz")[0] == 200, "gunicorn to answer")
        return self

    def request(self, method: str, path: str, body=None, **headers: str):
        data = None if body is None else json.dumps(body).encode()
        if data is not None:
            headers["Content-Type"] = "application/json"
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}{path}", data=data, method=method, headers=headers
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 (loopback)
                return response.status, response.headers, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read().decode()
        except OSError:
            if self.process.poll() is not None:
                raise RuntimeError(Path(self.log.name).read_text()) from None
            return 0, {}, ""

    def stop(self) -> None:
        self.process.send_signal(signal.SIGINT)  # gunicorn's quick shutdown
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=10)
        if self.process.poll() is None:
            self.process.kill()
        self.log.close()


def _connects(port: int) -> bool:
    import socket

    with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
        return True
    return False


def _wait_for(condition, what: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"Waited {seconds} s for {what}")
        time.sleep(0.05)


@pytest.fixture(scope="module")
def servers(database_url, cache_url):
    env = _environment(database_url, REDIS_URL=cache_url)
    started = [Server(env), Server(env)]
    try:
        yield [server.wait() for server in started]
    finally:
        for server in started:
            server.stop()


@pytest.fixture(scope="module")
def tokens(database_url) -> dict[str, dict[str, str]]:
    """Authorization headers of an editor who publishes and of a teacher who reads."""
    script = (
        "from django.contrib.auth.models import Group, User\n"
        "from rest_framework.authtoken.models import Token\n"
        "for name, groups in (('editor', ['Editors', 'Publishers']), ('teacher', ['Teachers'])):\n"
        "    user = User.objects.create_user(name, is_staff=True)\n"
        "    user.groups.add(*Group.objects.filter(name__in=groups))\n"
        "    print(name, Token.objects.create(user=user).key)\n"
    )
    out = _manage(database_url, "shell", "-c", script)
    return {
        name: {"Authorization": f"Token {key}"}
        for name, key in re.findall(r"^(\w+) (\w+)$", out, re.MULTILINE)
    }


def test_what_one_server_publishes_the_other_serves_at_once(servers, tokens, cache_url):
    one, other = servers
    suffix = "redis" if cache_url else "db"
    token = tokens["editor"]
    slug = f"petofi-circle-{suffix}"
    api, page = f"/api/v1/concepts/{slug}/", f"/glossary/{slug}/"

    created = one.request(
        "POST",
        "/api/v1/concepts/",
        {"term": f"Petőfi Circle {suffix}", "definition": "A debating club."},
        **token,
    )
    assert created[0] == 201, created
    assert other.request("GET", api)[0] == 404  # a draft: on neither server
    assert other.request("GET", page)[0] == 404
    assert one.request("POST", f"{api}publish/", {}, **token)[0] == 200

    status, headers, body = other.request("GET", api)
    assert status == 200
    assert json.loads(body)["definition"] == "A debating club."
    first_etag = headers["ETag"]
    assert one.request("GET", api)[1]["ETag"] == first_etag  # one ETag, whichever server

    version = json.loads(one.request("GET", api, **token)[2])["version"]
    changed = one.request(
        "PATCH", api, {"definition": "Young writers who met in Budapest.", "version": version},
        **token,
    )  # fmt: skip
    assert changed[0] == 200, changed
    # The change is a working copy: the other server still serves the live version.
    assert other.request("GET", api, **{"If-None-Match": first_etag})[0] == 304
    assert "Young writers" not in other.request("GET", page)[2]

    assert one.request("POST", f"{api}publish/", {}, **token)[0] == 200
    status, headers, body = other.request("GET", api, **{"If-None-Match": first_etag})
    assert status == 200
    assert json.loads(body)["definition"] == "Young writers who met in Budapest."
    assert headers["ETag"] != first_etag
    assert one.request("GET", api)[1]["ETag"] == headers["ETag"]
    # Unconditional reads too: the bodies the other server kept of the first version are
    # not what it sends now.
    assert json.loads(other.request("GET", api)[2])["definition"].startswith("Young writers")
    assert "Young writers who met in Budapest." in other.request("GET", page)[2]


def test_throttles_count_the_requests_both_servers_let_through(servers, tokens, cache_url):
    one, other = servers
    token = tokens["teacher"]
    # Windows are days (UTC): start in one that has room for the whole test.
    _wait_for(lambda: time.time() % 86400 < 86400 - 120, "a UTC day with two minutes left", 200)
    for i in range(USER_LIMIT):
        server = (one, other)[i % 2]
        assert server.request("GET", "/api/v1/concepts/", **token)[0] == 200, i
    for server in (one, other):
        status, headers, _ = server.request("GET", "/api/v1/concepts/", **token)
        assert status == 429
        assert int(headers["Retry-After"]) > 0
    # Another client is counted on its own.
    assert other.request("GET", "/api/v1/concepts/")[0] == 200
