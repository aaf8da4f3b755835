"""Fuzzing dates (Hypothesis): whatever is accepted round-trips, whatever is not is refused.

A date an editor types (EDTF or words) is either refused with a DateError that says why, or
it is stored as EDTF that reads back as itself, shows in words that read back to the same
EDTF, has sortable bounds that fit the database's integer columns, and exports to TimelineJS
dates that follow the format's rules. Nothing in between: no IndexError, no overflow.

``DATE_FUZZ_EXAMPLES`` (default 300 a test) digs deeper, e.g. DATE_FUZZ_EXAMPLES=20000.
"""

import os

import pytest
from django.db import transaction
from hypothesis import HealthCheck, example, given, settings
from hypothesis import event as count_as
from hypothesis import strategies as st

from history import dates
from history.models import Event
from history.services import event_save
from lessons.exports import timelinejs
from tests.exports.test_timelinejs import timeline_problems

EXAMPLES = int(os.environ.get("DATE_FUZZ_EXAMPLES", "300"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=True)

# --- strategies -----------------------------------------------------------------------------

_digits = st.integers(min_value=-12000, max_value=170000002)
_year = st.one_of(
    st.integers(min_value=-9999, max_value=9999).map(
        lambda y: f"-{abs(y):04d}" if y < 0 else f"{y:04d}"
    ),
    _digits.map(str),
    _digits.map(lambda y: f"Y{y}"),
    st.sampled_from(["195X", "19XX", "1XXX", "-195X", "-0000", "0000", "XXXX", "156X"]),
)
_month = st.integers(min_value=0, max_value=45).map(lambda m: f"{m:02d}")
_day = st.integers(min_value=0, max_value=35).map(lambda d: f"{d:02d}")
_qualifier = st.sampled_from(["", "", "", "~", "?", "%"])


@st.composite
def edtf_single(draw):
    text = draw(_year)
    if draw(st.booleans()):
        text += draw(st.sampled_from(["-", "-"])) + draw(st.one_of(_month, st.just("XX")))
        if draw(st.booleans()):
            text += "-" + draw(st.one_of(_day, st.just("XX")))
    if draw(st.integers(0, 9)) == 0:  # a qualifier inside, as EDTF level 2 allows
        cut = draw(st.integers(0, len(text)))
        text = text[:cut] + draw(_qualifier) + text[cut:]
    return text + draw(_qualifier)


@st.composite
def plausible_single(draw):
    """A date as an editor means it: a real year, month or season, and a day of that month."""
    year = draw(st.integers(min_value=-9998, max_value=9999))
    text = f"-{abs(year):04d}" if year < 0 else f"{year:04d}"
    precision = draw(st.sampled_from(["year", "month", "day", "season", "decade", "century"]))
    if precision == "decade" and year >= 1000:
        text = f"{year // 10:03d}X"
    elif precision == "century" and year >= 0:
        text = f"{year // 100:02d}XX"
    elif precision in ("month", "day"):
        month = draw(st.integers(1, 12))
        text += f"-{month:02d}"
        if precision == "day":
            text += f"-{draw(st.integers(1, dates.days_in_month(year, month))):02d}"
    elif precision == "season":
        text += f"-{draw(st.integers(21, 24))}"
    return text + draw(_qualifier)


@st.composite
def plausible_edtf(draw):
    first = draw(plausible_single())
    shape = draw(st.integers(0, 3))
    if shape == 0:
        return first
    if shape == 1:
        return f"{first}/{draw(plausible_single())}"
    return f"{first}/" if shape == 2 else f"/{first}"


@st.composite
def edtf_text(draw):
    shape = draw(st.integers(0, 7))
    if shape >= 6:
        return draw(plausible_edtf())
    if shape <= 1:
        return draw(edtf_single())
    if shape == 2:
        return f"{draw(edtf_single())}/{draw(edtf_single())}"
    if shape == 3:
        return draw(st.sampled_from(["", "/", "..", "../"])) + draw(edtf_single())
    if shape == 4:
        return draw(edtf_single()) + draw(st.sampled_from(["/", "/..", "/", "T10:00:00"]))
    # anything made of EDTF's characters: sets, lists, significant digits, exponents
    return draw(st.text(alphabet="0123456789-X/~?%.Y[]{},:SE^", max_size=30))


_words = st.sampled_from(
    dates.MONTHS
    + [m[:3] + "." for m in dates.MONTHS]
    + ["Sept", "spring", "Summer", "autumn", "Fall", "winter", "Spring"]
    + ["c.", "circa", "about", "around", "ca.", "approximately", "c"]
    + ["BCE", "BC", "B.C.", "CE", "AD", "A.D."]
    + ["to", "until", "from", "since", "till", "the", "century", "cent.", "and", "?"]
    + ["-", "–", "—", "−", ",", "/", "1st", "2nd", "3rd", "21st", "20th", "0th", "101st"]
    + ["1950s", "1900s", "0s", "10000s", "Petőfi", "1956年", "١٩٥٦", "𝟏𝟗𝟓𝟔", "\u200f", "\x00"]
)
_number = st.integers(min_value=0, max_value=99999).map(str)


@st.composite
def words_text(draw):
    """What an editor might type: day, month, season, year, era, qualifiers, spans, noise."""
    if draw(st.integers(0, 3)) == 0:  # a real date, as this system writes it in words
        try:
            return dates.format_edtf(dates.from_edtf(draw(plausible_edtf())).edtf)
        except dates.DateError:
            pass
    tokens = draw(st.lists(st.one_of(_words, _number, _number), min_size=1, max_size=8))
    separators = draw(st.lists(st.sampled_from([" ", " ", "", "  ", "\t", ", "]), min_size=8))
    text = "".join(t + s for t, s in zip(tokens, separators, strict=False))
    return draw(st.sampled_from(["", "", " ", "c. "])) + text + draw(_qualifier)


any_date_text = st.one_of(edtf_text(), words_text(), st.text(max_size=40))

# --- the round trip -------------------------------------------------------------------------


def _absolute(path):
    return f"https://example.org{path}"


def assert_round_trips(text: str) -> dates.HistoricalDate | None:
    """Refused with a reason, or stored, shown, read back, sorted and exported intact."""
    try:
        parsed = dates.parse(text)
    except dates.DateError as exc:
        assert str(exc).strip(), "a refusal says why"
        count_as("refused")  # --hypothesis-show-statistics counts both
        return None
    count_as("accepted")
    edtf = parsed.edtf
    assert len(edtf) <= Event._meta.get_field("date_edtf").max_length
    assert dates.to_edtf(edtf) == edtf, "the stored EDTF reads as itself"
    assert dates.from_edtf(edtf) == parsed
    words = dates.format_edtf(edtf)
    assert words and words != "" and "X" not in words
    again = dates.parse(words)
    assert again.edtf == edtf, f"{text!r} → {edtf} → {words!r} → {again.edtf}"
    lower, upper = parsed.lower, parsed.upper
    assert dates.KEY_MIN <= lower.key <= upper.key <= dates.KEY_MAX
    assert dates.bound_from_key(lower.key) == lower
    assert dates.bound_from_key(upper.key) == upper
    assert 1 <= lower.month <= 12 and 1 <= upper.month <= 12
    assert 1 <= lower.day <= dates.days_in_month(lower.year, lower.month)
    assert 1 <= upper.day <= dates.days_in_month(upper.year, upper.month)
    lower.iso(), upper.iso()
    event = {  # an event as the exports get it (its reference)
        "slug": "fuzzed",
        "title": "Fuzzed",
        "date_edtf": edtf,
        "date_display": words,
        "date_start": lower.key,
        "date_end": upper.key,
        "summary": "",
        "place": "",
        "path": "/events/fuzzed/",
    }
    document = timelinejs.events_timeline([event], title="Fuzz", absolute=_absolute)
    assert timeline_problems(document) == []
    start = document["events"][0]["start_date"]
    assert lower.year - 1 <= start["year"] <= upper.year  # TimelineJS has no year 0
    return parsed


# --- the tests ------------------------------------------------------------------------------


@FUZZ
@given(edtf_text())
@example("1956-25")  # the seasons 25–41 of EDTF level 2: an IndexError when shown
@example("1956-41")
@example("Y170000002")  # an integer out of range in the database
@example("Y-12000")
@example("156X-12-25")
@example("-0001-02-29")  # 2 BCE is not a leap year
@example("0000-02-29")  # 1 BCE is
@example("1956/")
@example("/1956")
@example("19XX")
@example("195X?")
@example("[1667,1668]")
def test_edtf_is_refused_or_round_trips(text):
    assert_round_trips(text)


@FUZZ
@given(words_text())
@example("1950s?")
@example("0 BCE")
@example("1950s BCE")
@example("5th century BCE")
@example("from 1956 to 1957")
@example("until c. October 1956")
@example("31 February 1956")
@example("29 February 1 BCE")
def test_dates_in_words_are_refused_or_round_trip(text):
    assert_round_trips(text)


@FUZZ
@given(st.text(max_size=60))
def test_any_text_is_refused_or_round_trips(text):
    assert_round_trips(text)


@FUZZ
@given(any_date_text, any_date_text)
def test_bounds_sort_as_their_keys_do(a, b):
    first, second = assert_round_trips(a), assert_round_trips(b)
    if first is None or second is None:
        return
    assert (first.lower < second.lower) == (first.lower.key < second.lower.key)
    assert (first.upper < second.upper) == (first.upper.key < second.upper.key)


@pytest.mark.django_db
@settings(
    max_examples=max(EXAMPLES // 6, 20),
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(any_date_text)
def test_an_event_saved_with_any_date_is_refused_whole_or_stored_intact(text):
    from django.core.exceptions import ValidationError

    expected = assert_round_trips(text)
    with transaction.atomic():
        before = Event.objects.count()
        try:
            event = event_save(event=Event(title="Fuzzed", date_edtf=text))
        except ValidationError as exc:
            assert expected is None
            assert "date_edtf" in exc.message_dict
            assert Event.objects.count() == before, "nothing is saved half"
        else:
            assert expected is not None
            stored = Event.objects.get(pk=event.pk)
            assert stored.date_edtf == expected.edtf
            assert (stored.date_start, stored.date_end) == (expected.lower.key, expected.upper.key)
            assert stored.date_display == expected.display
        transaction.set_rollback(True)
