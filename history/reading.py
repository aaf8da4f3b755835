"""An article's paragraphs as HTML for reading: quoted passages marked, glossary terms linked.

Input is plain data (offsets into the stored text, ids, URLs); output is HTML in which every
piece of the article's text is escaped. Excerpts are the outer layer (a <mark> per passage,
clipped to each paragraph); mentions become links inside or outside them, and a mention that
would cross an excerpt's edge, or overlaps another mention, is left as plain text.

No Django imports: pure and fast to test.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape


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


def render_paragraph(text: str, offset: int, passages: list[Passage], terms: list[Term]) -> str:
    """One paragraph (its text starts at ``offset`` in the article) as HTML."""
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

    def plain(start: int, end: int) -> str:
        out, position = [], start
        for term in accepted:
            if term.start < start or term.end > end:
                continue
            out.append(escape(text[position - offset : term.start - offset], quote=False))
            words = escape(text[term.start - offset : term.end - offset], quote=False)
            if term.kind == "concept":
                out.append(
                    f'<a class="term" href="{escape(term.url)}" '
                    f'aria-describedby="{escape(term.definition_id)}">{words}</a>'
                )
            else:
                out.append(f'<a class="event-ref" href="{escape(term.url)}">{words}</a>')
            position = term.end
        out.append(escape(text[position - offset : end - offset], quote=False))
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
