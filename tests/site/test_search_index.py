"""The search index follows deletions of whole lessons and articles with their parts."""

import pytest
from django.db import connection

from search.models import SearchDocument
from tests import factories


@pytest.mark.django_db(transaction=True)
def test_deleting_a_lesson_with_sections_and_questions_leaves_no_index_rows():
    section = factories.SectionFactory()
    factories.QuestionFactory(lesson=section.lesson)
    section.lesson.delete()
    assert not SearchDocument.objects.filter(lesson__isnull=False).exists()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA foreign_key_check")
            assert cursor.fetchall() == []


@pytest.mark.django_db(transaction=True)
def test_deleting_an_article_removes_its_paragraph_rows():
    article = factories.ArticleFactory()
    assert SearchDocument.objects.filter(article=article).count() == 4
    article.delete()
    assert not SearchDocument.objects.exists()


@pytest.mark.django_db
def test_deleting_a_section_reindexes_its_lesson():
    from search.selectors import ranked_ids

    section = factories.SectionFactory(heading="Whirlwind")
    assert ranked_ids("lesson", "whirlwind") == [section.lesson_id]
    section.delete()
    assert ranked_ids("lesson", "whirlwind") == []
