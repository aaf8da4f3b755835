"""Brute force: login lockout per address, Retry-After on every 429, the site's forms
throttled, and throttle counts shared by every server (database cache, Redis)."""

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from django.core.cache.backends.db import DatabaseCache
from django.core.cache.backends.redis import RedisCache
from django.test import Client, override_settings

from operations.throttling import SiteRateThrottle
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def _login(client, username, password="wrong-password", address="203.0.113.7"):
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": username, "password": password},
        REMOTE_ADDR=address,
    )


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3)
def test_one_password_sprayed_over_many_user_names_locks_the_address_with_retry_after():
    client = Client()
    for i in range(2):
        assert _login(client, f"teacher{i}").status_code == 200  # the form again, with an error
    assert _login(client, "teacher2").status_code == 429  # the third failure locks
    response = _login(client, "teacher99")
    assert response.status_code == 429
    assert int(response["Retry-After"]) == 15 * 60  # the cool-off
    assert "Too many failed attempts" in response.content.decode()
    # Another address is not locked.
    assert _login(client, "teacher99", address="198.51.100.1").status_code == 200


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3)
def test_the_lockout_holds_even_for_the_right_password():
    user = factories.editor(username="edna")
    user.set_password("the-right-one-2024")
    user.save()
    client = Client()
    for _ in range(3):
        _login(client, "edna")
    response = _login(client, "edna", password="the-right-one-2024")
    assert response.status_code == 429
    assert "Retry-After" in response


@override_settings(SITE_THROTTLES={"search:search": {"GET": "2/minute"}})
def test_the_search_page_is_throttled_per_address_with_retry_after():
    client = Client()
    for _ in range(2):
        assert client.get("/search/", {"q": "stalin"}, REMOTE_ADDR="203.0.113.8").status_code == 200
    response = client.get("/search/", {"q": "stalin"}, REMOTE_ADDR="203.0.113.8")
    assert response.status_code == 429
    assert response["Content-Type"].startswith("text/html")
    assert 1 <= int(response["Retry-After"]) <= 60
    assert "Too many requests" in response.content.decode()
    assert client.get("/search/", {"q": "x"}, REMOTE_ADDR="203.0.113.9").status_code == 200


@override_settings(SITE_THROTTLES={"learner:answer": {"POST": "1/minute"}})
def test_answers_posted_to_the_site_are_throttled_and_scripts_get_problem_details(sample):
    from lessons.models import Lesson, Question

    lesson = Lesson.objects.live().get()
    question = Question.objects.filter(lesson=lesson).first()
    url = f"/lessons/{lesson.slug}/questions/{question.pk}/answer/"
    client = Client()
    first = client.post(url, {}, HTTP_ACCEPT="application/json")
    assert first.status_code in (200, 400)
    response = client.post(url, {}, HTTP_ACCEPT="application/json")
    assert response.status_code == 429
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == 429
    assert int(response["Retry-After"]) >= 1


# The API's own 429 with Retry-After: tests/api/test_http.py.


# --- shared across servers -------------------------------------------------------------------


def _Request():
    from django.test import RequestFactory

    return RequestFactory().get("/search/", REMOTE_ADDR="203.0.113.10")


def _two_servers_share_one_count(first_cache, second_cache):
    """A throttle on one server counts what another server let through."""
    on_first, on_second = (
        SiteRateThrottle("shared", "3/minute"),
        SiteRateThrottle("shared", "3/minute"),
    )
    on_first.cache, on_second.cache = first_cache, second_cache
    assert on_first.allow_request(_Request(), None)
    assert on_second.allow_request(_Request(), None)
    assert on_first.allow_request(_Request(), None)
    assert not on_second.allow_request(_Request(), None)
    assert on_second.wait() > 0


def test_the_database_cache_shares_throttle_counts_between_servers():
    # Two cache objects over one table, as two servers over one database.
    from django.core.management import call_command

    call_command("createcachetable", "throttle_test_cache", verbosity=0)
    first, second = (
        DatabaseCache("throttle_test_cache", {}),
        DatabaseCache("throttle_test_cache", {}),
    )
    _two_servers_share_one_count(first, second)


@pytest.fixture
def redis_server():
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.fail("The Redis cache test needs redis-server: apt-get install redis-server")
    directory = Path(tempfile.mkdtemp(prefix="hardening-redis-"))
    socket_path = directory / "redis.sock"
    process = subprocess.Popen(
        [
            binary,
            "--port",
            "0",
            "--unixsocket",
            str(socket_path),
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(directory),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while not socket_path.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    yield f"unix://{socket_path}"
    process.terminate()
    process.wait(timeout=10)
    shutil.rmtree(directory, ignore_errors=True)


def test_the_redis_cache_shares_throttle_counts_between_servers(redis_server):
    first, second = RedisCache(redis_server, {}), RedisCache(redis_server, {})
    _two_servers_share_one_count(first, second)


@pytest.mark.parametrize(
    ("redis_url", "backend"),
    [
        ("", "django.core.cache.backends.db.DatabaseCache"),
        ("redis://127.0.0.1:6379/0", "django.core.cache.backends.redis.RedisCache"),
    ],
)
def test_the_settings_choose_the_database_cache_or_redis_when_redis_url_is_set(redis_url, backend):
    from tests.operations.servers import ROOT, site_environment

    env = site_environment(REDIS_URL=redis_url)
    env.pop("TESTING")
    code = "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])"
    out = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert out.stdout.strip() == backend


def _view_names(patterns=None, namespace=""):
    from django.urls import URLPattern, URLResolver, get_resolver

    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _view_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"


def test_every_throttled_view_name_names_a_view():
    """A renamed or moved view would otherwise silently lose its throttle."""
    from django.conf import settings

    names = set(_view_names())
    assert set(settings.SITE_THROTTLES) <= names, set(settings.SITE_THROTTLES) - names


# --- counting ------------------------------------------------------------------------------


def _throttle(rate="3/minute", *, at=1_000_000.0, cache=None):
    throttle = SiteRateThrottle("counted", rate)
    throttle.timer = lambda: at
    if cache is not None:
        throttle.cache = cache
    return throttle


def test_a_window_lets_the_rate_through_then_refuses_until_it_ends():
    request = _Request()
    for _ in range(3):
        assert _throttle(at=1_000_010.0).allow_request(request, None)
    refused = _throttle(at=1_000_010.0)
    assert not refused.allow_request(request, None)
    # The window began at 999,960 s (a multiple of 60) and ends 10 s after this request.
    assert refused.wait() == pytest.approx(10.0)
    assert _throttle(at=1_000_020.0).allow_request(request, None)  # the next window


def test_the_database_counts_in_one_statement_and_forgets_past_windows(
    django_assert_num_queries,
):
    from operations.models import ThrottleCount
    from operations.throttling import hit

    database = DatabaseCache("cache", {})
    ThrottleCount.objects.create(key="old", count=9, expires="2000-01-01T00:00:00Z")
    with django_assert_num_queries(2):  # a new window: counted, and past ones forgotten
        assert hit("k:1", seconds=60, store=database) == 1
    with django_assert_num_queries(1):
        assert hit("k:1", seconds=60, store=database) == 2
    assert not ThrottleCount.objects.filter(key="old").exists()
    assert ThrottleCount.objects.get(key="k:1").count == 2


def test_on_postgresql_throttle_counts_write_no_write_ahead_log():
    """A logged table made each API request wait for an fsync at its commit (migration 0003)."""
    from django.db import connection

    from operations.models import ThrottleCount

    if connection.vendor != "postgresql":
        pytest.skip("UNLOGGED is PostgreSQL's")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relpersistence FROM pg_class WHERE relname = %s",
            [ThrottleCount._meta.db_table],
        )
        assert cursor.fetchone() == ("u",)


def test_a_forged_forwarded_for_address_does_not_escape_the_limit():
    from django.test import RequestFactory

    for i in range(4):
        request = RequestFactory().get(
            "/search/", REMOTE_ADDR="203.0.113.11", HTTP_X_FORWARDED_FOR=f"198.51.100.{i}"
        )
        allowed = _throttle(at=2_000_010.0).allow_request(request, None)
        assert allowed == (i < 3), i


def test_an_anonymous_api_client_is_counted_once_per_request(api_client_queries):
    keys = api_client_queries
    assert len(keys) == 1 and keys[0].startswith("throttle_anon_")


@pytest.fixture
def api_client_queries(monkeypatch):
    """The keys the API's throttles count under for one anonymous request."""
    from operations import throttling

    counted = []
    real = throttling.hit

    def hit(key, **kwargs):
        counted.append(key)
        return real(key, **kwargs)

    monkeypatch.setattr(throttling, "hit", hit)
    Client().get("/api/v1/concepts/")
    return counted
