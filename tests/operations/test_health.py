"""/healthz, and what a request gets when the database fails under it (in process)."""

import json
from unittest import mock

import pytest
from django import db
from django.test import Client

pytestmark = pytest.mark.django_db


def test_healthz_reports_database_cache_and_migrations_as_json(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    report = response.json()
    assert report["status"] == "ok"
    assert {name: check["ok"] for name, check in report["checks"].items()} == {
        "database": True,
        "cache": True,
        "migrations": True,
    }


def test_healthz_is_503_when_the_cache_does_not_keep_what_it_is_given(client):
    with mock.patch("operations.health.cache.get", return_value=None):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["cache"]["ok"] is False


def test_healthz_is_503_when_migrations_are_pending(client):
    import operations.health

    with (
        mock.patch.object(operations.health, "_migrations_current", False),
        mock.patch("operations.health.MigrationExecutor.migration_plan", return_value=[1, 2]),
    ):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["migrations"] == {
        "ok": False,
        "pending": 2,
        "ms": response.json()["checks"]["migrations"]["ms"],
    }


@pytest.mark.parametrize(
    ("exc", "status"),
    [
        (db.OperationalError("connection refused"), 503),
        (db.InterfaceError("connection already closed"), 503),
        (RuntimeError("a bug"), 500),
    ],
)
def test_a_failure_under_a_request_is_a_clear_answer_without_a_trace(exc, status):
    """The database failing mid-request: 503 + Retry-After; any other fault: 500. Problem
    details under /api/, a page elsewhere; never a stack trace."""
    client = Client(raise_request_exception=False)
    with (
        mock.patch("config.api.ContentViewSet.get_queryset", side_effect=exc),
        # An anonymous list without filters runs compiled queries (publishing/prepared.py).
        mock.patch("publishing.prepared.Prepared.count", side_effect=exc),
        mock.patch("learner.views.lesson_selectors.lessons_public", side_effect=exc),
    ):
        api_response = client.get("/api/v1/lessons/")
        page_response = client.get("/")
    assert api_response.status_code == status
    assert api_response["Content-Type"] == "application/problem+json"
    assert json.loads(api_response.content)["status"] == status
    assert page_response.status_code == status
    assert page_response["Content-Type"].startswith("text/html")
    for response in (api_response, page_response):
        assert ("Retry-After" in response) == (status == 503)
        assert "Traceback" not in response.content.decode()
        assert str(exc) not in response.content.decode()
