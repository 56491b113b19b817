"""Sphinx extension for the docs site's offline range explorer (``docs/explorer.md``).

When an HTML build finishes, it writes into the site's ``_static/explorer/``:

- ``data.js``: the catalogue as the page needs it (every system, its range claims with the
  value in metres, qualifier, variant, preferred flag, source, address and phrase; the
  munitions a launcher launches) and a compact gazetteer (every place of
  ``data/places.toml`` and the most populous GeoNames cities, with their names and alternate
  names folded as :func:`weaponsref._text.fold` folds them);
- ``basemap.js``: the Natural Earth borders the maps draw (``data/basemap``);
- the ready UMD builds of ``geographiclib-geodesic``, ``d3-geo`` and ``d3-array``, copied
  from ``node_modules`` (``npm ci`` installs the versions pinned in ``package-lock.json``).

Each is a script that assigns a global, loaded by ``<script src>``: the page works opened
from ``file://`` too, where ``fetch()`` of a local file is refused. The page's own script
and style, ``_static/explorer/explorer.js`` and ``explorer.css``, are ordinary static files;
this extension adds the scripts to the explorer page only.

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
        "published": source.published.isoformat() if source.published else None,
        "url": source.url,
    }


def _claim(index: int, claim: Any, system: Any) -> dict[str, Any]:
    import weaponsref as wr

    here = wr.Point(0.0, 0.0)
    # The half of the figure's last place that the library flags a verdict "close" within.
    rounding = wr.Reach(system, claim, here, here, 0.0, claim.metres).rounding_m
    return {
        "index": index,
        "figure": claim.figure,
        "metres": claim.metres,
        "low_metres": claim.low_metres,
        "value": claim.value_text(),
        "describe": claim.describe(),
        "km": claim.value_text("km"),
        "qualifier": claim.qualifier,
        "variant": claim.variant,
        "preferred": claim.preferred,
        "source": claim.source.id,
        "dated_source": claim.dated_source,
        "quote": claim.quote,
        "rounding_m": rounding,
    }


def catalogue_data() -> dict[str, Any]:
    """Systems, their range claims and sources, as plain JSON values."""
    import weaponsref as wr
    from weaponsref.reach import STATUSES
    from weaponsref.records import LOWER_BOUNDS

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
            }
        )
    return {
        "systems": systems,
        "sources": sources,
        "lower_bounds": sorted(LOWER_BOUNDS),
        "statuses": list(STATUSES),
        "earth_model": wr.EARTH_MODEL,
        "version": wr.__version__,
    }


def _keys(names: Any) -> list[str]:
    from weaponsref._text import fold

    return list(dict.fromkeys(k for k in (fold(n) for n in names) if k))


def gazetteer_data(limit: int = CITIES) -> dict[str, Any]:
    """The article places and the ``limit`` most populous cities of the built-in gazetteer.

    Each place is ``[name, country, lat, lon, population, own keys, other keys, source,
    address]``; keys are folded and joined by spaces. A city that an article place stands in
    for (the library's own rule) is left out, and its names find the article place instead.
    """
    import weaponsref as wr
    from weaponsref.gazetteer import _places as gazetteer

    loaded = gazetteer._load()
    stand_ins = loaded.stand_ins
    extra: dict[str, list[str]] = {}
    database = files("weaponsref") / "data" / "gazetteer.sqlite"
    with sqlite3.connect(Path(str(database)).resolve().as_uri() + "?mode=ro", uri=True) as db:
        meta = dict(db.execute("SELECT key, value FROM meta").fetchall())
        rows = db.execute(
            "SELECT geonameid, name, lat, lon, country, population, alternates FROM cities "
            "WHERE row <= ? ORDER BY row",
            (limit,),
        ).fetchall()
        # Cities an article place stands in for, whatever their rank: their names find it.
        marks = ",".join("?" * len(stand_ins))
        stood = db.execute(
            f"SELECT geonameid, name, alternates FROM cities WHERE geonameid IN ({marks})",
            sorted(stand_ins),
        ).fetchall()
    for geonameid, name, alternates in stood:
        names = [name, *filter(None, alternates.split("\t"))]
        extra.setdefault(stand_ins[geonameid].name, []).extend(names)
    places: list[list[Any]] = []
    for article in wr.places():
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
        if geonameid in stand_ins:
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
                f"https://www.geonames.org/{geonameid}",
            ]
        )
    return {"articles": len(wr.places()), "places": places, "licence": meta["licence"]}


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
