"""Editors' overview pages in the admin: what changed recently."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _
from reversion.models import Revision

from publishing.models import StateChange

LIMIT = 50


def _admin_url(content_type: ContentType, object_id) -> str:
    try:
        return reverse(
            f"admin:{content_type.app_label}_{content_type.model}_change", args=[object_id]
        )
    except NoReverseMatch:
        return ""


def recent_changes_list(*, limit: int = LIMIT) -> list[dict]:
    """Saves (revisions) and review steps (state changes), newest first, in four queries."""
    items = []
    revisions = (
        Revision.objects.select_related("user")
        .prefetch_related("version_set__content_type")
        .order_by("-date_created", "-pk")[:limit]
    )
    for revision in revisions:
        versions = list(revision.version_set.all())
        # The first registered parent (the lesson, not its sections) names the change.
        main = next(
            (
                v
                for v in versions
                if v.content_type.model in ("lesson", "article", "event", "concept")
            ),
            versions[0] if versions else None,
        )
        if main is None:
            continue
        items.append(
            {
                "when": revision.date_created,
                "who": revision.user,
                "what": main.object_repr,
                "kind": main.content_type.name,
                "action": revision.comment or _("Saved."),
                "url": _admin_url(main.content_type, main.object_id),
            }
        )
    changes = StateChange.objects.select_related("user", "content_type")[:limit]
    for change in changes:
        action = f"{change.get_from_status_display()} → {change.get_to_status_display()}"
        if change.pending and change.publish_at:
            action += f" ({_('scheduled for')} {change.publish_at:%d %b %Y %H:%M})"
        if change.comment:
            action += f": {change.comment}"
        items.append(
            {
                "when": change.at,
                "who": change.user,
                "what": change.object_repr,
                "kind": change.content_type.name,
                "action": action,
                "url": _admin_url(change.content_type, change.object_id),
            }
        )
    items.sort(key=lambda item: item["when"], reverse=True)
    return items[:limit]


def recent_changes(request, admin_site):
    context = {
        **admin_site.each_context(request),
        "title": _("Recent changes"),
        "items": recent_changes_list(),
    }
    return TemplateResponse(request, "admin/publishing/recent_changes.html", context)
