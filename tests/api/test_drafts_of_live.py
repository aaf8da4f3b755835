"""Drafts of live content over the API: an editor's PATCH of a live lesson stays in its working
copy (editors see it, with a diff against the live version) until a publisher publishes it."""

import pytest

from lessons.models import Lesson, QuestionKind

pytestmark = pytest.mark.django_db


def test_a_teachers_story_over_the_api(sample, api, editor_api, publisher_api):
    lesson = Lesson.objects.get()
    url = f"/api/v1/lessons/{lesson.slug}/"
    live = api.get(url).json()
    section = lesson.sections.order_by("position", "id").first()
    question = lesson.questions.filter(kind=QuestionKind.MULTIPLE_CHOICE).first()
    right = question.choices.get(is_correct=True)
    choice = question.choices.filter(is_correct=False).order_by("position").first()
    both = {"answer": [right.pk, choice.pk]}

    staff = editor_api.get(url).json()
    assert staff["live"] is True and staff["has_unpublished_changes"] is False
    response = editor_api.patch(
        url, {"summary": "A new summary.", "version": staff["version"]}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["has_unpublished_changes"] is True
    assert response.json()["status"] == "draft"  # the working copy; it is still live
    assert (
        editor_api.patch(
            f"/api/v1/sections/{section.pk}/", {"body": "Read it twice."}, format="json"
        ).status_code
        == 200
    )
    assert (
        editor_api.patch(
            f"/api/v1/choices/{choice.pk}/", {"is_correct": True}, format="json"
        ).status_code
        == 200
    )  # now both are right, in the working copy

    # Learners and anonymous clients: nothing has changed, not even the ETag.
    anonymous = api.get(url)
    assert anonymous.json() == live and anonymous["ETag"] == api.get(url)["ETag"]
    answer = api.post(f"/api/v1/questions/{question.pk}/answer/", both, format="json")
    assert answer.json()["correct"] is False  # checked against the live key

    changes = editor_api.get(f"{url}changes/").json()
    fields = {c["field"] for c in changes["changes"]}
    assert "summary" in fields
    assert any(f.startswith("sections.1.body") for f in fields)
    assert any(f.endswith("is_correct") for f in fields)
    assert "+summary: A new summary." in changes["diff"]

    assert editor_api.post(f"{url}publish/").status_code == 403
    assert editor_api.post(f"{url}submit/").json()["status"] == "review"
    published = publisher_api.post(f"{url}publish/")
    assert published.status_code == 200 and published.json()["has_unpublished_changes"] is False

    now = api.get(url).json()
    assert now["summary"] == "A new summary."
    assert now["sections"][0]["body"] == "Read it twice."
    answer = api.post(f"/api/v1/questions/{question.pk}/answer/", both, format="json")
    assert answer.json()["correct"] is True


def test_an_editor_cannot_move_a_drafts_section_into_a_live_lesson_unreviewed(
    sample, api, editor_api
):
    from tests import factories

    live = Lesson.objects.get()
    draft = factories.LessonFactory(draft=True)
    section = factories.SectionFactory(lesson=draft, heading="Smuggled in")
    response = editor_api.patch(
        f"/api/v1/sections/{section.pk}/", {"lesson": live.slug}, format="json"
    )
    assert response.status_code == 200
    assert "Smuggled in" not in api.get(f"/api/v1/lessons/{live.slug}/").content.decode()
    assert Lesson.objects.get(pk=live.pk).has_unpublished_changes
