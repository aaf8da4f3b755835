"""Keeping the database's query planner informed.

SQLite chooses indexes from the statistics ``ANALYZE`` gathers, and never gathers them by
itself: without them it may scan a whole table where an index would answer at once (the
timeline's concept filter took 36 s on a large corpus, 0.13 s after ``ANALYZE``). PostgreSQL's
autovacuum analyses tables eventually, but not within a bulk load. ``optimize()`` runs after
migrations, imports, restores and the benchmark corpus; ``manage.py optimize_database`` runs it
by hand or from cron.
"""

from __future__ import annotations

from django.db import connections

# Rows SQLite samples per index (PRAGMA analysis_limit): statistics good enough for the
# planner, in a time that does not grow with the table.
SQLITE_ANALYSIS_LIMIT = 1000


def optimize(*, using: str = "default") -> None:
    """Gather the statistics the query planner chooses indexes by."""
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"PRAGMA analysis_limit={SQLITE_ANALYSIS_LIMIT}")
            cursor.execute("ANALYZE")
            cursor.execute("PRAGMA optimize")
        elif connection.vendor == "postgresql":
            cursor.execute("ANALYZE")
