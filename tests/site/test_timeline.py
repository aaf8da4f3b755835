"""The timeline: a window of events at a time, with periods (and their counts) to move between."""

import re

import pytest
from django.urls import reverse

from history import selectors
from tests import factories


def _html(response) -> str:
    return response.content.decode()


def _titles(html: str) -> list[str]:
    return re.findall(r'<span class="what"><a href="[^"]+">([^<]+)</a>', html)


@pytest.fixture
def small_window(monkeypatch):
    monkeypatch.setattr(selectors, "TIMELINE_PAGE", 5)


@pytest.mark.django_db
def test_timeline_shows_one_window_of_events_with_pages_earliest_first(client, small_window):
    for n in range(12):
        factories.EventFactory(title=f"Strike {n:02d}", date_edtf=f"19{50 + n}")
    first = _html(client.get(reverse("learner:timeline")))
    assert _titles(first) == [f"Strike {n:02d}" for n in range(5)]
    assert "12 events" in first and "page 1 of 3" in first
    assert 'href="?page=2" rel="next">Later events' in first and 'rel="prev"' not in first
    last = _html(client.get(reverse("learner:timeline"), {"page": "3"}))
    assert _titles(last) == ["Strike 10", "Strike 11"]
    assert 'href="?page=2" rel="prev">Earlier events' in last and 'rel="next"' not in last


@pytest.mark.django_db
def test_a_page_beyond_the_last_shows_the_last(client, small_window):
    for n in range(7):
        factories.EventFactory(title=f"Strike {n}", date_edtf=f"19{50 + n}")
    html = _html(client.get(reverse("learner:timeline"), {"page": "99"}))
    assert _titles(html) == ["Strike 5", "Strike 6"] and "page 2 of 2" in html


@pytest.mark.django_db
def test_periods_link_each_decade_with_the_number_of_its_events(client):
    factories.EventFactory(title="Peace", date_edtf="1919-06-28")
    factories.EventFactory(title="Poznań", date_edtf="1956-06-28/1956-06-30")
    factories.EventFactory(title="Hungary", date_edtf="1956-10-23/1956-11-10")
    factories.EventFactory(title="Wall", date_edtf="1989-11-09")
    factories.EventFactory(title="Hidden", date_edtf="1935", draft=True)
    html = _html(client.get(reverse("learner:timeline")))
    nav = re.search(r'<nav aria-label="Periods".*?</nav>', html).group()
    periods = re.findall(r'<a href="\?from=(-?\d+)&amp;to=(-?\d+)">([^<]+)</a> '
                         r'<span class="where">\((\d+)\)</span>', nav)  # fmt: skip
    assert periods == [
        ("1910", "1919", "1910s", "1"),
        ("1950", "1959", "1950s", "2"),
        ("1980", "1989", "1980s", "1"),
    ]  # decades without public events are not offered
    decade = _html(client.get(reverse("learner:timeline"), {"from": "1950", "to": "1959"}))
    assert _titles(decade) == ["Poznań", "Hungary"]


@pytest.mark.django_db
def test_a_long_span_is_cut_into_centuries_counted_as_historians_count(client):
    factories.EventFactory(title="Marathon", date_edtf="-0489")  # 490 BCE
    factories.EventFactory(title="Thermopylae", date_edtf="-0479")  # 480 BCE
    factories.EventFactory(title="Hungary", date_edtf="1956")
    html = _html(client.get(reverse("learner:timeline")))
    assert '500–401 BCE</a> <span class="where">(2)' in html
    assert '1900–1999</a> <span class="where">(1)' in html
    bce = _html(client.get(reverse("learner:timeline"), {"from": "-499", "to": "-400"}))
    assert _titles(bce) == ["Marathon", "Thermopylae"]


@pytest.mark.django_db
def test_an_event_spanning_periods_counts_in_each(client):
    factories.EventFactory(title="Years of war", date_edtf="1914-07-28/1921-03-18")
    factories.EventFactory(title="Later", date_edtf="1960")
    html = _html(client.get(reverse("learner:timeline")))
    assert '1910s</a> <span class="where">(1)' in html
    assert '1920s</a> <span class="where">(1)' in html
    assert '1960s</a> <span class="where">(1)' in html
    assert "1930s" not in html


@pytest.mark.django_db
def test_the_concept_filter_offers_the_concepts_of_the_events_shown(client, small_window):
    shown, later = factories.ConceptFactory(term="strike"), factories.ConceptFactory(term="wall")
    for n in range(6):
        event = factories.EventFactory(title=f"Strike {n}", date_edtf=f"19{50 + n}")
        event.concepts.add(shown if n < 5 else later)
    html = _html(client.get(reverse("learner:timeline")))
    options = re.findall(r'<option value="([^"]*)"', html)
    assert options == ["", shown.slug]  # "wall" is about an event of the next window
    html = _html(client.get(reverse("learner:timeline"), {"concept": later.slug}))
    assert _titles(html) == ["Strike 5"]
    assert re.findall(r'<option value="([^"]*)" selected', html) == [later.slug]


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["0", "two", "-1", "1" * 20])
def test_a_bad_page_number_gets_a_clear_message(client, page):
    factories.EventFactory()
    response = client.get(reverse("learner:timeline"), {"page": page})
    assert response.status_code == 400
    assert "is not a page number" in _html(response)


@pytest.mark.django_db
def test_filters_are_kept_in_period_and_page_links(client, small_window):
    concept = factories.ConceptFactory(term="strike")
    for n in range(6):
        factories.EventFactory(title=f"Strike {n}", date_edtf=f"1956-0{n + 1}").concepts.add(
            concept
        )
    html = _html(client.get(reverse("learner:timeline"), {"concept": concept.slug, "to": "1960"}))
    assert f'href="?to=1960&amp;concept={concept.slug}&amp;page=2"' in html
    assert f'href="?concept={concept.slug}&amp;from=1956&amp;to=1956"' in html
