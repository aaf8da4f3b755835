"""The sample content: the bundled articles, their events and concepts, and a published lesson.

Everything is built through the same services editors use. Running it again creates only
what is missing and never overwrites what an editor has changed.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import reversion
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from history import services as history
from history.models import Article, Concept, Event
from lessons import services
from lessons.models import Choice, Lesson, Question, Section
from publishing import live
from publishing import services as publishing

SAMPLE_DIR = Path(settings.BASE_DIR) / "sample"
ARTICLE_FILE = SAMPLE_DIR / "khrushchev-the-stalinist-who-denounced-stalin.txt"
CONTENT_FILE = SAMPLE_DIR / "khrushchev-1956.toml"


@dataclass
class SampleReport:
    created: dict[str, int] = field(default_factory=dict)
    existing: dict[str, int] = field(default_factory=dict)

    def count(self, kind: str, created: bool) -> None:
        target = self.created if created else self.existing
        target[kind] = target.get(kind, 0) + 1

    def lines(self) -> list[str]:
        kinds = [
            "article",
            "event",
            "concept",
            "mention",
            "excerpt",
            "lesson",
            "section",
            "question",
        ]
        out = []
        for kind in kinds:
            made, had = self.created.get(kind, 0), self.existing.get(kind, 0)
            if made or had:
                out.append(f"{kind}s: {made} created, {had} already there")
        return out


def read_content(path: Path = CONTENT_FILE) -> dict:
    with path.open("rb") as handle:
        return tomllib.load(handle)


def load_sample(
    *, content_path: Path = CONTENT_FILE, article_path: Path = ARTICLE_FILE
) -> SampleReport:
    """Build the sample content; create only what is missing."""
    with transaction.atomic(), live.batch():
        return _load_sample(content_path=content_path, article_path=article_path)


def _load_sample(
    *, content_path: Path = CONTENT_FILE, article_path: Path = ARTICLE_FILE
) -> SampleReport:
    """Build the sample content; create only what is missing."""
    content = read_content(content_path)
    report = SampleReport()

    article, article_created = _article(content["article"], article_path)
    report.count("article", article_created)
    # Further sources the lesson quotes (their files beside the content file).
    articles = {article.slug: article}
    more = []
    for data in content.get("sources", []):
        other, created = _article(data, content_path.parent / data["file"])
        articles[other.slug] = other
        report.count("article", created)
        if created:
            more.append(other)

    concepts, new_concepts = {}, []
    for data in content["concepts"]:
        concept, created = _concept(data)
        concepts[data["slug"]] = concept
        report.count("concept", created)
        if created:
            new_concepts.append((concept, data))
    for concept, data in new_concepts:
        related = [concepts[slug] for slug in data.get("related", [])]
        if related:
            history.concept_save(concept=concept, related=related, comment="Related concepts.")

    events, new_events = {}, []
    for data in content["events"]:
        event, created = _event(data, concepts)
        events[data["slug"]] = event
        report.count("event", created)
        if created:
            new_events.append((event, data))

    # Mentions: detected for the concepts made now, given for the events made now.
    if new_concepts:
        matcher = history.concept_matcher([c for c, _ in new_concepts])
        found = history.mentions_detect(article=article, matcher=matcher, confirm=True)
        for _mention in found:
            report.count("mention", True)
    for event, data in new_events:
        for phrase in data.get("mentions", []):
            history.mention_event(article=article, event=event, exact=phrase)
            report.count("mention", True)

    if more:
        matcher = history.concept_matcher(list(concepts.values()))
        for other in more:
            for _mention in history.mentions_detect(article=other, matcher=matcher, confirm=True):
                report.count("mention", True)

    for obj in [*articles.values(), *concepts.values(), *events.values()]:
        if obj.status == "draft" and obj.publish_at is None:
            publishing.publish(obj=obj, user=None)

    _lesson(content["lesson"], articles, article, concepts, events, report)
    return report


def _article(data: dict, path: Path) -> tuple[Article, bool]:
    existing = Article.objects.filter(slug=data["slug"]).first()
    if existing is not None:
        return existing, False
    prepared = history.article_prepare_import(data=path.read_bytes(), name=path.name)
    result = history.article_import(prepared=prepared, detect=False)
    article = result.article
    for name in ("author", "publication", "publication_date", "source_url", "rights", "language"):
        setattr(article, name, data.get(name, ""))
    if data.get("title"):
        article.title = data["title"]
    article.editor_note = data.get("editor_note", "")
    article.slug = data["slug"]
    history.article_save(article=article)
    history.dates_detect(article=article)  # left as suggestions for an editor to review
    history.candidates_detect(article=article)
    return article, True


def _concept(data: dict) -> tuple[Concept, bool]:
    existing = Concept.objects.filter(slug=data["slug"]).first()
    if existing is not None:
        return existing, False
    concept = Concept(
        slug=data["slug"],
        term=data["term"],
        kind=data["kind"],
        aliases=list(data.get("aliases", [])),
        definition=data["definition"].strip(),
        explanation=data.get("explanation", "").strip(),
    )
    return history.concept_save(concept=concept), True


def _event(data: dict, concepts: dict) -> tuple[Event, bool]:
    existing = Event.objects.filter(slug=data["slug"]).first()
    if existing is not None:
        return existing, False
    event = Event(
        slug=data["slug"],
        title=data["title"],
        date_edtf=data["date"],
        place=data.get("place", ""),
        summary=data.get("summary", "").strip(),
        description=data.get("description", "").strip(),
    )
    linked = [concepts[slug] for slug in data.get("concepts", [])]
    return history.event_save(event=event, concepts=linked), True


def _lesson(data, articles, article, concepts, events, report) -> Lesson:
    existing = Lesson.objects.filter(slug=data["slug"]).first()
    if existing is not None:
        report.count("lesson", False)
        return existing
    # One first revision holding the lesson with every section and question.
    with reversion.create_revision():
        lesson = _build_lesson(data, articles, article, concepts, events, report)
        services.lesson_record_revision(lesson=lesson, comment="Sample lesson loaded.")
    problems = services.lesson_problems(lesson)
    if problems:
        raise ValidationError(problems)
    services.lesson_publish(lesson=lesson, user=None)
    return lesson


def _build_lesson(data, articles, article, concepts, events, report) -> Lesson:
    lesson = services.lesson_save(
        lesson=Lesson(
            slug=data["slug"],
            title=data["title"],
            central_question=data["central_question"],
            summary=data.get("summary", "").strip(),
            level=data["level"],
            audience=data.get("audience", ""),
            language=data.get("language", "en"),
            duration_minutes=data["duration_minutes"],
            objectives=list(data.get("objectives", [])),
            teacher_notes=data.get("teacher_notes", "").strip(),
        ),
    )
    report.count("lesson", True)
    lesson.vocabulary.add(*[concepts[slug] for slug in data.get("vocabulary", [])])
    lesson.timeline.add(*[events[slug] for slug in data.get("timeline", [])])

    excerpts = {}

    def excerpt_for(item: dict):
        """The excerpt a section or question quotes (one per passage, made once)."""
        if not item.get("excerpt"):
            return None
        words = item["excerpt"]
        if words not in excerpts:
            excerpts[words] = services.excerpt_create_from_words(
                article=articles[item.get("excerpt_article", article.slug)],
                exact=words,
                note=item.get("excerpt_note", ""),
                headnote=item.get("excerpt_headnote", "").strip(),
                adapted_text=item.get("excerpt_adapted", "").strip(),
            )
            report.count("excerpt", True)
        return excerpts[words]

    for position, section in enumerate(data.get("sections", []), 1):
        made = Section(
            lesson=lesson,
            position=position,
            kind=section["kind"],
            heading=section["heading"],
            body=section.get("body", "").strip(),
            teacher_notes=section.get("teacher_notes", "").strip(),
            excerpt=excerpt_for(section),
            excerpt_display=section.get("excerpt_display", "original"),
            skill=section.get("skill", ""),
            minutes=section.get("minutes"),
            organiser=section.get("organiser", ""),
            guiding_questions=list(section.get("guiding_questions", [])),
        )
        made.full_clean()
        made.save()
        report.count("section", True)

    for position, item in enumerate(data.get("questions", []), 1):
        question = Question(
            lesson=lesson,
            position=position,
            kind=item["kind"],
            skill=item["skill"],
            prompt=item["prompt"].strip(),
            excerpt=excerpt_for(item),
            excerpt_display=item.get("excerpt_display", "original"),
            explanation=item.get("explanation", "").strip(),
            tries=item.get("tries", 1),
            hint=item.get("hint", "").strip(),
            answer_lines=item.get("answer_lines", 6),
            model_answer=item.get("model_answer", "").strip(),
            marking_guidance=item.get("marking_guidance", "").strip(),
        )
        question.full_clean()
        question.save()
        question.events.add(*[events[slug] for slug in item.get("events", [])])
        Choice.objects.bulk_create(
            Choice(
                question=question,
                position=n,
                text=choice["text"],
                is_correct=choice.get("correct", False),
                feedback=choice.get("feedback", ""),
            )
            for n, choice in enumerate(item.get("choices", []), 1)
        )
        report.count("question", True)

    return lesson
