"""What a request gets when something fails: a clear answer, never a stack trace.

A database that cannot be reached (stopped, restarting, out of connections) is a temporary
fault: 503 with ``Retry-After``, an HTML page for people and problem details under /api/.
Anything else unexpected is a 500 in the same two shapes. The exception itself goes to the
log (Django logs it before calling the handler), not to the client.
"""

from __future__ import annotations

import sys

from django import db
from django.http import HttpResponse, JsonResponse
from django.template import loader

PROBLEM_CONTENT_TYPE = "application/problem+json"
RETRY_AFTER_SECONDS = 30

# Errors that mean "the database is not answering", not "this request is wrong".
UNAVAILABLE = (db.OperationalError, db.InterfaceError)


def database_unavailable(exc: BaseException | None) -> bool:
    while exc is not None:
        if isinstance(exc, UNAVAILABLE):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def _problem(status: int, title: str, detail: str) -> JsonResponse:
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail}
    return JsonResponse(body, status=status, content_type=PROBLEM_CONTENT_TYPE)


def _page(template: str, status: int) -> HttpResponse:
    # No request context: the context processors would read the session from the database.
    return HttpResponse(loader.get_template(template).render(), status=status)


def server_error(request, *args, **kwargs):
    """handler500: 503 + Retry-After when the database is down, 500 otherwise."""
    api = request.path.startswith("/api/")
    if database_unavailable(sys.exc_info()[1]):
        if api:
            response = _problem(
                503,
                "Service Unavailable",
                "The database cannot be reached just now; try again shortly.",
            )
        else:
            response = _page("503.html", 503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        response["Cache-Control"] = "no-store"
        return response
    if api:
        return _problem(500, "Internal Server Error", "Something went wrong on our side.")
    return _page("500.html", 500)
