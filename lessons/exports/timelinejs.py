"""Events as TimelineJS3 JSON (https://timeline.knightlab.com/docs/json-format.html).

Dates are split into ``year``/``month``/``day`` as precisely as the EDTF date says; a date
that is approximate, uncertain, a season or a decade also gets ``display_date`` in words.
Years before 1 CE are negative historical years (500 BCE is -500). Text fields are HTML:
titles are escaped, Markdown is rendered and sanitised.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from django.conf import settings
from django.utils.html import escape

from history import dates
from history.markup import render_markdown

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


def event_slide(event: dict, absolute: Callable[[str], str]) -> dict:
    """One event (a view or reference with its date, summary, place and image) as a slide."""
    parsed = dates.from_edtf(event["date_edtf"])
    parts = event["date_edtf"].split("/", 1)
    start_part = parts[0] if parts[0] not in ("", "..") else None
    start, start_exact = date_object(start_part or event["date_edtf"], parsed.lower)
    slide = {"unique_id": event["slug"], "start_date": start}
    exact = start_exact
    if len(parts) == 2 and parts[1] not in ("", ".."):
        end, end_exact = date_object(parts[1], parsed.upper)
        slide["end_date"] = end
        exact = exact and end_exact
    if not exact or start_part is None:
        slide["display_date"] = event["date_display"]
        slide["start_date"]["display_date"] = event["date_display"]
    text = render_markdown(event["summary"]) if event.get("summary") else ""
    link = absolute(event["path"])
    text += f'<p><a href="{escape(link)}">More about this event</a></p>'
    slide["text"] = {"headline": escape(event["title"]), "text": text}
    if event.get("place"):
        # TimelineJS shows the group as HTML: escape it like every other text field.
        slide["group"] = escape(event["place"].split(",")[0].strip()[:60])
    if event.get("image"):
        slide["media"] = {
            "url": absolute(settings.MEDIA_URL.rstrip("/") + "/" + event["image"]),
            "alt": event.get("image_alt", ""),
            "caption": escape(event.get("image_alt", "")),
            "link": link,
        }
    return slide


def _era(events: list[dict], headline: str) -> dict:
    first = dates.bound_from_key(min(e["date_start"] for e in events))
    last = dates.bound_from_key(max(e["date_end"] for e in events))
    return {
        "start_date": {"year": _year(first.year), "month": first.month, "day": first.day},
        "end_date": {"year": _year(last.year), "month": last.month, "day": last.day},
        "text": {"headline": escape(headline)},
    }


def events_timeline(
    events: Iterable[dict],
    *,
    title: str,
    text: str = "",
    absolute: Callable[[str], str],
    unique_id: str = "timeline:title",
) -> dict:
    """A TimelineJS3 document for these events (views, already what the reader may see)."""
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


def lesson_timeline(lesson: dict, events: list[dict], *, absolute: Callable[[str], str]) -> dict:
    """A lesson's timeline: ``events`` are the views of its timeline's events, in date order."""
    return events_timeline(
        events,
        title=lesson["title"],
        text=lesson["central_question"],
        absolute=absolute,
        unique_id=f"lesson:{lesson['slug']}",
    )
