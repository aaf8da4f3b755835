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


class StateChange(models.Model):
    """One step of a piece of content through review and publication: who, when, from, to."""

    content_type = models.ForeignKey(
        "contenttypes.ContentType", verbose_name=_("kind of content"), on_delete=models.CASCADE
    )
    object_id = models.PositiveIntegerField(_("object id"))
    object_repr = models.CharField(_("content"), max_length=300)
    from_status = models.CharField(_("from"), max_length=16, choices=Status.choices)
    to_status = models.CharField(_("to"), max_length=16, choices=Status.choices)
    publish_at = models.DateTimeField(_("publish time"), null=True, blank=True)
    # A publication scheduled for later that the publish_scheduled command has not yet logged.
    pending = models.BooleanField(_("scheduled, not yet live"), default=False, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("state change")
        verbose_name_plural = _("state changes")
        indexes = [models.Index(fields=["content_type", "object_id", "-at"])]

    def __str__(self):
        states = f"{self.get_from_status_display()} → {self.get_to_status_display()}"
        return f"{self.object_repr}: {states}"
