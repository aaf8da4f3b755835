"""Anchoring passages in a text the way the W3C Web Annotation model does.

A passage is described twice: by its words with a little context on either side
(TextQuoteSelector: exact, prefix, suffix) and by its position (TextPositionSelector: start,
end, in Unicode code points). When the text is edited the passage is found again, in this
order: its words with their context, its words alone, its old position, and last a fuzzy match
that tolerates small edits inside it (rapidfuzz, in C). A passage that cannot be found is
reported as lost, never attached to other words.

No Django imports: pure and fast to test.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from rapidfuzz import fuzz
from rapidfuzz.distance import Indel

CONTEXT_LENGTH = 32
# How alike (0–100) re-found words must be to the old ones to count as the same passage.
FUZZY_THRESHOLD = 80.0
# How far (in characters) around its old place a changed passage is looked for first.
NEARBY = 2000


class AnchorState(enum.StrEnum):
    ANCHORED = "anchored"  # where it was, as it was
    MOVED = "moved"  # same words with their context, elsewhere (text before it changed)
    CHANGED = "changed"  # found, but its words were edited: an editor should check
    ELSEWHERE = "elsewhere"  # the same words, but away from their context: an editor should check
    LOST = "lost"  # cannot be found: an editor must re-select it

    @property
    def needs_attention(self) -> bool:
        return self in (AnchorState.CHANGED, AnchorState.ELSEWHERE, AnchorState.LOST)


@dataclass(frozen=True)
class Selector:
    exact: str
    prefix: str
    suffix: str
    start: int
    end: int


@dataclass(frozen=True)
class Resolution:
    state: AnchorState
    selector: Selector | None  # the selector in the new text; None when lost
    score: float = 100.0


class SelectionError(ValueError):
    """A selection that does not describe a passage of the text."""


def describe(text: str, start: int, end: int, *, context: int = CONTEXT_LENGTH) -> Selector:
    """The selectors of text[start:end], trimmed of surrounding white space."""
    if not (0 <= start < end <= len(text)):
        raise SelectionError(
            f"The selection {start}–{end} is outside the text (0–{len(text)} characters)."
        )
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start == end:
        raise SelectionError("The selection holds only blank space.")
    return Selector(
        exact=text[start:end],
        prefix=text[max(0, start - context) : start],
        suffix=text[end : end + context],
        start=start,
        end=end,
    )


def locate(text: str, exact: str, *, near: int = 0, prefix: str = "", suffix: str = "") -> int:
    """Offset of ``exact`` in ``text`` best fitting its context, or -1."""
    candidates = _occurrences(text, exact)
    if not candidates:
        return -1
    return max(
        candidates, key=lambda s: (_context_score(text, s, exact, prefix, suffix), -abs(s - near))
    )


def resolve(text: str, selector: Selector) -> Resolution:
    """Find the passage again in an edited text."""
    exact, start, end = selector.exact, selector.start, selector.end
    if text[start:end] == exact and _context_fits(text, start, end, selector):
        return Resolution(AnchorState.ANCHORED, selector)

    found = locate(text, exact, near=start, prefix=selector.prefix, suffix=selector.suffix)
    if found >= 0:
        new = describe(text, found, found + len(exact))
        if found == start:
            return Resolution(AnchorState.ANCHORED, new)
        # Moved with its context (text before it changed), or only the same words somewhere
        # else (its own place was edited away): that may be another passage, so say so.
        context = len(selector.prefix) + len(selector.suffix)
        kept = _context_score(text, found, exact, selector.prefix, selector.suffix)
        state = AnchorState.MOVED if not context or kept * 2 >= context else AnchorState.ELSEWHERE
        return Resolution(state, new)

    # Words still framed by their old context mark the passage's ends best; then the old
    # position; then the closest approximate match anywhere.
    candidates = [_between_context(text, selector)]
    if end <= len(text):
        candidates.append((start, end))
    candidates.append(_fuzzy_span(text, exact, start))
    best: tuple[float, int, int] | None = None
    for rank, candidate in enumerate(candidates):
        if candidate is None or candidate[0] >= candidate[1]:
            continue
        score = Indel.normalized_similarity(exact, text[candidate[0] : candidate[1]]) * 100
        if rank == 0 and score >= FUZZY_THRESHOLD:
            best = (score, *candidate)
            break
        if best is None or score > best[0]:
            best = (score, *candidate)
    if best and best[0] >= FUZZY_THRESHOLD:
        score, new_start, new_end = best
        try:
            new = describe(text, new_start, new_end)
        except SelectionError:
            return Resolution(AnchorState.LOST, None, score)
        return Resolution(AnchorState.CHANGED, new, score)
    return Resolution(AnchorState.LOST, None, best[0] if best else 0.0)


def follow(previous: str, resolution: Resolution) -> AnchorState:
    """The state after an edit: a passage flagged for an editor stays flagged (the flag goes
    only when an editor confirms or selects it again), however well it is found now; one that
    is lost now is lost whatever it was."""
    if resolution.state == AnchorState.LOST:
        return AnchorState.LOST
    if previous and AnchorState(previous).needs_attention:
        return AnchorState(previous)
    return resolution.state


def _occurrences(text: str, needle: str) -> list[int]:
    found, index = [], text.find(needle)
    while index >= 0:
        found.append(index)
        index = text.find(needle, index + 1)
    return found


def _context_score(text: str, start: int, exact: str, prefix: str, suffix: str) -> int:
    before = text[max(0, start - len(prefix)) : start]
    after = text[start + len(exact) : start + len(exact) + len(suffix)]
    return _common_suffix(before, prefix) + _common_prefix(after, suffix)


def _context_fits(text: str, start: int, end: int, selector: Selector) -> bool:
    before = text[max(0, start - len(selector.prefix)) : start]
    after = text[end : end + len(selector.suffix)]
    return before == selector.prefix and after == selector.suffix


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def _common_suffix(a: str, b: str) -> int:
    return _common_prefix(a[::-1], b[::-1])


def _between_context(text: str, selector: Selector) -> tuple[int, int] | None:
    """The words between the old prefix and suffix, if both are still there once."""
    if len(selector.prefix) < 8 or len(selector.suffix) < 8:
        return None
    before = _occurrences(text, selector.prefix)
    after = _occurrences(text, selector.suffix)
    if len(before) != 1 or len(after) != 1:
        return None
    start = before[0] + len(selector.prefix)
    end = after[0]
    if end <= start or end - start > 2 * len(selector.exact) + 40:
        return None
    return start, end


def _fuzzy_span(text: str, exact: str, near: int) -> tuple[int, int] | None:
    """Best approximate occurrence of ``exact``, its ends moved to fit the words.

    Looked for first near where the passage was (edits rarely move text far), then everywhere.
    """
    reach = NEARBY + len(exact)
    low = max(0, near - reach)
    alignment = fuzz.partial_ratio_alignment(
        exact, text[low : near + len(exact) + reach], score_cutoff=FUZZY_THRESHOLD - 10
    )
    if alignment is None and (low > 0 or near + len(exact) + reach < len(text)):
        low = 0
        alignment = fuzz.partial_ratio_alignment(exact, text, score_cutoff=FUZZY_THRESHOLD - 10)
    if alignment is None:
        return None
    start, end = low + alignment.dest_start, low + alignment.dest_end
    slack = max(4, len(exact) // 5)
    best = (Indel.normalized_similarity(exact, text[start:end]), start, end)
    for new_start in _word_edges(text, start - slack, start + slack):
        for new_end in _word_edges(text, end - slack, end + slack):
            if new_end <= new_start:
                continue
            score = Indel.normalized_similarity(exact, text[new_start:new_end])
            if score > best[0]:
                best = (score, new_start, new_end)
    return best[1], best[2]


def _word_edges(text: str, low: int, high: int) -> list[int]:
    """Offsets in [low, high] where a word starts or ends (and the bounds of the text)."""
    low, high = max(0, low), min(len(text), high)
    edges = []
    for i in range(low, high + 1):
        left = text[i - 1] if i > 0 else " "
        right = text[i] if i < len(text) else " "
        if left.isspace() != right.isspace() or i in (0, len(text)):
            edges.append(i)
    return edges or [low]
