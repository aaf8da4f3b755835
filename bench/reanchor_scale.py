"""How long detection and re-anchoring take on a long article with many excerpts and concepts.

Not part of `make test`. Run:  DEBUG=1 .venv/bin/python bench/reanchor_scale.py [paragraphs]
It builds its data in a throwaway in-memory SQLite database.
"""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.test_settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import setup_databases, teardown_databases  # noqa: E402


def main(paragraph_count: int) -> None:
    from history import services
    from history.models import Article, Concept
    from lessons.models import Excerpt
    from lessons.services import excerpt_create

    sample = (
        Path(settings.BASE_DIR) / "sample" / "khrushchev-the-stalinist-who-denounced-stalin.txt"
    )
    base = services.article_prepare_import(data=sample.read_bytes(), name=sample.name).parsed
    paragraphs = [f"{p} (¶{i})" for i in range(paragraph_count // 10 + 1) for p in base.paragraphs]
    paragraphs = paragraphs[:paragraph_count]
    Concept.objects.bulk_create(
        Concept(term=f"term{i} word", slug=f"term-{i}", definition="d.", aliases=[f"alias{i}"])
        for i in range(500)
    )
    for slug, term in [("stalinism", "Stalinism"), ("bureaucracy", "bureaucracy")]:
        Concept.objects.create(term=term, slug=slug, definition="d.")

    article = Article.objects.create(title="Long", slug="long", body="\n\n".join(paragraphs))
    started = time.perf_counter()
    found = services.mentions_detect(article=article)
    detect_s = time.perf_counter() - started

    for paragraph in article.paragraphs[::2]:
        excerpt_create(article=article, start=paragraph.start, end=paragraph.start + 60)
    excerpts = Excerpt.objects.count()

    article.body = "A new opening paragraph.\n\n" + article.body.replace("Stalinist", "Stalin-era")
    started = time.perf_counter()
    services.article_save(article=article)
    save_s = time.perf_counter() - started

    print(f"{paragraph_count} paragraphs, {len(article.body):,} characters, 502 concepts")
    print(f"detection: {len(found)} mentions in {detect_s * 1000:.0f} ms")
    print(
        f"edit + re-anchor {excerpts} excerpts and {article.mentions.count()} mentions: "
        f"{save_s * 1000:.0f} ms"
    )


if __name__ == "__main__":
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    old = setup_databases(verbosity=0, interactive=False)
    try:
        main(count)
    finally:
        connection.close()
        teardown_databases(old, verbosity=0)
