"""Reading source texts: plain text or Markdown in, title, kicker and paragraphs out.

Articles reach us hard-wrapped, indented, with a title line, sometimes a kicker ("50 years
ago…") and the title repeated. This module turns such a file into the stored form: paragraphs
separated by one blank line, each a single line, typography untouched (curly quotes, dashes and
ellipses stay as they are). Offsets elsewhere in the project count Unicode code points of that
stored text.

No Django imports: pure and fast to test.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass, field

PARAGRAPH_SEPARATOR = "\n\n"
# A paragraph that ends in none of these (closing quotes and brackets aside) breaks off.
SENTENCE_END = ".!?…:;"
CLOSERS = "\"'’”»)]*_"
MAX_TITLE_LENGTH = 200
MAX_KICKER_LENGTH = 120


class UnreadableText(ValueError):
    """A file that cannot be imported; the message says why, for an editor."""


@dataclass(frozen=True)
class Paragraph:
    number: int  # 1-based, as shown to readers
    start: int  # code point offsets into the article's stored text
    end: int
    text: str

    @property
    def breaks_off(self) -> bool:
        return breaks_off(self.text)


@dataclass
class ParsedText:
    title: str
    kicker: str = ""
    paragraphs: list[str] = field(default_factory=list)

    @property
    def body(self) -> str:
        return PARAGRAPH_SEPARATOR.join(self.paragraphs)

    @property
    def truncated(self) -> list[int]:
        """1-based numbers of the paragraphs that break off mid-sentence."""
        return [i for i, p in enumerate(self.paragraphs, 1) if breaks_off(p)]


def breaks_off(paragraph: str) -> bool:
    stripped = paragraph.rstrip().rstrip(CLOSERS)
    return bool(stripped) and stripped[-1] not in SENTENCE_END


def split_paragraphs(body: str) -> list[Paragraph]:
    """The stored text's paragraphs with their offsets."""
    paragraphs: list[Paragraph] = []
    position = 0
    for number, text in enumerate(body.split(PARAGRAPH_SEPARATOR), 1):
        paragraphs.append(Paragraph(number, position, position + len(text), text))
        position += len(text) + len(PARAGRAPH_SEPARATOR)
    return paragraphs


def normalise_body(body: str) -> str:
    """An edited body in stored form: one blank line between paragraphs, no trailing spaces."""
    body = unicodedata.normalize("NFC", body.replace("\r\n", "\n").replace("\r", "\n"))
    blocks = re.split(r"\n\s*\n", body.strip())
    return PARAGRAPH_SEPARATOR.join(" ".join(block.split()) for block in blocks if block.strip())


def decode(data: bytes, *, name: str = "the file") -> str:
    """Bytes to text; refuse empty, binary and undecodable files with a reason."""
    if not data.strip():
        raise UnreadableText(f"{name} is empty.")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise UnreadableText(f"{name} claims to be UTF-16 but is not: {exc.reason}.") from exc
    else:
        if b"\x00" in data[:8192]:
            raise UnreadableText(f"{name} is a binary file, not text.")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise UnreadableText(
                f"{name} is not UTF-8 text (byte 0x{data[exc.start]:02x} at position "
                f"{exc.start} cannot be read). Save it as UTF-8 and import it again."
            ) from exc
    controls = sum(1 for c in text if unicodedata.category(c) == "Cc" and c not in "\n\r\t\f")
    if controls > max(3, len(text) // 100):
        raise UnreadableText(f"{name} looks like a binary file, not text.")
    if not text.strip():
        raise UnreadableText(f"{name} holds only blank space.")
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))


def parse_plain(text: str) -> ParsedText:
    """Hard-wrapped, indented plain text: blocks split on blank lines, lines joined."""
    blocks = [" ".join(block.split()) for block in re.split(r"\n[ \t]*\n", text)]
    return _from_blocks([b for b in blocks if b])


def parse_markdown(text: str) -> ParsedText:
    """Markdown: the first level-1 heading is the title; inline markup is dropped."""
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").parse(text)
    blocks: list[str] = []
    title = ""
    for index, token in enumerate(tokens):
        if token.type != "inline":
            continue
        opener = tokens[index - 1]
        content = " ".join(_inline_text(token).split())
        if not content:
            continue
        if opener.type == "heading_open" and opener.tag == "h1" and not title:
            title = content
            continue
        blocks.append(content)
    if title:
        blocks.insert(0, title)
    return _from_blocks(blocks)


def _inline_text(token) -> str:
    parts = []
    for child in token.children or []:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif child.type == "image":
            continue
    return "".join(parts)


def _same(a: str, b: str) -> bool:
    return a.casefold() == b.casefold()


def _from_blocks(blocks: list[str]) -> ParsedText:
    if not blocks:
        raise UnreadableText("There is no text in it.")
    title = blocks[0]
    if len(title) > MAX_TITLE_LENGTH:
        raise UnreadableText(
            "The first line should be the title, but it is a whole paragraph "
            f"({len(title)} characters). Put the title on a line of its own."
        )
    rest = blocks[1:]
    kicker = ""
    # Up to two short lines before the body: a kicker and the title repeated, in either order.
    for _ in range(2):
        if not rest:
            break
        head = rest[0]
        if _same(head, title):
            rest = rest[1:]
        elif (
            not kicker
            and len(head) <= MAX_KICKER_LENGTH
            and not head.rstrip(CLOSERS).endswith((".", "!", "?"))
            and len(rest) > 1
        ):
            kicker = head
            rest = rest[1:]
        else:
            break
    if not rest:
        raise UnreadableText("It has a title but no paragraphs of text.")
    return ParsedText(title=title, kicker=kicker, paragraphs=rest)


def parse(text: str, *, markdown: bool = False) -> ParsedText:
    return parse_markdown(text) if markdown else parse_plain(text)


# --- characters that cannot be stored ------------------------------------------------------

# NUL (PostgreSQL refuses it in text and JSON), lone surrogates (not characters: no database
# encodes them) and the other C0 controls and U+FFFE/U+FFFF, which XML 1.0 (the Common
# Cartridge export) cannot carry. Tab, line feed and carriage return are text.
_UNSTORABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def unstorable_reason(text: str) -> str | None:
    """Why ``text`` cannot be stored, in words for the person who sent it; None when it can."""
    match = _UNSTORABLE.search(text)
    if match is None:
        return None
    code = ord(match.group())
    where = f"at character {match.start() + 1}"
    if code == 0:
        return f"Must not contain the NUL character (U+0000, {where}): it cannot be stored."
    if 0xD800 <= code <= 0xDFFF:
        return f"Must not contain a lone surrogate (U+{code:04X}, {where}): it is not a character."
    return f"Must not contain the control character U+{code:04X} ({where}): it cannot be stored."


def _shown(key: str) -> str:
    """A key as it can be written back in an error: what cannot be stored, escaped (\\u0000)."""
    return _UNSTORABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", key)


def find_unstorable(value, path: str = "") -> tuple[str, str] | None:
    """The first string in ``value`` (a string, or lists and dicts of them, keys included) that
    cannot be stored: ``(path, reason)``, the path as "field.0.key" (with such characters of a
    key escaped, so that the path itself can be sent back); None when all can."""
    stack = [(path, value)]
    while stack:
        where, item = stack.pop()
        if isinstance(item, str):
            reason = unstorable_reason(item)
            if reason:
                return where, reason
        elif isinstance(item, dict):
            for key, child in reversed(list(item.items())):
                shown = _shown(key) if isinstance(key, str) else str(key)
                child_path = f"{where}.{shown}" if where else shown
                if isinstance(key, str) and (reason := unstorable_reason(key)):
                    return child_path, reason
                stack.append((child_path, child))
        elif isinstance(item, list | tuple):
            stack.extend(
                (f"{where}.{i}" if where else str(i), child)
                for i, child in reversed(list(enumerate(item)))
            )
    return None
