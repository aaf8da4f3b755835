"""Writing through the API: the same services and permissions as the admin."""

import pytest

from history.models import Concept, Event
from lessons.models import Excerpt, Lesson, QuestionKind
from tests import factories

pytestmark = pytest.mark.django_db


def test_anonymous_clients_cannot_write(api):
    response = api.post("/api/v1/concepts/", {"term": "x", "definition": "y"}, format="json")
    assert response.status_code == 401
    assert Concept.objects.count() == 0


def test_a_user_without_edit_permission_is_refused(api):
    api.force_authenticate(factories.UserFactory(username="lena"))
    response = api.post("/api/v1/concepts/", {"term": "x", "definition": "y"}, format="json")
    assert response.status_code == 403
    assert Concept.objects.count() == 0


def test_an_editor_creates_a_draft_concept_with_unicode_intact(editor_api, editor_user):
    response = editor_api.post(
        "/api/v1/concepts/",
        {
            "term": "Petőfi Circle",
            "definition": "A debating club – in Budapest…",
            "aliases": ["Petőfi Kör", "  "],
            "kind": "organisation",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["status"] == "draft"
    assert data["slug"] == "petofi-circle"
    assert data["aliases"] == ["Petőfi Kör"]  # the service cleans blank forms
    concept = Concept.objects.get(slug="petofi-circle")
    assert concept.created_by == editor_user
    assert concept.definition == "A debating club – in Budapest…"


def test_validation_errors_say_which_field_and_why_and_change_nothing(editor_api):
    response = editor_api.post(
        "/api/v1/events/", {"title": "Uprising", "date_edtf": "sometime soon"}, format="json"
    )
    assert response.status_code == 400
    problem = response.json()
    assert response["Content-Type"] == "application/problem+json"
    assert "date_edtf" in problem["errors"]
    assert "is not a date" in problem["errors"]["date_edtf"][0]
    assert Event.objects.count() == 0


def test_an_editor_edits_a_lesson_and_a_stale_version_is_refused(editor_api):
    lesson = factories.LessonFactory(draft=True)
    concept = factories.ConceptFactory(slug="stalinism")
    url = f"/api/v1/lessons/{lesson.slug}/"
    version = editor_api.get(url).json()["version"]
    response = editor_api.patch(
        url, {"title": "Changed", "version": version, "vocabulary": ["stalinism"]}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["title"] == "Changed"
    assert [c["slug"] for c in response.json()["vocabulary"]] == [concept.slug]
    stale = editor_api.patch(url, {"title": "Lost edit", "version": version}, format="json")
    assert stale.status_code == 409
    assert "changed by someone else" in stale.json()["detail"]
    assert Lesson.objects.get(pk=lesson.pk).title == "Changed"


def test_an_editor_cannot_publish_but_can_submit_for_review(editor_api):
    lesson = factories.LessonFactory(draft=True)
    factories.SectionFactory(lesson=lesson)
    refused = editor_api.post(f"/api/v1/lessons/{lesson.slug}/publish/")
    assert refused.status_code == 403
    assert refused.json()["detail"] == "Only publishers may publish."
    lesson.refresh_from_db()
    assert lesson.status == "draft"
    submitted = editor_api.post(f"/api/v1/lessons/{lesson.slug}/submit/")
    assert submitted.status_code == 200
    assert submitted.json()["status"] == "review"


def test_a_publisher_publishes_and_unpublishes(publisher_api, api):
    lesson = factories.LessonFactory(draft=True)
    factories.SectionFactory(lesson=lesson)
    published = publisher_api.post(f"/api/v1/lessons/{lesson.slug}/publish/")
    assert published.status_code == 200, published.json()
    assert published.json()["status"] == "published"
    assert api.get(f"/api/v1/lessons/{lesson.slug}/").status_code == 200
    assert publisher_api.post(f"/api/v1/lessons/{lesson.slug}/unpublish/").status_code == 200
    assert api.get(f"/api/v1/lessons/{lesson.slug}/").status_code == 404


@pytest.mark.parametrize(
    ("action", "says"),
    [
        ("publish", "cannot go to “published”"),
        ("submit", "cannot go to “in review”"),
        ("unpublish", "is not published"),
    ],
)
def test_a_step_the_state_does_not_allow_is_a_conflict_and_changes_nothing(
    publisher_api, action, says
):
    event = factories.EventFactory(draft=True)
    Event.objects.filter(pk=event.pk).update(status="archived")
    response = publisher_api.post(f"/api/v1/events/{event.slug}/{action}/")
    assert response.status_code == 409, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert says in response.json()["detail"]
    assert Event.objects.get(pk=event.pk).status == "archived"


def test_nothing_to_review_on_a_live_item_without_changes_is_a_conflict(editor_api):
    event = factories.EventFactory()
    response = editor_api.post(f"/api/v1/events/{event.slug}/submit/")
    assert response.status_code == 409
    assert "no unpublished changes" in response.json()["detail"]


def test_a_publication_time_that_has_passed_is_refused_and_changes_nothing(publisher_api, api):
    event = factories.EventFactory(draft=True)
    response = publisher_api.post(
        f"/api/v1/events/{event.slug}/publish/", {"at": "0269-01-07T23:17:28Z"}, format="json"
    )
    assert response.status_code == 400
    assert "has passed" in response.json()["detail"]
    assert Event.objects.get(pk=event.pk).status == "draft"
    assert api.get(f"/api/v1/events/{event.slug}/").status_code == 404


def test_a_lesson_with_problems_is_not_published_and_says_why(publisher_api):
    lesson = factories.LessonFactory(draft=True)
    response = publisher_api.post(f"/api/v1/lessons/{lesson.slug}/publish/")
    assert response.status_code == 400
    assert "no sections" in response.json()["detail"]


def test_scheduling_publication_takes_a_time(publisher_api, api):
    event = factories.EventFactory(draft=True)
    response = publisher_api.post(
        f"/api/v1/events/{event.slug}/publish/", {"at": "2999-01-01T00:00:00Z"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["publish_at"].startswith("2999-01-01")
    assert api.get(f"/api/v1/events/{event.slug}/").status_code == 404


def test_excerpts_are_made_by_position_or_by_exact_words(editor_api):
    article = factories.ArticleFactory(slug="source")
    body = article.body
    start = body.index("Petőfi")
    by_position = editor_api.post(
        "/api/v1/excerpts/",
        {"article": "source", "start": start, "end": start + len("Petőfi Circle")},
        format="json",
    )
    assert by_position.status_code == 201, by_position.json()
    assert by_position.json()["exact"] == "Petőfi Circle"
    by_words = editor_api.post(
        "/api/v1/excerpts/", {"article": "source", "exact": "the ‘soviets’"}, format="json"
    )
    assert by_words.status_code == 201
    assert body[by_words.json()["start"] : by_words.json()["end"]] == "the ‘soviets’"
    missing = editor_api.post(
        "/api/v1/excerpts/", {"article": "source", "exact": "not in the text"}, format="json"
    )
    assert missing.status_code == 400
    assert "exact" in missing.json()["errors"]
    outside = editor_api.post(
        "/api/v1/excerpts/", {"article": "source", "start": 5, "end": 99999}, format="json"
    )
    assert outside.status_code == 400
    assert Excerpt.objects.count() == 2


def test_an_editor_builds_sections_questions_and_choices(editor_api):
    lesson = factories.LessonFactory(draft=True)
    excerpt = factories.ExcerptFactory()
    section = editor_api.post(
        "/api/v1/sections/",
        {
            "lesson": lesson.slug,
            "heading": "Read the source",
            "excerpt": excerpt.pk,
            "guiding_questions": ["Who wrote it – and when?"],
        },
        format="json",
    )
    assert section.status_code == 201, section.json()
    question = editor_api.post(
        "/api/v1/questions/",
        {"lesson": lesson.slug, "kind": "multiple_choice", "prompt": "Which congress?"},
        format="json",
    )
    assert question.status_code == 201, question.json()
    question_id = question.json()["id"]
    for text, right in [("The 20th", True), ("The 19th", False)]:
        choice = editor_api.post(
            "/api/v1/choices/",
            {"question": question_id, "text": text, "is_correct": right},
            format="json",
        )
        assert choice.status_code == 201, choice.json()
    data = editor_api.get(f"/api/v1/lessons/{lesson.slug}/").json()
    assert data["sections"][0]["excerpt"]["id"] == excerpt.pk
    choices = data["questions"][0]["choices"]
    assert {c["text"]: c["is_correct"] for c in choices} == {"The 20th": True, "The 19th": False}


def test_a_nested_write_is_not_implicit(editor_api):
    lesson = factories.LessonFactory(draft=True)
    response = editor_api.patch(
        f"/api/v1/lessons/{lesson.slug}/",
        {"sections": [{"heading": "sneaked in"}]},
        format="json",
    )
    assert response.status_code == 200
    assert lesson.sections.count() == 0


# --- answers -----------------------------------------------------------------------------


@pytest.fixture
def question(db):
    question = factories.QuestionFactory(
        kind=QuestionKind.MULTIPLE_CHOICE, explanation="It was the *20th Congress*."
    )
    right = factories.ChoiceFactory(question=question, is_correct=True, feedback="Yes.")
    wrong = factories.ChoiceFactory(question=question, feedback="No: a congress.")
    return question, right, wrong


def test_anyone_checks_an_answer_and_gets_the_explanation(api, question):
    question, right, wrong = question
    url = f"/api/v1/questions/{question.pk}/answer/"
    ok = api.post(url, {"answer": [right.pk]}, format="json")
    assert ok.status_code == 200
    assert ok.json()["correct"] is True
    assert ok.json()["explanation_html"] == "<p>It was the <em>20th Congress</em>.</p>\n"
    bad = api.post(url, {"answer": [wrong.pk]}, format="json").json()
    attempt = bad.pop("attempt")
    assert bad == {
        "correct": False,
        "explanation": "",
        "explanation_html": "",
        "feedback": ["No: a congress."],
        "in_place": None,
        "total": None,
        "revealed": False,
        "try_number": 1,
        "tries": 2,
        "tries_left": 1,
        "hint": "",
        "hint_html": "",
        "answer": [],
        "answer_text": [],
    }
    last = api.post(url, {"answer": [wrong.pk], "attempt": attempt}, format="json").json()
    assert last["revealed"] and last["tries_left"] == 0 and last["try_number"] == 2
    assert last["explanation"] == "It was the *20th Congress*."
    assert last["answer"] == [right.pk] and last["answer_text"] == [right.text]


def test_a_forged_attempt_is_refused_and_says_why(api, question):
    question, _right, wrong = question
    url = f"/api/v1/questions/{question.pk}/answer/"
    response = api.post(url, {"answer": [wrong.pk], "attempt": "forged"}, format="json")
    assert response.status_code == 400
    assert "try count" in response.json()["errors"]["attempt"][0]


@pytest.mark.parametrize(
    "body", [{"answer": []}, {"answer": ["x"]}, {"answer": [999999]}, {}, {"answer": "1"}]
)
def test_a_malformed_answer_is_refused_with_a_reason(api, question, body):
    question = question[0]
    response = api.post(f"/api/v1/questions/{question.pk}/answer/", body, format="json")
    assert response.status_code == 400
    assert any(field.startswith("answer") for field in response.json()["errors"])


def test_an_open_question_cannot_be_checked(api):
    question = factories.QuestionFactory(kind=QuestionKind.OPEN)
    response = api.post(f"/api/v1/questions/{question.pk}/answer/", {"answer": [1]}, format="json")
    assert response.status_code == 400
    assert "discussion" in response.json()["detail"]


def test_an_editor_changes_an_excerpts_note_but_not_its_words(editor_api):
    excerpt = factories.ExcerptFactory()
    response = editor_api.patch(
        f"/api/v1/excerpts/{excerpt.pk}/",
        {"note": "Check the date – Poznań, June 1956…", "exact": "changed"},
        format="json",
    )
    assert response.status_code == 200
    excerpt.refresh_from_db()
    assert excerpt.note == "Check the date – Poznań, June 1956…"
    assert excerpt.exact != "changed"
