"""The JSON exports are streamed as they are read, a chunk of items at a time: the download
starts at once, memory stays bounded, and the document is the same as one made at once."""

import json

import pytest
from django.core.management import call_command
from django.db import connection
from django.http import StreamingHttpResponse
from django.test.utils import CaptureQueriesContext

from history.models import Concept, LiveArticle, LiveConcept, LiveEvent
from lessons.exports import content
from lessons.models import LiveLesson
from tests import factories
from tests.api.conftest import token_client

pytestmark = pytest.mark.django_db


def _streamed(response) -> dict:
    assert isinstance(response, StreamingHttpResponse)
    return json.loads(b"".join(response.streaming_content))


def test_the_open_data_export_streams_the_live_documents_as_they_are(sample, api):
    response = api.get("/api/v1/export.json")
    assert response.status_code == 200 and response["ETag"]
    data = _streamed(response)
    for key, model in (("concepts", LiveConcept), ("events", LiveEvent),
                       ("articles", LiveArticle), ("lessons", LiveLesson)):  # fmt: skip
        stored = [
            json.loads(content.live.with_origin(d, "http://testserver"))
            for d in model.objects.public().order_by("slug").values_list("data", flat=True)
        ]
        assert data[key] == stored, key


def test_the_full_export_streams_the_same_document_as_made_at_once(sample, publisher_user):
    factories.LessonFactory(slug="unfinished", draft=True)
    factories.flush()
    response = token_client(publisher_user).get("/api/v1/export.json?scope=full")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'inline; filename="history-lessons-full.json"'
    assert "ETag" not in response  # made afresh each time: a backup is never a 304
    data = _streamed(response)
    assert data == content.export_full()
    assert "unfinished" in [lesson["slug"] for lesson in data["lessons"]]


def test_the_first_piece_is_ready_before_any_item_is_read(sample, django_assert_num_queries):
    pieces = content.export_full_text()
    with django_assert_num_queries(2):  # the slugs of concepts and events, nothing more
        first = next(pieces)
    assert first.startswith('{"format":"history-lessons-content"')


def test_chunks_of_any_size_give_the_same_document(sample, monkeypatch):
    for n in range(5):
        factories.ConceptFactory(slug=f"extra-{n}")
        factories.LessonFactory(slug=f"extra-lesson-{n}", draft=True)
    factories.flush()
    whole = content.export_full()
    monkeypatch.setattr(content, "CHUNK", 2)
    assert content.export_full() == whole
    assert [c["slug"] for c in whole["concepts"]] == sorted(c["slug"] for c in whole["concepts"])


def test_memory_holds_a_chunk_the_queries_grow_with_chunks_not_items(sample, monkeypatch):
    monkeypatch.setattr(content, "CHUNK", 4)
    for n in range(12):
        factories.ConceptFactory(slug=f"extra-{n}")
    factories.flush()
    with CaptureQueriesContext(connection) as captured:
        for _piece in content.export_full_text():
            pass
    concept_reads = [q for q in captured if 'FROM "history_concept"' in q["sql"]
                     and "LIMIT 4" in q["sql"]]  # fmt: skip
    concepts = Concept.objects.count()
    assert len(concept_reads) == -(-concepts // 4)


def test_sections_and_questions_do_not_read_the_articles_text_again(sample):
    with CaptureQueriesContext(connection) as captured:
        "".join(content.export_full_text())
    body_reads = [q for q in captured if '"history_article"."body"' in q["sql"]]
    assert len(body_reads) == 1  # the one chunk of articles, not one per section or question


def test_the_command_writes_the_full_export_as_it_reads_it(sample, tmp_path):
    path = tmp_path / "full.json"
    call_command("export_content", str(path), "--full")
    assert json.loads(path.read_text(encoding="utf-8")) == content.export_full()
