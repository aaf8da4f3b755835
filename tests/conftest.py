"""Fixtures shared by the whole suite; factories live in tests/factories.py."""

import pytest

from tests import factories


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


@pytest.fixture
def sample(db):
    """The sample content, as `manage.py load_sample` builds it."""
    from lessons.sample import load_sample

    return load_sample()


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
