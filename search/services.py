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


def _documents(kind: str, obj_id: int, content: dict) -> list[SearchDocument]:
    """The index rows of one live version, from its stored content (what learners read)."""
    if kind == Kind.ARTICLE:
        rows = [
            SearchDocument(
                kind=Kind.ARTICLE,
                article_id=obj_id,
                paragraph=0,
                title=content["title"],
                body=" ".join(
                    filter(None, [content["kicker"], content["author"], content["publication"]])
                ),
            )
        ]
        rows += [
            SearchDocument(
                kind=Kind.ARTICLE, article_id=obj_id, paragraph=p.number, title="", body=p.text
            )
            for p in text.split_paragraphs(content["body"])
            if p.text.strip()
        ]
        return rows
    if kind == Kind.EVENT:
        when = dates.format_edtf(content["date_edtf"]) if content["date_edtf"] else ""
        parts = [when, content["place"], content["summary"], _plain(content["description"])]
        body = "\n".join(filter(None, parts))
        return [SearchDocument(kind=Kind.EVENT, event_id=obj_id, title=content["title"], body=body)]
    if kind == Kind.CONCEPT:
        body = "\n".join(
            [*content["aliases"], content["definition"], _plain(content["explanation"])]
        )
        return [
            SearchDocument(kind=Kind.CONCEPT, concept_id=obj_id, title=content["term"], body=body)
        ]
    if kind == Kind.LESSON:
        parts = [
            content["central_question"],
            content["summary"],
            content["audience"],
            *content["objectives"],
        ]
        for section in content["sections"]:
            parts += [section["heading"], _plain(section["body"])]
        body = "\n".join(filter(None, parts))
        return [
            SearchDocument(kind=Kind.LESSON, lesson_id=obj_id, title=content["title"], body=body)
        ]
    raise TypeError(f"{kind} is not searchable")


def on_live_change(changes) -> None:
    """Live versions appeared, changed or went: index them again."""
    for model, ids in changes.items():
        index_live(model, ids)


def index_live(model, ids) -> int:
    """Index the live versions of these items again (or drop their rows if they went)."""
    from publishing import live

    kind = KIND_OF.get(model._meta.label_lower)
    if kind is None:
        return 0
    live_kind = live.kind_of(model)
    rows = []
    with transaction.atomic():
        SearchDocument.objects.filter(**{f"{kind}_id__in": ids}).delete()
        for obj_id, content in live_kind.live_model.objects.filter(
            **{f"{live_kind.link}_id__in": ids}
        ).values_list(f"{live_kind.link}_id", "content"):
            rows += _documents(kind, obj_id, content)
        _fold(rows)
        SearchDocument.objects.bulk_create(rows)
        if _is_postgres() and rows:
            _fill_vectors(SearchDocument.objects.filter(**{f"{kind}_id__in": ids}))
    return len(rows)


KIND_OF = {
    "lessons.lesson": Kind.LESSON,
    "history.article": Kind.ARTICLE,
    "history.event": Kind.EVENT,
    "history.concept": Kind.CONCEPT,
}


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
    """Index every live version again (after a restore, or to repair the index)."""
    from publishing import live

    SearchDocument.objects.all().delete()
    counts = {}
    for live_kind in live.kinds():
        kind = KIND_OF[live_kind.label]
        ids = list(live_kind.live_model.objects.values_list(f"{live_kind.link}_id", flat=True))
        counts[kind] = sum(
            index_live(live_kind.model, ids[i : i + 200]) for i in range(0, len(ids), 200)
        )
    return counts
