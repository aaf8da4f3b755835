"""The learner site: live content only, served from pages built when it was published.

The pages of a lesson, article, event or concept are stored (``learner.pages``); their views
look one up, answer a conditional request from its ETag, and fill in the origin. Lists (home,
sources, timeline, glossary) read live versions' columns. Nothing here decides what a reader
may see beyond asking the read layer.
"""

from __future__ import annotations

import functools
import json
from datetime import datetime
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.html import escape
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods
from django.views.decorators.vary import vary_on_cookie

from history import names
from history import selectors as history_selectors
from history.content import page_path
from learner import documents, pages, timeline
from learner.models import Page
from lessons import selectors as lesson_selectors
from lessons import services
from lessons.models import Level, QuestionKind
from publishing.http import is_conditional, keep_body, keeps_bodies, kept_body, stamped, unchanged
from publishing.live import with_origin
from publishing.prepared import Prepared
from publishing.viewer import request_viewer


def origin(request) -> str:
    return f"{request.scheme}://{request.get_host()}"


def render_page(request, *, title, html, head="", lang="en", status=200, document=False):
    """The site's frame around built (or just rendered) page content (``document``: a print
    document, with its stylesheet)."""
    at = origin(request)
    before_lang, before_title, before_head, before_html, after = _frame(document)
    text = "".join(
        [
            before_lang,
            escape(lang or "en"),
            before_title,
            escape(title),
            before_head,
            with_origin(head, at),
            before_html,
            with_origin(html, at),
            after,
        ]
    )
    return HttpResponse(text, status=status)


# Where a page's own parts go in the frame (characters no template or text can hold).
_MARKS = {name: f"\x00{name}\x00" for name in ("lang", "title", "head", "html")}


@functools.cache
def _frame(document: bool) -> tuple[str, ...]:
    """The site's frame (learner/page.html), rendered once per process: the same for every
    page and reader (no user, form or per-request value in it), so a built page is served
    by joining strings, not by rendering a template for each request."""
    text = render_to_string("learner/page.html", {**_MARKS, "document": document})
    parts = []
    for mark in _MARKS.values():
        before, found, text = text.partition(mark)
        if not found or mark in text:
            raise ValueError(f"learner/page.html must show {mark.strip(chr(0))} exactly once")
        parts.append(before)
    return (*parts, text)


@receiver(setting_changed)
def _forget_frame(**kwargs):
    _frame.cache_clear()


# --- built pages --------------------------------------------------------------------------


# The built page's columns a conditional request reads first, and those a page is made of.
STAMP = ("etag", "updated_at", "stale_after")
SHOWN = (*STAMP, "title", "lang", "head", "html")


@functools.cache
def _built(columns: tuple[str, ...]) -> Prepared:
    return Prepared(
        lambda kind, slug, variant, at: Page.objects.filter(
            kind=kind, slug=slug, variant=variant, publish_at__lte=at
        ).values_list(*columns)[:1],
        kind=str,
        slug=str,
        variant=str,
        at=datetime,
    )


def _pages(kind: str, slug: str, variant: str):
    """The built page of a live item whose time has come (a scheduled one is not found)."""
    return Page.objects.filter(kind=kind, slug=slug, variant=variant, publish_at__lte=_now())


def _page(kind: str, slug: str, variant: str = "page") -> Page | None:
    return pages.fresh(_pages(kind, slug, variant).first())


def _now():
    return timezone.now()


def _page_columns(kind: str, slug: str, variant: str, columns: tuple[str, ...]) -> dict | None:
    """These columns of the built page (as ``_page``): one query, compiled once; a stale page
    is built again first."""
    row = _built(columns).first(kind=kind, slug=slug, variant=variant, at=_now())
    if row is None:
        return None
    found = dict(zip(columns, row, strict=True))
    if found["stale_after"] is not None and found["stale_after"] <= _now():
        page = _page(kind, slug, variant)
        found = None if page is None else {column: getattr(page, column) for column in columns}
    return found


def _serve(request, kind: str, slug: str, variant: str = "page", *, patch=None, document=False):
    """A built page, or 304 when the reader's copy is current (then only its ETag is read);
    a plain page kept as it was last sent for that ETag reads nothing more either."""
    keeps = keeps_bodies() and patch is None and not document
    stamp_first = keeps or is_conditional(request)
    page = _page_columns(kind, slug, variant, STAMP if stamp_first else SHOWN)
    if page is None:
        raise Http404(f"No such {kind}.")
    not_modified = unchanged(request, page["etag"], page["updated_at"])
    if not_modified is not None:
        return not_modified
    at = origin(request)
    if keeps:
        body = kept_body(page["etag"], kind, slug, variant, at)
        if body is not None:
            return stamped(HttpResponse(body), page["etag"], page["updated_at"])
    if "html" not in page:
        page = _page_columns(kind, slug, variant, SHOWN)
        if page is None:
            raise Http404(f"No such {kind}.")
    html = page["html"] if patch is None else patch(page["html"])
    response = render_page(
        request,
        title=page["title"],
        html=html,
        head=page["head"],
        lang=page["lang"],
        document=document,
    )
    if document:
        _with_document_styles(response, page["head"])
    elif keeps:
        keep_body(response.content, page["etag"], kind, slug, variant, at)
    return stamped(response, page["etag"], page["updated_at"])


def lesson_detail(request, slug):
    return _serve(request, "lesson", slug)


def lesson_print(request, slug):
    """The old print view's address: the teacher's guide for teachers, the handout otherwise."""
    viewer = request_viewer(request)
    name = "learner:lesson_guide" if _may_see_guide(viewer) else "learner:lesson_handout"
    response = redirect(name, slug=slug)
    patch_cache_control(response, private=True)
    return response


def _may_see_guide(viewer) -> bool:
    """The guide holds the answer key and the teacher material: both permissions."""
    return viewer.keys and viewer.teacher


def _document(request, slug: str, variant: str):
    """The built handout or guide of a live lesson (404 if none; 403 for a guide a reader
    may not see, after the 404, so that it says nothing of lessons that are not live)."""
    page = _page("lesson", slug, variant)
    if page is None:
        raise Http404("No such lesson.")
    if variant == "guide" and not _may_see_guide(request_viewer(request)):
        handout = page_path("lesson_detail", slug) + "handout/"
        response = render(request, "403.html", {"guide": {"handout_path": handout}}, status=403)
        patch_cache_control(response, private=True, no_store=True)
        raise _Answer(response)
    return page


class _Answer(Exception):
    """A response to give instead (raised from a helper)."""

    def __init__(self, response):
        self.response = response


def _with_document_styles(response, head: str) -> None:
    # The head's <style> (the page-margin boxes) is allowed by its hash, nothing inline else.
    hashes = documents.style_hashes(head)
    if hashes:
        response._csp_update = {"style-src": hashes}


def lesson_handout(request, slug):
    """The student handout: what learners may see, laid out for paper."""
    return _serve(request, "lesson", slug, "handout", document=True)


@vary_on_cookie
def lesson_guide(request, slug):
    """The teacher's guide: the plan, notes for teachers, the answer key (teachers only)."""
    try:
        page = _document(request, slug, "guide")
    except _Answer as answer:
        return answer.response
    response = render_page(
        request, title=page.title, html=page.html, head=page.head, lang=page.lang, document=True
    )
    _with_document_styles(response, page.head)
    patch_cache_control(response, private=True, no_store=True)
    return response


def _pdf(request, slug: str, variant: str):
    try:
        page = _document(request, slug, variant)
    except _Answer as answer:
        return answer.response
    etag = f'"{documents.pdf_version(page, documents.stylesheet(), origin(request))}-pdf"'
    response = unchanged(request, etag, page.updated_at)
    if response is not None:  # the reader's copy is this version: nothing is made or read
        if variant == "guide":
            patch_cache_control(response, private=True, no_store=True)
        return response
    try:
        data = documents.pdf(page, origin(request))
    except documents.PdfUnavailable:
        response = render(
            request,
            "learner/pdf_unavailable.html",
            {"document_path": page_path("lesson_detail", slug) + f"{variant}/"},
            status=503,
        )
        response["Retry-After"] = "3600"
        return response
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{slug}-{variant}.pdf"'
    stamped(response, etag, page.updated_at)
    if variant == "guide":
        patch_cache_control(response, private=True, no_store=True)
    return response


def lesson_handout_pdf(request, slug):
    return _pdf(request, slug, "handout")


@vary_on_cookie
def lesson_guide_pdf(request, slug):
    return _pdf(request, slug, "guide")


def article_detail(request, slug):
    target = request.GET.get("excerpt", "")

    def note(html: str) -> str:
        # "Read in context": say which passage the lesson quotes (the URL's #excerpt-N
        # outlines it through CSS :target).
        if not (target.isdigit() and len(target) < 12 and f'id="excerpt-{target}"' in html):
            return html
        html = html.replace(
            f'<mark class="excerpt" id="excerpt-{target}">',
            f'<mark class="excerpt is-target" id="excerpt-{target}">',
            1,
        )
        return html.replace(
            "<!--target-note-->",
            '<p class="target-note" role="note">The highlighted passage is the one the lesson '
            f'quotes. <a href="#excerpt-{target}">Go to the passage</a></p>',
            1,
        )

    return _serve(request, "article", slug, patch=note)


def event_detail(request, slug):
    return _serve(request, "event", slug)


def concept_detail(request, slug):
    return _serve(request, "concept", slug)


# --- answering ----------------------------------------------------------------------------


def _answer_from_post(request, question: dict, events: dict) -> list:
    """The answer as answer_check takes it: choice ids, or event ids in the order given."""
    if question["kind"] == QuestionKind.MULTIPLE_CHOICE:
        return request.POST.getlist("choice")
    shown = [pk for pk in question["events"] if pk in events]
    places = {}
    for pk in shown:
        value = request.POST.get(f"position-{pk}", "")
        if not value.isdigit() or not 1 <= int(value) <= len(shown):
            raise services.AnswerError(
                f"Give “{events[pk]['title']}” a place from 1 to {len(shown)}.", code="invalid"
            )
        places[pk] = int(value)
    if len(set(places.values())) != len(places):
        raise services.AnswerError(
            f"Give each event a different place, from 1 to {len(shown)}.", code="duplicate"
        )
    return sorted(places, key=places.get)


# Checking an answer changes nothing on the server, so it needs no CSRF token; without one
# the lesson page is the same for everyone, which keeps its ETag and 304s honest.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def answer(request, slug, question_id):
    row = lesson_selectors.live_lesson(slug)
    if row is None:
        raise Http404("No such lesson.")
    found = lesson_selectors.question_for_answer(request_viewer(request), question_id)
    if found is None or not any(q["id"] == question_id for q in row.content["questions"]):
        raise Http404("No such question in this lesson.")
    if request.method == "GET":
        return redirect(f"{page_path('lesson_detail', slug)}#q-{question_id}")
    question, events = found
    given = {}
    try:
        answer_ids = _answer_from_post(request, question, events)
        if question["kind"] == QuestionKind.MULTIPLE_CHOICE:
            given = {"choices": {str(i) for i in answer_ids}}
        else:
            given = {"positions": {pk: i for i, pk in enumerate(answer_ids, 1)}}
        result = services.answer_check(
            question=question,
            answer=answer_ids,
            events=events,
            attempt=request.POST.get("attempt", ""),
        )
        outcome, status = {"result": result, "given": given}, 200
    except services.AnswerError as exc:
        outcome, status = {"error": exc.messages[0], "given": given}, 400
    outcome["chronology"] = question["kind"] == QuestionKind.CHRONOLOGY
    if request.headers.get("Accept", "").startswith("application/json"):
        html = render_to_string("learner/_feedback.html", {"outcome": outcome}, request)
        return JsonResponse(
            {"correct": bool(outcome.get("result") and outcome["result"].correct), "html": html},
            status=status,
        )
    # Without JavaScript: the lesson page again, with the feedback at the question.
    from lessons.live import public_view
    from publishing.live import LiveResolver

    view = public_view(row, LiveResolver())
    context = {**pages.lesson_context(view), "results": {question_id: outcome}}
    html = render_to_string("learner/lesson_body.html", context, request)
    response = render_page(
        request, title=f"{view['title']} · History lessons", html=html, status=status
    )
    patch_cache_control(response, no_store=True)
    return response


# --- lists ------------------------------------------------------------------------------


def home(request):
    rows = lesson_selectors.lessons_public().only(
        "slug", "title", "level", "duration_minutes", "summary"
    )
    lessons = []
    for row in rows:
        summary = json.loads(row.summary)
        lessons.append(
            {
                **summary,
                "path": page_path("lesson_detail", row.slug),
                "level_display": Level(row.level).label if row.level in Level.values else row.level,
                "image": summary.get("image"),
            }
        )
    return render(
        request,
        "learner/home.html",
        {"lessons": lessons, "counts": history_selectors.counts_public()},
    )


ARTICLES_PER_PAGE = 50


def article_list(request):
    """The sources, 50 a page in the order readers expect (two queries: the count, the page)."""
    number, errors = _page_param(request)
    if errors:
        return render(request, "learner/article_list.html", {"errors": errors}, status=400)
    page = Paginator(
        history_selectors.articles_public().only("slug", "summary"), ARTICLES_PER_PAGE
    ).get_page(number)
    articles = [
        {**json.loads(r.summary), "path": page_path("article_detail", r.slug)} for r in page
    ]
    return render(request, "learner/article_list.html", {"articles": articles, "page": page})


def glossary(request):
    concepts = history_selectors.concepts_public().only(
        "slug", "term", "definition", "filed_as", "language"
    )
    letters: dict[tuple, list] = {}
    for concept in concepts:
        letters.setdefault(names.letter(concept.filed_as), []).append(
            {
                "term": concept.term,
                "definition": concept.definition,
                "language": concept.language,
                "path": page_path("concept_detail", concept.slug),
            }
        )
    # Each script's letters are groups of their own (Greek Ο is not Latin O), scripts in order.
    groups = [
        (letter, names.language_of_script(script), items)
        for (_order, script, letter), items in sorted(
            letters.items(), key=lambda item: (item[0][0], names.sort_key(item[0][2]))
        )
    ]
    return render(request, "learner/glossary.html", {"groups": groups})


def _year_param(request, name):
    value = request.GET.get(name, "").strip()
    if not value:
        return None, []
    try:
        year = int(value)
    except ValueError:
        return None, [f"“{value[:20]}” is not a year: type a number such as 1956."]
    if not -10000 <= year <= 9999:
        return None, ["Years run from -10000 to 9999."]
    return year, []


def _page_param(request):
    value = request.GET.get("page", "1").strip() or "1"
    if not value.isdigit() or len(value) > 6 or int(value) < 1:
        return 1, [f"“{value[:20]}” is not a page number: give 1 or more."]
    return int(value), []


def timeline_page(request):
    """A window of events, earliest first, with the periods of all that match and their counts
    to move between, and pages within a period; queries do not grow with the events."""
    errors = []
    start_year, errors_start = _year_param(request, "from")
    end_year, errors_end = _year_param(request, "to")
    page, errors_page = _page_param(request)
    errors += errors_start + errors_end + errors_page
    if start_year is not None and end_year is not None and end_year < start_year:
        errors.append("“To” must be the same year as “From” or later.")
    concept_slug = request.GET.get("concept", "")
    chosen = None
    if concept_slug:
        chosen = history_selectors.concept_public_by_slug(concept_slug[:200])
        if chosen is None:
            errors.append("There is no such concept on the timeline.")
    window = None
    if not errors:
        window = history_selectors.timeline_window(
            start_year=start_year,
            end_year=end_year,
            concept_id=chosen.concept_id if chosen else None,
            page=page,
        )
    events = window.events if window else []
    concepts = history_selectors.timeline_concepts(
        [e["event_id"] for e in events], chosen=chosen.concept_id if chosen else None
    )
    filters = {"from": request.GET.get("from", ""), "to": request.GET.get("to", "")}
    if chosen is not None:
        filters["concept"] = chosen.slug
    kept = _kept(filters, "concept")
    context = {
        "rows": timeline.rows(events),
        "window": window,
        "errors": errors,
        "concepts": concepts,
        "chosen": chosen,
        "start_year": filters["from"],
        "end_year": filters["to"],
        "periods": [
            {"period": p, "query": urlencode({**kept, "from": p.first, "to": p.last})}
            for p in (window.periods if window else [])
            if p.count
        ],
        "page_query": urlencode(_kept(filters, "from", "to", "concept")),
    }
    return render(request, "learner/timeline.html", context, status=400 if errors else 200)


def _kept(filters: dict, *names: str) -> dict:
    """The filters of these names that are set (for links that keep them)."""
    return {name: filters[name] for name in names if filters.get(name)}


def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /api/",
        "Disallow: /search/",
        f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


def favicon(request):
    """Browsers ask for /favicon.ico on pages that name no icon (the admin's)."""
    return redirect(static("img/favicon.svg"), permanent=True)


def lesson_preview(request, lesson):
    """A lesson's working copy exactly as learners would see it if it were published now
    (staff only: the admin calls this after checking)."""
    from lessons.content import lessons_content

    view = lesson_selectors.preview_view(request_viewer(request), lesson)
    content = lessons_content([lesson])[lesson.pk]
    missing = _not_live_yet(content, view)
    context = {**pages.lesson_context(view), "preview": True, "preview_missing": missing}
    html = render_to_string("learner/lesson_body.html", context, request)
    head = render_to_string("learner/lesson_head.html", context, request)
    response = render_page(
        request, title=f"Preview: {view['title']} · History lessons", html=html, head=head
    )
    response["X-Robots-Tag"] = "noindex"
    patch_cache_control(response, private=True, no_store=True)
    return response


def _not_live_yet(content: dict, view: dict) -> list[str]:
    """What the working copy refers to that learners would not see (it is not live)."""
    from history.models import Article, Concept, Event
    from publishing.live import LiveResolver, WorkingResolver

    working, public = WorkingResolver(), LiveResolver()
    missing = []
    for model, ids in (
        (Concept, content["vocabulary"]),
        (Event, content["timeline"] + [e for q in content["questions"] for e in q["events"]]),
        (
            Article,
            [
                p["excerpt"]["article"]
                for p in content["sections"] + content["questions"]
                if p["excerpt"]
            ],
        ),
    ):
        shown = public.get(model, ids)
        for pk, item in working.get(model, ids).items():
            if pk not in shown:
                name = item.get("title") or item.get("term")
                if name not in missing:
                    missing.append(name)
    return missing
