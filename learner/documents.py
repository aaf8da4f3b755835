"""A lesson's print documents: the student handout and the teacher's guide.

Both are built when the lesson is published (``learner.pages``), from live versions only, and
stored as pages: the handout from what learners may see, the guide with answer keys and
teacher material (served to teachers only). One print stylesheet (``static/css/site.css``,
``@media print`` and ``@page``) lays them out for the browser's Print command and for the PDF
download alike; the running header and footer (the lesson's title, the document, the date it
was published, page numbers) are page-margin boxes in a ``<style>`` of the document's head,
allowed by its hash in the page's Content-Security-Policy.

The PDF download is WeasyPrint's rendering of the same HTML and CSS. WeasyPrint needs the
Pango library of the system; where it is missing, ``pdf`` raises ``PdfUnavailable`` and the
download answers with a page that says so and points to the browser's Print command, which
gives the same document.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import re
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils.dateformat import format as date_format

NAMES = {"handout": "Student handout", "guide": "Teacher’s guide"}
PDF_CACHE_SECONDS = 7 * 24 * 3600
_STYLE = re.compile(r"<style>(.*?)</style>", re.S)


class PdfUnavailable(Exception):
    """The PDF library (WeasyPrint) or the system library it needs (Pango) is missing."""


def css_string(text: str) -> str:
    """Text as a CSS string literal: every character but ASCII letters and digits as a
    six-digit escape, so that no quote, backslash or "</style" can end it (any script).
    Spaces are escaped too: CSS reads one whitespace after an escape as its end, so "? K"
    with a literal space would print as "?K"."""
    out = []
    for char in text:
        if char.isascii() and char.isalnum():
            out.append(char)
        else:
            out.append(f"\\{ord(char):06x}")
    return '"' + "".join(out) + '"'


def running_style(view: dict, variant: str, published: datetime) -> str:
    """The page-margin boxes of a document: its title and date at the top, the lesson and
    page numbers at the foot. Chromium (131+) and WeasyPrint both draw them."""
    when = date_format(published, "j F Y")
    title = view["title"] if len(view["title"]) <= 90 else view["title"][:87].rstrip() + "…"
    box = "font: 8pt/1.2 sans-serif; color: #444;"
    return (
        "@page {"
        f" @top-left {{ content: {css_string(NAMES[variant])}; {box} }}"
        f" @top-right {{ content: {css_string('Published ' + when)}; {box} }}"
        f" @bottom-left {{ content: {css_string(title)}; {box} }}"
        f' @bottom-right {{ content: "Page " counter(page) " of " counter(pages); {box} }}'
        " }"
    )


def render(view: dict, variant: str, *, at: datetime) -> dict:
    """A document's title, body and head, for ``learner.pages.Built``."""
    context = {
        "lesson": view,
        "sources": sources(view),
        "plan": plan(view),
        "doc": variant,
        "doc_name": NAMES[variant],
        "published": at,
        "guide": variant == "guide",
    }
    return {
        "title": f"{view['title']} ({NAMES[variant].lower()}) · History lessons",
        "html": render_to_string("learner/lesson_document.html", context),
        "head": render_to_string(
            "learner/document_head.html",
            {**context, "running_style": running_style(view, variant, at)},
        ),
        "lang": view.get("language") or "en",
    }


def sources(view: dict) -> list[dict]:
    """The articles a lesson quotes, each once, in the order it first quotes them."""
    seen: dict[int, dict] = {}
    for part in [*view["sections"], *view["questions"]]:
        excerpt = part.get("excerpt")
        if excerpt and excerpt["article"]["id"] not in seen:
            seen[excerpt["article"]["id"]] = excerpt["article"]
    return list(seen.values())


def plan(view: dict) -> dict:
    """The lesson's timing: each section's minutes and the clock at its start."""
    rows, clock = [], 0
    for number, section in enumerate(view["sections"], 1):
        rows.append({"number": number, "section": section, "starts": clock})
        clock += section.get("minutes") or 0
    return {"rows": rows, "total": clock, "fits": clock <= view["duration_minutes"]}


def style_hashes(head: str) -> list[str]:
    """CSP sources that allow the head's own <style> elements (and nothing else)."""
    return [
        "'sha256-" + base64.b64encode(hashlib.sha256(body.encode()).digest()).decode() + "'"
        for body in _STYLE.findall(head)
    ]


# --- PDF ----------------------------------------------------------------------------------


def _weasyprint():
    try:
        import weasyprint
    except (ImportError, OSError) as exc:  # OSError: Pango (or its fonts) cannot be loaded
        raise PdfUnavailable(str(exc)) from exc
    return weasyprint


def _local_file(url: str) -> Path | None:
    """The file of a static or media URL of this site; None for anything else."""
    path = urlsplit(url).path
    if path.startswith(settings.STATIC_URL):
        found = finders.find(path[len(settings.STATIC_URL) :])
        if found:
            return Path(found)
        root = Path(settings.STATIC_ROOT or "")
        candidate = (root / path[len(settings.STATIC_URL) :]).resolve()
        return candidate if root.parts and candidate.is_relative_to(root.resolve()) else None
    if path.startswith(settings.MEDIA_URL):
        root = Path(settings.MEDIA_ROOT).resolve()
        candidate = (root / path[len(settings.MEDIA_URL) :]).resolve()
        return candidate if candidate.is_relative_to(root) else None
    return None


def _fetcher(weasyprint):
    """WeasyPrint fetches only this site's own static and media files, from disk: never the
    network (an address in editors' text must not make the server request anything)."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class LocalFiles(URLFetcher):
        def fetch(self, url, headers=None):
            local = _local_file(url)
            if local is None or not local.is_file():
                raise ValueError(f"not fetched: {url[:80]}")
            types = {".css": "text/css", ".svg": "image/svg+xml", ".png": "image/png"}
            mime = types.get(local.suffix.lower(), "image/jpeg")
            return URLFetcherResponse(url, body=local.read_bytes(), headers={"Content-Type": mime})

    return LocalFiles()


def stylesheet() -> str:
    """The print stylesheet the PDF is made with (the browser's Print reads the same files)."""
    return "\n".join(
        Path(finders.find(name)).read_text(encoding="utf-8")
        for name in ("css/site.css", "css/documents.css")
    )


def pdf_version(page, css: str, origin: str = "") -> str:
    """What a PDF is made from: the built page, the stylesheet (a deploy that changes the
    layout makes new PDFs) and the site's address (its links)."""
    digest = hashlib.sha256(f"{page.etag}\n{origin}\n{css}".encode()).hexdigest()
    return digest[:32]


def pdf(page, origin: str) -> bytes:
    """The PDF of a built document page, made once per version of it and of the stylesheet."""
    css = stylesheet()
    key = f"lesson-document-pdf:{pdf_version(page, css, origin)}"
    made = cache.get(key)
    if made is not None:
        return made
    weasyprint = _weasyprint()
    from publishing.live import with_origin

    # Its progress lines and its notes on CSS it skips (screen-only rules) are not news.
    for name in ("weasyprint", "weasyprint.progress"):
        logging.getLogger(name).setLevel(logging.ERROR)

    html = render_to_string(
        "learner/document_pdf.html",
        {
            "title": page.title,
            "lang": page.lang,
            "head": with_origin(page.head, origin),
            "html": with_origin(page.html, origin),
            "css": css,
        },
    )
    try:
        made = weasyprint.HTML(
            string=html, base_url=origin + "/", url_fetcher=_fetcher(weasyprint)
        ).write_pdf()
    except OSError as exc:
        raise PdfUnavailable(str(exc)) from exc
    cache.set(key, made, PDF_CACHE_SECONDS)
    return made
