"""Writes to lessons and excerpts. The admin, the API and management commands all call these."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from itertools import pairwise

import reversion
from django.core import signing
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from reversion.errors import RevertError
from reversion.models import Version

from history import anchoring
from history.models import AnchorStatus, Article, Event, LiveArticle, LiveEvent
from history.services import anchors_find_again, save_with_unique_slug, unique_slug
from lessons.models import Choice, Excerpt, Lesson, Question, QuestionKind, Section
from publishing import revisions
from publishing import services as publishing


def _selector(body: str, start: int, end: int):
    """The anchor of body[start:end]; a selection that cannot be one is the caller's error."""
    try:
        return anchoring.describe(body, start, end)
    except anchoring.SelectionError as exc:
        raise ValidationError({"start": str(exc)}) from exc


@transaction.atomic
def excerpt_create(
    *,
    article: Article,
    start: int,
    end: int,
    note: str = "",
    user=None,
    headnote: str = "",
    adapted_text: str = "",
) -> Excerpt:
    """Make an excerpt of article.body[start:end], anchored by its words and its position."""
    selector = _selector(article.body, start, end)
    excerpt = Excerpt(article=article, note=note, headnote=headnote, adapted_text=adapted_text)
    excerpt.apply_selector(selector)
    if user is not None and user.is_authenticated:
        excerpt.created_by = user
    excerpt.full_clean()
    excerpt.save()
    return excerpt


@transaction.atomic
def excerpt_reselect(*, excerpt: Excerpt, start: int, end: int, user=None) -> Excerpt:
    """Anchor an excerpt again on a new selection; every section quoting it follows."""
    excerpt.apply_selector(_selector(excerpt.article.body, start, end))
    excerpt.anchor_status = AnchorStatus.ANCHORED
    excerpt.full_clean()
    excerpt.save()
    return excerpt


def excerpts_accept(*, excerpts) -> int:
    """Accept excerpts whose words changed (or that were found elsewhere) as they now read;
    lost ones must be selected again."""
    return excerpts.filter(anchor_status__in=[AnchorStatus.CHANGED, AnchorStatus.ELSEWHERE]).update(
        anchor_status=AnchorStatus.ANCHORED
    )


def excerpt_create_from_words(
    *,
    article: Article,
    exact: str,
    note: str = "",
    user=None,
    headnote: str = "",
    adapted_text: str = "",
) -> Excerpt:
    """Make an excerpt of the first place in the article where these exact words stand."""
    start = article.body.find(exact)
    if start < 0:
        raise ValidationError({"exact": f"“{exact[:60]}…” is not in the text of “{article}”."})
    return excerpt_create(
        article=article,
        start=start,
        end=start + len(exact),
        note=note,
        user=user,
        headnote=headnote,
        adapted_text=adapted_text,
    )


def excerpts_reanchor(*, article: Article) -> dict[str, int]:
    """Find every excerpt of the article again in its current text; count them by outcome."""
    return anchors_find_again(list(Excerpt.objects.filter(article=article)), article.body)


def _person(user):
    return user if user is not None and getattr(user, "is_authenticated", False) else None


@transaction.atomic
def lesson_save(
    *,
    lesson: Lesson,
    user=None,
    expected_version: int | None = None,
    comment: str = "",
    vocabulary=None,
    timeline=None,
) -> Lesson:
    """Create or change a lesson's own fields (and, when given, its vocabulary and timeline),
    kept as one revision with all its parts.

    ``expected_version`` is the version the editor started from: a save over someone else's
    newer one is refused with publishing.services.ConflictError and nothing is written. A live
    lesson's change stays in its working copy until a publisher publishes it.
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
        if vocabulary is not None:
            lesson.vocabulary.set(vocabulary)
        if timeline is not None:
            lesson.timeline.set(timeline)
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
        part_versions = _part_versions(lesson)
        try:
            with transaction.atomic():
                version.revision.revert(delete=True)
        except (RevertError, IntegrityError, ObjectDoesNotExist) as exc:
            raise ValidationError(
                "This revision cannot be restored: it quotes an excerpt or event that no longer "
                f"exists ({exc}). Nothing was changed."
            ) from exc
        _bump_part_versions(lesson, part_versions)
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


PART_MODELS = (Section, Question, Choice)


def _parts(model, lesson: Lesson):
    link = "question__lesson" if model is Choice else "lesson"
    return model.objects.filter(**{link: lesson})


def _part_versions(lesson: Lesson) -> dict[tuple[type, int], int]:
    return {
        (model, pk): number
        for model in PART_MODELS
        for pk, number in _parts(model, lesson).values_list("pk", "version")
    }


def _bump_part_versions(lesson: Lesson, before: dict[tuple[type, int], int]) -> None:
    """After a revert, every part's version moves on (never back to an old number), so that a
    form opened before the revert cannot be saved over it."""
    for model in PART_MODELS:
        for part in _parts(model, lesson).only("pk", "version"):
            number = max(before.get((model, part.pk), 0), part.version) + 1
            model.objects.filter(pk=part.pk).update(version=number)


@transaction.atomic
def lesson_part_delete(*, part: Section | Question | Choice, user=None) -> None:
    """Delete a section, question or choice; the lesson keeps a revision without it."""
    lesson = part.question.lesson if isinstance(part, Choice) else part.lesson
    name = f"{part._meta.verbose_name} “{part}”"
    with reversion.create_revision():
        part.delete()
        _lesson_part_saved(lesson, user=user, comment=f"Deleted {name}.")


def lesson_problems(lesson: Lesson, at: datetime | None = None) -> list[str]:
    """What stops a lesson from being published (at ``at``, default now), in words an editor
    can act on."""
    problems = []
    sections = list(lesson.sections.select_related("excerpt__article"))
    if not sections:
        problems.append("The lesson has no sections.")
    for section in sections:
        excerpt = section.excerpt
        if excerpt is not None and excerpt.needs_attention:
            problems.append(
                f"Section “{section.heading}” quotes an excerpt that needs attention "
                f"({excerpt.get_anchor_status_display().lower()})."
            )
    questions = list(
        lesson.questions.select_related("excerpt__article").prefetch_related("choices", "events")
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
        if question.excerpt is not None and question.excerpt.needs_attention:
            problems.append(
                f"Question “{question}” quotes an excerpt that needs attention "
                f"({question.excerpt.get_anchor_status_display().lower()})."
            )
    problems.extend(_sources_not_live(sections, questions, at or timezone.now()))
    return problems


def _sources_not_live(sections: list[Section], questions: list[Question], at) -> list[str]:
    """A live lesson shows only what is live: its quotes must stand in live articles and the
    events it asks learners to order must be live, by the time the lesson goes live."""
    excerpts = [s.excerpt for s in sections if s.excerpt is not None]
    excerpts += [q.excerpt for q in questions if q.excerpt is not None]
    articles = {e.article_id: e.article for e in excerpts}
    live_articles = {
        row.article_id: row
        for row in LiveArticle.objects.filter(article_id__in=articles).only(
            "article_id", "publish_at", "content"
        )
    }
    problems = []
    for article in sorted(articles.values(), key=str):
        row = live_articles.get(article.pk)
        if row is None:
            problems.append(
                f"It quotes the article “{article}”, which is not published: publish the "
                "article first."
            )
        elif row.publish_at > at:
            problems.append(
                f"It quotes the article “{article}”, which goes live only at "
                f"{timezone.localtime(row.publish_at):%d %b %Y %H:%M}: publish the lesson then "
                "or later."
            )
    for excerpt in excerpts:
        row = live_articles.get(excerpt.article_id)
        if row is None:
            continue
        found = anchoring.resolve(row.content["body"], excerpt.selector)
        if found.selector is None:
            problems.append(
                f"The quote “{_short(excerpt.exact)}” is not in the published text of "
                f"“{excerpt.article}”: publish the article’s changes first."
            )
    events = {e.pk: e for q in questions for e in q.events.all()}
    live_events = dict(
        LiveEvent.objects.filter(event_id__in=events).values_list("event_id", "publish_at")
    )
    for event in sorted(events.values(), key=str):
        publish_at = live_events.get(event.pk)
        if publish_at is None or publish_at > at:
            problems.append(
                f"A chronology question uses the event “{event}”, which is not live by then: "
                "publish the event first."
            )
    return problems


def _short(words: str) -> str:
    return words if len(words) <= 60 else words[:57] + "…"


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
    """Publish a lesson, or its changes (now, or at ``at``), once nothing stops it."""
    return publishing.publish(obj=lesson, user=user, at=at, check=lesson_problems, comment=comment)


# --- answering --------------------------------------------------------------------------


@dataclass(frozen=True)
class AnswerResult:
    """What a learner learns after answering: right or not, and why.

    The key (the right choices or order) and the explanation come only once the answer is
    right or the question's tries are used (``revealed``); a wrong try before that gets the
    hint and the count of tries left instead.
    """

    correct: bool
    explanation: str  # the question's explanation (Markdown), once revealed; else ""
    feedback: list[str]  # the feedback of each chosen choice, in order (multiple choice)
    in_place: int | None = None  # chronology: how many events are in the right place
    total: int | None = None  # chronology: how many events there are
    try_number: int = 1  # this answer's try, from 1
    tries: int = 1  # the tries the question allows
    revealed: bool = True  # the answer and the explanation are shown
    hint: str = ""  # Markdown: after a wrong try while tries are left
    answer: tuple[int, ...] = ()  # once revealed: the right choice ids, or event ids in order
    answer_text: tuple[str, ...] = ()  # the same, in words
    attempt: str = ""  # give it back with the next try of the same question

    @property
    def tries_left(self) -> int:
        return 0 if self.revealed else self.tries - self.try_number


class AnswerError(ValidationError):
    """An answer that does not fit the question; nothing is checked."""


ATTEMPT_SALT = "lessons.answer.attempt"


def attempt_token(question_id: int, tries_used: int) -> str:
    """A signed count of the tries used at a question (kept by the learner's page, not by the
    server): the answer is shown only after that many wrong tries, and it cannot be forged."""
    return signing.dumps([question_id, tries_used], salt=ATTEMPT_SALT, compress=True)


def _tries_used(question_id: int, attempt: str) -> int:
    if not attempt:
        return 0
    try:
        pk, used = signing.loads(attempt[:200], salt=ATTEMPT_SALT)
    except (signing.BadSignature, ValueError, TypeError) as exc:
        raise AnswerError(
            "That try count is not one this site gave: reload the page and answer again.",
            code="attempt",
        ) from exc
    if pk != question_id or not isinstance(used, int) or used < 0:
        raise AnswerError("That try count belongs to another question.", code="attempt")
    return used


def answer_check(
    *, question: dict, answer: list, events: dict[int, dict], attempt: str = ""
) -> AnswerResult:
    """Check an answer on the server: choice ids (multiple choice) or event ids in order.

    ``question`` is a question's content with its key (``lessons.content``), as the live
    lesson holds it; ``events`` the content of the events the learner was shown, by id (a
    chronology question is checked against those only, in their dates' order). Ids may be
    ints or strings of digits. ``attempt`` is the token the previous try's result gave (none
    for a first try). Open and source-analysis questions are not checked.
    """
    if question["kind"] == QuestionKind.MULTIPLE_CHOICE:
        used = _tries_used(question["id"], attempt)
        checked = _check_choices(question, _ids(answer, "choice"))
    elif question["kind"] == QuestionKind.CHRONOLOGY:
        used = _tries_used(question["id"], attempt)
        shown = {pk: events[pk] for pk in question["events"] if pk in events}
        checked = _check_order(question, _ids(answer, "event"), shown)
    else:
        raise AnswerError(
            "This question has no single right answer; it is for discussion.", code="not_checked"
        )
    tries = max(1, int(question.get("tries") or 1))
    try_number = min(used, tries) + 1
    revealed = checked["correct"] or try_number >= tries
    return AnswerResult(
        correct=checked["correct"],
        explanation=question["explanation"] if revealed else "",
        feedback=checked["feedback"],
        in_place=checked.get("in_place"),
        total=checked.get("total"),
        try_number=try_number,
        tries=tries,
        revealed=revealed,
        hint="" if revealed else (question.get("hint") or ""),
        answer=tuple(checked["answer"]) if revealed else (),
        answer_text=tuple(checked["answer_text"]) if revealed else (),
        attempt=attempt_token(question["id"], try_number),
    )


def _ids(answer, what: str) -> list[int]:
    if not isinstance(answer, list | tuple) or not answer:
        raise AnswerError(f"Choose at least one {what}.", code="empty")
    ids = []
    for item in answer:
        if isinstance(item, bool) or not str(item).isdigit() or len(str(item)) > 18:
            raise AnswerError(
                f"“{str(item)[:40]}” is not a {what} of this question.", code="invalid"
            )
        ids.append(int(item))
    if len(set(ids)) != len(ids):
        raise AnswerError(f"Each {what} may be given only once.", code="duplicate")
    return ids


def _check_choices(question: dict, ids: list[int]) -> dict:
    choices = {c["id"]: c for c in question["choices"]}
    unknown = [i for i in ids if i not in choices]
    if unknown:
        raise AnswerError(f"{unknown[0]} is not a choice of this question.", code="invalid")
    right = [c for c in question["choices"] if c["is_correct"]]
    return {
        "correct": set(ids) == {c["id"] for c in right},
        "feedback": [choices[i]["feedback"] for i in ids if choices[i]["feedback"]],
        "answer": [c["id"] for c in right],
        "answer_text": [c["text"] for c in right],
    }


def _check_order(question: dict, ids: list[int], events: dict[int, dict]) -> dict:
    if set(ids) != set(events):
        raise AnswerError(
            f"Put all {len(events)} events of this question in order, each once.", code="invalid"
        )
    right = sorted(events, key=lambda pk: (events[pk]["date_start"], events[pk]["date_end"]))
    in_place = sum(1 for given, expected in zip(ids, right, strict=True) if given == expected)
    return {
        "correct": in_place == len(right),
        "feedback": [],
        "in_place": in_place,
        "total": len(right),
        "answer": right,
        "answer_text": [_event_words(events[pk]) for pk in right],
    }


def _event_words(event: dict) -> str:
    from history.content import event_dates

    when = event_dates(event["date_edtf"], event["date_start"], event["date_end"])["date_display"]
    return f"{event['title']} ({when})" if when else event["title"]


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


def _part_claim(part, expected_version: int | None, lesson_field: str = "lesson") -> set[int]:
    """Claim a part's version; return the ids of the lessons it belonged to and belongs to."""
    lessons = {getattr(part, f"{lesson_field}_id")}
    if part.pk is not None:
        publishing.claim_version(part, expected=expected_version)
        before = type(part).objects.filter(pk=part.pk).values_list(f"{lesson_field}_id", flat=True)
        lessons |= set(before)
    return lessons


def _lessons_changed(ids: set[int], *, user, comment: str) -> None:
    for lesson in Lesson.objects.filter(pk__in=ids):
        _lesson_part_saved(lesson, user=user, comment=comment)


@transaction.atomic
def section_save(*, section: Section, user=None, expected_version: int | None = None) -> Section:
    """Create or change a section of a lesson (a move to another lesson changes both)."""
    section.full_clean()
    with reversion.create_revision():
        lessons = _part_claim(section, expected_version)
        section.save()
        _lessons_changed(lessons, user=user, comment=f"Saved section “{section}”.")
    return section


@transaction.atomic
def question_save(
    *,
    question: Question,
    events: list[Event] | None = None,
    user=None,
    expected_version: int | None = None,
) -> Question:
    """Create or change a question; ``events`` (chronology) replaces its events when given."""
    question.full_clean()
    with reversion.create_revision():
        lessons = _part_claim(question, expected_version)
        question.save()
        if events is not None:
            question.events.set(events)
        _lessons_changed(lessons, user=user, comment=f"Saved question “{question}”.")
    return question


@transaction.atomic
def choice_save(*, choice: Choice, user=None, expected_version: int | None = None) -> Choice:
    """Create or change a choice of a multiple-choice question."""
    choice.full_clean()
    with reversion.create_revision():
        if choice.pk is not None:
            publishing.claim_version(choice, expected=expected_version)
            before = Choice.objects.filter(pk=choice.pk).values_list(
                "question__lesson_id", flat=True
            )
        else:
            before = []
        choice.save()
        lessons = {choice.question.lesson_id, *before}
        _lessons_changed(lessons, user=user, comment=f"Saved a choice of “{choice.question}”.")
    return choice


@transaction.atomic
def excerpt_note_save(
    *,
    excerpt: Excerpt,
    note: str,
    user=None,
    expected_version: int | None = None,
    headnote: str | None = None,
    adapted_text: str | None = None,
) -> Excerpt:
    """Change an excerpt's editor's note, and (when given) its headnote and adapted version
    (its words and place come from its selector). Lessons quoting it show the change once a
    publisher publishes them."""
    excerpt.note = note
    fields = ["note", "updated_at", "version"]
    if headnote is not None:
        excerpt.headnote = headnote
        fields.append("headnote")
    if adapted_text is not None:
        excerpt.adapted_text = adapted_text
        fields.append("adapted_text")
    excerpt.full_clean()
    publishing.claim_version(excerpt, expected=expected_version)
    excerpt.save(update_fields=fields)
    return excerpt


def lesson_parts_recorded(*, lesson: Lesson, user=None) -> None:
    """After an admin page saved parts of a lesson (inline forms), keep the lesson with all
    its parts as they now stand in the revision being made."""
    if reversion.is_active():
        lesson_record_revision(lesson=lesson, user=user)
