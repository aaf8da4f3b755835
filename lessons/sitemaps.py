"""sitemap.xml: published content only."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from history.models import Article, Concept, Event
from lessons.models import Lesson


class _Published(Sitemap):
    model = None

    def items(self):
        return self.model.objects.published().order_by("pk").only("slug", "updated_at")

    def lastmod(self, obj):
        return obj.updated_at


class LessonSitemap(_Published):
    model = Lesson
    priority = 0.9


class ArticleSitemap(_Published):
    model = Article


class EventSitemap(_Published):
    model = Event


class ConceptSitemap(_Published):
    model = Concept


class PageSitemap(Sitemap):
    def items(self):
        return ["lessons:home", "history:article_list", "history:timeline", "history:glossary"]

    def location(self, item):
        return reverse(item)


SITEMAPS = {
    "pages": PageSitemap,
    "lessons": LessonSitemap,
    "articles": ArticleSitemap,
    "events": EventSitemap,
    "concepts": ConceptSitemap,
}
