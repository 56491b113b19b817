"""The immutable records of the catalogue: sources, claims, events and systems.

Every published figure is a :class:`Claim`: a pint quantity in the unit the source used, with
the source, the exact phrase it came from and its qualifier. A :class:`System` holds all the
claims published about it; sources disagree, so one figure can have several claims, and
exactly one of them per figure and variant is the *preferred* one.

>>> import weaponsref as wr
>>> bober = wr.lookup("Beaver")
>>> print(bober.range)
621 mile
>>> print(bober.claim("range"))
range: up to 621 mi (Daily Mail, 2023-08-01) "With a range of up to 621 miles" [preferred]
"""

from __future__ import annotations

import datetime as _dt
import math
import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, ClassVar, Literal

import attrs

from . import _units
from .errors import RecordError, UnitError

if TYPE_CHECKING:
    from ._units import Quantity

__all__ = [
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
    "Source",
    "System",
    "preference",
    "preferred_of",
]

#: The figures a claim may give, and the dimension each must have.
FIGURES: dict[str, str] = {
    "range": "[length]",
    "minimum_range": "[length]",
    "radius_of_action": "[length]",
    "cruise_altitude": "[length]",
    "ceiling": "[length]",
    "speed": "[length] / [time]",
    "endurance": "[time]",
}

#: How a source hedged its figure. ``stated`` is a plain statement ("hitting targets 350 miles
#: away"); ``band`` is a span with a lower and an upper end.
QUALIFIERS: tuple[str, ...] = (
    "up to",
    "about",
    "more than",
    "at least",
    "only",
    "maximum",
    "official",
    "reduced",
    "band",
    "stated",
)

#: What kind of publication a source is. A ``mirror`` copies another outlet's article.
SOURCE_KINDS: tuple[str, ...] = (
    "news",
    "mirror",
    "state media",
    "aggregator",
    "official",
    "trade press",
    "reference",
)

#: The kinds of dated event a system's record may hold.
EVENT_KINDS: tuple[str, ...] = (
    "first reported use",
    "reported use",
    "first combat use",
    "delivered",
    "in service",
    "announced",
)

#: The events that make their ``operator`` one of the system's operators; each must name one.
OPERATOR_EVENTS: tuple[str, ...] = ("delivered", "in service")

#: Who stands behind a figure, best first: the rank of each source kind in the preference
#: rule (see :func:`preference`). News and trade press share a rank.
SOURCE_RANK: dict[str, int] = {
    "official": 0,
    "reference": 1,
    "news": 2,
    "trade press": 2,
    "aggregator": 3,
    "mirror": 3,
    "state media": 4,
}

#: Qualifiers that give a lower bound: beyond the figure, a verdict is "not established".
LOWER_BOUNDS: frozenset[str] = frozenset({"more than", "at least"})
#: Qualifiers that give an upper bound: beyond the figure, a verdict is "does not reach".
UPPER_BOUNDS: frozenset[str] = frozenset({"up to", "maximum", "only"})

# A place that starts with one of these is written as it is ("near Baghdad", not "in near").
_PREPOSITIONS = frozenset({"near", "over", "off", "around", "at", "in", "on", "outside"})

#: Language names for citations, by ISO 639-1 code; others are cited by their code.
_LANGUAGES: dict[str, str] = {
    "ar": "Arabic",
    "cs": "Czech",
    "de": "German",
    "es": "Spanish",
    "et": "Estonian",
    "fi": "Finnish",
    "fr": "French",
    "hi": "Hindi",
    "hu": "Hungarian",
    "it": "Italian",
    "ja": "Japanese",
    "ko": "Korean",
    "nl": "Dutch",
    "pl": "Polish",
    "pt": "Portuguese",
    "ro": "Romanian",
    "ru": "Russian",
    "tr": "Turkish",
    "uk": "Ukrainian",
    "vi": "Vietnamese",
    "zh": "Chinese",
}


def _quantity_dict(quantity: Any) -> dict[str, Any] | None:
    if quantity is None:
        return None
    return {"value": quantity.magnitude, "unit": str(quantity.units)}


_WIKIDATA = re.compile(r"^Q[1-9][0-9]{0,11}$")

_ID = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
_WHEN = re.compile(r"^([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?$")


def _fail(record: str, field: str, problem: str) -> RecordError:
    return RecordError(f"{record}.{field}: {problem}", field=field)


def _text(record: str, field: str, value: object, *, optional: bool = False) -> None:
    if value is None and optional:
        return
    if not isinstance(value, str):
        raise _fail(
            record, field, f"must be a string (got {value!r} that is a {type(value).__name__})"
        )
    if not value.strip():
        raise _fail(record, field, "must not be empty")


def _choice(record: str, field: str, value: object, choices: Iterable[str]) -> None:
    options = tuple(choices)
    if value not in options:
        listed = ", ".join(repr(c) for c in options)
        raise _fail(record, field, f"{value!r} is not one of {listed}")


def _ident(record: str, field: str, value: object) -> None:
    _text(record, field, value)
    assert isinstance(value, str)
    if not _ID.match(value):
        raise _fail(
            record,
            field,
            f"{value!r} must be lower-case letters, digits, '.', '_' or '-', e.g. 'storm-shadow'",
        )


def _strings(value: object) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, Iterable):
        return tuple(value)
    return value  # type: ignore[return-value]  # the validator names the bad value


class _Unreadable:
    """What a claim's converter keeps of a value it could not read, so that the validation
    names the record, the field and the parser's own reason."""

    __slots__ = ("problem",)

    def __init__(self, problem: str) -> None:
        self.problem = problem

    def __repr__(self) -> str:
        return self.problem


def _quantity(value: object) -> Any:
    try:
        return _units.parse_quantity(value)
    except UnitError as error:
        return _Unreadable(str(error))


def _quantity_or_none(value: object) -> Any:
    return None if value is None else _quantity(value)


@attrs.frozen(repr=False, cache_hash=True)
class Source:
    """A publication a figure was taken from.

    ``publisher`` is who published the page that was read and ``url`` its address. For a
    ``mirror``, ``copies`` names the outlet whose article it copies, and :attr:`cited_as` cites
    that outlet first.

    >>> import weaponsref as wr
    >>> source = wr.lookup("Bober").claim("range").source
    >>> source.cited_as, source.published.isoformat(), source.kind
    ('Daily Mail', '2023-08-01', 'news')
    """

    id: str
    publisher: str
    kind: str
    language: str
    title: str | None = None
    url: str | None = None
    published: _dt.date | None = None
    copies: str | None = None
    mirror: str | None = None
    note: str | None = None

    def __attrs_post_init__(self) -> None:
        record = f"Source {self.id!r}"
        _ident(record, "id", self.id)
        _text(record, "publisher", self.publisher)
        _text(record, "title", self.title, optional=True)
        _choice(record, "kind", self.kind, SOURCE_KINDS)
        _text(record, "language", self.language)
        _text(record, "url", self.url, optional=True)
        if self.url is not None and not self.url.startswith(("http://", "https://")):
            raise _fail(record, "url", f"{self.url!r} must start with http:// or https://")
        if self.published is not None and (
            not isinstance(self.published, _dt.date) or isinstance(self.published, _dt.datetime)
        ):
            raise _fail(record, "published", f"must be a date (got {self.published!r})")
        _text(record, "copies", self.copies, optional=True)
        if self.kind == "mirror" and self.copies is None:
            raise _fail(record, "copies", "a mirror must name the outlet it copies")
        if self.kind != "mirror" and self.copies is not None:
            raise _fail(
                record, "copies", f"only a mirror copies another outlet (kind is {self.kind!r})"
            )
        _text(record, "mirror", self.mirror, optional=True)
        if self.mirror is not None and not self.mirror.startswith(("http://", "https://")):
            raise _fail(
                record, "mirror", f"{self.mirror!r:.60} must start with http:// or https://"
            )
        _text(record, "note", self.note, optional=True)

    @property
    def cited_as(self) -> str:
        """The name to cite: the original outlet for a mirror, else the publisher."""
        if self.copies is not None:
            return f"{self.copies} (via {self.publisher})"
        return self.publisher

    @property
    def citation(self) -> str:
        """The source as a citation in one style (author-date, as in APA's for web pages):
        outlet, date, title in quotes, the language where it is not English, the address or
        the copy that was read. A missing date reads "n.d."; nothing missing is invented.

        >>> import weaponsref as wr
        >>> print(wr.default_catalogue().source("bbc-2003-03-21").citation)
        BBC News. (2003, March 21). "RAF Tornados join air strikes". http://news.bbc.co.uk/2/hi/uk_news/2871525.stm
        """
        date = (
            f"({self.published.year}, {self.published:%B} {self.published.day})"
            if self.published is not None
            else "(n.d.)"
        )
        parts = [f"{self.cited_as}.", f"{date}."]
        if self.title is not None:
            title = f'"{self.title}"'
            if self.language != "en":
                title += f" [in {_LANGUAGES.get(self.language, self.language)}]"
            parts.append(f"{title}.")
        if self.url is not None:
            parts.append(self.url)
        elif self.mirror is not None:
            parts.append(f"Original address not found; read at {self.mirror}")
        return " ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        """The source as JSON-ready data; the date as ISO text.

        >>> import weaponsref as wr
        >>> wr.default_catalogue().source("bbc-2003-03-21").to_dict()["published"]
        '2003-03-21'
        """
        return {
            "id": self.id,
            "publisher": self.publisher,
            "cited_as": self.cited_as,
            "kind": self.kind,
            "language": self.language,
            "title": self.title,
            "published": self.published.isoformat() if self.published is not None else None,
            "url": self.url,
            "copies": self.copies,
            "mirror": self.mirror,
            "note": self.note,
            "citation": self.citation,
        }

    def __str__(self) -> str:
        return self.citation

    def __repr__(self) -> str:
        return f"Source({self.id!r})"


@attrs.frozen(repr=False, cache_hash=True)
class Claim:
    """One published figure: a quantity, its qualifier, its source and the exact phrase.

    ``value`` stays in the unit the source used. For a band (``qualifier="band"``, e.g.
    "15 – 84 km") ``value`` is the upper end and ``low`` the lower end; otherwise ``low`` is
    None. ``variant`` names the munition or version the figure belongs to (``"ATACMS"``,
    ``"export"``), or is None when the source names none.

    >>> import weaponsref as wr
    >>> band = [c for c in wr.lookup("GMLRS").claims_for("range") if c.qualifier == "band"][0]
    >>> print(band.low, "to", band.value)
    15 kilometer to 84 kilometer
    >>> print(wr.lookup("Storm Shadow").claim("range", "export"))
    range, export: 250 km (AeroTime, undated) "However, the export models have been specifically modified to operate at a reduced range of 250 kilometers (155 miles)." [preferred]
    """

    figure: str
    # Quantities hash by converting to base units every time; a claim hashes and compares by
    # _value_key and _low_key instead: the magnitude and the unit's name, plain values.
    value: Quantity = attrs.field(converter=_quantity, eq=False)
    qualifier: str
    source: Source
    quote: str
    variant: str | None = None
    low: Quantity | None = attrs.field(default=None, converter=_quantity_or_none, eq=False)
    preferred: bool = False
    note: str | None = None
    _si: float = attrs.field(init=False, eq=False, hash=False, alias="_si")
    _si_low: float | None = attrs.field(init=False, eq=False, hash=False, alias="_si_low")
    _value_key: tuple[Any, str] = attrs.field(init=False, alias="_value_key")
    _low_key: tuple[Any, str] | None = attrs.field(init=False, alias="_low_key")

    def __attrs_post_init__(self) -> None:
        record = f"Claim {self.figure!r}" if isinstance(self.figure, str) else "Claim"
        _choice(record, "figure", self.figure, FIGURES)
        _choice(record, "qualifier", self.qualifier, QUALIFIERS)
        if not isinstance(self.source, Source):
            raise _fail(record, "source", f"must be a Source record (got {self.source!r})")
        _text(record, "quote", self.quote)
        _text(record, "variant", self.variant, optional=True)
        _text(record, "note", self.note, optional=True)
        if not isinstance(self.preferred, bool):
            raise _fail(record, "preferred", f"must be true or false (got {self.preferred!r})")
        si = self._checked(record, "value", self.value)
        object.__setattr__(self, "_si", si)
        object.__setattr__(self, "_value_key", (self.value.magnitude, str(self.value.units)))
        object.__setattr__(self, "_low_key", None)
        if self.low is None:
            if self.qualifier == "band":
                raise _fail(record, "low", "a band needs its lower end in 'low'")
            object.__setattr__(self, "_si_low", None)
            return
        if self.qualifier != "band":
            raise _fail(
                record, "low", f"only a band has a lower end (qualifier is {self.qualifier!r})"
            )
        low = self._checked(record, "low", self.low)
        object.__setattr__(self, "_low_key", (self.low.magnitude, str(self.low.units)))
        if low > si:
            raise _fail(
                record,
                "low",
                f"{_units.format_quantity(self.low)} is above the upper end "
                f"{_units.format_quantity(self.value)}",
            )
        object.__setattr__(self, "_si_low", low)

    def _checked(self, record: str, field: str, value: object) -> float:
        """Check a quantity's type, dimension and sign; return it in SI base units."""
        if isinstance(value, _Unreadable):
            raise _fail(record, field, value.problem)
        if not _units.is_quantity(value):
            if isinstance(value, int | float) and not isinstance(value, bool):
                problem = f"{value!r} has no unit; write it as a string with one, e.g. '{value} km'"
            else:
                problem = f"{value!r} is not a quantity such as '621 mi'"
            raise _fail(record, field, problem)
        quantity: Any = value
        dimension = FIGURES[self.figure]
        mach = self.figure == "speed" and str(quantity.units) == "dimensionless"
        if not mach and not quantity.check(dimension):
            raise _fail(
                record,
                field,
                f"{_units.format_quantity(quantity)} is not a {dimension} as {self.figure} needs",
            )
        magnitude = float(quantity.to_base_units().magnitude)
        if not math.isfinite(magnitude):
            raise _fail(record, field, f"{quantity.magnitude!r} is not a finite number")
        if magnitude <= 0:
            raise _fail(record, field, f"{_units.format_quantity(quantity)} must be above zero")
        return magnitude

    @property
    def _si_low_or_value(self) -> float:
        return self._si_low if self._si_low is not None else self._si

    @property
    def metres(self) -> float:
        """The value (the upper end of a band) in metres, for a length figure."""
        if FIGURES[self.figure] != "[length]":
            raise UnitError(f"{self.figure} is not a length, so it has no value in metres")
        return self._si

    @property
    def low_metres(self) -> float | None:
        """The lower end of a band in metres, or None for a single figure."""
        if FIGURES[self.figure] != "[length]":
            raise UnitError(f"{self.figure} is not a length, so it has no value in metres")
        return self._si_low

    def to_dict(self) -> dict[str, Any]:
        """The claim as JSON-ready data: quantities as value and unit, in the source's unit,
        and the source by id and citation.

        >>> import weaponsref as wr
        >>> data = wr.lookup("Bober").claim("range").to_dict()
        >>> data["value"], data["qualifier"], data["source"]
        ({'value': 621, 'unit': 'mile'}, 'up to', 'dailymail-2023-08-01')
        """
        si_unit = {"[length]": "meter", "[length] / [time]": "meter / second", "[time]": "second"}
        mach = str(self.value.units) == "dimensionless"
        return {
            "figure": self.figure,
            "variant": self.variant,
            "qualifier": self.qualifier,
            "value": _quantity_dict(self.value),
            "low": _quantity_dict(self.low),
            "value_si": None
            if mach
            else {"value": self._si, "unit": si_unit[FIGURES[self.figure]]},
            "text": self.describe(),
            "preferred": self.preferred,
            "source": self.source.id,
            "cited_as": self.source.cited_as,
            "published": (
                self.source.published.isoformat() if self.source.published is not None else None
            ),
            "url": self.source.url,
            "quote": self.quote,
            "note": self.note,
        }

    def value_text(self, unit: str | None = None) -> str:
        """The figure as text, e.g. ``'621 mi'``, ``'15–84 km'`` or ``'Mach 0.8'``.

        With ``unit`` the figure is converted first: ``claim.value_text("km")``.
        """
        upper = _units.format_quantity(self.value, unit)
        if self.low is None:
            return upper
        low = self.low.to(unit) if unit is not None else self.low.to(self.value.units)
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

    def __str__(self) -> str:
        flag = " [preferred]" if self.preferred else ""
        return f'{self.label}: {self.describe()} ({self.dated_source}) "{self.quote}"{flag}'

    def __repr__(self) -> str:
        return (
            f"Claim({self.figure!r}, {self.value_text()!r}, {self.qualifier!r}, "
            f"variant={self.variant!r}, source={self.source.id!r}, preferred={self.preferred})"
        )


@attrs.frozen(repr=False, cache_hash=True)
class Event:
    """A dated event in a system's reported history, with its source and phrase.

    ``when`` is an ISO date to the precision the source gives: ``"2023"``, ``"2003-03"`` or
    ``"2023-07-30"``.
    """

    kind: str
    when: str
    source: Source
    quote: str
    place: str | None = None
    operator: str | None = None
    note: str | None = None

    def __attrs_post_init__(self) -> None:
        record = f"Event {self.kind!r}" if isinstance(self.kind, str) else "Event"
        _choice(record, "kind", self.kind, EVENT_KINDS)
        if not isinstance(self.when, str) or not _WHEN.match(self.when):
            raise _fail(record, "when", f"{self.when!r} must be 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD'")
        try:
            _ = self.date
        except ValueError as error:
            raise _fail(record, "when", f"{self.when!r} is not a calendar date ({error})") from None
        if not isinstance(self.source, Source):
            raise _fail(record, "source", f"must be a Source record (got {self.source!r})")
        _text(record, "quote", self.quote)
        _text(record, "place", self.place, optional=True)
        _text(record, "operator", self.operator, optional=True)
        if self.kind in OPERATOR_EVENTS and self.operator is None:
            raise _fail(
                record,
                "operator",
                f'a {self.kind!r} event must name its operator, e.g. operator = "Ukraine"',
            )
        _text(record, "note", self.note, optional=True)

    @property
    def precision(self) -> Literal["year", "month", "day"]:
        """How precise ``when`` is."""
        precisions: tuple[Literal["year"], Literal["month"], Literal["day"]] = (
            "year",
            "month",
            "day",
        )
        return precisions[self.when.count("-")]

    @property
    def date(self) -> _dt.date:
        """The first day of the period ``when`` names."""
        match = _WHEN.match(self.when)
        assert match is not None
        year, month, day = match.groups()
        return _dt.date(int(year), int(month or 1), int(day or 1))

    def to_dict(self) -> dict[str, Any]:
        """The event as JSON-ready data, its source by id."""
        return {
            "kind": self.kind,
            "when": self.when,
            "summary": self.summary,
            "operator": self.operator,
            "place": self.place,
            "source": self.source.id,
            "cited_as": self.source.cited_as,
            "url": self.source.url,
            "quote": self.quote,
            "note": self.note,
        }

    @property
    def summary(self) -> str:
        """What happened, in words a reader understands, e.g. ``'delivered to Ukraine'``."""
        words = {
            "delivered": "delivered to {operator}",
            "in service": "in service with {operator}",
            "announced": "announced",
            "first reported use": "first reported use",
            "reported use": "reported use",
            "first combat use": "first combat use",
        }[self.kind].format(operator=self.operator)
        if self.kind == "announced" and self.operator is not None:
            words = f"announced: delivery to {self.operator}"
        place = self.place
        if place is None or place == self.operator:
            return words
        first = place.split()[0].lower()
        return f"{words} {place}" if first in _PREPOSITIONS else f"{words} in {place}"

    def __str__(self) -> str:
        date = self.source.published.isoformat() if self.source.published else "undated"
        return f'{self.when}: {self.summary} ({self.source.cited_as}, {date}) "{self.quote}"'

    def __repr__(self) -> str:
        return f"Event({self.kind!r}, {self.when!r}, source={self.source.id!r})"


#: The unit a figure is shown in when two claims are compared.
_SI_UNIT: dict[str, str] = {
    "range": "km",
    "minimum_range": "km",
    "radius_of_action": "km",
    "cruise_altitude": "m",
    "ceiling": "m",
    "speed": "km/h",
    "endurance": "h",
}


def _with_si(claim: Claim) -> str:
    """``'20,000 ft = 6,096 m'``: the claim as published, and converted where that differs."""
    shown = claim.describe()
    converted = claim.value_text(_SI_UNIT[claim.figure])
    return shown if shown.endswith(converted) else f"{shown} = {converted}"


def preference(claim: Claim, group: Iterable[Claim] = ()) -> tuple[int, int, int, float]:
    """The preference rule: the sort key of a claim among ``group``, the claims of its figure
    and variant; the smallest key is the preferred claim.

    1. Who stands behind the figure (:data:`SOURCE_RANK`): the maker or an official
       statement, then reference works, then news reports and trade press, then
       aggregators and mirrors, then state media.
    2. The version it describes: a figure of a named version belongs to that version only
       (``variant``), so a system's headline figure is the best claim with no variant.
    3. Among equals: a plain figure or an upper bound before a lower bound ("more than"),
       which says less; then the figure that more sources in ``group`` give (within 0.5%);
       then the most recent dated source, undated sources last; then the data's order.

    A claim marked ``preferred`` in the data overrides the rule for its group.

    >>> import weaponsref as wr
    >>> storm_shadow = wr.lookup("Storm Shadow")
    >>> export = storm_shadow.claims_for("range", "export")
    >>> best = min(export, key=lambda claim: wr.preference(claim, export))
    >>> best is storm_shadow.claim("range", "export"), best.value_text()
    (True, '250 km')
    """
    published = claim.source.published
    recency = -published.toordinal() if published is not None else 0.0
    bound = 1 if claim.qualifier in LOWER_BOUNDS else 0
    agreeing = {
        other.source.id
        for other in group
        if other.figure == claim.figure and math.isclose(other._si, claim._si, rel_tol=0.005)
    }
    return (SOURCE_RANK[claim.source.kind], bound, -len(agreeing), recency)


def preferred_of(claims: Sequence[Claim]) -> Claim:
    """The preferred claim of ``claims`` (one figure and variant): the one marked preferred,
    else the best by :func:`preference`."""
    marked = next((c for c in claims if c.preferred), None)
    return marked if marked is not None else min(claims, key=lambda c: preference(c, claims))


def _tuple_of(kind: type, record: str, field: str, values: object) -> None:
    if not isinstance(values, tuple):
        raise _fail(record, field, f"must be a tuple (got {values!r})")
    for index, value in enumerate(values):
        if not isinstance(value, kind):
            raise _fail(record, f"{field}[{index}]", f"must be a {kind.__name__} (got {value!r})")


@attrs.frozen(repr=False, cache_hash=True)
class System:
    """A weapon system as public reporting describes it.

    ``claims`` holds every published figure; :attr:`range` is the value of the preferred range
    claim with no variant, and :meth:`claim` and :meth:`claims_for` find the others.

    >>> import weaponsref as wr
    >>> himars = wr.lookup("M142")
    >>> print(himars.name, himars.range, "=", himars.range.to("km"))
    HIMARS 50 mile = 80.4672 kilometer
    >>> himars.launches, himars.variants
    (('gmlrs', 'atacms'), ('PrSM',))
    """

    id: str
    name: str
    category: str
    origin: str
    description: str
    claims: tuple[Claim, ...] = attrs.field(converter=tuple)
    aliases: tuple[str, ...] = attrs.field(default=(), converter=_strings)
    maker: str | None = None
    events: tuple[Event, ...] = attrs.field(default=(), converter=tuple)
    wikidata: str | None = None
    launches: tuple[str, ...] = attrs.field(default=(), converter=_strings)
    note: str | None = None

    #: Whether any claim gives a minimum range (set once, at construction).
    _has_minimum: bool = attrs.field(init=False, eq=False, hash=False, alias="_has_minimum")
    _conflicts: tuple[str, ...] = attrs.field(init=False, eq=False, hash=False, alias="_conflicts")

    _fields_text: ClassVar[tuple[str, ...]] = ("name", "category", "origin", "description")

    def __attrs_post_init__(self) -> None:
        record = f"System {self.id!r}"
        _ident(record, "id", self.id)
        for field in self._fields_text:
            _text(record, field, getattr(self, field))
        _text(record, "maker", self.maker, optional=True)
        _tuple_of(str, record, "aliases", self.aliases)
        _tuple_of(str, record, "launches", self.launches)
        for index, munition in enumerate(self.launches):
            _ident(record, f"launches[{index}]", munition)
        if self.wikidata is not None and (
            not isinstance(self.wikidata, str) or not _WIKIDATA.match(self.wikidata)
        ):
            raise _fail(
                record,
                "wikidata",
                f"{self.wikidata!r:.40} is not a Wikidata item id such as 'Q123456'",
            )
        _text(record, "note", self.note, optional=True)
        for index, alias in enumerate(self.aliases):
            _text(record, f"aliases[{index}]", alias)
        _tuple_of(Claim, record, "claims", self.claims)
        object.__setattr__(
            self, "_has_minimum", any(c.figure == "minimum_range" for c in self.claims)
        )
        _tuple_of(Event, record, "events", self.events)
        preferred: dict[tuple[str, str | None], int] = {}
        for index, claim in enumerate(self.claims):
            if not claim.preferred:
                continue
            key = (claim.figure, claim.variant)
            if key in preferred:
                raise _fail(
                    record,
                    f"claims[{index}].preferred",
                    f"claims[{preferred[key]}] is already the preferred {claim.label} claim; "
                    "mark only one preferred per figure and variant",
                )
            preferred[key] = index
        if not any(c.figure == "range" and c.variant is None for c in self.claims):
            raise _fail(
                record,
                "claims",
                "needs a range claim with no variant, its headline range",
            )
        object.__setattr__(self, "_conflicts", self._find_conflicts())

    def claims_for(
        self, figure: str, variant: str | Literal["*"] | None = "*"
    ) -> tuple[Claim, ...]:
        """Every claim for ``figure`` (all variants unless ``variant`` is given), in data order.

        >>> import weaponsref as wr
        >>> [c.value_text() for c in wr.lookup("Storm Shadow").claims_for("range", "full version")]
        ['350 mi', '560 km', '350 mi']
        """
        _choice(f"System {self.id!r}", "figure", figure, FIGURES)
        return tuple(
            claim
            for claim in self.claims
            if claim.figure == figure and (variant == "*" or claim.variant == variant)
        )

    def claim(self, figure: str = "range", variant: str | None = None) -> Claim:
        """The preferred claim for ``figure`` and ``variant``.

        Where no claim of that group is marked preferred, :func:`preference` chooses.
        Raises :class:`~weaponsref.errors.RecordError` (a ValueError) naming the variants there
        are when the system has no such claim.

        >>> import weaponsref as wr
        >>> print(wr.lookup("Storm Shadow").claim("range", variant="export").describe())
        250 km
        """
        group = self.claims_for(figure, variant)
        if not group:
            known = sorted({repr(c.variant) for c in self.claims_for(figure)})
            have = (
                f"its {figure} variants are {', '.join(known)}"
                if known
                else f"it has no {figure} claim"
            )
            raise RecordError(
                f"{self.name} has no {figure} claim for variant {variant!r}; {have}",
                field="claims",
            )
        return preferred_of(group)

    @property
    def range(self) -> Quantity:
        """The preferred range with no variant, in the unit its source used."""
        return self.claim("range").value

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
        (['gmlrs', 'atacms'], ['United States', 'Ukraine'], True)
        """
        preferred = self.claim("range")
        return {
            "id": self.id,
            "name": self.name,
            "aliases": list(self.aliases),
            "category": self.category,
            "maker": self.maker,
            "origin": self.origin,
            "operators": list(self.operators),
            "launches": list(self.launches),
            "wikidata": self.wikidata,
            "description": self.description,
            "note": self.note,
            "range": preferred.to_dict(),
            "claims": [claim.to_dict() for claim in self.claims],
            "events": [event.to_dict() for event in self.events],
            "conflicts": list(self.conflicts),
            "sources": [source.id for source in self.sources],
        }

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
        from ._html import system_html

        return system_html(self)
