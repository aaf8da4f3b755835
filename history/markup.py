"""Markdown that editors write, rendered to HTML that is safe to show learners.

markdown-it-py renders CommonMark with raw HTML switched off; nh3 (the Rust ammonia sanitiser)
then keeps only an allowlist of tags and attributes, so nothing an editor types can run script
or restyle the page. Links get rel="noopener noreferrer nofollow".

No Django imports: pure and fast to test.
"""

from __future__ import annotations

from functools import lru_cache

import nh3
from markdown_it import MarkdownIt

ALLOWED_TAGS = {
    "p", "br", "hr", "em", "strong", "b", "i", "u", "s", "del", "ins", "sub", "sup", "small",
    "mark", "q", "cite", "abbr", "code", "pre", "kbd", "blockquote",
    "ul", "ol", "li", "dl", "dt", "dd",
    "h2", "h3", "h4", "h5", "h6",
    "a", "table", "thead", "tbody", "tr", "th", "td", "caption",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "ol": {"start"},
    "th": {"scope"},
    "td": {"colspan", "rowspan"},
}
URL_SCHEMES = {"http", "https", "mailto"}


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    # Headings start at h2 in the text an editor writes: the page owns its h1.
    return MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable(
        "table"
    )


def sanitise(html: str) -> str:
    """Keep only the allowlisted tags and attributes."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )


def render_markdown(text: str) -> str:
    """Markdown → sanitised HTML (an empty string for empty text)."""
    if not text or not text.strip():
        return ""
    html = _parser().render(text)
    # A top-level "# Heading" would compete with the page's own h1.
    html = html.replace("<h1>", "<h2>").replace("</h1>", "</h2>")
    return sanitise(html)


def render_inline(text: str) -> str:
    """One line of Markdown (emphasis, links, code) without a wrapping paragraph."""
    if not text or not text.strip():
        return ""
    return sanitise(_parser().renderInline(text))
