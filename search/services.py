"""Writes to the search index: rows per lesson, event, concept and article paragraph."""

from __future__ import annotations

import re

from django.db import connection, transaction

from history import dates, structure, text
from search import text as search_text
from search.models import Kind, SearchDocument, SearchWord

# Folding for PostgreSQL's stored text ("Petőfi, Gomułka" → "Petofi, Gomulka"); SQLite's FTS5
# removes diacritics itself and finds the other forms in the ``extra`` column.
fold = search_text.fold


def _is_postgres() -> bool:
    return connection.vendor == "postgresql"


_MARKDOWN = re.compile(r"[*_`#>]+|\[|\]\([^)]*\)")


def _plain(text: str) -> str:
    """Markdown source without its markup characters (so snippets read as text)."""
    return _MARKDOWN.sub("", text or "")


def row(document=SearchDocument, **fields):
    """One index row. Fields a historical model (in a migration) lacks are left out; the
    hidden forms (``extra``) are derived here, whatever the source of the row."""
    names = {f.name for f in document._meta.get_fields()}
    if "extra" in names:
        fields["extra"] = search_text.extra_terms(
            fields.get("title", ""), fields.get("keywords", ""), fields.get("body", "")
        )
    return document(**{k: v for k, v in fields.items() if k in names})


def _documents(obj, document=SearchDocument) -> tuple[str, list[SearchDocument]]:
    """The index rows of one object. Reads fields only (with the pure text and date helpers),
    so that a migration can index its historical models too."""
    label = obj._meta.label_lower
    if label == "history.article":
        rows = [
            row(
                document,
                kind=Kind.ARTICLE,
                article=obj,
                paragraph=0,
                title=obj.title,
                keywords=" ".join(filter(None, [obj.author, obj.publication])),
                body=obj.kicker,
                weight=search_text.SHORT,
            )
        ]
        blocks = getattr(obj, "blocks", None) or []
        if not structure.fits(blocks, obj.body):
            blocks = structure.paragraphs_as_blocks(obj.body)
        for p, block in zip(text.split_paragraphs(obj.body), blocks, strict=True):
            if not p.text.strip():
                continue
            rows.append(
                row(
                    document,
                    kind=Kind.ARTICLE,
                    article=obj,
                    paragraph=p.number,
                    title="",
                    body=p.text,
                    weight=search_text.row_weight(p.text, kind=block.get("type", "paragraph")),
                )
            )
        return "article", rows
    if label == "history.event":
        when = dates.format_edtf(obj.date_edtf) if obj.date_edtf else ""
        body = "\n".join(filter(None, [obj.summary, _plain(obj.description)]))
        return "event", [
            row(
                document,
                kind=Kind.EVENT,
                event=obj,
                title=obj.title,
                keywords=" ".join(filter(None, [when, obj.place])),
                body=body,
            )
        ]
    if label == "history.concept":
        body = "\n".join(filter(None, [obj.definition, _plain(obj.explanation)]))
        return "concept", [
            row(
                document,
                kind=Kind.CONCEPT,
                concept=obj,
                title=obj.term,
                keywords="\n".join(obj.aliases),
                body=body,
            )
        ]
    if label == "lessons.lesson":
        parts = [obj.central_question, obj.summary, *obj.objectives]
        for section in obj.sections.all():
            parts += [section.heading, _plain(section.body)]
        body = "\n".join(filter(None, parts))
        return "lesson", [
            row(
                document,
                kind=Kind.LESSON,
                lesson=obj,
                title=obj.title,
                keywords=obj.audience,
                body=body,
            )
        ]
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
    add_words(rows)
    return len(created)


# The folded text's parts on PostgreSQL, in the order of their weights (A, B, C, D).
SEPARATOR = "\x1e"


def _fold(rows: list[SearchDocument]) -> None:
    if _is_postgres():
        for item in rows:
            item.folded = SEPARATOR.join(
                fold(getattr(item, name, "") or "")
                for name in ("title", "keywords", "body", "extra")
            )


def _fill_vectors(queryset) -> None:
    """Titles weigh most (A), then other names (B), then the text (C) and its other forms (D);
    all read without diacritics."""
    from django.contrib.postgres.search import SearchVector
    from django.db.models import Func, IntegerField, TextField, Value

    def part(n):
        return Func(
            "folded",
            Value(SEPARATOR, output_field=TextField()),
            Value(n, output_field=IntegerField()),
            function="split_part",
            output_field=TextField(),
        )

    queryset.update(
        vector=SearchVector(part(1), weight="A", config="english")
        + SearchVector(part(2), weight="B", config="english")
        + SearchVector(part(3), weight="C", config="english")
        + SearchVector(part(4), weight="D", config="english")
    )


MAX_WORD = 100


def add_words(rows, word_model=SearchWord) -> None:
    """Keep the words of these rows for “Did you mean” (folded; words are never removed: one
    that no longer finds anything is never suggested, as suggestions are tried first)."""
    words = set()
    for item in rows:
        for name in ("title", "keywords", "body"):
            for match in search_text.WORD.finditer(getattr(item, name, "") or ""):
                word = search_text.fold_word(match.group())
                if 3 <= len(word) <= MAX_WORD and not word.isdigit():
                    words.add(word)
    if words:
        word_model.objects.bulk_create(
            [word_model(word=w) for w in words], ignore_conflicts=True, batch_size=1000
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
    try:
        word_model = apps.get_model("search", "SearchWord")
    except LookupError:
        word_model = None
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
        if word_model is not None:
            add_words(rows, word_model)
        counts[label] = len(rows)
    if _is_postgres():
        _fill_vectors(document.objects.all())
    return counts
