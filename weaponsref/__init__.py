"""weaponsref: weapon systems' published figures, their sources, and what their ranges cover.

Every figure is a pint quantity that keeps its source, the exact phrase it came from and its
qualifier. Distances are geodesics on the WGS84 ellipsoid.

>>> import weaponsref as wr
>>> bober = wr.lookup("Beaver")
>>> print(bober.range, "=", f"{bober.range.to('km'):.1f}")
1300 kilometer = 1300.0 kilometer
>>> print(wr.reaches("Bober", "Kyiv", "Moscow"))
Bober reaches Moscow, RU from Kyiv, UA: 757.1 km of 1,300 km (1,300 km, according to Ukraine (no official named) (MTV Uutiset, 2024-04)); 542.9 km to spare
"""

from __future__ import annotations

from .catalogue import (
    DATA_VERSION,
    Catalogue,
    claims_frame,
    current_catalogue,
    default_catalogue,
    get,
    load_catalogue,
    lookup,
    search,
    sources,
    systems,
    use_catalogue,
)
from .errors import (
    AreaFileError,
    ArgumentError,
    ArgumentValueError,
    CatalogueError,
    CoordinateError,
    DataFileError,
    FormatError,
    GazetteerFileError,
    LauncherError,
    LimitError,
    MissingExtraError,
    NotYetPublishedError,
    RecordError,
    UnitError,
    UnknownAreaError,
    UnknownImportedAreaError,
    UnknownPlaceError,
    UnknownSourceError,
    UnknownSystemError,
    WeaponsrefError,
    WeaponsrefWarning,
    WriteError,
)
from .gazetteer import (
    PLACE_KINDS,
    AmbiguousPlaceError,
    Gazetteer,
    Place,
    Point,
    area,
    current_gazetteer,
    default_gazetteer,
    get_place,
    namesakes,
    place,
    places,
    search_places,
    use_gazetteer,
)
from .geo import EARTH_MODEL, Area, TargetSet
from .reach import (
    Origin,
    PlacesWithin,
    Reach,
    distance,
    origin,
    places_within,
    range_ring,
    reach_table,
    reaches,
    within_range,
)
from .records import FIGURES, QUALIFIERS, Claim, Event, Source, System, preference
from .tables import table

__version__ = "0.3.0"

__all__ = [
    "DATA_VERSION",
    "EARTH_MODEL",
    "FIGURES",
    "PLACE_KINDS",
    "QUALIFIERS",
    "AmbiguousPlaceError",
    "Area",
    "AreaFileError",
    "ArgumentError",
    "ArgumentValueError",
    "Catalogue",
    "CatalogueError",
    "Claim",
    "CoordinateError",
    "DataFileError",
    "Event",
    "FormatError",
    "Gazetteer",
    "GazetteerFileError",
    "LauncherError",
    "LimitError",
    "MissingExtraError",
    "NotYetPublishedError",
    "Origin",
    "Place",
    "PlacesWithin",
    "Point",
    "Reach",
    "RecordError",
    "Source",
    "System",
    "TargetSet",
    "UnitError",
    "UnknownAreaError",
    "UnknownImportedAreaError",
    "UnknownPlaceError",
    "UnknownSourceError",
    "UnknownSystemError",
    "WeaponsrefError",
    "WeaponsrefWarning",
    "WriteError",
    "__version__",
    "area",
    "claims_frame",
    "current_catalogue",
    "current_gazetteer",
    "default_catalogue",
    "default_gazetteer",
    "distance",
    "get",
    "get_place",
    "load_catalogue",
    "lookup",
    "namesakes",
    "origin",
    "place",
    "places",
    "places_within",
    "preference",
    "range_ring",
    "reach_table",
    "reaches",
    "search",
    "search_places",
    "sources",
    "systems",
    "table",
    "use_catalogue",
    "use_gazetteer",
    "within_range",
]
