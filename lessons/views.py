"""Learner pages for lessons (published only)."""

from django.http import Http404
from django.shortcuts import render

from lessons import selectors
from lessons.models import Lesson


def home(request):
    return render(request, "lessons/home.html", {"lessons": selectors.lessons_public()})


def render_lesson(request, lesson: Lesson, *, preview: bool = False):
    """The lesson page as learners see it; the admin's preview renders drafts through it."""
    return render(request, "lessons/lesson_detail.html", {"lesson": lesson, "preview": preview})


def lesson_detail(request, slug):
    try:
        lesson = selectors.lesson_with_content(Lesson.objects.published()).get(slug=slug)
    except Lesson.DoesNotExist as exc:
        raise Http404("No such lesson.") from exc
    return render_lesson(request, lesson)
