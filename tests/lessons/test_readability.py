"""Readability figures of a passage, in its language's own formula or none at all."""

import pytest

from lessons import readability

ORIGINAL = (
    "The occupying Soviet troops became infected with this revolutionary mood and were "
    "hastily withdrawn, only for more reliable troops to return."
)
ADAPTED = "Soviet soldiers began to feel like the Hungarians. They were pulled out fast. Others came back."


def test_an_adapted_version_reads_easier_than_its_original_in_english():
    original = readability.figures(ORIGINAL, "en")
    adapted = readability.figures(ADAPTED, "en")
    assert original["formula"] == "Flesch reading ease"
    assert adapted["score"] > original["score"] + 30
    assert (original["words"], original["sentences"]) == (21, 1)
    assert original["band"] == "very difficult" and adapted["band"] in ("easy", "fairly easy")
    summary = readability.compare(original, adapted)
    assert summary.startswith(f"Reading ease {original['score']} (very difficult) → ")


@pytest.mark.parametrize("language", ["de", "fr", "es", "it", "nl", "ru", "hu", "en-GB"])
def test_languages_with_a_formula_of_their_own_get_a_score(language):
    figures = readability.figures("Ein kurzer Satz. Noch einer hier.", language)
    assert 0 <= figures["score"] <= 100 and figures["band"]


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("ar", "هذه جملة قصيرة. وهذه أخرى."),
        ("he", "זה משפט קצר. והנה עוד אחד."),
        ("pl", "To jest zdanie. A to jest drugie."),
    ],
)
def test_languages_without_a_formula_get_counts_and_no_score(language, text):
    figures = readability.figures(text, language)
    assert figures["score"] is None and figures["band"] is None
    assert figures["words"] >= 3
    assert figures["sentences"] == 2


@pytest.mark.parametrize("text", ["匈牙利十月事件是一场革命。", "การปฏิวัติฮังการี"])
def test_scripts_without_spaces_get_their_length_only(text):
    figures = readability.figures(text, "zh")
    assert figures["words"] is None and figures["score"] is None
    assert figures["characters"] == len(text)


def test_an_empty_passage_has_no_figures():
    assert readability.figures("  ", "en") is None
    assert readability.compare(None, readability.figures(ADAPTED, "en")) == ""
