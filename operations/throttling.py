"""Throttling the API and the site's forms, and the 429 answers (with Retry-After) of every limit.

Every throttle counts requests per client in fixed windows of its rate's duration (``120/minute``:
at most 120 requests from 12:00:00 to 12:00:59), with one atomic increment a request in a store
every server shares (``hit``): Redis's ``INCR`` when ``REDIS_URL`` is set (any cache but the
database's: Django's ``incr``), or, with Django's database cache, one ``INSERT … ON CONFLICT …
RETURNING`` on ``ThrottleCount``. DRF's own throttles keep a list of times per client, read and
written again whole on every request (five statements and a commit on the database cache, and
two servers may each write over the other's list); a window counts the same requests in one
statement, and lets a client that waited out a window start the next at once.

``SITE_THROTTLES`` maps a URL name and method to a rate, e.g.
``{"search:search": {"GET": "120/minute"}}``; ``SiteThrottleMiddleware`` counts requests per
client address with the same throttle (and the same ``X-Forwarded-For`` handling as the API's),
so a new form is throttled by one line of settings. django-axes' lockout answers through
``axes_lockout`` here, so that it too says when to come back.
"""

from __future__ import annotations

import functools
import math
from datetime import timedelta

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.utils import timezone
from rest_framework import throttling


def hit(key: str, *, seconds: int, store=None) -> int:
    """Count one request under ``key`` (which names its window) in ``store`` (default: the
    default cache); the count so far, as every server sees it. Kept ``seconds`` at least."""
    store = store if store is not None else caches["default"]
    if isinstance(store, DatabaseCache):
        return _hit_in_database(key, seconds)
    store.add(key, 0, seconds)
    try:
        return store.incr(key)
    except ValueError:  # expired between the two calls
        store.add(key, 1, seconds)
        return 1


@functools.cache
def _counting_sql(vendor: str) -> tuple[str, str]:
    from operations.models import ThrottleCount

    quote = connection.ops.quote_name
    table = quote(ThrottleCount._meta.db_table)
    key, count, expires = quote("key"), quote("count"), quote("expires")
    return (
        f"INSERT INTO {table} ({key}, {count}, {expires}) VALUES (%s, 1, %s) "  # noqa: S608
        f"ON CONFLICT ({key}) DO UPDATE SET {count} = {table}.{count} + 1 RETURNING {count}",
        f"DELETE FROM {table} WHERE {expires} < %s",  # noqa: S608
    )


def _hit_in_database(key: str, seconds: int) -> int:
    count, forget = _counting_sql(connection.vendor)
    now = timezone.now()
    adapt = connection.ops.adapt_datetimefield_value
    with connection.cursor() as cursor:
        cursor.execute(count, [key, adapt(now + timedelta(seconds=seconds))])
        counted = cursor.fetchone()[0]
        if counted == 1:  # a new window: forget those that have passed
            cursor.execute(forget, [adapt(now)])
    return counted


class WindowThrottleMixin:
    """A DRF rate throttle that counts in fixed windows with ``hit`` (see the module)."""

    cache = None  # the default cache

    def allow_request(self, request, view):
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        self.now = self.timer()
        window = int(self.now // self.duration)
        self.window_ends = (window + 1) * self.duration
        counted = hit(f"{self.key}:{window}", seconds=self.duration, store=self.cache)
        return counted <= self.num_requests

    def wait(self):
        return max(0.0, self.window_ends - self.now)


class AnonRateThrottle(WindowThrottleMixin, throttling.AnonRateThrottle):
    """The API's limit for anonymous clients (``API_THROTTLE_ANON``), per address."""


class UserRateThrottle(WindowThrottleMixin, throttling.UserRateThrottle):
    """The API's limit for authenticated clients (``API_THROTTLE_USER``), per user.

    DRF's counts anonymous clients too, per address at the users' (higher) rate, a second
    count that could never refuse what the anonymous limit lets through; it is left out.
    """

    def get_cache_key(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return None
        return super().get_cache_key(request, view)


class SiteRateThrottle(WindowThrottleMixin, throttling.SimpleRateThrottle):
    """A rate for one scope of the site, counted per client address."""

    def __init__(self, scope: str, rate: str):
        self.scope = scope
        self.rate = rate
        self.num_requests, self.duration = self.parse_rate(rate)

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


def too_many_requests(request, *, wait: float, message: str = "") -> HttpResponse:
    """429 with Retry-After (whole seconds): JSON for scripts, a page for people."""
    seconds = max(1, math.ceil(wait))
    if request.headers.get("Accept", "").startswith("application/json"):
        response = JsonResponse(
            {
                "type": "about:blank",
                "title": "Too Many Requests",
                "status": 429,
                "detail": f"{message or 'Too many requests.'} Try again in {seconds} seconds.",
            },
            status=429,
            content_type="application/problem+json",
        )
    else:
        page = loader.get_template("429.html").render({"wait": seconds, "message": message})
        response = HttpResponse(page, status=429)
    response["Retry-After"] = str(seconds)
    response["Cache-Control"] = "no-store"
    return response


class SiteThrottleMiddleware:
    """Applies ``SITE_THROTTLES`` to the views they name (by URL name and method)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        rate = getattr(settings, "SITE_THROTTLES", {}).get(match.view_name, {}).get(request.method)
        if not rate:
            return None
        throttle = SiteRateThrottle(match.view_name, rate)
        if throttle.allow_request(request, None):
            return None
        return too_many_requests(
            request,
            wait=throttle.wait() or throttle.duration,
            message="You sent this form more often than the site takes in a short time.",
        )


def axes_lockout(request, original_response=None, credentials=None) -> HttpResponse:
    """django-axes' lockout: 429 with Retry-After (the cool-off), for people and scripts."""
    from axes.helpers import get_cool_off

    cool_off = get_cool_off(request)
    return too_many_requests(
        request,
        wait=cool_off.total_seconds() if cool_off else 3600,
        message="Too many failed attempts to log in from this address.",
    )


def axes_username(request, credentials=None) -> str:
    """The user name django-axes records, cut to fit its column on every database.

    Axes stores what was typed as it was (255 characters at most on PostgreSQL), so a longer
    name, or one with NUL, failed the login page with a database error instead of a refusal.
    """
    field = getattr(settings, "AXES_USERNAME_FORM_FIELD", "username")
    name = (credentials or {}).get(field) if credentials else request.POST.get(field, "")
    return str(name or "").replace("\x00", "")[:150]
