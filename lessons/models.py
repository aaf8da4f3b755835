"""What editors make of the sources: lesson plans with sections, excerpts and questions."""

import reversion
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from history.fields import CleanImageField
from history.models import Article, Concept, Event, TextAnchor
from history.storable import StorableText
from publishing.models import LiveVersion, Publishable, PublishableQuerySet


class Level(models.TextChoices):
    LOWER_SECONDARY = "lower_secondary", _("Lower secondary (ages 11–14)")
    UPPER_SECONDARY = "upper_secondary", _("Upper secondary (ages 14–16)")
    PRE_UNIVERSITY = "pre_university", _("Pre-university (ages 16–18)")
    HIGHER_EDUCATION = "higher_education", _("Higher education")
    ADULT = "adult", _("Adult learners")


# The ages a level names ("ages 14–16"): a lesson's audience must not claim others.
LEVEL_AGES = {
    "lower_secondary": (11, 14),
    "upper_secondary": (14, 16),
    "pre_university": (16, 18),
}


class LessonQuerySet(PublishableQuerySet):
    pass


class Lesson(StorableText, Publishable):
    """A lesson plan: a question, objectives, ordered sections, vocabulary, timeline, questions."""

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    central_question = models.CharField(
        _("central question"),
        max_length=300,
        help_text=_("The historical question the lesson answers."),
    )
    summary = models.TextField(_("summary"), max_length=1000, blank=True)
    level = models.CharField(
        _("level"), max_length=32, choices=Level.choices, default=Level.UPPER_SECONDARY
    )
    audience = models.CharField(
        _("audience"),
        max_length=200,
        blank=True,
        help_text=_("Who it is for, e.g. “Ages 15–18; modern world history”."),
    )
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"),
        default=60,
        validators=[MinValueValidator(5), MaxValueValidator(600)],
    )
    language = models.CharField(
        _("language"),
        max_length=35,
        default="en",
        help_text=_(
            "The language the lesson is written in (a tag such as en, hu, ar): its pages and "
            "handouts say so, and the readability of adapted sources is measured in it."
        ),
    )
    objectives = models.JSONField(
        _("learning objectives"),
        default=list,
        blank=True,
        help_text=_("One per line, each starting with a verb: “Explain why…”."),
    )
    image = CleanImageField(_("image"), upload_to="lessons/", blank=True, alt_field="image_alt")
    image_alt = models.CharField(
        _("image description"),
        max_length=300,
        blank=True,
        help_text=_("What the image shows, for learners who cannot see it."),
    )
    teacher_notes = models.TextField(
        _("notes for teachers"),
        blank=True,
        help_text=_("Markdown. Shown to staff only, in the teacher’s view."),
    )
    vocabulary = models.ManyToManyField(
        Concept, verbose_name=_("vocabulary"), blank=True, related_name="lessons"
    )
    timeline = models.ManyToManyField(
        Event, verbose_name=_("timeline"), blank=True, related_name="lessons"
    )

    objects = LessonQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")
        permissions = [
            ("publish_lesson", _("Can publish, unpublish and archive lessons")),
            ("view_answer_key", _("Can see answer keys")),
            ("view_teacher_material", _("Can see teacher material")),
            ("export_everything", _("Can export everything, drafts and answer keys included")),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("learner:lesson_detail", kwargs={"slug": self.slug})

    def clean(self):
        if not isinstance(self.objectives, list):
            raise ValidationError({"objectives": _("Objectives must be a list of lines.")})
        ages = audience_ages(self.audience)
        span = LEVEL_AGES.get(self.level)
        if ages and span and (ages[0] < span[0] or ages[1] > span[1]):
            raise ValidationError(
                {
                    "audience": _(
                        "The audience says ages %(low)d–%(high)d but the level is for ages "
                        "%(level_low)d–%(level_high)d: change one so that they agree (learners "
                        "see both)."
                    )
                    % {
                        "low": ages[0],
                        "high": ages[1],
                        "level_low": span[0],
                        "level_high": span[1],
                    }
                }
            )


def audience_ages(audience: str) -> tuple[int, int] | None:
    """The age range an audience names ("Ages 14–16; …"), if it names one."""
    import re

    found = re.search(r"\bages?\s+(\d{1,2})\s*[–—-]\s*(\d{1,2})\b", audience or "", re.I)
    return (int(found[1]), int(found[2])) if found else None


class Excerpt(TextAnchor):
    """A passage of an article, anchored so that it is found again after the text changes."""

    article = models.ForeignKey(
        Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="excerpts"
    )
    note = models.TextField(_("editor’s note"), blank=True)
    headnote = models.TextField(
        _("headnote"),
        blank=True,
        help_text=_(
            "Markdown, for learners: who made this document, when, why and for whom, in two or "
            "three sentences. Shown above the passage in every lesson that quotes it."
        ),
    )
    adapted_text = models.TextField(
        _("adapted version"),
        blank=True,
        help_text=_(
            "The passage in simpler words and shorter sentences, for weaker readers; learners "
            "see it marked “Adapted”. Each section quoting the excerpt chooses whether to show "
            "it beside the original or instead of it."
        ),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("made by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("made"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    # Optimistic locking: a save that started from an older version is refused.
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        ordering = ["article", "start"]
        verbose_name = _("excerpt")
        verbose_name_plural = _("excerpts")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")), name="excerpt_not_empty"
            ),
        ]

    def __str__(self):
        words = self.exact if len(self.exact) <= 80 else self.exact[:77].rstrip() + "…"
        return f"“{words}” ({self.article.title})"

    def get_absolute_url(self):
        return reverse("learner:article_detail", kwargs={"slug": self.article.slug}) + (
            f"#excerpt-{self.pk}"
        )


class ExcerptDisplay(models.TextChoices):
    ORIGINAL = "original", _("The original only")
    BOTH = "both", _("The original and the adapted version, side by side")
    ADAPTED = "adapted", _("The adapted version instead of the original")


class Skill(models.TextChoices):
    """Historical-thinking skills (after the Stanford History Education Group's and the
    "second-order concepts" of history curricula)."""

    SOURCING = "sourcing", _("Sourcing")
    CONTEXTUALISATION = "contextualisation", _("Contextualisation")
    CORROBORATION = "corroboration", _("Corroboration")
    CLOSE_READING = "close_reading", _("Close reading")
    CHRONOLOGICAL_REASONING = "chronological_reasoning", _("Chronological reasoning")
    CAUSATION = "causation", _("Causation")
    CHANGE_AND_CONTINUITY = "change_continuity", _("Change and continuity")
    SIGNIFICANCE = "significance", _("Significance")
    ARGUMENT = "argument", _("Argument: a claim from evidence")


class Organiser(models.TextChoices):
    NONE = "", _("None")
    CLAIM_EVIDENCE = "claim_evidence", _("Claim–evidence organiser")


class SectionKind(models.TextChoices):
    INTRODUCTION = "introduction", _("Introduction and background")
    SOURCE_READING = "source_reading", _("Source reading")
    DISCUSSION = "discussion", _("Discussion")
    ACTIVITY = "activity", _("Activity")
    ASSESSMENT = "assessment", _("Assessment")
    SUMMARY = "summary", _("Summary")


class Section(StorableText, models.Model):
    """One step of a lesson, in order, optionally quoting an excerpt."""

    lesson = models.ForeignKey(
        Lesson, verbose_name=_("lesson"), on_delete=models.CASCADE, related_name="sections"
    )
    position = models.PositiveIntegerField(_("order"), default=0)
    kind = models.CharField(
        _("kind"), max_length=20, choices=SectionKind.choices, default=SectionKind.SOURCE_READING
    )
    heading = models.CharField(_("heading"), max_length=200)
    body = models.TextField(
        _("text for learners"),
        blank=True,
        help_text=_("Markdown. Speak to learners: teacher instructions go in the notes below."),
    )
    teacher_notes = models.TextField(
        _("notes for teachers"),
        blank=True,
        help_text=_(
            "Markdown. Timing, instructions, the answer key of an activity: shown in the "
            "teacher’s view only, never to learners."
        ),
    )
    excerpt = models.ForeignKey(
        Excerpt,
        verbose_name=_("quoted excerpt"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sections",
    )
    excerpt_display = models.CharField(
        _("show the excerpt as"),
        max_length=10,
        choices=ExcerptDisplay.choices,
        default=ExcerptDisplay.ORIGINAL,
        help_text=_("The adapted version needs the excerpt to have one."),
    )
    skill = models.CharField(
        _("thinking skill"),
        max_length=32,
        choices=Skill.choices,
        blank=True,
        help_text=_("The historical-thinking skill its guiding questions practise."),
    )
    guiding_questions = models.JSONField(
        _("guiding questions"),
        default=list,
        blank=True,
        help_text=_("One per line; shown beside the source."),
    )
    minutes = models.PositiveSmallIntegerField(
        _("minutes"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(600)],
        help_text=_("How long it takes in class: the teacher’s guide adds them up."),
    )
    organiser = models.CharField(
        _("graphic organiser"),
        max_length=20,
        choices=Organiser.choices,
        blank=True,
        default=Organiser.NONE,
        help_text=_(
            "A claim–evidence organiser for a final judgement: learners fill it in on the "
            "page (kept in their browser) or on the handout."
        ),
    )
    # Optimistic locking: a save that started from an older version is refused.
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        ordering = ["lesson", "position", "id"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")

    def __str__(self):
        return self.heading

    def clean(self):
        check_display(self)


def check_display(use) -> None:
    """A section or question shows an adapted version only if its excerpt has one."""
    if use.excerpt_display == ExcerptDisplay.ORIGINAL:
        return
    if use.excerpt_id is None or not use.excerpt.adapted_text.strip():
        raise ValidationError(
            {
                "excerpt_display": _(
                    "This excerpt has no adapted version: write one on the excerpt’s page "
                    "first, or show the original."
                )
            }
        )


class QuestionKind(models.TextChoices):
    OPEN = "open", _("Open or discussion")
    MULTIPLE_CHOICE = "multiple_choice", _("Multiple choice")
    CHRONOLOGY = "chronology", _("Chronology: put events in order")
    SOURCE_ANALYSIS = "source_analysis", _("Source analysis")


class Question(StorableText, models.Model):
    """A question of a lesson; its answer key is for staff only."""

    lesson = models.ForeignKey(
        Lesson, verbose_name=_("lesson"), on_delete=models.CASCADE, related_name="questions"
    )
    position = models.PositiveIntegerField(_("order"), default=0)
    kind = models.CharField(
        _("kind"), max_length=20, choices=QuestionKind.choices, default=QuestionKind.OPEN
    )
    skill = models.CharField(
        _("thinking skill"), max_length=32, choices=Skill.choices, default=Skill.CLOSE_READING
    )
    prompt = models.TextField(_("question"))
    excerpt = models.ForeignKey(
        Excerpt,
        verbose_name=_("source excerpt"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="questions",
        help_text=_("The passage a source-analysis question is about."),
    )
    excerpt_display = models.CharField(
        _("show the excerpt as"),
        max_length=10,
        choices=ExcerptDisplay.choices,
        default=ExcerptDisplay.ORIGINAL,
        help_text=_("The adapted version needs the excerpt to have one."),
    )
    events = models.ManyToManyField(
        Event,
        verbose_name=_("events to order"),
        blank=True,
        related_name="chronology_questions",
        help_text=_("For chronology questions: the right order is the events’ date order."),
    )
    explanation = models.TextField(
        _("explanation"),
        blank=True,
        help_text=_(
            "Markdown. Shown to the learner once the answer is right or the tries are used "
            "(a chronology question’s right order is shown with it: do not list it here)."
        ),
    )
    tries = models.PositiveSmallIntegerField(
        _("tries"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text=_(
            "Multiple choice and chronology: how many tries a learner has before the answer "
            "and the explanation are shown (the hint comes after a wrong try)."
        ),
    )
    hint = models.TextField(
        _("hint"),
        blank=True,
        help_text=_(
            "Markdown. Shown after a wrong try while tries are left: a nudge, not the answer."
        ),
    )
    answer_lines = models.PositiveSmallIntegerField(
        _("answer lines"),
        default=6,
        validators=[MaxValueValidator(40)],
        help_text=_("Open and source-analysis questions: ruled lines to write on in the handout."),
    )
    shuffle_choices = models.BooleanField(
        _("mix the choices"),
        default=True,
        help_text=_(
            "Learners see the choices in a fixed mixed order, so the right one is not always "
            "in the same place. Untick to keep the order given (e.g. for “all of the above”)."
        ),
    )
    model_answer = models.TextField(
        _("model answer"),
        blank=True,
        help_text=_(
            "Markdown. Guidance for teachers marking open answers; never shown to learners."
        ),
    )
    marking_guidance = models.TextField(
        _("marking guidance"),
        blank=True,
        help_text=_(
            "Markdown, for teachers only: what to reward, levels or marks. In the teacher’s "
            "guide, never shown to learners."
        ),
    )
    # Optimistic locking: a save that started from an older version is refused.
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        ordering = ["lesson", "position", "id"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self):
        prompt = self.prompt if len(self.prompt) <= 80 else self.prompt[:77].rstrip() + "…"
        return prompt

    def clean(self):
        check_display(self)

    @property
    def is_checked(self) -> bool:
        """Answered on the page and checked by the server."""
        return self.kind in (QuestionKind.MULTIPLE_CHOICE, QuestionKind.CHRONOLOGY)


class Choice(StorableText, models.Model):
    """One answer of a multiple-choice question."""

    question = models.ForeignKey(
        Question, verbose_name=_("question"), on_delete=models.CASCADE, related_name="choices"
    )
    position = models.PositiveIntegerField(_("order"), default=0)
    text = models.CharField(_("answer"), max_length=500)
    is_correct = models.BooleanField(_("correct"), default=False)
    feedback = models.TextField(
        _("feedback"), blank=True, help_text=_("Shown after a learner picks this answer.")
    )
    # Optimistic locking: a save that started from an older version is refused.
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        ordering = ["question", "position", "id"]
        verbose_name = _("choice")
        verbose_name_plural = _("choices")

    def __str__(self):
        return self.text


# --- live versions: what learners read (publishing/live.py builds them) -------------------


class LiveLesson(LiveVersion):
    lesson = models.OneToOneField(
        Lesson, verbose_name=_("lesson"), on_delete=models.CASCADE, related_name="live"
    )
    title = models.CharField(_("title"), max_length=200)
    sort_key = models.CharField(max_length=400, db_index=True)
    level = models.CharField(_("level"), max_length=32, choices=Level.choices, db_index=True)
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"))
    # What it shows of other items (filters use the first two; all are rebuilt on change).
    vocabulary = models.ManyToManyField(Concept, related_name="+", blank=True)
    timeline = models.ManyToManyField(Event, related_name="+", blank=True)
    events = models.ManyToManyField(Event, related_name="+", blank=True)  # chronology
    articles = models.ManyToManyField(Article, related_name="+", blank=True)  # quoted

    class Meta:
        verbose_name = _("live lesson")
        ordering = ["sort_key", "id"]
        # The public ones among many keys (a search's), read from the index alone.
        indexes = [models.Index(fields=["lesson", "publish_at"], name="livelesson_public")]

    def __str__(self):
        return self.title


class PartKind(models.TextChoices):
    SECTION = "section", _("Section")
    QUESTION = "question", _("Question")
    CHOICE = "choice", _("Choice")


class LivePart(models.Model):
    """A section, question or choice of a live lesson, as the public API gives it alone."""

    lesson = models.ForeignKey(LiveLesson, on_delete=models.CASCADE, related_name="parts")
    kind = models.CharField(max_length=10, choices=PartKind.choices)
    object_id = models.BigIntegerField()
    parent_id = models.BigIntegerField(null=True, blank=True)  # a choice's question
    position = models.PositiveIntegerField(default=0)
    question_kind = models.CharField(max_length=20, blank=True)
    data = models.TextField()

    is_live_version = True

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"], name="live_part_once")]
        indexes = [models.Index(fields=["kind", "parent_id"])]

    def __str__(self):
        return f"{self.kind} {self.object_id}"


class LiveQuote(TextAnchor):
    """A passage a live lesson quotes, anchored in its article's live text (for the article's
    page, the excerpts of the public API and its annotations)."""

    lesson = models.ForeignKey(LiveLesson, on_delete=models.CASCADE, related_name="quotes")
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    excerpt_id = models.BigIntegerField(db_index=True)
    section_id = models.BigIntegerField(null=True, blank=True)
    question_id = models.BigIntegerField(null=True, blank=True)
    data = models.TextField()

    is_live_version = True

    class Meta:
        indexes = [models.Index(fields=["article", "start"])]

    def __str__(self):
        return self.exact[:80]


# Revisions (django-reversion): a lesson's revision holds its sections, questions and choices,
# so that reverting restores them. Excerpts are not followed: their anchors follow the article.
reversion.register(Lesson, follow=["sections", "questions"])
reversion.register(Section)
reversion.register(Question, follow=["choices"])
reversion.register(Choice)
