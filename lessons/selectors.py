"""The read layer for lessons and their parts: what a viewer may see, with the joins done.

As in ``history.selectors``: learners read live versions (and their stored parts and quotes),
editors who may see drafts read working copies turned into the same views on the fly.
"""

from __future__ import annotations

from django.db.models import Max, QuerySet
from django.utils import timezone

from history.selectors import Document, live_document, live_meta, staff_meta
from lessons import content as views
from lessons.models import (
    Choice,
    Excerpt,
    Lesson,
    LiveLesson,
    LivePart,
    LiveQuote,
    PartKind,
    Question,
    Section,
)
from publishing import live
from publishing.viewer import Viewer, redact


def lessons(viewer: Viewer) -> QuerySet:
    """Lessons the viewer may list: working copies for editors, public live ones otherwise."""
    if viewer.sees_drafts_of(Lesson):
        return Lesson.objects.select_related("live")
    return LiveLesson.objects.public()


def redact_view(viewer: Viewer, view: dict) -> dict:
    return redact(view, viewer)


def lesson_view(viewer: Viewer, content: dict, resolver, meta: dict) -> dict:
    """A lesson's content as this viewer sees it: redacted, resolved, redacted again."""
    return redact(views.lesson_view(redact(content, viewer), resolver, meta), viewer)


def lesson_document(viewer: Viewer, slug: str, *, stamp_only: bool = False) -> Document | None:
    """A lesson by slug as the viewer may read it (None: not found or not visible)."""
    if viewer.sees_drafts_of(Lesson):
        lesson = Lesson.objects.select_related("live").filter(slug=slug).first()
        return None if lesson is None else working_document(viewer, lesson)
    return live_document(
        viewer, LiveLesson, slug, stamp_only=stamp_only, build=live_lesson_document
    )


def live_lesson_document(viewer: Viewer, row: LiveLesson) -> Document:
    if viewer.without_drafts().is_public:
        return Document(etag=row.etag, last_modified=row.updated_at, text=row.data, row=row)
    view = lesson_view(viewer, row.content, live.LiveResolver(), live_meta(row))
    return Document(
        etag=live.etag_of(row.etag, str(viewer)), last_modified=row.updated_at, view=view, row=row
    )


def working_document(viewer: Viewer, lesson: Lesson) -> Document:
    content = views.lessons_content([lesson])[lesson.pk]
    view = lesson_view(viewer, content, live.WorkingResolver(), staff_meta(lesson))
    return Document(
        etag=live.etag_of(live.dumps(view), str(viewer)),
        last_modified=lesson.updated_at,
        view=view,
        row=lesson,
    )


def preview_view(viewer: Viewer, lesson: Lesson) -> dict:
    """The working copy as learners would see it if it were published now: what it refers
    to as learners see it (live versions only), answer keys and teacher material hidden."""
    content = views.lessons_content([lesson])[lesson.pk]
    learner = Viewer.public()
    return lesson_view(learner, content, live.LiveResolver(), staff_meta(lesson))


def live_lesson(slug: str) -> LiveLesson | None:
    """The public live version of a lesson, fresh."""
    return live.fresh(LiveLesson.objects.public().filter(slug=slug).first())


# --- parts --------------------------------------------------------------------------------

PART_MODELS = {PartKind.SECTION: Section, PartKind.QUESTION: Question, PartKind.CHOICE: Choice}


def parts(viewer: Viewer, kind: str, *, at=None) -> QuerySet:
    """Sections, questions or choices the viewer may list (live ones public at ``at``)."""
    if viewer.sees_drafts_of(Lesson):
        return PART_MODELS[kind].objects.all()
    return LivePart.objects.filter(kind=kind, lesson__publish_at__lte=at or timezone.now())


def quotes(viewer: Viewer, *, at=None) -> QuerySet:
    """Excerpts: all of them for editors; for everyone else the passages live lessons quote,
    one per excerpt (the most recently published lesson's)."""
    if viewer.sees_drafts_of(Lesson):
        return Excerpt.objects.select_related("article")
    public = LiveQuote.objects.filter(lesson__publish_at__lte=at or timezone.now())
    # One row per excerpt (the newest: the highest id among its public rows).
    newest = public.values("excerpt_id").annotate(last=Max("id")).values("last")
    return LiveQuote.objects.filter(id__in=newest)


def quotes_in_article(article_id: int, *, at=None) -> QuerySet[LiveQuote]:
    """The passages of one article that public live lessons quote, with their lessons."""
    return (
        LiveQuote.objects.filter(
            article_id=article_id, lesson__publish_at__lte=at or timezone.now()
        )
        .exclude(anchor_status="lost")
        .select_related("lesson")
        .order_by("lesson__sort_key", "section_id", "question_id")
    )


def question_for_answer(viewer: Viewer, question_id: int) -> tuple[dict, dict] | None:
    """(question content with its key, events shown by id) of a question a learner may answer:
    of a public live lesson, or (for editors) of a working copy."""
    part = (
        LivePart.objects.filter(
            kind=PartKind.QUESTION, object_id=question_id, lesson__publish_at__lte=timezone.now()
        )
        .select_related("lesson")
        .first()
    )
    if part is not None:
        content = part.lesson.content
        resolver = live.LiveResolver()
    elif viewer.sees_drafts_of(Lesson):
        question = Question.objects.filter(pk=question_id).select_related("lesson").first()
        if question is None:
            return None
        content = views.lessons_content([question.lesson])[question.lesson_id]
        resolver = live.WorkingResolver()
    else:
        return None
    question = next((q for q in content["questions"] if q["id"] == question_id), None)
    if question is None:
        return None
    from history.models import Event

    return question, resolver.get(Event, question["events"])


def lessons_public() -> QuerySet[LiveLesson]:
    return LiveLesson.objects.public().order_by("sort_key", "id")
