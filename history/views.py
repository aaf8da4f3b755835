"""Learner pages for sources: articles, events, concepts, the timeline (published only)."""

from __future__ import annotations

import hashlib
from collections import defaultdict

from django.db.models import F, Max, Min, OuterRef, Prefetch, Q, Subquery, Value
from django.db.models.functions import Greatest, Length, Replace, Substr
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import condition

from history import dates, names, reading, selectors
from history.models import AnchorStatus, Article, Concept, Event, Mention
from lessons.models import Excerpt, Lesson, Question, Section
from publishing.models import published_q

SNIPPET_CONTEXT = 90
MENTIONS_SHOWN = 30


# --- conditional GET ------------------------------------------------------------------


def _latest(queryset, field="updated_at"):
    return Subquery(queryset.order_by(f"-{field}").values(field)[:1])


def _article_stamp(request, slug):
    """(etag, last modified) of an article page, in one query; cached on the request."""
    if not hasattr(request, "_article_stamp"):
        now = timezone.now()
        mentions = Mention.objects.public().filter(article=OuterRef("pk"))
        row = (
            Article.objects.published()
            .filter(slug=slug)
            .annotate(
                s_changed=Greatest("updated_at", "publish_at"),
                s_mention_max=_latest(mentions, "id"),
                s_mention_created=_latest(mentions, "created_at"),
                s_concepts=_latest(Concept.objects.filter(mentions__article=OuterRef("pk"))),
                s_concepts_pub=_latest(
                    Concept.objects.filter(mentions__article=OuterRef("pk"), publish_at__lte=now),
                    "publish_at",
                ),
                s_lessons=_latest(
                    Lesson.objects.filter(sections__excerpt__article=OuterRef("pk"))
                ),
                s_lessons_pub=_latest(
                    Lesson.objects.filter(
                        sections__excerpt__article=OuterRef("pk"), publish_at__lte=now
                    ),
                    "publish_at",
                ),
                s_excerpts=_latest(Excerpt.objects.filter(article=OuterRef("pk"))),
            )
            .values_list(
                "pk", "version", "s_changed", "s_mention_max", "s_mention_created", "s_concepts",
                "s_concepts_pub", "s_lessons", "s_lessons_pub", "s_excerpts",
            )
            .first()
        )  # fmt: skip
        request._article_stamp = _stamp(row)
    return request._article_stamp


def _stamp(row):
    if row is None:
        return None, None
    times = [value for value in row[2:] if hasattr(value, "timestamp")]
    last = max(times)
    etag = "-".join(str(v.timestamp() if hasattr(v, "timestamp") else v) for v in row)
    # A stable digest (not hash(): it differs between processes and restarts).
    return f'"a{hashlib.sha256(etag.encode()).hexdigest()[:20]}"', last


# --- pages ----------------------------------------------------------------------------


def article_list(request):
    articles = Article.objects.published().only(
        "title", "slug", "kicker", "author", "publication", "publication_date"
    )
    return render(request, "history/article_list.html", {"articles": articles})


@condition(
    etag_func=lambda request, slug: _article_stamp(request, slug)[0],
    last_modified_func=lambda request, slug: _article_stamp(request, slug)[1],
)
def article_detail(request, slug):
    try:
        article = selectors.article_public_detail(slug=slug)
    except Article.DoesNotExist as exc:
        raise Http404("No such article.") from exc
    target = _excerpt_param(request)
    passages, quoting = _article_passages(article, target)
    terms, definitions = [], {}
    for mention in article.public_mentions:
        if mention.concept_id and mention.concept.is_public:
            definitions[mention.concept_id] = mention.concept
            terms.append(
                reading.Term(
                    mention.start,
                    mention.end,
                    mention.concept.get_absolute_url(),
                    f"def-{mention.concept_id}",
                )
            )
        elif mention.event_id and mention.event.is_public:
            terms.append(
                reading.Term(
                    mention.start, mention.end, mention.event.get_absolute_url(), kind="event"
                )
            )
    body_html = mark_safe(
        reading.render_article(
            article.body,
            article.structure,
            passages,
            terms,
            base_script=names.script_of_language(article.language),
        )
    )
    target_passage = next((p for p in passages if p.target), None)
    return render(
        request,
        "history/article_detail.html",
        {
            "article": article,
            "body_html": body_html,
            "direction": names.direction_of_language(article.language),
            "definitions": names.sorted_by_name(definitions.values(), key=lambda c: c.filed_as),
            "target": target_passage,
            "quoting": quoting,
        },
    )


def _excerpt_param(request) -> int | None:
    value = request.GET.get("excerpt", "")
    return int(value) if value.isdigit() and len(value) < 12 else None


def _article_passages(article, target: int | None):
    """The passages published lessons quote (and the one asked for), with their lessons."""
    now = timezone.now()
    lessons_of: dict[int, list] = defaultdict(list)
    excerpts = {}
    sections = (
        Section.objects.filter(excerpt__article=article)
        .filter(published_q("lesson__", at=now))
        .exclude(excerpt__anchor_status=AnchorStatus.LOST)
        .select_related("excerpt", "lesson")
        .only("id", "excerpt", "lesson__title", "lesson__slug", "excerpt__start", "excerpt__end")
        .order_by("lesson__title", "position")
    )
    for section in sections:
        excerpts[section.excerpt_id] = section.excerpt
        url = f"{section.lesson.get_absolute_url()}#section-{section.pk}"
        lessons_of[section.excerpt_id].append((section.lesson.title, url))
    questions = (
        Question.objects.filter(excerpt__article=article)
        .filter(published_q("lesson__", at=now))
        .exclude(excerpt__anchor_status=AnchorStatus.LOST)
        .select_related("excerpt", "lesson")
        .only("id", "excerpt", "lesson__title", "lesson__slug", "excerpt__start", "excerpt__end")
    )
    for question in questions:
        excerpts[question.excerpt_id] = question.excerpt
        url = f"{question.lesson.get_absolute_url()}#q-{question.pk}"
        known = {u.split("#")[0] for _t, u in lessons_of[question.excerpt_id]}
        if url.split("#")[0] not in known:
            lessons_of[question.excerpt_id].append((question.lesson.title, url))
    if target is not None and target not in excerpts:
        found = (
            Excerpt.objects.filter(pk=target, article=article)
            .exclude(anchor_status=AnchorStatus.LOST)
            .first()
        )
        if found is not None:
            excerpts[found.pk] = found
    passages = [
        reading.Passage(e.pk, e.start, e.end, tuple(lessons_of[e.pk]), target == e.pk)
        for e in excerpts.values()
    ]
    quoting = sorted({t for links in lessons_of.values() for t, _u in links})
    return passages, quoting


def event_detail(request, slug):
    now = timezone.now()
    event = get_object_or_404(
        Event.objects.published().prefetch_related(
            Prefetch(
                "concepts",
                queryset=Concept.objects.published(at=now).order_by("collation_key", "term"),
            )
        ),
        slug=slug,
    )
    articles = (
        Article.objects.published(at=now)
        .filter(mentions__in=Mention.objects.public().filter(event=event))
        .distinct()
        .only("title", "slug", "publication", "publication_date")
    )
    lessons = (
        Lesson.objects.published(at=now)
        .filter(Q(timeline=event) | Q(questions__events=event))
        .distinct()
        .only("title", "slug", "central_question")
    )
    return render(
        request,
        "history/event_detail.html",
        {"event": event, "articles": articles, "lessons": lessons},
    )


def concept_detail(request, slug):
    now = timezone.now()
    concept = get_object_or_404(
        Concept.objects.published().prefetch_related(
            Prefetch(
                "related",
                queryset=Concept.objects.published(at=now).order_by("collation_key", "term"),
            )
        ),
        slug=slug,
    )
    mentions = list(
        Mention.objects.public()
        .filter(concept=concept)
        .select_related("article")
        .annotate(
            before=Substr(
                "article__body",
                Greatest(F("start") - SNIPPET_CONTEXT + 1, 1),
                F("start") - Greatest(F("start") - SNIPPET_CONTEXT, 0),
            ),
            after=Substr("article__body", F("end") + 1, SNIPPET_CONTEXT),
            # Paragraphs are separated by one blank line: count them before the mention.
            paragraph_number=(
                Length(Substr("article__body", 1, F("start")))
                - Length(Replace(Substr("article__body", 1, F("start")), Value("\n\n"), Value("")))
            )
            / 2
            + 1,
        )
        .only("start", "end", "exact", "article__title", "article__slug")
        .order_by("article__title", "start")[:MENTIONS_SHOWN]
    )
    for mention in mentions:
        mention.before = _trim_start(mention.before.split("\n\n")[-1])
        mention.after = _trim_end(mention.after.split("\n\n")[0])
    lessons = (
        Lesson.objects.published(at=now)
        .filter(vocabulary=concept)
        .only("title", "slug", "central_question")
    )
    events = Event.objects.published(at=now).filter(concepts=concept).chronological()
    return render(
        request,
        "history/concept_detail.html",
        {"concept": concept, "mentions": mentions, "lessons": lessons, "events": events},
    )


def _trim_start(text: str) -> str:
    if len(text) >= SNIPPET_CONTEXT and " " in text:
        return "…" + text.split(" ", 1)[1]
    return text


def _trim_end(text: str) -> str:
    if len(text) >= SNIPPET_CONTEXT and " " in text:
        return text.rsplit(" ", 1)[0] + "…"
    return text


def glossary(request):
    concepts = selectors.concepts_public().only(
        "term", "slug", "definition", "kind", "sort_name", "language"
    )
    letters: dict[tuple, list] = defaultdict(list)
    for concept in concepts:
        letters[names.letter(concept.filed_as)].append(concept)
    # Each script's letters are groups of their own (Greek Ο is not Latin O), scripts in order.
    groups = [
        (letter, names.language_of_script(script), items)
        for (_order, script, letter), items in sorted(
            letters.items(), key=lambda item: (item[0][0], names.sort_key(item[0][2]))
        )
    ]
    return render(request, "history/glossary.html", {"groups": groups})


# --- timeline -------------------------------------------------------------------------

AXIS_WIDTH = 1000


def _year_value(key: int, *, end: bool = False) -> float:
    bound = dates.bound_from_key(key)
    return bound.year + (bound.month - 1) / 12 + (bound.day - (0 if end else 1)) / 372


def timeline(request):
    now = timezone.now()
    events = selectors.events_public().only(
        "title", "slug", "date_edtf", "date_start", "date_end", "place", "summary"
    )
    errors = []
    start_year, errors_start = _year_param(request, "from")
    end_year, errors_end = _year_param(request, "to")
    errors += errors_start + errors_end
    if start_year is not None and end_year is not None and end_year < start_year:
        errors.append("“To” must be the same year as “From” or later.")
    concept_slug = request.GET.get("concept", "")
    concepts = (
        Concept.objects.published(at=now)
        .filter(events__in=Event.objects.published(at=now))
        .distinct()
        .only("term", "slug", "language")
        .order_by("collation_key", "term")
    )
    concepts = list(concepts)
    chosen = None
    if concept_slug:
        chosen = next((c for c in concepts if c.slug == concept_slug), None)
        if chosen is None:
            errors.append("There is no such concept on the timeline.")
    if not errors:
        events = events.overlapping(
            start=dates.date_key(start_year, 1, 1) if start_year is not None else None,
            end=dates.date_key(end_year, 12, 31) if end_year is not None else None,
        )
        if chosen is not None:
            events = events.filter(concepts=chosen)
    rows = list(events) if not errors else []
    decades = sorted({dates.bound_from_key(e.date_start).year // 10 * 10 for e in rows})
    context = {
        "rows": timeline_rows(rows),
        "errors": errors,
        "concepts": concepts,
        "chosen": chosen,
        "start_year": request.GET.get("from", ""),
        "end_year": request.GET.get("to", ""),
        "decades": _all_decades(),
        "shown_decades": decades,
    }
    return render(request, "history/timeline.html", context, status=400 if errors else 200)


def _all_decades() -> list[int]:
    """Decades from the first published event to the last, for the period filter."""
    agg = Event.objects.published().aggregate(first=Min("date_start"), last=Max("date_end"))
    if agg["first"] is None:
        return []
    first = dates.bound_from_key(agg["first"]).year // 10 * 10
    last = dates.bound_from_key(agg["last"]).year // 10 * 10
    if last - first > 300:  # long spans get the from/to fields only
        return []
    return list(range(first, last + 1, 10))


def _year_param(request, name):
    value = request.GET.get(name, "").strip()
    if not value:
        return None, []
    try:
        year = int(value)
    except ValueError:
        return None, [f"“{value[:20]}” is not a year: type a number such as 1956."]
    if not -10000 <= year <= 9999:
        return None, ["Years run from -10000 to 9999."]
    return year, []


def timeline_rows(events: list[Event]) -> list[dict]:
    """Each event with its bar on a common axis (SVG coordinates, 0 to AXIS_WIDTH)."""
    if not events:
        return []
    low = min(_year_value(e.date_start) for e in events)
    high = max(_year_value(e.date_end, end=True) for e in events)
    span = max(high - low, 1.0)
    rows = []
    for event in events:
        date = event.date
        x = (_year_value(event.date_start) - low) / span * AXIS_WIDTH
        width = (_year_value(event.date_end, end=True) - _year_value(event.date_start)) / span
        width = max(width * AXIS_WIDTH, 4)
        x = min(x, AXIS_WIDTH - width)
        rows.append(
            {
                "event": event,
                "display": date.display,
                "iso": date.lower.iso() if date.lower.year > 0 else "",
                "approximate": date.approximate or date.uncertain,
                "is_span": event.date_start != event.date_end,
                "x": f"{x:.1f}",
                "width": f"{width:.1f}",
            }
        )
    return rows
