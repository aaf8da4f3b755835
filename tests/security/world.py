"""A world of content in every state, with sentinels planted in every field some role may not
see, built through the services as editors and publishers would build it.

States: a draft, one in review, one scheduled for later, one published, one archived, one
unpublished after it was live, and one live with unpublished changes. Each state has a concept,
an event, an article and a lesson (with sections, a multiple-choice question, a chronology
question and an open question). Sentinels are words the search index can find, one per field:

- ``DRAFT``: every text of an item that is not live (and the changes of a live one);
- ``KEY``: answer keys (explanations, hints, feedback, model answers, marking guidance);
- ``TEACHER``: teacher material (a lesson's and its sections' notes for teachers);
- ``EDITORIAL``: editors' notes (on articles and excerpts).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from django.utils import timezone

from history import services as history
from history.models import Article, Concept, Event
from lessons import services as lessons
from lessons.models import Choice, Lesson, Question, QuestionKind, Section
from publishing import services as publishing

STATES = ("draft", "review", "scheduled", "published", "archived", "unpublished", "changed")
LIVE_STATES = {"published", "changed"}  # learners read these (the changed one as it was)
CLASSES = ("DRAFT", "KEY", "TEACHER", "EDITORIAL")
_serial = itertools.count(1)


@dataclass
class World:
    sentinels: dict[str, tuple[str, str]] = field(default_factory=dict)  # word → (class, where)
    objects: dict[tuple[str, str], object] = field(default_factory=dict)  # (state, kind) → obj

    def plant(self, cls: str, where: str) -> str:
        word = f"zq{cls.lower()}{next(_serial):04d}x"
        self.sentinels[word] = (cls, where)
        return word

    def get(self, state: str, kind: str):
        return self.objects[(state, kind)]

    def found_in(self, text: str) -> list[tuple[str, str, str]]:
        return [(w, *self.sentinels[w]) for w in self.sentinels if w in text]


def build(publisher) -> World:
    world = World()
    # What every lesson quotes and orders: live, so that any lesson can be published.
    base_article = history.article_save(
        article=Article(
            title="The base source",
            slug="base-source",
            body="The councils met in Budapest in October.\n\nThe strike went on in December.",
            editor_note=world.plant("EDITORIAL", "base article editor_note"),
        )
    )
    publishing.publish(obj=base_article, user=publisher)
    base_events = []
    for year in (1953, 1956):
        event = history.event_save(
            event=Event(title=f"Base event {year}", slug=f"base-event-{year}", date_edtf=str(year))
        )
        publishing.publish(obj=event, user=publisher)
        base_events.append(event)
    for state in STATES:
        _state(world, state, publisher, base_article, base_events)
    return world


def _texts(world: World, state: str, kind: str, fields: list[str], *, hidden: bool) -> dict:
    """Field values: sentinels for an item whose texts a learner must never read, else words."""
    if hidden:
        return {f: world.plant("DRAFT", f"{state} {kind} {f}") for f in fields}
    return {f: f"{state.capitalize()} {kind} {f}" for f in fields}


def _state(world: World, state: str, publisher, base_article, base_events) -> None:
    # An item unpublished after it was live: what learners once read must be gone everywhere.
    hidden = state not in LIVE_STATES
    concept = history.concept_save(
        concept=Concept(
            slug=f"{state}-concept",
            kind="idea",
            aliases=[],
            **_texts(world, state, "concept", ["term", "definition", "explanation"], hidden=hidden),
        )
    )
    event = history.event_save(
        event=Event(
            slug=f"{state}-event",
            date_edtf="1956-10-23",
            **_texts(
                world, state, "event", ["title", "summary", "description", "place"], hidden=hidden
            ),
        ),
        concepts=[concept],
    )
    article_texts = _texts(world, state, "article", ["title", "kicker", "author"], hidden=hidden)
    body = _texts(world, state, "article", ["body"], hidden=hidden)["body"]
    article = history.article_save(
        article=Article(
            slug=f"{state}-article",
            body=f"{body} speaks of the {state} concept.\n\nA second paragraph.",
            editor_note=world.plant("EDITORIAL", f"{state} article editor_note"),
            **article_texts,
        )
    )
    lesson = lessons.lesson_save(
        lesson=Lesson(
            slug=f"{state}-lesson",
            teacher_notes=world.plant("TEACHER", f"{state} lesson teacher_notes"),
            **_texts(
                world, state, "lesson", ["title", "central_question", "summary"], hidden=hidden
            ),
        ),
        vocabulary=[concept],
        timeline=[event],
    )
    excerpt = lessons.excerpt_create_from_words(
        article=base_article,
        exact="The councils met in Budapest",
        note=world.plant("EDITORIAL", f"{state} excerpt note"),
    )
    lessons.section_save(
        section=Section(
            lesson=lesson,
            position=1,
            excerpt=excerpt,
            teacher_notes=world.plant("TEACHER", f"{state} section teacher_notes"),
            **_texts(world, state, "section", ["heading", "body"], hidden=hidden),
        )
    )
    mcq = lessons.question_save(
        question=Question(
            lesson=lesson,
            position=1,
            kind=QuestionKind.MULTIPLE_CHOICE,
            explanation=world.plant("KEY", f"{state} question explanation"),
            hint=world.plant("KEY", f"{state} question hint"),
            **_texts(world, state, "question", ["prompt"], hidden=hidden),
        )
    )
    for number, right in ((1, True), (2, False)):
        lessons.choice_save(
            choice=Choice(
                question=mcq,
                position=number,
                is_correct=right,
                feedback=world.plant("KEY", f"{state} choice feedback"),
                **_texts(world, state, f"choice{number}", ["text"], hidden=hidden),
            )
        )
    lessons.question_save(
        question=Question(
            lesson=lesson,
            position=2,
            kind=QuestionKind.CHRONOLOGY,
            prompt=f"Order the {state} events.",
            explanation=world.plant("KEY", f"{state} chronology explanation"),
            hint=world.plant("KEY", f"{state} chronology hint"),
        ),
        events=base_events,
    )
    lessons.question_save(
        question=Question(
            lesson=lesson,
            position=3,
            kind=QuestionKind.OPEN,
            prompt=f"Discuss the {state} lesson.",
            model_answer=world.plant("KEY", f"{state} model_answer"),
            marking_guidance=world.plant("KEY", f"{state} marking_guidance"),
            explanation=world.plant("KEY", f"{state} open explanation"),
        )
    )
    items = {"concept": concept, "event": event, "article": article, "lesson": lesson}
    world.objects.update({(state, kind): obj for kind, obj in items.items()})
    world.objects[(state, "excerpt")] = excerpt
    world.objects[(state, "question")] = mcq
    world.objects[(state, "section")] = lesson.sections.get()
    world.objects[(state, "choice")] = mcq.choices.first()
    _move_to(world, state, items, publisher)


def _move_to(world: World, state: str, items: dict, publisher) -> None:
    ordered = [items["concept"], items["event"], items["article"], items["lesson"]]
    if state == "review":
        for obj in ordered:
            publishing.submit_for_review(obj=obj, user=None)
    elif state == "scheduled":
        later = timezone.now() + timezone.timedelta(days=3)
        for obj in ordered:
            if isinstance(obj, Lesson):
                lessons.lesson_publish(lesson=obj, user=publisher, at=later)
            else:
                publishing.publish(obj=obj, user=publisher, at=later)
    elif state in ("published", "changed", "unpublished", "archived"):
        for obj in ordered:
            if isinstance(obj, Lesson):
                lessons.lesson_publish(lesson=obj, user=publisher)
            else:
                publishing.publish(obj=obj, user=publisher)
        if state == "unpublished":
            for obj in reversed(ordered):
                publishing.unpublish(obj=obj, user=publisher)
        elif state == "archived":
            for obj in reversed(ordered):
                publishing.archive(obj=obj, user=publisher)
        elif state == "changed":
            for obj in ordered:
                _rename(world, state, obj)


def _rename(world: World, state: str, obj) -> None:
    """An editor changes a working copy: its new words are a draft's."""
    word = world.plant("DRAFT", f"{state} {type(obj).__name__} change")
    if isinstance(obj, Concept):
        obj.definition = word
        history.concept_save(concept=obj)
    elif isinstance(obj, Event):
        obj.summary = word
        history.event_save(event=obj)
    elif isinstance(obj, Article):
        obj.kicker = word
        history.article_save(article=obj)
    else:
        obj.summary = word
        lessons.lesson_save(lesson=obj)
        section = obj.sections.get()
        section.body = world.plant("DRAFT", f"{state} section change")
        lessons.section_save(section=section)
        choice = Choice.objects.filter(question__lesson=obj).first()
        choice.text = world.plant("DRAFT", f"{state} choice change")
        choice.is_correct = not choice.is_correct
        lessons.choice_save(choice=choice)
