"""Writes to the search index: rows per lesson, event, concept and article paragraph."""

from __future__ import annotations

import re
import unicodedata

from django.db import connection, transaction

from search.models import Kind, SearchDocument


def fold(text: str) -> str:
    """The text without diacritics: "Petőfi, Poznań" → "Petofi, Poznan"."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _is_postgres() -> bool:
    return connection.vendor == "postgresql"


_MARKDOWN = re.compile(r"[*_`#>]+|\[|\]\([^)]*\)")


def _plain(text: str) -> str:
    """Markdown source without its markup characters (so snippets read as text)."""
    return _MARKDOWN.sub("", text or "")


def _documents(obj) -> tuple[str, list[SearchDocument]]:
    from history.models import Article, Concept, Event
    from lessons.models import Lesson

    if isinstance(obj, Article):
        rows = [
            SearchDocument(
                kind=Kind.ARTICLE,
                article=obj,
                paragraph=0,
                title=obj.title,
                body=" ".join(filter(None, [obj.kicker, obj.author, obj.publication])),
            )
        ]
        rows += [
            SearchDocument(
                kind=Kind.ARTICLE, article=obj, paragraph=p.number, title="", body=p.text
            )
            for p in obj.paragraphs
            if p.text.strip()
        ]
        return "article", rows
    if isinstance(obj, Event):
        body = "\n".join(
            filter(None, [obj.date_display, obj.place, obj.summary, _plain(obj.description)])
        )
        return "event", [SearchDocument(kind=Kind.EVENT, event=obj, title=obj.title, body=body)]
    if isinstance(obj, Concept):
        body = "\n".join([*obj.aliases, obj.definition, _plain(obj.explanation)])
        return "concept", [
            SearchDocument(kind=Kind.CONCEPT, concept=obj, title=obj.term, body=body)
        ]
    if isinstance(obj, Lesson):
        parts = [obj.central_question, obj.summary, obj.audience, *obj.objectives]
        for section in obj.sections.all():
            parts += [section.heading, _plain(section.body)]
        body = "\n".join(filter(None, parts))
        return "lesson", [SearchDocument(kind=Kind.LESSON, lesson=obj, title=obj.title, body=body)]
    raise TypeError(f"{type(obj).__name__} is not searchable")


@transaction.atomic
def index_object(obj) -> int:
    """Replace the index rows of one lesson, article, event or concept; returns the row count."""
    field, rows = _documents(obj)
    _fold(rows)
    SearchDocument.objects.filter(**{field: obj}).delete()
    created = SearchDocument.objects.bulk_create(rows)
    if _is_postgres():
        _fill_vectors(SearchDocument.objects.filter(**{field: obj}))
    return len(created)


def _fold(rows: list[SearchDocument]) -> None:
    if _is_postgres():
        for row in rows:
            row.folded = fold(row.title) + "\n\n" + fold(row.body)


def _fill_vectors(queryset) -> None:
    """Title words weigh more than body words (A over B); both read without diacritics."""
    from django.contrib.postgres.search import SearchVector
    from django.db.models import F, Value
    from django.db.models.functions import Left, Length, Right, StrIndex

    separator = StrIndex(F("folded"), Value("\n\n"))
    queryset.update(
        vector=SearchVector(Left("folded", separator - 1), weight="A", config="english")
        + SearchVector(
            Right("folded", Length("folded") - separator - 1), weight="B", config="english"
        )
    )


@transaction.atomic
def rebuild_index() -> dict[str, int]:
    """Index everything again (all states: publication is checked when searching)."""
    from history.models import Article, Concept, Event
    from lessons.models import Lesson

    SearchDocument.objects.all().delete()
    counts = {}
    for label, queryset in (
        ("lesson", Lesson.objects.prefetch_related("sections")),
        ("article", Article.objects.all()),
        ("event", Event.objects.all()),
        ("concept", Concept.objects.all()),
    ):
        rows = []
        for obj in queryset.iterator(chunk_size=200):
            rows += _documents(obj)[1]
        _fold(rows)
        SearchDocument.objects.bulk_create(rows, batch_size=500)
        counts[label] = len(rows)
    if _is_postgres():
        _fill_vectors(SearchDocument.objects.all())
    return counts
