"""Lessons as plain content, and content as what a reader sees (see ``history.content``).

A lesson's content holds every part (sections, questions, choices), the ids of what it refers
to (vocabulary, timeline, events to order) and, for each quoted excerpt, the words as they
stood when it was made live: a published lesson keeps its approved quote until a publisher
publishes another. Its view resolves those references as the reader may see them: a quote
whose article the reader cannot see is left out, as are vocabulary and timeline entries that
are not public yet, and a chronology question with fewer than two events the reader can see.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from django.db.models import Prefetch
from django.urls import reverse

from history import anchoring
from history.content import (
    article_ref,
    by_name,
    concept_ref,
    event_ref,
    page_path,
)
from history.markup import render_inline, render_markdown
from history.models import AnchorStatus, Article, Concept, Event
from history.names import direction_of_language
from lessons import readability
from lessons.models import (
    Choice,
    ExcerptDisplay,
    Lesson,
    Level,
    Question,
    QuestionKind,
    Section,
    SectionKind,
    Skill,
)
from publishing.live import Resolver

LESSON_FIELDS = (
    "slug", "title", "central_question", "summary", "level", "audience", "duration_minutes",
    "objectives", "image_alt", "teacher_notes", "language",
)  # fmt: skip


# --- working copies → content -------------------------------------------------------------


def quote_content(excerpt) -> dict | None:
    if excerpt is None:
        return None
    return {
        "id": excerpt.pk,
        "article": excerpt.article_id,
        "exact": excerpt.exact,
        "prefix": excerpt.prefix,
        "suffix": excerpt.suffix,
        "start": excerpt.start,
        "end": excerpt.end,
        "anchor_status": excerpt.anchor_status,
        "note": excerpt.note,
        "headnote": excerpt.headnote,
        "adapted_text": excerpt.adapted_text,
        "version": excerpt.version,
    }


def lessons_content(lessons: Iterable[Lesson]) -> dict[int, dict]:
    prefetches = [
        Prefetch(
            "sections",
            queryset=Section.objects.select_related("excerpt").order_by("position", "id"),
        ),
        Prefetch(
            "questions",
            queryset=Question.objects.select_related("excerpt")
            .prefetch_related(
                Prefetch("choices", queryset=Choice.objects.order_by("position", "id")),
                Prefetch("events", queryset=Event.objects.only("id")),
            )
            .order_by("position", "id"),
        ),
        Prefetch("vocabulary", queryset=Concept.objects.only("id")),
        Prefetch("timeline", queryset=Event.objects.only("id")),
    ]
    if hasattr(lessons, "prefetch_related"):
        lessons = list(lessons.prefetch_related(*prefetches))
    else:
        from django.db.models import prefetch_related_objects

        lessons = list(lessons)
        prefetch_related_objects(lessons, *prefetches)
    return {lesson.pk: lesson_content(lesson) for lesson in lessons}


def lesson_content(lesson: Lesson) -> dict:
    """One lesson (its parts prefetched as ``lessons_content`` does) as content."""
    return {
        "id": lesson.pk,
        **{name: getattr(lesson, name) for name in LESSON_FIELDS},
        "objectives": list(lesson.objectives),
        "image": lesson.image.name or "",
        "vocabulary": sorted(c.pk for c in lesson.vocabulary.all()),
        "timeline": sorted(e.pk for e in lesson.timeline.all()),
        "sections": [section_content(section) for section in lesson.sections.all()],
        "questions": [question_content(q) for q in lesson.questions.all()],
        "version": lesson.version,
    }


def section_content(section: Section) -> dict:
    return {
        "id": section.pk,
        "position": section.position,
        "kind": section.kind,
        "heading": section.heading,
        "body": section.body,
        "teacher_notes": section.teacher_notes,
        "guiding_questions": list(section.guiding_questions),
        "skill": section.skill,
        "minutes": section.minutes,
        "organiser": section.organiser,
        "excerpt": quote_content(section.excerpt),
        "excerpt_display": section.excerpt_display,
        "version": section.version,
    }


def question_content(question: Question) -> dict:
    choices = list(question.choices.all())
    return {
        "id": question.pk,
        "position": question.position,
        "kind": question.kind,
        "skill": question.skill,
        "prompt": question.prompt,
        "excerpt": quote_content(question.excerpt),
        "excerpt_display": question.excerpt_display,
        "events": sorted(e.pk for e in question.events.all()),
        "explanation": question.explanation,
        "tries": question.tries,
        "hint": question.hint,
        "answer_lines": question.answer_lines,
        "model_answer": question.model_answer,
        "marking_guidance": question.marking_guidance,
        "shuffle_choices": question.shuffle_choices,
        "version": question.version,
        # Checkboxes or radio buttons: how many answers are right is all a page says of the key.
        "multiple": sum(1 for c in choices if c.is_correct) > 1,
        "choices": [
            {
                "id": c.pk,
                "position": c.position,
                "text": c.text,
                "is_correct": c.is_correct,
                "feedback": c.feedback,
                "version": c.version,
            }
            for c in choices
        ],
    }


# --- content → views ----------------------------------------------------------------------


def display_order(question: dict) -> list[dict]:
    """The choices in the order learners see them.

    Mixed unless the editor asked to keep their order: sorted by a hash of the question's and
    each choice's id, so the order is the same for everyone and on every page and export
    (pages can be built once), does not follow the order the editor typed them in (where the
    right answer tends to come first), and does not change when another choice is added.
    """
    choices = sorted(question["choices"], key=lambda c: (c["position"], c["id"]))
    if not question.get("shuffle_choices", True):
        return choices
    return sorted(
        choices,
        key=lambda c: hashlib.sha256(f"{question['id']}:{c['id']}".encode()).hexdigest(),
    )


def _label(choices, value: str) -> str:
    return str(dict(choices.choices).get(value, value))


def excerpt_view(
    quote: dict | None, resolver: Resolver, *, display: str = "original", language: str = "en"
) -> dict | None:
    """A quote as the reader may see it: with its source's attribution, and anchored in the
    source's text as the reader sees it (None when the reader cannot see the source).

    As used in a section or question: ``display`` is that use's choice of original, adapted
    or both (the original when the excerpt has no adapted version); ``language`` the lesson's,
    in which the adapted version's readability is measured (the original's in its source's).
    """
    if quote is None:
        return None
    article = resolver.one(Article, quote["article"])
    if article is None:
        return None
    selector = anchoring.Selector(
        quote["exact"], quote["prefix"], quote["suffix"], quote["start"], quote["end"]
    )
    resolution = anchoring.resolve(article["body"], selector)
    found = resolution.selector
    in_context = found is not None and resolution.state != anchoring.AnchorState.LOST
    ref = article_ref(article)
    adapted = quote.get("adapted_text") or ""
    if not adapted:
        display = ExcerptDisplay.ORIGINAL
    original_figures = readability.figures(quote["exact"], article["language"] or language)
    adapted_figures = readability.figures(adapted, language)
    return {
        "id": quote["id"],
        # The words as approved (the lesson's own); their place in the source as it now reads.
        "exact": quote["exact"],
        "prefix": found.prefix if found else quote["prefix"],
        "suffix": found.suffix if found else quote["suffix"],
        "start": found.start if found else quote["start"],
        "end": found.end if found else quote["end"],
        "anchor_status": resolution.state.value if found else AnchorStatus.LOST.value,
        "article": ref,
        "note": quote.get("note"),
        "headnote": quote.get("headnote") or "",
        "headnote_html": render_markdown(quote.get("headnote") or ""),
        "adapted_text": adapted,
        "display": display,
        "source_line": source_line(ref),
        "readability": {
            "original": original_figures,
            "adapted": adapted_figures,
            "summary": readability.compare(original_figures, adapted_figures),
        },
        "word_bank": word_bank(article, resolver, found or selector),
        "version": quote.get("version", 1),
        "in_context": in_context,
        "path": f"{ref['path']}?excerpt={quote['id']}#excerpt-{quote['id']}",
        "api_path": reverse("api-v1:excerpt-detail", args=[quote["id"]]),
    }


def source_line(ref: dict) -> str:
    """The citation under a quote: author, title, publication, date, address."""
    parts = [ref["author"], f"“{ref['title']}”", ref["publication"]]
    parts.append(ref["publication_date_display"] if ref["publication_date"] else "")
    parts.append(ref["source_url"])
    return ", ".join(p for p in parts if p) + "."


def word_bank(article: dict, resolver: Resolver, selector) -> list[dict]:
    """The concepts the passage speaks of (confirmed mentions inside it), by name."""
    if selector is None:
        return []
    inside = {
        m["concept"]
        for m in article.get("mentions", [])
        if m["concept"] and m["start"] >= selector.start and m["end"] <= selector.end
    }
    concepts = resolver.get(Concept, sorted(inside)) if inside else {}
    return by_name(concept_ref(c) for c in concepts.values())


def lesson_ref(lesson: dict) -> dict:
    return {
        "id": lesson["id"],
        "slug": lesson["slug"],
        "title": lesson["title"],
        "central_question": lesson["central_question"],
        "summary": lesson["summary"],
        "level": lesson["level"],
        "level_display": _label(Level, lesson["level"]),
        "audience": lesson["audience"],
        "duration_minutes": lesson["duration_minutes"],
        "language": lesson.get("language") or "en",
        "direction": direction_of_language(lesson.get("language") or "en"),
        "image": lesson["image"],
        "image_alt": lesson["image_alt"],
        "path": page_path("lesson_detail", lesson["slug"]),
        "api_path": reverse("api-v1:lesson-detail", kwargs={"slug": lesson["slug"]}),
    }


def lesson_view(lesson: dict, resolver: Resolver, meta: dict) -> dict:
    """Everything a page, the API or an export shows of a lesson, for one reader.

    Give it content redacted for the reader and redact what it returns too
    (``publishing.viewer.redact``): what it derives from keys (the right order) is hidden then.
    """
    slug = lesson["slug"]
    vocabulary = resolver.get(Concept, lesson["vocabulary"])
    parts = [*lesson["sections"], *lesson["questions"]]
    # What the parts refer to, fetched at once (the resolver keeps it for each part).
    resolver.get(Article, [p["excerpt"]["article"] for p in parts if p["excerpt"]])
    events = lesson["timeline"] + [e for q in lesson["questions"] for e in q["events"]]
    timeline = {pk: e for pk, e in resolver.get(Event, events).items() if pk in lesson["timeline"]}
    language = lesson.get("language") or "en"
    sections = [section_view(s, slug, resolver, language) for s in lesson["sections"]]
    questions = [question_view(q, slug, resolver, language) for q in lesson["questions"]]
    return {
        **lesson_ref(lesson),
        "objectives": lesson["objectives"],
        "teacher_notes": lesson["teacher_notes"],
        "teacher_notes_html": _html(lesson["teacher_notes"]),
        "sections": sorted(sections, key=lambda s: (s["position"], s["id"])),
        "vocabulary": by_name(concept_ref(c) for c in vocabulary.values()),
        "timeline": sorted(
            (event_ref(e) for e in timeline.values()),
            key=lambda e: (e["date_start"], e["date_end"], e["title"]),
        ),
        "questions": sorted(
            (q for q in questions if q["available"]), key=lambda q: (q["position"], q["id"])
        ),
        "print_path": reverse("learner:lesson_print", kwargs={"slug": slug}),
        "handout_path": reverse("learner:lesson_handout", kwargs={"slug": slug}),
        "handout_pdf_path": reverse("learner:lesson_handout_pdf", kwargs={"slug": slug}),
        "guide_path": reverse("learner:lesson_guide", kwargs={"slug": slug}),
        "guide_pdf_path": reverse("learner:lesson_guide_pdf", kwargs={"slug": slug}),
        "export_api_paths": {
            "timeline": reverse("api-v1:lesson-timeline", args=[slug]),
            "cartridge": reverse("api-v1:lesson-cartridge", args=[slug]),
            "learning_resource": reverse("api-v1:lesson-learning-resource", args=[slug]),
        },
        **meta,
    }


def _html(markdown: str | None) -> str | None:
    return None if markdown is None else render_markdown(markdown)


def section_view(section: dict, lesson_slug: str, resolver: Resolver, language="en") -> dict:
    skill = section.get("skill") or ""
    return {
        "id": section["id"],
        "lesson": lesson_slug,
        "position": section["position"],
        "kind": section["kind"],
        "kind_display": _label(SectionKind, section["kind"]),
        "heading": section["heading"],
        "body": section["body"],
        "body_html": render_markdown(section["body"]),
        "teacher_notes": section["teacher_notes"],
        "teacher_notes_html": _html(section["teacher_notes"]),
        "guiding_questions": section["guiding_questions"],
        "skill": skill,
        "skill_display": _label(Skill, skill) if skill else "",
        "minutes": section.get("minutes"),
        "organiser": section.get("organiser") or "",
        "version": section.get("version", 1),
        "excerpt": excerpt_view(
            section["excerpt"],
            resolver,
            display=section.get("excerpt_display") or ExcerptDisplay.ORIGINAL,
            language=language,
        ),
        "api_path": reverse("api-v1:section-detail", args=[section["id"]]),
    }


def question_view(question: dict, lesson_slug: str, resolver: Resolver, language="en") -> dict:
    events = resolver.get(Event, question["events"])
    refs = sorted((event_ref(e) for e in events.values()), key=lambda e: e["title"].casefold())
    chronology = question["kind"] == QuestionKind.CHRONOLOGY
    choices = [
        {
            **c,
            "question": question["id"],
            "api_path": reverse("api-v1:choice-detail", args=[c["id"]]),
        }
        for c in display_order(question)
    ]
    return {
        "id": question["id"],
        "lesson": lesson_slug,
        "position": question["position"],
        "kind": question["kind"],
        "kind_display": _label(QuestionKind, question["kind"]),
        "skill": question["skill"],
        "skill_display": _label(Skill, question["skill"]),
        "prompt": question["prompt"],
        "prompt_html": render_markdown(question["prompt"]),
        "prompt_inline_html": render_inline(question["prompt"]),
        "excerpt": excerpt_view(
            question["excerpt"],
            resolver,
            display=question.get("excerpt_display") or ExcerptDisplay.ORIGINAL,
            language=language,
        ),
        "choices": choices if question["kind"] == QuestionKind.MULTIPLE_CHOICE else [],
        "events": refs if chronology else [],
        "multiple": question["multiple"],
        "version": question.get("version", 1),
        "is_checked": question["kind"] in (QuestionKind.MULTIPLE_CHOICE, QuestionKind.CHRONOLOGY),
        # A chronology question is only asked when the reader can see at least two events.
        "available": not chronology or len(refs) >= 2,
        "explanation": question["explanation"],
        "explanation_html": _html(question["explanation"]),
        "tries": question.get("tries", 1),
        "hint": question.get("hint", ""),
        "hint_html": _html(question.get("hint", "")),
        "answer_lines": question.get("answer_lines", 6),
        "model_answer": question["model_answer"],
        "model_answer_html": _html(question["model_answer"]),
        "marking_guidance": question.get("marking_guidance", ""),
        "marking_guidance_html": _html(question.get("marking_guidance", "")),
        # The key of a chronology question (``redact`` hides it from those who may not see it).
        "correct_order": (
            [
                e["id"]
                for e in sorted(refs, key=lambda e: (e["date_start"], e["date_end"], e["title"]))
            ]
            if chronology and refs
            else None
        ),
        "answer_api_path": reverse("api-v1:question-answer", args=[question["id"]]),
        "answer_path": reverse(
            "learner:answer", kwargs={"slug": lesson_slug, "question_id": question["id"]}
        ),
        "api_path": reverse("api-v1:question-detail", args=[question["id"]]),
    }
