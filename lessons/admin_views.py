"""Admin pages for curating: reading an article to make excerpts, what needs attention, preview.

Thin views: forms check the input, services write.
"""

from __future__ import annotations

import re

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from history.models import Article, DatedExpression, DateStatus, Mention, MentionStatus
from lessons import services
from lessons.models import Excerpt, Lesson, Section
from publishing.models import Status

_WORD = re.compile(r"\S+")


def _lessons_to_add_to():
    return (
        Lesson.objects.exclude(status=Status.ARCHIVED)
        .prefetch_related(Prefetch("sections", queryset=Section.objects.order_by("position", "id")))
        .order_by("title")
    )


def _target_choices(lessons) -> list:
    choices: list = [("", _("Do not add it to a lesson now"))]
    for lesson in lessons:
        group = [(f"new:{lesson.pk}", _("A new section at the end"))]
        group += [
            (
                f"section:{section.pk}",
                _("Section %(n)s: %(heading)s%(quoting)s")
                % {
                    "n": section.position,
                    "heading": section.heading,
                    "quoting": _(" (replaces its quote)") if section.excerpt_id else "",
                },
            )
            for section in lesson.sections.all()
        ]
        choices.append((str(lesson), group))
    return choices


class SelectionForm(forms.Form):
    """A passage chosen with the mouse (start/end, set by curation.js) or with the keyboard
    (a paragraph and its first and last words); and where to quote it."""

    start = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)
    end = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    paragraph = forms.TypedChoiceField(
        label=_("Paragraph"), required=False, coerce=int, empty_value=None
    )
    first_word = forms.IntegerField(
        label=_("From word"), required=False, min_value=1, help_text=_("Counting from 1.")
    )
    last_word = forms.IntegerField(
        label=_("To word"), required=False, min_value=1, help_text=_("Blank: to the end.")
    )
    target = forms.ChoiceField(label=_("Add it to"), required=False)
    heading = forms.CharField(
        label=_("Heading of a new section"),
        required=False,
        max_length=200,
        help_text=_("Blank: “Source:” and the first words of the passage."),
    )
    note = forms.CharField(
        label=_("Note for editors"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    replace = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, article: Article, lessons, **kwargs):
        super().__init__(*args, **kwargs)
        self.article = article
        self.fields["paragraph"].choices = [("", _("— choose a paragraph —"))] + [
            (
                p.number,
                f"¶ {p.number}: {p.text[:60]}…" if len(p.text) > 60 else f"¶ {p.number}: {p.text}",
            )
            for p in article.paragraphs
        ]
        self.fields["target"].choices = _target_choices(lessons)

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        number = cleaned.get("paragraph")
        start, end = cleaned.get("start"), cleaned.get("end")
        if number is not None:
            paragraph = self.article.paragraphs[number - 1]
            words = list(_WORD.finditer(paragraph.text))
            first = cleaned.get("first_word") or 1
            last = cleaned.get("last_word") or len(words)
            if not words or first > len(words) or last > len(words) or last < first:
                raise forms.ValidationError(
                    _(
                        "Paragraph %(n)d has %(count)d words; choose from 1 to %(count)d, the "
                        "first no later than the last."
                    )
                    % {"n": number, "count": len(words)}
                )
            start = paragraph.start + words[first - 1].start()
            end = paragraph.start + words[last - 1].end()
        elif start is None or end is None:
            raise forms.ValidationError(
                _("Select a passage with the mouse, or choose a paragraph and its words.")
            )
        if not 0 <= start < end <= len(self.article.body):
            raise forms.ValidationError(_("The selection is outside the text; select it again."))
        cleaned["start"], cleaned["end"] = start, end
        target = cleaned.get("target") or ""
        cleaned["lesson"] = cleaned["section"] = None
        if target.startswith("new:"):
            cleaned["lesson"] = Lesson.objects.filter(pk=target[4:]).first()
        elif target.startswith("section:"):
            section = Section.objects.select_related("lesson").filter(pk=target[8:]).first()
            cleaned["section"] = section
            cleaned["lesson"] = section.lesson if section else None
        return cleaned


def select(request, admin_site, article_id):
    """Read the article in paragraphs, select a passage, make it an excerpt, quote it."""
    article = get_object_or_404(Article, pk=article_id)
    user = request.user
    if not user.has_perm("history.view_article"):
        raise PermissionDenied
    lessons = list(_lessons_to_add_to())
    initial = {}
    replacing = None
    if request.GET.get("replace", "").isdigit():
        replacing = Excerpt.objects.filter(pk=request.GET["replace"], article=article).first()
        if replacing:
            initial["replace"] = replacing.pk
    if request.method == "POST":
        if not user.has_perm("lessons.add_excerpt"):
            raise PermissionDenied
        form = SelectionForm(request.POST, article=article, lessons=lessons)
        if form.is_valid():
            response = _make_excerpt(request, article, form.cleaned_data)
            if response is not None:
                return response
        status = 400
    else:
        form = SelectionForm(initial=initial, article=article, lessons=lessons)
        status = 200
    context = {
        **admin_site.each_context(request),
        "title": _("Read and select: %s") % article.title,
        "opts": Article._meta,
        "article": article,
        "paragraphs": article.paragraphs,
        "form": form,
        "replacing": replacing,
        "excerpts": article.excerpts.order_by("start"),
        "suggested_links": article.mentions.filter(status=MentionStatus.SUGGESTED).count(),
        "suggested_dates": article.dates.filter(status=DateStatus.SUGGESTED).count(),
        "change_url": reverse("admin:history_article_change", args=[article.pk]),
    }
    return TemplateResponse(request, "admin/lessons/excerpt/select.html", context, status=status)


def _make_excerpt(request, article, data):
    user = request.user
    try:
        if data.get("replace"):
            excerpt = get_object_or_404(Excerpt, pk=data["replace"], article=article)
            services.excerpt_reselect(
                excerpt=excerpt, start=data["start"], end=data["end"], user=user
            )
            messages.success(request, _("The excerpt is anchored again: “%s”.") % excerpt.exact)
        else:
            excerpt = services.excerpt_create(
                article=article, start=data["start"], end=data["end"], note=data["note"], user=user
            )
            messages.success(request, _("Excerpt made: “%s”.") % excerpt.exact)
        lesson = data.get("lesson")
        if lesson is not None:
            section = services.lesson_add_excerpt(
                lesson=lesson,
                excerpt=excerpt,
                section=data.get("section"),
                heading=data.get("heading", ""),
                user=user,
            )
            messages.success(
                request,
                _("Quoted in section %(n)s “%(heading)s” of “%(lesson)s”.")
                % {"n": section.position, "heading": section.heading, "lesson": lesson},
            )
            return HttpResponseRedirect(reverse("admin:lessons_lesson_change", args=[lesson.pk]))
    except (ValidationError, PermissionDenied) as exc:
        text = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        messages.error(request, text or _("You may not do that."))
        return None
    return HttpResponseRedirect(reverse("admin:lessons_excerpt_select", args=[article.pk]))


def needs_attention_lists(*, limit: int = 200) -> dict:
    """Excerpts, mentions and dates that lost their place or whose words changed."""
    states = list(Excerpt.NEEDS_ATTENTION)
    return {
        "excerpts": list(
            Excerpt.objects.filter(anchor_status__in=states)
            .select_related("article")
            .prefetch_related("sections__lesson", "questions__lesson")
            .order_by("article__title", "start")[:limit]
        ),
        "mentions": list(
            Mention.objects.filter(anchor_status__in=states)
            .exclude(status=MentionStatus.REJECTED)
            .select_related("article", "concept", "event")
            .order_by("article__title", "start")[:limit]
        ),
        "dates": list(
            DatedExpression.objects.filter(anchor_status__in=states)
            .select_related("article", "event")
            .order_by("article__title", "start")[:limit]
        ),
    }


def needs_attention(request, admin_site):
    context = {
        **admin_site.each_context(request),
        "title": _("Needs attention"),
        **needs_attention_lists(),
    }
    return TemplateResponse(request, "admin/lessons/needs_attention.html", context)


def lesson_preview(request, model_admin, object_id):
    """The working copy exactly as learners will see it once published; staff only."""
    from learner.views import lesson_preview as render_preview  # the site's own templates

    lesson = Lesson.objects.filter(pk=object_id).first()
    if lesson is None or not model_admin.has_view_permission(request, lesson):
        raise Http404(_("No such lesson."))
    return render_preview(request, lesson)
