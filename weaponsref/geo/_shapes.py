"""One converter between GeoJSON (RFC 7946) and shapely geometries, and the union of several.

Rings, buffers and unions are computed as GeoJSON dicts of plain floats; where a planar
operation (a difference, a union) is needed, :func:`to_shape` hands the geometry to shapely
and :func:`to_geojson` brings the result back: made valid, its polygons only, exterior rings
counter-clockwise and holes clockwise (RFC 7946's right-hand rule), positions lists of two
floats. shapely is the ``areas`` extra, imported on first use; without it these raise
:class:`~weaponsref.MissingExtraError` naming the install command.

>>> clockwise = {"type": "Polygon", "coordinates": [[[0, 0], [0, 1], [1, 1], [1, 0], [0, 0]]]}
>>> to_geojson(to_shape(clockwise))
{'type': 'Polygon', 'coordinates': [[[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0], [0.0, 0.0]]]}
>>> next_door = {"type": "Polygon", "coordinates": [[[1, 0], [2, 0], [2, 1], [1, 1], [1, 0]]]}
>>> joined = union([clockwise, next_door])
>>> joined["type"], len(joined["coordinates"][0]), to_shape(joined).area
('Polygon', 7, 2.0)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np

from weaponsref.errors import ArgumentError, CoordinateError, MissingExtraError

__all__ = ["to_geojson", "to_shape", "union"]

_INSTALL = "install it with: pip install 'weaponsref[areas]'"


def _shapely(purpose: str) -> Any:
    """The shapely module, or MissingExtraError saying that ``purpose`` needs it and how to
    install it."""
    try:
        import shapely
        import shapely.geometry
    except ImportError:
        raise MissingExtraError(f"{purpose} needs shapely; {_INSTALL}") from None
    return shapely


def to_shape(geojson: Any, *, purpose: str | None = None) -> Any:
    """A shapely geometry from a GeoJSON geometry or Feature (a mapping), or from any object
    with a ``__geo_interface__``.

    ``purpose`` names what the caller needs shapely for, in the
    :class:`~weaponsref.MissingExtraError` raised without it. Raises
    :class:`~weaponsref.ArgumentError` for anything but a mapping or an object with a
    ``__geo_interface__``, and :class:`~weaponsref.CoordinateError` for GeoJSON shapely
    cannot read (an unknown type, missing or ragged coordinates).

    >>> to_shape({"type": "Point", "coordinates": [30.5233, 50.45]}).wkt
    'POINT (30.5233 50.45)'
    """
    mapping = (
        geojson if isinstance(geojson, Mapping) else getattr(geojson, "__geo_interface__", None)
    )
    if not isinstance(mapping, Mapping):
        raise ArgumentError(
            f"geojson must be a GeoJSON dict or have a __geo_interface__ (got {geojson!r:.60} "
            f"that is a {type(geojson).__name__})"
        )
    shapely = _shapely(purpose or "reading GeoJSON as a shapely geometry")
    try:
        return shapely.geometry.shape(mapping)
    except (
        shapely.errors.ShapelyError,
        ValueError,
        TypeError,
        KeyError,
        IndexError,
        AttributeError,
    ) as error:
        raise CoordinateError(
            f"cannot read GeoJSON of type {mapping.get('type')!r:.40} as a geometry: "
            f"{type(error).__name__} {str(error)[:120]}"
        ) from None


def to_geojson(geometry: Any) -> dict[str, Any]:
    """A shapely geometry as an RFC 7946 ``Polygon`` or ``MultiPolygon`` dict.

    The geometry is made valid (:func:`shapely.make_valid`) and its polygons kept (points and
    lines are dropped, collections are searched); each is oriented with its exterior
    counter-clockwise and its holes clockwise, and positions become lists of two floats (a z
    coordinate is dropped). One polygon gives a ``Polygon``; none or several, a
    ``MultiPolygon``. Raises :class:`~weaponsref.ArgumentError` for anything but a shapely
    geometry.

    >>> import shapely
    >>> to_geojson(shapely.box(0, 0, 1, 1).difference(shapely.box(0, 0, 2, 2)))
    {'type': 'MultiPolygon', 'coordinates': []}
    """
    shapely = _shapely("turning a shapely geometry into GeoJSON")
    if not isinstance(geometry, shapely.Geometry):
        raise ArgumentError(
            f"geometry must be a shapely geometry (got {geometry!r:.60} that is a "
            f"{type(geometry).__name__}); read GeoJSON with to_shape first"
        )
    orient = shapely.geometry.polygon.orient
    oriented = [orient(part, 1.0) for part in _polygons(shapely.make_valid(geometry))]
    coordinates = [
        [_positions(ring) for ring in (part.exterior, *part.interiors)] for part in oriented
    ]
    if len(coordinates) == 1:
        return {"type": "Polygon", "coordinates": coordinates[0]}
    return {"type": "MultiPolygon", "coordinates": coordinates}


def _polygons(geometry: Any) -> list[Any]:
    """The non-empty polygons in a geometry, in order, searching multi-parts and collections."""
    if geometry.geom_type == "Polygon":
        return [] if geometry.is_empty else [geometry]
    found: list[Any] = []
    for part in getattr(geometry, "geoms", ()):
        found.extend(_polygons(part))
    return found


def _positions(ring: Any) -> list[list[float]]:
    """A ring's positions as ``[x, y]`` lists of Python floats."""
    xy: list[list[float]] = np.asarray(ring.coords, dtype=np.float64)[:, :2].tolist()
    return xy


def union(geojsons: Iterable[Any], *, purpose: str | None = None) -> dict[str, Any]:
    """The union of GeoJSON geometries (mappings, or objects with a ``__geo_interface__``), as
    RFC 7946 GeoJSON (:func:`to_geojson`).

    One geometry comes back as a copy of itself (a mapping's ``type`` and ``coordinates``),
    needing no shapely; none gives an empty ``MultiPolygon``. ``purpose`` names what the
    caller needs shapely for, in the :class:`~weaponsref.MissingExtraError` raised without
    it. Raises what :func:`to_shape` raises for a geometry it cannot read.
    """
    items = list(geojsons)
    if not items:
        return {"type": "MultiPolygon", "coordinates": []}
    if len(items) == 1 and isinstance(items[0], Mapping) and "coordinates" in items[0]:
        return {"type": items[0]["type"], "coordinates": _copied(items[0]["coordinates"])}
    why = purpose or "joining geometries"
    shapely = _shapely(why)
    return to_geojson(shapely.unary_union([to_shape(item, purpose=why) for item in items]))


def _copied(value: Any) -> Any:
    """Nested coordinate sequences as fresh nested lists (numbers kept as they are)."""
    if isinstance(value, list | tuple):
        return [_copied(item) for item in value]
    return value
