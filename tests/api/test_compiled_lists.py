"""An anonymous list without filters is read by queries compiled once (config/api.py
``_stored_entries``): it must say exactly what the general path says, follow publishing at
once, and never list a draft or an item whose time has not come."""

import pytest
from django.utils import timezone

import config.api
from lessons import services as lesson_services
from lessons.models import QuestionKind
from publishing import services as publishing_services
from publishing.models import Status
from tests import factories

pytestmark = pytest.mark.django_db

LISTS = [
    "/api/v1/lessons/",
    "/api/v1/articles/",
    "/api/v1/events/",
    "/api/v1/concepts/",
    "/api/v1/excerpts/",
    "/api/v1/sections/",
    "/api/v1/questions/",
    "/api/v1/choices/",
]


@pytest.fixture
def content():
    """Of each kind: published items, a draft, and one scheduled for tomorrow."""
    tomorrow = timezone.now() + timezone.timedelta(days=1)
    for n in range(4):
        lesson = factories.LessonFactory(title=f"Lesson {n}")
        factories.SectionFactory(lesson=lesson)
        factories.SectionFactory(lesson=lesson)
        question = factories.QuestionFactory(lesson=lesson, kind=QuestionKind.MULTIPLE_CHOICE)
        factories.ChoiceFactory(question=question)
        factories.ChoiceFactory(question=question)
        factories.ConceptFactory()
        factories.EventFactory()
    draft = factories.LessonFactory(title="Draft lesson", draft=True)
    factories.SectionFactory(lesson=draft)
    scheduled = factories.LessonFactory(
        title="Scheduled lesson", status=Status.PUBLISHED, publish_at=tomorrow
    )
    factories.SectionFactory(lesson=scheduled)
    factories.ConceptFactory(term="Draft term", draft=True)
    factories.ConceptFactory(term="Scheduled term", status=Status.PUBLISHED, publish_at=tomorrow)
    factories.EventFactory(title="Scheduled event", status=Status.PUBLISHED, publish_at=tomorrow)
    return {"draft": draft, "scheduled": scheduled}


def general_path(api, monkeypatch, url):
    """The same request through the general path (filters, ordering, the ORM)."""
    with monkeypatch.context() as patch:
        patch.setattr(config.api, "PAGING", frozenset())  # no parameter leaves a list plain
        return api.get(url)


@pytest.mark.parametrize("path", LISTS)
@pytest.mark.parametrize("query", ["?page=1", "?page=2&page_size=3", "?page_size=100"])
def test_an_unfiltered_public_list_says_what_the_general_path_says(
    api, content, monkeypatch, path, query
):
    compiled = api.get(path + query)
    general = general_path(api, monkeypatch, path + query)
    assert compiled.status_code == general.status_code == 200
    assert compiled.json() == general.json()
    assert compiled.json()["count"] > 0
    text = compiled.content.decode()
    for hidden in ("Draft lesson", "Scheduled lesson", "Draft term", "Scheduled term"):
        assert hidden not in text


@pytest.mark.parametrize("path", LISTS)
def test_an_unfiltered_public_list_is_two_queries_whatever_its_length(
    api, content, path, django_assert_num_queries
):
    api.get(path)  # compiled now
    with django_assert_num_queries(2):  # its count and its page
        response = api.get(path)
    assert response.status_code == 200
    with django_assert_num_queries(2):
        response = api.get(path + "?page_size=100&page=1")
    assert response.status_code == 200


def test_a_scheduled_item_joins_the_public_list_when_its_time_comes_not_before(
    api, content, monkeypatch
):
    titles = [item["title"] for item in api.get("/api/v1/lessons/").json()["results"]]
    assert "Scheduled lesson" not in titles
    later = timezone.now() + timezone.timedelta(days=2)
    monkeypatch.setattr(timezone, "now", lambda: later)
    data = api.get("/api/v1/lessons/").json()
    assert "Scheduled lesson" in [item["title"] for item in data["results"]]
    assert data["count"] == 5
    terms = [item["term"] for item in api.get("/api/v1/concepts/").json()["results"]]
    assert "Scheduled term" in terms and "Draft term" not in terms


def test_a_publication_shows_in_the_next_list_and_a_withdrawal_leaves_it(
    api, content, publisher_user
):
    api.get("/api/v1/lessons/")  # compiled before the change
    draft = content["draft"]
    draft.status = Status.IN_REVIEW
    draft.save()
    lesson_services.lesson_publish(lesson=draft, user=publisher_user)
    data = api.get("/api/v1/lessons/").json()
    assert "Draft lesson" in [item["title"] for item in data["results"]]
    assert data["count"] == 5
    sections = api.get("/api/v1/sections/?page_size=100").json()
    assert sections["count"] == 9

    publishing_services.unpublish(obj=draft, user=publisher_user)
    data = api.get("/api/v1/lessons/").json()
    assert "Draft lesson" not in [item["title"] for item in data["results"]]
    assert data["count"] == 4
    assert api.get("/api/v1/sections/").json()["count"] == 8


def test_a_page_past_the_end_of_a_public_list_is_not_found(api, content):
    response = api.get("/api/v1/lessons/?page=9")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
