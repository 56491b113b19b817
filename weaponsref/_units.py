"""Quantities on pint's application registry, read with a strict grammar.

weaponsref never builds a :class:`pint.UnitRegistry` and never sets the application registry:
every quantity comes from :func:`pint.get_application_registry`, looked up when a quantity is
first made, so it combines with the user's quantities and honours a registry the user set
before first use. pint itself is imported on first use, so ``import weaponsref`` does not
pay for it.

A figure's text is never handed to pint's expression evaluator. It must be a number (a
comma only as a thousands separator in groups of three, ASCII digits only), then a unit
made of unit names, ``*``, ``/`` and small whole powers, which pint resolves; or
``Mach`` and a number. Anything else, and any non-finite or absurdly large value, is a
:class:`~weaponsref.errors.UnitError` naming the value; a value of the wrong type (a bare
number, None, a list) is an :class:`~weaponsref.errors.ArgumentError`.

Reading is fast, because a catalogue holds hundreds of figures: the text is matched by one
regular expression, the unit's text is parsed by pint once and cached with the registry's
``Quantity`` class, and the quantity is built as ``Quantity(magnitude, unit)``. What pint
works out of a unit (its name, dimensionality and factor to SI base units) is cached too, so
a check of size or dimension does not convert the quantity. The cache is emptied when the
application registry changes.
"""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING, Any, Final

from weaponsref.errors import ArgumentError, UnitError

if TYPE_CHECKING:
    from typing import TypeAlias

    import pint

    #: A pint quantity from the application registry.
    Quantity: TypeAlias = pint.Quantity[Any]

__all__ = [
    "QUANTITY_PATTERN",
    "Quantity",
    "as_length",
    "convert",
    "format_quantity",
    "has_dimension",
    "length_unit",
    "make",
    "parse_quantity",
    "registry",
    "shown",
    "si_magnitude",
    "unit_name",
]

#: The longest text a figure, a distance or a unit may be.
MAX_TEXT: Final = 64
_NUMBER: Final = (
    r"(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]{1,3})?|\.[0-9]+"
)
_UNIT_WORD: Final = r"[A-Za-z_°µΩ][A-Za-z_°µΩ0-9]*(?:\s*(?:\^|\*\*)\s*-?[1-3])?"
_UNIT: Final = rf"{_UNIT_WORD}(?:\s*[*/·]\s*{_UNIT_WORD}|\s+{_UNIT_WORD})*"
_QUANTITY = re.compile(rf"(?P<number>{_NUMBER})\s*(?P<unit>{_UNIT})", re.ASCII)
_UNIT_ONLY = re.compile(_UNIT, re.ASCII)
_MACH = re.compile(rf"mach\s*(?P<number>{_NUMBER})", re.ASCII | re.IGNORECASE)
#: The same grammar as one pattern in the common dialect of regular expressions (JSON
#: Schema's ECMA-262, Rust's, Python's), for the catalogue's JSON Schema: ``Mach`` and a
#: number, or a number and a unit, with spaces around.
QUANTITY_PATTERN: Final = (
    rf"^\s*(?:[Mm][Aa][Cc][Hh]\s*(?:{_NUMBER})|(?:{_NUMBER})\s*(?:{_UNIT}))\s*$"
)
#: The largest magnitude, in SI base units, that any figure may have: a length of a million
#: kilometres, a speed of 100 km/s, a time of three years. Beyond that the text is a typo or
#: hostile, not a published figure.
_LIMITS_SI: Final = {"[length]": 1e9, "[length] / [time]": 1e5, "[time]": 1e8}
_MACH_LIMIT: Final = 100.0


def shown(value: object, limit: int = 40) -> str:
    """``repr(value)``, cut to ``limit`` characters with an ellipsis, for error messages.

    >>> shown("x" * 100, 12)
    "'xxxxxxxxxx…"
    """
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


# pint's application registry: one object for the life of the process, whose get() gives the
# registry it wraps now (pint.set_application_registry changes that, not this object).
_application: list[Any] = []


def registry() -> Any:
    """Return pint's application registry (never a registry of our own)."""
    if not _application:
        import pint

        _application.append(pint.get_application_registry())  # type: ignore[no-untyped-call]
    return _application[0]


# Units parsed once per registry: text -> (the registry's Quantity class, the Unit), and what
# weaponsref needs to know of a unit, by pint's UnitsContainer. Dropped when the application
# registry changes, so a registry the user sets later is honoured.
_units_of: dict[str, tuple[Any, Any]] = {}
_facts_of: dict[Any, _Facts] = {}
_dimensions_of: dict[str, Any] = {}
_units_registry: list[Any] = [None]
#: The most units each cache keeps, so that hostile input cannot grow them without bound.
_CACHE_LIMIT: Final = 256


def _current() -> tuple[Any, Any]:
    """pint's application registry and the registry it wraps now; the caches are emptied
    when that has changed."""
    ureg = registry()
    real = ureg.get()
    if _units_registry[0] is not real:
        _units_of.clear()
        _facts_of.clear()
        _dimensions_of.clear()
        _units_registry[0] = real
    return ureg, real


def _cached(text: str) -> tuple[Any, Any]:
    ureg, real = _current()
    found = _units_of.get(text)
    if found is None:
        try:
            unit = ureg.Unit(text)
        except Exception as error:  # pint raises many kinds for an unknown unit name
            raise UnitError(
                f"unknown unit {shown(text)} ({type(error).__name__}); use a unit such as "
                "'km', 'mi', 'nmi', 'ft', 'km/h' or 'h'"
            ) from None
        found = (real.Quantity, unit)
        if len(_units_of) < _CACHE_LIMIT:
            _units_of[text] = found
    return found


class _Facts:
    """What weaponsref needs to know of one unit, worked out once: its name, its
    dimensionality, and the factor to its SI base unit (None for a unit with an offset, such
    as degC, whose conversion is not a factor)."""

    __slots__ = ("base", "dimensionality", "factor", "limit", "name")

    def __init__(self, quantity: Any) -> None:
        one = quantity.__class__(1, quantity._units)
        base = one.to_base_units()
        zero = quantity.__class__(0, quantity._units).to_base_units()
        self.name: str = format(quantity.units, "D")
        self.dimensionality: Any = quantity.dimensionality
        self.base: str = format(base.units, "D")
        self.factor: Any = base.magnitude if zero.magnitude == 0 else None
        #: The largest published figure in SI base units, for a dimension that has one.
        self.limit: float | None = next(
            (limit for dimension, limit in _LIMITS_SI.items() if quantity.check(dimension)), None
        )


def _facts(quantity: Any) -> _Facts:
    """The :class:`_Facts` of a quantity's unit, cached for the application registry."""
    if quantity._REGISTRY is _units_registry[0]:
        # The cache holds facts of that registry's units only (it is emptied when the
        # registry changes), so a hit is right for this quantity whatever is current now.
        known = _facts_of.get(quantity._units)
        if known is not None:
            return known
    _, real = _current()
    if quantity._REGISTRY is not real:
        return _Facts(quantity)
    found = _facts_of.get(quantity._units)
    if found is None:
        found = _Facts(quantity)
        if len(_facts_of) < _CACHE_LIMIT:
            _facts_of[quantity._units] = found
    return found


def unit_name(quantity: Quantity) -> str:
    """The quantity's unit by pint's full name (``'mile'``, ``'kilometer / hour'``,
    ``'dimensionless'`` for a Mach number), whatever format the registry prints in.

    >>> unit_name(parse_quantity("900 km/h"))
    'kilometer / hour'
    """
    return _facts(quantity).name


def si_magnitude(quantity: Quantity) -> float:
    """The magnitude in SI base units, as ``quantity.to_base_units().magnitude`` gives it
    (the same multiplication by the same factor), without building a quantity.

    >>> quantity = parse_quantity("621 mi")
    >>> si_magnitude(quantity) == quantity.to_base_units().magnitude, round(si_magnitude(quantity), 3)
    (True, 999402.624)
    """
    facts = _facts(quantity)
    if facts.factor is None:
        return float(quantity.to_base_units().magnitude)
    return float(quantity.magnitude * facts.factor)


def has_dimension(quantity: Quantity, dimension: str) -> bool:
    """Whether the quantity has ``dimension`` (``"[length]"``, ``"[length] / [time]"``), as
    ``quantity.check(dimension)`` tells, with both sides worked out once."""
    found = _dimensions_of.get(dimension)
    if found is None:
        ureg, _ = _current()
        found = ureg.get_dimensionality(dimension)
        if len(_dimensions_of) < _CACHE_LIMIT:
            _dimensions_of[dimension] = found
    return bool(_facts(quantity).dimensionality == found)


def _unit(text: str) -> Any:
    """The pint Unit for ``text`` on the application registry, parsed once and cached."""
    return _cached(text)[1]


def make(magnitude: float, unit: str) -> Quantity:
    """A quantity on the application registry, e.g. ``make(757.1, "km")``; the unit is parsed
    once and cached."""
    quantity_class, parsed = _cached(unit)
    quantity: Quantity = quantity_class(magnitude, parsed._units)
    return quantity


def is_quantity(value: object) -> bool:
    """Tell whether ``value`` is a pint quantity from any registry."""
    if type(value).__module__.split(".")[0] != "pint":
        return False
    import pint

    return isinstance(value, pint.Quantity)


def _number(text: str, what: str, original: object) -> int | float:
    digits = text.replace(",", "")
    if "." in digits or "e" in digits or "E" in digits:
        number = float(digits)
        if not math.isfinite(number):
            raise UnitError(f"{what} {shown(original)} is not a finite number")
        return number
    if len(digits) > 16:
        raise UnitError(f"{what} {shown(original)} is too large to be a published figure")
    return int(digits)


def _check_size(quantity: Quantity, what: str, original: object) -> Quantity:
    magnitude = float(quantity.magnitude)
    if not math.isfinite(magnitude):
        raise UnitError(f"{what} {shown(original)} is not a finite number")
    facts = _facts(quantity)
    if facts.name == "dimensionless":
        if abs(magnitude) > _MACH_LIMIT:
            raise UnitError(f"{what} {shown(original)} is beyond any published Mach number")
        return quantity
    if facts.limit is not None:
        si = abs(si_magnitude(quantity))
        if not math.isfinite(si) or si > facts.limit:
            raise UnitError(f"{what} {shown(original)} is too large to be a published figure")
    return quantity


def parse_quantity(value: object, *, what: str = "value") -> Quantity:
    """Turn ``"621 mi"``, ``"1,000 km"``, ``"Mach 0.8"`` or a pint quantity into an
    application-registry quantity.

    A bare number is refused, because a figure without a unit cannot be cited; so is a unit
    without a number, a decimal comma, an expression or a non-finite or absurd value. ``what``
    names the thing being parsed in the error message.

    >>> print(parse_quantity("621 mi"), parse_quantity("1,000 km"))
    621 mile 1000 kilometer
    >>> parse_quantity("Mach 0.8").magnitude, parse_quantity("Mach 0.8").dimensionless
    (0.8, True)
    >>> parse_quantity("1,5 km")
    Traceback (most recent call last):
    ...
    weaponsref.errors.UnitError: value '1,5 km' is not a figure such as '621 mi', '1,000 km' or 'Mach 0.8' (a comma only separates thousands, in groups of three)

    Raises :class:`~weaponsref.errors.UnitError` (a ValueError) for text that is not a figure,
    an unknown unit or an absurd value, and :class:`~weaponsref.errors.ArgumentError` (a
    TypeError) for a value that is neither text nor a quantity, a bare number among them, or a
    quantity of an array.
    """
    if isinstance(value, str):
        return _parse_text(value, what)
    if is_quantity(value):
        return _from_quantity(value, what)
    if isinstance(value, bool | int | float):
        raise ArgumentError(
            f"{what} {shown(value)} has no unit; write it as text with one, e.g. '{value} km' or "
            f"'{value} mi'"
        )
    raise ArgumentError(
        f"{what} must be a string such as '621 mi' or a pint Quantity "
        f"(got {shown(value)} that is a {type(value).__name__})"
    )


def _parse_text(value: str, what: str) -> Quantity:
    """The fast path: one regular expression, a unit parsed once, ``Quantity(number, unit)``."""
    text = value.strip()
    if len(text) > MAX_TEXT:
        raise UnitError(f"{what} {shown(value)} is longer than {MAX_TEXT} characters")
    mach = _MACH.fullmatch(text)
    if mach:
        number = _number(mach.group("number"), what, value)
        return _check_size(make(number, "dimensionless"), what, value)
    match = _QUANTITY.fullmatch(text)
    if match is None:
        raise UnitError(_why_not(text, value, what))
    number = _number(match.group("number"), what, value)
    quantity_class, unit = _cached(match.group("unit"))
    quantity: Quantity = quantity_class(number, unit._units)
    return _check_size(quantity, what, value)


def _why_not(text: str, value: object, what: str) -> str:
    start = f"{what} {shown(value)} is not a figure such as '621 mi', '1,000 km' or 'Mach 0.8'"
    if re.fullmatch(r"[-+]?[0-9.,eE]+", text, re.ASCII):
        return f"{start} (it has no unit; add one, e.g. '{text} km')"
    if _UNIT_ONLY.fullmatch(text):
        return f"{start} (it has a unit but no number)"
    if re.search(r"[0-9],[0-9]", text) and not re.search(r"[0-9],[0-9]{3}(?![0-9])", text):
        return f"{start} (a comma only separates thousands, in groups of three)"
    if text.startswith("-"):
        return f"{start} (it must be above zero)"
    if not text.isascii():
        return f"{start} (write the number in ASCII digits 0-9)"
    return f"{start} (a number, then a unit; no arithmetic)"


def _from_quantity(value: Any, what: str) -> Quantity:
    magnitude = value.magnitude
    if not isinstance(magnitude, int | float) or isinstance(magnitude, bool):
        raise ArgumentError(
            f"{what} {shown(value)} must be a single number with a unit, not an array"
        )
    _, real = _current()
    if value._REGISTRY is real:
        return _check_size(value, what, value)
    # A quantity from another registry: rebuild it on ours by its unit's name.
    return _check_size(make(magnitude, format(value.units, "D")), what, value)


def as_length(value: object, *, what: str = "range") -> Quantity:
    """Parse ``value`` like :func:`parse_quantity` and check that it is a finite, positive length.

    Raises :class:`~weaponsref.errors.UnitError` for a figure that is not a length or not
    above zero, and what :func:`parse_quantity` raises.
    """
    quantity = parse_quantity(value, what=what)
    if not has_dimension(quantity, "[length]"):
        raise UnitError(
            f"{what} {shown(format_quantity(quantity))} is not a length "
            f"(its dimension is {quantity.dimensionality}); give it in km, mi, m or nmi"
        )
    magnitude = float(quantity.magnitude)
    if not math.isfinite(magnitude) or magnitude <= 0:
        raise UnitError(f"{what} {format_quantity(quantity)!r} must be a finite length above zero")
    return quantity


#: The length units the command line and tables offer by name.
LENGTH_UNITS: Final = ("km", "mi", "nmi", "m", "ft")


def length_unit(unit: object) -> Any:
    """Check that ``unit`` (e.g. ``"km"``) names a unit of length and return it as a pint Unit.

    Raises :class:`~weaponsref.errors.ArgumentError` when ``unit`` is not text or a pint Unit,
    and :class:`~weaponsref.errors.UnitError` when it names no unit of length.
    """
    choices = ", ".join(repr(u) for u in LENGTH_UNITS)
    if is_quantity(unit) or (not isinstance(unit, str) and type(unit).__name__ != "Unit"):
        raise ArgumentError(
            f"unit must be a string such as 'km' (got {shown(unit)}); use {choices}"
        )
    text = str(unit).strip()
    if len(text) > MAX_TEXT or not _UNIT_ONLY.fullmatch(text):
        raise UnitError(f"unknown unit {shown(unit)}; use a length unit: {choices}")
    try:
        parsed = _unit(text)
    except UnitError:
        raise UnitError(f"unknown unit {shown(unit)}; use a length unit: {choices}") from None
    if parsed.dimensionality != _unit("m").dimensionality:
        raise UnitError(f"unit {shown(unit)} is not a length; use {choices}")
    return parsed


def format_number(value: float, digits: int = 1) -> str:
    """Format a magnitude with thousands separators, dropping a needless ``.0``.

    >>> format_number(999.4026), format_number(621), format_number(20000.0)
    ('999.4', '621', '20,000')
    """
    rounded = round(float(value), digits)
    if rounded == int(rounded):
        return f"{int(rounded):,}"
    return f"{rounded:,.{digits}f}".rstrip("0")


def convert(quantity: Quantity, unit: object) -> Quantity:
    """``quantity`` in ``unit`` (text such as ``"km"``, parsed once and cached).

    Raises :class:`~weaponsref.errors.ArgumentError` when ``unit`` is not text, and
    :class:`~weaponsref.errors.UnitError` for an unknown unit or one of another dimension.

    >>> print(round(convert(parse_quantity("621 mi"), "km"), 6))
    999.402624 kilometer
    >>> convert(parse_quantity("621 mi"), "kg")
    Traceback (most recent call last):
    ...
    weaponsref.errors.UnitError: 621 mi cannot be shown in 'kg': a [length] is not a [mass]
    """
    if not isinstance(unit, str):
        raise ArgumentError(f"unit must be a string such as 'km' (got {shown(unit)})")
    if len(unit) > MAX_TEXT or not _UNIT_ONLY.fullmatch(unit.strip()):
        raise UnitError(f"unknown unit {shown(unit)}; use a unit such as 'km', 'mi' or 'km/h'")
    target = _unit(unit.strip())
    if _facts(quantity).dimensionality != target.dimensionality:
        raise UnitError(
            f"{format_quantity(quantity)} cannot be shown in {shown(unit)}: a "
            f"{quantity.dimensionality} is not a {target.dimensionality}"
        )
    converted: Quantity = quantity.to(target)
    return converted


def format_quantity(quantity: Quantity, unit: str | None = None, digits: int = 1) -> str:
    """Format a quantity for people: abbreviated unit, ``Mach`` for Mach numbers; with
    ``unit``, converted first (see :func:`convert` for what that raises).

    >>> format_quantity(parse_quantity("621 mi"), "km")
    '999.4 km'
    >>> format_quantity(parse_quantity("Mach 0.8"))
    'Mach 0.8'
    """
    if unit is not None:
        quantity = convert(quantity, unit)
    if unit_name(quantity) == "dimensionless":
        return f"Mach {format_number(quantity.magnitude, 2)}"
    symbol = f"{quantity.units:~P}"
    return f"{format_number(quantity.magnitude, digits)} {symbol}"
