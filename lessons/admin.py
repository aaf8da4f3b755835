"""Editors' admin for lessons: declarative options; saving goes through services."""

from django import forms
from django.contrib import admin
from django.db.models import Count, Q
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from history.forms import LinesField
from history.models import AnchorStatus, Article
from lessons import admin_views, services
from lessons.models import Choice, Excerpt, Lesson, Question, Section
from publishing.admin import PublishableAdmin, VersionedAdmin
from publishing.forms import VersionedForm


class SectionForm(forms.ModelForm):
    class Meta:
        model = Section
        fields = [
            "position",
            "kind",
            "heading",
            "minutes",
            "body",
            "excerpt",
            "excerpt_display",
            "skill",
            "guiding_questions",
            "organiser",
            "teacher_notes",
        ]
        field_classes = {"guiding_questions": LinesField}
        widgets = {
            "body": forms.Textarea(attrs={"rows": 5, "cols": 80}),
            "teacher_notes": forms.Textarea(attrs={"rows": 3, "cols": 80}),
        }


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
    fields = ["position", "kind", "skill", "prompt", "excerpt", "tries", "answer_lines"]
    autocomplete_fields = ["excerpt"]
    ordering = ["position", "id"]
    show_change_link = True
    verbose_name_plural = _("questions, in order (open one to edit its choices or events)")


class LessonForm(VersionedForm):
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
        "live_state",
        "publish_at",
        "updated_at",
    ]
    list_filter = ["status", "level"]
    list_deferred = (*PublishableAdmin.list_deferred, "summary", "objectives", "teacher_notes")
    search_fields = ["title", "central_question", "summary"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["vocabulary", "timeline"]
    inlines = [SectionInline, QuestionInline]
    fieldsets = [
        (None, {"fields": ["title", "slug", "central_question", "summary"]}),
        (
            _("Plan"),
            {"fields": ["level", "audience", "language", "duration_minutes", "objectives"]},
        ),
        (_("Vocabulary and timeline"), {"fields": ["vocabulary", "timeline"]}),
        (_("Image"), {"fields": ["image", "image_alt"]}),
        (_("For teachers"), {"fields": ["teacher_notes"]}),
        (_("Sources"), {"fields": ["sources_quoted"]}),
        PublishableAdmin.publication_fieldset,
    ]
    readonly_fields = [*PublishableAdmin.readonly_fields, "sources_quoted"]

    @admin.display(description=_("articles it quotes"))
    def sources_quoted(self, obj):
        """Each article the lesson quotes, with its page to pick more passages from; a lesson
        may quote any number of articles (pick a passage of another from its page)."""
        if obj is None or obj.pk is None:
            return "—"
        articles = (
            Article.objects.filter(
                Q(excerpts__sections__lesson=obj) | Q(excerpts__questions__lesson=obj)
            )
            .distinct()
            .order_by("title")
        )
        items = format_html_join(
            "",
            '<li>{} · <a href="{}">{}</a></li>',
            (
                (a.title, reverse("admin:lessons_excerpt_select", args=[a.pk]), _("select more"))
                for a in articles
            ),
        )
        return format_html(
            '<ul class="sources-quoted">{}</ul><p class="help">{} <a href="{}">{}</a></p>',
            items,
            _("To quote another article, open it and use “Read and select passages”:"),
            reverse("admin:history_article_changelist"),
            _("Articles"),
        )

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
        services.lesson_save(
            lesson=obj,
            user=request.user,
            expected_version=form.cleaned_data.get("expected_version"),
            comment=self.comment_for(form, change=change),
        )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # The revision holds the sections and questions as saved just now.
        services.lesson_parts_recorded(lesson=form.instance, user=request.user)

    def publish_service(self, *, obj, user, at=None, comment=""):
        return services.lesson_publish(lesson=obj, user=user, at=at, comment=comment)

    def revert_service(self, *, obj, version, user, expected_version=None):
        return services.lesson_revert(
            lesson=obj, version=version, user=user, expected_version=expected_version
        )

    def extra_links(self, obj):
        return [(_("Preview"), reverse("admin:lessons_lesson_preview", args=[obj.pk]))]

    def attention(self, obj):
        excerpts = (
            Excerpt.objects.filter(Q(sections__lesson=obj) | Q(questions__lesson=obj))
            .filter(anchor_status__in=Excerpt.NEEDS_ATTENTION)
            .select_related("article")
            .distinct()
        )
        return [
            format_html(
                '{} <a href="{}">{}</a>',
                _("An excerpt of “%(article)s” it quotes needs attention (%(state)s): “%(words)s”.")
                % {
                    "article": e.article.title,
                    "state": e.get_anchor_status_display().lower(),
                    "words": e.exact[:80],
                },
                reverse("admin:lessons_excerpt_select", args=[e.article_id]) + f"?replace={e.pk}",
                _("Select it again") if e.anchor_status == AnchorStatus.LOST else _("Check it"),
            )
            for e in excerpts
        ]

    def get_urls(self):
        return [
            path(
                "<path:object_id>/preview/",
                self.admin_site.admin_view(self.preview_view),
                name="lessons_lesson_preview",
            ),
            *super().get_urls(),
        ]

    def preview_view(self, request, object_id):
        return admin_views.lesson_preview(request, self, object_id)


class ExcerptForm(VersionedForm):
    """Pick the article and paste the passage's words; its place in the text is found."""

    class Meta:
        model = Excerpt
        fields = ["article", "exact", "headnote", "adapted_text", "note"]
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
class ExcerptAdmin(VersionedAdmin):
    """Excerpts; made best from an article's "Read and select" page (the select view here)."""

    form = ExcerptForm
    list_display = ["__str__", "article", "anchor_status", "created_by", "updated_at"]
    # No filter by article: its links listed every quoted article, each read whole (its text
    # too). ?article__id__exact= still narrows the list; search finds an article's title.
    list_filter = ["anchor_status"]
    search_fields = ["exact", "note", "article__title"]
    list_select_related = ["article", "created_by"]
    list_deferred = ("article__body", "article__blocks", "article__editor_note")
    autocomplete_fields = ["article"]
    readonly_fields = ["prefix", "suffix", "start", "end", "anchor_status", "created_by"]
    actions = ["accept_changed"]

    @admin.action(description=_("Accept changed words as they now read"))
    def accept_changed(self, request, queryset):
        count = services.excerpts_accept(excerpts=queryset)
        self.message_user(
            request,
            _("%d excerpts accepted. Lost ones must be selected again in their article.") % count,
        )

    def get_readonly_fields(self, request, obj=None):
        if obj is not None:
            return [*self.readonly_fields, "article", "exact"]
        return self.readonly_fields

    def save_model(self, request, obj, form, change):
        if change:
            services.excerpt_note_save(
                excerpt=obj,
                note=form.cleaned_data.get("note", ""),
                headnote=form.cleaned_data.get("headnote", ""),
                adapted_text=form.cleaned_data.get("adapted_text", ""),
                user=request.user,
                expected_version=form.cleaned_data.get("expected_version"),
            )
            return
        created = services.excerpt_create_from_words(
            article=form.cleaned_data["article"],
            exact=form.cleaned_data["exact"],
            note=form.cleaned_data.get("note", ""),
            headnote=form.cleaned_data.get("headnote", ""),
            adapted_text=form.cleaned_data.get("adapted_text", ""),
            user=request.user,
        )
        obj.pk = created.pk
        obj.__dict__.update(created.__dict__)

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path(
                "select/<int:article_id>/",
                wrap(lambda r, article_id: admin_views.select(r, self.admin_site, article_id)),
                name="lessons_excerpt_select",
            ),
            path(
                "attention/",
                wrap(lambda r: admin_views.needs_attention(r, self.admin_site)),
                name="curating_attention",
            ),
            *super().get_urls(),
        ]


class ChoiceInline(admin.TabularInline):
    model = Choice
    extra = 1
    fields = ["position", "text", "is_correct", "feedback"]
    ordering = ["position", "id"]


class QuestionForm(VersionedForm):
    class Meta:
        model = Question
        fields = "__all__"


@admin.register(Question)
class QuestionAdmin(VersionedAdmin):
    """A question with its choices; saved through the lessons' services, kept in the lesson's
    revisions, and refused over someone else's newer save."""

    form = QuestionForm
    list_display = ["__str__", "lesson", "kind", "skill", "position"]
    list_filter = ["kind", "skill", ("lesson", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["prompt", "lesson__title"]
    list_select_related = ["lesson"]
    autocomplete_fields = ["lesson", "excerpt", "events"]
    inlines = [ChoiceInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "lesson",
                    "position",
                    "kind",
                    "skill",
                    "prompt",
                    "excerpt",
                    "excerpt_display",
                ]
            },
        ),
        (_("Chronology"), {"fields": ["events"]}),
        (_("Tries and answers"), {"fields": ["tries", "hint", "explanation"]}),
        (_("For teachers"), {"fields": ["model_answer", "marking_guidance", "answer_lines"]}),
        (_("Choices"), {"fields": ["shuffle_choices", "expected_version"]}),
    ]

    def save_model(self, request, obj, form, change):
        services.question_save(
            question=obj,
            events=list(form.cleaned_data.get("events") or []),
            user=request.user,
            expected_version=form.cleaned_data.get("expected_version"),
        )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.lesson_parts_recorded(lesson=form.instance.lesson, user=request.user)
