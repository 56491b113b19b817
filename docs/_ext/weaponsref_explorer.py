"""Sphinx extension for the docs site's offline range explorer (``docs/explorer.md``).

When an HTML build finishes, it writes into the site's ``_static/explorer/``:

- ``data.js``: the catalogue as the page needs it (every system, its range claims with the
  value in metres, qualifier, variant, preferred flag, source, address and phrase; the
  munitions a launcher launches; its published minimum range), the library's verdict rule
  (:func:`weaponsref.reach.rule_table`, which the page's ``rule.js`` reads to decide every
  verdict), the maps' style table (:func:`weaponsref.maps.style_table`) and the whole
  built-in gazetteer, compactly (:func:`gazetteer_data`: the article places of
  ``data/places.toml``, every place of ``data/gazetteer.sqlite`` with its folded names by
  tier, and which places an article place stands in for), so that the page's
  ``gazetteer.js`` finds what :func:`weaponsref.gazetteer.namesakes` finds;
- ``basemap.js``: the Natural Earth borders the maps draw (``data/basemap``);
- ``areas-data.js``: the areas :func:`weaponsref.gazetteer.area` knows by name (the
  basemap's countries, whose outlines are ``basemap.js``'s, and the first-level regions of
  Ukraine, Russia and Belarus with Crimea, ``data/basemap/regions-10m.geojson``), with their
  labels, sources, dates and details and every folded name that finds each
  (:func:`area_data`), which the page's ``areas.js`` measures from as the library does;
- the ready UMD builds of ``geographiclib-geodesic``, ``d3-geo``, ``d3-array`` and
  ``polygon-clipping`` (the union that draws a ring round an area), copied
  from ``node_modules`` (``npm ci`` installs the versions pinned in ``package-lock.json``).

Each is a script that assigns a global, loaded by ``<script src>``: the page works opened
from ``file://`` too, where ``fetch()`` of a local file is refused. The page's own scripts
and style, ``_static/explorer/rule.js``, ``gazetteer.js``, ``areas.js``, ``explorer.js`` and
``explorer.css``, are ordinary static files; this extension adds the scripts to the explorer page only.

An HTML build without ``node_modules`` fails at the start, saying to run ``npm ci``.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
from importlib.resources import files
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.errors import ExtensionError

ROOT = Path(__file__).resolve().parents[2]
#: Where ``npm ci`` puts the packages; ``$WEAPONSREF_NODE_MODULES`` overrides it (tests).
NODE_MODULES_ENV = "WEAPONSREF_NODE_MODULES"
#: The page that holds the explorer, and the folder of _static its files go in.
PAGE = "explorer"
FOLDER = "explorer"
#: The UMD files copied from node_modules, in the order the page loads them.
VENDOR = (
    ("geographiclib-geodesic", "geographiclib-geodesic.min.js"),
    ("d3-array", "dist/d3-array.min.js"),
    ("d3-geo", "dist/d3-geo.min.js"),
    ("polygon-clipping", "dist/polygon-clipping.umd.min.js"),
)
SCRIPTS = (
    *(Path(path).name for _, path in VENDOR),
    "basemap.js",
    "data.js",
    "areas-data.js",
    "rule.js",
    "gazetteer.js",
    "areas.js",
    "explorer.js",
)


def _check_node_modules() -> list[Path]:
    """The vendored files, or an error saying how to get them."""
    node_modules = Path(os.environ.get(NODE_MODULES_ENV) or ROOT / "node_modules")
    found = []
    for package, path in VENDOR:
        file = node_modules / package / path
        if not file.is_file():
            raise ExtensionError(
                f"the range explorer needs {file}, which is missing: run "
                f"`npm ci` in {ROOT} (it installs the JavaScript packages pinned in "
                "package-lock.json) and build the docs again"
            )
        found.append(file)
    return found


def _is_html(app: Sphinx) -> bool:
    return getattr(app.builder, "format", None) == "html"


def _builder_inited(app: Sphinx) -> None:
    if _is_html(app):
        _check_node_modules()


# --------------------------------------------------------------------------- the data


def _source(source: Any) -> dict[str, Any]:
    return {
        "id": source.id,
        "cited_as": source.cited_as,
        "kind": source.kind,
        "published": source.published.isoformat() if source.published else None,
        "url": source.url,
    }


#: Where the verdicts that give a claim's rounding and a system's minimum range are asked:
#: any point does, since neither depends on the distance.
_HERE = (0.0, 0.0)


def _claim(index: int, claim: Any, system: Any) -> dict[str, Any]:
    import weaponsref as wr

    # The half of the figure's last place that the library flags a verdict "close" within.
    rounding = wr.reaches(system, _HERE, _HERE, claim=claim).rounding_m
    return {
        "index": index,
        "figure": claim.figure,
        "metres": claim.metres,
        "low_metres": claim.low_metres,
        "value": claim.value_text(),
        "describe": claim.describe(),
        # What a table's Claim cell and a legend show, and who says so: the library's texts.
        "summary": claim.summary,
        "basis_tag": claim.basis_tag,
        "asserted_by": claim.asserted_by,
        "said_by": claim.said_by,
        "km": claim.value_text("km"),
        "qualifier": claim.qualifier,
        "basis": claim.basis,
        "attribution": claim.attribution,
        "attributed_to": claim.attributed_to,
        "variant": claim.variant,
        "preferred": claim.preferred,
        "source": claim.source.id,
        "dated_source": claim.dated_source,
        "quote": claim.quote,
        "rounding_m": rounding,
    }


def minimum_ranges(system: Any) -> tuple[dict[str, float | None], dict[str, float | None]]:
    """The published minimum range, in metres or None, that a verdict for ``system`` counts,
    by the variant of the range claim it uses ("" for a claim with no variant, as a launcher's
    munition's preferred claim is), as :attr:`weaponsref.Reach.min_range_m` gives it: for a
    claim of the system's own, and for each munition the system launches; and beside it, by
    the same keys, the rounding of its figure (:attr:`weaponsref.Reach.minimum_rounding_m`)
    that the library flags a verdict "close" within."""
    import weaponsref as wr

    metres: dict[str, float | None] = {}
    rounding: dict[str, float | None] = {}

    def keep(key: str, reach: Any) -> None:
        if key not in metres:
            metres[key], rounding[key] = reach.min_range_m, reach.minimum_rounding_m

    for claim in system.claims:
        if claim.figure == "range":
            keep(claim.variant or "", wr.reaches(system, _HERE, _HERE, claim=claim))
    for munition in system.launches:
        reach = wr.reaches(system, _HERE, _HERE, variant=wr.lookup(munition).name)
        keep((reach.claim.variant if reach.claim is not None else None) or "", reach)
    return metres, rounding


def catalogue_data() -> dict[str, Any]:
    """Systems, their range claims, sources and minimum ranges, and the verdict rule, as
    plain JSON values."""
    import weaponsref as wr
    from weaponsref.reach import rule_table

    systems = []
    sources: dict[str, Any] = {}
    for system in wr.systems():
        claims = [
            _claim(index, claim, system)
            for index, claim in enumerate(system.claims)
            if claim.figure == "range"
        ]
        for claim in system.claims:
            if claim.figure == "range":
                sources.setdefault(claim.source.id, _source(claim.source))
        minimum_m, minimum_rounding_m = minimum_ranges(system)
        systems.append(
            {
                "id": system.id,
                "name": system.name,
                "aliases": list(system.aliases),
                "category": system.category,
                "launches": list(system.launches),
                "claims": claims,
                "minimum_m": minimum_m,
                "minimum_rounding_m": minimum_rounding_m,
            }
        )
    return {
        "systems": systems,
        "sources": sources,
        "rule": rule_table(),
        "earth_model": wr.EARTH_MODEL,
        "version": wr.__version__,
    }


def _keys(names: Any) -> list[str]:
    from weaponsref.gazetteer import name_key

    return list(dict.fromkeys(k for k in (name_key(n) for n in names) if k))


#: The digits of the page's compact numbers (base 64; none of them is a separator the
#: gazetteer's strings use: space, comma, colon, newline).
DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_"
#: Coordinates are written in millionths of a degree (every built-in coordinate has at most
#: six decimals), offset to be positive, as five base-64 digits each (64**5 > 360e6).
COORDINATE_SCALE = 1_000_000
#: The tiers of a name key, best first, as the gazetteer ranks them (its ``keys.own``): the
#: place's own name, an alternate name, an airport's name without "Airport", the city an
#: airport serves, an ICAO or IATA code.
TIERS = (1, 0, -1, -2, -3)
#: What a place row is (the gazetteer's ``kind``), by number.
KINDS = ("city", "airport", "section", "former")
#: GeoNames place pages.
GEONAMES_PAGE = "https://www.geonames.org/"
# An article place stands in for a GeoNames place of its name and country this close to it
# (the gazetteer's documented rule).
SAME_CITY_DEGREES = 0.5
#: The gazetteer lists (for searches by a name's start, and reference places) populated
#: places of this many people, and national capitals of fewer.
LISTED_POPULATION = 15_000


def _number(value: int, width: int = 0) -> str:
    """``value`` (0 or more) in base 64, at least ``width`` digits."""
    out = ""
    while value or not out:
        value, digit = divmod(value, 64)
        out = DIGITS[digit] + out
    return out.rjust(width, DIGITS[0])


def _coordinate(value: float, offset: int) -> str:
    scaled = round(value * COORDINATE_SCALE)
    if scaled / COORDINATE_SCALE != value:
        raise ExtensionError(
            f"the gazetteer holds a coordinate with more than six decimals ({value!r}): "
            "the explorer's places would move; widen COORDINATE_SCALE"
        )
    return _number(scaled + offset * COORDINATE_SCALE, 5)


def _front_coded(keys: dict[str, list[int]]) -> str:
    """Keys (sorted) and the places they find as ``"Pkey:index,index Pkey:index"``: each key
    written as one base-64 digit P, how many leading characters it shares with the key
    before it (at most 63), then the rest of it."""
    entries = []
    before = ""
    for key in sorted(keys):
        shared = 0
        limit = min(len(before), len(key), 63)
        while shared < limit and before[shared] == key[shared]:
            shared += 1
        entries.append(f"{DIGITS[shared]}{key[shared:]}:{','.join(map(_number, keys[key]))}")
        before = key
    return " ".join(entries)


def _ascii_key(name: str) -> str | None:
    """The key the page itself makes of an ASCII name (lower case, letters and digits), which
    is the library's fold for ASCII; None for a name that is not ASCII."""
    if not name.isascii():
        return None
    return "".join(c for c in name.lower() if c.isalnum())


def _article_rows(articles: Any) -> list[list[Any]]:
    return [
        [
            a.name,
            a.country,
            a.lat,
            a.lon,
            a.population or 0,
            " ".join(_keys([a.name, *a.aliases])),
            a.source,
            a.address,
            a.kind,
            a.code,
            a.region,
        ]
        for a in articles
    ]


def _stand_ins(db: sqlite3.Connection, articles: Any, order: dict[int, int]) -> dict[int, int]:
    """Which GeoNames places an article place stands in for, as the gazetteer decides it:
    a place a key of the article place names at its own or an alternate name's tier, in the
    article's country within half a degree, of the kind of the first such place. By the
    places' index in the page's order -> the article's index."""
    first_holder: dict[str, int] = {}
    for index, article in enumerate(articles):
        for key in _keys([article.name, *article.aliases]):
            first_holder.setdefault(key, index)
    twins: dict[int, list[tuple[int, int]]] = {}
    for key, index in first_holder.items():
        article = articles[index]
        rows = db.execute(
            "SELECT c.geonameid, c.lat, c.lon, c.kind FROM keys k JOIN cities c ON c.row = k.row "
            "WHERE k.key = ? AND c.country = ? AND k.own >= 0 "
            "ORDER BY -k.own, c.kind, -c.population, c.geonameid",
            (key, article.country),
        ).fetchall()
        for geonameid, lat, lon, kind in rows:
            if abs(lat - article.lat) < SAME_CITY_DEGREES and abs(lon - article.lon) < (
                SAME_CITY_DEGREES
            ):
                twins.setdefault(index, []).append((geonameid, kind))
    found: dict[int, int] = {}
    for index in range(len(articles)):
        same = twins.get(index, [])
        for geonameid, kind in same:
            if kind == same[0][1]:
                found.setdefault(order[geonameid], index)
    return found


def gazetteer_data() -> dict[str, Any]:
    """Every place of the built-in gazetteer, compactly, and the article places.

    The places of ``data/gazetteer.sqlite`` (GeoNames' populated places of 500 people or
    more, their sections and former places, and the airports with an ICAO code) are written
    column by column in the order the gazetteer ranks places of one name and tier (by kind,
    most populous first, then by GeoNames id), so that a place's index is its rank: ``names``
    (joined by newlines), ``countries`` (two letters each), ``coordinates`` (ten base-64
    digits each: latitude + 90 and longitude + 180, in millionths of a degree), and, joined
    by commas, ``populations``, ``ids`` (GeoNames ids; empty for an airport), ``codes`` (ICAO
    codes), ``regions`` (an index into ``region_names``, plus one; empty if none), in base 64;
    ``kinds`` one digit each. ``keys`` holds, per tier (own name, alternate name, airport
    name, served city, code), the folded names and the places they find (see
    :func:`_front_coded`); a place's own ASCII name is not written there, since the page
    folds it itself. ``stand_ins`` maps a place's index to the article place that stands in for it
    (``index:article``). The article places come whole in ``articles``.
    """
    from weaponsref import gazetteer

    articles = gazetteer.places()
    database = files("weaponsref") / "data" / "gazetteer.sqlite"
    with sqlite3.connect(Path(str(database)).resolve().as_uri() + "?mode=ro", uri=True) as db:
        meta = dict(db.execute("SELECT key, value FROM meta").fetchall())
        rows = db.execute(
            "SELECT row, geonameid, name, lat, lon, country, population, kind, region, code, "
            "listed FROM cities ORDER BY kind, -population, geonameid"
        ).fetchall()
        regions = db.execute("SELECT region, name FROM regions ORDER BY region").fetchall()
        order = {row[1]: index for index, row in enumerate(rows)}
        by_row = {row[0]: index for index, row in enumerate(rows)}
        keyed = db.execute("SELECT key, row, own FROM keys ORDER BY key, row").fetchall()
        stood = _stand_ins(db, articles, order)
    region_index = {region: number for number, (region, _name) in enumerate(regions)}
    tiers: dict[int, dict[str, list[int]]] = {tier: {} for tier in TIERS}
    for key, row, own in keyed:
        index = by_row[row]
        if own == 1 and _ascii_key(rows[index][2]) is not None:
            if _ascii_key(rows[index][2]) != key:
                raise ExtensionError(
                    f"the gazetteer keys {rows[index][2]!r} as {key!r}, not as the page "
                    "folds an ASCII name: the explorer would not find it"
                )
            continue  # the page folds an ASCII name itself
        tiers[own].setdefault(key, []).append(index)
    for tier in tiers.values():
        for indexes in tier.values():
            indexes.sort()
    return {
        "licence": meta["licence"],
        "source": meta["source"],
        "airports_source": meta.get("airports_source", "airport, ICAO "),
        "population_source": meta.get("population_source", ""),
        "countries": "".join(
            sorted(set(meta["countries"].split(",")) | {a.country for a in articles})
        ),
        "articles": _article_rows(articles),
        "count": len(rows),
        "names": "\n".join(row[2] for row in rows),
        "countries_of": "".join(row[5] for row in rows),
        "coordinates": "".join(_coordinate(r[3], 90) + _coordinate(r[4], 180) for r in rows),
        "populations": ",".join(_number(row[6]) for row in rows),
        "ids": ",".join("" if row[1] < 0 else _number(row[1]) for row in rows),
        "codes": ",".join(row[9] for row in rows),
        "kinds": "".join(str(row[7]) for row in rows),
        "regions": ",".join(
            _number(region_index[row[8]] + 1) if row[8] in region_index else "" for row in rows
        ),
        "region_names": [name for _region, name in regions],
        "keys": [_front_coded(tiers[t]) for t in TIERS],
        # Listed cities (found first by a name's start) below 15,000 people: capitals.
        "listed_small": ",".join(
            _number(i) for i, row in enumerate(rows) if row[10] and row[6] < LISTED_POPULATION
        ),
        "stand_ins": ",".join(f"{_number(i)}:{_number(a)}" for i, a in sorted(stood.items())),
    }


def area_data() -> dict[str, Any]:
    """The areas :func:`weaponsref.gazetteer.area` finds by name, for the page's ``areas.js``.

    ``areas`` lists each area as the library builds it: ``name``, ``label`` (what verdicts
    call it: "Kursk Oblast, Russia", "Crimea (administered by Russia, claimed by
    Ukraine)"), ``source``, ``date``, ``details`` (:attr:`weaponsref.geo.Area.details`) and
    its outline: a country's is ``basemap`` (the index of its feature in ``basemap.js``,
    the very vertices the library measures to), a region's ``geometry`` (the vertices of
    ``regions-10m.geojson`` as they are). ``keys`` maps every folded name (``name_key``) to
    the area it finds, as the library's one name index does: countries' names and codes
    first, then the regions' names, the first area to hold a name keeping it.
    """
    from weaponsref import gazetteer

    areas: list[dict[str, Any]] = []
    keys: dict[str, int] = {}
    regions = files("weaponsref") / "data" / "basemap" / "regions-10m.geojson"
    outlines = {
        str(feature["properties"]["iso_3166_2"]): feature["geometry"]
        for feature in json.loads(regions.read_text(encoding="utf-8"))["features"]
    }
    countries = 0
    for kind, key, names in gazetteer.area_names():
        found = gazetteer.area(names[0])
        entry: dict[str, Any] = {
            "name": found.name,
            "label": found.label,
            "kind": kind,
            "source": found.source,
            "date": found.date,
            "details": found.details,
        }
        if kind == "country":
            entry["basemap"] = countries  # area_names lists the basemap's countries in order
            countries += 1
        else:
            entry["geometry"] = outlines[key]
        areas.append(entry)
        for text in names:
            folded = gazetteer.name_key(str(text))
            if folded:
                keys.setdefault(folded, len(areas) - 1)
    return {"areas": areas, "keys": keys}


def _script(name: str, value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    # Inside a script, "</" could end it in an HTML parser; JSON allows "<\\/".
    text = text.replace("</", "<\\/")
    return f"window.{name} = {text};\n"


def _write_static(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or not _is_html(app):
        return
    folder = Path(app.outdir) / "_static" / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    for file in _check_node_modules():
        shutil.copyfile(file, folder / file.name)
    data = catalogue_data()
    data["gazetteer"] = gazetteer_data()
    from weaponsref.maps import style_table  # the maps' one style table: colours per system

    data["style"] = style_table()
    (folder / "data.js").write_text(_script("WEAPONSREF_EXPLORER", data), encoding="utf-8")
    basemap = files("weaponsref") / "data" / "basemap" / "countries-50m.geojson"
    borders = json.loads(basemap.read_text(encoding="utf-8"))
    (folder / "basemap.js").write_text(_script("WEAPONSREF_BASEMAP", borders), encoding="utf-8")
    (folder / "areas-data.js").write_text(
        _script("WEAPONSREF_AREAS", area_data()), encoding="utf-8"
    )


def _page_scripts(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    if pagename != PAGE:
        return
    app.add_css_file(f"{FOLDER}/explorer.css")
    for name in SCRIPTS:
        app.add_js_file(f"{FOLDER}/{name}")


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("builder-inited", _builder_inited)
    app.connect("html-page-context", _page_scripts)
    app.connect("build-finished", _write_static)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
