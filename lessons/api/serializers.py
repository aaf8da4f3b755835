"""API representations of lessons, excerpts, sections, questions and choices.

Answer keys (``is_correct``, ``feedback``, ``explanation``, ``model_answer``,
``correct_order``, ``teacher_notes``) are null unless the user may see answer keys
(permission ``lessons.view_answer_key``: teachers and editors). Offsets are Unicode code points.
"""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from config.api import StrictInput
from history.api.serializers import (
    PUBLISHING_FIELDS,
    ArticleRefSerializer,
    ConceptRefSerializer,
    EventRefSerializer,
    MarkdownHtmlField,
    PageUrlField,
    PublishingFieldsMixin,
    api_url,
)
from history.models import Article, Concept, Event
from lessons.models import Choice, Excerpt, Lesson, Question, Section


def _absolute(context, path: str) -> str:
    request = context.get("request")
    return request.build_absolute_uri(path) if request else path


def _key(context) -> bool:
    return bool(context.get("answer_key"))


# --- excerpts ----------------------------------------------------------------------------


class ExcerptSerializer(serializers.ModelSerializer):
    """A passage of an article: W3C TextQuoteSelector (exact, prefix, suffix) and
    TextPositionSelector (start, end: Unicode code points of the article's body)."""

    article = ArticleRefSerializer(read_only=True)
    html_url = serializers.SerializerMethodField()
    note = serializers.SerializerMethodField()

    class Meta:
        model = Excerpt
        fields = [
            "id",
            "exact",
            "prefix",
            "suffix",
            "start",
            "end",
            "anchor_status",
            "article",
            "html_url",
            "note",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.URI)
    def get_html_url(self, excerpt) -> str:
        return _absolute(self.context, excerpt.get_absolute_url())

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_note(self, excerpt):
        """The editor's note: null unless you may see drafts."""
        return excerpt.note if self.context.get("staff") else None


class ExcerptCreateSerializer(StrictInput):
    """Make an excerpt by a selector: either ``start`` and ``end`` (code points), or ``exact``."""

    article = serializers.SlugRelatedField(slug_field="slug", queryset=Article.objects.all())
    start = serializers.IntegerField(required=False, min_value=0)
    end = serializers.IntegerField(required=False, min_value=1)
    exact = serializers.CharField(required=False, max_length=100_000)
    note = serializers.CharField(required=False, allow_blank=True, default="")

    def validate(self, attrs):
        has_position = "start" in attrs or "end" in attrs
        if has_position and not ("start" in attrs and "end" in attrs):
            raise serializers.ValidationError({"end": "Give both start and end, or exact."})
        if not has_position and not attrs.get("exact"):
            raise serializers.ValidationError(
                {"exact": "Give the exact words, or start and end (code points)."}
            )
        return attrs


class ExcerptUpdateSerializer(StrictInput, serializers.ModelSerializer):
    class Meta:
        model = Excerpt
        fields = ["note"]


# --- sections ----------------------------------------------------------------------------


class SectionSerializer(serializers.ModelSerializer):
    body_html = MarkdownHtmlField(source="body")
    excerpt = serializers.SerializerMethodField()
    lesson = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Section
        fields = [
            "id",
            "lesson",
            "position",
            "kind",
            "heading",
            "body",
            "body_html",
            "guiding_questions",
            "excerpt",
        ]
        read_only_fields = fields

    @extend_schema_field(ExcerptSerializer(allow_null=True))
    def get_excerpt(self, section):
        """The quoted passage with its source; null if none (or its source is not public)."""
        excerpt = section.excerpt
        if excerpt is None or not (self.context.get("staff") or excerpt.article.is_public):
            return None
        return ExcerptSerializer(excerpt, context=self.context).data


class SectionWriteSerializer(StrictInput, serializers.ModelSerializer):
    lesson = serializers.SlugRelatedField(slug_field="slug", queryset=Lesson.objects.all())
    excerpt = serializers.PrimaryKeyRelatedField(
        queryset=Excerpt.objects.all(), allow_null=True, required=False
    )
    guiding_questions = serializers.ListField(
        child=serializers.CharField(max_length=500), required=False
    )

    class Meta:
        model = Section
        fields = ["lesson", "position", "kind", "heading", "body", "excerpt", "guiding_questions"]


# --- questions and choices ---------------------------------------------------------------


class ChoiceSerializer(serializers.ModelSerializer):
    question = serializers.PrimaryKeyRelatedField(read_only=True)
    is_correct = serializers.SerializerMethodField()
    feedback = serializers.SerializerMethodField()

    class Meta:
        model = Choice
        fields = ["id", "question", "position", "text", "is_correct", "feedback"]
        read_only_fields = fields

    @extend_schema_field(serializers.BooleanField(allow_null=True))
    def get_is_correct(self, choice):
        """Answer key: null unless you may see answer keys."""
        return choice.is_correct if _key(self.context) else None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_feedback(self, choice):
        return choice.feedback if _key(self.context) else None


class ChoiceWriteSerializer(StrictInput, serializers.ModelSerializer):
    question = serializers.PrimaryKeyRelatedField(queryset=Question.objects.all())

    class Meta:
        model = Choice
        fields = ["question", "position", "text", "is_correct", "feedback"]


class QuestionSerializer(serializers.ModelSerializer):
    lesson = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    prompt_html = MarkdownHtmlField(source="prompt")
    choices = ChoiceSerializer(many=True, read_only=True)
    events = serializers.SerializerMethodField()
    excerpt = serializers.SerializerMethodField()
    is_checked = serializers.BooleanField(
        read_only=True, help_text="Answers can be checked at `answer_url`."
    )
    answer_url = serializers.SerializerMethodField()
    explanation = serializers.SerializerMethodField()
    model_answer = serializers.SerializerMethodField()
    correct_order = serializers.SerializerMethodField()

    class Meta:
        model = Question
        fields = [
            "id",
            "lesson",
            "position",
            "kind",
            "skill",
            "prompt",
            "prompt_html",
            "excerpt",
            "choices",
            "events",
            "is_checked",
            "answer_url",
            "explanation",
            "model_answer",
            "correct_order",
        ]
        read_only_fields = fields

    def shown_events(self, question):
        """The events of a chronology question this client sees (and is asked to order)."""
        events = question.events.all()
        if self.context.get("staff"):
            return list(events)
        return [e for e in events if e.is_public]

    @extend_schema_field(EventRefSerializer(many=True))
    def get_events(self, question):
        """Chronology: the events to put in order (alphabetical, not the answer)."""
        return EventRefSerializer(self.shown_events(question), many=True, context=self.context).data

    @extend_schema_field(ExcerptSerializer(allow_null=True))
    def get_excerpt(self, question):
        excerpt = question.excerpt
        if excerpt is None or not (self.context.get("staff") or excerpt.article.is_public):
            return None
        return ExcerptSerializer(excerpt, context=self.context).data

    @extend_schema_field(OpenApiTypes.URI)
    def get_answer_url(self, question) -> str:
        return _absolute(self.context, reverse("api-v1:question-answer", args=[question.pk]))

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_explanation(self, question):
        """Answer key: null unless you may see answer keys (learners get it by answering)."""
        return question.explanation if _key(self.context) else None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_model_answer(self, question):
        return question.model_answer if _key(self.context) else None

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField(), allow_null=True))
    def get_correct_order(self, question):
        """Chronology answer key: event ids in date order; null unless you may see keys."""
        if not _key(self.context) or not question.events.all():
            return None
        events = sorted(question.events.all(), key=lambda e: (e.date_start, e.date_end))
        return [e.pk for e in events]


class QuestionWriteSerializer(StrictInput, serializers.ModelSerializer):
    lesson = serializers.SlugRelatedField(slug_field="slug", queryset=Lesson.objects.all())
    excerpt = serializers.PrimaryKeyRelatedField(
        queryset=Excerpt.objects.all(), allow_null=True, required=False
    )
    events = serializers.SlugRelatedField(
        slug_field="slug", many=True, queryset=Event.objects.all(), required=False
    )

    class Meta:
        model = Question
        fields = [
            "lesson",
            "position",
            "kind",
            "skill",
            "prompt",
            "excerpt",
            "events",
            "explanation",
            "model_answer",
        ]


@extend_schema_field(
    {
        "type": "array",
        "items": {"type": "integer", "minimum": 1},
        "minItems": 1,
        "maxItems": 100,
        "uniqueItems": True,  # each choice or event once: the service refuses repeats (400)
    }
)
class AnswerIdsField(serializers.ListField):
    pass


class AnswerSerializer(StrictInput):
    answer = AnswerIdsField(
        child=serializers.IntegerField(min_value=1),
        min_length=1,
        max_length=100,
        help_text="Multiple choice: the chosen choice ids. Chronology: the event ids in order.",
    )


class AnswerResultSerializer(serializers.Serializer):
    correct = serializers.BooleanField()
    explanation = serializers.CharField(help_text="Markdown.")
    explanation_html = serializers.CharField(help_text="The explanation as sanitised HTML.")
    feedback = serializers.ListField(
        child=serializers.CharField(), help_text="The feedback of each chosen choice."
    )
    in_place = serializers.IntegerField(
        allow_null=True, help_text="Chronology: how many events are in the right place."
    )
    total = serializers.IntegerField(allow_null=True, help_text="Chronology: how many events.")


# --- lessons -----------------------------------------------------------------------------


class LessonListSerializer(PublishingFieldsMixin, serializers.ModelSerializer):
    url = api_url("lesson-detail")
    html_url = PageUrlField()

    class Meta:
        model = Lesson
        fields = [
            "slug",
            "title",
            "central_question",
            "summary",
            "level",
            "audience",
            "duration_minutes",
            "url",
            "html_url",
            *PUBLISHING_FIELDS,
        ]
        read_only_fields = fields


class LessonExportsSerializer(serializers.Serializer):
    timeline = serializers.URLField(help_text="TimelineJS3 JSON of the lesson's timeline.")
    cartridge = serializers.URLField(help_text="IMS Common Cartridge (.imscc) of the lesson.")
    learning_resource = serializers.URLField(help_text="schema.org LearningResource JSON-LD.")


class LessonSerializer(LessonListSerializer):
    """Everything a client needs to show a lesson, in one request."""

    image = serializers.ImageField(read_only=True, use_url=True)
    sections = SectionSerializer(many=True, read_only=True)
    vocabulary = serializers.SerializerMethodField()
    timeline = serializers.SerializerMethodField()
    questions = QuestionSerializer(many=True, read_only=True)
    teacher_notes = serializers.SerializerMethodField()
    exports = serializers.SerializerMethodField()

    class Meta(LessonListSerializer.Meta):
        fields = [
            *LessonListSerializer.Meta.fields,
            "objectives",
            "image",
            "image_alt",
            "sections",
            "vocabulary",
            "timeline",
            "questions",
            "teacher_notes",
            "exports",
        ]
        read_only_fields = fields

    @extend_schema_field(ConceptRefSerializer(many=True))
    def get_vocabulary(self, lesson):
        return ConceptRefSerializer(lesson.vocabulary.all(), many=True, context=self.context).data

    @extend_schema_field(EventRefSerializer(many=True))
    def get_timeline(self, lesson):
        """The lesson's events in date order."""
        return EventRefSerializer(lesson.timeline.all(), many=True, context=self.context).data

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_teacher_notes(self, lesson):
        """Markdown for teachers: null unless you may see answer keys."""
        return lesson.teacher_notes if _key(self.context) else None

    @extend_schema_field(LessonExportsSerializer)
    def get_exports(self, lesson):
        def url(name):
            return _absolute(self.context, reverse(f"api-v1:{name}", args=[lesson.slug]))

        return {
            "timeline": url("lesson-timeline"),
            "cartridge": url("lesson-cartridge"),
            "learning_resource": url("lesson-learning-resource"),
        }


class LessonWriteSerializer(StrictInput, serializers.ModelSerializer):
    slug = serializers.SlugField(required=False, max_length=200)
    objectives = serializers.ListField(child=serializers.CharField(max_length=500), required=False)
    vocabulary = serializers.SlugRelatedField(
        slug_field="slug", many=True, queryset=Concept.objects.all(), required=False
    )
    timeline = serializers.SlugRelatedField(
        slug_field="slug", many=True, queryset=Event.objects.all(), required=False
    )
    version = serializers.IntegerField(required=False, min_value=1)

    class Meta:
        model = Lesson
        fields = [
            "title",
            "slug",
            "central_question",
            "summary",
            "level",
            "audience",
            "duration_minutes",
            "objectives",
            "image_alt",
            "teacher_notes",
            "vocabulary",
            "timeline",
            "version",
        ]
