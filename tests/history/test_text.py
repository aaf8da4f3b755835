"""Reading source files: the sample article as it reached us, Markdown, and bad input."""

import codecs
from pathlib import Path

import pytest

from history import text

SAMPLE = (
    Path(__file__).resolve().parents[2]
    / "sample"
    / "khrushchev-the-stalinist-who-denounced-stalin.txt"
)


@pytest.fixture
def parsed():
    return text.parse(text.decode(SAMPLE.read_bytes()))


def test_sample_title_kicker_and_repeated_title_are_recognised(parsed):
    assert parsed.title == "Khrushchev: The Stalinist who denounced Stalin"
    assert parsed.kicker == "50 years ago…"
    assert parsed.paragraphs[0].startswith("AT THE 20th conference of the Communist Party")
    assert not any(p == parsed.title for p in parsed.paragraphs)


def test_hard_wrapped_lines_are_joined_into_ten_paragraphs(parsed):
    assert len(parsed.paragraphs) == 10
    assert all("\n" not in p and "  " not in p for p in parsed.paragraphs)
    assert parsed.paragraphs[1] == (
        "Following the defeat of the Nazis in world war two the Red Army occupied eastern "
        "Europe. Gradually, through a series of ‘popular front’ governments and by an iron grip "
        "on the army, police and judiciary, Stalinist regimes – mirror images of the Soviet "
        "Union – were installed."
    )


def test_typography_is_kept_as_it_is(parsed):
    body = parsed.body
    for mark in ("’", "‘", "–", "workers’ councils"):
        assert mark in body
    assert "'" not in body and " - " not in body


def test_paragraphs_that_break_off_mid_sentence_are_flagged(parsed):
    assert parsed.truncated == [1, 7, 8]
    assert parsed.paragraphs[0].endswith("hadn’t rejected")
    assert parsed.paragraphs[6].endswith("throughout")
    assert parsed.paragraphs[7].endswith("to return")


def test_paragraph_offsets_point_into_the_stored_text(parsed):
    body = parsed.body
    for paragraph in text.split_paragraphs(body):
        assert body[paragraph.start : paragraph.end] == paragraph.text


def test_markdown_heading_is_the_title_and_inline_markup_is_dropped():
    source = "# Poznań, June 1956\n\n*Fifty years on*\n\nWorkers of the **Cegielski** works\nmarched.\n\nA [link](http://x) here."
    parsed = text.parse(source, markdown=True)
    assert parsed.title == "Poznań, June 1956"
    assert parsed.kicker == "Fifty years on"
    assert parsed.paragraphs == ["Workers of the Cegielski works marched.", "A link here."]


def test_windows_line_endings_and_bom_are_accepted():
    data = codecs.BOM_UTF8 + b"Title\r\n\r\n    One line\r\n    two.\r\n"
    parsed = text.parse(text.decode(data))
    assert parsed.title == "Title"
    assert parsed.paragraphs == ["One line two."]


def test_utf16_with_bom_is_accepted():
    data = "Petőfi\n\nThe Petőfi Circle met.".encode("utf-16")
    assert text.parse(text.decode(data)).title == "Petőfi"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "is empty"),
        (b"   \n\n  ", "is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        (bytes(range(1, 32)) * 20, "binary"),
    ],
)
def test_bad_files_are_refused_with_a_reason(data, reason):
    with pytest.raises(text.UnreadableText, match=reason):
        text.decode(data, name="upload.txt")


def test_a_title_without_paragraphs_is_refused():
    with pytest.raises(text.UnreadableText, match="no paragraphs"):
        text.parse("Just a title\n")


def test_normalise_body_keeps_paragraphs_and_typography():
    assert text.normalise_body("  One\r\nline ‘quoted’ – ok\n\n\n\nTwo  ") == (
        "One line ‘quoted’ – ok\n\nTwo"
    )


def test_a_text_in_another_encoding_is_read_and_its_encoding_named():
    source = (
        "Poznański Czerwiec\n\nW czwartek 28 czerwca 1956 roku robotnicy Zakładów Przemysłu "
        "Metalowego im. Józefa Stalina w Poznaniu wyszli na ulice. Żądali chleba, wolności i "
        "obniżenia norm. Władysław Gomułka wrócił do władzy w październiku. Łódź, Kraków i "
        "Wrocław śledziły wydarzenia z niepokojem; żołnierze i milicja strzelali do tłumu."
    )
    decoded = text.read(source.encode("cp1250"), name="poznan.txt")
    assert decoded.text == source
    assert decoded.encoding == "cp1250"


def test_utf8_is_named_utf8():
    assert text.read("Petőfi".encode()).encoding == "utf-8"


def test_front_matter_is_metadata_not_text():
    parsed = text.parse(
        "---\ntitle: Imre Nagy\nauthor: [A. B., C. D.]\ndate: 2006-10-23\nlicense: CC BY-SA 4.0\n"
        "language: hu\naliases:\n  - Nagy Imre\n---\nNagy led the [[Hungarian People's "
        "Republic|government]].\n",
        markdown=True,
    )
    assert parsed.title == "Imre Nagy"
    assert parsed.metadata["author"] == "A. B., C. D."
    assert parsed.metadata["publication_date"] == "2006-10-23"
    assert parsed.metadata["rights"] == "CC BY-SA 4.0"
    assert parsed.metadata["language"] == "hu"
    assert parsed.paragraphs == ["Nagy led the government."]


def test_toml_front_matter_is_read_too():
    parsed = text.parse('+++\ntitle = "Poznań"\nlanguage = "pl"\n+++\nWorkers marched.\n')
    assert parsed.title == "Poznań"
    assert parsed.metadata["language"] == "pl"


def test_unreadable_front_matter_is_refused_with_a_reason():
    with pytest.raises(text.UnreadableText, match="front matter"):
        text.parse("---\ntitle: [unclosed\n---\nText.\n", markdown=True)
