"""Name folding, fuzzy matching and one name index, shared by the catalogue and the gazetteer.

Every name weaponsref looks up (a system, a place, a country) is matched by :func:`fold`:
whatever its case, accents, spaces and punctuation. :class:`NameIndex` holds values by their
folded names and aliases and suggests close names for one it does not hold.
"""

from __future__ import annotations

import csv
import difflib
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, Final, Generic, Protocol, TypeVar, overload

if TYPE_CHECKING:
    import _csv

__all__ = [
    "FORMULA_STARTS",
    "NameIndex",
    "csv_writer",
    "fold",
    "joined_labels",
    "shorten",
    "shown_path",
    "spreadsheet_safe",
    "suggest",
]

_V = TypeVar("_V")
_D = TypeVar("_D")

# Letters that NFKD does not split into a base letter and a mark.
_SPECIAL = str.maketrans({"ø": "o", "ł": "l", "đ": "d", "ß": "ss", "æ": "ae", "œ": "oe", "ı": "i"})
# Every ASCII byte that is not a letter or digit, for fold's fast path.
_ASCII_DROP = bytes(c for c in range(128) if not chr(c).isalnum())


def _fold_unicode(name: str) -> str:
    """:func:`fold` for any text: casefold, special letters, NFKD, then letters and digits
    without their combining marks."""
    text = unicodedata.normalize("NFKD", name.casefold().translate(_SPECIAL))
    return "".join(ch for ch in text if ch.isalnum() and not unicodedata.combining(ch))


def fold(name: str) -> str:
    """Return the key a name is matched by: no case, accents, spaces or punctuation.

    ASCII text (most names) takes a fast path that gives the same key: for ASCII, casefolding
    is lowercasing, NFKD changes nothing and there are no combining marks, so dropping what
    is not a letter or digit is all there is to do. The gazetteer's databases are indexed by
    these keys.

    >>> fold("  Storm-Shadow ")
    'stormshadow'
    >>> fold("Kraków") == fold("krakow")
    True
    """
    if name.isascii():
        return name.encode("ascii").lower().translate(None, _ASCII_DROP).decode("ascii")
    return _fold_unicode(name)


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


def joined_labels(labels: Sequence[str]) -> str:
    """Labels as one phrase, as titles and verdicts name several origins.

    >>> joined_labels(["A"]), joined_labels(["A", "B"]), joined_labels(["A", "B", "C"])
    ('A', 'A and B', 'A, B and C')
    >>> joined_labels(["A", "B", "C", "D", "E", "F", "G"])
    'A, B, C and 4 more'
    """
    if len(labels) > 4:
        return f"{', '.join(labels[:3])} and {len(labels) - 3} more"
    if len(labels) == 1:
        return labels[0]
    return f"{', '.join(labels[:-1])} and {labels[-1]}"


def shorten(text: str, limit: int = 80) -> str:
    """``text`` cut to ``limit`` characters with an ellipsis, for error messages that repeat
    what a user gave.

    >>> shorten("x" * 100, 10)
    'xxxxxxxxx…'
    """
    return text if len(text) <= limit else text[: limit - 1] + "…"


#: The most characters of a file's path an error repeats: a whole path as deep folders make
#: it (the length of a user's home, project and data folders together), yet not a flood.
PATH_LIMIT: Final = 300


def shown_path(path: str) -> str:
    """``path`` as an error names it: whole up to :data:`PATH_LIMIT` characters, else cut
    with an ellipsis; ``''`` when empty.

    >>> shown_path("/home/analyst/" + "d" * 100 + "/mine.toml") == (
    ...     "/home/analyst/" + "d" * 100 + "/mine.toml")
    True
    >>> len(shown_path("x" * 1000)), shown_path("")
    (300, "''")
    """
    return shorten(path, PATH_LIMIT) if path else "''"


#: The longest name :class:`NameIndex` folds or compares; longer ones name nothing it holds.
MAX_NAME: int = 1_000


class NameIndex(Generic[_V]):
    """Values found by a name or an alias, whatever its case, accents, spaces and punctuation
    (the names are folded with :func:`fold`).

    Built from ``(name, value)`` pairs, or with :meth:`add` a name and its aliases at a
    time. The first value to hold a folded name keeps it. :meth:`suggest` gives the names of
    the values whose names or aliases are close to an unknown one. Not thread-safe while it
    is being built; safe to read from any thread once built.

    >>> index = NameIndex([("Côte d'Ivoire", "CIV")])
    >>> index.add("United Kingdom", "GBR", aliases=["GB", "826"])
    []
    >>> index.get("cote d’ivoire"), index.get("united-kingdom"), index.get("gb")
    ('CIV', 'GBR', 'GBR')
    >>> index.suggest("United Kingdon")
    ['United Kingdom']
    """

    __slots__ = ("_by_key", "_names")

    def __init__(self, pairs: Iterable[tuple[str, _V]] = ()) -> None:
        self._by_key: dict[str, _V] = {}
        # Every name and alias as given -> the name of its value, for suggestions.
        self._names: dict[str, str] = {}
        for name, value in pairs:
            self.add(name, value)

    def add(self, name: str, value: _V, aliases: Iterable[str] = ()) -> list[tuple[str, _V | None]]:
        """Index ``value`` under ``name`` and each of ``aliases``; return what was refused.

        A refused name comes back as ``(name, None)`` when it folds to nothing (no letters
        or digits) and as ``(name, other)`` when it already names another value ``other``;
        an index that must name each value once raises on either. A name that already
        names ``value`` is no clash.
        """
        refused: list[tuple[str, _V | None]] = []
        for text in (name, *aliases):
            key = fold(text)
            if not key:
                refused.append((text, None))
                continue
            held = self._by_key.setdefault(key, value)
            if held is not value:
                refused.append((text, held))
                continue
            self._names.setdefault(text, name)
        return refused

    @overload
    def get(self, name: object) -> _V | None: ...
    @overload
    def get(self, name: object, default: _D) -> _V | _D: ...
    def get(self, name: object, default: object = None) -> object:
        """The value ``name`` names (any case, accents, spaces or punctuation), or
        ``default``; anything but a str names nothing."""
        if not isinstance(name, str) or len(name) > MAX_NAME:
            return default
        return self._by_key.get(fold(name), default)

    def __contains__(self, name: object) -> bool:
        return self.get(name, _MISSING) is not _MISSING

    def __len__(self) -> int:
        """How many folded names the index holds."""
        return len(self._by_key)

    def __iter__(self) -> Iterator[str]:
        """The folded names, in the order they were added."""
        return iter(self._by_key)

    def items(self) -> Iterable[tuple[str, _V]]:
        """``(folded name, value)`` for every name and alias, in the order they were added."""
        return self._by_key.items()

    def suggest(self, name: str, limit: int = 3, cutoff: float = 0.6) -> list[str]:
        """Up to ``limit`` names of values with a name or alias close to ``name``, best
        first, each once; deterministic. A name longer than :data:`MAX_NAME` has none."""
        if not isinstance(name, str) or len(name) > MAX_NAME:
            return []
        found: dict[str, None] = {}
        for text in suggest(name, self._names, limit=len(self._names), cutoff=cutoff):
            found.setdefault(self._names[text])
            if len(found) == limit:
                break
        return list(found)


_MISSING = object()


#: The first characters that make a spreadsheet (Excel, LibreOffice, Google Sheets) read a
#: cell as a formula (OWASP, "CSV Injection").
FORMULA_STARTS: Final = ("=", "+", "-", "@", "\t", "\r")
#: A plain decimal number, which a spreadsheet reads as a number and never runs.
_NUMBER: Final = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


def spreadsheet_safe(text: str) -> str:
    """``text`` as a CSV cell a spreadsheet shows as text and never runs.

    The rule: a cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return
    (:data:`FORMULA_STARTS`), after any apostrophes, gets one more apostrophe in front, which
    spreadsheets hide and which keeps the text as it was; anything else is unchanged. A cell
    that is a plain decimal number (``-33.9``, ``+5``, ``-1e3``) runs nothing and is left as
    it is, so a number stays a number even when it arrives as text. The rule can be undone:
    a program reading the file drops one leading apostrophe from a cell that, without its
    leading apostrophes, begins with one of :data:`FORMULA_STARTS`.

    >>> print(spreadsheet_safe('=HYPERLINK("https://example.com")'))
    '=HYPERLINK("https://example.com")
    >>> spreadsheet_safe("-33.9"), spreadsheet_safe("-51.3 km"), spreadsheet_safe("'=1")
    ('-33.9', "'-51.3 km", "''=1")
    >>> spreadsheet_safe("up to 621 mi"), spreadsheet_safe("'tis"), spreadsheet_safe("")
    ('up to 621 mi', "'tis", '')
    """
    bare = text.lstrip("'")
    if not bare.startswith(FORMULA_STARTS):
        return text
    if bare is text and _NUMBER.fullmatch(text):
        return text
    return "'" + text


class _Writable(Protocol):
    def write(self, text: str, /) -> Any: ...


class _LineFeeds:
    """A stream for :func:`csv_writer`: each row's CRLF ending written as LF."""

    __slots__ = ("_out",)

    def __init__(self, out: _Writable) -> None:
        self._out = out

    def write(self, line: str) -> Any:
        return self._out.write(line[:-2] + "\n" if line.endswith("\r\n") else line)


def csv_writer(out: _Writable, delimiter: str = ",") -> _csv.Writer:
    """A :func:`csv.writer` onto ``out`` whose rows end in ``\\n`` and whose cells holding a
    carriage return or a line feed are quoted.

    The csv module quotes a cell holding a character of the line ending only: with ``\\n``
    endings it leaves a lone ``\\r`` bare, and a spreadsheet (or the csv module reading
    the file back) then breaks the row there, so that what follows starts a new line, and
    may be run as a formula. Here rows are written with ``\\r\\n`` endings, which makes
    the module quote both, and each ending is written as ``\\n``.

    >>> import io
    >>> out = io.StringIO()
    >>> _ = csv_writer(out).writerow(["a", "b\\r=1+1", "c"])
    >>> out.getvalue()
    'a,"b\\r=1+1",c\\n'
    """
    return csv.writer(_LineFeeds(out), delimiter=delimiter, lineterminator="\r\n")
