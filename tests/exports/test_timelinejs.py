"""TimelineJS3 JSON checked against the format's own field tables (no official JSON Schema).

The rules below are those of lessons/exports/schemas/timelinejs/json-format-fields.md.
"""

import pytest

from lessons.exports import timelinejs
from tests import factories

SLIDE_FIELDS = {"start_date", "end_date", "text", "media", "group", "display_date",
                "background", "autolink", "unique_id"}  # fmt: skip
DATE_FIELDS = {"year", "month", "day", "hour", "minute", "second", "millisecond",
               "display_date", "format"}  # fmt: skip
MEDIA_FIELDS = {"url", "caption", "credit", "thumbnail", "alt", "title", "link", "link_target"}


def _date_problems(date, where) -> list[str]:
    problems = []
    if not isinstance(date, dict):
        return [f"{where}: a date must be an object"]
    problems += [f"{where}: unknown date field {k}" for k in set(date) - DATE_FIELDS]
    if not isinstance(date.get("year"), int) or isinstance(date.get("year"), bool):
        problems.append(f"{where}: year is required and must be a number (no 'BCE')")
    if "month" in date and not (isinstance(date["month"], int) and 1 <= date["month"] <= 12):
        problems.append(f"{where}: month must be a number from 1 to 12")
    if "day" in date and not (isinstance(date["day"], int) and 1 <= date["day"] <= 31):
        problems.append(f"{where}: day must be a number")
    if "day" in date and "month" not in date:
        problems.append(f"{where}: a day without a month")
    if "display_date" in date and not isinstance(date["display_date"], str):
        problems.append(f"{where}: display_date must be a string")
    return problems


def _text_problems(text, where, *, era=False) -> list[str]:
    if not isinstance(text, dict):
        return [f"{where}: text must be an object"]
    allowed = {"headline"} if era else {"headline", "text"}
    problems = [f"{where}: unknown text field {k}" for k in set(text) - allowed]
    return problems + [
        f"{where}: {k} must be a string" for k, v in text.items() if not isinstance(v, str)
    ]


def _slide_problems(slide, where, *, title=False) -> list[str]:
    problems = [f"{where}: unknown slide field {k}" for k in set(slide) - SLIDE_FIELDS]
    if "start_date" in slide:
        problems += _date_problems(slide["start_date"], f"{where}.start_date")
    elif not title:
        problems.append(f"{where}: start_date is required on every slide but the title")
    if "end_date" in slide:
        problems += _date_problems(slide["end_date"], f"{where}.end_date")
    if "text" in slide:
        problems += _text_problems(slide["text"], f"{where}.text")
    if "media" in slide:
        media = slide["media"]
        if not isinstance(media, dict) or not media.get("url"):
            problems.append(f"{where}.media: url is required")
        else:
            problems += [f"{where}.media: unknown field {k}" for k in set(media) - MEDIA_FIELDS]
    if "display_date" in slide and not isinstance(slide["display_date"], str):
        problems.append(f"{where}: display_date must be a string")
    return problems


def timeline_problems(data) -> list[str]:
    """Every way ``data`` breaks the TimelineJS3 JSON format's rules."""
    if not isinstance(data, dict):
        return ["the document must be an object"]
    problems = [
        f"unknown top-level field {k}" for k in set(data) - {"events", "title", "eras", "scale"}
    ]
    if not isinstance(data.get("events"), list):
        problems.append("events is required and must be a list")
    else:
        for i, slide in enumerate(data["events"]):
            problems += _slide_problems(slide, f"events[{i}]")
    if "title" in data:
        problems += _slide_problems(data["title"], "title", title=True)
    for i, era in enumerate(data.get("eras", [])):
        for key in ("start_date", "end_date"):
            if key not in era:
                problems.append(f"eras[{i}]: {key} is required")
            else:
                problems += _date_problems(era[key], f"eras[{i}].{key}")
        if "text" in era:
            problems += _text_problems(era["text"], f"eras[{i}].text", era=True)
    if data.get("scale", "human") not in ("human", "cosmological"):
        problems.append("scale must be human or cosmological")
    ids = [
        s["unique_id"] for s in [data.get("title", {}), *data.get("events", [])] if "unique_id" in s
    ]
    if len(ids) != len(set(ids)):
        problems.append("unique_id values must be unique among all slides")
    return problems


def test_the_validator_catches_broken_documents():
    assert timeline_problems({"events": [{"text": {"headline": "x"}}]}) == [
        "events[0]: start_date is required on every slide but the title"
    ]
    assert timeline_problems({"events": [{"start_date": {"year": "500 BCE"}}]})
    assert timeline_problems({"events": [], "eras": [{"start_date": {"year": 1}}]})
    assert timeline_problems({"events": [{"start_date": {"year": 1}, "media": {}}]})


def absolute(path):
    return f"https://example.org{path}"


def views(events):
    """Events as the exports get them (their references, with image fields)."""
    from history.content import event_ref, events_content

    contents = events_content(events)
    return [event_ref(contents[e.pk]) | {"image": "", "image_alt": ""} for e in events]


@pytest.mark.django_db
def test_dates_are_split_with_display_dates_for_approximate_ones():
    events = [
        factories.EventFactory(slug="day", title="Speech", date_edtf="1956-02-25"),
        factories.EventFactory(slug="span", date_edtf="1956-10-23/1956-11-10"),
        factories.EventFactory(slug="circa", date_edtf="c. 1919"),
        factories.EventFactory(slug="decade", date_edtf="1950s"),
        factories.EventFactory(slug="bce", date_edtf="500 BCE"),
        factories.EventFactory(slug="month", date_edtf="February 1956"),
    ]
    data = timelinejs.events_timeline(views(events), title="Petőfi’s 1956", absolute=absolute)
    assert timeline_problems(data) == []
    slides = {s["unique_id"]: s for s in data["events"]}
    assert slides["day"]["start_date"] == {"year": 1956, "month": 2, "day": 25}
    assert "display_date" not in slides["day"]
    assert slides["span"]["start_date"] == {"year": 1956, "month": 10, "day": 23}
    assert slides["span"]["end_date"] == {"year": 1956, "month": 11, "day": 10}
    assert slides["circa"]["start_date"]["year"] == 1919
    assert slides["circa"]["display_date"] == "c. 1919"
    assert slides["decade"]["start_date"]["year"] == 1950
    assert slides["decade"]["display_date"] == events[3].date_display
    assert slides["bce"]["start_date"]["year"] == -500
    assert "BCE" in slides["bce"]["display_date"]
    assert slides["month"]["start_date"] == {"year": 1956, "month": 2}
    assert data["title"]["text"]["headline"] == "Petőfi’s 1956"
    assert data["eras"][0]["start_date"]["year"] == -500


@pytest.mark.django_db
def test_titles_are_escaped_html():
    event = factories.EventFactory(title="<script>alert(1)</script> & Poznań")
    data = timelinejs.events_timeline(views([event]), title="t", absolute=absolute)
    assert (
        data["events"][0]["text"]["headline"]
        == "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Poznań"
    )


def test_the_sample_lessons_timeline_follows_the_rules(sample, api):
    from lessons.models import Lesson

    lesson = Lesson.objects.get()
    response = api.get(f"/api/v1/lessons/{lesson.slug}/timeline.json")
    data = response.json()
    assert timeline_problems(data) == []
    assert len(data["events"]) == lesson.timeline.count() > 3
    assert data["title"]["unique_id"] == f"lesson:{lesson.slug}"
    assert {s["unique_id"] for s in data["events"]} == set(
        lesson.timeline.values_list("slug", flat=True)
    )


def test_a_filtered_set_of_events_is_a_timeline_too(sample, api):
    data = api.get("/api/v1/events/timeline.json?year_from=1956&year_to=1956").json()
    assert timeline_problems(data) == []
    assert data["events"]
    assert all(s["start_date"]["year"] <= 1956 for s in data["events"])
