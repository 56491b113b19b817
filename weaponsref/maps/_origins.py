"""What a map is drawn round: one launch point, several, or an area; and named places.

Everything a map asks of its origin is here: the point or points and how the map names them,
the projection's centre, the distance and the mask the verdicts use, and the area and the
reach outlines in the map's projection.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final, TypeAlias, cast

import numpy as np
import numpy.typing as npt

from weaponsref._text import joined_labels
from weaponsref.errors import CoordinateError, LimitError
from weaponsref.maps._basemap import Array, _shapely
from weaponsref.maps._rings import _km
from weaponsref.reach import MAX_ORIGINS as _REACH_MAX_ORIGINS

if TYPE_CHECKING:
    from weaponsref.gazetteer import LocationLike
    from weaponsref.reach import OriginLike as _ReachOrigins

#: What ``range_map`` draws round: a place or point, a ``(label, place)`` pair, a list of them
#: (several launch points), or an area.
OriginLike: TypeAlias = "LocationLike | tuple[str, LocationLike] | _ReachOrigins"

#: The most launch points and areas one map is drawn round: as many as one origin holds.
MAX_ORIGINS: Final = _REACH_MAX_ORIGINS


@dataclass(frozen=True)
class _Named:
    """A point to draw, with the name the map gives it."""

    label: str
    lat: float
    lon: float


def _spelling(found: Any, asked: str | None) -> str:
    """The name a map gives a gazetteer place.

    The user's own spelling when they named it (``"Zaporizhzhia"`` finds GeoNames'
    ``"Zaporizhzhya"``, and the map says what the user wrote, with the capitals of the alias
    it matched); else, for a city in Ukraine, the alias GeoNames records in the Ukrainian
    national romanisation the catalogue's articles follow (final ``-ia`` for ``-ya``), if
    it has one; else the place's own label.
    """
    from weaponsref.gazetteer import Place
    from weaponsref.gazetteer import name_key as _key

    if not isinstance(found, Place):
        return str(found.label)
    names = (found.name, *found.aliases)
    if asked is not None:
        key = _key(asked)
        if asked[:1].isupper() and _key(asked) in {_key(name) for name in names}:
            return asked
        for name in names:
            if _key(name) == key:
                return name
        return str(found.label)
    if found.country == "UA" and found.name.endswith("ya"):
        wanted = found.name[:-2] + "ia"
        if wanted in found.aliases:
            return wanted
    return str(found.label)


def _is_label_pair(value: object) -> bool:
    """A ``(label, place)`` pair that names one place (not a ``(lat, lon)`` pair)."""
    return (
        isinstance(value, tuple)
        and len(value) == 2
        and isinstance(value[0], str)
        and not isinstance(value[1], int | float)
    )


def _several(value: object) -> bool:
    """Several origins: a list, or a tuple that is neither a ``(lat, lon)`` pair of numbers
    nor a ``(label, place)`` pair."""
    if isinstance(value, list):
        return True
    return (
        isinstance(value, tuple)
        and not _is_label_pair(value)
        and not all(isinstance(v, numbers.Real) for v in value)
    )


def _located(value: object) -> tuple[Any, str]:
    """The gazetteer's Place or Point for a place, a ``(label, place)`` pair or a plain place,
    and the name the map gives it."""
    from weaponsref.gazetteer import as_location

    label: str | None = None
    if _is_label_pair(value):
        label, value = cast("tuple[str, object]", value)
        if not label.strip():
            raise CoordinateError(f"a place's label must not be empty (got {label!r})")
    found = as_location(value)  # type: ignore[arg-type]
    if label is None:
        label = _spelling(found, value.strip() if isinstance(value, str) else None)
    return found, label


def _location(value: object) -> _Named:
    """A point and its map name from a place, a ``(label, place)`` pair or a plain place."""
    found, label = _located(value)
    return _Named(label, float(found.lat), float(found.lon))


@dataclass(frozen=True)
class _Origins:
    """What a map's ranges are measured from, and where its projection is centred."""

    origin: Any  # the weaponsref.reach.Origin that distances and masks are measured from
    names: tuple[str, ...]  # each of its parts' names on the map, in the order of its parts
    label: str  # how the title and credits name it
    lat: float  # the projection's centre
    lon: float
    points: tuple[_Named, ...]  # launch points drawn as dots, in the order given
    areas: tuple[Any, ...]  # weaponsref.geo.Area, hatched, in the order given

    @property
    def single(self) -> bool:
        """One launch point: every ring is an exact circle round the centre."""
        return bool(self.origin.single_point)


def _part(item: object) -> tuple[Any, str]:
    """One launch point or area of a list of origins, and its name on the map."""
    from weaponsref.geo import Area
    from weaponsref.reach import origin

    if _is_label_pair(item):
        return _located(item)
    one = None if _several(item) else origin(item)  # type: ignore[arg-type]
    if one is None or len(one.parts) != 1:
        raise CoordinateError(
            f"an origin in a list must be one place, point or area (got {item!r:.60}); "
            "give a flat list"
        )
    part = one.parts[0]
    if isinstance(part, Area):
        return part, part.label
    return part, _spelling(part, one.asked[0])


def _origins(value: object) -> _Origins:
    """The origin of a map: a place or point (or a ``(label, place)`` pair), an area (an
    :class:`~weaponsref.geo.Area` or a GeoJSON polygon), a list of any of them (launch points
    and areas together, the nearest counting), or a :class:`weaponsref.reach.Origin`. As for
    :func:`weaponsref.reach.origin`, a tuple of anything but two numbers is several origins,
    except a ``(label, place)`` pair, which names one.

    Raises :class:`~weaponsref.errors.CoordinateError` for an empty or nested list,
    :class:`~weaponsref.errors.LimitError` beyond :data:`MAX_ORIGINS`, and what
    :func:`weaponsref.reach.origin` raises for a place it cannot resolve.
    """
    from weaponsref.geo import Area
    from weaponsref.reach import Origin, origin

    if isinstance(value, Origin):
        resolved = value
        names = tuple(
            p.label if isinstance(p, Area) else _spelling(p, asked)
            for p, asked in zip(value.parts, value.asked, strict=True)
        )
    else:
        items = list(cast("Sequence[object]", value)) if _several(value) else [value]
        if not items:
            raise CoordinateError("the list of origins is empty; give at least one place or point")
        if len(items) > MAX_ORIGINS:
            raise LimitError(f"a map holds at most {MAX_ORIGINS:,} origins (got {len(items):,})")
        found = [_part(item) for item in items]
        resolved = origin([part for part, _ in found])
        names = tuple(name for _, name in found)
    points = tuple(
        _Named(name, float(p.lat), float(p.lon))
        for p, name in zip(resolved.parts, names, strict=True)
        if not isinstance(p, Area)
    )
    areas = tuple(p for p in resolved.parts if isinstance(p, Area))
    lat, lon = resolved.centre
    return _Origins(resolved, names, joined_labels(names), lat, lon, points, areas)


def _distance_from(origins: _Origins, lat: float, lon: float) -> tuple[float, str | None]:
    """The geodesic distance from the origins to a point, as the verdicts measure it, and
    what it is measured from when that is not the only launch point: the nearest launch
    point or area, by its name on the map."""
    nearest = origins.origin.nearest(lat, lon)
    if origins.single:
        return float(nearest.distance_m), None
    name = origins.names[0] if nearest.index is None else origins.names[nearest.index]
    return float(nearest.distance_m), name


def _within_any(
    origins: _Origins, lats: Array, lons: Array, range_m: float, min_range_m: float | None = None
) -> npt.NDArray[np.bool_]:
    """Which points lie within ``range_m`` of the origins and not nearer a launch point than
    ``min_range_m``, exactly as the verdicts say."""
    return np.asarray(
        origins.origin.within(lats, lons, range_m, min_range_m=min_range_m), dtype=bool
    )


def _area_shapes(origins: _Origins, transformer: Any, step_m: float) -> list[Any]:
    """Each area as a shapely geometry in the map's projection (metres), its geodesic edges
    densified to ``step_m``; an area's rings combine even-odd, as its containment does."""
    shapely = _shapely()
    shapes = []
    for area in origins.areas:
        shape = None
        for lons, lats in area.densified_rings(step_m):
            x, y = transformer.transform(lons, lats)
            ring = shapely.make_valid(shapely.Polygon(np.column_stack([x, y])))
            shape = ring if shape is None else shape.symmetric_difference(ring)
        shapes.append(shape)
    return shapes


def _projected_area(origins: _Origins, transformer: Any, step_m: float) -> Any:
    """Every area together as one shapely geometry in the map's projection (see
    :func:`_area_shapes`); None when the origin has no area."""
    shapes = _area_shapes(origins, transformer, step_m)
    if len(shapes) <= 1:
        return shapes[0] if shapes else None
    return _shapely().union_all(shapes)


def _region(
    origins: _Origins,
    transformer: Any,
    range_m: float,
    tolerance_m: float,
    cap: float,
    area_shape: Any = None,
) -> Any:
    """Every point within ``range_m`` of the origins, as a shapely geometry in the map's
    projection (metres): the union of the disks round the launch points, of the areas
    (``area_shape``, as :func:`_projected_area` gives it) and of the disks round points of
    their boundaries spaced so that the scallops between them stay within half of
    ``tolerance_m`` of the true edge. Each disk is a polygon of ``Geod.fwd`` points whose
    chords sag at most the other half.
    """
    from weaponsref.geo import geod

    shapely = _shapely()
    g = geod()
    # Half the tolerance to the scallops between disks, half to the chords of each disk.
    share = 0.5 * min(tolerance_m, 0.5 * range_m)
    lons_of = [np.array([p.lon for p in origins.points], dtype=np.float64)]
    lats_of = [np.array([p.lat for p in origins.points], dtype=np.float64)]
    spacing = 2.0 * math.sqrt(max(range_m * range_m - (range_m - share) ** 2, 1.0))
    for area in origins.areas:
        for ring_lons, ring_lats in area.densified_rings(spacing):
            lons_of.append(np.asarray(ring_lons[:-1], dtype=np.float64))
            lats_of.append(np.asarray(ring_lats[:-1], dtype=np.float64))
    lons, lats = np.concatenate(lons_of), np.concatenate(lats_of)
    if lons.size > 20_000:
        raise LimitError(
            f"the reach of {origins.label} at {_km(range_m)} needs {lons.size:,} disks on this "
            "map (at most 20,000); draw a smaller area or a larger range"
        )
    far = np.asarray(
        g.inv(np.full(lons.shape, origins.lon), np.full(lons.shape, origins.lat), lons, lats)[2]
    )
    if float(far.max()) + range_m > cap:
        raise LimitError(
            f"the reach of {origins.label} at {_km(range_m)} is too large for one map "
            "(it would wrap round the globe); draw fewer or nearer origins, or a smaller range"
        )
    count = int(min(2048, max(32, math.ceil(math.pi / math.acos(1.0 - share / range_m)))))
    azimuths = np.linspace(0.0, -360.0, count, endpoint=False)
    all_az = np.tile(azimuths, lons.size)
    x_lon, x_lat, _ = g.fwd(
        np.repeat(lons, count), np.repeat(lats, count), all_az, np.full(all_az.shape, range_m)
    )
    x, y = transformer.transform(np.asarray(x_lon), np.asarray(x_lat))
    coordinates = np.stack([np.asarray(x), np.asarray(y)], axis=-1).reshape(lons.size, count, 2)
    disks = list(shapely.polygons(coordinates))
    if area_shape is not None:
        disks.append(area_shape)
    return shapely.union_all(disks)


def _extent(origins: _Origins, transformer: Any, largest: float, cap: float) -> float:
    """How far from the map's centre, in metres along either axis, the reach of the origins
    goes at ``largest`` (the largest ring; 0 for none): for one launch point the ring itself;
    otherwise a first, coarse outline of the reach (or of the launch points or the area,
    if there is no ring), since the outlines drawn are fine to a quarter pixel."""
    if origins.single:
        return largest
    coarse_area = _projected_area(origins, transformer, 50_000.0)
    if largest > 0:
        coarse = [
            _region(origins, transformer, largest, max(largest / 60.0, 50.0), cap, coarse_area)
        ]
    else:
        coarse = [] if coarse_area is None else [coarse_area]
        if origins.points:
            starts = [transformer.transform(p.lon, p.lat) for p in origins.points]
            coarse.append(_shapely().MultiPoint(starts))
    return float(max(abs(v) for shape in coarse for v in shape.bounds))
