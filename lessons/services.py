"""Writes to lessons and excerpts. The admin, the API and management commands all call these."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from itertools import pairwise

import reversion
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from reversion.errors import RevertError
from reversion.models import Version

from history import anchoring
from history.models import AnchorStatus, Article, Event
from history.services import anchors_find_again, save_with_unique_slug, unique_slug
from lessons.models import Choice, Excerpt, Lesson, Question, QuestionKind, Section
from publishing import revisions
from publishing import services as publishing
from publishing.models import Status


@transaction.atomic
def excerpt_create(*, article: Article, start: int, end: int, note: str = "", user=None) -> Excerpt:
    """Make an excerpt of article.body[start:end], anchored by its words and its position."""
    try:
        selector = anchoring.describe(article.body, start, end)
    except anchoring.SelectionError as exc:
        raise ValidationError({"start": str(exc)}) from exc
    excerpt = Excerpt(article=article, note=note)
    excerpt.apply_selector(selector)
    if user is not None and user.is_authenticated:
        excerpt.created_by = user
    excerpt.full_clean()
    excerpt.save()
    return excerpt


@transaction.atomic
def excerpt_reselect(*, excerpt: Excerpt, start: int, end: int, user=None) -> Excerpt:
    """Anchor an excerpt again on a new selection; every section quoting it follows."""
    try:
        selector = anchoring.describe(excerpt.article.body, start, end)
    except anchoring.SelectionError as exc:
        raise ValidationError({"start": str(exc)}) from exc
    excerpt.apply_selector(selector)
    excerpt.anchor_status = AnchorStatus.ANCHORED
    excerpt.full_clean()
    excerpt.save()
    return excerpt


def excerpts_accept(*, excerpts) -> int:
    """Accept excerpts whose words changed as they now read; lost ones must be re-selected."""
    return excerpts.filter(anchor_status=AnchorStatus.CHANGED).update(
        anchor_status=AnchorStatus.ANCHORED
    )


def excerpt_create_from_words(
    *, article: Article, exact: str, note: str = "", user=None
) -> Excerpt:
    """Make an excerpt of the first place in the article where these exact words stand."""
    start = article.body.find(exact)
    if start < 0:
        raise ValidationError({"exact": f"“{exact[:60]}…” is not in the text of “{article}”."})
    return excerpt_create(
        article=article, start=start, end=start + len(exact), note=note, user=user
    )


def excerpts_reanchor(*, article: Article) -> dict[str, int]:
    """Find every excerpt of the article again in its current text; count them by outcome."""
    return anchors_find_again(list(Excerpt.objects.filter(article=article)), article.body)


def _person(user):
    return user if user is not None and getattr(user, "is_authenticated", False) else None


@transaction.atomic
def lesson_save(
    *, lesson: Lesson, user=None, expected_version: int | None = None, comment: str = ""
) -> Lesson:
    """Create or change a lesson's own fields, kept as a revision with its sections and questions.

    ``expected_version`` is the version the editor started from: a save over someone else's
    newer one is refused with publishing.services.ConflictError and nothing is written.
    """
    made_slug = not lesson.slug
    if made_slug:
        lesson.slug = unique_slug(Lesson, lesson.title)
    if user is not None and user.is_authenticated:
        if lesson.pk is None:
            lesson.created_by = user
        lesson.updated_by = user
    lesson.full_clean()
    with reversion.create_revision():
        if lesson.pk is not None:
            publishing.claim_version(lesson, expected=expected_version)
        save_with_unique_slug(lesson, source=lesson.title, made=made_slug)
        lesson_record_revision(lesson=lesson, user=user, comment=comment or "Saved.")
    return lesson


def lesson_record_revision(*, lesson: Lesson, user=None, comment: str = "") -> None:
    """Put the lesson as it now stands (sections, questions, choices) in the open revision.

    Call inside ``reversion.create_revision()`` after the lesson's parts were saved: reversion
    serialises an object when it is added, so parts saved later must be added again.
    """
    reversion.add_to_revision(lesson)
    for section in Section.objects.filter(lesson=lesson):
        reversion.add_to_revision(section)
    for question in Question.objects.filter(lesson=lesson).prefetch_related("choices"):
        reversion.add_to_revision(question)
        for choice in question.choices.all():
            reversion.add_to_revision(choice)
    reversion.set_user(_person(user))
    if comment:
        reversion.set_comment(comment)


@transaction.atomic
def lesson_add_excerpt(
    *,
    lesson: Lesson,
    excerpt: Excerpt,
    section: Section | None = None,
    heading: str = "",
    user=None,
) -> Section:
    """Quote the excerpt in a section of the lesson: the given one, or a new one at the end."""
    if user is not None and not publishing.can_edit(user, lesson):
        raise PermissionDenied("You may not change this lesson.")
    if section is not None and section.lesson_id != lesson.pk:
        raise ValidationError("That section belongs to another lesson.")
    with reversion.create_revision():
        if section is None:
            last = lesson.sections.order_by("-position").values_list("position", flat=True)
            words = excerpt.exact if len(excerpt.exact) <= 60 else excerpt.exact[:57] + "…"
            section = Section(
                lesson=lesson,
                position=(last.first() or 0) + 1,
                heading=(heading.strip() or f"Source: “{words}”")[:200],
            )
        section.excerpt = excerpt
        section.full_clean()
        section.save()
        _lesson_part_saved(
            lesson,
            user=user,
            comment=f"Quoted an excerpt of “{excerpt.article.title}” in “{section.heading}”.",
        )
    return section


@transaction.atomic
def lesson_revert(
    *, lesson: Lesson, version: Version, user=None, expected_version: int | None = None
) -> Lesson:
    """Put back a lesson as a revision had it, with its sections, questions and choices.

    The publication state stays as it is now; the revert is itself kept as a new revision.
    """
    if version.object_id != str(lesson.pk) or version._model is not Lesson:
        raise ValidationError("That revision belongs to something else.")
    if user is not None and not publishing.can_edit(user, lesson):
        raise PermissionDenied("You may not change this lesson.")
    kept = {name: getattr(lesson, name) for name in revisions.PRESERVED if name != "id"}
    with reversion.create_revision():
        publishing.claim_version(lesson, expected=expected_version)
        kept["version"] = lesson.version
        try:
            with transaction.atomic():
                version.revision.revert(delete=True)
        except (RevertError, IntegrityError, ObjectDoesNotExist) as exc:
            raise ValidationError(
                "This revision cannot be restored: it quotes an excerpt or event that no longer "
                f"exists ({exc}). Nothing was changed."
            ) from exc
        lesson.refresh_from_db()
        for name, value in kept.items():
            setattr(lesson, name, value)
        lesson.updated_by = _person(user)
        lesson.full_clean()
        lesson.save()
        lesson_record_revision(
            lesson=lesson,
            user=user,
            comment=f"Reverted to the revision of {revisions.describe(version)}.",
        )
    return lesson


def lesson_problems(lesson: Lesson) -> list[str]:
    """What stops a lesson from being published, in words an editor can act on."""
    problems = []
    sections = list(lesson.sections.select_related("excerpt__article"))
    if not sections:
        problems.append("The lesson has no sections.")
    for section in sections:
        excerpt = section.excerpt
        if excerpt is not None and excerpt.anchor_status in (
            AnchorStatus.CHANGED,
            AnchorStatus.LOST,
        ):
            problems.append(
                f"Section “{section.heading}” quotes an excerpt that needs attention "
                f"({excerpt.get_anchor_status_display().lower()})."
            )
    questions = lesson.questions.select_related("excerpt__article").prefetch_related(
        "choices", "events"
    )
    for question in questions:
        if question.kind == QuestionKind.MULTIPLE_CHOICE:
            choices = list(question.choices.all())
            if len(choices) < 2:
                problems.append(f"Question “{question}” needs at least two choices.")
            if not any(c.is_correct for c in choices):
                problems.append(f"Question “{question}” has no correct choice.")
        elif question.kind == QuestionKind.CHRONOLOGY:
            problems.extend(chronology_problems(question))
        elif question.kind == QuestionKind.SOURCE_ANALYSIS and question.excerpt_id is None:
            problems.append(f"Source-analysis question “{question}” quotes no excerpt.")
    problems.extend(_unpublished_sources(sections, questions))
    return problems


def _unpublished_sources(sections: list[Section], questions) -> list[str]:
    """A published lesson must not show words or events learners cannot reach yet."""
    articles = {s.excerpt.article for s in sections if s.excerpt is not None}
    articles |= {q.excerpt.article for q in questions if q.excerpt is not None}
    events = {e for q in questions for e in q.events.all()}
    return [
        f"It quotes the article “{a}”, which is {a.get_status_display().lower()}: "
        "publish the article first."
        for a in sorted(articles, key=str)
        if a.status != Status.PUBLISHED
    ] + [
        f"A chronology question uses the event “{e}”, which is "
        f"{e.get_status_display().lower()}: publish the event first."
        for e in sorted(events, key=str)
        if e.status != Status.PUBLISHED
    ]


def chronology_problems(question: Question) -> list[str]:
    events = sorted(question.events.all(), key=lambda e: (e.date_start, e.date_end))
    if len(events) < 2:
        return [f"Chronology question “{question}” needs at least two events."]
    for earlier, later in pairwise(events):
        if later.date_start <= earlier.date_end:
            return [
                f"Chronology question “{question}”: “{earlier.title}” and “{later.title}” "
                "overlap in time, so they have no single right order."
            ]
    return []


def lesson_publish(
    *, lesson: Lesson, user, at: datetime | None = None, comment: str = ""
) -> Lesson:
    """Publish a lesson (now or at ``at``) once nothing stops it."""
    return publishing.publish(obj=lesson, user=user, at=at, check=lesson_problems, comment=comment)


# --- answering --------------------------------------------------------------------------


@dataclass(frozen=True)
class AnswerResult:
    """What a learner learns after answering: right or not, and why. Never the key itself."""

    correct: bool
    explanation: str  # the question's explanation (Markdown), shown after any answer
    feedback: list[str]  # the feedback of each chosen choice, in order (multiple choice)
    in_place: int | None = None  # chronology: how many events are in the right place
    total: int | None = None  # chronology: how many events there are


class AnswerError(ValidationError):
    """An answer that does not fit the question; nothing is checked."""


def answer_check(
    *, question: Question, answer: list, events: Iterable[Event] | None = None
) -> AnswerResult:
    """Check an answer on the server: choice ids (multiple choice) or event ids in order.

    ``question`` should come with ``choices`` and ``events`` prefetched; ids may be ints or
    strings of digits. Open and source-analysis questions are not checked. ``events`` are the
    events the learner was shown (default: all the question's): a chronology answer is
    checked against those only, so that an event hidden from the learner is neither demanded
    nor accepted.
    """
    if question.kind == QuestionKind.MULTIPLE_CHOICE:
        return _check_choices(question, _ids(answer, "choice"))
    if question.kind == QuestionKind.CHRONOLOGY:
        shown = list(question.events.all() if events is None else events)
        return _check_order(question, _ids(answer, "event"), shown)
    raise AnswerError(
        "This question has no single right answer; it is for discussion.", code="not_checked"
    )


def _ids(answer, what: str) -> list[int]:
    if not isinstance(answer, list | tuple) or not answer:
        raise AnswerError(f"Choose at least one {what}.", code="empty")
    ids = []
    for item in answer:
        if isinstance(item, bool) or not str(item).isdigit():
            raise AnswerError(f"“{item}” is not a {what} of this question.", code="invalid")
        ids.append(int(item))
    if len(set(ids)) != len(ids):
        raise AnswerError(f"Each {what} may be given only once.", code="duplicate")
    return ids


def _check_choices(question: Question, ids: list[int]) -> AnswerResult:
    choices: dict[int, Choice] = {c.pk: c for c in question.choices.all()}
    unknown = [i for i in ids if i not in choices]
    if unknown:
        raise AnswerError(f"{unknown[0]} is not a choice of this question.", code="invalid")
    correct = {pk for pk, c in choices.items() if c.is_correct}
    return AnswerResult(
        correct=set(ids) == correct,
        explanation=question.explanation,
        feedback=[choices[i].feedback for i in ids if choices[i].feedback],
    )


def _check_order(question: Question, ids: list[int], shown: list[Event]) -> AnswerResult:
    events: dict[int, Event] = {e.pk: e for e in shown}
    if set(ids) != set(events):
        raise AnswerError(
            f"Put all {len(events)} events of this question in order, each once.", code="invalid"
        )
    right = sorted(events, key=lambda pk: (events[pk].date_start, events[pk].date_end))
    in_place = sum(1 for given, expected in zip(ids, right, strict=True) if given == expected)
    return AnswerResult(
        correct=in_place == len(right),
        explanation=question.explanation,
        feedback=[],
        in_place=in_place,
        total=len(right),
    )


# --- parts of a lesson (sections, questions, choices) -----------------------------------


def _lesson_part_saved(lesson: Lesson, *, user, comment: str) -> None:
    """A lesson's parts are part of it: saving one changes the lesson's version, its "last
    changed" (HTTP Last-Modified) and its history. Call inside ``reversion.create_revision()``."""
    publishing.claim_version(lesson, expected=None)
    fields = {"updated_at": timezone.now()}
    if _person(user) is not None:
        fields["updated_by"] = user
    Lesson.objects.filter(pk=lesson.pk).update(**fields)
    lesson_record_revision(lesson=lesson, user=user, comment=comment)


@transaction.atomic
def section_save(*, section: Section, user=None) -> Section:
    """Create or change a section of a lesson."""
    section.full_clean()
    with reversion.create_revision():
        section.save()
        _lesson_part_saved(section.lesson, user=user, comment=f"Saved section “{section}”.")
    return section


@transaction.atomic
def question_save(*, question: Question, events: list[Event] | None = None, user=None) -> Question:
    """Create or change a question; ``events`` (chronology) replaces its events when given."""
    question.full_clean()
    with reversion.create_revision():
        question.save()
        if events is not None:
            question.events.set(events)
        _lesson_part_saved(question.lesson, user=user, comment=f"Saved question “{question}”.")
    return question


@transaction.atomic
def choice_save(*, choice: Choice, user=None) -> Choice:
    """Create or change a choice of a multiple-choice question."""
    choice.full_clean()
    with reversion.create_revision():
        choice.save()
        _lesson_part_saved(
            choice.question.lesson, user=user, comment=f"Saved a choice of “{choice.question}”."
        )
    return choice


@transaction.atomic
def excerpt_note_save(*, excerpt: Excerpt, note: str, user=None) -> Excerpt:
    """Change an excerpt's editor's note (its words and place come from its selector)."""
    excerpt.note = note
    excerpt.full_clean()
    excerpt.save(update_fields=["note", "updated_at"])
    return excerpt
