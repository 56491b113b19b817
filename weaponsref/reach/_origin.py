"""One origin: what every distance, verdict, ring, mask and map is measured from.

:func:`origin` resolves whatever a user gave once (a place name, a ``(lat, lon)`` point, a
:class:`~weaponsref.Place` or :class:`~weaponsref.Point`, an :class:`~weaponsref.Area` or a
GeoJSON polygon, or a list mixing any of them) into an :class:`Origin`. Every function that
takes an origin takes it through here, so one input means one thing everywhere: a tuple of
two numbers is one point, and any other list or tuple is several origins, the nearest of
which counts.
"""

from __future__ import annotations

import math
import numbers
import warnings
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Final, TypeAlias

import attrs

from weaponsref import geo
from weaponsref._text import joined_labels
from weaponsref.errors import ArgumentError, CoordinateError, LimitError, WeaponsrefWarning
from weaponsref.gazetteer import Place, Point, as_location
from weaponsref.geo import Area

if TYPE_CHECKING:
    from weaponsref.gazetteer import LocationLike

__all__ = ["MAX_ORIGINS", "Nearest", "Origin", "OriginLike", "origin"]

#: The most launch points and areas one origin may hold.
MAX_ORIGINS: Final = 10_000

_AREA_TYPES: Final = ("Polygon", "MultiPolygon", "Feature", "FeatureCollection")

#: A part of an origin: a place or point, or an area.
Part: TypeAlias = "Place | Point | Area"

#: What an origin may be given as: one location, an area, a GeoJSON polygon, or a list of
#: them (the nearest counts).
OriginLike: TypeAlias = "LocationLike | Area | dict[str, Any] | Sequence[Any] | Origin"


@attrs.frozen
class Nearest:
    """The part of an origin nearest a target, and how far it is.

    ``distance_m`` is the geodesic distance on WGS84 (0 inside an area); ``part`` is the
    place, point or area that gave it; ``index`` its position among the origin's parts
    (None when the origin has one part); ``boundary`` the nearest point of an area's edge
    (None for a point, or inside the area).
    """

    distance_m: float
    part: Place | Point | Area
    index: int | None
    boundary: Point | None


def _area_of(value: object) -> Area | None:
    """``value`` as an area if it is one (an :class:`Area`, or a GeoJSON polygon, feature or
    feature collection, or an object whose ``__geo_interface__`` is one)."""
    if isinstance(value, Area):
        return value
    if isinstance(value, str | Place | Point | list | tuple):
        return None
    interface = value if isinstance(value, dict) else getattr(value, "__geo_interface__", None)
    if isinstance(interface, dict) and interface.get("type") in _AREA_TYPES:
        return Area.from_geojson(interface)
    return None


def qualified(location: Place | Point | Area) -> str:
    """How a text output names a location so that it names one place alone: a place with
    its region, where known, and country ("Moscow, Idaho, US", "Pokrovsk, Donetsk, UA"), a
    point or an area by its label."""
    return location.qualified_name if isinstance(location, Place) else str(location.label)


def _is_several(value: object) -> bool:
    """A list or tuple of several origins, not one ``(lat, lon)`` pair of numbers."""
    if not isinstance(value, list | tuple):
        return False
    return not all(isinstance(v, numbers.Real) for v in value)


@attrs.frozen(repr=False, eq=False)
class Origin:
    """What distances are measured from: places or points, areas, or both together.

    Make one with :func:`origin`. ``parts`` are the launch points (places or points) and the
    areas, in the order given; :attr:`points` and :attr:`areas` are each kind alone.
    ``asked`` holds, for each part, the text the user named it by (None for coordinates
    and areas). The
    distance from an origin to a target is the least distance from any of its parts (0
    inside an area); a point lies within a range of it when it lies within that range of
    any part.

    >>> import weaponsref as wr
    >>> start = wr.origin(["Kyiv", "Odesa"])
    >>> start.label, start.kind
    ('Kyiv and Odesa', 'points')
    >>> sevastopol = wr.place("Sevastopol")
    >>> near = start.nearest(sevastopol.lat, sevastopol.lon)
    >>> near.part.name, near.index, round(near.distance_m / 1000, 1)
    ('Odesa', 1, 301.3)
    >>> wr.origin((50.45, 30.5233)).label
    '50.4500°N, 30.5233°E'
    """

    parts: tuple[Place | Point | Area, ...]
    asked: tuple[str | None, ...]
    # Each kind of part alone, sorted out once (every ring, mask and verdict reads them).
    _points: tuple[Place | Point, ...] = attrs.field(init=False, repr=False)
    _areas: tuple[Area, ...] = attrs.field(init=False, repr=False)

    def __attrs_post_init__(self) -> None:
        points = tuple(p for p in self.parts if not isinstance(p, Area))
        areas = tuple(p for p in self.parts if isinstance(p, Area))
        object.__setattr__(self, "_points", points)
        object.__setattr__(self, "_areas", areas)

    @property
    def points(self) -> tuple[Place | Point, ...]:
        """The launch points (places and points), in the order given."""
        return self._points

    @property
    def areas(self) -> tuple[Area, ...]:
        """The areas, in the order given."""
        return self._areas

    @property
    def kind(self) -> str:
        """``"point"``, ``"points"``, ``"area"``, ``"areas"`` or ``"points and areas"``."""
        if self.points and self.areas:
            return "points and areas"
        if self.areas:
            return "area" if len(self.areas) == 1 else "areas"
        return "point" if len(self.points) == 1 else "points"

    @property
    def single_point(self) -> bool:
        """One launch point and no area: every ring is an exact circle round it."""
        return len(self._points) == 1 and not self._areas

    @property
    def labels(self) -> tuple[str, ...]:
        """Each part's label, in the order of :attr:`parts`."""
        return tuple(str(part.label) for part in self.parts)

    @property
    def label(self) -> str:
        """How maps name it: 'Kyiv', 'Kyiv and Odesa', 'Belarus and Kursk'."""
        return joined_labels(self.labels)

    @property
    def qualified_labels(self) -> tuple[str, ...]:
        """Each part as text outputs name it (:func:`qualified`), in the order of
        :attr:`parts`."""
        return tuple(qualified(part) for part in self.parts)

    @property
    def qualified_label(self) -> str:
        """How text outputs (verdicts, rows, ring properties) name it, each place with its
        region and country: 'Kyiv, UA and Odesa, UA', 'Belarus and Kursk, RU'."""
        return joined_labels(self.qualified_labels)

    @property
    def centre(self) -> tuple[float, float]:
        """``(lat, lon)``: the direction of the mean of the parts' unit vectors (an area
        counts by its own centre); raises :class:`~weaponsref.CoordinateError` when the
        parts are spread evenly round the globe and have no centre."""
        if len(self.parts) == 1:
            part = self.parts[0]
            return float(part.lat), float(part.lon)
        x = y = z = 0.0
        for part in self.parts:
            lat, lon = math.radians(part.lat), math.radians(part.lon)
            x += math.cos(lat) * math.cos(lon)
            y += math.cos(lat) * math.sin(lon)
            z += math.sin(lat)
        if math.hypot(x, y, z) < 1e-9 * len(self.parts):
            raise CoordinateError(
                "the origins are spread evenly round the globe, so they have no centre; "
                "give them separately"
            )
        return math.degrees(math.atan2(z, math.hypot(x, y))), math.degrees(math.atan2(y, x))

    def nearest(self, lat: float, lon: float) -> Nearest:
        """The part nearest ``(lat, lon)`` (degrees, checked) and its geodesic distance.

        Ties go to the first part. Raises :class:`~weaponsref.CoordinateError` for a bad
        point.
        """
        best: Nearest | None = None
        several = len(self.parts) > 1
        indices = [i for i, p in enumerate(self.parts) if not isinstance(p, Area)]
        if indices:
            points = [self.parts[i] for i in indices]
            if len(points) == 1:
                distances = [geo.inverse_m(points[0].lat, points[0].lon, lat, lon)]
            else:
                n = len(points)
                distances = list(
                    geo.geod().inv(
                        [p.lon for p in points], [p.lat for p in points], [lon] * n, [lat] * n
                    )[2]
                )
            k = min(range(len(points)), key=lambda j: (distances[j], indices[j]))
            best = Nearest(float(distances[k]), points[k], indices[k] if several else None, None)
        for index, area in enumerate(self.parts):
            if not isinstance(area, Area):
                continue
            metres, near_lat, near_lon = area.distance_m(lat, lon)
            if best is None or (metres, index) < (best.distance_m, best.index or 0):
                boundary = (
                    None if near_lat is None or near_lon is None else Point(near_lat, near_lon)
                )
                best = Nearest(metres, area, index if several else None, boundary)
        assert best is not None  # an Origin has at least one part
        return best

    def distance_m(self, lat: float, lon: float) -> float:
        """The geodesic distance in metres from the nearest part to ``(lat, lon)``."""
        return self.nearest(lat, lon).distance_m

    def within(
        self,
        lats: Any,
        lons: Any,
        range_m: float,
        *,
        min_range_m: float | None = None,
    ) -> Any:
        """The exact mask of the points within ``range_m`` of any part (as ``Geod.inv`` on
        every point would say); pass a :class:`~weaponsref.TargetSet` as ``lats`` (and None
        as ``lons``) to reuse its unit vectors. ``min_range_m`` leaves out the points nearer
        a launch point than it (areas have no minimum range, so it does not apply to
        them)."""
        targets = lats if isinstance(lats, geo.TargetSet) else None
        mask: Any = None
        for point in self.points:
            if targets is not None:
                part = targets.within(point.lat, point.lon, range_m, min_range_m=min_range_m)
            else:
                part = geo.within_range_m(
                    point.lat, point.lon, range_m, lats, lons, min_range_m=min_range_m
                )
            mask = part if mask is None else mask | part
        for area in self.areas:
            if targets is not None:
                part = area.within(targets.lats, targets.lons, range_m)
            else:
                part = area.within(lats, lons, range_m)
            mask = part if mask is None else mask | part
        return mask

    def ring_geometry(
        self,
        range_m: float,
        *,
        tolerance_m: float | None,
        points: int | None = None,
        inner_m: float | None = None,
    ) -> tuple[dict[str, Any], float]:
        """The GeoJSON geometry of every point within ``range_m`` of the origin, and the
        range drawn (clamped to half the meridian): one ring for one point, the union of
        the parts' rings and buffers otherwise (which needs shapely, the ``areas`` extra)."""
        if self.single_point:  # its warnings are the caller's: no filter to set
            only = self._points[0]
            return geo.ring_geometry(
                only.lat, only.lon, range_m, points, tolerance_m=tolerance_m, inner_m=inner_m
            )
        geometries = []
        used = range_m
        for point in self._points:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", WeaponsrefWarning)
                part, used = geo.ring_geometry(
                    point.lat, point.lon, range_m, points, tolerance_m=tolerance_m, inner_m=inner_m
                )
            geometries.append(part)
        for area in self.areas:
            part, used = area.buffer_geometry(range_m, tolerance_m or geo.DEFAULT_TOLERANCE_M)
            geometries.append(part)
        if len(geometries) == 1:
            return geometries[0], used
        return _union(geometries), used

    def properties(self) -> dict[str, Any]:
        """What a ring's or a verdict's properties say it was measured from: ``origin`` (the
        label, or the list of labels), ``origin_kind`` and, for points, their coordinates."""
        if self.single_point:
            only = self.points[0]
            return {
                "origin": qualified(only),
                "origin_kind": "point",
                "origin_lat": only.lat,
                "origin_lon": only.lon,
            }
        if not self.points and len(self.areas) == 1:
            return {
                "origin": self.areas[0].label,
                "origin_kind": "area",
                **self.areas[0].properties(),
            }
        found: dict[str, Any] = {
            "origin": list(self.qualified_labels),
            "origin_kind": self.kind,
        }
        if self.areas:  # which outlines were used, from what, of when
            found["area_source"] = [a.source for a in self.areas]
            found["area_date"] = [a.date for a in self.areas]
            found["area_cited"] = [text for a in self.areas for text in a.citations]
        if self.points:
            found["origin_lat"] = [p.lat for p in self.points]
            found["origin_lon"] = [p.lon for p in self.points]
        return found

    def __len__(self) -> int:
        return len(self.parts)

    def _key(self) -> tuple[object, ...]:
        return tuple(id(p) if isinstance(p, Area) else p for p in self.parts)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Origin):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return f"Origin({self.label!r}, kind={self.kind!r})"


def _union(geometries: list[dict[str, Any]]) -> dict[str, Any]:
    """The union of GeoJSON polygons as RFC 7946 GeoJSON (shapely, the ``areas`` extra)."""
    return geo.union(geometries, purpose="a ring around several origins or an area")


def _one(item: object, several: bool) -> tuple[Place | Point | None, Area | None, str | None]:
    area = _area_of(item)
    if area is not None:
        return None, area, None
    if isinstance(item, Origin):
        raise ArgumentError(
            f"an origin in a list must be a place, point or area, not an Origin ({item!r}); "
            "give the Origin on its own"
        )
    if several and _is_several(item):
        raise CoordinateError(
            f"an origin in a list must be one place, point or area (got {item!r:.60}); "
            "give a flat list"
        )
    location = as_location(item)  # type: ignore[arg-type]
    return location, None, item.strip() if isinstance(item, str) else None


def origin(value: OriginLike) -> Origin:
    """Resolve what a user gave as an origin, once, into an :class:`Origin`.

    ``value`` is a place name, a ``(lat, lon)`` pair of numbers, a
    :class:`~weaponsref.Place` or :class:`~weaponsref.Point`, an :class:`~weaponsref.Area`
    (:func:`~weaponsref.area`) or a GeoJSON polygon, or a list or tuple of any of them, up to
    :data:`MAX_ORIGINS` (the nearest counts). An :class:`Origin` is returned as it is.

    Raises :class:`~weaponsref.UnknownPlaceError` for an unknown name,
    :class:`~weaponsref.CoordinateError` for bad coordinates, an empty list or a nested one,
    :class:`~weaponsref.LimitError` beyond :data:`MAX_ORIGINS`, and
    :class:`~weaponsref.ArgumentError` for a value of the wrong type.

    >>> import weaponsref as wr
    >>> both = wr.origin([wr.area("Belarus"), "Kursk"])
    >>> both.label, both.kind
    ('Belarus and Kursk', 'points and areas')
    >>> wr.origin(("Kyiv", "Odesa")).kind                  # two places, as a list would be
    'points'
    """
    if isinstance(value, Origin):
        return value
    several = _is_several(value)
    items: Sequence[Any] = value if several else [value]  # type: ignore[assignment]
    if several and not items:
        raise CoordinateError("the list of origins is empty; give at least one place or point")
    if isinstance(value, list | tuple) and not value:
        raise CoordinateError("the list of origins is empty; give at least one place or point")
    if len(items) > MAX_ORIGINS:
        raise LimitError(f"at most {MAX_ORIGINS:,} origins at once (got {len(items):,})")
    parts: list[Place | Point | Area] = []
    asked: list[str | None] = []
    for item in items:
        location, area, text = _one(item, several)
        found = area if area is not None else location
        assert found is not None
        parts.append(found)
        asked.append(text)
    return Origin(tuple(parts), tuple(asked))
