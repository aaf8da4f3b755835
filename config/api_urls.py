"""API v1: the router of every endpoint, the OpenAPI schema and its docs (no CDN)."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from config.api import ApiRootView
from history.api import views as history
from lessons.api import views as lessons

app_name = "api-v1"

router = DefaultRouter()
router.APIRootView = ApiRootView
router.include_root_view = True  # /api/v1/ lists the endpoints
router.include_format_suffixes = False  # one URL per resource; JSON only
router.register("lessons", lessons.LessonViewSet, basename="lesson")
router.register("articles", history.ArticleViewSet, basename="article")
router.register("events", history.EventViewSet, basename="event")
router.register("concepts", history.ConceptViewSet, basename="concept")
router.register("excerpts", lessons.ExcerptViewSet, basename="excerpt")
router.register("sections", lessons.SectionViewSet, basename="section")
router.register("questions", lessons.QuestionViewSet, basename="question")
router.register("choices", lessons.ChoiceViewSet, basename="choice")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(
            url_name="api-v1:schema", template_name="lessons/api_docs.html"
        ),
        name="docs",
    ),
    path("export.json", lessons.ContentExportView.as_view(), name="content-export"),
    path("events/timeline.json", lessons.EventsTimelineView.as_view(), name="events-timeline"),
    path(
        "lessons/<slug:slug>/timeline.json",
        lessons.LessonTimelineView.as_view(),
        name="lesson-timeline",
    ),
    path(
        "lessons/<slug:slug>/cartridge.imscc",
        lessons.LessonCartridgeView.as_view(),
        name="lesson-cartridge",
    ),
    path(
        "lessons/<slug:slug>/learning-resource.jsonld",
        lessons.LessonLearningResourceView.as_view(),
        name="lesson-learning-resource",
    ),
    path(
        "articles/<slug:slug>/annotations.jsonld",
        lessons.ArticleAnnotationsView.as_view(),
        name="article-annotations",
    ),
    path("", include(router.urls)),
]
