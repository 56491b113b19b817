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
    """``text`` cut to :data:`ARGUMENT_LIMIT` characters with an ellipsis.

    >>> cap("x" * 100) == "x" * 79 + "…"
    True
    """
    return shorten(text, ARGUMENT_LIMIT)


@contextlib.contextmanager
def given_arguments(words: Sequence[str]) -> Iterator[None]:
    """While the block runs, :func:`one_line` cuts ``words`` in every message."""
    token = _GIVEN.set(tuple(words))
    try:
        yield
    finally:
        _GIVEN.reset(token)


def _cut(message: str, form: str) -> str:
    """``message`` with every run of more than :data:`ARGUMENT_LIMIT` characters that starts
    ``form`` (the whole of it, or a part another function cut, with its ellipsis) cut to
    :data:`ARGUMENT_LIMIT` with an ellipsis.

    >>> _cut("got '" + "z" * 90 + "…' twice: " + "z" * 200, "z" * 200) == (
    ...     "got '" + "z" * 79 + "…' twice: " + "z" * 79 + "…")
    True
    """
    head = form[:ARGUMENT_LIMIT]
    pieces: list[str] = []
    start = 0
    while (found := message.find(head, start)) >= 0:
        end = found + len(head)
        while end < len(message) and end - found < len(form) and message[end] == form[end - found]:
            end += 1
        if message.startswith("…", end):
            end += 1
        pieces += [message[start:found], cap(form)]
        start = end
    return "".join(pieces) + message[start:]


def one_line(message: str) -> str:
    """``message`` as one printable line of at most :data:`MESSAGE_LIMIT` characters, with
    each argument of the command line being run (see :func:`given_arguments`) that is longer
    than :data:`ARGUMENT_LIMIT` characters cut to that length wherever it appears: as typed,
    quoted, without its surrounding spaces, or already cut to some other length.

    >>> with given_arguments(["show", "y" * 1000]):
    ...     line = one_line(f"no system named {'y' * 1000!r};\\nrun 'weaponsref list'")
    >>> line == "no system named '" + "y" * 79 + "…'; run 'weaponsref list'"
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
