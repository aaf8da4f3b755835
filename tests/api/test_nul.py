"""The NUL character (U+0000), which PostgreSQL cannot store or compare, is refused with 400."""

import pytest

from tests import factories

pytestmark = pytest.mark.django_db


def test_a_nul_in_a_related_slug_of_a_write_is_refused(editor_api):
    lesson = factories.LessonFactory(draft=True)
    response = editor_api.post(
        "/api/v1/sections/", {"heading": "Read", "lesson": f"{lesson.slug}\x00"}, format="json"
    )
    assert response.status_code == 400
    assert "NUL" in response.json()["errors"]["lesson"][0]
    assert not lesson.sections.exists()


def test_a_nul_in_a_list_of_strings_is_refused(editor_api):
    lesson = factories.LessonFactory(draft=True)
    response = editor_api.post(
        "/api/v1/sections/",
        {"heading": "Read", "lesson": lesson.slug, "guiding_questions": ["Who?\x00"]},
        format="json",
    )
    assert response.status_code == 400
    assert not lesson.sections.exists()


@pytest.mark.parametrize(
    "query",
    [
        {"search": "revolution\x00"},
        {"concept": "stalinism\x00"},
        {"level": "\x00"},
        {"ordering": "\x00"},
    ],
)
def test_a_nul_in_a_query_parameter_is_not_a_server_error(api, query):
    factories.LessonFactory()
    assert api.get("/api/v1/lessons/", query).status_code in (200, 400)
