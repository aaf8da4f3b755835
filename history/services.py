"""Writes to source material. The admin, the API and management commands all call these."""

from __future__ import annotations

import hashlib
import zlib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import reversion
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connections, models, router, transaction
from django.utils.text import slugify

from history import anchoring, dates, detection, text
from history.models import (
    AnchorStatus,
    Article,
    Concept,
    DatedExpression,
    DateStatus,
    Event,
    Mention,
    MentionStatus,
    TextAnchor,
)
from history.signals import article_text_changed
from publishing.models import Status
from publishing.services import claim_version

MARKDOWN_SUFFIXES = {".md", ".markdown", ".mdown"}


def unique_slug(model: type[models.Model], source: str, *, exclude_pk=None) -> str:
    """A slug for ``source`` not yet used by ``model`` (title-2, title-3… when taken).

    Inside a transaction on PostgreSQL, other transactions making a slug from the same words
    wait until this one ends, so that two parallel creates never pick the same slug.
    """
    field_ = model._meta.get_field("slug")
    base = (slugify(source) or "untitled")[: field_.max_length - 4].strip("-")
    _lock_slug(model, base)
    slug, n = base, 1
    taken = model.objects.exclude(pk=exclude_pk) if exclude_pk else model.objects.all()
    while taken.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _lock_slug(model: type[models.Model], base: str) -> None:
    connection = connections[router.db_for_write(model)]
    if connection.vendor == "postgresql" and connection.in_atomic_block:
        key = zlib.crc32(f"slug:{model._meta.db_table}:{base}".encode())
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])
    # SQLite: write transactions begin IMMEDIATE (config/settings.py), one at a time already.


SLUG_ATTEMPTS = 5


def save_with_unique_slug(obj: models.Model, *, source: str, made: bool) -> None:
    """``obj.save()``; if a parallel save took its slug first, take the next free one when
    the slug was ``made`` from ``source``, or refuse a slug the client chose (400, not 500)."""
    model = type(obj)
    for attempt in range(SLUG_ATTEMPTS):
        try:
            with transaction.atomic():
                obj.save()
            return
        except IntegrityError:
            taken = model.objects.filter(slug=obj.slug).exclude(pk=obj.pk).exists()
            if not taken:
                raise
            if not made or attempt == SLUG_ATTEMPTS - 1:
                raise ValidationError(
                    {"slug": f"The slug “{obj.slug}” was taken a moment ago; choose another."}
                ) from None
            obj.slug = unique_slug(model, source, exclude_pk=obj.pk)


def _stamp(obj, user) -> None:
    if user is not None and getattr(user, "is_authenticated", False):
        if obj.pk is None:
            obj.created_by = user
        obj.updated_by = user


def _person(user):
    return user if user is not None and getattr(user, "is_authenticated", False) else None


def record_revision(obj, *, user, comment: str) -> None:
    """Add ``obj`` to the revision being made (open one with reversion.create_revision())."""
    reversion.add_to_revision(obj)
    reversion.set_user(_person(user))
    if comment or not reversion.get_comment():
        reversion.set_comment(comment)


# --- importing ---------------------------------------------------------------------------


@dataclass
class ImportResult:
    article: Article
    action: str  # "created", "updated" or "unchanged"
    parsed: text.ParsedText
    suggestions: int = 0  # suggested links to concepts
    dates: int = 0  # suggested dates

    @property
    def truncated(self) -> list[int]:
        return self.parsed.truncated


@dataclass
class PreparedImport:
    """A file read and parsed, before anything is written."""

    name: str
    parsed: text.ParsedText
    sha256: str
    errors: list[str] = field(default_factory=list)


def article_prepare_import(*, data: bytes, name: str) -> PreparedImport:
    """Read a file's bytes; raise ``text.UnreadableText`` with an editor's reason if it is bad."""
    decoded = text.decode(data, name=name)
    parsed = text.parse(decoded, markdown=Path(name).suffix.lower() in MARKDOWN_SUFFIXES)
    return PreparedImport(name=name, parsed=parsed, sha256=hashlib.sha256(data).hexdigest())


@transaction.atomic
def article_import(
    *, prepared: PreparedImport, user=None, update: bool = False, detect: bool = True
) -> ImportResult:
    """Create an article from a prepared file; the same file twice makes one article.

    A different file with the title of an existing article is refused unless ``update`` is
    set, in which case that article's text is replaced and its excerpts are found again.
    """
    parsed = prepared.parsed
    same_file = Article.objects.filter(source_sha256=prepared.sha256).first()
    if same_file is not None:
        return ImportResult(same_file, "unchanged", parsed)
    slug = slugify(parsed.title)[:200] or "untitled"
    existing = Article.objects.filter(slug=slug).first()
    if existing is not None:
        if not update:
            raise ValidationError(
                f"An article titled “{existing.title}” already exists "
                f"(imported from {existing.source_file or 'the admin'}). To replace its text "
                "with this file, import it again with --update; its excerpts will be found again."
            )
        existing.body = parsed.body
        existing.kicker = parsed.kicker or existing.kicker
        article = article_save(article=existing, user=user)
        Article.objects.filter(pk=article.pk).update(
            source_file=Path(prepared.name).name, source_sha256=prepared.sha256
        )
        return ImportResult(article, "updated", parsed)
    article = Article(
        title=parsed.title,
        slug=slug,
        kicker=parsed.kicker,
        body=parsed.body,
        source_file=Path(prepared.name).name,
        source_sha256=prepared.sha256,
        status=Status.DRAFT,
    )
    _stamp(article, user)
    article.full_clean()
    with reversion.create_revision():
        article.save()
        record_revision(article, user=user, comment=f"Imported from {article.source_file}.")
    if not detect:
        return ImportResult(article, "created", parsed)
    suggestions = len(mentions_detect(article=article))
    found_dates = len(dates_detect(article=article))
    return ImportResult(article, "created", parsed, suggestions, found_dates)


# --- editing -----------------------------------------------------------------------------


@transaction.atomic
def article_save(
    *, article: Article, user=None, expected_version: int | None = None, comment: str = ""
) -> Article:
    """Create or change an article; when its text changes, mentions and excerpts follow it.

    ``expected_version`` is the version the editor started from; a save over someone else's
    newer one is refused (publishing.services.ConflictError). Every save is kept as a revision.
    """
    creating = article.pk is None
    made_slug = not article.slug
    if made_slug:
        article.slug = unique_slug(Article, article.title)
    _stamp(article, user)
    article.full_clean()
    with reversion.create_revision():
        if creating:
            save_with_unique_slug(article, source=article.title, made=made_slug)
            record_revision(article, user=user, comment=comment or "Created.")
            suggestions_detect(article=article)
            return article
        old_body = Article.objects.filter(pk=article.pk).values_list("body", flat=True).get()
        claim_version(article, expected=expected_version)
        save_with_unique_slug(article, source=article.title, made=False)
        article.__dict__.pop("paragraphs", None)
        text_changed = article.body != old_body
        record_revision(
            article,
            user=user,
            comment=comment or ("Changed the text." if text_changed else "Changed."),
        )
        if text_changed:
            article_text_reanchor(article=article, old_body=old_body, user=user)
            suggestions_detect(article=article)
    return article


def article_text_reanchor(*, article: Article, old_body: str = "", user=None) -> None:
    """Find every mention, date and (through the signal) excerpt again in the current text."""
    mentions_reanchor(article=article)
    dates_reanchor(article=article)
    article_text_changed.send(sender=Article, article=article, old_body=old_body, user=user)


@dataclass
class Suggestions:
    links: int  # new suggested mentions of concepts
    dates: int  # new suggested dates


@transaction.atomic
def suggestions_detect(*, article: Article) -> Suggestions:
    """Look for concepts and dates in the article now; return how many new ones were found."""
    return Suggestions(
        links=len(mentions_detect(article=article)), dates=len(dates_detect(article=article))
    )


# --- mentions ----------------------------------------------------------------------------


def concept_matcher(concepts: Iterable[Concept] | None = None) -> detection.TermMatcher:
    if concepts is None:
        concepts = Concept.objects.exclude(status=Status.ARCHIVED).only("id", "term", "aliases")
    return detection.TermMatcher((c.pk, form) for c in concepts for form in c.forms)


@transaction.atomic
def mentions_detect(
    *, article: Article, matcher: detection.TermMatcher | None = None, confirm: bool = False
) -> list[Mention]:
    """Propose mentions of known concepts in the article; return the new ones.

    A span an editor has already confirmed or rejected is not proposed again.
    """
    matcher = matcher or concept_matcher()
    known = set(
        Mention.objects.filter(article=article, concept__isnull=False).values_list(
            "start", "end", "concept_id"
        )
    )
    new = []
    for found in matcher.find(article.body):
        if (found.start, found.end, found.key) in known:
            continue
        selector = anchoring.describe(article.body, found.start, found.end)
        mention = Mention(
            article=article,
            concept_id=found.key,
            status=MentionStatus.CONFIRMED if confirm else MentionStatus.SUGGESTED,
        )
        mention.apply_selector(selector)
        new.append(mention)
        known.add((found.start, found.end, found.key))
    Mention.objects.bulk_create(new)
    return new


def mention_event(*, article: Article, event: Event, exact: str, confirm: bool = True) -> Mention:
    """Record that the article speaks of an event at the first place these words stand."""
    start = article.body.find(exact)
    if start < 0:
        raise ValidationError(f"“{exact}” is not in the text of “{article}”.")
    selector = anchoring.describe(article.body, start, start + len(exact))
    mention, _ = Mention.objects.get_or_create(
        article=article,
        event=event,
        start=selector.start,
        end=selector.end,
        defaults={
            "exact": selector.exact,
            "prefix": selector.prefix,
            "suffix": selector.suffix,
            "status": MentionStatus.CONFIRMED if confirm else MentionStatus.SUGGESTED,
        },
    )
    return mention


@transaction.atomic
def mention_set_status(*, mention: Mention, status: str) -> Mention:
    if status not in MentionStatus.values:
        raise ValidationError(f"Unknown status “{status}”.")
    mention.status = status
    mention.save(update_fields=["status"])
    _articles_changed({mention.article_id})
    return mention


@transaction.atomic
def mentions_set_status(*, mentions: models.QuerySet, status: str) -> int:
    """Accept or reject many suggested mentions at once; return how many changed."""
    if status not in MentionStatus.values:
        raise ValidationError(f"Unknown status “{status}”.")
    changing = mentions.exclude(status=status)
    articles = set(changing.values_list("article_id", flat=True))
    count = changing.update(status=status)
    _articles_changed(articles)
    return count


def _articles_changed(ids: set[int]) -> None:
    """Confirmed mentions are part of an article: a change to them is a change to its working
    copy (a new version; a live article gets unpublished changes)."""
    for article in Article.objects.filter(pk__in=ids):
        claim_version(article, expected=None)


ANCHOR_FIELDS = ["exact", "prefix", "suffix", "start", "end", "anchor_status"]


def anchor_find_again(anchor: TextAnchor, body: str) -> str:
    """Find an excerpt, mention or date again in ``body``: by its words and context, then its
    place, then a fuzzy match. Sets its place and state (unsaved) and returns the state; a
    flag an editor has not dealt with yet stays (``anchoring.follow``)."""
    resolution = anchoring.resolve(body, anchor.selector)
    if resolution.selector is not None:
        anchor.apply_selector(resolution.selector)
    anchor.anchor_status = anchoring.follow(anchor.anchor_status, resolution).value
    return anchor.anchor_status


def anchors_find_again(anchors: list[TextAnchor], body: str) -> dict[str, int]:
    """Find each anchor (all of one model) again in ``body`` and save them; count by outcome."""
    for anchor in anchors:
        anchor_find_again(anchor, body)
    return _anchors_save(anchors)


def _anchors_save(anchors: list[TextAnchor]) -> dict[str, int]:
    if anchors:
        type(anchors[0]).objects.bulk_update(anchors, ANCHOR_FIELDS)
    return dict(Counter(anchor.anchor_status for anchor in anchors))


def mentions_reanchor(*, article: Article) -> dict[str, int]:
    """Find every mention again in the article's current text; count them by outcome."""
    kept, duplicates, seen = [], [], set()
    # Confirmed mentions first, so that when two land on the same words the confirmed one stays.
    ordered = Mention.objects.filter(article=article).order_by(
        models.Case(models.When(status=MentionStatus.CONFIRMED, then=0), default=1), "pk"
    )
    for mention in ordered:
        anchor_find_again(mention, article.body)
        if mention.anchor_status != AnchorStatus.LOST:  # a lost one keeps its old place
            key = (mention.start, mention.end, mention.concept_id, mention.event_id)
            if key in seen:
                duplicates.append(mention.pk)
                continue
            seen.add(key)
        kept.append(mention)
    Mention.objects.filter(pk__in=duplicates).delete()
    return _anchors_save(kept)


# --- dates -------------------------------------------------------------------------------


@transaction.atomic
def dates_detect(*, article: Article) -> list[DatedExpression]:
    """Propose the dates the article names; return the new ones.

    Words an editor already linked or rejected are not proposed again.
    """
    known = set(DatedExpression.objects.filter(article=article).values_list("start", "end"))
    new = []
    for found in detection.find_dates(article.body):
        if (found.start, found.end) in known:
            continue
        try:
            parsed = dates.from_edtf(found.edtf)
        except dates.DateError:
            continue
        expression = DatedExpression(
            article=article,
            date_edtf=parsed.edtf,
            date_start=parsed.lower.key,
            date_end=parsed.upper.key,
            relative=found.relative,
        )
        expression.apply_selector(anchoring.describe(article.body, found.start, found.end))
        new.append(expression)
        known.add((found.start, found.end))
    DatedExpression.objects.bulk_create(new)
    return new


def dates_reanchor(*, article: Article) -> dict[str, int]:
    """Follow the article's edited text: suggestions are found afresh, decisions re-anchored."""
    DatedExpression.objects.filter(article=article, status=DateStatus.SUGGESTED).delete()
    return anchors_find_again(list(DatedExpression.objects.filter(article=article)), article.body)


def events_matching(expression: DatedExpression) -> list[Event]:
    """Existing events the words may name: same dates first, then events within them."""
    within = Event.objects.exclude(status=Status.ARCHIVED).filter(
        date_start__gte=expression.date_start, date_end__lte=expression.date_end
    )
    bounds = (expression.date_start, expression.date_end)
    same = [e for e in within if (e.date_start, e.date_end) == bounds]
    return same or list(within.order_by("date_start", "title")[:20])


@transaction.atomic
def date_link(*, expression: DatedExpression, event: Event, user=None) -> DatedExpression:
    """Link the words to an event: learner pages then point from them to the event."""
    if expression.needs_attention:
        raise ValidationError(
            f"“{expression.exact}” needs attention (its words changed); check it before linking."
        )
    expression.status = DateStatus.LINKED
    expression.event = event
    expression.save(update_fields=["status", "event"])
    _articles_changed({expression.article_id})
    Mention.objects.get_or_create(
        article_id=expression.article_id,
        event=event,
        start=expression.start,
        end=expression.end,
        defaults={
            "exact": expression.exact,
            "prefix": expression.prefix,
            "suffix": expression.suffix,
            "status": MentionStatus.CONFIRMED,
        },
    )
    return expression


@transaction.atomic
def date_link_matching(*, expression: DatedExpression, user=None) -> Event | None:
    """Link to the one existing event with these dates; None when there is none or several."""
    matches = events_matching(expression)
    if len(matches) != 1:
        return None
    date_link(expression=expression, event=matches[0], user=user)
    return matches[0]


@transaction.atomic
def date_new_event(*, expression: DatedExpression, title: str = "", user=None) -> Event:
    """Make a draft event dated as the words say, and link the words to it."""
    article = expression.article
    title = (title or f"{expression.date_display}: from “{article.title}”")[:200]
    event = event_save(
        event=Event(title=title, date_edtf=expression.date_edtf, summary=""), user=user
    )
    date_link(expression=expression, event=event, user=user)
    return event


def dates_reject(*, expressions: models.QuerySet) -> int:
    """Reject suggested dates; they are not proposed again."""
    return expressions.update(status=DateStatus.REJECTED, event=None)


# --- events and concepts -----------------------------------------------------------------


@transaction.atomic
def event_save(
    *,
    event: Event,
    user=None,
    expected_version: int | None = None,
    comment: str = "",
    concepts=None,
) -> Event:
    """Create or change an event (and its concepts, when given); every save is kept as a
    revision that holds them."""
    made_slug = not event.slug
    if made_slug:
        event.slug = unique_slug(Event, event.title)
    _stamp(event, user)
    event.full_clean()
    with reversion.create_revision():
        if event.pk is not None:
            claim_version(event, expected=expected_version)
        save_with_unique_slug(event, source=event.title, made=made_slug)
        if concepts is not None:
            event.concepts.set(concepts)
        record_revision(event, user=user, comment=comment or "Saved.")
    return event


@transaction.atomic
def concept_save(
    *,
    concept: Concept,
    user=None,
    expected_version: int | None = None,
    comment: str = "",
    related=None,
) -> Concept:
    """Create or change a concept (and its related concepts, when given); every save is kept
    as a revision that holds them."""
    made_slug = not concept.slug
    if made_slug:
        concept.slug = unique_slug(Concept, concept.term)
    concept.aliases = [a.strip() for a in concept.aliases if a and a.strip()]
    _stamp(concept, user)
    concept.full_clean()
    with reversion.create_revision():
        if concept.pk is not None:
            claim_version(concept, expected=expected_version)
        save_with_unique_slug(concept, source=concept.term, made=made_slug)
        if related is not None:
            concept.related.set(related)
        record_revision(concept, user=user, comment=comment or "Saved.")
    return concept


@transaction.atomic
def source_revert(*, obj, version, user=None, expected_version: int | None = None):
    """Put back an article, event or concept as a revision had it; its state stays as it is.

    Goes through the object's save service, so an article's excerpts and mentions follow the
    restored text and the revert is kept as a new revision.
    """
    from publishing import revisions

    revisions.restore_fields(obj, version)
    comment = f"Reverted to the revision of {revisions.describe(version)}."
    related = {}
    for name, ids in (version._object_version.m2m_data or {}).items():
        model = type(obj)._meta.get_field(name).related_model
        related[name] = list(model.objects.filter(pk__in=ids))
    if isinstance(obj, Article):
        return article_save(
            article=obj, user=user, expected_version=expected_version, comment=comment
        )
    if isinstance(obj, Event):
        return event_save(
            event=obj,
            user=user,
            expected_version=expected_version,
            comment=comment,
            concepts=related.get("concepts", []),
        )
    return concept_save(
        concept=obj,
        user=user,
        expected_version=expected_version,
        comment=comment,
        related=related.get("related", []),
    )
