"""What every content admin shares: the publication box, revisions, and optimistic locking.

State changes go through the publishing services; content saves through each app's services.
"""

from __future__ import annotations

from datetime import datetime

import reversion
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from publishing import revisions, services
from publishing.forms import shown
from publishing.models import StateChange, Status


def _reason(exc: Exception) -> str:
    return "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)


def _posted(form, name: str) -> str:
    return shown(form.data.get(form.add_prefix(name), ""))


class VersionedAdmin(admin.ModelAdmin):
    """An admin whose saves are kept as revisions and refused when someone else saved since
    the page was opened (its form is a ``publishing.forms.VersionedForm``); the inlines then
    come back showing what is saved now, and the editor's own inline edits are listed."""

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method == "POST" and object_id is not None:
            self._note_stale_inlines(request, object_id)
        # One revision per save, holding the object with its inlines as finally saved.
        try:
            with reversion.create_revision():
                return super().changeform_view(request, object_id, form_url, extra_context)
        except services.ConflictError as exc:
            # Someone saved between the form's check and ours: nothing was written.
            self.message_user(request, _reason(exc), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def _note_stale_inlines(self, request, object_id) -> None:
        obj = self.get_object(request, object_id)
        try:
            expected = int(request.POST.get("expected_version", ""))
        except ValueError:
            return
        if obj is None or expected == getattr(obj, "version", expected):
            return
        request._stale_edit = True
        edits = []
        for formset, inline in self.get_formsets_with_inlines(request, obj):
            prefix = formset.get_default_prefix()
            bound = formset(request.POST, request.FILES, instance=obj, prefix=prefix)
            for number, form in enumerate(bound.forms, 1):
                if form.has_changed():
                    changed = ", ".join(
                        f"{form.fields[n].label or n}: “{_posted(form, n)}”"
                        for n in form.changed_data
                        if n in form.fields
                    )
                    edits.append(f"{inline.verbose_name} {number} ({changed})")
        if edits:
            self.message_user(
                request,
                _("Your edits to the parts below were not saved either, to apply again: %s.")
                % "; ".join(edits),
                messages.WARNING,
            )

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if getattr(request, "_stale_edit", False):
            # Show the parts as they are saved now, not the stale edit.
            kwargs.pop("data", None)
            kwargs.pop("files", None)
        return kwargs

    def construct_change_message(self, request, form, formsets, add=False):
        message = super().construct_change_message(request, form, formsets, add)
        request._curation_comment = message
        return message

    @staticmethod
    def comment_for(form, *, change: bool) -> str:
        if not change:
            return "Created."
        changed = [
            str(form.fields[n].label or n) for n in form.changed_data if n != "expected_version"
        ]
        return f"Changed {', '.join(changed)}." if changed else "Saved."


class PublishableAdmin(VersionedAdmin):
    """State and publish time are read-only in the form; the publication box moves content."""

    change_form_template = "admin/publishing/change_form.html"
    readonly_fields = [
        "status",
        "publish_at",
        "created_at",
        "created_by",
        "updated_at",
        "updated_by",
        "version",
    ]
    publication_fieldset = (
        _("Publication"),
        {
            "fields": [
                "status",
                "publish_at",
                ("created_at", "created_by"),
                ("updated_at", "updated_by"),
                "version",
                "expected_version",
            ]
        },
    )
    actions = ["submit_for_review", "publish_now", "unpublish", "archive"]
    date_hierarchy = None
    list_per_page = 50

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("live")

    @admin.display(description=_("on the site"), ordering="live__publish_at")
    def live_state(self, obj):
        live_row = obj.live_version
        if live_row is None:
            return "—"
        if not live_row.is_public:
            return _("scheduled")
        return _("live, with changes") if live_row.version != obj.version else _("live")

    # --- list actions ---------------------------------------------------------------------

    def _apply(self, request, queryset, action, verb):
        done, refused = 0, []
        for obj in queryset:
            try:
                action(obj=obj, user=request.user)
                done += 1
            except (ValidationError, PermissionDenied) as exc:
                refused.append(f"“{obj}”: {_reason(exc)}")
        if done:
            self.message_user(
                request, _("%(n)d %(verb)s.") % {"n": done, "verb": verb}, messages.SUCCESS
            )
        for reason in refused:
            self.message_user(request, reason, messages.ERROR)

    @admin.action(description=_("Submit for review"))
    def submit_for_review(self, request, queryset):
        self._apply(request, queryset, services.submit_for_review, _("submitted for review"))

    @admin.action(description=_("Publish now"))
    def publish_now(self, request, queryset):
        self._apply(request, queryset, self.publish_service, _("published"))

    @admin.action(description=_("Unpublish (back to draft)"))
    def unpublish(self, request, queryset):
        self._apply(request, queryset, services.unpublish, _("unpublished"))

    @admin.action(description=_("Archive"))
    def archive(self, request, queryset):
        self._apply(request, queryset, services.archive, _("archived"))

    # --- hooks for each kind of content ---------------------------------------------------

    def publish_service(self, *, obj, user, at: datetime | None = None, comment: str = ""):
        return services.publish(obj=obj, user=user, at=at, comment=comment)

    def revert_service(self, *, obj, version, user, expected_version=None):
        raise NotImplementedError

    def attention(self, obj) -> list[str]:
        """Warnings shown at the top of the change page."""
        return []

    def extra_links(self, obj) -> list[tuple[str, str]]:
        """(label, url) links shown beside "History" on the change page."""
        return []

    # --- the change page ------------------------------------------------------------------

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        extra_context = dict(extra_context or {})
        if obj is not None:
            extra_context.update(self.publication_context(request, obj))
        return super().change_view(request, object_id, form_url, extra_context)

    def publication_context(self, request, obj) -> dict:
        user = request.user
        may_edit = services.can_edit(user, obj)
        may_publish = services.can_publish(user, obj)
        live_row = obj.live_version
        is_live = live_row is not None and live_row.is_public
        changes = live_row is not None and live_row.version != obj.version
        buttons = []
        if may_edit and obj.status == Status.DRAFT:
            buttons.append(
                ("submit", _("Submit changes for review") if live_row else _("Submit for review"))
            )
        if may_publish and obj.status in (Status.DRAFT, Status.IN_REVIEW):
            buttons.append(("publish", _("Publish changes") if is_live else _("Publish now")))
        elif may_publish and live_row is not None and not is_live:
            buttons.append(("publish", _("Publish now")))  # scheduled: now instead of later
        if may_publish and live_row is not None:
            buttons.append(("unpublish", _("Unpublish (take it off the site)")))
        if may_publish and obj.status != Status.ARCHIVED:
            buttons.append(("archive", _("Archive")))
        if obj.status == Status.ARCHIVED and may_publish:
            buttons.append(("restore", _("Back to draft")))
        opts = self.model._meta
        name = f"{opts.app_label}_{opts.model_name}"
        return {
            "publication": {
                "obj": obj,
                "live": live_row,
                "is_live": is_live,
                "has_changes": changes,
                "buttons": buttons,
                # A change to a live item is published at once; a first publication may wait.
                "can_schedule": may_publish and live_row is None and obj.status != Status.ARCHIVED,
                "history": services.state_history(obj, limit=8),
                "action_url": reverse(f"admin:{name}_publication", args=[obj.pk]),
                "revisions_url": reverse(f"admin:{name}_revisions", args=[obj.pk]),
                "changes_url": reverse(f"admin:{name}_changes", args=[obj.pk]),
                "now": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            },
            "attention": self.attention(obj),
            "extra_links": self.extra_links(obj),
        }

    def get_urls(self):
        opts = self.model._meta
        name = f"{opts.app_label}_{opts.model_name}"
        wrap = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/publication/",
                wrap(self.publication_view),
                name=f"{name}_publication",
            ),
            path(
                "<path:object_id>/revisions/", wrap(self.revisions_view), name=f"{name}_revisions"
            ),
            path("<path:object_id>/changes/", wrap(self.changes_view), name=f"{name}_changes"),
            path(
                "<path:object_id>/revisions/<int:version_id>/revert/",
                wrap(self.revert_view),
                name=f"{name}_revert",
            ),
            *super().get_urls(),
        ]

    def _get_or_404(self, request, object_id):
        obj = self.get_object(request, object_id)
        if obj is None or not self.has_view_permission(request, obj):
            raise Http404(_("No such item."))
        return obj

    def _change_url(self, obj) -> str:
        opts = self.model._meta
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])

    def publication_view(self, request, object_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        obj = self._get_or_404(request, object_id)
        action = request.POST.get("action", "")
        comment = request.POST.get("comment", "").strip()[:1000]
        user = request.user
        try:
            if action == "submit":
                services.submit_for_review(obj=obj, user=user, comment=comment)
                done = _("Submitted for review.")
            elif action == "publish":
                self.publish_service(obj=obj, user=user, comment=comment)
                done = _("Published.")
            elif action == "schedule":
                at = self._parse_time(request.POST.get("publish_at", ""))
                self.publish_service(obj=obj, user=user, at=at, comment=comment)
                done = _("Scheduled for %s.") % timezone.localtime(at).strftime("%d %b %Y %H:%M")
            elif action == "restore":
                services.restore(obj=obj, user=user, comment=comment)
                done = _("Back to draft.")
            elif action == "unpublish":
                services.unpublish(obj=obj, user=user, comment=comment)
                done = _("Taken off the site; the working copy is kept.")
            elif action == "archive":
                services.archive(obj=obj, user=user, comment=comment)
                done = _("Archived.")
            else:
                raise ValidationError(_("Unknown action."))
        except (ValidationError, PermissionDenied) as exc:
            self.message_user(request, _reason(exc), messages.ERROR)
        else:
            self.message_user(request, f"“{obj}”: {done}", messages.SUCCESS)
        return HttpResponseRedirect(self._change_url(obj))

    @staticmethod
    def _parse_time(value: str) -> datetime:
        try:
            at = datetime.fromisoformat(value.strip())
        except ValueError as exc:
            raise ValidationError(_("Give the publish time as a date and a time.")) from exc
        if timezone.is_naive(at):
            at = timezone.make_aware(at)
        return at  # the service refuses a time that has passed

    def changes_view(self, request, object_id):
        """The working copy beside the live version: what publishing it would change."""
        from publishing import diff

        obj = self._get_or_404(request, object_id)
        compared = diff.against_live(obj)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "obj": obj,
            "title": _("Unpublished changes of “%s”") % obj,
            "compared": compared,
            # difflib escapes the text it puts in the table.
            "diff": mark_safe(diff.html_table(obj)) if compared["has_unpublished_changes"] else "",
            "change_url": self._change_url(obj),
            "publication": self.publication_context(request, obj)["publication"],
        }
        return TemplateResponse(request, "admin/publishing/changes.html", context)

    # --- revisions ------------------------------------------------------------------------

    def revisions_view(self, request, object_id):
        obj = self._get_or_404(request, object_id)
        versions = list(revisions.versions_for(obj)[:100])
        by_id = {v.pk: v for v in versions}
        diff = None
        older, newer = request.GET.get("a"), request.GET.get("b")
        if older and newer:
            try:
                a, b = by_id[int(older)], by_id[int(newer)]
            except (KeyError, ValueError):
                self.message_user(request, _("Choose two revisions of this item."), messages.ERROR)
            else:
                if a.revision.date_created > b.revision.date_created:
                    a, b = b, a
                # difflib escapes the text it puts in the table.
                diff = mark_safe(revisions.diff_table(a, b))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "obj": obj,
            "title": _("Revisions of “%s”") % obj,
            "versions": versions,
            "diff": diff,
            "selected": (older, newer),
            "change_url": self._change_url(obj),
            "may_revert": self.has_change_permission(request, obj),
        }
        return TemplateResponse(request, "admin/publishing/revisions.html", context)

    def revert_view(self, request, object_id, version_id):
        obj = self._get_or_404(request, object_id)
        if not self.has_change_permission(request, obj):
            raise PermissionDenied
        version = get_object_or_404(revisions.versions_for(obj), pk=version_id)
        if request.method == "POST":
            try:
                expected = int(request.POST.get("expected_version", ""))
            except ValueError:
                expected = None
            try:
                self.revert_service(
                    obj=obj, version=version, user=request.user, expected_version=expected
                )
            except (ValidationError, PermissionDenied) as exc:
                self.message_user(request, _reason(exc), messages.ERROR)
                return HttpResponseRedirect(request.path)
            self.message_user(
                request,
                _("Reverted to the revision of %s.") % revisions.describe(version),
                messages.SUCCESS,
            )
            return HttpResponseRedirect(self._change_url(obj))
        latest = revisions.versions_for(obj).first()
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "obj": obj,
            "title": _("Revert “%s”?") % obj,
            "version": version,
            "described": revisions.describe(version),
            "diff": mark_safe(revisions.diff_table(latest, version)),
            "change_url": self._change_url(obj),
        }
        return TemplateResponse(request, "admin/publishing/revert_confirm.html", context)


@admin.register(StateChange)
class StateChangeAdmin(admin.ModelAdmin):
    """The log of review and publication steps, read-only; and the editors' overview pages."""

    list_display = ["at", "object_repr", "content_type", "from_status", "to_status", "user"]
    list_filter = ["to_status", "content_type"]
    search_fields = ["object_repr", "comment"]
    list_select_related = ["user", "content_type"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_staff

    def get_urls(self):
        from publishing import admin_views

        wrap = self.admin_site.admin_view
        return [
            path(
                "recent/",
                wrap(lambda r: admin_views.recent_changes(r, self.admin_site)),
                name="curating_recent",
            ),
            *super().get_urls(),
        ]
