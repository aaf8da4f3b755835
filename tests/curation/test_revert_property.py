"""Revisions hold the whole lesson, and reverting is exact.

A property test (Hypothesis) makes random sequences of edits through the services — the
lesson's fields, vocabulary and timeline, sections added, changed and deleted, questions with
their events, choices — keeping the lesson's content after each; then it reverts to each
earlier revision and back to the newest, and finds every field of every part as it was.
"""

import pytest
import reversion
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lessons import services
from lessons.content import lessons_content
from lessons.models import Choice, Lesson, Question, QuestionKind, Section
from publishing import revisions
from tests import factories

EXAMPLES = 50

words = st.text(alphabet=st.sampled_from("abc ’–…őńł"), min_size=1, max_size=12).map(
    lambda s: s.strip() or "x"
)


def content_of(lesson: Lesson) -> dict:
    """A lesson's content without its version numbers (bookkeeping that only moves on)."""

    def strip(value):
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if k != "version"}
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value

    return strip(lessons_content([Lesson.objects.get(pk=lesson.pk)])[lesson.pk])


# Edits, each a function of (lesson, world, draw-made arguments) that goes through a service.


def edit_fields(lesson, world, title, summary, picks):
    lesson = Lesson.objects.get(pk=lesson.pk)
    lesson.title, lesson.summary = f"Lesson {title}", summary
    lesson.objectives = [summary, title]
    services.lesson_save(lesson=lesson)


def edit_links(lesson, world, _a, _b, picks):
    lesson = Lesson.objects.get(pk=lesson.pk)
    concepts = [c for i, c in enumerate(world["concepts"]) if i in picks]
    events = [e for i, e in enumerate(world["events"]) if i not in picks]
    services.lesson_save(lesson=lesson, vocabulary=concepts, timeline=events)


def add_section(lesson, world, heading, body, picks):
    excerpt = world["excerpt"] if len(heading) % 2 else None
    services.section_save(
        section=Section(lesson_id=lesson.pk, heading=heading, body=body, excerpt=excerpt)
    )


def change_section(lesson, world, heading, body, picks):
    section = Section.objects.filter(lesson_id=lesson.pk).order_by("-pk").first()
    if section is not None:
        section.heading, section.body, section.teacher_notes = heading, body, body[::-1]
        section.guiding_questions = [body]
        services.section_save(section=section)


def delete_section(lesson, world, _a, _b, picks):
    section = Section.objects.filter(lesson_id=lesson.pk).order_by("pk").first()
    if section is not None:
        services.lesson_part_delete(part=section)


def add_question(lesson, world, prompt, answer, picks):
    with reversion.create_revision():  # one save of a question page: one revision
        _add_question(lesson, world, prompt, answer)


def _add_question(lesson, world, prompt, answer):
    question = services.question_save(
        question=Question(
            lesson_id=lesson.pk,
            kind=QuestionKind.CHRONOLOGY if len(prompt) % 2 else QuestionKind.MULTIPLE_CHOICE,
            prompt=prompt,
            explanation=answer,
            model_answer=answer[::-1],
        ),
        events=world["events"][: 1 + len(prompt) % 3],
    )
    for number, text in enumerate([prompt, answer], 1):
        services.choice_save(
            choice=Choice(question=question, position=number, text=text, is_correct=number == 1)
        )


def change_choice(lesson, world, text, feedback, picks):
    choice = Choice.objects.filter(question__lesson_id=lesson.pk).order_by("-pk").first()
    if choice is not None:
        choice.text, choice.feedback, choice.is_correct = text, feedback, not choice.is_correct
        services.choice_save(choice=choice)


def delete_choice(lesson, world, _a, _b, picks):
    choice = Choice.objects.filter(question__lesson_id=lesson.pk).order_by("pk").first()
    if choice is not None:
        services.lesson_part_delete(part=choice)


EDITS = [
    edit_fields,
    edit_links,
    add_section,
    change_section,
    delete_section,
    add_question,
    change_choice,
    delete_choice,
]
edit = st.tuples(st.sampled_from(EDITS), words, words, st.sets(st.integers(0, 3), max_size=4))


@pytest.fixture
def world(db):
    factories.flush()
    return {
        "concepts": [factories.ConceptFactory() for _ in range(4)],
        "events": [factories.EventFactory(date_edtf=f"195{i}-0{i + 1}-01") for i in range(4)],
        "excerpt": factories.ExcerptFactory(),
    }


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(edits=st.lists(edit, min_size=1, max_size=6))
def test_reverting_to_each_revision_and_back_is_exact(world, edits):
    with transaction.atomic():
        lesson = services.lesson_save(
            lesson=Lesson(title="Start", central_question="Why?"), comment="Created."
        )
        states = [content_of(lesson)]  # after each save, oldest first
        for function, first, second, picks in edits:
            saved = revisions.versions_for(lesson).count()
            function(lesson, world, first, second, picks)
            if revisions.versions_for(lesson).count() > saved:  # an edit that changed nothing
                states.append(content_of(lesson))  # (e.g. no section to delete) keeps none
        kept = list(reversed(revisions.versions_for(lesson)))  # oldest first
        assert len(kept) == len(states)
        newest = kept[-1]
        for version, state in zip(kept, states, strict=True):
            services.lesson_revert(lesson=Lesson.objects.get(pk=lesson.pk), version=version)
            assert content_of(lesson) == state
            services.lesson_revert(lesson=Lesson.objects.get(pk=lesson.pk), version=newest)
            assert content_of(lesson) == states[-1]
        transaction.set_rollback(True)


def test_a_revert_round_trip_keeps_a_live_quiz_whole(client, publisher_user):
    """Regression: saving a question on its own page left no revision, so reverting the
    lesson to an older revision and back to the newest emptied its quiz."""
    from tests.curation.test_revisions import _post_data

    lesson = factories.LessonFactory(title="Poznań 1956")
    factories.SectionFactory(lesson=lesson)
    factories.flush()
    first = services.lesson_save(lesson=lesson, comment="First.")
    chronology = Question.objects.create(
        lesson=lesson, kind=QuestionKind.CHRONOLOGY, prompt="Order them."
    )
    # An editor writes the quiz on the question pages (admin), as editors do.
    client.force_login(factories.editor(username="edith"))
    url = reverse("admin:lessons_question_add")
    data = _post_data(client.get(url + f"?lesson={lesson.pk}"))
    data.update(
        lesson=lesson.pk,
        kind=QuestionKind.MULTIPLE_CHOICE,
        skill="close_reading",
        prompt="Which congress?",
        model_answer="The 20th.",
        position=1,
        **{
            "choices-TOTAL_FORMS": "2",
            "choices-INITIAL_FORMS": "0",
            "choices-0-text": "The 20th",
            "choices-0-is_correct": "on",
            "choices-0-position": "1",
            "choices-1-text": "The 19th",
            "choices-1-position": "2",
        },
    )
    assert client.post(url, data).status_code == 302, client.post(url, data).content[:500]
    events = [factories.EventFactory(date_edtf=f"195{i}") for i in (3, 6)]
    factories.flush()
    url = reverse("admin:lessons_question_change", args=[chronology.pk])
    data = _post_data(client.get(url))
    data.update(events=[str(e.pk) for e in events], model_answer="Stalin died first.")
    assert client.post(url, data).status_code == 302
    before = content_of(lesson)
    older = revisions.versions_for(first).last()
    newest = revisions.versions_for(first).first()
    services.lesson_revert(lesson=Lesson.objects.get(pk=lesson.pk), version=older)
    services.lesson_revert(lesson=Lesson.objects.get(pk=lesson.pk), version=newest)
    after = content_of(lesson)
    assert after == before
    questions = {q["prompt"]: q for q in after["questions"]}
    assert len(questions["Which congress?"]["choices"]) == 2
    assert questions["Order them."]["events"] == sorted(e.pk for e in events)
    assert {q["model_answer"] for q in after["questions"]} == {"The 20th.", "Stalin died first."}


def test_a_patch_of_links_over_the_api_is_in_the_revision_it_makes(editor_user):
    from tests.api.conftest import token_client

    lesson = factories.LessonFactory(draft=True)
    concept = factories.ConceptFactory(term="workers’ councils")
    event = factories.EventFactory(title="Poznań protests")
    factories.flush()
    response = token_client(editor_user).patch(
        f"/api/v1/lessons/{lesson.slug}/",
        {"vocabulary": [concept.slug], "timeline": [event.slug]},
        format="json",
    )
    assert response.status_code == 200, response.json()
    lines = revisions.version_lines(revisions.versions_for(lesson).first())
    assert "Vocabulary: workers’ councils" in lines
    assert any(line.startswith("Timeline: Poznań protests") for line in lines)
