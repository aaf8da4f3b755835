"""Full-text search over published content, ranked, with stemming and highlighted snippets.

SQLite: FTS5 with the porter stemmer (bm25 ranking, ``snippet()``). PostgreSQL: the stored
tsvector with its GIN index (``ts_rank``, ``ts_headline``). Either way the publication state
of the content is checked in the same query, so drafts and scheduled content are never found.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db import connection
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


def _streams(kind: str | None):
    """Per kind searched: (kind, live table, its column naming the item)."""
    for k in [kind] if kind else KINDS:
        model, column = _live(k)
        yield k, model._meta.db_table, column


# Bounded ranking. A common word matches a third of a large corpus's paragraphs, and ranking
# all of them (bm25, ts_rank) read every match: time grew with the corpus. Of each kind, the
# matches in names (titles, other names, authors) and the first matches of the whole text are
# taken, at most CANDIDATES of each, through the full-text index alone; these are ranked, and
# counted up to CANDIDATES + 1 (more is said as "more than 1,000"). Below that number, which
# is every search on a corpus of a few hundred texts and most on any, the ranking is exact.
CANDIDATES = 1000
# The tiers of a kind with more matches than are ranked (SQLite, whose bm25 of a names-only
# match is not comparable with one of the whole text): matches in names first.
TIER = 1e9


def _ranked_sql(streams_sql: str, rank_sql: str, *, joins: str = "") -> str:
    """The ranked page of each kind from its candidates (``c``: id, kind, score, stream;
    stream 1 = the first matches of the whole text, 0 = matches in names), with each kind's
    number of matches (capped) and of ranked candidates. ``joins``: what ``rank_sql`` reads
    beyond the candidates."""
    return (
        f"WITH c AS ({streams_sql}), "  # noqa: S608 (the parts are ours; words are params)
        "t AS (SELECT kind, SUM(stream) AS total FROM c GROUP BY kind), "
        f"u AS (SELECT c.id AS id, c.kind AS kind, {rank_sql} AS score "
        f"FROM c JOIN t ON t.kind = c.kind {joins} GROUP BY c.id, c.kind) "
        "SELECT id, kind, n, total, ranked FROM ("
        "SELECT u.id AS id, u.kind AS kind, t.total AS total, "
        "ROW_NUMBER() OVER (PARTITION BY u.kind ORDER BY u.score, u.id) AS n, "
        "COUNT(*) OVER (PARTITION BY u.kind) AS ranked "
        "FROM u JOIN t ON t.kind = u.kind) r "
        "WHERE (n > %s AND n <= %s) OR n = 1 ORDER BY kind, n"
    )


# --- SQLite: FTS5 -------------------------------------------------------------------------


def _fts_query(words: list[str]) -> str:
    # Every word quoted: the user's text is never read as FTS5 query syntax.
    return " ".join('"' + w.replace('"', "") + '"' for w in words)


def _fts_text(words: list[str]) -> str:
    """The words in the text's columns (not in ``kind``, which says what a row is)."""
    return f"{{title keywords body extra}} : ({_fts_query(words)})"


def _sqlite_ranked(words, kind, *, per_kind, offset):
    """[(id, kind, n, total, ranked)] best first: up to ``per_kind`` of each kind (offset
    within one kind), each with its place, its kind's number of matches (up to CANDIDATES + 1)
    and of ranked candidates; the best of each kind comes too when it is not on the page."""
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    weights = ", ".join(str(w) for w in (*SQLITE_WEIGHTS, 0.0))  # the kind column weighs 0
    phrase = _fts_query(words)
    streams, params = [], []
    for k, table, column in _streams(kind):
        for stream, columns, limit in ((0, "title keywords", CANDIDATES), (1, "", CANDIDATES + 1)):
            match = f'kind : "{k}" AND ' + (
                f"{{{columns}}} : ({phrase})" if columns else _fts_text(words)
            )
            # Newest rows first, in the index's order: the index stops at the limit.
            streams.append(
                "SELECT * FROM (SELECT d.id AS id, d.kind AS kind, "  # noqa: S608
                f"bm25(search_fts, {weights}) * d.weight AS score, {stream} AS stream "
                "FROM search_fts JOIN search_searchdocument d ON d.id = search_fts.rowid "
                f'JOIN "{table}" live ON live."{column}" = d."{k}_id" '
                "WHERE search_fts MATCH %s AND live.publish_at <= %s "
                "ORDER BY search_fts.rowid DESC LIMIT %s)"
            )
            params += [match, now, limit]
    # Below the cap the whole text's matches are all there, scored alike; above it, matches in
    # names come first (their score is of the names alone).
    rank = (
        f"MIN(CASE WHEN t.total > {CANDIDATES} THEN c.stream * {TIER} + c.score "
        "WHEN c.stream = 1 THEN c.score END)"
    )
    sql = _ranked_sql(" UNION ALL ".join(streams), rank)
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
        cursor.execute(sql, [_fts_text(words), *ids])
        return {row[0]: row[1] or "" for row in cursor.fetchall()}


# --- PostgreSQL: tsvector -----------------------------------------------------------------

# The names alone (title and keywords, the folded text's first two parts), as the GIN index
# of search migration 0004 has them: written the same, so that the planner uses that index.
PG_NAMES = (
    "to_tsvector('english'::regconfig, split_part(d.folded, E'\\x1e', 1) || ' ' || "
    "split_part(d.folded, E'\\x1e', 2))"
)


def _pg_query(words):
    from django.contrib.postgres.search import SearchQuery

    from search.services import fold

    return SearchQuery(fold(" ".join(words)), config="english", search_type="plain")


def _pg_ranked(words, kind, *, per_kind, offset):
    sql, params = _pg_ranked_sql(words, kind, per_kind=per_kind, offset=offset)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _pg_ranked_sql(words, kind, *, per_kind, offset) -> tuple[str, list]:
    """The query of ``_pg_ranked`` (bench/search_explain.py shows its plan): each kind's
    matches in names (the names' GIN index) and its first matches of the whole text (the
    stored vector's GIN index), at most CANDIDATES of each, ranked by ``ts_rank``."""
    from search.services import fold

    now = timezone.now()
    plain = fold(" ".join(words))
    streams, params = [], []
    for k, table, column in _streams(kind):
        for stream, vector, limit in ((0, PG_NAMES, CANDIDATES), (1, "d.vector", CANDIDATES + 1)):
            streams.append(
                f"(SELECT d.id AS id, d.kind AS kind, {stream} AS stream "  # noqa: S608
                "FROM search_searchdocument d "
                f"WHERE d.kind = %s AND {vector} @@ plainto_tsquery('english'::regconfig, %s) "
                # The live version's time read for each candidate (a filter, not a join the
                # planner would order the whole index by).
                f'AND (SELECT live.publish_at FROM "{table}" live WHERE live."{column}" = '
                f'd."{k}_id") <= %s LIMIT %s)'
            )
            params += [k, plain, now, limit]
    # Ranked by each word on its own (ts_rank of an OR query), not by how close the words
    # stand: else a one-line list of names outranks every sentence that uses them.
    any_word = " | ".join(fold(w) for w in words)
    weights = "{" + ",".join(str(w) for w in POSTGRES_WEIGHTS) + "}"
    rank = (
        f"MIN(-ts_rank('{weights}'::real[], d.vector, to_tsquery('english'::regconfig, %s)) "
        "* d.weight)"
    )
    # The score needs the row's vector: joined in the ranking step, for candidates only.
    joins = "JOIN search_searchdocument d ON d.id = c.id"
    sql = _ranked_sql(" UNION ALL ".join(streams), rank, joins=joins)
    return sql, [*params, any_word, offset, offset + per_kind]


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


def _ranked(words, kind, *, per_kind, offset=0):
    if connection.vendor == "postgresql":
        return _pg_ranked(words, kind, per_kind=per_kind, offset=offset)
    return _sqlite_ranked(words, kind, per_kind=per_kind, offset=offset)


def _snippets(words, ids):
    if connection.vendor == "postgresql":
        return _pg_snippets(words, ids)
    return _sqlite_snippets(words, ids)


def _finds_anything(words) -> bool:
    return bool(_ranked(words, None, per_kind=1))


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
    ranked = [row[0] for row in _ranked(words, kind, per_kind=CANDIDATES)]
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
    counts: dict[str, int]  # matches of each kind, on all pages (up to CANDIDATES)
    kind: str | None = None  # the one kind browsed, page by page
    page: int = 1
    pages: int = 1
    suggestion: str = ""  # "Did you mean": a query that finds something
    # Kinds with more matches than CANDIDATES: the best of those found first are shown.
    more: frozenset[str] = frozenset()

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def count_label(self, kind: str) -> str:
        """“12”, or “more than 1,000” for a kind with more matches than are ranked."""
        if kind in self.more:
            return f"more than {CANDIDATES:,}"
        return f"{self.counts.get(kind, 0):,}"

    @property
    def total_label(self) -> str:
        return f"more than {self.total:,}" if self.more else f"{self.total:,}"


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
    # One query gives the page and each kind's number of matches, reading a bounded number
    # of them (CANDIDATES) whatever the size of the corpus.
    rows = _ranked(words, kind, per_kind=size, offset=(page - 1) * size if kind else 0)
    totals = {row_kind: total for _id, row_kind, _n, total, _ranked in rows}
    if not totals:
        empty.suggestion = did_you_mean(query)
        return empty
    counts = {k: min(total, CANDIDATES) for k, total in totals.items()}
    more = frozenset(k for k, total in totals.items() if total > CANDIDATES)
    ranked = {row_kind: n for _id, row_kind, _n, _total, n in rows}
    pages = max(1, -(-ranked.get(kind, 0) // PAGE_SIZE)) if kind else 1
    if page > pages:  # past the last page: the last page
        page = pages
        rows = _ranked(words, kind, per_kind=size, offset=(page - 1) * size)
    first = (page - 1) * size if kind else 0
    ids = [doc_id for doc_id, _kind, n, _total, _n in rows if first < n <= first + size]
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
    return Results(groups, counts, kind, page, pages, more=more)


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
    return suggestion if _finds_anything(_words(suggestion)) else ""


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
