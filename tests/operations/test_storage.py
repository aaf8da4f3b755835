"""How PostgreSQL stores what every public read sends."""

import pytest


@pytest.mark.django_db
def test_on_postgresql_built_pages_and_public_documents_are_stored_fast_to_read():
    """Large values were compressed with pglz, a tenth of a page's time to read (migration
    operations 0004): lz4 where the server has it, else stored uncompressed."""
    from django.db import connection

    from learner.models import Page
    from lessons.models import LiveLesson

    if connection.vendor != "postgresql":
        pytest.skip("column compression is PostgreSQL's")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attcompression, attstorage FROM pg_attribute WHERE attrelid = %s::regclass "
            "AND attname = ANY(%s) ORDER BY attname",
            [Page._meta.db_table, ["head", "html"]],
        )
        stored = cursor.fetchall()
        cursor.execute(
            "SELECT attcompression, attstorage FROM pg_attribute WHERE attrelid = %s::regclass "
            "AND attname = 'data'",
            [LiveLesson._meta.db_table],
        )
        stored += cursor.fetchall()
    assert len(stored) == 3
    assert all(how in {("l", "x"), ("", "e")} for how in stored), stored
