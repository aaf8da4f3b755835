"""Bars on a lesson's timeline: where most events crowd a few months of a long span, the long
gaps between the others are drawn as breaks so that close events stand apart."""

from history.dates import date_key
from learner import timeline


def event(start: tuple, end: tuple | None = None) -> dict:
    end = end or start
    return {
        "date_start": date_key(*start),
        "date_end": date_key(*end),
        "date_display": "",
        "iso": "",
        "approximate": False,
    }


# As in the sample lesson: 1919, 1945, 1953, then a dozen events of 1956, then 1958.
CROWDED = [
    event((1919, 3, 18), (1919, 3, 23)),
    event((1945, 5, 8)),
    event((1953, 3, 5)),
    *[event((1956, month, 10)) for month in range(2, 12)],
    event((1958, 6, 16)),
]


def _xs(rows):
    return [float(row["x"]) for row in rows]


def test_a_crowded_lesson_timeline_spreads_its_close_events_over_most_of_the_axis():
    linear = _xs(timeline.rows(CROWDED))
    shortened = timeline.rows(CROWDED, shorten_gaps=True)
    xs = _xs(shortened)
    in_1956 = xs[3:13]
    assert max(linear[3:13]) - min(linear[3:13]) < 30  # on a linear axis: 3 % of it
    assert max(in_1956) - min(in_1956) > 600  # shortened: most of it
    assert xs == sorted(xs) and len(set(xs)) == len(xs)  # still in order, none on another
    # Four long gaps (1919–1945, 1945–1953, 1953–1956, 1956–1958), marked on every bar.
    assert len(shortened[0]["breaks"]) == 4
    assert all(row["breaks"] == shortened[0]["breaks"] for row in shortened)


def test_evenly_spread_events_keep_a_linear_axis_with_no_breaks():
    spread = [event((year, 1, 1)) for year in range(1900, 2000, 10)]
    rows = timeline.rows(spread, shorten_gaps=True)
    assert all(row["breaks"] == [] for row in rows)
    assert _xs(rows) == _xs(timeline.rows(spread))


def test_the_site_timeline_stays_linear_and_bars_stay_inside_the_axis():
    rows = timeline.rows(CROWDED)
    assert all(row["breaks"] == [] for row in rows)
    for row in timeline.rows(CROWDED, shorten_gaps=True) + rows:
        x, width = float(row["x"]), float(row["width"])
        assert x >= 0 and x + width <= timeline.AXIS_WIDTH and width >= 4


def test_a_span_across_a_break_covers_both_sides_of_it():
    events = [event((1917, 1, 1), (1991, 12, 26)), *CROWDED]
    rows = timeline.rows(events, shorten_gaps=True)
    assert float(rows[0]["width"]) > 900
