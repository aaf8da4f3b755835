"""Editors' admin for sources: declarative options; saving goes through services."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Max, Min, Q
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from history import services, text
from history.dates import DateError, to_edtf
from history.forms import ArticleImportForm, LinesField
from history.models import (
    Article,
    CandidateStatus,
    Concept,
    ConceptCandidate,
    DatedExpression,
    DateStatus,
    Event,
    Mention,
    MentionStatus,
)
from publishing.admin import LightListAdmin, PublishableAdmin
from publishing.forms import VersionedForm


class ArticleForm(VersionedForm):
    source_url = forms.URLField(
        label=_("source address"), max_length=500, required=False, assume_scheme="https"
    )

    class Meta:
        model = Article
        fields = "__all__"
        widgets = {"body": forms.Textarea(attrs={"rows": 30, "cols": 100})}


class SourceAdmin(PublishableAdmin):
    """Articles, events and concepts: a revision is put back through their one service."""

    def revert_service(self, *, obj, version, user, expected_version=None):
        return services.source_revert(
            obj=obj, version=version, user=user, expected_version=expected_version
        )


# The long columns of a related row that a list of mentions or dates never shows.
ARTICLE_TEXTS = ("article__body", "article__blocks", "article__editor_note")
CONCEPT_TEXTS = ("concept__explanation",)
EVENT_TEXTS = ("event__description",)
REVIEW_DECISIONS = {"accept": MentionStatus.CONFIRMED, "reject": MentionStatus.REJECTED}
PARAGRAPHS_SHOWN = 50  # paragraphs to check listed on the change page
SUGGESTIONS_PER_PAGE = 100


class LanguageFilter(admin.SimpleListFilter):
    """Articles by language. Django's filter of all values reads them through the list's own
    query (with its counts over mentions: 2.7 s on a large corpus); this reads the column."""

    title = _("language")
    parameter_name = "language"

    def lookups(self, request, model_admin):
        languages = Article.objects.order_by("language").values_list("language", flat=True)
        return [(code, code) for code in languages.distinct()]

    def queryset(self, request, queryset):
        return queryset.filter(language=self.value()) if self.value() else queryset


@admin.register(Article)
class ArticleAdmin(SourceAdmin):
    form = ArticleForm
    list_display = [
        "title",
        "author",
        "publication",
        "publication_date_display",
        "status",
        "live_state",
        "suggestions",
        "updated_at",
    ]
    list_filter = ["status", LanguageFilter]
    list_deferred = (*SourceAdmin.list_deferred, "body", "blocks", "editor_note")
    search_fields = ["title", "author", "publication", "body"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = [
        "paragraph_check",
        "found_in_text",
        "source_file",
        *PublishableAdmin.readonly_fields,
    ]
    # No inlines: a long text has thousands of mentions and dates, reviewed on their own pages
    # (the suggestions page, the dates list), a page at a time.
    actions = [*PublishableAdmin.actions, "detect_suggestions"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "kicker", "body", "paragraph_check"]}),
        (_("Links and dates found in the text"), {"fields": ["found_in_text"]}),
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

    def get_changelist_instance(self, request):
        """The list, with the number of suggestions of the articles on its page only (a count
        over every article's mentions grew with the corpus)."""
        changelist = super().get_changelist_instance(request)
        counts = dict(
            Mention.objects.filter(
                article__in=[a.pk for a in changelist.result_list],
                status=MentionStatus.SUGGESTED,
            )
            .order_by()
            .values_list("article")
            .annotate(n=Count("id"))
        )
        for article in changelist.result_list:
            article.suggestion_count = counts.get(article.pk, 0)
        return changelist

    @admin.display(description=_("date"), ordering="publication_date")
    def publication_date_display(self, obj):
        return obj.publication_date_display or "—"

    @admin.display(description=_("suggested links to check"))
    def suggestions(self, obj):
        return obj.suggestion_count

    @admin.display(description=_("found in the text"))
    def found_in_text(self, obj):
        if obj is None or not obj.pk:
            return "—"
        counts = Mention.objects.filter(article=obj).aggregate(
            **{status: Count("id", filter=Q(status=status)) for status in MentionStatus.values}
        )
        dates = obj.dates.filter(status=DateStatus.SUGGESTED).count()
        review = reverse("admin:history_article_suggestions", args=[obj.pk])
        dates_list = reverse("admin:history_datedexpression_changelist")
        query = urlencode({"article__id__exact": obj.pk, "status__exact": DateStatus.SUGGESTED})
        links = format_html(
            _(
                "{} suggested links to concepts and events to check, {} accepted, {} rejected: "
                '<a href="{}">review them</a>.'
            ),
            counts[MentionStatus.SUGGESTED],
            counts[MentionStatus.CONFIRMED],
            counts[MentionStatus.REJECTED],
            review,
        )
        dates_html = format_html(
            _('{} dates in the text to check: <a href="{}?{}">link or reject them</a>.'),
            dates,
            dates_list,
            query,
        )
        return format_html("<p>{}</p><p>{}</p>", links, dates_html)

    @admin.display(description=_("paragraphs to check"))
    def paragraph_check(self, obj):
        if obj is None or not obj.pk:
            return "—"
        flagged = obj.paragraphs_to_check
        if not flagged:
            return _("Every paragraph ends a sentence.")
        more = len(flagged) - PARAGRAPHS_SHOWN
        return format_html(
            "<p>{}</p><ul>{}</ul>{}",
            _(
                "These paragraphs break off mid-sentence. Check them against the source; "
                "if the source itself breaks off, end the paragraph with “…”."
            ),
            format_html_join(
                "",
                "<li>¶ {}: “…{}”</li>",
                ((p.number, p.text[-80:]) for p in flagged[:PARAGRAPHS_SHOWN]),
            ),
            format_html("<p>{}</p>", _("and %(n)d more.") % {"n": more}) if more > 0 else "",
        )

    def add_view(self, request, form_url="", extra_context=None):
        """Add an article from a file or pasted text, through the importer the command uses."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = ArticleImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            try:
                result = services.article_import(
                    prepared=form.cleaned_data["prepared"], user=request.user
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                first, *rest = result.report()
                self.message_user(request, first[:1].upper() + first[1:], messages.SUCCESS)
                for line in rest:
                    level = (
                        messages.WARNING
                        if line.startswith("paragraphs to check")
                        else messages.INFO
                    )
                    self.message_user(request, line[:1].upper() + line[1:], level)
                return HttpResponseRedirect(self._change_url(result.article))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Add article"),
            "opts": self.model._meta,
            "form": form,
            "media": self.media + form.media,
            "has_view_permission": self.has_view_permission(request),
            **(extra_context or {}),
        }
        return TemplateResponse(request, "admin/history/article/import.html", context)

    def save_model(self, request, obj, form, change):
        services.article_save(
            article=obj,
            user=request.user,
            expected_version=form.cleaned_data.get("expected_version"),
            comment=self.comment_for(form, change=change),
        )

    def extra_links(self, obj):
        try:
            select = reverse("admin:lessons_excerpt_select", args=[obj.pk])
        except NoReverseMatch:
            return []
        return [(_("Read and select passages"), select)]

    def attention(self, obj):
        lost = obj.mentions.filter(anchor_status__in=Mention.NEEDS_ATTENTION).count()
        if not lost:
            return []
        return [
            _("%(n)d mention(s) lost their place when the text changed: check them below.")
            % {"n": lost}
        ]

    @admin.action(description=_("Look for links and dates now"))
    def detect_suggestions(self, request, queryset):
        for article in queryset:
            found = services.suggestions_detect(article=article)
            self.message_user(
                request,
                _("“%(article)s”: %(links)d new suggested links, %(dates)d new dates.")
                % {"article": article, "links": found.links, "dates": found.dates},
                messages.SUCCESS,
            )

    def get_urls(self):
        return [
            path(
                "<path:object_id>/detect/",
                self.admin_site.admin_view(self.detect_view),
                name="history_article_detect",
            ),
            path(
                "<path:object_id>/suggestions/",
                self.admin_site.admin_view(self.suggestions_view),
                name="history_article_suggestions",
            ),
            *super().get_urls(),
        ]

    def suggestions_view(self, request, object_id):
        """The article's mentions of concepts and events, a page at a time, each in the
        sentence around it; the selected ones (or all on the page) accepted or rejected at once
        through the service. Queries do not grow with the text or the number of mentions."""
        article = self._get_or_404(request, object_id)
        errors, status = [], 200
        if request.method == "POST":
            if not self.has_change_permission(request, article):
                raise PermissionDenied
            decision, _sep, scope = request.POST.get("action", "").partition("-")
            chosen = request.POST.getlist("shown" if scope == "page" else "mention")
            try:
                changed = services.article_suggestions_review(
                    article=article,
                    mention_ids=chosen,
                    status=REVIEW_DECISIONS.get(decision, ""),
                )
            except ValidationError as exc:
                errors, status = exc.messages, 400
            else:
                done = _("accepted") if decision == "accept" else _("rejected")
                self.message_user(
                    request,
                    _("%(n)d mentions %(done)s.") % {"n": changed, "done": done},
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(request.get_full_path())
        shown_status = request.GET.get("status", MentionStatus.SUGGESTED)
        if shown_status not in MentionStatus.values:
            shown_status = MentionStatus.SUGGESTED
        mentions = article.mentions.all()
        counts = mentions.aggregate(
            **{value: Count("id", filter=Q(status=value)) for value in MentionStatus.values}
        )
        page = Paginator(
            mentions.filter(status=shown_status)
            .select_related("concept", "event")
            .only(
                "article",
                "start",
                "end",
                "status",
                "anchor_status",
                "concept",
                "event",
                "concept__term",
                "event__title",
            )
            .order_by("start", "pk"),
            SUGGESTIONS_PER_PAGE,
        ).get_page(request.GET.get("page"))
        rows = [(m, text.sentence_around(article.body, m.start, m.end)) for m in page]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "article": article,
            "title": _("Links found in “%s”") % article,
            "tabs": [(value, label, counts[value]) for value, label in MentionStatus.choices],
            "shown_status": shown_status,
            "page": page,
            "rows": rows,
            "errors": errors,
            "may_change": self.has_change_permission(request, article),
            "change_url": self._change_url(article),
        }
        return TemplateResponse(
            request, "admin/history/article/suggestions.html", context, status=status
        )

    def detect_view(self, request, object_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = self._get_or_404(request, object_id)
        if not self.has_change_permission(request, article):
            raise PermissionDenied
        self.detect_suggestions(request, Article.objects.filter(pk=article.pk))
        return HttpResponseRedirect(request.POST.get("next") or self._change_url(article))


class EventForm(VersionedForm):
    class Meta:
        model = Event
        fields = "__all__"

    def clean_date_edtf(self):
        try:
            return to_edtf(self.cleaned_data["date_edtf"])
        except DateError as exc:
            raise forms.ValidationError(str(exc)) from exc


MAX_DECADES = 60


class PeriodFilter(admin.SimpleListFilter):
    """Events by the decade they touch."""

    title = _("period")
    parameter_name = "decade"

    def lookups(self, request, model_admin):
        # The decades from the earliest event to the latest (one aggregate, not every event),
        # at most MAX_DECADES of them: the latest ones when events span longer.
        span = Event.objects.aggregate(first=Min("date_start"), last=Max("date_end"))
        if span["first"] is None:
            return []
        first = span["first"] // 10000 // 10 * 10
        last = span["last"] // 10000 // 10 * 10
        decades = range(max(first, last - 10 * (MAX_DECADES - 1)), last + 1, 10)
        return [(str(d), f"{d}s" if d >= 0 else f"{-d} BCE") for d in decades]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        try:
            decade = int(self.value())
        except ValueError:
            return queryset.none()
        return queryset.overlapping(start=decade * 10000 + 101, end=(decade + 9) * 10000 + 1231)


@admin.register(Event)
class EventAdmin(SourceAdmin):
    form = EventForm
    list_display = ["title", "date_display", "place", "status", "live_state", "updated_at"]
    # No filter by concept: a link for each of thousands of concepts (find an event's concept
    # on its page, or search).
    list_filter = ["status", PeriodFilter]
    list_deferred = (*SourceAdmin.list_deferred, "description")
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
        services.event_save(
            event=obj,
            user=request.user,
            expected_version=form.cleaned_data.get("expected_version"),
            comment=self.comment_for(form, change=change),
        )


class ConceptForm(VersionedForm):
    class Meta:
        model = Concept
        fields = "__all__"
        field_classes = {"aliases": LinesField}


@admin.register(Concept)
class ConceptAdmin(SourceAdmin):
    form = ConceptForm
    list_display = ["term", "kind", "definition", "status", "live_state", "updated_at"]
    list_filter = ["status", "kind"]
    list_deferred = (*SourceAdmin.list_deferred, "explanation")
    search_fields = ["term", "aliases", "definition"]
    prepopulated_fields = {"slug": ["term"]}
    autocomplete_fields = ["related"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "term",
                    "slug",
                    "kind",
                    "sort_name",
                    "language",
                    "aliases",
                    "definition",
                    "explanation",
                ]
            },
        ),
        (_("Links"), {"fields": ["related"]}),
        PublishableAdmin.publication_fieldset,
    ]

    def save_model(self, request, obj, form, change):
        services.concept_save(
            concept=obj,
            user=request.user,
            expected_version=form.cleaned_data.get("expected_version"),
            comment=self.comment_for(form, change=change),
        )


@admin.register(Mention)
class MentionAdmin(LightListAdmin):
    list_display = ["exact", "target", "article", "status", "anchor_status"]
    # No filter by concept or article (a DISTINCT over every mention, and thousands of
    # links): search by the concept's term, or review an article's on its suggestions page.
    list_filter = ["status", "anchor_status"]
    ordering = ["article_id", "start", "id"]  # total: the index's order, no sort (mention_in_order)
    show_full_result_count = False
    search_fields = ["exact", "article__title", "concept__term", "event__title"]
    list_select_related = ["article", "concept", "event"]
    # A page of mentions is mostly one article's: its text was read again for each row.
    list_deferred = (*ARTICLE_TEXTS, *CONCEPT_TEXTS, *EVENT_TEXTS)
    autocomplete_fields = ["article", "concept", "event"]
    readonly_fields = ["exact", "prefix", "suffix", "start", "end", "anchor_status"]
    actions = ["confirm", "reject"]

    @admin.display(description=_("concept or event"))
    def target(self, obj):
        return obj.target

    @admin.action(description=_("Accept the selected mentions"))
    def confirm(self, request, queryset):
        count = services.mentions_set_status(mentions=queryset, status=MentionStatus.CONFIRMED)
        self.message_user(request, _("%d mentions accepted.") % count, messages.SUCCESS)

    @admin.action(description=_("Reject the selected mentions"))
    def reject(self, request, queryset):
        count = services.mentions_set_status(mentions=queryset, status=MentionStatus.REJECTED)
        self.message_user(request, _("%d mentions rejected.") % count, messages.SUCCESS)

    def has_add_permission(self, request):
        return False


class DatedExpressionForm(forms.ModelForm):
    class Meta:
        model = DatedExpression
        fields = ["event"]
        help_texts = {"event": _("The event these words speak of; saving links them.")}


@admin.register(DatedExpression)
class DatedExpressionAdmin(LightListAdmin):
    """Dates found in texts: link each to an event (existing or new) or reject it."""

    form = DatedExpressionForm
    list_display = [
        "exact",
        "date_display",
        "reasoning",
        "article",
        "status",
        "event",
        "anchor_status",
    ]
    # No filter by article in the sidebar (thousands of them): the article's page links here
    # with ?article__id__exact=.
    list_filter = ["status", "anchor_status"]
    ordering = ["article_id", "start", "id"]  # total: the index's order, no sort (date_in_order)
    show_full_result_count = False
    search_fields = ["exact", "article__title", "event__title"]
    list_select_related = ["article", "event"]
    list_deferred = (*ARTICLE_TEXTS, *EVENT_TEXTS)
    autocomplete_fields = ["event"]
    readonly_fields = [
        "article",
        "exact",
        "prefix",
        "suffix",
        "date_display",
        "reasoning",
        "status",
        "anchor_status",
    ]
    fields = [
        "article",
        "prefix",
        "exact",
        "suffix",
        "date_display",
        "reasoning",
        "status",
        "anchor_status",
        "event",
    ]
    actions = ["link_matching", "make_events", "reject"]

    @admin.display(description=_("date"), ordering="date_start")
    def date_display(self, obj):
        return obj.date_display

    @admin.display(description=_("events with these dates"))
    def matching_events(self, obj):
        events = services.events_matching(obj)
        if not events:
            return _("None yet: use the action “Make a new draft event from each” in the list.")
        return format_html_join(", ", "{} ({})", ((e.title, e.date_display) for e in events))

    def has_add_permission(self, request):
        return False

    def save_model(self, request, obj, form, change):
        if obj.event is not None:
            services.date_link(expression=obj, event=obj.event, user=request.user)
        else:
            obj.save(update_fields=["event"])

    @admin.action(description=_("Link to the existing event with these dates"))
    def link_matching(self, request, queryset):
        linked, unmatched = 0, []
        for expression in queryset.select_related("article"):
            try:
                event = services.date_link_matching(expression=expression, user=request.user)
            except ValidationError as exc:
                self.message_user(request, "; ".join(exc.messages), messages.ERROR)
                continue
            if event is None:
                unmatched.append(f"“{expression.exact}” ({expression.date_display})")
            else:
                linked += 1
        if linked:
            self.message_user(request, _("%d dates linked.") % linked, messages.SUCCESS)
        if unmatched:
            self.message_user(
                request,
                _(
                    "No single event has the dates of %s: open each to choose one, "
                    "or make new events."
                )
                % ", ".join(unmatched),
                messages.WARNING,
            )

    @admin.action(description=_("Make a new draft event from each"))
    def make_events(self, request, queryset):
        made = []
        for expression in queryset.select_related("article"):
            try:
                made.append(services.date_new_event(expression=expression, user=request.user))
            except ValidationError as exc:
                self.message_user(request, "; ".join(exc.messages), messages.ERROR)
        if made:
            self.message_user(
                request,
                _("%d draft events made; give each a proper title.") % len(made),
                messages.SUCCESS,
            )

    @admin.action(description=_("Reject the selected dates"))
    def reject(self, request, queryset):
        count = services.dates_reject(expressions=queryset)
        self.message_user(request, _("%d dates rejected.") % count, messages.SUCCESS)


@admin.register(ConceptCandidate)
class ConceptCandidateAdmin(admin.ModelAdmin):
    """Names and acronyms that recur in a text but are no concept yet: make one, or dismiss."""

    list_display = ["name", "count", "acronym", "article", "context", "status", "concept"]
    list_filter = ["status", "acronym"]
    ordering = ["-count", "-pk"]
    show_full_result_count = False
    search_fields = ["name", "article__title"]
    list_select_related = ["article", "concept"]
    readonly_fields = ["article", "name", "acronym", "count", "context", "status", "concept"]
    fields = readonly_fields
    actions = ["accept", "dismiss"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Make a draft concept of each (write its definition next)"))
    def accept(self, request, queryset):
        made = [
            services.candidate_accept(candidate=c, user=request.user)
            for c in queryset.filter(status=CandidateStatus.SUGGESTED).select_related("article")
        ]
        self.message_user(
            request,
            _("%(n)d draft concepts made: %(names)s. Give each its definition.")
            % {"n": len(made), "names": ", ".join(c.term for c in made)},
            messages.SUCCESS,
        )

    @admin.action(description=_("Dismiss: not a concept (not proposed again)"))
    def dismiss(self, request, queryset):
        count = services.candidates_dismiss(candidates=queryset)
        self.message_user(request, _("%d names dismissed.") % count, messages.SUCCESS)
