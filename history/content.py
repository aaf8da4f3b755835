"""Source material as plain content, and content as what a reader sees.

*Content* is an item as editors made it (fields, parts, the ids of what it refers to): it is
read from working copies here and stored as the item's live version when it is published.
A *view* is content made ready to show: what it refers to resolved (only what the reader may
see), Markdown rendered and sanitised, dates in words. Pages, the API and exports all show
views, so a draft, a key or a note can reach them only through ``publishing.viewer.redact``.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Prefetch
from django.urls import reverse

from history import dates, names, structure, text
from history.markup import render_markdown
from history.models import Article, Concept, Event, Kind, Mention, MentionStatus
from publishing.live import Resolver

# --- working copies → content -------------------------------------------------------------


def concepts_content(concepts: Iterable[Concept]) -> dict[int, dict]:
    concepts = _with(concepts, Prefetch("related", queryset=Concept.objects.only("id")))
    return {
        c.pk: {
            "id": c.pk,
            "slug": c.slug,
            "term": c.term,
            "sort_name": c.sort_name,
            "language": c.language,
            "kind": c.kind,
            "aliases": list(c.aliases),
            "definition": c.definition,
            "explanation": c.explanation,
            "related": sorted(r.pk for r in c.related.all()),
            "version": c.version,
        }
        for c in concepts
    }


def events_content(events: Iterable[Event]) -> dict[int, dict]:
    events = _with(events, Prefetch("concepts", queryset=Concept.objects.only("id")))
    return {
        e.pk: {
            "id": e.pk,
            "slug": e.slug,
            "title": e.title,
            "date_edtf": e.date_edtf,
            "date_start": e.date_start,
            "date_end": e.date_end,
            "place": e.place,
            "summary": e.summary,
            "description": e.description,
            "image": e.image.name or "",
            "image_alt": e.image_alt,
            "concepts": sorted(c.pk for c in e.concepts.all()),
            "version": e.version,
        }
        for e in events
    }


ARTICLE_FIELDS = (
    "title", "slug", "kicker", "author", "publication", "publication_date", "source_url",
    "rights", "language", "body", "lead_image_alt", "editor_note",
)  # fmt: skip


ARTICLE_REF_FIELDS = (
    "title", "slug", "kicker", "author", "publication", "publication_date", "source_url",
    "rights", "language",
)  # fmt: skip


def articles_content(articles: Iterable[Article]) -> dict[int, dict]:
    confirmed = Mention.objects.filter(status=MentionStatus.CONFIRMED).order_by("start", "pk")
    articles = _with(articles, Prefetch("mentions", queryset=confirmed, to_attr="confirmed"))
    return {
        a.pk: {
            "id": a.pk,
            **{name: getattr(a, name) for name in ARTICLE_FIELDS},
            "blocks": a.structure,
            "lead_image": a.lead_image.name or "",
            "mentions": [
                {
                    "id": m.pk,
                    "start": m.start,
                    "end": m.end,
                    "exact": m.exact,
                    "prefix": m.prefix,
                    "suffix": m.suffix,
                    "anchor_status": m.anchor_status,
                    "concept": m.concept_id,
                    "event": m.event_id,
                }
                for m in a.confirmed
            ],
            "version": a.version,
        }
        for a in articles
    }


def _with(objects, *prefetches):
    if hasattr(objects, "prefetch_related"):
        return list(objects.prefetch_related(*prefetches))
    objects = list(objects)
    if objects:
        from django.db.models import prefetch_related_objects

        prefetch_related_objects(objects, *prefetches)
    return objects


# --- content → views ----------------------------------------------------------------------


def page_path(name: str, slug: str) -> str:
    return reverse(f"learner:{name}", kwargs={"slug": slug})


def api_path(name: str, slug: str) -> str:
    return reverse(f"api-v1:{name}", kwargs={"slug": slug})


def publishing_meta(*, status, publish_at, updated_at, version, live=None, changes=None) -> dict:
    """The publication fields every view carries (the working copy's or the live version's)."""
    return {
        "status": status,
        "publish_at": publish_at,
        "updated_at": updated_at,
        "version": version,
        "live": live,
        "has_unpublished_changes": changes,
    }


def filed_as(c: dict) -> str:
    """The name a concept is filed under in lists (see ``Concept.filed_as``)."""
    if c.get("sort_name"):
        return c["sort_name"]
    if c["kind"] == Kind.PERSON:
        return names.person_sort_name(c["term"])
    return c["term"]


def by_name(concepts) -> list[dict]:
    """Concept references in the order readers expect, in any script (the UCA)."""
    return sorted(concepts, key=lambda c: names.sort_key(c["filed_as"]))


def concept_ref(c: dict) -> dict:
    return {
        "id": c["id"],
        "slug": c["slug"],
        "term": c["term"],
        "filed_as": filed_as(c),
        "language": c.get("language", ""),
        "kind": c["kind"],
        "definition": c["definition"],
        "path": page_path("concept_detail", c["slug"]),
        "api_path": api_path("concept-detail", c["slug"]),
    }


def concept_view(c: dict, resolver: Resolver, meta: dict) -> dict:
    related = resolver.get(Concept, c["related"])
    return {
        **concept_ref(c),
        "kind_display": Kind(c["kind"]).label if c["kind"] in Kind.values else c["kind"],
        "aliases": c["aliases"],
        "explanation": c["explanation"],
        "explanation_html": render_markdown(c["explanation"]),
        "related": by_name(concept_ref(r) for r in related.values()),
        **meta,
    }


def event_dates(date_edtf: str, start: int | None = None, end: int | None = None) -> dict:
    """The date as learners read it, and its bounds (ISO 8601, astronomical years). A date
    stored before dates were checked, that cannot be read, is shown as it was written, with
    the bounds it was stored with."""
    try:
        parsed = dates.from_edtf(date_edtf)
    except dates.DateError:
        lower = dates.bound_from_key(start) if start is not None else None
        upper = dates.bound_from_key(end) if end is not None else None
        return {
            "date_display": date_edtf,
            "date_earliest": lower.iso() if lower else "",
            "date_latest": upper.iso() if upper else "",
            "approximate": False,
            "iso": "",
        }
    return {
        "date_display": parsed.display,
        "date_earliest": parsed.lower.iso(),
        "date_latest": parsed.upper.iso(),
        "approximate": bool(parsed.approximate or parsed.uncertain),
        "iso": parsed.lower.iso() if parsed.lower.year > 0 else "",
    }


def event_ref(e: dict) -> dict:
    return {
        "id": e["id"],
        "slug": e["slug"],
        "title": e["title"],
        "date_edtf": e["date_edtf"],
        "date_start": e["date_start"],
        "date_end": e["date_end"],
        **event_dates(e["date_edtf"], e["date_start"], e["date_end"]),
        "place": e["place"],
        "summary": e["summary"],
        "path": page_path("event_detail", e["slug"]),
        "api_path": api_path("event-detail", e["slug"]),
    }


def event_view(e: dict, resolver: Resolver, meta: dict) -> dict:
    concepts = resolver.get(Concept, e["concepts"])
    return {
        **event_ref(e),
        "description": e["description"],
        "description_html": render_markdown(e["description"]),
        "image": e["image"],
        "image_alt": e["image_alt"],
        "concepts": by_name(concept_ref(c) for c in concepts.values()),
        **meta,
    }


def publication_date_display(value: str) -> str:
    if not value:
        return ""
    try:
        return dates.format_edtf(dates.to_edtf(value))
    except dates.DateError:
        return value


def article_ref(a: dict) -> dict:
    """A source's attribution and where to read it."""
    return {
        "id": a["id"],
        "slug": a["slug"],
        "title": a["title"],
        "kicker": a["kicker"],
        "author": a["author"],
        "publication": a["publication"],
        "publication_date": a["publication_date"],
        "publication_date_display": publication_date_display(a["publication_date"]),
        "source_url": a["source_url"],
        "rights": a["rights"],
        "language": a["language"],
        "path": page_path("article_detail", a["slug"]),
        "api_path": api_path("article-detail", a["slug"]),
    }


def article_view(a: dict, resolver: Resolver, meta: dict) -> dict:
    concepts = resolver.get(Concept, [m["concept"] for m in a["mentions"] if m["concept"]])
    events = resolver.get(Event, [m["event"] for m in a["mentions"] if m["event"]])
    mentions = []
    for m in a["mentions"]:
        target = concepts.get(m["concept"]) if m["concept"] else events.get(m["event"])
        if target is None:
            continue  # of something the reader may not see
        mentions.append(
            {
                **{k: m[k] for k in ("id", "exact", "prefix", "suffix", "start", "end")},
                "concept": concept_ref(target) if m["concept"] else None,
                "event": event_ref(target) if m["event"] else None,
            }
        )
    return {
        **article_ref(a),
        "body": a["body"],
        "blocks": a.get("blocks") or structure.paragraphs_as_blocks(a["body"]),
        "direction": names.direction_of_language(a["language"]),
        "paragraphs": [
            {"number": p.number, "start": p.start, "end": p.end, "text": p.text}
            for p in text.split_paragraphs(a["body"])
        ],
        "lead_image": a["lead_image"],
        "lead_image_alt": a["lead_image_alt"],
        "editor_note": a["editor_note"],
        "mentions": mentions,
        "annotations_api_path": reverse("api-v1:article-annotations", kwargs={"slug": a["slug"]}),
        **meta,
    }
