"""Build ``weaponsref/data/gazetteer.sqlite`` from the extracts in ``tools/data/``.

The extracts (made by ``tools/generate_gazetteer.py`` from pinned package files, see there)
are GeoNames' populated places of 1,000+ people (``geonames-places.tsv.gz``), airports with
an ICAO code (``airports.tsv.gz``), the names of first-level divisions (``regions.tsv``), the
sovereign states (``states.tsv``) and their capitals (``capitals.tsv``), and the date of the
GeoNames dump (``dump-date.txt``). This script needs nothing else, and no network.

The database is what weaponsref reads at run time (the layout is ``_SCHEMA`` in
``weaponsref/gazetteer/_store.py``, which also writes the user's gazetteers). Which places
are listed cities (places_in_box, place_arrays, maps, populations): populated places of
15,000+ people and the sovereign states' capitals; sections of cities (PPLX), places that
are no more (PPLH, PPLQ, PPLW, PPLCH) and airports never are.

Usage, from the repository root::

    python tools/build_gazetteer_db.py                 # writes weaponsref/data/gazetteer.sqlite
    python tools/build_gazetteer_db.py --output /tmp/g.sqlite

The output is deterministic: the same extracts give the same tables in the same order, and
no date or path is stored (with the same SQLite, the same bytes). The extracts are checked
whole before anything is written; a problem stops the build naming the file and line.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import os
import re
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# These need the repository root on sys.path.
from weaponsref.errors import GazetteerFileError  # noqa: E402
from weaponsref.gazetteer import Place  # noqa: E402
from weaponsref.gazetteer._geonames import (  # noqa: E402
    _AIRPORTS_SOURCE,
    _DUMP_DATE,
    _GEONAMES_SOURCE,
    _LICENCE,
    _POPULATION_SOURCE,
    _kind,
)
from weaponsref.gazetteer._store import (  # noqa: E402
    AIRPORT,
    CITY,
    CODE,
    SERVED,
    SHORT,
    _Record,
    _write_database,
)

DATA = ROOT / "tools" / "data"
DEFAULT_OUTPUT = ROOT / "weaponsref" / "data" / "gazetteer.sqlite"
PLACES_HEADER = "geonameid\tname\tlat\tlon\tcountry\tadmin1\tfeature\tpopulation\talternatenames"
AIRPORTS_HEADER = "icao\tiata\tname\tlat\tlon\tcountry\tregion\tcity\tsize\talternatenames"
REGIONS_HEADER = "country\tadmin1\tname\tcities\tagreeing"
CAPITALS_HEADER = "country\tgeonameid\tname"
STATES_HEADER = "country\tbasis"
ALT_SEPARATOR = "|"
#: Populated places of this many people or more are listed cities.
LISTED_POPULATION = 15_000
#: Words an airport's name ends with, dropped for its short name ("Belbek Airport" ->
#: "Belbek"), case-folded; dropped from the end, one after another.
AERODROME_WORDS = frozenset(
    {"airport", "airbase", "air base", "airfield", "air field", "aerodrome", "international"}
)
_COUNTRY = re.compile(r"[A-Z]{2}")
_ICAO = re.compile(r"[A-Z]{4}")
_ID_BASE = 36


def _lines(path: Path, header: str) -> Iterator[tuple[int, list[str]]]:
    """The rows of the TSV (gzipped if it ends in .gz) ``path`` after ``header``, numbered."""
    shown = str(path)
    try:
        raw = path.read_bytes()
        text = (gzip.decompress(raw) if path.suffix == ".gz" else raw).decode("utf-8")
    except (OSError, EOFError, UnicodeDecodeError) as error:
        raise GazetteerFileError(shown, "", f"not a readable UTF-8 file: {error}") from None
    lines = text.split("\n")
    if lines[0] != header:
        raise GazetteerFileError(shown, "line 1", f"expected the header {header!r}")
    if lines[-1] == "":
        lines.pop()
    columns = header.count("\t") + 1
    for number, line in enumerate(lines[1:], start=2):
        fields = line.split("\t")
        if len(fields) != columns:
            problem = f"expected {columns} columns, got {len(fields)}"
            raise GazetteerFileError(shown, f"line {number}", problem)
        yield number, fields


def _checked(shown: str, number: int, record: _Record) -> _Record:
    """``record`` if a Place of it passes Place's checks (coordinates, country, names)."""
    try:
        Place(
            record.name,
            record.lat,
            record.lon,
            record.country,
            record.population,
            "GeoNames",
            None,
            record.alternates,
            region=record.region or None,
        )
    except ValueError as error:
        raise GazetteerFileError(shown, f"line {number}", str(error)) from None
    return record


def read_places(path: Path, names: dict[tuple[str, str], str]) -> list[tuple[int, _Record]]:
    """The GeoNames places of the extract, each with its line, named regions filled in."""
    shown, found, last = str(path), [], 0
    for number, fields in _lines(path, PLACES_HEADER):
        try:
            geonameid, lat, lon, population = (
                int(fields[0]),
                float(fields[2]),
                float(fields[3]),
                int(fields[7]),
            )
        except ValueError as error:
            raise GazetteerFileError(shown, f"line {number}", str(error)) from None
        if geonameid <= last:
            problem = f"geonameid {geonameid} is not above the previous row's {last}"
            raise GazetteerFileError(shown, f"line {number}", problem)
        last = geonameid
        name, country, admin1, feature = fields[1], fields[4], fields[5], fields[6]
        alternates = tuple(fields[8].split(ALT_SEPARATOR)) if fields[8] else ()
        region = names.get((country, admin1), "")
        record = _Record(
            geonameid, name, lat, lon, country, population, alternates, _kind(feature), admin1,
            region,
        )  # fmt: skip
        found.append((number, _checked(shown, number, record)))
    return found


def airport_id(icao: str) -> int:
    """An airport's stand-in for a geonameid: negative (no GeoNames id is), made from its
    ICAO code alone, so the same airport keeps it from one build to the next."""
    return -1 - int(icao, _ID_BASE)


def short_name(name: str) -> str:
    """``name`` without the aerodrome words it ends with; '' if nothing else is left."""
    words = name.split()
    while words:
        for count in (2, 1):
            if len(words) > count and " ".join(words[-count:]).casefold() in AERODROME_WORDS:
                del words[-count:]
                break
        else:
            break
    return " ".join(words) if " ".join(words) != name else ""


def read_airports(path: Path) -> list[tuple[int, _Record]]:
    """The airports of the extract, each with its line."""
    shown, found = str(path), []
    for number, fields in _lines(path, AIRPORTS_HEADER):
        icao, iata, name, country, region, city = (fields[i] for i in (0, 1, 2, 5, 6, 7))
        if not _ICAO.fullmatch(icao):
            raise GazetteerFileError(shown, f"line {number}", f"{icao!r} is no ICAO code")
        try:
            lat, lon, size = float(fields[3]), float(fields[4]), int(fields[8])
        except ValueError as error:
            raise GazetteerFileError(shown, f"line {number}", str(error)) from None
        names = [name, *(fields[9].split(ALT_SEPARATOR) if fields[9] else ())]
        lesser = [(short, SHORT) for short in map(short_name, names) if short]
        lesser += [(city, SERVED)] if city else []
        lesser += [(code, CODE) for code in (icao, iata) if code]
        # An airport has no population: the column ranks airports of one name by size.
        record = _Record(
            airport_id(icao), name, lat, lon, country, size, tuple(names[1:]), AIRPORT, "",
            region, icao, tuple(lesser),
        )  # fmt: skip
        found.append((number, _checked(shown, number, record)))
    return found


def read_regions(path: Path) -> dict[tuple[str, str], str]:
    """(country, admin1 code) -> GeoNames' name of that first-level division."""
    names: dict[tuple[str, str], str] = {}
    for number, (country, code, name, _, _) in _lines(path, REGIONS_HEADER):
        if not _COUNTRY.fullmatch(country) or not code or not name.strip():
            problem = f"expected a country code, a division code and a name, got {country!r}"
            raise GazetteerFileError(str(path), f"line {number}", problem)
        names[(country, code)] = name
    return names


def read_capitals(path: Path, states: set[str], places: list[tuple[int, _Record]]) -> list[int]:
    """The geonameids of ``capitals.tsv``, each checked against the places and the states."""
    by_id = {record.geonameid: record for _, record in places}
    found: list[int] = []
    countries: set[str] = set()
    for number, (country, geonameid, name) in _lines(path, CAPITALS_HEADER):
        where = f"line {number}"
        city = by_id.get(int(geonameid)) if geonameid.isdigit() else None
        if city is None or city.name != name or city.country != country:
            problem = f"{name!r} ({geonameid}) is not that city of {country}"
            raise GazetteerFileError(str(path), where, problem)
        if country not in states:
            raise GazetteerFileError(str(path), where, f"{country} is no sovereign state")
        if country in countries:
            raise GazetteerFileError(str(path), where, f"a second capital for {country}")
        countries.add(country)
        found.append(city.geonameid)
    return found


def build(output: Path, folder: Path = DATA) -> int:
    """Write the database for the extracts in ``folder`` to ``output``; return its number
    of places."""
    names = read_regions(folder / "regions.tsv")
    places = read_places(folder / "geonames-places.tsv.gz", names)
    states = {country for _, (country, _) in _lines(folder / "states.tsv", STATES_HEADER)}
    capitals = read_capitals(folder / "capitals.tsv", states, places)
    dated = (folder / "dump-date.txt").read_text(encoding="ascii").strip()
    if dated != _DUMP_DATE:
        problem = f"the dump is of {dated}, but weaponsref says {_DUMP_DATE}; update _DUMP_DATE"
        raise GazetteerFileError(str(folder / "dump-date.txt"), "", problem)
    records = places + read_airports(folder / "airports.tsv.gz")
    listed = set(capitals)
    meta = {
        "kind": "builtin",
        "source": _GEONAMES_SOURCE,
        "airports_source": _AIRPORTS_SOURCE,
        "population_source": _POPULATION_SOURCE,
        "dump_date": _DUMP_DATE,
        "licence": _LICENCE,
        "sovereign": ",".join(sorted(states)),
        "sha256": hashlib.sha256(
            b"".join((folder / name).read_bytes() for name in sorted(_EXTRACTS))
        ).hexdigest(),
    }
    output.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(suffix=".tmp", dir=output.parent)
    os.close(descriptor)
    try:
        count = _write_database(
            temporary,
            records,
            lambda _: meta,
            str(folder),
            capitals=lambda: capitals,
            listed=lambda r: (
                r.kind == CITY and (r.population >= LISTED_POPULATION or r.geonameid in listed)
            ),
        )
        os.chmod(temporary, 0o644)  # mkstemp makes it private
        os.replace(temporary, output)
    finally:
        Path(temporary).unlink(missing_ok=True)
    return count


#: The extracts a build reads (their SHA-256, together, is in the database's meta).
_EXTRACTS = (
    "geonames-places.tsv.gz",
    "airports.tsv.gz",
    "regions.tsv",
    "capitals.tsv",
    "states.tsv",
    "dump-date.txt",
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--input", type=Path, default=DATA, help="folder of the extracts")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="file to write")
    args = parser.parse_args(argv)
    try:
        count = build(args.output, args.input)
    except GazetteerFileError as error:
        parser.exit(2, f"build_gazetteer_db: {error}\n")
    size = args.output.stat().st_size
    print(f"wrote {args.output} ({size:,} bytes, {count:,} places)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
