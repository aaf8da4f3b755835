"""Excerpts follow their article's edits; a lesson is published only when nothing stops it."""

import pytest
from django.core.exceptions import ValidationError

from history.services import article_save
from lessons import services
from lessons.models import QuestionKind
from publishing.models import Status
from tests import factories


@pytest.mark.django_db
def test_excerpt_is_found_again_after_the_text_before_it_is_edited(publisher_user):
    article = factories.ArticleFactory()
    words = "the right of recall"
    excerpt = services.excerpt_create_from_words(article=article, exact=words)
    article.body = "A new first paragraph – with ‘quotes’.\n\n" + article.body
    article_save(article=article, user=publisher_user)
    excerpt.refresh_from_db()
    assert excerpt.anchor_status == "moved"
    assert article.body[excerpt.start : excerpt.end] == words


@pytest.mark.django_db
def test_excerpt_whose_words_are_gone_is_kept_and_marked():
    article = factories.ArticleFactory()
    excerpt = services.excerpt_create_from_words(article=article, exact="the right of recall")
    section = factories.SectionFactory(excerpt=excerpt)
    article.body = article.body.replace(" with the right of recall", "")
    article_save(article=article)
    excerpt.refresh_from_db()
    assert excerpt.anchor_status == "lost"
    assert excerpt.needs_attention
    assert excerpt.exact == "the right of recall"  # kept for the editor to see
    problems = services.lesson_problems(section.lesson)
    assert any("needs attention" in p for p in problems)


@pytest.mark.django_db
def test_excerpt_selection_outside_the_text_is_refused():
    article = factories.ArticleFactory()
    with pytest.raises(ValidationError, match="outside the text"):
        services.excerpt_create(article=article, start=5, end=10_000)
    assert not article.excerpts.exists()


@pytest.mark.django_db
def test_lesson_with_broken_questions_cannot_be_published(publisher_user):
    lesson = factories.LessonFactory(draft=True)
    factories.SectionFactory(lesson=lesson)
    mc = factories.QuestionFactory(lesson=lesson, kind=QuestionKind.MULTIPLE_CHOICE)
    factories.ChoiceFactory(question=mc, is_correct=False)
    chrono = factories.QuestionFactory(lesson=lesson, kind=QuestionKind.CHRONOLOGY)
    chrono.events.add(
        factories.EventFactory(date_edtf="1956"), factories.EventFactory(date_edtf="October 1956")
    )
    with pytest.raises(ValidationError) as caught:
        services.lesson_publish(lesson=lesson, user=publisher_user)
    text = " ".join(caught.value.messages)
    assert "at least two choices" in text
    assert "no correct choice" in text
    assert "overlap in time" in text
    lesson.refresh_from_db()
    assert lesson.status == Status.DRAFT


@pytest.mark.django_db
def test_complete_lesson_is_published(publisher_user):
    lesson = factories.LessonFactory(draft=True)
    factories.SectionFactory(lesson=lesson)
    mc = factories.QuestionFactory(lesson=lesson, kind=QuestionKind.MULTIPLE_CHOICE)
    factories.ChoiceFactory(question=mc, is_correct=True)
    factories.ChoiceFactory(question=mc, is_correct=False)
    factories.flush()  # its source goes live
    services.lesson_publish(lesson=lesson, user=publisher_user)
    lesson.refresh_from_db()
    assert lesson.status == Status.PUBLISHED
    assert lesson.is_live


def test_a_lesson_quoting_a_draft_article_is_not_published(publisher_user):
    from lessons.services import lesson_publish

    article = factories.ArticleFactory(draft=True, title="Poznań 1956")
    lesson = factories.LessonFactory(draft=True)
    excerpt = factories.ExcerptFactory(article=article)
    factories.SectionFactory(lesson=lesson, excerpt=excerpt)
    with pytest.raises(ValidationError, match="publish the article first"):
        lesson_publish(lesson=lesson, user=publisher_user)
    lesson.refresh_from_db()
    assert lesson.status == Status.DRAFT


@pytest.mark.django_db
def test_an_audience_whose_ages_the_level_does_not_cover_is_refused():
    from django.core.exceptions import ValidationError

    from lessons.models import Lesson
    from lessons.services import lesson_save

    lesson = Lesson(
        title="Ages", central_question="Why?", level="upper_secondary", audience="Ages 14–18"
    )
    with pytest.raises(ValidationError, match="ages 14–18 but the level is for ages 14–16"):
        lesson_save(lesson=lesson)
    lesson.audience = "Ages 14–16; GCSE"
    assert lesson_save(lesson=lesson).pk


@pytest.mark.django_db
def test_an_adapted_version_is_shown_only_where_the_excerpt_has_one():
    from django.core.exceptions import ValidationError

    from lessons.models import Section
    from lessons.services import excerpt_note_save, section_save

    excerpt = factories.ExcerptFactory()
    section = Section(
        lesson=factories.LessonFactory(), heading="Read", excerpt=excerpt, excerpt_display="both"
    )
    with pytest.raises(ValidationError, match="no adapted version"):
        section_save(section=section)
    excerpt_note_save(excerpt=excerpt, note="", adapted_text="Simpler words.")
    section.excerpt.refresh_from_db()
    assert section_save(section=section).pk
