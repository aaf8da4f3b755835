"""Views for running the site: the health report and (when asked for) uploaded media."""

from __future__ import annotations

from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from operations import health


@never_cache
@require_GET
def healthz(request):
    """200 when the database, the cache and the migrations are fine, 503 otherwise (JSON)."""
    report = health.report()
    report = {"status": "ok" if report["ok"] else "unavailable", **report}
    return JsonResponse(report, status=200 if report["ok"] else 503)
