"""Middleware of the whole site: requests a database cannot answer are refused first.

A NUL character in a path (``/api/v1/lessons/a%00b/``) reached the database as a slug, which
PostgreSQL refuses with an error (a 500); in a query parameter it did the same to filters and
search. Such a path names nothing (404); such a parameter is a bad request (400): problem
details under /api/, the site's pages elsewhere. Other control characters are harmless in a
parameter (it is not stored), so only NUL is refused there.
"""

from __future__ import annotations

from django.core.exceptions import BadRequest
from django.http import Http404, JsonResponse

from history.text import unstorable_reason

# Parameters are not stored: only what a database cannot even compare is refused.
UNQUERYABLE = ("\x00",)


class UnstorableInputMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if unstorable_reason(request.path_info):
            raise Http404("No such page.")
        found = next(
            (
                (name, unstorable_reason(value))
                for name, values in request.GET.lists()
                for value in values
                if any(char in value for char in UNQUERYABLE)
            ),
            None,
        )
        if found is not None:
            name, reason = found
            if request.path_info.startswith("/api/"):
                return JsonResponse(
                    {
                        "type": "about:blank",
                        "title": "Bad Request",
                        "status": 400,
                        "detail": f"{name}: {reason}",
                        "errors": {name: [reason]},
                    },
                    status=400,
                    content_type="application/problem+json",
                )
            raise BadRequest(f"The parameter “{name}”: {reason}")
        return self.get_response(request)
