"""Pure helpers for the search index and its queries: folding, spelling variants, the weight of
a row, and trigram similarity for “Did you mean”.

No Django imports: the index can be fed from any source (saved objects today, published
versions later) with rows built from these, and the rules can be tested without a database.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from unidecode import unidecode

WORD = re.compile(r"\w+")


@lru_cache(maxsize=65536)
def fold_word(word: str) -> str:
    """A word without diacritics, Latin letters spelled out (Gomułka → gomulka, Straße →
    strasse), lower case; words in other scripts keep their letters (Хрущёв → хрущев)."""
    decomposed = unicodedata.normalize("NFKD", word)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    if stripped.isascii():
        return stripped.lower()
    out = []
    for char in stripped:
        if not char.isascii() and unicodedata.name(char, "").startswith("LATIN"):
            out.append(unidecode(char))
        else:
            out.append(char)
    return "".join(out).lower()


def fold(text: str) -> str:
    """Text with every word folded (``fold_word``), other characters kept."""
    return WORD.sub(lambda m: fold_word(m.group()), text or "")


# British and American spellings: each pattern's two forms, for words of at least 5 letters.
_SPELLINGS = [
    (re.compile(r"^(\w{3,})is(e|es|ed|ing|ation|ations|er|ers)$"), r"\1iz\2"),
    (re.compile(r"^(\w{3,})iz(e|es|ed|ing|ation|ations|er|ers)$"), r"\1is\2"),
    (re.compile(r"^(\w{2,}[^aeiou])our(s|ed|ing|ite|ites|able)?$"), r"\1or\2"),
    (re.compile(r"^(\w{3,}[^aeiou])or(s|ed|ing|ite|ites|able)?$"), r"\1our\2"),
    (re.compile(r"^(\w{3,})tre(s)?$"), r"\1ter\2"),
    (re.compile(r"^(\w{3,})ter(s)?$"), r"\1tre\2"),
    (re.compile(r"^(\w{3,})ence$"), r"\1ense"),
    (re.compile(r"^(\w{3,})ense$"), r"\1ence"),
    (re.compile(r"^(\w{3,}[aeiou])ll(ed|ing|er|ers)$"), r"\1l\2"),
    (re.compile(r"^(\w{3,}[aeiou])l(ed|ing|er|ers)$"), r"\1ll\2"),
    (re.compile(r"^(\w{3,})ogue(s)?$"), r"\1og\2"),
]


@lru_cache(maxsize=65536)
def spelling_variants(word: str) -> tuple[str, ...]:
    """Other spellings of a folded word: organisation ↔ organization, labour ↔ labor,
    centre ↔ center, defence ↔ defense, travelled ↔ traveled, catalogue ↔ catalog."""
    if len(word) < 5 or not word.isascii():
        return ()
    return tuple(
        {
            pattern.sub(replacement, word)
            for pattern, replacement in _SPELLINGS
            if pattern.match(word)
        }
        - {word}
    )


def extra_terms(*texts: str) -> str:
    """The forms a row's words may also be searched by, space-separated: folded forms that
    diacritic removal alone does not give (gomulka for Gomułka) and the other spelling of
    British and American words. Indexed beside the text, never shown."""
    extra: set[str] = set()
    for text in texts:
        for match in WORD.finditer(text or ""):
            word = match.group()
            folded = fold_word(word)
            plain = "".join(
                c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c)
            ).lower()
            if folded != plain:
                extra.add(folded)
            extra.update(spelling_variants(folded))
    return " ".join(sorted(extra))


# --- how much a row counts -----------------------------------------------------------------

PROSE, SHORT, LIST = 1.0, 0.3, 0.2


def row_weight(text: str, *, kind: str = "paragraph") -> float:
    """How much a row's matches count next to others: prose counts fully; a heading, a list
    item, a short line or a list of names (a row of aliases, a line of metadata) counts less,
    so that it does not outrank the prose that discusses the same words."""
    if kind in ("heading", "item"):
        return SHORT
    words = WORD.findall(text or "")
    if not words:
        return LIST
    lines = [line for line in (text or "").splitlines() if line.strip()]
    if len(lines) > 1 and all(len(WORD.findall(line)) <= 6 for line in lines):
        return LIST
    if len(words) < 12 and not re.search(r"[.!?…]\s+\w", text):
        return SHORT
    return PROSE


# --- did you mean -----------------------------------------------------------------------


@lru_cache(maxsize=8192)
def trigrams(word: str) -> frozenset[str]:
    """pg_trgm's trigrams of a word: padded with two spaces before and one after."""
    padded = f"  {word.lower()} "
    return frozenset(padded[i : i + 3] for i in range(len(padded) - 2))


def similarity(a: str, b: str) -> float:
    """pg_trgm's similarity: shared trigrams over all trigrams of both words."""
    ta, tb = trigrams(a), trigrams(b)
    if not ta or not tb:
        return 0.0
    return len(ta & tb) / len(ta | tb)


SIMILARITY_THRESHOLD = 0.3


def best_match(word: str, candidates) -> str | None:
    """The candidate most like ``word``, or None when none is alike enough.

    Candidates must share enough trigrams (pg_trgm's similarity at least 0.3); among those,
    the one fewest edits away wins (Damerau–Levenshtein, so "Hungarain" is "Hungarian", one
    swap, rather than "Hungary"), then the earliest given (the most frequent)."""
    from rapidfuzz.distance import DamerauLevenshtein

    best, best_score = None, 0.0
    for candidate in candidates:
        if candidate == word:
            return None
        alike = similarity(word, candidate)
        if alike < SIMILARITY_THRESHOLD:
            continue
        score = alike + DamerauLevenshtein.normalized_similarity(word, candidate)
        if score > best_score:
            best, best_score = candidate, score
    return best
