"""The handout and the teacher's guide printed as a teacher would: Chromium's own print to PDF
(the print stylesheet) and the PDF download (WeasyPrint) give the same A4 document, with
margins, running header and footer, ruled answer space; the handout carries no teacher
material and the guide all of it. Answers a learner writes survive a reload and print with
the handout; tries end in a hint, then the answer. axe-core checks every page and state."""

import io
import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.browser.conftest import axe_violations, log_in

MM = 72 / 25.4  # PDF points in a millimetre
A4 = (210 * MM, 297 * MM)
TITLE = "The Stalinist who denounced Stalin? Khrushchev, Hungary"
TEACHER_ONLY = ("Put the three facts on the board", "Mark out of 12, by level", "Model answer")
# What the tests measured on the sample (the closing note reports them); a change of layout
# that makes either document much longer fails here.
MAX_PAGES = {"handout": 18, "guide": 18}


@pytest.fixture
def site(transactional_db, sample):
    from lessons.models import Lesson

    return Lesson.objects.get()


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("’", "'"))


def read_pdf(data: bytes) -> dict:
    """Pages, their text, and where every piece of text starts (in millimetres)."""
    reader = PdfReader(io.BytesIO(data))
    pages, places = [], []
    for page in reader.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        found = []

        def visit(text, cm, tm, _font, _size, found=found):
            if text.strip():
                x = cm[0] * tm[4] + cm[2] * tm[5] + cm[4]
                y = cm[1] * tm[4] + cm[3] * tm[5] + cm[5]
                found.append((x / MM, y / MM))

        pages.append(page.extract_text(visitor_text=visit))
        places.append({"size": (width, height), "starts": found})
    return {"pages": pages, "places": places, "text": _flat("\n".join(pages))}


def check_print_document(pdf: dict, name: str) -> None:
    count = len(pdf["pages"])
    assert 4 <= count <= MAX_PAGES[name], count
    for number, (text, place) in enumerate(zip(pdf["pages"], pdf["places"], strict=True), 1):
        width, height = place["size"]
        assert abs(width - A4[0]) < 2 and abs(height - A4[1]) < 2, "A4"
        flat = _flat(text)
        # The running footer and header: page numbers, the lesson, the document, the date.
        assert f"Page {number} of {count}" in flat, (number, flat[-200:])
        assert _flat(TITLE) in flat, (number, flat[-200:])
        assert ("Student handout" if name == "handout" else "Teacher's guide") in flat
        assert "Published" in flat
        # Margins: nothing starts within 14 mm of the sides or 5 mm of the top and bottom
        # (the running header and footer stand in the 18 and 20 mm margins).
        xs = [x for x, _y in place["starts"]]
        ys = [y for _x, y in place["starts"]]
        assert min(xs) >= 14 and max(xs) <= 210 - 14, (number, min(xs), max(xs))
        assert min(ys) >= 5 and max(ys) <= 297 - 5, (number, min(ys), max(ys))


def chromium_pdf(page) -> bytes:
    page.emulate_media(media="print")
    data = page.pdf(prefer_css_page_size=True, print_background=False)
    page.emulate_media(media="screen")
    return data


def download(page, link_name: str) -> bytes:
    with page.expect_download() as info:
        page.get_by_role("link", name=link_name).click()
    return open(info.value.path(), "rb").read()


def test_the_handout_prints_from_the_browser_as_its_pdf_download_does(page, live_server, site):
    page.goto(live_server.url + reverse("learner:lesson_handout", args=[site.slug]))
    assert axe_violations(page) == []
    # Ruled space for each open question, in print as on screen.
    page.emulate_media(media="print")
    spaces = page.locator(".doc-question .answer-space")
    expect(spaces).to_have_count(
        site.questions.filter(kind__in=["open", "source_analysis"]).count()
    )
    rule = page.locator(".answer-space .rule").first.bounding_box()
    assert 28 <= rule["height"] <= 33  # 8 mm at 96 px an inch
    expect(page.locator(".name-line")).to_contain_text("Name")
    expect(page.locator(".site-header")).to_be_hidden()
    page.emulate_media(media="screen")

    printed = read_pdf(chromium_pdf(page))
    downloaded = read_pdf(download(page, "Download the handout (PDF)"))
    for pdf in (printed, downloaded):
        check_print_document(pdf, "handout")
        for words in TEACHER_ONLY:
            assert words not in pdf["text"], words
        assert "Sources" in pdf["text"] and "history.state.gov" in pdf["text"].replace(" ", "")
    # The same document from both: page counts within two of each other (the fonts differ).
    assert abs(len(printed["pages"]) - len(downloaded["pages"])) <= 2
    print(f"HANDOUT pages: Chromium {len(printed['pages'])}, PDF {len(downloaded['pages'])}")


def test_the_guide_prints_for_teachers_with_the_plan_notes_and_key(
    page, live_server, site, transactional_db
):
    from tests.factories import editor

    editor(username="grace")
    guide = live_server.url + reverse("learner:lesson_guide", args=[site.slug])
    assert page.goto(guide).status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("The teacher’s guide is for teachers")
    assert axe_violations(page) == []
    log_in(page, live_server, "grace")
    page.goto(guide)
    expect(page.get_by_role("heading", name="Answer key and marking guidance")).to_be_visible()
    assert axe_violations(page) == []
    printed = read_pdf(chromium_pdf(page))
    downloaded = read_pdf(download(page, "Download the teacher’s guide (PDF)"))
    for pdf in (printed, downloaded):
        check_print_document(pdf, "guide")
        for words in TEACHER_ONLY:
            assert words.lower() in pdf["text"].lower(), words
    assert abs(len(printed["pages"]) - len(downloaded["pages"])) <= 2
    print(f"GUIDE pages: Chromium {len(printed['pages'])}, PDF {len(downloaded['pages'])}")


def test_kept_answers_survive_a_reload_and_print_with_the_handout(page, live_server, site):
    question = site.questions.filter(kind="source_analysis").first()
    section = site.sections.get(organiser="claim_evidence")
    page.goto(live_server.url + site.get_absolute_url())
    answer = page.locator(f"#answer-{question.pk}")
    answer.fill("The writer sees 1956 through Trotsky’s theory — Ünnep, עברית.")
    organiser = page.locator(f"#section-{section.pk} form.organiser")
    organiser.get_by_label("My claim").fill("Only a partial break.")
    organiser.get_by_label("Evidence 1", exact=True).fill("The secret speech")
    page.reload()
    expect(answer).to_have_value("The writer sees 1956 through Trotsky’s theory — Ünnep, עברית.")
    expect(organiser.get_by_label("My claim")).to_have_value("Only a partial break.")
    assert axe_violations(page) == []

    page.goto(live_server.url + reverse("learner:lesson_handout", args=[site.slug]))
    expect(page.locator("[data-kept-status]")).to_contain_text("3 kept answers")
    kept = page.locator(f"#dq-{question.pk} .kept-text")
    expect(kept).to_have_text("The writer sees 1956 through Trotsky’s theory — Ünnep, עברית.")
    text = read_pdf(chromium_pdf(page))["text"]
    assert "Only a partial break." in text and "The writer sees 1956" in text


def test_tries_give_a_hint_then_the_answer_and_each_state_passes_axe(page, live_server, site):
    question = site.questions.get(prompt__startswith="The article says Khrushchev denounced")
    wrong = question.choices.get(text__startswith="The 20th Plenum")
    page.goto(live_server.url + site.get_absolute_url())
    expect(page.get_by_role("navigation", name="In this lesson")).to_be_visible()
    item = page.locator(f"#q-{question.pk}")
    item.get_by_label(wrong.text).check()
    item.get_by_role("button", name="Check answer").click()
    feedback = item.locator(".feedback")
    expect(feedback).to_contain_text("Not yet.")
    expect(feedback).to_contain_text("Hint")
    expect(feedback).not_to_contain_text("The right answer")
    assert axe_violations(page) == []
    item.get_by_role("button", name="Check answer").click()
    expect(feedback).to_contain_text("The right answer:")
    expect(feedback).to_contain_text("20th Congress of the CPSU")  # the explanation, at last
    assert _flat(feedback.inner_text()).count("Not quite.") == 0
    assert axe_violations(page) == []


def test_a_missing_page_is_styled_and_accessible(page, live_server, site):
    response = page.goto(live_server.url + "/no-such-page/")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    expect(page.get_by_role("link", name="All lessons")).to_be_visible()
    assert axe_violations(page) == []


def test_the_lesson_pages_facts_contents_and_timeline_are_laid_out_to_be_read(
    page, live_server, site
):
    page.goto(live_server.url + site.get_absolute_url())
    # "For" keeps its width beside a long audience (squeezed, it stood one letter a line).
    label = page.locator(".facts dt", has_text="For")
    lines = "e => { const r = document.createRange(); r.selectNodeContents(e); return r.getClientRects().length; }"
    assert label.evaluate(lines) == 1
    # The contents' second column leaves room for its numbers ("10.") beside the first.
    items = page.get_by_role("navigation", name="In this lesson").locator("li")
    boxes = [items.nth(i).bounding_box() for i in range(items.count())]
    left = min(box["x"] for box in boxes)
    first_column = [box for box in boxes if box["x"] == left]
    second_column = [box for box in boxes if box["x"] > left]
    assert first_column and second_column
    room = min(b["x"] for b in second_column) - max(b["x"] + b["width"] for b in first_column)
    assert room >= 32, room
    # The timeline: the events of 1956 spread over most of the bar, not its last few pixels.
    timeline = page.locator(".lesson-timeline")
    expect(timeline.locator(".timeline-note")).to_contain_text("shortened")
    bars = timeline.locator("svg.bar")
    xs = []
    for i in range(bars.count()):
        if "1956" in timeline.locator(".timeline-item .when").nth(i).inner_text():
            xs.append(bars.nth(i).locator("rect").bounding_box()["x"])
    width = bars.first.bounding_box()["width"]
    assert len(xs) >= 10 and max(xs) - min(xs) > width / 2, (xs, width)
    assert axe_violations(page) == []


def _error_html(status: int) -> bytes:
    """The site's error page for a status, as Django answers it with DEBUG off."""
    from django.test import Client, RequestFactory

    from operations import errors

    if status == 400:
        return Client().get("/", HTTP_HOST="not-our-site.example").content
    if status == 403:
        return Client(enforce_csrf_checks=True).post("/admin/login/", {"username": "x"}).content
    return errors.server_error(RequestFactory().get("/lessons/x/")).content


@pytest.mark.parametrize("status", [400, 403, 500])
def test_error_pages_stand_in_the_sites_frame_and_pass_axe(page, live_server, site, status):
    body = _error_html(status)
    url = f"{live_server.url}/an-error-{status}/"
    page.route(
        url,
        lambda route: route.fulfill(status=status, body=body, content_type="text/html"),
    )
    assert page.goto(url).status == status
    expect(page.get_by_role("banner")).to_be_visible()
    expect(page.get_by_role("search")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    page.get_by_role("link", name="All lessons").click()
    expect(page).to_have_url(live_server.url + "/")
    page.go_back()
    assert axe_violations(page) == []
