"""The immutable records of the catalogue: sources, claims, events and systems.

Every published figure is a :class:`Claim`: a pint quantity in the unit the source used, with
the source, the exact phrase it came from and its qualifier. A :class:`System` holds all the
claims published about it; sources disagree, so one figure can have several claims, and
exactly one of them per figure and variant is the *preferred* one.

Each record's fields are declared once, with their kind and meaning (see
:mod:`weaponsref._fields`); the validation, ``to_dict()``, the CSV tables, the catalogue's JSON
Schema and the docs' table of keys all come from that declaration. A row or a dict names a
record it refers to by id: a claim's ``source`` is the source's id, and what is shown of the
source for people is under ``source_cited_as``, ``source_kind``, ``source_published`` and
``source_url``.

A claim also says what its figure measures (``basis``: the system's own maximum, a distance
demonstrated once, a requirement, a reach with its carrier) and who asserts it
(``attribution`` and ``attributed_to``), and the preference rule ranks by both.

>>> import weaponsref as wr
>>> bober = wr.lookup("Beaver")
>>> print(bober.range)
1300 kilometer
>>> headline = bober.claim("range")
>>> headline.basis, headline.attribution, headline.according_to
('maximum', 'operator', 'according to Ukraine (no official named) (MTV Uutiset, 2024-04)')
>>> print(bober.claims_for("range")[0])
range: up to 621 mi (Daily Mail, 2023-08-01) "With a range of up to 621 miles"
"""

# ``field`` below is weaponsref._fields.field, an attrs field with its declaration, not a
# function call whose value every instance would share.
# ruff: noqa: RUF009

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, ClassVar, Literal

import attrs

from weaponsref import _columns, _html, _units
from weaponsref._columns import headline_reason
from weaponsref._events import Event
from weaponsref._fields import (
    BOOL,
    CHOICE,
    ID,
    IDS,
    QUANTITY,
    SOURCE,
    TABLES,
    TEXT,
    TEXTS,
    WIKIDATA,
    Column,
    PartialDate,
    Unreadable,
    as_dict,
    check,
    fail,
    field,
)
from weaponsref._sources import CITATION_STYLES, Outlet, Source, bibtex, csl_json
from weaponsref._vocab import (
    ATTRIBUTION_WORDS,
    ATTRIBUTIONS,
    BASES,
    BASIS_TAGS,
    BASIS_WORDS,
    COMPARE_UNITS,
    EVENT_KINDS,
    FIGURES,
    LOWER_BOUNDS,
    OPERATOR_EVENTS,
    OWN_MAXIMUM,
    QUALIFIERS,
    SOURCE_KINDS,
    SOURCE_RANK,
    UPPER_BOUNDS,
)
from weaponsref.errors import ArgumentError, ArgumentValueError, UnitError

if TYPE_CHECKING:
    from weaponsref._units import Quantity

__all__ = [
    "ATTRIBUTIONS",
    "BASES",
    "CITATION_STYLES",
    "EVENT_KINDS",
    "FIGURES",
    "LOWER_BOUNDS",
    "OPERATOR_EVENTS",
    "QUALIFIERS",
    "SOURCE_KINDS",
    "SOURCE_RANK",
    "UPPER_BOUNDS",
    "Claim",
    "Event",
    "Outlet",
    "PartialDate",
    "Source",
    "System",
    "bibtex",
    "csl_json",
    "headline_reason",
    "preference",
    "preferred_of",
]


@attrs.frozen(repr=False, cache_hash=True)
class Claim:
    """One published figure: a quantity, its qualifier, its source and the exact phrase.

    ``value`` stays in the unit the source used. For a band (``qualifier="band"``, e.g.
    "15 – 84 km") ``value`` is the upper end and ``low`` the lower end; otherwise ``low`` is
    None. ``variant`` names the munition or version the figure belongs to (``"ATACMS"``,
    ``"export"``), or is None when the source names none. ``basis`` says what the figure
    measures (the system's own maximum unless it says otherwise), ``attribution`` and
    ``attributed_to`` who asserts it (the outlet itself unless they say otherwise), and
    :attr:`according_to` says so in words. Raises :class:`~weaponsref.errors.RecordError` (a
    ValueError) naming the field when one is bad.

    >>> import weaponsref as wr
    >>> band = [c for c in wr.lookup("GMLRS").claims_for("range") if c.qualifier == "band"][0]
    >>> print(band.low, "to", band.value)
    15 kilometer to 84 kilometer
    >>> print(wr.lookup("Storm Shadow").claim("range", "export"))
    range, export: 250 km (AeroTime, undated) "However, the export models have been specifically modified to operate at a reduced range of 250 kilometers (155 miles)." [preferred]
    """

    figure: str = field(
        CHOICE,
        "what the figure measures; a minimum_range makes nearer targets 'does not reach' and "
        "cuts a hole in the ring",
        choices=tuple(FIGURES),
    )
    # Quantities hash by converting to base units every time; a claim hashes and compares by
    # _value_key and _low_key instead: the magnitude and the unit's name, plain values.
    value: Quantity = field(
        QUANTITY,
        "the figure, a number and its unit as the source gave them: '621 mi', '1,000 km', "
        "'20000 ft', '900 km/h', 'Mach 0.8' (a band's upper end)",
        eq=False,
    )
    qualifier: str = field(CHOICE, "how the source hedged the figure", choices=QUALIFIERS)
    source: Source = field(
        SOURCE, "the id of its source in the bibliography (yours or a built-in one)", table=Source
    )
    quote: str = field(TEXT, "the exact phrase of the source that gives the figure")
    variant: str | None = field(
        TEXT,
        "the version or munition the figure belongs to, e.g. 'export' or 'ATACMS', if any",
        default=None,
    )
    low: Quantity | None = field(
        QUANTITY,
        "a band's lower end, written like the value (in the CSV table, in the value's unit)",
        default=None,
        eq=False,
        required_when="for a band, and only then",
        cell=_columns.LOW_CELL,
    )
    basis: str = field(
        CHOICE,
        "what kind of figure it is: the system's own maximum (the default); a distance "
        "demonstrated in a flight or strike (a lower bound); a requirement, goal or planned "
        "figure; a reach that includes a carrier aircraft's",
        default="maximum",
        choices=BASES,
    )
    attribution: str = field(
        CHOICE,
        "who asserts it: the maker; the operator (its government or military); the side it "
        "is used against; a third party (a government or military neither making, operating "
        "nor fighting it); a reference work or named analyst; unnamed officials; the outlet "
        "itself (the default)",
        default="outlet",
        choices=ATTRIBUTIONS,
    )
    attributed_to: str | None = field(
        TEXT,
        "who asserts it, as the source names them, e.g. \"Ukraine's Air Force spokesman Yurii "
        'Ihnat"',
        default=None,
        required_when="unless the attribution is 'outlet'",
    )
    preferred: bool = field(
        BOOL,
        "whether it is the preferred claim of its figure and variant; true in a file overrides "
        "the preference rule (at most one per group)",
        default=False,
    )
    note: str | None = field(TEXT, "caveats about the figure", default=None)
    _si: float = attrs.field(init=False, eq=False, hash=False, alias="_si")
    _si_low: float | None = attrs.field(init=False, eq=False, hash=False, alias="_si_low")
    _value_key: tuple[Any, str] = attrs.field(init=False, alias="_value_key")
    _low_key: tuple[Any, str] | None = attrs.field(init=False, alias="_low_key")

    _owner: ClassVar[tuple[Column, ...]] = _columns.OWNER
    _derived: ClassVar[tuple[Column, ...]] = _columns.CLAIM

    def __attrs_post_init__(self) -> None:
        record = f"Claim {self.figure!r:.40}" if isinstance(self.figure, str) else "Claim"
        check(self, record)
        if self.attributed_to is None and self.attribution != "outlet":
            raise fail(
                record,
                "attributed_to",
                f"an attribution to {ATTRIBUTION_WORDS[self.attribution]} must say who, as the "
                "source names them",
            )
        si = self._checked(record, "value", self.value)
        object.__setattr__(self, "_si", si)
        object.__setattr__(self, "_value_key", (self.value.magnitude, _units.unit_name(self.value)))
        object.__setattr__(self, "_low_key", None)
        if self.low is None:
            if self.qualifier == "band":
                raise fail(record, "low", "a band needs its lower end in 'low'")
            object.__setattr__(self, "_si_low", None)
            return
        if self.qualifier != "band":
            raise fail(
                record, "low", f"only a band has a lower end (qualifier is {self.qualifier!r})"
            )
        low = self._checked(record, "low", self.low)
        object.__setattr__(self, "_low_key", (self.low.magnitude, _units.unit_name(self.low)))
        if low > si:
            raise fail(
                record,
                "low",
                f"{_units.format_quantity(self.low)} is above the upper end "
                f"{_units.format_quantity(self.value)}",
            )
        object.__setattr__(self, "_si_low", low)

    def _checked(self, record: str, field: str, value: object) -> float:
        """Check a quantity's type, dimension and sign; return it in SI base units."""
        if isinstance(value, Unreadable):
            raise fail(record, field, value.problem)
        if not _units.is_quantity(value):
            if isinstance(value, int | float) and not isinstance(value, bool):
                problem = f"{value!r} has no unit; write it as a string with one, e.g. '{value} km'"
            else:
                problem = f"{value!r:.60} is not a quantity such as '621 mi'"
            raise fail(record, field, problem)
        quantity: Any = value
        dimension = FIGURES[self.figure]
        mach = self.figure == "speed" and _units.unit_name(quantity) == "dimensionless"
        if not mach and not _units.has_dimension(quantity, dimension):
            raise fail(
                record,
                field,
                f"{_units.format_quantity(quantity)} is not a {dimension} as {self.figure} needs",
            )
        magnitude = _units.si_magnitude(quantity)
        if not math.isfinite(magnitude):
            raise fail(record, field, f"{quantity.magnitude!r} is not a finite number")
        if magnitude <= 0:
            raise fail(record, field, f"{_units.format_quantity(quantity)} must be above zero")
        return magnitude

    @property
    def _si_low_or_value(self) -> float:
        return self._si_low if self._si_low is not None else self._si

    @property
    def metres(self) -> float:
        """The value (the upper end of a band) in metres, for a length figure; raises
        :class:`~weaponsref.errors.UnitError` for a figure that is not a length."""
        if FIGURES[self.figure] != "[length]":
            raise UnitError(f"{self.figure} is not a length, so it has no value in metres")
        return self._si

    @property
    def low_metres(self) -> float | None:
        """The lower end of a band in metres, or None for a single figure; raises
        :class:`~weaponsref.errors.UnitError` for a figure that is not a length."""
        if FIGURES[self.figure] != "[length]":
            raise UnitError(f"{self.figure} is not a length, so it has no value in metres")
        return self._si_low

    def to_dict(self) -> dict[str, Any]:
        """The claim as JSON-ready data: quantities as value and unit, in the source's unit,
        and the source by id (``source``) with what is shown of it (``source_cited_as``...).

        >>> import weaponsref as wr
        >>> data = wr.lookup("Bober").claims_for("range")[0].to_dict()
        >>> data["value"], data["qualifier"], data["source"], data["source_cited_as"]
        ({'value': 621, 'unit': 'mile'}, 'up to', 'dailymail-2023-08-01', 'Daily Mail')
        >>> data["basis"], data["attribution"], data["according_to"]
        ('maximum', 'outlet', '(Daily Mail, 2023-08-01)')
        """
        return as_dict(self)

    def value_text(self, unit: str | None = None) -> str:
        """The figure as text, e.g. ``'621 mi'``, ``'15–84 km'`` or ``'Mach 0.8'``.

        With ``unit`` the figure is converted first: ``claim.value_text("km")``; a unit of
        another dimension raises :class:`~weaponsref.errors.UnitError`.
        """
        upper = _units.format_quantity(self.value, unit)
        if self.low is None:
            return upper
        low = _units.convert(self.low, unit) if unit is not None else self.low.to(self.value.units)
        return f"{_units.format_number(low.magnitude)}–{upper}"

    def describe(self, unit: str | None = None) -> str:
        """The figure with its qualifier, e.g. ``'up to 621 mi'``."""
        if self.qualifier in ("stated", "band"):
            return self.value_text(unit)
        return f"{self.qualifier} {self.value_text(unit)}"

    @property
    def label(self) -> str:
        """The figure and variant, e.g. ``'range'`` or ``'range, ATACMS'``."""
        return self.figure if self.variant is None else f"{self.figure}, {self.variant}"

    @property
    def dated_source(self) -> str:
        """The source cited with its date, e.g. ``'Daily Mail, 2023-08-01'``."""
        date = self.source.published.isoformat() if self.source.published else "undated"
        return f"{self.source.cited_as}, {date}"

    @property
    def asserted_by(self) -> str | None:
        """The one the source attributes the figure to (:attr:`attributed_to`), or None when
        no one is named or the one named is the source's own outlet."""
        if self.attributed_to and self.attributed_to != self.source.cited_as:
            return self.attributed_to
        return None

    @property
    def according_to(self) -> str:
        """Who says so, for a sentence: ``"according to Ukraine's Air Force spokesman Yurii
        Ihnat (ANSA, 2022-06-26)"``, or ``"(ANSA, 2022-06-26)"`` for the outlet's own figure.

        >>> import weaponsref as wr
        >>> print(wr.lookup("Taurus KEPD 350").claim("range").according_to)
        according to MBDA Deutschland (MBDA, 2024-12-20)
        >>> print(wr.lookup("Storm Shadow").claim("range").according_to)
        (CNN, 2023-07-11)
        """
        if self.asserted_by is None:
            return f"({self.dated_source})"
        return f"according to {self.asserted_by} ({self.dated_source})"

    @property
    def said_by(self) -> str:
        """Who says so, as a table's Source cell and a map's legend give it: the one the
        source attributes the figure to, then the source and its date; the source and its
        date alone for the outlet's own figure.

        >>> import weaponsref as wr
        >>> print(wr.lookup("Kh-101").claim("range").said_by)
        Vladimir Putin, President of Russia (Sputnik France, 2017-07-06)
        >>> print(wr.lookup("Storm Shadow").claim("range").said_by)
        CNN, 2023-07-11
        """
        who = self.asserted_by
        return self.dated_source if who is None else f"{who} ({self.dated_source})"

    @property
    def summary(self) -> str:
        """The figure as a table's Claim cell and a map's legend give it: its qualifier and
        value, and what it measures where that is not the system's own maximum.

        >>> import weaponsref as wr
        >>> print(wr.lookup("Kinzhal").claim("range").summary)
        2,000 km (with carrier)
        >>> print(wr.lookup("Storm Shadow").claim("range").summary)
        more than 250 km
        """
        return self.describe() + (f" ({self.basis_tag})" if self.basis_tag else "")

    @property
    def basis_tag(self) -> str | None:
        """What the figure measures, as a short tag (``'with carrier'``, ``'flown'``,
        ``'required'``), or None for the system's own maximum."""
        return BASIS_TAGS.get(self.basis)

    @property
    def standing(self) -> int:
        """The claim's place in the first step of :func:`preference`, 0 (best) to 3: the
        system's own maximum stated by its maker, its operator or a reference work; a maximum
        stated by others; a maximum claimed by the side it is used against; anything but a
        maximum (a requirement, a demonstrated distance, a carrier's reach)."""
        if self.basis != "maximum":
            return 3
        if self.attribution in OWN_MAXIMUM:
            return 0
        return 2 if self.attribution == "opposing_side" else 1

    def preference_key(self, group: Iterable[Claim] = ()) -> tuple[int, int, int, int, float]:
        """The claim's sort key among ``group`` by the preference rule (see
        :func:`preference`, which documents it): the smallest is preferred."""
        published = self.source.published
        recency = -published.toordinal() if published is not None else 0.0
        bound = 1 if self.qualifier in LOWER_BOUNDS else 0
        agreeing = {
            other.source.id
            for other in group
            if other.figure == self.figure and math.isclose(other._si, self._si, rel_tol=0.005)
        }
        return (self.standing, SOURCE_RANK[self.source.kind], bound, -len(agreeing), recency)

    @property
    def basis_text(self) -> str:
        """What the figure is and who states it, in words: ``'maximum stated by the maker'``,
        ``'a requirement or planned figure, stated by the outlet'``."""
        who = ATTRIBUTION_WORDS[self.attribution]
        if self.basis == "maximum":
            return f"maximum stated by {who}"
        return f"{BASIS_WORDS[self.basis]}, stated by {who}"

    def __str__(self) -> str:
        flag = " [preferred]" if self.preferred else ""
        return f'{self.label}: {self.describe()} ({self.dated_source}) "{self.quote}"{flag}'

    def __repr__(self) -> str:
        return (
            f"Claim({self.figure!r}, {self.value_text()!r}, {self.qualifier!r}, "
            f"variant={self.variant!r}, source={self.source.id!r}, preferred={self.preferred})"
        )


def _with_si(claim: Claim) -> str:
    """``'20,000 ft = 6,096 m'``: the claim as published, and converted where that differs."""
    shown = claim.describe()
    converted = claim.value_text(COMPARE_UNITS[claim.figure])
    return shown if shown.endswith(converted) else f"{shown} = {converted}"


def preference(claim: Claim, group: Iterable[Claim] = ()) -> tuple[int, int, int, int, float]:
    """The preference rule: the sort key of a claim among ``group``, the claims of its figure
    and variant; the smallest key is the preferred claim.

    1. What the figure measures and who says so (:attr:`Claim.standing`): the system's own
       maximum stated by its maker, its operator's government or military, or a reference
       work; then a maximum stated by others (unnamed officials, a third party, the outlet
       itself); then a claim of the side it is used against; then a requirement, a distance
       demonstrated once, or a reach that includes a carrier's.
    2. The kind of source (:data:`SOURCE_RANK`): an official statement, then reference
       works, then news reports and trade press, then aggregators and mirrors, then state
       media.
    3. Among equals: a plain figure or an upper bound before a lower bound ("more than"),
       which says less; then the figure that more sources in ``group`` give (within 0.5%);
       then the most recent dated source, undated sources last; then the data's order.

    The version it describes is not in the key: a figure of a named version belongs to that
    version only (``variant``), so a system's headline figure is the best claim with no
    variant. A claim marked ``preferred`` in the data overrides the rule for its group.

    >>> import weaponsref as wr
    >>> storm_shadow = wr.lookup("Storm Shadow")
    >>> export = storm_shadow.claims_for("range", "export")
    >>> best = min(export, key=lambda claim: wr.preference(claim, export))
    >>> best is storm_shadow.claim("range", "export"), best.value_text()
    (True, '250 km')
    """
    return claim.preference_key(group)


def preferred_of(claims: Sequence[Claim]) -> Claim:
    """The preferred claim of ``claims`` (one figure and variant): the one marked preferred,
    else the best by :func:`preference`."""
    marked = next((c for c in claims if c.preferred), None)
    return marked if marked is not None else min(claims, key=lambda c: preference(c, claims))


@attrs.frozen(repr=False, cache_hash=True)
class System:
    """A weapon system as public reporting describes it.

    ``claims`` holds every published figure; :attr:`range` is the value of the preferred range
    claim with no variant, and :meth:`claim` and :meth:`claims_for` find the others. Raises
    :class:`~weaponsref.errors.RecordError` (a ValueError) naming the field when one is bad.

    >>> import weaponsref as wr
    >>> himars = wr.lookup("M142")
    >>> print(himars.name, himars.range, "=", f"{himars.range.to('km'):.1f}")
    HIMARS 43 mile = 69.2 kilometer
    >>> himars.launches, himars.variants
    (('gmlrs', 'atacms', 'prsm', 'er-gmlrs'), ())
    """

    id: str = field(
        ID,
        "the system's id, unique in the catalogue: lower-case letters, digits, '.', '_' or "
        "'-', e.g. 'storm-shadow'",
    )
    name: str = field(TEXT, "the name reporting uses most; every name and alias finds one system")
    category: str = field(TEXT, "what kind of system it is, e.g. 'air-launched cruise missile'")
    origin: str = field(TEXT, "the country or countries it comes from")
    description: str = field(TEXT, "a short description")
    claims: tuple[Claim, ...] = field(
        TABLES,
        "every published figure, each a `[[systems.claims]]` table; one must be a range with "
        "no variant, the headline range",
        table=Claim,
        in_csv=False,
    )
    aliases: tuple[str, ...] = field(TEXTS, "other names it is known by", default=())
    maker: str | None = field(TEXT, "who makes it, where a source says", default=None)
    events: tuple[Event, ...] = field(
        TABLES,
        "dated events of its reported history, each a `[[systems.events]]` table",
        default=(),
        table=Event,
        in_csv=False,
    )
    wikidata: str | None = field(
        WIKIDATA,
        "its Wikidata item id, e.g. 'Q123456', where one was seen beside its label",
        default=None,
    )
    launches: tuple[str, ...] = field(
        IDS,
        "for a launcher, the ids of the munitions it fires, each a system of its own",
        default=(),
    )
    note: str | None = field(TEXT, "caveats about the record", default=None)

    #: Whether any claim gives a minimum range (set once, at construction).
    _has_minimum: bool = attrs.field(init=False, eq=False, hash=False, alias="_has_minimum")
    _conflicts: tuple[str, ...] = attrs.field(init=False, eq=False, hash=False, alias="_conflicts")

    _derived: ClassVar[tuple[Column, ...]] = _columns.SYSTEM

    def __attrs_post_init__(self) -> None:
        record = f"System {self.id!r:.60}"
        check(self, record)
        object.__setattr__(
            self, "_has_minimum", any(c.figure == "minimum_range" for c in self.claims)
        )
        preferred: dict[tuple[str, str | None], int] = {}
        for index, claim in enumerate(self.claims):
            if not claim.preferred:
                continue
            key = (claim.figure, claim.variant)
            if key in preferred:
                raise fail(
                    record,
                    f"claims[{index}].preferred",
                    f"claims[{preferred[key]}] is already the preferred {claim.label} claim; "
                    "mark only one preferred per figure and variant",
                )
            preferred[key] = index
        if not any(c.figure == "range" for c in self.claims):
            raise fail(record, "claims", "needs a range claim, its headline range")
        object.__setattr__(self, "_conflicts", self._find_conflicts())

    def claims_for(
        self, figure: str, variant: str | Literal["*"] | None = "*"
    ) -> tuple[Claim, ...]:
        """Every claim for ``figure`` (all variants unless ``variant`` is given), in data order.

        Raises :class:`~weaponsref.errors.ArgumentValueError` (a ValueError) for a figure not
        in :data:`FIGURES`, and :class:`~weaponsref.errors.ArgumentError` (a TypeError) for one
        that is not a str.

        >>> import weaponsref as wr
        >>> [c.value_text() for c in wr.lookup("Storm Shadow").claims_for("range", "full version")]
        ['350 mi', '560 km', '350 mi', '560 km']
        """
        _check_figure(figure)
        return tuple(
            claim
            for claim in self.claims
            if claim.figure == figure and (variant == "*" or claim.variant == variant)
        )

    def claim(self, figure: str = "range", variant: str | None = None) -> Claim:
        """The preferred claim for ``figure`` and ``variant``.

        Where no claim of that group is marked preferred, :func:`preference` chooses. The
        range with no variant is the :attr:`headline`, which a named version's claim stands
        in for only where no claim without a variant is public (in a catalogue as of a day).
        Raises :class:`~weaponsref.errors.ArgumentValueError` (a ValueError) naming the
        variants there are when the system has no such claim, and what :meth:`claims_for`
        raises for a bad figure.

        >>> import weaponsref as wr
        >>> print(wr.lookup("Storm Shadow").claim("range", variant="export").describe())
        250 km
        """
        group = self.claims_for(figure, variant)
        if not group and figure == "range" and variant is None:
            return self.headline
        if not group:
            known = sorted({repr(c.variant) for c in self.claims_for(figure)})
            have = (
                f"its {figure} variants are {', '.join(known)}"
                if known
                else f"it has no {figure} claim"
            )
            raise ArgumentValueError(
                f"{self.name} has no {figure} claim for variant {variant!r:.60}; {have}"
            )
        return preferred_of(group)

    @property
    def headline(self) -> Claim:
        """The claim of the system's headline range: the preferred range claim with no
        variant. A catalogue file must give one; a catalogue as of a day before any was
        public keeps the system from its first dated range claim of a named version, and the
        best of those (by :func:`preference`) stands in.

        >>> import weaponsref as wr
        >>> wr.lookup("Bober").headline is wr.lookup("Bober").claim("range")
        True
        >>> then = wr.default_catalogue().as_of("2010-01-01")
        >>> atacms = then.lookup("ATACMS").headline
        >>> atacms.variant, atacms.describe(), atacms.source.published.isoformat()
        ('Block IA', '300 km', '2003-11-05')
        """
        plain = self.claims_for("range", None)
        if plain:
            return preferred_of(plain)
        ranges = self.claims_for("range")
        return min(ranges, key=lambda claim: preference(claim, ranges))

    @property
    def range(self) -> Quantity:
        """The headline range (see :attr:`headline`), in the unit its source used."""
        return self.headline.value

    @property
    def variants(self) -> tuple[str, ...]:
        """The named variants of this system's claims, in data order."""
        return tuple(dict.fromkeys(c.variant for c in self.claims if c.variant is not None))

    def _find_conflicts(self) -> tuple[str, ...]:
        found: list[str] = []
        pairs = (
            ("cruise_altitude", "ceiling", "above the ceiling"),
            ("radius_of_action", "range", "beyond the range"),
        )
        for low_figure, high_figure, words in pairs:
            for low in self.claims_for(low_figure):
                for high in self.claims_for(high_figure, low.variant):
                    if high.qualifier in LOWER_BOUNDS:
                        continue  # "more than X" does not cap anything
                    if low._si_low_or_value > high._si:
                        found.append(
                            f"{low.label} {_with_si(low)} ({low.dated_source}) is {words} "
                            f"{_with_si(high)} ({high.dated_source})"
                        )
        return tuple(found)

    def to_dict(self) -> dict[str, Any]:
        """The system as JSON-ready data: every claim and event, with quantities as value and
        unit, and its sources by id (see :meth:`Source.to_dict` for the bibliography).

        >>> import weaponsref as wr
        >>> import json
        >>> data = wr.lookup("HIMARS").to_dict()
        >>> data["launches"], data["operators"][:2], len(json.dumps(data)) > 1000
        (['gmlrs', 'atacms', 'prsm', 'er-gmlrs'], ['United States', 'Ukraine'], True)
        """
        return as_dict(self)

    @property
    def operators(self) -> tuple[str, ...]:
        """Who operates the system: the operator of every "delivered" or "in service" event,
        in the order the events are listed, so that every operator has a source and a phrase.

        >>> import weaponsref as wr
        >>> "Ukraine" in wr.lookup("HIMARS").operators
        True
        """
        return tuple(
            dict.fromkeys(
                e.operator for e in self.events if e.kind in OPERATOR_EVENTS and e.operator
            )
        )

    def operator_events(self, operator: str) -> tuple[Event, ...]:
        """The sourced events that make ``operator`` one of :attr:`operators`."""
        return tuple(e for e in self.events if e.kind in OPERATOR_EVENTS and e.operator == operator)

    @property
    def conflicts(self) -> tuple[str, ...]:
        """Where this system's own figures contradict each other, in words (checked when the
        record is made, so when a catalogue loads).

        A cruise altitude above a stated ceiling, or a radius of action beyond a range of the
        same variant, cannot both be right; the record keeps both claims and says so here.
        """
        return self._conflicts

    @property
    def first_use(self) -> Event | None:
        """The earliest reported use a source gives, or None."""
        uses = [e for e in self.events if "use" in e.kind]
        return min(uses, key=lambda e: e.date) if uses else None

    @property
    def sources(self) -> tuple[Source, ...]:
        """Every source this system's claims and events cite, in first-cited order."""
        cited = [c.source for c in self.claims] + [e.source for e in self.events]
        return tuple(dict.fromkeys(cited))

    def __str__(self) -> str:
        preferred = self.claim("range")
        lines = [
            f"{self.name}: {self.category}, {self.origin}"
            + (f" ({self.maker})" if self.maker else ""),
            f"range: {preferred.describe()} = {preferred.value_text('km')} ({preferred.dated_source})",
            f"{len(self.claims)} claims from {len(self.sources)} sources",
        ]
        return "\n".join(lines)

    def __repr__(self) -> str:
        return f"System({self.id!r}, {self.name!r}, claims={len(self.claims)})"

    def _repr_html_(self) -> str:
        rows = [
            (
                claim.label,
                claim.describe(),
                claim.value_text("km") if FIGURES[claim.figure] == "[length]" else "",
                claim.according_to,
                f"“{claim.quote}”",
                "preferred" if claim.preferred else "",
            )
            for claim in self.claims
        ]
        return _html.system_html(self.name, self.category, self.origin, self.maker, rows)


def _check_figure(figure: object) -> None:
    """Check a figure asked for by a caller: a str, and one of :data:`FIGURES`."""
    if not isinstance(figure, str):
        raise ArgumentError(
            f"figure must be a str such as 'range' (got {figure!r:.40} that is a "
            f"{type(figure).__name__})"
        )
    if figure not in FIGURES:
        raise ArgumentValueError(
            f"unknown figure {figure!r:.40}; choose one of {', '.join(FIGURES)}"
        )
