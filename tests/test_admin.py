"""Every admin changelist, add and change page answers 200 to staff, in a bounded number of queries."""

import pytest
from django.contrib import admin
from django.urls import reverse

from history.models import Article, Concept, Event
from lessons.models import Excerpt, Lesson
from publishing.models import Status
from tests import factories


def admin_urls(model, obj):
    info = model._meta.app_label, model._meta.model_name
    urls = [reverse("admin:{}_{}_changelist".format(*info))]
    model_admin = admin.site._registry[model]
    if model_admin.has_add_permission(_request_for_add()):
        urls.append(reverse("admin:{}_{}_add".format(*info)))
    if obj is not None:
        urls.append(reverse("admin:{}_{}_change".format(*info), args=[obj.pk]))
        urls.append(reverse("admin:{}_{}_history".format(*info), args=[obj.pk]))
    return urls


def _request_for_add():
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = type("Super", (), {"has_perm": lambda *a: True, "is_active": True})()
    return request


@pytest.mark.django_db
def test_every_admin_page_answers_200_to_a_superuser_on_the_sample(admin_client, sample):
    seen = 0
    for model in admin.site._registry:
        obj = model.objects.first()
        for url in admin_urls(model, obj):
            response = admin_client.get(url)
            assert response.status_code == 200, url
            seen += 1
    assert seen >= 30


@pytest.mark.django_db
@pytest.mark.parametrize("user_fixture", ["editor_user", "publisher_user"])
def test_editors_and_publishers_reach_every_content_page(client, sample, request, user_fixture):
    client.force_login(request.getfixturevalue(user_fixture))
    for model in admin.site._registry:
        if model._meta.app_label not in ("history", "lessons"):
            continue
        info = model._meta.app_label, model._meta.model_name
        response = client.get(reverse("admin:{}_{}_changelist".format(*info)))
        assert response.status_code == 200, info
        obj = model.objects.first()
        response = client.get(reverse("admin:{}_{}_change".format(*info), args=[obj.pk]))
        assert response.status_code == 200, info


@pytest.mark.django_db
def test_admin_index_groups_content_under_readable_names(admin_client):
    html = admin_client.get(reverse("admin:index")).content.decode()
    for name in ("Articles", "Events", "Concepts", "Lessons", "Excerpts", "Questions"):
        assert name in html
    assert "Sources: articles, events and concepts" in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("model", "factory"),
    [
        (Article, factories.ArticleFactory),
        (Event, factories.EventFactory),
        (Concept, factories.ConceptFactory),
        (Lesson, factories.LessonFactory),
        (Excerpt, factories.ExcerptFactory),
    ],
    ids=["articles", "events", "concepts", "lessons", "excerpts"],
)
def test_changelist_queries_do_not_grow_with_the_number_of_rows(
    admin_client, django_assert_max_num_queries, django_assert_num_queries, model, factory
):
    info = model._meta.app_label, model._meta.model_name
    url = reverse("admin:{}_{}_changelist".format(*info))
    factory.create_batch(2)
    with django_assert_max_num_queries(12) as small:
        assert admin_client.get(url).status_code == 200
    factory.create_batch(40)
    with django_assert_num_queries(len(small.captured_queries)):
        response = admin_client.get(url)
    assert response.status_code == 200
    assert "42 " in response.content.decode()  # the list's count: every row is there


@pytest.mark.django_db
def test_editor_adds_an_event_with_a_date_as_written(client, editor_user):
    client.force_login(editor_user)
    response = client.post(
        reverse("admin:history_event_add"),
        {
            "title": "Poznań protests",
            "slug": "poznan-protests",
            "date_edtf": "28–30 June 1956",
            "place": "Poznań",
            "summary": "Workers struck.",
            "description": "",
            "image_alt": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    from history.models import Event

    event = Event.objects.get(slug="poznan-protests")
    assert event.date_edtf == "1956-06-28/1956-06-30"
    assert event.status == Status.DRAFT
    assert event.created_by == editor_user


@pytest.mark.django_db
def test_a_date_that_cannot_be_read_is_refused_with_a_hint(client, editor_user):
    client.force_login(editor_user)
    response = client.post(
        reverse("admin:history_event_add"),
        {"title": "Bad", "slug": "bad", "date_edtf": "the day after", "summary": ""},
    )
    assert response.status_code == 200
    assert "is not a date this can read" in response.content.decode()


@pytest.mark.django_db
def test_editor_publish_action_is_refused_and_publisher_action_works(
    client, editor_user, publisher_user
):
    article = factories.ArticleFactory(draft=True)
    url = reverse("admin:history_article_changelist")
    data = {"action": "publish_now", "_selected_action": [article.pk]}
    client.force_login(editor_user)
    client.post(url, data, follow=True)
    article.refresh_from_db()
    assert article.status == Status.DRAFT
    client.force_login(publisher_user)
    client.post(url, data, follow=True)
    article.refresh_from_db()
    assert article.status == Status.PUBLISHED


@pytest.mark.django_db
def test_excerpt_added_by_pasting_words_gets_its_anchor(client, editor_user):
    article = factories.ArticleFactory()
    client.force_login(editor_user)
    words = "the workers’ councils of Budapest"
    response = client.post(
        reverse("admin:lessons_excerpt_add"),
        {"article": article.pk, "exact": f"  {words} ", "note": "Key claim."},
    )
    assert response.status_code == 302
    excerpt = article.excerpts.get()
    assert excerpt.exact == words
    assert article.body[excerpt.start : excerpt.end] == words
    assert excerpt.created_by == editor_user


@pytest.mark.django_db
def test_excerpt_with_words_not_in_the_article_is_refused(client, editor_user):
    article = factories.ArticleFactory()
    client.force_login(editor_user)
    response = client.post(
        reverse("admin:lessons_excerpt_add"),
        {"article": article.pk, "exact": "words that are not there", "note": ""},
    )
    assert response.status_code == 200
    assert "not in the article" in response.content.decode()
    assert not article.excerpts.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "never_read"),
    [
        ("admin:history_article_changelist", ['"body"', '"blocks"', '"content"', '"data"']),
        ("admin:history_event_changelist", ['"description"', '"content"', '"data"']),
        ("admin:history_concept_changelist", ['"explanation"', '"content"', '"data"']),
        ("admin:lessons_lesson_changelist", ['"teacher_notes"', '"content"', '"data"']),
        ("admin:lessons_excerpt_changelist", ['"body"', '"blocks"']),
        ("admin:history_mention_changelist", ['"body"', '"explanation"', '"description"']),
        ("admin:history_datedexpression_changelist", ['"body"', '"description"']),
    ],
)
def test_lists_do_not_read_long_texts_or_built_pages(admin_client, sample, url, never_read):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = admin_client.get(reverse(url))
    assert response.status_code == 200
    read = " ".join(q["sql"] for q in captured.captured_queries)
    for column in never_read:
        assert f"{column}," not in read and f"{column} FROM" not in read, column
