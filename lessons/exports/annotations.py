"""An article's excerpts and mentions as a W3C Web Annotation collection (JSON-LD).

https://www.w3.org/TR/annotation-model/ : one ``AnnotationCollection`` per article with one
``AnnotationPage``; every annotation targets the article's page with a ``TextQuoteSelector``
(exact, prefix, suffix) and a ``TextPositionSelector`` (start, end, in Unicode code points of
the article's stored text). Excerpts are ``highlighting``; mentions are ``identifying`` with the
concept's or event's page as their body. Excerpts whose words are lost are left out.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.urls import reverse

from history.models import AnchorStatus

CONTEXT = "http://www.w3.org/ns/anno.jsonld"


def _target(anchor: dict, source: str) -> dict:
    return {
        "type": "SpecificResource",
        "source": source,
        "selector": [
            {
                "type": "TextQuoteSelector",
                "exact": anchor["exact"],
                "prefix": anchor["prefix"],
                "suffix": anchor["suffix"],
            },
            {"type": "TextPositionSelector", "start": anchor["start"], "end": anchor["end"]},
        ],
    }


def article_collection(
    article: dict,
    *,
    excerpts: Iterable[dict],
    absolute: Callable[[str], str],
) -> dict:
    """The collection (a dict ready for json.dumps) of an article's view (its ``mentions`` are
    what the reader may see) and the excerpts the reader may see (dicts with the selectors)."""
    page = absolute(article["path"])
    collection_id = absolute(reverse("api-v1:article-annotations", args=[article["slug"]]))
    items = []
    for excerpt in excerpts:
        if excerpt["anchor_status"] == AnchorStatus.LOST:
            continue
        items.append(
            {
                "id": absolute(reverse("api-v1:excerpt-detail", args=[excerpt["id"]])),
                "type": "Annotation",
                "motivation": "highlighting",
                "target": _target(excerpt, page),
            }
        )
    for mention in article["mentions"]:
        target = mention["concept"] or mention["event"]
        items.append(
            {
                "id": f"{page}#mention-{mention['id']}",
                "type": "Annotation",
                "motivation": "identifying",
                "body": {
                    "type": "SpecificResource",
                    "source": absolute(target["path"]),
                    "purpose": "identifying",
                },
                "target": _target(mention, page),
            }
        )
    return {
        "@context": CONTEXT,
        "id": collection_id,
        "type": "AnnotationCollection",
        "label": f"Excerpts and mentions in “{article['title']}”",
        "total": len(items),
        "first": {
            "id": f"{collection_id}?page=1",
            "type": "AnnotationPage",
            "startIndex": 0,
            "items": items,
        },
    }
