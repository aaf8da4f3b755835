"""Editors' admin for sources: declarative options; saving goes through services."""

from django import forms
from django.contrib import admin, messages
from django.db.models import Count, Q
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from history import services
from history.dates import DateError, to_edtf
from history.forms import LinesField
from history.models import Article, Concept, Event, Mention, MentionStatus
from publishing.admin import PublishableAdmin


class ArticleForm(forms.ModelForm):
    source_url = forms.URLField(
        label=_("source address"), max_length=500, required=False, assume_scheme="https"
    )

    class Meta:
        model = Article
        fields = "__all__"
        widgets = {"body": forms.Textarea(attrs={"rows": 30, "cols": 100})}


class MentionInline(admin.TabularInline):
    model = Mention
    extra = 0
    fields = ["exact", "concept", "event", "status", "anchor_status", "start", "end"]
    readonly_fields = ["exact", "anchor_status", "start", "end"]
    autocomplete_fields = ["concept", "event"]
    show_change_link = True
    verbose_name_plural = _("mentions of concepts and events in the text")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Article)
class ArticleAdmin(PublishableAdmin):
    form = ArticleForm
    list_display = [
        "title",
        "author",
        "publication",
        "publication_date_display",
        "status",
        "suggestions",
        "updated_at",
    ]
    list_filter = ["status", "language"]
    search_fields = ["title", "author", "publication", "body"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["paragraph_check", "source_file", *PublishableAdmin.readonly_fields]
    inlines = [MentionInline]
    fieldsets = [
        (None, {"fields": ["title", "slug", "kicker", "body", "paragraph_check"]}),
        (
            _("Source"),
            {
                "fields": [
                    "author",
                    "publication",
                    "publication_date",
                    "source_url",
                    "rights",
                    "language",
                    "source_file",
                ]
            },
        ),
        (_("Image"), {"fields": ["lead_image", "lead_image_alt"]}),
        (_("For editors"), {"fields": ["editor_note"]}),
        PublishableAdmin.publication_fieldset,
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                suggestion_count=Count(
                    "mentions", filter=Q(mentions__status=MentionStatus.SUGGESTED)
                )
            )
        )

    @admin.display(description=_("date"), ordering="publication_date")
    def publication_date_display(self, obj):
        return obj.publication_date_display or "—"

    @admin.display(description=_("suggested links to check"), ordering="suggestion_count")
    def suggestions(self, obj):
        return obj.suggestion_count

    @admin.display(description=_("paragraphs to check"))
    def paragraph_check(self, obj):
        if obj is None or not obj.pk:
            return "—"
        flagged = obj.paragraphs_to_check
        if not flagged:
            return _("Every paragraph ends a sentence.")
        return format_html(
            "<p>{}</p><ul>{}</ul>",
            _(
                "These paragraphs break off mid-sentence. Check them against the source; "
                "if the source itself breaks off, end the paragraph with “…”."
            ),
            format_html_join(
                "", "<li>¶ {}: “…{}”</li>", ((p.number, p.text[-80:]) for p in flagged)
            ),
        )

    def save_model(self, request, obj, form, change):
        services.article_save(article=obj, user=request.user)


class EventForm(forms.ModelForm):
    class Meta:
        model = Event
        fields = "__all__"

    def clean_date_edtf(self):
        try:
            return to_edtf(self.cleaned_data["date_edtf"])
        except DateError as exc:
            raise forms.ValidationError(str(exc)) from exc


class PeriodFilter(admin.SimpleListFilter):
    """Events by the decade they touch."""

    title = _("period")
    parameter_name = "decade"

    def lookups(self, request, model_admin):
        years = Event.objects.values_list("date_start", "date_end")
        decades = set()
        for start, end in years:
            for decade in range(start // 10000 // 10 * 10, end // 10000 // 10 * 10 + 1, 10):
                decades.add(decade)
        return [(str(d), f"{d}s" if d >= 0 else f"{-d} BCE") for d in sorted(decades)]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        try:
            decade = int(self.value())
        except ValueError:
            return queryset.none()
        return queryset.overlapping(start=decade * 10000 + 101, end=(decade + 9) * 10000 + 1231)


@admin.register(Event)
class EventAdmin(PublishableAdmin):
    form = EventForm
    list_display = ["title", "date_display", "place", "status", "updated_at"]
    list_filter = ["status", PeriodFilter, "concepts"]
    search_fields = ["title", "place", "summary", "description"]
    ordering = ["date_start", "date_end", "title"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["concepts"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "date_edtf", "place", "summary", "description"]}),
        (_("Image"), {"fields": ["image", "image_alt"]}),
        (_("Links"), {"fields": ["concepts"]}),
        PublishableAdmin.publication_fieldset,
    ]

    @admin.display(description=_("date"), ordering="date_start")
    def date_display(self, obj):
        return obj.date_display

    def save_model(self, request, obj, form, change):
        services.event_save(event=obj, user=request.user)


class ConceptForm(forms.ModelForm):
    class Meta:
        model = Concept
        fields = "__all__"
        field_classes = {"aliases": LinesField}


@admin.register(Concept)
class ConceptAdmin(PublishableAdmin):
    form = ConceptForm
    list_display = ["term", "kind", "definition", "status", "updated_at"]
    list_filter = ["status", "kind"]
    search_fields = ["term", "aliases", "definition"]
    prepopulated_fields = {"slug": ["term"]}
    autocomplete_fields = ["related"]
    fieldsets = [
        (None, {"fields": ["term", "slug", "kind", "aliases", "definition", "explanation"]}),
        (_("Links"), {"fields": ["related"]}),
        PublishableAdmin.publication_fieldset,
    ]

    def save_model(self, request, obj, form, change):
        services.concept_save(concept=obj, user=request.user)


@admin.register(Mention)
class MentionAdmin(admin.ModelAdmin):
    list_display = ["exact", "target", "article", "status", "anchor_status"]
    list_filter = ["status", "anchor_status", ("concept", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["exact", "article__title", "concept__term", "event__title"]
    list_select_related = ["article", "concept", "event"]
    autocomplete_fields = ["article", "concept", "event"]
    readonly_fields = ["exact", "prefix", "suffix", "start", "end", "anchor_status"]
    actions = ["confirm", "reject"]

    @admin.display(description=_("concept or event"))
    def target(self, obj):
        return obj.target

    @admin.action(description=_("Confirm the selected mentions"))
    def confirm(self, request, queryset):
        count = queryset.update(status=MentionStatus.CONFIRMED)
        self.message_user(request, _("%d mentions confirmed.") % count, messages.SUCCESS)

    @admin.action(description=_("Reject the selected mentions"))
    def reject(self, request, queryset):
        count = queryset.update(status=MentionStatus.REJECTED)
        self.message_user(request, _("%d mentions rejected.") % count, messages.SUCCESS)

    def has_add_permission(self, request):
        return False
