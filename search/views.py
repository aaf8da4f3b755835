"""The search page: lessons, article paragraphs, events and concepts, ranked, page by page."""

from django.shortcuts import render

from search import selectors

MAX_QUERY_LENGTH = 200
LABELS = {"lesson": "Lessons", "article": "In articles", "event": "Events", "concept": "Glossary"}


def search(request):
    query = request.GET.get("q", "").strip()
    kind = request.GET.get("kind") or None
    page = request.GET.get("page", "1")
    error = ""
    results = None
    if len(query) > MAX_QUERY_LENGTH:
        error = f"Type at most {MAX_QUERY_LENGTH} characters."
    elif query and not selectors._words(query):
        error = "Type a word to search for."
    elif kind is not None and kind not in LABELS:
        error = "There is no such kind of result."
    elif query:
        number = int(page) if page.isdigit() and len(page) < 6 else 1
        results = selectors.search(query, kind=kind, page=number)
    sections = []
    if results is not None:
        for key, label in LABELS.items():
            if kind and key != kind:
                continue
            sections.append(
                {
                    "kind": key,
                    "label": label,
                    "hits": results.groups.get(key, []),
                    "count": results.count_label(key),
                    "more": not kind and results.counts.get(key, 0) > len(results.groups[key]),
                }
            )
    return render(
        request,
        "search/search.html",
        {
            "query": query,
            "error": error,
            "sections": sections,
            "results": results,
            "total": results.total if results else 0,
            "kind": kind,
            "kind_label": LABELS.get(kind or "", ""),
            "candidates": f"{selectors.CANDIDATES:,}",
            "first_number": (results.page - 1) * selectors.PAGE_SIZE + 1 if results and kind else 1,
        },
        status=400 if error else 200,
    )
