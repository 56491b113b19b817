"""Exact bulk masks, and the gazetteer's places within a range."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import attrs

from weaponsref import _units
from weaponsref import geo as geodesy
from weaponsref.errors import (
    ArgumentValueError,
    CoordinateError,
    LimitError,
)
from weaponsref.gazetteer import Place
from weaponsref.geo import TargetSet
from weaponsref.reach._origin import Origin, OriginLike
from weaponsref.reach._origin import origin as resolve_origin
from weaponsref.reach._points import _fast_point
from weaponsref.reach._ranges import (
    RangeLike,
    _resolve_cached,
    cited,
    may_have_minimum,
    minimum_range_of,
    resolve_range,
)
from weaponsref.reach._verdict import PLACES_CLAIM_KEYS, claim_properties
from weaponsref.records import Claim, System

if TYPE_CHECKING:
    from weaponsref.catalogue import Catalogue


def within_range(
    what: RangeLike,
    origin: OriginLike,
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
    >>> wr.within_range("GMLRS", "Kyiv", lats, lons).tolist()
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
    has_minimum = may_have_minimum(owner)
    fast = _fast_point(origin)
    start = None if fast is not None else resolve_origin(origin)
    if inner is None and has_minimum and used is not None and used.figure == "range":
        inner = (
            None if start is not None and start.areas else minimum_range_of(owner, used, catalogue)
        )
    if isinstance(lats, TargetSet):
        if lons is not None:
            raise CoordinateError("pass either a TargetSet or lats and lons, not both")
        targets: TargetSet | None = lats
    else:
        if lons is None:
            raise CoordinateError("within_range needs lons beside lats, or a TargetSet")
        targets = None
    if fast is not None and inner is None:
        lat, lon = fast
        if targets is not None:
            return targets.within(lat, lon, metres)
        return geodesy.within_range_m(lat, lon, metres, lats, lons)
    if start is None:
        start = resolve_origin(origin)
    if inner is not None and start.areas:
        raise ArgumentValueError(
            f"min_range is for launch points; {start.label} includes an area, which has no "
            "minimum range: leave min_range out"
        )
    if targets is not None:
        return start.within(targets, None, metres, min_range_m=inner)
    return start.within(lats, lons, metres, min_range_m=inner)


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
    #: What the distances were measured from.
    origin: Origin | None = None
    #: Where each place's population is from ("GeoNames, dump of 2023-03-05"), or None.
    population_sources: tuple[str | None, ...] = ()
    #: The system's published minimum range applied, in metres: places nearer a launch point
    #: than it are left out, as the verdicts say they are not reached; None when none applies.
    min_range_m: float | None = None

    def __len__(self) -> int:
        return len(self.places)

    def __str__(self) -> str:
        range_text = _units.format_quantity(_units.make(self.range_m / 1000.0, "km"))
        origin = self.origin.qualified_label if self.origin is not None else "the origin"
        basis = ""
        if self.system is not None and self.claim is not None:
            basis = (
                f", the range of {self.system.name} ({cited(self.claim, self.claim.describe())})"
            )
        sources = [s for s in dict.fromkeys(self.population_sources) if s]
        counted = f"populations: {'; '.join(sources)}; " if sources else ""
        count = (
            "1 place of the gazetteer lies"
            if len(self.places) == 1
            else (f"{len(self.places):,} places of the gazetteer lie")
        )
        if self.min_range_m is not None:
            minimum = _units.format_quantity(_units.make(self.min_range_m / 1000.0, "km"))
            basis += f", and not nearer than its published minimum range of {minimum}"
        return (
            f"{count} within {range_text} of "
            f"{origin}{basis}; together they have {self.population:,} inhabitants "
            f"({counted}the population of the listed places, not of the area)"
        )

    def __repr__(self) -> str:
        return f"PlacesWithin({len(self.places)} places, population={self.population})"

    def rows(self) -> list[dict[str, Any]]:
        """One dict per place: name, country, lat, lon, distance_km, population,
        population_source (which dump of which date, or None), and on every
        row what it rests on, so that a CSV row stands alone: origin (what the distance was
        measured from), range_km, min_range_km (the published minimum range applied, or
        None), system, system_name, claim, and the source's keys as every
        verdict row has them (source is the id, source_citation as the tables print it).

        >>> import weaponsref as wr
        >>> row = wr.places_within("GMLRS", "Zaporizhzhia", min_population=500_000).rows()[0]
        >>> row["name"], row["origin"], row["claim"], row["source_citation"]
        ('Zaporizhzhya', 'Zaporizhzhya, UA', 'more than 70 km', 'The Defense Post, 2024-01-16')
        """
        basis = {
            "origin": self.origin.qualified_label if self.origin is not None else None,
            "range_km": round(self.range_m / 1000.0, 3),
            "min_range_km": (
                None if self.min_range_m is None else round(self.min_range_m / 1000.0, 3)
            ),
            **claim_properties(self.system, self.claim, keys=PLACES_CLAIM_KEYS),
        }
        return [
            {
                "name": place.name,
                "country": place.country,
                "lat": place.lat,
                "lon": place.lon,
                "distance_km": round(metres / 1000.0, 3),
                "population": people,
                "population_source": counted,
                **basis,
            }
            for place, metres, people, counted in zip(
                self.places,
                self.distances_m,
                self.populations,
                self.population_sources or (None,) * len(self.places),
                strict=True,
            )
        ]


def _nearest_first(start: Origin, lats: Any, lons: Any, chosen: Any) -> list[tuple[float, int]]:
    """(distance from the origin in metres, index) of each chosen place, nearest first."""
    import numpy as np

    if start.areas:
        return sorted((start.distance_m(float(lats[i]), float(lons[i])), int(i)) for i in chosen)
    # Points: the distance to each chosen place from the nearest origin, vectorised.
    nearest = np.full(len(chosen), np.inf)
    for point in start.points:
        _, _, metres_to = geodesy.geod().inv(
            np.full(len(chosen), point.lon), np.full(len(chosen), point.lat),
            lons[chosen], lats[chosen],
        )  # fmt: skip
        nearest = np.minimum(nearest, metres_to)
    return sorted(zip(nearest.tolist(), chosen.tolist(), strict=True))


def places_within(
    what: RangeLike,
    origin: OriginLike,
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
    >>> inside = wr.places_within("GMLRS", "Zaporizhzhia", min_population=50_000)
    >>> [p.name for p in inside.places]
    ['Zaporizhzhya', 'Enerhodar', 'Nikopol', 'Dnipro']
    >>> print(inside)  # doctest: +ELLIPSIS
    4 places of the gazetteer lie within 70 km of Zaporizhzhya, UA, the range of GMLRS (more than 70 km, according to Lockheed Martin (The Defense Post, 2024-01-16)); together they have 1,836,601 inhabitants (populations: GeoNames, dump of 2023-03-05; the population of the listed places, not of the area)
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
    start = resolve_origin(origin)
    arrays = place_arrays()
    keep = arrays.populations >= min_population
    indices = np.flatnonzero(keep)
    length = _units.make(metres, "m")
    # The system's published minimum range, as the verdicts apply it (not round an area).
    inner = None if start.areas else minimum_range_of(system, claim, catalogue)
    mask = within_range(
        length, start, arrays.lats[indices], arrays.lons[indices],
        min_range=None if inner is None else _units.make(inner, "m"),
    )  # fmt: skip
    found = _nearest_first(start, arrays.lats, arrays.lons, indices[np.asarray(mask)])
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
        start,
        tuple(arrays.population_source(i) for _, i in found),
        inner,
    )
