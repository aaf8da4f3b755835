"""What every API v1 endpoint shares: errors, permissions, search, caching, schema.

- Errors are RFC 9457 problem details (``application/problem+json``) everywhere; validation
  errors add ``errors``: ``{"field": ["why"]}``.
- Anonymous clients read published content only; a user with the model's ``view_`` permission
  (editors, publishers) reads drafts too.
- Details carry an ETag and Last-Modified and answer conditional requests with 304.
- ``?search=`` is one filter backend (``ApiSearchFilter``) so that a ranked search can replace
  it in one place.
"""

from __future__ import annotations

import functools
import hashlib
import json
from datetime import datetime

import django_filters
from django import forms
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q
from django.db.models.expressions import RawSQL
from django.http import Http404, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import (
    exceptions,
    filters,
    mixins,
    permissions,
    routers,
    serializers,
    status,
    viewsets,
)
from rest_framework.decorators import action
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler

from publishing import live
from publishing import services as publishing
from publishing.http import is_conditional, keep_body, keeps_bodies, kept_body, stamped, unchanged
from publishing.prepared import Prepared
from publishing.services import ConflictError, StateError
from publishing.viewer import Viewer, request_viewer
from search.selectors import ranked_ids

PROBLEM_CONTENT_TYPE = "application/problem+json"
ANONYMOUS_MAX_AGE = 60  # seconds a shared cache may keep an anonymous read


# --- errors ------------------------------------------------------------------------------


class ProblemSerializer(serializers.Serializer):
    """An error, as RFC 9457 problem details."""

    type = serializers.CharField(help_text="A URI naming the kind of problem (about:blank).")
    title = serializers.CharField(help_text="The HTTP status in words.")
    status = serializers.IntegerField(help_text="The HTTP status code.")
    detail = serializers.CharField(help_text="What went wrong, in words a person can act on.")
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text=(
            "Validation errors: each field (or non_field_errors; items of a list as "
            "field.0) and why it was refused."
        ),
    )


def _first_message(detail) -> str:
    if isinstance(detail, dict):
        for value in detail.values():
            return _first_message(value)
    if isinstance(detail, list):
        return _first_message(detail[0]) if detail else ""
    return str(detail)


def _flatten(errors, prefix: str = "") -> dict[str, list[str]]:
    """{"answer": {"0": ["…"]}} → {"answer.0": ["…"]}: one list of reasons per field path."""
    flat: dict[str, list[str]] = {}
    if isinstance(errors, dict):
        for key, value in errors.items():
            flat.update(_flatten(value, f"{prefix}.{key}" if prefix else str(key)))
    elif isinstance(errors, list) and any(isinstance(v, dict | list) for v in errors):
        for index, value in enumerate(errors):
            if value:
                flat.update(_flatten(value, f"{prefix}.{index}"))
    else:
        items = errors if isinstance(errors, list) else [errors]
        flat[prefix or "non_field_errors"] = [str(item) for item in items]
    return flat


def problem_response(status_code: int, detail: str, errors=None, headers=None) -> Response:
    from http import HTTPStatus

    body = {
        "type": "about:blank",
        "title": HTTPStatus(status_code).phrase,
        "status": status_code,
        "detail": detail,
    }
    if errors is not None:
        body["errors"] = errors
    response = Response(body, status=status_code, headers=headers)
    response.content_type = PROBLEM_CONTENT_TYPE
    return response


def problem_exception_handler(exc, context):
    """Every error as problem details; services' Django errors become 400/403/409."""
    from django.core.exceptions import RequestDataTooBig

    if isinstance(exc, RequestDataTooBig):
        return problem_response(413, "The request body is too large.")
    if isinstance(exc, (ConflictError, StateError)):
        return problem_response(status.HTTP_409_CONFLICT, _first_message(exc.messages))
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(detail=as_serializer_error(exc))
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound(str(exc) or None)
    response = exception_handler(exc, context)
    if response is None:
        return None
    errors = None
    if isinstance(exc, exceptions.ValidationError):
        errors = _flatten(exc.detail)
        detail = "; ".join(
            f"{field}: {_first_message(messages)}" for field, messages in errors.items()
        )
    else:
        detail = _first_message(exc.detail)
    problem = problem_response(response.status_code, detail, errors)
    for header in ("WWW-Authenticate", "Retry-After", "Allow"):
        if header in response:
            problem[header] = response[header]
    return problem


def is_api(request) -> bool:
    return request.path.startswith("/api/")


def problem(status_code: int, detail: str, headers=None) -> JsonResponse:
    """Problem details outside DRF (Django's own error handlers, middleware)."""
    from http import HTTPStatus

    body = {
        "type": "about:blank",
        "title": HTTPStatus(status_code).phrase,
        "status": status_code,
        "detail": detail,
    }
    response = JsonResponse(body, status=status_code, content_type=PROBLEM_CONTENT_TYPE)
    for name, value in (headers or {}).items():
        response[name] = value
    return response


# Django's error handlers (config/urls.py): problem details under /api/, the site's pages
# elsewhere. They answer what goes wrong outside a view: no URL matched, a body too large, a
# failed CSRF check, an unhandled error.


def not_found(request, exception=None):
    if not is_api(request):
        from django.views.defaults import page_not_found

        return page_not_found(request, exception)
    return problem(404, "Not found.")


def bad_request(request, exception=None):
    from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent

    too_big = isinstance(exception, RequestDataTooBig | TooManyFieldsSent)
    if not is_api(request):
        from django.views.defaults import bad_request as page

        response = page(request, exception)
        if too_big:
            response.status_code = 413
        return response
    if too_big:
        return problem(413, "The request body is too large.")
    return problem(400, "The request is not valid.")


def permission_denied(request, exception=None):
    if not is_api(request):
        from django.views.defaults import permission_denied as page

        return page(request, exception)
    return problem(403, str(exception) if exception and str(exception) else "Forbidden.")


def csrf_failure(request, reason=""):
    if not is_api(request):
        from django.views.csrf import csrf_failure as page

        return page(request, reason)
    return problem(403, f"CSRF check failed: {reason}" if reason else "CSRF check failed.")


# --- input -------------------------------------------------------------------------------


class StrictInput(serializers.Serializer):
    """JSON input of the types the schema gives: no 5 for "5", no {} for a list.

    DRF coerces by default ("5" → 5, 0 → "0", {} → []); the schema promises stricter input and
    clients learn of their mistakes sooner.
    """

    def to_internal_value(self, data):
        if isinstance(data, dict):
            errors = {}
            for name, field in self.fields.items():
                if field.read_only or name not in data or data[name] is None:
                    continue
                problem = _type_problem(field, data[name])
                if problem:
                    errors[name] = [problem]
            if errors:
                raise exceptions.ValidationError(errors)
        return super().to_internal_value(data)


def _type_problem(field, value) -> str | None:
    is_int = isinstance(value, int) and not isinstance(value, bool)
    if isinstance(field, serializers.ManyRelatedField | serializers.ListField):
        if not isinstance(value, list):
            return "Must be a list."
        child = getattr(field, "child", None) or getattr(field, "child_relation", None)
        for item in value:
            problem = _type_problem(child, item) if child is not None else None
            if problem:
                return f"Each item: {problem[0].lower()}{problem[1:]}"
    elif isinstance(field, serializers.CharField | serializers.SlugRelatedField):
        if not isinstance(value, str):
            return "Must be a string."
        if "\x00" in value:  # PostgreSQL cannot store or compare it
            return "Must not contain the NUL character (U+0000)."
    elif isinstance(field, serializers.IntegerField | serializers.PrimaryKeyRelatedField):
        if not is_int:
            return "Must be a whole number."
    elif isinstance(field, serializers.BooleanField) and not isinstance(value, bool):
        return "Must be true or false."
    return None


# --- permissions -------------------------------------------------------------------------


class ContentPermissions(permissions.DjangoModelPermissionsOrAnonReadOnly):
    """Anyone reads; writes need the model's add/change permission (as in the admin)."""

    authenticated_users_only = False

    def has_permission(self, request, view):
        # A read needs no model permission (the read layer decides what each reader sees), so
        # the view's queryset is not built only to find that out.
        if request.method in permissions.SAFE_METHODS:
            return True
        return super().has_permission(request, view)


def viewer_of(request) -> Viewer:
    """The read layer's viewer of an API request (DRF's request has the authenticated user)."""
    return request_viewer(request)


# --- lists -------------------------------------------------------------------------------


class ApiPagination(PageNumberPagination):
    """``?page=`` (from 1) and ``?page_size=`` (1–100); a bad page size is refused, not ignored."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100

    def paginate_queryset(self, queryset, request, view=None):
        raw = request.query_params.get(self.page_query_param)
        if raw is not None and not (raw.isdigit() and int(raw) >= 1):
            raise exceptions.ValidationError({"page": ["A whole number from 1."]})
        return super().paginate_queryset(queryset, request, view)

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        if not raw.isdigit() or not 1 <= int(raw) <= self.max_page_size:
            raise exceptions.ValidationError(
                {"page_size": [f"A whole number from 1 to {self.max_page_size}."]}
            )
        return int(raw)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"]["minimum"] = 1
            elif parameter["name"] == self.page_size_query_param:
                parameter["schema"].update(minimum=1, maximum=self.max_page_size)
        return parameters


ID_MAX = 2**63 - 1


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": ID_MAX})
class IdFilter(django_filters.NumberFilter):
    """A database id (a whole number from 1)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.update(min_value=1, max_value=ID_MAX)
        super().__init__(*args, **kwargs)


class ApiFilterSet(django_filters.FilterSet):
    """Filters that refuse what the schema refuses: a blank choice or number."""

    def is_valid(self):
        valid = super().is_valid()
        for name, filter_ in self.filters.items():
            typed = (django_filters.ChoiceFilter, django_filters.NumberFilter)
            if isinstance(filter_, typed) and self.data.get(name) == "":
                if name in self.form.fields:
                    self.form.add_error(name, "Give a value (or leave the parameter out).")
                valid = False
        return valid


class ApiFilterBackend(DjangoFilterBackend):
    filterset_base = ApiFilterSet

    def filter_queryset(self, request, queryset, view):
        # No parameters, no filter: a filter set and its form cost more than the list's query.
        if not request.query_params:
            return queryset
        return super().filter_queryset(request, queryset, view)

    def get_filterset_class(self, view, queryset=None):
        # A filter set serves working copies and live versions alike (its filters name
        # columns both have, or branch on ``is_live``): no check that the models match.
        filterset_class = getattr(view, "filterset_class", None)
        if filterset_class is not None:
            return filterset_class
        return super().get_filterset_class(view, queryset)


def is_live(queryset) -> bool:
    """Does this queryset list live versions (anonymous readers) rather than working copies?"""
    return getattr(queryset.model, "is_live_version", False)


class RelatedSlugFilter(django_filters.CharFilter):
    """Things linked to the one with this slug: among live versions, a public one (so that a
    draft's slug never shows through a count); among working copies, any."""

    def filter(self, qs, value):
        if value in ([], (), {}, "", None):
            return qs
        if is_live(qs):
            condition = Q(**{f"{self.field_name}__live__slug": value}) & Q(
                **{f"{self.field_name}__live__publish_at__lte": timezone.now()}
            )
        else:
            condition = Q(**{f"{self.field_name}__slug": value})
        return qs.filter(condition).distinct()


YEAR_MIN, YEAR_MAX = -9999, 9999


@extend_schema_field({"type": "integer", "minimum": YEAR_MIN, "maximum": YEAR_MAX})
class YearFilter(django_filters.NumberFilter):
    """A year, negative before 1 CE (astronomical: 0 is 1 BCE)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.update(min_value=YEAR_MIN, max_value=YEAR_MAX)
        super().__init__(*args, **kwargs)


class ApiSearchFilter(filters.SearchFilter):
    """``?search=words``: the one place where text search is done for every list.

    Lessons, articles, events and concepts (a view's ``search_kind``) are searched like the
    site's search page: ranked, with stemming (“revolutions” finds “revolution”), live content
    only, best match first unless ``?ordering=`` asks otherwise. Editors, who read working
    copies, and the other lists match words in the view's ``search_fields``.
    """

    search_description = (
        "Words to look for. Lessons, articles, events and concepts are searched with stemming "
        "and ranked, best match first unless `ordering` is given. A word found in more than "
        "1,000 items of a kind lists the best of its matches in names and of the first 1,000 "
        "found: add words to narrow the search."
    )

    def filter_queryset(self, request, queryset, view):
        kind = getattr(view, "search_kind", None)
        terms = self.get_search_terms(request)
        self._live = is_live(queryset)
        if not terms or kind is None or not self._live:
            return super().filter_queryset(request, queryset, view)
        ids = ranked_ids(kind, " ".join(terms))
        request.search_ranked = True
        if not ids:
            return queryset.none()
        link = f"{view.live_link}_id"
        # Best first: one CASE written out (the ids are integers the index gave), not up to a
        # thousand When() expressions compiled by the ORM for each request.
        column = f'"{queryset.model._meta.db_table}"."{link}"'
        cases = " ".join(f"WHEN {int(pk)} THEN {i}" for i, pk in enumerate(ids))
        rank = RawSQL(f"CASE {column} {cases} ELSE {len(ids)} END", [])  # noqa: S611
        return queryset.filter(**{f"{link}__in": ids}).order_by(rank.asc())

    def get_search_fields(self, view, request):
        # Live parts of lessons are searched in their public document (what a reader sees).
        if getattr(self, "_live", False):
            return ["data"]
        return getattr(view, "search_fields", None)


class ApiOrderingFilter(filters.OrderingFilter):
    ordering_description = "Sort by this field; a leading “-” reverses it."

    def get_default_ordering(self, view):
        # A ranked search keeps its order (best match first) unless ?ordering= is given.
        if getattr(view.request, "search_ranked", False):
            return None
        return super().get_default_ordering(view)

    def filter_queryset(self, request, queryset, view):
        ordering = self.get_ordering(request, queryset, view)
        if not ordering:
            return queryset
        return live_order(view, queryset, ordering)


# --- HTTP caching ------------------------------------------------------------------------


class HttpCachingMixin:
    """Cache-Control on every response; ETag/Last-Modified and 304 on details."""

    def origin(self) -> str:
        request = self.request
        return f"{request.scheme}://{request.get_host()}"

    def not_modified(self, request, etag: str, last_modified) -> HttpResponse | None:
        django_request = getattr(request, "_request", request)
        return unchanged(django_request, etag, last_modified)

    stamped = staticmethod(stamped)

    def stored(self, text: str, *, etag: str, last_modified, content_type="application/json"):
        """A stored document (a live version's), with this request's origin in its URLs."""
        response = HttpResponse(live.with_origin(text, self.origin()), content_type=content_type)
        return self.stamped(response, etag, last_modified)

    def conditional(self, request, data, *, last_modified=None, response=None):
        """A response of ``data`` made now, with an ETag of its own content."""
        response = response if response is not None else Response(data)
        digest = hashlib.sha256(
            json.dumps(data, sort_keys=True, default=str, ensure_ascii=False).encode()
        ).hexdigest()[:32]
        etag = f'"{digest}"'
        return self.not_modified(request, etag, last_modified) or self.stamped(
            response, etag, last_modified
        )

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if request.method in ("GET", "HEAD") and response.status_code in (200, 304):
            if request.user and request.user.is_authenticated:
                patch_cache_control(response, private=True, no_store=True)
            else:
                patch_cache_control(response, public=True, max_age=ANONYMOUS_MAX_AGE)
        else:
            patch_cache_control(response, no_store=True)
        patch_vary_headers(response, ["Accept", "Authorization", "Cookie"])
        return response


PAGING = frozenset({"page", "page_size"})  # the parameters of a list that leave it unfiltered


@functools.cache
def _stored_entries(view_class) -> Prepared:
    """The stored entries of a view's live list in its default order, compiled once."""
    view = view_class()
    fields = (view.ordering,) if isinstance(view.ordering, str) else view.ordering or ()
    return Prepared(
        lambda at: live_order(view, view.live_queryset(at=at), fields).values_list(
            view.live_entry_field
        ),
        at=datetime,
    )


def live_order(view, queryset, fields):
    """The queryset in the order of these fields, named as the API names them (live rows of
    lessons' parts call their ids ``object_id``)."""
    names = getattr(view, "live_ordering_names", {}) if is_live(queryset) else {}
    mapped = []
    for field in fields:
        desc = field.startswith("-")
        name = names.get(field.lstrip("-"), field.lstrip("-"))
        mapped.append(("-" if desc else "") + name)
    return queryset.order_by(*mapped)


def paginated_text(paginator, items: list[str]) -> str:
    """A page of a list as JSON text, from stored list entries (no parsing)."""
    head = json.dumps(
        {
            "count": paginator.page.paginator.count,
            "next": paginator.get_next_link(),
            "previous": paginator.get_previous_link(),
        },
        ensure_ascii=False,
    )
    return head[:-1] + ',"results":[' + ",".join(items) + "]}"


# --- schema ------------------------------------------------------------------------------

ERROR_DESCRIPTIONS = {
    "400": "The request is not valid: `errors` says which field and why.",
    "401": "Authentication is needed (send `Authorization: Token <key>`).",
    "403": "You are authenticated but may not do this (e.g. an editor cannot publish).",
    "404": "There is no such thing, or it is not published.",
    "405": "The method is not allowed here.",
    "406": "The requested response type is not available.",
    "409": (
        "It changed since you read it (send the `version` you started from), or its "
        "publication state does not allow this now (e.g. publishing an archived item)."
    ),
    "415": "The request body's media type is not supported (send JSON).",
    "429": "Too many requests: wait the number of seconds in `Retry-After`.",
}


class ApiAutoSchema(AutoSchema):
    """Every operation documents the problem-details errors it can return."""

    def get_auth(self):
        # Anyone may read (published content); authentication only widens what is seen.
        auths = super().get_auth()
        if self.method in permissions.SAFE_METHODS and {} not in auths:
            auths.append({})
        return auths

    def get_response_serializers(self):
        # Writes take the write serializer and answer with the read one.
        if getattr(self.view, "action", None) in ("create", "partial_update", "update"):
            return self.view.serializer_class
        return super().get_response_serializers()

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        codes = ["404", "406", "429"]
        if self.method in ("POST", "PUT", "PATCH", "DELETE"):
            codes += ["400", "401", "403", "409", "415"]
        elif any(isinstance(p, permissions.IsAuthenticated) for p in self.view.get_permissions()):
            codes += ["401", "403"]
        elif self._is_list_view():
            codes.append("400")
        if self.method == "GET" and not self._is_list_view() and "200" in responses:
            responses.setdefault("304", {"description": "Not modified (the ETag matched)."})
        for code in sorted(codes):
            if code not in responses:
                response = self._get_response_for_code(
                    ProblemSerializer, code, media_types=[PROBLEM_CONTENT_TYPE]
                )
                response["description"] = ERROR_DESCRIPTIONS[code]
                if code == "429":
                    response["headers"] = {
                        "Retry-After": {
                            "schema": {"type": "integer"},
                            "description": "Seconds to wait before trying again.",
                        }
                    }
                responses[code] = response
        return responses


SLUG_PARAMETER = OpenApiParameter(
    "slug", OpenApiTypes.STR, OpenApiParameter.PATH, description="The stable slug."
)


# --- the base of every content endpoint ---------------------------------------------------


class PublishAtSerializer(StrictInput):
    at = serializers.DateTimeField(
        required=False, help_text="When it becomes public; a time in the future schedules it."
    )


class ContentViewSet(
    HttpCachingMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """List, read, create and change one kind of content; writes go through its service.

    Readers who may see drafts of ``model`` read working copies, made into views on the fly;
    everyone else reads live versions (``live_model``), served as the documents stored when
    they were published. Subclasses set ``model``, ``live_model``, ``live_link``, the
    serializers, and implement ``list_view(obj)``, ``document(slug)`` and ``save(obj, user,
    version)``.
    """

    model = None
    live_model = None
    live_link = ""
    live_entry_field = "summary"  # the live rows' column that holds their stored list entry
    write_serializer_class = None
    list_serializer_class = None
    m2m_fields: tuple[str, ...] = ()
    http_method_names = ["get", "head", "options", "post", "patch"]
    permission_classes = [ContentPermissions]
    filter_backends = [ApiFilterBackend, ApiSearchFilter, ApiOrderingFilter]
    pagination_class = ApiPagination

    @property
    def viewer(self) -> Viewer:
        return viewer_of(self.request)

    @property
    def staff(self) -> bool:
        """The reader reads working copies of this kind."""
        return self.viewer.sees_drafts_of(self.model)

    # The path from a working copy to the live version that makes it public.
    public_path = "live__"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.model.objects.none()
        if self.staff:
            return self.working_queryset()
        if self.action in ("list", "retrieve"):
            return self.live_queryset()
        # Writes and workflow steps by someone who reads only live content: what they can see
        # exists (the service then says they may not change it); the rest is not found.
        return self.working_queryset().filter(
            **{f"{self.public_path}publish_at__lte": timezone.now()}
        )

    def working_queryset(self):
        return self.model.objects.all()

    def live_queryset(self, at=None):
        """What an anonymous reader lists: public live versions (at ``at``, default now)."""
        return self.live_model.objects.public(at=at)

    def get_serializer_class(self):
        if self.action in ("create", "partial_update", "update"):
            return self.write_serializer_class
        if self.action == "list" and self.list_serializer_class is not None:
            return self.list_serializer_class
        return self.serializer_class

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["absolute"] = self.request.build_absolute_uri
        return context

    # --- reading ------------------------------------------------------------------------

    def list(self, request, *args, **kwargs):
        if not self.staff and set(request.query_params) <= PAGING:
            # A page of a live list as it comes, unfiltered: queries compiled once.
            entries = _stored_entries(type(self)).pages(at=timezone.now())
            page = self.paginate_queryset(entries)
            origin = self.origin()
            text = paginated_text(self.paginator, [live.with_origin(e, origin) for e in page])
            return HttpResponse(text, content_type="application/json")
        queryset = self.filter_queryset(self.get_queryset())
        if is_live(queryset) and getattr(request, "search_ranked", False):
            # A search: its page of keys from the index on them (up to 1,000 matches ordered by
            # rank), then those few rows' entries; ordering the matches' whole rows read every
            # one of them (5,000 articles: 80 ms).
            link = f"{self.live_link}_id"
            keys = self.paginate_queryset(queryset.values_list(link, flat=True))
            found = queryset.model.objects.filter(**{f"{link}__in": keys})
            entries = dict(found.values_list(link, self.live_entry_field))
            origin = self.origin()
            text = paginated_text(
                self.paginator,
                [live.with_origin(entries[key], origin) for key in keys if key in entries],
            )
            return HttpResponse(text, content_type="application/json")
        if is_live(queryset):
            # Stored list entries, and nothing else of the rows: no model made, no JSON read.
            page = self.paginate_queryset(queryset.values_list(self.live_entry_field, flat=True))
            origin = self.origin()
            text = paginated_text(self.paginator, [live.with_origin(e, origin) for e in page])
            return HttpResponse(text, content_type="application/json")
        page = self.paginate_queryset(queryset)
        serializer_class = self.list_serializer_class or self.serializer_class
        context = self.get_serializer_context()
        data = [serializer_class(view, context=context).data for view in self.list_views(page)]
        return self.get_paginated_response(data)

    def list_views(self, objects) -> list[dict]:
        """The views of a page of working copies (for editors), in a fixed number of queries."""
        return [self.list_view(obj) for obj in objects]

    def list_view(self, obj) -> dict:
        """The view of a working copy in a list (for editors)."""
        raise NotImplementedError

    def document(self, lookup):
        """(``history.selectors.Document`` or None) of one item for this reader."""
        raise NotImplementedError

    def retrieve(self, request, *args, **kwargs):
        lookup = kwargs[self.lookup_url_kwarg or self.lookup_field]
        # A conditional request, and a public one while bodies are kept, read the ETag first
        # (a 304, or the body kept for that ETag, reads nothing more); any other reads the
        # document at once. One query either way for a public document.
        keeps = keeps_bodies() and self.viewer.is_public
        conditional = is_conditional(request)
        document = self.document(lookup, stamp_only=conditional or keeps)
        if document is None:
            raise Http404("Not found.")
        if conditional:
            unchanged = self.not_modified(request, document.etag, document.last_modified)
            if unchanged is not None:
                return unchanged
        kept = (self.model._meta.label, str(lookup), self.origin())
        if keeps:
            body = kept_body(document.etag, *kept)
            if body is not None:
                response = HttpResponse(body, content_type="application/json")
                return self.stamped(response, document.etag, document.last_modified)
        if document.text is None and document.view is None:
            document = self.document(lookup)
            if document is None:
                raise Http404("Not found.")
        if document.text is not None:
            response = self.stored(
                document.text, etag=document.etag, last_modified=document.last_modified
            )
            if keeps:
                keep_body(response.content, document.etag, *kept)
            return response
        data = self.serializer_class(document.view, context=self.get_serializer_context()).data
        return self.stamped(Response(data), document.etag, document.last_modified)

    def read_back(self, obj, status_code=status.HTTP_200_OK):
        """The working copy just written, as its editor reads it."""
        document = self.document(getattr(obj, self.lookup_field))
        data = self.serializer_class(document.view, context=self.get_serializer_context()).data
        return Response(data, status=status_code)

    # --- writing ------------------------------------------------------------------------

    def write(self, serializer, instance=None):
        data = dict(serializer.validated_data)
        related = {name: data.pop(name) for name in self.m2m_fields if name in data}
        version = data.pop("version", None)
        obj = instance if instance is not None else self.model()
        for name, value in data.items():
            setattr(obj, name, value)
        return self.save(obj, user=self.request.user, version=version, related=related)

    def save(self, obj, *, user, version, related):
        raise NotImplementedError

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        obj = self.write(serializer)
        return self.read_back(obj, status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        instance = self.get_object()
        serializer = self.get_serializer(instance, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        obj = self.write(serializer, instance)
        return self.read_back(obj)


class ChangesSerializer(serializers.Serializer):
    live = serializers.BooleanField(help_text="Learners can read a published version now.")
    has_unpublished_changes = serializers.BooleanField()
    changes = serializers.ListField(
        child=serializers.DictField(),
        help_text="Each changed field: its path, the live value and the working copy's.",
    )
    diff = serializers.CharField(help_text="A unified diff, live version → working copy.")


class WorkflowMixin:
    """submit / publish / unpublish / archive and the changes since publication, through
    publishing.services with its permissions."""

    def publish_service(self, obj, user, at):
        return publishing.publish(obj=obj, user=user, at=at)

    @extend_schema(request=None, summary="Submit a draft, or a live item's changes, for review")
    @action(detail=True, methods=["post"], permission_classes=[permissions.IsAuthenticated])
    def submit(self, request, *args, **kwargs):
        obj = publishing.submit_for_review(obj=self.get_object(), user=request.user)
        return self.read_back(obj)

    @extend_schema(
        request=PublishAtSerializer, summary="Publish, or publish the changes (publishers only)"
    )
    @action(detail=True, methods=["post"], permission_classes=[permissions.IsAuthenticated])
    def publish(self, request, *args, **kwargs):
        obj = self.get_object()
        serializer = PublishAtSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        obj = self.publish_service(obj, request.user, serializer.validated_data.get("at"))
        return self.read_back(obj)

    @extend_schema(request=None, summary="Take the live version away (publishers only)")
    @action(detail=True, methods=["post"], permission_classes=[permissions.IsAuthenticated])
    def unpublish(self, request, *args, **kwargs):
        obj = publishing.unpublish(obj=self.get_object(), user=request.user)
        return self.read_back(obj)

    @extend_schema(request=None, summary="Archive: withdraw it and keep it (publishers only)")
    @action(detail=True, methods=["post"], permission_classes=[permissions.IsAuthenticated])
    def archive(self, request, *args, **kwargs):
        obj = publishing.archive(obj=self.get_object(), user=request.user)
        return self.read_back(obj)

    @extend_schema(responses={200: ChangesSerializer}, summary="What changed since it went live")
    @action(detail=True, methods=["get"], permission_classes=[permissions.IsAuthenticated])
    def changes(self, request, *args, **kwargs):
        if not self.staff:
            raise exceptions.NotFound("Not found.")
        from publishing import diff

        obj = self.get_object()
        return Response(ChangesSerializer(diff.against_live(obj)).data)


class ApiRootView(routers.APIRootView):
    """``/api/v1/``: where a client starts; every list, the OpenAPI schema and its docs."""

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        response.data["schema"] = reverse("api-v1:schema", request=request)
        response.data["docs"] = reverse("api-v1:docs", request=request)
        return response
