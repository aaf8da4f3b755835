"""API representations of source material. Fields are listed explicitly.

Character offsets (``start``, ``end``) count Unicode code points of the article's stored text
(``body``), as Python and JavaScript's ``Array.from(text)`` do (not UTF-16 code units).
"""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from config.api import StrictInput
from history.markup import render_markdown
from history.models import Article, Concept, Event, Mention


@extend_schema_field(OpenApiTypes.URI)
class PageUrlField(serializers.Field):
    """The absolute address of the thing's page on the learners' site."""

    def __init__(self, **kwargs):
        kwargs.update(source="*", read_only=True)
        super().__init__(**kwargs)

    def to_representation(self, obj):
        request = self.context.get("request")
        path = obj.get_absolute_url()
        return request.build_absolute_uri(path) if request else path


@extend_schema_field(OpenApiTypes.STR)
class MarkdownHtmlField(serializers.Field):
    """Markdown rendered to sanitised HTML (an allowlist of tags; safe to insert)."""

    def __init__(self, source, **kwargs):
        kwargs.update(source=source, read_only=True)
        super().__init__(**kwargs)

    def to_representation(self, value):
        return render_markdown(value or "")


def api_url(view_name: str, **kwargs):
    return serializers.HyperlinkedIdentityField(
        view_name=f"api-v1:{view_name}", lookup_field="slug", **kwargs
    )


PUBLISHING_FIELDS = ["status", "publish_at", "updated_at", "version"]


class PublishingFieldsMixin(serializers.Serializer):
    status = serializers.CharField(read_only=True, help_text="draft, review, published, archived")
    publish_at = serializers.DateTimeField(read_only=True, allow_null=True)
    updated_at = serializers.DateTimeField(read_only=True)
    version = serializers.IntegerField(
        read_only=True, help_text="Send it back when you change it (optimistic locking)."
    )


# --- references (nested, read-only) ------------------------------------------------------


class ConceptRefSerializer(serializers.ModelSerializer):
    url = api_url("concept-detail")
    html_url = PageUrlField()

    class Meta:
        model = Concept
        fields = ["slug", "term", "kind", "definition", "url", "html_url"]
        read_only_fields = fields


class EventRefSerializer(serializers.ModelSerializer):
    url = api_url("event-detail")
    html_url = PageUrlField()
    date_display = serializers.CharField(read_only=True)

    class Meta:
        model = Event
        fields = ["id", "slug", "title", "date_edtf", "date_display", "url", "html_url"]
        read_only_fields = fields


SOURCE_URL = dict(read_only=True, help_text="Where the source appeared online (may be empty).")


class ArticleRefSerializer(serializers.ModelSerializer):
    """A source's attribution and where to read it."""

    source_url = serializers.CharField(**SOURCE_URL)
    url = api_url("article-detail")
    html_url = PageUrlField()
    publication_date_display = serializers.CharField(read_only=True)

    class Meta:
        model = Article
        fields = [
            "slug",
            "title",
            "author",
            "publication",
            "publication_date",
            "publication_date_display",
            "source_url",
            "rights",
            "language",
            "url",
            "html_url",
        ]
        read_only_fields = fields


# --- concepts ----------------------------------------------------------------------------


class ConceptSerializer(PublishingFieldsMixin, serializers.ModelSerializer):
    url = api_url("concept-detail")
    html_url = PageUrlField()
    explanation_html = MarkdownHtmlField(source="explanation")
    related = serializers.SerializerMethodField()

    class Meta:
        model = Concept
        fields = [
            "slug",
            "term",
            "kind",
            "aliases",
            "definition",
            "explanation",
            "explanation_html",
            "related",
            "url",
            "html_url",
            *PUBLISHING_FIELDS,
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.SlugField()))
    def get_related(self, concept) -> list[str]:
        # Prefetched as ``visible_related`` (published only for anonymous clients).
        return [c.slug for c in getattr(concept, "visible_related", concept.related.all())]


class ConceptWriteSerializer(StrictInput, serializers.ModelSerializer):
    slug = serializers.SlugField(required=False, max_length=200)
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
        extra_kwargs = {"aliases": {"required": False}}

    def validate_aliases(self, value):
        if not isinstance(value, list) or not all(isinstance(a, str) for a in value):
            raise serializers.ValidationError("Other forms must be a list of strings.")
        return value


# --- events ------------------------------------------------------------------------------


class EventSerializer(PublishingFieldsMixin, serializers.ModelSerializer):
    url = api_url("event-detail")
    html_url = PageUrlField()
    date_display = serializers.CharField(read_only=True)
    date_earliest = serializers.SerializerMethodField()
    date_latest = serializers.SerializerMethodField()
    description_html = MarkdownHtmlField(source="description")
    image = serializers.ImageField(read_only=True, use_url=True)
    concepts = serializers.SerializerMethodField()

    class Meta:
        model = Event
        fields = [
            "id",
            "slug",
            "title",
            "date_edtf",
            "date_display",
            "date_earliest",
            "date_latest",
            "place",
            "summary",
            "description",
            "description_html",
            "image",
            "image_alt",
            "concepts",
            "url",
            "html_url",
            *PUBLISHING_FIELDS,
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.STR)
    def get_date_earliest(self, event) -> str:
        """The first day the date may mean, ISO 8601 (astronomical years: 0 is 1 BCE)."""
        return event.date.lower.iso()

    @extend_schema_field(OpenApiTypes.STR)
    def get_date_latest(self, event) -> str:
        return event.date.upper.iso()

    @extend_schema_field(serializers.ListField(child=serializers.SlugField()))
    def get_concepts(self, event) -> list[str]:
        return [c.slug for c in getattr(event, "visible_concepts", event.concepts.all())]


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


class MentionSerializer(serializers.ModelSerializer):
    """A confirmed place where the article speaks of a concept or an event."""

    concept = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    event = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    start = serializers.IntegerField(
        read_only=True, help_text="Offset in Unicode code points of the article's `body`."
    )
    end = serializers.IntegerField(read_only=True, help_text="Exclusive; code points.")

    class Meta:
        model = Mention
        fields = ["id", "exact", "prefix", "suffix", "start", "end", "concept", "event"]
        read_only_fields = fields


class ArticleListSerializer(PublishingFieldsMixin, serializers.ModelSerializer):
    source_url = serializers.CharField(**SOURCE_URL)
    url = api_url("article-detail")
    html_url = PageUrlField()
    publication_date_display = serializers.CharField(read_only=True)

    class Meta:
        model = Article
        fields = [
            "slug",
            "title",
            "kicker",
            "author",
            "publication",
            "publication_date",
            "publication_date_display",
            "source_url",
            "rights",
            "language",
            "url",
            "html_url",
            *PUBLISHING_FIELDS,
        ]
        read_only_fields = fields


class ArticleSerializer(ArticleListSerializer):
    paragraphs = ParagraphSerializer(many=True, read_only=True)
    blocks = serializers.SerializerMethodField(
        help_text=(
            "The text's structure, one block per paragraph of body: type (paragraph, heading, "
            "item, note, code), start and end (code points of body), and for headings level, "
            "for list items ordered/number/list/depth, for notes number, quote (blockquote "
            "depth) and marks ([kind, start, end, value]: em, strong, code, link, noteref)."
        )
    )
    mentions = serializers.SerializerMethodField()
    annotations_url = serializers.SerializerMethodField()
    editor_note = serializers.SerializerMethodField()

    class Meta(ArticleListSerializer.Meta):
        fields = [
            *ArticleListSerializer.Meta.fields,
            "body",
            "paragraphs",
            "blocks",
            "mentions",
            "annotations_url",
            "editor_note",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.DictField()))
    def get_blocks(self, article) -> list:
        return article.structure

    @extend_schema_field(MentionSerializer(many=True))
    def get_mentions(self, article):
        return MentionSerializer(article.visible_mentions, many=True, context=self.context).data

    @extend_schema_field(OpenApiTypes.URI)
    def get_annotations_url(self, article) -> str:
        from django.urls import reverse

        path = reverse("api-v1:article-annotations", kwargs={"slug": article.slug})
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_editor_note(self, article):
        """For editors only: null unless you may see drafts."""
        return article.editor_note if self.context.get("staff") else None


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
