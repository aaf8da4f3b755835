"""Every case issue 14 reported, replayed: each now gets a clear 4xx and writes nothing.

(Uploads are in test_uploads.py, faults and backups in tests/operations/.)
"""

import json
from concurrent.futures import ThreadPoolExecutor
from unittest import mock

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from history.models import Article, Concept, Event
from lessons.exports import timelinejs
from lessons.models import Lesson, QuestionKind
from tests import factories
from tests.hardening.forms import admin_form, model_form_id

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"


def _refused(response, status=400):
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"] == PROBLEM
    assert response.json()["status"] == status
    return response.json()


# --- dates ------------------------------------------------------------------------------------

BAD_DATES = ["1956-25", "1956-41", "Y170000002", "Y-170000002", "156X-12-25", "1956-02-30",
             "-0001-02-29", "[1667,1668]", "1985-04-12T23:20:30", "0 BCE", "1957 - 1956"]  # fmt: skip
SEASONS_25_TO_41 = [f"1956-{n}" for n in range(25, 42)]


@pytest.mark.parametrize("date", BAD_DATES + SEASONS_25_TO_41)
def test_an_article_with_a_date_that_cannot_be_shown_is_refused_and_not_saved(editor_api, date):
    response = editor_api.post(
        "/api/v1/articles/", {"title": "DA", "body": "b", "publication_date": date}, format="json"
    )
    problem = _refused(response)
    assert "publication_date" in problem["errors"]
    assert not Article.objects.filter(title="DA").exists()
    assert editor_api.get("/api/v1/articles/").status_code == 200


@pytest.mark.parametrize("date", BAD_DATES + SEASONS_25_TO_41)
def test_an_event_with_a_date_that_cannot_be_shown_is_refused_on_create_and_change(
    editor_api, date
):
    _refused(editor_api.post("/api/v1/events/", {"title": "E", "date_edtf": date}, format="json"))
    assert not Event.objects.filter(title="E").exists()
    event = factories.EventFactory(draft=True)
    before = (event.date_edtf, event.date_start, event.date_end, event.version)
    response = editor_api.patch(f"/api/v1/events/{event.slug}/", {"date_edtf": date}, format="json")
    assert "date_edtf" in _refused(response)["errors"]
    event.refresh_from_db()
    assert (event.date_edtf, event.date_start, event.date_end, event.version) == before


@pytest.mark.parametrize(("model", "field"), [(Event, "date_edtf"), (Article, "publication_date")])
@pytest.mark.parametrize("date", ["1956-25", "Y170000002", "1956-41"])
def test_the_admin_refuses_a_date_that_cannot_be_shown_with_its_reason(
    editor_user, model, field, date
):
    obj = (factories.EventFactory if model is Event else factories.ArticleFactory)(draft=True)
    client = Client()
    client.force_login(editor_user)
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[obj.pk])
    data, _ = admin_form(client.get(url).content.decode(), model_form_id(model))
    data[field] = [date]
    response = client.post(url, data)
    assert response.status_code == 200
    assert "is not a date this can read" in response.content.decode() or "years from" in (
        response.content.decode()
    )
    before = getattr(obj, field)
    obj.refresh_from_db()
    assert getattr(obj, field) == before
    changelist = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    assert client.get(changelist).status_code == 200


def test_a_stored_date_from_before_the_check_is_shown_as_it_is_not_an_error():
    event = factories.EventFactory()
    factories.flush()
    Event.objects.filter(pk=event.pk).update(date_edtf="1956-25")  # as an old release stored it
    event.refresh_from_db()
    assert event.date_display == "1956-25"
    assert Client().get("/api/v1/events/").status_code == 200


# --- JSON bodies ------------------------------------------------------------------------------


def _deep(levels: int) -> str:
    return "[" * levels + "]" * levels


def _json_endpoints(sample) -> list[tuple[str, str]]:
    """Every POST and PATCH the router offers, with a real object's URL for details."""
    from config.api_urls import router

    lesson = Lesson.objects.live().get()
    question = lesson.questions.first()
    ids = {"lesson": lesson.slug, "article": Article.objects.first().slug,
           "event": Event.objects.first().slug, "concept": Concept.objects.first().slug,
           "excerpt": lesson.sections.exclude(excerpt=None).first().excerpt_id,
           "section": lesson.sections.first().pk, "question": question.pk,
           "choice": question.choices.first().pk if question.choices.exists() else 1}  # fmt: skip
    endpoints = []
    for prefix, viewset, basename in router.registry:
        endpoints.append(("post", f"/api/v1/{prefix}/"))
        endpoints.append(("patch", f"/api/v1/{prefix}/{ids[basename]}/"))
        for extra in viewset.get_extra_actions():
            if "post" in extra.mapping and extra.detail:
                endpoints.append(("post", f"/api/v1/{prefix}/{ids[basename]}/{extra.url_path}/"))
    return endpoints


def test_a_body_nested_100000_deep_is_a_400_on_every_json_endpoint(sample, publisher_api, api):
    # Unpublishing and archiving last: before, anonymous clients still reach its questions.
    endpoints = sorted(
        _json_endpoints(sample), key=lambda e: e[1].endswith(("/unpublish/", "/archive/"))
    )
    assert len(endpoints) >= 20
    body = _deep(100_000)
    for method, url in endpoints:
        reads_body = not url.endswith(("/submit/", "/unpublish/", "/archive/"))  # no body
        for client in (publisher_api, api):
            response = getattr(client, method)(url, body, content_type="application/json")
            assert response.status_code < 500, (method, url)
            if not reads_body:
                continue
            assert response["Content-Type"] == PROBLEM, (method, url)
            if response.status_code in (401, 403):
                continue  # refused before the body is read, or it has none to read
            assert response.status_code == 400, (method, url, response.status_code)
            assert "nests" in response.json()["detail"]


def test_the_anonymous_answer_endpoint_refuses_deep_nesting_nan_and_bad_utf8(sample, api):
    question = Lesson.objects.live().get().questions.first()
    url = f"/api/v1/questions/{question.pk}/answer/"
    for body in (_deep(100_000), _deep(33), '{"answer": [NaN]}', '{"answer": [Infinity]}',
                 b'{"answer": "\xff"}', '{"answer": [1]'):  # fmt: skip
        _refused(api.post(url, body, content_type="application/json"))
    assert (
        api.post(
            url, json.dumps({"answer": [[[[1]]]]}), content_type="application/json"
        ).status_code
        == 400
    )


def test_a_body_larger_than_the_limit_is_a_413_without_being_read(editor_api, settings):
    settings.API_JSON_MAX_BYTES = 1000
    body = json.dumps({"term": "x" * 2000, "definition": "d"})
    _refused(editor_api.post("/api/v1/concepts/", body, content_type="application/json"), 413)
    assert not Concept.objects.exists()


# --- characters a database cannot store ---------------------------------------------------------


@pytest.mark.parametrize("kind", ["lessons", "articles", "events", "concepts"])
def test_a_nul_in_a_slug_is_a_404_not_a_500(api, kind):
    problem = _refused(api.get(f"/api/v1/{kind}/a%00b/"), 404)
    assert problem["title"] == "Not Found"
    assert (
        Client()
        .get(f"/{kind.rstrip('s') if kind != 'concepts' else 'glossary'}/a%00b/")
        .status_code
        == 404
    )


@pytest.mark.parametrize(
    "alias",
    ["a\x00b", "\ud800", "bell\x07", "escape\x1b[31m"],
    ids=["NUL", "surrogate", "BEL", "ESC"],
)
def test_an_alias_a_database_cannot_store_is_refused_by_the_api_and_the_admin(
    editor_api, editor_user, alias
):
    response = editor_api.post(
        "/api/v1/concepts/",
        json.dumps({"term": "Petőfi Circle", "definition": "A club.", "aliases": [alias]}),
        content_type="application/json",
    )
    assert "aliases.0" in _refused(response)["errors"]
    client = Client()
    client.force_login(editor_user)
    url = reverse("admin:history_concept_add")
    data, _ = admin_form(client.get(url).content.decode(), model_form_id(Concept))
    data.update(term=["Petőfi Circle"], slug=["petofi-circle"], definition=["A club."],
                aliases=[f"Petőfi Kör\n{alias}"])  # fmt: skip
    if "\ud800" in alias:
        return  # a form post is UTF-8 bytes: a lone surrogate cannot be sent
    response = client.post(url, data)
    assert response.status_code == 200
    assert "cannot be stored" in response.content.decode()
    assert not Concept.objects.exists()


# --- slugs made in parallel ---------------------------------------------------------------------


def test_a_slug_taken_between_choosing_and_saving_is_replaced_not_a_500(editor_api):
    factories.ConceptFactory(term="Thaw", slug="thaw")
    # The slug is chosen before the other save commits: unique_slug returns a taken one once.
    from history import services

    real = services.unique_slug
    calls = []

    def racing(model, source, **kwargs):
        calls.append(source)
        return "thaw" if len(calls) == 1 else real(model, source, **kwargs)

    with (
        mock.patch.object(services, "unique_slug", racing),
        mock.patch("history.services.Concept.full_clean"),
    ):
        response = editor_api.post(
            "/api/v1/concepts/", {"term": "Thaw", "definition": "d"}, format="json"
        )
    assert response.status_code == 201, response.content
    assert response.json()["slug"] == "thaw-2"


def test_a_chosen_slug_taken_meanwhile_is_a_400(editor_api):
    factories.ConceptFactory(term="Thaw", slug="thaw")
    with mock.patch("history.services.Concept.full_clean"):  # as if it was free when checked
        response = editor_api.post(
            "/api/v1/concepts/", {"term": "Thaw", "slug": "thaw", "definition": "d"}, format="json"
        )
    assert "slug" in _refused(response)["errors"]


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("groups_back_after_flush")
@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite writes one at a time")
@pytest.mark.parametrize("kind", ["articles", "events", "concepts", "lessons"])
def test_twenty_parallel_creates_with_the_same_title_all_succeed_with_distinct_slugs(kind):
    from tests.api.conftest import token_client

    user = factories.editor(username=f"racer-{kind}")
    body = {
        "articles": {"title": "Same", "body": "Text."},
        "events": {"title": "Same", "date_edtf": "1956"},
        "concepts": {"term": "Same", "definition": "d"},
        "lessons": {"title": "Same", "central_question": "Why?"},
    }[kind]

    def create(_):
        try:
            return token_client(user).post(f"/api/v1/{kind}/", body, format="json").status_code
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=20) as pool:
        statuses = list(pool.map(create, range(20)))
    assert statuses == [201] * 20
    model = {"articles": Article, "events": Event, "concepts": Concept, "lessons": Lesson}[kind]
    slugs = set(model.objects.values_list("slug", flat=True))
    assert len(slugs) == 20 and "same" in slugs


# --- smaller ------------------------------------------------------------------------------------


def test_the_timeline_export_escapes_an_events_place():
    from history.content import event_ref, events_content

    event = factories.EventFactory(place="<script>alert(1)</script>, Budapest")
    view = event_ref(events_content([event])[event.pk])
    slide = timelinejs.event_slide(view, absolute=lambda path: path)
    assert slide["group"] == "&lt;script&gt;alert(1)&lt;/script&gt;"


def test_the_importer_gives_the_real_reason_for_a_folder_and_a_device(tmp_path):
    with pytest.raises(CommandError, match="a folder, not a file"):
        call_command("import_article", str(tmp_path))
    with pytest.raises(CommandError, match="not a regular file"):
        call_command("import_article", "/dev/zero")
    with pytest.raises(CommandError, match="no such file"):
        call_command("import_article", str(tmp_path / "missing.txt"))
    assert not Article.objects.exists()


def test_a_chronology_answer_is_checked_only_against_the_events_the_learner_was_shown(api):
    lesson = factories.LessonFactory()
    shown = factories.EventFactory(title="Shown", date_edtf="1953")
    other = factories.EventFactory(title="Also shown", date_edtf="1956")
    hidden = factories.EventFactory(title="Hidden", date_edtf="1955", draft=True)
    question = factories.QuestionFactory(lesson=lesson, kind=QuestionKind.CHRONOLOGY)
    question.events.set([shown, other, hidden])
    listed = api.get(f"/api/v1/questions/{question.pk}/").json()["events"]
    assert {e["id"] for e in listed} == {shown.pk, other.pk}
    url = f"/api/v1/questions/{question.pk}/answer/"
    result = api.post(url, {"answer": [shown.pk, other.pk]}, format="json")
    assert result.status_code == 200
    assert result.json()["correct"] is True and result.json()["total"] == 2
    _refused(api.post(url, {"answer": [shown.pk, hidden.pk, other.pk]}, format="json"))


@pytest.mark.parametrize(
    ("label", "text", "reason"),
    [
        ("a NUL in a title", '{"concepts": [{"term": "a\\u0000b"}]}', "NUL"),
        ("a lone surrogate", '{"concepts": [{"term": "\\ud800"}]}', "surrogate"),
        ("lists 100,000 deep", "[" * 100_000 + "]" * 100_000, "too deeply"),
    ],
)
def test_import_content_refuses_a_file_a_database_cannot_take_and_writes_nothing(
    tmp_path, label, text, reason
):
    path = tmp_path / "content.json"
    path.write_text(text)
    with pytest.raises(CommandError, match=reason):
        call_command("import_content", str(path))
    assert not Concept.objects.exists()
