"""Finding where a text speaks of known terms.

Terms and their aliases are matched as whole words, ignoring case, diacritics ("Petőfi" and
"Petofi") and the kind of apostrophe or dash, and tolerating plurals and possessives
("soviets", "Stalin’s"). Matching runs on a folded copy of the text that has exactly as many
code points as the original, so every offset found is an offset of the stored text.

No Django imports: pure and fast to test.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from functools import lru_cache

_SAME = {
    "\u2018": "'",
    "\u2019": "'",
    "\u02bc": "'",
    "\u2032": "'",
    "`": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u2010": "-",
    "\u2011": "-",
    "\u2012": "-",
    "\u2013": "-",
    "\u2014": "-",
    "\u00a0": " ",
    "\u202f": " ",
}


@lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    if char in _SAME:
        return _SAME[char]
    base = "".join(c for c in unicodedata.normalize("NFD", char) if not unicodedata.combining(c))
    lowered = (base or char).lower()
    if len(lowered) == 1:
        return lowered
    lowered = char.lower()
    return lowered if len(lowered) == 1 else char


def fold(text: str) -> str:
    """Lower case, no diacritics, plain quotes and dashes; same length as ``text``."""
    return "".join(_fold_char(c) for c in text)


def fold_phrase(text: str) -> str:
    """A term folded for matching, its inner white space made single."""
    return " ".join(fold(text).split())


@dataclass(frozen=True)
class Found:
    start: int
    end: int
    key: Hashable  # what was found (a concept's id, say)
    surface: str  # the words as they stand in the text


_PLURAL = r"(?:'s|s'|s|es)?"


def _pattern_for(phrase: str) -> str:
    words = [re.escape(w) for w in phrase.split()]
    last = words[-1]
    if re.fullmatch(r"[a-z]+y", phrase.split()[-1]):
        last = f"(?:{last}|{last[:-1]}ies)"
    words[-1] = last + _PLURAL
    return r"\s+".join(words)


class TermMatcher:
    """One compiled pattern for many terms; longer terms win over the shorter ones they contain."""

    def __init__(self, terms: Iterable[tuple[Hashable, str]]):
        by_phrase: dict[str, Hashable] = {}
        for key, term in terms:
            phrase = fold_phrase(term)
            if len(phrase) >= 2:
                by_phrase.setdefault(phrase, key)
        self._keys = []
        parts = []
        for phrase in sorted(by_phrase, key=len, reverse=True):
            parts.append(f"(?P<t{len(self._keys)}>{_pattern_for(phrase)})")
            self._keys.append(by_phrase[phrase])
        self._regex = (
            re.compile(r"(?<![\w-])(?:" + "|".join(parts) + r")(?![\w-])") if parts else None
        )

    def find(self, text: str) -> list[Found]:
        if self._regex is None:
            return []
        folded = fold(text)
        found = []
        for match in self._regex.finditer(folded):
            index = int(match.lastgroup[1:])
            start, end = match.span()
            found.append(Found(start, end, self._keys[index], text[start:end]))
        return found
