"""Search that reads a bounded number of matches, whatever the size of the corpus.

SQLite: the FTS5 table gets the row's kind as a column, so that one kind's matches are found
in the index (``kind : "event" AND …``) instead of by reading every match's row. PostgreSQL:
GIN indexes per kind, of the stored vector and of the names alone (title and keywords), so
that the matches in names, the best ones, are found first, and a kind's matches without
reading the other kinds'. See ``search.selectors``.
"""

from django.db import migrations

SQLITE_FORWARDS = [
    "DROP TRIGGER IF EXISTS search_fts_au",
    "DROP TRIGGER IF EXISTS search_fts_ad",
    "DROP TRIGGER IF EXISTS search_fts_ai",
    "DROP TABLE IF EXISTS search_fts",
    "CREATE VIRTUAL TABLE search_fts USING fts5(title, keywords, body, extra, kind, "
    "content='search_searchdocument', content_rowid='id', "
    "tokenize='porter unicode61 remove_diacritics 2')",
    "CREATE TRIGGER search_fts_ai AFTER INSERT ON search_searchdocument BEGIN "
    "INSERT INTO search_fts(rowid, title, keywords, body, extra, kind) "
    "VALUES (new.id, new.title, new.keywords, new.body, new.extra, new.kind); END",
    "CREATE TRIGGER search_fts_ad AFTER DELETE ON search_searchdocument BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, title, keywords, body, extra, kind) "
    "VALUES ('delete', old.id, old.title, old.keywords, old.body, old.extra, old.kind); END",
    "CREATE TRIGGER search_fts_au AFTER UPDATE OF title, keywords, body, extra, kind "
    "ON search_searchdocument BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, title, keywords, body, extra, kind) "
    "VALUES ('delete', old.id, old.title, old.keywords, old.body, old.extra, old.kind); "
    "INSERT INTO search_fts(rowid, title, keywords, body, extra, kind) "
    "VALUES (new.id, new.title, new.keywords, new.body, new.extra, new.kind); END",
    "INSERT INTO search_fts(search_fts) VALUES ('rebuild')",
]
SQLITE_BACKWARDS = [
    "DROP TRIGGER IF EXISTS search_fts_au",
    "DROP TRIGGER IF EXISTS search_fts_ad",
    "DROP TRIGGER IF EXISTS search_fts_ai",
    "DROP TABLE IF EXISTS search_fts",
    "CREATE VIRTUAL TABLE search_fts USING fts5(title, keywords, body, extra, "
    "content='search_searchdocument', content_rowid='id', "
    "tokenize='porter unicode61 remove_diacritics 2')",
    "CREATE TRIGGER search_fts_ai AFTER INSERT ON search_searchdocument BEGIN "
    "INSERT INTO search_fts(rowid, title, keywords, body, extra) "
    "VALUES (new.id, new.title, new.keywords, new.body, new.extra); END",
    "CREATE TRIGGER search_fts_ad AFTER DELETE ON search_searchdocument BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, title, keywords, body, extra) "
    "VALUES ('delete', old.id, old.title, old.keywords, old.body, old.extra); END",
    "CREATE TRIGGER search_fts_au AFTER UPDATE OF title, keywords, body, extra "
    "ON search_searchdocument BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, title, keywords, body, extra) "
    "VALUES ('delete', old.id, old.title, old.keywords, old.body, old.extra); "
    "INSERT INTO search_fts(rowid, title, keywords, body, extra) "
    "VALUES (new.id, new.title, new.keywords, new.body, new.extra); END",
    "INSERT INTO search_fts(search_fts) VALUES ('rebuild')",
]
# PostgreSQL: the stored vector and the names alone (title and keywords, the first two parts
# of the folded text: search.services), each in a GIN index per kind, so that one kind's
# matches are found without reading the others'. search.selectors.PG_NAMES writes the same
# expression, so that the planner uses these indexes.
KINDS = ("lesson", "article", "event", "concept")
NAMES = (
    "to_tsvector('english'::regconfig, split_part(folded, E'\\x1e', 1) || ' ' || "
    "split_part(folded, E'\\x1e', 2))"
)
POSTGRES_FORWARDS = [
    *(
        f"CREATE INDEX search_vector_{kind} ON search_searchdocument USING gin (vector) "
        f"WHERE kind = '{kind}'"
        for kind in KINDS
    ),
    *(
        f"CREATE INDEX search_names_{kind} ON search_searchdocument USING gin ({NAMES}) "
        f"WHERE kind = '{kind}'"
        for kind in KINDS
    ),
    "DROP INDEX IF EXISTS search_document_vector_gin",
    "ANALYZE search_searchdocument",
]
POSTGRES_BACKWARDS = [
    "CREATE INDEX search_document_vector_gin ON search_searchdocument USING gin (vector)",
    *(f"DROP INDEX IF EXISTS search_vector_{kind}" for kind in KINDS),
    *(f"DROP INDEX IF EXISTS search_names_{kind}" for kind in KINDS),
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0003_ranking_spelling_words")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARDS, "postgresql": POSTGRES_FORWARDS}),
            _run({"sqlite": SQLITE_BACKWARDS, "postgresql": POSTGRES_BACKWARDS}),
        ),
    ]
