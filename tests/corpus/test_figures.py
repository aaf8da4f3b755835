"""The issue's figures, measured on the real corpus: per text, paragraphs and headings
recovered, flags true and false, concept and date suggestions true, false and missed, and the
results of a fixed list of search queries. Run with -s to see the table.

The expectations below were reviewed by reading each text: ``MISSED`` lists what a reader
would link or date that detection does not find, ``FALSE`` what it finds wrongly. The test
checks each against the detector's output, so the figures printed are measured.
"""

import pytest

from history import services
from history.models import Article, DatedExpression, Mention
from publishing import services as publishing
from search.selectors import ranked_ids, search
from tests.corpus.conftest import CORPUS, SAMPLE
from tests.factories import ConceptFactory

# What each text is, read by a person: paragraphs (blocks), headings, real break-offs.
STRUCTURE = {
    "sample": {"paragraphs": 10, "headings": 0, "broken": [1, 7, 8]},
    "essay": {"paragraphs": 19, "headings": 7, "broken": []},
    "abstract": {"paragraphs": 6, "headings": 1, "broken": []},
    "scripts": {"paragraphs": 16, "headings": 0, "broken": []},
    "frus": {"paragraphs": 37, "headings": 4, "broken": []},
}
# Concept suggestions a reader expects but detection misses (words as in the text), and
# suggestions that are wrong. Reviewed against the sample's concepts plus EXTRA_CONCEPTS.
MISSED_LINKS = {
    "frus": ["Posen"],  # Poznań's German name
    "abstract": ["State Security Police"],  # the ÁVH's English name, not one of its forms
}
FALSE_LINKS = {}
# Dates a reader expects but detection misses, and wrong ones.
MISSED_DATES = {
    "sample": ["1919", "By October"],  # "Lenin’s 1919 programme"; a month without a year
    "essay": ["1953–1960", "1955–1957"],  # series titles' spans without a preposition
    "scripts": ["október 23", "10월 23일"],  # days in Hungarian and Korean (the years are found)
    "frus": ["the next day"],  # a day relative to a day
}
FALSE_DATES = {}
EXTRA_CONCEPTS = [
    ("Poznań", "place", []),
    ("Dwight D. Eisenhower", "person", ["Eisenhower"]),
]
QUERIES = [
    "revolution",
    "1956",
    "de-Stalinisation",
    "de-Stalinization",
    "Gomulka",
    "Krushchev",
    "Hungarain",
    "восстание",
    "המהפכה",
    "Poznan riots",
    "labor",
]


@pytest.fixture
def corpus(sample):
    for term, kind, aliases in EXTRA_CONCEPTS:
        ConceptFactory(term=term, kind=kind, aliases=aliases)
    articles = {}
    for name, path in {**CORPUS, "sample": SAMPLE}.items():
        if name == "sample":
            articles[name] = Article.objects.get(
                slug="khrushchev-the-stalinist-who-denounced-stalin"
            )
            services.suggestions_detect(article=articles[name])
            continue
        prepared = services.article_prepare_import(data=path.read_bytes(), name=path.name)
        article = services.article_import(prepared=prepared).article
        publishing.publish(obj=article, user=None)
        articles[name] = article
    return articles


def _occurs(body, words):
    return words in body


@pytest.mark.django_db
def test_corpus_figures(corpus, capsys):
    rows = []
    for name, article in corpus.items():
        expected = STRUCTURE[name]
        structure = article.structure
        headings = sum(1 for b in structure if b["type"] == "heading")
        flagged = [p.number for p in article.paragraphs_to_check]
        true_flags = [n for n in flagged if n in expected["broken"]]
        false_flags = [n for n in flagged if n not in expected["broken"]]
        missed_flags = [n for n in expected["broken"] if n not in flagged]
        assert len(structure) == expected["paragraphs"]
        assert headings == expected["headings"]

        links = list(Mention.objects.filter(article=article, concept__isnull=False))
        surfaces = [m.exact for m in links]
        for words in MISSED_LINKS.get(name, []):
            assert _occurs(article.body, words) and words not in surfaces, words
        false_links = [s for s in surfaces if s in FALSE_LINKS.get(name, [])]

        found_dates = list(DatedExpression.objects.filter(article=article))
        date_words = [d.exact for d in found_dates]
        for words in MISSED_DATES.get(name, []):
            assert _occurs(article.body, words), words
            assert not any(words in d or d in words for d in date_words if len(d) > 4), words
        false_dates = [d for d in date_words if d in FALSE_DATES.get(name, [])]
        rows.append(
            (
                name,
                f"{len(structure)}/{expected['paragraphs']}",
                f"{headings}/{expected['headings']}",
                f"{len(true_flags)}/{len(false_flags)}/{len(missed_flags)}",
                f"{len(links) - len(false_links)}/{len(false_links)}/{len(MISSED_LINKS.get(name, []))}",
                f"{len(found_dates) - len(false_dates)}/{len(false_dates)}/{len(MISSED_DATES.get(name, []))}",
            )
        )
        assert not false_flags and not missed_flags, (name, flagged)

    results = {}
    for query in QUERIES:
        found = search(query)
        results[query] = (found.counts, found.suggestion)
    with capsys.disabled():
        print(
            "\ntext | paragraphs | headings | flags true/false/missed | links true/false/missed | dates true/false/missed"
        )
        for row in rows:
            print(" | ".join(row))
        print("\nquery | lessons | article paragraphs | events | concepts | did you mean")
        for query, (counts, suggestion) in results.items():
            print(
                f"{query} | {counts.get('lesson', 0)} | {counts.get('article', 0)} | "
                f"{counts.get('event', 0)} | {counts.get('concept', 0)} | {suggestion or '—'}"
            )

    # What a reader expects of these queries.
    for query in ("revolution", "1956"):
        found = search(query)
        assert found.groups["lesson"] and found.groups["event"], query
    for kind in ("lesson", "article", "event", "concept"):
        assert set(ranked_ids(kind, "de-Stalinisation")) == set(
            ranked_ids(kind, "de-Stalinization")
        )
    assert ranked_ids("concept", "Gomulka") and ranked_ids("article", "Gomulka")
    assert search("Krushchev").suggestion == "khrushchev"
    assert search("Hungarain").suggestion == "hungarian"
    scripts = corpus["scripts"].pk
    assert ranked_ids("article", "восстание") == [scripts]
    assert ranked_ids("article", "המהפכה") == [scripts]
    assert ranked_ids("article", "labor")  # "Labour" in the sample, the American spelling
