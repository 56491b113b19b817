"""Ranges: a system, a claim or a length resolved to the metres a verdict uses."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final, Union

from weaponsref import _units, geo
from weaponsref._vocab import BASIS_WORDS
from weaponsref.catalogue import current_catalogue
from weaponsref.errors import (
    ArgumentError,
    ArgumentValueError,
    LauncherError,
    UnitError,
    UnknownSourceError,
)
from weaponsref.records import Claim, System, preference, preferred_of

if TYPE_CHECKING:
    from weaponsref._units import Quantity
    from weaponsref.catalogue import Catalogue


RangeLike = Union[System, Claim, str, "Quantity"]


_REACH_FIGURES = ("range", "radius_of_action")
_FAST_CACHE_SIZE = 1024


def _catalogue(catalogue: Catalogue | None) -> Catalogue:
    return catalogue if catalogue is not None else current_catalogue()


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

    A launcher has no range of its own: without ``variant`` or ``source`` it raises
    :class:`~weaponsref.errors.LauncherError`, naming its munitions (a table gives one verdict
    per munition, see :func:`range_choices`). What a source said of the launcher itself
    ("HIMARS ... only 50 miles") stays in the catalogue as reported, and ``source``, a
    ``variant`` of the launcher's own claims or ``claim=`` picks it explicitly.

    >>> import weaponsref as wr
    >>> himars = wr.lookup("HIMARS")
    >>> range_claim(himars, "ATACMS") is range_claim(wr.lookup("ATACMS"))
    True
    >>> range_claim(himars)
    Traceback (most recent call last):
    ...
    weaponsref.errors.LauncherError: HIMARS is a launcher and has no range of its own; name one of the munitions it fires as variant= (--variant on the command line): GMLRS, ATACMS, PrSM, ER-GMLRS; a table gives one verdict for each
    """
    _check_variant(variant)
    if system.launches and variant is None and source is None:
        raise _launcher_error(system, catalogue)
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
        raise ArgumentValueError(
            f"{owner.name} has no {variant or 'range'} claim from source {source!r:.60}; "
            f"its range sources are {', '.join(ids)}"
        )
    return min(chosen, key=lambda c: preference(c, group))


def _munitions(system: System, catalogue: Catalogue | None) -> tuple[System, ...]:
    owner = _catalogue(catalogue)
    return tuple(found for m in system.launches if (found := owner.get(m)) is not None)


def _launcher_error(system: System, catalogue: Catalogue | None) -> LauncherError:
    names = ", ".join(m.name for m in _munitions(system, catalogue)) or "none in this catalogue"
    return LauncherError(
        f"{system.name} is a launcher and has no range of its own; name one of the munitions "
        f"it fires as variant= (--variant on the command line): {names}; a table gives one "
        "verdict for each"
    )


def range_choices(system: System, *, catalogue: Catalogue | None = None) -> tuple[str | None, ...]:
    """The variants a table gives ``system`` one verdict each for: a launcher's munitions by
    name, in the catalogue's order (``HIMARS`` fires GMLRS, ATACMS, PrSM and ER-GMLRS), since
    a launcher has no range of its own; for any other system ``(None,)``, its preferred claim.
    Tables, rings, maps and the explorer all expand a launcher this way.

    >>> import weaponsref as wr
    >>> range_choices(wr.lookup("M270 MLRS"))
    ('GMLRS', 'ATACMS', 'PrSM', 'ER-GMLRS')
    >>> range_choices(wr.lookup("Bober"))
    (None,)
    """
    if not system.launches:
        return (None,)
    return tuple(m.name for m in _munitions(system, catalogue))


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
        raise ArgumentValueError("source= picks a claim of a system; give a system or its name")
    if isinstance(what, System):
        claim = range_claim(what, variant, source, catalogue=catalogue)
        return claim.metres, claim, what
    if isinstance(what, Claim):
        if what.figure not in _REACH_FIGURES:
            raise ArgumentValueError(
                f"a {what.figure} claim is not a distance a system can cover; "
                "give a range or radius_of_action claim"
            )
        return what.metres, what, catalogue.system_of(what)
    if isinstance(what, str):
        system = catalogue.get(what)
        if system is not None:
            claim = range_claim(system, variant, source, catalogue=catalogue)
            return claim.metres, claim, system
        if source is not None:
            catalogue.lookup(what)  # raises, saying why: unknown, or not public yet
        if not any(ch.isdigit() for ch in what):
            catalogue.lookup(what)  # raises, saying why: unknown, or not public yet
    try:
        length = _units.as_length(what, what="range")
    except UnitError as error:
        raise UnitError(
            f"{error}; a range is a system name, a Claim, or a length such as '500 km'"
        ) from None
    metres = float(length.to("m").magnitude)
    if metres != 0.0:
        geo.check_range_m(metres, what=f"range {what!s:.40}")
    return metres, None, None


def _check_variant(variant: object) -> None:
    if variant is not None and not isinstance(variant, str):
        raise ArgumentError(
            f"variant must be a str such as 'ATACMS' or 'export', or None "
            f"(got {variant!r:.40} that is a {type(variant).__name__})"
        )


def minimum_range_claim(system: System | None, variant: str | None = None) -> Claim | None:
    """The system's preferred published minimum range (of ``variant``, else with no variant),
    as verdicts, masks, rings and maps apply it; None when no source gives one.

    >>> import weaponsref as wr
    >>> from weaponsref.reach import minimum_range_claim
    >>> print(minimum_range_claim(wr.lookup("PrSM")).summary)
    60 km
    >>> minimum_range_claim(wr.lookup("Bober")) is None
    True
    """
    if system is None:
        return None
    group = system.claims_for("minimum_range", variant) or system.claims_for("minimum_range", None)
    return preferred_of(group) if group else None


def may_have_minimum(system: System | None) -> bool:
    """Whether a verdict on ``system`` may have a published minimum range to apply (see
    :func:`minimum_range_of`): its own, or a launcher's munition's. The fast paths ask this
    first, so that a system without one costs nothing more."""
    return system is not None and (system._has_minimum or bool(system.launches))


def minimum_claim_for(
    system: System | None, claim: Claim | None, catalogue: Catalogue | None = None
) -> Claim | None:
    """The published minimum range that a verdict, mask or ring on ``claim`` given for
    ``system`` applies: that of the system whose claim it is (a launcher's is its munition's,
    as a launcher has no range of its own), of the claim's variant; None for a claim that is
    not a range, or when no source gives one.

    >>> import weaponsref as wr
    >>> himars = wr.lookup("HIMARS")
    >>> prsm = wr.reach.range_claim(himars, "PrSM")
    >>> minimum_claim_for(himars, prsm) is minimum_range_claim(wr.lookup("PrSM"))
    True
    """
    if system is None or claim is None or claim.figure != "range":
        return None
    holder = _catalogue(catalogue).system_of(claim) or system if system.launches else system
    return minimum_range_claim(holder, claim.variant)


def minimum_range_of(
    system: System | None, claim: Claim | None, catalogue: Catalogue | None = None
) -> float | None:
    """:func:`minimum_claim_for` in metres, or None."""
    found = minimum_claim_for(system, claim, catalogue)
    return None if found is None else found.metres


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


def citation(claim: Claim | None) -> dict[str, Any]:
    """The keys every verdict row and ring property set uses to cite its claim's source:
    ``source`` (the id, as in every claim row), ``source_cited_as``, ``source_kind``,
    ``source_published`` (ISO date or None), ``source_url`` and ``source_citation`` (the
    citation as the tables print it, such as "Daily Mail, 2023-08-01"); all None for a bare
    distance."""
    if claim is None:
        return dict.fromkeys(_CITATION_KEYS)
    source = claim.source
    published = source.published
    return {
        "source": source.id,
        "source_cited_as": source.cited_as,
        "source_kind": source.kind,
        "source_published": None if published is None else published.isoformat(),
        "source_url": source.url,
        "source_citation": claim.dated_source,
    }


_CITATION_KEYS: Final = (
    "source",
    "source_cited_as",
    "source_kind",
    "source_published",
    "source_url",
    "source_citation",
)


def cited(claim: Claim, range_text: str) -> str:
    """A claim as a verdict's text cites it: the figure, what it measures when that is not
    the system's own maximum, and who says so: ``"5,500 km, according to Ukraine's Air
    Force spokesman Yurii Ihnat (ANSA, 2022-06-26)"``, ``"up to 621 mi, Daily Mail,
    2023-08-01"``."""
    parts = [range_text]
    if claim.basis != "maximum":
        parts.append(BASIS_WORDS[claim.basis])
    parts.append(claim.according_to if claim.asserted_by else claim.dated_source)
    return ", ".join(parts)
