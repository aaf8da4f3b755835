"""API endpoints for articles, events and concepts: thin, over the read layer and services."""

from __future__ import annotations

import django_filters
from drf_spectacular.utils import extend_schema, extend_schema_view

from config.api import (
    SLUG_PARAMETER,
    ApiFilterSet,
    ContentViewSet,
    RelatedSlugFilter,
    WorkflowMixin,
    YearFilter,
)
from history import content as views
from history import selectors, services
from history.api import serializers as s
from history.models import Article, Concept, Event, Kind, LiveArticle, LiveConcept, LiveEvent
from publishing.live import WorkingResolver


class ConceptFilter(ApiFilterSet):
    kind = django_filters.ChoiceFilter(choices=Kind.choices, help_text="Kind of concept.")

    class Meta:
        model = Concept
        fields = ["kind"]


class EventFilter(ApiFilterSet):
    year_from = YearFilter(
        method="filter_year_from",
        help_text="Events that end in or after this year (negative: BCE, astronomical).",
    )
    year_to = YearFilter(
        method="filter_year_to",
        help_text="Events that begin in or before this year.",
    )
    concept = RelatedSlugFilter(
        field_name="concepts", help_text="Events linked to the concept with this slug."
    )

    class Meta:
        model = Event
        fields = ["year_from", "year_to", "concept"]

    def filter_year_from(self, queryset, name, value):
        return queryset.filter(date_end__gte=int(value) * 10000 + 101)

    def filter_year_to(self, queryset, name, value):
        return queryset.filter(date_start__lte=int(value) * 10000 + 1231)


class SourceViewSet(WorkflowMixin, ContentViewSet):
    """What articles, events and concepts share: looked up by slug, read through
    ``history.selectors``."""

    lookup_field = "slug"

    def document(self, lookup, *, stamp_only=False):
        return selectors.document(self.viewer, self.model, lookup, stamp_only=stamp_only)

    def working_queryset(self):
        return self.model.objects.select_related("live")


PATHS = extend_schema(parameters=[SLUG_PARAMETER])
WORKFLOW = dict(
    retrieve=PATHS,
    partial_update=PATHS,
    submit=PATHS,
    publish=PATHS,
    unpublish=PATHS,
    archive=PATHS,
    changes=PATHS,
)


@extend_schema_view(**WORKFLOW)
class ConceptViewSet(SourceViewSet):
    """Concepts: the glossary. Filter by ``kind``; search term, other forms and definition."""

    model = Concept
    live_model = LiveConcept
    live_link = "concept"
    serializer_class = s.ConceptSerializer
    write_serializer_class = s.ConceptWriteSerializer
    m2m_fields = ("related",)
    filterset_class = ConceptFilter
    search_fields = ["term", "definition", "aliases"]
    search_kind = "concept"  # ranked search (config.api.ApiSearchFilter)
    ordering_fields = ["term", "updated_at"]
    ordering = ["term"]
    # Live rows sort by their collation key (indexed; "Ő" after "O", as readers expect).
    live_ordering_names = {"term": "sort_key"}

    def list_views(self, objects):
        return _views(self.viewer, Concept, views.concepts_content, objects)

    def save(self, obj, *, user, version, related):
        return services.concept_save(
            concept=obj, user=user, expected_version=version, related=related.get("related")
        )


@extend_schema_view(**WORKFLOW)
class EventViewSet(SourceViewSet):
    """Events, in date order. Filter by years (``year_from``, ``year_to``) and ``concept``."""

    model = Event
    live_model = LiveEvent
    live_link = "event"
    serializer_class = s.EventSerializer
    write_serializer_class = s.EventWriteSerializer
    m2m_fields = ("concepts",)
    filterset_class = EventFilter
    search_fields = ["title", "summary", "place"]
    search_kind = "event"  # ranked search (config.api.ApiSearchFilter)
    ordering_fields = ["date_start", "title", "updated_at"]
    ordering = ["date_start", "date_end", "title"]

    def list_views(self, objects):
        return _views(self.viewer, Event, views.events_content, objects)

    def save(self, obj, *, user, version, related):
        return services.event_save(
            event=obj, user=user, expected_version=version, concepts=related.get("concepts")
        )


@extend_schema_view(**WORKFLOW)
class ArticleViewSet(SourceViewSet):
    """Source texts. The detail carries paragraphs and confirmed mentions (code point offsets)."""

    model = Article
    live_model = LiveArticle
    live_link = "article"
    serializer_class = s.ArticleSerializer
    list_serializer_class = s.ArticleListSerializer
    write_serializer_class = s.ArticleWriteSerializer
    search_fields = ["title", "author", "publication", "body"]
    search_kind = "article"  # ranked search (config.api.ApiSearchFilter)
    ordering_fields = ["title", "updated_at"]
    ordering = ["title"]
    live_ordering_names = {"title": "sort_key"}
    filterset_fields = ["language"]

    def working_queryset(self):
        queryset = super().working_queryset()
        return queryset.defer("body", "editor_note") if self.action == "list" else queryset

    def list_view(self, obj):
        fields = {f: getattr(obj, f) for f in views.ARTICLE_REF_FIELDS}
        return {**views.article_ref({**fields, "id": obj.pk}), **selectors.staff_meta(obj)}

    def save(self, obj, *, user, version, related):
        return services.article_save(article=obj, user=user, expected_version=version)


def _views(viewer, model, contents, objects) -> list[dict]:
    """Views of a page of working copies: their contents and what they refer to in batches."""
    objects = list(objects)
    by_id = contents(objects)
    resolver = WorkingResolver()
    return [
        selectors.view_of(viewer, model, by_id[obj.pk], resolver, selectors.staff_meta(obj))
        for obj in objects
    ]
