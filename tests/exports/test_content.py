"""The whole published content round-trips through export_content and import_content."""

import json

import pytest
from django.core.management import CommandError, call_command
from reversion.models import Version

from history.models import Article, Concept, Event
from lessons.exports.content import export_content
from lessons.models import Lesson
from tests import factories

pytestmark = pytest.mark.django_db(transaction=False)


def wipe():
    Lesson.objects.all().delete()
    Article.objects.all().delete()
    Event.objects.all().delete()
    Concept.objects.all().delete()


def test_export_import_export_gives_the_same_document(sample, tmp_path):
    factories.ConceptFactory(term="Petőfi Circle – “Kör”…", slug="petofi")
    factories.LessonFactory(slug="unfinished", draft=True)
    first = tmp_path / "first.json"
    call_command("export_content", str(first))
    exported = json.loads(first.read_text(encoding="utf-8"))
    assert exported["lessons"] and exported["articles"][0]["excerpts"]
    assert "unfinished" not in first.read_text(encoding="utf-8")  # drafts are not exported
    wipe()
    assert Lesson.objects.count() == 0
    call_command("import_content", str(first))
    assert export_content() == exported
    lesson = Lesson.objects.get()
    assert lesson.is_public
    assert Concept.objects.get(slug="petofi").term == "Petőfi Circle – “Kör”…"
    # One revision of the imported lesson, holding all its sections and questions.
    revisions = Version.objects.get_for_object(lesson)
    assert revisions.count() == 1
    kept = {v.content_type.model for v in revisions.get().revision.version_set.all()}
    assert {"lesson", "section", "question", "choice"} <= kept


def test_import_refuses_to_overwrite_and_changes_nothing(sample, tmp_path):
    path = tmp_path / "content.json"
    call_command("export_content", str(path))
    before = export_content()
    with pytest.raises(CommandError, match="already exist"):
        call_command("import_content", str(path))
    assert export_content() == before


@pytest.mark.parametrize(
    "content",
    [
        "not json",
        '{"format": "something else"}',
        '{"format": "history-lessons-content", "version": 1, "concepts": [{"slug": "x"}]}',
    ],
)
def test_a_bad_file_is_refused_with_a_reason(db, tmp_path, content):
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("import_content", str(path))
    assert Concept.objects.count() == 0


def test_the_export_is_also_served_by_the_api(sample, api):
    response = api.get("/api/v1/export.json")
    assert response.json() == export_content()
