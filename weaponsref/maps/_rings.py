"""What a map's rings are: from systems, claims and distances, each with its legend text
and its colour; and the rings of one length, drawn once."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, TypeAlias

from weaponsref.errors import ArgumentError
from weaponsref.maps._style import HAND_COLOUR, HAND_INK, system_colours
from weaponsref.records import LOWER_BOUNDS

if TYPE_CHECKING:
    import pint

    from weaponsref.records import Claim, System

#: What one entry of ``range_map``'s ``systems`` may be: a system's name or a distance as text,
#: a System, a Claim, a pint quantity of length, or a ``(label, one of those)`` pair.
_RingSource: TypeAlias = "str | System | Claim | pint.Quantity[Any]"
RingLike: TypeAlias = "_RingSource | tuple[str, _RingSource]"

#: The most rings one map takes.
MAX_RINGS = 40

#: A distance typed by hand is dashed: the one line style on a map, and the key says why.
HAND_STYLE: Any = (0, (5, 3))


@dataclass(frozen=True)
class _Ring:
    """One ring to draw, with the legend text that says where its radius came from."""

    name: str
    metres: float
    detail: str
    colour: str  # the line's
    style: Any
    published: bool  # from a claim; False for a distance typed by hand
    system_id: str | None = None  # whose colour the ring takes
    ink: str = HAND_INK  # the colour of its name on the map
    lower: str | None = None  # "more than" or "at least": the figure is a lower bound
    inner: float | None = None  # the system's published minimum range, metres


@dataclass(frozen=True)
class _Group:
    """Rings of one length (to the metre), kind and minimum range, drawn once and named
    together."""

    members: tuple[int, ...]  # indexes into the map's rings, in the legend's order
    metres: float
    lower: str | None
    inner: float | None = None

    def text(self, rings: Sequence[_Ring]) -> str:
        """The ring's name on the map: "Kh-22, Kh-32, P-800 Oniks · 600 km"."""
        names = ", ".join(dict.fromkeys(rings[i].name for i in self.members))
        distance = _km(self.metres)
        if self.lower:
            distance = f"{self.lower} {distance}"
        return names if names == distance else f"{names} · {distance}"


def _km(metres: float) -> str:
    km = metres / 1000.0
    if km >= 100:
        return f"{round(km):,} km"
    return f"{km:,.1f}".rstrip("0").rstrip(".") + " km"


def _groups(rings: Sequence[_Ring]) -> list[_Group]:
    """The rings to draw: published rings of one length (to the metre), of one kind (a lower
    bound or not) and of one minimum range together, each distance typed by hand on its own;
    largest first."""
    found: dict[tuple[float, str | None, float | None], list[int]] = {}
    groups: list[_Group] = []
    for index, ring in enumerate(rings):
        if ring.published:
            inner = None if ring.inner is None else round(ring.inner)
            found.setdefault((round(ring.metres), ring.lower, inner), []).append(index)
        else:
            groups.append(_Group((index,), ring.metres, None))
    for members in found.values():
        first = rings[members[0]]
        groups.append(_Group(tuple(members), first.metres, first.lower, first.inner))
    return sorted(groups, key=lambda g: (-g.metres, g.members[0]))


#: A ring's reach on the map: its range and its published minimum range (or None), metres.
_Band: TypeAlias = "tuple[float, float | None]"


def _bands(rings: Sequence[_Ring]) -> list[_Band]:
    """What a place must lie within, and not nearer a launch point than, to be drawn as
    within a ring, in metres: the largest ring with no minimum range, and each distinct
    (range, minimum range) of the others (a smaller ring with none adds nothing)."""
    plain = max((ring.metres for ring in rings if ring.inner is None), default=None)
    rest = dict.fromkeys((ring.metres, ring.inner) for ring in rings if ring.inner is not None)
    return ([] if plain is None else [(plain, None)]) + list(rest)


def _within_a_band(metres: float, bands: Sequence[_Band], from_area: bool) -> bool:
    """Whether a place ``metres`` from the origin (its nearest part) lies within a ring and
    not nearer than that ring's minimum range, as the verdicts say; a minimum range does not
    apply to a distance measured from an area (``from_area``)."""
    return any(
        metres <= outer and (inner is None or from_area or metres >= inner)
        for outer, inner in bands
    )


def _coloured(rings: Sequence[_Ring]) -> list[_Ring]:
    """The rings with the colours they have on this map (see
    :func:`weaponsref.maps._style.system_colours`): a system's own, unless another system
    on the map has it."""
    colours = system_colours(r.system_id for r in rings if r.system_id is not None)
    return [
        replace(ring, colour=colours[ring.system_id][0], ink=colours[ring.system_id][1])
        if ring.system_id is not None
        else ring
        for ring in rings
    ]


def _system_look(system: System | None) -> tuple[str, str]:
    """A system's own line and ink colours (see :mod:`weaponsref.maps._style`); grey for a
    ring of no catalogue's system."""
    if system is None:
        return HAND_COLOUR, HAND_INK
    return system_colours([system.id])[system.id]


def _claim_ring(name: str, claim: Claim, system: System | None) -> _Ring:
    from weaponsref.reach import minimum_claim_for

    metres = claim.metres
    text = f"{claim.label}: {claim.describe()}"
    if str(claim.value.units) != "kilometer":
        text += f" ({_km(metres)})"
    if claim.basis_tag:
        text += f", {claim.basis_tag}"
    if claim.low is not None:
        text += "; ring at the upper end"
    # The system's published minimum range, as the verdicts apply it: nearer, it does not
    # reach, and the map leaves that disk out of the ring. One source said once.
    minimum = minimum_claim_for(system, claim)
    if minimum is not None and minimum.metres < metres:
        shown = minimum.describe()
        if str(minimum.value.units) != "kilometer":
            shown += f" ({_km(minimum.metres)})"
        if minimum.said_by == claim.said_by:
            text += f" · minimum range: {shown} · Source: {claim.said_by}"
        else:
            text += f" · Source: {claim.said_by} · minimum range: {shown} · Source: "
            text += minimum.said_by
    else:
        text += f" · Source: {claim.said_by}"
    colour, ink = _system_look(system)
    lower = claim.qualifier if claim.qualifier in LOWER_BOUNDS else None
    return _Ring(
        name, metres, text, colour, "solid", True, None if system is None else system.id, ink,
        lower, None if minimum is None or minimum.metres >= metres else minimum.metres,
    )  # fmt: skip


def _distance_ring(name: str | None, value: object) -> _Ring:
    from weaponsref._units import as_length, format_quantity

    quantity = as_length(value, what="ring radius")
    metres = float(quantity.to("m").magnitude)
    shown = format_quantity(quantity)
    if shown.endswith(" km"):
        detail = f"{shown}, a distance given by hand, not a published claim"
    else:
        detail = f"{shown} ({_km(metres)}), a distance given by hand, not a published claim"
    return _Ring(name or shown, metres, detail, HAND_COLOUR, HAND_STYLE, False, None, HAND_INK)


def _system_ring(
    name: str | None, system: System, variant: str | None, source: str | None
) -> _Ring:
    from weaponsref.catalogue import current_catalogue
    from weaponsref.reach import range_claim

    claim = range_claim(system, variant, source)
    if name is None:
        name = system.name
        shown = variant or claim.variant
        if shown:
            name += f" ({shown})"
    # A launcher's munition is drawn in the munition's own colour.
    return _claim_ring(name, claim, current_catalogue().system_of(claim) or system)


def _rings_of(
    entry: RingLike, variant: str | None = None, source: str | None = None
) -> list[_Ring]:
    """The rings one entry of ``systems`` draws: a launcher named without a munition or a
    source (it has no range of its own) gives one per munition it fires
    (:func:`weaponsref.reach.range_choices`), anything else one :func:`_ring`."""
    from weaponsref.catalogue import current_catalogue
    from weaponsref.reach import range_choices
    from weaponsref.records import System

    value = entry[1] if isinstance(entry, tuple) and len(entry) == 2 else entry
    system = value if isinstance(value, System) else None
    if isinstance(value, str) and not value.strip()[:1].isdigit():
        system = current_catalogue().get(value)
    if system is None or not system.launches or variant is not None or source is not None:
        return [_ring(entry, variant, source)]
    label = entry[0] if isinstance(entry, tuple) and isinstance(entry[0], str) else system.name
    return [
        _system_ring(f"{label} ({munition})", system, munition, None)
        for munition in range_choices(system)
    ]


def _ring(entry: RingLike, variant: str | None = None, source: str | None = None) -> _Ring:
    """Turn one entry of ``systems`` into a ring with its legend text and its look.

    ``variant`` and ``source`` pick the claim of each entry that is a system (see
    :func:`weaponsref.reach.range_claim`); a claim or a distance is drawn as it is.
    """
    from weaponsref._units import is_quantity
    from weaponsref.catalogue import current_catalogue
    from weaponsref.records import Claim, System

    name: str | None = None
    value = entry
    if isinstance(entry, tuple):
        if len(entry) != 2 or not isinstance(entry[0], str):
            raise ArgumentError(
                f"a tuple in systems must be (label, claim, system or distance) (got {entry!r:.60})"
            )
        name, value = entry
    if isinstance(value, System):
        return _system_ring(name, value, variant, source)
    if isinstance(value, Claim):
        owner = current_catalogue().system_of(value)
        if name is None:
            name = owner.name if owner is not None else value.label[:1].upper() + value.label[1:]
            if owner is not None and value.variant:
                name += f" ({value.variant})"
        return _claim_ring(name, value, owner)
    if is_quantity(value):
        return _distance_ring(name, value)
    if isinstance(value, str):
        return _text_ring(name, value, variant, source)
    raise ArgumentError(
        "each entry of systems must be a system name, a System, a Claim, a distance such as "
        f"'500 km', or a (label, one of those) tuple (got {value!r:.60} that is a "
        f"{type(value).__name__})"
    )


def _text_ring(name: str | None, text: str, variant: str | None, source: str | None) -> _Ring:
    """A string is a system's name or alias, or else a distance such as ``"500 km"``."""
    from weaponsref.catalogue import current_catalogue
    from weaponsref.errors import UnitError

    looks_numeric = text.strip()[:1].isdigit() or text.strip()[:1] == "."
    if looks_numeric:
        try:
            return _distance_ring(name, text)
        except UnitError:
            pass
    try:
        system = current_catalogue().lookup(text)
    except LookupError:
        if looks_numeric:
            return _distance_ring(name, text)  # raises the UnitError, which says more
        raise
    return _system_ring(name, system, variant, source)
