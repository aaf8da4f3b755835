"""Reading source texts: plain text or Markdown in; title, metadata, structure and paragraphs out.

Articles reach us hard-wrapped, indented, with a title line, sometimes a kicker ("50 years
ago…") and the title repeated, sometimes as Markdown with front matter (YAML between ``---``
lines or TOML between ``+++`` lines), wiki links and footnotes, and not always in UTF-8. This
module turns such a file into the stored form: a plain-text projection (paragraphs separated by
one blank line, each a single line, typography untouched) plus its structure
(``history.structure``: headings, lists, quotes, notes, emphasis). Offsets elsewhere in the
project count Unicode code points of that projection.

No Django imports: pure and fast to test.
"""

from __future__ import annotations

import codecs
import datetime
import re
import tomllib
import unicodedata
from dataclasses import dataclass, field

from history import structure

PARAGRAPH_SEPARATOR = "\n\n"
# A paragraph that ends in none of these (closing quotes and brackets aside) breaks off.
SENTENCE_END = ".!?…:;。！？؟۔।॥"
CLOSERS = "\"'’”»)]*_"
MAX_TITLE_LENGTH = 200
MAX_KICKER_LENGTH = 120
# The one size limit, everywhere (the model, the command, the admin's upload and paste): an
# article's text holds at most this many characters. A file can hold at most 4 bytes per
# character (UTF-8), so a larger file is refused before it is read.
MAX_CHARACTERS = 500_000
MAX_BYTES = 4 * MAX_CHARACTERS


def size_limit_text() -> str:
    """The limit as editors are told it, before they upload anything."""
    return (
        f"at most {MAX_CHARACTERS:,} characters (about {MAX_CHARACTERS // 3000:,} pages; "
        f"a file of at most {MAX_BYTES / 1_000_000:g} MB)"
    )


def check_size(*, characters: int | None = None, size: int | None = None, name="the text"):
    """Refuse a text or file over the limit, with the numbers, before any parsing."""
    if size is not None and size > MAX_BYTES:
        raise UnreadableText(
            f"{name} is {size / 1_000_000:.2f} MB; an article can hold {size_limit_text()}."
        )
    if characters is not None and characters > MAX_CHARACTERS:
        raise UnreadableText(
            f"{name} has {characters:,} characters; an article can hold {size_limit_text()}. "
            "Split it into parts and import each."
        )


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
    blocks: list[structure.Block] = field(default_factory=list)
    metadata: dict[str, str] = field(default_factory=dict)  # from front matter, as strings
    encoding: str = "utf-8"
    markdown: bool = False

    @property
    def paragraphs(self) -> list[str]:
        return [block.text for block in self.blocks]

    @property
    def body(self) -> str:
        return PARAGRAPH_SEPARATOR.join(self.paragraphs)

    @property
    def stored_blocks(self) -> list[dict]:
        return structure.project(self.blocks)[1]

    @property
    def headings(self) -> int:
        return sum(1 for b in self.blocks if b.type == "heading")

    @property
    def truncated(self) -> list[int]:
        """1-based numbers of the paragraphs that break off mid-sentence."""
        return [
            i for i, b in enumerate(self.blocks, 1) if block_breaks_off(b.type, b.text, b.marks)
        ]


# Note markers a sentence may end with: "[3]", "¹²", "[^2]".
_TRAILING_NOTES = re.compile(r"(?:\[\^?[\w-]{1,8}\]|[\u00b9\u00b2\u00b3\u2070-\u2079]+)+$")
_INNER_SENTENCE = re.compile(r"[.!?…。！？]\s")
LABEL_WORDS = 8


def breaks_off(paragraph: str) -> bool:
    """Whether a paragraph stops mid-sentence (as in a text cut off in the source).

    Not flagged: a paragraph ending in a sentence end before closing quotes, brackets and note
    markers ("…on.[3]"); one that closes with a parenthetical after a full sentence ("…speech.
    (Department of State, 748.00/6–2856)"); a short line with no sentence in it (a label, a
    name, a dateline: "TELEPHONE CALL FROM ALLEN DULLES").
    """
    text = paragraph.rstrip()
    stripped = _TRAILING_NOTES.sub("", text).rstrip().rstrip(CLOSERS).rstrip()
    stripped = _TRAILING_NOTES.sub("", stripped).rstrip().rstrip(CLOSERS)
    if not stripped or stripped[-1] in SENTENCE_END:
        return False
    if text.endswith(")") and "(" in text:
        before = text[: text.rfind("(")].rstrip().rstrip(CLOSERS)
        before = _TRAILING_NOTES.sub("", before).rstrip()
        if before and before[-1] in SENTENCE_END:
            return False
    return not (len(stripped.split()) <= LABEL_WORDS and not _INNER_SENTENCE.search(stripped))


_NUMBERED = re.compile(r"^\d{1,3}[.)]\s")


def block_breaks_off(kind: str, text: str, marks=()) -> bool:
    """Headings, list items and code are not sentences: only paragraphs and notes can break off.

    A paragraph in emphasis from end to end is a caption or a standfirst, and a numbered line
    with no sentence in it ("3. Report on Work of the Special Committee") a section's title.
    """
    if kind not in ("paragraph", "note") or not breaks_off(text):
        return False
    if any(k in ("em", "strong") and s <= 0 and e >= len(text.rstrip()) for k, s, e, _v in marks):
        return False
    return not (_NUMBERED.match(text) and not _INNER_SENTENCE.search(text[3:]))


def split_paragraphs(body: str) -> list[Paragraph]:
    """The stored text's paragraphs with their offsets."""
    paragraphs: list[Paragraph] = []
    position = 0
    for number, text in enumerate(body.split(PARAGRAPH_SEPARATOR), 1):
        paragraphs.append(Paragraph(number, position, position + len(text), text))
        position += len(text) + len(PARAGRAPH_SEPARATOR)
    return paragraphs


def normalise_newlines(value: str) -> str:
    """Text as typed or pasted: Unix newlines, NFC."""
    return unicodedata.normalize("NFC", value.replace("\r\n", "\n").replace("\r", "\n"))


def normalise_body(body: str) -> str:
    """An edited body in stored form: one blank line between paragraphs, no trailing spaces."""
    body = unicodedata.normalize("NFC", body.replace("\r\n", "\n").replace("\r", "\n"))
    blocks = re.split(r"\n\s*\n", body.strip())
    return PARAGRAPH_SEPARATOR.join(" ".join(block.split()) for block in blocks if block.strip())


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str  # as named to editors: "utf-8", "utf-16", "cp1252"…


def decode(data: bytes, *, name: str = "the file") -> str:
    """Bytes to text; refuse empty, binary and undecodable files with a reason."""
    return read(data, name=name).text


def read(data: bytes, *, name: str = "the file") -> Decoded:
    """Bytes to text and the encoding they were in (UTF-8 and UTF-16 by their marks, others
    detected by charset-normalizer); refuse empty, binary and unreadable files with a reason."""
    if not data.strip():
        raise UnreadableText(f"{name} is empty.")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text, encoding = data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise UnreadableText(f"{name} claims to be UTF-16 but is not: {exc.reason}.") from exc
    else:
        if b"\x00" in data[:8192]:
            raise UnreadableText(f"{name} is a binary file, not text.")
        try:
            text, encoding = data.decode("utf-8-sig"), "utf-8"
        except UnicodeDecodeError as exc:
            text, encoding = _detect(data, name=name, error=exc)
    controls = len(_CONTROLS.findall(text))
    if controls > max(3, len(text) // 100):
        raise UnreadableText(f"{name} looks like a binary file, not text.")
    if not text.strip():
        raise UnreadableText(f"{name} holds only blank space.")
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    return Decoded(text, encoding)


# Control characters (Unicode's Cc: U+0000–U+001F and U+007F–U+009F) but line breaks, tabs
# and form feeds: a text with many is a binary file.
_CONTROLS = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")


def _detect(data: bytes, *, name: str, error: UnicodeDecodeError) -> tuple[str, str]:
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise UnreadableText(
            f"{name} is not UTF-8 text (byte 0x{data[error.start]:02x} at position "
            f"{error.start} cannot be read) and its encoding could not be recognised. "
            "Save it as UTF-8 and import it again."
        ) from error
    return str(best), best.encoding


# --- front matter ------------------------------------------------------------------------

_FRONT_MATTER = re.compile(r"\A(---|\+\+\+)[ \t]*\n(.*?\n)?\1[ \t]*(?:\n|\Z)", re.DOTALL)
# Front matter keys, as tools write them, and the article field each fills.
METADATA_KEYS = {
    "title": "title",
    "kicker": "kicker",
    "subtitle": "kicker",
    "author": "author",
    "authors": "author",
    "creator": "author",
    "date": "publication_date",
    "published": "publication_date",
    "publication_date": "publication_date",
    "year": "publication_date",
    "publication": "publication",
    "publisher": "publication",
    "journal": "publication",
    "source": "source",
    "url": "source_url",
    "source_url": "source_url",
    "link": "source_url",
    "license": "rights",
    "licence": "rights",
    "rights": "rights",
    "copyright": "rights",
    "language": "language",
    "lang": "language",
    "aliases": "aliases",
}


def split_front_matter(text: str) -> tuple[dict[str, str], str]:
    """(metadata, the rest) of a text that may open with YAML (---) or TOML (+++) front matter.

    Keys are mapped to article fields (``METADATA_KEYS``); values become strings (lists are
    joined with ", "; dates written as ISO dates). Unknown keys are kept under their own name.
    """
    match = _FRONT_MATTER.match(text)
    if match is None:
        return {}, text
    raw = match.group(2) or ""
    rest = text[match.end() :]
    try:
        if match.group(1) == "+++":
            data = tomllib.loads(raw)
        else:
            import frontmatter

            data = frontmatter.loads(f"---\n{raw}---\n").metadata
    except Exception as exc:  # YAML and TOML errors have no common base
        raise UnreadableText(
            f"The front matter (the lines between {match.group(1)} at the top) cannot be "
            f"read: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}."
        ) from exc
    if not isinstance(data, dict):
        return {}, rest
    metadata: dict[str, str] = {}
    for key, value in data.items():
        name = METADATA_KEYS.get(str(key).lower(), str(key).lower())
        text_value = _as_text(value)
        if name == "source" and text_value.startswith(("http://", "https://")):
            name = "source_url"
        elif name == "source":
            name = "publication"
        if text_value and name not in metadata:
            metadata[name] = text_value
    return metadata, rest


def _as_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()[:10]
    if isinstance(value, list | tuple):
        return ", ".join(_as_text(v) for v in value if _as_text(v))
    return " ".join(str(value).split())


# --- parsing -----------------------------------------------------------------------------

_MARKDOWN_HINTS = re.compile(
    r"^(?:#{1,6}\s|>\s?|[-*+]\s|\d{1,3}[.)]\s|```|\[\^[^\]]+\]:)|\*\*|\[\[|\]\(|(?<!\w)_[^_\n]+_(?!\w)",
    re.MULTILINE,
)


def looks_like_markdown(text: str) -> bool:
    """Whether pasted text is Markdown: front matter, headings, quotes, lists, links, emphasis."""
    if _FRONT_MATTER.match(text) or re.search(r"^#{1,6} \S", text, re.MULTILINE):
        return True
    return len(_MARKDOWN_HINTS.findall(text)) >= 2


def parse_plain(text: str) -> ParsedText:
    """Hard-wrapped, indented plain text: blocks split on blank lines, lines joined, lines that
    start list items ("(1) …", "1. …") kept as items."""
    metadata, text = split_front_matter(text)
    blocks = structure.plain_blocks(re.split(r"\n[ \t]*\n", text))
    return _titled(blocks, metadata=metadata, markdown=False)


def parse_markdown(text: str) -> ParsedText:
    """Markdown: the front matter's title, else the first level-1 heading, is the title."""
    metadata, text = split_front_matter(text)
    title, blocks = structure.markdown_blocks(text)
    if title:
        blocks.insert(0, structure.Block(text=title))
    return _titled(blocks, metadata=metadata, markdown=True)


def _same(a: str, b: str) -> bool:
    return a.casefold() == b.casefold()


def _titled(blocks: list[structure.Block], *, metadata: dict, markdown: bool) -> ParsedText:
    if not blocks:
        raise UnreadableText("There is no text in it.")
    title = metadata.get("title", "")
    if title:
        if _same(blocks[0].text, title):
            blocks = blocks[1:]
    else:
        title = blocks[0].text
        blocks = blocks[1:]
    if len(title) > MAX_TITLE_LENGTH:
        raise UnreadableText(
            "The first line should be the title, but it is a whole paragraph "
            f"({len(title)} characters). Put the title on a line of its own."
        )
    kicker = metadata.get("kicker", "")
    # Up to two short lines before the body: a kicker and the title repeated, in either order.
    for _ in range(2):
        if not blocks:
            break
        head = blocks[0]
        if _same(head.text, title):
            blocks = blocks[1:]
        elif (
            not kicker
            and head.type == "paragraph"
            and not head.quote
            and len(head.text) <= MAX_KICKER_LENGTH
            and not head.text.rstrip(CLOSERS).endswith((".", "!", "?"))
            and len(blocks) > 1
        ):
            kicker = head.text
            blocks = blocks[1:]
        else:
            break
    if not blocks:
        raise UnreadableText("It has a title but no paragraphs of text.")
    return ParsedText(
        title=title, kicker=kicker, blocks=blocks, metadata=metadata, markdown=markdown
    )


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


# Where a sentence ends for ``sentence_around``: an end mark and a space, or a paragraph break.
_SENTENCE_BREAK = re.compile(r"[.!?…。！？؟]['’”»)\]]*\s+|\n\n")


def sentence_around(body: str, start: int, end: int, *, limit: int = 160) -> tuple[str, str, str]:
    """(before, words, after): the sentence that holds ``body[start:end]``, at most ``limit``
    characters on each side (cut at a word, marked with "…"), for an editor to judge a
    suggestion by. Reads only the text near the words, however long the body."""
    window_start = max(0, start - limit)
    before = body[window_start:start]
    breaks = list(_SENTENCE_BREAK.finditer(before))
    if breaks:
        before = before[breaks[-1].end() :]
    elif window_start > 0:
        before = "…" + before.split(" ", 1)[-1] if " " in before else "…" + before
    after = body[end : end + limit]
    found = _SENTENCE_BREAK.search(after)
    if found:
        after = after[: found.start() + 1].rstrip()
    elif end + limit < len(body):
        after = (after.rsplit(" ", 1)[0] if " " in after else after) + "…"
    return before, body[start:end], after
