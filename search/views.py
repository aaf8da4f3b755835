"""The search page: lessons, article paragraphs, events and concepts, ranked."""

from django.shortcuts import render

from search import selectors

MAX_QUERY_LENGTH = 200


def search(request):
    query = request.GET.get("q", "").strip()
    error = ""
    groups = {}
    if len(query) > MAX_QUERY_LENGTH:
        error = f"Type at most {MAX_QUERY_LENGTH} characters."
    elif query and not selectors._words(query):
        error = "Type a word to search for."
    elif query:
        groups = selectors.search(query)
    total = sum(len(hits) for hits in groups.values())
    sections = [
        ("lesson", "Lessons", groups.get("lesson", [])),
        ("article", "In articles", groups.get("article", [])),
        ("event", "Events", groups.get("event", [])),
        ("concept", "Glossary", groups.get("concept", [])),
    ]
    return render(
        request,
        "search/search.html",
        {"query": query, "error": error, "sections": sections, "total": total},
        status=400 if error else 200,
    )
