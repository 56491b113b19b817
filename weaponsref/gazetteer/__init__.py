"""Places and named areas: the gazetteer, coordinates as text, and countries by name.

A place is found by name (any case, accents or spacing), a point by coordinates, and an area
by a country's name or ISO code or a GeoJSON file. The names are looked up in a
:class:`Gazetteer`: :func:`current_gazetteer`, which is :func:`default_gazetteer` unless
:func:`use_gazetteer` chose another. Only the names below cross this package's border.

>>> from weaponsref import gazetteer
>>> gazetteer.place("Kiev").name
'Kyiv'
>>> gazetteer.as_location("50.45, 30.5233")
Point(lat=50.45, lon=30.5233)
>>> with gazetteer.use_gazetteer(gazetteer.Gazetteer(user=False)):
...     gazetteer.place("Kharkov").country
'UA'
"""

from __future__ import annotations

from weaponsref._text import fold as name_key
from weaponsref.gazetteer._cities import PlaceArrays
from weaponsref.gazetteer._coords import COORDINATE_FORMATS, as_location
from weaponsref.gazetteer._countries import (
    COUNTRIES_DATE,
    COUNTRIES_SOURCE,
    MAX_AREA_FILE_BYTES,
    area,
    area_names,
    country_names,
    import_area,
)
from weaponsref.gazetteer._geonames import GazetteerInfo
from weaponsref.gazetteer._imported import ImportedArea, imported_areas, remove_area
from weaponsref.gazetteer._places import (
    Gazetteer,
    current_gazetteer,
    default_gazetteer,
    get_place,
    import_geonames,
    namesakes,
    place,
    place_arrays,
    places,
    places_in_box,
    search_places,
    use_gazetteer,
    user_gazetteer_info,
)
from weaponsref.gazetteer._records import (
    PLACE_KINDS,
    AmbiguousPlaceError,
    GeoInterface,
    LocationLike,
    Place,
    Point,
)
from weaponsref.gazetteer._regions import REGIONS_DATE, REGIONS_SOURCE, region_names

__all__ = [
    "COORDINATE_FORMATS",
    "COUNTRIES_DATE",
    "COUNTRIES_SOURCE",
    "MAX_AREA_FILE_BYTES",
    "PLACE_KINDS",
    "REGIONS_DATE",
    "REGIONS_SOURCE",
    "AmbiguousPlaceError",
    "Gazetteer",
    "GazetteerInfo",
    "GeoInterface",
    "ImportedArea",
    "LocationLike",
    "Place",
    "PlaceArrays",
    "Point",
    "area",
    "area_names",
    "as_location",
    "country_names",
    "current_gazetteer",
    "default_gazetteer",
    "get_place",
    "import_area",
    "import_geonames",
    "imported_areas",
    "name_key",
    "namesakes",
    "place",
    "place_arrays",
    "places",
    "places_in_box",
    "region_names",
    "remove_area",
    "search_places",
    "use_gazetteer",
    "user_gazetteer_info",
]
