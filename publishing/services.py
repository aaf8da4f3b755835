"""Moving content through review and publication; shared by every kind of content.

The admin, the API and management commands all call these, so that they behave the same.
"""

from __future__ import annotations

from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from publishing.models import Publishable, StateChange, Status

# Which state may follow which.
TRANSITIONS: dict[str, set[str]] = {
    Status.DRAFT: {Status.IN_REVIEW, Status.PUBLISHED, Status.ARCHIVED},
    Status.IN_REVIEW: {Status.DRAFT, Status.PUBLISHED, Status.ARCHIVED},
    Status.PUBLISHED: {Status.DRAFT, Status.ARCHIVED, Status.PUBLISHED},
    Status.ARCHIVED: {Status.DRAFT},
}


class ConflictError(ValidationError):
    """Someone else saved the same content since this edit began."""


def permission_name(obj: Publishable, action: str) -> str:
    meta = obj._meta
    return f"{meta.app_label}.{action}_{meta.model_name}"


def can_publish(user, obj: Publishable) -> bool:
    return bool(user and user.is_active and user.has_perm(permission_name(obj, "publish")))


def can_edit(user, obj: Publishable) -> bool:
    return bool(user and user.is_active and user.has_perm(permission_name(obj, "change")))


def _check_transition(obj: Publishable, to: str) -> None:
    if to not in TRANSITIONS[obj.status]:
        raise ValidationError(
            f"“{obj}” is {obj.get_status_display().lower()}; it cannot go to "
            f"“{Status(to).label.lower()}” from there."
        )


def _save_state(
    obj: Publishable, *, user, fields: list[str], from_status: str, comment: str = ""
) -> None:
    """Save the new state, bump the version and log the step (content revisions are kept
    by the save services; the state's history is this log)."""
    person = user if user and user.is_authenticated else None
    obj.updated_by = person
    obj.version = F("version") + 1
    obj.save(update_fields=[*fields, "updated_by", "version", "updated_at"])
    obj.refresh_from_db(fields=["version"])
    content_type = ContentType.objects.get_for_model(obj)
    # A later step replaces an earlier schedule that had not come yet.
    StateChange.objects.filter(content_type=content_type, object_id=obj.pk, pending=True).update(
        pending=False
    )
    scheduled = (
        obj.status == Status.PUBLISHED
        and obj.publish_at is not None
        and obj.publish_at > timezone.now()
    )
    StateChange.objects.create(
        content_type=content_type,
        object_id=obj.pk,
        object_repr=str(obj)[:300],
        from_status=from_status,
        to_status=obj.status,
        publish_at=obj.publish_at if obj.status == Status.PUBLISHED else None,
        pending=scheduled,
        user=person,
        comment=comment,
    )


def state_history(obj: Publishable, *, limit: int = 20):
    """The latest steps of ``obj`` through review and publication, newest first."""
    return StateChange.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
    ).select_related("user")[:limit]


@transaction.atomic
def submit_for_review(*, obj: Publishable, user, comment: str = "") -> Publishable:
    """Ask a publisher to review a draft."""
    if user is not None and not can_edit(user, obj):
        raise PermissionDenied("You may not edit this.")
    _check_transition(obj, Status.IN_REVIEW)
    before = obj.status
    obj.status = Status.IN_REVIEW
    _save_state(obj, user=user, fields=["status"], from_status=before, comment=comment)
    return obj


@transaction.atomic
def publish(
    *, obj: Publishable, user, at: datetime | None = None, check=None, comment: str = ""
) -> Publishable:
    """Publish now, or at ``at`` (a time in the future schedules it).

    ``user=None`` is the system itself (the sample loader, the scheduled-publishing command).
    ``check`` is a callable returning the problems that stop publication (a list of strings).
    """
    if user is not None and not can_publish(user, obj):
        raise PermissionDenied("Only publishers may publish.")
    _check_transition(obj, Status.PUBLISHED)
    if check is not None:
        problems = check(obj)
        if problems:
            raise ValidationError(problems)
    before = obj.status
    obj.status = Status.PUBLISHED
    obj.publish_at = at or timezone.now()
    _save_state(
        obj, user=user, fields=["status", "publish_at"], from_status=before, comment=comment
    )
    return obj


@transaction.atomic
def unpublish(*, obj: Publishable, user, comment: str = "") -> Publishable:
    """Take published (or scheduled) content back to draft."""
    if user is not None and not can_publish(user, obj):
        raise PermissionDenied("Only publishers may unpublish.")
    if obj.status != Status.PUBLISHED:
        raise ValidationError(f"“{obj}” is not published.")
    before = obj.status
    obj.status = Status.DRAFT
    _save_state(obj, user=user, fields=["status"], from_status=before, comment=comment)
    return obj


@transaction.atomic
def archive(*, obj: Publishable, user, comment: str = "") -> Publishable:
    """Withdraw content from learners but keep it."""
    if user is not None and not can_publish(user, obj):
        raise PermissionDenied("Only publishers may archive.")
    _check_transition(obj, Status.ARCHIVED)
    before = obj.status
    obj.status = Status.ARCHIVED
    _save_state(obj, user=user, fields=["status"], from_status=before, comment=comment)
    return obj


@transaction.atomic
def restore(*, obj: Publishable, user, comment: str = "") -> Publishable:
    """Bring archived content back as a draft."""
    if user is not None and not can_publish(user, obj):
        raise PermissionDenied("Only publishers may bring back archived content.")
    if obj.status != Status.ARCHIVED:
        raise ValidationError(f"“{obj}” is not archived.")
    obj.status = Status.DRAFT
    _save_state(obj, user=user, fields=["status"], from_status=Status.ARCHIVED, comment=comment)
    return obj


def claim_version(obj: Publishable, *, expected: int | None) -> None:
    """Refuse a save that began from an older version (optimistic locking); bump the version.

    Call inside the save's transaction, before writing.
    """
    model = type(obj)
    if expected is None:
        model.objects.filter(pk=obj.pk).update(version=F("version") + 1)
    else:
        claimed = model.objects.filter(pk=obj.pk, version=expected).update(version=F("version") + 1)
        if not claimed:
            current = model.objects.filter(pk=obj.pk).values_list("version", flat=True).first()
            raise ConflictError(
                f"“{obj}” was changed by someone else while you were editing it "
                f"(your version {expected}, now {current}). Nothing was saved.",
                code="conflict",
            )
    current = model.objects.filter(pk=obj.pk).values_list("version", flat=True).first()
    if current is not None:
        obj.version = current


def publish_due(*, at: datetime | None = None, dry_run: bool = False) -> list[StateChange]:
    """Record that scheduled content whose time has come is now live; return what was due.

    Reads never depend on this (``published()`` compares publish times), so running it late or
    twice changes nothing a learner sees; it only closes each schedule in the log, once.
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
            if obj.status != Status.PUBLISHED or obj.publish_at != change.publish_at:
                continue  # unpublished or rescheduled since
            StateChange.objects.create(
                content_type=change.content_type,
                object_id=obj.pk,
                object_repr=str(obj)[:300],
                from_status=Status.PUBLISHED,
                to_status=Status.PUBLISHED,
                publish_at=obj.publish_at,
                user=None,
                at=at,
                comment="Went live as scheduled.",
            )
            logged.append(change)
    return logged
