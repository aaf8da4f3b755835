"""A lesson as schema.org LearningResource JSON-LD (for search engines and other tools).

``absolute`` turns a path into an absolute URL (``request.build_absolute_uri``).
The lesson should come from ``lessons.selectors.lesson_with_content`` so that no query runs
per concept or section.
"""

from __future__ import annotations

from collections.abc import Callable

from history.models import Article
from lessons.models import Lesson

LEVEL_NAMES = {
    "lower_secondary": "Lower secondary",
    "upper_secondary": "Upper secondary",
    "pre_university": "Pre-university",
    "higher_education": "Higher education",
    "adult": "Adult",
}


def iso_duration(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    return "PT" + (f"{hours}H" if hours else "") + (f"{rest}M" if rest or not hours else "")


def article_creative_work(article: Article, absolute: Callable[[str], str]) -> dict:
    work = {
        "@type": "Article",
        "name": article.title,
        "url": absolute(article.get_absolute_url()),
        "inLanguage": article.language,
    }
    if article.author:
        work["author"] = {"@type": "Person", "name": article.author}
    if article.publication:
        work["publisher"] = {"@type": "Organization", "name": article.publication}
    if article.publication_date:
        work["datePublished"] = article.publication_date.rstrip("~?%")
    if article.source_url:
        work["sameAs"] = article.source_url
    if article.rights:
        work["copyrightNotice"] = article.rights
    return work


def learning_resource(lesson: Lesson, absolute: Callable[[str], str]) -> dict:
    """The JSON-LD object (a dict, ready for json.dumps) describing a lesson."""
    articles = {}
    for section in lesson.sections.all():
        if section.excerpt is not None:
            articles[section.excerpt.article_id] = section.excerpt.article
    data = {
        "@context": "https://schema.org",
        "@type": "LearningResource",
        "@id": absolute(lesson.get_absolute_url()),
        "url": absolute(lesson.get_absolute_url()),
        "name": lesson.title,
        "description": lesson.summary or lesson.central_question,
        "learningResourceType": "Lesson plan",
        "educationalLevel": LEVEL_NAMES.get(lesson.level, lesson.level),
        "timeRequired": iso_duration(lesson.duration_minutes),
        "inLanguage": "en",
        "teaches": [
            {
                "@type": "DefinedTerm",
                "name": concept.term,
                "description": concept.definition,
                "url": absolute(concept.get_absolute_url()),
            }
            for concept in lesson.vocabulary.all()
        ],
        "competencyRequired": [],
        "isBasedOn": [article_creative_work(a, absolute) for a in articles.values()],
        "about": [
            {"@type": "Event", "name": event.title, "startDate": event.date_edtf.split("/")[0]}
            for event in lesson.timeline.all()
        ],
    }
    if lesson.audience:
        data["audience"] = {"@type": "EducationalAudience", "audienceType": lesson.audience}
    if lesson.objectives:
        data["educationalAlignment"] = [
            {"@type": "AlignmentObject", "alignmentType": "teaches", "targetName": objective}
            for objective in lesson.objectives
        ]
    if lesson.publish_at:
        data["datePublished"] = lesson.publish_at.date().isoformat()
    data["dateModified"] = lesson.updated_at.date().isoformat()
    if not data["competencyRequired"]:
        del data["competencyRequired"]
    return data
