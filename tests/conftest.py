"""Fixtures shared by the whole suite; factories live in tests/factories.py."""

from dataclasses import dataclass

import pytest

from tests import factories


@pytest.fixture(autouse=True)
def _factories_go_live(monkeypatch):
    """What factories made as published goes live before each request of a test client, as
    if a publisher had published it (factories write working copies only)."""
    from django.test import client

    request = client.Client.request

    def go_live_then_request(self, **kwargs):
        from django.db import connection

        # Going live is the test's setup, not the request's work: its queries are not counted
        # by a test that counts the request's.
        logged = len(connection.queries_log)
        factories.flush()
        while len(connection.queries_log) > logged:
            connection.queries_log.pop()
        return request(self, **kwargs)

    monkeypatch.setattr(client.Client, "request", go_live_then_request)
    factories.forget()
    yield
    factories.forget()


@pytest.fixture
def editor_user(db):
    return factories.editor(username="edith")


@pytest.fixture
def publisher_user(db):
    return factories.publisher(username="paul")


@pytest.fixture
def staff_client(client, admin_user):
    client.force_login(admin_user)
    return client


# The apps whose tables the sample fills (and reversion's revisions of it).
SAMPLE_APPS = ("history", "lessons", "learner", "search", "publishing", "reversion")


def _sample_tables():
    from django.apps import apps
    from django.db import connection

    tables = set()
    for label in SAMPLE_APPS:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            tables.add(model._meta.db_table)
    existing = set(connection.introspection.table_names())
    return sorted(tables & existing)


@dataclass(frozen=True)
class Snapshot:
    """Rows of the content tables by table, the content types' ids then, and what the
    builder returned."""

    rows: dict
    kinds: dict
    result: object = None


def capture(build) -> Snapshot:
    """Every row ``build()`` writes to the content tables (and what it returns), written in
    a transaction that is rolled back, so that nothing stays; ``copy_in`` puts them back."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection, transaction

    with transaction.atomic():
        result = build()
        rows = {}
        with connection.cursor() as cursor:
            for table in _sample_tables():
                cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
                columns = [c[0] for c in cursor.description]
                rows[table] = (columns, cursor.fetchall())
        kinds = {ct.pk: (ct.app_label, ct.model) for ct in ContentType.objects.all()}
        transaction.set_rollback(True)
    factories.forget()
    return Snapshot(rows, kinds, result)


def copy_in(snapshot: Snapshot) -> None:
    """The rows of a snapshot written again, ids included, in a few milliseconds."""
    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType
    from django.core.management.color import no_style
    from django.db import connection, transaction

    # Content types are made again, with other ids, after a transactional test's flush.
    now = {(ct.app_label, ct.model): ct.pk for ct in ContentType.objects.all()}
    moved = {old: now[kind] for old, kind in snapshot.kinds.items() if kind in now}
    quote = connection.ops.quote_name
    # In one transaction: foreign keys are checked at its end, whatever the order of tables.
    with transaction.atomic(), connection.cursor() as cursor:
        for table, (columns, values) in snapshot.rows.items():
            if not values:
                continue
            kind_at = columns.index("content_type_id") if "content_type_id" in columns else None
            names = ", ".join(quote(c) for c in columns)
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(
                f"INSERT INTO {quote(table)} ({names}) VALUES ({marks})",  # noqa: S608
                [_adapt(row, kind_at, moved) for row in values],
            )
        models = [
            model
            for label in SAMPLE_APPS
            for model in apps.get_app_config(label).get_models(include_auto_created=True)
        ]
        for sql in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(sql)


@pytest.fixture(scope="session")
def _sample_rows(django_db_setup, django_db_blocker):
    """The sample, built once per test process (it takes seconds)."""
    from lessons.sample import load_sample

    with django_db_blocker.unblock():
        return capture(load_sample)


@pytest.fixture
def sample(db, _sample_rows):
    """The sample content, as `manage.py load_sample` builds it (copied in, not rebuilt: the
    same rows, ids included, in a few milliseconds)."""
    copy_in(_sample_rows)


def _adapt(row, kind_at, moved):
    """Values read back as the driver gives them, ready to be written again."""
    import json

    values = [json.dumps(v) if isinstance(v, dict | list) else v for v in row]
    if kind_at is not None:
        values[kind_at] = moved.get(values[kind_at], values[kind_at])
    return values


@pytest.fixture(scope="module")
def groups_back_after_flush(django_db_blocker):
    """Transactional tests end by flushing the database, which removes the editors' groups
    that a data migration made; put them back for the tests that run later (as
    tests/browser/conftest.py does for the live-server tests)."""
    yield
    from django.contrib.contenttypes.models import ContentType

    with django_db_blocker.unblock():
        ContentType.objects.clear_cache()
        factories.ensure_groups()
