"""Reads of source material, with their joins done."""

from django.db.models import Prefetch, QuerySet

from history.models import Article, Concept, Event, Mention


def article_public_detail(*, slug: str) -> Article:
    """A published article with its confirmed public mentions; raises Article.DoesNotExist."""
    mentions = Mention.objects.public().select_related("concept", "event").order_by("start")
    return (
        Article.objects.published()
        .prefetch_related(Prefetch("mentions", queryset=mentions, to_attr="public_mentions"))
        .get(slug=slug)
    )


def events_public() -> QuerySet[Event]:
    return Event.objects.published().chronological()


def concepts_public() -> QuerySet[Concept]:
    return Concept.objects.published().order_by("collation_key", "term")
