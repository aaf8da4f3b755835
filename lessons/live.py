"""Live versions of lessons: built when they are published, rebuilt when what they show changes.

Besides the public document and list entry, a live lesson keeps its sections, questions and
choices as the public API gives them alone (``LivePart``) and the passages it quotes,
anchored in their articles' live text (``LiveQuote``: the highlighted passages of an article's
page, the public excerpts and their annotations).
"""

from __future__ import annotations

from datetime import datetime

from history.live import public_meta, sort_key, stored_context
from history.models import Article, Concept, Event
from lessons import content as views
from lessons.api import serializers as s
from lessons.models import Lesson, LiveLesson, LivePart, LiveQuote, PartKind
from publishing import live
from publishing.viewer import Viewer, redact


def public_view(row: LiveLesson, resolver: live.Resolver) -> dict:
    """The lesson as an anonymous learner sees it."""
    viewer = Viewer.public()
    content = redact(row.content, viewer)
    return redact(views.lesson_view(content, resolver, public_meta(row)), viewer)


def build_lesson(row: LiveLesson, now: datetime):
    resolver = live.LiveResolver(now)
    view = public_view(row, resolver)
    content = row.content
    context = stored_context()
    row.title, row.level = content["title"], content["level"]
    row.sort_key = sort_key(content["title"])
    row.duration_minutes = content["duration_minutes"]
    row.data = live.dumps(s.LessonSerializer(view, context=context).data)
    row.summary = live.dumps(s.LessonListSerializer(view, context=context).data)
    row.etag = live.etag_of(row.data)
    row.stale_after = resolver.stale_after

    def finish():
        row.vocabulary.set(content["vocabulary"])
        row.timeline.set(content["timeline"])
        row.events.set({e for q in content["questions"] for e in q["events"]})
        quoted = [p["excerpt"] for p in [*content["sections"], *content["questions"]]]
        row.articles.set({q["article"] for q in quoted if q})
        _store_parts(row, view, context)

    return finish


def _store_parts(row: LiveLesson, view: dict, context: dict) -> None:
    LivePart.objects.filter(lesson=row).delete()
    LiveQuote.objects.filter(lesson=row).delete()
    parts, quotes = [], []
    for section in view["sections"]:
        parts.append(
            LivePart(
                lesson=row,
                kind=PartKind.SECTION,
                object_id=section["id"],
                position=section["position"],
                data=live.dumps(s.SectionSerializer(section, context=context).data),
            )
        )
        quotes.append((section["excerpt"], {"section_id": section["id"]}))
    for question in view["questions"]:
        parts.append(
            LivePart(
                lesson=row,
                kind=PartKind.QUESTION,
                object_id=question["id"],
                position=question["position"],
                question_kind=question["kind"],
                data=live.dumps(s.QuestionSerializer(question, context=context).data),
            )
        )
        for number, choice in enumerate(question["choices"], 1):
            parts.append(
                LivePart(
                    lesson=row,
                    kind=PartKind.CHOICE,
                    object_id=choice["id"],
                    parent_id=question["id"],
                    position=number,
                    data=live.dumps(s.ChoiceSerializer(choice, context=context).data),
                )
            )
        quotes.append((question["excerpt"], {"question_id": question["id"]}))
    LivePart.objects.bulk_create(parts)
    LiveQuote.objects.bulk_create(
        LiveQuote(
            lesson=row,
            article_id=excerpt["article"]["id"],
            excerpt_id=excerpt["id"],
            exact=excerpt["exact"],
            prefix=excerpt["prefix"],
            suffix=excerpt["suffix"],
            start=excerpt["start"],
            end=excerpt["end"],
            anchor_status=excerpt["anchor_status"],
            data=live.dumps(s.ExcerptSerializer(excerpt, context=context).data),
            **where,
        )
        for excerpt, where in quotes
        if excerpt is not None
    )


def rebuild_dependents(changes: dict[type, set[int]]) -> None:
    """Rebuild the live lessons that show a concept, event or article that changed."""
    lessons = set()
    for model, fields in (
        (Concept, ["vocabulary"]),
        (Event, ["timeline", "events"]),
        (Article, ["articles"]),
    ):
        ids = changes.get(model)
        for field in fields if ids else []:
            lessons |= set(
                LiveLesson.objects.filter(**{f"{field}__in": ids}).values_list(
                    "lesson_id", flat=True
                )
            )
    live.rebuild(Lesson, lessons)


def register() -> None:
    live.register(
        Lesson,
        live_model=LiveLesson,
        link="lesson",
        content=views.lessons_content,
        build=build_lesson,
    )
    live.on_change("data", rebuild_dependents)
