"""Moving content through review and publication; shared by every kind of content.

The admin, the API and management commands all call these, so that they behave the same.
"""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from publishing.models import Publishable, Status

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


def _save_state(obj: Publishable, *, user, fields: list[str]) -> None:
    obj.updated_by = user if user and user.is_authenticated else None
    obj.version = F("version") + 1
    obj.save(update_fields=[*fields, "updated_by", "version", "updated_at"])
    obj.refresh_from_db(fields=["version"])


@transaction.atomic
def submit_for_review(*, obj: Publishable, user) -> Publishable:
    """Ask a publisher to review a draft."""
    if user is not None and not can_edit(user, obj):
        raise PermissionDenied("You may not edit this.")
    _check_transition(obj, Status.IN_REVIEW)
    obj.status = Status.IN_REVIEW
    _save_state(obj, user=user, fields=["status"])
    return obj


@transaction.atomic
def publish(*, obj: Publishable, user, at: datetime | None = None, check=None) -> Publishable:
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
    obj.status = Status.PUBLISHED
    obj.publish_at = at or timezone.now()
    _save_state(obj, user=user, fields=["status", "publish_at"])
    return obj


@transaction.atomic
def unpublish(*, obj: Publishable, user) -> Publishable:
    """Take published (or scheduled) content back to draft."""
    if user is not None and not can_publish(user, obj):
        raise PermissionDenied("Only publishers may unpublish.")
    if obj.status != Status.PUBLISHED:
        raise ValidationError(f"“{obj}” is not published.")
    obj.status = Status.DRAFT
    _save_state(obj, user=user, fields=["status"])
    return obj


@transaction.atomic
def archive(*, obj: Publishable, user) -> Publishable:
    """Withdraw content from learners but keep it."""
    if user is not None and not can_publish(user, obj):
        raise PermissionDenied("Only publishers may archive.")
    _check_transition(obj, Status.ARCHIVED)
    obj.status = Status.ARCHIVED
    _save_state(obj, user=user, fields=["status"])
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
