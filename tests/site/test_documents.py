"""The student handout and the teacher's guide: built at publish time, one for learners and one
for teachers, each as a page to print and as a PDF with the same layout."""

import io
import re

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from pypdf import PdfReader

from learner import documents
from lessons.models import Lesson, Question, Section
from tests import factories

# Words only the guide may hold: notes for teachers, model answers, marking guidance, hints.
TEACHER_ONLY = (
    "Put the three facts on the board",  # a section's notes for teachers
    "A strong answer makes a judgement",  # a model answer
    "Mark out of 12, by level",  # marking guidance
    "Answer key and marking guidance",
    "Look up the event in the lesson’s timeline",  # a hint
    "✓ right",
)


def _html(response) -> str:
    return response.content.decode()


def _pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


def _flat(text: str) -> str:
    """Text without line breaks and with plain apostrophes (PDF extraction breaks lines)."""
    return re.sub(r"\s+", " ", text.replace("&#x27;", "'").replace("’", "'"))


@pytest.fixture
def lesson(sample):
    return Lesson.objects.get()


@pytest.fixture
def teacher(db):
    user = factories.UserFactory(username="tess")
    for codename in ("view_answer_key", "view_teacher_material"):
        user.user_permissions.add(Permission.objects.get(codename=codename))
    return type(user).objects.get(pk=user.pk)


def _urls(lesson):
    return {
        name: reverse(f"learner:lesson_{name}", args=[lesson.slug])
        for name in ("handout", "handout_pdf", "guide", "guide_pdf")
    }


@pytest.mark.django_db
def test_the_handout_has_no_teacher_material_in_its_page_or_its_pdf(client, lesson):
    urls = _urls(lesson)
    html = _flat(_html(client.get(urls["handout"])))
    response = client.get(urls["handout_pdf"])
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{lesson.slug}-handout.pdf"'
    text = _flat(_pdf_text(response.content))
    for words in TEACHER_ONLY:
        assert _flat(words) not in html, words
        assert _flat(words).lower() not in text.lower(), words
    for section in Section.objects.filter(lesson=lesson).exclude(teacher_notes=""):
        first = _flat(section.teacher_notes.split("\n")[0].replace("**", ""))[:40]
        assert first not in html and first not in text, section.heading
    assert "Student handout" in text and "Name" in text and "Class" in text


@pytest.mark.django_db
def test_the_guide_holds_plan_notes_keys_and_guidance_for_teachers_only(client, lesson, teacher):
    urls = _urls(lesson)
    for url in (urls["guide"], urls["guide_pdf"]):
        response = client.get(url)
        assert response.status_code == 403
        assert "for teachers" in _html(response)
    learner = factories.UserFactory(username="lena")
    client.force_login(learner)
    assert client.get(urls["guide"]).status_code == 403
    client.force_login(teacher)
    response = client.get(urls["guide"])
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    html = _flat(_html(response))
    text = _flat(_pdf_text(client.get(urls["guide_pdf"]).content))
    for words in TEACHER_ONLY:
        assert _flat(words) in html, words
        assert _flat(words).lower() in text.lower(), words
    assert "The lesson at a glance" in text and "Total" in text
    assert "readability" in text.lower() and "adapted" in text.lower()


@pytest.mark.django_db
def test_a_chronology_key_prints_its_right_order_once(client, lesson, teacher):
    client.force_login(teacher)
    html = _html(client.get(_urls(lesson)["guide"]))
    question = lesson.questions.filter(kind="chronology").first()
    key = html.split(f'id="dq-{question.pk}"', 1)[1].split('class="doc-question ', 1)[0]
    assert key.count("Right order") == 1
    assert key.count("Death of Joseph Stalin") == 1
    assert "Correct order" not in key


@pytest.mark.django_db
def test_open_questions_get_ruled_space_sized_for_each(client, lesson):
    html = _html(client.get(_urls(lesson)["handout"]))
    for question in Question.objects.filter(lesson=lesson, kind__in=["open", "source_analysis"]):
        block = html.split(f'id="dq-{question.pk}"', 1)[1].split("</li>", 1)[0]
        space = block.split('class="answer-space"', 1)[1]
        assert space.count('class="rule"') == question.answer_lines, question.prompt[:40]
        assert f'data-keep="{lesson.slug}:q-{question.pk}"' in block
    assert html.count('class="place-box"') >= 10  # a box for each event to order


@pytest.mark.django_db
def test_the_running_header_and_footer_are_allowed_by_their_hash_alone(client, lesson):
    response = client.get(_urls(lesson)["handout"])
    policy = response["Content-Security-Policy"]
    style_src = policy.split("style-src", 1)[1].split(";", 1)[0]
    assert "'sha256-" in style_src and "unsafe-inline" not in style_src
    page_style = re.search(r"<style>(.*?)</style>", _html(response), re.S)[1]
    assert "@bottom-right" in page_style and "counter(pages)" in page_style


def test_titles_in_any_script_become_css_strings_that_cannot_end_the_style():
    value = documents.css_string('Hétfő "</style><script>" \\ 匈牙利 عربي')
    assert value.startswith('"') and value.endswith('"')
    inner = value[1:-1]
    assert '"' not in inner and "<" not in inner and "\\00005c" in inner
    assert "H\\0000e9tf\\000151" in inner


@pytest.mark.parametrize(
    "text",
    [
        "The Stalinist who denounced Stalin? Khrushchev, Hungary and the limits",
        'Hétfő "</style><script>" \\ 匈牙利 عربي',
        "Teacher’s guide",
        "a \\ b  c\tend ",
    ],
)
def test_a_css_string_reads_back_as_the_text_spaces_after_punctuation_included(text):
    import tinycss2

    (token,) = tinycss2.parse_component_value_list(documents.css_string(text))
    assert token.type == "string" and token.value == text


@pytest.mark.django_db
def test_sources_are_cited_with_author_publication_date_address_and_rights(client, lesson):
    html = _html(client.get(_urls(lesson)["handout"]))
    sources = html.split('id="doc-sources-h"', 1)[1]
    assert "U.S. Embassy in Warsaw" in sources
    assert "https://history.state.gov/historicaldocuments/frus1955-57v25/d70" in sources
    assert "Public domain" in sources and "22 February 2006" in sources
    assert "Rights:" in sources


@pytest.mark.django_db
def test_a_guide_of_a_lesson_that_is_not_live_is_not_found_for_anyone(client, teacher):
    draft = factories.LessonFactory(draft=True)
    client.force_login(teacher)
    for name in ("handout", "guide", "handout_pdf", "guide_pdf"):
        url = reverse(f"learner:lesson_{name}", args=[draft.slug])
        assert client.get(url).status_code == 404, name


@pytest.mark.django_db
def test_without_pango_the_download_says_how_to_print_the_same_document(
    client, lesson, monkeypatch
):
    def missing():
        raise documents.PdfUnavailable("cannot load library 'libpango-1.0-0'")

    monkeypatch.setattr(documents, "_weasyprint", missing)
    monkeypatch.setattr(documents.cache, "get", lambda key: None)
    response = client.get(_urls(lesson)["handout_pdf"])
    assert response.status_code == 503 and response["Retry-After"]
    html = _html(response)
    assert "Pango" in html and "Save as PDF" in html
    assert reverse("learner:lesson_handout", args=[lesson.slug]) in html


@pytest.mark.django_db
def test_the_pdf_is_made_once_per_version_of_the_document(client, lesson, monkeypatch):
    url = _urls(lesson)["handout_pdf"]
    first = client.get(url).content
    monkeypatch.setattr(documents, "_weasyprint", lambda: pytest.fail("made again"))
    assert client.get(url).content == first


@pytest.mark.django_db
def test_a_pdf_the_reader_already_has_is_a_304_and_is_not_made(client, lesson, monkeypatch):
    url = _urls(lesson)["handout_pdf"]
    first = client.get(url)
    assert first.has_header("ETag") and first.has_header("Last-Modified")
    older = client.get(url, HTTP_IF_NONE_MATCH='"an-older-version-pdf"')
    assert older.status_code == 200 and older.content == first.content
    monkeypatch.setattr(documents, "pdf", lambda *args: pytest.fail("made or read again"))
    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again["ETag"] == first["ETag"] and not again.content


@pytest.mark.django_db
def test_a_changed_stylesheet_makes_a_new_pdf_with_a_new_etag(client, lesson, monkeypatch):
    url = _urls(lesson)["handout_pdf"]
    first = client.get(url)
    original, made = documents.stylesheet(), []
    real = documents._weasyprint

    def counting():
        made.append(1)
        return real()

    monkeypatch.setattr(documents, "_weasyprint", counting)
    monkeypatch.setattr(documents, "stylesheet", lambda: original + "\n.doc-kind { color: red }")
    second = client.get(url)
    assert second.status_code == 200 and made == [1]
    assert second["ETag"] != first["ETag"]


@pytest.mark.django_db
def test_pdfs_fetch_nothing_but_the_sites_own_files():
    assert documents._local_file("http://127.0.0.1:8000/static/css/site.css") is not None
    assert documents._local_file("http://169.254.169.254/latest/meta-data/") is None
    assert documents._local_file("file:///etc/passwd") is None
    assert documents._local_file("http://x/media/../../etc/passwd") is None
