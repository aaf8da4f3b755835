"""Exports of the content as JSON: open data for everyone, everything for those allowed.

``export_public()`` is the open-data export: every live lesson, article, event and concept as
the public API gives it (the documents stored when they were published), with no answer key,
teacher material or editor's note. ``export_full()`` is everything editors made, drafts
included, with keys, notes and teacher material, keyed by slugs rather than database ids so
that it means the same in any database; ``import_content(data)`` builds a full export again
through the services, in one transaction, refusing to overwrite anything that exists (items
that were live are published again from their imported content). Export → import into an empty
database → export gives the same document. Who made and last changed things, and editors'
versions, are not kept.
"""

from __future__ import annotations

import json

import reversion
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.dateparse import parse_datetime

from history import services as history
from history.models import (
    Article,
    Concept,
    Event,
    LiveArticle,
    LiveConcept,
    LiveEvent,
    Mention,
    MentionStatus,
)
from lessons import services
from lessons.models import Choice, Excerpt, Lesson, LiveLesson, Question, Section
from publishing import live
from publishing import services as publishing
from publishing.models import Status

FORMAT = "history-lessons-content"
VERSION = 2
OPEN_DATA_FORMAT = "history-lessons-open-data"
OPEN_DATA_VERSION = 1
LIVE_KINDS = (
    ("concepts", LiveConcept),
    ("events", LiveEvent),
    ("articles", LiveArticle),
    ("lessons", LiveLesson),
)


def public_stamp() -> str:
    """The ETag of the open-data export: it changes only when live content does."""
    parts = []
    for _key, live_model in LIVE_KINDS:
        parts += [
            f"{slug}:{etag}"
            for slug, etag in live_model.objects.public()
            .order_by("slug")
            .values_list("slug", "etag")
        ]
    return live.etag_of(*parts)


def export_public_text(origin: str):
    """The open-data export as JSON text, in pieces (so it can be streamed): every public live
    document as the API gives it, with ``origin`` (``https://host``) in its URLs."""
    yield (
        f'{{"format":"{OPEN_DATA_FORMAT}","version":{OPEN_DATA_VERSION},'
        '"licence_note":"Each article carries its own rights statement."'
    )
    for key, live_model in LIVE_KINDS:
        yield f',"{key}":['
        rows = live_model.objects.public().order_by("slug").values_list("data", flat=True)
        for number, data in enumerate(rows.iterator(chunk_size=200)):
            yield ("," if number else "") + live.with_origin(data, origin)
        yield "]"
    yield "}"


def export_public(origin: str = "http://testserver") -> dict:
    """The open-data export as a dict."""
    return json.loads("".join(export_public_text(origin)))


def _anchor(anchor) -> dict:
    return {
        "exact": anchor.exact,
        "prefix": anchor.prefix,
        "suffix": anchor.suffix,
        "start": anchor.start,
        "end": anchor.end,
        "anchor_status": anchor.anchor_status,
    }


ANCHOR_FIELDS = ("exact", "prefix", "suffix", "start", "end", "anchor_status")
# Items read and written at a time (articles: a quarter as many): memory holds one chunk,
# whatever the size of the content.
CHUNK = 200


def _chunks(queryset, size: int | None = None):
    """The queryset's rows in slug order, ``size`` (default ``CHUNK``) at a time: each chunk
    starts after the last slug of the one before, so no row is read twice and no OFFSET grows
    with the table."""
    size = size or CHUNK
    last = None
    while True:
        rows = queryset if last is None else queryset.filter(slug__gt=last)
        chunk = list(rows.order_by("slug")[:size])
        if chunk:
            yield chunk
        if len(chunk) < size:
            return
        last = chunk[-1].slug


def _links(through, owner: str, other: str, ids, slugs: dict[int, str]) -> dict[int, list[str]]:
    """{owner id: sorted slugs of what it links to} through a many-to-many table."""
    linked: dict[int, list[str]] = {}
    for owner_id, other_id in through.objects.filter(**{f"{owner}__in": ids}).values_list(
        owner, other
    ):
        linked.setdefault(owner_id, []).append(slugs[other_id])
    return {k: sorted(v) for k, v in linked.items()}


def _states(live_model, link: str, ids) -> dict[int, str]:
    """{working copy id: its live version's publish time}."""
    return {
        pk: at.isoformat()
        for pk, at in live_model.objects.filter(**{f"{link}__in": ids}).values_list(
            link, "publish_at"
        )
    }


def _publishing(obj, states: dict[int, str]) -> dict:
    return {"status": obj.status, "publish_at": states.get(obj.pk)}


def _concepts(slugs: dict[int, str]):
    for chunk in _chunks(Concept.objects.all()):
        ids = [c.pk for c in chunk]
        related = _links(Concept.related.through, "from_concept_id", "to_concept_id", ids, slugs)
        states = _states(LiveConcept, "concept_id", ids)
        for c in chunk:
            yield {
                "slug": c.slug,
                "term": c.term,
                "kind": c.kind,
                "aliases": c.aliases,
                "sort_name": c.sort_name,
                "language": c.language,
                "definition": c.definition,
                "explanation": c.explanation,
                "related": related.get(c.pk, []),
                **_publishing(c, states),
            }


def _events(concept_slugs: dict[int, str]):
    for chunk in _chunks(Event.objects.all()):
        ids = [e.pk for e in chunk]
        concepts = _links(Event.concepts.through, "event_id", "concept_id", ids, concept_slugs)
        states = _states(LiveEvent, "event_id", ids)
        for e in chunk:
            yield {
                "slug": e.slug,
                "title": e.title,
                "date_edtf": e.date_edtf,
                "place": e.place,
                "summary": e.summary,
                "description": e.description,
                "image": e.image.name,
                "image_alt": e.image_alt,
                "concepts": concepts.get(e.pk, []),
                **_publishing(e, states),
            }


def _articles(concept_slugs, event_slugs, excerpt_keys: dict[int, str]):
    """Articles with their confirmed mentions and excerpts; fills ``excerpt_keys`` (excerpt id:
    "article-slug#n") for the lessons that quote them."""
    for chunk in _chunks(Article.objects.all(), size=max(1, CHUNK // 4)):
        ids = [a.pk for a in chunk]
        states = _states(LiveArticle, "article_id", ids)
        mentions: dict[int, list[dict]] = {}
        for m in (
            Mention.objects.confirmed()
            .filter(article_id__in=ids)
            .order_by("start", "end", "pk")
            .values("article_id", "concept_id", "event_id", *ANCHOR_FIELDS)
        ):
            mentions.setdefault(m["article_id"], []).append(
                {
                    **{k: m[k] for k in ANCHOR_FIELDS},
                    "concept": concept_slugs.get(m["concept_id"]),
                    "event": event_slugs.get(m["event_id"]),
                }
            )
        excerpts: dict[int, list[dict]] = {}
        for e in (
            Excerpt.objects.filter(article_id__in=ids)
            .order_by("start", "end", "pk")
            .values("pk", "article_id", "note", *ANCHOR_FIELDS)
        ):
            excerpts.setdefault(e["article_id"], []).append(e)
        for article in chunk:
            listed = []
            for number, e in enumerate(excerpts.get(article.pk, []), 1):
                key = f"{article.slug}#{number}"
                excerpt_keys[e["pk"]] = key
                listed.append({"key": key, **{k: e[k] for k in ANCHOR_FIELDS}, "note": e["note"]})
            yield {
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
                **_publishing(article, states),
                "mentions": mentions.get(article.pk, []),
                "excerpts": listed,
            }


def _lessons(concept_slugs, event_slugs, excerpt_keys: dict[int, str]):
    def excerpt_key(excerpt_id):
        return excerpt_keys.get(excerpt_id) if excerpt_id else None

    # Sections and questions point at their excerpts by id: the articles' texts are not read
    # again for them (they were, once per section and question, through select_related).
    for chunk in _chunks(Lesson.objects.all()):
        ids = [lesson.pk for lesson in chunk]
        states = _states(LiveLesson, "lesson_id", ids)
        vocabulary = _links(Lesson.vocabulary.through, "lesson_id", "concept_id", ids,
                            concept_slugs)  # fmt: skip
        timeline = _links(Lesson.timeline.through, "lesson_id", "event_id", ids, event_slugs)
        sections: dict[int, list] = {}
        for s in Section.objects.filter(lesson_id__in=ids).order_by("position", "pk"):
            sections.setdefault(s.lesson_id, []).append(s)
        questions: dict[int, list] = {}
        for q in Question.objects.filter(lesson_id__in=ids).order_by("position", "pk"):
            questions.setdefault(q.lesson_id, []).append(q)
        question_ids = [q.pk for qs in questions.values() for q in qs]
        events = _links(Question.events.through, "question_id", "event_id", question_ids,
                        event_slugs)  # fmt: skip
        choices: dict[int, list] = {}
        for c in Choice.objects.filter(question_id__in=question_ids).order_by("position", "id"):
            choices.setdefault(c.question_id, []).append(c)
        for lesson in chunk:
            yield {
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
                "vocabulary": vocabulary.get(lesson.pk, []),
                "timeline": timeline.get(lesson.pk, []),
                **_publishing(lesson, states),
                "sections": [
                    {
                        "position": s.position,
                        "kind": s.kind,
                        "heading": s.heading,
                        "body": s.body,
                        "teacher_notes": s.teacher_notes,
                        "excerpt": excerpt_key(s.excerpt_id),
                        "guiding_questions": s.guiding_questions,
                    }
                    for s in sections.get(lesson.pk, [])
                ],
                "questions": [
                    {
                        "position": q.position,
                        "kind": q.kind,
                        "skill": q.skill,
                        "prompt": q.prompt,
                        "excerpt": excerpt_key(q.excerpt_id),
                        "events": events.get(q.pk, []),
                        "explanation": q.explanation,
                        "model_answer": q.model_answer,
                        "shuffle_choices": q.shuffle_choices,
                        "choices": [
                            {
                                "position": c.position,
                                "text": c.text,
                                "is_correct": c.is_correct,
                                "feedback": c.feedback,
                            }
                            for c in choices.get(q.pk, [])
                        ],
                    }
                    for q in questions.get(lesson.pk, [])
                ],
            }


def export_full_text(*, indent: int | None = None):
    """Everything editors made (drafts, keys, notes and all) as JSON text, in pieces, reading
    the database a chunk at a time, in slug order: memory holds one chunk whatever the size of
    the content, and the first piece is ready at once. Only for those allowed
    (``lessons.export_everything``)."""
    concept_slugs = dict(Concept.objects.values_list("pk", "slug"))
    event_slugs = dict(Event.objects.values_list("pk", "slug"))
    excerpt_keys: dict[int, str] = {}
    separator = ",\n" if indent is not None else ","

    def dump(item) -> str:
        return json.dumps(item, ensure_ascii=False, indent=indent)

    yield f'{{"format":"{FORMAT}","version":{VERSION}'
    for key, items in (
        ("concepts", _concepts(concept_slugs)),
        ("events", _events(concept_slugs)),
        ("articles", _articles(concept_slugs, event_slugs, excerpt_keys)),
        ("lessons", _lessons(concept_slugs, event_slugs, excerpt_keys)),
    ):
        yield f',"{key}":[\n'
        for number, item in enumerate(items):
            yield (separator if number else "") + dump(item)
        yield "\n]"
    yield "}\n"


def export_full() -> dict:
    """The full export as a dict (see ``export_full_text``)."""
    return json.loads("".join(export_full_text()))


def _restore_state(obj, data: dict) -> None:
    """Make an imported item live again (at its time) if it was, or put it back in its state."""
    if data.get("publish_at"):
        publishing.publish(obj=obj, user=None, at=parse_datetime(data["publish_at"]))
    elif data.get("status") == Status.IN_REVIEW:
        publishing.submit_for_review(obj=obj, user=None)
    elif data.get("status") == Status.ARCHIVED:
        publishing.archive(obj=obj, user=None)


def _require(data: dict) -> None:
    if isinstance(data, dict) and data.get("format") == OPEN_DATA_FORMAT:
        raise ValidationError(
            "This is an open-data export: it has no answer keys, teacher material or drafts, so "
            "lessons cannot be rebuilt from it. Import a full export (export_content --full)."
        )
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ValidationError(f"This is not a {FORMAT} document.")
    if data.get("version") not in (1, VERSION):
        raise ValidationError(
            f"This document is version {data.get('version')}; this site reads versions 1 to "
            f"{VERSION}."
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
        if item["related"]:
            history.concept_save(
                concept=concepts[item["slug"]],
                user=user,
                related=[concepts[s] for s in item["related"]],
                comment="Linked its related concepts.",
            )

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
        events[item["slug"]] = history.event_save(
            event=event, user=user, concepts=[concepts[s] for s in item["concepts"]]
        )
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
            lesson = services.lesson_save(
                lesson=lesson,
                user=user,
                vocabulary=[concepts[s] for s in item["vocabulary"]],
                timeline=[events[s] for s in item["timeline"]],
            )
            for s in item["sections"]:
                section = Section(
                    lesson=lesson,
                    position=s["position"],
                    kind=s["kind"],
                    heading=s["heading"],
                    body=s["body"],
                    teacher_notes=s.get("teacher_notes", ""),
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
                    shuffle_choices=q.get("shuffle_choices", True),
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
            _restore_state(objects[item["slug"]], item)
    return counts
