"""Finding where a text speaks of known terms.

Terms and their aliases are matched as whole words, ignoring case, diacritics ("Petőfi" and
"Petofi") and the kind of apostrophe or dash, and tolerating plurals and possessives
("soviets", "Stalin’s"). Matching runs on a folded copy of the text that has exactly as many
code points as the original, so every offset found is an offset of the stored text.

No Django imports: pure and fast to test.
"""

from __future__ import annotations

import itertools
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


# A word: letters and digits, with inner hyphens or apostrophes ("counter-revolution",
# "hadn't"), and a trailing apostrophe ("workers'"). Runs on folded text, so ’ is already '.
_WORD = re.compile(r"\w+(?:[-']\w+)*'?")


def _words(folded: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group()) for m in _WORD.finditer(folded)]


def _last_word_forms(word: str, end: int) -> list[tuple[str, int]]:
    """The forms a phrase's last word may stand for, with where the match ends.

    "Stalin's" → Stalin (the match keeps the 's); "front'" (a closing quote) → front (the match
    stops before the quote); "councils" → council; "bureaucracies" → bureaucracy.
    """
    forms = [(word, end)]
    base, base_end = word, end
    if word.endswith("'s"):
        base = word[:-2]
    elif word.endswith("'"):
        base, base_end = word[:-1], end - 1
    if base != word:
        forms.append((base, base_end))
    if base.endswith("ies") and len(base) > 4:
        forms.append((base[:-3] + "y", base_end))
    if base.endswith("es") and len(base) > 3:
        forms.append((base[:-2], base_end))
    if base.endswith("s") and not base.endswith("ss") and len(base) > 2:
        forms.append((base[:-1], base_end))
    return forms


def _gaps(folded: str, words: list[tuple[int, int, str]]) -> tuple[str, ...] | None:
    """What stands between consecutive words, white space dropped; None across paragraphs."""
    gaps = []
    for (_, end, _), (start, _, _) in itertools.pairwise(words):
        between = folded[end:start]
        if "\n" in between:
            return None
        gaps.append(between.strip())
    return tuple(gaps)


class TermMatcher:
    """Finds many terms at once, leftmost and longest first, in time linear in the text.

    A term matches a run of words of the text: the same words, the same punctuation between
    them, the last word perhaps in its plural or possessive form. A term never matches part of
    a word ("Stalin" is not found in "Stalinist"). The alias "soviets" does not match
    "Soviet": only the text's word is reduced to its singular, never the term's.
    """

    def __init__(self, terms: Iterable[tuple[Hashable, str]]):
        self._index: dict[tuple[tuple[str, ...], tuple[str, ...]], Hashable] = {}
        self._longest = 0
        for key, term in terms:
            folded = fold(term)
            words = _words(folded)
            gaps = _gaps(folded, words) if words else None
            if not words or gaps is None or len(folded.strip()) < 2:
                continue
            self._index.setdefault((tuple(w for _, _, w in words), gaps), key)
            self._longest = max(self._longest, len(words))

    def find(self, text: str) -> list[Found]:
        if not self._index:
            return []
        folded = fold(text)
        words = _words(folded)
        found, i = [], 0
        while i < len(words):
            match = self._match_at(folded, words, i)
            if match is None:
                i += 1
                continue
            count, end, key = match
            start = words[i][0]
            found.append(Found(start, end, key, text[start:end]))
            i += count
        return found

    def _match_at(self, folded, words, i):
        for count in range(min(self._longest, len(words) - i), 0, -1):
            window = words[i : i + count]
            gaps = _gaps(folded, window)
            if gaps is None:
                continue
            head = tuple(w for _, _, w in window[:-1])
            _, last_end, last = window[-1]
            for form, end in _last_word_forms(last, last_end):
                key = self._index.get(((*head, form), gaps))
                if key is not None:
                    return count, end, key
        return None


# --- dates ------------------------------------------------------------------------------

_MONTH_NAMES = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
_MONTH_NUMBER = {name: n for n, name in enumerate(_MONTH_NAMES, 1)}
_MONTH = "|".join(_MONTH_NAMES)  # capitalised only: "may" and "march" are words too
_YEAR = r"(?:1[0-9]|20)\d\d"  # 1000–2099
_RELATIVE = {
    "that year": 0,
    "the same year": 0,
    "the following year": 1,
    "the next year": 1,
    "a year later": 1,
    "the previous year": -1,
    "the year before": -1,
}
_DATES = re.compile(
    r"\b(?:"
    rf"(?P<d_day>\d{{1,2}})\s+(?P<d_month>{_MONTH})\s+(?P<d_year>{_YEAR})"
    rf"|(?P<a_month>{_MONTH})\s+(?P<a_day>\d{{1,2}}),?\s+(?P<a_year>{_YEAR})"
    rf"|(?P<m_month>{_MONTH})\s+(?P<m_year>{_YEAR})"
    rf"|(?P<y_words>(?i:(?:later|earlier|early|late)\s+)?(?i:in|by|since|during|until|of|from))"
    rf"\s+(?P<y_year>{_YEAR})"
    r"|(?P<decade>(?i:the)\s+(?P<decade_year>1[0-9]\d0|20[0-9]0)s)"
    r"|(?P<relative>(?i:" + "|".join(k.replace(" ", r"\s+") for k in _RELATIVE) + r"))"
    r")(?![\w-])"
)


@dataclass(frozen=True)
class FoundDate:
    start: int
    end: int
    surface: str  # the words as they stand in the text
    edtf: str  # the date they name, in EDTF ("1956-02", "1956-10-23", "1956", "195X")
    relative: bool  # "that year": resolved against the last year named before it


def _days_in(year: int, month: int) -> int:
    import calendar

    return calendar.monthrange(year, month)[1]


def find_dates(text: str) -> list[FoundDate]:
    """Dated expressions in a text, in order: "23 October 1956", "February 1956", "in 1919",
    "later in 1956", "the 1950s", and "that year" (resolved against the last year named before
    it outside brackets; dropped when there is none)."""
    found: list[FoundDate] = []
    last_year: int | None = None
    for match in _DATES.finditer(text):
        groups = match.groupdict()
        start, end = match.start(), match.end()
        relative = False
        if groups["d_day"] or groups["a_day"]:
            day = int(groups["d_day"] or groups["a_day"])
            month = _MONTH_NUMBER[groups["d_month"] or groups["a_month"]]
            year = int(groups["d_year"] or groups["a_year"])
            if not 1 <= day <= _days_in(year, month):
                edtf = f"{year:04d}-{month:02d}"
            else:
                edtf = f"{year:04d}-{month:02d}-{day:02d}"
        elif groups["m_month"]:
            year = int(groups["m_year"])
            edtf = f"{year:04d}-{_MONTH_NUMBER[groups['m_month']]:02d}"
        elif groups["y_year"]:
            year = int(groups["y_year"])
            edtf = f"{year:04d}"
        elif groups["decade"]:
            edtf = groups["decade_year"][:3] + "X"
            year = None
        else:
            if last_year is None:
                continue
            phrase = " ".join(groups["relative"].lower().split())
            year = last_year + _RELATIVE[phrase]
            edtf = f"{year:04d}"
            relative = True
        # A year in an aside ("(who had died in 1953)") is not what "that year" refers to.
        aside = text.rfind("(", 0, start) > text.rfind(")", 0, start)
        if year is not None and not relative and not aside:
            last_year = year
        found.append(FoundDate(start, end, text[start:end], edtf, relative))
    return found
