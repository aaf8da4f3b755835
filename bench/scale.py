"""How the site holds up on a large corpus: pages, exports, the admin, search, import, detection
and re-anchoring, measured in process on the database the settings name (load a corpus first:
``python -m bench.corpus``). Writes a Markdown table to bench/results/.

    ENV_FILE= DEBUG=0 HTTPS=0 SECRET_KEY=… DATABASE_URL=sqlite:////tmp/corpus.sqlite3 \
        .venv/bin/python -m bench.scale

The production settings (DEBUG off; ``HTTPS=0`` because the test client speaks plain HTTP;
``manage.py collectstatic`` first, as on a server). Besides the wall time, each row gives the
CPU time of this process: on SQLite that is the request's whole work, which a machine busy with
other jobs does not inflate.

Everything it adds (an editor, a 490,000-character article, 1,000 imported articles) is made
inside one transaction that is rolled back at the end: the corpus stays as it was. Times are
medians of ``--repeat`` runs (search: p50 and p95 over every query and run), taken with
Django's test client (no HTTP server: the app's own time). Not part of ``make test``.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import time
import tracemalloc
from dataclasses import dataclass
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"
SEARCHES = [
    "workers", "reform", "uprising in", "national front", "strike", "archive report",
    "censors", "parliament embassy", "famine", "Nagy", "Gomułka", "Gomulka", "Poznań",
    "партия", "народ", "העם", "الشعب", "人民", "revolutionary council", "treaty",
]  # fmt: skip
TARGETS = {
    "timeline": 100,  # ms (the filtered timeline's target; the full window should do as well)
    "changelist": 300,
    "admin change": 1000,
    "search p95": 50,
    "detection": 20,
    "re-anchoring": 200,
    "import": 60_000,
}


@dataclass
class Row:
    what: str
    figure: str
    target: str = ""
    met: str = ""
    queries: str = ""
    cpu: str = ""


def median_ms(runs) -> float:
    return statistics.median(runs) * 1000


def timed(fn, repeat: int):
    """(median seconds, median CPU seconds of this process, last result) of ``fn()`` over
    ``repeat`` runs, after one to warm up. On SQLite the database works in this process, so
    the CPU time is the request's own work, whatever else the machine is doing."""
    result = fn()
    runs, cpu = [], []
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        result = fn()
        runs.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    return statistics.median(runs), statistics.median(cpu), result


class Bench:
    def __init__(self, repeat: int):
        from django.test import Client

        self.repeat = repeat
        self.rows: list[Row] = []
        self.client = Client()

    def add(self, what, figure, *, target=None, value=None, queries=None, cpu=None):
        met = ""
        if target is not None and value is not None:
            met = "yes" if value <= target else f"no ({value / target:.1f}×)"
        limit = f"≤ {target:,} ms" if target else ""
        self.rows.append(
            Row(
                what,
                figure,
                limit,
                met,
                "" if queries is None else str(queries),
                "" if cpu is None else f"{cpu * 1000:,.1f}",
            )
        )

    def get(self, url: str, **extra):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        def fetch():
            response = self.client.get(url, **extra)
            body = b"".join(response.streaming_content) if response.streaming else response.content
            assert response.status_code == 200, (url, response.status_code, body[:300])
            return body

        seconds, cpu, body = timed(fetch, self.repeat)
        with CaptureQueriesContext(connection) as captured:
            fetch()
        return seconds, cpu, body, len(captured)

    # --- learner pages --------------------------------------------------------------------

    def pages(self):
        for label, url, target in [
            ("/timeline/ (first window)", "/timeline/", TARGETS["timeline"]),
            ("/timeline/?from=1956&to=1956", "/timeline/?from=1956&to=1956", TARGETS["timeline"]),
            ("/timeline/?page=50", "/timeline/?page=50", TARGETS["timeline"]),
            ("/sitemap.xml (index)", "/sitemap.xml", None),
            ("/sitemap-events.xml", "/sitemap-events.xml", None),
            ("/sitemap-articles.xml", "/sitemap-articles.xml", None),
            ("/articles/ (list)", "/articles/", None),
            ("/glossary/", "/glossary/", None),
            ("/ (home)", "/", None),
        ]:
            seconds, cpu, body, queries = self.get(url)
            self.add(
                label,
                f"{seconds * 1000:.0f} ms, {len(body) / 1024:,.0f} KB",
                target=target,
                value=seconds * 1000,
                queries=queries,
                cpu=cpu,
            )

    # --- exports --------------------------------------------------------------------------

    def exports(self, staff):
        from lessons.exports import content

        for label, url, user in [
            ("export.json (open data)", "/api/v1/export.json", None),
            ("export.json?scope=full", "/api/v1/export.json?scope=full", staff),
        ]:
            if user is not None:
                self.client.force_login(user)
            started = time.perf_counter()
            response = self.client.get(url)
            pieces = iter(response.streaming_content)
            first = next(pieces)
            first_byte = time.perf_counter() - started
            size = len(first) + sum(len(piece) for piece in pieces)
            total = time.perf_counter() - started
            self.client.logout()
            self.add(
                label,
                f"first byte {first_byte * 1000:.0f} ms; {size / 1e6:,.1f} MB in {total:.1f} s",
            )
        # Memory: the Python objects alive at the peak while the full export is read through.
        tracemalloc.start()
        for _piece in content.export_full_text():
            pass
        _now, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        self.add("full export, peak Python memory (tracemalloc)", f"{peak / 1e6:,.1f} MB")

    def export_rss(self):
        """Peak RSS of ``manage.py export_content --full`` in a process of its own."""
        import resource

        for full in (False, True):
            args = [sys.executable, "manage.py", "export_content", os.devnull]
            if full:
                args.append("--full")
            started = time.perf_counter()
            subprocess.run(args, check=True, capture_output=True)
            seconds = time.perf_counter() - started
            peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
            self.add(
                f"manage.py export_content{' --full' if full else ''}",
                f"{seconds:.1f} s; peak RSS of the processes so far {peak:,.0f} MB",
            )

    # --- the admin ------------------------------------------------------------------------

    def admin(self, staff, giant):
        from django.contrib import admin
        from django.urls import reverse

        self.client.force_login(staff)
        change = reverse("admin:history_article_change", args=[giant.pk])
        seconds, cpu, body, queries = self.get(change)
        self.add(
            f"admin change page, {len(giant.body):,}-character article, "
            f"{giant.mentions.count():,} mentions",
            f"{seconds * 1000:.0f} ms, {len(body) / 1024:,.0f} KB",
            target=TARGETS["admin change"],
            value=seconds * 1000,
            queries=queries,
            cpu=cpu,
        )
        suggestions = reverse("admin:history_article_suggestions", args=[giant.pk])
        for page in (1, 20):
            seconds, cpu, body, queries = self.get(f"{suggestions}?page={page}")
            self.add(
                f"admin suggestions page {page} of that article",
                f"{seconds * 1000:.0f} ms, {len(body) / 1024:,.0f} KB",
                target=TARGETS["admin change"],
                value=seconds * 1000,
                queries=queries,
                cpu=cpu,
            )
        for model in admin.site._registry:
            meta = model._meta
            url = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
            seconds, cpu, _body, queries = self.get(url)
            self.add(
                f"changelist {meta.app_label}.{meta.model_name} "
                f"({model._default_manager.count():,} rows)",
                f"{seconds * 1000:.0f} ms",
                target=TARGETS["changelist"],
                value=seconds * 1000,
                queries=queries,
                cpu=cpu,
            )
        self.client.logout()

    # --- search ---------------------------------------------------------------------------

    def search(self):
        from urllib.parse import quote

        for label, template in [
            ("site search /search/?q=", "/search/?q={}"),
            ("API search /api/v1/articles/?search=", "/api/v1/articles/?search={}"),
        ]:
            runs, cpu = [], []
            for query in SEARCHES:
                url = template.format(quote(query))
                self.client.get(url)
                for _ in range(self.repeat):
                    started, started_cpu = time.perf_counter(), time.process_time()
                    response = self.client.get(url)
                    runs.append(time.perf_counter() - started)
                    cpu.append(time.process_time() - started_cpu)
                    assert response.status_code == 200, (url, response.status_code)
            runs.sort()
            cpu.sort()
            p50, p95 = runs[len(runs) // 2] * 1000, runs[int(len(runs) * 0.95)] * 1000
            self.add(
                f"{label} ({len(SEARCHES)} queries × {self.repeat})",
                f"p50 {p50:.0f} ms, p95 {p95:.0f} ms",
                target=TARGETS["search p95"],
                value=p95,
                cpu=cpu[int(len(cpu) * 0.95)],  # the p95 of CPU time
            )

    # --- detection, re-anchoring, import --------------------------------------------------

    def detection(self, sample_text: str):
        from history import detection, services

        matcher = services.concept_matcher()
        text = (sample_text * (10_240 // max(len(sample_text), 1) + 1))[:10_240]
        seconds, cpu, found = timed(lambda: matcher.find(text), self.repeat * 4)
        from history.models import Concept

        concepts = Concept.objects.count()
        self.add(
            f"detection of {concepts:,} concepts' forms in 10 KB ({len(found)} found)",
            f"{seconds * 1000:.1f} ms",
            target=TARGETS["detection"],
            value=seconds * 1000,
            cpu=cpu,
        )
        seconds, cpu, _dates = timed(lambda: detection.find_dates(text), self.repeat * 4)
        self.add("detection of dates in the same 10 KB", f"{seconds * 1000:.1f} ms", cpu=cpu)

    def reanchoring(self, article):
        from django.db import transaction

        from history import services
        from lessons.models import Excerpt

        base_body = article.body
        edited = "A new first paragraph, added by an editor.\n\n" + base_body.replace(
            " the ", " a ", 3
        )
        what = (
            f"an edit of a {len(base_body) / 1024:.0f} KB article "
            f"({article.mentions.count()} mentions, "
            f"{Excerpt.objects.filter(article=article).count()} excerpts, "
            f"{article.dates.count()} dates)"
        )

        def reanchor():
            with transaction.atomic():
                article.body = edited
                services.article_text_reanchor(article=article, old_body=base_body)
                transaction.set_rollback(True)

        def save():
            # The whole save an editor waits for: revision, re-anchoring, detection again.
            with transaction.atomic():
                article.body = edited
                services.article_save(article=article)
                transaction.set_rollback(True)
            article.refresh_from_db()

        seconds, cpu, _ = timed(reanchor, self.repeat)
        self.add(
            f"re-anchoring after {what}",
            f"{seconds * 1000:.0f} ms",
            target=TARGETS["re-anchoring"],
            value=seconds * 1000,
            cpu=cpu,
        )
        seconds, cpu, _ = timed(save, self.repeat)
        self.add(
            "the whole save (article_save) of that edit, detection again included",
            f"{seconds * 1000:.0f} ms",
            cpu=cpu,
        )
        article.body = base_body

    def imports(self, count: int):
        from bench.corpus import Generator
        from history import services

        texts = list(Generator(seed=7, quiet=True).article_texts(count, part="import-bench"))
        started, started_cpu = time.perf_counter(), time.process_time()
        for source in texts:
            prepared = services.article_prepare_import(data=source.data, name=source.name)
            services.article_import(prepared=prepared)
        seconds = time.perf_counter() - started
        cpu = time.process_time() - started_cpu
        size = sum(len(t.data) for t in texts) / count / 1024
        self.add(
            f"import of {count:,} articles (avg {size:.0f} KB) through article_import, "
            "detection included",
            f"{seconds:.1f} s ({seconds / count * 1000:.0f} ms an article)",
            target=TARGETS["import"] * count // 1000,
            value=seconds * 1000,
            cpu=cpu,
        )

    def table(self, title: str) -> str:
        lines = [
            f"# {title}",
            "",
            "| what | figure (wall time) | target | met | queries | CPU ms of this process |",
            "|---|---|---|---|---|---|",
        ]
        lines += [
            f"| {r.what} | {r.figure} | {r.target} | {r.met} | {r.queries} | {r.cpu} |"
            for r in self.rows
        ]
        return "\n".join(lines) + "\n"


def giant_article(seed: int):
    """An article of about 490,000 characters with thousands of suggested mentions (it names
    the corpus's concepts), imported through the importer (as the issue's was)."""
    from bench.corpus import FULL, Generator
    from history import services
    from history.models import Concept

    scale = max(Concept.objects.count() / FULL["concepts"], 0.001)
    generator = Generator(scale=scale, seed=seed, quiet=True)
    pieces, size = [], 0
    for source in generator.article_texts(400, part="giant"):
        text = source.data.decode().split("---\n", 2)[-1]
        pieces.append(text.split("\n\n", 1)[-1])
        size += len(pieces[-1])
        if size > 480_000:
            break
    body = "# A very long source\n\n" + "\n\n".join(pieces)
    prepared = services.article_prepare_import(
        data=body[:490_000].encode(), name="a-very-long-source.md"
    )
    return services.article_import(prepared=prepared).article


PARTS = ("export_rss", "pages", "search", "exports", "admin", "detection", "reanchoring", "imports")


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench.scale", description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--imports", type=int, default=1000, help="articles to import")
    parser.add_argument("--seed", type=int, default=1956, help="the corpus's seed")
    parser.add_argument("--out", help="the Markdown file (default: bench/results/scale-…)")
    parser.add_argument(
        "--parts",
        default=",".join(PARTS),
        help=f"what to measure, comma-separated (default: all of {','.join(PARTS)})",
    )
    options = parser.parse_args(argv)
    parts = set(options.parts.split(","))
    if parts - set(PARTS):
        parser.error(f"unknown parts: {', '.join(sorted(parts - set(PARTS)))}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection, transaction
    from django.db.models.functions import Length

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.SITE_THROTTLES = {}  # a benchmark is not a client to throttle
    from django.contrib.auth import get_user_model

    from history.models import Article, LiveArticle, LiveEvent
    from lessons.models import Lesson

    bench = Bench(options.repeat)
    counts = {
        "articles": Article.objects.count(),
        "live articles": LiveArticle.objects.count(),
        "live events": LiveEvent.objects.count(),
        "lessons": Lesson.objects.count(),
    }
    if "export_rss" in parts:
        bench.export_rss()  # in processes of their own, before this one holds a transaction
    with transaction.atomic():
        staff = get_user_model().objects.create_superuser("bench-scale", password="x" * 20)
        if "pages" in parts:
            bench.pages()
        if "search" in parts:
            bench.search()
        if "exports" in parts:
            bench.exports(staff)
        if "admin" in parts:
            started = time.perf_counter()
            giant = giant_article(options.seed)
            bench.add(
                f"import of the {len(giant.body):,}-character article",
                f"{time.perf_counter() - started:.1f} s",
            )
            bench.admin(staff, giant)
        sample = Article.objects.filter(language="en").order_by("pk").first()
        if "detection" in parts:
            bench.detection(sample.body)
        long = (
            Article.objects.filter(language="en")
            .alias(length=Length("body"))
            .filter(length__gte=28_000)
            .order_by("pk")
            .first()
        )
        if "reanchoring" in parts:
            bench.reanchoring(long or sample)
        if "imports" in parts:
            bench.imports(options.imports)
        transaction.set_rollback(True)
    vendor = connection.vendor
    title = (
        f"Scale on {vendor} ({', '.join(f'{n:,} {k}' for k, n in counts.items())}); "
        f"{platform.node()}, load {os.getloadavg()[0]:.1f}"
    )
    text = bench.table(title)
    RESULTS.mkdir(exist_ok=True)
    out = Path(options.out) if options.out else RESULTS / f"scale-{vendor}.md"
    out.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
