"""API endpoints for articles, events and concepts: thin, over services and published()."""

from __future__ import annotations

import django_filters
from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema, extend_schema_view

from config.api import (
    SLUG_PARAMETER,
    ApiFilterSet,
    ContentViewSet,
    RelatedSlugFilter,
    WorkflowMixin,
    YearFilter,
)
from history import services
from history.api import serializers as s
from history.models import Article, Concept, Event, Kind, Mention
from publishing.models import published_q


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
        return queryset.overlapping(start=int(value) * 10000 + 101)

    def filter_year_to(self, queryset, name, value):
        return queryset.overlapping(end=int(value) * 10000 + 1231)


def _concept_save(obj, *, user, version):
    return services.concept_save(concept=obj, user=user, expected_version=version)


PATHS = extend_schema(parameters=[SLUG_PARAMETER])


@extend_schema_view(
    retrieve=PATHS, partial_update=PATHS, submit=PATHS, publish=PATHS, unpublish=PATHS
)
class ConceptViewSet(WorkflowMixin, ContentViewSet):
    """Concepts: the glossary. Filter by ``kind``; search term, other forms and definition."""

    model = Concept
    serializer_class = s.ConceptSerializer
    write_serializer_class = s.ConceptWriteSerializer
    m2m_fields = ("related",)
    lookup_field = "slug"
    filterset_class = ConceptFilter
    search_fields = ["term", "definition", "aliases"]
    search_kind = "concept"  # ranked search (config.api.ApiSearchFilter)
    ordering_fields = ["term", "updated_at"]
    ordering = ["term"]

    def joins(self, queryset):
        related = Concept.objects.all() if self.staff else Concept.objects.published()
        return queryset.prefetch_related(
            Prefetch("related", queryset=related.order_by("term"), to_attr="visible_related")
        )

    def save(self, obj, *, user, version):
        return _concept_save(obj, user=user, version=version)


@extend_schema_view(
    retrieve=PATHS, partial_update=PATHS, submit=PATHS, publish=PATHS, unpublish=PATHS
)
class EventViewSet(WorkflowMixin, ContentViewSet):
    """Events, in date order. Filter by years (``year_from``, ``year_to``) and ``concept``."""

    model = Event
    serializer_class = s.EventSerializer
    write_serializer_class = s.EventWriteSerializer
    m2m_fields = ("concepts",)
    lookup_field = "slug"
    filterset_class = EventFilter
    search_fields = ["title", "summary", "place"]
    search_kind = "event"  # ranked search (config.api.ApiSearchFilter)
    ordering_fields = ["date_start", "title", "updated_at"]
    ordering = ["date_start", "date_end", "title"]

    def joins(self, queryset):
        concepts = Concept.objects.all() if self.staff else Concept.objects.published()
        return queryset.prefetch_related(
            Prefetch("concepts", queryset=concepts.order_by("term"), to_attr="visible_concepts")
        ).distinct()

    def save(self, obj, *, user, version):
        return services.event_save(event=obj, user=user, expected_version=version)


@extend_schema_view(
    retrieve=PATHS, partial_update=PATHS, submit=PATHS, publish=PATHS, unpublish=PATHS
)
class ArticleViewSet(WorkflowMixin, ContentViewSet):
    """Source texts. The detail carries paragraphs and confirmed mentions (code point offsets)."""

    model = Article
    serializer_class = s.ArticleSerializer
    list_serializer_class = s.ArticleListSerializer
    write_serializer_class = s.ArticleWriteSerializer
    lookup_field = "slug"
    search_fields = ["title", "author", "publication", "body"]
    search_kind = "article"  # ranked search (config.api.ApiSearchFilter)
    ordering_fields = ["title", "updated_at"]
    ordering = ["title"]
    filterset_fields = ["language"]

    def joins(self, queryset):
        if self.action == "list":
            return queryset.defer("body", "editor_note")
        mentions = Mention.objects.confirmed()
        if not self.staff:
            mentions = mentions.filter(published_q("concept__") | published_q("event__"))
        mentions = mentions.select_related("concept", "event").order_by("start", "pk")
        return queryset.prefetch_related(
            Prefetch("mentions", queryset=mentions, to_attr="visible_mentions")
        )

    def last_modified(self, instance):
        return instance.updated_at

    def save(self, obj, *, user, version):
        return services.article_save(article=obj, user=user, expected_version=version)
