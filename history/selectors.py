"""The read layer for source material: what a viewer may see, with the joins done.

Learners and anonymous clients read live versions (``Live…`` rows, built at publish time);
editors who may see drafts read working copies, turned into the same views on the fly. Views,
the API and exports ask here and decide nothing about visibility themselves.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet
from django.utils import timezone

from history import content as views
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
    row: object | None = None  # the live row or the working copy


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


def live_row(rows, *, stamp_only: bool = False):
    """The fresh live row among ``rows`` (None if none). With ``stamp_only``, only its ETag and
    time as a stamp ``Document`` when they can be trusted (one small query: what a conditional
    request needs); the row itself when it must be rebuilt first."""
    if stamp_only:
        stamp = rows.values("etag", "updated_at", "stale_after").first()
        if stamp is None:
            return None
        if stamp["stale_after"] is None or stamp["stale_after"] > timezone.now():
            return Document(etag=stamp["etag"], last_modified=stamp["updated_at"])
    return live.fresh(rows.first())


def live_document(viewer: Viewer, live_model, slug: str, *, stamp_only=False) -> Document | None:
    """A public live version by slug: its stored document, or (for a viewer who may see more
    than the public, e.g. answer keys) a view built from its stored content."""
    row = live_row(live_model.objects.public().filter(slug=slug), stamp_only=stamp_only)
    if row is None or isinstance(row, Document):
        return row
    if viewer.without_drafts().is_public:
        return Document(etag=row.etag, last_modified=row.updated_at, text=row.data, row=row)
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
