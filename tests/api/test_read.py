"""Reading the API: published content for everyone, drafts and answer keys for staff only."""

import pytest

from history.models import Kind
from lessons.models import Level, QuestionKind
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def lesson(db):
    """A published lesson with a quoted excerpt, vocabulary, timeline and a question."""
    article = factories.ArticleFactory(title="Petőfi in Poznań – a source")
    excerpt = factories.ExcerptFactory(article=article)
    lesson = factories.LessonFactory(title="1956 – Hungary’s year…", level=Level.PRE_UNIVERSITY)
    factories.SectionFactory(lesson=lesson, excerpt=excerpt, heading="Read it", position=1)
    lesson.vocabulary.add(
        factories.ConceptFactory(term="workers’ councils", slug="workers-councils"),
        factories.ConceptFactory(term="Secret draft term", slug="draft-term", draft=True),
    )
    lesson.timeline.add(
        factories.EventFactory(slug="public-event"),
        factories.EventFactory(slug="draft-event", draft=True),
    )
    question = factories.QuestionFactory(
        lesson=lesson, kind=QuestionKind.MULTIPLE_CHOICE, explanation="Because of the congress."
    )
    question.model_answer = "Teachers only."
    question.save()
    factories.ChoiceFactory(question=question, text="The 20th Congress", is_correct=True)
    factories.ChoiceFactory(question=question, text="A conference", feedback="No.")
    return lesson


def test_lesson_detail_carries_everything_a_client_needs_in_one_request(api, lesson):
    response = api.get(f"/api/v1/lessons/{lesson.slug}/")
    assert response.status_code == 200
    data = response.json()
    assert data["title"] == "1956 – Hungary’s year…"
    assert data["html_url"] == f"http://testserver/lessons/{lesson.slug}/"
    section = data["sections"][0]
    assert section["excerpt"]["exact"].startswith("In February 1956 Khrushchev")
    assert section["excerpt"]["article"]["title"] == "Petőfi in Poznań – a source"
    assert section["excerpt"]["article"]["html_url"].startswith("http://testserver/articles/")
    assert section["guiding_questions"] == ["Who wrote it?"]
    assert [c["slug"] for c in data["vocabulary"]] == ["workers-councils"]
    assert [e["slug"] for e in data["timeline"]] == ["public-event"]
    question = data["questions"][0]
    assert sorted(c["text"] for c in question["choices"]) == ["A conference", "The 20th Congress"]
    assert question["answer_url"].endswith(f"/api/v1/questions/{question['id']}/answer/")
    assert set(data["exports"]) == {"timeline", "cartridge", "learning_resource"}


def test_answer_keys_are_hidden_from_anonymous_clients(api, lesson):
    data = api.get(f"/api/v1/lessons/{lesson.slug}/").json()
    question = data["questions"][0]
    assert all(c["is_correct"] is None and c["feedback"] is None for c in question["choices"])
    assert question["explanation"] is None
    assert question["model_answer"] is None
    assert data["teacher_notes"] is None
    question_id = question["id"]
    detail = api.get(f"/api/v1/questions/{question_id}/").json()
    assert all(c["is_correct"] is None for c in detail["choices"])
    choices = api.get(f"/api/v1/choices/?question={question_id}").json()["results"]
    assert len(choices) == 2 and all(c["is_correct"] is None for c in choices)
    assert b"Because of the congress" not in api.get(f"/api/v1/lessons/{lesson.slug}/").content


def test_answer_keys_are_shown_to_users_who_may_see_them(editor_api, lesson):
    data = editor_api.get(f"/api/v1/lessons/{lesson.slug}/").json()
    question = data["questions"][0]
    assert {c["text"]: c["is_correct"] for c in question["choices"]} == {
        "The 20th Congress": True,
        "A conference": False,
    }
    assert question["explanation"] == "Because of the congress."
    assert question["model_answer"] == "Teachers only."


def test_a_learner_account_without_the_permission_sees_no_answer_key(api, lesson):
    learner = factories.UserFactory(username="lena")
    api.force_authenticate(learner)
    data = api.get(f"/api/v1/lessons/{lesson.slug}/").json()
    assert all(c["is_correct"] is None for c in data["questions"][0]["choices"])


def test_a_quote_from_an_article_unpublished_later_is_dropped_from_the_live_lesson(
    api, lesson, publisher_user
):
    from publishing import services

    assert api.get(f"/api/v1/lessons/{lesson.slug}/").json()["sections"][0]["excerpt"]
    article = lesson.sections.get().excerpt.article
    services.unpublish(obj=article, user=publisher_user)
    data = api.get(f"/api/v1/lessons/{lesson.slug}/").json()
    assert data["sections"][0]["excerpt"] is None
    assert api.get("/api/v1/excerpts/").json()["count"] == 0


DRAFT_ENDPOINTS = {
    "lessons": "lesson",
    "articles": "article",
    "events": "event",
    "concepts": "concept",
}


@pytest.fixture
def drafts(db):
    lesson = factories.LessonFactory(slug="draft-lesson", draft=True)
    question = factories.QuestionFactory(lesson=lesson, kind=QuestionKind.MULTIPLE_CHOICE)
    choice = factories.ChoiceFactory(question=question)
    section = factories.SectionFactory(
        lesson=lesson,
        excerpt=factories.ExcerptFactory(article__slug="draft-article", article__draft=True),
    )
    factories.EventFactory(slug="draft-event", draft=True)
    factories.ConceptFactory(slug="draft-concept", draft=True)
    return {"question": question, "choice": choice, "section": section, "lesson": lesson}


@pytest.mark.parametrize("kind", DRAFT_ENDPOINTS)
def test_drafts_are_invisible_to_anonymous_clients_in_lists_and_details(api, drafts, kind):
    slug = f"draft-{DRAFT_ENDPOINTS[kind]}"
    listing = api.get(f"/api/v1/{kind}/")
    assert listing.status_code == 200
    assert listing.json()["count"] == 0
    assert slug.encode() not in listing.content
    assert api.get(f"/api/v1/{kind}/{slug}/").status_code == 404


def test_parts_of_draft_lessons_and_exports_are_invisible_to_anonymous_clients(api, drafts):
    for kind, obj in [
        ("questions", drafts["question"]),
        ("choices", drafts["choice"]),
        ("sections", drafts["section"]),
        ("excerpts", drafts["section"].excerpt),
    ]:
        assert api.get(f"/api/v1/{kind}/").json()["count"] == 0, kind
        assert api.get(f"/api/v1/{kind}/{obj.pk}/").status_code == 404, kind
    for path in [
        "/api/v1/lessons/draft-lesson/timeline.json",
        "/api/v1/lessons/draft-lesson/cartridge.imscc",
        "/api/v1/lessons/draft-lesson/learning-resource.jsonld",
        "/api/v1/articles/draft-article/annotations.jsonld",
    ]:
        assert api.get(path).status_code == 404, path
    assert b"draft-" not in api.get("/api/v1/events/timeline.json").content
    assert b"draft-" not in b"".join(api.get("/api/v1/export.json").streaming_content)
    answer = api.post(
        f"/api/v1/questions/{drafts['question'].pk}/answer/",
        {"answer": [drafts["choice"].pk]},
        format="json",
    )
    assert answer.status_code == 404


def test_editors_read_drafts(editor_api, drafts):
    assert editor_api.get("/api/v1/lessons/draft-lesson/").status_code == 200
    assert editor_api.get("/api/v1/lessons/").json()["count"] == 1
    assert editor_api.get("/api/v1/events/draft-event/").json()["status"] == "draft"


def test_article_detail_has_paragraphs_and_confirmed_mentions_in_code_points(api):
    article = factories.ArticleFactory()
    body = article.body
    start = body.index("Petőfi Circle")
    factories.MentionFactory(
        article=article, start=start, end=start + len("Petőfi Circle"), concept__slug="petofi"
    )
    factories.MentionFactory(article=article, start=0, end=2, status="suggested")
    factories.MentionFactory(article=article, start=3, end=11, concept__draft=True)
    data = api.get(f"/api/v1/articles/{article.slug}/").json()
    assert [p["number"] for p in data["paragraphs"]] == [1, 2, 3]
    assert all(body[p["start"] : p["end"]] == p["text"] for p in data["paragraphs"])
    assert len(data["mentions"]) == 1
    mention = data["mentions"][0]
    assert mention["concept"] == "petofi"
    # Offsets count code points: "ő" is one, as in Python (not two UTF-16 units or bytes).
    assert data["body"][mention["start"] : mention["end"]] == "Petőfi Circle" == mention["exact"]
    assert data["editor_note"] is None


def test_article_list_leaves_out_the_text(api):
    factories.ArticleFactory()
    result = api.get("/api/v1/articles/").json()["results"][0]
    assert "body" not in result and "editor_note" not in result


def test_events_filter_by_year_range_and_concept(api):
    concept = factories.ConceptFactory(slug="stalinism")
    early = factories.EventFactory(slug="early", date_edtf="1919")
    factories.EventFactory(slug="mid", date_edtf="1956-02")
    factories.EventFactory(slug="bce", date_edtf="500 BCE")
    early.concepts.add(concept)

    def slugs(query):
        return [e["slug"] for e in api.get(f"/api/v1/events/?{query}").json()["results"]]

    assert slugs("") == ["bce", "early", "mid"]
    assert slugs("year_from=1950") == ["mid"]
    assert slugs("year_to=1920") == ["bce", "early"]
    assert slugs("year_from=-600&year_to=-400") == ["bce"]
    assert slugs("concept=stalinism") == ["early"]
    assert slugs("ordering=-date_start") == ["mid", "early", "bce"]


def test_lessons_filter_by_level_concept_and_event(api, lesson):
    factories.LessonFactory(slug="other", level=Level.ADULT)

    def slugs(query):
        return [x["slug"] for x in api.get(f"/api/v1/lessons/?{query}").json()["results"]]

    assert slugs("level=pre_university") == [lesson.slug]
    assert slugs("concept=workers-councils") == [lesson.slug]
    assert slugs("event=public-event") == [lesson.slug]
    assert slugs("concept=draft-term") == []  # a draft's slug does not show through


def test_editors_filter_by_draft_concepts(editor_api, lesson):
    found = editor_api.get("/api/v1/lessons/?concept=draft-term").json()["results"]
    assert [x["slug"] for x in found] == [lesson.slug]


def test_concepts_filter_by_kind_and_search_finds_unicode(api):
    factories.ConceptFactory(term="Petőfi Circle", kind=Kind.ORGANISATION)
    factories.ConceptFactory(term="Stalinism", kind=Kind.IDEA)
    by_kind = api.get("/api/v1/concepts/?kind=organisation").json()["results"]
    assert [c["term"] for c in by_kind] == ["Petőfi Circle"]
    found = api.get("/api/v1/concepts/", {"search": "Petőfi"}).json()["results"]
    assert [c["term"] for c in found] == ["Petőfi Circle"]


def test_lists_are_paginated_with_links_and_a_total(api):
    for _ in range(3):
        factories.ConceptFactory()
    data = api.get("/api/v1/concepts/?page_size=2").json()
    assert data["count"] == 3
    assert data["next"].startswith("http://testserver/api/v1/concepts/?page=2")
    assert data["previous"] is None and len(data["results"]) == 2


@pytest.mark.parametrize(
    "query", ["page_size=0", "page_size=abc", "page_size=1000", "level=nonsense"]
)
def test_bad_list_parameters_are_refused_with_a_clear_problem(api, query):
    response = api.get(f"/api/v1/lessons/?{query}")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == 400 and problem["errors"]


def test_bad_year_filter_is_refused_not_a_server_error(api):
    response = api.get("/api/v1/events/?year_from=99999999999")
    assert response.status_code == 400
    assert "year_from" in response.json()["errors"]


@pytest.mark.parametrize("query", ["question=", "question=abc", "page=", "page=0"])
def test_blank_or_malformed_typed_parameters_are_refused(api, query):
    response = api.get(f"/api/v1/choices/?{query}")
    assert response.status_code in (400, 404)
    assert response["Content-Type"] == "application/problem+json"


def test_search_is_stemmed_ranked_and_never_finds_drafts(api):
    factories.EventFactory(title="Uprising in Poznań", summary="A revolution of sorts.")
    best = factories.EventFactory(
        title="Hungarian revolution of 1956", summary="The revolution that the tanks crushed."
    )
    factories.EventFactory(title="A revolution kept quiet", draft=True)
    factories.EventFactory(title="Stalin dies")
    found = api.get("/api/v1/events/", {"search": "revolutions"}).json()
    titles = [e["title"] for e in found["results"]]
    assert titles[0] == best.title
    assert set(titles) == {best.title, "Uprising in Poznań"}
    assert found["count"] == 2


def test_search_with_an_ordering_keeps_the_ordering(api):
    factories.EventFactory(title="B revolution", slug="b")
    factories.EventFactory(title="A revolution", slug="a")
    found = api.get("/api/v1/events/", {"search": "revolution", "ordering": "-title"}).json()
    assert [e["title"] for e in found["results"]] == ["B revolution", "A revolution"]


def test_search_that_finds_nothing_is_an_empty_page(api):
    factories.ConceptFactory(term="Stalinism")
    found = api.get("/api/v1/concepts/", {"search": "zzzz"}).json()
    assert found["count"] == 0 and found["results"] == []
