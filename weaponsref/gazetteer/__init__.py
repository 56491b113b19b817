"""Places and named areas: the gazetteer, coordinates as text, and countries by name.

A place is found by name (any case, accents or spacing), a point by coordinates, and an area
by a country's name or ISO code or a GeoJSON file. Only the names below cross this package's
border.

>>> from weaponsref import gazetteer
>>> gazetteer.place("Kiev").name
'Kyiv'
>>> gazetteer.as_location("50.45, 30.5233")
Point(lat=50.45, lon=30.5233)
"""

from __future__ import annotations

from ._countries import MAX_AREA_FILE_BYTES, area, country_names
from ._places import (
    COORDINATE_FORMATS,
    GazetteerInfo,
    GeoInterface,
    LocationLike,
    Place,
    PlaceArrays,
    Point,
    as_location,
    get_place,
    import_geonames,
    place,
    place_arrays,
    places,
    places_in_box,
    search_places,
    user_gazetteer_info,
)
from ._places import _key as name_key

__all__ = [
    "COORDINATE_FORMATS",
    "MAX_AREA_FILE_BYTES",
    "GazetteerInfo",
    "GeoInterface",
    "LocationLike",
    "Place",
    "PlaceArrays",
    "Point",
    "area",
    "as_location",
    "country_names",
    "get_place",
    "import_geonames",
    "name_key",
    "place",
    "place_arrays",
    "places",
    "places_in_box",
    "search_places",
    "user_gazetteer_info",
]
