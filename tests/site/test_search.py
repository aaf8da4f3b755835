"""Search: ranked, stemmed, at paragraph level for articles, never finding drafts."""

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from search.models import SearchDocument
from search.selectors import ranked_ids, search
from tests import factories


@pytest.mark.django_db
def test_plural_finds_singular_through_stemming():
    event = factories.EventFactory(title="Hungarian revolution of 1956")
    factories.flush()
    assert ranked_ids("event", "revolutions") == [event.pk]


@pytest.mark.django_db
def test_article_hits_are_paragraphs_with_the_words_highlighted():
    article = factories.ArticleFactory()
    factories.flush()
    hits = search("councils").groups["article"]
    assert [(h.obj, h.paragraph) for h in hits] == [(article.live, 2)]
    assert hits[0].url == f"{article.get_absolute_url()}#p2"
    assert "<mark>councils</mark>" in hits[0].snippet


@pytest.mark.django_db
def test_snippets_escape_the_text_around_the_highlight():
    factories.ArticleFactory(body="<b>Revolution</b> & counter-moves.")
    factories.flush()
    snippet = search("revolution").groups["article"][0].snippet
    # PostgreSQL's ts_headline drops tag-like text; SQLite's snippet keeps it. Either way
    # nothing from the text arrives as markup.
    assert "<mark>Revolution</mark>" in snippet and "&amp;" in snippet
    assert "<b>" not in snippet


@pytest.mark.django_db
def test_results_are_ranked_best_first():
    weak = factories.ConceptFactory(term="Budapest", definition="A city on a river.")
    strong = factories.ConceptFactory(term="river", definition="A river is a flowing river.")
    factories.flush()
    assert ranked_ids("concept", "river") == [strong.pk, weak.pk]


@pytest.mark.django_db
def test_drafts_scheduled_and_archived_content_are_never_found():
    later = timezone.now() + timezone.timedelta(days=1)
    factories.LessonFactory(title="Poznań draft", draft=True)
    factories.EventFactory(title="Poznań scheduled", publish_at=later)
    factories.ConceptFactory(term="Poznań archived", status="archived")
    factories.ArticleFactory(title="Poznań review", status="review", publish_at=None)
    factories.flush()
    assert all(hits == [] for hits in search("Poznań").groups.values())
    for kind in ("lesson", "article", "event", "concept"):
        assert ranked_ids(kind, "Poznań") == []


@pytest.mark.django_db
def test_content_is_found_once_published_and_not_after_unpublishing():
    from publishing import services

    concept = factories.ConceptFactory(term="destalinisation", draft=True)
    assert ranked_ids("concept", "destalinisation") == []
    services.publish(obj=concept, user=None)
    assert ranked_ids("concept", "destalinisation") == [concept.pk]
    services.unpublish(obj=concept, user=None)
    assert ranked_ids("concept", "destalinisation") == []


@pytest.mark.django_db
def test_index_follows_published_versions_and_deletions(publisher_user):
    from history.services import event_save
    from publishing import services

    event = factories.EventFactory(title="Uprising")
    factories.flush()
    event.title = "Rising"
    event_save(event=event)  # a working copy: learners do not find it yet
    assert ranked_ids("event", "uprising") == [event.pk] and ranked_ids("event", "rising") == []
    services.publish(obj=event, user=publisher_user)
    assert ranked_ids("event", "uprising") == [] and ranked_ids("event", "rising") == [event.pk]
    event.delete()
    assert ranked_ids("event", "rising") == [] and not SearchDocument.objects.exists()


@pytest.mark.django_db
def test_lessons_are_found_by_their_sections():
    section = factories.SectionFactory(heading="Reading Petőfi")
    factories.flush()
    assert ranked_ids("lesson", "petofi") == [section.lesson_id]
    assert ranked_ids("lesson", "Petőfi") == [section.lesson_id]


@pytest.mark.django_db
def test_rebuild_command_restores_the_index(capsys):
    event = factories.EventFactory(title="Operation Whirlwind")
    factories.flush()
    SearchDocument.objects.all().delete()
    assert ranked_ids("event", "whirlwind") == []
    call_command("rebuild_search_index")
    assert ranked_ids("event", "whirlwind") == [event.pk]
    assert "Search index rebuilt" in capsys.readouterr().out


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query", ['"', "NEAR(a b)", "a OR", "*", "-", "title:x", "’…", "x" * 150, "AND NOT ("]
)
def test_odd_queries_never_break_search(client, query):
    factories.EventFactory(title="title x")
    response = client.get(reverse("search:search"), {"q": query})
    assert response.status_code in (200, 400)


def test_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="Unknown kind"):
        ranked_ids("user", "x")


@pytest.mark.django_db
def test_search_page_groups_results_and_says_when_nothing_is_found(client):
    factories.EventFactory(title="Hungarian revolution")
    factories.ConceptFactory(term="political revolution")
    html = client.get(reverse("search:search"), {"q": "revolutions"}).content.decode()
    assert "2 results" in html and 'id="results-event"' in html and 'id="results-concept"' in html
    html = client.get(reverse("search:search"), {"q": "zebra"}).content.decode()
    assert "Nothing found" in html


@pytest.mark.django_db
def test_overlong_query_gets_a_clear_message(client):
    response = client.get(reverse("search:search"), {"q": "word " * 100})
    assert response.status_code == 400 and "at most 200 characters" in response.content.decode()


@pytest.mark.django_db
def test_glossary_snippets_come_from_the_definition_not_the_alias_list():
    factories.ConceptFactory(
        term="workers’ councils",
        aliases=["soviets", "councils of workers", "workers’ council"],
        definition="Bodies elected by workers to run their factories and towns.",
    )
    factories.flush()
    (hit,) = search("councils").groups["concept"]
    assert str(hit.snippet).startswith("Bodies elected")


@pytest.mark.django_db
def test_a_line_of_names_does_not_outrank_the_prose_about_them():
    article = factories.ArticleFactory(
        body=(
            "Names: Rákosi, Gerő, Nagy, Kádár\n\n"
            "Imre Nagy led the government in the last days of October, when Kádár still "
            "stood beside him and the fighting in Budapest had almost stopped."
        )
    )
    factories.flush()
    hits = search("Nagy Kádár").groups["article"]
    assert [h.paragraph for h in hits] == [2, 1]
    assert hits[0].obj == article.live


@pytest.mark.django_db
def test_results_of_one_kind_come_page_by_page(client):
    for n in range(25):
        factories.EventFactory(title=f"Strike number {n}", slug=f"strike-{n}")
    factories.flush()
    first = search("strike")
    assert first.counts["event"] == 25 and len(first.groups["event"]) == 8
    page2 = search("strike", kind="event", page=2)
    assert page2.pages == 2 and len(page2.groups["event"]) == 5
    html = client.get(reverse("search:search"), {"q": "strike"}).content.decode()
    assert "All 25 results in events" in html
    html = client.get(reverse("search:search"), {"q": "strike", "kind": "event"}).content.decode()
    assert "Page 1 of 2" in html and 'rel="next"' in html
    # Counted in the same pass as the page: a page past the end is the last page, whole.
    past = search("strike", kind="event", page=9)
    assert past.page == 2 and past.counts == {"event": 25}
    assert [h.title for h in past.groups["event"]] == [h.title for h in page2.groups["event"]]
    assert search("strike", kind="event").counts == {"event": 25}


@pytest.mark.django_db
def test_a_typo_gets_a_suggestion_that_finds_something(client):
    factories.ConceptFactory(term="Nikita Khrushchev", definition="First secretary.")
    html = client.get(reverse("search:search"), {"q": "Krushchev"}).content.decode()
    assert "Did you mean" in html and ">khrushchev</a>" in html
    assert search("zzzqqq").suggestion == ""


@pytest.mark.django_db
def test_folded_letters_and_spellings_meet():
    concept = factories.ConceptFactory(term="Władysław Gomułka", definition="Polish leader.")
    event = factories.EventFactory(title="Labour unrest", summary="The organisation of strikes.")
    factories.flush()
    assert ranked_ids("concept", "Gomulka") == [concept.pk]
    assert ranked_ids("event", "labor organization") == [event.pk]


@pytest.fixture
def few_candidates(monkeypatch):
    """Rank at most 3 matches of a kind's text (and 3 of its names), as a large corpus is
    ranked at most 1,000."""
    from search import selectors

    monkeypatch.setattr(selectors, "CANDIDATES", 3)


@pytest.mark.django_db
def test_a_kind_with_more_matches_than_are_ranked_says_more_than_and_puts_names_first(
    client, few_candidates
):
    # The oldest event has the word in its title; the six newer ones in their text only.
    titled = factories.EventFactory(title="The great strike", slug="great-strike")
    factories.flush()  # published, and indexed, first
    for n in range(6):
        factories.EventFactory(title=f"Meeting {n}", slug=f"meeting-{n}", summary="A strike.")
    factories.flush()
    results = search("strike")
    assert results.more == {"event"} and results.counts == {"event": 3}
    assert results.groups["event"][0].obj == titled.live
    # Ranked: the titled one and the first 4 of the text's matches in the index's order (the
    # newest on SQLite, the first stored on PostgreSQL, where the titled one is among them);
    # the others are never read. The API's ranking gives as many as are ranked on a page.
    ids = ranked_ids("event", "strike")
    assert len(ids) == 3 and ids[0] == titled.pk
    one_kind = search("strike", kind="event")
    assert one_kind.pages == 1 and len(one_kind.groups["event"]) in (4, 5)
    assert one_kind.groups["event"][0].obj == titled.live
    html = client.get(reverse("search:search"), {"q": "strike"}).content.decode()
    assert "More than 3 results for “strike”" in html
    assert "The best of the first 3 of each kind are shown" in html
    assert "(more than 3)" in html


@pytest.mark.django_db
def test_up_to_the_number_ranked_counts_are_exact_and_names_need_no_tier(few_candidates):
    titled = factories.EventFactory(title="The great strike", slug="great-strike")
    factories.EventFactory(title="Meeting", slug="meeting", summary="A strike, a strike.")
    factories.flush()
    results = search("strike")
    assert results.more == frozenset() and results.counts == {"event": 2}
    assert results.total_label == "2"
    assert ranked_ids("event", "strike")[0] == titled.pk


@pytest.mark.django_db
def test_the_word_kind_finds_text_not_every_row_of_that_kind():
    # The index knows each row's kind (to search one kind in the index): a query for the word
    # "event" must not find every event.
    factories.EventFactory(title="Poznań riots", slug="poznan")
    concept = factories.ConceptFactory(term="Event", definition="Something that happened.")
    factories.flush()
    results = search("event")
    assert results.groups["event"] == []
    assert [h.obj for h in results.groups["concept"]] == [concept.live]
