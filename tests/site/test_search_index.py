"""The search index follows deletions of whole lessons and articles with their parts."""

import pytest
from django.db import connection

from search.models import SearchDocument
from tests import factories


@pytest.mark.django_db(transaction=True)
def test_deleting_a_lesson_with_sections_and_questions_leaves_no_index_rows():
    section = factories.SectionFactory()
    factories.QuestionFactory(lesson=section.lesson)
    factories.flush()
    assert SearchDocument.objects.filter(lesson__isnull=False).exists()
    section.lesson.delete()
    assert not SearchDocument.objects.filter(lesson__isnull=False).exists()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA foreign_key_check")
            assert cursor.fetchall() == []


@pytest.mark.django_db(transaction=True)
def test_deleting_an_article_removes_its_paragraph_rows():
    article = factories.ArticleFactory()
    factories.flush()
    assert SearchDocument.objects.filter(article=article).count() == 4
    article.delete()
    assert not SearchDocument.objects.exists()


@pytest.mark.django_db
def test_deleting_a_section_reindexes_its_lesson_once_the_change_is_published(publisher_user):
    from lessons import services
    from search.selectors import ranked_ids

    section = factories.SectionFactory(heading="Whirlwind")
    factories.SectionFactory(lesson=section.lesson, heading="Calm")
    factories.flush()
    lesson = section.lesson
    assert ranked_ids("lesson", "whirlwind") == [lesson.pk]
    section.delete()
    services.lesson_save(lesson=lesson)  # the working copy changed
    assert ranked_ids("lesson", "whirlwind") == [lesson.pk]  # learners still read it
    services.lesson_publish(lesson=lesson, user=publisher_user)
    assert ranked_ids("lesson", "whirlwind") == []
