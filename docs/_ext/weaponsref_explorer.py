"""Sphinx extension for the docs site's offline range explorer (``docs/explorer.md``).

When an HTML build finishes, it writes into the site's ``_static/explorer/``:

- ``data.js``: the catalogue as the page needs it (every system, its range claims with the
  value in metres, qualifier, variant, preferred flag, source, address and phrase; the
  munitions a launcher launches; its published minimum range), the library's verdict rule
  (:func:`weaponsref.reach.rule_table`, which the page's ``rule.js`` reads to decide every
  verdict) and a compact gazetteer (every place of ``data/places.toml`` and the most populous
  GeoNames cities, with their names and alternate names folded as
  :func:`weaponsref.gazetteer.name_key` folds them);
- ``basemap.js``: the Natural Earth borders the maps draw (``data/basemap``);
- the ready UMD builds of ``geographiclib-geodesic``, ``d3-geo`` and ``d3-array``, copied
  from ``node_modules`` (``npm ci`` installs the versions pinned in ``package-lock.json``).

Each is a script that assigns a global, loaded by ``<script src>``: the page works opened
from ``file://`` too, where ``fetch()`` of a local file is refused. The page's own scripts
and style, ``_static/explorer/rule.js``, ``explorer.js`` and ``explorer.css``, are ordinary
static files; this extension adds the scripts to the explorer page only.

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
#: The most populous GeoNames cities the page's gazetteer holds, besides the article places.
CITIES = 5000
#: The UMD files copied from node_modules, in the order the page loads them.
VENDOR = (
    ("geographiclib-geodesic", "geographiclib-geodesic.min.js"),
    ("d3-array", "dist/d3-array.min.js"),
    ("d3-geo", "dist/d3-geo.min.js"),
)
SCRIPTS = (
    *(Path(path).name for _, path in VENDOR),
    "basemap.js",
    "data.js",
    "rule.js",
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


def minimum_ranges(system: Any) -> dict[str, float | None]:
    """The published minimum range, in metres or None, that a verdict for ``system`` counts,
    by the variant of the range claim it uses ("" for a claim with no variant, as a launcher's
    munition's preferred claim is), as :attr:`weaponsref.Reach.min_range_m` gives it: for a
    claim of the system's own, and for each munition the system launches."""
    import weaponsref as wr

    found: dict[str, float | None] = {}
    for claim in system.claims:
        if claim.figure == "range" and (claim.variant or "") not in found:
            reach = wr.reaches(system, _HERE, _HERE, claim=claim)
            found[claim.variant or ""] = reach.min_range_m
    for munition in system.launches:
        reach = wr.reaches(system, _HERE, _HERE, variant=wr.lookup(munition).name)
        variant = reach.claim.variant if reach.claim is not None else None
        found.setdefault(variant or "", reach.min_range_m)
    return found


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
        systems.append(
            {
                "id": system.id,
                "name": system.name,
                "aliases": list(system.aliases),
                "category": system.category,
                "launches": list(system.launches),
                "claims": claims,
                "minimum_m": minimum_ranges(system),
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


def _geonames_url(geonameid: int) -> str:
    return f"https://www.geonames.org/{geonameid}"


def stand_ins(cities: Any) -> dict[int, Any]:
    """The GeoNames cities of ``cities`` (rows of geonameid, name, lat, lon, country,
    population, alternates) that an article place stands in for, by geonameid: a city that
    the gazetteer gives as the article place, whose names therefore find the article place.

    Asked of the gazetteer through its public names: a city shares a folded name with an
    article place (the only way it can stand in), and :func:`weaponsref.gazetteer.places_in_box`
    at the city's own point gives the article place, not the city.
    """
    from weaponsref import gazetteer

    articles = gazetteer.places()
    by_key: dict[str, list[Any]] = {}
    for article in articles:
        for key in _keys([article.name, *article.aliases]):
            by_key.setdefault(key, []).append(article)
    found: dict[int, Any] = {}
    for geonameid, name, lat, lon, _country, _population, alternates in cities:
        keys = _keys([name, *filter(None, alternates.split("\t"))])
        named = [a for key in keys for a in by_key.get(key, [])]
        if not named:
            continue
        here = gazetteer.places_in_box(lat, lon, lat, lon, limit=100)
        if any(p.address == _geonames_url(geonameid) for p in here):
            continue
        standing = [a for a in dict.fromkeys(named) if a in here]
        if len(standing) != 1:
            raise ExtensionError(
                f"GeoNames city {geonameid} ({name}) is not in the gazetteer as itself, nor as "
                f"one article place (found {[p.name for p in here]}): the explorer cannot tell "
                "which place its names find"
            )
        found[geonameid] = standing[0]
    return found


def gazetteer_data(limit: int = CITIES) -> dict[str, Any]:
    """The article places and the ``limit`` most populous cities of the built-in gazetteer.

    Each place is ``[name, country, lat, lon, population, own keys, other keys, source,
    address]``; keys are folded and joined by spaces. A city that an article place stands in
    for (the library's own rule, :func:`stand_ins`) is left out, and its names find the
    article place instead.
    """
    from weaponsref import gazetteer

    database = files("weaponsref") / "data" / "gazetteer.sqlite"
    columns = "geonameid, name, lat, lon, country, population, alternates"
    with sqlite3.connect(Path(str(database)).resolve().as_uri() + "?mode=ro", uri=True) as db:
        meta = dict(db.execute("SELECT key, value FROM meta").fetchall())
        # The listed cities (15,000+ people and sovereign capitals) as places_in_box gives them.
        every = db.execute(f"SELECT {columns} FROM cities WHERE listed = 1 ORDER BY row").fetchall()
    rows = every[:limit]
    stood = stand_ins(every)
    extra: dict[str, list[str]] = {}
    for geonameid, name, _lat, _lon, _country, _population, alternates in every:
        if geonameid in stood:
            names = [name, *filter(None, alternates.split("\t"))]
            extra.setdefault(stood[geonameid].name, []).extend(names)
    places: list[list[Any]] = []
    articles = gazetteer.places()
    for article in articles:
        own = _keys([article.name, *article.aliases])
        other = [k for k in _keys(extra.get(article.name, [])) if k not in own]
        places.append(
            [
                article.name,
                article.country,
                article.lat,
                article.lon,
                article.population or 0,
                " ".join(own),
                " ".join(other),
                article.source,
                article.address,
            ]
        )
    for geonameid, name, lat, lon, country, population, alternates in rows:
        if geonameid in stood:
            continue
        own = _keys([name])
        other = [k for k in _keys(filter(None, alternates.split("\t"))) if k not in own]
        places.append(
            [
                name,
                country,
                lat,
                lon,
                population,
                " ".join(own),
                " ".join(other),
                f"{meta['source']}{geonameid}",
                _geonames_url(geonameid),
            ]
        )
    return {"articles": len(articles), "places": places, "licence": meta["licence"]}


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
