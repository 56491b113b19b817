"""Name folding and fuzzy matching shared by the catalogue and the gazetteer."""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Iterable

__all__ = ["fold", "shorten", "suggest"]

# Letters that NFKD does not split into a base letter and a mark.
_SPECIAL = str.maketrans({"ø": "o", "ł": "l", "đ": "d", "ß": "ss", "æ": "ae", "œ": "oe", "ı": "i"})


def fold(name: str) -> str:
    """Return the key a name is matched by: no case, accents, spaces or punctuation.

    >>> fold("  Storm-Shadow ")
    'stormshadow'
    >>> fold("Kraków") == fold("krakow")
    True
    """
    text = unicodedata.normalize("NFKD", name.casefold().translate(_SPECIAL))
    return "".join(ch for ch in text if ch.isalnum() and not unicodedata.combining(ch))


def suggest(query: str, keys: Iterable[str], *, limit: int = 3, cutoff: float = 0.6) -> list[str]:
    """Return up to ``limit`` of ``keys`` closest to ``query``, best first, ties by key.

    Both ``query`` and the keys are folded before they are compared; the keys are returned as
    given. The order is deterministic.
    """
    target = fold(query)
    if not target:
        return []
    scored: dict[str, float] = {}
    matcher = difflib.SequenceMatcher(autojunk=False)
    matcher.set_seq2(target)
    for key in keys:
        folded = fold(key)
        if not folded:
            continue
        matcher.set_seq1(folded)
        if matcher.real_quick_ratio() < cutoff or matcher.quick_ratio() < cutoff:
            continue
        score = matcher.ratio()
        if folded.startswith(target) or target.startswith(folded):
            score = max(score, 0.8)
        if score >= cutoff and score > scored.get(key, -1.0):
            scored[key] = score
    ranked = sorted(scored.items(), key=lambda item: (-item[1], item[0]))
    return [key for key, _ in ranked[:limit]]


def shorten(text: str, limit: int = 80) -> str:
    """``text`` cut to ``limit`` characters with an ellipsis, for error messages that repeat
    what a user gave.

    >>> shorten("x" * 100, 10)
    'xxxxxxxxx…'
    """
    return text if len(text) <= limit else text[: limit - 1] + "…"
