"""API endpoints for lessons and their parts, answers and exports: thin, over the read layer
(``lessons.selectors``) and the services."""

from __future__ import annotations

import django_filters
from django.http import Http404, HttpResponse, StreamingHttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import exceptions, generics, permissions, status
from rest_framework.decorators import action
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response

from config.api import (
    PROBLEM_CONTENT_TYPE,
    SLUG_PARAMETER,
    ApiFilterBackend,
    ApiFilterSet,
    ContentViewSet,
    HttpCachingMixin,
    IdFilter,
    ProblemSerializer,
    RelatedSlugFilter,
    WorkflowMixin,
    is_live,
    viewer_of,
)
from history import selectors as history_selectors
from history.api.views import EventFilter
from history.content import event_ref
from history.markup import render_markdown
from history.models import Article, Event, LiveArticle, LiveEvent
from history.selectors import staff_meta
from lessons import content as views
from lessons import selectors, services
from lessons.api import serializers as s
from lessons.exports import annotations, cartridge, content, jsonld, timelinejs
from lessons.models import (
    Choice,
    Excerpt,
    Lesson,
    Level,
    LiveLesson,
    PartKind,
    Question,
    QuestionKind,
    Section,
)
from publishing.live import LiveResolver, WorkingResolver
from publishing.viewer import Viewer

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


SLUG = extend_schema(parameters=[SLUG_PARAMETER])


@extend_schema_view(
    retrieve=SLUG,
    partial_update=SLUG,
    submit=SLUG,
    publish=SLUG,
    unpublish=SLUG,
    archive=SLUG,
    changes=SLUG,
)
class LessonViewSet(WorkflowMixin, ContentViewSet):
    """Lessons. The detail carries sections with their excerpts, vocabulary, timeline and
    questions. Filter by ``level``, ``concept`` and ``event``."""

    model = Lesson
    live_model = LiveLesson
    live_link = "lesson"
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
    # Live rows sort by their collation key (indexed: a list of 1,000 lessons by title read
    # and sorted every row).
    live_ordering_names = {"title": "sort_key"}

    def working_queryset(self):
        return Lesson.objects.select_related("live")

    def document(self, lookup, *, stamp_only=False):
        return selectors.lesson_document(self.viewer, lookup, stamp_only=stamp_only)

    def list_view(self, obj):
        fields = {name: getattr(obj, name) for name in views.LESSON_FIELDS}
        ref = views.lesson_ref({**fields, "id": obj.pk, "image": obj.image.name or ""})
        return {**ref, **staff_meta(obj)}

    def save(self, obj, *, user, version, related):
        return services.lesson_save(
            lesson=obj,
            user=user,
            expected_version=version,
            vocabulary=related.get("vocabulary"),
            timeline=related.get("timeline"),
        )

    def publish_service(self, obj, user, at):
        return services.lesson_publish(lesson=obj, user=user, at=at)


# --- excerpts ----------------------------------------------------------------------------


class ExcerptFilter(ApiFilterSet):
    article = django_filters.CharFilter(
        method="filter_article", help_text="Excerpts of the article with this slug."
    )
    anchor_status = django_filters.ChoiceFilter(
        choices=Excerpt._meta.get_field("anchor_status").choices,
        help_text="How well the passage is found in the article's text.",
    )

    class Meta:
        model = Excerpt
        fields = ["article", "anchor_status"]

    def filter_article(self, queryset, name, value):
        path = "article__live__slug" if is_live(queryset) else "article__slug"
        return queryset.filter(**{path: value})


@extend_schema_view(
    create=extend_schema(request=s.ExcerptCreateSerializer),
    partial_update=extend_schema(request=s.ExcerptUpdateSerializer),
)
class ExcerptViewSet(ContentViewSet):
    """Excerpts: passages of articles. Anonymous clients get those live lessons quote, in the
    words the lesson quotes and placed in the article's live text; make one by a selector
    (position or exact words)."""

    model = Excerpt
    serializer_class = s.ExcerptSerializer
    write_serializer_class = s.ExcerptUpdateSerializer
    search_fields = ["exact"]
    ordering_fields = ["id", "start"]
    ordering = ["start", "id"]
    live_ordering_names = {"id": "excerpt_id"}
    filterset_class = ExcerptFilter
    # An excerpt is public when a live lesson quotes it.
    public_path = "sections__lesson__live__"

    @property
    def staff(self):
        return self.viewer.sees_drafts_of(Lesson)

    def live_queryset(self, at=None):
        return selectors.quotes(Viewer.public(), at=at)

    def working_queryset(self):
        return Excerpt.objects.select_related("article")

    live_entry_field = "data"

    def list_views(self, objects):
        objects = list(objects)
        resolver = WorkingResolver()
        resolver.get(Article, [e.article_id for e in objects])
        return [views.excerpt_view(views.quote_content(e), resolver) for e in objects]

    def document(self, lookup, *, stamp_only=False):
        if not str(lookup).isdigit() or len(str(lookup)) > 18:
            return None
        pk = int(lookup)
        if self.staff:
            excerpt = Excerpt.objects.filter(pk=pk).first()
            if excerpt is None:
                return None
            view = views.excerpt_view(views.quote_content(excerpt), WorkingResolver())
            return _document(view, excerpt.updated_at)
        row = selectors.quotes(self.viewer).filter(excerpt_id=pk).select_related("lesson").first()
        if row is None:
            return None
        return _stored(row.data, row.lesson.updated_at)

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

    def read_back(self, obj, status_code=status.HTTP_200_OK):
        document = self.document(obj.pk)
        data = self.serializer_class(document.view, context=self.get_serializer_context()).data
        return Response(data, status=status_code)

    def save(self, obj, *, user, version, related):
        return services.excerpt_note_save(
            excerpt=obj, note=obj.note, user=user, expected_version=version
        )


def _document(view: dict, last_modified):
    from publishing.live import dumps, etag_of

    return history_selectors.Document(
        etag=etag_of(dumps(view)), last_modified=last_modified, view=view
    )


def _stored(text: str, last_modified):
    from publishing.live import etag_of

    return history_selectors.Document(etag=etag_of(text), last_modified=last_modified, text=text)


# --- sections, questions, choices --------------------------------------------------------


class LessonPartViewSet(ContentViewSet):
    """A part of a lesson: public when its lesson is live (as it was published); changed by
    editors of lessons through the lesson's services."""

    part_kind = ""
    live_ordering_names = {"id": "object_id"}

    @property
    def staff(self):
        return self.viewer.sees_drafts_of(Lesson)

    def live_queryset(self, at=None):
        return selectors.parts(Viewer.public(), self.part_kind, at=at).select_related("lesson")

    live_entry_field = "data"

    def document(self, lookup, *, stamp_only=False):
        if not str(lookup).isdigit() or len(str(lookup)) > 18:
            return None
        pk = int(lookup)
        if self.staff:
            obj = self.working_queryset().filter(pk=pk).first()
            if obj is None:
                return None
            return _document(self.list_views([obj])[0], self.lesson_of(obj).updated_at)
        row = self.live_queryset().filter(object_id=pk).first()
        if row is None:
            return None
        return _stored(row.data, row.lesson.updated_at)

    def lesson_of(self, obj) -> Lesson:
        return obj.lesson

    def read_back(self, obj, status_code=status.HTTP_200_OK):
        document = self.document(obj.pk)
        data = self.serializer_class(document.view, context=self.get_serializer_context()).data
        return Response(data, status=status_code)


class SectionFilter(ApiFilterSet):
    lesson__slug = django_filters.CharFilter(
        field_name="lesson__slug", help_text="Sections of the lesson with this slug."
    )

    class Meta:
        model = Section
        fields = ["lesson__slug"]


class SectionViewSet(LessonPartViewSet):
    """Sections of lessons, in order."""

    model = Section
    part_kind = PartKind.SECTION
    public_path = "lesson__live__"
    serializer_class = s.SectionSerializer
    write_serializer_class = s.SectionWriteSerializer
    search_fields = ["heading", "body"]
    ordering_fields = ["id", "position"]
    ordering = ["lesson__title", "position", "id"]
    filterset_class = SectionFilter

    def working_queryset(self):
        return Section.objects.select_related("lesson", "excerpt")

    def list_views(self, objects):
        objects = list(objects)
        resolver = WorkingResolver()
        resolver.get(Article, [o.excerpt.article_id for o in objects if o.excerpt])
        return [
            views.section_view(views.section_content(o), o.lesson.slug, resolver) for o in objects
        ]

    def save(self, obj, *, user, version, related):
        return services.section_save(section=obj, user=user, expected_version=version)


class QuestionFilter(ApiFilterSet):
    lesson__slug = django_filters.CharFilter(
        field_name="lesson__slug", help_text="Questions of the lesson with this slug."
    )
    kind = django_filters.ChoiceFilter(
        choices=QuestionKind.choices, method="filter_kind", help_text="Kind of question."
    )

    class Meta:
        model = Question
        fields = ["lesson__slug", "kind"]

    def filter_kind(self, queryset, name, value):
        return queryset.filter(**{"question_kind" if is_live(queryset) else "kind": value})


class QuestionViewSet(LessonPartViewSet):
    """Questions of lessons; POST an answer to ``answer/`` to check it."""

    model = Question
    part_kind = PartKind.QUESTION
    public_path = "lesson__live__"
    serializer_class = s.QuestionSerializer
    write_serializer_class = s.QuestionWriteSerializer
    search_fields = ["prompt"]
    ordering_fields = ["id", "position"]
    ordering = ["lesson__title", "position", "id"]
    filterset_class = QuestionFilter

    def working_queryset(self):
        return Question.objects.select_related("lesson", "excerpt").prefetch_related(
            "choices", "events"
        )

    def list_views(self, objects):
        objects = list(objects)
        resolver = WorkingResolver()
        resolver.get(Article, [o.excerpt.article_id for o in objects if o.excerpt])
        resolver.get(Event, [e.pk for o in objects for e in o.events.all()])
        return [
            selectors.redact_view(
                self.viewer,
                views.question_view(views.question_content(o), o.lesson.slug, resolver),
            )
            for o in objects
        ]

    def write(self, serializer, instance=None):
        data = dict(serializer.validated_data)
        events = data.pop("events", None)
        version = data.pop("version", None)
        obj = instance if instance is not None else Question()
        for name, value in data.items():
            setattr(obj, name, value)
        return services.question_save(
            question=obj, events=events, user=self.request.user, expected_version=version
        )

    @extend_schema(
        request=s.AnswerSerializer,
        responses={200: s.AnswerResultSerializer},
        summary="Check an answer (anyone); the key and the explanation only once the answer "
        "is right or the question's tries are used",
    )
    @action(detail=True, methods=["post"], permission_classes=[permissions.AllowAny])
    def answer(self, request, *args, **kwargs):
        lookup = kwargs.get("pk", "")
        found = None
        if str(lookup).isdigit() and len(str(lookup)) <= 18:
            found = selectors.question_for_answer(viewer_of(request), int(lookup))
        if found is None:
            raise Http404("Not found.")
        question, events = found
        serializer = s.AnswerSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            result = services.answer_check(
                question=question,
                answer=serializer.validated_data["answer"],
                events=events,
                attempt=serializer.validated_data.get("attempt", ""),
            )
        except services.AnswerError as exc:
            field = "attempt" if exc.code == "attempt" else "answer"
            raise exceptions.ValidationError({field: exc.messages}) from exc
        data = {
            "correct": result.correct,
            "explanation": result.explanation,
            "explanation_html": render_markdown(result.explanation),
            "feedback": result.feedback,
            "in_place": result.in_place,
            "total": result.total,
            "revealed": result.revealed,
            "try_number": result.try_number,
            "tries": result.tries,
            "tries_left": result.tries_left,
            "hint": result.hint,
            "hint_html": render_markdown(result.hint) if result.hint else "",
            "answer": list(result.answer),
            "answer_text": list(result.answer_text),
            "attempt": result.attempt,
        }
        return Response(s.AnswerResultSerializer(data).data)


class ChoiceFilter(ApiFilterSet):
    question = IdFilter(method="filter_question", help_text="Choices of this question (its id).")

    class Meta:
        model = Choice
        fields = ["question"]

    def filter_question(self, queryset, name, value):
        return queryset.filter(**{"parent_id" if is_live(queryset) else "question_id": value})


class ChoiceViewSet(LessonPartViewSet):
    """Choices of multiple-choice questions (``is_correct`` only with the answer-key right)."""

    model = Choice
    part_kind = PartKind.CHOICE
    public_path = "question__lesson__live__"
    serializer_class = s.ChoiceSerializer
    write_serializer_class = s.ChoiceWriteSerializer
    search_fields = ["text"]
    ordering_fields = ["id", "position"]
    ordering = ["question", "position", "id"]
    live_ordering_names = {"id": "object_id", "question": "parent_id"}
    filterset_class = ChoiceFilter

    def working_queryset(self):
        return Choice.objects.select_related("question__lesson")

    def lesson_of(self, obj):
        return obj.question.lesson

    def list_views(self, objects):
        return [
            selectors.redact_view(
                self.viewer,
                {
                    "id": c.pk,
                    "question": c.question_id,
                    "position": c.position,
                    "text": c.text,
                    "is_correct": c.is_correct,
                    "feedback": c.feedback,
                    "version": c.version,
                },
            )
            for c in objects
        ]

    def save(self, obj, *, user, version, related):
        return services.choice_save(choice=obj, user=user, expected_version=version)


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
    """A read-only export of what the reader may see."""

    permission_classes = [permissions.AllowAny]
    pagination_class = None
    filter_backends = []

    def get_serializer_class(self):  # exports are not serializer-shaped
        return None

    @property
    def viewer(self):
        return viewer_of(self.request)

    def lesson(self, slug: str):
        """(view, etag, last modified) of the lesson as the reader may see it; 404 if none.

        The ETag comes from the stored live version, so a conditional request for an export
        of live content is answered before the export is made.
        """
        viewer = self.viewer
        if viewer.sees_drafts_of(Lesson):
            lesson = Lesson.objects.select_related("live").filter(slug=slug).first()
            if lesson is None:
                raise Http404("Not found.")
            document = selectors.working_document(viewer, lesson)
            return document.view, document.etag, document.last_modified, WorkingResolver()
        row = selectors.live_lesson(slug)
        if row is None:
            raise Http404("Not found.")
        resolver = LiveResolver()
        from history.selectors import live_meta

        view = selectors.lesson_view(viewer, row.content, resolver, live_meta(row))
        from publishing.live import etag_of

        return view, etag_of(row.etag, type(self).__name__, str(viewer)), row.updated_at, resolver


class LessonTimelineView(ExportView):
    """The lesson's timeline as TimelineJS3 JSON, ready for the TimelineJS embed."""

    @extend_schema(parameters=[SLUG_PARAMETER], responses={200: OpenApiTypes.OBJECT})
    def get(self, request, slug):
        view, etag, last_modified, resolver = self.lesson(slug)
        unchanged = self.not_modified(request, etag, last_modified)
        if unchanged is not None:
            return unchanged
        events = resolver.get(Event, [e["id"] for e in view["timeline"]])
        refs = sorted(
            (event_ref(e) for e in events.values()),
            key=lambda e: (e["date_start"], e["date_end"], e["title"]),
        )
        data = timelinejs.lesson_timeline(view, refs, absolute=request.build_absolute_uri)
        return self.stamped(Response(data), etag, last_modified)


class EventsTimelineView(ExportView):
    """A filtered set of events as TimelineJS3 JSON (the same filters as the events list)."""

    filter_backends = [ApiFilterBackend]
    filterset_class = EventFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False) or self.viewer.sees_drafts_of(Event):
            return Event.objects.order_by("date_start", "date_end", "title")
        return LiveEvent.objects.public().order_by("date_start", "date_end", "title")

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        rows = list(self.filter_queryset(self.get_queryset()).distinct()[:1000])
        if rows and isinstance(rows[0], LiveEvent):
            contents = [r.content for r in rows]
        else:
            from history.content import events_content

            by_id = events_content(rows)
            contents = [by_id[r.pk] for r in rows]
        data = timelinejs.events_timeline(
            [event_ref(c) | {"image": c["image"], "image_alt": c["image_alt"]} for c in contents],
            title="Events",
            absolute=request.build_absolute_uri,
        )
        last = max((r.updated_at for r in rows), default=None)
        return self.conditional(request, data, last_modified=last)


class LessonLearningResourceView(ExportView):
    """The lesson as schema.org LearningResource JSON-LD."""

    renderer_classes = [JSONLDRenderer, JSONRenderer]

    @extend_schema(
        parameters=[SLUG_PARAMETER],
        responses={(200, "application/ld+json"): OpenApiTypes.OBJECT},
    )
    def get(self, request, slug):
        view, etag, last_modified, _resolver = self.lesson(slug)
        unchanged = self.not_modified(request, etag, last_modified)
        if unchanged is not None:
            return unchanged
        data = jsonld.learning_resource(view, request.build_absolute_uri)
        return self.stamped(Response(data), etag, last_modified)


class LessonCartridgeView(ExportView):
    """The lesson as an IMS Common Cartridge (1.1, which Moodle and Canvas import).

    Its quiz (QTI 1.2, with the answer key) and teacher notes are included only for users who
    may see them.
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
        view, etag, last_modified, _resolver = self.lesson(slug)
        unchanged = self.not_modified(request, etag, last_modified)
        if unchanged is not None:
            return unchanged
        data = cartridge.build(view, absolute=request.build_absolute_uri)
        response = HttpResponse(data, content_type="application/zip")
        response["Content-Disposition"] = f'attachment; filename="{view["slug"]}.imscc"'
        return self.stamped(response, etag, last_modified)


class ArticleAnnotationsView(ExportView):
    """The article's quoted passages and confirmed mentions as a W3C Web Annotation
    collection (for anonymous readers: the passages live lessons quote)."""

    renderer_classes = [JSONLDRenderer, JSONRenderer]

    @extend_schema(
        parameters=[SLUG_PARAMETER],
        responses={(200, "application/ld+json"): OpenApiTypes.OBJECT},
    )
    def get(self, request, slug):
        viewer = self.viewer
        document = history_selectors.document(viewer, Article, slug)
        if document is None:
            raise Http404("Not found.")
        row = document.row
        if document.text is not None:  # a live version's stored document: its view, for once
            row = row or history_selectors.live_row(LiveArticle, slug)
            view = history_selectors.view_of(viewer, Article, row.content, LiveResolver(), {})
        else:
            view = document.view
        if viewer.sees_drafts_of(Lesson):
            excerpts = [
                views.quote_content(e)
                for e in Excerpt.objects.filter(article__slug=slug).order_by("start", "id")
            ]
        else:
            excerpts = [
                {
                    "id": q.excerpt_id,
                    "exact": q.exact,
                    "prefix": q.prefix,
                    "suffix": q.suffix,
                    "start": q.start,
                    "end": q.end,
                    "anchor_status": q.anchor_status,
                }
                for q in selectors.quotes(viewer)
                .filter(article_id=row.article_id)
                .order_by("start", "excerpt_id")
            ]
        data = annotations.article_collection(
            view, excerpts=excerpts, absolute=request.build_absolute_uri
        )
        return self.conditional(request, data, last_modified=document.last_modified)


SCOPE = OpenApiParameter(
    "scope",
    str,
    enum=["public", "full"],
    description=(
        "`public` (default): the open-data export, every live item as the API gives it. "
        "`full`: everything editors made, drafts, answer keys and notes included (needs the "
        "“Can export everything” permission)."
    ),
)


class ContentExportView(ExportView):
    """All content as one JSON document: the open-data export of live content (what
    ``manage.py export_content`` writes), or, for those allowed, the full export."""

    @extend_schema(
        parameters=[SCOPE],
        responses={
            200: OpenApiTypes.OBJECT,
            (400, PROBLEM_CONTENT_TYPE): OpenApiResponse(
                ProblemSerializer, description="`scope` is neither public nor full."
            ),
            (403, PROBLEM_CONTENT_TYPE): OpenApiResponse(
                ProblemSerializer, description="The full export needs its permission."
            ),
        },
    )
    def get(self, request):
        # Both are streamed as they are read, a chunk of items at a time: the download starts
        # at once and memory stays bounded whatever the size of the content.
        scope = request.query_params.get("scope", "public")
        if scope == "full":
            if not self.viewer.full_export:
                raise exceptions.PermissionDenied(
                    "The full export is for users who may export everything."
                )
            # Made afresh on every request (no ETag: a backup is never answered 304).
            return self._stream(content.export_full_text(), "history-lessons-full.json")
        if scope != "public":
            raise exceptions.ValidationError({"scope": ["Give public or full."]})
        etag = content.public_stamp()
        unchanged = self.not_modified(request, etag, None)
        if unchanged is not None:
            return unchanged
        response = self._stream(
            content.export_public_text(self.origin()), "history-lessons-open-data.json"
        )
        return self.stamped(response, etag, None)

    @staticmethod
    def _stream(pieces, filename: str) -> StreamingHttpResponse:
        response = StreamingHttpResponse(
            (piece.encode() for piece in pieces), content_type="application/json"
        )
        response["Content-Disposition"] = f'inline; filename="{filename}"'
        return response
