"""Writes to source material. The admin, the API and management commands all call these."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.text import slugify

from history import anchoring, detection, text
from history.models import Article, Concept, Event, Mention, MentionStatus
from history.signals import article_text_changed
from publishing.models import Status
from publishing.services import claim_version

MARKDOWN_SUFFIXES = {".md", ".markdown", ".mdown"}


def unique_slug(model: type[models.Model], source: str, *, exclude_pk=None) -> str:
    """A slug for ``source`` not yet used by ``model`` (title-2, title-3… when taken)."""
    field_ = model._meta.get_field("slug")
    base = (slugify(source) or "untitled")[: field_.max_length - 4].strip("-")
    slug, n = base, 1
    taken = model.objects.exclude(pk=exclude_pk) if exclude_pk else model.objects.all()
    while taken.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _stamp(obj, user) -> None:
    if user is not None and getattr(user, "is_authenticated", False):
        if obj.pk is None:
            obj.created_by = user
        obj.updated_by = user


# --- importing ---------------------------------------------------------------------------


@dataclass
class ImportResult:
    article: Article
    action: str  # "created", "updated" or "unchanged"
    parsed: text.ParsedText
    suggestions: int = 0

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
    article.save()
    suggestions = len(mentions_detect(article=article)) if detect else 0
    return ImportResult(article, "created", parsed, suggestions)


# --- editing -----------------------------------------------------------------------------


@transaction.atomic
def article_save(*, article: Article, user=None, expected_version: int | None = None) -> Article:
    """Create or change an article; when its text changes, mentions and excerpts follow it.

    ``expected_version`` is the version the editor started from; a save over someone else's
    newer one is refused (publishing.services.ConflictError).
    """
    creating = article.pk is None
    if not article.slug:
        article.slug = unique_slug(Article, article.title)
    _stamp(article, user)
    article.full_clean()
    if creating:
        article.save()
        mentions_detect(article=article)
        return article
    old_body = Article.objects.filter(pk=article.pk).values_list("body", flat=True).get()
    claim_version(article, expected=expected_version)
    article.save()
    article.__dict__.pop("paragraphs", None)
    if article.body != old_body:
        mentions_reanchor(article=article)
        article_text_changed.send(sender=Article, article=article, old_body=old_body, user=user)
        mentions_detect(article=article)
    return article


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


def mention_set_status(*, mention: Mention, status: str) -> Mention:
    if status not in MentionStatus.values:
        raise ValidationError(f"Unknown status “{status}”.")
    mention.status = status
    mention.save(update_fields=["status"])
    return mention


def mentions_reanchor(*, article: Article) -> dict[str, int]:
    """Find every mention again in the article's current text; count them by outcome."""
    counts: dict[str, int] = {}
    changed, duplicates, seen = [], [], set()
    # Confirmed mentions first, so that when two land on the same words the confirmed one stays.
    ordered = Mention.objects.filter(article=article).order_by(
        models.Case(models.When(status=MentionStatus.CONFIRMED, then=0), default=1), "pk"
    )
    for mention in ordered:
        resolution = anchoring.resolve(article.body, mention.selector)
        if resolution.selector is not None:
            mention.apply_selector(resolution.selector)
            key = (mention.start, mention.end, mention.concept_id, mention.event_id)
            if key in seen:
                duplicates.append(mention.pk)
                continue
            seen.add(key)
        mention.anchor_status = resolution.state.value
        counts[resolution.state.value] = counts.get(resolution.state.value, 0) + 1
        changed.append(mention)
    Mention.objects.filter(pk__in=duplicates).delete()
    Mention.objects.bulk_update(
        changed, ["exact", "prefix", "suffix", "start", "end", "anchor_status"]
    )
    return counts


# --- events and concepts -----------------------------------------------------------------


@transaction.atomic
def event_save(*, event: Event, user=None) -> Event:
    if not event.slug:
        event.slug = unique_slug(Event, event.title)
    _stamp(event, user)
    event.full_clean()
    event.save()
    return event


@transaction.atomic
def concept_save(*, concept: Concept, user=None) -> Concept:
    if not concept.slug:
        concept.slug = unique_slug(Concept, concept.term)
    concept.aliases = [a.strip() for a in concept.aliases if a and a.strip()]
    _stamp(concept, user)
    concept.full_clean()
    concept.save()
    return concept
