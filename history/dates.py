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


# The EDTF this module can show in words, sort and export: a year (4 digits, negative before
# 1 CE), a month or a season (21–24) of it, a day of a month, a decade (195X) or a century
# (19XX), with one qualifier (~ ? %) at the end; and spans of two such dates, either end of
# which may be unknown ("1956/", "/1956"). The edtf package reads more (seasons 25–41, digits
# unspecified inside a date, sets, years beyond 9999, times); those are refused, since they
# could be stored but not shown, sorted or exported.
_YEAR = r"(?:-(?!0000|9999)\d{4}|\d{4})"  # 9999 BCE (-9998) to 9999 CE
_SUPPORTED_SINGLE = (
    rf"(?:{_YEAR}(?:-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12]\d|3[01]))?|-2[1-4])?|[1-9]\d{{2}}X|\d{{2}}XX)"
    r"[~?%]?"
)
_SUPPORTED = re.compile(
    rf"{_SUPPORTED_SINGLE}|{_SUPPORTED_SINGLE}/(?:{_SUPPORTED_SINGLE})?|/{_SUPPORTED_SINGLE}"
)
# Bounds are stored as YYYYMMDD in 32-bit integer columns (PostgreSQL's integer).
KEY_MIN, KEY_MAX = -(2**31), 2**31 - 1


def is_leap(year: int) -> bool:
    """Proleptic Gregorian, astronomical years (0 is 1 BCE, a leap year; so is -4)."""
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def days_in_month(year: int, month: int) -> int:
    if month == 2:
        return 29 if is_leap(year) else 28
    return 30 if month in (4, 6, 9, 11) else 31


def _check_days(edtf: str) -> None:
    for match in re.finditer(r"(-?\d{4})-(\d{2})-(\d{2})", edtf):
        year, month, day = (int(g) for g in match.groups())
        if day > days_in_month(year, month):
            raise DateError(
                f"“{edtf}” is not a date: {MONTHS[month - 1]} {_year_words(match[1])} "
                f"has no day {day}."
            )


@lru_cache(maxsize=4096)
def from_edtf(edtf: str) -> HistoricalDate:
    """Read an EDTF date of the forms this module supports; raise DateError otherwise.

    Whatever it accepts is shown in words by ``format_edtf``, read back from those words by
    ``parse``, sorted by its bounds and exported (tests/history/test_dates_fuzz.py checks it).
    """
    # Cached: the edtf package's parser (pyparsing) takes tens of milliseconds a date, and the
    # result is an immutable value.
    if not isinstance(edtf, str) or not _SUPPORTED.fullmatch(edtf):
        raise DateError(_hint(edtf))
    _check_days(edtf)
    bounds = _plain_bounds(edtf)
    if bounds is not None:
        lower_bound, upper_bound = bounds
    else:
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
    if not KEY_MIN <= lower_bound.key <= upper_bound.key <= KEY_MAX:
        raise DateError(_hint(edtf))
    return HistoricalDate(
        edtf=edtf,
        lower=lower_bound,
        upper=upper_bound,
        approximate="~" in edtf or "%" in edtf,
        uncertain="?" in edtf or "%" in edtf,
        is_span="/" in edtf,
    )


# The forms nearly every date takes (a day, a month, a year, a decade or a century, qualified
# or not, and spans of two of them), read here in microseconds; seasons and open ends go to the
# edtf package, whose pyparsing grammar takes milliseconds a date (it was most of the time of
# detecting dates in an imported text). tests/history/test_dates.py checks both agree.
_PLAIN = re.compile(r"(-?\d{4})(?:-(\d{2})(?:-(\d{2}))?)?[~?%]?|(\d{3})X[~?%]?|(\d{2})XX[~?%]?")


def _plain_bound(text: str) -> tuple[Bound, Bound] | None:
    match = _PLAIN.fullmatch(text)
    if match is None:
        return None
    year, month, day, decade, century = match.groups()
    if decade is not None:
        first = int(decade) * 10
        return Bound(first, 1, 1), Bound(first + 9, 12, 31)
    if century is not None:
        first = int(century) * 100
        return Bound(first, 1, 1), Bound(first + 99, 12, 31)
    y = int(year)
    if month is None:
        return Bound(y, 1, 1), Bound(y, 12, 31)
    m = int(month)
    if m > 12:
        return None  # a season
    if day is None:
        return Bound(y, m, 1), Bound(y, m, days_in_month(y, m))
    return Bound(y, m, int(day)), Bound(y, m, int(day))


def _plain_bounds(edtf: str) -> tuple[Bound, Bound] | None:
    """The strict bounds of a plain date or span of plain dates; None for other forms."""
    if "/" not in edtf:
        return _plain_bound(edtf)
    first, _, last = edtf.partition("/")
    if "X" in edtf:
        return None  # the edtf package refuses some spans of decades; let it decide
    start, end = _plain_bound(first), _plain_bound(last)
    if start is None or end is None:
        return None
    return start[0], end[1]


def _hint(text: str) -> str:
    if re.search(r"Y-?\d{5}|\d{5}", str(text)):
        return f"“{text}”: years from 9999 BCE to 9999 CE can be used here, no earlier or later."
    return (
        f"“{text}” is not a date this can read. Write it as, for example, "
        "“5 March 1953”, “February 1956”, “1956”, “c. 1919”, “1950s”, “20th century”, "
        "“23 October – 10 November 1956”, “500 BCE”, “from 1989”, or in EDTF "
        "(“1956-10-23/1956-11-10”; seasons 21–24)."
    )


# --- reading what people type -------------------------------------------------------------

_APPROX_PREFIX = re.compile(
    r"^(?:circa|approximately|approx\.|about|around|ca\.|c\.|c(?=\s|\d))\s*", re.I
)
_ERA = re.compile(r"\s*(BCE|BC|B\.C\.E?\.?|CE|AD|A\.D\.)$", re.I)
_OPEN_START = re.compile(r"^(?:from|since)\s+(?P<rest>.+)$", re.I)
_OPEN_END = re.compile(r"^(?:until|till)\s+(?P<rest>.+)$", re.I)
_CENTURY = re.compile(r"^(?:the\s+)?(\d{1,3})(?:st|nd|rd|th)\s+(?:century|cent\.|c\.)$", re.I)


def to_edtf(text: str) -> str:
    """Turn what an editor typed into an EDTF string (already-EDTF input is kept).

    Raises DateError unless ``from_edtf`` accepts the result, so whatever this returns can be
    stored, shown, sorted and exported.
    """
    raw = " ".join((text or "").split())
    if not raw:
        raise DateError("The date is empty.")
    edtf_error = None
    if _looks_like_edtf(raw):
        try:
            return from_edtf(raw).edtf
        except DateError as exc:  # "1956-57", or "1" (the year 1 in words) may still be words
            edtf_error = exc
    normal = raw
    for dash in DASHES:
        normal = normal.replace(dash, "-")
    try:
        edtf = _words_to_edtf(normal, raw)
        try:
            return from_edtf(edtf).edtf
        except DateError as exc:  # say it in the editor's words, not in the EDTF made of them
            raise DateError(str(exc).replace(f"“{edtf}”", f"“{raw}”")) from exc
    except DateError:
        if edtf_error is not None:  # EDTF that is not words either: the EDTF reason says more
            raise edtf_error from None
        raise


def _words_to_edtf(normal: str, raw: str) -> str:
    open_start, open_end = _OPEN_START.match(normal), _OPEN_END.match(normal)
    if open_start and _split_span(open_start["rest"]) is None:
        return f"{_edtf_of(_parse_words(open_start['rest'], raw))}/"
    if open_end:
        return f"/{_edtf_of(_parse_words(open_end['rest'], raw))}"
    if open_start:  # "from 1956 to 1957"
        normal = open_start["rest"]
    parts = _split_span(normal)
    if parts is None:
        return _edtf_of(_parse_words(normal, raw))
    left_text, right_text = parts
    right = _parse_words(right_text, raw)
    left = _parse_words(left_text, raw, fallback=right)
    return f"{_edtf_of(left)}/{_edtf_of(right)}"


def _looks_like_edtf(text: str) -> bool:
    return bool(re.fullmatch(r"[-0-9XYSE~?%/.\[\]{},:]+", text)) and any(c.isdigit() for c in text)


def _split_span(text: str) -> tuple[str, str] | None:
    for pattern in (r"\s+-\s+", r"\s+to\s+", r"\s+until\s+", r"(?<=[0-9A-Za-z?])-(?=[0-9A-Za-z])"):
        pieces = re.split(pattern, text, maxsplit=1, flags=re.I)
        if len(pieces) == 2 and pieces[0].strip() and pieces[1].strip():
            # "1956-57" or "14-25 February 1956": a span; "-0500" was caught as EDTF above.
            return pieces[0].strip(), pieces[1].strip()
    return None


@dataclass
class _Words:
    year: int | None
    month: int | None = None  # 21–24 for seasons
    day: int | None = None
    approximate: bool = False
    uncertain: bool = False
    decade: bool = False
    century: bool = False
    bce: bool = False


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
    qualifiers = {"approximate": approximate, "uncertain": uncertain}
    decade = re.fullmatch(r"(\d{3})0s", text)
    century = _CENTURY.fullmatch(text)
    if (decade or century) and bce:
        raise DateError(f"“{raw}”: decades and centuries before 1 CE cannot be used here yet.")
    if decade:
        return _Words(year=int(decade.group(1)) * 10, decade=True, **qualifiers)
    if century:
        number = int(century.group(1))
        if not 1 <= number <= 100:
            raise DateError(_hint(raw))
        return _Words(year=(number - 1) * 100, century=True, **qualifiers)
    tokens = [t for t in re.split(r"[\s,]+", text) if t]
    year = month = day = era_year = None
    if era and tokens and re.fullmatch(r"\d{1,4}", tokens[-1]):
        era_year = int(tokens.pop())  # "January 1 BCE": the number before the era is its year
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
    if era_year is not None:
        if year is not None:
            raise DateError(_hint(raw))
        year = era_year
    bare_day = day is not None and month is None and year is None
    if bare_day and (fallback is None or (fallback.month is None and not fallback.decade)):
        year, day = day, None  # "1956", or the "5" of "5–4 BCE"
    if era is None and fallback is not None and fallback.bce and year is not None:
        bce = True  # "500–400 BCE": the era is said once, for both ends
    if year is not None:
        if bce and year == 0:
            raise DateError(f"“{raw}”: there is no year 0 (1 BCE is followed by 1 CE).")
        if bce:
            year = 1 - year  # astronomical numbering: 1 BCE is year 0
    elif fallback is not None:
        if fallback.decade or fallback.century:
            raise DateError(_hint(raw))
        year = fallback.year  # already astronomical
        if month is None:
            month = fallback.month
    else:
        raise DateError(_hint(raw))
    if day is not None and (month is None or month > 12):
        raise DateError(_hint(raw))
    if day is not None and not 1 <= day <= days_in_month(year, month):
        raise DateError(f"{raw}: {MONTHS[month - 1]} has no day {day}.")
    return _Words(year=year, month=month, day=day, bce=bce, **qualifiers)


def _edtf_of(words: _Words) -> str:
    year = words.year
    assert year is not None
    if words.century:
        text = f"{year // 100:02d}XX"
    elif words.decade:
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
        return f"{ordinal(int(year_text[:2]) + 1)} century"
    if year_text.endswith("X"):
        return f"{int(year_text[:3])}0s"
    year = int(year_text)
    if year <= 0:
        return f"{1 - year} BCE"
    if year < 100:
        return f"{year} CE"  # "January 1 CE", not "January 1" (a day without its year)
    return str(year)


def ordinal(number: int) -> str:
    """1st, 2nd, 3rd, 4th … 11th, 12th, 13th … 21st."""
    suffix = (
        "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    )
    return f"{number}{suffix}"


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
    elif 1 <= month_number <= 12:
        month = MONTHS[month_number - 1]
    else:  # a form from_edtf refuses (stored before it did): shown as it is, never an error
        return None, None, edtf, ""
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
