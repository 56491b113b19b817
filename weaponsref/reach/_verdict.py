"""Verdicts: whether a published range covers a distance, and the rule that says so."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, Final

import attrs

from weaponsref import _units
from weaponsref import geo as geodesy
from weaponsref.errors import (
    ArgumentError,
    ArgumentValueError,
    UnknownSourceError,
)
from weaponsref.gazetteer import Place, Point, as_location
from weaponsref.geo import EARTH_MODEL, Area
from weaponsref.reach._origin import OriginLike, qualified
from weaponsref.reach._origin import origin as resolve_origin
from weaponsref.reach._points import _REAL, _coords
from weaponsref.reach._ranges import (
    _CITATION_KEYS,
    RangeLike,
    _catalogue,
    _resolve_cached,
    citation,
    cited,
    may_have_minimum,
    minimum_claim_for,
    minimum_range_of,
    range_choices,
    range_claim,
    resolve_range,
)
from weaponsref.reach._rule import NOT_ESTABLISHED, REACHES, Closeness, verdict
from weaponsref.reach._rule import close_by as rule_close_by
from weaponsref.reach._rule import rounding_m as rule_rounding_m
from weaponsref.records import Claim, System, preference

if TYPE_CHECKING:
    from weaponsref._units import Quantity
    from weaponsref.catalogue import Catalogue
    from weaponsref.gazetteer import LocationLike


#: Every key that says what a result rests on, in the one order every output keeps: the
#: system, the claim (what the figure measures, its variant, its text and qualifier, its
#: basis and who says so), the source's keys as every claim row has them (see
#: :func:`~weaponsref.reach.citation`) and the quote. :meth:`Reach.row`, a ring's properties
#: (:func:`~weaponsref.reach.range_ring`) and :meth:`PlacesWithin.rows` each show a part of
#: them, named below, and take their values from :func:`claim_properties`.
CLAIM_KEYS: Final[tuple[str, ...]] = (
    "system",
    "system_name",
    "figure",
    "variant",
    "claim",
    "qualifier",
    "basis",
    "attribution",
    "attributed_to",
    *_CITATION_KEYS,
    "quote",
)
#: What a verdict row shows of its claim (all but the figure, which is always the range).
VERDICT_CLAIM_KEYS: Final = tuple(key for key in CLAIM_KEYS if key != "figure")
#: What a ring's properties show of its claim: all of it.
RING_CLAIM_KEYS: Final = CLAIM_KEYS
#: What each row of :meth:`PlacesWithin.rows` shows: the system, the claim's text, the source.
PLACES_CLAIM_KEYS: Final = ("system", "system_name", "claim", *_CITATION_KEYS)


def claim_properties(
    system: System | None,
    claim: Claim | None,
    variant: str | None = None,
    keys: Sequence[str] = CLAIM_KEYS,
) -> dict[str, Any]:
    """What a result rests on, as the flat keys of :data:`CLAIM_KEYS` (those of ``keys``, in
    that order): the system's id and name, the claim's figure, variant (``variant`` if given,
    else the claim's), text as published, qualifier, basis, attribution, who says so, the
    source's keys and the quote. Every value is None for what is missing (a bare distance
    has neither system nor claim). A key not in :data:`CLAIM_KEYS` raises KeyError.

    >>> import weaponsref as wr
    >>> bober = wr.lookup("Bober")
    >>> claim_properties(bober, bober.claim("range"), keys=("system", "claim", "source"))
    {'system': 'bober', 'claim': '1,300 km', 'source': 'mtvuutiset-2024-04-majava'}
    """
    found: dict[str, Any] = {
        "system": system.id if system is not None else None,
        "system_name": system.name if system is not None else None,
    }
    if claim is None:
        found.update(dict.fromkeys(CLAIM_KEYS[2:]))
        found["variant"] = variant or None
    else:
        found.update(
            {
                "figure": claim.figure,
                "variant": variant or claim.variant,
                "claim": claim.describe(),
                "qualifier": claim.qualifier,
                "basis": claim.basis,
                "attribution": claim.attribution,
                "attributed_to": claim.attributed_to,
                **citation(claim),
                "quote": claim.quote,
            }
        )
    return {key: found[key] for key in keys}


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
    ('reaches', 'MTV Uutiset', 542.9)
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
        """``"reaches"``, ``"does not reach"`` or ``"not established"``; see the class. The
        verdict rule decides it (:func:`~weaponsref.reach.verdict`)."""
        claim = self.claim
        if claim is None:
            return verdict(self.distance_m, self.range_m, None, self.min_range_m)
        upper = claim.metres if self.use_low and claim.low_metres is not None else None
        return verdict(
            self.distance_m,
            self.range_m,
            claim.qualifier,
            self.min_range_m,
            upper_m=upper,
            basis=claim.basis,
        )

    @property
    def rounding_m(self) -> float | None:
        """Half the place value of the figure's last significant digit, in metres: how far
        the figure itself may be from the true value by rounding alone ("about 1,000 km" is
        ±500 km, "up to 621 mi" ±0.5 mi), whatever the qualifier. None for a bare distance."""
        claim = self.claim
        if claim is None:
            return None
        return _figure_rounding_m(claim, low=self.use_low)

    @property
    def minimum_rounding_m(self) -> float | None:
        """The same for the published minimum range applied (:attr:`min_range_m`): half the
        place value of its figure's last significant digit, in metres ("60 km" is ±5 km).
        None when no minimum range applies, or one set by hand."""
        said = self._minimum_claim()
        return None if said is None else _figure_rounding_m(said)

    @property
    def close(self) -> bool:
        """True when a figure decides the verdict by less than its own rounding: the range
        (:attr:`rounding_m`), or a published minimum range (:attr:`minimum_rounding_m`), on
        either side of it. The reader should treat it as too close to call.

        >>> import weaponsref as wr
        >>> reach = wr.reaches("PrSM", (50.0, 30.0), (50.5, 30.0))  # 55.6 km: "60 km" is ±5
        >>> reach.status, reach.close, reach.close_to
        ('does not reach', True, 'minimum range')
        """
        return self._closeness() is not None

    @property
    def close_to(self) -> str | None:
        """Which figure the verdict is close to: ``"range"``, ``"minimum range"``, or None
        when it is not close (see :attr:`close`)."""
        found = self._closeness()
        return None if found is None else found.edge

    def _closeness(self) -> Closeness | None:
        """The verdict rule's :func:`~weaponsref.reach._rule.close_by` for this verdict."""
        return rule_close_by(
            self.distance_m,
            self.range_m,
            self.rounding_m,
            minimum_m=self.min_range_m,
            minimum_rounding=self.minimum_rounding_m,
        )

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
        where = f"{qualified(self.target)} from {qualified(self.origin)}"
        if self.nearest is not None:
            where += f" (nearest point {self.nearest.lat:.4f}, {self.nearest.lon:.4f})"
        elif self.distance_m == 0.0 and getattr(self.origin, "is_area", False):
            where += " (inside it)"
        distance = _units.format_quantity(self.distance)
        range_ = _units.format_quantity(self.range)
        basis = "" if self.claim is None else f" ({cited(self.claim, self.range_text)})"
        margin = _units.format_quantity(_units.make(abs(self.margin_m) / 1000.0, "km"))
        closeness = self._closeness()
        tail = ""
        if closeness is not None:  # which figure's rounding the verdict is inside
            rounding = _units.format_quantity(_units.make(closeness.rounding_m, "m"), "km")
            tail = f"; {closeness.text} (±{rounding})"
        status = self.status
        if self.too_near:
            minimum = _units.format_quantity(_units.make((self.min_range_m or 0.0) / 1000, "km"))
            said = self._minimum_claim()
            whose = ""
            if said is not None:  # the figure as published, when it says more than the number
                plain = said.describe() == minimum
                whose = f", {said.according_to}" if plain else f" ({cited(said, said.describe())})"
            return (
                f"{name} does not reach {where}: {distance} is inside its published minimum "
                f"range of {minimum}{whose}{tail}"
            )
        if status == REACHES:
            return f"{name} reaches {where}: {distance} of {range_}{basis}; {margin} to spare{tail}"
        if status == NOT_ESTABLISHED:
            return f"{name}: not established whether it reaches {where}: " + self._unsettled(
                distance, margin, range_, basis
            )
        return f"{name} does not reach {where}: {distance} against {range_}{basis}; {margin} short{tail}"

    def _unsettled(self, distance: str, margin: str, range_: str, basis: str) -> str:
        """Why a verdict is not established, in words."""
        claim = self.claim
        if claim is not None and claim.basis == "requirement":
            side = "within" if self.distance_m <= self.range_m else f"{margin} beyond"
            return (
                f"{distance} is {side} {range_}{basis}, a requirement or planned figure, "
                "which says what the system should do, not what it does"
            )
        if self.distance_m <= self.range_m:  # within a band's upper end, beyond its lower
            return f"{distance} is within {range_}{basis} but beyond the band's lower end"
        why = (
            "a distance flown or struck, which shows only that it flies at least that far"
            if claim is not None and claim.basis == "demonstrated"
            else "which the source gives only as a lower bound"
        )
        return f"{distance} is {margin} beyond {range_}{basis}, {why}"

    def _minimum_claim(self) -> Claim | None:
        """The published minimum range the verdict applied, for who says so: None when it
        applied none, or one not of the system's claims (a value set by hand)."""
        if self.min_range_m is None:
            return None
        said = minimum_claim_for(self.system, self.claim)
        return said if said is not None and said.metres == self.min_range_m else None

    def row(self) -> dict[str, Any]:
        """The verdict as a flat dict with stable keys, as tables, CSV and the command line's
        JSON show it: system (the id, None for a bare distance), system_name, variant, claim,
        qualifier, the source's keys as every claim row has them (source is the id;
        source_cited_as, source_kind, source_published, source_url, and source_citation as
        the tables print it), quote, origin and target (a place with its region, where
        known, and country: "Moscow, RU", "Pokrovsk, Donetsk, UA"), origin_source,
        origin_date, origin_cited, nearest_lat and nearest_lon (an area's outline: its
        sources and their dates, each list joined by "; ", then each source with its own date
        as :attr:`~weaponsref.geo.Area.citations` says them, joined the same way, so that a
        combined area's dates can be read beside their sources; and its nearest point; None
        for a place or point), target_lat, target_lon, distance_km, range_km, margin_km,
        min_range_km and min_range_citation (the published minimum range applied and who
        says so, as :attr:`~weaponsref.records.Claim.said_by` gives it; None when none
        applies), status, close, close_to (the figure the verdict is close to: "range",
        "minimum range" or None), reaches, earth_model.

        >>> import weaponsref as wr
        >>> row = wr.reaches("Bober", "Kyiv", "Moscow").row()
        >>> row["system"], row["system_name"], row["source"], row["source_citation"]
        ('bober', 'Bober', 'mtvuutiset-2024-04-majava', 'MTV Uutiset, 2024-04')
        """
        claim = self.claim
        minimum = self._minimum_claim()
        closeness = self._closeness()
        return {
            **claim_properties(self.system, claim, self.variant, VERDICT_CLAIM_KEYS),
            # A bare distance names itself by its range, so that a table's row says what it is.
            "system_name": self.system_name,
            "claim": claim.describe() if claim is not None else self.range_text,
            "origin": qualified(self.origin),
            "target": qualified(self.target),
            # An area says which outline it is, from what and of when, and where its nearest
            # point is; a place or point has none of these.
            "origin_source": getattr(self.origin, "source", None),
            "origin_date": getattr(self.origin, "date", None),
            "origin_cited": (
                "; ".join(t for t in self.origin.citations if t) or None
                if isinstance(self.origin, Area)
                else None
            ),
            "nearest_lat": self.nearest.lat if self.nearest is not None else None,
            "nearest_lon": self.nearest.lon if self.nearest is not None else None,
            "target_lat": self.target.lat,
            "target_lon": self.target.lon,
            "distance_km": round(self.distance_m / 1000, 3),
            "range_km": round(self.range_m / 1000, 3),
            "margin_km": round(self.margin_m / 1000, 3),
            # The published minimum range applied, and who says so (None when none applies).
            "min_range_km": (
                None if self.min_range_m is None else round(self.min_range_m / 1000, 3)
            ),
            "min_range_citation": minimum.said_by if minimum is not None else None,
            "status": self.status,
            "close": closeness is not None,
            "close_to": None if closeness is None else closeness.edge,
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
        ('reaches', 'kilometer', 'mtvuutiset-2024-04-majava')
        >>> len(json.dumps(data)) > 200
        True
        """

        def where(location: Any) -> dict[str, Any]:
            found: dict[str, Any] = {"label": qualified(location)}
            if isinstance(location, Place | Point):
                found.update(lat=location.lat, lon=location.lon)
            return found

        closeness = self._closeness()
        return {
            "status": self.status,
            "reaches": bool(self),
            "close": closeness is not None,
            "close_to": None if closeness is None else closeness.edge,
            "system": self.system.id if self.system is not None else None,
            "system_name": self.system_name,
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


def reaches(
    system: RangeLike,
    origin: OriginLike,
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
    Storm Shadow (export) does not reach Sevastopol, UA from Odesa, UA: 301.3 km against 250 km (250 km, AeroTime, undated); 51.3 km short
    >>> print(wr.reaches("HIMARS", "Kharkiv", "Belgorod", variant="ATACMS"))
    HIMARS (ATACMS) reaches Belgorod, RU from Kharkiv, UA: 73.2 km of 300 km (up to 300 km, according to Lockheed Martin (Talk Business & Politics, 2016-03)); 226.8 km to spare
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
            if may_have_minimum(owner):
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
    elif claim is None and not use_low and type(origin) is str and type(target) is str:
        named = _named(system, origin, target, variant, source, catalogue)
        if named is not None:
            return named
    return _reaches_slow(system, origin, target, claim, variant, source, use_low, catalogue)


def _named(
    system: RangeLike,
    origin: str,
    target: str,
    variant: str | None,
    source: str | None,
    catalogue: Catalogue | None,
) -> Reach | None:
    """The named path of :func:`reaches`: two names (the gazetteer remembers what it found)
    and a cached range; None for a system with a minimum range (the slow path has it)."""
    metres, used, owner = _resolve_cached(system, variant, source, catalogue)
    if may_have_minimum(owner):
        return None
    start, end = as_location(origin), as_location(target)
    return Reach(
        owner,
        used,
        start,
        end,
        geodesy.inverse_m(start.lat, start.lon, end.lat, end.lon),
        metres,
        False,
        EARTH_MODEL,
        variant,
    )


def _reaches_slow(
    system: RangeLike,
    origin: OriginLike,
    target: LocationLike,
    claim: Claim | None,
    variant: str | None,
    source: str | None,
    use_low: bool,
    catalogue: Catalogue | None,
) -> Reach:
    if claim is not None and source is not None:
        raise ArgumentValueError("give claim= or source=, not both")
    if claim is not None:
        if not isinstance(claim, Claim):
            raise ArgumentError(f"claim must be a Claim record (got {claim!r:.60})")
        owner = None
        if isinstance(system, System | str):
            owner = _catalogue(catalogue).lookup(system)
            if claim not in owner.claims:
                raise ArgumentValueError(
                    f"that claim ({claim.describe()}, {claim.dated_source}) is not one of "
                    f"{owner.name}'s claims"
                )
        metres, used, found = resolve_range(claim, catalogue=catalogue)
        owner = owner or found
    else:
        metres, used, owner = resolve_range(
            system, variant=variant, source=source, catalogue=catalogue
        )
    if use_low:
        if used is None or used.low is None:
            raise ArgumentValueError("use_low needs a band claim, which has a lower end")
        low = used.low_metres
        assert low is not None
        metres = low
    lat2, lon2, end = _coords(target)
    nearest = resolve_origin(origin).nearest(lat2, lon2)
    minimum = minimum_range_of(owner, used, catalogue)
    return Reach(
        owner,
        used,
        nearest.part,
        end,
        nearest.distance_m,
        metres,
        use_low,
        EARTH_MODEL,
        variant,
        nearest.index,
        nearest.boundary,
        minimum,
    )


def _table_claims(
    system: System,
    variant: str | None,
    all_claims: bool,
    source: str | None,
    catalogue: Catalogue,
) -> tuple[Claim, ...]:
    """The claims a table gives ``system`` (or, for a launcher, its munition ``variant``)
    rows for: the preferred one, every one, or those of one source (preferred per variant).
    Every claim and a source's claims are the system's own, a launcher's as reported."""
    if source is None and not all_claims:
        return (range_claim(system, variant, catalogue=catalogue),)
    claims = system.claims_for("range")
    if source is None:
        return claims
    claims = tuple(c for c in claims if c.source.id == source)
    if all_claims:
        return claims
    by_variant: dict[str | None, Claim] = {}
    for c in sorted(claims, key=lambda c: preference(c, claims)):
        by_variant.setdefault(c.variant, c)
    return tuple(by_variant.values())


def reach_table(
    origin: OriginLike,
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
    A launcher has no range of its own, so its preferred ranges are one row per munition it
    fires (:func:`~weaponsref.reach.range_choices`), each with the munition's own headline;
    ``all_claims`` and ``source`` list what the sources said of the launcher itself.

    >>> import weaponsref as wr
    >>> four = ["Bober", "UJ-22", "Storm Shadow", "HIMARS"]
    >>> [(r.system.name, r.variant, r.status) for r in wr.reach_table("Kyiv", "Moscow", systems=four)][2:5]
    [('Storm Shadow', None, 'not established'), ('HIMARS', 'GMLRS', 'not established'), ('HIMARS', 'ATACMS', 'does not reach')]
    >>> print(wr.table(wr.reach_table("Kyiv", "Moscow", systems=four), fmt="plain"))  # doctest: +NORMALIZE_WHITESPACE
    System             Claim             Distance    Range     Margin     Status           Source
    Bober              1,300 km          757.1 km    1,300 km  542.9 km   reaches          Ukraine (no official named) (MTV Uutiset, 2024-04)
    UJ-22 Airborne     maximum 800 km    757.1 km    800 km    42.9 km    reaches (close)  Ukrjet's website (infodron.es, undated)
    Storm Shadow       more than 250 km  757.1 km    250 km    -507.1 km  not established  CNN, 2023-07-11
    HIMARS (GMLRS)     more than 70 km   757.1 km    70 km     -687.1 km  not established  Lockheed Martin (The Defense Post, 2024-01-16)
    HIMARS (ATACMS)    up to 300 km      757.1 km    300 km    -457.1 km  does not reach   Lockheed Martin (Talk Business & Politics, 2016-03)
    HIMARS (PrSM)      499 km            757.1 km    499 km    -258.1 km  does not reach   Lockheed Martin (The Defense Post, 2024-01-16)
    HIMARS (ER-GMLRS)  up to 150 km      757.1 km    150 km    -607.1 km  does not reach   Zona Militar, 2024-06-28
    >>> [r.claim.value_text() for r in wr.reach_table("Kyiv", "Moscow", systems=four, source="dailymail-2023-08-01")]
    ['621 mi', '500 mi', '350 mi', '50 mi']
    """
    owner = _catalogue(catalogue)
    lat2, lon2, end = _coords(target)
    found = resolve_origin(origin).nearest(lat2, lon2)
    chosen = owner.systems() if systems is None else tuple(owner.lookup(s) for s in systems)
    rows = []
    if source is not None and not isinstance(source, str):
        raise UnknownSourceError(repr(source))
    if source is not None:
        owner.source(source)  # an unknown id is an error, not an empty table
    headline = source is None and not all_claims
    for system in chosen:
        choices = range_choices(system, catalogue=owner) if headline else (None,)
        for variant in choices:
            for claim in _table_claims(system, variant, all_claims, source, owner):
                rows.append(
                    Reach(
                        system,
                        claim,
                        found.part,
                        end,
                        found.distance_m,
                        claim.metres,
                        origin_index=found.index,
                        nearest=found.boundary,
                        min_range_m=minimum_range_of(system, claim, catalogue),
                        variant=variant,
                    )
                )
    return tuple(rows)


def _figure_rounding_m(claim: Claim, *, low: bool = False) -> float | None:
    """Half the place value of the last significant digit of ``claim``'s figure (its band's
    lower end with ``low``), in metres: the verdict rule's :func:`rounding_m`."""
    quantity = claim.low if low and claim.low is not None else claim.value
    unit_m = float(_units.make(1, str(quantity.units)).m_as("m"))
    return rule_rounding_m(claim.qualifier, quantity.magnitude, unit_m)
