"""Every learner page runs the same number of queries whatever the amount of content."""

import pytest
from django.urls import reverse

from tests.site.conftest import built_lesson

# Exact counts: the same on small (2) and large (25) content proves they do not grow. Pages of
# live items are built when published: a page is one query (its ETag read with it).
PAGES = {
    "home": (lambda lesson, article: reverse("learner:home"), 4),
    "lesson": (lambda lesson, article: lesson.get_absolute_url(), 1),
    "handout": (lambda lesson, article: reverse("learner:lesson_handout", args=[lesson.slug]), 1),
    "article": (lambda lesson, article: article.get_absolute_url(), 1),
    "article_in_context": (
        lambda lesson, article: (
            article.get_absolute_url() + f"?excerpt={lesson.sections.first().excerpt_id}"
        ),
        1,
    ),
    # The count and the page.
    "article_list": (lambda lesson, article: reverse("learner:article_list"), 2),
    "article_list_page": (lambda lesson, article: reverse("learner:article_list") + "?page=9", 2),
    # The span and count, the counts by period, the window, the window's concepts.
    "timeline": (lambda lesson, article: reverse("learner:timeline"), 4),
    "timeline_years": (
        lambda lesson, article: reverse("learner:timeline") + "?from=1956&to=1956",
        4,
    ),
    "timeline_page": (lambda lesson, article: reverse("learner:timeline") + "?page=2", 4),
    # … and the concept asked for.
    "timeline_concept": (
        lambda lesson, article: (
            reverse("learner:timeline") + f"?concept={lesson.vocabulary.first().slug}&from=1900"
        ),
        5,
    ),
    "event": (lambda lesson, article: lesson.timeline.first().get_absolute_url(), 1),
    "glossary": (lambda lesson, article: reverse("learner:glossary"), 1),
    "concept": (lambda lesson, article: lesson.vocabulary.first().get_absolute_url(), 1),
    # The best of each kind with each kind's count (one pass), their snippets, their objects.
    "search": (lambda lesson, article: reverse("search:search") + "?q=councils", 3),
    "search_kind": (
        lambda lesson, article: reverse("search:search") + "?q=councils&kind=article",
        3,
    ),
    # … and past the last page, the last page read again.
    "search_kind_past_the_end": (
        lambda lesson, article: reverse("search:search") + "?q=councils&kind=article&page=400",
        4,
    ),
    # The index: each kind's latest change and count; a file: its count and its rows.
    "sitemap": (lambda lesson, article: "/sitemap.xml", 8),
    "sitemap_events": (lambda lesson, article: "/sitemap-events.xml", 2),
}


@pytest.mark.django_db
@pytest.mark.parametrize("size", [2, 25], ids=["small", "large"])
@pytest.mark.parametrize("page", PAGES)
def test_page_runs_a_fixed_number_of_queries(client, django_assert_num_queries, page, size):
    lesson, article = built_lesson(size)
    url_of, expected = PAGES[page]
    url = url_of(lesson, article)
    with django_assert_num_queries(expected):
        response = client.get(url)
    assert response.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("size", [2, 25], ids=["small", "large"])
def test_answering_runs_a_fixed_number_of_queries(client, django_assert_num_queries, size):
    lesson, _article = built_lesson(size)
    question = lesson.questions.filter(kind="multiple_choice").first()
    choice = question.choices.first()
    url = reverse("learner:answer", args=[lesson.slug, question.pk])
    with django_assert_num_queries(5):
        response = client.post(url, {"choice": [choice.pk]})
    assert response.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("size", [2, 25], ids=["small", "large"])
def test_the_guide_and_the_pdfs_run_a_fixed_number_of_queries(
    client, django_assert_num_queries, size
):
    from tests import factories

    lesson, _article = built_lesson(size)
    client.force_login(factories.editor(username=f"ed{size}"))
    # The session, the user, the user's and the group's permissions, the built page.
    with django_assert_num_queries(5):
        response = client.get(reverse("learner:lesson_guide", args=[lesson.slug]))
    assert response.status_code == 200
    client.logout()
    # The built page; the PDF is made from it alone (and then kept by its ETag).
    with django_assert_num_queries(1):
        response = client.get(reverse("learner:lesson_handout_pdf", args=[lesson.slug]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
