"""An article's paragraphs as HTML for reading: quoted passages marked, glossary terms linked.

Input is plain data (offsets into the stored text, ids, URLs); output is HTML in which every
piece of the article's text is escaped. Excerpts are the outer layer (a <mark> per passage,
clipped to each paragraph); mentions become links inside or outside them, and a mention that
would cross an excerpt's edge, or overlaps another mention, is left as plain text.

``render_article`` does the same for a whole article with its structure (``history.structure``):
headings, paragraphs, lists, quotes and notes as HTML, emphasis and links inside them, and
stretches in another script marked with their language and direction. It is pure (no database,
no Django) so that a publish-time page builder can call it.

No Django imports: pure and fast to test.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from html import escape

from history import names


@dataclass(frozen=True)
class Passage:
    """A quoted passage: an excerpt, with the lessons that quote it."""

    id: int
    start: int
    end: int
    links: tuple[tuple[str, str], ...] = ()  # (lesson title, url)
    target: bool = False


@dataclass(frozen=True)
class Term:
    """A confirmed mention: of a concept (with a definition id) or of an event."""

    start: int
    end: int
    url: str
    definition_id: str = ""  # id of the element holding the concept's definition
    kind: str = "concept"


@dataclass
class _Group:
    start: int
    end: int
    passages: list[Passage] = field(default_factory=list)


def render_paragraph(
    text: str,
    offset: int,
    passages: list[Passage],
    terms: list[Term],
    marks: list | tuple = (),
) -> str:
    """One paragraph (its text starts at ``offset`` in the article) as HTML.

    ``marks`` are the paragraph's inline marks ([kind, start, end, value], offsets in the
    article): emphasis, code, links, note references and other-script stretches. They are cut
    at the edges of passages and terms, so the HTML nests properly."""
    end_of_text = offset + len(text)
    groups: list[_Group] = []
    for passage in sorted(passages, key=lambda p: (p.start, -p.end)):
        start, end = max(passage.start, offset), min(passage.end, end_of_text)
        if start >= end:
            continue
        if groups and start < groups[-1].end:
            groups[-1].end = max(groups[-1].end, end)
            groups[-1].passages.append(passage)
        else:
            groups.append(_Group(start, end, [passage]))

    edges = [(g.start, g.end) for g in groups]
    accepted: list[Term] = []
    for term in sorted(terms, key=lambda t: (t.start, -t.end)):
        if term.start < offset or term.end > end_of_text or term.end <= term.start:
            continue
        if accepted and term.start < accepted[-1].end:
            continue
        if any(
            term.start < e and term.end > s and not (s <= term.start and term.end <= e)
            for s, e in edges
        ):
            continue
        accepted.append(term)

    def piece(start: int, end: int, *, in_link: bool = False) -> str:
        if not marks:
            return escape(text[start - offset : end - offset], quote=False)
        return _inline(text, offset, start, end, marks, in_link=in_link)

    def plain(start: int, end: int) -> str:
        out, position = [], start
        for term in accepted:
            if term.start < start or term.end > end:
                continue
            out.append(piece(position, term.start))
            words = piece(term.start, term.end, in_link=True)
            if term.kind == "concept":
                out.append(
                    f'<a class="term" href="{escape(term.url)}" '
                    f'aria-describedby="{escape(term.definition_id)}">{words}</a>'
                )
            else:
                out.append(f'<a class="event-ref" href="{escape(term.url)}">{words}</a>')
            position = term.end
        out.append(piece(position, end))
        return "".join(out)

    html, position = [], offset
    for group in groups:
        html.append(plain(position, group.start))
        first, *others = group.passages
        is_target = any(p.target for p in group.passages)
        # Only the passage's first piece carries its id (passages may span paragraphs).
        ident = f' id="excerpt-{first.id}"' if first.start >= offset else ""
        anchors = "".join(f'<span id="excerpt-{p.id}"></span>' for p in others if p.start >= offset)
        css = "excerpt is-target" if is_target else "excerpt"
        html.append(f'<mark class="{css}"{ident}>{anchors}{plain(group.start, group.end)}</mark>')
        links = []
        if group.end == min(max(p.end for p in group.passages), end_of_text):
            seen = set()
            for passage in group.passages:
                if passage.end > end_of_text:
                    continue
                for title, url in passage.links:
                    if url not in seen:
                        seen.add(url)
                        links.append(
                            f'<a class="quoted-in" href="{escape(url)}">Quoted in a lesson'
                            f'<span class="visually-hidden">: {escape(title, quote=False)}'
                            "</span></a>"
                        )
        html.append("".join(f" {link}" for link in links))
        position = group.end
    html.append(plain(position, end_of_text))
    return "".join(html)


# --- inline marks ------------------------------------------------------------------------

_SAFE_URL = re.compile(r"^(?:https?://|mailto:|#)", re.IGNORECASE)
# Outer marks first, so that a piece of text nests its tags the same way every time.
_ORDER = {"lang": 0, "link": 1, "noteref": 2, "strong": 3, "em": 4, "code": 5}


def _open_tag(kind: str, value: str, *, in_link: bool) -> tuple[str, str]:
    if kind == "em":
        return "<em>", "</em>"
    if kind == "strong":
        return "<strong>", "</strong>"
    if kind == "code":
        return "<code>", "</code>"
    if kind == "lang":
        lang, _, direction = value.partition("|")
        return f'<span lang="{escape(lang)}" dir="{escape(direction)}">', "</span>"
    if kind == "noteref":
        if in_link:
            return '<sup class="noteref">', "</sup>"
        return (
            f'<sup class="noteref"><a href="#note-{escape(value)}" id="noteref-{escape(value)}" '
            f'aria-label="Note {escape(value)}">',
            "</a></sup>",
        )
    if kind == "link" and not in_link and _SAFE_URL.match(value or ""):
        rel = "noopener noreferrer nofollow"
        return f'<a class="source-link" href="{escape(value)}" rel="{rel}">', "</a>"
    return "", ""


def _inline(text: str, offset: int, start: int, end: int, marks, *, in_link: bool) -> str:
    """Text ``start``–``end`` (article offsets) with the marks that touch it, cut at its edges."""
    inside = [m for m in marks if m[1] < end and m[2] > start]
    if not inside:
        return escape(text[start - offset : end - offset], quote=False)
    points = sorted({start, end, *(max(m[1], start) for m in inside),
                     *(min(m[2], end) for m in inside)})  # fmt: skip
    out = []
    for a, b in itertools.pairwise(points):
        if a >= b:
            continue
        active = sorted(
            (m for m in inside if m[1] <= a and m[2] >= b), key=lambda m: _ORDER.get(m[0], 9)
        )
        opens, closes = [], []
        for kind, _s, _e, value in active:
            o, c = _open_tag(kind, str(value), in_link=in_link)
            opens.append(o)
            closes.insert(0, c)
        out.append(
            "".join(opens) + escape(text[a - offset : b - offset], quote=False) + "".join(closes)
        )
    return "".join(out)


# --- whole articles ----------------------------------------------------------------------


def _script_marks(text: str, offset: int, base_script: str) -> list[list]:
    return [
        ["lang", offset + s, offset + e, f"{lang}|{direction}"]
        for s, e, lang, direction in names.script_runs(text, base=base_script)
        if lang
    ]


def render_article(
    body: str,
    blocks: list[dict],
    passages: list[Passage] = (),
    terms: list[Term] = (),
    *,
    base_script: str = "Latin",
    numbered: bool = True,
) -> str:
    """An article's text as HTML: its blocks (see ``history.structure``) with quoted passages
    and glossary terms marked as ``render_paragraph`` marks them, headings as h2–h6, lists as
    lists, quotes as blockquotes and notes at the end. Every block carries ``id="p<n>"`` (its
    paragraph number, as links and search results use it); stretches in another script than
    ``base_script`` carry ``lang`` and ``dir``. All text is escaped; only the tags made here
    appear. Pure: no database, no Django."""
    passages, terms = list(passages), list(terms)
    html: list[str] = []
    notes: list[str] = []
    open_list: tuple | None = None  # (list id, ordered)
    quote_depth = 0

    def close_list():
        nonlocal open_list
        if open_list is not None:
            html.append("</ol>" if open_list[1] else "</ul>")
            open_list = None

    for number, block in enumerate(blocks, 1):
        start, end = block["start"], block["end"]
        words = body[start:end]
        kind = block.get("type", "paragraph")
        marks = [*block.get("marks", []), *_script_marks(words, start, base_script)]
        inner = render_paragraph(words, start, passages, terms, marks)
        anchor = (
            f'<a class="para-number" href="#p{number}" aria-label="Paragraph {number}">'
            f"{number}</a> "
            if numbered
            else ""
        )
        direction = names.direction_of_script(names.main_script(words))
        dir_attr = (
            ' dir="rtl"' if direction == "rtl" and base_script != names.main_script(words) else ""
        )
        if kind == "note":
            note_number = block.get("number") or 0
            ident = f' id="note-{note_number}"' if note_number else ""
            back = (
                f' <a class="note-back" href="#noteref-{note_number}" aria-label="Back to the '
                f'text">↩</a>'
                if note_number
                else ""
            )
            label = f'<span class="note-number">{note_number}.</span> ' if note_number else ""
            notes.append(
                f'<p id="p{number}" class="para note"{dir_attr}><span{ident}></span>{anchor}'
                f"{label}{inner}{back}</p>"
            )
            continue
        if kind != "item":
            close_list()
        depth = int(block.get("quote", 0) or 0)
        while quote_depth < depth:
            close_list()
            html.append("<blockquote>")
            quote_depth += 1
        while quote_depth > depth:
            close_list()
            html.append("</blockquote>")
            quote_depth -= 1
        if kind == "heading":
            level = min(max(int(block.get("level", 2) or 2), 2), 6)
            html.append(
                f'<h{level} id="p{number}" class="para heading"{dir_attr}>{inner}</h{level}>'
            )
        elif kind == "item":
            ordered = bool(block.get("ordered"))
            if open_list is None or open_list[0] != block.get("list"):
                close_list()
                first = int(block.get("number") or 1)
                start_attr = f' start="{first}"' if ordered and first != 1 else ""
                html.append(f"<ol{start_attr}>" if ordered else "<ul>")
                open_list = (block.get("list"), ordered)
            css = "para item" + (f" depth-{int(block['depth'])}" if block.get("depth") else "")
            html.append(f'<li id="p{number}" class="{css}"{dir_attr}>{anchor}{inner}</li>')
        elif kind == "code":
            html.append(f'<pre id="p{number}" class="para"><code>{inner}</code></pre>')
        else:
            html.append(f'<p id="p{number}" class="para"{dir_attr}>{anchor}{inner}</p>')
    close_list()
    while quote_depth > 0:
        html.append("</blockquote>")
        quote_depth -= 1
    if notes:
        html.append('<section class="notes" aria-label="Notes"><h2 class="notes-h">Notes</h2>')
        html.extend(notes)
        html.append("</section>")
    return sanitise("".join(html))


_TAGS = {"p", "h2", "h3", "h4", "h5", "h6", "ol", "ul", "li", "blockquote", "pre", "code", "em",
         "strong", "sup", "span", "a", "mark", "section"}  # fmt: skip
_ATTRIBUTES = {
    "*": {"id", "class", "lang", "dir", "aria-label"},
    "a": {"href", "aria-describedby", "rel"},
    "ol": {"start"},
}


def sanitise(html: str) -> str:
    """A second line of defence: only the tags and attributes ``render_article`` makes
    (nh3, the Rust ammonia sanitiser; links only to http(s), mailto and this page)."""
    import nh3

    return nh3.clean(
        html,
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel=None,
        strip_comments=True,
    )
