"""Live versions of articles, events and concepts: built when they are published.

``publishing.live`` stores each one's content; the builders here turn that content into the
public API document and list entry (through the API's own serializers, so the stored document
is exactly what a client would otherwise get), fill the columns lists filter and sort on, and
link each live version to what it shows, so that it is rebuilt when any of those changes.
"""

from __future__ import annotations

from datetime import datetime

from history import content as views
from history import names
from history.api import serializers as s
from history.models import Article, Concept, Event, LiveArticle, LiveConcept, LiveEvent
from publishing import live
from publishing.models import Status
from publishing.viewer import Viewer, redact


def public_meta(row) -> dict:
    """The publication fields of a live version, as the public document gives them."""
    return views.publishing_meta(
        status=Status.PUBLISHED,
        publish_at=row.publish_at,
        updated_at=row.updated_at,
        version=row.version,
    )


def stored_context() -> dict:
    """Serializer context for documents that are stored (their origin is filled in on read)."""
    return {"absolute": live.absolute_stored, "viewer": Viewer.public()}


def sort_key(text: str) -> str:
    """A column lists sort by as readers expect, in any script (the UCA's collation key)."""
    return names.collation_key(text)


def _document(serializer_class, view: dict) -> str:
    return live.dumps(serializer_class(view, context=stored_context()).data)


def build_concept(row: LiveConcept, now: datetime):
    resolver = live.LiveResolver(now)
    content = redact(row.content, Viewer.public())
    view = views.concept_view(content, resolver, public_meta(row))
    row.term, row.kind = content["term"], content["kind"]
    row.definition, row.language = content["definition"], content.get("language", "")
    row.filed_as = views.filed_as(content)
    row.sort_key = sort_key(row.filed_as)
    row.data = _document(s.ConceptSerializer, view)
    row.summary = row.data
    row.etag = live.etag_of(row.data)
    row.stale_after = resolver.stale_after
    return lambda: row.related.set(content["related"])


def build_event(row: LiveEvent, now: datetime):
    resolver = live.LiveResolver(now)
    content = redact(row.content, Viewer.public())
    view = views.event_view(content, resolver, public_meta(row))
    row.title = content["title"]
    row.date_start, row.date_end = content["date_start"], content["date_end"]
    row.date_display, row.date_iso = view["date_display"], view["iso"]
    row.approximate, row.place = view["approximate"], content["place"]
    row.data = _document(s.EventSerializer, view)
    row.summary = row.data
    row.etag = live.etag_of(row.data)
    row.stale_after = resolver.stale_after
    return lambda: row.concepts.set(content["concepts"])


def build_article(row: LiveArticle, now: datetime):
    resolver = live.LiveResolver(now)
    content = redact(row.content, Viewer.public())
    view = views.article_view(content, resolver, public_meta(row))
    row.title, row.language = content["title"], content["language"]
    row.sort_key = sort_key(content["title"])
    row.data = _document(s.ArticleSerializer, view)
    row.summary = _document(s.ArticleListSerializer, view)
    row.etag = live.etag_of(row.data)
    row.stale_after = resolver.stale_after

    def links():
        row.concepts.set({m["concept"] for m in content["mentions"] if m["concept"]})
        row.events.set({m["event"] for m in content["mentions"] if m["event"]})

    return links


def rebuild_dependents(changes: dict[type, set[int]]) -> None:
    """Rebuild the live articles, events and concepts that show ones that changed."""
    concepts, events = changes.get(Concept, set()), changes.get(Event, set())
    articles = set()
    if concepts:
        related = LiveConcept.objects.filter(related__in=concepts).values_list(
            "concept_id", flat=True
        )
        live.rebuild(Concept, set(related))
        with_concepts = LiveEvent.objects.filter(concepts__in=concepts).values_list(
            "event_id", flat=True
        )
        live.rebuild(Event, set(with_concepts))
        articles |= set(
            LiveArticle.objects.filter(concepts__in=concepts).values_list("article_id", flat=True)
        )
    if events:
        articles |= set(
            LiveArticle.objects.filter(events__in=events).values_list("article_id", flat=True)
        )
    live.rebuild(Article, articles)


def register() -> None:
    live.register(
        Concept,
        live_model=LiveConcept,
        link="concept",
        content=views.concepts_content,
        build=build_concept,
    )
    live.register(
        Event, live_model=LiveEvent, link="event", content=views.events_content, build=build_event
    )
    live.register(
        Article,
        live_model=LiveArticle,
        link="article",
        content=views.articles_content,
        build=build_article,
    )
    live.on_change("data", rebuild_dependents)
