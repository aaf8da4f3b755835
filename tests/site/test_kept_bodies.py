"""Public pages and API documents kept as they were last sent, by their live ETag.

A read finds the live ETag in the database every time; when this process has sent that
version already, the body kept for it is sent again and nothing more is read. A publish
changes the ETag, so a kept body is never stale; only public live documents are kept."""

import pytest
from django.core.cache import caches
from rest_framework.test import APIClient

from lessons import services
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def keeping(settings):
    settings.SERVED_BODIES = 50
    settings.ALLOWED_HOSTS = ["testserver", "school.example"]
    caches["served"].clear()
    yield
    caches["served"].clear()


@pytest.fixture
def lesson(db):
    lesson = factories.LessonFactory(title="Poznań, June 1956")
    factories.SectionFactory(lesson=lesson)
    return lesson


def test_a_page_sent_once_is_sent_again_reading_only_its_etag(
    client, keeping, lesson, django_assert_num_queries
):
    url = lesson.get_absolute_url()
    with django_assert_num_queries(2):  # the ETag, then the page
        first = client.get(url)
    with django_assert_num_queries(1):  # the ETag
        again = client.get(url)
    assert first.status_code == again.status_code == 200
    assert again.content == first.content and again["ETag"] == first["ETag"]
    assert "Poznań, June 1956" in again.content.decode()


def test_a_published_change_is_sent_at_once_and_a_saved_one_is_not(
    client, keeping, lesson, publisher_user
):
    url = lesson.get_absolute_url()
    client.get(url)
    lesson.title = "Poznań, 28 June 1956"
    services.lesson_save(lesson=lesson)
    assert "Poznań, 28 June 1956" not in client.get(url).content.decode()  # a working copy
    services.lesson_publish(lesson=lesson, user=publisher_user)
    assert "Poznań, 28 June 1956" in client.get(url).content.decode()


def test_each_origin_gets_its_own_addresses(client, keeping, lesson):
    url = lesson.get_absolute_url()
    here = client.get(url).content.decode()
    there = client.get(url, HTTP_HOST="school.example").content.decode()
    assert "http://testserver/" in here and "school.example" not in here
    assert "http://school.example/" in there and "testserver" not in there


def test_the_api_keeps_public_documents_and_never_serves_one_to_editors(
    keeping, lesson, editor_user, django_assert_num_queries
):
    from tests.api.conftest import token_client

    url = f"/api/v1/lessons/{lesson.slug}/"
    api = APIClient()
    first = api.get(url)
    with django_assert_num_queries(1):  # the ETag (throttle counts are in memory in tests)
        again = api.get(url)
    assert again.content == first.content and again.status_code == 200
    lesson.title = "A draft title"
    services.lesson_save(lesson=lesson)
    editor = token_client(editor_user)
    assert editor.get(url).json()["title"] == "A draft title"  # the working copy
    assert api.get(url).json()["title"] == "Poznań, June 1956"
