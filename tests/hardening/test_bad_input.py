"""A generated corpus of bad input, against every API operation with a body and every admin form.

The API's cases come from its OpenAPI schema (tests/hardening/corpus.py): for each operation
and each field, wrong types, sizes, depths, encodings, control characters and dates, and
bodies that are wrong as a whole. Each must be answered with a 4xx problem (never a 500),
name the field when the serializer refuses it, and write nothing. The admin's cases come from
its registry and the fields each change form shows.
"""

import json

import pytest
from django.apps import apps
from django.contrib import admin
from django.db import connection
from django.urls import reverse

from config.api_urls import router
from tests import factories
from tests.hardening import corpus
from tests.hardening.forms import admin_form

pytestmark = pytest.mark.django_db

OPERATIONS = corpus.operations()
PROBLEM = "application/problem+json"
WATCHED_APPS = ("history", "lessons", "publishing", "reversion", "auth", "authtoken")


def _snapshot_sql() -> str:
    """One query that changes whenever anything is written: counts, versions, last changes."""
    parts = []
    for model in apps.get_models():
        if model._meta.app_label not in WATCHED_APPS or model._meta.proxy:
            continue
        table = connection.ops.quote_name(model._meta.db_table)
        parts.append(f"(SELECT COUNT(*) FROM {table})")  # noqa: S608 (a model's table)
        names = {f.column for f in model._meta.concrete_fields}
        if "version" in names:
            parts.append(f"(SELECT SUM(version) FROM {table})")  # noqa: S608
        if "updated_at" in names:
            parts.append(f"(SELECT MAX(updated_at) FROM {table})")  # noqa: S608
    return "SELECT " + ", ".join(parts)


def snapshot(sql):
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchone()


@pytest.fixture
def superuser_api(admin_user):
    from tests.api.conftest import token_client

    return token_client(admin_user)  # every permission: refusals are about the input


@pytest.fixture
def targets():
    """One object of each kind the router serves, by URL prefix: what PATCH and actions hit."""
    found = {}
    for prefix, viewset, _ in router.registry:
        model = viewset.model
        factory = getattr(factories, f"{model.__name__}Factory", None)
        assert factory is not None, f"tests/factories.py needs a {model.__name__}Factory"
        obj = factory()
        found[prefix] = str(getattr(obj, getattr(viewset, "lookup_field", "pk")))
    factories.flush()  # what is published goes live now, not during the first request
    return found


def _url(operation: corpus.Operation, targets) -> str:
    prefix = operation.path.removeprefix("/api/v1/").split("/", 1)[0]
    return operation.path.replace("{slug}", targets[prefix]).replace("{id}", targets[prefix])


def _send(client, operation, url, body, content_type="application/json"):
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    return getattr(client, operation.method)(url, data, content_type=content_type)


def _check_refused(response, case_or_label, *, field=None, status=None):
    label = getattr(case_or_label, "label", case_or_label)
    assert response.status_code < 500, label
    assert 400 <= response.status_code < 500, (label, response.status_code, response.content[:300])
    if status is not None:
        assert response.status_code == status, (label, response.status_code)
    assert response["Content-Type"] == PROBLEM, label
    problem = response.json()
    assert problem["status"] == response.status_code and problem["detail"], label
    if field is not None and response.status_code == 400 and "errors" in problem:
        named = [k for k in problem["errors"] if k == field or k.startswith(f"{field}.")]
        assert named, (label, field, problem["errors"])


@pytest.mark.parametrize("operation", OPERATIONS, ids=[op.name for op in OPERATIONS])
def test_every_field_of_every_operation_refuses_bad_input_and_writes_nothing(
    operation, targets, superuser_api
):
    url = _url(operation, targets)
    sql = _snapshot_sql()
    cases = corpus.cases_for(operation)
    assert cases or not operation.fields
    for case in cases:
        before = snapshot(sql)
        response = _send(superuser_api, operation, url, {case.field: case.value})
        field = case.field if case.level == "shape" or operation.method == "patch" else None
        _check_refused(response, f"{operation.name} {case.field}: {case.label}", field=field)
        assert snapshot(sql) == before, f"{operation.name} {case.field}: {case.label} wrote"


@pytest.mark.parametrize("operation", OPERATIONS, ids=[op.name for op in OPERATIONS])
def test_every_operation_refuses_bodies_that_are_wrong_as_a_whole(
    operation, targets, superuser_api
):
    url = _url(operation, targets)
    sql = _snapshot_sql()
    for label, body, content_type, status in corpus.BAD_BODIES:
        before = snapshot(sql)
        response = _send(superuser_api, operation, url, body, content_type)
        _check_refused(response, f"{operation.name}: {label}", status=status)
        assert snapshot(sql) == before, f"{operation.name}: {label} wrote"


# --- the admin --------------------------------------------------------------------------------


def _editable(model_admin) -> bool:
    """An admin whose change page has a field to type in (not one made of read-only fields)."""
    fields = model_admin.fields or [
        f.name for f in model_admin.model._meta.get_fields() if getattr(f, "editable", False)
    ]
    return bool(set(fields) - set(model_admin.readonly_fields))


ADMIN_MODELS = [
    model
    for model, model_admin in admin.site._registry.items()
    if model._meta.app_label in ("history", "lessons") and _editable(model_admin)
]
MAKERS = {
    "DatedExpression": lambda: _dated_expression(),
}


def _dated_expression():
    from history.services import dates_detect

    article = factories.ArticleFactory(body="It happened in February 1956, in Moscow.")
    return dates_detect(article=article)[0]


def _admin_values(name: str, tag: str, attrs: dict) -> list[tuple[str, str]]:
    if tag == "select":
        return [("not one of the choices", "no-such-choice-99999")]
    if attrs.get("type") == "number":
        return [("not a number", "abc"), ("too large", "9" * 30)]
    values = [("NUL", "Poznań\x00"), ("the control character BEL", "ring\x07"),
              ("an ANSI escape", "\x1b[31m")]  # fmt: skip
    if attrs.get("maxlength"):
        values.append(("one character too long", "ő" * (int(attrs["maxlength"]) + 1)))
    if name in corpus.DATE_FIELDS:
        values += [(f"the date {d!r}", d) for d in corpus.BAD_DATES[:4]]
    return values


def _fields_of(html: str, form_id: str) -> dict[str, tuple[str, dict]]:
    from html.parser import HTMLParser

    class Fields(HTMLParser):
        def __init__(self):
            super().__init__()
            self.inside, self.found = False, {}

        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            if tag == "form" and attrs.get("id") == form_id:
                self.inside = True
            name = attrs.get("name", "")
            kind = attrs.get("type", "text")
            editable = tag in ("textarea", "select") or (
                tag == "input" and kind in ("text", "number", "url", "email", "search")
            )
            # Own fields only: inline forms (name-0-field) and management data are left as is.
            if self.inside and editable and name and "-" not in name:
                self.found[name] = (tag, attrs)

    reader = Fields()
    reader.feed(html)
    return reader.found


@pytest.mark.parametrize("model", ADMIN_MODELS, ids=[m.__name__ for m in ADMIN_MODELS])
def test_every_admin_form_field_refuses_bad_input_with_a_form_error_and_writes_nothing(
    model, admin_client
):
    maker = MAKERS.get(model.__name__) or getattr(factories, f"{model.__name__}Factory", None)
    assert maker is not None, f"add a way to make a {model.__name__} to MAKERS"
    obj = maker()
    meta = model._meta
    url = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])
    html = admin_client.get(url).content.decode()
    form_id = f"{meta.model_name}_form"
    data, _ = admin_form(html, form_id)
    fields = _fields_of(html, form_id)
    assert fields, f"no editable fields found on {url}"
    sql = _snapshot_sql()
    tried = 0
    for name, (tag, attrs) in fields.items():
        if "readonly" in attrs or "disabled" in attrs:
            continue
        for label, value in _admin_values(name, tag, attrs):
            before = snapshot(sql)
            response = admin_client.post(url, {**data, name: [value]})
            assert response.status_code == 200, (model.__name__, name, label, response.status_code)
            assert "errorlist" in response.content.decode(), (model.__name__, name, label)
            assert snapshot(sql) == before, (model.__name__, name, label, "wrote")
            tried += 1
    assert tried


# --- the site's forms ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("label", "query"),
    [("NUL", "a\x00b"), ("a lone surrogate, percent-encoded", "%ED%A0%80"),
     ("10,000 characters", "x" * 10_000), ("only punctuation", "«»—…"), ("an FTS query", 'a" OR *')],
)  # fmt: skip
def test_the_search_page_answers_bad_queries_with_4xx_or_an_empty_result(client, label, query):
    response = client.get("/search/", {"q": query})
    assert response.status_code in (200, 400), label


def test_answers_posted_to_a_lesson_with_garbage_are_400_and_write_nothing(client):
    lesson = factories.LessonFactory()
    question = factories.QuestionFactory(lesson=lesson, kind="multiple_choice")
    factories.ChoiceFactory(question=question, is_correct=True)
    factories.flush()
    url = f"/lessons/{lesson.slug}/questions/{question.pk}/answer/"
    sql = _snapshot_sql()
    before = snapshot(sql)
    for data in ({"choice": "x"}, {"choice": "9" * 40}, {"choice": "\x00"}, {"choice": ""},
                 {"choice": ["1", "1"]}, {}):  # fmt: skip
        response = client.post(url, data)
        assert response.status_code == 400, data
    assert snapshot(sql) == before


@pytest.mark.parametrize(
    "username", ["a\x00b", "ring\x07", "ő" * 300, "\u202eevil"], ids=["NUL", "BEL", "long", "RTL"]
)
def test_the_login_form_answers_bad_user_names_with_its_error_and_axes_survives(
    client, settings, username
):
    settings.AXES_ENABLED = True
    response = client.post("/admin/login/", {"username": username, "password": "x"})
    assert response.status_code in (200, 429)
