"""The editor's whole path in a real browser: select a sentence, quote it, review, publish."""

import re

import pytest
from playwright.sync_api import expect

from lessons.models import Excerpt
from publishing.models import Status
from tests import factories
from tests.browser.conftest import _axe_source as axe_source
from tests.browser.conftest import axe_violations, log_in

SENTENCE = "Living conditions were severe."


@pytest.fixture
def curation(transactional_db, sample):
    """Sample content, an editor, a publisher and an empty draft lesson to build."""
    lesson = factories.LessonFactory(
        draft=True, title="Life in Stalin’s eastern Europe", slug="life-in-eastern-europe"
    )
    return {
        "editor": factories.editor(username="edith"),
        "publisher": factories.publisher(username="paul"),
        "lesson": lesson,
    }


def select_with_mouse(page, paragraph: int, words: str) -> None:
    """Drag the mouse across ``words`` in the numbered paragraph, as a person would."""
    box = page.evaluate(
        """([number, words]) => {
            const node = document.querySelector(`#para-${number} .para-text`).firstChild;
            const at = node.textContent.indexOf(words);
            const range = document.createRange();
            range.setStart(node, at); range.setEnd(node, at + 1);
            const first = range.getBoundingClientRect();
            range.setStart(node, at + words.length - 1); range.setEnd(node, at + words.length);
            const last = range.getBoundingClientRect();
            return {x1: first.left + 1, y1: first.top + first.height / 2,
                    x2: last.right - 1, y2: last.top + last.height / 2};
        }""",
        [paragraph, words],
    )
    page.mouse.move(box["x1"], box["y1"])
    page.mouse.down()
    page.mouse.move((box["x1"] + box["x2"]) / 2, box["y2"], steps=5)
    page.mouse.move(box["x2"], box["y2"], steps=5)
    page.mouse.up()


def test_editor_quotes_a_selected_sentence_and_a_publisher_publishes_it(
    browser, live_server, curation
):
    lesson = curation["lesson"]
    article = Excerpt.objects.first().article

    # The editor reads the article and selects a sentence with the mouse.
    editor = browser.new_context(viewport={"width": 1280, "height": 900})
    page = editor.new_page()
    log_in(page, live_server, "edith")
    page.get_by_role("link", name="Articles", exact=True).click()
    page.get_by_role("link", name=article.title).click()
    page.get_by_role("link", name="Read and select passages").click()
    select_with_mouse(page, 3, SENTENCE)
    # The script follows the selection on selectionchange, which the browser fires later.
    expect(page.locator("#selection-preview")).to_have_text(SENTENCE)
    expect(page.locator("input[name=start]")).to_have_value(re.compile(r"^\d+$"))
    start = int(page.locator("input[name=start]").input_value())
    assert article.body[start : start + len(SENTENCE)] == SENTENCE

    # Makes it an excerpt and quotes it in a new section of the draft lesson, in one step.
    page.get_by_label("Add it to").select_option(f"new:{lesson.pk}")
    page.get_by_role("button", name="Make excerpt").click()
    page.wait_for_url(f"**/admin/lessons/lesson/{lesson.pk}/change/")
    expect(page.get_by_text(f"Excerpt made: “{SENTENCE}”")).to_be_visible()
    excerpt = Excerpt.objects.get(exact=SENTENCE)
    assert (excerpt.start, excerpt.end) == (start, start + len(SENTENCE))
    assert lesson.sections.get().excerpt == excerpt

    # Submits the lesson for review; an editor is offered no way to publish.
    expect(page.get_by_role("button", name="Publish now")).to_have_count(0)
    page.get_by_role("button", name="Submit for review").click()
    # The form posts and a new page loads: wait for it, not for the old page's state.
    expect(page.locator(".publication-state [data-state]")).to_have_text("In review")
    editor.close()

    # The publisher publishes it.
    publisher = browser.new_context(viewport={"width": 1280, "height": 900})
    page = publisher.new_page()
    log_in(page, live_server, "paul")
    page.goto(f"{live_server.url}/admin/lessons/lesson/{lesson.pk}/change/")
    page.get_by_role("button", name="Publish now").click()
    expect(page.locator(".publication-state [data-state]")).to_have_text("Published")
    publisher.close()
    lesson.refresh_from_db()
    assert lesson.status == Status.PUBLISHED and lesson.is_live

    # An anonymous visitor finds the quote on the lesson page.
    visitor = browser.new_context()
    page = visitor.new_page()
    response = page.goto(f"{live_server.url}{lesson.get_absolute_url()}")
    assert response.status == 200
    expect(page.get_by_text(SENTENCE).first).to_be_visible()
    visitor.close()


def test_keyboard_path_makes_the_same_excerpt_without_the_mouse(page, live_server, curation):
    article = Excerpt.objects.first().article
    log_in(page, live_server, "edith")
    page.goto(f"{live_server.url}/admin/lessons/excerpt/select/{article.pk}/")
    page.get_by_label("Paragraph").select_option("3")
    page.get_by_label("From word").fill("1")
    page.get_by_label("To word").fill("4")
    page.get_by_role("button", name="Make excerpt").click()
    expect(page.get_by_text(f"Excerpt made: “{SENTENCE}”")).to_be_visible()
    assert Excerpt.objects.filter(exact=SENTENCE, article=article).count() == 1


def test_read_and_select_page_has_no_accessibility_violations(page, live_server, curation):
    article = Excerpt.objects.first().article
    log_in(page, live_server, "edith")
    page.goto(f"{live_server.url}/admin/lessons/excerpt/select/{article.pk}/")
    assert axe_violations(page) == []


def test_publication_box_and_revisions_page_have_no_accessibility_violations(
    page, live_server, curation
):
    from lessons import services

    lesson = curation["lesson"]
    factories.SectionFactory(lesson=lesson, excerpt=None)
    services.lesson_save(lesson=lesson, user=curation["editor"], comment="First.")
    lesson.title = "Life in Stalin’s eastern Europe, revised"
    services.lesson_save(lesson=lesson, user=curation["editor"], comment="Second.")
    log_in(page, live_server, "edith")
    page.goto(f"{live_server.url}/admin/lessons/lesson/{lesson.pk}/change/")
    page.evaluate(axe_source())
    result = page.evaluate(
        "() => axe.run('.publication-box', {runOnly: {type: 'tag', values: "
        "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
    )
    assert [v["id"] for v in result["violations"]] == []
    page.get_by_role("link", name="Revisions").click()
    page.get_by_role("button", name="Compare").click()
    expect(page.locator("table.diff")).to_be_visible()
    page.evaluate(axe_source())
    result = page.evaluate(
        "() => axe.run('#content-main', {runOnly: {type: 'tag', values: "
        "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
    )
    assert [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]] == []
