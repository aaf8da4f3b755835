"""A large, realistic corpus, generated from a seed and loaded through the project's services.

    .venv/bin/python -m bench.corpus --scale 0.1 --seed 1956

At ``--scale 1`` (the default): 5,000 articles of 2–30 KB (imported as Markdown files through
the importer, with detection of mentions, dates and concept candidates), 20,000 events, 2,000
concepts and 1,000 lessons with sections, excerpts and questions; names in several scripts
(diacritics, Cyrillic, Greek, Hebrew, Arabic, Chinese, Korean). Most items are published
(each kind in one ``publishing.live.batch()``, so what shows them is rebuilt once), some are
scheduled for later, in review or drafts. ``--scale 0.01`` makes a hundredth of it.

It writes to the database the settings name (``DATABASE_URL``; SQLite under var/ when unset),
migrating it first, and refuses a database that already holds a corpus of the same seed. The
same seed gives the same content. Not part of ``make test``: see bench/README.md.
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import sys
import time
from dataclasses import dataclass, field
from datetime import timedelta

FULL = {"concepts": 2_000, "events": 20_000, "articles": 5_000, "lessons": 1_000}
# What becomes of the items of each kind: published now, scheduled, in review, left a draft.
FATES = (("published", 86), ("scheduled", 4), ("review", 4), ("draft", 6))
SCHEDULED_IN = timedelta(days=30)
CHUNK = 100  # items written per transaction while creating


@dataclass(frozen=True)
class Plan:
    concepts: int
    events: int
    articles: int
    lessons: int

    @classmethod
    def at(cls, scale: float) -> Plan:
        if scale <= 0:
            raise ValueError("The scale must be above 0.")
        return cls(**{kind: max(1, round(n * scale)) for kind, n in FULL.items()})


@dataclass
class Report:
    plan: Plan
    seed: int
    seconds: dict[str, float] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)

    def lines(self) -> list[str]:
        total = sum(self.seconds.values())
        out = [f"corpus of seed {self.seed}: {total:.0f} s"]
        out += [f"  {phase}: {seconds:.1f} s" for phase, seconds in self.seconds.items()]
        out += [f"  {kind}: {n:,}" for kind, n in self.counts.items()]
        return out


class Progress:
    """A progress bar on standard error: redrawn in place on a terminal, a line per tenth
    otherwise (a log stays short)."""

    def __init__(self, label: str, total: int, *, stream=None, quiet: bool = False):
        self.label, self.total, self.done = label, max(total, 1), 0
        self.stream = stream or sys.stderr
        self.quiet = quiet
        self.tty = self.stream.isatty()
        self.started = self.shown = time.perf_counter()
        self.tenth = 0

    def step(self, n: int = 1) -> None:
        self.done += n
        if self.quiet:
            return
        now = time.perf_counter()
        if self.tty and (now - self.shown > 0.2 or self.done >= self.total):
            self.shown = now
            self.stream.write("\r" + self._line(now))
            self.stream.flush()
        elif not self.tty and self.done * 10 // self.total > self.tenth:
            self.tenth = self.done * 10 // self.total
            self.stream.write(self._line(now) + "\n")

    def _line(self, now: float) -> str:
        width = 30
        filled = width * self.done // self.total
        return (
            f"{self.label:<18} [{'#' * filled}{'.' * (width - filled)}] "
            f"{self.done:>6,}/{self.total:,} {now - self.started:6.1f} s"
        )

    def close(self) -> float:
        elapsed = time.perf_counter() - self.started
        if not self.quiet and self.tty:
            self.stream.write("\n")
        return elapsed


def _fate(rng: random.Random) -> str:
    return rng.choices([f for f, _w in FATES], [w for _f, w in FATES])[0]


class Generator:
    """Makes the corpus of one seed, kind by kind, through the services."""

    def __init__(self, *, scale: float = 1.0, seed: int = 1956, quiet: bool = False):
        self.plan = Plan.at(scale)
        self.seed = seed
        self.quiet = quiet
        self.report = Report(self.plan, seed)
        self.fates: dict[tuple[str, int], str] = {}

    def rng(self, part: str) -> random.Random:
        """A random source of its own for each part, so that one part's size does not change
        what another makes."""
        return random.Random(f"{self.seed}:{part}")  # noqa: S311 (not for secrets)

    def progress(self, label: str, total: int) -> Progress:
        return Progress(label, total, quiet=self.quiet)

    def timed(self, phase: str, progress: Progress) -> None:
        self.report.seconds[phase] = progress.close()

    def run(self) -> Report:
        from history.models import Article

        if Article.objects.filter(source_file__startswith=f"corpus-{self.seed}-").exists():
            raise SystemExit(
                f"This database already holds the corpus of seed {self.seed}; use an empty "
                "database (or another seed)."
            )
        self.concepts = self.make_concepts()
        self.events = self.make_events()
        self.articles = self.make_articles()
        self.publish("concepts", self.concepts)
        self.publish("events", self.events)
        self.publish("articles", self.articles)
        self.lessons = self.make_lessons()
        self.publish("lessons", self.lessons)
        started = time.perf_counter()
        from operations.database import optimize

        optimize()
        self.report.seconds["analyze"] = time.perf_counter() - started
        return self.report

    # --- concepts -------------------------------------------------------------------------

    def make_concepts(self) -> list:
        from django.db import transaction

        from bench import corpus_text
        from history import services
        from history.models import Concept

        rng = self.rng("concepts")
        names = corpus_text.names(rng, self.plan.concepts)
        made = []
        progress = self.progress("concepts", len(names))
        for start in range(0, len(names), CHUNK):
            with transaction.atomic():
                for name in names[start : start + CHUNK]:
                    related = rng.sample(made, k=min(len(made), rng.choice([0, 0, 1, 2])))
                    concept = Concept(
                        term=name.term,
                        kind=name.kind,
                        aliases=name.aliases,
                        language=name.language,
                        definition=f"{name.term}: a {name.kind.replace('_', ' ')} that the "
                        "sources of this corpus speak of.",
                        explanation=f"**{name.term}** appears in many of the generated sources. "
                        + corpus_text.sentence(rng, corpus_text.ENGLISH)
                        + ".",
                    )
                    made.append(services.concept_save(concept=concept, related=related))
                    self.fates[("concepts", made[-1].pk)] = _fate(rng)
                    progress.step()
        self.timed("concepts", progress)
        self.report.counts["concepts"] = len(made)
        self.concept_names = names
        return made

    # --- events ---------------------------------------------------------------------------

    def make_events(self) -> list:
        from django.db import transaction

        from bench import corpus_text
        from history import services
        from history.models import Event

        rng = self.rng("events")
        people = [c for c in self.concepts if c.kind == "person"] or self.concepts
        places = [c for c in self.concepts if c.kind == "place"] or self.concepts
        bodies = [c for c in self.concepts if c.kind == "organisation"] or self.concepts
        titles: set[str] = set()
        made = []
        progress = self.progress("events", self.plan.events)
        for start in range(0, self.plan.events, CHUNK):
            with transaction.atomic():
                for _ in range(min(CHUNK, self.plan.events - start)):
                    date = corpus_text.edtf(rng)
                    where = rng.choice(places)
                    roll = rng.random()
                    if roll < 0.55:
                        title = f"{rng.choice(corpus_text.EVENT_NOUNS)} in {where.term}"
                    elif roll < 0.7:
                        title = f"Death of {rng.choice(people).term}"
                    elif roll < 0.85:
                        title = f"{rng.choice(people).term}’s visit to {where.term}"
                    else:
                        title = f"Founding of the {rng.choice(bodies).term}"
                    base, n = title, 1
                    while title.casefold() in titles:
                        n += 1
                        title = f"{base} ({n})"
                    titles.add(title.casefold())
                    linked = rng.sample(self.concepts, k=min(len(self.concepts), rng.randint(0, 3)))
                    event = Event(
                        title=title[:200],
                        date_edtf=date,
                        place=where.term,
                        summary=corpus_text.sentence(rng, corpus_text.ENGLISH) + ".",
                        description="\n\n".join(
                            corpus_text.sentence(rng, corpus_text.ENGLISH, low=20, high=60) + "."
                            for _ in range(rng.randint(1, 3))
                        ),
                    )
                    made.append(services.event_save(event=event, concepts=linked))
                    self.fates[("events", made[-1].pk)] = _fate(rng)
                    progress.step()
        self.timed("events", progress)
        self.report.counts["events"] = len(made)
        return made

    # --- articles -------------------------------------------------------------------------

    def article_texts(self, count: int | None = None, *, part: str = "articles"):
        """The source files of the articles, as the importer reads them (``ArticleText``)."""
        from bench import corpus_text

        rng = self.rng(part)
        names = getattr(self, "concept_names", None) or corpus_text.names(
            self.rng("concepts"), self.plan.concepts
        )
        events = [e.title for e in getattr(self, "events", [])[:2000]]
        for number in range(1, (count or self.plan.articles) + 1):
            yield corpus_text.article(
                rng,
                number,
                size=corpus_text.size(rng),
                concepts=names,
                events=events,
                seed=self.seed if part == "articles" else f"{self.seed}-{part}",
            )

    def make_articles(self) -> list:
        from django.db import transaction

        from history import services
        from history.models import Mention, MentionStatus

        rng = self.rng("article-review")
        events = {e.title: e for e in self.events}
        made = []
        progress = self.progress("articles (import)", self.plan.articles)
        texts = self.article_texts()
        for start in range(0, self.plan.articles, CHUNK):
            with transaction.atomic():
                for source in (next(texts) for _ in range(min(CHUNK, self.plan.articles - start))):
                    prepared = services.article_prepare_import(data=source.data, name=source.name)
                    article = services.article_import(prepared=prepared).article
                    fate = _fate(rng)
                    self.fates[("articles", article.pk)] = fate
                    if fate in ("published", "scheduled"):
                        # An editor's review: most suggested links accepted, a few rejected,
                        # some left to check; some named events linked.
                        suggested = list(
                            Mention.objects.filter(article=article).values_list("pk", flat=True)
                        )
                        rng.shuffle(suggested)
                        cut = int(len(suggested) * rng.uniform(0.5, 0.9))
                        services.mentions_set_status(
                            mentions=Mention.objects.filter(pk__in=suggested[:cut]),
                            status=MentionStatus.CONFIRMED,
                        )
                        services.mentions_set_status(
                            mentions=Mention.objects.filter(pk__in=suggested[cut : cut + 3]),
                            status=MentionStatus.REJECTED,
                        )
                        for title in {n for n in source.names if n in events}:
                            if rng.random() < 0.3 and title in article.body:
                                services.mention_event(
                                    article=article, event=events[title], exact=title
                                )
                    made.append(article)
                    progress.step()
        self.timed("articles (import)", progress)
        self.report.counts["articles"] = len(made)
        self.report.counts["mentions"] = Mention.objects.count()
        return made

    # --- lessons --------------------------------------------------------------------------

    def make_lessons(self) -> list:
        import reversion
        from django.db import transaction

        from bench import corpus_text
        from lessons import services
        from lessons.models import Lesson, Level

        rng = self.rng("lessons")
        words = corpus_text.ENGLISH
        live = {
            kind: [o for o in getattr(self, kind) if self.fates[(kind, o.pk)] == "published"]
            for kind in ("concepts", "events", "articles")
        }
        chronology_pool = sorted(live["events"], key=lambda e: (e.date_start, e.date_end))
        made = []
        progress = self.progress("lessons", self.plan.lessons)
        for start in range(0, self.plan.lessons, CHUNK):
            with transaction.atomic():
                for number in range(start, min(start + CHUNK, self.plan.lessons)):
                    subject = rng.choice(live["events"] or self.events)
                    with reversion.create_revision():
                        lesson = services.lesson_save(
                            lesson=Lesson(
                                title=f"Why did the {subject.title} matter? ({number + 1})"[:200],
                                central_question=f"What changed after the {subject.title}?"[:300],
                                summary=corpus_text.sentence(rng, corpus_text.ENGLISH) + ".",
                                level=rng.choice(Level.values),
                                audience="Generated for benchmarks",
                                duration_minutes=rng.choice([30, 45, 60, 90, 120]),
                                objectives=[
                                    f"{verb} {corpus_text.sentence(rng, words, low=4, high=9)}"
                                    for verb in ("Explain", "Compare")
                                ],
                                teacher_notes=corpus_text.sentence(rng, corpus_text.ENGLISH),
                            ),
                            vocabulary=rng.sample(
                                live["concepts"], k=min(len(live["concepts"]), rng.randint(3, 10))
                            ),
                            timeline=rng.sample(
                                live["events"], k=min(len(live["events"]), rng.randint(3, 12))
                            ),
                        )
                        self._lesson_parts(rng, lesson, live["articles"], chronology_pool)
                        services.lesson_record_revision(lesson=lesson, comment="Generated.")
                    made.append(lesson)
                    self.fates[("lessons", lesson.pk)] = _fate(rng)
                    progress.step()
        self.timed("lessons", progress)
        self.report.counts["lessons"] = len(made)
        return made

    def _excerpt(self, rng, articles):
        """An excerpt of a sentence or two at the start of a paragraph of a live article."""
        from lessons import services

        article = rng.choice(articles)
        paragraphs = [p for p in article.paragraphs if len(p.text) > 120]
        if not paragraphs:
            return None
        paragraph = rng.choice(paragraphs)
        stop = paragraph.text.find(". ", 60)
        end = paragraph.start + (stop + 1 if 0 < stop < 400 else min(len(paragraph.text), 300))
        return services.excerpt_create(article=article, start=paragraph.start, end=end)

    def _chronology(self, rng, pool) -> list:
        """Three to five events with dates that do not overlap (so they have one order)."""
        if len(pool) < 10:
            return []
        for _attempt in range(20):
            chosen = sorted(
                rng.sample(pool, k=rng.randint(3, 5)), key=lambda e: (e.date_start, e.date_end)
            )
            if all(b.date_start > a.date_end for a, b in itertools.pairwise(chosen)):
                return chosen
        return []

    def _lesson_parts(self, rng, lesson, articles, pool) -> None:
        """Sections and questions, created as the sample loader creates them (one revision for
        the lesson with every part, recorded by the caller)."""
        from bench import corpus_text
        from lessons.models import Choice, Question, QuestionKind, Section, SectionKind, Skill

        words = corpus_text.ENGLISH
        for position in range(1, rng.randint(3, 8) + 1):
            excerpt = self._excerpt(rng, articles) if articles and rng.random() < 0.6 else None
            section = Section(
                lesson=lesson,
                position=position,
                kind=rng.choice(SectionKind.values),
                heading=corpus_text.sentence(rng, words, low=2, high=6),
                body="\n\n".join(
                    corpus_text.sentence(rng, words, low=15, high=40) + "."
                    for _ in range(rng.randint(1, 3))
                ),
                teacher_notes=corpus_text.sentence(rng, words) + ".",
                excerpt=excerpt,
                guiding_questions=[corpus_text.sentence(rng, words, low=5, high=10) + "?"],
            )
            section.full_clean()
            section.save()
        for position in range(1, rng.randint(2, 6) + 1):
            kind = rng.choice(QuestionKind.values)
            events = self._chronology(rng, pool) if kind == QuestionKind.CHRONOLOGY else []
            if kind == QuestionKind.CHRONOLOGY and not events:
                kind = QuestionKind.OPEN
            excerpt = None
            if kind == QuestionKind.SOURCE_ANALYSIS:
                excerpt = self._excerpt(rng, articles) if articles else None
                if excerpt is None:
                    kind = QuestionKind.OPEN
            question = Question(
                lesson=lesson,
                position=position,
                kind=kind,
                skill=rng.choice(Skill.values),
                prompt=corpus_text.sentence(rng, words, low=6, high=14) + "?",
                excerpt=excerpt,
                explanation=corpus_text.sentence(rng, words) + ".",
                model_answer=corpus_text.sentence(rng, words) + "."
                if kind != QuestionKind.MULTIPLE_CHOICE
                else "",
            )
            question.full_clean()
            question.save()
            if events:
                question.events.set(events)
            if kind == QuestionKind.MULTIPLE_CHOICE:
                right = rng.randint(1, 4)
                Choice.objects.bulk_create(
                    Choice(
                        question=question,
                        position=n,
                        text=corpus_text.sentence(rng, words, low=2, high=8),
                        is_correct=n == right,
                        feedback=corpus_text.sentence(rng, words, low=5, high=12) + ".",
                    )
                    for n in range(1, 5)
                )

    # --- publishing -----------------------------------------------------------------------

    def publish(self, kind: str, objects: list) -> None:
        """Publish, schedule or submit each item as its fate says, the kind in one batch (what
        shows them, pages and the search index are built once, at its end)."""
        from django.db import transaction
        from django.utils import timezone

        from lessons.services import lesson_publish
        from publishing import live
        from publishing import services as publishing

        later = timezone.now() + SCHEDULED_IN
        progress = self.progress(f"{kind} (publish)", len(objects))
        with transaction.atomic(), live.batch():
            for obj in objects:
                fate = self.fates[(kind, obj.pk)]
                if fate in ("published", "scheduled"):
                    at = later if fate == "scheduled" else None
                    if kind == "lessons":
                        lesson_publish(lesson=obj, user=None, at=at)
                    else:
                        publishing.publish(obj=obj, user=None, at=at)
                elif fate == "review":
                    publishing.submit_for_review(obj=obj, user=None)
                progress.step()
            self.report.seconds[f"{kind} (publish)"] = progress.close()
            building = time.perf_counter()
            if not self.quiet:
                sys.stderr.write(f"{kind}: building pages, dependents and the search index…\n")
        # The batch ends: what shows the items, their pages and search rows are built now.
        self.report.seconds[f"{kind} (build)"] = time.perf_counter() - building
        self.report.counts[f"{kind} live"] = sum(
            1 for obj in objects if self.fates[(kind, obj.pk)] in ("published", "scheduled")
        )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m bench.corpus", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--scale", type=float, default=1.0, help="1 = the full size; 0.01 …")
    parser.add_argument("--seed", type=int, default=1956)
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    parser.add_argument("--no-migrate", action="store_true", help="do not run migrate first")
    options = parser.parse_args(argv)
    try:
        Plan.at(options.scale)
    except ValueError as exc:
        parser.error(str(exc))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    if not options.no_migrate:
        from django.core.management import call_command

        call_command("migrate", verbosity=0, interactive=False)
    report = Generator(scale=options.scale, seed=options.seed, quiet=options.quiet).run()
    print("\n".join(report.lines()))


if __name__ == "__main__":
    main()
