"""The lesson page: sources in context, questions checked on the server, metadata, caching."""

import json
import re

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from learner.views import lesson_preview
from lessons.models import Lesson, QuestionKind
from tests import factories


def _html(response) -> str:
    return response.content.decode()


@pytest.fixture
def lesson(sample):
    return Lesson.objects.get()


@pytest.mark.django_db
def test_lesson_page_shows_question_objectives_sources_and_vocabulary(client, lesson):
    html = _html(client.get(lesson.get_absolute_url()))
    assert "Central question" in html
    assert lesson.objectives[0][:30] in html.replace("&#x27;", "’")
    assert html.count('class="source"') >= 3
    excerpt = lesson.sections.exclude(excerpt=None).first().excerpt
    assert f"?excerpt={excerpt.pk}#excerpt-{excerpt.pk}" in html
    assert "Read in context" in html
    assert 'id="vocabulary-h"' in html and 'id="timeline-h"' in html


@pytest.mark.django_db
def test_the_lessons_timeline_shortens_long_gaps_and_says_so(client, lesson):
    html = _html(client.get(lesson.get_absolute_url()))
    timeline = html.split('id="timeline-h"', 1)[1].split("</section>", 1)[0]
    assert "the long gaps between the others are shortened on the bars" in timeline
    bars = re.findall(r'<svg class="bar".*?</svg>', timeline, re.S)
    assert len(bars) == lesson.timeline.count()
    assert all('<use href="#tl-gaps"/>' in bar for bar in bars)
    breaks = timeline.split('<g id="tl-gaps">', 1)[1].split("</g>", 1)[0]
    assert breaks.count('class="cut"') == 4  # 1919 | 1945 | 1953 | 1956 | 1958


@pytest.mark.django_db
def test_answer_key_is_not_in_the_page_before_answering(client, lesson):
    html = _html(client.get(lesson.get_absolute_url()))
    for question in lesson.questions.filter(kind=QuestionKind.MULTIPLE_CHOICE):
        for choice in question.choices.all():
            if choice.feedback:
                assert choice.feedback[:40] not in html
        if question.explanation:
            assert question.explanation[:40] not in html
    assert "is-right" not in html and "data-correct" not in html and "Right." not in html


def _mc(lesson, right: bool):
    question = lesson.questions.filter(kind=QuestionKind.MULTIPLE_CHOICE).first()
    return question, question.choices.filter(is_correct=right).first()


@pytest.mark.django_db
def test_right_answer_is_confirmed_with_the_explanation(client, lesson):
    question, choice = _mc(lesson, True)
    url = reverse("learner:answer", args=[lesson.slug, question.pk])
    response = client.post(url, {"choice": [choice.pk]})
    html = _html(response)
    assert response.status_code == 200
    assert "Right." in html
    assert f'value="{choice.pk}" id="c-{choice.pk}" checked' in html


@pytest.mark.django_db
def test_a_wrong_first_try_gets_the_hint_and_not_the_answer(client, lesson):
    question, choice = _mc(lesson, False)
    assert question.tries == 2 and question.hint
    url = reverse("learner:answer", args=[lesson.slug, question.pk])
    html = _html(client.post(url, {"choice": [choice.pk]}))
    assert "Not yet." in html and "1 try left" in html
    assert question.hint[:40].replace("’", "&#x27;")[:20] in html or question.hint[:20] in html
    feedback = html.split(f'id="feedback-{question.pk}"', 1)[1].split("</form>", 1)[0]
    assert "The right answer" not in feedback and question.explanation[:40] not in html
    assert question.choices.get(is_correct=True).text not in feedback


@pytest.mark.django_db
def test_the_answer_comes_after_the_last_try_and_the_verdict_never_repeats_the_feedback(
    client, lesson
):
    question = lesson.questions.get(prompt__startswith="The article says Khrushchev denounced")
    wrong = question.choices.get(text__startswith="The 20th Plenum")
    url = reverse("learner:answer", args=[lesson.slug, question.pk])
    first = _html(client.post(url, {"choice": [wrong.pk]}))
    attempt = re.search(r'name="attempt" value="([^"]+)"', first)[1]
    second = _html(client.post(url, {"choice": [wrong.pk], "attempt": attempt}))
    assert "Not right." in second and "The right answer:" in second
    assert "The 20th Congress of the Communist Party of the Soviet Union</li>" in second
    assert "20th Congress of the CPSU" in second  # the explanation
    for html in (first, second):
        feedback = html.split(f'id="feedback-{question.pk}"', 1)[1].split("</form>", 1)[0]
        assert feedback.count("Not quite.") <= 1
        assert not (
            "Not quite." in feedback and "Not yet." not in feedback and "Not right." not in feedback
        )


@pytest.mark.django_db
def test_a_forged_try_count_is_refused_with_a_clear_message(client, lesson):
    question, choice = _mc(lesson, False)
    url = reverse("learner:answer", args=[lesson.slug, question.pk])
    response = client.post(url, {"choice": [choice.pk], "attempt": "WzEsOV0:forged"})
    assert response.status_code == 400
    assert "try count" in _html(response)


@pytest.mark.django_db
def test_answer_as_json_for_the_enhancing_script(client, lesson):
    question, choice = _mc(lesson, True)
    url = reverse("learner:answer", args=[lesson.slug, question.pk])
    response = client.post(url, {"choice": [choice.pk]}, HTTP_ACCEPT="application/json")
    data = response.json()
    assert data["correct"] is True and "Right." in data["html"]


@pytest.mark.django_db
@pytest.mark.parametrize("answer", [{}, {"choice": ["x"]}, {"choice": ["999999"]}])
def test_bad_multiple_choice_answers_get_a_clear_message(client, lesson, answer):
    question, _choice = _mc(lesson, True)
    url = reverse("learner:answer", args=[lesson.slug, question.pk])
    response = client.post(url, answer)
    assert response.status_code == 400
    assert "Check your answer" in _html(response)


@pytest.mark.django_db
def test_chronology_is_answered_with_a_place_per_event(client, lesson):
    question = lesson.questions.filter(kind=QuestionKind.CHRONOLOGY).first()
    events = sorted(question.events.all(), key=lambda e: (e.date_start, e.date_end))
    url = reverse("learner:answer", args=[lesson.slug, question.pk])
    right = {f"position-{e.pk}": str(i) for i, e in enumerate(events, 1)}
    assert "Right." in _html(client.post(url, right))
    wrong = {f"position-{e.pk}": str(len(events) - i + 1) for i, e in enumerate(events, 1)}
    html = _html(client.post(url, wrong))
    assert "Not yet." in html and f"of {len(events)} events are in the right place" in html
    assert "The right order" not in html


@pytest.mark.django_db
def test_chronology_with_a_place_given_twice_is_refused(client, lesson):
    question = lesson.questions.filter(kind=QuestionKind.CHRONOLOGY).first()
    url = reverse("learner:answer", args=[lesson.slug, question.pk])
    response = client.post(url, {f"position-{e.pk}": "1" for e in question.events.all()})
    assert response.status_code == 400
    assert "different place" in _html(response)


@pytest.mark.django_db
def test_open_questions_cannot_be_checked_and_unknown_questions_are_404(client, lesson):
    question = lesson.questions.filter(kind=QuestionKind.OPEN).first()
    url = reverse("learner:answer", args=[lesson.slug, question.pk])
    assert client.post(url, {"choice": ["1"]}).status_code == 400
    other = factories.QuestionFactory()
    url = reverse("learner:answer", args=[lesson.slug, other.pk])
    assert client.post(url, {}).status_code == 404


@pytest.mark.django_db
def test_answer_url_opened_directly_goes_back_to_the_question(client, lesson):
    question = lesson.questions.first()
    response = client.get(reverse("learner:answer", args=[lesson.slug, question.pk]))
    assert response.status_code == 302
    assert response["Location"].endswith(f"#q-{question.pk}")


@pytest.mark.django_db
def test_draft_lessons_cannot_be_answered(client):
    question = factories.QuestionFactory(lesson=factories.LessonFactory(draft=True))
    url = reverse("learner:answer", args=[question.lesson.slug, question.pk])
    assert client.post(url, {}).status_code == 404


@pytest.mark.django_db
def test_json_ld_describes_the_lesson_and_cannot_close_its_script(client):
    lesson = factories.LessonFactory(title="</script><script>alert(1)</script>")
    html = _html(client.get(lesson.get_absolute_url()))
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    data = json.loads(block)
    assert data["@type"] == "LearningResource" and data["name"] == lesson.title
    assert "<script>alert" not in html


@pytest.mark.django_db
def test_the_pages_json_ld_links_the_terms_it_teaches_and_leaves_their_definitions_to_them(
    client, lesson
):
    html = _html(client.get(lesson.get_absolute_url()))
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    teaches = json.loads(block.group(1))["teaches"]
    assert teaches and all(set(term) == {"@type", "name", "url"} for term in teaches)
    full = client.get(
        reverse("api-v1:lesson-learning-resource", args=[lesson.slug]), HTTP_ACCEPT="*/*"
    ).json()
    assert {t["name"] for t in full["teaches"]} == {t["name"] for t in teaches}
    assert all(t["description"] for t in full["teaches"])


@pytest.mark.django_db
def test_lesson_page_has_canonical_and_opengraph(client, lesson):
    html = _html(client.get(lesson.get_absolute_url()))
    assert f'<link rel="canonical" href="http://testserver{lesson.get_absolute_url()}">' in html
    assert '<meta property="og:title"' in html


@pytest.mark.django_db
def test_preview_of_a_draft_shows_a_banner_and_is_not_indexed(rf, admin_user):
    lesson = factories.LessonFactory(draft=True)
    request = rf.get("/admin/preview/")
    request.user = admin_user
    response = lesson_preview(request, lesson)
    html = _html(response)
    assert "Preview: not published" in html
    assert '<meta name="robots" content="noindex, nofollow">' in html
    assert response["X-Robots-Tag"] == "noindex"
    assert "application/ld+json" not in html


@pytest.mark.django_db
def test_lesson_page_answers_conditional_gets_with_304(client, lesson):
    first = client.get(lesson.get_absolute_url())
    assert first.has_header("ETag") and first.has_header("Last-Modified")
    again = client.get(lesson.get_absolute_url(), HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    since = client.get(lesson.get_absolute_url(), HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert since.status_code == 304


@pytest.mark.django_db
def test_lesson_etag_changes_when_a_change_is_published_and_not_before(client, lesson):
    etag = client.get(lesson.get_absolute_url())["ETag"]
    lesson.summary = "Changed."
    lesson.save()
    assert client.get(lesson.get_absolute_url(), HTTP_IF_NONE_MATCH=etag).status_code == 304
    factories.go_live(lesson)  # as a publisher would
    response = client.get(lesson.get_absolute_url(), HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200 and response["ETag"] != etag


@pytest.mark.django_db
def test_the_old_print_address_leads_teachers_to_the_guide_and_others_to_the_handout(
    client, lesson
):
    url = reverse("learner:lesson_print", args=[lesson.slug])
    handout = reverse("learner:lesson_handout", args=[lesson.slug])
    guide = reverse("learner:lesson_guide", args=[lesson.slug])
    assert client.get(url)["Location"] == handout
    teacher = factories.UserFactory(is_staff=True)
    client.force_login(teacher)
    assert client.get(url)["Location"] == handout
    for codename in ("view_answer_key", "view_teacher_material"):
        teacher.user_permissions.add(Permission.objects.get(codename=codename))
    teacher = type(teacher).objects.get(pk=teacher.pk)
    client.force_login(teacher)
    assert client.get(url)["Location"] == guide
    response = client.get(guide)
    html = _html(response)
    assert "Answer key and marking guidance" in html and "Right order" in html
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_home_lists_published_lessons_only(client):
    shown = factories.LessonFactory(title="Poznań 1956")
    hidden = factories.LessonFactory(title="Draft lesson", draft=True)
    html = _html(client.get("/"))
    assert shown.title in html and hidden.title not in html


@pytest.mark.django_db
def test_editor_text_is_escaped_and_markdown_sanitised(client):
    section = factories.SectionFactory(
        heading="<img src=x onerror=alert(1)>",
        body="**bold** <script>alert(2)</script> [x](javascript:alert(3))",
    )
    html = _html(client.get(section.lesson.get_absolute_url()))
    assert "<img src=x" not in html and "<script>alert(2)" not in html
    assert 'href="javascript' not in html and "<strong>bold</strong>" in html


@pytest.mark.django_db
def test_a_quote_from_a_source_that_is_not_published_is_not_shown(client):
    section = factories.SectionFactory(excerpt__article__status="draft")
    html = _html(client.get(section.lesson.get_absolute_url()))
    assert section.excerpt.exact not in html  # the words of a draft never reach a learner
    assert "Read in context" not in html and section.excerpt.article.get_absolute_url() not in html
