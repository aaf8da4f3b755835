"""An article's structure: blocks (headings, paragraphs, list items, quotes, notes) and inline
marks (emphasis, strong, code, links, note references) over its plain-text projection.

The projection is what ``Article.body`` stores and what excerpts, mentions and dates anchor to:
one line per block, blocks separated by a blank line, offsets in Unicode code points. The
structure says what each stretch of that text is, so the learner page can show headings as
headings and lists as lists without the anchors ever seeing markup.

A block, as stored (``Article.blocks``, JSON)::

    {"type": "heading", "start": 0, "end": 17, "level": 2, "marks": [["em", 4, 9, ""]]}

``type`` is one of paragraph, heading, item, note, code; items have ``ordered``, ``number``,
``list`` (items of one list share it) and ``depth``; notes have ``number``; any block may have
``quote`` (how many blockquotes it stands in). Marks are ``[kind, start, end, value]`` with
kind em, strong, code, link (value: the address) or noteref (value: the note's number).

No Django imports: pure and fast to test.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

PARAGRAPH_SEPARATOR = "\n\n"
BLOCK_TYPES = ("paragraph", "heading", "item", "note", "code")
MARK_KINDS = ("em", "strong", "code", "link", "noteref")


@dataclass
class Block:
    type: str = "paragraph"
    text: str = ""
    marks: list[list] = field(default_factory=list)  # [kind, start, end, value], block-relative
    level: int = 0
    ordered: bool = False
    number: int = 0
    list: int = 0
    depth: int = 0
    quote: int = 0

    def to_json(self, offset: int) -> dict:
        data: dict = {"type": self.type, "start": offset, "end": offset + len(self.text)}
        if self.type == "heading":
            data["level"] = self.level
        if self.type == "item":
            data.update(ordered=self.ordered, number=self.number, list=self.list)
            if self.depth:
                data["depth"] = self.depth
        if self.type == "note":
            data["number"] = self.number
        if self.quote:
            data["quote"] = self.quote
        if self.marks:
            data["marks"] = [[k, s + offset, e + offset, v] for k, s, e, v in self.marks]
        return data


def project(blocks: list[Block]) -> tuple[str, list[dict]]:
    """The plain-text projection of blocks and the blocks as stored, with absolute offsets."""
    stored, position = [], 0
    for block in blocks:
        stored.append(block.to_json(position))
        position += len(block.text) + len(PARAGRAPH_SEPARATOR)
    return PARAGRAPH_SEPARATOR.join(b.text for b in blocks), stored


def paragraphs_as_blocks(body: str) -> list[dict]:
    """Blocks for a text that has no structure of its own: every paragraph a paragraph."""
    stored, position = [], 0
    for text in body.split(PARAGRAPH_SEPARATOR):
        stored.append({"type": "paragraph", "start": position, "end": position + len(text)})
        position += len(text) + len(PARAGRAPH_SEPARATOR)
    return stored


def fits(blocks: list[dict], body: str) -> bool:
    """Whether stored blocks still describe ``body`` (one block per paragraph, same ranges)."""
    if not isinstance(blocks, list) or not blocks:
        return False
    expected = paragraphs_as_blocks(body)
    if len(blocks) != len(expected):
        return False
    return all(
        isinstance(b, dict) and b.get("start") == e["start"] and b.get("end") == e["end"]
        for b, e in zip(blocks, expected, strict=True)
    )


def carry_over(old_body: str, old_blocks: list[dict], new_body: str) -> list[dict]:
    """Blocks for an edited text: a paragraph whose words are unchanged keeps what it was (a
    heading stays a heading, its emphasis stays); a new or changed one is a paragraph."""
    if fits(old_blocks, new_body):
        return old_blocks
    if not fits(old_blocks, old_body):
        return paragraphs_as_blocks(new_body)
    available: dict[str, list[dict]] = {}
    for block in old_blocks:
        available.setdefault(old_body[block["start"] : block["end"]], []).append(block)
    result = []
    for fresh in paragraphs_as_blocks(new_body):
        words = new_body[fresh["start"] : fresh["end"]]
        candidates = available.get(words)
        if not candidates:
            result.append(fresh)
            continue
        old = candidates.pop(0)
        shift = fresh["start"] - old["start"]
        block = {**old, "start": fresh["start"], "end": fresh["end"]}
        if old.get("marks"):
            block["marks"] = [[k, s + shift, e + shift, v] for k, s, e, v in old["marks"]]
        result.append(block)
    return result


def validate(blocks) -> list[str]:
    """What is wrong with blocks given through the API or a form (an empty list when fine)."""
    if not isinstance(blocks, list):
        return ["Blocks must be a list."]
    errors = []
    for index, block in enumerate(blocks, 1):
        if not isinstance(block, dict) or block.get("type") not in BLOCK_TYPES:
            errors.append(f"Block {index} has no known type ({', '.join(BLOCK_TYPES)}).")
            continue
        for mark in block.get("marks", []):
            if (
                not isinstance(mark, list)
                or len(mark) != 4
                or mark[0] not in MARK_KINDS
                or not all(isinstance(v, int) for v in mark[1:3])
            ):
                errors.append(f"Block {index} has a mark that cannot be read: {mark!r}.")
    return errors


class TextBuilder:
    """Text of one block built piece by piece, white space made single, with marks."""

    def __init__(self):
        self.parts: list[str] = []
        self.length = 0
        self.marks: list[list] = []
        self._open: list[list] = []
        self._space = False

    def add(self, text: str) -> None:
        # Runs of white space become one space (none at the start of the block); split() and
        # join() do it in C, a word at a time in Python was a tenth of an import.
        words = text.split()
        if not words:
            if text:
                self._space = self.length > 0
            return
        if text[0].isspace():
            self._space = self.length > 0
        if self._space:
            self.parts.append(" ")
            self.length += 1
        joined = " ".join(words)
        self.parts.append(joined)
        self.length += len(joined)
        self._space = text[-1].isspace()

    def space(self) -> None:
        self._space = self.length > 0

    def open(self, kind: str, value: str = "") -> None:
        if self._space:  # a mark starts at its first word, not at the space before it
            self.parts.append(" ")
            self.length += 1
            self._space = False
        self._open.append([kind, self.length, None, value])

    def close(self, kind: str) -> None:
        for index in range(len(self._open) - 1, -1, -1):
            if self._open[index][0] == kind:
                mark = self._open.pop(index)
                mark[2] = self.length
                if mark[2] > mark[1]:
                    self.marks.append(mark)
                return

    def block(self, **attributes) -> Block | None:
        text = "".join(self.parts)
        if not text.strip():
            return None
        end = len(text)
        marks = sorted(
            ([k, s, min(e, end), v] for k, s, e, v in self.marks if s < end),
            key=lambda m: (m[1], -m[2]),
        )
        return Block(text=text, marks=marks, **attributes)


# --- plain text --------------------------------------------------------------------------

# A line that starts a list item: "1.", "1)", "(1)", "a)", "-", "*", "•", "–".
_ITEM = re.compile(r"^\s*(?:(?P<num>\d{1,3})[.)]|\((?P<pnum>\d{1,3})\)|(?P<bullet>[-*•–]))\s+")


def plain_blocks(blocks_text: list[str]) -> list[Block]:
    """Blocks of a plain text (each given as its lines): paragraphs, and lists whose items
    each start a line ("(1) …", "1. …", "- …") when a block has at least two of them."""
    blocks: list[Block] = []
    list_id = 0
    for raw in blocks_text:
        lines = [line for line in raw.split("\n") if line.strip()]
        starts = [i for i, line in enumerate(lines) if _ITEM.match(line)]
        if len(starts) >= 2:
            head = lines[: starts[0]]
            if head:
                built = TextBuilder()
                built.add(" ".join(head))
                blocks.append(built.block())
            list_id += 1
            for n, first in enumerate(starts):
                last = starts[n + 1] if n + 1 < len(starts) else len(lines)
                match = _ITEM.match(lines[first])
                number = match.group("num") or match.group("pnum")
                built = TextBuilder()
                built.add(" ".join([lines[first][match.end() :], *lines[first + 1 : last]]))
                block = built.block(
                    type="item",
                    ordered=number is not None,
                    number=int(number) if number else 0,
                    list=list_id,
                )
                if block is not None:
                    blocks.append(block)
            continue
        built = TextBuilder()
        built.add(raw)
        block = built.block()
        if block is not None:
            blocks.append(block)
    return blocks


# --- Markdown ----------------------------------------------------------------------------

_WIKI_LINK = re.compile(r"\[\[([^\[\]|\n]+?)(?:\|([^\[\]\n]+?))?\]\]")
_PAREN_ITEM = re.compile(r"^\((\d{1,3})\)[ \t]+", re.MULTILINE)


def unwiki(text: str) -> str:
    """Wiki links become their label: [[Imre Nagy]] → Imre Nagy, [[a|b]] → b,
    [[Soviet_Union#History]] → Soviet Union."""

    def label(match: re.Match) -> str:
        if match.group(2):
            return match.group(2).strip()
        target = match.group(1).split("#", 1)[0] or match.group(1)
        return target.replace("_", " ").strip()

    return _WIKI_LINK.sub(label, text)


def _prepare_markdown(text: str) -> str:
    # "(1) text" lines are list items as telegrams and reports write them.
    return _PAREN_ITEM.sub(lambda m: f"{m.group(1)}) ", unwiki(text))


def _parser():
    from markdown_it import MarkdownIt
    from mdit_py_plugins.footnote import footnote_plugin

    return (
        MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
        .enable("table")
        .enable("strikethrough")
        .use(footnote_plugin)
    )


@dataclass
class _ListState:
    ordered: bool
    id: int
    number: int
    items: int = 0


# Markdown's emphasis tokens → (the mark kept, opens?); strikethrough is kept as emphasis.
EMPHASIS = {
    f"{token}_{edge}": (mark, edge == "open")
    for token, mark in (("em", "em"), ("strong", "strong"), ("s", "em"))
    for edge in ("open", "close")
}


def markdown_blocks(text: str) -> tuple[str, list[Block]]:
    """(the first level-1 heading, blocks) of a Markdown text. The title heading is not a block."""
    tokens = _parser().parse(_prepare_markdown(text))
    blocks: list[Block] = []
    title = ""
    lists: list[_ListState] = []
    quote = 0
    list_ids = 0
    heading_level = 0
    note_number = 0
    note_first = False
    note_numbers: dict[int, int] = {}  # footnote id → number shown
    in_item_first_para = False
    pending_item: dict | None = None
    in_table_row: TextBuilder | None = None

    def inline(token, builder: TextBuilder) -> None:
        for child in token.children or []:
            kind = child.type
            if kind == "text":
                builder.add(child.content)
            elif kind == "code_inline":
                builder.open("code")
                builder.add(child.content)
                builder.close("code")
            elif kind in ("softbreak", "hardbreak"):
                builder.space()
            elif kind in EMPHASIS:
                mark, opens = EMPHASIS[kind]
                (builder.open if opens else builder.close)(mark)
            elif kind == "link_open":
                builder.open("link", str(child.attrs.get("href", "")))
            elif kind == "link_close":
                builder.close("link")
            elif kind == "image":
                builder.add(child.content or "")
            elif kind == "footnote_ref":
                note_id = child.meta.get("id", 0)
                number = note_numbers.setdefault(note_id, len(note_numbers) + 1)
                builder.open("noteref", str(number))
                builder.add(f"[{number}]")
                builder.close("noteref")

    for token in tokens:
        kind = token.type
        if kind == "blockquote_open":
            quote += 1
        elif kind == "blockquote_close":
            quote -= 1
        elif kind in ("bullet_list_open", "ordered_list_open"):
            list_ids += 1
            start = int(token.attrs.get("start", 1) or 1)
            lists.append(_ListState(kind == "ordered_list_open", list_ids, start))
        elif kind in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif kind == "list_item_open":
            state = lists[-1]
            written = token.info if str(token.info or "").isdigit() else ""
            number = int(written) if written else state.number + state.items
            pending_item = {"number": number, "state": state}
            state.items += 1
            in_item_first_para = True
        elif kind == "heading_open":
            heading_level = int(token.tag[1])
        elif kind == "heading_close":
            heading_level = 0
        elif kind == "footnote_open":
            note_id = token.meta.get("id", 0)
            note_number = note_numbers.setdefault(note_id, len(note_numbers) + 1)
            note_first = True
        elif kind == "footnote_close":
            note_number = 0
        elif kind == "tr_open":
            in_table_row = TextBuilder()
        elif kind == "tr_close" and in_table_row is not None:
            block = in_table_row.block(quote=quote)
            if block is not None:
                blocks.append(block)
            in_table_row = None
        elif kind in ("fence", "code_block"):
            builder = TextBuilder()
            builder.add(token.content)
            block = builder.block(type="code", quote=quote)
            if block is not None:
                blocks.append(block)
        elif kind == "inline":
            if in_table_row is not None:
                if in_table_row.length:
                    in_table_row.add(" | ")
                inline(token, in_table_row)
                continue
            builder = TextBuilder()
            inline(token, builder)
            if heading_level:
                block = builder.block(type="heading", level=heading_level, quote=quote)
                if block is None:
                    continue
                if heading_level == 1 and not title and not blocks:
                    title = block.text
                    continue
                blocks.append(block)
                continue
            if note_number:
                block = builder.block(type="note", quote=quote)
                if block is not None:
                    block.number = note_number if note_first else 0
                    blocks.append(block)
                note_first = False
                continue
            if lists and in_item_first_para and pending_item is not None:
                state: _ListState = pending_item["state"]
                block = builder.block(
                    type="item",
                    ordered=state.ordered,
                    number=pending_item["number"],
                    list=state.id,
                    depth=len(lists) - 1,
                    quote=quote,
                )
                in_item_first_para = False
                if block is not None:
                    blocks.append(block)
                continue
            block = builder.block(quote=quote)
            if block is not None:
                if lists:  # a second paragraph of a list item
                    state = lists[-1]
                    block.type, block.list, block.depth = "item", state.id, len(lists) - 1
                    block.ordered, block.number = state.ordered, 0
                blocks.append(block)
    return title, _single_numbered_items_as_paragraphs(blocks)


def _single_numbered_items_as_paragraphs(blocks: list[Block]) -> list[Block]:
    """An "ordered list" whose numbers do not count up from 1 by one is numbered paragraphs
    ("9. Department pass Defense.", "1956. gada …", "3. Report on Work…"): the numbers are part
    of the text, not a list's."""
    numbers: dict[int, list[int]] = {}
    for block in blocks:
        if block.type == "item" and block.ordered and block.number and not block.depth:
            numbers.setdefault(block.list, []).append(block.number)
    not_lists = {
        key
        for key, found in numbers.items()
        if (len(found) == 1 and found[0] != 1)
        or any(b != a + 1 for a, b in itertools.pairwise(found))
    }
    result = []
    for block in blocks:
        if block.type == "item" and block.list in not_lists and block.number:
            prefix = f"{block.number}. "
            marks = [[k, s + len(prefix), e + len(prefix), v] for k, s, e, v in block.marks]
            block = Block(text=prefix + block.text, marks=marks, quote=block.quote)
        result.append(block)
    return result
