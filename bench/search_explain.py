"""The plan of the search query on PostgreSQL (EXPLAIN ANALYZE): the ranked first page with
each kind's count, as the search page runs it. They should read the stored tsvector
and the names through their GIN indexes (Bitmap Index Scans on them), and stop at the
candidates' limit, not read every match. Not part of ``make test``.

    ENV_FILE= DEBUG=0 SECRET_KEY=… DATABASE_URL=postgres://…/corpus \\
        .venv/bin/python -m bench.search_explain "workers" "uprising in"
"""

from __future__ import annotations

import os
import sys


def main(queries: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    from django.db import connection

    from search import selectors
    from search.models import SearchDocument

    if connection.vendor != "postgresql":
        raise SystemExit("The plans are PostgreSQL's: set DATABASE_URL to a PostgreSQL corpus.")
    print(f"{SearchDocument.objects.count():,} rows in the search index.\n")
    for query in queries or ["workers"]:
        words = selectors._words(query)
        label = "the ranked first page, with each kind's count"
        sql, params = selectors._pg_ranked_sql(words, None, per_kind=selectors.PER_KIND, offset=0)
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
        print(f"### “{query}”: {label}\n\n```\n{plan}\n```\n")


if __name__ == "__main__":
    main(sys.argv[1:])
