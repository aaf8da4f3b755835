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


def _words(query: str) -> list[str]:
    return re.findall(r"\w+", query or "")[:MAX_QUERY_WORDS]


def _published_filter(kind: str | None) -> Q:
    """Rows of live versions whose publish time has come (the index holds live ones only)."""
    now = timezone.now()
    kinds = [kind] if kind else KINDS
    condition = Q()
    for k in kinds:
        condition |= Q(kind=k) & Q(**{f"{k}__live__publish_at__lte": now})
    return condition


def _matches(query: str, kind: str | None, limit: int) -> list[tuple[int, str]]:
    """(document id, snippet with markers), best first."""
    words = _words(query)
    if not words:
        return []
    candidates = SearchDocument.objects.filter(_published_filter(kind))
    if connection.vendor == "postgresql":
        return _matches_postgres(" ".join(words), candidates, limit)
    return _matches_sqlite(words, candidates, limit)


def _matches_sqlite(words, candidates, limit):
    # Every word quoted: the user's text is never read as FTS5 query syntax.
    fts_query = " ".join('"' + w.replace('"', "") + '"' for w in words)
    inner_sql, inner_params = candidates.values("id").query.sql_with_params()
    sql = (
        "SELECT d.id, snippet(search_fts, 1, char(2), char(3), '…', 24) "  # noqa: S608
        "FROM search_fts JOIN search_searchdocument d ON d.id = search_fts.rowid "
        f"WHERE search_fts MATCH %s AND d.id IN ({inner_sql}) "
        "ORDER BY bm25(search_fts, 4.0, 1.0), d.id LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [fts_query, *inner_params, limit])
        return [(row[0], row[1] or "") for row in cursor.fetchall()]


def _matches_postgres(text, candidates, limit):
    from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
    from django.db.models import F

    from search.services import fold

    query = SearchQuery(fold(text), config="english", search_type="websearch")
    rows = (
        candidates.filter(vector=query)
        .annotate(
            rank=SearchRank(F("vector"), query),
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
            ),
        )
        .order_by("-rank", "id")
        .values_list("id", "snippet")[:limit]
    )
    return list(rows)


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
    matches = _matches(query, kind, limit=1000)
    documents = dict(
        SearchDocument.objects.filter(id__in=[m[0] for m in matches]).values_list(
            "id", f"{kind}_id"
        )
    )
    seen: dict[int, None] = {}
    for doc_id, _snippet in matches:
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


def search(query: str, *, limit: int = 60) -> dict[str, list[Hit]]:
    """Hits grouped by kind (articles at paragraph level), in two queries whatever the data."""
    matches = _matches(query, None, limit=limit)
    documents = SearchDocument.objects.select_related(
        "lesson__live", "article__live", "event__live", "concept__live"
    ).in_bulk([m[0] for m in matches])
    groups: dict[str, list[Hit]] = {k: [] for k in KINDS}
    for doc_id, snippet in matches:
        doc = documents[doc_id]
        live_row = getattr(doc, doc.kind).live  # what learners read: its title and address
        url = reverse(PAGES[doc.kind], kwargs={"slug": live_row.slug})
        title = live_row.term if doc.kind == Kind.CONCEPT else live_row.title
        if doc.kind == Kind.ARTICLE and doc.paragraph:
            url += f"#p{doc.paragraph}"
        groups[doc.kind].append(
            Hit(doc.kind, live_row, title, url, doc.paragraph, highlight(snippet))
        )
    return groups


PAGES = {
    Kind.LESSON: "learner:lesson_detail",
    Kind.ARTICLE: "learner:article_detail",
    Kind.EVENT: "learner:event_detail",
    Kind.CONCEPT: "learner:concept_detail",
}
