"""Suggested links are reviewed on their own page, a page at a time, each in the sentence
around it, and accepted or rejected in bulk: the article's change page stays small however
many there are."""

import re

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from history.models import Article, Mention, MentionStatus
from tests import factories

pytestmark = pytest.mark.django_db

SENTENCE = "In 1956 the workers’ council of Csepel met at dawn. "


def _article_with_mentions(n: int, *, status=MentionStatus.SUGGESTED) -> Article:
    article = factories.ArticleFactory(body=SENTENCE * n, draft=True)
    concept = factories.ConceptFactory(term="workers’ council")
    Mention.objects.bulk_create(
        Mention(
            article=article,
            concept=concept,
            start=start,
            end=start + len("workers’ council"),
            exact="workers’ council",
            status=status,
        )
        for start in (i * len(SENTENCE) + SENTENCE.index("workers") for i in range(n))
    )
    return article


def _url(article, **params) -> str:
    url = reverse("admin:history_article_suggestions", args=[article.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


def _statuses(article) -> dict[str, int]:
    statuses = {}
    for status in article.mentions.values_list("status", flat=True):
        statuses[status] = statuses.get(status, 0) + 1
    return statuses


def test_the_change_page_counts_suggestions_and_links_to_them_instead_of_a_form_each(
    client, editor_user
):
    article = _article_with_mentions(300)
    client.force_login(editor_user)
    html = client.get(reverse("admin:history_article_change", args=[article.pk])).content.decode()
    assert "300 suggested links to concepts and events to check" in html
    assert _url(article) in html
    assert "mentions-TOTAL_FORMS" not in html and "workers’ council of Csepel met" in html
    assert len(html) < 60_000 + len(article.body) * 1.2


def test_the_change_page_runs_the_same_queries_whatever_the_number_of_mentions(
    client, editor_user, django_assert_max_num_queries
):
    client.force_login(editor_user)
    small, large = _article_with_mentions(2), _article_with_mentions(400)
    client.get(reverse("admin:history_article_change", args=[small.pk]))  # warm caches
    with django_assert_max_num_queries(100) as counted:
        client.get(reverse("admin:history_article_change", args=[small.pk]))
    with django_assert_max_num_queries(len(counted.captured_queries)):
        client.get(reverse("admin:history_article_change", args=[large.pk]))


def test_suggestions_are_listed_a_page_at_a_time_in_their_sentence(client, editor_user):
    article = _article_with_mentions(150)
    client.force_login(editor_user)
    first = client.get(_url(article)).content.decode()
    assert first.count('name="mention"') == 100
    assert "1–100 of 150" in first and "Page 1 of 2" in first
    assert "the <mark>workers’ council</mark> of Csepel met at dawn." in first
    second = client.get(_url(article, page=2)).content.decode()
    assert second.count('name="mention"') == 50 and 'rel="prev"' in second


def test_the_suggestions_page_runs_the_same_queries_whatever_the_number_of_mentions(
    client, editor_user, django_assert_max_num_queries
):
    client.force_login(editor_user)
    small, large = _article_with_mentions(2), _article_with_mentions(400)
    client.get(_url(small))
    with django_assert_max_num_queries(30) as counted:
        client.get(_url(small))
    with django_assert_max_num_queries(len(counted.captured_queries)):
        client.get(_url(large))


def test_selected_suggestions_are_accepted_through_the_service(client, editor_user):
    article = _article_with_mentions(5)
    chosen = list(article.mentions.order_by("start").values_list("pk", flat=True)[:2])
    version = article.version
    client.force_login(editor_user)
    response = client.post(_url(article), {"action": "accept", "mention": chosen})
    assert response.status_code == 302 and response["Location"] == _url(article)
    assert _statuses(article) == {"confirmed": 2, "suggested": 3}
    article.refresh_from_db()
    assert article.version == version + 1  # a change to the working copy
    page = client.get(response["Location"]).content.decode()
    assert "2 mentions accepted." in page and "Confirmed (2)" in page


def test_all_suggestions_on_the_page_are_rejected_at_once(client, editor_user):
    article = _article_with_mentions(120)
    client.force_login(editor_user)
    html = client.get(_url(article)).content.decode()
    shown = re.findall(r'name="shown" value="(\d+)"', html)
    response = client.post(_url(article), {"action": "reject-page", "shown": shown})
    assert response.status_code == 302
    assert _statuses(article) == {"rejected": 100, "suggested": 20}
    assert (
        "20 suggested links"
        in client.get(reverse("admin:history_article_change", args=[article.pk])).content.decode()
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"action": "accept"}, "Select at least one suggestion first."),
        ({"action": "approve", "mention": ["{first}"]}, "Choose to accept or to reject"),
        ({"action": "accept", "mention": ["{first}", "{other}"]}, "not in this article"),
        ({"action": "accept", "mention": ["{first}", "x1"]}, "not a mention"),
        ({"action": "accept", "mention": ["{first}", "99999999"]}, "not in this article"),
        ({"action": "reject", "mention": [str(n) for n in range(1, 600)]}, "at most 500"),
    ],
    ids=["nothing", "unknown-action", "other-article", "not-a-number", "gone", "too-many"],
)
def test_bad_input_is_refused_with_a_reason_and_changes_nothing(client, editor_user, data, message):
    article = _article_with_mentions(3)
    other = _article_with_mentions(1)
    first = article.mentions.order_by("pk").first().pk
    ids = {"first": first, "other": other.mentions.get().pk}
    data = {
        k: [v.format(**ids) for v in value] if isinstance(value, list) else value
        for k, value in data.items()
    }
    version = article.version
    client.force_login(editor_user)
    response = client.post(_url(article), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert _statuses(article) == {"suggested": 3} and _statuses(other) == {"suggested": 1}
    article.refresh_from_db()
    assert article.version == version


def test_a_reader_without_change_permission_sees_the_list_but_cannot_decide(client):
    article = _article_with_mentions(3)
    viewer = factories.UserFactory(is_staff=True)
    viewer.user_permissions.add(
        Permission.objects.get(codename="view_article", content_type__app_label="history")
    )
    client.force_login(viewer)
    html = client.get(_url(article)).content.decode()
    assert "workers’ council" in html and 'name="mention"' not in html
    chosen = list(article.mentions.values_list("pk", flat=True))
    assert client.post(_url(article), {"action": "accept", "mention": chosen}).status_code == 403
    assert _statuses(article) == {"suggested": 3}


def test_anonymous_visitors_are_sent_to_log_in(client):
    article = _article_with_mentions(1)
    response = client.post(_url(article), {"action": "accept", "mention": ["1"]})
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert _statuses(article) == {"suggested": 1}


def test_an_unknown_article_is_not_found(client, editor_user):
    client.force_login(editor_user)
    assert client.get(_url(Article(pk=987654))).status_code == 404
