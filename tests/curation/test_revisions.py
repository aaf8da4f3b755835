"""Revisions: every save kept with who and why; compared as a readable diff; reverted safely."""

import pytest
import reversion
from django import forms
from django.urls import reverse
from reversion.models import Version

from history import services as history_services
from lessons import services
from lessons.models import Choice, Lesson, Question, Section
from publishing import revisions
from publishing import services as publishing
from publishing.models import Status
from tests.factories import (
    ArticleFactory,
    ChoiceFactory,
    LessonFactory,
    QuestionFactory,
    SectionFactory,
    flush,
)


@pytest.fixture
def lesson(db, editor_user):
    lesson = LessonFactory(title="Poznań, June 1956")
    SectionFactory(lesson=lesson, heading="Before", position=1)
    SectionFactory(lesson=lesson, heading="After", position=2)
    question = QuestionFactory(lesson=lesson, prompt="Who struck first?")
    ChoiceFactory(question=question, text="The workers", is_correct=True)
    ChoiceFactory(question=question, text="The army")
    flush()  # live, as published
    services.lesson_save(lesson=lesson, user=editor_user, comment="First draft.")
    return lesson


def test_a_save_is_kept_with_its_sections_questions_author_and_comment(lesson, editor_user):
    (version,) = revisions.versions_for(lesson)
    assert version.revision.user == editor_user
    assert version.revision.comment == "First draft."
    models = {v.content_type.model for v in version.revision.version_set.all()}
    assert models == {"lesson", "section", "question", "choice"}


def test_revert_restores_sections_questions_and_choices_but_not_the_state(
    lesson, editor_user, publisher_user
):
    first = revisions.versions_for(lesson).get()
    # Edit everything: retitle, drop a section, add one, change the question, drop a choice.
    lesson.title = "Changed"
    Section.objects.get(heading="After").delete()
    SectionFactory(lesson=lesson, heading="New", position=3)
    Question.objects.update(prompt="Changed?")
    Choice.objects.get(text="The army").delete()
    services.lesson_save(lesson=lesson, user=editor_user, expected_version=lesson.version)
    publishing.unpublish(obj=lesson, user=publisher_user)

    services.lesson_revert(lesson=lesson, version=first, user=editor_user)
    lesson = Lesson.objects.get()
    assert lesson.title == "Poznań, June 1956"
    assert list(lesson.sections.values_list("heading", flat=True)) == ["Before", "After"]
    question = lesson.questions.get()
    assert question.prompt == "Who struck first?"
    assert sorted(question.choices.values_list("text", flat=True)) == ["The army", "The workers"]
    assert lesson.status == Status.DRAFT  # the state stays as it is now
    latest = revisions.versions_for(lesson).first()
    assert latest.revision.comment.startswith("Reverted to the revision of")


def test_the_diff_is_readable_and_escapes_what_editors_wrote(lesson, editor_user):
    first = revisions.versions_for(lesson).get()
    lesson.title = "<script>alert(1)</script> Budapest"
    services.lesson_save(lesson=lesson, user=editor_user)
    second = revisions.versions_for(lesson).first()
    table = revisions.diff_table(first, second)
    assert "<script>" not in table
    assert "&lt;script&gt;" in table
    assert "Poznań,&nbsp;June&nbsp;1956" in table
    lines = revisions.version_lines(first)
    assert "Title: Poznań, June 1956" in lines
    assert "        Answer: The workers" in lines


def test_the_revisions_page_compares_two_and_the_revert_page_asks_first(
    client, lesson, editor_user
):
    first = revisions.versions_for(lesson).get()
    lesson.title = "Second title"
    services.lesson_save(lesson=lesson, user=editor_user)
    second = revisions.versions_for(lesson).first()
    client.force_login(editor_user)
    url = reverse("admin:lessons_lesson_revisions", args=[lesson.pk])
    html = client.get(url, {"a": first.pk, "b": second.pk}).content.decode()
    assert "First draft." in html and "Second title" in html and 'class="diff"' in html

    revert = reverse("admin:lessons_lesson_revert", args=[lesson.pk, first.pk])
    assert "What will change" in client.get(revert).content.decode()
    assert Lesson.objects.get().title == "Second title"  # nothing changed by looking
    response = client.post(revert, {"expected_version": Lesson.objects.get().version})
    assert response.status_code == 302
    assert Lesson.objects.get().title == "Poznań, June 1956"


def test_a_revision_of_another_object_is_not_found(client, lesson, editor_user):
    other = LessonFactory()
    services.lesson_save(lesson=other, user=editor_user)
    version = revisions.versions_for(other).get()
    client.force_login(editor_user)
    url = reverse("admin:lessons_lesson_revert", args=[lesson.pk, version.pk])
    assert client.get(url).status_code == 404


def test_saving_in_the_admin_keeps_one_revision_with_the_inlines_as_saved(
    client, lesson, editor_user
):
    client.force_login(editor_user)
    url = reverse("admin:lessons_lesson_change", args=[lesson.pk])
    data = _post_data(client.get(url))
    data["title"] = "Edited in the admin"
    data["sections-0-heading"] = "Before, edited"
    response = client.post(url, data)
    assert response.status_code == 302, response.context["errors"] if response.context else ""
    latest = revisions.versions_for(lesson).first()
    assert latest.revision.user == editor_user
    assert "Title" in latest.revision.comment or "Changed" in latest.revision.comment
    lines = [line.strip() for line in revisions.version_lines(latest)]
    assert "Heading: Before, edited" in lines and "Heading: After" in lines


def test_articles_are_revised_and_reverted_through_their_service(db, editor_user):
    article = ArticleFactory()
    with reversion.create_revision():
        history_services.article_save(article=article, user=editor_user, comment="Imported.")
    first = revisions.versions_for(article).first()
    article.body = "A completely different text about Gomułka in Poznań."
    history_services.article_save(article=article, user=editor_user)
    history_services.source_revert(obj=article, version=first, user=editor_user)
    article.refresh_from_db()
    assert "Petőfi Circle" in article.body
    assert Version.objects.get_for_object(article).count() == 3


def test_the_sample_leaves_a_first_revision_of_its_lesson(sample):
    lesson = Lesson.objects.get()
    (version,) = revisions.versions_for(lesson)
    assert version.revision.comment == "Sample lesson loaded."
    sections = version.revision.version_set.filter(content_type__model="section")
    assert sections.count() == lesson.sections.count() == 9


def _post_data(response):
    """The change form's current values, as the browser would post them."""
    data = {}
    context = response.context
    form = context["adminform"].form
    for name, field in form.fields.items():
        value = form[name].value()
        if value is None or isinstance(field, forms.FileField):
            continue
        if isinstance(value, list | tuple):
            data[name] = [str(getattr(v, "pk", v)) for v in value]
        else:
            data[name] = field.prepare_value(value) if name in ("objectives",) else value
        if field.show_hidden_initial:  # the browser posts the initial value beside it
            data[form[name].html_initial_name] = data[name]
    for formset in context["inline_admin_formsets"]:
        management = formset.formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = management[name].value()
        for inline_form in formset.formset.forms:
            for name, field in inline_form.fields.items():
                value = inline_form[name].value()
                if value is None:
                    continue
                if name == "guiding_questions":
                    value = field.prepare_value(value)
                data[inline_form.add_prefix(name)] = getattr(value, "pk", value)
    return data
