"""Excerpts and mentions are found again after the article's text is edited."""

import pytest

from history import anchoring
from history.anchoring import AnchorState

TEXT = (
    "Following the defeat of the Nazis the Red Army occupied eastern Europe.\n\n"
    "Khrushchev, having earlier denounced Stalin, resorted to the same brutal methods to "
    "crush the revolution. This resulted in splits and defections.\n\n"
    "Khrushchev had survived and the repressive system staggered on."
)
QUOTE = "resorted to the same brutal methods to crush the revolution."


@pytest.fixture
def selector():
    start = TEXT.index(QUOTE)
    return anchoring.describe(TEXT, start, start + len(QUOTE))


def test_describe_records_words_context_and_position(selector):
    assert selector.exact == QUOTE
    assert selector.prefix == TEXT[selector.start - 32 : selector.start]
    assert selector.suffix == TEXT[selector.end : selector.end + 32]


def test_describe_trims_white_space_and_refuses_empty_or_outside_selections():
    start = TEXT.index(QUOTE)
    trimmed = anchoring.describe(TEXT, start - 1, start + len(QUOTE) + 1)
    assert trimmed.exact == QUOTE
    with pytest.raises(anchoring.SelectionError):
        anchoring.describe(TEXT, 10, 10)
    with pytest.raises(anchoring.SelectionError):
        anchoring.describe(TEXT, 0, len(TEXT) + 5)
    with pytest.raises(anchoring.SelectionError):
        anchoring.describe("a\n\n\nb", 1, 4)


def test_unchanged_text_keeps_the_anchor(selector):
    assert anchoring.resolve(TEXT, selector).state is AnchorState.ANCHORED


def test_insertion_before_the_excerpt_moves_it(selector):
    edited = "A new opening paragraph, with ‘quotes’ – and more.\n\n" + TEXT
    result = anchoring.resolve(edited, selector)
    assert result.state is AnchorState.MOVED
    assert edited[result.selector.start : result.selector.end] == QUOTE
    assert result.selector.start == selector.start + len(edited) - len(TEXT)


def test_edit_inside_the_excerpt_is_found_fuzzily_and_flagged(selector):
    edited = TEXT.replace("same brutal methods", "same brutal, bloody methods")
    result = anchoring.resolve(edited, selector)
    assert result.state is AnchorState.CHANGED
    assert (
        result.selector.exact
        == "resorted to the same brutal, bloody methods to crush the revolution."
    )
    assert edited[result.selector.start : result.selector.end] == result.selector.exact


def test_edits_both_before_and_inside_are_followed(selector):
    edited = ("Inserted.\n\n" + TEXT).replace("crush the revolution", "crush the uprising")
    result = anchoring.resolve(edited, selector)
    assert result.state is AnchorState.CHANGED
    assert result.selector.exact.startswith("resorted to the same brutal methods")
    assert result.selector.exact.endswith("crush the uprising.")


def test_deleted_excerpt_is_lost_not_attached_to_other_words(selector):
    edited = TEXT.replace(QUOTE, "")
    result = anchoring.resolve(edited, selector)
    assert result.state is AnchorState.LOST
    assert result.selector is None


def test_rewritten_excerpt_is_lost(selector):
    edited = TEXT.replace(QUOTE, "crushed it with tanks.")
    assert anchoring.resolve(edited, selector).state is AnchorState.LOST


def test_repeated_words_are_told_apart_by_their_context():
    text = "Stalin died. Then Khrushchev spoke of Stalin at length. Stalin again."
    start = text.index("Stalin at length")
    selector = anchoring.describe(text, start, start + len("Stalin"))
    edited = "Preface. " + text
    result = anchoring.resolve(edited, selector)
    assert result.state is AnchorState.MOVED
    assert result.selector.start == start + len("Preface. ")


def test_unicode_offsets_count_code_points():
    text = "Petőfi Circle – in Poznań, ‘workers’ councils’."
    start = text.index("Poznań")
    selector = anchoring.describe(text, start, start + len("Poznań"))
    assert (selector.start, selector.end) == (19, 25)
    assert text[selector.start : selector.end] == "Poznań"
