"""Public reads: one query each, answered from the stored document and ETag, and never stale.

Nothing a learner reads is cached in a server: a read is one query of the live row (compiled
once, run every time), so a draft has nowhere to hide and a publication shows at once.
Several servers: tests/operations/test_several_servers.py.
"""

import pytest
from django.utils import timezone

from history.models import LiveConcept
from lessons import services as lesson_services
from publishing import live
from publishing.models import Status
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def lesson():
    lesson = factories.LessonFactory(title="Khrushchev, 1956")
    factories.SectionFactory(lesson=lesson)
    return lesson


@pytest.mark.parametrize("path", ["/api/v1/lessons/{slug}/", "/lessons/{slug}/"])
def test_a_public_read_is_one_query_and_so_is_its_304(
    client, lesson, path, django_assert_num_queries
):
    url = path.format(slug=lesson.slug)
    client.get(url)  # the lesson goes live (the test's setup) and its query is compiled
    with django_assert_num_queries(1):
        first = client.get(url)
    assert first.status_code == 200
    assert "Khrushchev, 1956" in first.content.decode()
    with django_assert_num_queries(1):
        again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again["ETag"] == first["ETag"]
    assert again["Last-Modified"] == first["Last-Modified"]


def test_a_public_list_is_its_count_and_its_page_of_stored_entries(
    client, django_assert_num_queries
):
    for _ in range(25):
        factories.ConceptFactory()
    client.get("/api/v1/concepts/")
    with django_assert_num_queries(2):
        response = client.get("/api/v1/concepts/")
    assert response.json()["count"] == 25
    assert len(response.json()["results"]) == 20


@pytest.mark.parametrize("path", ["/api/v1/lessons/{slug}/", "/lessons/{slug}/"])
def test_a_change_is_read_once_it_is_published_and_not_before(client, lesson, publisher_user, path):
    url = path.format(slug=lesson.slug)
    before = client.get(url)
    lesson.title = "Khrushchev, 1956: the secret speech"
    lesson_services.lesson_save(lesson=lesson)  # the working copy only: a draft of a change
    unchanged = client.get(url, HTTP_IF_NONE_MATCH=before["ETag"])
    assert unchanged.status_code == 304
    assert "the secret speech" not in client.get(url).content.decode()

    lesson_services.lesson_publish(lesson=lesson, user=publisher_user)
    after = client.get(url, HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200
    assert after["ETag"] != before["ETag"]
    assert "Khrushchev, 1956: the secret speech" in after.content.decode()


def test_a_draft_is_read_by_no_one_but_editors(client, editor_user):
    concept = factories.ConceptFactory(term="Petőfi Circle", draft=True)
    for path in (f"/api/v1/concepts/{concept.slug}/", f"/glossary/{concept.slug}/"):
        assert client.get(path).status_code == 404
    assert "Petőfi Circle" not in client.get("/api/v1/concepts/").content.decode()
    client.force_login(editor_user)
    assert client.get(f"/api/v1/concepts/{concept.slug}/").json()["term"] == "Petőfi Circle"


def test_a_withdrawn_item_is_gone_from_the_next_read(client, publisher_user):
    from publishing import services

    concept = factories.ConceptFactory(term="Workers’ councils")
    url = f"/api/v1/concepts/{concept.slug}/"
    assert client.get(url).status_code == 200
    services.unpublish(obj=concept, user=publisher_user)
    assert client.get(url).status_code == 404
    assert client.get(f"/glossary/{concept.slug}/").status_code == 404


def test_the_compiled_query_reads_the_time_of_each_call_not_of_its_compilation(monkeypatch):
    concept = factories.ConceptFactory(term="Soviets")
    factories.flush()
    columns = ("etag", "updated_at", "stale_after")
    assert live.public_values(LiveConcept, concept.slug, columns) is not None  # compiled now
    LiveConcept.objects.filter(slug=concept.slug).update(
        publish_at=timezone.now() + timezone.timedelta(hours=1)
    )
    assert live.public_values(LiveConcept, concept.slug, columns) is None  # scheduled
    later = timezone.now() + timezone.timedelta(hours=2)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert live.public_values(LiveConcept, concept.slug, columns) is not None


def test_a_stale_live_version_is_built_again_on_its_first_read(client, monkeypatch):
    """A lesson built while a term it shows was scheduled shows the term once it is public."""
    lesson = factories.LessonFactory()
    term = factories.ConceptFactory(
        term="De-Stalinisation",
        status=Status.PUBLISHED,
        publish_at=timezone.now() + timezone.timedelta(seconds=1),
    )
    lesson.vocabulary.add(term)
    factories.go_live(term, lesson)
    url = f"/api/v1/lessons/{lesson.slug}/"
    assert "De-Stalinisation" not in client.get(url).content.decode()
    later = timezone.now() + timezone.timedelta(seconds=5)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert "De-Stalinisation" in client.get(url).content.decode()
    assert "De-Stalinisation" in client.get(f"/lessons/{lesson.slug}/").content.decode()
