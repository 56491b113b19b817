"""What every module of the command line shares: its error, its exit status and the one-line
form of a message.

A message may repeat what the user typed. Every argument longer than
:data:`ARGUMENT_LIMIT` characters is cut to that length with an ellipsis wherever it appears
in a message, and the whole line to :data:`MESSAGE_LIMIT`, so that a 100,000-character
argument is never echoed whole.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator, Sequence
from typing import Final

from weaponsref._text import shorten
from weaponsref.errors import WeaponsrefError

__all__ = [
    "ARGUMENT_LIMIT",
    "CATALOGUE_ENV",
    "EXIT_ERROR",
    "MESSAGE_LIMIT",
    "CommandLineError",
    "cap",
    "given_arguments",
    "one_line",
]

#: The exit status of every error.
EXIT_ERROR: Final = 2
#: The environment variable naming a catalogue file, used when --catalogue is not given.
CATALOGUE_ENV: Final = "WEAPONSREF_CATALOGUE"
#: The most characters of one argument a message repeats.
ARGUMENT_LIMIT: Final = 80
#: The most characters of one message.
MESSAGE_LIMIT: Final = 300

#: The arguments of the command line being run, so that a message can cut them.
_GIVEN: contextvars.ContextVar[tuple[str, ...]] = contextvars.ContextVar(
    "weaponsref_cli_given", default=()
)


class CommandLineError(WeaponsrefError, ValueError):
    """A mistake in the command line that the library did not see; main() prints it."""


def cap(text: str) -> str:
    """``text`` cut to :data:`ARGUMENT_LIMIT` characters: its start and its end with an
    ellipsis between them, so that a long path still shows where it starts and its file's
    name, and a quoted argument keeps its closing quote.

    >>> cap("x" * 100) == "x" * 39 + "…" + "x" * 40
    True
    >>> cap("/home/analyst/" + "d" * 100 + "/mine.toml")[-11:]
    'd/mine.toml'
    """
    if len(text) <= ARGUMENT_LIMIT:
        return text
    head = (ARGUMENT_LIMIT - 1) // 2
    return text[:head] + "…" + text[len(text) - (ARGUMENT_LIMIT - 1 - head) :]


@contextlib.contextmanager
def given_arguments(words: Sequence[str]) -> Iterator[None]:
    """While the block runs, :func:`one_line` cuts ``words`` in every message."""
    token = _GIVEN.set(tuple(words))
    try:
        yield
    finally:
        _GIVEN.reset(token)


def _cut(message: str, form: str) -> str:
    """``message`` with every run that starts ``form`` and is either longer than
    :data:`ARGUMENT_LIMIT` characters or a part of it another function cut (its first
    ``ARGUMENT_LIMIT // 2`` characters or more, then an ellipsis) replaced by
    :func:`cap` of ``form``. A run already cut by :func:`cap` is left as it is.

    >>> cut = "z" * 39 + "…" + "z" * 40
    >>> _cut("got '" + "z" * 90 + "…' twice: " + "z" * 200, "z" * 200) == (
    ...     f"got '{cut}' twice: {cut}")
    True
    >>> _cut(f"got '{cut}'", "z" * 200) == f"got '{cut}'"
    True
    """
    head = form[: ARGUMENT_LIMIT // 2]
    pieces: list[str] = []
    start = searched = 0
    while (found := message.find(head, searched)) >= 0:
        end = found + len(head)
        while end < len(message) and end - found < len(form) and message[end] == form[end - found]:
            end += 1
        if message.startswith("…", end):
            end += 1
        elif end - found <= ARGUMENT_LIMIT:
            searched = found + 1  # short, and not cut: left as it is
            continue
        pieces += [message[start:found], cap(form)]
        start = searched = end
    return "".join(pieces) + message[start:]


def one_line(message: str) -> str:
    """``message`` as one printable line of at most :data:`MESSAGE_LIMIT` characters, with
    each argument of the command line being run (see :func:`given_arguments`) that is longer
    than :data:`ARGUMENT_LIMIT` characters cut to that length wherever it appears: as typed,
    quoted, without its surrounding spaces, or already cut to some other length.

    >>> with given_arguments(["show", "y" * 1000]):
    ...     line = one_line(f"no system named {'y' * 1000!r};\\nrun 'weaponsref list'")
    >>> line == "no system named '" + "y" * 39 + "…" + "y" * 40 + "'; run 'weaponsref list'"
    True
    """
    long = {word for word in _GIVEN.get() if len(word) > ARGUMENT_LIMIT}
    for word in sorted(long, key=len, reverse=True):
        forms = (word, repr(word)[1:], word.strip(), repr(word.strip())[1:])
        for form in dict.fromkeys(form for form in forms if len(form) > ARGUMENT_LIMIT):
            message = _cut(message, form)
    line = " ".join(message.split()) or "unknown error"
    line = "".join(c if c.isprintable() else "?" for c in line)
    return shorten(line, MESSAGE_LIMIT)
