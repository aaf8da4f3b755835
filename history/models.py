"""Source material: articles, the events and concepts they speak of, and where they do."""

import reversion
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from history import dates, names, structure, text
from history.anchoring import AnchorState, Selector
from history.fields import CleanImageField
from history.storable import StorableText
from publishing.models import LiveVersion, Publishable, PublishableQuerySet


class Kind(models.TextChoices):
    IDEA = "idea", _("Idea")
    MOVEMENT = "movement", _("Movement")
    ORGANISATION = "organisation", _("Organisation or body")
    PERSON = "person", _("Person")
    PLACE = "place", _("Place")
    POLICY = "policy", _("Policy or practice")
    EVENT_TYPE = "event_type", _("Kind of event")
    OTHER = "other", _("Other")


class ConceptQuerySet(PublishableQuerySet):
    pass


class Concept(StorableText, Publishable):
    """A term a learner must understand, with the other forms it takes in texts."""

    term = models.CharField(_("term"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True, allow_unicode=False)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.IDEA)
    sort_name = models.CharField(
        _("sort name"),
        max_length=200,
        blank=True,
        help_text=_(
            "How the term is filed in lists: “Nagy, Imre”. Left blank, a person is filed by "
            "the last name and anything else by the term."
        ),
    )
    # The Unicode Collation Algorithm's key of the sort name, so that lists sort as readers
    # expect in any script (names.collation_key); set on save.
    collation_key = models.CharField(max_length=255, blank=True, editable=False, db_index=True)
    aliases = models.JSONField(
        _("other forms"),
        default=list,
        blank=True,
        help_text=_(
            "Other forms of the term in texts, one per line (“soviets” for workers’ councils). "
            "A form in lower case is found only in lower case (or at the start of a sentence), "
            "so “soviets” does not match “Soviets”; a form in capitals (“NSC”) only in "
            "capitals; start a form with = to find it only exactly as written."
        ),
    )
    language = models.CharField(
        _("language"),
        max_length=20,
        blank=True,
        help_text=_("A language tag (ru, he, zh…) when the term is not in the site’s language."),
    )
    definition = models.CharField(
        _("definition"),
        max_length=300,
        help_text=_("One sentence, shown when a learner points at the term."),
    )
    explanation = models.TextField(
        _("explanation"), blank=True, help_text=_("Markdown. Shown on the glossary page.")
    )
    related = models.ManyToManyField(
        "self", verbose_name=_("related concepts"), blank=True, symmetrical=True
    )

    objects = ConceptQuerySet.as_manager()

    class Meta:
        ordering = ["collation_key", Lower("term")]
        verbose_name = _("concept")
        verbose_name_plural = _("concepts")
        permissions = [("publish_concept", _("Can publish, unpublish and archive concepts"))]
        # Covers the stamp detection checks before each article (count, last id, last change,
        # sum of versions): read from this index, not from every concept's row and texts.
        indexes = [models.Index(fields=["updated_at", "version", "id"], name="concept_stamp")]

    def __str__(self):
        return self.term

    def get_absolute_url(self):
        return reverse("learner:concept_detail", kwargs={"slug": self.slug})

    @property
    def forms(self) -> list[str]:
        """The term and its aliases: every form detection looks for."""
        return [self.term, *[a for a in self.aliases if a]]

    @property
    def filed_as(self) -> str:
        """The name lists sort by: the sort name, a person's last name first, or the term."""
        if self.sort_name:
            return self.sort_name
        if self.kind == Kind.PERSON:
            return names.person_sort_name(self.term)
        return self.term

    @property
    def direction(self) -> str:
        return names.direction_of_script(names.main_script(self.term))

    def clean(self):
        if not isinstance(self.aliases, list) or not all(isinstance(a, str) for a in self.aliases):
            raise ValidationError({"aliases": _("Other forms must be a list of words.")})

    def save(self, *args, **kwargs):
        self.collation_key = names.collation_key(self.filed_as)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "collation_key"}
        super().save(*args, **kwargs)


class EventQuerySet(PublishableQuerySet):
    def overlapping(self, *, start: int | None = None, end: int | None = None):
        """Events whose span touches [start, end] (date keys, YYYYMMDD)."""
        qs = self
        if start is not None:
            qs = qs.filter(date_end__gte=start)
        if end is not None:
            qs = qs.filter(date_start__lte=end)
        return qs

    def chronological(self):
        return self.order_by("date_start", "date_end", "title")


class Event(StorableText, Publishable):
    """Something that happened, dated the way historians date things."""

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    date_edtf = models.CharField(
        _("date"),
        max_length=100,
        help_text=_(
            "As historians write it: “5 March 1953”, “February 1956”, “c. 1919”, "
            "“23 October – 10 November 1956”, “1950s”, “500 BCE”. Stored as EDTF."
        ),
    )
    # Derived from date_edtf on save: sortable YYYYMMDD keys of the earliest and latest day.
    date_start = models.IntegerField(_("earliest day"), editable=False, db_index=True)
    date_end = models.IntegerField(_("latest day"), editable=False, db_index=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    summary = models.CharField(_("summary"), max_length=500, blank=True)
    description = models.TextField(_("description"), blank=True, help_text=_("Markdown."))
    image = CleanImageField(_("image"), upload_to="events/", blank=True, alt_field="image_alt")
    image_alt = models.CharField(
        _("image description"),
        max_length=300,
        blank=True,
        help_text=_("What the image shows, for learners who cannot see it."),
    )
    concepts = models.ManyToManyField(
        Concept, verbose_name=_("concepts"), blank=True, related_name="events"
    )

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["date_start", "date_end", "title"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        permissions = [("publish_event", _("Can publish, unpublish and archive events"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(date_end__gte=models.F("date_start")), name="event_dates_in_order"
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.date_display})"

    def get_absolute_url(self):
        return reverse("learner:event_detail", kwargs={"slug": self.slug})

    @cached_property
    def date(self) -> dates.HistoricalDate:
        try:
            return dates.from_edtf(self.date_edtf)
        except dates.DateError:  # stored before dates were checked: the stored bounds stand
            return dates.HistoricalDate(
                edtf=self.date_edtf,
                lower=dates.bound_from_key(self.date_start),
                upper=dates.bound_from_key(self.date_end),
                approximate=False,
                uncertain=False,
                is_span=False,
            )

    @property
    def date_display(self) -> str:
        return dates.format_edtf(self.date_edtf) if self.date_edtf else ""

    def clean(self):
        try:
            self.date_edtf = dates.to_edtf(self.date_edtf)
        except dates.DateError as exc:
            raise ValidationError({"date_edtf": str(exc)}) from exc

    def save(self, *args, **kwargs):
        parsed = dates.parse(self.date_edtf)
        self.date_edtf = parsed.edtf
        self.date_start, self.date_end = parsed.lower.key, parsed.upper.key
        self.__dict__.pop("date", None)
        super().save(*args, **kwargs)


class ArticleQuerySet(PublishableQuerySet):
    pass


class Article(StorableText, Publishable):
    """A source text as it was given, in paragraphs: the ground truth that excerpts point into."""

    # Indexed: every import looks for an article of the same title (a scan of every text).
    title = models.CharField(_("title"), max_length=300, db_index=True)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    kicker = models.CharField(
        _("kicker"), max_length=200, blank=True, help_text=_("A line above the title.")
    )
    author = models.CharField(_("author"), max_length=200, blank=True)
    publication = models.CharField(
        _("publication"), max_length=200, blank=True, help_text=_("Where it appeared.")
    )
    publication_date = models.CharField(
        _("date of publication"),
        max_length=100,
        blank=True,
        help_text=_("As precise as known: “2006”, “February 2006”, “c. 2006”. Blank if unknown."),
    )
    source_url = models.URLField(_("source address"), max_length=500, blank=True)
    rights = models.CharField(
        _("rights and licence"),
        max_length=500,
        blank=True,
        help_text=_("Who holds the rights, and under what licence it is used."),
    )
    language = models.CharField(
        _("language"), max_length=20, default="en", help_text=_("A language tag: en, de, hu…")
    )
    body = models.TextField(
        _("text"),
        validators=[MaxLengthValidator(text.MAX_CHARACTERS)],
        help_text=_(
            "The text, one paragraph per block, with a blank line between paragraphs. "
            "Excerpts and mentions are found again when it is edited."
        ),
    )
    # The text's structure over ``body`` (history.structure): headings, lists, quotes, notes,
    # emphasis, each with its code-point range in ``body``. Kept in step by the services.
    blocks = models.JSONField(_("structure"), default=list, blank=True, editable=False)
    lead_image = CleanImageField(
        _("lead image"), upload_to="articles/", blank=True, alt_field="lead_image_alt"
    )
    lead_image_alt = models.CharField(
        _("lead image description"),
        max_length=300,
        blank=True,
        help_text=_("What the image shows, for learners who cannot see it."),
    )
    editor_note = models.TextField(
        _("editor’s note"), blank=True, help_text=_("For editors only; never shown to learners.")
    )
    source_file = models.CharField(_("imported from"), max_length=300, blank=True, editable=False)
    # SHA-256 of ``body`` as stored: the same text imported again is recognised by it.
    source_sha256 = models.CharField(max_length=64, blank=True, editable=False, db_index=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        permissions = [("publish_article", _("Can publish, unpublish and archive articles"))]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("learner:article_detail", kwargs={"slug": self.slug})

    @cached_property
    def paragraphs(self) -> list[text.Paragraph]:
        return text.split_paragraphs(self.body)

    @cached_property
    def structure(self) -> list[dict]:
        """The stored blocks when they describe ``body``; plain paragraphs otherwise."""
        if structure.fits(self.blocks, self.body):
            return self.blocks
        return structure.paragraphs_as_blocks(self.body)

    @property
    def paragraphs_to_check(self) -> list[text.Paragraph]:
        """Paragraphs that break off mid-sentence, for an editor to check against the source.

        Headings, list items and code are not sentences; see ``text.block_breaks_off``."""
        return [
            p
            for p, block in zip(self.paragraphs, self.structure, strict=True)
            if text.block_breaks_off(
                block.get("type", "paragraph"),
                p.text,
                [[k, s - p.start, e - p.start, v] for k, s, e, v in block.get("marks", [])],
            )
        ]

    @property
    def publication_date_display(self) -> str:
        if not self.publication_date:
            return ""
        try:
            return dates.format_edtf(dates.to_edtf(self.publication_date))
        except dates.DateError:
            return self.publication_date

    def paragraph_at(self, offset: int) -> text.Paragraph | None:
        for paragraph in self.paragraphs:
            if paragraph.start <= offset <= paragraph.end:
                return paragraph
        return None

    def clean(self):
        if self.publication_date:
            try:
                self.publication_date = dates.to_edtf(self.publication_date)
            except dates.DateError as exc:
                raise ValidationError({"publication_date": str(exc)}) from exc
        if self.body:
            self.body = text.normalise_body(self.body)
            if not self.body:
                raise ValidationError({"body": _("The text is empty.")})
        errors = structure.validate(self.blocks)
        if errors:
            raise ValidationError({"blocks": errors})


class AnchorStatus(models.TextChoices):
    ANCHORED = AnchorState.ANCHORED.value, _("In place")
    MOVED = AnchorState.MOVED.value, _("Moved with the text")
    CHANGED = AnchorState.CHANGED.value, _("Words changed: check")
    ELSEWHERE = AnchorState.ELSEWHERE.value, _("Same words elsewhere: check")
    LOST = AnchorState.LOST.value, _("Lost: select again")


class TextAnchor(StorableText, models.Model):
    """A passage of an article, anchored by its words and context and by its position.

    The W3C Web Annotation model's TextQuoteSelector (exact, prefix, suffix) and
    TextPositionSelector (start, end; Unicode code points of ``Article.body``).
    """

    exact = models.TextField(_("quoted words"))
    prefix = models.CharField(_("words before"), max_length=64, blank=True)
    suffix = models.CharField(_("words after"), max_length=64, blank=True)
    start = models.PositiveIntegerField(_("start"))
    end = models.PositiveIntegerField(_("end"))
    anchor_status = models.CharField(
        _("anchoring"),
        max_length=16,
        choices=AnchorStatus.choices,
        default=AnchorStatus.ANCHORED,
        db_index=True,
    )

    NEEDS_ATTENTION = (AnchorStatus.CHANGED, AnchorStatus.ELSEWHERE, AnchorStatus.LOST)

    class Meta:
        abstract = True

    @property
    def selector(self) -> Selector:
        return Selector(self.exact, self.prefix, self.suffix, self.start, self.end)

    def apply_selector(self, selector: Selector) -> None:
        self.exact, self.prefix, self.suffix = selector.exact, selector.prefix, selector.suffix
        self.start, self.end = selector.start, selector.end

    @property
    def needs_attention(self) -> bool:
        return self.anchor_status in self.NEEDS_ATTENTION


class MentionStatus(models.TextChoices):
    SUGGESTED = "suggested", _("Suggested")
    CONFIRMED = "confirmed", _("Confirmed")
    REJECTED = "rejected", _("Rejected")


class MentionQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(status=MentionStatus.CONFIRMED)


class Mention(TextAnchor):
    """Where an article speaks of a concept or an event."""

    article = models.ForeignKey(
        Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="mentions"
    )
    concept = models.ForeignKey(
        Concept,
        verbose_name=_("concept"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="mentions",
    )
    event = models.ForeignKey(
        Event,
        verbose_name=_("event"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="mentions",
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=MentionStatus.choices,
        default=MentionStatus.SUGGESTED,
        db_index=True,
    )
    created_at = models.DateTimeField(_("found"), auto_now_add=True)

    objects = MentionQuerySet.as_manager()

    class Meta:
        ordering = ["article", "start"]
        verbose_name = _("mention")
        verbose_name_plural = _("mentions")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(concept__isnull=False, event__isnull=True)
                    | Q(concept__isnull=True, event__isnull=False)
                ),
                name="mention_of_concept_or_event",
            ),
            models.CheckConstraint(
                condition=Q(end__gt=models.F("start")), name="mention_not_empty"
            ),
        ]
        # No unique constraint on (article, start, end, target): re-anchoring shifts many
        # rows in one UPDATE, which PostgreSQL would check row by row. Services dedupe.
        indexes = [
            models.Index(fields=["article", "status"]),
            # The admin's list in its order, a page at a time (500,000 mentions were sorted
            # whole for each page on SQLite: 500 ms).
            models.Index(fields=["article", "start"], name="mention_in_order"),
        ]

    def __str__(self):
        return f"“{self.exact}” → {self.target}"

    @property
    def target(self):
        return self.concept or self.event


class DateStatus(models.TextChoices):
    SUGGESTED = "suggested", _("Suggested")
    LINKED = "linked", _("Linked to an event")
    REJECTED = "rejected", _("Rejected")


class DatedExpression(TextAnchor):
    """Words of an article that name a date ("February 1956", "that year"), found by detection.

    An editor links it to an event (which records a confirmed mention of the event at these
    words) or rejects it; a rejected one is not suggested again.
    """

    article = models.ForeignKey(
        Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="dates"
    )
    date_edtf = models.CharField(_("date"), max_length=100)
    date_start = models.IntegerField(_("earliest day"), db_index=True)
    date_end = models.IntegerField(_("latest day"), db_index=True)
    relative = models.BooleanField(
        _("relative"), default=False, help_text=_("“That year”: read from the year named before.")
    )
    reasoning = models.CharField(
        _("how it was read"),
        max_length=300,
        blank=True,
        help_text=_("Where the year came from when the words do not name one (“June 28”)."),
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=DateStatus.choices,
        default=DateStatus.SUGGESTED,
        db_index=True,
    )
    event = models.ForeignKey(
        Event,
        verbose_name=_("event"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="dated_expressions",
    )
    created_at = models.DateTimeField(_("found"), auto_now_add=True)

    class Meta:
        ordering = ["article", "start"]
        verbose_name = _("date in a text")
        verbose_name_plural = _("dates in texts")
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=models.F("start")), name="dated_expression_not_empty"
            ),
        ]
        indexes = [
            models.Index(fields=["article", "status"]),
            # The admin's list in its order, a page at a time (280,000 dates were sorted
            # whole for each page on SQLite).
            models.Index(fields=["article", "start"], name="date_in_order"),
        ]

    def __str__(self):
        return f"“{self.exact}” ({self.date_display})"

    @property
    def date_display(self) -> str:
        return dates.format_edtf(self.date_edtf)


class CandidateStatus(models.TextChoices):
    SUGGESTED = "suggested", _("Suggested")
    ACCEPTED = "accepted", _("Made a concept")
    DISMISSED = "dismissed", _("Dismissed")


class ConceptCandidate(models.Model):
    """A name or acronym that recurs in an article but is no concept yet ("USIA", "Poznan
    Fair"), proposed by detection for an editor to make a concept of or dismiss. A dismissed
    name is not proposed again, in any article."""

    article = models.ForeignKey(
        Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="candidates"
    )
    name = models.CharField(_("name"), max_length=200)
    key = models.CharField(max_length=200, editable=False, db_index=True)  # folded name
    acronym = models.BooleanField(_("acronym"), default=False)
    count = models.PositiveIntegerField(_("times in the text"), default=1)
    first_offset = models.PositiveIntegerField(_("first place"), default=0)
    context = models.CharField(_("first seen in"), max_length=300, blank=True)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=CandidateStatus.choices,
        default=CandidateStatus.SUGGESTED,
        db_index=True,
    )
    concept = models.ForeignKey(
        Concept, verbose_name=_("concept"), null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(_("found"), auto_now_add=True)

    class Meta:
        ordering = ["article", "-count", "name"]
        verbose_name = _("new concept candidate")
        verbose_name_plural = _("new concept candidates")
        constraints = [
            models.UniqueConstraint(fields=["article", "key"], name="candidate_once_per_article")
        ]

    def __str__(self):
        return f"{self.name} ({self.count}× in “{self.article}”)"


# --- live versions: what learners read (publishing/live.py builds them) -------------------


class LiveConcept(LiveVersion):
    concept = models.OneToOneField(
        Concept, verbose_name=_("concept"), on_delete=models.CASCADE, related_name="live"
    )
    term = models.CharField(_("term"), max_length=200)
    filed_as = models.CharField(_("filed as"), max_length=200, default="")
    language = models.CharField(_("language"), max_length=20, blank=True)
    definition = models.CharField(_("definition"), max_length=300)
    sort_key = models.CharField(max_length=400, db_index=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, db_index=True)
    # What its page and document show of other items (rebuilt when they change).
    related = models.ManyToManyField(Concept, related_name="+", blank=True)

    class Meta:
        verbose_name = _("live concept")
        ordering = ["sort_key", "id"]
        # The public ones among many keys (a search's), read from the index alone: the rows
        # are long (their stored documents), the index is not.
        indexes = [models.Index(fields=["concept", "publish_at"], name="liveconcept_public")]

    def __str__(self):
        return self.term


class LiveEvent(LiveVersion):
    event = models.OneToOneField(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="live"
    )
    title = models.CharField(_("title"), max_length=200)
    date_start = models.IntegerField(db_index=True)
    date_end = models.IntegerField(db_index=True)
    date_display = models.CharField(max_length=200)
    date_iso = models.CharField(max_length=40, blank=True)
    approximate = models.BooleanField(default=False)
    place = models.CharField(max_length=200, blank=True)
    concepts = models.ManyToManyField(Concept, related_name="+", blank=True)

    class Meta:
        verbose_name = _("live event")
        ordering = ["date_start", "date_end", "title"]
        indexes = [
            models.Index(fields=["date_start", "date_end"]),
            models.Index(fields=["event", "publish_at"], name="liveevent_public"),
            # The timeline's span and counts by period, read from the index alone (the rows
            # hold their stored documents: reading 18,000 of them took 80 ms on SQLite).
            models.Index(fields=["publish_at", "date_start", "date_end"], name="liveevent_span"),
        ]

    def __str__(self):
        return self.title


class LiveArticle(LiveVersion):
    article = models.OneToOneField(
        Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="live"
    )
    title = models.CharField(_("title"), max_length=300)
    sort_key = models.CharField(max_length=600, db_index=True)
    language = models.CharField(max_length=20, db_index=True)
    # What it mentions, confirmed (rebuilt when they change).
    concepts = models.ManyToManyField(Concept, related_name="+", blank=True)
    events = models.ManyToManyField(Event, related_name="+", blank=True)

    class Meta:
        verbose_name = _("live article")
        ordering = ["sort_key", "id"]
        indexes = [models.Index(fields=["article", "publish_at"], name="livearticle_public")]

    def __str__(self):
        return self.title


# Revisions (django-reversion): every save made through the services is kept.
reversion.register(Article)
reversion.register(Event)
reversion.register(Concept)
