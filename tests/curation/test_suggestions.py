"""Suggested links: concepts and dates found in the sample article, accepted or rejected."""

from pathlib import Path

import pytest
from django.core.management import call_command

from history import services
from history.detection import find_dates
from history.models import Article, DatedExpression, DateStatus, Event, Mention, MentionStatus
from publishing.models import Status
from tests.factories import ArticleFactory, ConceptFactory, EventFactory

SAMPLE = Path(__file__).resolve().parents[2] / "sample"
ARTICLE = SAMPLE / "khrushchev-the-stalinist-who-denounced-stalin.txt"


def test_find_dates_reads_absolute_and_relative_dates():
    text = (
        "On 23 October 1956 they marched. In February 1956 he spoke, and later in 1956 came "
        "the rising; that year ended badly. The Party was founded in 1919. The following year "
        "was calmer. In the 1950s…"
    )
    found = [(f.surface, f.edtf, f.relative) for f in find_dates(text)]
    assert found == [
        ("23 October 1956", "1956-10-23", False),
        ("February 1956", "1956-02", False),
        ("later in 1956", "1956", False),
        ("that year", "1956", True),
        ("in 1919", "1919", False),
        ("The following year", "1920", True),
        ("the 1950s", "195X", False),
    ]


def test_find_dates_offsets_are_code_points_of_the_text():
    text = "Petőfi’s “circle” 🙂 met in March 1956."
    (found,) = find_dates(text)
    assert text[found.start : found.end] == "March 1956" == found.surface


def test_relative_year_ignores_years_in_brackets_and_needs_a_year_before():
    text = (
        "That year was hard. In 1956 Khrushchev spoke of Stalin (who had died in 1953); that year…"
    )
    found = [(f.surface, f.edtf) for f in find_dates(text)]
    assert found == [("In 1956", "1956"), ("in 1953", "1953"), ("that year", "1956")]


def test_month_names_that_are_words_need_a_capital_and_a_year():
    assert find_dates("They may march in May, and march again; 1956 was the year.") == []


@pytest.mark.django_db
def test_import_suggests_the_sample_articles_concepts_and_dates_but_not_words_containing_them(
    capsys,
):
    ConceptFactory(term="Joseph Stalin", slug="stalin", aliases=["Stalin"])
    ConceptFactory(term="Petőfi Circle", slug="petofi", aliases=["Petofi circle"])
    ConceptFactory(term="workers’ councils", slug="wc", aliases=["soviets"])
    ConceptFactory(term="Trotsky", slug="trotsky")
    call_command("import_article", str(ARTICLE))
    article = Article.objects.get()

    surfaces = set(article.mentions.values_list("exact", flat=True))
    assert {"Stalin", "Stalin’s", "Petofi circle", "workers’ councils", "Trotsky"} <= surfaces
    # Words that merely contain a term are not mentions of it.
    assert not surfaces & {"Stalinist", "Stalinism", "Stalinists", "Trotskyist"}
    for mention in article.mentions.all():
        assert article.body[mention.start : mention.end] == mention.exact
    assert set(article.mentions.values_list("status", flat=True)) == {MentionStatus.SUGGESTED}

    dates = {(d.exact, d.date_edtf) for d in article.dates.all()}
    assert {("February 1956", "1956-02"), ("later in 1956", "1956"), ("that year", "1956")} <= dates
    assert "suggested:" in capsys.readouterr().out


@pytest.mark.django_db
def test_on_demand_detection_finds_a_new_concept_and_does_not_repeat_decisions():
    article = ArticleFactory()
    first = services.suggestions_detect(article=article)
    assert first.links == 0 and first.dates == 2  # "February 1956", "Later in 1956"
    DatedExpression.objects.filter(exact="February 1956").update(status=DateStatus.REJECTED)
    ConceptFactory(term="Petőfi Circle", slug="petofi")
    again = services.suggestions_detect(article=article)
    assert (again.links, again.dates) == (1, 0)
    assert Mention.objects.get().exact == "Petőfi Circle"


@pytest.mark.django_db
def test_detection_runs_when_an_article_is_saved_with_new_text():
    ConceptFactory(term="Budapest", slug="budapest")
    article = ArticleFactory(body="Nothing here.")
    article.body = "In Budapest, in 1956, workers met."
    services.article_save(article=article)
    assert article.mentions.get().exact == "Budapest"
    assert article.dates.get().exact == "in 1956"


@pytest.mark.django_db
def test_linking_a_date_to_the_event_with_its_dates_confirms_a_mention_of_the_event():
    article = ArticleFactory()
    services.dates_detect(article=article)
    congress = EventFactory(title="20th Congress", slug="congress", date_edtf="1956-02")
    EventFactory(title="Rising", slug="rising", date_edtf="1956-10-23/1956-11-10")
    february = article.dates.get(exact="February 1956")
    assert services.date_link_matching(expression=february) == congress
    february.refresh_from_db()
    assert february.status == DateStatus.LINKED and february.event == congress
    mention = Mention.objects.get(event=congress)
    assert (mention.exact, mention.status) == ("February 1956", MentionStatus.CONFIRMED)
    # "Later in 1956" spans two events: no single match, nothing linked.
    later = article.dates.get(exact="Later in 1956")
    assert services.date_link_matching(expression=later) is None
    assert DatedExpression.objects.get(pk=later.pk).status == DateStatus.SUGGESTED


@pytest.mark.django_db
def test_a_new_draft_event_can_be_made_from_a_date(editor_user):
    article = ArticleFactory()
    services.dates_detect(article=article)
    event = services.date_new_event(
        expression=article.dates.get(exact="February 1956"), user=editor_user
    )
    assert event.status == Status.DRAFT
    assert event.date_edtf == "1956-02" and event.created_by == editor_user
    assert Event.objects.get(pk=event.pk).mentions.get().exact == "February 1956"


@pytest.mark.django_db
def test_admin_actions_accept_and_reject_suggestions(client, editor_user):
    article = ArticleFactory()
    concept = ConceptFactory(term="Budapest", slug="budapest")
    services.suggestions_detect(article=article)
    client.force_login(editor_user)
    mentions = list(Mention.objects.filter(concept=concept).values_list("pk", flat=True))
    assert len(mentions) == 2
    response = client.post(
        "/admin/history/mention/",
        {"action": "confirm", "_selected_action": mentions},
        follow=True,
    )
    assert response.status_code == 200
    assert set(Mention.objects.values_list("status", flat=True)) == {MentionStatus.CONFIRMED}
    dates = list(article.dates.values_list("pk", flat=True))
    client.post("/admin/history/datedexpression/", {"action": "reject", "_selected_action": dates})
    assert set(article.dates.values_list("status", flat=True)) == {DateStatus.REJECTED}
