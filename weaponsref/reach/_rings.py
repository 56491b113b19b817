"""Range rings: GeoJSON of every point within a range of an origin."""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING, Any

from weaponsref import _units
from weaponsref import geo as geodesy
from weaponsref.errors import (
    ArgumentValueError,
    WeaponsrefWarning,
)
from weaponsref.geo import EARTH_MODEL
from weaponsref.reach._origin import Origin, OriginLike
from weaponsref.reach._origin import origin as resolve_origin
from weaponsref.reach._ranges import (
    RangeLike,
    _resolve_cached,
    minimum_range_of,
    resolve_range,
)
from weaponsref.reach._verdict import RING_CLAIM_KEYS, claim_properties

if TYPE_CHECKING:
    from weaponsref._units import Quantity
    from weaponsref.catalogue import Catalogue
    from weaponsref.records import Claim, System


def range_ring(
    what: RangeLike,
    origin: OriginLike,
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

    ``tolerance`` (a length, default :data:`~weaponsref.geo.DEFAULT_TOLERANCE_M`, 100 m)
    bounds how far any point of the drawn edges may be from the true geodesic circle;
    vertices are placed by adaptive subdivision to meet it, and coordinates are rounded no
    more than it allows. ``points`` is deprecated (a :class:`DeprecationWarning` says so):
    it asks for that many evenly spaced vertices with no stated tolerance, as before the
    tolerance existed; give ``tolerance`` instead. ``min_range`` (a length or a claim) cuts a hole:
    the ring of a system that cannot strike nearer than its minimum range.

    A ring that crosses the antimeridian becomes a MultiPolygon; one around a pole is closed
    over it; a range beyond half the meridian (the largest geodesic distance) is clamped,
    with a warning, and the ring is then the whole Earth (``whole_earth`` is true). The
    properties name the system, claim, source, range, tolerance and earth model.

    >>> import weaponsref as wr
    >>> ring = wr.range_ring("Bober", "Kyiv")
    >>> ring["geometry"]["type"], ring["properties"]["source_citation"], ring["properties"]["range_km"]
    ('Polygon', 'MTV Uutiset, 2024-04', 1300.0)
    >>> ring["properties"]["tolerance_m"], ring["properties"]["whole_earth"]
    (100.0, False)
    """
    if points is not None:
        warnings.warn(
            "range_ring(points=...) is deprecated: its evenly spaced vertices have no stated "
            "tolerance; give tolerance= (a length, default 100 m) instead",
            DeprecationWarning,
            stacklevel=2,
        )
    metres, claim, system = _resolved(what, variant, source, catalogue)
    start = resolve_origin(origin)
    tolerance_m = None
    if tolerance is not None:
        tolerance_m = _units.as_length(tolerance, what="tolerance").m_as("m")
    inner_m = _inner_m(min_range, claim, system, start, catalogue)
    used_tolerance = None if points is not None and tolerance_m is None else tolerance_m
    if used_tolerance is None and points is None:
        used_tolerance = geodesy.DEFAULT_TOLERANCE_M
    geometry, used = start.ring_geometry(
        metres, tolerance_m=tolerance_m, points=points, inner_m=inner_m
    )
    if used != metres and not start.single_point and not start.areas:
        warnings.warn(
            f"range {metres:.3f} m is beyond half the WGS84 meridian; clamped to "
            f"{geodesy.HALF_MERIDIAN_M:.3f} m, which already covers the whole Earth",
            WeaponsrefWarning,
            stacklevel=2,
        )
    properties = {
        **claim_properties(system, claim, variant, RING_CLAIM_KEYS),
        "range_m": round(used, 3),
        "range_km": round(used / 1000.0, 3),
        "published_range_m": round(metres, 3),
        "min_range_m": None if inner_m is None else round(inner_m, 3),
        "clamped": used != metres,
        "whole_earth": used >= geodesy.HALF_MERIDIAN_M,
        **start.properties(),
        "points": points,
        "tolerance_m": used_tolerance,
        "earth_model": EARTH_MODEL,
    }
    return {"type": "Feature", "geometry": geometry, "properties": properties}


def _resolved(
    what: RangeLike, variant: str | None, source: str | None, catalogue: Catalogue | None
) -> tuple[float, Claim | None, System | None]:
    """:func:`resolve_range`, remembered on the current catalogue for a system, its name or a
    distance's text (a pint conversion is most of a ring's fixed cost)."""
    if catalogue is None:
        return _resolve_cached(what, variant, source, None)
    return resolve_range(what, variant=variant, source=source, catalogue=catalogue)


def _inner_m(
    min_range: RangeLike | None,
    claim: Claim | None,
    system: System | None,
    start: Origin,
    catalogue: Catalogue | None,
) -> float | None:
    """The hole's radius in metres: ``min_range`` if given (refused round an area), else the
    system's own published minimum range for a range claim from launch points, else None."""
    if min_range is not None:
        if start.areas:
            raise ArgumentValueError(
                f"min_range is for launch points; {start.label} includes an area, which has no "
                "minimum range: leave min_range out"
            )
        return resolve_range(min_range, catalogue=catalogue)[0]
    if claim is not None and claim.figure == "range" and not start.areas:
        return minimum_range_of(system, claim, catalogue)  # the system's own, if published
    return None
