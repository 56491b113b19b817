"""Quantities on pint's application registry.

weaponsref never builds a :class:`pint.UnitRegistry` and never sets the application registry:
every quantity comes from :func:`pint.get_application_registry`, looked up when a quantity is
first made, so it combines with the user's quantities and honours a registry the user set
before first use.
"""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING, Any

import pint

from .errors import UnitError

if TYPE_CHECKING:
    from typing import TypeAlias

    #: A pint quantity from the application registry.
    Quantity: TypeAlias = pint.Quantity[Any]
else:
    Quantity = pint.Quantity

__all__ = ["Quantity", "as_length", "format_quantity", "parse_quantity", "registry"]

_MACH = re.compile(r"^\s*mach\s*([0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?)\s*$", re.IGNORECASE)


def registry() -> Any:
    """Return pint's application registry (never a registry of our own)."""
    return pint.get_application_registry()  # type: ignore[no-untyped-call]


def make(magnitude: float, unit: str) -> Quantity:
    """A quantity on the application registry, e.g. ``make(757.1, "km")``."""
    quantity: Quantity = registry().Quantity(magnitude, unit)
    return quantity


def is_quantity(value: object) -> bool:
    """Tell whether ``value`` is a pint quantity from any registry."""
    return isinstance(value, pint.Quantity)


def parse_quantity(value: object, *, what: str = "value") -> Quantity:
    """Turn ``"621 mi"``, ``"Mach 0.8"`` or a pint quantity into an application-registry quantity.

    A bare number is refused, because a figure without a unit cannot be cited. ``what`` names
    the thing being parsed in the error message.

    >>> print(parse_quantity("621 mi"))
    621 mile
    >>> parse_quantity("Mach 0.8").magnitude, parse_quantity("Mach 0.8").dimensionless
    (0.8, True)
    """
    ureg = registry()
    if isinstance(value, bool | int | float):
        raise UnitError(
            f"{what} {value!r} has no unit; write it with one, e.g. '{value} km' or '{value} mi'"
        )
    if isinstance(value, pint.Quantity):
        magnitude = value.magnitude
        if not isinstance(magnitude, int | float) or isinstance(magnitude, bool):
            raise UnitError(f"{what} {value!r} must be a single number with a unit, not an array")
        if value._REGISTRY is ureg.get():
            return value
        # A quantity from another registry: rebuild it on ours by its unit's name.
        return make(magnitude, str(value.units))
    if not isinstance(value, str):
        raise UnitError(
            f"{what} must be a string such as '621 mi' or a pint Quantity "
            f"(got {value!r} that is a {type(value).__name__})"
        )
    mach = _MACH.match(value)
    if mach:
        return make(float(mach.group(1)), "dimensionless")
    text = value.strip().replace(",", "")
    try:
        quantity = ureg.Quantity(text)
    except (pint.errors.PintError, ValueError, TypeError, AttributeError, SyntaxError) as error:
        raise UnitError(f"{what} {value!r} is not a quantity pint can read ({error})") from None
    if not isinstance(quantity, pint.Quantity):
        raise UnitError(f"{what} {value!r} has no unit; write it with one, e.g. '500 km'")
    magnitude = quantity.magnitude
    if isinstance(magnitude, bool) or not isinstance(magnitude, int | float):
        raise UnitError(f"{what} {value!r} must be one number with a unit")
    return quantity


def as_length(value: object, *, what: str = "range") -> Quantity:
    """Parse ``value`` like :func:`parse_quantity` and check that it is a finite, positive length."""
    quantity = parse_quantity(value, what=what)
    if not quantity.check("[length]"):
        raise UnitError(
            f"{what} {format_quantity(quantity)!r} is not a length "
            f"(its dimension is {quantity.dimensionality}); give it in km, mi, m or nmi"
        )
    magnitude = float(quantity.magnitude)
    if not math.isfinite(magnitude) or magnitude <= 0:
        raise UnitError(f"{what} {format_quantity(quantity)!r} must be a finite length above zero")
    return quantity


def length_unit(unit: object) -> Any:
    """Check that ``unit`` (e.g. ``"km"``) names a unit of length and return it as a pint Unit."""
    ureg = registry()
    if not isinstance(unit, str) and not isinstance(unit, pint.Unit):
        raise UnitError(f"unit must be a string such as 'km' (got {unit!r})")
    try:
        parsed = ureg.Unit(str(unit).strip())
    except (pint.errors.PintError, ValueError, TypeError, AttributeError, SyntaxError):
        raise UnitError(
            f"unknown unit {unit!r}; use a length unit such as 'km', 'mi' or 'nmi'"
        ) from None
    if parsed.dimensionality != ureg.Unit("m").dimensionality:
        raise UnitError(f"unit {unit!r} is not a length; use 'km', 'mi', 'nmi' or 'm'")
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


def format_quantity(quantity: Quantity, unit: str | None = None, digits: int = 1) -> str:
    """Format a quantity for people: abbreviated unit, ``Mach`` for Mach numbers.

    >>> format_quantity(parse_quantity("621 mi"), "km")
    '999.4 km'
    >>> format_quantity(parse_quantity("Mach 0.8"))
    'Mach 0.8'
    """
    if unit is not None:
        quantity = quantity.to(unit)
    if str(quantity.units) == "dimensionless":
        return f"Mach {format_number(quantity.magnitude, 2)}"
    symbol = f"{quantity.units:~P}"
    return f"{format_number(quantity.magnitude, digits)} {symbol}"
