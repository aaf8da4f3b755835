"""Only published content whose time has come is public; every other state is hidden."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from history.models import Article, Concept, Event
from lessons.models import Lesson
from publishing import services
from publishing.models import Status
from tests.factories import ArticleFactory, ConceptFactory, EventFactory, LessonFactory

FACTORIES = [ArticleFactory, ConceptFactory, EventFactory, LessonFactory]
NOW = timezone.now


@pytest.mark.django_db
@pytest.mark.parametrize("factory", FACTORIES)
def test_published_hides_every_state_but_published_and_due(factory):
    model = factory._meta.model
    visible = factory()
    factory(status=Status.DRAFT, publish_at=None)
    factory(status=Status.DRAFT, publish_at=NOW() - timezone.timedelta(days=1))
    factory(status=Status.IN_REVIEW, publish_at=None)
    factory(status=Status.ARCHIVED, publish_at=NOW() - timezone.timedelta(days=9))
    factory(status=Status.PUBLISHED, publish_at=NOW() + timezone.timedelta(hours=1))
    factory(status=Status.PUBLISHED, publish_at=None)
    assert list(model.objects.published()) == [visible]
    assert model.objects.count() == 7  # the default manager never filters


@pytest.mark.django_db
def test_scheduled_content_appears_when_its_time_comes_without_any_command():
    at = NOW() + timezone.timedelta(hours=2)
    lesson = LessonFactory(status=Status.PUBLISHED, publish_at=at)
    assert not Lesson.objects.published().exists()
    assert lesson.is_scheduled and not lesson.is_public
    later = at + timezone.timedelta(seconds=1)
    assert list(Lesson.objects.published(at=later)) == [lesson]


@pytest.mark.django_db
def test_publish_sets_state_time_and_version(publisher_user):
    article = ArticleFactory(draft=True)
    services.publish(obj=article, user=publisher_user)
    article.refresh_from_db()
    assert article.status == Status.PUBLISHED
    assert article.publish_at <= NOW()
    assert article.version == 2
    assert article.updated_by == publisher_user
    assert Article.objects.published().filter(pk=article.pk).exists()


@pytest.mark.django_db
def test_an_editor_cannot_publish_but_can_submit_for_review(editor_user):
    concept = ConceptFactory(draft=True)
    with pytest.raises(PermissionDenied):
        services.publish(obj=concept, user=editor_user)
    services.submit_for_review(obj=concept, user=editor_user)
    concept.refresh_from_db()
    assert concept.status == Status.IN_REVIEW
    assert not Concept.objects.published().exists()


@pytest.mark.django_db
def test_archived_content_cannot_be_published_without_going_back_to_draft(publisher_user):
    event = EventFactory(status=Status.ARCHIVED)
    with pytest.raises(ValidationError, match="archived"):
        services.publish(obj=event, user=publisher_user)
    assert Event.objects.get(pk=event.pk).status == Status.ARCHIVED


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
