"""All published content as one JSON document, and reading it back into a database.

``export_content()`` writes everything learners may see (published concepts, events, articles
with their confirmed public mentions and their excerpts, lessons with their sections, questions
and choices), keyed by slugs rather than database ids so that it means the same in any
database. ``import_content(data)`` builds it again through the services, in one transaction,
and refuses to overwrite anything that exists. Export → import into an empty database → export
gives the same document. Who made and last changed things, and editors' versions, are not kept.
"""

from __future__ import annotations

import reversion
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.utils.dateparse import parse_datetime

from history import services as history
from history.models import Article, Concept, Event, Mention, MentionStatus
from lessons import services
from lessons.models import Choice, Excerpt, Lesson, Question, Section
from publishing import services as publishing
from publishing.models import Status

FORMAT = "history-lessons-content"
VERSION = 1


def _publishing(obj) -> dict:
    return {"publish_at": obj.publish_at.isoformat() if obj.publish_at else None}


def _anchor(anchor) -> dict:
    return {
        "exact": anchor.exact,
        "prefix": anchor.prefix,
        "suffix": anchor.suffix,
        "start": anchor.start,
        "end": anchor.end,
        "anchor_status": anchor.anchor_status,
    }


def export_content() -> dict:
    """Everything published, as a JSON-ready dict (a fixed number of queries)."""
    concepts = Concept.objects.published().prefetch_related(
        Prefetch("related", queryset=Concept.objects.published().order_by("slug"))
    )
    events = Event.objects.published().prefetch_related(
        Prefetch("concepts", queryset=Concept.objects.published().order_by("slug"))
    )
    mentions = (
        Mention.objects.public().select_related("concept", "event").order_by("start", "end", "pk")
    )
    articles = Article.objects.published().prefetch_related(
        Prefetch("mentions", queryset=mentions, to_attr="public_mentions"),
        Prefetch("excerpts", queryset=Excerpt.objects.order_by("start", "end", "pk")),
    )
    lessons = Lesson.objects.published().prefetch_related(
        Prefetch("sections", queryset=Section.objects.select_related("excerpt__article")),
        Prefetch(
            "questions",
            queryset=Question.objects.select_related("excerpt__article").prefetch_related(
                Prefetch("choices", queryset=Choice.objects.order_by("position", "id")),
                Prefetch("events", queryset=Event.objects.published().order_by("slug")),
            ),
        ),
        Prefetch("vocabulary", queryset=Concept.objects.published().order_by("slug")),
        Prefetch("timeline", queryset=Event.objects.published().order_by("slug")),
    )

    excerpt_keys: dict[int, str] = {}
    article_data = []
    for article in articles.order_by("slug"):
        excerpts = []
        for number, excerpt in enumerate(article.excerpts.all(), 1):
            key = f"{article.slug}#{number}"
            excerpt_keys[excerpt.pk] = key
            excerpts.append({"key": key, **_anchor(excerpt), "note": excerpt.note})
        article_data.append(
            {
                "slug": article.slug,
                "title": article.title,
                "kicker": article.kicker,
                "author": article.author,
                "publication": article.publication,
                "publication_date": article.publication_date,
                "source_url": article.source_url,
                "rights": article.rights,
                "language": article.language,
                "body": article.body,
                "blocks": article.structure,
                "lead_image": article.lead_image.name,
                "lead_image_alt": article.lead_image_alt,
                "editor_note": article.editor_note,
                **_publishing(article),
                "mentions": [
                    {
                        **_anchor(m),
                        "concept": m.concept.slug if m.concept else None,
                        "event": m.event.slug if m.event else None,
                    }
                    for m in article.public_mentions
                ],
                "excerpts": excerpts,
            }
        )

    def excerpt_key(excerpt_id):
        return excerpt_keys.get(excerpt_id) if excerpt_id else None

    return {
        "format": FORMAT,
        "version": VERSION,
        "concepts": [
            {
                "slug": c.slug,
                "term": c.term,
                "kind": c.kind,
                "aliases": c.aliases,
                "sort_name": c.sort_name,
                "language": c.language,
                "definition": c.definition,
                "explanation": c.explanation,
                "related": [r.slug for r in c.related.all()],
                **_publishing(c),
            }
            for c in concepts.order_by("slug")
        ],
        "events": [
            {
                "slug": e.slug,
                "title": e.title,
                "date_edtf": e.date_edtf,
                "place": e.place,
                "summary": e.summary,
                "description": e.description,
                "image": e.image.name,
                "image_alt": e.image_alt,
                "concepts": [c.slug for c in e.concepts.all()],
                **_publishing(e),
            }
            for e in events.order_by("slug")
        ],
        "articles": article_data,
        "lessons": [
            {
                "slug": lesson.slug,
                "title": lesson.title,
                "central_question": lesson.central_question,
                "summary": lesson.summary,
                "level": lesson.level,
                "audience": lesson.audience,
                "duration_minutes": lesson.duration_minutes,
                "objectives": lesson.objectives,
                "image": lesson.image.name,
                "image_alt": lesson.image_alt,
                "teacher_notes": lesson.teacher_notes,
                "vocabulary": [c.slug for c in lesson.vocabulary.all()],
                "timeline": [e.slug for e in lesson.timeline.all()],
                **_publishing(lesson),
                "sections": [
                    {
                        "position": s.position,
                        "kind": s.kind,
                        "heading": s.heading,
                        "body": s.body,
                        "excerpt": excerpt_key(s.excerpt_id),
                        "guiding_questions": s.guiding_questions,
                    }
                    for s in sorted(lesson.sections.all(), key=lambda s: (s.position, s.pk))
                ],
                "questions": [
                    {
                        "position": q.position,
                        "kind": q.kind,
                        "skill": q.skill,
                        "prompt": q.prompt,
                        "excerpt": excerpt_key(q.excerpt_id),
                        "events": [e.slug for e in q.events.all()],
                        "explanation": q.explanation,
                        "model_answer": q.model_answer,
                        "choices": [
                            {
                                "position": c.position,
                                "text": c.text,
                                "is_correct": c.is_correct,
                                "feedback": c.feedback,
                            }
                            for c in q.choices.all()
                        ],
                    }
                    for q in sorted(lesson.questions.all(), key=lambda q: (q.position, q.pk))
                ],
            }
            for lesson in lessons.order_by("slug")
        ],
    }


def _publish(obj, data: dict) -> None:
    at = parse_datetime(data["publish_at"]) if data.get("publish_at") else None
    publishing.publish(obj=obj, user=None, at=at)


def _require(data: dict) -> None:
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ValidationError(f"This is not a {FORMAT} document.")
    if data.get("version") != VERSION:
        raise ValidationError(
            f"This document is version {data.get('version')}; this site reads version {VERSION}."
        )
    taken = []
    for model, key in ((Concept, "concepts"), (Event, "events"), (Article, "articles")):
        slugs = [item["slug"] for item in data.get(key, [])]
        taken += [
            f"{key[:-1]} “{s}”"
            for s in model.objects.filter(slug__in=slugs).values_list("slug", flat=True)
        ]
    slugs = [item["slug"] for item in data.get("lessons", [])]
    taken += [
        f"lesson “{s}”"
        for s in Lesson.objects.filter(slug__in=slugs).values_list("slug", flat=True)
    ]
    if taken:
        raise ValidationError(
            f"Nothing was imported: {len(taken)} things already exist here "
            f"(e.g. {', '.join(taken[:3])}). Import into an empty database."
        )


def import_content(data: dict, *, user=None) -> dict[str, int]:
    """Build the exported content again (all or nothing); return counts by kind."""
    try:
        return _import(data, user=user)
    except (KeyError, TypeError, AttributeError) as exc:
        raise ValidationError(
            f"The document is not a complete {FORMAT} export (at {exc!r}). Nothing was imported."
        ) from exc


@transaction.atomic
def _import(data: dict, *, user) -> dict[str, int]:
    _require(data)
    counts: dict[str, int] = {}

    def count(kind):
        counts[kind] = counts.get(kind, 0) + 1

    concepts = {}
    for item in data.get("concepts", []):
        concept = Concept(
            slug=item["slug"],
            term=item["term"],
            kind=item["kind"],
            aliases=list(item["aliases"]),
            sort_name=item.get("sort_name", ""),
            language=item.get("language", ""),
            definition=item["definition"],
            explanation=item["explanation"],
        )
        concepts[item["slug"]] = history.concept_save(concept=concept, user=user)
        count("concepts")
    for item in data.get("concepts", []):
        concepts[item["slug"]].related.add(*[concepts[s] for s in item["related"]])

    events = {}
    for item in data.get("events", []):
        event = Event(
            slug=item["slug"],
            title=item["title"],
            date_edtf=item["date_edtf"],
            place=item["place"],
            summary=item["summary"],
            description=item["description"],
            image=item["image"],
            image_alt=item["image_alt"],
        )
        events[item["slug"]] = history.event_save(event=event, user=user)
        events[item["slug"]].concepts.set([concepts[s] for s in item["concepts"]])
        count("events")

    excerpts = {}
    for item in data.get("articles", []):
        article = Article(
            slug=item["slug"],
            **{
                name: item[name]
                for name in (
                    "title",
                    "kicker",
                    "author",
                    "publication",
                    "publication_date",
                    "source_url",
                    "rights",
                    "language",
                    "body",
                    "lead_image",
                    "lead_image_alt",
                    "editor_note",
                )
            },
            blocks=item.get("blocks") or [],
        )
        article = history.article_save(article=article, user=user)
        # The exported mentions are the editors' confirmed ones; detection's suggestions on
        # save would only duplicate them.
        Mention.objects.filter(article=article).delete()
        Mention.objects.bulk_create(
            [
                Mention(
                    article=article,
                    concept=concepts[m["concept"]] if m["concept"] else None,
                    event=events[m["event"]] if m["event"] else None,
                    status=MentionStatus.CONFIRMED,
                    **{
                        k: m[k]
                        for k in ("exact", "prefix", "suffix", "start", "end", "anchor_status")
                    },
                )
                for m in item["mentions"]
            ]
        )
        counts["mentions"] = counts.get("mentions", 0) + len(item["mentions"])
        for e in item["excerpts"]:
            excerpt = services.excerpt_create(
                article=article, start=e["start"], end=e["end"], note=e["note"], user=user
            )
            if (excerpt.exact, excerpt.prefix, excerpt.suffix, excerpt.anchor_status) != (
                e["exact"],
                e["prefix"],
                e["suffix"],
                e["anchor_status"],
            ):
                # Keep the excerpt exactly as it was (e.g. one marked for attention).
                for name in ("exact", "prefix", "suffix", "anchor_status"):
                    setattr(excerpt, name, e[name])
                excerpt.save()
            excerpts[e["key"]] = excerpt
            count("excerpts")
        count("articles")

    for item in data.get("lessons", []):
        # One revision per lesson, not one per section, question and choice saved.
        with reversion.create_revision():
            lesson = Lesson(
                slug=item["slug"],
                **{
                    name: item[name]
                    for name in (
                        "title",
                        "central_question",
                        "summary",
                        "level",
                        "audience",
                        "duration_minutes",
                        "objectives",
                        "image",
                        "image_alt",
                        "teacher_notes",
                    )
                },
            )
            lesson = services.lesson_save(lesson=lesson, user=user)
            lesson.vocabulary.set([concepts[s] for s in item["vocabulary"]])
            lesson.timeline.set([events[s] for s in item["timeline"]])
            for s in item["sections"]:
                section = Section(
                    lesson=lesson,
                    position=s["position"],
                    kind=s["kind"],
                    heading=s["heading"],
                    body=s["body"],
                    excerpt=excerpts[s["excerpt"]] if s["excerpt"] else None,
                    guiding_questions=s["guiding_questions"],
                )
                services.section_save(section=section, user=user)
                count("sections")
            for q in item["questions"]:
                question = Question(
                    lesson=lesson,
                    position=q["position"],
                    kind=q["kind"],
                    skill=q["skill"],
                    prompt=q["prompt"],
                    excerpt=excerpts[q["excerpt"]] if q["excerpt"] else None,
                    explanation=q["explanation"],
                    model_answer=q["model_answer"],
                )
                services.question_save(
                    question=question, events=[events[s] for s in q["events"]], user=user
                )
                for c in q["choices"]:
                    services.choice_save(choice=Choice(question=question, **c), user=user)
                    count("choices")
                count("questions")
            reversion.set_comment("Imported from a content export.")
        count("lessons")

    # Publish last, at the original times, once everything the lessons point to exists.
    for model, key in (
        (Concept, "concepts"),
        (Event, "events"),
        (Article, "articles"),
        (Lesson, "lessons"),
    ):
        objects = {
            o.slug: o for o in model.objects.filter(slug__in=[i["slug"] for i in data.get(key, [])])
        }
        for item in data.get(key, []):
            obj = objects[item["slug"]]
            if obj.status != Status.PUBLISHED:
                _publish(obj, item)
    return counts
