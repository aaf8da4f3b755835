"""Answers are checked on the server; the result says right or wrong and why, never the key."""

import pytest

from history.content import events_content
from lessons.content import question_content
from lessons.models import QuestionKind
from lessons.services import AnswerError
from lessons.services import answer_check as check
from tests import factories


def answer_check(*, question, answer, attempt=""):
    """Check against the question's content with the events it shows, as the site does."""
    question.refresh_from_db()
    return check(
        question=question_content(question),
        answer=answer,
        events=events_content(question.events.all()),
        attempt=attempt,
    )


@pytest.fixture
def multiple_choice(db):
    question = factories.QuestionFactory(
        kind=QuestionKind.MULTIPLE_CHOICE, explanation="It was a congress."
    )
    right = factories.ChoiceFactory(question=question, is_correct=True, feedback="Yes: a congress.")
    wrong = factories.ChoiceFactory(question=question, is_correct=False, feedback="No.")
    return question, right, wrong


@pytest.fixture
def chronology(db):
    question = factories.QuestionFactory(kind=QuestionKind.CHRONOLOGY, explanation="By date.")
    events = [
        factories.EventFactory(date_edtf="5 March 1953"),
        factories.EventFactory(date_edtf="25 February 1956"),
        factories.EventFactory(date_edtf="4 November 1956"),
    ]
    question.events.add(*events)
    return question, [e.pk for e in events]


def test_right_choice_is_right_with_its_feedback_and_the_explanation(multiple_choice):
    question, right, _ = multiple_choice
    result = answer_check(question=question, answer=[right.pk])
    assert result.correct
    assert result.feedback == ["Yes: a congress."]
    assert result.explanation == "It was a congress."


def test_wrong_choice_is_wrong_and_does_not_reveal_the_right_one(multiple_choice):
    question, _right, wrong = multiple_choice
    result = answer_check(question=question, answer=[str(wrong.pk)])
    assert not result.correct
    assert result.feedback == ["No."]
    assert not result.revealed and result.answer == () and result.answer_text == ()
    assert result.explanation == ""


@pytest.mark.parametrize("answer", [[], "1", [True], ["x"], [999999]])
def test_answers_that_do_not_fit_are_refused(multiple_choice, answer):
    question, *_ = multiple_choice
    with pytest.raises(AnswerError):
        answer_check(question=question, answer=answer)


def test_chronology_in_date_order_is_right(chronology):
    question, ordered = chronology
    result = answer_check(question=question, answer=ordered)
    assert result.correct and (result.in_place, result.total) == (3, 3)


def test_chronology_out_of_order_counts_the_events_in_place(chronology):
    question, ordered = chronology
    result = answer_check(question=question, answer=[ordered[1], ordered[0], ordered[2]])
    assert not result.correct and (result.in_place, result.total) == (1, 3)


def test_chronology_with_missing_or_repeated_events_is_refused(chronology):
    question, ordered = chronology
    with pytest.raises(AnswerError, match="all 3 events"):
        answer_check(question=question, answer=ordered[:2])
    with pytest.raises(AnswerError, match="only once"):
        answer_check(question=question, answer=[ordered[0], ordered[0], ordered[1]])


@pytest.mark.django_db
def test_open_questions_are_not_checked():
    question = factories.QuestionFactory(kind=QuestionKind.OPEN)
    with pytest.raises(AnswerError, match="for discussion"):
        answer_check(question=question, answer=["anything"])


def test_a_wrong_first_try_gets_the_hint_and_a_second_try_not_the_answer(multiple_choice):
    question, right, wrong = multiple_choice
    question.hint = "Think of the meeting's rank."
    question.tries = 2
    question.save()
    first = answer_check(question=question, answer=[wrong.pk])
    assert (first.revealed, first.try_number, first.tries_left) == (False, 1, 1)
    assert first.hint == "Think of the meeting's rank." and first.explanation == ""
    second = answer_check(question=question, answer=[wrong.pk], attempt=first.attempt)
    assert (second.revealed, second.try_number, second.tries_left) == (True, 2, 0)
    assert second.hint == "" and second.explanation == "It was a congress."
    assert second.answer == (right.pk,) and second.answer_text == (right.text,)


def test_a_right_answer_reveals_the_explanation_on_any_try(multiple_choice):
    question, right, _ = multiple_choice
    question.tries = 3
    question.save()
    result = answer_check(question=question, answer=[right.pk])
    assert result.correct and result.revealed and result.explanation == "It was a congress."


def test_one_try_shows_the_answer_after_the_first_wrong_one(multiple_choice):
    question, right, wrong = multiple_choice
    question.tries = 1
    question.save()
    result = answer_check(question=question, answer=[wrong.pk])
    assert result.revealed and result.answer == (right.pk,)


def test_the_chronology_order_comes_only_after_the_last_try(chronology):
    question, ordered = chronology
    question.tries = 2
    question.save()
    wrong = [ordered[2], ordered[1], ordered[0]]
    first = answer_check(question=question, answer=wrong)
    assert not first.revealed and first.answer == () and first.explanation == ""
    second = answer_check(question=question, answer=wrong, attempt=first.attempt)
    assert second.revealed and second.answer == tuple(ordered)
    assert second.answer_text[0].endswith("(5 March 1953)")


@pytest.mark.parametrize("attempt", ["forged", "WzEsMV0:1xZ8pU:H6Ejj"])
def test_a_forged_try_count_is_refused(multiple_choice, attempt):
    question, _, wrong = multiple_choice
    with pytest.raises(AnswerError, match="try count"):
        answer_check(question=question, answer=[wrong.pk], attempt=attempt)


def test_a_try_count_of_another_question_is_refused(multiple_choice, chronology):
    question, _, wrong = multiple_choice
    other, ordered = chronology
    token = answer_check(question=other, answer=ordered[::-1]).attempt
    with pytest.raises(AnswerError, match="another question"):
        answer_check(question=question, answer=[wrong.pk], attempt=token)
