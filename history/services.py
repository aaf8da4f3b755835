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

from history import anchoring, dates, detection, names, structure, text
from history.models import (
    AnchorStatus,
    Article,
    CandidateStatus,
    Concept,
    ConceptCandidate,
    DatedExpression,
    DateStatus,
    Event,
    Kind,
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

    Names in any script are transliterated ("Władysław Gomułka" → wladyslaw-gomulka,
    "Венгерское восстание" → vengerskoe-vosstanie); see ``names.slug``. Inside a transaction on
    PostgreSQL, other transactions making a slug from the same words wait until this one ends,
    so that two parallel creates never pick the same slug.
    """
    field_ = model._meta.get_field("slug")
    base = names.slug(source, fallback=model._meta.model_name)[: field_.max_length - 4].strip("-")
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
    notes: list[str] = field(default_factory=list)  # what an editor should know

    @property
    def truncated(self) -> list[int]:
        return self.parsed.truncated

    def report(self) -> list[str]:
        """The import report, line by line, as the command prints it and the admin shows it."""
        parsed, article = self.parsed, self.article
        lines = [
            f"{self.action} “{article.title}”: {len(parsed.blocks)} paragraphs, "
            f"{parsed.headings} headings, read as "
            f"{'Markdown' if parsed.markdown else 'plain text'} in {parsed.encoding}."
        ]
        if self.action == "unchanged":
            return lines
        if parsed.kicker:
            lines.append(f"kicker: “{parsed.kicker}”")
        used = [k for k in ARTICLE_METADATA if parsed.metadata.get(k)]
        if used:
            lines.append("from the front matter: " + ", ".join(used))
        lines.extend(self.notes)
        if self.truncated:
            numbers = ", ".join(str(n) for n in self.truncated)
            lines.append(f"paragraphs to check (they break off mid-sentence): {numbers}")
        lines.append(
            f"suggested: {self.suggestions} links to concepts, {self.dates} dates "
            "(review them on the article's admin page)"
        )
        return lines


@dataclass
class PreparedImport:
    """A file read and parsed, before anything is written."""

    name: str
    parsed: text.ParsedText
    sha256: str
    errors: list[str] = field(default_factory=list)


# Front matter keys that fill article fields (see text.METADATA_KEYS).
ARTICLE_METADATA = ("title", "kicker", "author", "publication", "publication_date", "source_url",
                    "rights", "language")  # fmt: skip


def article_prepare_import(
    *, data: bytes | None = None, name: str, pasted: str | None = None, markdown: bool | None = None
) -> PreparedImport:
    """Read a file's bytes (or pasted text); raise ``text.UnreadableText`` with an editor's
    reason if it is bad. Nothing is written.

    Markdown is read when the file is named .md (or ``markdown`` says so); pasted text and
    files of other names are read as Markdown when they look like it (front matter, headings,
    lists, quotes, links). The size limit is checked before the text is parsed.
    """
    if pasted is not None:
        text.check_size(characters=len(pasted), name="The pasted text")
        if not pasted.strip():
            raise text.UnreadableText("The pasted text is empty.")
        decoded = text.Decoded(text.normalise_newlines(pasted), "utf-8 (pasted)")
    else:
        text.check_size(size=len(data), name=name)
        decoded = text.read(data, name=name)
    text.check_size(characters=len(decoded.text), name=name)
    if markdown is None:
        markdown = Path(name).suffix.lower() in MARKDOWN_SUFFIXES or text.looks_like_markdown(
            decoded.text
        )
    parsed = text.parse(decoded.text, markdown=markdown)
    parsed.encoding = decoded.encoding
    text.check_size(characters=len(parsed.body), name=name)
    sha256 = hashlib.sha256(text.normalise_body(parsed.body).encode()).hexdigest()
    return PreparedImport(name=name, parsed=parsed, sha256=sha256)


def _metadata_fields(parsed: text.ParsedText) -> tuple[dict[str, str], list[str]]:
    """Article fields from the front matter, and notes on what could not be used."""
    values, notes = {}, []
    for key in ARTICLE_METADATA[1:]:
        value = parsed.metadata.get(key, "")
        if not value:
            continue
        max_length = Article._meta.get_field(key).max_length
        if key == "publication_date":
            try:
                value = dates.to_edtf(value)
            except dates.DateError:
                notes.append(f"the front matter's date “{value}” is not a date; left blank")
                continue
        if key == "source_url" and not value.startswith(("http://", "https://")):
            notes.append(f"the front matter's address “{value}” is not a web address; left out")
            continue
        if max_length and len(value) > max_length:
            notes.append(f"the front matter's {key} is longer than {max_length} characters; cut")
            value = value[:max_length]
        values[key] = value
    return values, notes


@transaction.atomic
def article_import(
    *, prepared: PreparedImport, user=None, update: bool = False, detect: bool = True
) -> ImportResult:
    """Create an article from a prepared file or paste; the same text twice makes one article.

    The same text (as stored) from the same source address is recognised as already imported,
    whatever its title or file name. A different text with the title of an existing article is
    a new article (its slug gets a number) unless ``update`` is set, in which case that
    article's text is replaced and its excerpts are found again.
    """
    parsed = prepared.parsed
    fields, notes = _metadata_fields(parsed)
    same_text = Article.objects.filter(
        source_sha256=prepared.sha256, source_url=fields.get("source_url", "")
    ).first()
    if same_text is not None:
        return ImportResult(same_text, "unchanged", parsed)
    file_name = Path(prepared.name).name
    namesake = Article.objects.filter(title=parsed.title).order_by("pk").first()
    if namesake is not None and update:
        namesake.body = parsed.body
        namesake.blocks = parsed.stored_blocks
        namesake.kicker = parsed.kicker or namesake.kicker
        for key, value in fields.items():
            setattr(namesake, key, value)
        article = article_save(article=namesake, user=user)
        Article.objects.filter(pk=article.pk).update(
            source_file=file_name, source_sha256=prepared.sha256
        )
        return ImportResult(article, "updated", parsed, notes=notes)
    if namesake is not None:
        notes.append(
            f"another article is titled “{namesake.title}” (imported from "
            f"{namesake.source_file or 'the admin'}); this is a different text, so it is a new "
            "article. To replace that article's text instead, import with --update."
        )
    article = Article(
        title=parsed.title,
        slug=unique_slug(Article, parsed.title),
        kicker=parsed.kicker,
        body=parsed.body,
        blocks=parsed.stored_blocks,
        source_file=file_name,
        source_sha256=prepared.sha256,
        status=Status.DRAFT,
        **fields,
    )
    _stamp(article, user)
    article.full_clean()
    with reversion.create_revision():
        article.save()
        record_revision(article, user=user, comment=f"Imported from {article.source_file}.")
    if not detect:
        return ImportResult(article, "created", parsed, notes=notes)
    suggestions = len(mentions_detect(article=article))
    found_dates = len(dates_detect(article=article))
    candidates = candidates_detect(article=article)
    if candidates:
        shown = ", ".join(c.name for c in candidates[:8])
        notes.append(
            f"new concepts to consider: {len(candidates)} recurring names ({shown}"
            f"{'…' if len(candidates) > 8 else ''}); accept or dismiss them under "
            "“New concept candidates”"
        )
    return ImportResult(article, "created", parsed, suggestions, found_dates, notes=notes)


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
    old_body, old_blocks = "", []
    if not creating:
        old_body, old_blocks = (
            Article.objects.filter(pk=article.pk).values_list("body", "blocks").get()
        )
    if not structure.fits(article.blocks, article.body):
        article.blocks = structure.carry_over(old_body, old_blocks or [], article.body)
    article.source_sha256 = hashlib.sha256(article.body.encode()).hexdigest()
    article.__dict__.pop("structure", None)
    with reversion.create_revision():
        if creating:
            save_with_unique_slug(article, source=article.title, made=made_slug)
            record_revision(article, user=user, comment=comment or "Created.")
            suggestions_detect(article=article)
            return article
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
    candidates: int = 0  # new names proposed as concepts


@transaction.atomic
def suggestions_detect(*, article: Article) -> Suggestions:
    """Look for concepts, dates and new concept candidates in the article now; return how many
    new ones were found."""
    return Suggestions(
        links=len(mentions_detect(article=article)),
        dates=len(dates_detect(article=article)),
        candidates=len(candidates_detect(article=article)),
    )


# --- new concepts ------------------------------------------------------------------------


@transaction.atomic
def candidates_detect(*, article: Article) -> list[ConceptCandidate]:
    """Propose recurring names and acronyms of the article that are no concept yet.

    Names an editor dismissed (in any article) or made a concept of are not proposed again."""
    decided = set(
        ConceptCandidate.objects.exclude(status=CandidateStatus.SUGGESTED).values_list(
            "key", flat=True
        )
    )
    existing = {c.key: c for c in ConceptCandidate.objects.filter(article=article)}
    new, changed = [], []
    for found in detection.find_candidates(article.body, known_keys=_known_forms()):
        if found.key in decided:
            continue
        context = article.body[max(0, found.first - 60) : found.first + len(found.name) + 60]
        if found.key in existing:
            row = existing[found.key]
            if row.count != found.count:
                row.count, row.first_offset, row.context = found.count, found.first, context
                changed.append(row)
            continue
        new.append(
            ConceptCandidate(
                article=article,
                name=found.name[:200],
                key=found.key[:200],
                acronym=found.acronym,
                count=found.count,
                first_offset=found.first,
                context=" ".join(context.split())[:300],
            )
        )
    ConceptCandidate.objects.bulk_create(new)
    if changed:
        ConceptCandidate.objects.bulk_update(changed, ["count", "first_offset", "context"])
    return new


@transaction.atomic
def candidate_accept(*, candidate: ConceptCandidate, user=None) -> Concept:
    """Make a draft concept of a proposed name (an editor writes its definition), link the
    article's mentions of it, and stop proposing the name."""
    concept = Concept.objects.filter(term__iexact=candidate.name).first()
    if concept is None:
        concept = concept_save(
            concept=Concept(
                term=candidate.name,
                kind=Kind.ORGANISATION if candidate.acronym else Kind.OTHER,
                definition=f"(To be written: “{candidate.name}” in “{candidate.article}”.)",
                status=Status.DRAFT,
            ),
            user=user,
            comment="Made from a proposed name.",
        )
    ConceptCandidate.objects.filter(key=candidate.key).update(
        status=CandidateStatus.ACCEPTED, concept=concept
    )
    mentions_detect(article=candidate.article, matcher=concept_matcher([concept]))
    return concept


def candidates_dismiss(*, candidates: models.QuerySet) -> int:
    """Dismiss proposed names; they are not proposed again, in any article."""
    keys = list(candidates.values_list("key", flat=True))
    return ConceptCandidate.objects.filter(key__in=keys).update(
        status=CandidateStatus.DISMISSED, concept=None
    )


# --- mentions ----------------------------------------------------------------------------


_MATCHERS: dict[int, detection.TermMatcher] = {}
_FORMS: dict[tuple, tuple] = {}


def _concepts_stamp() -> tuple:
    """Changes whenever a concept is added, changed (its term, forms or state: every save
    moves ``updated_at`` and every step ``version``) or deleted: one small query."""
    return tuple(
        Concept.objects.aggregate(
            n=models.Count("id"),
            top=models.Max("id"),
            changed=models.Max("updated_at"),
            versions=models.Sum("version"),
        ).values()
    )


def _forms(*, archived: bool) -> tuple[tuple[int, str], ...]:
    """(id, form) of every form of every concept (archived ones too, or not), read again only
    when the concepts changed: an import needs them all, and reading 2,000 concepts took
    longer than detecting in the text."""
    key = (_concepts_stamp(), archived)
    if key not in _FORMS:
        concepts = (
            Concept.objects.all() if archived else Concept.objects.exclude(status=Status.ARCHIVED)
        )
        rows = concepts.order_by("pk").values_list("pk", "term", "aliases")
        if len(_FORMS) > 4:
            _FORMS.clear()
        _FORMS[key] = tuple(
            (pk, form) for pk, term, aliases in rows for form in [term, *aliases] if form
        )
    return _FORMS[key]


def _known_forms() -> frozenset[str]:
    """Every form of every concept, folded as detection compares names."""
    forms = _forms(archived=True)
    key = hash(forms)
    if key not in _KNOWN:
        _KNOWN.clear()
        _KNOWN[key] = frozenset(detection.fold_phrase(form) for _pk, form in forms)
    return _KNOWN[key]


_KNOWN: dict[int, frozenset[str]] = {}


def concept_matcher(concepts: Iterable[Concept] | None = None) -> detection.TermMatcher:
    """One compiled matcher for every form of every concept (not archived), built once per
    set of forms and kept while the concepts stay as they are."""
    if concepts is None:
        terms = _forms(archived=False)
    else:
        terms = tuple((c.pk, form) for c in concepts for form in c.forms)
    key = hash(terms)
    matcher = _MATCHERS.get(key)
    if matcher is None:
        if len(_MATCHERS) > 8:
            _MATCHERS.clear()
        matcher = _MATCHERS[key] = detection.TermMatcher(terms)
    return matcher


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


REVIEW_MAX = 500  # mentions accepted or rejected in one go (a page shows 100)


@transaction.atomic
def article_suggestions_review(*, article: Article, mention_ids: Iterable, status: str) -> int:
    """Accept or reject mentions of one article (an editor's selection on its suggestions
    page); return how many changed. All or nothing: an id that is not a mention of this
    article, or a status that is neither, refuses the whole selection."""
    if status not in (MentionStatus.CONFIRMED, MentionStatus.REJECTED):
        raise ValidationError("Choose to accept or to reject the selected suggestions.")
    try:
        ids = {int(i) for i in mention_ids}
    except (TypeError, ValueError):
        raise ValidationError("The selection names something that is not a mention.") from None
    if not ids:
        raise ValidationError("Select at least one suggestion first.")
    if len(ids) > REVIEW_MAX:
        raise ValidationError(f"Select at most {REVIEW_MAX:,} suggestions at a time.")
    mentions = Mention.objects.filter(article=article, pk__in=ids)
    if mentions.count() != len(ids):
        raise ValidationError(
            "Some of the selected mentions are not in this article (or no longer exist): "
            "nothing was changed. Reload the page and select again."
        )
    return mentions_set_status(mentions=mentions, status=status)


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
    before = {anchor.pk: _anchor_fields(anchor) for anchor in anchors}
    for anchor in anchors:
        anchor_find_again(anchor, body)
    return _anchors_save(anchors, before)


def _anchor_fields(anchor: TextAnchor) -> tuple:
    return tuple(getattr(anchor, name) for name in ANCHOR_FIELDS)


# Rows changed by one UPDATE: small enough for any database's limit on parameters.
UPDATE_BATCH = 500


def _anchors_save(anchors: list[TextAnchor], before: dict[int, tuple]) -> dict[str, int]:
    """Save the anchors that changed. An edit moves most anchors by the same number of
    characters and leaves their words and context as they were: those are moved by one UPDATE
    per shift
    (start + n, end + n); only the few whose words, context or state changed are written one
    by one (a bulk_update of hundreds of rows built a CASE per field and row: ~1 s an edit).
    The state goes with the shift ("moved"), so it is part of the UPDATE's group."""
    shifted: dict[tuple[int, str], list[int]] = {}
    changed = []
    for anchor in anchors:
        old, new = before[anchor.pk], _anchor_fields(anchor)
        if new == old:
            continue
        delta = anchor.start - old[3]
        if new[:3] == old[:3] and anchor.end - old[4] == delta:
            shifted.setdefault((delta, anchor.anchor_status), []).append(anchor.pk)
        else:
            changed.append(anchor)
    if anchors:
        model = type(anchors[0])
        for (delta, status), pks in shifted.items():
            for at in range(0, len(pks), UPDATE_BATCH):
                model.objects.filter(pk__in=pks[at : at + UPDATE_BATCH]).update(
                    start=models.F("start") + delta,
                    end=models.F("end") + delta,
                    anchor_status=status,
                )
        for anchor in changed:
            anchor.save(update_fields=ANCHOR_FIELDS)
    return dict(Counter(anchor.anchor_status for anchor in anchors))


def mentions_reanchor(*, article: Article) -> dict[str, int]:
    """Find every mention again in the article's current text; count them by outcome."""
    kept, duplicates, seen, before = [], [], set(), {}
    # Confirmed mentions first, so that when two land on the same words the confirmed one stays.
    ordered = Mention.objects.filter(article=article).order_by(
        models.Case(models.When(status=MentionStatus.CONFIRMED, then=0), default=1), "pk"
    )
    for mention in ordered:
        before[mention.pk] = _anchor_fields(mention)
        anchor_find_again(mention, article.body)
        if mention.anchor_status != AnchorStatus.LOST:  # a lost one keeps its old place
            key = (mention.start, mention.end, mention.concept_id, mention.event_id)
            if key in seen:
                duplicates.append(mention.pk)
                continue
            seen.add(key)
        kept.append(mention)
    for at in range(0, len(duplicates), UPDATE_BATCH):
        Mention.objects.filter(pk__in=duplicates[at : at + UPDATE_BATCH]).delete()
    return _anchors_save(kept, before)


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
            reasoning=found.reasoning,
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
