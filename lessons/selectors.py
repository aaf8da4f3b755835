"""Reads of lessons, with their joins done."""

from django.db.models import Prefetch, QuerySet

from history.models import Concept, Event
from lessons.models import Choice, Lesson, Question, Section


def lessons_public() -> QuerySet[Lesson]:
    return Lesson.objects.published().order_by("title")


def lesson_with_content(queryset: QuerySet[Lesson]) -> QuerySet[Lesson]:
    """Everything a lesson page shows, fetched in a fixed number of queries."""
    return queryset.prefetch_related(
        Prefetch(
            "sections",
            queryset=Section.objects.select_related("excerpt__article").order_by("position", "id"),
        ),
        Prefetch(
            "questions",
            queryset=Question.objects.select_related("excerpt__article")
            .prefetch_related(
                Prefetch("choices", queryset=Choice.objects.order_by("position", "id")),
                Prefetch("events", queryset=Event.objects.order_by("title")),
            )
            .order_by("position", "id"),
        ),
        Prefetch(
            "vocabulary", queryset=Concept.objects.published().order_by("collation_key", "term")
        ),
        Prefetch("timeline", queryset=Event.objects.published().chronological()),
    )
