"""Learners read live versions only: what a publisher published, once its time has come."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from history.models import Article, Concept, Event
from lessons.models import Lesson
from publishing import services
from publishing.models import Status
from tests.factories import ArticleFactory, ConceptFactory, EventFactory, LessonFactory, flush

FACTORIES = [ArticleFactory, ConceptFactory, EventFactory, LessonFactory]
NOW = timezone.now


@pytest.mark.django_db
@pytest.mark.parametrize("factory", FACTORIES)
def test_only_live_versions_whose_time_has_come_are_live(factory):
    model = factory._meta.model
    visible = factory()
    factory(status=Status.DRAFT, publish_at=None)
    factory(status=Status.DRAFT, publish_at=NOW() - timezone.timedelta(days=1))
    factory(status=Status.IN_REVIEW, publish_at=None)
    factory(status=Status.ARCHIVED, publish_at=NOW() - timezone.timedelta(days=9))
    factory(status=Status.PUBLISHED, publish_at=NOW() + timezone.timedelta(hours=1))
    factory(status=Status.PUBLISHED, publish_at=None)
    flush()
    assert list(model.objects.live()) == [visible]
    assert model.objects.count() == 7  # the default manager never filters


@pytest.mark.django_db
def test_scheduled_content_appears_when_its_time_comes_without_any_command():
    at = NOW() + timezone.timedelta(hours=2)
    lesson = LessonFactory(status=Status.PUBLISHED, publish_at=at)
    flush()
    assert not Lesson.objects.live().exists()
    assert lesson.is_scheduled and not lesson.is_live
    later = at + timezone.timedelta(seconds=1)
    assert list(Lesson.objects.live(at=later)) == [lesson]


@pytest.mark.django_db
def test_publish_builds_the_live_version_and_logs_once(publisher_user):
    article = ArticleFactory(draft=True)
    services.publish(obj=article, user=publisher_user)
    article.refresh_from_db()
    assert article.status == Status.PUBLISHED
    assert article.live.publish_at <= NOW()
    assert article.live.version == article.version == 2
    assert article.updated_by == publisher_user
    assert Article.objects.live().filter(pk=article.pk).exists()
    # Publishing it again, unchanged, does nothing (a repeated request logs once).
    services.publish(obj=article, user=publisher_user)
    assert services.state_history(article).count() == 1


@pytest.mark.django_db
def test_an_editor_cannot_publish_but_can_submit_for_review(editor_user):
    concept = ConceptFactory(draft=True)
    with pytest.raises(PermissionDenied):
        services.publish(obj=concept, user=editor_user)
    services.submit_for_review(obj=concept, user=editor_user)
    concept.refresh_from_db()
    assert concept.status == Status.IN_REVIEW
    assert not Concept.objects.live().exists()


@pytest.mark.django_db
def test_archived_content_cannot_be_published_without_going_back_to_draft(publisher_user):
    event = EventFactory(status=Status.ARCHIVED)
    with pytest.raises(ValidationError, match="archived"):
        services.publish(obj=event, user=publisher_user)
    assert Event.objects.get(pk=event.pk).status == Status.ARCHIVED


@pytest.mark.django_db
def test_a_change_to_live_content_cannot_be_scheduled(publisher_user):
    concept = ConceptFactory()
    flush()
    concept.definition = "A new definition."
    from history.services import concept_save

    concept_save(concept=concept)
    with pytest.raises(ValidationError, match="published at once"):
        services.publish(obj=concept, user=publisher_user, at=NOW() + timezone.timedelta(days=1))
    assert Concept.objects.get(pk=concept.pk).live.content["definition"] != "A new definition."


@pytest.mark.django_db
def test_stale_version_is_refused_and_nothing_changes():
    lesson = LessonFactory(title="Original")
    stale = lesson.version
    services.claim_version(lesson, expected=stale)
    lesson.title = "Someone else’s"
    lesson.save()
    mine = Lesson.objects.get(pk=lesson.pk)
    mine.title = "Mine"
    with pytest.raises(services.ConflictError, match="changed by someone else"):
        services.claim_version(mine, expected=stale)
    assert Lesson.objects.get(pk=lesson.pk).title == "Someone else’s"
