"""The sitemap: an index (/sitemap.xml) of files of at most 50,000 addresses each, one series
per kind of content (/sitemap-events.xml?p=2), live content only, from the live versions' own
columns.

Each file runs two queries (its count and its rows) and the index two per kind (its latest
change and its count), whatever the amount of content: Django's sitemap views paginate, and the
latest change is an aggregate rather than Django's default (the latest of every item, read in
Python).
"""

from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse

from history.models import LiveArticle, LiveConcept, LiveEvent
from lessons.models import LiveLesson

# The sitemaps protocol's limit of addresses in one file.
URLS_PER_FILE = 50_000
_SLUG = "--slug--"


class _Live(Sitemap):
    live_model = None
    url_name = ""
    limit = URLS_PER_FILE

    def items(self):
        return self.live_model.objects.public().order_by("pk").values("slug", "updated_at")

    def location(self, item):
        # One reverse() per file rather than per address (50,000 of them).
        if not hasattr(self, "_path"):
            self._path = reverse(f"learner:{self.url_name}", kwargs={"slug": _SLUG})
        return self._path.replace(_SLUG, item["slug"])

    def lastmod(self, item):
        return item["updated_at"]

    def get_latest_lastmod(self):
        return self.live_model.objects.public().aggregate(latest=Max("updated_at"))["latest"]


class LessonSitemap(_Live):
    live_model = LiveLesson
    url_name = "lesson_detail"
    priority = 0.9


class ArticleSitemap(_Live):
    live_model = LiveArticle
    url_name = "article_detail"


class EventSitemap(_Live):
    live_model = LiveEvent
    url_name = "event_detail"


class ConceptSitemap(_Live):
    live_model = LiveConcept
    url_name = "concept_detail"


class PageSitemap(Sitemap):
    def items(self):
        return ["learner:home", "learner:article_list", "learner:timeline", "learner:glossary"]

    def location(self, item):
        return reverse(item)


SITEMAPS = {
    "pages": PageSitemap,
    "lessons": LessonSitemap,
    "articles": ArticleSitemap,
    "events": EventSitemap,
    "concepts": ConceptSitemap,
}
