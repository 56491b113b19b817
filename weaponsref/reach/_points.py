"""Plain points and the distance between two locations or from an origin."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

from weaponsref import _units
from weaponsref import geo as geodesy
from weaponsref.gazetteer import Place, Point, as_location
from weaponsref.reach._origin import OriginLike
from weaponsref.reach._origin import origin as resolve_origin

if TYPE_CHECKING:
    from weaponsref._units import Quantity
    from weaponsref.gazetteer import LocationLike


_REAL: Final = frozenset({float, int})


def _fast_point(value: object) -> tuple[float, float] | None:
    """A plain ``(lat, lon)`` tuple of in-range floats or ints, else None (take the slow path)."""
    if type(value) is tuple and len(value) == 2:
        lat, lon = value
        if (
            (type(lat) is float or type(lat) is int)
            and (type(lon) is float or type(lon) is int)
            and -90.0 <= lat <= 90.0
            and -180.0 <= lon <= 180.0
        ):
            return lat, lon
    return None


def _coords(value: Any) -> tuple[float, float, Place | Point]:
    location = as_location(value)
    return location.lat, location.lon, location


def distance(origin: OriginLike, target: LocationLike) -> Quantity:
    """The geodesic distance on the WGS84 ellipsoid from ``origin`` to ``target``, in km.

    ``origin`` may be one place or point, a list of them (the distance is the least of
    theirs), or an area (:func:`area`: 0 inside it, else the distance to the nearest point
    of its boundary, whose edges are geodesics).

    >>> import weaponsref as wr
    >>> round(wr.distance((50.45, 30.5233), (55.7558, 37.6173)).to("km").magnitude, 1)
    757.1
    >>> round(wr.distance("Odesa", "Sevastopol").to("km").magnitude, 1)
    301.3
    >>> round(wr.distance(["Kyiv", "Odesa"], "Sevastopol").to("km").magnitude, 1)
    301.3
    """
    fast_origin, fast_target = _fast_point(origin), _fast_point(target)
    if fast_origin is not None and fast_target is not None:
        lat1, lon1 = fast_origin
        lat2, lon2 = fast_target
        metres = geodesy.inverse_m(lat1, lon1, lat2, lon2)
    else:
        lat2, lon2, _ = _coords(target)
        metres = resolve_origin(origin).distance_m(lat2, lon2)
    return _units.make(metres / 1000.0, "km")
