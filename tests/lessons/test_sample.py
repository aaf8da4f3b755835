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
