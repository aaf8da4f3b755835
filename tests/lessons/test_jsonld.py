"""The sample lesson as schema.org LearningResource JSON-LD."""

import json

import pytest

from lessons import selectors
from lessons.exports.jsonld import iso_duration, learning_resource
from lessons.live import public_view
from lessons.models import Lesson
from publishing.live import LiveResolver


def absolute(path):
    return "https://lessons.example.org" + path


@pytest.mark.parametrize(("minutes", "iso"), [(60, "PT1H"), (45, "PT45M"), (90, "PT1H30M")])
def test_durations_are_iso_8601(minutes, iso):
    assert iso_duration(minutes) == iso


@pytest.mark.django_db
def test_sample_lesson_is_a_learning_resource_based_on_its_article(
    sample, django_assert_max_num_queries
):
    row = selectors.live_lesson(Lesson.objects.get().slug)
    view = public_view(row, LiveResolver())
    with django_assert_max_num_queries(0):
        data = learning_resource(view, absolute)
    assert data["@type"] == "LearningResource"
    assert data["timeRequired"] == "PT1H"
    assert data["educationalLevel"] == "Upper secondary"
    assert {t["name"] for t in data["teaches"]} >= {"Stalinism", "workers’ councils"}
    names = [a["name"] for a in data["isBasedOn"]]
    assert names == [
        "Khrushchev: The Stalinist who denounced Stalin",
        "Telegram From the Embassy in Poland to the Department of State",
    ]
    article = data["isBasedOn"][0]
    assert article["url"].startswith("https://lessons.example.org/articles/")
    assert "Petőfi Circle" in json.dumps(data, ensure_ascii=False)
