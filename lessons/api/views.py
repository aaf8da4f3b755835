"""API endpoints for lessons and their parts, answers and exports: thin, over services."""

from __future__ import annotations

import django_filters
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import generics, permissions, status
from rest_framework.decorators import action
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response

from config.api import (
    SLUG_PARAMETER,
    ApiFilterBackend,
    ApiFilterSet,
    ContentViewSet,
    HttpCachingMixin,
    IdFilter,
    RelatedSlugFilter,
    WorkflowMixin,
    can_view_answer_key,
    can_view_drafts,
)
from history.api.views import EventFilter
from history.markup import render_markdown
from history.models import Article, Concept, Event, Mention
from lessons import services
from lessons.api import serializers as s
from lessons.exports import annotations, cartridge, content, jsonld, timelinejs
from lessons.models import Choice, Excerpt, Lesson, Level, Question, Section
from publishing.models import published_q

# --- lessons -----------------------------------------------------------------------------


class LessonFilter(ApiFilterSet):
    level = django_filters.ChoiceFilter(choices=Level.choices, help_text="Level of the lesson.")
    concept = RelatedSlugFilter(
        field_name="vocabulary", help_text="Lessons whose vocabulary has this concept."
    )
    event = RelatedSlugFilter(
        field_name="timeline", help_text="Lessons whose timeline has this event."
    )

    class Meta:
        model = Lesson
        fields = ["level", "concept", "event"]


def _public_or_all(model, staff: bool):
    return model.objects.all() if staff else model.objects.published()


def lesson_joins(queryset, *, staff: bool):
    """Everything a lesson's detail shows, in a fixed number of queries."""
    excerpt_joins = ("excerpt__article",)
    return queryset.prefetch_related(
        Prefetch(
            "sections",
            queryset=Section.objects.select_related(*excerpt_joins).order_by("position", "id"),
        ),
        Prefetch(
            "questions",
            queryset=Question.objects.select_related(*excerpt_joins)
            .prefetch_related(
                Prefetch("choices", queryset=Choice.objects.order_by("position", "id")),
                Prefetch("events", queryset=Event.objects.order_by("title")),
            )
            .order_by("position", "id"),
        ),
        Prefetch(
            "vocabulary", queryset=_public_or_all(Concept, staff).order_by("collation_key", "term")
        ),
        Prefetch("timeline", queryset=_public_or_all(Event, staff).chronological()),
    )


def lesson_last_modified(lesson):
    times = [lesson.updated_at]
    for section in lesson.sections.all():
        if section.excerpt is not None:
            times += [section.excerpt.updated_at, section.excerpt.article.updated_at]
    times += [c.updated_at for c in lesson.vocabulary.all()]
    times += [e.updated_at for e in lesson.timeline.all()]
    return max(times)


SLUG = extend_schema(parameters=[SLUG_PARAMETER])


@extend_schema_view(retrieve=SLUG, partial_update=SLUG, submit=SLUG, publish=SLUG, unpublish=SLUG)
class LessonViewSet(WorkflowMixin, ContentViewSet):
    """Lessons. The detail carries sections with their excerpts, vocabulary, timeline and
    questions. Filter by ``level``, ``concept`` and ``event``."""

    model = Lesson
    serializer_class = s.LessonSerializer
    list_serializer_class = s.LessonListSerializer
    write_serializer_class = s.LessonWriteSerializer
    m2m_fields = ("vocabulary", "timeline")
    lookup_field = "slug"
    filterset_class = LessonFilter
    search_fields = ["title", "central_question", "summary"]
    search_kind = "lesson"  # ranked search (config.api.ApiSearchFilter)
    ordering_fields = ["title", "updated_at", "duration_minutes"]
    ordering = ["title"]

    def joins(self, queryset):
        if self.action == "list":
            return queryset.distinct()
        return lesson_joins(queryset, staff=self.staff)

    def last_modified(self, instance):
        return lesson_last_modified(instance)

    def save(self, obj, *, user, version):
        return services.lesson_save(lesson=obj, user=user, expected_version=version)

    def publish_service(self, obj, user, at):
        return services.lesson_publish(lesson=obj, user=user, at=at)


# --- excerpts ----------------------------------------------------------------------------


@extend_schema_view(
    create=extend_schema(request=s.ExcerptCreateSerializer),
    partial_update=extend_schema(request=s.ExcerptUpdateSerializer),
)
class ExcerptViewSet(ContentViewSet):
    """Excerpts of published articles; make one by a selector (position or exact words)."""

    model = Excerpt
    serializer_class = s.ExcerptSerializer
    write_serializer_class = s.ExcerptUpdateSerializer
    search_fields = ["exact"]
    ordering_fields = ["id", "start"]
    ordering = ["article__title", "start", "id"]
    filterset_fields = {"article__slug": ["exact"], "anchor_status": ["exact"]}

    def visible(self):
        if self.staff:
            return Excerpt.objects.all()
        return Excerpt.objects.filter(published_q("article__"))

    def joins(self, queryset):
        return queryset.select_related("article")

    def get_serializer_class(self):
        if self.action == "create":
            return s.ExcerptCreateSerializer
        return super().get_serializer_class()

    def create(self, request, *args, **kwargs):
        serializer = s.ExcerptCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if "start" in data:
            excerpt = services.excerpt_create(
                article=data["article"],
                start=data["start"],
                end=data["end"],
                note=data["note"],
                user=request.user,
            )
        else:
            excerpt = services.excerpt_create_from_words(
                article=data["article"], exact=data["exact"], note=data["note"], user=request.user
            )
        return self.read_back(excerpt, status.HTTP_201_CREATED)

    def save(self, obj, *, user, version):
        return services.excerpt_note_save(excerpt=obj, note=obj.note, user=user)


# --- sections, questions, choices --------------------------------------------------------


class ChoiceFilter(ApiFilterSet):
    question = IdFilter(field_name="question_id", help_text="Choices of this question (its id).")

    class Meta:
        model = Choice
        fields = ["question"]


class LessonPartViewSet(ContentViewSet):
    """A part of a lesson: public when its lesson is; changed by editors of lessons."""

    lesson_path = "lesson__"

    @property
    def staff(self) -> bool:
        if not hasattr(self, "_staff"):
            self._staff = can_view_drafts(self.request, Lesson)
        return self._staff

    def visible(self):
        if self.staff:
            return self.model.objects.all()
        return self.model.objects.filter(published_q(self.lesson_path))


class SectionViewSet(LessonPartViewSet):
    """Sections of lessons, in order."""

    model = Section
    serializer_class = s.SectionSerializer
    write_serializer_class = s.SectionWriteSerializer
    search_fields = ["heading", "body"]
    ordering_fields = ["id", "position"]
    ordering = ["lesson__title", "position", "id"]
    filterset_fields = {"lesson__slug": ["exact"]}

    def joins(self, queryset):
        return queryset.select_related("lesson", "excerpt__article")

    def save(self, obj, *, user, version):
        return services.section_save(section=obj, user=user)


class QuestionViewSet(LessonPartViewSet):
    """Questions of lessons; POST an answer to ``answer/`` to check it."""

    model = Question
    serializer_class = s.QuestionSerializer
    write_serializer_class = s.QuestionWriteSerializer
    search_fields = ["prompt"]
    ordering_fields = ["id", "position"]
    ordering = ["lesson__title", "position", "id"]
    filterset_fields = {"lesson__slug": ["exact"], "kind": ["exact"]}

    def joins(self, queryset):
        return queryset.select_related("lesson", "excerpt__article").prefetch_related(
            Prefetch("choices", queryset=Choice.objects.order_by("position", "id")),
            Prefetch("events", queryset=Event.objects.order_by("title")),
        )

    def write(self, serializer, instance=None):
        data = dict(serializer.validated_data)
        events = data.pop("events", None)
        obj = instance if instance is not None else Question()
        for name, value in data.items():
            setattr(obj, name, value)
        return services.question_save(question=obj, events=events, user=self.request.user)

    @extend_schema(
        request=s.AnswerSerializer,
        responses={200: s.AnswerResultSerializer},
        summary="Check an answer (anyone); the answer key itself is never returned",
    )
    @action(detail=True, methods=["post"], permission_classes=[permissions.AllowAny])
    def answer(self, request, *args, **kwargs):
        question = self.get_object()
        serializer = s.AnswerSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            result = services.answer_check(
                question=question, answer=serializer.validated_data["answer"]
            )
        except services.AnswerError as exc:
            from rest_framework.exceptions import ValidationError

            raise ValidationError({"answer": exc.messages}) from exc
        data = {
            "correct": result.correct,
            "explanation": result.explanation,
            "explanation_html": render_markdown(result.explanation),
            "feedback": result.feedback,
            "in_place": result.in_place,
            "total": result.total,
        }
        return Response(s.AnswerResultSerializer(data).data)


class ChoiceViewSet(LessonPartViewSet):
    """Choices of multiple-choice questions (``is_correct`` only with the answer-key right)."""

    model = Choice
    lesson_path = "question__lesson__"
    serializer_class = s.ChoiceSerializer
    write_serializer_class = s.ChoiceWriteSerializer
    search_fields = ["text"]
    ordering_fields = ["id", "position"]
    ordering = ["question", "position", "id"]
    filterset_class = ChoiceFilter

    def joins(self, queryset):
        return queryset.select_related("question__lesson")

    def save(self, obj, *, user, version):
        return services.choice_save(choice=obj, user=user)


# --- exports -----------------------------------------------------------------------------


class JSONLDRenderer(JSONRenderer):
    media_type = "application/ld+json"
    format = "jsonld"


class CartridgeRenderer(BaseRenderer):
    media_type = "application/zip"
    format = "imscc"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, bytes):
            return data
        return JSONRenderer().render(data)  # an error (problem details)


class ExportView(HttpCachingMixin, generics.GenericAPIView):
    """A read-only export of published content (drafts for staff)."""

    permission_classes = [permissions.AllowAny]
    pagination_class = None
    filter_backends = []

    def get_serializer_class(self):  # exports are not serializer-shaped
        return None


def _lesson_for_export(request, slug, *, staff):
    queryset = Lesson.objects.all() if staff else Lesson.objects.published()
    return get_object_or_404(lesson_joins(queryset, staff=staff), slug=slug)


class LessonTimelineView(ExportView):
    """The lesson's timeline as TimelineJS3 JSON, ready for the TimelineJS embed."""

    @extend_schema(parameters=[SLUG_PARAMETER], responses={200: OpenApiTypes.OBJECT})
    def get(self, request, slug):
        staff = can_view_drafts(request, Lesson)
        lesson = _lesson_for_export(request, slug, staff=staff)
        data = timelinejs.lesson_timeline(lesson, absolute=request.build_absolute_uri)
        return self.conditional(request, data, last_modified=lesson_last_modified(lesson))


class EventsTimelineView(ExportView):
    """A filtered set of events as TimelineJS3 JSON (the same filters as the events list)."""

    filter_backends = [ApiFilterBackend]
    filterset_class = EventFilter

    def get_queryset(self):
        staff = can_view_drafts(self.request, Event)
        return (Event.objects.all() if staff else Event.objects.published()).chronological()

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        events = list(self.filter_queryset(self.get_queryset()).distinct()[:1000])
        data = timelinejs.events_timeline(
            events, title="Events", absolute=request.build_absolute_uri
        )
        last = max((e.updated_at for e in events), default=None)
        return self.conditional(request, data, last_modified=last)


class LessonLearningResourceView(ExportView):
    """The lesson as schema.org LearningResource JSON-LD."""

    renderer_classes = [JSONLDRenderer, JSONRenderer]

    @extend_schema(
        parameters=[SLUG_PARAMETER],
        responses={(200, "application/ld+json"): OpenApiTypes.OBJECT},
    )
    def get(self, request, slug):
        staff = can_view_drafts(request, Lesson)
        lesson = _lesson_for_export(request, slug, staff=staff)
        data = jsonld.learning_resource(lesson, request.build_absolute_uri)
        return self.conditional(request, data, last_modified=lesson_last_modified(lesson))


class LessonCartridgeView(ExportView):
    """The lesson as an IMS Common Cartridge (1.1, which Moodle and Canvas import).

    Its quiz (QTI 1.2, with the answer key) is included only for users who may see answer keys.
    """

    renderer_classes = [CartridgeRenderer, JSONRenderer]

    @extend_schema(
        parameters=[SLUG_PARAMETER],
        responses={
            (200, "application/zip"): OpenApiResponse(
                response=OpenApiTypes.BINARY, description="A .imscc file (a zip)."
            )
        },
    )
    def get(self, request, slug):
        staff = can_view_drafts(request, Lesson)
        lesson = _lesson_for_export(request, slug, staff=staff)
        data = cartridge.build(
            lesson,
            absolute=request.build_absolute_uri,
            include_quiz=can_view_answer_key(request),
            staff=staff,
        )
        response = HttpResponse(data, content_type="application/zip")
        response["Content-Disposition"] = f'attachment; filename="{lesson.slug}.imscc"'
        return response


class ArticleAnnotationsView(ExportView):
    """The article's excerpts and confirmed mentions as a W3C Web Annotation collection."""

    renderer_classes = [JSONLDRenderer, JSONRenderer]

    @extend_schema(
        parameters=[SLUG_PARAMETER],
        responses={(200, "application/ld+json"): OpenApiTypes.OBJECT},
    )
    def get(self, request, slug):
        staff = can_view_drafts(request, Article)
        queryset = Article.objects.all() if staff else Article.objects.published()
        article = get_object_or_404(queryset, slug=slug)
        mentions = Mention.objects.confirmed().filter(article=article)
        if not staff:
            mentions = mentions.filter(published_q("concept__") | published_q("event__"))
        data = annotations.article_collection(
            article,
            excerpts=Excerpt.objects.filter(article=article).order_by("start", "id"),
            mentions=mentions.select_related("concept", "event").order_by("start", "id"),
            absolute=request.build_absolute_uri,
        )
        return self.conditional(request, data, last_modified=article.updated_at)


class ContentExportView(ExportView):
    """All published content as one JSON document (what ``manage.py export_content`` writes)."""

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        data = content.export_content()
        return self.conditional(request, data)
