"""Editors' admin for lessons: declarative options; saving goes through services."""

from django import forms
from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from history.forms import LinesField
from lessons import services
from lessons.models import Choice, Excerpt, Lesson, Question, Section
from publishing.admin import PublishableAdmin


class SectionForm(forms.ModelForm):
    class Meta:
        model = Section
        fields = ["position", "kind", "heading", "body", "excerpt", "guiding_questions"]
        field_classes = {"guiding_questions": LinesField}
        widgets = {"body": forms.Textarea(attrs={"rows": 5, "cols": 80})}


class SectionInline(admin.StackedInline):
    model = Section
    form = SectionForm
    extra = 0
    autocomplete_fields = ["excerpt"]
    ordering = ["position", "id"]
    verbose_name_plural = _("sections, in order")


class QuestionInline(admin.StackedInline):
    model = Question
    extra = 0
    fields = ["position", "kind", "skill", "prompt", "excerpt", "explanation"]
    autocomplete_fields = ["excerpt"]
    ordering = ["position", "id"]
    show_change_link = True
    verbose_name_plural = _("questions, in order (open one to edit its choices or events)")


class LessonForm(forms.ModelForm):
    class Meta:
        model = Lesson
        fields = "__all__"
        field_classes = {"objectives": LinesField}


@admin.register(Lesson)
class LessonAdmin(PublishableAdmin):
    form = LessonForm
    list_display = [
        "title",
        "level",
        "duration_minutes",
        "section_count",
        "question_count",
        "status",
        "publish_at",
        "updated_at",
    ]
    list_filter = ["status", "level"]
    search_fields = ["title", "central_question", "summary"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["vocabulary", "timeline"]
    inlines = [SectionInline, QuestionInline]
    fieldsets = [
        (None, {"fields": ["title", "slug", "central_question", "summary"]}),
        (_("Plan"), {"fields": ["level", "audience", "duration_minutes", "objectives"]}),
        (_("Vocabulary and timeline"), {"fields": ["vocabulary", "timeline"]}),
        (_("Image"), {"fields": ["image", "image_alt"]}),
        (_("For teachers"), {"fields": ["teacher_notes"]}),
        PublishableAdmin.publication_fieldset,
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                section_total=Count("sections", distinct=True),
                question_total=Count("questions", distinct=True),
            )
        )

    @admin.display(description=_("sections"), ordering="section_total")
    def section_count(self, obj):
        return obj.section_total

    @admin.display(description=_("questions"), ordering="question_total")
    def question_count(self, obj):
        return obj.question_total

    def save_model(self, request, obj, form, change):
        services.lesson_save(lesson=obj, user=request.user)

    def publish_service(self, *, obj, user):
        return services.lesson_publish(lesson=obj, user=user)


class ExcerptForm(forms.ModelForm):
    """Pick the article and paste the passage's words; its place in the text is found."""

    class Meta:
        model = Excerpt
        fields = ["article", "exact", "note"]
        labels = {"exact": _("passage (copy it from the article)")}

    def clean(self):
        cleaned = super().clean()
        article, exact = cleaned.get("article"), cleaned.get("exact")
        if article and exact:
            exact = exact.strip()
            if exact not in article.body:
                raise forms.ValidationError(
                    {"exact": _("These words are not in the article’s text. Copy them exactly.")}
                )
            cleaned["exact"] = exact
        return cleaned


@admin.register(Excerpt)
class ExcerptAdmin(admin.ModelAdmin):
    form = ExcerptForm
    list_display = ["__str__", "article", "anchor_status", "created_by", "updated_at"]
    list_filter = ["anchor_status", ("article", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["exact", "note", "article__title"]
    list_select_related = ["article", "created_by"]
    autocomplete_fields = ["article"]
    readonly_fields = ["prefix", "suffix", "start", "end", "anchor_status", "created_by"]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None:
            return [*self.readonly_fields, "article", "exact"]
        return self.readonly_fields

    def save_model(self, request, obj, form, change):
        if change:
            obj.save(update_fields=["note", "updated_at"])
            return
        created = services.excerpt_create_from_words(
            article=form.cleaned_data["article"],
            exact=form.cleaned_data["exact"],
            note=form.cleaned_data.get("note", ""),
            user=request.user,
        )
        obj.pk = created.pk
        obj.__dict__.update(created.__dict__)


class ChoiceInline(admin.TabularInline):
    model = Choice
    extra = 1
    fields = ["position", "text", "is_correct", "feedback"]
    ordering = ["position", "id"]


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "lesson", "kind", "skill", "position"]
    list_filter = ["kind", "skill", ("lesson", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["prompt", "lesson__title"]
    list_select_related = ["lesson"]
    autocomplete_fields = ["lesson", "excerpt", "events"]
    inlines = [ChoiceInline]
    fieldsets = [
        (None, {"fields": ["lesson", "position", "kind", "skill", "prompt", "excerpt"]}),
        (_("Chronology"), {"fields": ["events"]}),
        (_("After answering"), {"fields": ["explanation", "model_answer"]}),
    ]
