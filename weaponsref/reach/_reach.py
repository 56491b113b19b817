"""Reach: where a system's published claim meets the WGS84 geodesy.

Distances between named places, reach verdicts, range rings and exact bulk masks for
systems, claims or plain lengths. The float-level computation is :mod:`weaponsref.geodesy`.

Every distance is the geodesic on the WGS84 ellipsoid computed by GeographicLib's algorithm
(Karney 2013) through :class:`pyproj.Geod`, which is imported on first use. Every verdict says
which claim it used. Points are given latitude first, in degrees: a place name, a
``(lat, lon)`` tuple, a :class:`~weaponsref.Place`, a :class:`~weaponsref.Point` or any object
with a GeoJSON Point ``__geo_interface__``.

>>> import weaponsref as wr
>>> print(f'{wr.distance("Kyiv", "Moscow"):.3f}')
757.104 kilometer
>>> reach = wr.reaches("HIMARS", "Kyiv", "Moscow")
>>> reach.status, reach.claim.quote
('does not reach', 'Ukraine also has its HIMARS rocket systems for defence, but these have a range of only 50 miles.')
>>> print(wr.reaches("Storm Shadow", "Zaporizhzhia", "Sevastopol"))
Storm Shadow: not established whether it reaches Sevastopol from Zaporizhzhya: 381.3 km is 131.3 km beyond 250 km (more than 250 km, Forces News, undated), which the source gives only as a lower bound
"""

from __future__ import annotations

import numbers
import warnings
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, Final, Union

import attrs

from weaponsref import _units
from weaponsref import geo as geodesy
from weaponsref.catalogue import current_catalogue
from weaponsref.errors import (
    CoordinateError,
    LimitError,
    MissingExtraError,
    RecordError,
    UnitError,
    UnknownSourceError,
    UnknownSystemError,
    WeaponsrefWarning,
)
from weaponsref.gazetteer import Place, Point, as_location
from weaponsref.geo import EARTH_MODEL, Area, TargetSet
from weaponsref.records import LOWER_BOUNDS, UPPER_BOUNDS, Claim, System, preference, preferred_of

if TYPE_CHECKING:
    from weaponsref._units import Quantity
    from weaponsref.catalogue import Catalogue
    from weaponsref.gazetteer import LocationLike

__all__ = [
    "DOES_NOT_REACH",
    "MAX_ORIGINS",
    "NOT_ESTABLISHED",
    "REACHES",
    "STATUSES",
    "OriginLike",
    "PlacesWithin",
    "RangeLike",
    "Reach",
    "distance",
    "places_within",
    "range_claim",
    "range_ring",
    "reach_table",
    "reaches",
    "resolve_range",
    "within_range",
]

#: What a range argument may be: a system (or its name), a claim, a length quantity, or a
#: distance written as text such as ``"500 km"``.
RangeLike = Union[System, Claim, str, "Quantity"]

#: What an origin may be besides one location: several places or points (a list), or an
#: area (an :class:`~weaponsref.areas.Area`, a GeoJSON Polygon or MultiPolygon, or anything
#: with such a ``__geo_interface__``).
OriginLike = Sequence["LocationLike"] | Area | dict[str, Any]

_REACH_FIGURES = ("range", "radius_of_action")
_FAST_CACHE_SIZE = 1024


def _catalogue(catalogue: Catalogue | None) -> Catalogue:
    return catalogue if catalogue is not None else current_catalogue()


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


#: The most origins one call may take.
MAX_ORIGINS: Final = 10_000


def _is_several(value: object) -> bool:
    """Whether ``value`` is a list or tuple of several locations (not one ``(lat, lon)``)."""
    if not isinstance(value, list | tuple):
        return False
    return not all(isinstance(v, numbers.Real) for v in value)


def _origin_points(value: Any) -> list[tuple[float, float, Place | Point]]:
    if not value:
        raise CoordinateError("the list of origins is empty; give at least one place or point")
    if len(value) > MAX_ORIGINS:
        raise LimitError(f"at most {MAX_ORIGINS:,} origins at once (got {len(value):,})")
    found = []
    for item in value:
        if _is_several(item) or _area_of(item) is not None:
            raise CoordinateError(
                f"an origin in a list must be one place or point (got {item!r:.60}); "
                "give areas one at a time"
            )
        found.append(_coords(item))
    return found


def _area_of(value: object) -> Area | None:
    """``value`` as an :class:`~weaponsref.areas.Area` if it is one (or a GeoJSON polygon)."""
    if isinstance(value, Area):
        return value
    if isinstance(value, str | Place | Point | list | tuple):
        return None
    interface = value if isinstance(value, dict) else getattr(value, "__geo_interface__", None)
    if isinstance(interface, dict) and interface.get("type") in _AREA_TYPES:
        return Area.from_geojson(interface)
    return None


_AREA_TYPES: Final = ("Polygon", "MultiPolygon", "Feature", "FeatureCollection")


def _nearest_origin(
    origin: Any, lat2: float, lon2: float
) -> tuple[float, Place | Point | Area, int | None, Point | None]:
    """(distance_m, origin that gave it, its index among several, nearest boundary point)."""
    area = _area_of(origin)
    if area is not None:
        metres, near_lat, near_lon = area.distance_m(lat2, lon2)
        near = None if near_lat is None or near_lon is None else Point(near_lat, near_lon)
        return metres, area, None, near
    if _is_several(origin):
        points = _origin_points(origin)
        n = len(points)
        s12 = geodesy.geod().inv(
            [p[1] for p in points], [p[0] for p in points], [lon2] * n, [lat2] * n
        )[2]
        best = min(range(n), key=lambda i: (s12[i], i))
        return float(s12[best]), points[best][2], best, None
    lat1, lon1, location = _coords(origin)
    return geodesy.inverse_m(lat1, lon1, lat2, lon2), location, None, None


def distance(origin: LocationLike | OriginLike, target: LocationLike) -> Quantity:
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
        metres = _nearest_origin(origin, lat2, lon2)[0]
    return _units.make(metres / 1000.0, "km")


def range_claim(
    system: System,
    variant: str | None = None,
    source: str | None = None,
    *,
    catalogue: Catalogue | None = None,
) -> Claim:
    """The range claim a verdict for ``system`` uses.

    Without ``source``, the preferred range claim of ``variant`` (see
    :func:`~weaponsref.records.preference`); with ``source`` (a source id), that source's own
    range claim. A launcher's munition is a variant too: where the launcher has no claim of
    that variant but launches a system of that name (``HIMARS`` launches ``ATACMS``), the
    munition's own range claim is used, so that "HIMARS with ATACMS" and "ATACMS" agree.

    >>> import weaponsref as wr
    >>> himars = wr.lookup("HIMARS")
    >>> range_claim(himars, "ATACMS") is range_claim(wr.lookup("ATACMS"))
    True
    """
    _check_variant(variant)
    owner = system
    group = system.claims_for("range", variant)
    if not group and variant is not None and system.launches:
        munition = _catalogue(catalogue).get(variant)
        if munition is not None and munition.id in system.launches:
            owner = munition
            group = munition.claims_for("range", None)
    if not group:
        system.claim("range", variant)  # raises, naming the variants there are
    if source is None:
        return owner.claim("range", variant if owner is system else None)
    if not isinstance(source, str):
        raise UnknownSourceError(repr(source))
    chosen = [claim for claim in group if claim.source.id == source]
    if not chosen:
        ids = tuple(dict.fromkeys(claim.source.id for claim in group))
        raise RecordError(
            f"{owner.name} has no {variant or 'range'} claim from source {source!r:.60}; "
            f"its range sources are {', '.join(ids)}",
            field="source",
        )
    return min(chosen, key=lambda c: preference(c, group))


def resolve_range(
    what: RangeLike,
    *,
    variant: str | None = None,
    source: str | None = None,
    catalogue: Catalogue | None = None,
) -> tuple[float, Claim | None, System | None]:
    """Turn a range argument into metres, the claim it rests on and that claim's system.

    A system (or its name) gives its preferred range claim for ``variant`` (or ``source``'s
    claim, see :func:`range_claim`); a claim gives itself; a length (``"500 km"`` or a pint
    quantity) has no claim. A claim must be a range or a radius of action. A band gives its
    upper end.
    """
    _check_variant(variant)
    catalogue = _catalogue(catalogue)
    if source is not None and not isinstance(what, System | str):
        raise RecordError("source= picks a claim of a system; give a system or its name")
    if isinstance(what, System):
        claim = range_claim(what, variant, source, catalogue=catalogue)
        return claim.metres, claim, what
    if isinstance(what, Claim):
        if what.figure not in _REACH_FIGURES:
            raise RecordError(
                f"a {what.figure} claim is not a distance a system can cover; "
                "give a range or radius_of_action claim",
                field="figure",
            )
        return what.metres, what, catalogue.system_of(what)
    if isinstance(what, str):
        system = catalogue.get(what)
        if system is not None:
            claim = range_claim(system, variant, source, catalogue=catalogue)
            return claim.metres, claim, system
        if source is not None:
            raise UnknownSystemError(what, catalogue._suggest(what))
        if not any(ch.isdigit() for ch in what):
            raise UnknownSystemError(what, catalogue._suggest(what))
    try:
        length = _units.as_length(what, what="range")
    except UnitError as error:
        raise UnitError(
            f"{error}; a range is a system name, a Claim, or a length such as '500 km'"
        ) from None
    return float(length.to("m").magnitude), None, None


def _check_variant(variant: object) -> None:
    if variant is not None and not isinstance(variant, str):
        raise RecordError(
            f"variant must be a str such as 'ATACMS' or 'export', or None "
            f"(got {variant!r:.40} that is a {type(variant).__name__})",
            field="variant",
        )


#: The three outcomes of a verdict, :attr:`Reach.status`.
REACHES: Final = "reaches"
DOES_NOT_REACH: Final = "does not reach"
NOT_ESTABLISHED: Final = "not established"
STATUSES: Final = (REACHES, DOES_NOT_REACH, NOT_ESTABLISHED)


@attrs.frozen(repr=False)
class Reach:
    """A verdict: whether a published range covers the geodesic distance between two points.

    :attr:`status` is ``"reaches"``, ``"does not reach"`` or ``"not established"``, and
    never says more than the source did:

    - within the figure, it reaches;
    - beyond a lower bound ("more than 250 km", "at least"), it is not established: the
      source says only that the system flies at least that far;
    - beyond an upper bound ("up to", "maximum", "only") or a plain figure, it does not
      reach; a plain or approximate figure whose margin is inside its own rounding is
      flagged :attr:`close`;
    - a band counts its upper end, or with ``use_low`` its lower end; beyond the lower end
      but within the upper one is not established.

    ``bool(reach)`` is True only for "reaches". ``distance``, ``range`` and ``margin`` are
    quantities in kilometres (``margin`` is negative beyond the range); ``distance_m``,
    ``range_m`` and ``margin_m`` are plain metres. ``claim`` is the published claim the
    verdict used (None for a bare distance), and ``earth_model`` names the earth model.

    >>> import weaponsref as wr
    >>> reach = wr.reaches("Bober", "Kyiv", "Moscow")
    >>> reach.status, reach.claim.source.cited_as, round(reach.margin.magnitude, 1)
    ('reaches', 'Daily Mail', 242.3)
    """

    system: System | None
    claim: Claim | None
    origin: Place | Point | Area
    target: Place | Point
    distance_m: float
    range_m: float
    use_low: bool = False
    earth_model: str = EARTH_MODEL
    #: The variant or munition the verdict was asked for, e.g. "ATACMS" for HIMARS.
    variant: str | None = None
    #: Given several origins, the index of the one that gave the distance (the nearest);
    #: None for a single origin.
    origin_index: int | None = None
    #: From an area, the point of its boundary nearest the target (None when the target is
    #: inside the area, at distance 0, and for a point origin).
    nearest: Point | None = None
    #: The system's published minimum range in metres, or None: a target nearer than it is
    #: not reached.
    min_range_m: float | None = None

    def __bool__(self) -> bool:
        inside = self.min_range_m is not None and self.distance_m < self.min_range_m
        return self.distance_m <= self.range_m and not inside

    @property
    def reaches(self) -> bool:
        """Whether the range covers the distance (the same as ``bool(reach)``)."""
        return bool(self)

    @property
    def too_near(self) -> bool:
        """True when the target is nearer than the system's published minimum range."""
        return self.min_range_m is not None and self.distance_m < self.min_range_m

    @property
    def status(self) -> str:
        """``"reaches"``, ``"does not reach"`` or ``"not established"``; see the class."""
        if self.too_near:
            return DOES_NOT_REACH
        if self.distance_m <= self.range_m:
            return REACHES
        claim = self.claim
        if claim is None:
            return DOES_NOT_REACH
        if self.use_low and claim.low_metres is not None:
            upper = claim.metres
            return NOT_ESTABLISHED if self.distance_m <= upper else DOES_NOT_REACH
        if claim.qualifier in LOWER_BOUNDS:
            return NOT_ESTABLISHED
        return DOES_NOT_REACH

    @property
    def rounding_m(self) -> float | None:
        """Half the place value of the figure's last significant digit, in metres: how far
        the figure itself may be from the true value by rounding alone ("about 1,000 km" is
        ±500 km, "621 mi" ±0.5 mi). None for a bound or a bare distance."""
        claim = self.claim
        if claim is None or claim.qualifier in LOWER_BOUNDS | UPPER_BOUNDS:
            return None
        quantity = claim.low if self.use_low and claim.low is not None else claim.value
        return _half_last_place(quantity.magnitude) * float(
            _units.make(1, str(quantity.units)).m_as("m")
        )

    @property
    def close(self) -> bool:
        """True when a plain or approximate figure decides the verdict by less than its own
        rounding (:attr:`rounding_m`): the reader should treat it as too close to call."""
        rounding = self.rounding_m
        return rounding is not None and abs(self.margin_m) <= rounding

    @property
    def margin_m(self) -> float:
        """Range minus distance, in metres: what is to spare, or negative, what is short."""
        return self.range_m - self.distance_m

    @property
    def distance(self) -> Quantity:
        """The geodesic distance on WGS84, in km."""
        return _units.make(self.distance_m / 1000.0, "km")

    @property
    def range(self) -> Quantity:
        """The range the verdict used, in km (a band's upper end, or its lower end with
        ``use_low``)."""
        return _units.make(self.range_m / 1000.0, "km")

    @property
    def margin(self) -> Quantity:
        """Range minus distance, in km."""
        return _units.make(self.margin_m / 1000.0, "km")

    @property
    def system_name(self) -> str:
        """The system's name, or the range as text for a bare distance."""
        return self.system.name if self.system is not None else self.range_text

    @property
    def range_text(self) -> str:
        """The range as published (with its qualifier), or in km for a bare distance."""
        if self.claim is None:
            return _units.format_quantity(self.range)
        if self.use_low and self.claim.low is not None:
            return f"lower end of {self.claim.describe()}"
        return self.claim.describe()

    def __str__(self) -> str:
        name = self.system_name
        variant = self.variant or (self.claim.variant if self.claim is not None else None)
        if variant:
            name = f"{name} ({variant})"
        where = f"{self.target.label} from {self.origin.label}"
        if self.nearest is not None:
            where += f" (nearest point {self.nearest.lat:.4f}, {self.nearest.lon:.4f})"
        elif self.distance_m == 0.0 and getattr(self.origin, "is_area", False):
            where += " (inside it)"
        distance = _units.format_quantity(self.distance)
        range_ = _units.format_quantity(self.range)
        basis = ""
        if self.claim is not None:
            basis = f" ({self.range_text}, {self.claim.dated_source})"
        margin = _units.format_quantity(_units.make(abs(self.margin_m) / 1000.0, "km"))
        tail = ""
        if self.close:
            rounding = _units.format_quantity(_units.make(self.rounding_m or 0.0, "m"), "km")
            tail = f"; close: inside the figure's own rounding (±{rounding})"
        status = self.status
        if self.too_near:
            minimum = _units.format_quantity(_units.make((self.min_range_m or 0.0) / 1000, "km"))
            return (
                f"{name} does not reach {where}: {distance} is inside its published minimum "
                f"range of {minimum}"
            )
        if status == REACHES:
            return f"{name} reaches {where}: {distance} of {range_}{basis}; {margin} to spare{tail}"
        if status == NOT_ESTABLISHED:
            return (
                f"{name}: not established whether it reaches {where}: {distance} is {margin} "
                f"beyond {range_}{basis}, which the source gives only as a lower bound"
            )
        return f"{name} does not reach {where}: {distance} against {range_}{basis}; {margin} short{tail}"

    def row(self) -> dict[str, Any]:
        """The verdict as a flat dict with stable keys, as tables, CSV and the command line's
        JSON show it: system, variant, claim, qualifier, source, source_id, url, quote,
        origin, target, distance_km, range_km, margin_km, status, close, reaches,
        earth_model."""
        claim = self.claim
        return {
            "system": self.system_name,
            "variant": self.variant or (claim.variant if claim is not None else None),
            "claim": claim.describe() if claim is not None else self.range_text,
            "qualifier": claim.qualifier if claim is not None else None,
            "source": claim.dated_source if claim is not None else None,
            "source_id": claim.source.id if claim is not None else None,
            "url": claim.source.url if claim is not None else None,
            "quote": claim.quote if claim is not None else None,
            "origin": self.origin.label,
            "target": self.target.label,
            "distance_km": round(self.distance_m / 1000, 3),
            "range_km": round(self.range_m / 1000, 3),
            "margin_km": round(self.margin_m / 1000, 3),
            "status": self.status,
            "close": self.close,
            "reaches": bool(self),
            "earth_model": self.earth_model,
        }

    def to_dict(self) -> dict[str, Any]:
        """The verdict as JSON-ready data: its status, the distance, range and margin as
        value and unit, the claim (see :meth:`~weaponsref.records.Claim.to_dict`), the
        origin and target with their coordinates, and the earth model.

        >>> import json, weaponsref as wr
        >>> data = wr.reaches("Bober", "Kyiv", "Moscow").to_dict()
        >>> data["status"], data["distance"]["unit"], data["claim"]["source"]
        ('reaches', 'kilometer', 'dailymail-2023-08-01')
        >>> len(json.dumps(data)) > 200
        True
        """

        def where(location: Any) -> dict[str, Any]:
            found: dict[str, Any] = {"label": location.label}
            if isinstance(location, Place | Point):
                found.update(lat=location.lat, lon=location.lon)
            return found

        return {
            "status": self.status,
            "reaches": bool(self),
            "close": self.close,
            "system": self.system.id if self.system is not None else None,
            "variant": self.variant,
            "claim": self.claim.to_dict() if self.claim is not None else None,
            "origin": where(self.origin),
            "target": where(self.target),
            "nearest_boundary_point": where(self.nearest) if self.nearest is not None else None,
            "distance": {"value": self.distance_m / 1000.0, "unit": "kilometer"},
            "range": {"value": self.range_m / 1000.0, "unit": "kilometer"},
            "margin": {"value": self.margin_m / 1000.0, "unit": "kilometer"},
            "minimum_range": (
                {"value": self.min_range_m / 1000.0, "unit": "kilometer"}
                if self.min_range_m is not None
                else None
            ),
            "use_low": self.use_low,
            "earth_model": self.earth_model,
        }

    def __repr__(self) -> str:
        claim = f"{self.claim.describe()!r}" if self.claim is not None else "None"
        return (
            f"Reach({self.system_name!r}, {self.origin.label!r} -> {self.target.label!r}, "
            f"distance_km={self.distance_m / 1000:.1f}, range_km={self.range_m / 1000:.1f}, "
            f"claim={claim}, status={self.status!r})"
        )


def _half_last_place(magnitude: float) -> float:
    """Half the place value of the last significant digit of a figure as the source wrote it:
    1000 -> 500, 621 -> 0.5, 0.8 -> 0.05, 1170 -> 5."""
    if isinstance(magnitude, int) or float(magnitude).is_integer():
        number = abs(int(magnitude))
        place = 1
        while number and number % 10 == 0:
            number //= 10
            place *= 10
        return place / 2
    decimals = len(repr(float(magnitude)).split(".")[1].rstrip("0") or "0")
    return 0.5 * 10.0**-decimals


def reaches(
    system: RangeLike,
    origin: LocationLike | OriginLike,
    target: LocationLike,
    *,
    claim: Claim | None = None,
    variant: str | None = None,
    source: str | None = None,
    use_low: bool = False,
    catalogue: Catalogue | None = None,
) -> Reach:
    """Whether ``system``'s published range covers the geodesic distance from ``origin`` to
    ``target`` on WGS84; :attr:`Reach.status` says "reaches", "does not reach" or "not
    established", following the claim's qualifier.

    ``system`` is a system or its name (its preferred range claim is used), a claim, or a
    length such as ``"500 km"``. ``claim`` picks any claim of the system instead, ``variant``
    the preferred claim of a variant or a launcher's munition (``"ATACMS"``, ``"export"``),
    and ``source`` the claim of one source by its id (``"dailymail-2023-08-01"``). A band
    claim counts its upper end unless ``use_low`` is True.

    >>> import weaponsref as wr
    >>> storm_shadow = wr.lookup("Storm Shadow")
    >>> export = storm_shadow.claim("range", variant="export")
    >>> print(wr.reaches(storm_shadow, "Odesa", "Sevastopol", claim=export))
    Storm Shadow (export) does not reach Sevastopol from Odesa: 301.3 km against 250 km (250 km, AeroTime, undated); 51.3 km short
    >>> print(wr.reaches("HIMARS", "Kharkiv", "Belgorod", variant="ATACMS"))
    HIMARS (ATACMS) reaches Belgorod from Kharkiv: 73 km of 300 km (about 300 km, AFP (via SpaceWar.com), 2023-10-18); 227 km to spare
    >>> wr.reaches("ATACMS", "Kharkiv", "Belgorod").claim is wr.reaches(
    ...     "HIMARS", "Kharkiv", "Belgorod", variant="ATACMS").claim
    True
    >>> wr.reaches("Bober", "Kyiv", "Moscow", source="gagadget-beaver").claim.value_text()
    '1,000 km'
    """
    # The hot path: two plain (lat, lon) tuples of in-range numbers and a cached range.
    if (
        claim is None
        and not use_low
        and type(origin) is tuple
        and type(target) is tuple
        and len(origin) == 2
        and len(target) == 2
    ):
        lat1: Any
        lon1: Any
        lat2: Any
        lon2: Any
        lat1, lon1 = origin
        lat2, lon2 = target
        if (
            type(lat1) in _REAL
            and type(lon1) in _REAL
            and type(lat2) in _REAL
            and type(lon2) in _REAL
            and -90.0 <= lat1 <= 90.0
            and -90.0 <= lat2 <= 90.0
            and -180.0 <= lon1 <= 180.0
            and -180.0 <= lon2 <= 180.0
        ):
            metres, used, owner = _resolve_cached(system, variant, source, catalogue)
            if owner is not None and owner._has_minimum:
                return _reaches_slow(
                    system, origin, target, claim, variant, source, use_low, catalogue
                )
            return Reach(
                owner,
                used,
                Point(lat1, lon1),
                Point(lat2, lon2),
                geodesy.inverse_m(lat1, lon1, lat2, lon2),
                metres,
                False,
                EARTH_MODEL,
                variant,
            )
    return _reaches_slow(system, origin, target, claim, variant, source, use_low, catalogue)


def _reaches_slow(
    system: RangeLike,
    origin: LocationLike | OriginLike,
    target: LocationLike,
    claim: Claim | None,
    variant: str | None,
    source: str | None,
    use_low: bool,
    catalogue: Catalogue | None,
) -> Reach:
    if claim is not None and source is not None:
        raise RecordError("give claim= or source=, not both", field="source")
    if claim is not None:
        if not isinstance(claim, Claim):
            raise RecordError(f"claim must be a Claim record (got {claim!r})", field="claim")
        owner = None
        if isinstance(system, System | str):
            owner = _catalogue(catalogue).lookup(system)
            if claim not in owner.claims:
                raise RecordError(
                    f"that claim ({claim.describe()}, {claim.dated_source}) is not one of "
                    f"{owner.name}'s claims",
                    field="claim",
                )
        metres, used, found = resolve_range(claim, catalogue=catalogue)
        owner = owner or found
    else:
        metres, used, owner = resolve_range(
            system, variant=variant, source=source, catalogue=catalogue
        )
    if use_low:
        if used is None or used.low is None:
            raise RecordError("use_low needs a band claim, which has a lower end", field="use_low")
        low = used.low_metres
        assert low is not None
        metres = low
    lat2, lon2, end = _coords(target)
    distance_m, start, index, near = _nearest_origin(origin, lat2, lon2)
    minimum = None
    if used is not None and used.figure == "range":
        minimum = minimum_range_m(owner, used.variant)
    return Reach(
        owner,
        used,
        start,
        end,
        distance_m,
        metres,
        use_low,
        EARTH_MODEL,
        variant,
        index,
        near,
        minimum,
    )


def minimum_range_m(system: System | None, variant: str | None = None) -> float | None:
    """The system's preferred published minimum range in metres (of ``variant``, else with no
    variant), or None when no source gives one."""
    if system is None:
        return None
    group = system.claims_for("minimum_range", variant) or system.claims_for("minimum_range", None)
    if not group:
        return None
    return preferred_of(group).metres


def _resolve_cached(
    what: RangeLike, variant: str | None, source: str | None, catalogue: Catalogue | None
) -> tuple[float, Claim | None, System | None]:
    """:func:`resolve_range`, remembered for a system, its name or a distance's text.

    Kept on the catalogue by (what, variant): a catalogue never changes once loaded, so an
    entry never goes stale. Bounded, so a stream of distinct distances ("500 km", "501 km",
    ...) cannot grow it without end; past the bound, new keys are resolved each time.
    """
    # _catalogue(), inlined: this runs on every hot-path verdict.
    owner = catalogue if catalogue is not None else current_catalogue()
    cache = owner._resolved
    kind = type(what)
    key = None
    if (kind is str or kind is System) and (variant is None or type(variant) is str):
        key = (what, variant, source) if source is None or type(source) is str else None
    found = cache.get(key) if key is not None else None
    if found is None:
        found = resolve_range(what, variant=variant, source=source, catalogue=owner)
        if key is not None and len(cache) < _FAST_CACHE_SIZE:
            cache[key] = found
    return found


def reach_table(
    origin: LocationLike | OriginLike,
    target: LocationLike,
    *,
    systems: Iterable[System | str] | None = None,
    all_claims: bool = False,
    source: str | None = None,
    catalogue: Catalogue | None = None,
) -> tuple[Reach, ...]:
    """Verdicts from ``origin`` to ``target`` for every system (or ``systems``): each system's
    preferred range, or with ``all_claims`` every range claim of every variant, or with
    ``source`` only the claims of that source (systems it gives no range for are left out).

    >>> import weaponsref as wr
    >>> four = ["Bober", "UJ-22", "Storm Shadow", "HIMARS"]
    >>> [(r.system.name, r.status) for r in wr.reach_table("Kyiv", "Moscow", systems=four)]
    [('Bober', 'reaches'), ('UJ-22 Airborne', 'reaches'), ('Storm Shadow', 'not established'), ('HIMARS', 'does not reach')]
    >>> print(wr.table(wr.reach_table("Kyiv", "Moscow", systems=four), fmt="plain"))  # doctest: +NORMALIZE_WHITESPACE
    System          Claim             Distance    Range     Margin     Status           Source
    Bober           up to 621 mi      757.1 km    999.4 km  242.3 km   reaches          Daily Mail, 2023-08-01
    UJ-22 Airborne  maximum 800 km    757.1 km    800 km    42.9 km    reaches          Pravda.ru, 2023-02-28
    Storm Shadow    more than 250 km  757.1 km    250 km    -507.1 km  not established  Forces News, undated
    HIMARS          only 50 mi        757.1 km    80.5 km   -676.6 km  does not reach   Daily Mail, 2023-08-01
    >>> [r.claim.value_text() for r in wr.reach_table("Kyiv", "Moscow", systems=four, source="dailymail-2023-08-01")]
    ['621 mi', '500 mi', '350 mi', '50 mi']
    """
    owner = _catalogue(catalogue)
    lat2, lon2, end = _coords(target)
    metres, start, index, near = _nearest_origin(origin, lat2, lon2)
    chosen = owner.systems() if systems is None else tuple(owner.lookup(s) for s in systems)
    rows = []
    if source is not None and not isinstance(source, str):
        raise UnknownSourceError(repr(source))
    if source is not None:
        owner.source(source)  # an unknown id is an error, not an empty table
    for system in chosen:
        if source is not None:
            claims = tuple(c for c in system.claims_for("range") if c.source.id == source)
            if not all_claims:
                by_variant: dict[str | None, Claim] = {}
                for c in sorted(claims, key=lambda c: preference(c, claims)):
                    by_variant.setdefault(c.variant, c)
                claims = tuple(by_variant.values())
        elif all_claims:
            claims = system.claims_for("range")
        else:
            claims = (system.claim("range"),)
        for claim in claims:
            rows.append(
                Reach(
                    system,
                    claim,
                    start,
                    end,
                    metres,
                    claim.metres,
                    origin_index=index,
                    nearest=near,
                    min_range_m=minimum_range_m(system, claim.variant),
                )
            )
    return tuple(rows)


def range_ring(
    what: RangeLike,
    origin: LocationLike | OriginLike,
    *,
    tolerance: str | Quantity | None = None,
    min_range: RangeLike | None = None,
    points: int | None = None,
    variant: str | None = None,
    source: str | None = None,
    catalogue: Catalogue | None = None,
) -> dict[str, Any]:
    """A GeoJSON Feature (RFC 7946) of every point within range of ``origin``.

    ``what`` is a system or its name, a claim, or a length such as ``"500 km"``. ``origin`` is
    a place or point, a list of them (the union of their disks) or an area (its geodesic
    buffer: the area and every point within range of it). Containment in the polygon, read
    with straight edges in longitude and latitude as RFC 7946 says, agrees with
    :func:`reaches` everywhere except within ``tolerance`` of the ring.

    ``tolerance`` (a length, default :data:`~weaponsref.geodesy.DEFAULT_TOLERANCE_M`, 100 m)
    bounds how far any point of the drawn edges may be from the true geodesic circle;
    vertices are placed by adaptive subdivision to meet it, and coordinates are rounded no
    more than it allows. ``points`` (superseded) asks for that many evenly spaced vertices
    instead, as before the tolerance existed. ``min_range`` (a length or a claim) cuts a hole:
    the ring of a system that cannot strike nearer than its minimum range.

    A ring that crosses the antimeridian becomes a MultiPolygon; one around a pole is closed
    over it; a range beyond half the meridian (the largest geodesic distance) is clamped,
    with a warning, and the ring is then the whole Earth (``whole_earth`` is true). The
    properties name the system, claim, source, range, tolerance and earth model.

    >>> import weaponsref as wr
    >>> ring = wr.range_ring("Bober", "Kyiv")
    >>> ring["geometry"]["type"], ring["properties"]["source"], ring["properties"]["range_km"]
    ('Polygon', 'Daily Mail, 2023-08-01', 999.403)
    >>> ring["properties"]["tolerance_m"], ring["properties"]["whole_earth"]
    (100.0, False)
    """
    metres, claim, system = resolve_range(what, variant=variant, source=source, catalogue=catalogue)
    tolerance_m = None
    if tolerance is not None:
        tolerance_m = _units.as_length(tolerance, what="tolerance").m_as("m")
    inner_m = None
    if min_range is not None:
        inner_m = resolve_range(min_range, catalogue=catalogue)[0]
    elif claim is not None and claim.figure == "range" and _area_of(origin) is None:
        inner_m = minimum_range_m(system, claim.variant)  # the system's own, if published
    used_tolerance = None if points is not None and tolerance_m is None else tolerance_m
    if used_tolerance is None and points is None:
        used_tolerance = geodesy.DEFAULT_TOLERANCE_M
    area = _area_of(origin)
    origin_properties: dict[str, Any]
    if area is not None:
        if inner_m is not None:
            raise RecordError("min_range is for a point origin; an area has no minimum range")
        geometry, used = area.buffer_geometry(metres, used_tolerance or 100.0)
        origin_properties = {"origin": area.label, "origin_kind": "area"}
    elif _is_several(origin):
        found = _origin_points(origin)
        geometries = []
        used = metres
        for lat, lon, _ in found:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", WeaponsrefWarning)
                part, used = geodesy.ring_geometry(
                    lat, lon, metres, points, tolerance_m=tolerance_m, inner_m=inner_m
                )
            geometries.append(part)
        geometry = _union(geometries)
        origin_properties = {
            "origin": [location.label for _, _, location in found],
            "origin_kind": "points",
            "origin_lat": [lat for lat, _, _ in found],
            "origin_lon": [lon for _, lon, _ in found],
        }
    else:
        lat, lon, location = _coords(origin)
        geometry, used = geodesy.ring_geometry(
            lat, lon, metres, points, tolerance_m=tolerance_m, inner_m=inner_m
        )
        origin_properties = {
            "origin": location.label,
            "origin_kind": "point",
            "origin_lat": lat,
            "origin_lon": lon,
        }
    if used != metres and area is None and _is_several(origin):
        warnings.warn(
            f"range {metres:.3f} m is beyond half the WGS84 meridian; clamped to "
            f"{geodesy.HALF_MERIDIAN_M:.3f} m, which already covers the whole Earth",
            WeaponsrefWarning,
            stacklevel=2,
        )
    properties: dict[str, Any] = {
        "system": system.name if system is not None else None,
        "figure": claim.figure if claim is not None else None,
        "variant": variant or (claim.variant if claim is not None else None),
        "claim": claim.describe() if claim is not None else None,
        "quote": claim.quote if claim is not None else None,
        "source": claim.dated_source if claim is not None else None,
        "source_id": claim.source.id if claim is not None else None,
        "qualifier": claim.qualifier if claim is not None else None,
        "source_url": claim.source.url if claim is not None else None,
        "range_m": round(used, 3),
        "range_km": round(used / 1000.0, 3),
        "published_range_m": round(metres, 3),
        "min_range_m": None if inner_m is None else round(inner_m, 3),
        "clamped": used != metres,
        "whole_earth": used >= geodesy.HALF_MERIDIAN_M,
        **origin_properties,
        "points": points,
        "tolerance_m": used_tolerance,
        "earth_model": EARTH_MODEL,
    }
    return {"type": "Feature", "geometry": geometry, "properties": properties}


def _union(geometries: list[dict[str, Any]]) -> dict[str, Any]:
    """The union of ring geometries (shapely, the ``areas`` extra), as RFC 7946 GeoJSON."""
    if len(geometries) == 1:
        return geometries[0]
    try:
        import shapely
        from shapely.geometry import mapping, shape
        from shapely.geometry.polygon import orient
    except ImportError:
        raise MissingExtraError(
            "a ring around several origins needs shapely to join their disks; "
            "install it with: pip install 'weaponsref[areas]'"
        ) from None
    merged = shapely.make_valid(shapely.unary_union([shape(g) for g in geometries]))
    parts = [g for g in getattr(merged, "geoms", [merged]) if g.geom_type == "Polygon"]
    coordinates = [
        [[[float(x), float(y)] for x, y in ring] for ring in mapping(orient(p, 1.0))["coordinates"]]
        for p in parts
        if not p.is_empty
    ]
    if len(coordinates) == 1:
        return {"type": "Polygon", "coordinates": coordinates[0]}
    return {"type": "MultiPolygon", "coordinates": coordinates}


def within_range(
    what: RangeLike,
    origin: LocationLike | OriginLike,
    lats: Any,
    lons: Any = None,
    *,
    min_range: RangeLike | None = None,
    variant: str | None = None,
    source: str | None = None,
    catalogue: Catalogue | None = None,
) -> Any:
    """An exact boolean mask: which points lie within range of ``origin`` on WGS84.

    ``lats`` and ``lons`` are arrays of degrees, or pass a :class:`TargetSet` as ``lats`` to
    reuse its precomputed unit vectors. The result equals ``Geod.inv`` run on every point
    (distance <= range), but only points in a thin band near the range are run through the
    exact geodesic; the others are settled by a proven bound on the spherical angle.

    ``origin`` may be a list of places or points (a point is within range of any of them)
    or an area (within range of its nearest boundary point, or inside it). ``min_range`` (a
    length or a claim) leaves out the points nearer than it, as for a system with a
    published minimum range.

    >>> import numpy as np, weaponsref as wr
    >>> lats, lons = np.array([55.7558, 46.4857]), np.array([37.6173, 30.7434])
    >>> wr.within_range("HIMARS", "Kyiv", lats, lons).tolist()
    [False, False]
    >>> wr.within_range("Bober", "Kyiv", wr.TargetSet(lats, lons)).tolist()
    [True, True]
    >>> wr.within_range("500 km", ["Kyiv", "Odesa"], lats, lons).tolist()
    [False, True]

    At scale, ``lats`` and ``lons`` may be dask arrays: the mask is a lazy dask array
    computed block by block (on any dask scheduler or cluster), each block exactly as above.
    Given xarray DataArrays, the mask is a DataArray with their dimensions and coordinates
    (lazy too when they hold dask arrays). Both need the ``scale`` extra
    (``pip install 'weaponsref[scale]'``).
    """
    if type(lats).__module__.startswith(("dask", "xarray")):
        return _chunked_mask(
            what, origin, lats, lons, min_range=min_range, variant=variant, source=source,
            catalogue=catalogue,
        )  # fmt: skip
    metres, used, owner = _resolve_cached(what, variant, source, catalogue)
    inner = None if min_range is None else resolve_range(min_range, catalogue=catalogue)[0]
    has_minimum = owner is not None and owner._has_minimum
    if inner is None and has_minimum and used is not None and used.figure == "range":
        inner = None if _area_of(origin) is not None else minimum_range_m(owner, used.variant)
    if isinstance(lats, TargetSet):
        if lons is not None:
            raise CoordinateError("pass either a TargetSet or lats and lons, not both")
        targets: TargetSet | None = lats
    else:
        if lons is None:
            raise CoordinateError("within_range needs lons beside lats, or a TargetSet")
        targets = None
    fast = _fast_point(origin)
    if fast is not None and inner is None:
        lat, lon = fast
        if targets is not None:
            return targets.within(lat, lon, metres)
        return geodesy.within_range_m(lat, lon, metres, lats, lons)
    area = _area_of(origin)
    if area is not None:
        if inner is not None:
            raise RecordError("min_range is for a point origin; an area has no minimum range")
        if targets is not None:
            return area.within(targets.lats, targets.lons, metres)
        return area.within(lats, lons, metres)
    found = _origin_points(origin) if _is_several(origin) else [_coords(origin)]
    mask = None
    for lat, lon, _ in found:
        if targets is not None:
            part = targets.within(lat, lon, metres, min_range_m=inner)
        else:
            part = geodesy.within_range_m(lat, lon, metres, lats, lons, min_range_m=inner)
        mask = part if mask is None else mask | part
    return mask


def _chunked_mask(
    what: RangeLike,
    origin: Any,
    lats: Any,
    lons: Any,
    **options: Any,
) -> Any:
    """The mask for dask arrays (lazily, block by block) or xarray DataArrays (keeping their
    coordinates); None for anything else, which :func:`within_range` handles itself."""
    kind = type(lats).__module__.split(".")[0]
    if kind not in ("dask", "xarray"):
        return None
    # Resolve the range and the origin once, here, so that every block gets plain values and
    # an error surfaces at the call, not later when the graph is computed.
    metres, _, _ = resolve_range(
        what,
        variant=options["variant"],
        source=options["source"],
        catalogue=options["catalogue"],
    )
    length = _units.make(metres, "m")
    inner = options["min_range"]

    def block(block_lats: Any, block_lons: Any) -> Any:
        return within_range(length, origin, block_lats, block_lons, min_range=inner)

    if kind == "xarray":
        import xarray

        return xarray.apply_ufunc(
            block, lats, lons, dask="parallelized", output_dtypes=[bool], keep_attrs=False
        ).rename("within_range")
    import dask.array

    darray: Any = dask.array  # dask's own functions are untyped
    if type(lons).__module__.split(".")[0] != "dask":
        lons = darray.from_array(lons, chunks=lats.chunks)
    return darray.map_blocks(block, lats, lons, dtype=bool)


@attrs.frozen(repr=False)
class PlacesWithin:
    """The gazetteer's places within a range of an origin, nearest first.

    ``places``, ``distances_m`` and ``populations`` run in step; ``population`` is the total population of
    the listed places of the gazetteer (GeoNames cities of 15,000 people or more, and any
    GeoNames file the user imported), **not** the population of the area within range: towns
    below the gazetteer's threshold and people outside towns are not counted.
    """

    system: System | None
    claim: Claim | None
    range_m: float
    places: tuple[Place, ...]
    distances_m: tuple[float, ...]
    #: Each place's population as GeoNames gives it (an article place takes its city's).
    populations: tuple[int, ...]
    population: int
    min_population: int

    def __len__(self) -> int:
        return len(self.places)

    def __str__(self) -> str:
        what = self.system.name if self.system is not None else "the range"
        range_text = _units.format_quantity(_units.make(self.range_m / 1000.0, "km"))
        basis = (
            f" ({self.claim.describe()}, {self.claim.dated_source})"
            if self.claim is not None
            else ""
        )
        return (
            f"{len(self.places):,} places of the gazetteer lie within {range_text}{basis} of "
            f"{what}; together they have {self.population:,} inhabitants (the population of "
            "the listed places, not of the area)"
        )

    def __repr__(self) -> str:
        return f"PlacesWithin({len(self.places)} places, population={self.population})"

    def rows(self) -> list[dict[str, Any]]:
        """One dict per place: name, country, lat, lon, distance_km, population."""
        return [
            {
                "name": place.name,
                "country": place.country,
                "lat": place.lat,
                "lon": place.lon,
                "distance_km": round(metres / 1000.0, 3),
                "population": people,
            }
            for place, metres, people in zip(
                self.places, self.distances_m, self.populations, strict=True
            )
        ]


def places_within(
    what: RangeLike,
    origin: LocationLike | OriginLike,
    *,
    min_population: int = 0,
    variant: str | None = None,
    source: str | None = None,
    catalogue: Catalogue | None = None,
) -> PlacesWithin:
    """The gazetteer's places within ``what``'s range of ``origin``, nearest first, with their
    distances and the total population they hold (of the listed places, not of the area).

    ``what`` and ``origin`` are as for :func:`reaches` (a point, several points or an area).
    The places are chosen by the exact bulk mask (:func:`within_range`) over every city of
    the gazetteer, so the list agrees with :func:`distance` for every place.

    >>> import weaponsref as wr
    >>> inside = wr.places_within("HIMARS", "Zaporizhzhia", min_population=50_000)
    >>> [p.name for p in inside.places]
    ['Zaporizhzhya', 'Enerhodar', 'Nikopol', 'Dnipro', 'Nyzhnodniprovsk']
    >>> print(inside)  # doctest: +ELLIPSIS
    5 places of the gazetteer lie within 80.5 km (only 50 mi, Daily Mail, 2023-08-01) of HIMARS; together they have ... inhabitants (the population of the listed places, not of the area)
    """
    import numpy as np

    from weaponsref.gazetteer import place_arrays

    if (
        isinstance(min_population, bool)
        or not isinstance(min_population, int)
        or not 0 <= min_population <= 10**10
    ):
        raise LimitError(
            f"min_population must be a whole number of people, 0 or more "
            f"(got {min_population!r:.40})"
        )
    metres, claim, system = resolve_range(what, variant=variant, source=source, catalogue=catalogue)
    arrays = place_arrays()
    keep = arrays.populations >= min_population
    indices = np.flatnonzero(keep)
    length = _units.make(metres, "m")
    mask = within_range(length, origin, arrays.lats[indices], arrays.lons[indices])
    chosen = indices[np.asarray(mask)]
    if _area_of(origin) is None:
        # Points: the distance to each chosen place from the nearest origin, vectorised.
        points = _origin_points(origin) if _is_several(origin) else [_coords(origin)]
        lats, lons = arrays.lats[chosen], arrays.lons[chosen]
        nearest = np.full(len(chosen), np.inf)
        for lat, lon, _ in points:
            _, _, metres_to = geodesy.geod().inv(
                np.full(len(chosen), lon), np.full(len(chosen), lat), lons, lats
            )
            nearest = np.minimum(nearest, metres_to)
        found = sorted(zip(nearest.tolist(), chosen.tolist(), strict=True))
    else:
        found = sorted(
            (
                float(distance(origin, (float(arrays.lats[i]), float(arrays.lons[i]))).m_as("m")),
                int(i),
            )
            for i in chosen
        )
    places = tuple(arrays.place(i) for _, i in found)
    populations = tuple(int(arrays.populations[i]) for _, i in found)
    return PlacesWithin(
        system,
        claim,
        metres,
        places,
        tuple(m for m, _ in found),
        populations,
        sum(populations),
        min_population,
    )
