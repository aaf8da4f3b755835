"""manage.py import_article on the sample text and on bad input."""

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from history.models import Article, Mention
from lessons.models import Excerpt
from lessons.services import excerpt_create_from_words
from publishing.models import Status
from tests.factories import ConceptFactory

SAMPLE = (
    Path(__file__).resolve().parents[2]
    / "sample"
    / "khrushchev-the-stalinist-who-denounced-stalin.txt"
)


def run(*args):
    from io import StringIO

    out = StringIO()
    call_command("import_article", *map(str, args), stdout=out, stderr=out)
    return out.getvalue()


@pytest.mark.django_db
def test_sample_is_imported_as_a_draft_article_with_its_title_kicker_and_paragraphs():
    output = run(SAMPLE)
    article = Article.objects.get()
    assert article.title == "Khrushchev: The Stalinist who denounced Stalin"
    assert article.kicker == "50 years ago…"
    assert article.status == Status.DRAFT
    assert len(article.paragraphs) == 10
    assert [p.number for p in article.paragraphs_to_check] == [1, 7, 8]
    assert "created “Khrushchev: The Stalinist who denounced Stalin”" in output
    assert "paragraphs to check (they break off mid-sentence): 1, 7, 8" in output


@pytest.mark.django_db
def test_importing_the_same_file_twice_makes_one_article():
    run(SAMPLE)
    output = run(SAMPLE)
    assert Article.objects.count() == 1
    assert "0 created, 0 updated, 1 unchanged" in output


@pytest.mark.django_db
def test_import_proposes_links_to_known_concepts():
    ConceptFactory(term="Stakhanovism", slug="stakhanovism")
    ConceptFactory(term="workers’ councils", slug="wc", aliases=["soviets"])
    output = run(SAMPLE)
    surfaces = sorted(Mention.objects.values_list("exact", flat=True))
    assert surfaces == ["Stakhanovism", "soviets", "workers’ councils"]
    assert set(Mention.objects.values_list("status", flat=True)) == {"suggested"}
    assert "suggested: 3 links to concepts, 6 dates" in output


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "is empty"),
        (b"\x00\x01\x02binary\x00" * 50, "binary"),
        (b"\xff\xfe\x00", "UTF-16"),
    ],
)
def test_bad_files_are_refused_with_nothing_written(tmp_path, content, reason):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)
    with pytest.raises(CommandError, match=reason):
        run(bad)
    assert not Article.objects.exists()


@pytest.mark.django_db
def test_one_bad_file_among_many_means_nothing_is_written(tmp_path):
    good = tmp_path / "good.md"
    good.write_text("# Poznań 1956\n\nWorkers marched on 28 June.\n", encoding="utf-8")
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"")
    with pytest.raises(CommandError, match="Nothing was imported"):
        run(SAMPLE, good, bad)
    assert not Article.objects.exists()


@pytest.mark.django_db
def test_many_files_show_progress_and_skip_bad_imports_the_rest(tmp_path):
    good = tmp_path / "good.md"
    good.write_text("# Poznań 1956\n\nWorkers marched on 28 June.\n", encoding="utf-8")
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"")
    with pytest.raises(CommandError, match="1 file"):
        from io import StringIO

        out = StringIO()
        call_command(
            "import_article", str(SAMPLE), str(good), str(bad), "--skip-bad", stdout=out, stderr=out
        )
    assert "[1/3]" in out.getvalue() and "[2/2]" in out.getvalue()
    assert set(Article.objects.values_list("title", flat=True)) == {
        "Khrushchev: The Stalinist who denounced Stalin",
        "Poznań 1956",
    }


@pytest.mark.django_db
def test_a_changed_file_with_the_same_title_is_a_new_article_unless_update(tmp_path):
    run(SAMPLE)
    article = Article.objects.get()
    quote = "Khrushchev had survived and the repressive system staggered on"
    excerpt = excerpt_create_from_words(article=article, exact=quote)
    edited = tmp_path / "edited.txt"
    edited.write_text(
        SAMPLE.read_text(encoding="utf-8").replace(
            "    AT THE 20th", "    A NEW FIRST PARAGRAPH.\n\n    AT THE 20th"
        ),
        encoding="utf-8",
    )
    assert run(edited, "--update").count("updated") >= 1
    excerpt.refresh_from_db()
    assert Article.objects.count() == 1
    assert excerpt.anchor_status == "moved"
    assert Article.objects.get().body[excerpt.start : excerpt.end] == quote
    assert Excerpt.objects.count() == 1


@pytest.mark.django_db
def test_a_different_text_with_a_taken_title_is_a_new_article_and_the_report_says_so(tmp_path):
    run(SAMPLE)
    other = tmp_path / "other.txt"
    other.write_text(
        "Khrushchev: The Stalinist who denounced Stalin\n\nA different text entirely.\n",
        encoding="utf-8",
    )
    output = run(other)
    assert Article.objects.count() == 2
    assert sorted(Article.objects.values_list("slug", flat=True)) == [
        "khrushchev-the-stalinist-who-denounced-stalin",
        "khrushchev-the-stalinist-who-denounced-stalin-2",
    ]
    assert "another article is titled" in output


@pytest.mark.django_db
def test_a_file_over_the_limit_is_refused_before_it_is_read(tmp_path, monkeypatch):
    from history import text

    monkeypatch.setattr(text, "MAX_CHARACTERS", 1000)
    monkeypatch.setattr(text, "MAX_BYTES", 4000)
    big = tmp_path / "big.txt"
    big.write_text("Title\n\n" + "word " * 1000, encoding="utf-8")
    with pytest.raises(CommandError, match="MB; an article can hold at most 1,000 characters"):
        run(big)
    within_bytes = tmp_path / "many.txt"
    within_bytes.write_text("Title\n\n" + "wörd " * 300, encoding="utf-8")
    with pytest.raises(CommandError, match="1,507 characters; an article can hold"):
        run(within_bytes)
    assert not Article.objects.exists()
