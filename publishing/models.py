"""The one publication state that every kind of content shares, and the live versions.

Every lesson, article, event and concept is a *working copy* (the model's own row, which
editors change) and, once published, a *live version* (a row of its ``Live…`` model, built
from the working copy at publish time): learners and anonymous clients read live versions only.
A live version whose publish time is still to come is scheduled: reads hide it until then,
whether or not the cron command has run.

``status`` is the state of the working copy: a draft, in review, published (the live version
is the working copy as it stands) or archived. A live item that an editor changes goes back to
``draft`` ("live, with unpublished changes") until a publisher publishes the changes.
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


class PublishableQuerySet(models.QuerySet):
    def live(self, *, at=None):
        """Working copies whose live version is public at ``at`` (default: now).

        For the read layer (``*/selectors.py``) only: learners read the live versions
        themselves, never working copies.
        """
        return self.filter(live__publish_at__lte=at or timezone.now())

    def scheduled(self, *, at=None):
        """Working copies whose live version goes public later."""
        return self.filter(live__publish_at__gt=at or timezone.now())

    def drafts(self):
        return self.filter(status=Status.DRAFT)

    def in_review(self):
        return self.filter(status=Status.IN_REVIEW)


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
    def live_version(self):
        """The live version (a ``Live…`` row), or None if it was never published or withdrawn."""
        try:
            return self.live
        except models.ObjectDoesNotExist:
            return None

    @property
    def is_live(self) -> bool:
        """Learners can read it now."""
        live = self.live_version
        return live is not None and live.publish_at <= timezone.now()

    @property
    def is_scheduled(self) -> bool:
        live = self.live_version
        return live is not None and live.publish_at > timezone.now()

    @property
    def has_unpublished_changes(self) -> bool:
        """Live (or scheduled), and the working copy has changed since it was published."""
        live = self.live_version
        return live is not None and live.version != self.version


class _Likely(models.Func):
    """A condition true of nearly every row. SQLite's planner is told so (``likely()``): else
    it reads a table through its index on the condition's column, row by row, rather than by
    a far more selective condition beside it (live articles by 400 searched ids: 85 ms through
    the publish times, 1 ms by id, on 5,000 articles). Other databases get the condition."""

    function = "likely"
    output_field = models.BooleanField()

    def as_sql(self, compiler, connection, **extra_context):
        return compiler.compile(self.get_source_expressions()[0])

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, **extra_context)


class LiveQuerySet(models.QuerySet):
    def public(self, *, at=None):
        """Live versions whose publish time has come (nearly all of them: a few are scheduled)."""
        return self.filter(_Likely(models.Q(publish_at__lte=at or timezone.now())))


class LiveVersion(models.Model):
    """What learners and anonymous clients read of one item, built when it was published.

    ``content`` is the item as a publisher approved it (every field and part, answer keys and
    teacher material included); everything else is built from it and from the live versions
    of what it refers to: ``data`` (the public API document), ``summary`` (its entry in a
    list) and their ``etag``. Reads of live content render nothing. ``stale_after`` is the
    publish time of something it refers to that was not yet public when it was built: the
    first read after it builds it again.
    """

    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    publish_at = models.DateTimeField(_("public from"), db_index=True)
    updated_at = models.DateTimeField(_("last changed for learners"))
    built_at = models.DateTimeField(_("built"), default=timezone.now)
    version = models.PositiveIntegerField(_("version published"))
    revision = models.ForeignKey(
        "reversion.Revision",
        verbose_name=_("revision published"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    content = models.JSONField(_("content as published"))
    data = models.TextField(_("public API document"))
    summary = models.TextField(_("public list entry"))
    etag = models.CharField(max_length=64)
    stale_after = models.DateTimeField(null=True, blank=True, db_index=True)

    objects = LiveQuerySet.as_manager()
    is_live_version = True  # what learners read (the API's lists tell it from working copies)

    class Meta:
        abstract = True

    @property
    def is_public(self) -> bool:
        return self.publish_at <= timezone.now()


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
