"""Two editors on the same question page, or on the same lesson's inline sections: the second
save is refused, shows the first editor's saved values, and lists the second's own edits."""

import pytest
from django.urls import reverse

from lessons import services
from lessons.models import Choice, Question, Section
from tests import factories
from tests.curation.test_revisions import _post_data


@pytest.fixture
def question(db):
    lesson = factories.LessonFactory(draft=True)
    question = factories.QuestionFactory(
        lesson=lesson, kind="multiple_choice", prompt="Which congress?"
    )
    factories.ChoiceFactory(question=question, text="The 20th", is_correct=True)
    factories.ChoiceFactory(question=question, text="The 19th")
    services.lesson_save(lesson=lesson, comment="First draft.")
    return question


def two_editors(client, url):
    first, second = factories.editor(username="edith"), factories.editor(username="erik")
    client.force_login(first)
    first_form = _post_data(client.get(url))
    client.force_login(second)
    second_form = _post_data(client.get(url))
    return (first, first_form), (second, second_form)


def test_the_question_page_refuses_a_stale_save_and_shows_the_saved_question(client, question):
    url = reverse("admin:lessons_question_change", args=[question.pk])
    (edith, edith_form), (_erik, erik_form) = two_editors(client, url)
    erik_form["prompt"] = "Which congress – the 20th?"
    assert client.post(url, erik_form).status_code == 302

    client.force_login(edith)
    edith_form["prompt"] = "Which meeting?"
    response = client.post(url, edith_form)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Nothing was saved: erik saved this" in html
    assert "Your edits, to apply again: Question: “Which meeting?”" in html
    assert _post_data(response)["prompt"] == "Which congress – the 20th?"
    assert Question.objects.get().prompt == "Which congress – the 20th?"


def test_a_stale_edit_of_a_choice_on_the_question_page_is_not_saved_and_is_listed(client, question):
    url = reverse("admin:lessons_question_change", args=[question.pk])
    (edith, edith_form), (_erik, erik_form) = two_editors(client, url)
    erik_form["prompt"] = "Which congress, exactly?"
    assert client.post(url, erik_form).status_code == 302

    client.force_login(edith)
    text_field = next(k for k, v in edith_form.items() if v == "The 19th")
    edith_form[text_field] = "The 18th"
    response = client.post(url, edith_form)
    assert response.status_code == 200
    assert "The 18th" in response.content.decode()  # listed as her edit to apply again
    assert sorted(Choice.objects.values_list("text", flat=True)) == ["The 19th", "The 20th"]


def test_a_question_saved_on_its_page_is_kept_in_the_lessons_revisions(client, question):
    from publishing import revisions

    url = reverse("admin:lessons_question_change", args=[question.pk])
    client.force_login(factories.editor(username="edith"))
    data = _post_data(client.get(url))
    data["model_answer"] = "The 20th Congress, February 1956."
    assert client.post(url, data).status_code == 302
    newest = revisions.versions_for(question.lesson).first()
    lines = "\n".join(revisions.version_lines(newest))
    assert "The 20th Congress, February 1956." in lines
    assert "Answer: The 19th" in lines


def test_two_editors_on_the_same_lesson_inline_section(client, question):
    lesson = question.lesson
    factories.SectionFactory(lesson=lesson, heading="Read the speech")
    services.lesson_save(lesson=lesson)
    url = reverse("admin:lessons_lesson_change", args=[lesson.pk])
    (edith, edith_form), (_erik, erik_form) = two_editors(client, url)
    heading = next(k for k, v in erik_form.items() if v == "Read the speech")
    erik_form[heading] = "Read the secret speech"
    assert client.post(url, erik_form).status_code == 302

    client.force_login(edith)
    edith_form[heading] = "Read Khrushchev’s speech"
    response = client.post(url, edith_form, follow=True)
    html = response.content.decode()
    assert "Nothing was saved: erik saved this" in html
    assert "Read Khrushchev’s speech" in html  # her edit, listed to apply again
    assert _post_data(response)[heading] == "Read the secret speech"  # his, in the form
    assert Section.objects.get(lesson=lesson).heading == "Read the secret speech"


def test_an_api_write_from_a_stale_version_of_a_part_is_refused_with_409(question, editor_user):
    from tests.api.conftest import token_client

    editor_api = token_client(editor_user)
    choice = question.choices.get(text="The 19th")
    url = f"/api/v1/choices/{choice.pk}/"
    started = choice.version
    assert (
        editor_api.patch(url, {"text": "The 18th", "version": started}, format="json").status_code
        == 200
    )
    stale = editor_api.patch(url, {"text": "The 17th", "version": started}, format="json")
    assert stale.status_code == 409
    assert Choice.objects.get(pk=choice.pk).text == "The 18th"
