"""Events as TimelineJS3 JSON (https://timeline.knightlab.com/docs/json-format.html).

Dates are split into ``year``/``month``/``day`` as precisely as the EDTF date says; a date
that is approximate, uncertain, a season or a decade also gets ``display_date`` in words.
Years before 1 CE are negative historical years (500 BCE is -500). Text fields are HTML:
titles are escaped, Markdown is rendered and sanitised.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from django.utils.html import escape

from history import dates
from history.markup import render_markdown
from history.models import Event

_PART = re.compile(r"^(-?\d{4,})(?:-(\d{2}))?(?:-(\d{2}))?$")
_QUALIFIERS = "~?%"


def _year(astronomical: int) -> int:
    # EDTF counts 1 BCE as year 0; TimelineJS wants "BCE years as negative numbers".
    return astronomical if astronomical > 0 else astronomical - 1


def date_object(part: str, bound: dates.Bound) -> tuple[dict, bool]:
    """A TimelineJS date for one side of an EDTF date, and whether it is exact as given."""
    exact = not any(q in part for q in _QUALIFIERS)
    match = _PART.match(part.strip(_QUALIFIERS))
    if not match:  # a decade ("195X"), an unspecified month, a set…: place it by its bound
        return {"year": _year(bound.year)}, False
    year, month, day = match.groups()
    data = {"year": _year(int(year))}
    if month and int(month) <= 12:
        data["month"] = int(month)
        if day:
            data["day"] = int(day)
    elif month:  # a season (21–24)
        exact = False
    if int(year) <= 0:
        exact = False  # say "BCE" in words rather than trust the viewer's year formatting
    return data, exact


def event_slide(event: Event, absolute: Callable[[str], str]) -> dict:
    parsed = event.date
    parts = event.date_edtf.split("/", 1)
    start_part = parts[0] if parts[0] not in ("", "..") else None
    start, start_exact = date_object(start_part or event.date_edtf, parsed.lower)
    slide = {"unique_id": event.slug, "start_date": start}
    exact = start_exact
    if len(parts) == 2 and parts[1] not in ("", ".."):
        end, end_exact = date_object(parts[1], parsed.upper)
        slide["end_date"] = end
        exact = exact and end_exact
    if not exact or start_part is None:
        slide["display_date"] = event.date_display
        slide["start_date"]["display_date"] = event.date_display
    text = render_markdown(event.summary) if event.summary else ""
    link = absolute(event.get_absolute_url())
    text += f'<p><a href="{escape(link)}">More about this event</a></p>'
    slide["text"] = {"headline": escape(event.title), "text": text}
    if event.place:
        slide["group"] = escape(event.place.split(",")[0].strip()[:60])  # HTML, as the text is
    if event.image:
        slide["media"] = {
            "url": absolute(event.image.url),
            "alt": event.image_alt,
            "caption": escape(event.image_alt),
            "link": link,
        }
    return slide


def _era(events: list[Event], headline: str) -> dict:
    first = min(events, key=lambda e: e.date_start).date.lower
    last = max(events, key=lambda e: e.date_end).date.upper
    return {
        "start_date": {"year": _year(first.year), "month": first.month, "day": first.day},
        "end_date": {"year": _year(last.year), "month": last.month, "day": last.day},
        "text": {"headline": escape(headline)},
    }


def events_timeline(
    events: Iterable[Event],
    *,
    title: str,
    text: str = "",
    absolute: Callable[[str], str],
    unique_id: str = "timeline:title",
) -> dict:
    """A TimelineJS3 document for these events (already filtered to what may be shown)."""
    events = list(events)
    data = {
        "title": {
            "unique_id": unique_id,
            "text": {"headline": escape(title), "text": escape(text)},
        },
        "events": [event_slide(e, absolute) for e in events],
    }
    if events:
        data["eras"] = [_era(events, title)]
    return data


def lesson_timeline(lesson, *, absolute: Callable[[str], str]) -> dict:
    """The lesson's timeline (its ``timeline`` prefetched, public events only for learners)."""
    return events_timeline(
        lesson.timeline.all(),
        title=lesson.title,
        text=lesson.central_question,
        absolute=absolute,
        unique_id=f"lesson:{lesson.slug}",
    )
