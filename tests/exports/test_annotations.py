"""Excerpts and mentions as a W3C Web Annotation collection (Web Annotation Data Model)."""

import pytest

from history.models import Article
from tests import factories

pytestmark = pytest.mark.django_db


def annotation_problems(collection: dict, body: str) -> list[str]:
    """The model's rules for what we publish: context, types, targets with both selectors."""
    problems = []
    if collection.get("@context") != "http://www.w3.org/ns/anno.jsonld":
        problems.append("the context must be the Web Annotation context")
    if collection.get("type") != "AnnotationCollection" or not collection.get("id"):
        problems.append("an AnnotationCollection needs a type and an id")
    page = collection.get("first", {})
    if page.get("type") != "AnnotationPage" or not isinstance(page.get("items"), list):
        return [*problems, "first must be an AnnotationPage with items"]
    if collection.get("total") != len(page["items"]):
        problems.append("total must count the items")
    for i, item in enumerate(page["items"]):
        if item.get("type") != "Annotation" or not item.get("id") or "target" not in item:
            problems.append(f"item {i}: an Annotation needs type, id and target")
            continue
        selectors = {s["type"]: s for s in item["target"].get("selector", [])}
        quote, position = selectors.get("TextQuoteSelector"), selectors.get("TextPositionSelector")
        if not quote or not position:
            problems.append(f"item {i}: both a TextQuoteSelector and a TextPositionSelector")
            continue
        if body[position["start"] : position["end"]] != quote["exact"]:
            problems.append(f"item {i}: the position does not select the exact words")
        if quote["prefix"] and not body[: position["start"]].endswith(quote["prefix"]):
            problems.append(f"item {i}: prefix is not what comes before")
        if quote["suffix"] and not body[position["end"] :].startswith(quote["suffix"]):
            problems.append(f"item {i}: suffix is not what comes after")
        if item.get("motivation") not in ("highlighting", "identifying"):
            problems.append(f"item {i}: unexpected motivation")
    return problems


def test_the_sample_articles_annotations_follow_the_model(sample, api):
    article = Article.objects.get(slug="khrushchev-the-stalinist-who-denounced-stalin")
    response = api.get(f"/api/v1/articles/{article.slug}/annotations.jsonld")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/ld+json"
    data = response.json()
    assert annotation_problems(data, article.body) == []
    motivations = {i["motivation"] for i in data["first"]["items"]}
    assert motivations == {"highlighting", "identifying"}


def test_mentions_of_drafts_and_suggestions_are_left_out(api):
    article = factories.ArticleFactory()
    start = article.body.index("Petőfi")
    factories.MentionFactory(article=article, start=start, end=start + 6, concept__slug="petofi")
    factories.MentionFactory(article=article, start=0, end=2, concept__draft=True)
    factories.MentionFactory(article=article, start=3, end=11, status="suggested")
    data = api.get(f"/api/v1/articles/{article.slug}/annotations.jsonld").json()
    assert annotation_problems(data, article.body) == []
    assert data["total"] == 1
    item = data["first"]["items"][0]
    assert item["body"]["source"] == "http://testserver/glossary/petofi/"
    assert item["target"]["selector"][0]["exact"] == "Petőfi"


def test_the_lessons_learning_resource_is_schema_org_json_ld(sample, api):
    from lessons.models import Lesson

    lesson = Lesson.objects.get()
    response = api.get(f"/api/v1/lessons/{lesson.slug}/learning-resource.jsonld")
    assert response["Content-Type"] == "application/ld+json"
    data = response.json()
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "LearningResource"
    assert data["name"] == lesson.title
    assert data["teaches"] and data["isBasedOn"]
