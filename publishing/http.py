"""Conditional requests, answered from a stored ETag and time before anything else is read.

The API and the learner site serve documents and pages built at publish time, each with its
ETag and last change: a request that names them (``If-None-Match``, ``If-Modified-Since``)
reads those two columns only, and a 304 reads nothing more.
"""

from __future__ import annotations

import hashlib
from datetime import datetime

from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date


def is_conditional(request) -> bool:
    """The request asks for the document only if it changed (a 304 may answer it)."""
    meta = request.META
    return "HTTP_IF_NONE_MATCH" in meta or "HTTP_IF_MODIFIED_SINCE" in meta


def stamped(response: HttpResponse, etag: str, last_modified: datetime | None) -> HttpResponse:
    """The response with the ETag and Last-Modified of what it holds."""
    response["ETag"] = etag
    if last_modified is not None:
        response["Last-Modified"] = http_date(int(last_modified.timestamp()))
    return response


def unchanged(request, etag: str, last_modified: datetime | None) -> HttpResponse | None:
    """304 Not Modified (or 412 for a failed If-Match) when the client's copy is current;
    None when the document must be sent."""
    timestamp = int(last_modified.timestamp()) if last_modified is not None else None
    response = get_conditional_response(request, etag=etag, last_modified=timestamp)
    return None if response is None else stamped(response, etag, last_modified)


# --- bodies as sent -----------------------------------------------------------------------


def keeps_bodies() -> bool:
    """Public documents' bodies are kept in this process (settings.SERVED_BODIES)."""
    return settings.SERVED_BODIES > 0


def _body_key(etag: str, *parts: str) -> str:
    return hashlib.blake2b("\x1f".join((etag, *parts)).encode(), digest_size=16).hexdigest()


def kept_body(etag: str, *parts: str) -> bytes | None:
    """The body sent last for this live ETag and these parts (what, origin), or None.

    Kept by the ETag that the request has just read from the database: a publish changes the
    ETag, so a kept body is never stale, and only public live documents are kept (the callers
    keep nothing else). Local to the process, bounded (Django's local-memory cache)."""
    if not keeps_bodies():
        return None
    return caches["served"].get(_body_key(etag, *parts))


def keep_body(body: bytes, etag: str, *parts: str) -> None:
    if keeps_bodies():
        caches["served"].set(_body_key(etag, *parts), body)
