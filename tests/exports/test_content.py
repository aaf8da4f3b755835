"""The exports: open data for everyone, everything (keys, drafts, notes) only for those allowed;
the full export round-trips through import_content."""

import json

import pytest
from django.core.management import CommandError, call_command
from reversion.models import Version

from history.models import Article, Concept, Event
from lessons.exports.content import export_full
from lessons.models import Lesson
from tests import factories
from tests.api.conftest import token_client

pytestmark = pytest.mark.django_db(transaction=False)

# Every key, note and piece of teacher material the sample holds, by field name.
SECRET_FIELDS = {
    "is_correct",
    "feedback",
    "explanation",
    "model_answer",
    "correct_order",
    "teacher_notes",
    "editor_note",
    "note",
}


def wipe():
    Lesson.objects.all().delete()
    Article.objects.all().delete()
    Event.objects.all().delete()
    Concept.objects.all().delete()


def _values(data, name):
    """Every value of a field of this name, anywhere in a document."""
    if isinstance(data, dict):
        for key, value in data.items():
            if key == name:
                yield value
            yield from _values(value, name)
    elif isinstance(data, list):
        for item in data:
            yield from _values(item, name)


def test_the_anonymous_export_is_open_data_without_keys_notes_or_teacher_material(sample, api):
    response = api.get("/api/v1/export.json")
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("public")
    data = json.loads(b"".join(response.streaming_content))
    assert data["format"] == "history-lessons-open-data"
    assert [lesson["slug"] for lesson in data["lessons"]] == [
        "khrushchev-1956-a-break-with-stalinism"
    ]
    for name in SECRET_FIELDS - {"explanation"}:
        assert all(value is None for value in _values(data, name)), name
    questions = [q for lesson in data["lessons"] for q in lesson["questions"]]
    assert questions and all(q["explanation"] is None for q in questions)
    text = json.dumps(data, ensure_ascii=False)
    lesson = Lesson.objects.get()
    section = lesson.sections.exclude(teacher_notes="").first()
    question = lesson.questions.exclude(model_answer="").first()
    for secret in (
        section.teacher_notes[:60],
        question.model_answer[:60],
        question.explanation[:60],
        Article.objects.get().editor_note[:40],
        "Key (suggested)",
    ):
        assert secret not in text


def test_the_full_export_needs_its_permission(sample, api, editor_user, publisher_user):
    assert api.get("/api/v1/export.json?scope=full").status_code == 403
    assert token_client(editor_user).get("/api/v1/export.json?scope=full").status_code == 403
    response = token_client(publisher_user).get("/api/v1/export.json?scope=full")
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("private")
    data = json.loads(b"".join(response.streaming_content))
    assert data == export_full()
    assert any(value is True for value in _values(data, "is_correct"))


def test_the_command_writes_open_data_unless_told_full(sample, tmp_path):
    public, full = tmp_path / "public.json", tmp_path / "full.json"
    call_command("export_content", str(public))
    call_command("export_content", str(full), "--full")
    assert "Key (suggested)" not in public.read_text(encoding="utf-8")
    assert "Key (suggested)" in full.read_text(encoding="utf-8")


def test_full_export_import_export_gives_the_same_document(sample, tmp_path):
    factories.ConceptFactory(term="Petőfi Circle – “Kör”…", slug="petofi")
    factories.LessonFactory(slug="unfinished", draft=True)
    factories.flush()
    first = tmp_path / "first.json"
    call_command("export_content", str(first), "--full")
    exported = json.loads(first.read_text(encoding="utf-8"))
    assert exported["lessons"] and exported["articles"][0]["excerpts"]
    assert "unfinished" in first.read_text(encoding="utf-8")  # drafts are part of it
    wipe()
    assert Lesson.objects.count() == 0
    call_command("import_content", str(first))
    assert export_full() == exported
    lesson = Lesson.objects.get(slug="khrushchev-1956-a-break-with-stalinism")
    assert lesson.is_live
    assert not Lesson.objects.get(slug="unfinished").is_live
    assert Concept.objects.get(slug="petofi").term == "Petőfi Circle – “Kör”…"
    # One revision of the imported lesson, holding all its sections and questions.
    revisions = Version.objects.get_for_object(lesson)
    assert revisions.count() == 1
    kept = {v.content_type.model for v in revisions.get().revision.version_set.all()}
    assert {"lesson", "section", "question", "choice"} <= kept


def test_import_refuses_to_overwrite_and_changes_nothing(sample, tmp_path):
    path = tmp_path / "content.json"
    call_command("export_content", str(path), "--full")
    before = export_full()
    with pytest.raises(CommandError, match="already exist"):
        call_command("import_content", str(path))
    assert export_full() == before


def test_import_refuses_an_open_data_export_with_a_reason(sample, tmp_path):
    path = tmp_path / "open.json"
    call_command("export_content", str(path))
    wipe()
    with pytest.raises(CommandError, match="open-data export"):
        call_command("import_content", str(path))
    assert Concept.objects.count() == 0


@pytest.mark.parametrize(
    "content",
    [
        "not json",
        '{"format": "something else"}',
        '{"format": "history-lessons-content", "version": 2, "concepts": [{"slug": "x"}]}',
    ],
)
def test_a_bad_file_is_refused_with_a_reason(db, tmp_path, content):
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("import_content", str(path))
    assert Concept.objects.count() == 0
