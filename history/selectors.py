"""The read layer for source material: what a viewer may see, with the joins done.

Learners and anonymous clients read live versions (``Live…`` rows, built at publish time);
editors who may see drafts read working copies, turned into the same views on the fly. Views,
the API and exports ask here and decide nothing about visibility themselves.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Max, Min, Q, QuerySet
from django.utils import timezone

from history import content as views
from history import dates
from history.models import Article, Concept, Event, LiveArticle, LiveConcept, LiveEvent
from publishing import live
from publishing.viewer import Viewer, redact

LIVE = {Concept: LiveConcept, Event: LiveEvent, Article: LiveArticle}
VIEWS = {Concept: views.concept_view, Event: views.event_view, Article: views.article_view}


@dataclass
class Document:
    """One item as a viewer may read it: a stored document (``text``, a live version for the
    public) or a view to serialize (``view``), with what conditional requests need."""

    etag: str
    last_modified: datetime
    text: str | None = None
    view: dict | None = None
    row: object | None = None  # the live row or the working copy; None: a stored text alone


def staff_meta(obj) -> dict:
    """The publication fields of a working copy, for editors."""
    live_row = obj.live_version
    return views.publishing_meta(
        status=obj.status,
        publish_at=live_row.publish_at if live_row is not None else None,
        updated_at=obj.updated_at,
        version=obj.version,
        live=live_row is not None and live_row.publish_at <= timezone.now(),
        changes=live_row is not None and live_row.version != obj.version,
    )


def live_meta(row) -> dict:
    from history.live import public_meta

    return public_meta(row)


def items(viewer: Viewer, model) -> QuerySet:
    """Every item of a kind the viewer may list: working copies for editors who may see drafts
    of it, public live versions for everyone else."""
    if viewer.sees_drafts_of(model):
        return model.objects.select_related("live")
    return LIVE[model].objects.public()


def reads_working_copies(viewer: Viewer, model) -> bool:
    return viewer.sees_drafts_of(model)


def document(viewer: Viewer, model, slug: str, *, stamp_only: bool = False) -> Document | None:
    """One article, event or concept by slug, as the viewer may read it (None: not found)."""
    if viewer.sees_drafts_of(model):
        obj = model.objects.select_related("live").filter(slug=slug).first()
        if obj is None:
            return None
        return working_document(viewer, obj)
    return live_document(viewer, LIVE[model], slug, stamp_only=stamp_only)


def working_document(viewer: Viewer, obj) -> Document:
    model = type(obj)
    content = live.kind_of(model).content([obj])[obj.pk]
    view = view_of(viewer, model, content, live.WorkingResolver(), staff_meta(obj))
    text = live.dumps(view)
    return Document(
        etag=live.etag_of(text, str(viewer)), last_modified=obj.updated_at, view=view, row=obj
    )


def view_of(viewer: Viewer, model, content: dict, resolver, meta: dict) -> dict:
    """Content as this viewer sees it: redacted, resolved, redacted again."""
    return redact(VIEWS[model](redact(content, viewer), resolver, meta), viewer)


def live_document(
    viewer: Viewer, live_model, slug: str, *, stamp_only=False, build=None
) -> Document | None:
    """A public live version by slug: its stored document, or (for a viewer who may see more
    than the public, e.g. answer keys) a view built from its stored content.

    For the public, one query of the columns it needs (the stored text is served as it is,
    the stored content not even read); ``stamp_only`` leaves out the text too, for a
    conditional request that a 304 may answer. ``build(viewer, row)`` makes the document of a
    fresh live row (default: ``live_row_document``).
    """
    public = viewer.without_drafts().is_public
    columns = ("etag", "updated_at", "stale_after")
    if public and not stamp_only:
        columns = (*columns, "data")
    stamp = live.public_values(live_model, slug, columns)
    if stamp is None:
        return None
    etag, updated_at, stale_after, *text = stamp
    if stale_after is None or stale_after > timezone.now():
        if public:
            return Document(etag=etag, last_modified=updated_at, text=text[0] if text else None)
        if stamp_only:
            return Document(etag=live.etag_of(etag, str(viewer)), last_modified=updated_at)
    row = live_row(live_model, slug)
    if row is None:
        return None
    return (build or live_row_document)(viewer, row)


def live_row(live_model, slug: str):
    """The public live row with this slug, built again first if it is stale (None: none)."""
    return live.fresh(live_model.objects.public().filter(slug=slug).first())


def live_row_document(viewer: Viewer, row) -> Document:
    """The document of a live article, event or concept row for this viewer."""
    if viewer.without_drafts().is_public:
        return Document(etag=row.etag, last_modified=row.updated_at, text=row.data, row=row)
    live_model = type(row)
    model = live_model._meta.get_field(_link(live_model)).related_model
    view = view_of(viewer, model, row.content, live.LiveResolver(), live_meta(row))
    return Document(
        etag=live.etag_of(row.etag, str(viewer)), last_modified=row.updated_at, view=view, row=row
    )


def _link(live_model) -> str:
    return next(k.link for k in live.kinds() if k.live_model is live_model)


# --- lists for the learner site -------------------------------------------------------------


def articles_public() -> QuerySet[LiveArticle]:
    return LiveArticle.objects.public().order_by("sort_key", "id")


def events_public(*, at=None) -> QuerySet[LiveEvent]:
    return LiveEvent.objects.public(at=at).order_by("date_start", "date_end", "title", "id")


def concepts_public() -> QuerySet[LiveConcept]:
    return LiveConcept.objects.public().order_by("sort_key", "id")


def counts_public() -> dict[str, int]:
    return {
        "articles": LiveArticle.objects.public().count(),
        "events": LiveEvent.objects.public().count(),
        "concepts": LiveConcept.objects.public().count(),
    }


def mentioning(model, pk: int, *, at=None) -> QuerySet[LiveArticle]:
    """Public live articles that mention this concept or event (confirmed mentions)."""
    field = "concepts" if model is Concept else "events"
    return LiveArticle.objects.public(at=at).filter(**{field: pk}).order_by("sort_key", "id")


# --- the timeline: a window of events, and periods to move between ---------------------------

TIMELINE_PAGE = 100  # events in one window
MAX_PERIODS = 40  # links in the period navigation
PERIOD_STEPS = (1, 10, 100, 1000)  # years: whichever is the first to give at most MAX_PERIODS


@dataclass(frozen=True)
class Period:
    """A span of years (astronomical: 0 is 1 BCE) and how many events touch it."""

    first: int
    last: int
    count: int

    @property
    def label(self) -> str:
        if self.first == self.last:
            return _year_label(self.first)
        if self.last <= 0:
            return f"{1 - self.first}–{1 - self.last} BCE"
        if self.first > 0 and self.first % 10 == 0 and self.last - self.first == 9:
            return f"{self.first}s"
        return f"{_year_label(self.first)}–{_year_label(self.last)}"


def _year_label(year: int) -> str:
    return f"{1 - year} BCE" if year <= 0 else str(year)


def _period_of(year: int, step: int) -> tuple[int, int]:
    """The period of ``step`` years holding ``year``, as historians count them: 1950–1959 and
    1900–1999, but 500–401 BCE (astronomical -499 to -400)."""
    if year > 0:
        low = year // step * step
        return max(low, 1), low + step - 1
    bce = 1 - year
    latest = -(-bce // step) * step
    return 1 - latest, 1 - (latest - step + 1)


def _spans(first: int, last: int, step: int) -> list[tuple[int, int]]:
    spans, year = [], first
    while year <= last:
        spans.append(_period_of(year, step))
        year = spans[-1][1] + 1
    return spans


@dataclass
class TimelineWindow:
    events: list[dict]  # the window's events, earliest first
    total: int  # events matching, in every window
    page: int
    pages: int
    periods: list[Period]  # the matching events' span, in periods, with their counts


def _timeline_events(*, start_year=None, end_year=None, concept_id=None, at=None) -> QuerySet:
    events = events_public(at=at)
    if start_year is not None:
        events = events.filter(date_end__gte=dates.date_key(start_year, 1, 1))
    if end_year is not None:
        events = events.filter(date_start__lte=dates.date_key(end_year, 12, 31))
    if concept_id is not None:
        events = events.filter(concepts=concept_id)
    return events


def _periods(events: QuerySet, first_key: int, last_key: int) -> list[Period]:
    """The span from ``first_key`` to ``last_key`` cut into periods, each with the number of
    events that touch it (one query, whatever the number of events)."""
    first, last = dates.bound_from_key(first_key).year, dates.bound_from_key(last_key).year
    step = next(
        (s for s in PERIOD_STEPS if (last - first) // s + 2 <= MAX_PERIODS), PERIOD_STEPS[-1]
    )
    spans = _spans(first, last, step)
    counts = events.aggregate(
        **{
            f"p{n}": Count(
                "id",
                filter=Q(
                    date_end__gte=dates.date_key(low, 1, 1),
                    date_start__lte=dates.date_key(high, 12, 31),
                ),
            )
            for n, (low, high) in enumerate(spans)
        }
    )
    return [Period(low, high, counts[f"p{n}"]) for n, (low, high) in enumerate(spans)]


def timeline_window(
    *, start_year=None, end_year=None, concept_id=None, page: int = 1, at=None
) -> TimelineWindow:
    """A window of public events (``TIMELINE_PAGE`` of them, earliest first) within the years
    and about the concept given, and the periods of all that match with their counts.

    Three queries whatever the number of events: the matching events' span and count, the
    counts by period, the window. The span is clipped to the years asked for."""
    events = _timeline_events(
        start_year=start_year, end_year=end_year, concept_id=concept_id, at=at
    )
    span = events.aggregate(first=Min("date_start"), last=Max("date_end"), total=Count("id"))
    total = span["total"]
    if not total:
        return TimelineWindow([], 0, 1, 1, [])
    first, last = span["first"], span["last"]
    if start_year is not None:
        first = max(first, dates.date_key(start_year, 1, 1))
    if end_year is not None:
        last = min(last, dates.date_key(end_year, 12, 31))
    pages = -(-total // TIMELINE_PAGE)
    page = min(max(page, 1), pages)
    offset = (page - 1) * TIMELINE_PAGE
    fields = ("slug", "title", "date_start", "date_end", "date_display", "date_iso",
              "approximate", "place", "event_id")  # fmt: skip
    window = [
        {
            "slug": e["slug"],
            "title": e["title"],
            "date_start": e["date_start"],
            "date_end": e["date_end"],
            "date_display": e["date_display"],
            "iso": e["date_iso"],
            "approximate": e["approximate"],
            "place": e["place"],
            "event_id": e["event_id"],
            "path": views.page_path("event_detail", e["slug"]),
        }
        for e in events.values(*fields)[offset : offset + TIMELINE_PAGE]
    ]
    return TimelineWindow(window, total, page, pages, _periods(events, first, last))


def timeline_concepts(event_ids: list[int], *, chosen: int | None = None) -> list[LiveConcept]:
    """The public concepts of these events (and the chosen one), by name: what the timeline's
    concept filter offers for the window shown (one query)."""
    wanted = Q(concept__in=LiveEvent.concepts.through.objects.filter(
        liveevent__event_id__in=event_ids
    ).values("concept_id"))  # fmt: skip
    if chosen is not None:
        wanted |= Q(concept_id=chosen)
    return list(concepts_public().filter(wanted).only("slug", "term", "language", "concept_id"))


def concept_public_by_slug(slug: str) -> LiveConcept | None:
    return concepts_public().filter(slug=slug).only("slug", "term", "concept_id").first()
