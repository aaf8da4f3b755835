"""Fuzzy historical dates: reading them, writing them, ordering and filtering by them."""

import pytest

from history import dates
from history.models import Event
from tests.factories import EventFactory


@pytest.mark.parametrize(
    ("written", "edtf", "lower", "upper", "display"),
    [
        ("5 March 1953", "1953-03-05", 19530305, 19530305, "5 March 1953"),
        ("March 5, 1953", "1953-03-05", 19530305, 19530305, "5 March 1953"),
        ("February 1956", "1956-02", 19560201, 19560229, "February 1956"),
        ("1956", "1956", 19560101, 19561231, "1956"),
        ("c. 1919", "1919~", 19190101, 19191231, "c. 1919"),
        ("circa 1919", "1919~", 19190101, 19191231, "c. 1919"),
        ("1919?", "1919?", 19190101, 19191231, "1919?"),
        ("1950s", "195X", 19500101, 19591231, "1950s"),
        ("Spring 1956", "1956-21", 19560301, 19560531, "Spring 1956"),
        (
            "23 October – 10 November 1956",
            "1956-10-23/1956-11-10",
            19561023,
            19561110,
            "23 October – 10 November 1956",
        ),
        ("14–25 February 1956", "1956-02-14/1956-02-25", 19560214, 19560225, "14–25 February 1956"),
        ("1944–1945", "1944/1945", 19440101, 19451231, "1944–1945"),
        (
            "October 1956 – January 1957",
            "1956-10/1957-01",
            19561001,
            19570131,
            "October 1956 – January 1957",
        ),
        ("500 BCE", "-0499", -4989899, -4988769, "500 BCE"),
        ("1956-10-23/1956-11-10", "1956-10-23/1956-11-10", 19561023, 19561110, None),
    ],
)
def test_written_dates_are_read_into_edtf_with_bounds_and_display(
    written, edtf, lower, upper, display
):
    parsed = dates.parse(written)
    assert parsed.edtf == edtf
    assert (parsed.lower.key, parsed.upper.key) == (lower, upper)
    if display:
        assert parsed.display == display


def test_approximate_and_span_flags():
    assert dates.parse("c. 1919").approximate
    assert not dates.parse("1919").approximate
    assert dates.parse("1919?").uncertain
    assert dates.parse("23 October – 10 November 1956").is_span
    assert not dates.parse("February 1956").is_span


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("", "empty"),
        ("yesterday", "not a date"),
        ("31 February 1956", "February has no day 31"),
        ("1956-02-30", "not a date"),
        ("10 November – 23 October 1956", "ends before it starts"),
    ],
)
def test_unreadable_dates_are_refused_with_a_hint(written, message):
    with pytest.raises(dates.DateError, match=message):
        dates.parse(written)


def test_date_keys_sort_bce_before_ce_and_round_trip():
    keys = [dates.date_key(-500, 12, 31), dates.date_key(-499, 1, 1), dates.date_key(0, 6, 1)]
    keys.append(dates.date_key(1956, 2, 25))
    assert keys == sorted(keys)
    assert dates.bound_from_key(dates.date_key(-500, 12, 31)) == dates.Bound(-500, 12, 31)


@pytest.mark.django_db
def test_events_sort_by_their_earliest_day_then_latest():
    EventFactory(title="Revolution", date_edtf="23 October – 10 November 1956")
    EventFactory(title="Speech", date_edtf="25 February 1956")
    EventFactory(title="Congress", date_edtf="14–25 February 1956")
    EventFactory(title="Year", date_edtf="1956")
    EventFactory(title="Programme", date_edtf="c. 1919")
    titles = list(Event.objects.chronological().values_list("title", flat=True))
    assert titles == ["Programme", "Year", "Congress", "Speech", "Revolution"]


@pytest.mark.django_db
def test_events_filter_by_overlapping_range():
    EventFactory(title="Revolution", date_edtf="23 October – 10 November 1956")
    EventFactory(title="Stalin dies", date_edtf="5 March 1953")
    EventFactory(title="Fifties", date_edtf="1950s")
    november = Event.objects.overlapping(start=19561101, end=19561130)
    assert set(november.values_list("title", flat=True)) == {"Revolution", "Fifties"}
    before_1955 = Event.objects.overlapping(end=19541231)
    assert set(before_1955.values_list("title", flat=True)) == {"Stalin dies", "Fifties"}


@pytest.mark.django_db
def test_event_stores_what_the_editor_wrote_as_edtf_and_shows_it_in_words():
    event = EventFactory(date_edtf="23 October – 10 November 1956")
    event.refresh_from_db()
    assert event.date_edtf == "1956-10-23/1956-11-10"
    assert event.date_display == "23 October – 10 November 1956"
    assert (event.date_start, event.date_end) == (19561023, 19561110)


def _plain_dates(count: int) -> list[str]:
    import random

    rng = random.Random(11)
    out = []
    for _ in range(count):
        year = rng.choice([rng.randint(-9998, 9999), rng.randint(1800, 2000), 0, -1, 1900, 2000])
        y = f"-{abs(year):04d}" if year < 0 else f"{year:04d}"
        month = rng.randint(1, 12)
        day = rng.randint(1, dates.days_in_month(year, month))
        single = rng.choice(
            [y, f"{y}-{month:02d}", f"{y}-{month:02d}-{day:02d}", f"{rng.randint(100, 999)}X",
             f"{rng.randint(10, 99)}XX"]
        ) + rng.choice(["", "", "~", "?", "%"])  # fmt: skip
        out.append(single)
    return out


def test_plain_dates_are_read_without_the_edtf_parser_with_the_same_bounds():
    from edtf import parse_edtf

    singles = _plain_dates(60)
    plain = [d for d in singles if "X" not in d]
    spans = [f"{a}/{b}" for a, b in zip(plain[::2], plain[1::2], strict=False)]
    for text in singles + spans:
        fast = dates._plain_bounds(text)
        parsed = parse_edtf(text)
        lower, upper = parsed.lower_strict(), parsed.upper_strict()
        assert fast == (
            dates.Bound(lower.tm_year, lower.tm_mon, lower.tm_mday),
            dates.Bound(upper.tm_year, upper.tm_mon, upper.tm_mday),
        ), text


def test_seasons_and_open_ends_are_left_to_the_edtf_parser():
    assert dates._plain_bounds("1956-21") is None
    assert dates._plain_bounds("1956/") is None
    assert dates._plain_bounds("1950/195X") is None
    assert dates.from_edtf("1956-21").lower == dates.Bound(1956, 3, 1)
