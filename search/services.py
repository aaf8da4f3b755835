"""Writes to the search index: rows per lesson, event, concept and article paragraph.

The index holds what learners can read: live versions, indexed from their stored content when
they are published, changed or withdrawn (``on_live_change``), never a working copy.
"""

from __future__ import annotations

import contextlib
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
    fields_ = document._meta.get_fields()
    names = {f.name for f in fields_} | {f.attname for f in fields_ if hasattr(f, "attname")}
    if "extra" in names:
        fields["extra"] = search_text.extra_terms(
            fields.get("title", ""), fields.get("keywords", ""), fields.get("body", "")
        )
    return document(**{k: v for k, v in fields.items() if k in names})


def _documents(kind: str, obj_id: int, content: dict, document=SearchDocument) -> list:
    """The index rows of one live version, from its stored content (what learners read).
    Reads plain data only (with the pure text and date helpers), so that a migration can
    index with its historical models too."""
    if kind == Kind.ARTICLE:
        rows = [
            row(
                document,
                kind=Kind.ARTICLE,
                article_id=obj_id,
                paragraph=0,
                title=content["title"],
                keywords=" ".join(filter(None, [content["author"], content["publication"]])),
                body=content["kicker"],
                weight=search_text.SHORT,
            )
        ]
        body = content["body"]
        blocks = content.get("blocks") or []
        if not structure.fits(blocks, body):
            blocks = structure.paragraphs_as_blocks(body)
        for p, block in zip(text.split_paragraphs(body), blocks, strict=True):
            if not p.text.strip():
                continue
            rows.append(
                row(
                    document,
                    kind=Kind.ARTICLE,
                    article_id=obj_id,
                    paragraph=p.number,
                    title="",
                    body=p.text,
                    weight=search_text.row_weight(p.text, kind=block.get("type", "paragraph")),
                )
            )
        return rows
    if kind == Kind.EVENT:
        when = ""
        if content["date_edtf"]:
            try:
                when = dates.format_edtf(content["date_edtf"])
            except dates.DateError:
                when = content["date_edtf"]
        body = "\n".join(filter(None, [content["summary"], _plain(content["description"])]))
        keywords = " ".join(filter(None, [when, content["place"]]))
        return [
            row(
                document,
                kind=Kind.EVENT,
                event_id=obj_id,
                title=content["title"],
                keywords=keywords,
                body=body,
            )
        ]
    if kind == Kind.CONCEPT:
        body = "\n".join(filter(None, [content["definition"], _plain(content["explanation"])]))
        return [
            row(
                document,
                kind=Kind.CONCEPT,
                concept_id=obj_id,
                title=content["term"],
                keywords="\n".join(content["aliases"]),
                body=body,
            )
        ]
    if kind == Kind.LESSON:
        parts = [content["central_question"], content["summary"], *content["objectives"]]
        for section in content["sections"]:
            parts += [section["heading"], _plain(section["body"])]
        return [
            row(
                document,
                kind=Kind.LESSON,
                lesson_id=obj_id,
                title=content["title"],
                keywords=content["audience"],
                body="\n".join(filter(None, parts)),
            )
        ]
    raise TypeError(f"{kind} is not searchable")


# Where each kind's live versions are: (app, live model, its link to the working copy).
LIVE = {
    Kind.LESSON: ("lessons", "LiveLesson", "lesson"),
    Kind.ARTICLE: ("history", "LiveArticle", "article"),
    Kind.EVENT: ("history", "LiveEvent", "event"),
    Kind.CONCEPT: ("history", "LiveConcept", "concept"),
}
KIND_OF = {
    "lessons.lesson": Kind.LESSON,
    "history.article": Kind.ARTICLE,
    "history.event": Kind.EVENT,
    "history.concept": Kind.CONCEPT,
}


def on_live_change(changes) -> None:
    """Live versions appeared, changed or went: index them again (publishing.live's hook)."""
    for model, ids in changes.items():
        kind = KIND_OF.get(model._meta.label_lower)
        if kind is not None:
            index_live(kind, ids)


@transaction.atomic
def index_live(kind: str, ids, *, apps=None) -> int:
    """Index the live versions of these items again (or drop their rows if they went)."""
    if apps is None:
        from django.apps import apps
    document = apps.get_model("search", "SearchDocument")
    app, model_name, link = LIVE[kind]
    live_model = apps.get_model(app, model_name)
    ids = list(ids)
    document.objects.filter(**{f"{kind}_id__in": ids}).delete()
    rows = []
    for obj_id, content in live_model.objects.filter(**{f"{link}_id__in": ids}).values_list(
        f"{link}_id", "content"
    ):
        rows += _documents(kind, obj_id, content, document)
    _fold(rows)
    document.objects.bulk_create(rows, batch_size=500)
    if _is_postgres() and rows:
        _fill_vectors(document.objects.filter(**{f"{kind}_id__in": ids}))
    with contextlib.suppress(LookupError):
        add_words(rows, apps.get_model("search", "SearchWord"))
    return len(rows)


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
    """Index every live version again (after a restore, or to repair the index).

    ``apps`` is a migration's app registry when a migration calls it; the project's otherwise.
    """
    if apps is None:
        from django.apps import apps
    apps.get_model("search", "SearchDocument").objects.all().delete()
    counts = {}
    for kind, (app, model_name, link) in LIVE.items():
        ids = list(apps.get_model(app, model_name).objects.values_list(f"{link}_id", flat=True))
        counts[kind] = sum(
            index_live(kind, ids[i : i + 200], apps=apps) for i in range(0, len(ids), 200)
        )
    return counts
