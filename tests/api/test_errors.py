"""Every response under /api/ that is an error is problem details, whatever went wrong:
no route, a method not allowed, a body too large, a failed CSRF check, a server error."""

import pytest
from django.test import Client
from django.urls import include, path

from tests import factories

pytestmark = pytest.mark.django_db
PROBLEM = "application/problem+json"


def problem(response, status):
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"] == PROBLEM
    body = response.json()
    assert body["status"] == status and body["detail"]
    return body


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/questions/0.5/",
        "/api/v1/nope/",
        "/api/v1/lessons/a%20b/",
        "/api/v1/lessons/a%00b/",
        "/api/v2/lessons/",
        "/api/",
    ],
)
def test_a_url_that_matches_no_route_is_a_problem_404(url):
    problem(Client().get(url), 404)


def test_a_method_that_is_not_allowed_is_a_problem_405():
    body = problem(Client().put("/api/v1/export.json"), 405)
    assert "PUT" in body["detail"]


def test_a_body_over_the_size_limit_is_a_problem_413(settings):
    lesson = factories.LessonFactory()
    question = factories.QuestionFactory(lesson=lesson, kind="multiple_choice")
    factories.ChoiceFactory(question=question, is_correct=True)
    factories.flush()
    settings.API_JSON_MAX_BYTES = 100
    response = Client().post(
        f"/api/v1/questions/{question.pk}/answer/",
        data='{"answer": [' + ", ".join(["1"] * 100) + "]}",
        content_type="application/json",
    )
    problem(response, 413)


def test_a_failed_csrf_check_is_a_problem_403(admin_user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin_user)
    response = client.post(
        "/api/v1/concepts/",
        data='{"term": "x", "definition": "y"}',
        content_type="application/json",
    )
    assert "CSRF" in problem(response, 403)["detail"]


def broken(request):
    raise RuntimeError("a bug")


# A URL configuration with a view that fails, and the project's own error handlers.
urlpatterns = [
    path("api/v1/broken/", broken),
    path("broken/", broken),
    path("", include("config.urls")),
]
handler500 = "operations.errors.server_error"


@pytest.mark.urls(__name__)
def test_a_server_error_is_a_problem_500_without_a_stack_trace():
    client = Client(raise_request_exception=False)
    body = problem(client.get("/api/v1/broken/"), 500)
    assert "a bug" not in body["detail"]
    page = client.get("/broken/")
    assert page.status_code == 500 and page["Content-Type"].startswith("text/html")
