"""What /healthz reports: can this server reach its database and cache, is its schema current.

Each check answers ``{"ok": bool, ...}`` and never raises; a failure names the kind of error
only (a load balancer's probe is public, the log has the rest).
"""

from __future__ import annotations

import logging
import time
import uuid

from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor

logger = logging.getLogger(__name__)
_migrations_current = False  # once every migration is applied, it stays so in this process


def _timed(check) -> dict:
    started = time.perf_counter()
    try:
        result = check()
    except Exception as exc:
        logger.warning("Health check %s failed", check.__name__, exc_info=True)
        result = {"ok": False, "error": type(exc).__name__}
    result["ms"] = round((time.perf_counter() - started) * 1000, 1)
    return result


def database() -> dict:
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"ok": True}


def cache_check() -> dict:
    key = f"healthz:{uuid.uuid4().hex}"
    cache.set(key, "1", 10)
    ok = cache.get(key) == "1"
    cache.delete(key)
    return {"ok": ok}


def migrations() -> dict:
    global _migrations_current
    if _migrations_current:
        return {"ok": True, "pending": 0}
    executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
    pending = len(executor.migration_plan(executor.loader.graph.leaf_nodes()))
    _migrations_current = pending == 0
    return {"ok": pending == 0, "pending": pending}


def report() -> dict:
    checks = {
        "database": _timed(database),
        "cache": _timed(cache_check),
        "migrations": _timed(migrations),
    }
    if not checks["database"]["ok"] and "error" in checks["migrations"]:
        checks["migrations"] = {"ok": False, "error": "database unavailable", "ms": 0}
    return {"ok": all(c["ok"] for c in checks.values()), "checks": checks}
