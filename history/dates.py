"""Dates as historians write them, read into EDTF with sortable bounds.

Events are dated to a day, a month, a season, a year or a decade, as a span, and approximately
("c. 1919") or uncertainly ("1919?"). The Library of Congress Extended Date/Time Format (EDTF)
says all of that in a short string; the ``edtf`` package reads it. This module adds the two
things it lacks: reading the forms people type ("23 October – 10 November 1956", "c. 1919",
"500 BCE") and writing an EDTF date back in words.

Bounds are integer keys YYYYMMDD (negative years for BCE, astronomical numbering: 1 BCE is
year 0), so that events sort and filter by date in SQL on any database, before year 1 too.

No Django imports: pure and fast to test.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from functools import lru_cache

from edtf import parse_edtf
from edtf.parser.edtf_exceptions import EDTFParseException

MONTHS = [calendar.month_name[i] for i in range(1, 13)]
_MONTH_LOOKUP = {name.lower(): i for i, name in enumerate(MONTHS, 1)}
_MONTH_LOOKUP.update({name[:3].lower(): i for i, name in enumerate(MONTHS, 1)})
_MONTH_LOOKUP["sept"] = 9
SEASONS = {21: "Spring", 22: "Summer", 23: "Autumn", 24: "Winter"}
_SEASON_LOOKUP = {"spring": 21, "summer": 22, "autumn": 23, "fall": 23, "winter": 24}

DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"  # hyphen … em dash, minus sign


class DateError(ValueError):
    """A date that cannot be read; the message says what was expected."""


@dataclass(frozen=True, order=True)
class Bound:
    year: int
    month: int
    day: int

    @property
    def key(self) -> int:
        return date_key(self.year, self.month, self.day)

    def iso(self) -> str:
        sign = "-" if self.year < 0 else ""
        return f"{sign}{abs(self.year):04d}-{self.month:02d}-{self.day:02d}"


def date_key(year: int, month: int = 1, day: int = 1) -> int:
    """YYYYMMDD as one integer; it sorts correctly for BCE years too (month*100+day < 10000)."""
    return year * 10000 + month * 100 + day


def bound_from_key(key: int) -> Bound:
    year, rest = divmod(key, 10000)
    return Bound(year, rest // 100, rest % 100)


@dataclass(frozen=True)
class HistoricalDate:
    """An EDTF date with its bounds and how it reads in words."""

    edtf: str
    lower: Bound
    upper: Bound
    approximate: bool
    uncertain: bool
    is_span: bool

    @property
    def display(self) -> str:
        return format_edtf(self.edtf)


def parse(text: str) -> HistoricalDate:
    """Read a date as EDTF or as people write it; raise DateError with a hint when unreadable."""
    edtf = to_edtf(text)
    return from_edtf(edtf)


@lru_cache(maxsize=4096)
def from_edtf(edtf: str) -> HistoricalDate:
    # Cached: the edtf package's parser (pyparsing) takes tens of milliseconds a date, and the
    # result is an immutable value.
    try:
        parsed = parse_edtf(edtf)
        lower = parsed.lower_strict()
        upper = parsed.upper_strict()
        lower_bound = Bound(lower.tm_year, lower.tm_mon, lower.tm_mday)
        upper_bound = Bound(upper.tm_year, upper.tm_mon, upper.tm_mday)
    except (EDTFParseException, TypeError, AttributeError, ValueError) as exc:
        raise DateError(_hint(edtf)) from exc
    if upper_bound < lower_bound:
        raise DateError(f"“{edtf}” ends before it starts.")
    return HistoricalDate(
        edtf=edtf,
        lower=lower_bound,
        upper=upper_bound,
        approximate="~" in edtf or "%" in edtf,
        uncertain="?" in edtf or "%" in edtf,
        is_span="/" in edtf,
    )


def _hint(text: str) -> str:
    return (
        f"“{text}” is not a date this can read. Write it as, for example, "
        "“5 March 1953”, “February 1956”, “1956”, “c. 1919”, “1950s”, "
        "“23 October – 10 November 1956”, “500 BCE”, or in EDTF (“1956-10-23/1956-11-10”)."
    )


# --- reading what people type -------------------------------------------------------------

_APPROX_PREFIX = re.compile(
    r"^(?:circa|approximately|approx\.|about|around|ca\.|c\.|c(?=\s|\d))\s*", re.I
)
_ERA = re.compile(r"\s*(BCE|BC|B\.C\.E?\.?|CE|AD|A\.D\.)$", re.I)


def to_edtf(text: str) -> str:
    """Turn what an editor typed into an EDTF string (already-EDTF input is kept)."""
    raw = " ".join((text or "").split())
    if not raw:
        raise DateError("The date is empty.")
    if _looks_like_edtf(raw):
        from_edtf(raw)  # validates
        return raw
    normal = raw
    for dash in DASHES:
        normal = normal.replace(dash, "-")
    parts = _split_span(normal)
    if parts is None:
        return _single(normal, raw)
    left_text, right_text = parts
    right = _parse_words(right_text, raw)
    left = _parse_words(left_text, raw, fallback=right)
    return f"{_edtf_of(left)}/{_edtf_of(right)}"


def _looks_like_edtf(text: str) -> bool:
    return bool(re.fullmatch(r"[-0-9XYSE~?%/.\[\]{},:]+", text)) and any(c.isdigit() for c in text)


def _split_span(text: str) -> tuple[str, str] | None:
    for pattern in (r"\s+-\s+", r"\s+to\s+", r"\s+until\s+", r"(?<=[0-9A-Za-z])-(?=[0-9A-Za-z])"):
        pieces = re.split(pattern, text, maxsplit=1, flags=re.I)
        if len(pieces) == 2 and pieces[0].strip() and pieces[1].strip():
            if pattern.startswith("(?<=") and re.fullmatch(r"-?\d{1,4}", pieces[0].strip()):
                # "1956-57" or "14-25 February 1956": a span; "-0500" was caught as EDTF above.
                pass
            return pieces[0].strip(), pieces[1].strip()
    return None


def _single(text: str, raw: str) -> str:
    return _edtf_of(_parse_words(text, raw))


@dataclass
class _Words:
    year: int | None
    month: int | None = None  # 21–24 for seasons
    day: int | None = None
    approximate: bool = False
    uncertain: bool = False
    decade: bool = False


def _parse_words(text: str, raw: str, fallback: _Words | None = None) -> _Words:
    text = text.strip().rstrip(",")
    approximate = bool(_APPROX_PREFIX.match(text))
    text = _APPROX_PREFIX.sub("", text)
    uncertain = text.endswith("?")
    text = text.rstrip("?").strip()
    bce = False
    era = _ERA.search(text)
    if era:
        bce = era.group(1).upper().startswith("B")
        text = text[: era.start()].strip()
    decade = re.fullmatch(r"(\d{3})0s", text)
    if decade:
        return _Words(year=int(decade.group(1)) * 10, approximate=approximate, decade=True)
    tokens = [t for t in re.split(r"[\s,]+", text) if t]
    year = month = day = None
    for token in tokens:
        lower = token.lower().rstrip(".")
        if lower in _MONTH_LOOKUP and month is None:
            month = _MONTH_LOOKUP[lower]
        elif lower in _SEASON_LOOKUP and month is None:
            month = _SEASON_LOOKUP[lower]
        elif (
            re.fullmatch(r"\d{1,2}(st|nd|rd|th)?", lower)
            and day is None
            and (year is None or month is not None)
        ):
            day = int(re.match(r"\d+", lower).group())
        elif re.fullmatch(r"\d{1,4}", lower) and year is None:
            year = int(lower)
        else:
            raise DateError(_hint(raw))
    if day is not None and month is None and year is None and fallback is None:
        year, day = day, None
    if year is None and fallback is not None:
        year = fallback.year
        if month is None:
            month = fallback.month
    if year is None:
        raise DateError(_hint(raw))
    if bce:
        year = 1 - year  # astronomical numbering: 1 BCE is year 0
    if day is not None and (month is None or month > 12):
        raise DateError(_hint(raw))
    # Leap years repeat every 400 years, so year 2000 stands in for BCE years and year 0.
    days_in_month = calendar.monthrange(year if year > 0 else 2000, month)[1] if day else 31
    if day is not None and not 1 <= day <= days_in_month:
        raise DateError(f"{raw}: {MONTHS[month - 1]} has no day {day}.")
    return _Words(year=year, month=month, day=day, approximate=approximate, uncertain=uncertain)


def _edtf_of(words: _Words) -> str:
    year = words.year
    assert year is not None
    if words.decade:
        text = f"{year // 10:03d}X"
    else:
        text = f"-{abs(year):04d}" if year < 0 else f"{year:04d}"
        if words.month:
            text += f"-{words.month:02d}"
            if words.day:
                text += f"-{words.day:02d}"
    if words.approximate and words.uncertain:
        text += "%"
    elif words.approximate:
        text += "~"
    elif words.uncertain:
        text += "?"
    return text


# --- writing EDTF in words --------------------------------------------------------------

_SINGLE = re.compile(
    r"^(?P<year>-?\d{4}|\d{3}X|\d{2}XX)(?:-(?P<month>\d{2}))?(?:-(?P<day>\d{2}))?(?P<q>[~?%])?$"
)


def _year_words(year_text: str) -> str:
    if year_text.endswith("XX"):
        return f"{int(year_text[:2])}00s"
    if year_text.endswith("X"):
        return f"{int(year_text[:3])}0s"
    year = int(year_text)
    if year <= 0:
        return f"{1 - year} BCE"
    return str(year)


def _pieces(edtf: str) -> tuple[str | None, str | None, str, str]:
    match = _SINGLE.match(edtf)
    if not match:
        return None, None, edtf, ""
    day = str(int(match["day"])) if match["day"] else None
    month_number = int(match["month"]) if match["month"] else None
    if month_number is None:
        month = None
    elif month_number in SEASONS:
        month = SEASONS[month_number]
    else:
        month = MONTHS[month_number - 1]
    return day, month, _year_words(match["year"]), match["q"] or ""


def _qualify(text: str, qualifier: str) -> str:
    if qualifier == "~":
        return f"c. {text}"
    if qualifier == "?":
        return f"{text}?"
    if qualifier == "%":
        return f"c. {text}?"
    return text


def _single_words(day: str | None, month: str | None, year: str) -> str:
    return " ".join(part for part in (day, month, year) if part)


def format_edtf(edtf: str) -> str:
    """“1956-10-23/1956-11-10” → “23 October – 10 November 1956”; “1919~” → “c. 1919”."""
    if "/" not in edtf:
        day, month, year, q = _pieces(edtf)
        return _qualify(_single_words(day, month, year), q)
    left, right = edtf.split("/", 1)
    if right in ("", ".."):
        day, month, year, q = _pieces(left)
        return f"from {_qualify(_single_words(day, month, year), q)}"
    if left in ("", ".."):
        day, month, year, q = _pieces(right)
        return f"until {_qualify(_single_words(day, month, year), q)}"
    d1, m1, y1, q1 = _pieces(left)
    d2, m2, y2, q2 = _pieces(right)
    if not q1 and not q2 and y1 == y2:
        if m1 == m2 and d1 and d2:
            return f"{d1}–{d2} {m2} {y2}"
        if m1 and m2:
            return f"{_single_words(d1, m1, None)} – {_single_words(d2, m2, y2)}"
    a = _qualify(_single_words(d1, m1, y1), q1)
    b = _qualify(_single_words(d2, m2, y2), q2)
    spaced = " " in a or " " in b
    return f"{a} – {b}" if spaced else f"{a}–{b}"
