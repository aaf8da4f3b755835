"""The curation pages: read and select, recent changes, the index box; their queries and input."""

import pytest
from django.urls import reverse

from history import services as history_services
from lessons import services
from lessons.models import Excerpt, Section
from tests import factories

PASSAGE = "the workers’ councils of Budapest"


@pytest.fixture
def article(db):
    return factories.ArticleFactory(title="Poznań – Budapest")


def select_url(article):
    return reverse("admin:lessons_excerpt_select", args=[article.pk])


def test_the_read_page_shows_paragraphs_with_their_code_point_offsets(client, editor_user, article):
    client.force_login(editor_user)
    html = client.get(select_url(article)).content.decode()
    for paragraph in article.paragraphs:
        assert f'data-start="{paragraph.start}" data-end="{paragraph.end}"' in html
    assert "curation/curation.js" in html and "<script>" not in html


def test_a_mouse_selection_becomes_an_excerpt_quoted_in_an_existing_section(
    client, editor_user, article
):
    lesson = factories.LessonFactory(draft=True)
    section = factories.SectionFactory(lesson=lesson, excerpt=None, heading="Councils")
    start = article.body.index(PASSAGE)
    client.force_login(editor_user)
    response = client.post(
        select_url(article),
        {"start": start, "end": start + len(PASSAGE), "target": f"section:{section.pk}"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:lessons_lesson_change", args=[lesson.pk])
    excerpt = Excerpt.objects.get()
    assert excerpt.exact == PASSAGE and excerpt.created_by == editor_user
    assert Section.objects.get(pk=section.pk).excerpt == excerpt
    lesson.refresh_from_db()
    assert lesson.version == 2  # the lesson changed: a stale form of it would now conflict


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"start": "5", "end": "2"},
        {"start": "0", "end": "999999"},
        {"start": "x", "end": "y"},
        {"paragraph": "2", "first_word": "40"},
        {"paragraph": "9"},
        {"start": "0", "end": "2", "target": "section:999"},
    ],
)
def test_bad_selections_are_refused_with_a_message_and_nothing_written(
    client, editor_user, article, data
):
    client.force_login(editor_user)
    response = client.post(select_url(article), data)
    assert response.status_code in (302, 400)
    if data.get("target") != "section:999":
        assert not Excerpt.objects.exists()
    assert not Section.objects.exists()


def test_a_blank_selection_is_refused(client, editor_user, article):
    client.force_login(editor_user)
    blank = article.body.index("\n\n")
    response = client.post(select_url(article), {"start": blank, "end": blank + 2}, follow=True)
    assert "only blank space" in response.content.decode()
    assert not Excerpt.objects.exists()


def test_a_publisher_may_read_but_not_make_excerpts(client, publisher_user, article):
    client.force_login(publisher_user)
    assert client.get(select_url(article)).status_code == 200
    assert client.post(select_url(article), {"start": 0, "end": 5}).status_code == 403
    assert not Excerpt.objects.exists()


def test_the_read_page_queries_do_not_grow_with_lessons_and_excerpts(
    client, editor_user, article, django_assert_max_num_queries
):
    client.force_login(editor_user)

    def grow(n):
        for _ in range(n):
            lesson = factories.LessonFactory(draft=True)
            factories.SectionFactory(lesson=lesson, excerpt=None)
            services.excerpt_create_from_words(article=article, exact=PASSAGE)

    grow(1)
    with django_assert_max_num_queries(14):
        assert client.get(select_url(article)).status_code == 200
    grow(25)
    with django_assert_max_num_queries(14):
        assert client.get(select_url(article)).status_code == 200


def test_recent_changes_show_who_changed_what_with_links(
    client, editor_user, publisher_user, django_assert_max_num_queries
):
    lesson = factories.LessonFactory(draft=True, title="Gomułka’s October")
    factories.SectionFactory(lesson=lesson)
    services.lesson_save(lesson=lesson, user=editor_user, comment="Added the sources.")
    from publishing.services import submit_for_review

    submit_for_review(obj=lesson, user=editor_user)
    client.force_login(publisher_user)
    url = reverse("admin:curating_recent")
    html = client.get(url).content.decode()
    assert "Gomułka’s October" in html and "Added the sources." in html
    assert "Draft → In review" in html and "edith" in html
    assert reverse("admin:lessons_lesson_change", args=[lesson.pk]) in html
    for _ in range(20):
        other = factories.LessonFactory(draft=True)
        services.lesson_save(lesson=other, user=editor_user)
        submit_for_review(obj=other, user=editor_user)
    with django_assert_max_num_queries(12):
        assert client.get(url).status_code == 200


def test_the_admin_index_has_a_curating_box(client, editor_user, article):
    lesson = factories.LessonFactory(draft=True)
    factories.SectionFactory(lesson=lesson)
    from publishing.services import submit_for_review

    submit_for_review(obj=lesson, user=editor_user)
    services.excerpt_create_from_words(article=article, exact=PASSAGE)
    article.body = "Nothing of the old text."
    history_services.article_save(article=article)
    client.force_login(editor_user)
    html = client.get(reverse("admin:index")).content.decode()
    assert "Curating" in html
    assert "1 item needs attention" in html
    assert "1 lessons" in html
    assert reverse("admin:curating_recent") in html


def test_the_article_change_page_links_to_reading_and_revisions(client, editor_user, article):
    client.force_login(editor_user)
    html = client.get(reverse("admin:history_article_change", args=[article.pk])).content.decode()
    assert select_url(article) in html
    assert reverse("admin:history_article_revisions", args=[article.pk]) in html


def test_detect_now_button_suggests_links_and_dates(client, editor_user, article):
    factories.ConceptFactory(term="Petőfi Circle", slug="petofi")
    client.force_login(editor_user)
    url = reverse("admin:history_article_detect", args=[article.pk])
    response = client.post(url, {"next": select_url(article)}, follow=True)
    assert "1 new suggested links, 2 new dates" in response.content.decode()
    assert client.get(url).status_code == 405


def lesson_services_publish(lesson, user):
    services.lesson_publish(lesson=lesson, user=user)


def test_the_lesson_change_page_queries_do_not_grow_with_its_history(
    client, editor_user, publisher_user, django_assert_max_num_queries
):
    from publishing import services as publishing

    lesson = factories.LessonFactory(draft=True)
    factories.SectionFactory(lesson=lesson)
    services.lesson_save(lesson=lesson, user=editor_user)
    client.force_login(editor_user)
    url = reverse("admin:lessons_lesson_change", args=[lesson.pk])
    client.get(url)
    with django_assert_max_num_queries(60) as small:
        assert client.get(url).status_code == 200
    for _ in range(15):
        publishing.submit_for_review(obj=lesson, user=editor_user)
        lesson_services_publish(lesson, publisher_user)
        publishing.unpublish(obj=lesson, user=publisher_user)
        services.lesson_save(lesson=lesson, user=editor_user)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200


def test_the_review_links_of_the_read_page_filter_by_article(client, editor_user, article):
    factories.ConceptFactory(term="Budapest", slug="budapest")
    history_services.suggestions_detect(article=article)
    other = factories.ArticleFactory()
    history_services.suggestions_detect(article=other)
    client.force_login(editor_user)
    html = client.get(select_url(article)).content.decode()
    for name in ("mention", "datedexpression"):
        url = f"/admin/history/{name}/?article__id__exact={article.pk}&status__exact=suggested"
        assert url.replace("&", "&amp;") in html
        response = client.get(url)
        assert response.status_code == 200
        shown = {obj.article_id for obj in response.context["cl"].result_list}
        assert shown == {article.pk}
