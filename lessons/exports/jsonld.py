"""A lesson as schema.org LearningResource JSON-LD (for search engines and other tools).

Made from a lesson's view (``lessons.content.lesson_view``, resolved for the reader): what the
reader may not see (an article that is not public) is not in the view, so it is not named here.
``absolute`` turns a path into an absolute URL.
"""

from __future__ import annotations

from collections.abc import Callable

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


def article_creative_work(article: dict, absolute: Callable[[str], str]) -> dict:
    """An article's reference (``history.content.article_ref``) as a schema.org Article."""
    work = {
        "@type": "Article",
        "name": article["title"],
        "url": absolute(article["path"]),
        "inLanguage": article["language"],
    }
    if article["author"]:
        work["author"] = {"@type": "Person", "name": article["author"]}
    if article["publication"]:
        work["publisher"] = {"@type": "Organization", "name": article["publication"]}
    if article["publication_date"]:
        work["datePublished"] = article["publication_date"].rstrip("~?%")
    if article["source_url"]:
        work["sameAs"] = article["source_url"]
    if article["rights"]:
        work["copyrightNotice"] = article["rights"]
    return work


def learning_resource(lesson: dict, absolute: Callable[[str], str]) -> dict:
    """The JSON-LD object (a dict, ready for json.dumps) describing a lesson's view."""
    articles = {}
    for part in [*lesson["sections"], *lesson["questions"]]:
        if part["excerpt"] is not None:
            articles.setdefault(part["excerpt"]["article"]["slug"], part["excerpt"]["article"])
    url = absolute(lesson["path"])
    data = {
        "@context": "https://schema.org",
        "@type": "LearningResource",
        "@id": url,
        "url": url,
        "name": lesson["title"],
        "description": lesson["summary"] or lesson["central_question"],
        "learningResourceType": "Lesson plan",
        "educationalLevel": LEVEL_NAMES.get(lesson["level"], lesson["level"]),
        "timeRequired": iso_duration(lesson["duration_minutes"]),
        "inLanguage": "en",
        "teaches": [
            {
                "@type": "DefinedTerm",
                "name": concept["term"],
                "description": concept["definition"],
                "url": absolute(concept["path"]),
            }
            for concept in lesson["vocabulary"]
        ],
        "isBasedOn": [article_creative_work(a, absolute) for a in articles.values()],
        "about": [
            {
                "@type": "Event",
                "name": event["title"],
                "startDate": event["date_edtf"].split("/")[0],
            }
            for event in lesson["timeline"]
        ],
    }
    if lesson["audience"]:
        data["audience"] = {"@type": "EducationalAudience", "audienceType": lesson["audience"]}
    if lesson["objectives"]:
        data["educationalAlignment"] = [
            {"@type": "AlignmentObject", "alignmentType": "teaches", "targetName": objective}
            for objective in lesson["objectives"]
        ]
    if lesson["publish_at"]:
        data["datePublished"] = lesson["publish_at"].date().isoformat()
    data["dateModified"] = lesson["updated_at"].date().isoformat()
    return data
