"""Areas that combine: the union, intersection and difference of two areas, as a new area.

``a | b``, ``a & b`` and ``a - b`` (:class:`~weaponsref.geo.Area`'s operators) call
:func:`combine`. The two areas are taken as the shapes their containment tests use (each
geodesic edge drawn as straight longitude-latitude pieces of at most 1 km, which stray from
the geodesic by centimetres, every ring brought into [-180, 180] and combined even-odd), and
shapely (the ``areas`` extra) combines them. The result is a new immutable
:class:`~weaponsref.geo.Area` whose outline is the combined shape, each ring cut at the
antimeridian as RFC 7946 cuts it, so its vertices lie on the two areas' geodesic edges or where
those cross, and distances to it are exact as for any area (to its own outline, which its
``__geo_interface__`` shows).

Outlines drawn at different scales do not share their borders: Ukraine at 1:50m minus Crimea
at 1:10m would leave thin slivers of coast. A difference therefore drops every piece of the
result that lies wholly within :data:`SLIVER_M` of the area taken away (a piece is either
kept whole or dropped whole; a piece that reaches farther is kept), and says so in its
details (``slivers_dropped``).

>>> from weaponsref.geo import Area
>>> west = Area.from_geojson({"type": "Polygon", "coordinates": [
...     [[30, 50], [32, 50], [32, 51], [30, 51], [30, 50]]]}, name="west")
>>> east = Area.from_geojson({"type": "Polygon", "coordinates": [
...     [[31, 50], [33, 50], [33, 51], [31, 51], [31, 50]]]}, name="east")
>>> (west - east).label, (west | east).label, (west & east).label
('west without east', 'west and east', 'the part of west in east')
>>> (west - east).distance_m(50.5, 30.5)[0], (west - east).distance_m(50.5, 31.5)[0] > 0
(0.0, True)
"""

from __future__ import annotations

from typing import Any, Final

from weaponsref.errors import ArgumentError, ArgumentValueError
from weaponsref.geo._areas import Area
from weaponsref.geo._shapes import _shapely

__all__ = ["OPERATIONS", "SLIVER_M", "combine"]

#: The operations :func:`combine` knows.
OPERATIONS: Final = ("union", "intersection", "difference")
#: A piece of a difference lying wholly within this many metres (north-south; less east-west,
#: as a buffer of SLIVER_M / 111,320 degrees) of the area taken away is a sliver left by two
#: outlines drawn at different scales, and is dropped.
SLIVER_M: Final = 5_000.0
_METRES_PER_DEGREE: Final = 111_320.0
_NEEDS = "combining areas"


def _shape_of(area: Area, shapely: Any) -> Any:
    """The area as one valid shapely (Multi)Polygon within [-180, 180] × [-90, 90]: each ring's
    containment polygon moved by whole turns into the frame, the rings combined even-odd."""
    frame = shapely.box(-180.0, -90.0, 180.0, 90.0)
    combined = None
    for part in area._containment():
        pieces = []
        for shift in (-360.0, 0.0, 360.0):
            clipped = shapely.affinity.translate(part, xoff=shift).intersection(frame)
            if not clipped.is_empty:
                pieces.append(clipped)
        if not pieces:
            continue
        ring = _polygonal(shapely.unary_union(pieces), shapely)
        combined = ring if combined is None else combined.symmetric_difference(ring)
    return _polygonal(combined if combined is not None else shapely.Polygon(), shapely)


def _polygonal(geometry: Any, shapely: Any) -> Any:
    """Only the polygons of a geometry (lines and points left by an operation dropped)."""
    geometry = shapely.make_valid(geometry)
    polygons = [
        g for g in shapely.get_parts(geometry) if g.geom_type in ("Polygon", "MultiPolygon")
    ]
    parts = [p for g in polygons for p in shapely.get_parts(g)]
    return shapely.MultiPolygon(parts) if parts else shapely.MultiPolygon()


def _merged(first: str | None, second: str | None) -> str | None:
    """'A' when both say A or one says nothing, else 'A; B'."""
    said = [s for s in dict.fromkeys((first, second)) if s]
    return "; ".join(said) if said else None


def _details(a: Area, b: Area, op: str, dropped: int) -> dict[str, str]:
    found = a.details
    for key, value in b.details.items():
        found[key] = _merged(found.get(key), value) or value
    found["combined"] = f"{op} of {a.label} and {b.label}"
    if dropped:
        found["slivers_dropped"] = (
            f"{dropped} piece(s) within {SLIVER_M:,.0f} m of {b.label} (outlines drawn at "
            "different scales)"
        )
    return found


def combine(a: Area, b: object, op: str) -> Area:
    """The ``"union"``, ``"intersection"`` or ``"difference"`` of two areas, as a new area.

    Its name and label say what it is ("Ukraine without Crimea (administered by Russia,
    claimed by Ukraine)", "Kursk Oblast and Belgorod Oblast", "the part of Ukraine in
    Donetsk Oblast"); its source and date are both areas' (each once), and :attr:`~Area.cited`
    keeps each source beside its own date; its details are both
    areas' with ``combined`` saying how it was made. Needs shapely (the ``areas`` extra).

    Raises :class:`~weaponsref.ArgumentError` when ``b`` is not an
    :class:`~weaponsref.geo.Area` (make one with ``wr.area``), and
    :class:`~weaponsref.ArgumentValueError` for an unknown operation or an empty result (two
    areas that do not overlap, or an area taken from itself).
    """
    if not isinstance(b, Area):
        raise ArgumentError(
            f"an area combines only with another Area (got {type(b).__name__}); make one with "
            "wr.area(NAME or GeoJSON)"
        )
    if op not in OPERATIONS:
        raise ArgumentValueError(f"op must be one of {OPERATIONS} (got {op!r:.40})")
    shapely = _shapely(_NEEDS)
    first, second = _shape_of(a, shapely), _shape_of(b, shapely)
    result = _polygonal(getattr(first, op)(second), shapely)
    dropped = 0
    if op == "difference" and not result.is_empty:
        margin = second.buffer(SLIVER_M / _METRES_PER_DEGREE)
        shapely.prepare(margin)
        kept = [p for p in shapely.get_parts(result) if not margin.contains(p)]
        dropped = len(shapely.get_parts(result)) - len(kept)
        result = shapely.MultiPolygon(kept) if kept else shapely.MultiPolygon()
    words = {
        "union": "{} and {}",
        "intersection": "the part of {} in {}",
        "difference": "{} without {}",
    }[op]
    if result.is_empty:
        raise ArgumentValueError(
            f"{words.format(a.label, b.label)!r:.120} is empty: nothing is left; check the "
            "areas overlap as expected"
        )
    polygons = [
        [list(p.exterior.coords), *(list(h.coords) for h in p.interiors)]
        for p in shapely.get_parts(shapely.normalize(result))
    ]
    return Area(
        polygons,
        name=words.format(a.name, b.name),
        label=words.format(a.label, b.label),
        source=_merged(a.source, b.source),
        date=_merged(a.date, b.date),
        details=_details(a, b, op, dropped),
        cited=a.cited + b.cited,
    )
