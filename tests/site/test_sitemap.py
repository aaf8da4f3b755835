"""The sitemap: an index of files of at most 50,000 addresses, live content only."""

import re

import pytest

from learner import sitemaps
from tests import factories


def _locations(response) -> list[str]:
    return re.findall(r"<loc>([^<]+)</loc>", response.content.decode())


@pytest.mark.django_db
def test_the_sitemap_is_an_index_of_one_file_per_kind(client):
    factories.EventFactory(slug="uprising")
    response = client.get("/sitemap.xml")
    assert response.status_code == 200 and b"<sitemapindex" in response.content
    assert _locations(response) == [
        f"http://testserver/sitemap-{kind}.xml"
        for kind in ("pages", "lessons", "articles", "events", "concepts")
    ]
    events = client.get("/sitemap-events.xml")
    assert _locations(events) == ["http://testserver/events/uprising/"]
    assert b"<lastmod>" in events.content


@pytest.mark.django_db
def test_a_kind_with_more_addresses_than_a_file_holds_gets_several_files(client, monkeypatch):
    monkeypatch.setattr(sitemaps.EventSitemap, "limit", 2)
    for n in range(5):
        factories.EventFactory(slug=f"event-{n}")
    index = _locations(client.get("/sitemap.xml"))
    assert [u for u in index if "events" in u] == [
        "http://testserver/sitemap-events.xml",
        "http://testserver/sitemap-events.xml?p=2",
        "http://testserver/sitemap-events.xml?p=3",
    ]
    pages = [_locations(client.get("/sitemap-events.xml", {"p": p})) for p in (1, 2, 3)]
    assert [len(p) for p in pages] == [2, 2, 1]
    assert sorted(u for p in pages for u in p) == [
        f"http://testserver/events/event-{n}/" for n in range(5)
    ]


@pytest.mark.django_db
def test_the_default_file_size_is_the_protocols_limit():
    assert sitemaps.URLS_PER_FILE == 50_000
    assert all(getattr(s, "limit", 50_000) == 50_000 for s in sitemaps.SITEMAPS.values())


@pytest.mark.django_db
def test_drafts_and_scheduled_items_are_in_no_file(client):
    factories.EventFactory(slug="live-event")
    factories.EventFactory(slug="draft-event", draft=True)
    factories.EventFactory(
        slug="scheduled-event", status="published", publish_at="2999-01-01T00:00:00Z"
    )
    assert _locations(client.get("/sitemap-events.xml")) == ["http://testserver/events/live-event/"]


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/sitemap-nothing.xml", "/sitemap-events.xml?p=9",
                                 "/sitemap-events.xml?p=two"])  # fmt: skip
def test_a_missing_file_or_page_is_not_found(client, url):
    factories.EventFactory()
    assert client.get(url).status_code == 404
