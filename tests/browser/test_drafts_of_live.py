"""Drafts of live content, in real browsers: an editor's changes to a live lesson stay in its
working copy until a publisher publishes them, and two editors never overwrite each other."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from lessons.models import Lesson, Question, QuestionKind
from tests import factories
from tests.browser.conftest import CHROMIUM_ARGS, log_in  # noqa: F401

NEW_SUMMARY = "A new summary – revised for Year 10, with Petőfi and Poznań."
NEW_BODY = "Read the opening sentence twice: what does “conference” tell you?"
NEW_CHOICE = "The 20th Congress of the CPSU, in Moscow"


@pytest.fixture
def live_lesson(transactional_db, sample):
    return {
        "lesson": Lesson.objects.get(),
        "editor": factories.editor(username="edith"),
        "other": factories.editor(username="erik"),
        "publisher": factories.publisher(username="paul"),
    }


def _context(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    context.set_default_timeout(15_000)
    return context


def test_a_teachers_story_from_an_edit_to_what_learners_read(browser, live_server, live_lesson):
    lesson = live_lesson["lesson"]
    question = lesson.questions.filter(kind=QuestionKind.MULTIPLE_CHOICE).first()
    choice = question.choices.order_by("position").first()
    old_summary, old_choice = lesson.summary, choice.text
    lesson_url = live_server.url + lesson.get_absolute_url()
    change_url = live_server.url + reverse("admin:lessons_lesson_change", args=[lesson.pk])

    learner = _context(browser).new_page()
    learner.goto(lesson_url)
    expect(learner.locator(".lead")).to_have_text(old_summary)

    # The editor changes the summary, a section and a choice.
    editor = _context(browser).new_page()
    log_in(editor, live_server, "edith")
    editor.goto(change_url)
    editor.locator("#id_summary").fill(NEW_SUMMARY)
    editor.locator("#id_sections-0-body").fill(NEW_BODY)
    editor.locator("input[name=_continue]").click()
    expect(editor.locator(".messagelist")).to_contain_text("was changed successfully")
    expect(editor.locator("[data-state=changes]")).to_be_visible()
    editor.goto(live_server.url + reverse("admin:lessons_question_change", args=[question.pk]))
    editor.locator(f"input[name='choices-0-text'][value='{old_choice}']").fill(NEW_CHOICE)
    editor.locator("input[name=_save]").click()
    expect(editor.locator(".messagelist")).to_contain_text("was changed successfully")

    # Learners still read the live version.
    learner.reload()
    expect(learner.locator(".lead")).to_have_text(old_summary)
    expect(learner.get_by_text(NEW_BODY)).to_have_count(0)
    expect(learner.get_by_text(NEW_CHOICE)).to_have_count(0)

    # The editor submits the changes; an editor has no button to publish them.
    editor.goto(change_url)
    expect(editor.locator("button[name=action][value=publish]")).to_have_count(0)
    editor.locator("button[name=action][value=submit]").click()
    expect(editor.locator(".messagelist")).to_contain_text("Submitted for review")

    # The publisher compares the working copy with the live version, then publishes.
    publisher = _context(browser).new_page()
    log_in(publisher, live_server, "paul")
    publisher.goto(change_url)
    publisher.get_by_role("link", name="compare with the live version").click()
    expect(publisher.locator(".changed-fields")).to_contain_text("summary")
    expect(publisher.locator(".revision-diff")).to_contain_text("Year 10")
    publisher.locator("button[name=action][value=publish]").click()
    expect(publisher.locator(".messagelist")).to_contain_text("Published")

    learner.reload()
    expect(learner.locator(".lead")).to_have_text(NEW_SUMMARY)
    expect(learner.get_by_text(NEW_BODY)).to_be_visible()
    expect(learner.get_by_text(NEW_CHOICE)).to_be_visible()


def _two_editors(browser, live_server, url):
    pages = []
    for username in ("edith", "erik"):
        page = _context(browser).new_page()
        log_in(page, live_server, username)
        page.goto(url)
        pages.append(page)
    return pages


@pytest.mark.parametrize("where", ["question", "lesson inline", "article"])
def test_two_editors_on_the_same_page_never_overwrite_each_other(
    browser, live_server, live_lesson, where
):
    lesson = live_lesson["lesson"]
    if where == "question":
        obj = Question.objects.filter(lesson=lesson).first()
        url = reverse("admin:lessons_question_change", args=[obj.pk])
        field, read = "#id_prompt", lambda: Question.objects.get(pk=obj.pk).prompt
    elif where == "lesson inline":
        url = reverse("admin:lessons_lesson_change", args=[lesson.pk])
        field = "#id_sections-1-heading"
        section = lesson.sections.order_by("position", "id")[1]
        read = lambda: type(section).objects.get(pk=section.pk).heading  # noqa: E731
    else:
        article = lesson.sections.exclude(excerpt=None).first().excerpt.article
        url = reverse("admin:history_article_change", args=[article.pk])
        field, read = "#id_title", lambda: type(article).objects.get(pk=article.pk).title
    edith, erik = _two_editors(browser, live_server, live_server.url + url)

    edith.locator(field).fill("Edith’s words – first")
    edith.locator("input[name=_continue]").click()
    expect(edith.locator(".messagelist")).to_contain_text("was changed successfully")
    assert read() == "Edith’s words – first"

    erik.locator(field).fill("Erik’s words – second")
    erik.locator("input[name=_continue]").click()
    expect(erik.locator(".errornote, .messagelist").first).to_be_visible()
    expect(erik.locator("body")).to_contain_text("Nothing was saved: edith saved this")
    expect(erik.locator("body")).to_contain_text("Erik’s words – second")  # his edit, listed
    expect(erik.locator(field)).to_have_value("Edith’s words – first")  # her saved value
    assert read() == "Edith’s words – first"

    # Having seen hers, he applies his edit again: now it is saved, knowingly.
    erik.locator(field).fill("Erik’s words – second")
    erik.locator("input[name=_continue]").click()
    expect(erik.locator(".messagelist")).to_contain_text("was changed successfully")
    assert read() == "Erik’s words – second"
