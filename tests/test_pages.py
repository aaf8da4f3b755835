"""Learner pages show published content and answer 404 for everything else."""

import pytest
from django.db import connection

from publishing.models import Status
from tests import factories


@pytest.mark.django_db
def test_sample_lesson_page_shows_its_question_and_quotes(client, sample):
    from lessons.models import Lesson

    lesson = Lesson.objects.get()
    response = client.get(lesson.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert (
        lesson.central_question.replace("’", "&#x27;")[:20] in html
        or lesson.central_question[:20] in html
    )
    assert "workers’ councils ie soviets" in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    "state",
    [
        {"status": Status.DRAFT, "publish_at": None},
        {"status": Status.IN_REVIEW, "publish_at": None},
        {"status": Status.ARCHIVED},
        {"status": Status.PUBLISHED, "publish_at": "future"},
    ],
)
@pytest.mark.parametrize(
    "factory",
    [
        factories.LessonFactory,
        factories.ArticleFactory,
        factories.EventFactory,
        factories.ConceptFactory,
    ],
)
def test_unpublished_content_is_not_found(client, factory, state):
    from django.utils import timezone

    if state.get("publish_at") == "future":
        state = {**state, "publish_at": timezone.now() + timezone.timedelta(days=1)}
    obj = factory(**state)
    assert client.get(obj.get_absolute_url()).status_code == 404


def test_the_sqlite_database_file_runs_in_wal_mode(tmp_path, settings, django_db_blocker):
    from django.db.backends.sqlite3.base import DatabaseWrapper

    wrapper = DatabaseWrapper(
        {
            **connection.settings_dict,
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(tmp_path / "db.sqlite3"),
            "OPTIONS": dict(settings.SQLITE_OPTIONS),
        }
    )
    try:
        with django_db_blocker.unblock(), wrapper.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            assert cursor.fetchone()[0] == "wal"
    finally:
        wrapper.close()
