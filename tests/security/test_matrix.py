"""Who sees what: every site URL, admin URL and API operation × role × content state.

The URLs come from the URL configuration, the admin's registry and the API's own OpenAPI
schema, not from a list written here, so a new URL is covered without anyone remembering to
(a URL whose parameters this test cannot fill fails it). For each cell the status is what it
should be, and the response (body, headers, every file of a zip) holds no sentinel of a kind
the role may not see (tests/security/world.py plants one in every such field). Anonymous
counts, search results, ETags and exports do not move when editors work on drafts.
"""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import URLPattern, reverse
from drf_spectacular.generators import SchemaGenerator

from history.models import Article, Concept, Event
from lessons import services as lessons
from lessons.models import Lesson, Section
from tests import factories
from tests.security import world as w

ROLES = ("anonymous", "learner", "editor", "publisher", "superuser")
STAFF = {"editor", "publisher", "superuser"}
CLASSES_HIDDEN = {
    # What each role must never find, by where it looks.
    ("anonymous", "site"): set(w.CLASSES),
    ("anonymous", "api"): set(w.CLASSES),
    ("anonymous", "admin"): set(w.CLASSES),
    ("learner", "site"): set(w.CLASSES),
    ("learner", "api"): set(w.CLASSES),
    ("learner", "admin"): set(w.CLASSES),
    # Staff read live versions on the site (with keys and teacher material in the print view),
    # and working copies in the admin and the API.
    **{(role, "site"): {"DRAFT", "EDITORIAL"} for role in STAFF},
    **{(role, area): set() for role in STAFF for area in ("api", "admin")},
}

# The learner site's URL names and what fills their parameters.
SITE_KINDS = {
    "lesson_detail": "lesson",
    "lesson_print": "lesson",
    "lesson_handout": "lesson",
    "lesson_handout_pdf": "lesson",
    "lesson_guide": "lesson",
    "lesson_guide_pdf": "lesson",
    "article_detail": "article",
    "event_detail": "event",
    "concept_detail": "concept",
    "answer": "lesson",
}
# The API's paths and the kind of object their parameter names.
API_KINDS = {
    "lessons": "lesson",
    "articles": "article",
    "events": "event",
    "concepts": "concept",
    "sections": "section",
    "questions": "question",
    "choices": "choice",
    "excerpts": "excerpt",
}
PARTS = {"section", "question", "choice", "excerpt"}  # public when their lesson is live


@dataclass(frozen=True)
class Cell:
    area: str  # site, api, admin
    method: str
    url: str
    state: str | None  # the state of the object the URL names, if any
    kind: str | None = None
    name: str = ""


@pytest.fixture
def world(db, publisher_user):
    return w.build(publisher_user)


@pytest.fixture
def clients(db, editor_user, publisher_user, admin_user):
    learner = factories.UserFactory(username="lena")
    users = {"learner": learner, "editor": editor_user, "publisher": publisher_user}
    users["superuser"] = admin_user
    made = {"anonymous": Client()}
    for role, user in users.items():
        client = Client()
        client.force_login(user)
        made[role] = client
    return made


# --- the URLs, from the URL configuration, the admin and the API schema --------------------


def _slug_or_pk(obj, kind):
    return obj.pk if kind in PARTS else obj.slug


def site_cells(world) -> list[Cell]:
    from learner import urls as learner_urls
    from search import urls as search_urls

    cells = [
        Cell("site", "get", "/sitemap.xml", None, name="sitemap"),
        Cell("site", "get", "/healthz", None, name="healthz"),
    ]
    for pattern in [*learner_urls.urlpatterns, *search_urls.urlpatterns]:
        assert isinstance(pattern, URLPattern), pattern
        params = set(pattern.pattern.converters)
        name = pattern.name
        if not params:
            url = reverse(
                f"{learner_urls.app_name if pattern in learner_urls.urlpatterns else 'search'}:{name}"
            )
            if name == "search":
                cells += [
                    Cell("site", "get", f"{url}?q={word}", None, name="search")
                    for word in list(world.sentinels)[::7]
                ]
            cells.append(Cell("site", "get", url, None, name=name))
            continue
        kind = SITE_KINDS.get(name)
        assert kind is not None, f"the matrix does not know how to fill {pattern.pattern}"
        for state in w.STATES:
            obj = world.get(state, kind)
            if name == "answer":
                question = world.get(state, "question")
                url = reverse(f"learner:{name}", args=[obj.slug, question.pk])
                cells.append(Cell("site", "post", url, state, kind, name))
            else:
                url = reverse(f"learner:{name}", args=[obj.slug])
                cells.append(Cell("site", "get", url, state, kind, name))
                if name == "article_detail":
                    excerpt = world.get(state, "excerpt")
                    cells.append(
                        Cell("site", "get", f"{url}?excerpt={excerpt.pk}", state, kind, name)
                    )
    return cells


def api_cells(world) -> list[Cell]:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    cells = []
    for path, operations in schema["paths"].items():
        for method in operations:
            if method not in ("get", "post", "patch"):
                continue
            if "{" not in path:
                cells.append(
                    Cell("api", method, path, None, name=operations[method]["operationId"])
                )
                continue
            resource = path.split("/")[3]
            kind = API_KINDS.get(resource)
            assert kind is not None, f"the matrix does not know how to fill {path}"
            for state in w.STATES:
                obj = world.get(state, kind)
                url = path.replace("{slug}", str(_slug_or_pk(obj, kind))).replace(
                    "{id}", str(_slug_or_pk(obj, kind))
                )
                assert "{" not in url, f"the matrix does not know how to fill {path}"
                cells.append(
                    Cell("api", method, url, state, kind, operations[method]["operationId"])
                )
    return cells


def admin_cells(world) -> list[Cell]:
    cells = []
    kinds = {Article: "article", Event: "event", Concept: "concept", Lesson: "lesson"}
    for model, _model_admin in admin.site._registry.items():
        meta = model._meta
        prefix = f"admin:{meta.app_label}_{meta.model_name}"
        cells.append(Cell("admin", "get", reverse(f"{prefix}_changelist"), None, name=prefix))
        kind = kinds.get(model)
        if kind is None:
            continue
        for state in w.STATES:
            obj = world.get(state, kind)
            for suffix in ("change", "history", "revisions", "changes", "preview", "suggestions"):
                try:
                    url = reverse(f"{prefix}_{suffix}", args=[obj.pk])
                except Exception:  # noqa: S112 (the model has no such page)
                    continue
                cells.append(Cell("admin", "get", url, state, kind, f"{prefix}_{suffix}"))
    return cells


# --- what each cell must answer --------------------------------------------------------------


def expected(cell: Cell, role: str) -> set[int]:
    live = cell.state in w.LIVE_STATES if cell.state else True
    staff = role in STAFF
    if cell.area == "admin":
        return {302} if not staff else {200, 403}
    if cell.area == "site":
        if cell.name == "favicon":
            return {301}
        if cell.name == "answer":
            return {400} if live else {404}  # an empty answer to a question learners can see
        if cell.name == "lesson_print":
            return {302}  # to the handout, or the guide for teachers (which may be a 404)
        if cell.name in ("lesson_guide", "lesson_guide_pdf") and live and not staff:
            return {403}  # the answer key and the teacher material: teachers only
        return {200} if live else {404}
    # The API.
    name = cell.name
    if cell.method == "get":
        if name.endswith("_changes_retrieve"):
            if role == "anonymous":
                return {401}
            return {200} if staff else {404}
        if cell.state is None:
            return {200}
        return {200} if (live or staff) else {404}
    # Writes and workflow steps, with an empty body.
    if name.endswith("_answer_create"):
        return {400} if (live or staff) else {404}
    # Asking who one is comes first, whatever the object: a 401 or 403 says nothing of it.
    if role == "anonymous":
        return {401}
    if role == "learner":
        workflow = name.rsplit("_", 2)[-2] in ("submit", "publish", "unpublish", "archive")
        if workflow and not live:
            return {404}  # a step on an item the learner cannot see: it is not found
        return {403}
    return {200, 201, 400, 403, 409}


def _texts(response) -> str:
    """Everything a response says: headers, body, every file of a zip, a PDF's text."""
    parts = [f"{k}: {v}" for k, v in response.items()]
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if content[:5] == b"%PDF-":
        from pypdf import PdfReader

        reader = PdfReader(io.BytesIO(content))
        parts += [page.extract_text() for page in reader.pages]
        parts.append(str(reader.metadata))
    elif content[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            parts += [archive.read(n).decode("utf-8", "replace") for n in archive.namelist()]
    else:
        parts.append(content.decode("utf-8", "replace"))
    return "\n".join(parts)


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def run(client, cell: Cell):
    if cell.method == "get":
        return client.get(cell.url)
    if cell.area == "site":
        return client.post(cell.url, {})
    return getattr(client, cell.method)(cell.url, {}, content_type="application/json")


@pytest.mark.parametrize("role", ROLES)
def test_every_url_answers_each_role_as_it_should_and_leaks_nothing(world, clients, role):
    cells = site_cells(world) + api_cells(world) + admin_cells(world)
    client = clients[role]
    wrong, leaks = [], []
    for cell in cells:
        response = run(client, cell)
        if response.status_code not in expected(cell, role):
            wrong.append(
                f"{cell.method.upper()} {cell.url} [{cell.state}] → {response.status_code}"
            )
        hidden = CLASSES_HIDDEN[(role, cell.area)]
        text = _texts(response)
        if "?q=" in cell.url:
            # The page repeats what was asked; a sentinel must not be *found*.
            asked = cell.url.split("?q=", 1)[1]
            if 'class="results"' in text:
                leaks.append(f"{cell.url}: a search for a sentinel found something")
            text = text.replace(asked, "")
        for _word, cls, where in world.found_in(text):
            if cls in hidden:
                leaks.append(f"{cell.method.upper()} {cell.url}: {cls} sentinel of {where}")
    print(
        f"MATRIX {role}: {len(cells)} cells, {len(world.sentinels)} sentinels in "
        f"{len({where for _c, where in world.sentinels.values()})} fields"
    )
    assert not leaks, "\n".join(leaks[:40])
    assert not wrong, "\n".join(wrong[:40])


def test_counts_search_etags_and_exports_do_not_move_when_editors_work_on_drafts(
    world, clients, editor_user
):
    anonymous = clients["anonymous"]
    urls = [
        c.url
        for c in site_cells(world) + api_cells(world)
        if c.method == "get" and c.name != "healthz"  # (it reports timings)
    ]
    before = {url: anonymous.get(url) for url in urls}
    lists = {
        "lessons": Lesson,
        "articles": Article,
        "events": Event,
        "concepts": Concept,
    }
    for resource, model in lists.items():
        count = json.loads(before[f"/api/v1/{resource}/"].content)["count"]
        assert count == model.objects.live().count(), resource

    # Editors at work: every working copy changes, a new draft quotes the live article.
    for state in w.STATES:
        for kind in ("concept", "event", "article", "lesson"):
            obj = type(world.get(state, kind)).objects.get(pk=world.get(state, kind).pk)
            if kind == "lesson":
                obj.summary = "An editor's new summary"
                lessons.lesson_save(lesson=obj, user=editor_user)
            else:
                from history import services as history

                saver = {
                    "concept": "concept_save",
                    "event": "event_save",
                    "article": "article_save",
                }
                if kind == "concept":
                    obj.definition = "An editor's new definition"
                elif kind == "event":
                    obj.summary = "An editor's new summary"
                else:
                    obj.kicker = "An editor's new kicker"
                getattr(history, saver[kind])(**{kind: obj}, user=editor_user)
    draft = lessons.lesson_save(lesson=Lesson(title="A new draft", central_question="Why?"))
    lessons.section_save(
        section=Section(lesson=draft, heading="Quotes", excerpt=world.get("published", "excerpt"))
    )
    for url in urls:
        response = anonymous.get(url)
        old = before[url]
        assert response.status_code == old.status_code, url
        assert response.get("ETag") == old.get("ETag"), url
        assert _body(response) == _body(old), url
