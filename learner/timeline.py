"""Events on a common axis, for the timeline and a lesson's timeline (no Django imports)."""

from __future__ import annotations

from bisect import bisect_right
from math import ceil

from history import dates

AXIS_WIDTH = 1000
# Shortened gaps (a lesson's timeline): a gap longer than this share of the whole span is
# drawn as a break of BREAK_WIDTH; each run of close events gets RUN_WIDTH of room around it.
GAP_SHARE = 1 / 40
BREAK_WIDTH = 40
RUN_WIDTH = 20


def year_value(key: int, *, end: bool = False) -> float:
    bound = dates.bound_from_key(key)
    return bound.year + (bound.month - 1) / 12 + (bound.day - (0 if end else 1)) / 372


def _bounds(event: dict) -> tuple[float, float]:
    return year_value(event["date_start"]), year_value(event["date_end"], end=True)


def crowded(events: list[dict]) -> bool:
    """On a linear axis, would half the events (four at least) share a tenth of it?"""
    if len(events) < 4:
        return False
    starts = sorted(_bounds(e)[0] for e in events)
    span = max(max(_bounds(e)[1] for e in events) - starts[0], 1.0)
    half = ceil(len(starts) / 2)
    return any(starts[i + half - 1] - starts[i] < span / 10 for i in range(len(starts) - half + 1))


class Axis:
    """Years to axis units: linear, or (``shorten_gaps``) linear within each run of close
    events, with the long gaps between runs drawn as breaks of one width."""

    def __init__(self, events: list[dict], *, shorten_gaps: bool = False):
        points = sorted({value for event in events for value in _bounds(event)})
        self.low, high = points[0], points[-1]
        self.span = max(high - self.low, 1.0)
        self.runs: list[tuple[float, float, float, float]] = []  # first, last, x, width
        self.breaks: list[float] = []
        if not (shorten_gaps and crowded(events)):
            return
        limit = self.span * GAP_SHARE
        runs = [[points[0], points[0]]]
        for value in points[1:]:
            if value - runs[-1][1] > limit:
                runs.append([value, value])
            else:
                runs[-1][1] = value
        if len(runs) < 2:
            return
        room = AXIS_WIDTH - BREAK_WIDTH * (len(runs) - 1) - RUN_WIDTH * len(runs)
        total = sum(last - first for first, last in runs)
        x = 0.0
        for first, last in runs:
            share = (last - first) / total if total else 1 / len(runs)
            width = RUN_WIDTH + room * share
            self.runs.append((first, last, x, width))
            x += width
            self.breaks.append(x + BREAK_WIDTH / 2)
            x += BREAK_WIDTH
        self.breaks.pop()

    def __call__(self, value: float) -> float:
        if not self.runs:
            return (value - self.low) / self.span * AXIS_WIDTH
        index = max(bisect_right([run[0] for run in self.runs], value) - 1, 0)
        first, last, x, width = self.runs[index]
        # Linear within the run, with half of RUN_WIDTH of room on either side.
        inner = width - RUN_WIDTH
        if last == first:
            return x + width / 2
        return x + RUN_WIDTH / 2 + (min(value, last) - first) / (last - first) * inner


def rows(events: list[dict], *, shorten_gaps: bool = False) -> list[dict]:
    """Each event (a dict with date_start, date_end, date_display, iso, approximate) with its
    bar on a common axis (SVG coordinates, 0 to AXIS_WIDTH). With ``shorten_gaps``, where
    most events crowd a short stretch of a long span, long gaps become breaks (each row's
    ``breaks``), so that close events stand apart."""
    if not events:
        return []
    axis = Axis(events, shorten_gaps=shorten_gaps)
    # A break: the track cut for 12 units, with a pair of slashes across the cut.
    breaks = [
        {
            "gap": f"{x - 6:.0f}",
            "slashes": f"M{x - 7:.0f} 11 L{x - 3:.0f} 1 M{x + 3:.0f} 11 L{x + 7:.0f} 1",
        }
        for x in axis.breaks
    ]
    out = []
    for event in events:
        start, end = _bounds(event)
        x = axis(start)
        width = max(axis(end) - x, 4)
        x = min(x, AXIS_WIDTH - width)
        out.append(
            {
                "event": event,
                "display": event["date_display"],
                "iso": event["iso"],
                "approximate": event["approximate"],
                "is_span": event["date_start"] != event["date_end"],
                # Whole units: a thousandth of the axis is finer than a pixel on most screens.
                "x": f"{x:.0f}",
                "width": f"{width:.0f}",
                "breaks": breaks,
            }
        )
    return out
