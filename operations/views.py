"""Views for running the site: the health report and (when asked for) uploaded media."""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import SuspiciousFileOperation
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


@require_GET
def media(request, path):
    """An uploaded image from MEDIA_ROOT, when SERVE_MEDIA is on (404 otherwise).

    Only the image types uploads are stored as, with their own media type (never guessed), a
    sandboxing Content-Security-Policy and nosniff, so that no file can run as a page.
    """
    from django.conf import settings
    from django.http import FileResponse, Http404
    from django.utils._os import safe_join

    from history.images import MEDIA_TYPES

    if not settings.SERVE_MEDIA:
        raise Http404("Media is served by the web server.")
    extension = path.rsplit(".", 1)[-1].lower() if "." in path else ""
    if extension not in MEDIA_TYPES:
        raise Http404("Not an image.")
    try:
        full = Path(safe_join(settings.MEDIA_ROOT, path))
    except (ValueError, SuspiciousFileOperation) as exc:
        raise Http404("No such file.") from exc
    if not full.is_file():
        raise Http404("No such file.")
    response = FileResponse(full.open("rb"), content_type=MEDIA_TYPES[extension])
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "public, max-age=3600"
    return response
