"""Names in any script: slugs, sorting (the Unicode Collation Algorithm), sort names for people,
the glossary's letter groups, and the language and direction of a stretch of text.

No Django imports: pure and fast to test.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache

from unidecode import unidecode

# Scripts in the order the glossary shows them, each with a language tag for text in it that
# stands in a page of another language (a best guess: Han text may be Chinese or Japanese).
SCRIPTS = [
    ("Latin", "", "ltr"),
    ("Greek", "el", "ltr"),
    ("Cyrillic", "ru", "ltr"),
    ("Armenian", "hy", "ltr"),
    ("Georgian", "ka", "ltr"),
    ("Hebrew", "he", "rtl"),
    ("Arabic", "ar", "rtl"),
    ("Devanagari", "hi", "ltr"),
    ("Thai", "th", "ltr"),
    ("Khmer", "km", "ltr"),
    ("Hangul", "ko", "ltr"),
    ("Kana", "ja", "ltr"),
    ("Han", "zh", "ltr"),
]
_SCRIPT_ORDER = {name: i for i, (name, _lang, _dir) in enumerate(SCRIPTS)}
_SCRIPT_LANG = {name: lang for name, lang, _dir in SCRIPTS}
_SCRIPT_DIR = {name: direction for name, _lang, direction in SCRIPTS}
# Unicode character names start with the script's name ("CYRILLIC CAPITAL LETTER VE").
_NAME_PREFIX = {
    "LATIN": "Latin", "GREEK": "Greek", "CYRILLIC": "Cyrillic", "ARMENIAN": "Armenian",
    "GEORGIAN": "Georgian", "HEBREW": "Hebrew", "ARABIC": "Arabic", "DEVANAGARI": "Devanagari",
    "THAI": "Thai", "KHMER": "Khmer", "HANGUL": "Hangul", "HIRAGANA": "Kana", "KATAKANA": "Kana",
    "CJK": "Han",
}  # fmt: skip


@lru_cache(maxsize=8192)
def script_of(char: str) -> str:
    """The script of one letter ("" for digits, punctuation and spaces)."""
    if not char.isalpha():
        return ""
    if char.isascii():
        return "Latin"
    name = unicodedata.name(char, "")
    return _NAME_PREFIX.get(name.split(" ", 1)[0], "Other")


def main_script(text: str) -> str:
    for char in text:
        script = script_of(char)
        if script:
            return script
    return ""


def language_of_script(script: str) -> str:
    return _SCRIPT_LANG.get(script, "")


def direction_of_script(script: str) -> str:
    return _SCRIPT_DIR.get(script, "ltr")


def script_runs(text: str, *, base: str = "Latin") -> list[tuple[int, int, str, str]]:
    """Stretches of ``text`` in a script other than ``base``: (start, end, lang, dir).

    A stretch runs from its first to its last letter in that script, taking in the spaces,
    digits and punctuation between (so “لعام 1956” is one right-to-left stretch)."""
    runs: list[list] = []
    for index, char in enumerate(text):
        script = script_of(char)
        if not script:
            continue
        if runs and runs[-1][2] == script:
            runs[-1][1] = index + 1
            continue
        runs.append([index, index + 1, script])
    result = []
    for start, end, script in runs:
        if script in (base, "Other", "Latin"):
            continue
        # Digits right after a right-to-left stretch belong to it ("لعام 1956").
        if direction_of_script(script) == "rtl":
            match = re.match(r"[\s\d\u0660-\u0669\u06f0-\u06f9]*\d", text[end:])
            if match:
                end += match.end()
        lang = language_of_script(script)
        if script == "Arabic" and _PERSIAN.search(text[start:end]):
            lang = "fa"
        result.append((start, end, lang, direction_of_script(script)))
    return result


_PERSIAN = re.compile("[پچژگ\u06f0-\u06f9]")
# The script a language is written in, for the languages articles come in.
_LANGUAGE_SCRIPT = {
    "ru": "Cyrillic", "uk": "Cyrillic", "bg": "Cyrillic", "sr": "Cyrillic", "el": "Greek",
    "he": "Hebrew", "yi": "Hebrew", "ar": "Arabic", "fa": "Arabic", "ur": "Arabic",
    "hi": "Devanagari", "mr": "Devanagari", "ne": "Devanagari", "th": "Thai", "km": "Khmer",
    "ka": "Georgian", "hy": "Armenian", "ko": "Hangul", "ja": "Kana", "zh": "Han",
}  # fmt: skip


def script_of_language(language: str) -> str:
    """The script a language tag's language is written in ("Latin" for those not listed)."""
    return _LANGUAGE_SCRIPT.get((language or "").split("-")[0].lower(), "Latin")


def direction_of_language(language: str) -> str:
    return direction_of_script(script_of_language(language))


# --- slugs -------------------------------------------------------------------------------


def slug(text: str, *, fallback: str = "item", max_length: int = 200) -> str:
    """An ASCII slug in any script: transliterated (Unidecode), never empty, never “untitled”.

    "Władysław Gomułka" → wladyslaw-gomulka; "Венгерское восстание" → vengerskoe-vosstanie;
    "匈牙利十月事件" → xiong-ya-li-shi-yue-shi-jian. Text Unidecode cannot spell gets the
    fallback and a short digest of the text, so two such names do not collide."""
    ascii_text = unidecode(unicodedata.normalize("NFC", text or ""), errors="ignore")
    value = re.sub(r"[^\w\s-]", "", ascii_text.lower())
    value = re.sub(r"[-\s_]+", "-", value).strip("-")[:max_length].strip("-")
    if value:
        return value
    digest = hashlib.sha256((text or "").encode()).hexdigest()[:8]
    return f"{fallback}-{digest}"


# --- sorting -----------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _collator():
    from pyuca import Collator

    return Collator()


@lru_cache(maxsize=16384)
def sort_key(text: str) -> tuple[int, ...]:
    """The Unicode Collation Algorithm's key (DUCET): Á sorts with A, Ł with L, Greek after
    Latin and before Cyrillic, and case only breaks ties ("ÁVH" among the A's, "apple" and
    "Apple" together)."""
    return tuple(_collator().sort_key(unicodedata.normalize("NFC", text or "")))


def collation_key(text: str, *, max_length: int = 255) -> str:
    """The sort key as a string a database orders correctly (fixed-width hex of each weight)."""
    return "".join(f"{w:04x}" for w in sort_key(text))[:max_length]


_PARTICLES = {"de", "da", "del", "della", "di", "du", "la", "le", "van", "von", "der", "den",
              "ten", "ter", "bin", "ibn", "al", "el"}  # fmt: skip


def person_sort_name(name: str) -> str:
    """How a person is filed: "Imre Nagy" → "Nagy, Imre"; "Charles de Gaulle" → "de Gaulle,
    Charles"; a name already with a comma, a single word, or a name in a script written
    without spaces stays as it is."""
    name = " ".join(name.split())
    words = name.split(" ")
    if "," in name or len(words) < 2:
        return name
    last = len(words) - 1
    while last > 1 and words[last - 1].lower() in _PARTICLES:
        last -= 1
    return f"{' '.join(words[last:])}, {' '.join(words[:last])}"


def sorted_by_name(items, key=lambda item: str(item)):
    return sorted(items, key=lambda item: sort_key(key(item)))


# --- glossary letters --------------------------------------------------------------------


def letter(name: str) -> tuple[int, str, str]:
    """(script order, script, letter) of the group a name is filed under: its first letter
    without accents, in capitals, in its own script (Greek Ο is not Latin O); "#" for names
    that start with a digit or a sign. Han names are one group, as CJK has no alphabet."""
    for char in name.strip():
        if char.isdigit():
            return (len(SCRIPTS) + 1, "", "#")
        script = script_of(char)
        if not script:
            continue
        base = unicodedata.normalize("NFD", char)[0]
        if script == "Han":
            return (_SCRIPT_ORDER["Han"], script, "漢")
        if script == "Hangul":
            base = unicodedata.normalize("NFD", char)[0]
        return (_SCRIPT_ORDER.get(script, len(SCRIPTS)), script, base.upper())
    return (len(SCRIPTS) + 1, "", "#")
