"""The live OpenAPI schema, tested by schemathesis with all its checks (in process, WSGI).

Positive and negative examples for every operation, as an anonymous client against the sample
content: no server error, every response (status, content type, headers, body) as the schema
says, invalid input refused with 4xx. Examples are limited so that the run stays short.
"""

import os

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis import GenerationMode

# Few examples keep `make test` short; SCHEMATHESIS_MAX_EXAMPLES=100 digs deeper.
MAX_EXAMPLES = int(os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", "8"))


# Building the schema needs no database: it is loaded once, at collection.
schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", get_wsgi_application())
schema.config.generation.update(
    modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE],
    max_examples=MAX_EXAMPLES,
    no_shrink=True,
    deterministic=True,
)


@pytest.fixture(autouse=True)
def _content(sample):
    # As Django's test client does: keep the test's database connection (and transaction)
    # open across the WSGI requests instead of closing it at the end of each one.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield sample
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_api_conforms_to_its_schema(case):
    case.call_and_validate()


@pytest.fixture
def editor_token(db):
    from rest_framework.authtoken.models import Token

    from tests import factories

    return Token.objects.create(user=factories.editor(username="schemathesis")).key


@schema.include(method=["POST", "PATCH"]).parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_writes_by_an_editor_conform_to_the_schema(case, editor_token):
    """As an editor: writes succeed or are refused with 4xx, never a server error.

    A valid-looking request may still be refused by rules a schema cannot state (an unreadable
    date, a slug already taken, an excerpt outside the text), so 400 is accepted there.
    """
    from schemathesis.checks import positive_data_acceptance

    case.call_and_validate(
        headers={"Authorization": f"Token {editor_token}"},
        excluded_checks=[positive_data_acceptance],
    )
