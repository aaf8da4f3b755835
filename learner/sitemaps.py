"""sitemap.xml: live content only, from the live versions' own columns."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from history.models import LiveArticle, LiveConcept, LiveEvent
from lessons.models import LiveLesson


class _Live(Sitemap):
    live_model = None
    url_name = ""

    def items(self):
        return self.live_model.objects.public().order_by("pk").only("slug", "updated_at")

    def location(self, item):
        return reverse(f"learner:{self.url_name}", kwargs={"slug": item.slug})

    def lastmod(self, item):
        return item.updated_at


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
