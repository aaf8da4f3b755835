"""Full-text search over published content, ranked, with stemming and highlighted snippets.

SQLite: FTS5 with the porter stemmer (bm25 ranking, ``snippet()``). PostgreSQL: the stored
tsvector with its GIN index (``ts_rank``, ``ts_headline``). Either way the publication state
of the content is checked in the same query, so drafts and scheduled content are never found.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db import connection
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from search.models import Kind, SearchDocument

START, STOP = "\x02", "\x03"  # highlight markers, replaced by <mark> after escaping
MAX_QUERY_WORDS = 12
KINDS = tuple(Kind.values)


PER_KIND = 8  # hits per kind on the first page of results
PAGE_SIZE = 20  # hits per page when one kind is browsed
MAX_PAGE = 500
# bm25 column weights on SQLite and ts_rank's D, C, B, A weights on PostgreSQL: titles first,
# then other names (aliases, author, place), then the text, then its hidden other forms.
SQLITE_WEIGHTS = (10.0, 4.0, 1.0, 0.5)
POSTGRES_WEIGHTS = [0.05, 0.3, 0.6, 1.0]


def _words(query: str) -> list[str]:
    return re.findall(r"\w+", query or "")[:MAX_QUERY_WORDS]


def _live(kind: str):
    """The live versions' model of a kind and the column naming the item it is of."""
    live = SearchDocument._meta.get_field(kind).related_model._meta.get_field("live")
    return live.related_model, live.field.attname


def _published_filter(kind: str | None) -> Q:
    """Rows of live versions whose publish time has come (the index holds live ones only):
    the item's key among its kind's public live versions (a small set PostgreSQL hashes once),
    not a chain of joins through the items to their live versions for every match."""
    now = timezone.now()
    condition = Q()
    for k in [kind] if kind else KINDS:
        model, column = _live(k)
        public = model.objects.filter(publish_at__lte=now).values(column)
        condition |= Q(kind=k, **{f"{k}_id__in": public})
    return condition


def _candidates(kind: str | None):
    return SearchDocument.objects.filter(_published_filter(kind))


# --- SQLite: FTS5 -------------------------------------------------------------------------


def _fts_query(words: list[str]) -> str:
    # Every word quoted: the user's text is never read as FTS5 query syntax.
    return " ".join('"' + w.replace('"', "") + '"' for w in words)


def _sqlite_matches(words, kind) -> tuple[str, list]:
    """FROM and WHERE of the published rows that match: each match joined to its live version
    by its key. (A subquery of every published row, ``d.id IN (…)``, was built whole for each
    search: a scan of the index's every row, whatever the words.)"""
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    joins, published, params = [], [], []
    for k in [kind] if kind else KINDS:
        model, column = _live(k)
        table = model._meta.db_table
        joins.append(f'LEFT JOIN "{table}" live_{k} ON live_{k}."{column}" = d."{k}_id"')
        published.append(f"(d.kind = %s AND live_{k}.publish_at <= %s)")
        params += [k, now]
    sql = (
        "FROM search_fts JOIN search_searchdocument d ON d.id = search_fts.rowid "
        f"{' '.join(joins)} WHERE search_fts MATCH %s AND ({' OR '.join(published)})"
    )
    return sql, [_fts_query(words), *params]


def _sqlite_ranked(words, kind, *, per_kind, offset):
    """[(id, kind, n, total)] best first: up to ``per_kind`` of each kind (offset within one
    kind), each with its place and the number of matches of its kind; the best of each kind
    comes too when it is not on the page, so that every kind's number is known."""
    matches, params = _sqlite_matches(words, kind)
    weights = ", ".join(str(w) for w in SQLITE_WEIGHTS)
    sql = (
        "SELECT id, kind, n, total FROM ("  # noqa: S608 (the parts are ours; words are params)
        "SELECT id, kind, ROW_NUMBER() OVER (PARTITION BY kind ORDER BY score, id) AS n, "
        "COUNT(*) OVER (PARTITION BY kind) AS total FROM ("
        f"SELECT d.id AS id, d.kind AS kind, bm25(search_fts, {weights}) * d.weight AS score "
        f"{matches})) WHERE (n > %s AND n <= %s) OR n = 1 ORDER BY kind, n"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, offset, offset + per_kind])
        return cursor.fetchall()


def _sqlite_snippets(words, ids) -> dict[int, str]:
    if not ids:
        return {}
    marks = ", ".join(["%s"] * len(ids))
    sql = (
        "SELECT rowid, snippet(search_fts, 2, char(2), char(3), '…', 24) "  # noqa: S608
        f"FROM search_fts WHERE search_fts MATCH %s AND rowid IN ({marks})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [_fts_query(words), *ids])
        return {row[0]: row[1] or "" for row in cursor.fetchall()}


def _sqlite_counts(words, kind) -> dict[str, int]:
    matches, params = _sqlite_matches(words, kind)
    sql = f"SELECT d.kind, COUNT(*) {matches} GROUP BY d.kind"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return dict(cursor.fetchall())


# --- PostgreSQL: tsvector -----------------------------------------------------------------


def _pg_query(words):
    from django.contrib.postgres.search import SearchQuery

    from search.services import fold

    return SearchQuery(fold(" ".join(words)), config="english", search_type="plain")


def _pg_ranked(words, kind, *, per_kind, offset):
    return list(_pg_ranked_rows(words, kind, per_kind=per_kind, offset=offset))


def _pg_ranked_rows(words, kind, *, per_kind, offset):
    """The query of ``_pg_ranked`` (bench/search_explain.py shows its plan)."""
    from django.contrib.postgres.search import SearchQuery, SearchRank
    from django.db.models import Count, F, Window
    from django.db.models.functions import RowNumber

    from search.services import fold

    query = _pg_query(words)
    # Ranked by each word on its own (ts_rank of an OR query), not by how close the words
    # stand: else a one-line list of names outranks every sentence that uses them.
    any_word = SearchQuery(" | ".join(fold(w) for w in words), config="english", search_type="raw")
    rows = (
        _candidates(kind)
        .filter(vector=query)
        .annotate(score=SearchRank(F("vector"), any_word, weights=POSTGRES_WEIGHTS) * F("weight"))
        .annotate(
            n=Window(RowNumber(), partition_by=F("kind"), order_by=[F("score").desc(), F("id")]),
            total=Window(Count("id"), partition_by=F("kind")),
        )
        .filter(Q(n__gt=offset, n__lte=offset + per_kind) | Q(n=1))
        .order_by("kind", "n")
        .values_list("id", "kind", "n", "total")
    )
    return rows


def _pg_snippets(words, ids) -> dict[int, str]:
    from django.contrib.postgres.search import SearchHeadline

    if not ids:
        return {}
    query = _pg_query(words)
    rows = (
        SearchDocument.objects.filter(id__in=ids)
        .annotate(
            snippet=SearchHeadline(
                "body",
                query,
                config="english",
                start_sel=START,
                stop_sel=STOP,
                max_words=35,
                min_words=15,
                fragment_delimiter=" … ",
                max_fragments=2,
            )
        )
        .values_list("id", "snippet")
    )
    return dict(rows)


def _pg_counts(words, kind) -> dict[str, int]:
    return dict(_pg_counts_rows(words, kind))


def _pg_counts_rows(words, kind):
    """The query of ``_pg_counts`` (bench/search_explain.py shows its plan)."""
    from django.db.models import Count

    return (
        _candidates(kind)
        .filter(vector=_pg_query(words))
        .values("kind")
        .annotate(n=Count("id"))
        .values_list("kind", "n")
    )


def _ranked(words, kind, *, per_kind, offset=0):
    if connection.vendor == "postgresql":
        return _pg_ranked(words, kind, per_kind=per_kind, offset=offset)
    return _sqlite_ranked(words, kind, per_kind=per_kind, offset=offset)


def _snippets(words, ids):
    if connection.vendor == "postgresql":
        return _pg_snippets(words, ids)
    return _sqlite_snippets(words, ids)


def _counts(words, kind):
    if connection.vendor == "postgresql":
        return _pg_counts(words, kind)
    return _sqlite_counts(words, kind)


def highlight(snippet: str) -> SafeString:
    """A snippet with its markers turned into <mark>, everything else escaped."""
    html = escape(snippet).replace(START, "<mark>").replace(STOP, "</mark>")
    # Collapse markers PostgreSQL or SQLite left unbalanced at a fragment edge.
    if html.count("<mark>") != html.count("</mark>"):
        html = html.replace("<mark>", "").replace("</mark>", "")
    return mark_safe(html)


def ranked_ids(kind: str, query: str) -> list[int]:
    """Ids of published lessons, articles, events or concepts matching ``query``, best first."""
    if kind not in KINDS:
        raise ValueError(f"Unknown kind {kind!r}; expected one of {', '.join(KINDS)}.")
    words = _words(query)
    if not words:
        return []
    ranked = [row[0] for row in _ranked(words, kind, per_kind=1000)]
    documents = dict(SearchDocument.objects.filter(id__in=ranked).values_list("id", f"{kind}_id"))
    seen: dict[int, None] = {}
    for doc_id in ranked:
        seen.setdefault(documents[doc_id], None)
    return list(seen)


@dataclass
class Hit:
    kind: str
    obj: object
    title: str
    url: str
    paragraph: int
    snippet: SafeString


@dataclass
class Results:
    groups: dict[str, list[Hit]]
    counts: dict[str, int]  # matches of each kind, on all pages
    kind: str | None = None  # the one kind browsed, page by page
    page: int = 1
    pages: int = 1
    suggestion: str = ""  # "Did you mean": a query that finds something

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def search(query: str, *, kind: str | None = None, page: int = 1) -> Results:
    """Hits grouped by kind (articles at paragraph level), best first.

    Without ``kind``, the best few of every kind, so that lessons and events are never pushed
    out by many paragraphs; with it, that kind page by page. Runs a fixed number of queries
    whatever the data. When nothing is found, ``suggestion`` is a query with each word that
    the index does not know replaced by the most similar word it does, if that finds anything.
    """
    if kind is not None and kind not in KINDS:
        raise ValueError(f"Unknown kind {kind!r}; expected one of {', '.join(KINDS)}.")
    words = _words(query)
    empty = Results({k: [] for k in KINDS}, {}, kind)
    if not words:
        return empty
    page = max(1, min(page, MAX_PAGE))
    size = PAGE_SIZE if kind else PER_KIND
    # One pass over the matches gives the page and each kind's number of matches (a count
    # first, then the ranking, read every match twice).
    rows = _ranked(words, kind, per_kind=size, offset=(page - 1) * size if kind else 0)
    counts = {row_kind: total for _id, row_kind, _n, total in rows}
    if not counts:
        empty.suggestion = did_you_mean(query)
        return empty
    pages = max(1, -(-counts.get(kind, 0) // PAGE_SIZE)) if kind else 1
    if page > pages:  # past the last page: the last page
        page = pages
        rows = _ranked(words, kind, per_kind=size, offset=(page - 1) * size)
    first = (page - 1) * size if kind else 0
    ids = [doc_id for doc_id, _kind, n, _total in rows if first < n <= first + size]
    snippets = _snippets(words, ids)
    # Of each hit's live version only what the hit shows (not its stored content and
    # documents: an article's whole text, read and parsed for every hit).
    live_fields = [f"{k}__live__{name}" for k in KINDS for name in ("slug", TITLE[k])]
    documents = (
        SearchDocument.objects.select_related(*(f"{k}__live" for k in KINDS))
        .only("kind", "paragraph", *KINDS, *(f"{k}__live" for k in KINDS), *live_fields)
        .in_bulk(ids)
    )
    groups: dict[str, list[Hit]] = {k: [] for k in KINDS}
    for doc_id in ids:
        doc = documents[doc_id]
        live_row = getattr(doc, doc.kind).live  # what learners read: its title and address
        url = reverse(PAGES[doc.kind], kwargs={"slug": live_row.slug})
        title = getattr(live_row, TITLE[doc.kind])
        if doc.kind == Kind.ARTICLE and doc.paragraph:
            url += f"#p{doc.paragraph}"
        snippet = highlight(snippets.get(doc_id, ""))
        groups[doc.kind].append(Hit(doc.kind, live_row, title, url, doc.paragraph, snippet))
    return Results(groups, counts, kind, page, pages)


TITLE = {Kind.LESSON: "title", Kind.ARTICLE: "title", Kind.EVENT: "title", Kind.CONCEPT: "term"}
PAGES = {
    Kind.LESSON: "learner:lesson_detail",
    Kind.ARTICLE: "learner:article_detail",
    Kind.EVENT: "learner:event_detail",
    Kind.CONCEPT: "learner:concept_detail",
}


def did_you_mean(query: str) -> str:
    """The query with unknown words replaced by the most similar known ones ("Krushchev" →
    "khrushchev"), if that finds anything; "" otherwise. Trigrams: pg_trgm on PostgreSQL, an
    FTS5 trigram table on SQLite."""
    from search import text as search_text
    from search.models import SearchWord

    words = _words(query)
    folded = [search_text.fold_word(w) for w in words]
    known = set(SearchWord.objects.filter(word__in=folded).values_list("word", flat=True))
    changed, result = False, []
    for word in folded:
        if word in known or len(word) < 3 or word.isdigit():
            result.append(word)
            continue
        match = search_text.best_match(word, _similar_words(word))
        if match is None:
            result.append(word)
            continue
        result.append(match)
        changed = True
    if not changed:
        return ""
    suggestion = " ".join(result)
    return suggestion if _counts(_words(suggestion), None) else ""


def _similar_words(word: str, limit: int = 50) -> list[str]:
    from search import text as search_text
    from search.models import SearchWord

    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import TrigramSimilarity

        return list(
            SearchWord.objects.annotate(similarity=TrigramSimilarity("word", word))
            .filter(similarity__gte=search_text.SIMILARITY_THRESHOLD)
            .order_by("-similarity", "word")
            .values_list("word", flat=True)[:limit]
        )
    grams = sorted(g for g in search_text.trigrams(word) if " " not in g)
    if not grams:
        return []
    match = " OR ".join('"' + g.replace('"', "") + '"' for g in grams)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT word FROM search_word_fts WHERE search_word_fts MATCH %s LIMIT 500", [match]
        )
        words = [row[0] for row in cursor.fetchall()]
    words.sort(key=lambda w: -search_text.similarity(word, w))
    return words[:limit]
