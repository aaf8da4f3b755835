"""Events on a common axis, for the timeline and a lesson's timeline (no Django imports)."""

from __future__ import annotations

from history import dates

AXIS_WIDTH = 1000


def year_value(key: int, *, end: bool = False) -> float:
    bound = dates.bound_from_key(key)
    return bound.year + (bound.month - 1) / 12 + (bound.day - (0 if end else 1)) / 372


def rows(events: list[dict]) -> list[dict]:
    """Each event (a dict with date_start, date_end, date_display, iso, approximate) with its
    bar on a common axis (SVG coordinates, 0 to AXIS_WIDTH)."""
    if not events:
        return []
    low = min(year_value(e["date_start"]) for e in events)
    high = max(year_value(e["date_end"], end=True) for e in events)
    span = max(high - low, 1.0)
    out = []
    for event in events:
        start = year_value(event["date_start"])
        x = (start - low) / span * AXIS_WIDTH
        width = (year_value(event["date_end"], end=True) - start) / span
        width = max(width * AXIS_WIDTH, 4)
        x = min(x, AXIS_WIDTH - width)
        out.append(
            {
                "event": event,
                "display": event["date_display"],
                "iso": event["iso"],
                "approximate": event["approximate"],
                "is_span": event["date_start"] != event["date_end"],
                "x": f"{x:.1f}",
                "width": f"{width:.1f}",
            }
        )
    return out
