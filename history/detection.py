"""Finding where a text speaks of known terms, the dates it names, and names that may deserve
a concept of their own.

Terms and their aliases are matched as whole words in one pass over the text with an
Aho–Corasick automaton (pyahocorasick) built once from every form of every concept, ignoring
diacritics and Latin letters' variants (Unidecode: ł→l, ø→o, ß→ss, æ→ae), the kind of
apostrophe or dash, and tolerating plurals and possessives ("soviets", "Stalin’s"). Matching
runs on a folded copy of the text with a map back to the original, so every offset found is an
offset (in code points) of the stored text.

Case rules per form: a form in lower case ("soviets") matches lower case, a capital at the
start of a sentence, or all capitals, but not "Soviets" in mid-sentence; a form in capitals
only ("NSC") matches only capitals; a form starting with "=" matches only exactly as written;
any other form (a name) matches in any case. A capitalised name followed at once by another
capitalised word is part of a longer name ("Stalin Works", "J. Stalin Metal Factory") and is
not linked to the shorter one.

No Django imports: pure and fast to test.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from functools import lru_cache

_SAME = {
    "\u2018": "'", "\u2019": "'", "\u02bc": "'", "\u2032": "'", "`": "'",
    "\u201c": '"', "\u201d": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-",
    "\u00a0": " ", "\u202f": " ", "\n": "\n",
}  # fmt: skip


@lru_cache(maxsize=8192)
def _fold_char(char: str) -> str:
    """One character folded: lower case, no diacritics, Latin variants spelled out."""
    if char in _SAME:
        return _SAME[char]
    if char.isascii():
        return char.lower()
    base = "".join(c for c in unicodedata.normalize("NFD", char) if not unicodedata.combining(c))
    if not base:
        return ""
    if base.isascii():
        return base.lower()
    if unicodedata.name(char, "").startswith("LATIN"):
        from unidecode import unidecode

        spelled = unidecode(char)
        if spelled and spelled.isalpha():
            return spelled.lower()
    lowered = base.lower()
    return lowered if len(lowered) == 1 else base


# Runs of ASCII letters, digits and spaces fold to themselves in lower case, one character
# for one: they are folded a run at a time, everything else a character at a time.
_ASCII_RUN = re.compile(r"[\x00-\x5f\x61-\x7f]+")  # ASCII but the backtick


def fold_with_map(text: str) -> tuple[str, list[int]]:
    """The folded text and, for each of its characters (and its end), the offset in ``text``."""
    parts, where = [], []
    position = 0
    for run in _ASCII_RUN.finditer(text):
        start, end = run.span()
        for index in range(position, start):
            folded = _fold_char(text[index])
            parts.append(folded)
            where.extend([index] * len(folded))
        parts.append(run.group().lower())
        where.extend(range(start, end))
        position = end
    for index in range(position, len(text)):
        folded = _fold_char(text[index])
        parts.append(folded)
        where.extend([index] * len(folded))
    where.append(len(text))
    return "".join(parts), where


def fold(text: str) -> str:
    """Lower case, no diacritics, Latin variants spelled out, plain quotes and dashes."""
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


# --- case rules --------------------------------------------------------------------------

ANY_CASE, LOWER, CAPITALS, EXACT = "any", "lower", "capitals", "exact"


def case_rule(form: str) -> tuple[str, str]:
    """(rule, the form without its marker) for one term or alias; see the module's text."""
    if form.startswith("="):
        return EXACT, form[1:].strip()
    letters = [c for c in form if c.isalpha()]
    if letters and all(c.islower() for c in letters if c.lower() != c.upper()):
        cased = [c for c in letters if c.lower() != c.upper()]
        if cased:
            return LOWER, form
    cased = [c for c in letters if c.lower() != c.upper()]
    if len(cased) >= 2 and all(c.isupper() for c in cased) and len(form.split()) == 1:
        return CAPITALS, form
    return ANY_CASE, form


_SENTENCE_START = re.compile(r"(?:^|[.!?…:;]\s+|[\"'“‘(«\[]\s*|\n)$")


def _case_fits(rule: str, form: str, surface: str, before: str) -> bool:
    if rule == ANY_CASE:
        return True
    if rule == EXACT:
        return surface.startswith(form) or (fold(surface) == fold(form) and surface == form)
    cased = [c for c in surface if c.lower() != c.upper()]
    if rule == CAPITALS:
        # "USSR's", "NSCs": a possessive or plural ending may be in lower case.
        stem = re.sub(r"(?:['’]s|s)$", "", surface)
        return all(c.isupper() for c in stem if c.lower() != c.upper())
    # LOWER: lower case; a capital only at the start of a sentence; or all in capitals.
    if all(c.islower() for c in cased) or (len(cased) > 1 and all(c.isupper() for c in cased)):
        return True
    if cased and cased[0].isupper() and all(c.islower() for c in cased[1:]):
        return bool(_SENTENCE_START.search(before[-3:] if before else ""))
    return False


# --- matching ----------------------------------------------------------------------------


def _variants(folded: str) -> list[str]:
    """The forms a folded term takes in texts: plural and possessive of its last word."""
    variants = [folded, folded + "'s"]
    last = folded.rsplit(" ", 1)[-1]
    if last[-1:].isalpha() and last.isascii():
        if folded.endswith("y") and len(last) > 2:
            variants.append(folded[:-1] + "ies")
        if not folded.endswith("s"):
            variants += [folded + "s", folded + "es"]
    return variants


def _is_word_char(char: str) -> bool:
    return char.isalnum() or char == "_"


class TermMatcher:
    """Finds many terms at once, leftmost and longest first, in one pass over the text.

    A term matches a run of words of the text: the same words, the same punctuation between
    them, the last word perhaps in its plural or possessive form. A term never matches part of
    a word ("Stalin" is not found in "Stalinist"). The alias "soviets" does not match
    "Soviet": only the term's own forms are extended, never shortened.
    """

    def __init__(self, terms: Iterable[tuple[Hashable, str]]):
        import ahocorasick

        self._automaton = ahocorasick.Automaton()
        entries: dict[str, list] = {}
        for key, term in terms:
            rule, form = case_rule(term or "")
            folded = fold_phrase(form)
            if len(folded) < 2 or not any(c.isalnum() for c in folded):
                continue
            for variant in _variants(folded):
                entries.setdefault(variant, [])
                if not any(existing[0] == key for existing in entries[variant]):
                    entries[variant].append((key, rule, form))
        for variant, targets in entries.items():
            self._automaton.add_word(variant, (len(variant), tuple(targets)))
        self._empty = not entries
        if not self._empty:
            self._automaton.make_automaton()

    def find(self, text: str) -> list[Found]:
        if self._empty or not text:
            return []
        folded, where = fold_with_map(text)
        candidates = []
        for end_index, (length, targets) in self._automaton.iter(folded):
            start, end = end_index - length + 1, end_index + 1
            if start > 0 and _is_word_char(folded[start - 1]):
                continue
            if end < len(folded) and _is_word_char(folded[end]):
                continue
            o_start, o_end = where[start], where[end - 1] + 1
            surface = text[o_start:o_end]
            before = text[max(0, o_start - 3) : o_start]
            for key, rule, form in targets:
                if not _case_fits(rule, form, surface, before):
                    continue
                longer = rule != LOWER and _inside_longer_name(text, o_start, o_end, surface)
                candidates.append((o_start, o_end, key, surface, longer))
                break
        # A name followed by another known name ("denouncing Stalin Khrushchev", a comma
        # missing) is two names, not one longer one.
        starts = {c[0] for c in candidates}
        candidates = [
            c[:4] for c in candidates if not c[4] or _next_word_start(text, c[1]) in starts
        ]
        candidates.sort(key=lambda c: (c[0], -(c[1] - c[0])))
        found, last_end = [], -1
        for start, end, key, surface in candidates:
            if start < last_end:
                continue
            found.append(Found(start, end, key, surface))
            last_end = end
        return found


def _next_word_start(text: str, end: int) -> int:
    match = re.compile(r"[ \u00a0]+").match(text, end)
    return match.end() if match else -1


_NEXT_NAME_WORD = re.compile(r"[ \u00a0]+(?:[A-Z]|[^\W\d_a-z])\w*")


def _inside_longer_name(text: str, start: int, end: int, surface: str) -> bool:
    """Whether a capitalised match runs straight on into another capitalised word: "Stalin
    Works", "Stalin Metal Factory" are other names than "Stalin". A possessive ends the name."""
    if not surface[:1].isupper() or surface.endswith(("'s", "’s", "s'", "s’")):
        return False
    match = _NEXT_NAME_WORD.match(text, end)
    if match is None:
        return False
    word = match.group().strip()
    return word[:1].isupper() and word.lower() not in _NOT_NAME_CONTINUATIONS


# Capitalised words that follow a name without being part of it: offices and titles
# ("Soviet Communist Party First Secretary Nikita Khrushchev").
_NOT_NAME_CONTINUATIONS = {
    "i", "first", "second", "secretary", "president", "premier", "minister", "chairman",
    "general", "leader", "ambassador", "director", "deputy", "chief", "prime",
}  # fmt: skip


# --- dates -------------------------------------------------------------------------------

_MONTH_NAMES = ["January", "February", "March", "April", "May", "June", "July", "August",
                "September", "October", "November", "December"]  # fmt: skip
_MONTH_NUMBER = {name: n for n, name in enumerate(_MONTH_NAMES, 1)}
_ABBREVIATIONS = {"Jan": 1, "Feb": 2, "Mar": 3, "Apr": 4, "Aug": 8, "Sept": 9, "Sep": 9,
                  "Oct": 10, "Nov": 11, "Dec": 12}  # fmt: skip
_MONTH = "|".join(_MONTH_NAMES) + "|" + "|".join(rf"{a}\." for a in _ABBREVIATIONS)
_YEAR = r"(?:1[0-9]|20)\d\d"  # 1000–2099
# Not part of a file number or a longer number: "748.00/6–2856", "611.66/11–1456".
_NB = r"(?<![\d/.–-])"
_NA = r"(?![\d/]|\.\d)"
_DASH = r"\s*[–—-]\s*"
_TIME = r"(?:(?:[01]\d|2[0-3])[0-5]\d|\d{1,2}(?::\d\d)?\s*[ap]\.m\.|\d{1,2}:\d\d|midnight|noon)"
_RELATIVE = {
    "that year": 0,
    "the same year": 0,
    "the following year": 1,
    "the next year": 1,
    "a year later": 1,
    "the previous year": -1,
    "the year before": -1,
}
# Words that say the number next to them is a year, in the scripts of the corpus.
_YEAR_AFTER = r"года|году|годы|г\.|年|년|წლის|gada|évi|की|թ\."
_YEAR_BEFORE = r"του|της|של|בשנת|لعام|عام|سنة|سال|ឆ្នាំ|ค\.ศ\.|พ\.ศ\."

_DATES = re.compile(
    r"(?<!\w)(?:"
    # ranges first, so they are kept whole
    rf"(?P<r1_d1>\d{{1,2}})\s+(?P<r1_m1>{_MONTH})(?:\s+(?P<r1_y1>{_YEAR}))?"
    rf"(?:{_DASH}|\s+(?:until|to|till)\s+)(?P<r1_d2>\d{{1,2}})\s+(?P<r1_m2>{_MONTH}),?\s+"
    rf"(?P<r1_y2>{_YEAR}){_NA}"
    rf"|(?P<r2_m1>{_MONTH})\s+(?P<r2_d1>\d{{1,2}})(?:,?\s+(?P<r2_y1>{_YEAR}))?{_DASH}"
    rf"(?P<r2_m2>{_MONTH})\s+(?P<r2_d2>\d{{1,2}}),?\s+(?P<r2_y2>{_YEAR}){_NA}"
    rf"|(?P<r3_m>{_MONTH})\s+(?P<r3_d1>\d{{1,2}})(?:{_DASH}|\s+and\s+)(?P<r3_d2>\d{{1,2}})"
    rf"(?:,?\s+(?P<r3_y>{_YEAR}))?{_NA}(?![\w])"
    rf"|(?P<r4_m1>{_MONTH})(?:,?\s+(?P<r4_y1>{_YEAR}))?{_DASH}(?P<r4_m2>{_MONTH}),?\s+"
    rf"(?P<r4_y2>{_YEAR}){_NA}"
    rf"|(?P<r5_words>(?i:in|from|between|the|during|by|of)\s+){_NB}(?P<r5_y1>{_YEAR})"
    rf"(?:{_DASH}|\s+(?:and|or|to)\s+)(?P<r5_y2>{_YEAR}){_NA}(?!\w)"
    rf"|(?P<r6_q>(?i:early|mid-?|late)\s+)?{_NB}(?P<r6_y1>{_YEAR})\s+or\s+(?P<r6_y2>{_YEAR})"
    rf"{_NA}(?!\w)"
    # single days, with a time before or after
    rf"|(?:(?P<t1>{_TIME}),?\s+)?(?:(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|"
    rf"Sunday),\s+)?(?:"
    rf"{_NB}(?P<d_day>\d{{1,2}})\s+(?P<d_month>{_MONTH})(?:,?\s+(?P<d_year>{_YEAR}))?"
    rf"|(?P<a_month>{_MONTH})\s+(?P<a_day>\d{{1,2}})(?!\d)(?:,?\s+(?P<a_year>{_YEAR}))?"
    rf")(?:,\s+(?P<t2>{_TIME}))?{_NA}(?![\w])"
    rf"|(?P<m_month>{_MONTH}),?\s+(?P<m_year>{_YEAR}){_NA}"
    rf"|(?P<y_words>(?i:(?:(?:later|earlier)\s+)?(?:in|by|since|during|until|of|from|after|before|around|circa)"
    rf"(?:\s+(?:early|late|mid))?|early|late|mid|c\.)(?:\s+|-)){_NB}(?P<y_year>{_YEAR}){_NA}(?!\w)"
    rf"|(?P<decade>(?i:the)\s+(?P<decade_year>1[0-9]\d0|20[0-9]0)s)"
    rf"|(?P<w_before>(?:{_YEAR_BEFORE})\s*){_NB}(?P<w_year_b>\d{{4}}){_NA}"
    rf"|{_NB}(?P<w_year_a>{_YEAR})(?:-\w{{1,3}}\b|\.?\s*(?:{_YEAR_AFTER})|(?=年|년)|\.\s+(?=[^\W\d_A-Z]))"
    rf"|\((?P<p_year>{_YEAR})\)"
    r"|(?P<relative>(?i:" + "|".join(k.replace(" ", r"\s+") for k in _RELATIVE) + r"))"
    r")"
)


@dataclass(frozen=True)
class FoundDate:
    start: int
    end: int
    surface: str  # the words as they stand in the text
    edtf: str  # the date they name, in EDTF ("1956-02", "1956-10-23", "1956", "195X")
    relative: bool  # "that year": resolved against the last year named before it
    reasoning: str = ""  # how the year was found when the words do not give one


def _days_in(year: int, month: int) -> int:
    import calendar

    return calendar.monthrange(year, month)[1]


def _month(name: str) -> int:
    return _MONTH_NUMBER.get(name) or _ABBREVIATIONS[name.rstrip(".")]


def _day(year: int, month: int, day: int) -> str:
    if not 1 <= day <= _days_in(year, month):
        return f"{year:04d}-{month:02d}"
    return f"{year:04d}-{month:02d}-{day:02d}"


def _span(y1, m1, d1, y2, m2, d2) -> str:
    return f"{_day(y1, _month(m1), int(d1))}/{_day(y2, _month(m2), int(d2))}"


def _context_year(last_year, last_year_words, first_year):
    """A function giving (year, reasoning) for a date written without its year."""

    def context_year():
        if last_year is not None:
            return last_year, (
                f"the year is not given; {last_year} from “{last_year_words}” before it"
            )
        if first_year is not None:
            return first_year[0], (
                f"the year is not given; {first_year[0]} from “{first_year[1]}”, the first "
                "year the text names"
            )
        return None, ""

    return context_year


def ascii_digits(text: str) -> str:
    """Digits of any script as ASCII digits (Persian ۱۹۵۶, Khmer ១៩៥៦, Thai ๒๔๙๙), same length."""
    if text.isascii():
        return text
    return "".join(
        str(unicodedata.digit(c)) if not c.isascii() and unicodedata.digit(c, None) is not None
        else c
        for c in text
    )  # fmt: skip


def find_dates(text: str) -> list[FoundDate]:
    """Dated expressions in a text, in order: "23 October 1956", "February 1956", "in 1919",
    "later in 1956", "the 1950s", ranges kept whole ("23 October – 4 November 1956",
    "1957–1988", "late 1957 or 1958"), days with a time ("0800 June 28"), years in other
    scripts and digits ("1956 года", "۱۹۵۶", "พ.ศ. ๒๔๙๙"), and "that year".

    A day without a year ("June 28") and "that year" take the last year named before them
    outside brackets, or else the first year the text names; ``reasoning`` says which.
    Numbers inside file numbers ("748.00/6–2856") are not dates.
    """
    digits = ascii_digits(text)
    matches = [m for start, end in _windows(digits) for m in _DATES.finditer(digits, start, end)]
    first_year = _first_year(matches, text)
    found: list[FoundDate] = []
    last_year: int | None = None
    last_year_words = ""
    for match in matches:
        g = match.groupdict()
        start, end = match.start(), match.end()
        surface = text[start:end]
        aside = text.rfind("(", 0, start) > text.rfind(")", 0, start)
        relative, reasoning, year = False, "", None

        context_year = _context_year(last_year, last_year_words, first_year)
        edtf = None
        if g["r1_d1"]:
            y2 = int(g["r1_y2"])
            y1 = int(g["r1_y1"] or y2)
            edtf = _span(y1, g["r1_m1"], g["r1_d1"], y2, g["r1_m2"], g["r1_d2"])
            year = y2
        elif g["r2_m1"]:
            y2 = int(g["r2_y2"])
            y1 = int(g["r2_y1"] or y2)
            edtf = _span(y1, g["r2_m1"], g["r2_d1"], y2, g["r2_m2"], g["r2_d2"])
            year = y2
        elif g["r3_m"]:
            month = _month(g["r3_m"])
            if g["r3_y"]:
                year = int(g["r3_y"])
            else:
                year, reasoning = context_year()
                relative = True
            if year is None:
                continue
            edtf = f"{_day(year, month, int(g['r3_d1']))}/{_day(year, month, int(g['r3_d2']))}"
        elif g["r4_m1"]:
            y2 = int(g["r4_y2"])
            y1 = int(g["r4_y1"] or y2)
            edtf = f"{y1:04d}-{_month(g['r4_m1']):02d}/{y2:04d}-{_month(g['r4_m2']):02d}"
            year = y2
        elif g["r5_y1"]:
            # The words before are not part of the date ("the 1957–1988 period").
            start += len(g["r5_words"])
            surface = text[start:end]
            y1, y2 = int(g["r5_y1"]), int(g["r5_y2"])
            if y2 <= y1:
                continue
            edtf, year = f"{y1}/{y2}", y2
        elif g["r6_y1"]:
            y1, y2 = int(g["r6_y1"]), int(g["r6_y2"])
            if y2 <= y1:
                continue
            edtf, year = f"{y1}/{y2}", y2
            reasoning = f"“{surface}”: one of these years, so both are kept"
        elif g["d_day"] or g["a_day"]:
            day = int(g["d_day"] or g["a_day"])
            month = _month(g["d_month"] or g["a_month"])
            given = g["d_year"] or g["a_year"]
            if given:
                year = int(given)
            else:
                year, reasoning = context_year()
                relative = True
                if year is None:
                    continue
            edtf = _day(year, month, day)
            time = g["t1"] or g["t2"]
            if time:
                reasoning = (reasoning + "; " if reasoning else "") + f"at {time}"
        elif g["m_month"]:
            year = int(g["m_year"])
            edtf = f"{year:04d}-{_month(g['m_month']):02d}"
        elif g["y_year"]:
            words = g["y_words"] or ""
            year = int(g["y_year"])
            edtf = f"{year:04d}"
            stripped = words.strip(" -")
            if stripped.lower().split()[-1] in ("early", "late", "mid"):
                reasoning = f"“{stripped}” {year}: the whole year is kept"
        elif g["decade"]:
            edtf = g["decade_year"][:3] + "X"
        elif g["w_year_b"]:
            year = int(g["w_year_b"])
            marker = g["w_before"].strip()
            if marker == "พ.ศ.":
                year -= 543
                reasoning = f"Buddhist era {g['w_year_b']} is {year}"
            if not 1000 <= year <= 2099:
                continue
            start += len(g["w_before"])
            surface = text[start:end]
            edtf = f"{year:04d}"
        elif g["w_year_a"]:
            year = int(g["w_year_a"])
            end = start + 4
            surface = text[start:end]
            edtf = f"{year:04d}"
        elif g["p_year"]:
            year = int(g["p_year"])
            start, end = start + 1, end - 1
            surface = text[start:end]
            edtf = f"{year:04d}"
        elif g["relative"]:
            if last_year is None:
                continue
            phrase = " ".join(g["relative"].lower().split())
            year = last_year + _RELATIVE[phrase]
            edtf = f"{year:04d}"
            relative = True
            reasoning = f"“{surface}” after “{last_year_words}”"
        if edtf is None:
            continue
        if surface != text[start:end]:
            surface = text[start:end]
        if digits[start:end] != surface:
            reasoning = (reasoning + "; " if reasoning else "") + (
                f"digits read as {digits[start:end]}"
            )
        # A year in an aside ("(who had died in 1953)") is not what "that year" refers to.
        if year is not None and not relative and not aside:
            last_year, last_year_words = year, surface
        found.append(FoundDate(start, end, surface, edtf, relative, reasoning[:300]))
    return _with_other_digit_years(text, digits, found)


_OTHER_DIGITS_YEAR = re.compile(r"(?<!\d)(\d{4})(?!\d)")


def _with_other_digit_years(text: str, digits: str, found: list[FoundDate]) -> list[FoundDate]:
    """A year written in another script's digits ("انقلاب ۱۹۵۶") is a year even without a
    word that says so: nobody writes other four-digit numbers that way in a history text."""
    taken = [(f.start, f.end) for f in found]
    extra = []
    for match in _OTHER_DIGITS_YEAR.finditer(digits):
        start, end = match.span()
        if text[start:end].isascii() or any(s < end and start < e for s, e in taken):
            continue
        year = int(match.group(1))
        if 1000 <= year <= 2099:
            extra.append(
                FoundDate(start, end, text[start:end], f"{year:04d}", False,
                          f"digits read as {year}")
            )  # fmt: skip
    return sorted(found + extra, key=lambda f: f.start) if extra else found


_ANCHOR = re.compile(r"\d|(?i:year)")
_REACH = 60  # how far a date's words reach from its digits (or from "year")


def _windows(text: str) -> list[tuple[int, int]]:
    """Stretches of the text that may hold a date: around digits and the word "year", widened
    to whole words. Every date holds one of them, and the matcher then reads only these."""
    windows: list[list[int]] = []
    for match in _ANCHOR.finditer(text):
        start, end = max(0, match.start() - _REACH), min(len(text), match.end() + _REACH)
        if windows and start <= windows[-1][1]:
            windows[-1][1] = end
        else:
            windows.append([start, end])
    result = []
    for start, end in windows:
        while start > 0 and not text[start - 1].isspace():
            start -= 1
        while end < len(text) and not text[end].isspace():
            end += 1
        if result and start <= result[-1][1]:
            result[-1] = (result[-1][0], end)
        else:
            result.append((start, end))
    return result


def _first_year(matches, text) -> tuple[int, str] | None:
    for match in matches:
        g = match.groupdict()
        for name in ("r1_y2", "r2_y2", "r4_y2", "d_year", "a_year", "m_year", "r3_y"):
            if g.get(name):
                return int(g[name]), text[match.start() : match.end()]
        if g.get("y_year"):
            return int(g["y_year"]), text[match.start() : match.end()]
    return None


# --- new concepts ------------------------------------------------------------------------

# A run of capitalised words ("Poznan Fair", "Operations Coordinating Board", "ÁVH"), with
# lower-case joiners inside ("Party of the Soviet Union").
_NAME = re.compile(
    r"(?<![\w.])(?:[^\W\d_a-z][\w'’-]*)(?:(?:\s+(?:of|the|for|and|de|von|van|der|du|la|le))*"
    r"\s+[^\W\d_a-z][\w'’-]*)*"
)
_ACRONYM = re.compile(r"(?<![\w.])[^\W\d_a-z]{2,6}(?![\w.])")
STOPWORDS = {
    "the", "a", "an", "in", "on", "at", "of", "for", "and", "but", "or", "he", "she", "it",
    "they", "we", "i", "this", "that", "these", "those", "his", "her", "their", "its", "when",
    "while", "after", "before", "as", "if", "mr", "mrs", "ms", "dr", "sec", "pres", "see",
    "ibid", "source", "following", "however", "there", "what", "which", "who", "with", "from",
    "to", "by", "also", "some", "many", "other", "such", "not", "no", "yes", "one", "two",
    "regime", "secret", "confidential", "top", "limited", "official", "use", "only",
    "department", "embassy", "telegram", "memorandum", "notes", "lot", "files", "central",
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    *[m.lower() for m in _MONTH_NAMES],
}  # fmt: skip


@dataclass(frozen=True)
class Candidate:
    name: str
    key: str  # folded, for comparing with known forms and earlier decisions
    count: int
    first: int  # offset of the first occurrence
    acronym: bool


def find_candidates(
    text: str, *, known: Iterable[str] = (), min_count: int = 2, limit: int = 40
) -> list[Candidate]:
    """Names and acronyms that recur in a text and are not known forms yet: capitalised word
    runs not at the start of a sentence ("Poznan Fair", "Operations Coordinating Board") and
    acronyms ("USIA", "NSC", "ÁVH"), each at least ``min_count`` times."""
    known_keys = {fold_phrase(k) for k in known}
    counts: Counter[str] = Counter()
    first: dict[str, tuple[int, str, bool]] = {}
    for match in _ACRONYM.finditer(text):
        word = match.group()
        if not all(c.isupper() for c in word if c.isalpha()) or word.lower() in STOPWORDS:
            continue
        key = fold_phrase(word)
        counts[key] += 1
        first.setdefault(key, (match.start(), word, True))
    for match in _NAME.finditer(text):
        words = match.group().split()
        while words and words[0].lower().strip("'’") in STOPWORDS:
            words = words[1:]
        while words and words[-1].lower() in STOPWORDS:
            words = words[:-1]
        if len(words) < 2:
            continue
        name = " ".join(words)
        start = text.find(name, match.start())
        before = text[max(0, start - 3) : start]
        if _SENTENCE_START.search(before) and len(words) < 2:
            continue
        key = fold_phrase(name)
        counts[key] += 1
        first.setdefault(key, (start, name, False))
    result = []
    for key, count in counts.most_common():
        if count < min_count or key in known_keys or any(key in k.split() for k in known_keys):
            continue
        start, name, acronym = first[key]
        result.append(Candidate(name, key, count, start, acronym))
    result.sort(key=lambda c: (-c.count, c.first))
    return result[:limit]
