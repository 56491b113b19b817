"""Which one of a kind of object is in use: a default, and a choice per thread and task.

The catalogue and the gazetteer each have a default object that the module-level functions
use, and a ``use_*`` that chooses another: called plainly, the choice lasts until the next
call; used in a ``with`` block, the previous one comes back when the block ends. The choice
lives in a :mod:`contextvars` variable, so it is per thread and per asyncio task. One
:class:`Current` holds that rule for each kind, and :class:`Use` is the base of each
``use_*``.

>>> import os
>>> current = Current("example", 0, int, lambda path: len(os.fspath(path)), "give an int")
>>> with Use(current, "four") as chosen:  # a path, read by the loader
...     print(chosen, current.get())
4 4
>>> current.get(), Use(current, 7).chosen, current.get(), Use(current, None).chosen
(0, 7, 7, 0)
>>> Use(current, 2.5)
Traceback (most recent call last):
...
weaponsref.errors.ArgumentError: give an int (got 2.5 that is a float)
"""

from __future__ import annotations

import contextvars
import os
from collections.abc import Callable
from typing import Generic, TypeVar

from weaponsref._text import shorten
from weaponsref.errors import ArgumentError

__all__ = ["Current", "Use"]

_T = TypeVar("_T")


class Current(Generic[_T]):
    """The object of one kind the module-level functions use now: ``default`` unless a
    :class:`Use` chose another in this thread or task.

    ``kind`` is the type a choice is taken as it is; a path (a str or an
    :class:`os.PathLike`) is turned into one by ``load``; ``wanted`` begins the message of
    the :class:`~weaponsref.errors.ArgumentError` that anything else raises, and says what
    is taken (``"catalogue must be a Catalogue, the path of a TOML file or None"``).
    """

    def __init__(
        self,
        name: str,
        default: _T,
        kind: type[_T],
        load: Callable[[str | os.PathLike[str]], _T],
        wanted: str,
    ) -> None:
        self.default = default
        self._kind = kind
        self._load = load
        self._wanted = wanted
        # Made once, when its module is imported, as contextvars asks.
        self._var: contextvars.ContextVar[_T] = contextvars.ContextVar(name, default=default)

    def get(self) -> _T:
        """The object in use now, in this thread or task."""
        return self._var.get()

    def set(self, chosen: _T) -> contextvars.Token[_T]:
        """Make ``chosen`` the object in use in this thread or task; the token puts the
        previous one back (:meth:`reset`)."""
        return self._var.set(chosen)

    def reset(self, token: contextvars.Token[_T]) -> None:
        """Put back the object in use before the :meth:`set` that gave ``token``."""
        self._var.reset(token)

    def resolve(self, value: object) -> _T:
        """What ``value`` chooses: the default for None, an object of the kind as it is, a
        path as ``load`` reads it (raising what ``load`` raises); anything else raises
        :class:`~weaponsref.errors.ArgumentError` (a TypeError)."""
        if value is None:
            return self.default
        if isinstance(value, self._kind):
            return value
        if isinstance(value, str | os.PathLike):
            return self._load(value)
        raise ArgumentError(
            f"{self._wanted} (got {shorten(repr(value))} that is a {type(value).__name__})"
        )


class Use(Generic[_T]):
    """Choose what ``value`` names (see :meth:`Current.resolve`) as the object ``current``
    gives from now on in this thread or task; as a context manager, it gives the chosen
    object and puts the previous one back when the block ends."""

    def __init__(self, current: Current[_T], value: object) -> None:
        self._current = current
        self._chosen = current.resolve(value)
        self._token = current.set(self._chosen)

    @property
    def chosen(self) -> _T:
        """The object chosen."""
        return self._chosen

    def __enter__(self) -> _T:
        return self._chosen

    def __exit__(self, *exc: object) -> None:
        self._current.reset(self._token)
