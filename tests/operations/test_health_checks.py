"""The PostgreSQL health check (operations/postgresql/base.py): no round trip for a connection
whose socket is quiet; SELECT 1, and a new connection, for one the server closed."""

import time

import pytest
from django.db import connection, connections

pytestmark = pytest.mark.django_db


@pytest.fixture
def kept():
    """A second connection to the test database, as a worker keeps one between requests, whose
    health checks are counted."""
    if connection.vendor != "postgresql":
        pytest.skip("the health check of PostgreSQL connections")
    wrapper = connections.create_connection("default")
    wrapper.ensure_connection()
    wrapper.checks = 0
    real = wrapper.is_usable

    def is_usable():
        wrapper.checks += 1
        return real()

    wrapper.is_usable = is_usable
    yield wrapper
    wrapper.close()


def test_a_kept_connection_whose_socket_is_quiet_is_used_without_select_1(kept):
    assert kept.settings_dict["ENGINE"] == "operations.postgresql"
    for _ in range(3):  # three requests
        kept.close_if_unusable_or_obsolete()
        kept.close_if_health_check_failed()
        with kept.cursor() as cursor:
            cursor.execute("SELECT 2")
            assert cursor.fetchone() == (2,)
    assert kept.checks == 0


def test_a_connection_the_server_closed_is_checked_and_replaced_before_the_next_query(kept):
    pid = kept.connection.info.backend_pid
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    deadline = time.monotonic() + 10
    while kept._socket_is_quiet() and time.monotonic() < deadline:
        time.sleep(0.05)
    kept.close_if_unusable_or_obsolete()  # the next request starts
    kept.close_if_health_check_failed()
    assert kept.checks == 1
    assert kept.connection is None  # closed: the next query connects afresh
    with kept.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        assert cursor.fetchone()[0] != pid
