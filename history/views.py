"""Learner pages for sources: articles, events and concepts (published only)."""

from django.http import Http404
from django.shortcuts import get_object_or_404, render

from history import selectors
from history.models import Article, Concept, Event


def article_detail(request, slug):
    try:
        article = selectors.article_public_detail(slug=slug)
    except Article.DoesNotExist as exc:
        raise Http404("No such article.") from exc
    return render(request, "history/article_detail.html", {"article": article})


def event_detail(request, slug):
    event = get_object_or_404(Event.objects.published(), slug=slug)
    return render(request, "history/event_detail.html", {"event": event})


def concept_detail(request, slug):
    concept = get_object_or_404(Concept.objects.published(), slug=slug)
    return render(request, "history/concept_detail.html", {"concept": concept})
