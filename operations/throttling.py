"""Throttling the site's forms, and the 429 answers (with Retry-After) of every limit.

``SITE_THROTTLES`` maps a URL name and method to a rate, e.g.
``{"search:search": {"GET": "120/minute"}}``; ``SiteThrottleMiddleware`` counts requests per
client address with DRF's rate throttle (the same cache, the same ``X-Forwarded-For``
handling as the API's throttles), so a new form is throttled by one line of settings. The
count lives in the default cache, which every server shares (the database, or Redis when
``REDIS_URL`` is set). django-axes' lockout answers through ``axes_lockout`` here, so that it
too says when to come back.
"""

from __future__ import annotations

import math

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.template import loader
from rest_framework.throttling import SimpleRateThrottle


class SiteRateThrottle(SimpleRateThrottle):
    """A rate for one scope, counted per client address."""

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
