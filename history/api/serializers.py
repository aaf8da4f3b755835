"""API representations of source material. Fields are listed explicitly.

Read serializers turn *views* (plain dicts made by ``history.content``: a live version for
anonymous clients, a working copy for editors) into JSON; write serializers check input for
the services.

Character offsets (``start``, ``end``) count Unicode code points of the article's stored text
(``body``), as Python and JavaScript's ``Array.from(text)`` do (not UTF-16 code units).
"""

from __future__ import annotations

from django.conf import settings
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from config.api import StrictInput
from history.models import Article, Concept, Event, Kind
from publishing.models import Status


class NamedSourceMixin:
    """Fields here name their source explicitly (views are dicts); DRF refuses a source equal
    to the field's own name, so such a source is dropped when the field is bound."""

    def bind(self, field_name, parent):
        if self.source == field_name:
            self.source = None
        super().bind(field_name, parent)


@extend_schema_field(OpenApiTypes.URI)
class AbsoluteUrlField(NamedSourceMixin, serializers.Field):
    """A path of the site or the API, given as an absolute URL."""

    def __init__(self, source: str, **kwargs):
        kwargs.update(source=source, read_only=True)
        super().__init__(**kwargs)

    def to_representation(self, path):
        return absolute(self.context, path)


@extend_schema_field(OpenApiTypes.URI)
class PageUrlField(AbsoluteUrlField):
    """The absolute address of the thing's page on the learners' site."""

    def __init__(self, **kwargs):
        super().__init__("path", **kwargs)


@extend_schema_field(OpenApiTypes.URI)
class ApiUrlField(AbsoluteUrlField):
    """The absolute address of the thing in this API."""

    def __init__(self, **kwargs):
        super().__init__("api_path", **kwargs)


@extend_schema_field({"type": "string", "format": "uri", "nullable": True})
class MediaUrlField(NamedSourceMixin, serializers.Field):
    """An uploaded file's absolute URL, or null when there is none."""

    def __init__(self, source: str, **kwargs):
        kwargs.update(source=source, read_only=True)
        super().__init__(**kwargs)

    def to_representation(self, name):
        if not name:
            return None
        return absolute(self.context, settings.MEDIA_URL.rstrip("/") + "/" + name.lstrip("/"))

    def get_attribute(self, instance):
        value = super().get_attribute(instance)
        return value or ""


def absolute(context, path: str) -> str:
    make = context.get("absolute")
    if make is None:
        request = context.get("request")
        return request.build_absolute_uri(path) if request else path
    return make(path)


@extend_schema_field(OpenApiTypes.STR)
class HtmlField(NamedSourceMixin, serializers.CharField):
    """Markdown rendered to sanitised HTML (an allowlist of tags; safe to insert)."""

    def __init__(self, source: str, **kwargs):
        kwargs.update(source=source, read_only=True, allow_null=True)
        super().__init__(**kwargs)


PUBLISHING_FIELDS = [
    "status",
    "publish_at",
    "updated_at",
    "version",
    "live",
    "has_unpublished_changes",
]


class PublishingFieldsMixin(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=Status.choices,
        read_only=True,
        help_text="The working copy's state (for anonymous clients: always published).",
    )
    publish_at = serializers.DateTimeField(
        read_only=True, allow_null=True, help_text="When the live version became public."
    )
    updated_at = serializers.DateTimeField(read_only=True)
    version = serializers.IntegerField(
        read_only=True, help_text="Send it back when you change it (optimistic locking)."
    )
    live = serializers.BooleanField(
        read_only=True,
        allow_null=True,
        help_text="Staff only (null otherwise): learners can read a published version now.",
    )
    has_unpublished_changes = serializers.BooleanField(
        read_only=True,
        allow_null=True,
        help_text=(
            "Staff only (null otherwise): the working copy differs from the live version; "
            "`changes/` shows how."
        ),
    )


class SlugListField(NamedSourceMixin, serializers.ListField):
    """A list of references given by their slugs."""

    def __init__(self, source: str, **kwargs):
        kwargs.update(source=source, read_only=True, child=serializers.SlugField())
        super().__init__(**kwargs)

    def to_representation(self, data):
        return [item["slug"] for item in data]


# --- references (nested, read-only) ------------------------------------------------------


class ConceptRefSerializer(serializers.Serializer):
    slug = serializers.SlugField(read_only=True)
    term = serializers.CharField(read_only=True)
    kind = serializers.ChoiceField(choices=Kind.choices, read_only=True)
    definition = serializers.CharField(read_only=True)
    url = ApiUrlField()
    html_url = PageUrlField()


class EventRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    slug = serializers.SlugField(read_only=True)
    title = serializers.CharField(read_only=True)
    date_edtf = serializers.CharField(read_only=True)
    date_display = serializers.CharField(read_only=True)
    url = ApiUrlField()
    html_url = PageUrlField()


SOURCE_URL_HELP = "Where the source appeared online (may be empty)."


class ArticleRefSerializer(serializers.Serializer):
    """A source's attribution and where to read it."""

    slug = serializers.SlugField(read_only=True)
    title = serializers.CharField(read_only=True)
    author = serializers.CharField(read_only=True)
    publication = serializers.CharField(read_only=True)
    publication_date = serializers.CharField(read_only=True)
    publication_date_display = serializers.CharField(read_only=True)
    source_url = serializers.CharField(read_only=True, help_text=SOURCE_URL_HELP)
    rights = serializers.CharField(read_only=True)
    language = serializers.CharField(read_only=True)
    url = ApiUrlField()
    html_url = PageUrlField()


# --- concepts ----------------------------------------------------------------------------


class ConceptSerializer(PublishingFieldsMixin, serializers.Serializer):
    slug = serializers.SlugField(read_only=True)
    term = serializers.CharField(read_only=True)
    kind = serializers.ChoiceField(choices=Kind.choices, read_only=True)
    aliases = serializers.ListField(child=serializers.CharField(), read_only=True)
    definition = serializers.CharField(read_only=True)
    explanation = serializers.CharField(read_only=True)
    explanation_html = HtmlField("explanation_html")
    related = SlugListField("related", help_text="Related concepts (their slugs).")
    url = ApiUrlField()
    html_url = PageUrlField()


class ConceptWriteSerializer(StrictInput, serializers.ModelSerializer):
    slug = serializers.SlugField(required=False, max_length=200)
    aliases = serializers.ListField(
        child=serializers.CharField(max_length=200, allow_blank=True),
        required=False,
        help_text=(
            "Other forms of the term in texts (“soviets” for workers’ councils). A form in "
            "lower case is found only in lower case (or at the start of a sentence); a form in "
            "capitals (“NSC”) only in capitals; start a form with = to find it only exactly "
            "as written."
        ),
    )
    related = serializers.SlugRelatedField(
        slug_field="slug", many=True, queryset=Concept.objects.all(), required=False
    )
    version = serializers.IntegerField(
        required=False, min_value=1, help_text="The version you started from (optional)."
    )

    class Meta:
        model = Concept
        fields = [
            "term",
            "slug",
            "kind",
            "aliases",
            "definition",
            "explanation",
            "related",
            "version",
        ]


# --- events ------------------------------------------------------------------------------


class EventSerializer(PublishingFieldsMixin, serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    slug = serializers.SlugField(read_only=True)
    title = serializers.CharField(read_only=True)
    date_edtf = serializers.CharField(read_only=True, help_text="The date in EDTF.")
    date_display = serializers.CharField(read_only=True, help_text="The date in words.")
    date_earliest = serializers.CharField(
        read_only=True,
        help_text="The first day the date may mean, ISO 8601 (astronomical years: 0 is 1 BCE).",
    )
    date_latest = serializers.CharField(read_only=True)
    place = serializers.CharField(read_only=True)
    summary = serializers.CharField(read_only=True)
    description = serializers.CharField(read_only=True)
    description_html = HtmlField("description_html")
    image = MediaUrlField("image")
    image_alt = serializers.CharField(read_only=True)
    concepts = SlugListField("concepts", help_text="Concepts linked to the event (slugs).")
    url = ApiUrlField()
    html_url = PageUrlField()


class EventWriteSerializer(StrictInput, serializers.ModelSerializer):
    slug = serializers.SlugField(required=False, max_length=200)
    concepts = serializers.SlugRelatedField(
        slug_field="slug", many=True, queryset=Concept.objects.all(), required=False
    )
    version = serializers.IntegerField(required=False, min_value=1)

    class Meta:
        model = Event
        fields = [
            "title",
            "slug",
            "date_edtf",
            "place",
            "summary",
            "description",
            "image_alt",
            "concepts",
            "version",
        ]


# --- articles ----------------------------------------------------------------------------


class ParagraphSerializer(serializers.Serializer):
    number = serializers.IntegerField(help_text="1-based, as shown to readers.")
    start = serializers.IntegerField(help_text="Offset in Unicode code points of `body`.")
    end = serializers.IntegerField()
    text = serializers.CharField()


class RefSlugField(NamedSourceMixin, serializers.SlugField):
    """A nested reference given by its slug (null when there is none)."""

    def __init__(self, source: str, **kwargs):
        kwargs.update(source=source, read_only=True, allow_null=True)
        super().__init__(**kwargs)

    def to_representation(self, value):
        return value["slug"] if value else None

    def get_attribute(self, instance):
        return instance.get(self.source)


class MentionSerializer(serializers.Serializer):
    """A confirmed place where the article speaks of a concept or an event."""

    id = serializers.IntegerField(read_only=True)
    exact = serializers.CharField(read_only=True)
    prefix = serializers.CharField(read_only=True)
    suffix = serializers.CharField(read_only=True)
    start = serializers.IntegerField(
        read_only=True, help_text="Offset in Unicode code points of the article's `body`."
    )
    end = serializers.IntegerField(read_only=True, help_text="Exclusive; code points.")
    concept = RefSlugField("concept")
    event = RefSlugField("event")


class ArticleListSerializer(PublishingFieldsMixin, serializers.Serializer):
    slug = serializers.SlugField(read_only=True)
    title = serializers.CharField(read_only=True)
    kicker = serializers.CharField(read_only=True)
    author = serializers.CharField(read_only=True)
    publication = serializers.CharField(read_only=True)
    publication_date = serializers.CharField(read_only=True)
    publication_date_display = serializers.CharField(read_only=True)
    source_url = serializers.CharField(read_only=True, help_text=SOURCE_URL_HELP)
    rights = serializers.CharField(read_only=True)
    language = serializers.CharField(read_only=True)
    url = ApiUrlField()
    html_url = PageUrlField()


class ArticleSerializer(ArticleListSerializer):
    body = serializers.CharField(read_only=True)
    paragraphs = ParagraphSerializer(many=True, read_only=True)
    blocks = serializers.ListField(
        child=serializers.DictField(),
        read_only=True,
        help_text=(
            "The text's structure, one block per paragraph of body: type (paragraph, heading, "
            "item, note, code), start and end (code points of body), and for headings level, "
            "for list items ordered/number/list/depth, for notes number, quote (blockquote "
            "depth) and marks ([kind, start, end, value]: em, strong, code, link, noteref)."
        ),
    )
    mentions = MentionSerializer(many=True, read_only=True)
    annotations_url = AbsoluteUrlField("annotations_api_path")
    editor_note = serializers.CharField(
        read_only=True, allow_null=True, help_text="For editors only: null for everyone else."
    )


class ArticleWriteSerializer(StrictInput, serializers.ModelSerializer):
    slug = serializers.SlugField(required=False, max_length=200)
    version = serializers.IntegerField(required=False, min_value=1)

    class Meta:
        model = Article
        fields = [
            "title",
            "slug",
            "kicker",
            "author",
            "publication",
            "publication_date",
            "source_url",
            "rights",
            "language",
            "body",
            "lead_image_alt",
            "editor_note",
            "version",
        ]
