"""Learner pages for lessons (published only): home, lesson, answers, teacher's print view."""

from __future__ import annotations

import hashlib
import json

from django.db.models import OuterRef, Subquery
from django.db.models.functions import Greatest
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.cache import patch_cache_control
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import condition, require_http_methods
from django.views.decorators.vary import vary_on_cookie

from history.models import Article, Concept, Event
from history.views import timeline_rows
from lessons import selectors, services
from lessons.exports.jsonld import learning_resource
from lessons.models import Lesson, Question, QuestionKind, Section


def home(request):
    lessons = selectors.lessons_public().only(
        "title", "slug", "summary", "central_question", "level", "duration_minutes", "image",
        "image_alt", "audience",
    )  # fmt: skip
    counts = {
        "articles": Article.objects.published().count(),
        "events": Event.objects.published().count(),
        "concepts": Concept.objects.published().count(),
    }
    return render(request, "lessons/home.html", {"lessons": lessons, "counts": counts})


def _jsonld(request, lesson) -> str:
    data = learning_resource(lesson, request.build_absolute_uri)
    # A source article that is not (yet) public is not named as the lesson's basis.
    public = {
        request.build_absolute_uri(s.excerpt.article.get_absolute_url())
        for s in lesson.sections.all()
        if s.excerpt is not None and s.excerpt.article.is_public
    }
    data["isBasedOn"] = [work for work in data["isBasedOn"] if work["url"] in public]
    # Inside <script>, "</script" or "<!--" would change how the HTML parser reads it:
    # write every "<", ">" and "&" as a JSON escape (the same data for a JSON reader).
    text = (
        json.dumps(data, ensure_ascii=False)
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
    )
    return mark_safe(text)


def render_lesson(
    request,
    lesson: Lesson,
    *,
    preview: bool = False,
    results: dict | None = None,
    status: int = 200,
):
    """The lesson page as learners see it; the admin's preview renders drafts through it."""
    for question in lesson.questions.all():
        if question.kind == QuestionKind.MULTIPLE_CHOICE:
            correct = sum(1 for c in question.choices.all() if c.is_correct)
            # Several right answers: checkboxes (the count is all the page says of the key).
            question.input_type = "checkbox" if correct > 1 else "radio"
    context = {
        "lesson": lesson,
        "timeline_rows": timeline_rows(list(lesson.timeline.all())),
        "preview": preview,
        "results": results or {},
        "jsonld": "" if preview else _jsonld(request, lesson),
        "canonical": request.build_absolute_uri(lesson.get_absolute_url()),
    }
    response = render(request, "lessons/lesson_detail.html", context, status=status)
    if preview:
        response["X-Robots-Tag"] = "noindex"
        patch_cache_control(response, private=True, no_store=True)
    return response


def _lesson_stamp(request, slug):
    """(etag, last modified) of a lesson page, in one query; cached on the request."""
    if not hasattr(request, "_lesson_stamp"):
        now = timezone.now()

        def latest(queryset, field="updated_at"):
            return Subquery(queryset.order_by(f"-{field}").values(field)[:1])

        row = (
            Lesson.objects.published()
            .filter(slug=slug)
            .annotate(
                s_changed=Greatest("updated_at", "publish_at"),
                s_concepts=latest(Concept.objects.filter(lessons=OuterRef("pk"))),
                s_concepts_pub=latest(
                    Concept.objects.filter(lessons=OuterRef("pk"), publish_at__lte=now),
                    "publish_at",
                ),
                s_events=latest(Event.objects.filter(lessons=OuterRef("pk"))),
                s_events_pub=latest(
                    Event.objects.filter(lessons=OuterRef("pk"), publish_at__lte=now),
                    "publish_at",
                ),
                s_articles=latest(Article.objects.filter(excerpts__sections__lesson=OuterRef("pk"))),
                s_sections=latest(Section.objects.filter(lesson=OuterRef("pk")), "id"),
                s_questions=latest(Question.objects.filter(lesson=OuterRef("pk")), "id"),
            )
            .values_list(
                "pk", "version", "s_changed", "s_concepts", "s_concepts_pub", "s_events",
                "s_events_pub", "s_articles", "s_sections", "s_questions",
            )
            .first()
        )  # fmt: skip
        if row is None:
            request._lesson_stamp = (None, None)
        else:
            last = max(v for v in row[2:] if hasattr(v, "timestamp"))
            key = "-".join(str(v.timestamp() if hasattr(v, "timestamp") else v) for v in row)
            # A stable digest (not hash(): it differs between processes and restarts).
            digest = hashlib.sha256(key.encode()).hexdigest()[:20]
            request._lesson_stamp = (f'"l{digest}"', last)
    return request._lesson_stamp


def _published_lesson(slug: str) -> Lesson:
    try:
        return selectors.lesson_with_content(Lesson.objects.published()).get(slug=slug)
    except Lesson.DoesNotExist as exc:
        raise Http404("No such lesson.") from exc


@condition(
    etag_func=lambda request, slug: _lesson_stamp(request, slug)[0],
    last_modified_func=lambda request, slug: _lesson_stamp(request, slug)[1],
)
def lesson_detail(request, slug):
    return render_lesson(request, _published_lesson(slug))


def _answer_from_post(request, question: Question) -> list:
    """The answer as answer_check takes it: choice ids, or event ids in the order given."""
    if question.kind == QuestionKind.MULTIPLE_CHOICE:
        return request.POST.getlist("choice")
    events = list(question.events.all())
    places = {}
    for event in events:
        value = request.POST.get(f"position-{event.pk}", "")
        if not value.isdigit() or not 1 <= int(value) <= len(events):
            raise services.AnswerError(
                f"Give “{event.title}” a place from 1 to {len(events)}.", code="invalid"
            )
        places[event.pk] = int(value)
    if len(set(places.values())) != len(places):
        raise services.AnswerError(
            f"Give each event a different place, from 1 to {len(events)}.", code="duplicate"
        )
    return sorted(places, key=places.get)


# Checking an answer changes nothing on the server, so it needs no CSRF token; without one
# the lesson page is the same for everyone, which keeps its ETag and 304s honest.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def answer(request, slug, question_id):
    lesson = _published_lesson(slug)
    question = next((q for q in lesson.questions.all() if q.pk == question_id), None)
    if question is None:
        raise Http404("No such question in this lesson.")
    if request.method == "GET":
        return redirect(f"{lesson.get_absolute_url()}#q-{question.pk}")
    given = {}
    try:
        answer_ids = _answer_from_post(request, question)
        if question.kind == QuestionKind.MULTIPLE_CHOICE:
            given = {"choices": {str(i) for i in answer_ids}}
        else:
            given = {"positions": {pk: i for i, pk in enumerate(answer_ids, 1)}}
        result = services.answer_check(question=question, answer=answer_ids)
        outcome, status = {"result": result, "given": given}, 200
    except services.AnswerError as exc:
        outcome, status = {"error": exc.messages[0], "given": given}, 400
    if request.headers.get("Accept", "").startswith("application/json"):
        html = render_to_string(
            "lessons/_feedback.html", {"question": question, "outcome": outcome}, request
        )
        return JsonResponse(
            {"correct": bool(outcome.get("result") and outcome["result"].correct), "html": html},
            status=status,
        )
    return render_lesson(request, lesson, results={question.pk: outcome}, status=status)


@vary_on_cookie
def lesson_print(request, slug):
    lesson = _published_lesson(slug)
    show_key = request.user.is_authenticated and request.user.has_perm("lessons.view_answer_key")
    response = render(
        request,
        "lessons/lesson_print.html",
        {
            "lesson": lesson,
            "show_key": show_key,
            "canonical": request.build_absolute_uri(lesson.get_absolute_url()),
        },
    )
    if show_key:
        patch_cache_control(response, private=True, no_store=True)
    return response


def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /api/",
        "Disallow: /search/",
        f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


def favicon(request):
    """Browsers ask for /favicon.ico on pages that name no icon (the admin's)."""
    return redirect(static("img/favicon.svg"), permanent=True)
