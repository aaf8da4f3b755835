"""How hard a passage is to read: figures a teacher can compare (original against adapted).

Flesch reading ease in the language's own form where textstat has one (English; Amstad's for
German, Fernández Huerta's for Spanish, Kandel and Moles's for French, Flesch–Vacca for
Italian, Douma for Dutch, Oborneva for Russian, and textstat's Hungarian constants). Other
languages get what can be counted honestly in any script that separates words with spaces
(words, sentences, words per sentence) and no score: a figure from English syllable rules
would mislead. Scripts written without spaces between words (Chinese, Japanese, Thai, Khmer…)
get the length in characters only.

No Django here: fast to test, used when a lesson is built.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Languages textstat has Flesch constants (and syllable rules) for.
FLESCH_LANGUAGES = frozenset({"en", "de", "es", "fr", "it", "nl", "ru", "hu"})
# Scripts that do not separate words with spaces: words cannot be counted by spaces.
UNSPACED = ("CJK", "HIRAGANA", "KATAKANA", "THAI", "KHMER", "LAO", "MYANMAR", "TIBETAN")

BANDS = (
    (90, "very easy"),
    (80, "easy"),
    (70, "fairly easy"),
    (60, "plain"),
    (50, "fairly difficult"),
    (30, "difficult"),
    (float("-inf"), "very difficult"),
)

_SENTENCE_END = re.compile(r"[.!?…。！？؟।]+[\"'”’»)]*(?:\s|$)")
_WORD = re.compile(r"\w+(?:[’'-]\w+)*")


def language_root(language: str) -> str:
    return (language or "en").split("-")[0].split("_")[0].lower()


def band(score: float) -> str:
    return next(label for floor, label in BANDS if score >= floor)


def _unspaced(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return False
    odd = sum(1 for c in letters if unicodedata.name(c, "").startswith(UNSPACED))
    return odd > len(letters) / 3


def figures(text: str, language: str) -> dict | None:
    """Readability figures of a passage, or None for an empty one.

    ``score`` and ``band`` (Flesch reading ease: higher is easier) are None where the language
    has no formula; ``words``, ``sentences`` and ``words_per_sentence`` are None where words
    are not separated by spaces (``characters`` is always there).
    """
    text = (text or "").strip()
    if not text:
        return None
    root = language_root(language)
    out = {
        "language": root,
        "characters": len(text),
        "words": None,
        "sentences": None,
        "words_per_sentence": None,
        "score": None,
        "band": None,
        "formula": None,
    }
    if _unspaced(text):
        return out
    words = len(_WORD.findall(text))
    sentences = max(1, len(_SENTENCE_END.findall(text)))
    out.update(words=words, sentences=sentences, words_per_sentence=round(words / sentences, 1))
    if root in FLESCH_LANGUAGES and words:
        score = _flesch(text, root)
        if score is not None:
            score = max(0.0, min(100.0, score))
            out.update(score=round(score), band=band(score), formula="Flesch reading ease")
    return out


def _flesch(text: str, root: str) -> float | None:
    try:
        stats = _statistics(root)
        return float(stats.flesch_reading_ease(text))
    except Exception:
        return None


@lru_cache(maxsize=16)
def _statistics(root: str):
    """A textstat instance of its own per language (``set_lang`` on the shared one would
    change the language of every thread)."""
    from textstat.textstat import textstatistics

    stats = textstatistics()
    stats.set_lang(root)
    stats.set_rounding_points(None)
    return stats


def compare(original: dict | None, adapted: dict | None) -> str:
    """A sentence for teachers: how much easier the adapted version reads."""
    if not original or not adapted:
        return ""
    if original["score"] is not None and adapted["score"] is not None:
        return (
            f"Reading ease {original['score']} ({original['band']}) → {adapted['score']} "
            f"({adapted['band']})"
        )
    if original["words"] and adapted["words"]:
        return (
            f"{original['words']} words, {original['words_per_sentence']} a sentence → "
            f"{adapted['words']} words, {adapted['words_per_sentence']} a sentence"
        )
    return f"{original['characters']} characters → {adapted['characters']} characters"
