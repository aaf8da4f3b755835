"""HTTP done right: conditional requests, caching, throttling, CORS, one error format."""

import pytest
from rest_framework.throttling import AnonRateThrottle

from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def lesson(db):
    lesson = factories.LessonFactory()
    factories.SectionFactory(lesson=lesson)
    return lesson


def test_a_repeated_request_with_its_etag_gets_304(api, lesson):
    url = f"/api/v1/lessons/{lesson.slug}/"
    first = api.get(url)
    assert first.status_code == 200
    etag = first["ETag"]
    assert etag.startswith('"') and first["Last-Modified"]
    again = api.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag


def test_a_lesson_gets_a_new_etag_when_its_change_is_published_not_before(
    api, lesson, publisher_user
):
    from lessons import services

    url = f"/api/v1/lessons/{lesson.slug}/"
    etag = api.get(url)["ETag"]
    lesson.title = "A new title – with a dash"
    services.lesson_save(lesson=lesson)
    assert api.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304  # a working copy only
    services.lesson_publish(lesson=lesson, user=publisher_user)
    response = api.get(url, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert response["ETag"] != etag
    assert response.json()["title"] == "A new title – with a dash"


def test_if_modified_since_gets_304_when_nothing_changed(api, lesson):
    url = f"/api/v1/lessons/{lesson.slug}/"
    last_modified = api.get(url)["Last-Modified"]
    assert api.get(url, HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/articles/{article}/",
        "/api/v1/articles/{article}/annotations.jsonld",
        "/api/v1/lessons/{lesson}/timeline.json",
        "/api/v1/lessons/{lesson}/learning-resource.jsonld",
    ],
)
def test_details_and_exports_answer_conditional_requests(api, lesson, path):
    url = path.format(lesson=lesson.slug, article=lesson.sections.get().excerpt.article.slug)
    etag = api.get(url)["ETag"]
    assert api.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_anonymous_reads_may_be_cached_publicly(api, lesson):
    response = api.get("/api/v1/lessons/")
    assert "public" in response["Cache-Control"]
    assert "max-age=60" in response["Cache-Control"]
    assert "Authorization" in response["Vary"]


def test_authenticated_reads_are_private_and_not_stored(editor_api, lesson):
    response = editor_api.get(f"/api/v1/lessons/{lesson.slug}/")
    assert "private" in response["Cache-Control"]
    assert "no-store" in response["Cache-Control"]


def test_anonymous_clients_are_throttled_with_retry_after(api, lesson, monkeypatch):
    monkeypatch.setattr(AnonRateThrottle, "rate", "3/minute", raising=False)
    for _ in range(3):
        assert api.get("/api/v1/lessons/").status_code == 200
    response = api.get("/api/v1/lessons/")
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == 429


def test_other_sites_may_read_the_api_from_a_browser(api, lesson):
    response = api.get("/api/v1/lessons/", HTTP_ORIGIN="https://school.example")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response["Access-Control-Expose-Headers"]


def test_cors_is_limited_to_the_api(client, lesson):
    response = client.get("/", HTTP_ORIGIN="https://school.example")
    assert "Access-Control-Allow-Origin" not in response


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("get", "/api/v1/lessons/no-such-lesson/", 404),
        ("get", "/api/v1/nothing-here/", 404),
        ("get", "/api/v1/lessons/Poznań/timeline.json", 404),
        ("post", "/api/v1/lessons/", 401),
        ("delete", "/api/v1/lessons/{lesson}/", 401),
    ],
)
def test_every_error_is_problem_details(api, lesson, method, path, status):
    response = getattr(api, method)(path.format(lesson=lesson.slug))
    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == status
    assert problem["title"] and problem["detail"]


def test_a_method_the_api_does_not_offer_is_405_with_allow(editor_api, lesson):
    response = editor_api.delete(f"/api/v1/lessons/{lesson.slug}/")
    assert response.status_code == 405
    assert response["Content-Type"] == "application/problem+json"
    assert "PATCH" in response["Allow"]


def test_unknown_pages_outside_the_api_stay_html(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_the_api_is_versioned_in_the_path(api, db):
    schema = api.get("/api/v1/schema/?format=json")
    assert schema.status_code == 200
    paths = schema.json()["paths"] if schema["Content-Type"].startswith("application/json") else {}
    assert all(path.startswith("/api/v1/") for path in paths)


def test_the_api_root_lists_every_list_the_schema_and_the_docs(api):
    response = api.get("/api/v1/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    links = response.json()
    for name in ("lessons", "articles", "events", "concepts", "excerpts", "schema", "docs"):
        assert links[name].startswith("http://testserver/api/v1/"), name
    assert api.get(links["docs"]).status_code == 200
