"""Writes to the search index: rows per lesson, event, concept and article paragraph."""

from __future__ import annotations

import re
import unicodedata

from django.db import connection, transaction

from history import dates, text
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


def _documents(obj, document=SearchDocument) -> tuple[str, list[SearchDocument]]:
    """The index rows of one object. Reads fields only (with the pure text and date helpers),
    so that a migration can index its historical models too."""
    label = obj._meta.label_lower
    if label == "history.article":
        rows = [
            document(
                kind=Kind.ARTICLE,
                article=obj,
                paragraph=0,
                title=obj.title,
                body=" ".join(filter(None, [obj.kicker, obj.author, obj.publication])),
            )
        ]
        rows += [
            document(kind=Kind.ARTICLE, article=obj, paragraph=p.number, title="", body=p.text)
            for p in text.split_paragraphs(obj.body)
            if p.text.strip()
        ]
        return "article", rows
    if label == "history.event":
        when = dates.format_edtf(obj.date_edtf) if obj.date_edtf else ""
        parts = [when, obj.place, obj.summary, _plain(obj.description)]
        body = "\n".join(filter(None, parts))
        return "event", [document(kind=Kind.EVENT, event=obj, title=obj.title, body=body)]
    if label == "history.concept":
        body = "\n".join([*obj.aliases, obj.definition, _plain(obj.explanation)])
        return "concept", [document(kind=Kind.CONCEPT, concept=obj, title=obj.term, body=body)]
    if label == "lessons.lesson":
        parts = [obj.central_question, obj.summary, obj.audience, *obj.objectives]
        for section in obj.sections.all():
            parts += [section.heading, _plain(section.body)]
        body = "\n".join(filter(None, parts))
        return "lesson", [document(kind=Kind.LESSON, lesson=obj, title=obj.title, body=body)]
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
def rebuild_index(*, apps=None) -> dict[str, int]:
    """Index everything again (all states: publication is checked when searching).

    ``apps`` is a migration's app registry when a migration calls it; the project's otherwise.
    """
    if apps is None:
        from django.apps import apps
    document = apps.get_model("search", "SearchDocument")
    document.objects.all().delete()
    counts = {}
    for label, queryset in (
        ("lesson", apps.get_model("lessons", "Lesson").objects.prefetch_related("sections")),
        ("article", apps.get_model("history", "Article").objects.all()),
        ("event", apps.get_model("history", "Event").objects.all()),
        ("concept", apps.get_model("history", "Concept").objects.all()),
    ):
        rows = []
        for obj in queryset.iterator(chunk_size=200):
            rows += _documents(obj, document)[1]
        _fold(rows)
        document.objects.bulk_create(rows, batch_size=500)
        counts[label] = len(rows)
    if _is_postgres():
        _fill_vectors(document.objects.all())
    return counts
