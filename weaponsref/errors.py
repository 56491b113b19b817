"""The exceptions weaponsref raises.

Every error derives from :class:`WeaponsrefError` and also from the builtin it refines, so
``except LookupError`` or ``except ValueError`` in a user's code keeps working. Each keeps the
fields it was built from and survives :mod:`pickle`.

>>> import weaponsref as wr
>>> try:
...     wr.lookup("Bobr")
... except LookupError as error:
...     print(error)
no system named 'Bobr' in the catalogue; did you mean 'Bober'?
"""

from __future__ import annotations

import errno
import os
from collections.abc import Sequence
from typing import Any, Final

__all__ = [
    "AreaFileError",
    "ArgumentError",
    "ArgumentValueError",
    "CatalogueError",
    "CoordinateError",
    "DataFileError",
    "FormatError",
    "GazetteerFileError",
    "LimitError",
    "MissingExtraError",
    "NotYetPublishedError",
    "RecordError",
    "UnitError",
    "UnknownAreaError",
    "UnknownImportedAreaError",
    "UnknownPlaceError",
    "UnknownSourceError",
    "UnknownSystemError",
    "WeaponsrefError",
    "WeaponsrefWarning",
]


class WeaponsrefError(Exception):
    """The base of every error weaponsref raises on purpose."""


def _did_you_mean(suggestions: Sequence[str]) -> str:
    if not suggestions:
        return ""
    quoted = [repr(s) for s in suggestions]
    if len(quoted) == 1:
        return f"; did you mean {quoted[0]}?"
    return f"; did you mean {', '.join(quoted[:-1])} or {quoted[-1]}?"


def _rebuilt(
    kind: type[_UnknownName], name: str, suggestions: Sequence[str], extra: dict[str, Any]
) -> _UnknownName:
    """An unknown-name error with its keyword-only fields (``because``, ...), as unpickled."""
    return kind(name, suggestions, **extra)


class _UnknownName(WeaponsrefError):
    """Shared behaviour of the two 'no such name' errors."""

    what = "name"
    where = ""
    hint = ""

    def __init__(
        self, name: str, suggestions: Sequence[str] = (), *, because: str | None = None
    ) -> None:
        self.name = name
        self.suggestions = tuple(suggestions)
        #: Why the name names none, and the fix, said in place of the suggestions ("it is a
        #: country: measure from it with wr.area('Ukraine')"), or None.
        self.because = because
        super().__init__(name, self.suggestions)

    def _extra(self) -> dict[str, Any]:
        """The keyword-only fields that differ from their defaults, for pickling."""
        return {} if self.because is None else {"because": self.because}

    def __reduce__(self) -> tuple[Any, ...]:
        extra = self._extra()
        if extra:
            return (_rebuilt, (type(self), self.name, self.suggestions, extra))
        return (type(self), (self.name, self.suggestions))

    def __str__(self) -> str:
        tail = _did_you_mean(self.suggestions)
        if self.because:
            tail = f"{tail} {self.because}" if tail else f"; {self.because}"
        tail = tail or self.hint
        name = repr(self.name)
        if len(name) > 80:  # a long argument is cut, not repeated in full
            name = name[:79] + "…"
        return f"no {self.what} named {name} {self.where}{tail}"


class UnknownSystemError(_UnknownName, LookupError):
    """No system in the catalogue has this name or alias.

    ``suggestions`` holds up to three close names, best first.
    """

    what = "system"
    where = "in the catalogue"
    hint = "; run `weaponsref list` or call weaponsref.systems() to see every name"


class NotYetPublishedError(UnknownSystemError):
    """In a catalogue as of a day (``Catalogue.as_of``, ``--as-of``), a system the catalogue
    has but for which no range claim had been published by that day.

    A LookupError, and an :class:`UnknownSystemError` to code that catches those. ``name`` is
    the system's name, ``day`` the day asked about and ``first`` the first day its earliest
    dated range claim is public (ISO text), or None when none of its range claims is dated.

    >>> import weaponsref as wr
    >>> wr.default_catalogue().as_of("2023-01-01").lookup("SCALP")
    Traceback (most recent call last):
    ...
    weaponsref.errors.NotYetPublishedError: Storm Shadow has no range claim dated on or before 2023-01-01; its first is public from 2023-05-11: ask as of that day or later
    """

    def __init__(self, name: str, day: str, first: str | None = None) -> None:
        self.day = day
        self.first = first
        super().__init__(name, ())

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.name, self.day, self.first))

    def __str__(self) -> str:
        name = self.name if len(self.name) <= 80 else self.name[:79] + "…"
        text = f"{name} has no range claim dated on or before {self.day}"
        if self.first is None:
            return text + "; none of its range claims is dated"
        return f"{text}; its first is public from {self.first}: ask as of that day or later"


class UnknownSourceError(_UnknownName, LookupError):
    """No source in the bibliography has this id; ``suggestions`` holds close ids."""

    what = "source"
    where = "in the bibliography"
    hint = "; run `weaponsref sources` or call weaponsref.sources() to see every id"


class UnknownPlaceError(_UnknownName, LookupError):
    """No place in the gazetteer has this name.

    ``suggestions`` holds up to three close names, best first. When the name is an area's
    ("Crimea", "Ukraine"), ``area`` is that area's own name, ``area_own_name`` says whether
    the name given is it (or its code) and ``because`` says how to give it as an area; the
    message says that after the suggestions, which are left out for the area's own name.
    """

    what = "place"
    where = "in the gazetteer"
    hint = "; give coordinates as (latitude, longitude) in degrees instead"

    def __init__(
        self,
        name: str,
        suggestions: Sequence[str] = (),
        *,
        because: str | None = None,
        area: str | None = None,
        area_own_name: bool = False,
    ) -> None:
        super().__init__(name, suggestions, because=because)
        #: The own name of the area that ``name`` names ('Crimea' for 'Crimea' or 'Krym',
        #: 'Ukraine' for 'UA'), or None when it names none.
        self.area = area
        #: Whether ``name`` is that area's own name or code, not one of its other names
        #: (then it is no misspelt place, and no place suggestions are given).
        self.area_own_name = area_own_name

    def _extra(self) -> dict[str, Any]:
        extra = super()._extra()
        if self.area is not None:
            extra |= {"area": self.area, "area_own_name": self.area_own_name}
        return extra


class UnknownAreaError(UnknownPlaceError):
    """No country of the basemap has this name or ISO code (an area, not a place: caught by
    ``except UnknownPlaceError`` too). ``suggestions`` holds close country names."""

    what = "country or area"
    where = "on the basemap"
    hint = (
        "; give a country's name or ISO 3166 code ('Ukraine', 'UA', 'UKR', '804'), or a "
        "GeoJSON file"
    )


class UnknownImportedAreaError(UnknownAreaError):
    """No area the user imported has this name (raised when removing one); ``suggestions``
    holds close names among the imported areas."""

    what = "imported area"
    where = "among your imported areas"
    hint = "; list them with `weaponsref areas --kind imported`"


class _Described(WeaponsrefError):
    """An error built from one message, kept for pickling."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.message,))

    def __str__(self) -> str:
        return self.message


class RecordError(_Described, ValueError):
    """A record (source, claim, system, place) was built with a bad field.

    The message names the record and the field; ``field`` holds the field's name (such as
    ``value`` or ``claims[2].preferred``) where one field is at fault.
    """

    def __init__(self, message: str, field: str | None = None) -> None:
        self.field = field
        super().__init__(message)

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.message, self.field))


class ArgumentError(_Described, TypeError):
    """An argument of the wrong type, such as a number where a title belongs; the message
    names the argument, what was given and what it takes.

    >>> from weaponsref.maps import range_map
    >>> range_map(["500 km"], "Kyiv", title=5)
    Traceback (most recent call last):
    ...
    weaponsref.errors.ArgumentError: title must be a str or None (got 5 that is a int)
    """


class FormatError(_Described, ValueError):
    """An output format that weaponsref cannot write; the message lists the ones it can."""


class UnitError(_Described, ValueError):
    """A quantity could not be parsed, or has the wrong dimension for its use."""


class CoordinateError(_Described, ValueError):
    """A point is not a valid (latitude, longitude) pair in degrees, or cannot be read as one."""


class LimitError(_Described, ValueError):
    """A size asked for (vertices, pixels, indentation, points) is beyond what weaponsref will
    compute or draw; the message gives the allowed range."""


class MissingExtraError(_Described, ImportError):
    """An optional feature was used without its extra installed; the message names the fix."""


class ArgumentValueError(_Described, ValueError):
    """An argument of the right type with a value no call accepts (an unknown variant, a
    negative count, an empty list) that no more specific error (:class:`UnitError`,
    :class:`CoordinateError`, :class:`LimitError`, :class:`FormatError`) describes; the
    message names the argument, the value and what it takes."""


class LauncherError(ArgumentValueError):
    """A verdict, ring or map was asked of a launcher (HIMARS, M270) without naming a
    munition: a launcher has no range of its own. The message lists its munitions; give one
    as ``variant=``, or use a table, which gives one verdict per munition."""


class DataFileError(_Described, ValueError):
    """A data file is broken: a catalogue, a gazetteer database, a GeoNames dump or an area
    file. The message names the file, the place in it and the problem.

    ``path`` is the file, ``location`` the place in it such as ``systems[2].claims[0].value``
    or ``line 17`` (empty when the whole file is at fault) and ``problem`` what is wrong there.
    Every fault of a file weaponsref reads (missing, not a regular file, too large,
    unreadable, malformed) is one of these, never a foreign exception.
    """

    def __init__(self, path: str, location: str, problem: str) -> None:
        self.path = path
        self.location = location
        self.problem = problem
        where = f"{path}: {location}" if location else path
        super().__init__(f"{where}: {problem}")

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.path, self.location, self.problem))


class CatalogueError(DataFileError):
    """A catalogue file (TOML) is broken; see :class:`DataFileError`."""


class GazetteerFileError(DataFileError):
    """A gazetteer data file (``places.toml``, a gazetteer database) or a GeoNames dump is
    broken; see :class:`DataFileError`."""


class AreaFileError(DataFileError):
    """An area file (GeoJSON, GeoPackage, KML, KMZ) is broken; see :class:`DataFileError`."""


#: What to do about a fault while writing, by errno.
_FIXES: Final = {
    errno.ENOSPC: "free some space on the disk or write elsewhere",
    errno.EDQUOT: "free some space within your disk quota or write elsewhere",
    errno.EACCES: "choose a folder you may write to",
    errno.EPERM: "choose a folder you may write to",
    errno.EROFS: "the disk is read-only: write elsewhere",
}


class WriteError(WeaponsrefError, OSError):
    """A file or folder weaponsref writes could not be written (a full disk, no permission, a
    read-only disk): an OSError with the system's ``errno`` and ``strerror``, and the path of
    the file being written as ``filename``. What was there before is as it was, and nothing
    is left beside it.

    >>> print(WriteError(28, "No space left on device", "out/claims.csv"))
    cannot write 'out/claims.csv': No space left on device; free some space on the disk or write elsewhere; what was there is unchanged
    """

    def __str__(self) -> str:
        where = repr(os.fsdecode(self.filename))[:200] if self.filename else "a file"
        fix = _FIXES.get(self.errno or 0, "check the folder and try again")
        return f"cannot write {where}: {self.strerror}; {fix}; what was there is unchanged"


class WeaponsrefWarning(UserWarning):
    """A warning weaponsref gives when it changes what was asked, e.g. a clamped ring radius."""
