"""API representations of lessons, excerpts, sections, questions and choices.

Read serializers turn views (plain dicts made by ``lessons.content``) into JSON. Answer keys
(``is_correct``, ``feedback``, ``explanation``, ``model_answer``, ``correct_order``) and teacher
material (``teacher_notes``) are null unless the reader may see them: ``publishing.viewer.redact``
removes them from the view before it gets here. Offsets are Unicode code points.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from config.api import StrictInput
from history.api.serializers import (
    AbsoluteUrlField,
    ApiUrlField,
    ArticleRefSerializer,
    ConceptRefSerializer,
    EventRefSerializer,
    HtmlField,
    MediaUrlField,
    PageUrlField,
    PublishingFieldsMixin,
)
from history.models import AnchorStatus, Article, Concept, Event
from lessons.models import (
    Choice,
    Excerpt,
    ExcerptDisplay,
    Lesson,
    Level,
    Organiser,
    Question,
    QuestionKind,
    Section,
    SectionKind,
    Skill,
)

# --- excerpts ----------------------------------------------------------------------------


class ReadabilityFiguresSerializer(serializers.Serializer):
    language = serializers.CharField(help_text="The language it was measured in.")
    characters = serializers.IntegerField()
    words = serializers.IntegerField(
        allow_null=True, help_text="Null in scripts that do not separate words with spaces."
    )
    sentences = serializers.IntegerField(allow_null=True)
    words_per_sentence = serializers.FloatField(allow_null=True)
    score = serializers.IntegerField(
        allow_null=True,
        help_text="Flesch reading ease (0–100, higher is easier) in the language's own form; "
        "null for languages without one.",
    )
    band = serializers.CharField(allow_null=True, help_text="The score in words.")
    formula = serializers.CharField(allow_null=True)


class ReadabilitySerializer(serializers.Serializer):
    original = ReadabilityFiguresSerializer(allow_null=True)
    adapted = ReadabilityFiguresSerializer(
        allow_null=True, help_text="Null when there is no adapted version."
    )
    summary = serializers.CharField(help_text="Original against adapted, in words.")


class ExcerptSerializer(serializers.Serializer):
    """A passage of an article: W3C TextQuoteSelector (exact, prefix, suffix) and
    TextPositionSelector (start, end: Unicode code points of the article's body)."""

    id = serializers.IntegerField(read_only=True)
    exact = serializers.CharField(read_only=True, help_text="The words, as the lesson quotes them.")
    prefix = serializers.CharField(read_only=True)
    suffix = serializers.CharField(read_only=True)
    start = serializers.IntegerField(read_only=True)
    end = serializers.IntegerField(read_only=True)
    anchor_status = serializers.ChoiceField(choices=AnchorStatus.choices, read_only=True)
    article = ArticleRefSerializer(read_only=True)
    html_url = PageUrlField()
    note = serializers.CharField(
        read_only=True, allow_null=True, help_text="The editor's note: null for everyone else."
    )
    headnote = serializers.CharField(
        read_only=True, help_text="Markdown for learners: who made it, when, why, for whom."
    )
    headnote_html = HtmlField("headnote_html")
    adapted_text = serializers.CharField(
        read_only=True, help_text="The passage in simpler words (empty: none)."
    )
    display = serializers.ChoiceField(
        choices=ExcerptDisplay.choices,
        read_only=True,
        help_text="As used here: the original, the adapted version, or both side by side.",
    )
    source_line = serializers.CharField(
        read_only=True, help_text="Author, title, publication, date and address."
    )
    readability = ReadabilitySerializer(read_only=True)
    word_bank = ConceptRefSerializer(
        many=True, read_only=True, help_text="The concepts the passage speaks of."
    )
    version = serializers.IntegerField(
        read_only=True, help_text="Send it back when you change it (optimistic locking)."
    )


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
    version = serializers.IntegerField(
        required=False, min_value=1, help_text="The version you started from (optional)."
    )

    class Meta:
        model = Excerpt
        fields = ["note", "headnote", "adapted_text", "version"]


# --- sections ----------------------------------------------------------------------------


class SectionSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    lesson = serializers.SlugField(read_only=True, help_text="The lesson's slug.")
    position = serializers.IntegerField(read_only=True)
    kind = serializers.ChoiceField(choices=SectionKind.choices, read_only=True)
    heading = serializers.CharField(read_only=True)
    body = serializers.CharField(read_only=True, help_text="Markdown, for learners.")
    body_html = HtmlField("body_html")
    teacher_notes = serializers.CharField(
        read_only=True,
        allow_null=True,
        help_text="Markdown for teachers: null unless you may see teacher material.",
    )
    guiding_questions = serializers.ListField(child=serializers.CharField(), read_only=True)
    skill = serializers.ChoiceField(
        choices=[("", "None"), *Skill.choices],
        read_only=True,
        help_text="The historical-thinking skill its guiding questions practise.",
    )
    minutes = serializers.IntegerField(
        read_only=True, allow_null=True, help_text="How long it takes in class."
    )
    organiser = serializers.ChoiceField(
        choices=Organiser.choices, read_only=True, help_text="A graphic organiser, if any."
    )
    excerpt = ExcerptSerializer(
        read_only=True,
        allow_null=True,
        help_text="The quoted passage with its source; null if none (or its source is not public).",
    )
    version = serializers.IntegerField(
        read_only=True, help_text="Send it back when you change it (optimistic locking)."
    )


class SectionWriteSerializer(StrictInput, serializers.ModelSerializer):
    version = serializers.IntegerField(
        required=False, min_value=1, help_text="The version you started from (optional)."
    )
    lesson = serializers.SlugRelatedField(slug_field="slug", queryset=Lesson.objects.all())
    excerpt = serializers.PrimaryKeyRelatedField(
        queryset=Excerpt.objects.all(), allow_null=True, required=False
    )
    guiding_questions = serializers.ListField(
        child=serializers.CharField(max_length=500), required=False
    )

    class Meta:
        model = Section
        fields = [
            "lesson",
            "position",
            "kind",
            "heading",
            "body",
            "teacher_notes",
            "excerpt",
            "excerpt_display",
            "skill",
            "guiding_questions",
            "minutes",
            "organiser",
            "version",
        ]


# --- questions and choices ---------------------------------------------------------------


class ChoiceSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    question = serializers.IntegerField(read_only=True)
    position = serializers.IntegerField(read_only=True)
    text = serializers.CharField(read_only=True)
    is_correct = serializers.BooleanField(
        read_only=True, allow_null=True, help_text="Answer key: null unless you may see keys."
    )
    feedback = serializers.CharField(
        read_only=True, allow_null=True, help_text="Answer key: null unless you may see keys."
    )
    version = serializers.IntegerField(
        read_only=True, help_text="Send it back when you change it (optimistic locking)."
    )


class ChoiceWriteSerializer(StrictInput, serializers.ModelSerializer):
    version = serializers.IntegerField(
        required=False, min_value=1, help_text="The version you started from (optional)."
    )
    question = serializers.PrimaryKeyRelatedField(queryset=Question.objects.all())

    class Meta:
        model = Choice
        fields = ["question", "position", "text", "is_correct", "feedback", "version"]


class QuestionSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    lesson = serializers.SlugField(read_only=True, help_text="The lesson's slug.")
    position = serializers.IntegerField(read_only=True)
    kind = serializers.ChoiceField(choices=QuestionKind.choices, read_only=True)
    skill = serializers.ChoiceField(choices=Skill.choices, read_only=True)
    prompt = serializers.CharField(read_only=True)
    prompt_html = HtmlField("prompt_html")
    excerpt = ExcerptSerializer(read_only=True, allow_null=True)
    tries = serializers.IntegerField(
        read_only=True, help_text="Tries before the answer and the explanation are shown."
    )
    answer_lines = serializers.IntegerField(
        read_only=True, help_text="Lines of answer space the handout gives an open answer."
    )
    choices = ChoiceSerializer(
        many=True,
        read_only=True,
        help_text="Multiple choice: the choices in the order learners see them.",
    )
    events = EventRefSerializer(
        many=True,
        read_only=True,
        help_text="Chronology: the events to put in order (alphabetical, not the answer).",
    )
    is_checked = serializers.BooleanField(
        read_only=True, help_text="Answers can be checked at `answer_url`."
    )
    answer_url = AbsoluteUrlField("answer_api_path")
    explanation = serializers.CharField(
        read_only=True,
        allow_null=True,
        help_text="Answer key: null unless you may see keys (learners get it by answering).",
    )
    hint = serializers.CharField(
        read_only=True,
        allow_null=True,
        help_text="Answer key: null unless you may see keys (learners get it by a wrong try).",
    )
    model_answer = serializers.CharField(read_only=True, allow_null=True)
    marking_guidance = serializers.CharField(
        read_only=True,
        allow_null=True,
        help_text="Markdown for teachers marking answers: null unless you may see keys.",
    )
    correct_order = serializers.ListField(
        child=serializers.IntegerField(),
        read_only=True,
        allow_null=True,
        help_text="Chronology answer key: event ids in date order; null unless you may see keys.",
    )
    version = serializers.IntegerField(
        read_only=True, help_text="Send it back when you change it (optimistic locking)."
    )


class QuestionWriteSerializer(StrictInput, serializers.ModelSerializer):
    version = serializers.IntegerField(
        required=False, min_value=1, help_text="The version you started from (optional)."
    )
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
            "excerpt_display",
            "events",
            "explanation",
            "tries",
            "hint",
            "answer_lines",
            "model_answer",
            "marking_guidance",
            "shuffle_choices",
            "version",
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
    attempt = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=200,
        help_text="The `attempt` of the previous result for this question (none on a first "
        "try): it counts the tries, so that the answer comes after the last one.",
    )


class AnswerResultSerializer(serializers.Serializer):
    correct = serializers.BooleanField()
    explanation = serializers.CharField(
        help_text="Markdown; empty until the answer is right or the tries are used."
    )
    explanation_html = serializers.CharField(help_text="The explanation as sanitised HTML.")
    feedback = serializers.ListField(
        child=serializers.CharField(), help_text="The feedback of each chosen choice."
    )
    in_place = serializers.IntegerField(
        allow_null=True, help_text="Chronology: how many events are in the right place."
    )
    total = serializers.IntegerField(allow_null=True, help_text="Chronology: how many events.")
    revealed = serializers.BooleanField(
        help_text="The answer and the explanation are given: right, or no tries left."
    )
    try_number = serializers.IntegerField(help_text="This answer's try, from 1.")
    tries = serializers.IntegerField(help_text="The tries the question allows.")
    tries_left = serializers.IntegerField()
    hint = serializers.CharField(
        help_text="Markdown: a nudge after a wrong try while tries are left; else empty."
    )
    hint_html = serializers.CharField(help_text="The hint as sanitised HTML.")
    answer = serializers.ListField(
        child=serializers.IntegerField(),
        help_text="Once revealed: the right choice ids, or the event ids in date order.",
    )
    answer_text = serializers.ListField(
        child=serializers.CharField(), help_text="The same, in words."
    )
    attempt = serializers.CharField(help_text="Send it with the next try of this question.")


# --- lessons -----------------------------------------------------------------------------


class LessonListSerializer(PublishingFieldsMixin, serializers.Serializer):
    slug = serializers.SlugField(read_only=True)
    title = serializers.CharField(read_only=True)
    central_question = serializers.CharField(read_only=True)
    summary = serializers.CharField(read_only=True)
    level = serializers.ChoiceField(choices=Level.choices, read_only=True)
    audience = serializers.CharField(read_only=True)
    duration_minutes = serializers.IntegerField(read_only=True)
    language = serializers.CharField(read_only=True, help_text="The lesson's language tag.")
    image = MediaUrlField("image")
    image_alt = serializers.CharField(read_only=True)
    url = ApiUrlField()
    html_url = PageUrlField()


class LessonExportsSerializer(serializers.Serializer):
    timeline = AbsoluteUrlField("timeline", help_text="TimelineJS3 JSON of the lesson's timeline.")
    cartridge = AbsoluteUrlField("cartridge", help_text="IMS Common Cartridge (.imscc).")
    learning_resource = AbsoluteUrlField(
        "learning_resource", help_text="schema.org LearningResource JSON-LD."
    )


class LessonSerializer(LessonListSerializer):
    """Everything a client needs to show a lesson, in one request."""

    objectives = serializers.ListField(child=serializers.CharField(), read_only=True)
    sections = SectionSerializer(many=True, read_only=True)
    vocabulary = ConceptRefSerializer(many=True, read_only=True)
    timeline = EventRefSerializer(
        many=True, read_only=True, help_text="The lesson's events in date order."
    )
    questions = QuestionSerializer(many=True, read_only=True)
    teacher_notes = serializers.CharField(
        read_only=True,
        allow_null=True,
        help_text="Markdown for teachers: null unless you may see teacher material.",
    )
    exports = LessonExportsSerializer(source="export_api_paths", read_only=True)


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
            "language",
            "objectives",
            "image_alt",
            "teacher_notes",
            "vocabulary",
            "timeline",
            "version",
        ]
