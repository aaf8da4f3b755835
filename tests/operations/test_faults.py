"""Faults injected into a running site: its PostgreSQL stopped, then started again.

The site runs in its own process on its own PostgreSQL cluster (tests/operations/servers.py),
so that the database can really go away under it, as in production.
"""

import json

import pytest

from tests.operations.servers import PostgresCluster, Site, manage, site_environment


@pytest.fixture(scope="module")
def cluster():
    cluster = PostgresCluster().init()
    cluster.start()
    yield cluster
    cluster.remove()


@pytest.fixture(scope="module")
def site(cluster):
    env = site_environment(DATABASE_URL=cluster.url)
    migrated = manage("migrate", "--noinput", env=env)
    assert migrated.returncode == 0, migrated.stderr
    site = Site(env)
    yield site
    site.stop()


def _no_trace(body: str) -> None:
    assert "Traceback" not in body
    assert "OperationalError" not in body
    assert "psycopg" not in body


def test_a_stopped_database_is_a_503_with_retry_after_and_the_first_request_after_it_succeeds(
    cluster, site
):
    status, _, body = site.get("/api/v1/lessons/")
    assert status == 200, body
    status, _, body = site.get("/healthz")
    assert status == 200
    migrations = json.loads(body)["checks"]["migrations"]
    assert (migrations["ok"], migrations["pending"]) == (True, 0)

    cluster.stop()
    try:
        # The API: problem details, Retry-After, no stack trace.
        status, headers, body = site.get("/api/v1/lessons/")
        assert status == 503
        assert headers["Content-Type"] == "application/problem+json"
        assert int(headers["Retry-After"]) > 0
        assert json.loads(body)["status"] == 503
        _no_trace(body)
        # A person: a page that says so.
        status, headers, body = site.get("/", Accept="text/html")
        assert status == 503
        assert headers["Content-Type"].startswith("text/html")
        assert int(headers["Retry-After"]) > 0
        assert "Back shortly" in body
        _no_trace(body)
        # The health report says which part failed.
        status, headers, body = site.get("/healthz")
        assert status == 503
        report = json.loads(body)
        assert report["status"] == "unavailable"
        assert report["checks"]["database"] == {
            "ok": False,
            "error": "OperationalError",
            "ms": report["checks"]["database"]["ms"],
        }
        assert "Traceback" not in body
    finally:
        cluster.start()

    # The worker's old connection is dead; CONN_HEALTH_CHECKS replaces it, so the very first
    # request after the restart succeeds.
    status, _, body = site.get("/api/v1/lessons/")
    assert status == 200, body
    status, _, _ = site.get("/")
    assert status == 200
    status, _, body = site.get("/healthz")
    assert status == 200
    assert json.loads(body)["status"] == "ok"


def test_after_the_database_restarts_while_a_worker_is_idle_its_first_request_succeeds(
    cluster, site
):
    assert site.get("/api/v1/lessons/")[0] == 200  # the worker now holds a connection
    cluster.stop()
    cluster.start()
    # Without CONN_HEALTH_CHECKS the kept connection is dead and this request fails.
    status, _, body = site.get("/api/v1/lessons/")
    assert status == 200, body
    assert site.get("/")[0] == 200
