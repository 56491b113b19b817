"""Areas as origins: geodesic distance from a polygon on WGS84, bulk masks and buffers.

An :class:`Area` is a polygon or multipolygon whose edges are **geodesics** between its
vertices (given ``[lon, lat]`` as GeoJSON, in RFC 7946's convention or d3's, whose rings may
cross the antimeridian uncut). The distance from an area to a point is 0 inside it and
otherwise the geodesic distance to the nearest point of its boundary, found on each nearby
edge by golden-section search along the edge (``Geod.fwd``), never by sampling.

This is the geodesy layer: it knows no systems. Containment and buffers use shapely (the
``areas`` extra: ``pip install 'weaponsref[areas]'``), imported on first use. An area cannot
be changed once built (one country's area is shared by every caller): its attributes cannot
be assigned and its ``__geo_interface__`` is a fresh copy each time.

>>> square = Area.from_geojson({"type": "Polygon", "coordinates": [
...     [[30, 50], [31, 50], [31, 51], [30, 51], [30, 50]]]}, name="square")
>>> square.distance_m(50.5, 30.5)[0]
0.0
>>> round(square.distance_m(50.5, 32.0)[0], 1)
70947.3
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from typing import Any, Final

import numpy as np
import numpy.typing as npt

from weaponsref.errors import CoordinateError, LimitError
from weaponsref.geo._boundary import (
    Segments,
    Thresholds,
    ecef,
    exact_within,
    nearest_candidates,
    settle,
    uses_angles,
)
from weaponsref.geo._geodesy import (
    HALF_MERIDIAN_M,
    _check_origin,
    _check_range,
    _check_targets,
    _check_tolerance,
    _unit_vectors,
    geod,
)
from weaponsref.geo._rings import _SAG_SHARE, _disk, ring_geometry
from weaponsref.geo._shapes import _shapely, to_geojson, to_shape

__all__ = ["MAX_AREA_VERTICES", "Area"]

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

#: The most boundary vertices an area may have.
MAX_AREA_VERTICES: Final = 1_000_000

# Edges longer than this are split along their geodesic (the same curve), so that the
# distance along an edge from a point off it has one minimum, and the vertex bounds are tight.
_MAX_EDGE_M: Final = 50_000.0
# For containment, edges are drawn as straight lon/lat pieces no longer than this, so they
# stray from the geodesic by centimetres (by at most half a piece where one rounds a pole).
_CONTAIN_STEP_M: Final = 1_000.0
_GOLDEN: Final = (math.sqrt(5.0) - 1.0) / 2.0
_SEARCH_STEPS: Final = 64
# Points settled at once in bulk masks (memory: about 60 bytes a point).
_BLOCK: Final = 1 << 20
# A buffer is the union of disks round boundary points: at most this many disks, and about
# this many disk vertices in all (beyond them a buffer takes minutes and gigabytes).
_MAX_DISKS: Final = 20_000
_MAX_DISK_VERTICES: Final = 3_000_000
# The most points densified_rings gives, all rings together.
_MAX_DENSIFIED: Final = 10_000_000
_NEEDS = "telling inside an area from outside"


def _polygons_of(geojson: Mapping[str, Any]) -> list[list[list[tuple[float, float]]]]:
    """Polygons (lists of rings of (lon, lat)) from a GeoJSON geometry, Feature or
    FeatureCollection."""
    kind = geojson.get("type")
    if kind == "FeatureCollection":
        out = []
        for feature in geojson.get("features") or []:
            out.extend(_polygons_of(feature))
        return out
    if kind == "Feature":
        geometry = geojson.get("geometry")
        if not isinstance(geometry, Mapping):
            raise CoordinateError("a GeoJSON Feature without a geometry is not an area")
        return _polygons_of(geometry)
    coordinates = geojson.get("coordinates")
    if kind == "Polygon":
        polygons = [coordinates]
    elif kind == "MultiPolygon":
        polygons = list(coordinates or [])
    else:
        raise CoordinateError(
            f"an area must be a GeoJSON Polygon or MultiPolygon (got type {kind!r:.40})"
        )
    out = []
    for polygon in polygons:
        rings = []
        for ring in polygon or []:
            try:
                points = [(float(p[0]), float(p[1])) for p in ring]
            except (TypeError, ValueError, IndexError):
                raise CoordinateError(
                    "an area's rings must be lists of [longitude, latitude] numbers"
                ) from None
            rings.append(points)
        if rings:
            out.append(rings)
    return out


class Area:
    """A polygon or multipolygon on WGS84 whose edges are geodesics: an origin of reach.

    Build one with :meth:`from_geojson` (a GeoJSON Polygon, MultiPolygon, Feature or
    FeatureCollection, or any object with such a ``__geo_interface__``). Rings may follow
    RFC 7946 (cut at the antimeridian) or d3 (not cut): every edge is the shorter geodesic
    between its two vertices either way. A ring that goes round a pole (Antarctica) holds
    that pole. Rings of three or more positions bound the area; every ring, however small,
    is part of the outline distances are measured to: a ring of one repeated position (an
    islet in Natural Earth's outlines) is a point of it, so the distance to an area is the
    distance to the outline ``__geo_interface__`` shows. ``__geo_interface__`` gives the
    geometry back as it was given, as a fresh copy each time. An area is immutable: assigning or deleting an attribute raises
    :class:`AttributeError`, and its arrays are read-only.

    >>> area = Area.from_geojson({"type": "Polygon", "coordinates": [
    ...     [[179, -17], [-179, -17], [-179, -16], [179, -16], [179, -17]]]}, name="across")
    >>> area.contains([-16.5, -16.5], [180.0, 170.0]).tolist()
    [True, False]
    """

    is_area: Final = True
    name: str
    #: Where the outline is from ("Natural Earth 1:10m Admin 1 5.1 ..."), or None.
    source: str | None
    #: The date or version of that source ("Natural Earth 5.1", "2024-08-20"), or None.
    date: str | None
    lat: float
    lon: float

    def __init__(
        self,
        polygons: Sequence[Sequence[Sequence[tuple[float, float]]]],
        name: str = "area",
        *,
        label: str | None = None,
        source: str | None = None,
        date: str | None = None,
        details: Mapping[str, str] | None = None,
        cited: Sequence[tuple[str | None, str | None]] | None = None,
    ) -> None:
        self.name = name
        self._label = label
        self.source = source
        self.date = date
        pairs = ((source, date),) if cited is None else cited
        self._cited = tuple((s, d) for s, d in dict.fromkeys(pairs) if s or d)
        self._details = tuple((str(k), str(v)) for k, v in (details or {}).items())
        # Tuples all the way down: __geo_interface__ builds fresh lists from them.
        self._coordinates = tuple(
            tuple(tuple(tuple(p) for p in ring) for ring in poly) for poly in polygons
        )
        # Copies (np.array, never np.asarray): the caller's arrays stay the caller's.
        outline = [np.array(ring, dtype=np.float64) for poly in polygons for ring in poly]
        outline = [r for r in outline if r.ndim == 2 and r.shape[0] >= 1 and r.shape[1] == 2]
        # Rings of three or more positions bound the area; every ring, however small (an
        # islet drawn as one repeated position), is part of its outline and counts for
        # distances.
        rings = [r for r in outline if r.shape[0] >= 3]
        if not rings:
            raise CoordinateError(f"the area {name!r} has no ring of three or more positions")
        count = sum(r.shape[0] for r in outline)
        if count > MAX_AREA_VERTICES:
            raise LimitError(
                f"an area may have at most {MAX_AREA_VERTICES:,} vertices (got {count:,})"
            )
        for ring in outline:
            _check_targets(ring[:, 1], ring[:, 0])
            ring.setflags(write=False)
        self._rings = tuple(rings)
        self._outline = tuple(outline)
        self._build_edges()
        self._contain: Any = None
        self._bounds = np.zeros((0, 4))
        # Segments for masks, built on first use: {uses angles: Segments}.
        self._segments: dict[bool, Segments] = {}
        largest = max(rings, key=lambda r: r.shape[0])
        xyz = _unit_vectors(largest[:, 1].copy(), largest[:, 0].copy()).mean(axis=1)
        norm = float(np.linalg.norm(xyz))
        if norm > 1e-9:
            self.lat = math.degrees(math.asin(max(-1.0, min(1.0, xyz[2] / norm))))
            self.lon = math.degrees(math.atan2(xyz[1], xyz[0]))
        else:
            self.lat, self.lon = float(largest[0, 1]), float(largest[0, 0])
        for value in vars(self).values():
            if isinstance(value, np.ndarray):
                value.setflags(write=False)
        self._frozen = True

    def __setattr__(self, key: str, value: Any) -> None:
        if self.__dict__.get("_frozen"):
            raise AttributeError(
                f"an Area cannot be changed (not even {key!r:.40}): it may be shared by every "
                "caller; build a new one with Area.from_geojson"
            )
        super().__setattr__(key, value)

    def __delattr__(self, key: str) -> None:
        raise AttributeError(f"an Area cannot be changed (not even {key!r:.40})")

    @classmethod
    def from_geojson(
        cls,
        value: Any,
        name: str | None = None,
        *,
        label: str | None = None,
        source: str | None = None,
        date: str | None = None,
        details: Mapping[str, str] | None = None,
    ) -> Area:
        """An area from GeoJSON (a dict) or any object with a ``__geo_interface__``; ``label``,
        ``source``, ``date`` and ``details`` as for the constructor (see :meth:`properties`)."""
        geojson = value if isinstance(value, Mapping) else getattr(value, "__geo_interface__", None)
        if not isinstance(geojson, Mapping):
            raise CoordinateError(
                f"{value!r:.60} is not GeoJSON and has no __geo_interface__; give a Polygon "
                "or MultiPolygon"
            )
        if name is None:
            properties = geojson.get("properties")
            found = properties.get("name") if isinstance(properties, Mapping) else None
            name = str(found) if found else "area"
        return cls(
            _polygons_of(geojson),
            name=name,
            label=label,
            source=source,
            date=date,
            details=details,
        )

    @property
    def label(self) -> str:
        """The area as verdicts, rows and rings name it: its name, or the fuller label it was
        given ("Kursk Oblast, Russia"; "Crimea (administered by Russia, claimed by
        Ukraine)")."""
        return self._label or self.name

    @property
    def details(self) -> dict[str, str]:
        """What else its source says of it (``administered_by``, ``claimed_by``,
        ``iso_3166_2``), a fresh dict."""
        return dict(self._details)

    @property
    def cited(self) -> tuple[tuple[str | None, str | None], ...]:
        """Where the outline is from, each source with its own date: ``((source, date),)``,
        or, for an area combined from others (``a - b``), each of theirs once, in order.
        :attr:`source` and :attr:`date` join them, each apart; this keeps each date beside
        the source it belongs to."""
        return self._cited

    @property
    def description(self) -> str:
        """One line saying which area this is and where its outline is from, as footers and
        map credits say it: ``"Kursk Oblast, Russia (Natural Earth 1:10m Admin 1, 5.1)"``;
        each source of a combined area with its own date, the sources joined by "; "."""
        said = "; ".join(self.citations)
        return f"{self.label} ({said})" if said else self.label

    @property
    def citations(self) -> list[str]:
        """Each ``(source, date)`` of :attr:`cited` as one text, "source, date", as
        :attr:`description` says them: what ring properties give as ``area_cited``."""
        return [", ".join(part for part in pair if part) for pair in self._cited]

    def properties(self) -> dict[str, str | list[str] | None]:
        """What a row, ring or map says of the area it measured from: ``area`` (its label),
        ``area_source``, ``area_date``, ``area_cited`` (each source with its own date, see
        :attr:`citations`; for a combined area the joined ``area_source`` and ``area_date``
        cannot be paired by position), and its :attr:`details` (who administers and who
        claims a disputed area)."""
        return {
            "area": self.label,
            "area_source": self.source,
            "area_date": self.date,
            "area_cited": self.citations,
            **dict(self._details),
        }

    # --------------------------------------------------------------------------- algebra

    def __or__(self, other: object) -> Area:
        """The union of two areas (see :func:`weaponsref.geo.combine`)."""
        from weaponsref.geo._algebra import combine

        return combine(self, other, "union")

    def __and__(self, other: object) -> Area:
        """The intersection of two areas (see :func:`weaponsref.geo.combine`)."""
        from weaponsref.geo._algebra import combine

        return combine(self, other, "intersection")

    def __sub__(self, other: object) -> Area:
        """This area without another (see :func:`weaponsref.geo.combine`)."""
        from weaponsref.geo._algebra import combine

        return combine(self, other, "difference")

    @property
    def __geo_interface__(self) -> dict[str, Any]:
        """The area as a GeoJSON MultiPolygon, positions as given: a fresh copy each time,
        which the caller may change without changing the area."""
        return {
            "type": "MultiPolygon",
            "coordinates": [
                [[list(p) for p in ring] for ring in poly] for poly in self._coordinates
            ],
        }

    def __repr__(self) -> str:
        return f"Area({self.name!r}, {len(self._a_lat):,} edges)"

    # ----------------------------------------------------------------------------- edges

    def _build_edges(self) -> None:
        g = geod()
        a_lon: list[float] = []
        a_lat: list[float] = []
        b_lon: list[float] = []
        b_lat: list[float] = []
        for ring in self._outline:
            lon, lat = ring[:, 0], ring[:, 1]
            lon2, lat2 = np.roll(lon, -1), np.roll(lat, -1)
            length = np.asarray(g.inv(lon, lat, lon2, lat2)[2])
            if not np.any(length > 0.0):
                # A ring with no width (one position, repeated): a point of the outline.
                a_lon.append(float(lon[0]))
                a_lat.append(float(lat[0]))
                b_lon.append(float(lon[0]))
                b_lat.append(float(lat[0]))
                continue
            for i in range(lon.size):
                if length[i] == 0.0:
                    continue
                pieces = math.ceil(length[i] / _MAX_EDGE_M)
                points = [(lon[i], lat[i])]
                if pieces > 1:
                    points += g.npts(lon[i], lat[i], lon2[i], lat2[i], pieces - 1)
                points.append((lon2[i], lat2[i]))
                for (x1, y1), (x2, y2) in itertools.pairwise(points):
                    a_lon.append(x1)
                    a_lat.append(y1)
                    b_lon.append(x2)
                    b_lat.append(y2)
        self._a_lon, self._a_lat = np.array(a_lon), np.array(a_lat)
        self._b_lon, self._b_lat = np.array(b_lon), np.array(b_lat)
        azi, _, length = g.inv(self._a_lon, self._a_lat, self._b_lon, self._b_lat)
        self._azi = np.asarray(azi, dtype=np.float64)
        self._len = np.asarray(length, dtype=np.float64)

    def _screen(self, angle: bool) -> Segments:
        """The edges as 3D segments for masks (see :mod:`._boundary`), built once."""
        found = self._segments.get(angle)
        if found is None:
            found = Segments(
                ecef(self._a_lat, self._a_lon),
                ecef(self._b_lat, self._b_lon),
                self._len,
                angle=angle,
            )
            self._segments[angle] = found
        return found

    # ------------------------------------------------------------------------ containment

    def densified_rings(self, step_m: float) -> list[tuple[FloatArray, FloatArray]]:
        """Every ring as ``(lons, lats)`` arrays, its geodesic edges split along the geodesic
        into pieces of at most ``step_m`` metres: points on the boundary, for drawing it or
        for sampling it. Each ring starts and ends on its first vertex; longitudes are as
        :meth:`Geod.npts <pyproj.Geod.npts>` gives them, in [-180, 180].

        >>> square = Area.from_geojson({"type": "Polygon", "coordinates": [
        ...     [[30, 50], [31, 50], [31, 51], [30, 51], [30, 50]]]})
        >>> [lons.size for lons, lats in square.densified_rings(40_000.0)]
        [11]

        Raises :class:`~weaponsref.UnitError` for a step that is not a finite number above 0,
        and :class:`~weaponsref.LimitError` for one below :data:`MIN_RANGE_M` or one that
        would give more than 10,000,000 points.
        """
        step = _check_range(step_m, allow_zero=False, what="step_m")
        estimate = float(np.sum(self._len)) / step + self._len.size
        if estimate > _MAX_DENSIFIED:
            raise LimitError(
                f"densifying {self.name!r:.60} every {step:g} m would give about "
                f"{estimate:,.0f} points (at most {_MAX_DENSIFIED:,}); give a larger step_m"
            )
        g = geod()
        rings = []
        for ring in self._rings:
            vertices = ring.tolist()
            if vertices[0] != vertices[-1]:
                vertices.append(vertices[0])
            lon, lat = [float(ring[0, 0])], [float(ring[0, 1])]
            for (x1, y1), (x2, y2) in itertools.pairwise(vertices):
                length = float(g.inv(x1, y1, x2, y2)[2])
                pieces = math.ceil(length / step)
                middle = g.npts(x1, y1, x2, y2, pieces - 1) if pieces > 1 else []
                for x, y in [*middle, (x2, y2)]:
                    lon.append(x)
                    lat.append(y)
            rings.append((np.array(lon), np.array(lat)))
        return rings

    def _containment(self) -> Any:
        """The rings as prepared shapely polygons (built once), straight longitude-latitude
        pieces of at most 1 km between points of the geodesic edges, and their bounds."""
        if self._contain is None:
            shapely = _shapely(_NEEDS)
            polygons = []
            for ring, (lons, lats) in zip(
                self._rings, self.densified_rings(_CONTAIN_STEP_M), strict=True
            ):
                lon, lat = [float(lons[0])], [float(lats[0])]
                for x, y in zip(lons[1:].tolist(), lats[1:].tolist(), strict=True):
                    step = ((x - lon[-1] + 180.0) % 360.0) - 180.0
                    lon.append(lon[-1] + step)
                    lat.append(y)
                turn = lon[-1] - lon[0]
                if abs(turn) > 180.0:
                    # Round a pole: close the ring over the pole it holds.
                    pole = 90.0 if float(np.mean(ring[:, 1])) > 0 else -90.0
                    lon += [lon[-1], lon[0]]
                    lat += [pole, pole]
                polygons.append(shapely.Polygon(np.column_stack([lon, lat])))
            # Even-odd over every ring: holes and islands in lakes come out right whatever
            # the rings' orientation.
            shapes = [shapely.make_valid(p) for p in polygons]
            shapely.prepare(shapes)
            bounds = np.array([shape.bounds for shape in shapes], dtype=np.float64).reshape(-1, 4)
            bounds.setflags(write=False)
            # Caches, not changes.
            object.__setattr__(self, "_bounds", bounds)
            object.__setattr__(self, "_contain", shapes)
        return self._contain

    def contains(self, lats: npt.ArrayLike, lons: npt.ArrayLike) -> BoolArray:
        """Which points (degrees, latitude first) are inside the area."""
        flat_lat, flat_lon, shape = _check_targets(lats, lons)
        return self._inside(flat_lat, flat_lon).reshape(shape)

    def _inside(self, flat_lat: FloatArray, flat_lon: FloatArray) -> BoolArray:
        """:meth:`contains` for flat arrays already checked: even-odd over the rings' parts,
        a point on a part's outline counting as in it."""
        shapely = _shapely(_NEEDS)
        parts = self._containment()
        bounds = self._bounds
        inside = np.zeros(flat_lat.size, dtype=bool)
        shifted = [flat_lon - 360.0, flat_lon, flat_lon + 360.0]
        # Few points: one box test of every part at once, then only the parts they meet.
        few = flat_lat.size * len(parts) <= 1 << 20
        boxes = [self._boxes(flat_lat, x) for x in shifted] if few else []
        for k, part in enumerate(parts):
            if few and not any(box[k].any() for box in boxes):
                continue
            hit = np.zeros(flat_lat.size, dtype=bool)
            for turn, x in enumerate(shifted):
                if few:
                    box = boxes[turn][k]
                else:
                    xmin, ymin, xmax, ymax = bounds[k]
                    box = (x >= xmin) & (x <= xmax) & (flat_lat >= ymin) & (flat_lat <= ymax)
                idx = np.flatnonzero(box & ~hit)
                if idx.size:
                    hit[idx] = shapely.intersects_xy(part, x[idx], flat_lat[idx])
            inside ^= hit
        return inside

    def _boxes(self, flat_lat: FloatArray, x: FloatArray) -> BoolArray:
        """Which points (latitudes, longitudes ``x``) lie in each part's bounding box."""
        b = self._bounds
        return (
            (x >= b[:, 0, None])
            & (x <= b[:, 2, None])
            & (flat_lat >= b[:, 1, None])
            & (flat_lat <= b[:, 3, None])
        )

    # -------------------------------------------------------------------------- distance

    def _edge_search(
        self, lat: FloatArray, lon: FloatArray, edges: npt.NDArray[np.intp]
    ) -> tuple[FloatArray, FloatArray, FloatArray]:
        """For pairs (point i, edge e): the least distance from the point to the edge, and
        where (lat, lon). Golden-section search on the fraction along the edge."""
        g = geod()
        a_lon, a_lat = self._a_lon[edges], self._a_lat[edges]
        azi, length = self._azi[edges], self._len[edges]

        def dist(t: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray]:
            x, y, _ = g.fwd(a_lon, a_lat, azi, t * length)
            x, y = np.asarray(x), np.asarray(y)
            return np.asarray(g.inv(lon, lat, x, y)[2]), y, x

        lo = np.zeros(edges.size)
        hi = np.ones(edges.size)
        c = hi - _GOLDEN * (hi - lo)
        d = lo + _GOLDEN * (hi - lo)
        fc, fd = dist(c)[0], dist(d)[0]
        for _ in range(_SEARCH_STEPS):
            left = fc < fd
            hi = np.where(left, d, hi)
            lo = np.where(left, lo, c)
            new_c = hi - _GOLDEN * (hi - lo)
            new_d = lo + _GOLDEN * (hi - lo)
            c2 = np.where(left, new_c, d)
            d2 = np.where(left, c, new_d)
            probe = np.where(left, c2, d2)
            fp = dist(probe)[0]
            fc, fd = np.where(left, fp, fd), np.where(left, fc, fp)
            c, d = c2, d2
        best_t = 0.5 * (lo + hi)
        candidates = [np.zeros(edges.size), best_t, np.ones(edges.size)]
        results = [dist(t) for t in candidates]
        metres = np.vstack([r[0] for r in results])
        pick = np.argmin(metres, axis=0)
        cols = np.arange(edges.size)
        near_lat = np.vstack([r[1] for r in results])[pick, cols]
        near_lon = np.vstack([r[2] for r in results])[pick, cols]
        return metres[pick, cols], near_lat, near_lon

    def distance_m(self, lat: float, lon: float) -> tuple[float, float | None, float | None]:
        """(metres, nearest boundary latitude, longitude) from the area to (lat, lon).

        0 and no nearest point inside the area; otherwise the geodesic distance to the
        nearest point of the boundary, within nanometres of the exact minimum.
        """
        lat, lon = _check_origin(lat, lon)
        if bool(self.contains([lat], [lon])[0]):
            return 0.0, None, None
        metres, near_lat, near_lon = self._boundary_distance(np.array([lat]), np.array([lon]))
        return float(metres[0]), float(near_lat[0]), float(near_lon[0])

    def _boundary_distance(
        self, lat: FloatArray, lon: FloatArray
    ) -> tuple[FloatArray, FloatArray, FloatArray]:
        """Distances from points to the boundary, exactly, and the nearest boundary points:
        proven bounds pick the edges that may hold a point's nearest, and each of those is
        searched along its geodesic (ties go to the first edge)."""
        owner, edges = nearest_candidates(self._screen(False), self._screen(True), lat, lon)
        metres, near_lat, near_lon = self._edge_search(lat[owner], lon[owner], edges)
        order = np.lexsort((metres, owner))
        first = order[np.flatnonzero(np.diff(owner[order], prepend=-1))]
        return metres[first], near_lat[first], near_lon[first]

    def within(self, lats: npt.ArrayLike, lons: npt.ArrayLike, range_m: float) -> BoolArray:
        """Which points lie within ``range_m`` metres of the area (inside it, or within range
        of its nearest boundary point), exactly.

        Proven bounds on the edges as 3D segments settle whole cells of points at once, and
        only the points in a band metres wide at the range are measured by geodesics (see
        :mod:`weaponsref.geo._boundary`); points are taken a million at a time, so memory
        does not grow with their number beyond the result.
        """
        range_m = _check_range(range_m, allow_zero=True)
        flat_lat, flat_lon, shape = _check_targets(lats, lons)
        n = flat_lat.size
        if range_m >= HALF_MERIDIAN_M:
            return np.ones(shape, dtype=bool)
        angle = uses_angles(range_m)
        segments = self._screen(angle)
        limits = Thresholds(range_m, angle=angle)
        edges = (self._a_lon, self._a_lat, self._b_lon, self._b_lat, self._azi, self._len)

        def exact(
            lat: FloatArray,
            lon: FloatArray,
            point: npt.NDArray[np.intp],
            edge: npt.NDArray[np.intp],
        ) -> BoolArray:
            return exact_within(edges, range_m, lat, lon, point, edge)

        result = np.empty(n, dtype=bool)
        for start in range(0, n, _BLOCK):
            block = slice(start, start + _BLOCK)
            result[block] = settle(
                segments, limits, flat_lat[block], flat_lon[block], self._inside, exact
            )
        return result.reshape(shape)

    # ---------------------------------------------------------------------------- buffer

    def buffer_geometry(self, range_m: float, tolerance_m: float) -> tuple[dict[str, Any], float]:
        """The geodesic buffer: the area and every point within ``range_m`` of it, as a valid
        RFC 7946 (Multi)Polygon, its edge within ``tolerance_m`` of the true one (disks
        round boundary points spaced so that the scallops between them stay within half the
        tolerance, each drawn to half of it). Returns ``(geometry, used_range_m)``.

        ``range_m`` is checked as :func:`ring_geometry` checks it (at least
        :data:`MIN_RANGE_M`) and ``tolerance_m`` must be from :data:`MIN_TOLERANCE_M` to
        :data:`MAX_TOLERANCE_M`, as for a ring round a point (:class:`~weaponsref.UnitError`
        or :class:`~weaponsref.LimitError` otherwise). A buffer that would need more than
        20,000 disks, or about 3,000,000 disk vertices, raises
        :class:`~weaponsref.LimitError` naming what to change.
        """
        range_m = _check_range(range_m, allow_zero=False)
        tolerance = _check_tolerance(tolerance_m)
        if range_m >= HALF_MERIDIAN_M:
            return ring_geometry(0.0, 0.0, range_m)
        half = 0.5 * tolerance
        # The scallop between two disks s apart dips r - sqrt(r^2 - (s/2)^2) below the true
        # edge: at most `scallop` if (s/2)^2 = r^2 - (r - scallop)^2 = scallop (2r - scallop).
        # A range under the tolerance takes scallop = r / 2 (disks 1.73 r apart): any dip up
        # to r is within half the tolerance then, but disks that barely touch leave pinholes.
        scallop = min(half, 0.5 * range_m)
        spacing = 2.0 * math.sqrt(scallop * (2.0 * range_m - scallop))
        self._check_buffer_cost(range_m, tolerance, spacing)
        shapely = _shapely("a buffer round an area")
        disks = [
            to_shape(_disk(y, x, range_m, half, None, legacy=False))
            for x, y in self._disk_centres(spacing)
        ]
        merged = shapely.unary_union([*disks, *self._in_frame(shapely)])
        return to_geojson(merged), range_m

    def _check_buffer_cost(self, range_m: float, tolerance: float, spacing: float) -> None:
        """LimitError when a buffer would need too many disks or disk vertices."""
        pieces = np.maximum(1.0, np.ceil(self._len / spacing))
        disks = float(np.sum(pieces))
        # A disk's vertices: a regular polygon whose chords sag within its share of half the
        # tolerance (the adaptive ring starts from 16 azimuths).
        sag = min(2.0, _SAG_SHARE * 0.5 * tolerance / range_m)
        per_disk = max(16.0, math.pi / math.acos(1.0 - sag))
        fix = "a larger tolerance" if tolerance < range_m else "a larger range"
        if disks > _MAX_DISKS:
            raise LimitError(
                f"a buffer of {self.name!r:.60} at {range_m:,.1f} m to {tolerance:g} m needs "
                f"{disks:,.0f} disks (at most {_MAX_DISKS:,}); give {fix}"
            )
        if disks * per_disk > _MAX_DISK_VERTICES:
            raise LimitError(
                f"a buffer of {self.name!r:.60} at {range_m:,.1f} m to {tolerance:g} m needs "
                f"about {disks * per_disk:,.0f} disk vertices (at most "
                f"{_MAX_DISK_VERTICES:,}); give a larger tolerance"
            )

    def _disk_centres(self, spacing: float) -> list[tuple[float, float]]:
        """(lon, lat) of every edge's start and of points along it at most ``spacing`` apart."""
        g = geod()
        centres: list[tuple[float, float]] = []
        for x1, y1, x2, y2, length in zip(
            self._a_lon, self._a_lat, self._b_lon, self._b_lat, self._len, strict=True
        ):
            pieces = max(1, math.ceil(length / spacing))
            centres.append((float(x1), float(y1)))
            if pieces > 1:
                centres.extend(g.npts(x1, y1, x2, y2, pieces - 1))
        return centres

    def _in_frame(self, shapely: Any) -> list[Any]:
        """The area's containment polygons moved by whole turns into the lon/lat frame."""
        pieces = []
        frame = shapely.box(-180.0, -90.0, 180.0, 90.0)
        for part in self._containment():
            for shift in (-360.0, 0.0, 360.0):
                clipped = shapely.affinity.translate(part, xoff=shift).intersection(frame)
                if not clipped.is_empty:
                    pieces.append(clipped)
        return pieces
