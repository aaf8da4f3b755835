"""Moving content through review and publication; shared by every kind of content.

The admin, the API and management commands all call these, so that they behave the same.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Case, F, Value, When
from django.utils import timezone

from publishing.models import Publishable, StateChange, Status

# Which state of the working copy may follow which.
TRANSITIONS: dict[str, set[str]] = {
    Status.DRAFT: {Status.IN_REVIEW, Status.PUBLISHED, Status.ARCHIVED},
    Status.IN_REVIEW: {Status.DRAFT, Status.PUBLISHED, Status.ARCHIVED},
    Status.PUBLISHED: {Status.DRAFT, Status.ARCHIVED, Status.PUBLISHED},
    Status.ARCHIVED: {Status.DRAFT},
}


# A person's "publish at" may lag the server's clock by this much and still mean "now".
CLOCK_SKEW = timedelta(minutes=5)


class ConflictError(ValidationError):
    """Someone else saved the same content since this edit began."""


class StateError(ValidationError):
    """The item's publication state does not allow this now (HTTP 409 over the API)."""


def permission_name(obj: Publishable, action: str) -> str:
    meta = obj._meta
    return f"{meta.app_label}.{action}_{meta.model_name}"


def can_publish(user, obj: Publishable) -> bool:
    return bool(user and user.is_active and user.has_perm(permission_name(obj, "publish")))


def can_edit(user, obj: Publishable) -> bool:
    return bool(user and user.is_active and user.has_perm(permission_name(obj, "change")))


def _check_transition(obj: Publishable, to: str) -> None:
    if to not in TRANSITIONS[obj.status]:
        raise StateError(
            f"“{obj}” is {obj.get_status_display().lower()}; it cannot go to "
            f"“{Status(to).label.lower()}” from there."
        )


def _save_state(
    obj: Publishable,
    *,
    user,
    fields: list[str],
    from_status: str,
    comment: str = "",
    then=None,
) -> None:
    """Save the new state, bump the version, run ``then`` (build or withdraw the live version)
    and log the step (content revisions are kept by the save services; this is the state's)."""
    person = user if user and user.is_authenticated else None
    obj.updated_by = person
    obj.version = F("version") + 1
    obj.save(update_fields=[*fields, "updated_by", "version", "updated_at"])
    obj.refresh_from_db(fields=["version"])
    if then is not None:
        then()
    obj._state.fields_cache.pop("live", None)
    content_type = ContentType.objects.get_for_model(obj)
    # A later step replaces an earlier schedule that had not come yet.
    StateChange.objects.filter(content_type=content_type, object_id=obj.pk, pending=True).update(
        pending=False
    )
    live_row = obj.live_version
    scheduled = live_row is not None and live_row.publish_at > timezone.now()
    StateChange.objects.create(
        content_type=content_type,
        object_id=obj.pk,
        object_repr=str(obj)[:300],
        from_status=from_status,
        to_status=obj.status,
        publish_at=live_row.publish_at if live_row is not None else None,
        pending=scheduled,
        user=person,
        comment=comment,
    )


def state_history(obj: Publishable, *, limit: int = 20):
    """The latest steps of ``obj`` through review and publication, newest first."""
    return StateChange.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
    ).select_related("user")[:limit]


def _locked(obj: Publishable) -> Publishable:
    """``obj`` read again under a row lock, so that two steps on one item run one after the
    other (PostgreSQL: SELECT … FOR UPDATE; SQLite's write transactions already take turns)."""
    fresh = type(obj).objects.select_for_update().get(pk=obj.pk)
    for field in obj._meta.concrete_fields:
        setattr(obj, field.attname, getattr(fresh, field.attname))
    if hasattr(obj, "_state"):
        obj._state.fields_cache.pop("live", None)
    return obj


@transaction.atomic
def submit_for_review(*, obj: Publishable, user, comment: str = "") -> Publishable:
    """Ask a publisher to review a draft, or the unpublished changes of a live item."""
    if user is not None and not can_edit(user, obj):
        raise PermissionDenied("You may not edit this.")
    obj = _locked(obj)
    if obj.status == Status.IN_REVIEW:
        return obj  # already asked: once is enough
    if obj.status == Status.PUBLISHED:
        raise StateError(f"“{obj}” is live with no unpublished changes: nothing to review.")
    _check_transition(obj, Status.IN_REVIEW)
    before = obj.status
    obj.status = Status.IN_REVIEW
    _save_state(obj, user=user, fields=["status"], from_status=before, comment=comment)
    return obj


@transaction.atomic
def publish(
    *, obj: Publishable, user, at: datetime | None = None, check=None, comment: str = ""
) -> Publishable:
    """Make the working copy live, now or at ``at`` (a time in the future schedules it).

    Builds the live version learners read. For an item already live this publishes its
    changes, at once (a change to live content cannot be scheduled: it would take the item off
    the site until then). Publishing what is already live unchanged does nothing, so a
    repeated request logs once. ``user=None`` is the system itself (the sample loader).
    ``check`` returns the problems that stop publication (a list of strings).
    """
    from publishing import live

    if user is not None and not can_publish(user, obj):
        raise PermissionDenied("Only publishers may publish.")
    now = timezone.now()
    if user is not None and at is not None and at < now - CLOCK_SKEW:
        raise ValidationError(
            f"A scheduled time must be in the future ({at:%Y-%m-%d %H:%M} has passed); leave "
            "the time empty to publish now."
        )
    obj = _locked(obj)
    at = at or now
    live_row = obj.live_version
    if live_row is not None and live_row.publish_at <= now:
        if at > now:
            raise StateError(
                f"“{obj}” is live: its changes are published at once. To publish it again "
                "later, unpublish it first."
            )
        if obj.status == Status.PUBLISHED and live_row.version == obj.version:
            return obj  # nothing changed since it went live
    _check_transition(obj, Status.PUBLISHED)
    if check is not None:
        problems = check(obj, at)
        if problems:
            raise ValidationError(problems)
    before = obj.status
    obj.status = Status.PUBLISHED
    obj.publish_at = at
    revision = _latest_revision(obj)
    _save_state(
        obj,
        user=user,
        fields=["status", "publish_at"],
        from_status=before,
        comment=comment,
        then=lambda: live.publish(obj, at=at, user=user, revision=revision),
    )
    return obj


def _latest_revision(obj):
    from reversion.models import Version

    version = Version.objects.get_for_object(obj).select_related("revision").first()
    return version.revision if version is not None else None


@transaction.atomic
def unpublish(*, obj: Publishable, user, comment: str = "") -> Publishable:
    """Take the live (or scheduled) version away; the working copy stays as it is."""
    from publishing import live

    if user is not None and not can_publish(user, obj):
        raise PermissionDenied("Only publishers may unpublish.")
    obj = _locked(obj)
    if obj.live_version is None:
        raise StateError(f"“{obj}” is not published.")
    before = obj.status
    if obj.status == Status.PUBLISHED:
        obj.status = Status.DRAFT
    obj.publish_at = None
    _save_state(
        obj,
        user=user,
        fields=["status", "publish_at"],
        from_status=before,
        comment=comment,
        then=lambda: live.withdraw(obj),
    )
    return obj


@transaction.atomic
def archive(*, obj: Publishable, user, comment: str = "") -> Publishable:
    """Withdraw content from learners but keep it."""
    from publishing import live

    if user is not None and not can_publish(user, obj):
        raise PermissionDenied("Only publishers may archive.")
    obj = _locked(obj)
    if obj.status == Status.ARCHIVED:
        return obj
    _check_transition(obj, Status.ARCHIVED)
    before = obj.status
    obj.status = Status.ARCHIVED
    obj.publish_at = None
    _save_state(
        obj,
        user=user,
        fields=["status", "publish_at"],
        from_status=before,
        comment=comment,
        then=lambda: live.withdraw(obj),
    )
    return obj


@transaction.atomic
def restore(*, obj: Publishable, user, comment: str = "") -> Publishable:
    """Bring archived content back as a draft."""
    if user is not None and not can_publish(user, obj):
        raise PermissionDenied("Only publishers may bring back archived content.")
    obj = _locked(obj)
    if obj.status != Status.ARCHIVED:
        raise StateError(f"“{obj}” is not archived.")
    obj.status = Status.DRAFT
    _save_state(obj, user=user, fields=["status"], from_status=Status.ARCHIVED, comment=comment)
    return obj


def claim_version(obj, *, expected: int | None) -> None:
    """Refuse a save that began from an older version (optimistic locking); bump the version.

    Works for any model with a ``version``: a content item or a part of one. A working copy
    that was live as it stood becomes a draft again: learners keep the live version until a
    publisher publishes the change. Call inside the save's transaction, before writing.
    """
    model = type(obj)
    changed = {"version": F("version") + 1}
    publishable = isinstance(obj, Publishable)
    if publishable:
        changed["status"] = Case(
            When(status=Status.PUBLISHED, then=Value(Status.DRAFT)), default=F("status")
        )
    rows = model.objects.filter(pk=obj.pk)
    if expected is not None:
        rows = rows.filter(version=expected)
    if not rows.update(**changed):
        current = model.objects.filter(pk=obj.pk).values_list("version", flat=True).first()
        raise ConflictError(
            f"“{obj}” was changed by someone else while you were editing it "
            f"(your version {expected}, now {current}). Nothing was saved.",
            code="conflict",
        )
    fields = ["version", "status"] if publishable else ["version"]
    current = model.objects.filter(pk=obj.pk).values(*fields).first()
    if current is not None:
        for name, value in current.items():
            setattr(obj, name, value)


def publish_due(*, at: datetime | None = None, dry_run: bool = False) -> list[StateChange]:
    """Record that scheduled content whose time has come is now live; return what was due.

    Reads never depend on this (they compare live versions' publish times), so running it late
    or twice changes nothing a learner sees; it only closes each schedule in the log, once.
    """
    at = at or timezone.now()
    due = list(
        StateChange.objects.filter(pending=True, publish_at__lte=at)
        .select_related("content_type")
        .order_by("publish_at", "pk")
    )
    if dry_run:
        return due
    logged = []
    with transaction.atomic():
        for change in due:
            model = change.content_type.model_class()
            obj = model.objects.filter(pk=change.object_id).first() if model else None
            claimed = StateChange.objects.filter(pk=change.pk, pending=True).update(pending=False)
            if not claimed or obj is None:
                continue
            live_row = obj.live_version
            if live_row is None or live_row.publish_at != change.publish_at:
                continue  # unpublished or rescheduled since
            StateChange.objects.create(
                content_type=change.content_type,
                object_id=obj.pk,
                object_repr=str(obj)[:300],
                from_status=Status.PUBLISHED,
                to_status=Status.PUBLISHED,
                publish_at=live_row.publish_at,
                user=None,
                at=at,
                comment="Went live as scheduled.",
            )
            logged.append(change)
    return logged
