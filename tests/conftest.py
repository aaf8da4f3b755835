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
