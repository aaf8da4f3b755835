"""Review and publishing: who may do what, the log of steps, and scheduled publishing."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from lessons import services as lesson_services
from lessons.models import Lesson, LiveLesson
from publishing import services
from publishing.models import StateChange, Status
from tests.factories import ArticleFactory, LessonFactory, SectionFactory, flush


@pytest.fixture
def draft(db):
    lesson = LessonFactory(draft=True, title="Poznań and Budapest – 1956")
    SectionFactory(lesson=lesson)
    flush()  # the article it quotes goes live
    return lesson


def test_an_editor_submits_but_cannot_publish(draft, editor_user):
    services.submit_for_review(obj=draft, user=editor_user)
    with pytest.raises(PermissionDenied):
        lesson_services.lesson_publish(lesson=draft, user=editor_user)
    assert Lesson.objects.get().status == Status.IN_REVIEW


def test_a_publisher_publishes_and_each_step_is_logged_with_who_and_when(
    draft, editor_user, publisher_user
):
    services.submit_for_review(obj=draft, user=editor_user, comment="Ready – please check.")
    lesson_services.lesson_publish(lesson=draft, user=publisher_user)
    log = list(StateChange.objects.order_by("at", "pk"))
    assert [(c.from_status, c.to_status, c.user) for c in log] == [
        (Status.DRAFT, Status.IN_REVIEW, editor_user),
        (Status.IN_REVIEW, Status.PUBLISHED, publisher_user),
    ]
    assert log[0].comment == "Ready – please check."
    assert log[1].object_repr == "Poznań and Budapest – 1956"
    assert Lesson.objects.live().get() == draft


def test_the_publication_box_offers_each_user_only_their_buttons(
    client, draft, editor_user, publisher_user
):
    url = reverse("admin:lessons_lesson_change", args=[draft.pk])
    client.force_login(editor_user)
    html = client.get(url).content.decode()
    assert 'value="submit"' in html and 'value="publish"' not in html
    client.force_login(publisher_user)
    html = client.get(url).content.decode()
    assert 'value="publish"' in html and 'value="schedule"' in html


def test_a_live_item_offers_unpublish_but_not_publishing_again(client, draft, publisher_user):
    lesson_services.lesson_publish(lesson=draft, user=publisher_user)
    client.force_login(publisher_user)
    html = client.get(reverse("admin:lessons_lesson_change", args=[draft.pk])).content.decode()
    assert 'value="unpublish"' in html
    assert 'value="publish"' not in html and 'value="schedule"' not in html


def test_a_scheduled_item_can_still_be_published_now(client, draft, publisher_user):
    later = timezone.now() + timedelta(days=1)
    lesson_services.lesson_publish(lesson=draft, user=publisher_user, at=later)
    client.force_login(publisher_user)
    html = client.get(reverse("admin:lessons_lesson_change", args=[draft.pk])).content.decode()
    assert 'value="publish"' in html and 'value="unpublish"' in html


def test_an_editor_posting_publish_is_refused_and_nothing_changes(client, draft, editor_user):
    client.force_login(editor_user)
    url = reverse("admin:lessons_lesson_publication", args=[draft.pk])
    response = client.post(url, {"action": "publish"}, follow=True)
    assert response.status_code == 200
    assert "Only publishers may publish." in response.content.decode()
    assert Lesson.objects.get().status == Status.DRAFT
    assert not StateChange.objects.exists()


def test_bad_publication_input_is_refused_with_a_message(client, draft, publisher_user):
    client.force_login(publisher_user)
    url = reverse("admin:lessons_lesson_publication", args=[draft.pk])
    for data in ({"action": "fly"}, {"action": "schedule", "publish_at": "tomorrow"}):
        response = client.post(url, data, follow=True)
        assert response.status_code == 200
    past = (timezone.localtime() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    html = client.post(url, {"action": "schedule", "publish_at": past}, follow=True)
    assert "must be in the future" in html.content.decode()
    assert client.get(url).status_code == 405
    assert Lesson.objects.get().status == Status.DRAFT


def test_a_lesson_with_problems_is_not_published(client, publisher_user):
    lesson = LessonFactory(draft=True)
    client.force_login(publisher_user)
    url = reverse("admin:lessons_lesson_publication", args=[lesson.pk])
    response = client.post(url, {"action": "publish"}, follow=True)
    assert "The lesson has no sections." in response.content.decode()
    assert Lesson.objects.get().status == Status.DRAFT


def test_scheduled_content_appears_at_its_time_without_the_command(draft, publisher_user):
    at = timezone.now() + timedelta(hours=2)
    lesson_services.lesson_publish(lesson=draft, user=publisher_user, at=at)
    assert not Lesson.objects.live().exists()
    assert Lesson.objects.scheduled().get() == draft
    assert Lesson.objects.live(at=at + timedelta(seconds=1)).get() == draft


def test_scheduled_content_is_logged_live_by_the_command_once(draft, publisher_user, capsys):
    at = timezone.now() + timedelta(hours=2)
    lesson_services.lesson_publish(lesson=draft, user=publisher_user, at=at)
    call_command("publish_scheduled")
    assert "0 scheduled item(s) published." in capsys.readouterr().out
    past = timezone.now() - timedelta(minutes=1)  # as if two hours had gone by
    LiveLesson.objects.filter(lesson=draft).update(publish_at=past)
    StateChange.objects.filter(pending=True).update(publish_at=past)

    call_command("publish_scheduled", "--dry-run")
    assert "due: Poznań and Budapest – 1956" in capsys.readouterr().out
    assert StateChange.objects.count() == 1

    call_command("publish_scheduled")
    assert "1 scheduled item(s) published." in capsys.readouterr().out
    call_command("publish_scheduled")
    assert "0 scheduled item(s) published." in capsys.readouterr().out
    live = StateChange.objects.order_by("-pk").first()
    assert (live.from_status, live.to_status, live.user) == (
        Status.PUBLISHED,
        Status.PUBLISHED,
        None,
    )
    assert live.comment == "Went live as scheduled."
    assert Lesson.objects.live().get() == draft


def test_unpublishing_before_the_time_cancels_the_schedule(draft, publisher_user):
    at = timezone.now() + timedelta(minutes=5)
    lesson_services.lesson_publish(lesson=draft, user=publisher_user, at=at)
    services.unpublish(obj=draft, user=publisher_user)
    assert services.publish_due(at=at + timedelta(minutes=1)) == []
    assert not Lesson.objects.live(at=at + timedelta(minutes=1)).exists()


def test_archive_and_restore_are_for_publishers(db, editor_user, publisher_user):
    article = ArticleFactory()
    with pytest.raises(PermissionDenied):
        services.archive(obj=article, user=editor_user)
    services.archive(obj=article, user=publisher_user)
    services.restore(obj=article, user=publisher_user)
    assert article.status == Status.DRAFT


def test_preview_is_for_staff_only_and_never_cached_or_indexed(client, draft, editor_user):
    url = reverse("admin:lessons_lesson_preview", args=[draft.pk])
    assert client.get(url).status_code == 302  # to the login page
    assert client.get(draft.get_absolute_url()).status_code == 404
    client.force_login(editor_user)
    response = client.get(url)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex"
    assert "Poznań and Budapest – 1956" in response.content.decode()
    assert response.context["preview"] is True
    assert client.get(draft.get_absolute_url()).status_code == 404
