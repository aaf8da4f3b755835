"""manage.py load_sample builds the sample article, events, concepts, mentions and a lesson."""

from io import StringIO

import pytest
from django.core.management import call_command

from history.models import Article, Concept, Event, Mention, MentionStatus
from lessons.models import Excerpt, Lesson, QuestionKind, SectionKind
from lessons.services import lesson_problems

KEY_EVENTS = {
    "death-of-stalin": ("1953-03-05", "5 March 1953"),
    "twentieth-congress-cpsu": ("1956-02-14/1956-02-25", "14–25 February 1956"),
    "secret-speech": ("1956-02-25", "25 February 1956"),
    "poznan-protests": ("1956-06-28/1956-06-30", "28–30 June 1956"),
    "hungarian-revolution": ("1956-10-23/1956-11-10", "23 October – 10 November 1956"),
    "second-soviet-intervention": ("1956-11-04", "4 November 1956"),
}
KEY_CONCEPTS = [
    "stalinism",
    "stakhanovism",
    "popular-front",
    "political-revolution",
    "workers-councils",
    "bureaucracy",
    "planned-economy",
    "petofi-circle",
    "right-of-recall",
]


def load():
    out = StringIO()
    call_command("load_sample", stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_sample_article_is_published_with_its_source_details():
    load()
    article = Article.objects.live().get(slug="khrushchev-the-stalinist-who-denounced-stalin")
    assert article.title == "Khrushchev: The Stalinist who denounced Stalin"
    assert article.kicker == "50 years ago…"
    assert article.publication.startswith("The Socialist")
    assert article.publication_date_display == "22 February 2006"
    assert article.rights


@pytest.mark.django_db
def test_sample_events_have_their_historical_dates():
    load()
    assert Event.objects.live().count() >= 8
    for slug, (edtf, display) in KEY_EVENTS.items():
        event = Event.objects.get(slug=slug)
        assert (event.date_edtf, event.date_display) == (edtf, display), slug
    dates = list(Event.objects.chronological().values_list("slug", flat=True))
    assert (
        dates.index("death-of-stalin")
        < dates.index("secret-speech")
        < dates.index("poznan-protests")
        < dates.index("hungarian-revolution")
        < dates.index("second-soviet-intervention")
    )


@pytest.mark.django_db
def test_sample_concepts_have_definitions_and_the_text_mentions_them():
    load()
    assert Concept.objects.live().count() >= 10
    article = Article.objects.get(slug="khrushchev-the-stalinist-who-denounced-stalin")
    for slug in KEY_CONCEPTS:
        concept = Concept.objects.get(slug=slug)
        assert concept.definition.endswith("."), slug
        assert concept.explanation, slug
        assert Mention.objects.filter(
            article=article, concept=concept, status=MentionStatus.CONFIRMED
        ).exists(), slug
    soviets = Mention.objects.get(concept__slug="workers-councils", exact="soviets")
    assert article.body[soviets.start : soviets.end] == "soviets"
    assert not Mention.objects.filter(
        concept__slug="workers-councils", exact__icontains="Soviet Union"
    ).exists()
    assert Mention.objects.filter(
        event__slug="death-of-stalin", exact="who had died in 1953"
    ).exists()


@pytest.mark.django_db
def test_sample_lesson_is_complete_and_published():
    load()
    lesson = Lesson.objects.live().get()
    assert lesson.central_question.endswith("?")
    assert len(lesson.objectives) >= 3
    sections = list(lesson.sections.all())
    assert len(sections) >= 5
    assert sum(1 for s in sections if s.excerpt_id) >= 5
    assert {s.kind for s in sections} >= {SectionKind.INTRODUCTION, SectionKind.SOURCE_READING}
    assert lesson.vocabulary.count() >= 8
    assert lesson.timeline.count() >= 8
    questions = list(lesson.questions.all())
    assert len(questions) >= 8
    assert len({q.kind for q in questions}) >= 3
    assert {q.kind for q in questions} >= {QuestionKind.MULTIPLE_CHOICE, QuestionKind.CHRONOLOGY}
    assert lesson_problems(lesson) == []


@pytest.mark.django_db
def test_every_sample_excerpt_quotes_the_article_exactly():
    load()
    excerpts = list(Excerpt.objects.select_related("article"))
    assert excerpts
    for excerpt in excerpts:
        assert excerpt.article.body[excerpt.start : excerpt.end] == excerpt.exact
        assert excerpt.anchor_status == "anchored"


@pytest.mark.django_db
def test_loading_twice_creates_nothing_more_and_keeps_editors_changes():
    load()
    counts = [m.objects.count() for m in (Article, Event, Concept, Mention, Excerpt, Lesson)]
    Lesson.objects.update(title="Renamed by an editor")
    output = load()
    assert [
        m.objects.count() for m in (Article, Event, Concept, Mention, Excerpt, Lesson)
    ] == counts
    assert Lesson.objects.get().title == "Renamed by an editor"
    assert "lessons: 0 created, 1 already there" in output


@pytest.mark.django_db
def test_sample_lesson_teaches_sourcing_with_two_sources_headnotes_and_an_adapted_version():
    load()
    lesson = Lesson.objects.get()
    sources = set(
        Excerpt.objects.filter(sections__lesson=lesson).values_list("article__slug", flat=True)
    )
    assert sources == {
        "khrushchev-the-stalinist-who-denounced-stalin",
        "us-embassy-warsaw-telegram-poznan-1956",
    }
    telegram = Article.objects.get(slug="us-embassy-warsaw-telegram-poznan-1956")
    assert telegram.rights.startswith("Public domain") and telegram.source_url
    with_headnote = Excerpt.objects.exclude(headnote="")
    assert with_headnote.count() >= 2
    for excerpt in with_headnote:
        for part in ("Who:", "When:", "Why:", "For whom:"):
            assert part in excerpt.headnote, (excerpt, part)
    adapted = lesson.sections.exclude(excerpt_display="original")
    assert adapted.count() >= 2 and all(s.excerpt.adapted_text for s in adapted)


@pytest.mark.django_db
def test_sample_lesson_has_skills_timing_notes_tries_and_an_organiser():
    load()
    lesson = Lesson.objects.get()
    sections = list(lesson.sections.all())
    assert all(s.skill for s in sections) and all(s.teacher_notes for s in sections)
    assert sum(s.minutes for s in sections) == lesson.duration_minutes
    assert [s for s in sections if s.organiser == "claim_evidence"]
    questions = list(lesson.questions.all())
    assert len({q.skill for q in questions}) >= 5
    for question in questions:
        if question.is_checked:
            assert question.tries >= 2 and question.hint, question
            assert "Correct order" not in question.explanation  # the site shows the order
        else:
            assert question.answer_lines >= 6, question
    assert any(q.marking_guidance for q in questions)
    assert "14–16" in lesson.get_level_display() and lesson.audience.startswith("Ages 14–16")
