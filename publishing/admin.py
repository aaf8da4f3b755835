"""What every content admin shares: the publication state, changed only through services."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from publishing import services


class PublishableAdmin(admin.ModelAdmin):
    """State and publish time are read-only in the form; actions move content through review."""

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
            ]
        },
    )
    actions = ["submit_for_review", "publish_now", "unpublish", "archive"]
    date_hierarchy = None
    list_per_page = 50

    def _apply(self, request, queryset, action, verb):
        done, refused = 0, []
        for obj in queryset:
            try:
                action(obj=obj, user=request.user)
                done += 1
            except (ValidationError, PermissionDenied) as exc:
                reason = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
                refused.append(f"“{obj}”: {reason}")
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

    def publish_service(self, *, obj, user):
        return services.publish(obj=obj, user=user)
