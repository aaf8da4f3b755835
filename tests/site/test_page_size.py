"""No learner page weighs more than 100 KB of HTML, CSS and JavaScript (images aside)."""

from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from history.models import Article, Concept, Event
from lessons.models import Lesson

LIMIT = 100 * 1024


def _assets_size() -> int:
    return sum(
        len(open(finders.find(path), "rb").read()) for path in ("css/site.css", "js/site.js")
    )


@pytest.mark.django_db
def test_every_page_type_stays_under_100_kb_with_its_css_and_js(client, sample):
    lesson = Lesson.objects.get()
    urls = [
        "/",
        lesson.get_absolute_url(),
        reverse("learner:lesson_handout", args=[lesson.slug]),
        Article.objects.get(
            slug="khrushchev-the-stalinist-who-denounced-stalin"
        ).get_absolute_url(),
        reverse("learner:article_list"),
        reverse("learner:timeline"),
        Event.objects.first().get_absolute_url(),
        reverse("learner:glossary"),
        Concept.objects.get(slug="political-revolution").get_absolute_url(),
        reverse("search:search") + "?q=revolution",
    ]
    assets = _assets_size()
    documents = Path(finders.find("css/documents.css")).stat().st_size
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200
        extra = documents if b"css/documents" in response.content else 0
        assert len(response.content) + assets + extra < LIMIT, url
