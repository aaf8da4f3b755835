"""Every endpoint runs the same number of queries whatever the size of the list or lesson."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lessons.models import QuestionKind
from tests import factories

pytestmark = pytest.mark.django_db


def build(size: int) -> dict:
    """``size`` of everything: lessons, and in one lesson sections, questions, choices…"""
    concepts = [factories.ConceptFactory() for _ in range(size)]
    events = [factories.EventFactory() for _ in range(size)]
    for event in events:
        event.concepts.add(*concepts[:3])
    for concept in concepts[1:]:
        concept.related.add(concepts[0])
    lesson = factories.LessonFactory(slug=f"big-{size}")
    lesson.vocabulary.add(*concepts)
    lesson.timeline.add(*events)
    article = None
    for _ in range(size):
        section = factories.SectionFactory(lesson=lesson)
        article = section.excerpt.article
        factories.MentionFactory(article=article, concept=concepts[0])
        question = factories.QuestionFactory(lesson=lesson, kind=QuestionKind.MULTIPLE_CHOICE)
        question.events.add(*events[:3])
        for _ in range(3):
            factories.ChoiceFactory(question=question)
        factories.LessonFactory()
    for _ in range(size):
        factories.MentionFactory(article=article, concept=concepts[-1], start=20, end=28)
        factories.ExcerptFactory(article=article)
    return {"lesson": lesson, "article": article, "event": events[0], "concept": concepts[0],
            "question": question}  # fmt: skip


ENDPOINTS = [
    "/api/v1/lessons/",
    "/api/v1/lessons/{lesson}/",
    "/api/v1/lessons/{lesson}/timeline.json",
    "/api/v1/lessons/{lesson}/cartridge.imscc",
    "/api/v1/lessons/{lesson}/learning-resource.jsonld",
    "/api/v1/articles/",
    "/api/v1/articles/{article}/",
    "/api/v1/articles/{article}/annotations.jsonld",
    "/api/v1/events/",
    "/api/v1/events/{event}/",
    "/api/v1/events/timeline.json",
    "/api/v1/concepts/",
    "/api/v1/concepts/{concept}/",
    "/api/v1/excerpts/",
    "/api/v1/sections/",
    "/api/v1/questions/",
    "/api/v1/questions/{question}/",
    "/api/v1/choices/",
    "/api/v1/export.json",
]


def queries(client, path: str, data: dict) -> int:
    url = path.format(
        lesson=data["lesson"].slug,
        article=data["article"].slug,
        event=data["event"].slug,
        concept=data["concept"].slug,
        question=data["question"].pk,
    )
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.content[:300])
    return len(captured)


# The most any endpoint needs (anonymous: none for auth; the lesson detail's prefetches).
MAX_QUERIES = 12


@pytest.mark.parametrize("path", ENDPOINTS)
def test_queries_do_not_grow_with_the_data_anonymous(api, path):
    small = queries(api, path, build(1))
    large = queries(api, path, build(12))
    assert small == large, f"{path}: {small} queries with 1 of each, {large} with 12"
    assert large <= (16 if path.endswith("export.json") else MAX_QUERIES)
    print(f"QUERIES {path} {large}")


@pytest.mark.parametrize("path", ["/api/v1/lessons/{lesson}/", "/api/v1/questions/"])
def test_queries_do_not_grow_with_the_data_for_editors(editor_api, path):
    small = queries(editor_api, path, build(1))
    large = queries(editor_api, path, build(12))
    assert small == large
    # Editors read working copies, built into views on the fly: the lesson and its parts, and
    # what it refers to (each kind once); plus token, user and group permissions.
    assert large <= 16


def test_checking_an_answer_takes_a_fixed_number_of_queries(api):
    for size in (1, 12):
        data = build(size)
        question = data["question"]
        choice = question.choices.first()
        with CaptureQueriesContext(connection) as captured:
            response = api.post(
                f"/api/v1/questions/{question.pk}/answer/", {"answer": [choice.pk]}, format="json"
            )
        assert response.status_code == 200
        assert len(captured) <= 4


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/lessons/?search=lesson",
        "/api/v1/articles/?search=article",
        "/api/v1/events/?search=event",
        "/api/v1/concepts/?search=term",
    ],
)
def test_a_search_runs_the_same_queries_whatever_it_finds(api, path):
    # The throttle's count (in memory in tests), the ranking, the rows' items, the count, the
    # page's keys and their entries.
    small = queries(api, path, build(1))
    large = queries(api, path, build(12))
    assert small == large == 5, (small, large)
    assert api.get(path).json()["count"] >= 12  # it found what it was counted on
