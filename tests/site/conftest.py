"""Content builders for the learner-site tests: the same shape at any size."""

import pytest

from lessons.models import QuestionKind
from tests import factories
from tests.conftest import capture, copy_in


def build_lesson(n: int):
    """A published lesson with n of everything: sections quoting n excerpts, n vocabulary
    terms mentioned in its article, n timeline events (each about one of the terms), n multiple-choice and n chronology
    questions. Returns (lesson, article)."""
    paragraphs = [
        f"Paragraph {i}: the workers’ council of Poznań met Petőfi’s friends in 1956."
        for i in range(n)
    ]
    article = factories.ArticleFactory(body="\n\n".join(paragraphs))
    lesson = factories.LessonFactory()
    offset = 0
    for i, text in enumerate(paragraphs):
        concept = factories.ConceptFactory(term=f"council {i}", slug=f"council-{i}")
        start = offset + text.index("workers’ council")
        factories.MentionFactory(
            article=article, concept=concept, start=start, end=start + len("workers’ council")
        )
        event = factories.EventFactory(date_edtf=f"1956-{(i % 12) + 1:02d}-01")
        event.concepts.add(concept)
        factories.MentionFactory(
            article=article,
            concept=None,
            event=event,
            start=offset + text.index("1956"),
            end=offset + text.index("1956") + 4,
        )
        excerpt = factories.ExcerptFactory(
            article=article, start=offset, end=offset + len(text), exact=text, suffix=""
        )
        factories.SectionFactory(lesson=lesson, excerpt=excerpt, body=f"Read **source {i}**.")
        lesson.vocabulary.add(concept)
        lesson.timeline.add(event)
        question = factories.QuestionFactory(
            lesson=lesson, kind=QuestionKind.MULTIPLE_CHOICE, excerpt=excerpt
        )
        factories.ChoiceFactory(question=question, is_correct=True, feedback="Yes: see ¶1.")
        factories.ChoiceFactory(question=question, feedback="No.")
        chronology = factories.QuestionFactory(lesson=lesson, kind=QuestionKind.CHRONOLOGY)
        chronology.events.add(event, factories.EventFactory(date_edtf="1919~"))
        concept.related.add(factories.ConceptFactory())
        offset += len(text) + 2
    factories.flush()
    return lesson, article


_BUILT = {}


def built_lesson(n: int):
    """``build_lesson(n)``, built once per test process and copied in after that (a lesson of
    25 of everything takes seconds to build and publish)."""
    from history.models import Article
    from lessons.models import Lesson

    if n not in _BUILT:
        _BUILT[n] = capture(lambda: tuple(obj.pk for obj in build_lesson(n)))
    copy_in(_BUILT[n])
    lesson_pk, article_pk = _BUILT[n].result
    return Lesson.objects.get(pk=lesson_pk), Article.objects.get(pk=article_pk)


@pytest.fixture
def small(db):
    return build_lesson(2)


@pytest.fixture
def large(db):
    return build_lesson(25)
