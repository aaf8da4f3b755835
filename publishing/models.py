"""The one publication state that every kind of content shares.

Content is public when its status is "published" and its publish time has come. A publish
time in the future schedules it: reads through ``published()`` hide it until then, whether or
not the cron command has run.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "review", _("In review")
    PUBLISHED = "published", _("Published")
    ARCHIVED = "archived", _("Archived")


def published_q(prefix: str = "", *, at=None) -> models.Q:
    """The condition "public at ``at``" on a related model: ``published_q("article__")``."""
    return models.Q(
        **{f"{prefix}status": Status.PUBLISHED, f"{prefix}publish_at__lte": at or timezone.now()}
    )


class PublishableQuerySet(models.QuerySet):
    def published(self, *, at=None):
        """Content a learner or an anonymous client may see at ``at`` (default: now)."""
        return self.filter(published_q(at=at))

    def drafts(self):
        return self.filter(status=Status.DRAFT)

    def in_review(self):
        return self.filter(status=Status.IN_REVIEW)

    def scheduled(self, *, at=None):
        """Approved for publication at a time still to come."""
        return self.filter(status=Status.PUBLISHED, publish_at__gt=at or timezone.now())


class Publishable(models.Model):
    """Fields shared by every kind of content: state, publish time, who and when, version."""

    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    publish_at = models.DateTimeField(
        _("publish time"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_("When it becomes visible to learners. A time in the future schedules it."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("last changed by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Optimistic locking: a save that started from an older version is refused.
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    objects = PublishableQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def is_public(self) -> bool:
        return (
            self.status == Status.PUBLISHED
            and self.publish_at is not None
            and self.publish_at <= timezone.now()
        )

    @property
    def is_scheduled(self) -> bool:
        return (
            self.status == Status.PUBLISHED
            and self.publish_at is not None
            and self.publish_at > timezone.now()
        )
