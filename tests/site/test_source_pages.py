"""Articles, events, concepts, the glossary and the timeline as learners see them."""

import re

import pytest
from django.urls import reverse

from history.models import Article, Concept, Event
from lessons.models import Lesson
from tests import factories


def _html(response) -> str:
    return response.content.decode()


@pytest.mark.django_db
def test_article_numbers_its_paragraphs_and_links_each_one(client, sample):
    article = Article.objects.get()
    html = _html(client.get(article.get_absolute_url()))
    count = len(article.paragraphs)
    assert f'id="p{count}"' in html and f'href="#p{count}"' in html
    assert f'aria-label="Paragraph {count}"' in html


@pytest.mark.django_db
def test_read_in_context_highlights_the_quoted_passage(client, sample):
    lesson = Lesson.objects.get()
    excerpt = lesson.sections.exclude(excerpt=None).first().excerpt
    url = excerpt.article.get_absolute_url() + f"?excerpt={excerpt.pk}"
    html = _html(client.get(url))
    assert f'<mark class="excerpt is-target" id="excerpt-{excerpt.pk}">' in html
    assert "The highlighted passage is the one the lesson quotes" in html
    assert f"{lesson.get_absolute_url()}#section-" in html


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["abc", "99999999", "-1", "1" * 40])
def test_unknown_excerpt_parameters_are_ignored(client, sample, value):
    article = Article.objects.get()
    response = client.get(article.get_absolute_url(), {"excerpt": value})
    assert response.status_code == 200 and "is-target" not in _html(response)


@pytest.mark.django_db
def test_confirmed_mentions_of_published_concepts_become_glossary_terms(client):
    article = factories.ArticleFactory()
    start = article.body.index("workers’ councils")
    concept = factories.ConceptFactory(term="workers’ council", definition="A <b>council</b>.")
    factories.MentionFactory(article=article, concept=concept, start=start, end=start + 17)
    draft = factories.ConceptFactory(draft=True, term="Petőfi Circle")
    where = article.body.index("Petőfi Circle")
    factories.MentionFactory(article=article, concept=draft, start=where, end=where + 13)
    suggested = factories.ConceptFactory(term="Poznań")
    at = article.body.index("Poznań")
    factories.MentionFactory(
        article=article, concept=suggested, start=at, end=at + 6, status="suggested"
    )
    html = _html(client.get(article.get_absolute_url()))
    link = (
        f'<a class="term" href="{concept.get_absolute_url()}" '
        f'aria-describedby="def-{concept.pk}">workers’ councils</a>'
    )
    assert link in html
    assert f'<dd id="def-{concept.pk}">A &lt;b&gt;council&lt;/b&gt;.</dd>' in html
    assert draft.get_absolute_url() not in html and "Petőfi Circle" in html
    assert suggested.get_absolute_url() not in html


@pytest.mark.django_db
def test_article_answers_conditional_gets_and_changes_etag_once_a_change_is_published(client):
    article = factories.ArticleFactory()
    first = client.get(article.get_absolute_url())
    assert (
        client.get(article.get_absolute_url(), HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    )
    factories.MentionFactory(article=article)
    # An editor's change is not observable until it is published, not even through the ETag.
    assert (
        client.get(article.get_absolute_url(), HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    )
    factories.go_live(article)
    assert (
        client.get(article.get_absolute_url(), HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200
    )


@pytest.mark.django_db
def test_article_text_is_escaped(client):
    article = factories.ArticleFactory(body="<script>alert(1)</script> & “quotes”\n\nSecond.")
    html = _html(client.get(article.get_absolute_url()))
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; “quotes”" in html


@pytest.mark.django_db
def test_event_page_lists_concepts_articles_and_lessons(client):
    event = factories.EventFactory(title="Poznań protests", date_edtf="1956-06-28/1956-06-30")
    concept = factories.ConceptFactory(term="strike")
    hidden = factories.ConceptFactory(term="hidden term", draft=True)
    event.concepts.add(concept, hidden)
    mention = factories.MentionFactory(concept=None, event=event)
    lesson = factories.LessonFactory()
    lesson.timeline.add(event)
    draft_lesson = factories.LessonFactory(draft=True, title="Unfinished")
    draft_lesson.timeline.add(event)
    html = _html(client.get(event.get_absolute_url()))
    assert "28–30 June 1956" in html and "strike" in html and "hidden term" not in html
    assert mention.article.title in html and lesson.title in html and "Unfinished" not in html


@pytest.mark.django_db
def test_approximate_dates_are_marked(client):
    event = factories.EventFactory(date_edtf="1919~")
    html = _html(client.get(event.get_absolute_url()))
    assert "c. 1919" in html and "approximate date" in html
    html = _html(client.get(reverse("learner:timeline")))
    assert "is-approximate" in html and "(approximate date)" in html


@pytest.mark.django_db
def test_concept_page_shows_explanation_related_mentions_and_lessons(client):
    concept = factories.ConceptFactory(term="soviet", explanation="A *council*.")
    concept.related.add(factories.ConceptFactory(term="workers’ council"))
    concept.related.add(factories.ConceptFactory(term="secret thing", draft=True))
    article = factories.ArticleFactory()
    start = article.body.index("soviets")
    factories.MentionFactory(article=article, concept=concept, start=start, end=start + 6)
    lesson = factories.LessonFactory()
    lesson.vocabulary.add(concept)
    html = _html(client.get(concept.get_absolute_url()))
    assert "<em>council</em>" in html and "workers’ council" in html
    assert "secret thing" not in html
    assert "<mark>soviet</mark>" in html and "the ‘" in html
    assert f'{article.get_absolute_url()}#p2"' in html
    assert lesson.title in html


@pytest.mark.django_db
def test_glossary_lists_published_concepts_a_to_z(client):
    for term in ["Órgano", "apparatchik", "Budapest", "zeal"]:
        factories.ConceptFactory(term=term)
    factories.ConceptFactory(term="Draft term", draft=True)
    html = _html(client.get(reverse("learner:glossary")))
    headings = re.findall(r'<h2 id="letter-\d+">(.)</h2>', html)
    assert headings == ["A", "B", "O", "Z"]
    assert "Órgano" in html and "Draft term" not in html


@pytest.mark.django_db
def test_timeline_lists_published_events_in_date_order(client):
    later = factories.EventFactory(title="Later", date_edtf="1958-06-16")
    earlier = factories.EventFactory(title="Earlier", date_edtf="1953-03-05")
    factories.EventFactory(title="Secret", date_edtf="1955", draft=True)
    html = _html(client.get(reverse("learner:timeline")))
    assert html.index(earlier.title) < html.index(later.title) and "Secret" not in html
    assert '<ol class="timeline">' in html and "<svg" in html


@pytest.mark.django_db
def test_timeline_filters_by_period_and_concept(client):
    concept = factories.ConceptFactory(term="revolution")
    in_period = factories.EventFactory(title="Hungary", date_edtf="1956-10-23/1956-11-10")
    in_period.concepts.add(concept)
    factories.EventFactory(title="Other 1956", date_edtf="1956-06-28")
    factories.EventFactory(title="Stalin dies", date_edtf="1953-03-05")
    html = _html(client.get(reverse("learner:timeline"), {"from": "1956", "to": "1956"}))
    assert "Hungary" in html and "Other 1956" in html and "Stalin dies" not in html
    html = _html(client.get(reverse("learner:timeline"), {"concept": concept.slug}))
    assert "Hungary" in html and "Other 1956" not in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    "params",
    [{"from": "nineteen"}, {"from": "1960", "to": "1950"}, {"concept": "nope"}, {"to": "10**9"}],
)
def test_timeline_bad_filters_get_a_clear_message(client, params):
    factories.EventFactory()
    response = client.get(reverse("learner:timeline"), params)
    assert response.status_code == 400
    assert "Check the filter" in _html(response)


@pytest.mark.django_db
def test_sitemap_lists_published_content_only(client, sample):
    factories.LessonFactory(slug="draft-lesson", draft=True)
    factories.EventFactory(slug="scheduled-event", status="published",
                           publish_at="2999-01-01T00:00:00Z")  # fmt: skip
    xml = "".join(
        _html(client.get(f"/sitemap-{section}.xml"))
        for section in ("lessons", "articles", "events", "concepts")
    )
    assert Lesson.objects.live().get().get_absolute_url() in xml
    assert Concept.objects.live().first().get_absolute_url() in xml
    assert Event.objects.live().first().get_absolute_url() in xml
    assert "draft-lesson" not in xml and "scheduled-event" not in xml


@pytest.mark.django_db
def test_robots_txt_points_at_the_sitemap(client):
    text = _html(client.get("/robots.txt"))
    assert "Sitemap: http://testserver/sitemap.xml" in text and "Disallow: /admin/" in text


def test_favicon_ico_leads_to_the_sites_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("img/favicon.svg")
    assert client.get(response["Location"]).status_code == 200
