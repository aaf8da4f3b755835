"""Building the learner site's pages of live content, when it is published.

A lesson's, article's, event's and concept's pages are rendered here once, from live versions
only, and stored (``learner.models.Page``) with the list of items each shows. When a live
version appears, changes or goes, its own pages and every page that shows it are built again
in the same transaction (``on_live_change``, called by ``publishing.live``). A page that
leaves something out because it goes live later carries ``stale_after`` and is built again at
its first read after that time.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe

from history import content as history_views
from history import names, reading
from history.live import public_meta
from history.models import Article, Concept, Event, LiveArticle, LiveConcept, LiveEvent
from learner import documents, timeline
from learner.models import Page, PageRef
from lessons import content as lesson_views
from lessons.exports.jsonld import learning_resource
from lessons.live import public_view
from lessons.models import Lesson, LiveLesson, LiveQuote
from publishing import live
from publishing.viewer import Viewer, redact

KINDS = {Lesson: "lesson", Article: "article", Event: "event", Concept: "concept"}
MODELS = {name: model for model, name in KINDS.items()}
SNIPPET_CONTEXT = 90
MENTIONS_SHOWN = 30


@dataclass
class Built:
    variant: str
    title: str
    html: str
    head: str = ""
    lang: str = "en"


@dataclass
class Rendered:
    """The pages of one item and what they show."""

    pages: list[Built]
    refs: set[tuple[str, int]] = field(default_factory=set)
    stale_after: datetime | None = None


def _earliest(*times):
    times = [t for t in times if t is not None]
    return min(times) if times else None


# --- lessons ------------------------------------------------------------------------------


def lesson_context(view: dict) -> dict:
    """What the lesson templates need besides the view."""
    rows = timeline.rows(view["timeline"], shorten_gaps=True)
    return {"lesson": view, "timeline_rows": rows, "results": {}}


def jsonld_script(view: dict) -> str:
    data = learning_resource(view, live.absolute_stored)
    # The page's copy names and links the terms it teaches; their definitions are on the page
    # (the vocabulary) and in the full learning-resource.jsonld, not a third time here.
    data["teaches"] = [
        {key: value for key, value in term.items() if key != "description"}
        for term in data["teaches"]
    ]
    # Inside <script>, "</script" or "<!--" would change how the HTML parser reads it:
    # write every "<", ">" and "&" as a JSON escape (the same data for a JSON reader).
    text = (
        json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
    )
    return mark_safe(text)


def teacher_view(row: LiveLesson, resolver: live.LiveResolver) -> dict:
    """The live lesson as a teacher reads it: answer keys and teacher material included."""
    viewer = Viewer(keys=True, teacher=True)
    content = redact(row.content, viewer)
    return redact(lesson_views.lesson_view(content, resolver, public_meta(row)), viewer)


def render_lesson(row: LiveLesson, at: datetime) -> Rendered:
    resolver = live.LiveResolver(at)
    view = public_view(row, resolver)
    context = lesson_context(view)
    lang = view["language"]
    pages = [
        Built(
            "page",
            f"{view['title']} · History lessons",
            render_to_string("learner/lesson_body.html", context),
            render_to_string(
                "learner/lesson_head.html", {**context, "jsonld": jsonld_script(view)}
            ),
            lang=lang,
        ),
        Built("handout", **documents.render(view, "handout", at=max(at, row.publish_at))),
        Built(
            "guide",
            **documents.render(teacher_view(row, resolver), "guide", at=max(at, row.publish_at)),
        ),
    ]
    content = row.content
    refs = {("concept", i) for i in content["vocabulary"]}
    refs |= {("event", i) for i in content["timeline"]}
    for part in [*content["sections"], *content["questions"]]:
        refs |= {("event", i) for i in part.get("events", [])}
        if part["excerpt"]:
            refs.add(("article", part["excerpt"]["article"]))
    return Rendered(pages, refs, resolver.stale_after)


# --- articles -----------------------------------------------------------------------------


def article_view(row: LiveArticle, resolver) -> dict:
    viewer = Viewer.public()
    return redact(
        history_views.article_view(redact(row.content, viewer), resolver, public_meta(row)), viewer
    )


def render_article(row: LiveArticle, at: datetime) -> Rendered:
    resolver = live.LiveResolver(at)
    view = article_view(row, resolver)
    quotes = list(
        LiveQuote.objects.filter(article_id=row.article_id)
        .exclude(anchor_status="lost")
        .select_related("lesson")
        .only("start", "end", "excerpt_id", "section_id", "question_id", "lesson__title",
              "lesson__slug", "lesson__publish_at", "lesson__lesson_id")
        .order_by("lesson__sort_key", "section_id", "question_id")
    )  # fmt: skip
    later = [q.lesson.publish_at for q in quotes if q.lesson.publish_at > at]
    quotes = [q for q in quotes if q.lesson.publish_at <= at]
    links: dict[int, list[tuple[str, str]]] = {}
    spans: dict[int, tuple[int, int]] = {}
    for quote in quotes:
        path = history_views.page_path("lesson_detail", quote.lesson.slug)
        anchor = f"#section-{quote.section_id}" if quote.section_id else f"#q-{quote.question_id}"
        lesson_links = links.setdefault(quote.excerpt_id, [])
        if all(not url.startswith(path + "#") for _t, url in lesson_links):
            lesson_links.append((quote.lesson.title, path + anchor))
        spans.setdefault(quote.excerpt_id, (quote.start, quote.end))
    passages = [
        reading.Passage(pk, start, end, tuple(links[pk])) for pk, (start, end) in spans.items()
    ]
    terms, definitions = [], {}
    for mention in view["mentions"]:
        if mention["concept"]:
            concept = mention["concept"]
            definitions[concept["id"]] = concept
            terms.append(
                reading.Term(
                    mention["start"], mention["end"], concept["path"], f"def-{concept['id']}"
                )
            )
        else:
            terms.append(
                reading.Term(
                    mention["start"], mention["end"], mention["event"]["path"], kind="event"
                )
            )
    body_html = reading.render_article(
        view["body"],
        view["blocks"],
        passages,
        terms,
        base_script=names.script_of_language(view["language"]),
    )
    context = {
        "article": view,
        "body_html": body_html,
        "direction": view["direction"],
        "definitions": history_views.by_name(definitions.values()),
        "quoting": sorted({title for pairs in links.values() for title, _u in pairs}),
    }
    page = Built(
        "page",
        f"{view['title']} · History lessons",
        render_to_string("learner/article_body.html", context),
        render_to_string("learner/article_head.html", context),
        lang=view["language"] or "en",
    )
    refs = {("lesson", q.lesson.lesson_id) for q in quotes}
    refs |= {("concept", c) for c in definitions}
    refs |= {("event", m["event"]["id"]) for m in view["mentions"] if m["event"]}
    return Rendered([page], refs, _earliest(resolver.stale_after, *later))


# --- events and concepts ------------------------------------------------------------------


def _public_later(queryset, at):
    """(public rows, earliest publish time of the ones still to come)."""
    rows = list(queryset)
    later = [r.publish_at for r in rows if r.publish_at > at]
    return [r for r in rows if r.publish_at <= at], _earliest(*later)


def _lesson_links(rows) -> list[dict]:
    return [
        {"title": r.title, "path": history_views.page_path("lesson_detail", r.slug)} for r in rows
    ]


def render_event(row: LiveEvent, at: datetime) -> Rendered:
    resolver = live.LiveResolver(at)
    viewer = Viewer.public()
    view = redact(
        history_views.event_view(redact(row.content, viewer), resolver, public_meta(row)), viewer
    )
    articles, later_a = _public_later(
        LiveArticle.objects.filter(events=row.event_id).order_by("sort_key", "id"), at
    )
    lessons, later_l = _public_later(
        (
            LiveLesson.objects.filter(timeline=row.event_id)
            | LiveLesson.objects.filter(events=row.event_id)
        )
        .distinct()
        .order_by("sort_key", "id"),
        at,
    )
    context = {
        "event": view,
        "articles": [
            {
                "title": a.title,
                "publication": a.content["publication"],
                "path": history_views.page_path("article_detail", a.slug),
            }
            for a in articles
        ],
        "lessons": _lesson_links(lessons),
    }
    page = Built(
        "page",
        f"{view['title']} · History lessons",
        render_to_string("learner/event_body.html", context),
        render_to_string("learner/event_head.html", context),
    )
    refs = {("concept", c["id"]) for c in view["concepts"]}
    refs |= {("article", a.article_id) for a in articles}
    refs |= {("lesson", lesson.lesson_id) for lesson in lessons}
    return Rendered([page], refs, _earliest(resolver.stale_after, later_a, later_l))


def _trim_start(text: str) -> str:
    if len(text) >= SNIPPET_CONTEXT and " " in text:
        return "…" + text.split(" ", 1)[1]
    return text


def _trim_end(text: str) -> str:
    if len(text) >= SNIPPET_CONTEXT and " " in text:
        return text.rsplit(" ", 1)[0] + "…"
    return text


def concept_mentions(concept_id: int, articles) -> list[dict]:
    """Where live articles mention the concept: a snippet of the sentence around each."""
    out = []
    for article in articles:
        body = article.content["body"]
        for mention in article.content["mentions"]:
            if mention["concept"] != concept_id:
                continue
            start, end = mention["start"], mention["end"]
            before = body[max(0, start - SNIPPET_CONTEXT) : start].split("\n\n")[-1]
            after = body[end : end + SNIPPET_CONTEXT].split("\n\n")[0]
            paragraph = body[:start].count("\n\n") + 1
            out.append(
                {
                    "title": article.title,
                    "path": history_views.page_path("article_detail", article.slug)
                    + f"#p{paragraph}",
                    "before": _trim_start(before),
                    "exact": body[start:end],
                    "after": _trim_end(after),
                }
            )
            if len(out) >= MENTIONS_SHOWN:
                return out
    return out


def render_concept(row: LiveConcept, at: datetime) -> Rendered:
    resolver = live.LiveResolver(at)
    viewer = Viewer.public()
    view = redact(
        history_views.concept_view(redact(row.content, viewer), resolver, public_meta(row)), viewer
    )
    lessons, later_l = _public_later(
        LiveLesson.objects.filter(vocabulary=row.concept_id).order_by("sort_key", "id"), at
    )
    events, later_e = _public_later(
        LiveEvent.objects.filter(concepts=row.concept_id).order_by(
            "date_start", "date_end", "title"
        ),
        at,
    )
    articles, later_a = _public_later(
        LiveArticle.objects.filter(concepts=row.concept_id).order_by("sort_key", "id"), at
    )
    context = {
        "concept": view,
        "lessons": _lesson_links(lessons),
        "events": [
            {
                "title": e.title,
                "date_display": e.date_display,
                "path": history_views.page_path("event_detail", e.slug),
            }
            for e in events
        ],
        "mentions": concept_mentions(row.concept_id, articles),
    }
    page = Built(
        "page",
        f"{view['term']} · Glossary · History lessons",
        render_to_string("learner/concept_body.html", context),
        render_to_string("learner/concept_head.html", context),
    )
    refs = {("concept", c["id"]) for c in view["related"]}
    refs |= {("lesson", r.lesson_id) for r in lessons}
    refs |= {("event", e.event_id) for e in events}
    refs |= {("article", a.article_id) for a in articles}
    return Rendered([page], refs, _earliest(resolver.stale_after, later_l, later_e, later_a))


RENDER = {
    "lesson": (LiveLesson, "lesson_id", render_lesson),
    "article": (LiveArticle, "article_id", render_article),
    "event": (LiveEvent, "event_id", render_event),
    "concept": (LiveConcept, "concept_id", render_concept),
}


# --- storing and keeping current ----------------------------------------------------------


def build(kind: str, object_id: int, *, at: datetime | None = None) -> set[tuple[str, int]]:
    """Build (or remove) the pages of one item; return the items its pages now show."""
    at = at or timezone.now()
    live_model, link, render = RENDER[kind]
    row = live_model.objects.filter(**{link: object_id}).first()
    if row is None:
        Page.objects.filter(kind=kind, object_id=object_id).delete()
        return set()
    rendered = render(row, at)
    kept = []
    for built in rendered.pages:
        page, _ = Page.objects.update_or_create(
            kind=kind,
            object_id=object_id,
            variant=built.variant,
            defaults={
                "slug": row.slug,
                "title": built.title[:400],
                "lang": built.lang,
                "head": built.head,
                "html": built.html,
                "etag": live.etag_of(built.head, built.html),
                "publish_at": row.publish_at,
                "updated_at": max(at, row.publish_at),
                "stale_after": rendered.stale_after,
            },
        )
        kept.append(page.pk)
        PageRef.objects.filter(page=page).delete()
        PageRef.objects.bulk_create(
            PageRef(page=page, kind=k, object_id=i) for k, i in rendered.refs
        )
    Page.objects.filter(kind=kind, object_id=object_id).exclude(pk__in=kept).delete()
    return rendered.refs


def on_live_change(changes: dict[type, set[int]]) -> None:
    """Live versions appeared, changed or went: build their pages and every page that shows
    them (those that showed them before, and those they show now), each once."""
    changed = {(KINDS[m], pk) for m, ids in changes.items() if m in KINDS for pk in ids}
    if not changed:
        return
    with transaction.atomic():
        now = timezone.now()
        others = set()
        for kind in {k for k, _pk in changed}:
            ids = [pk for k, pk in changed if k == kind]
            others |= set(
                PageRef.objects.filter(kind=kind, object_id__in=ids).values_list(
                    "page__kind", "page__object_id"
                )
            )
        for kind, pk in sorted(changed):
            others |= build(kind, pk, at=now)
        for kind, pk in sorted(others - changed):
            build(kind, pk, at=now)


def fresh(page: Page | None) -> Page | None:
    """The page, built again first if something it leaves out has gone live since."""
    if page is not None and page.stale_after is not None and page.stale_after <= timezone.now():
        with transaction.atomic():
            build(page.kind, page.object_id)
        page = (
            Page.objects.filter(pk=page.pk).first()
            or Page.objects.filter(
                kind=page.kind, object_id=page.object_id, variant=page.variant
            ).first()
        )
    return page


def rebuild_all() -> int:
    """Build every page of every live item (after a restore or an upgrade)."""
    count = 0
    with transaction.atomic():
        for kind, (live_model, link, _render) in RENDER.items():
            for object_id in live_model.objects.values_list(link, flat=True):
                build(kind, object_id)
                count += 1
    return count
