"""Excerpts and mentions follow every edit of an article's text, or are flagged, never dropped."""

import pytest
from django.urls import reverse

from history import services
from history.models import AnchorStatus, Mention
from lessons import services as lesson_services
from lessons.models import Excerpt
from tests.factories import ArticleFactory, ConceptFactory, LessonFactory, SectionFactory

QUOTE = "the workers’ councils of Budapest – the ‘soviets’ – elected delegates"


@pytest.fixture
def quoted(db):
    article = ArticleFactory()
    excerpt = lesson_services.excerpt_create_from_words(article=article, exact=QUOTE)
    lesson = LessonFactory(draft=True)
    SectionFactory(lesson=lesson, excerpt=excerpt, heading="Budapest")
    return article, excerpt, lesson


def edit(article, body, user=None):
    article.body = body
    services.article_save(article=article, user=user)
    article.refresh_from_db()


def test_insertion_before_the_excerpt_moves_it(quoted):
    article, excerpt, _ = quoted
    edit(article, "A new first paragraph, with Petőfi’s name in it.\n\n" + article.body)
    excerpt.refresh_from_db()
    assert excerpt.anchor_status == AnchorStatus.MOVED
    assert article.body[excerpt.start : excerpt.end] == QUOTE == excerpt.exact


def test_an_edit_inside_the_excerpt_keeps_it_in_place_and_asks_for_a_check(quoted):
    article, excerpt, _ = quoted
    edit(article, article.body.replace("elected delegates", "elected their delegates"))
    excerpt.refresh_from_db()
    assert excerpt.anchor_status == AnchorStatus.CHANGED
    assert excerpt.exact == article.body[excerpt.start : excerpt.end]
    assert excerpt.exact.endswith("elected their delegates")


def test_deleting_the_excerpts_words_marks_it_lost_and_keeps_it(quoted):
    article, excerpt, lesson = quoted
    paragraphs = article.body.split("\n\n")
    edit(article, "\n\n".join([paragraphs[0], paragraphs[2]]))
    excerpt.refresh_from_db()
    assert excerpt.anchor_status == AnchorStatus.LOST
    assert excerpt.exact == QUOTE  # the old words are kept, to be selected again
    assert lesson.sections.get().excerpt == excerpt
    assert any("needs attention" in p for p in lesson_services.lesson_problems(lesson))


def test_mentions_follow_the_text_and_are_never_attached_to_other_words(db):
    concept = ConceptFactory(term="Petőfi Circle", slug="petofi")
    article = ArticleFactory()
    services.mentions_detect(article=article, confirm=True)
    edit(article, "Inserted before. " + article.body)
    mention = Mention.objects.get(concept=concept)
    assert article.body[mention.start : mention.end] == "Petőfi Circle"
    edit(article, article.body.replace("The Petőfi Circle had debated", "Writers debated"))
    mention.refresh_from_db()
    assert mention.anchor_status == AnchorStatus.LOST


def test_linked_dates_follow_the_text_and_suggestions_are_found_afresh(db):
    article = ArticleFactory()
    services.dates_detect(article=article)
    february = article.dates.get(exact="February 1956")
    services.dates_reject(expressions=article.dates.filter(pk=february.pk))
    edit(article, "Prologue.\n\n" + article.body)
    february.refresh_from_db()
    assert article.body[february.start : february.end] == "February 1956"
    assert article.dates.filter(exact="February 1956").count() == 1


def test_an_excerpt_selected_again_is_anchored_where_the_editor_says(quoted):
    article, excerpt, _ = quoted
    paragraphs = article.body.split("\n\n")
    edit(article, "\n\n".join([paragraphs[0], paragraphs[2]]))
    start = article.body.index("Petőfi")
    lesson_services.excerpt_reselect(excerpt=excerpt, start=start, end=start + 13)
    excerpt.refresh_from_db()
    assert (excerpt.exact, excerpt.anchor_status) == ("Petőfi Circle", AnchorStatus.ANCHORED)


def test_needs_attention_page_lists_lost_excerpts_with_links_to_fix_them(
    quoted, client, editor_user
):
    article, excerpt, lesson = quoted
    edit(article, article.body.split("\n\n")[0])
    client.force_login(editor_user)
    html = client.get(reverse("admin:curating_attention")).content.decode()
    assert "Lost: select again" in html
    assert f"/admin/lessons/excerpt/select/{article.pk}/?replace={excerpt.pk}" in html
    assert reverse("admin:lessons_lesson_change", args=[lesson.pk]) in html


def test_the_lessons_change_page_warns_about_excerpts_that_need_attention(
    quoted, client, editor_user
):
    article, _, lesson = quoted
    client.force_login(editor_user)
    url = reverse("admin:lessons_lesson_change", args=[lesson.pk])
    assert "Needs attention" not in client.get(url).content.decode()
    edit(article, article.body.split("\n\n")[0])
    html = client.get(url).content.decode()
    assert "Needs attention" in html and "it quotes needs attention (lost" in html


def test_needs_attention_page_queries_do_not_grow_with_the_list(
    client, editor_user, django_assert_max_num_queries
):
    client.force_login(editor_user)

    def make(n):
        for _ in range(n):
            article = ArticleFactory()
            excerpt = lesson_services.excerpt_create_from_words(article=article, exact=QUOTE)
            SectionFactory(excerpt=excerpt)
            Excerpt.objects.filter(pk=excerpt.pk).update(anchor_status=AnchorStatus.LOST)

    make(2)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("admin:curating_attention")).status_code == 200
    make(20)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("admin:curating_attention")).status_code == 200


def test_a_flag_stays_through_later_unrelated_saves_until_an_editor_checks_it(quoted):
    article, excerpt, _ = quoted
    edit(article, article.body.replace("elected delegates", "elected their delegates"))
    edit(article, article.body.replace("In February 1956", "In February of 1956"))
    edit(article, article.body + "\n\nA closing remark.")
    excerpt.refresh_from_db()
    assert excerpt.anchor_status == AnchorStatus.CHANGED  # still waiting for an editor
    assert lesson_services.excerpts_accept(excerpts=Excerpt.objects.all()) == 1
    edit(article, article.body + " More.")
    excerpt.refresh_from_db()
    assert excerpt.anchor_status == AnchorStatus.ANCHORED


def test_the_same_words_elsewhere_without_their_context_are_flagged_not_taken(db):
    words = "the councils elected delegates"
    article = ArticleFactory(
        body=f"In Budapest {words} on 25 October.\n\nMuch later, in Győr, {words} as well."
    )
    excerpt = lesson_services.excerpt_create_from_words(article=article, exact=words)
    assert excerpt.start == article.body.index(words)
    # The first document's passage is deleted; the same words stand in the second.
    edit(article, f"In Budapest nothing happened.\n\nMuch later, in Győr, {words} as well.")
    excerpt.refresh_from_db()
    assert excerpt.anchor_status == AnchorStatus.ELSEWHERE
    assert excerpt.needs_attention
    lesson = LessonFactory(draft=True)
    SectionFactory(lesson=lesson, excerpt=excerpt)
    assert any("needs attention" in p for p in lesson_services.lesson_problems(lesson))


def test_a_live_lesson_keeps_its_approved_quote_until_it_is_published_again(
    client, db, publisher_user
):
    from publishing import services as publishing
    from tests.factories import flush

    article = ArticleFactory()
    excerpt = lesson_services.excerpt_create_from_words(article=article, exact=QUOTE)
    lesson = LessonFactory()
    SectionFactory(lesson=lesson, excerpt=excerpt, heading="Budapest")
    flush()
    edit(article, article.body.replace("elected delegates", "chose delegates"))
    publishing.publish(obj=article, user=publisher_user)  # the new text goes live
    html = client.get(lesson.get_absolute_url()).content.decode()
    assert "elected delegates" in html and "chose delegates" not in html
    lesson_services.excerpts_accept(excerpts=Excerpt.objects.filter(pk=excerpt.pk))
    lesson_services.lesson_save(lesson=lesson)
    lesson_services.lesson_publish(lesson=lesson, user=publisher_user)
    html = client.get(lesson.get_absolute_url()).content.decode()
    assert "chose delegates" in html and f"?excerpt={excerpt.pk}" in html
