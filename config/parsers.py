"""The API's JSON parser: a body within limits, or a clear 400/413 before any view runs.

DRF's JSONParser reads a body of any size and any depth: 100,000 nested lists end in a
RecursionError (a 500) on every endpoint, the anonymous answer endpoint included. This one:

- refuses a body larger than ``API_JSON_MAX_BYTES`` with 413,
- refuses nesting deeper than ``API_JSON_MAX_DEPTH`` with 400,
- refuses NaN and Infinity (not JSON, RFC 8259) and text that is not UTF-8 with 400,
- refuses strings (keys too) with characters no database stores (NUL, lone surrogates,
  control characters) with 400, naming where they are.
"""

from __future__ import annotations

import json

from django.conf import settings
from rest_framework import exceptions, renderers, status
from rest_framework.parsers import BaseParser

from history.text import find_unstorable

DEFAULT_MAX_DEPTH = 32


class RequestTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "The request body is too large."
    default_code = "too_large"


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not a JSON number")


def _depth_problem(data, max_depth: int) -> bool:
    """Whether ``data`` nests lists and objects deeper than ``max_depth`` (iteratively)."""
    stack = [(data, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            if depth > max_depth:
                return True
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return False


class LimitedJSONParser(BaseParser):
    """JSON within size and depth limits, of characters a database can store.

    Not a subclass of DRF's JSONParser: DRF reads ``request.body`` whole for those before
    parsing, so Django's own limit would answer first, with an HTML 400 instead of a 413.
    """

    media_type = "application/json"
    renderer_class = renderers.JSONRenderer

    @property
    def max_bytes(self) -> int:
        return getattr(settings, "API_JSON_MAX_BYTES", settings.DATA_UPLOAD_MAX_MEMORY_SIZE)

    @property
    def max_depth(self) -> int:
        return getattr(settings, "API_JSON_MAX_DEPTH", DEFAULT_MAX_DEPTH)

    def parse(self, stream, media_type=None, parser_context=None):
        parser_context = parser_context or {}
        request = parser_context.get("request")
        too_large = RequestTooLarge(
            f"The request body is larger than {self.max_bytes:,} bytes; send less at a time."
        )
        declared = request.META.get("CONTENT_LENGTH") if request is not None else None
        if declared and str(declared).isdigit() and int(declared) > self.max_bytes:
            raise too_large
        raw = stream.read(self.max_bytes + 1)
        if len(raw) > self.max_bytes:
            raise too_large
        encoding = parser_context.get("encoding", settings.DEFAULT_CHARSET)
        try:
            text = raw.decode(encoding)
        except (UnicodeDecodeError, LookupError) as exc:
            raise exceptions.ParseError(f"The body is not {encoding} text: {exc.reason}.") from exc
        try:
            data = json.loads(text, parse_constant=_refuse_constant)
        except RecursionError as exc:
            raise exceptions.ParseError(self._too_deep()) from exc
        except ValueError as exc:
            raise exceptions.ParseError(f"JSON parse error: {exc}") from exc
        # Fewer brackets than the limit cannot nest deeper than it: skip the walk.
        if text.count("[") + text.count("{") > self.max_depth and _depth_problem(
            data, self.max_depth
        ):
            raise exceptions.ParseError(self._too_deep())
        found = find_unstorable(data)
        if found is not None:
            path, reason = found
            raise exceptions.ValidationError({path or "non_field_errors": [reason]})
        return data

    def _too_deep(self) -> str:
        return f"The JSON nests lists and objects more than {self.max_depth} deep."
