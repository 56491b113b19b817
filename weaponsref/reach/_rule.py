"""The verdict rule, written once: how a geodesic distance, a published range and the claim's
qualifier give "reaches", "does not reach" or "not established", and when a verdict is close.

The rule is data, :data:`RULE`, and two small pure functions that read it, :func:`verdict`
and :func:`close`. :class:`~weaponsref.Reach` asks them, and the docs site's range explorer
reads the same table (:func:`rule_table`, written into the page when the docs are built) with
``docs/_static/explorer/rule.js``, so that the page and the library cannot disagree.

The steps, the first that holds deciding:

1. ``too near``: nearer than the system's published minimum range, it does not reach;
2. ``within``: within the range (``distance_m <= range_m``), it reaches;
3. ``within band``: when the range is a band's lower end (``use_low``), beyond it but within
   the band's upper end ``upper_m``, it is not established;
4. ``beyond``: as the qualifier says. Beyond a lower bound ("more than", "at least") it is not
   established, since the source says only that the system flies at least that far; beyond
   an upper bound ("up to", "maximum", "only"), a plain, approximate, official or reduced
   figure, or a band, it does not reach. A bare distance (no claim: qualifier None) does not
   reach either.

What the figure measures (the claim's ``basis``) comes before the qualifier: a distance a
system was seen to fly or strike (``"demonstrated"``) is a lower bound, so beyond it nothing
is established; a requirement, goal or planned figure (``"requirement"``) establishes nothing
either way, within it or beyond. The system's own maximum (``"maximum"``) and a reach that
includes a carrier aircraft (``"carrier_reach"``, which the verdict's text names) follow the
qualifier. A step whose bound is not given (no minimum range, no band upper end) is passed
over.

``close``: a figure decides a verdict by less than its own precision, ``abs(range_m -
distance_m) <= rounding_m``, where ``rounding_m`` is half the place value of the figure's last
significant digit (:func:`rounding_m`), whatever its qualifier ("up to 300 km" is given to
the nearest 50 km as much as "about 300 km" is). A published minimum range is a figure too:
a target within its rounding of the minimum range (``abs(distance_m - minimum_m) <=
minimum_rounding_m``) is close as well, on either side of it. The reader should treat such a
verdict as too close to call. A bare distance, and a minimum range given by hand, are never
close.

Only the standard library, :mod:`weaponsref.records` and :mod:`weaponsref.errors` are imported
here: the rule stands below everything else in :mod:`weaponsref.reach`.

>>> verdict(381_300.0, 250_000.0, "more than")
'not established'
>>> verdict(50_000.0, 500_000.0, "up to", minimum_m=100_000.0)
'does not reach'
>>> close(1_100_000.0, 1_000_000.0, rounding_m("about", 1000, 1000.0))
True
>>> close(62_000.0, 499_000.0, 500.0, minimum_m=60_000.0, minimum_rounding=5_000.0)
True
"""

from __future__ import annotations

import copy
import math
import numbers
from typing import Any, Final, NamedTuple

from weaponsref.errors import ArgumentError, ArgumentValueError
from weaponsref.records import LOWER_BOUNDS, QUALIFIERS, UPPER_BOUNDS

#: The three outcomes of a verdict, :attr:`~weaponsref.Reach.status`.
REACHES: Final = "reaches"
DOES_NOT_REACH: Final = "does not reach"
NOT_ESTABLISHED: Final = "not established"
STATUSES: Final = (REACHES, DOES_NOT_REACH, NOT_ESTABLISHED)

#: The one qualifier whose claim has a lower end as well as an upper one.
BAND: Final = "band"

#: What a claim's figure may measure (its ``basis``), and the statuses a basis gives in
#: place of the step's or the qualifier's: within the figure (``within``) and beyond it
#: (``beyond``); None keeps them.
_BASES: Final[dict[str, dict[str, str | None]]] = {
    "maximum": {"within": None, "beyond": None},
    "carrier_reach": {"within": None, "beyond": None},
    "demonstrated": {"within": None, "beyond": NOT_ESTABLISHED},
    "requirement": {"within": NOT_ESTABLISHED, "beyond": NOT_ESTABLISHED},
}
#: The basis of a claim that says nothing else: the system's own maximum.
DEFAULT_BASIS: Final = "maximum"

#: What a qualifier's kind of bound means beyond the figure, and whether the figure's own
#: rounding can make a verdict close: every published figure is rounded as its source wrote
#: it, bounds too.
_BY_BOUND: Final[dict[str | None, tuple[str, bool]]] = {
    "lower": (NOT_ESTABLISHED, True),
    "upper": (DOES_NOT_REACH, True),
    None: (DOES_NOT_REACH, True),
}


def _bound(qualifier: str) -> str | None:
    if qualifier in LOWER_BOUNDS:
        return "lower"
    if qualifier in UPPER_BOUNDS:
        return "upper"
    return None


def _entry(bound: str | None, *, band: bool = False) -> dict[str, Any]:
    beyond, rounded = _BY_BOUND[bound]
    return {"bound": bound, "beyond": beyond, "rounded": rounded, "band": band}


#: The rule as data, JSON-ready. ``values`` names the numbers a verdict reads (all metres;
#: ``minimum_m`` and ``upper_m`` may be None); ``steps`` are tried in order, each comparing
#: ``when`` with ``than`` by ``is`` and, if that holds, giving ``status`` (a step whose
#: ``than`` is None is passed over); if none holds, the qualifier's ``beyond`` status is the
#: verdict. ``qualifiers`` holds, for each qualifier of :data:`weaponsref.records.QUALIFIERS`,
#: its kind of bound, its ``beyond`` status, whether its rounding can make a verdict close
#: (``rounded``) and whether it is a band (the only qualifier that takes ``upper_m``);
#: ``bare`` is the same for a bare distance. ``close`` lists the close tests, in order, the
#: first that holds naming the ``edge`` a verdict is close to and, in ``text``, what the
#: verdict is inside, as its sentence says it before the rounding ("close: inside the
#: figure's own rounding"): ``margin_m`` is ``abs(range_m - distance_m)`` and
#: ``minimum_margin_m`` is ``abs(distance_m - minimum_m)``; a test with a value of None is
#: passed over.
RULE: Final[dict[str, Any]] = {
    "statuses": list(STATUSES),
    "values": ["distance_m", "range_m", "minimum_m", "upper_m"],
    "steps": [
        {"name": "too near", "when": "distance_m", "is": "<", "than": "minimum_m",
         "status": DOES_NOT_REACH},
        {"name": "within", "when": "distance_m", "is": "<=", "than": "range_m",
         "status": REACHES},
        {"name": "within band", "when": "distance_m", "is": "<=", "than": "upper_m",
         "status": NOT_ESTABLISHED},
    ],
    "beyond": "beyond",
    "qualifiers": {q: _entry(_bound(q), band=q == BAND) for q in QUALIFIERS},
    "bases": _BASES,
    "default_basis": DEFAULT_BASIS,
    "bare": _entry(None) | {"rounded": False},
    "close": [
        {"edge": "range", "when": "margin_m", "is": "<=", "than": "rounding_m",
         "text": "close: inside the figure's own rounding"},
        {"edge": "minimum range", "when": "minimum_margin_m", "is": "<=",
         "than": "minimum_rounding_m", "text": "close: inside the minimum range's own rounding"},
    ],
}  # fmt: skip

#: The comparisons a step or the close test may name.
_OPERATORS: Final = {"<": float.__lt__, "<=": float.__le__}


def rule_table() -> dict[str, Any]:
    """The verdict rule as JSON-ready data, a fresh copy each call: the table that
    :func:`verdict` reads, for the docs site's range explorer, whose script decides every
    verdict by reading it too.

    ``steps`` are tried in order, each comparing the value named ``when`` with the one named
    ``than`` by ``is`` (``"<"`` or ``"<="``) and, if that holds, giving ``status``; a step
    whose ``than`` value is None is passed over. If none holds, the qualifier's entry in
    ``qualifiers`` (``bare`` for a bare distance) gives the ``beyond`` status. ``close`` lists
    the close tests, each naming its ``edge``: ``margin_m`` is the absolute difference of
    range and distance, ``minimum_margin_m`` that of distance and minimum range.

    >>> import json
    >>> table = rule_table()
    >>> table["qualifiers"]["more than"]["beyond"], table["bare"]["beyond"]
    ('not established', 'does not reach')
    >>> json.loads(json.dumps(table)) == table
    True
    """
    return copy.deepcopy(RULE)


def _length(name: str, value: object) -> float:
    """``value`` as a float, checked: a finite real number of metres, not below zero."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ArgumentError(
            f"{name} must be a number of metres (got {value!r:.40} that is a "
            f"{type(value).__name__})"
        )
    metres = float(value)
    if not math.isfinite(metres) or metres < 0:
        raise ArgumentValueError(
            f"{name} must be a finite number of metres, zero or more (got {value!r:.40})"
        )
    return metres


def _optional_length(name: str, value: object) -> float | None:
    """:func:`_length`, or None for None."""
    return None if value is None else _length(name, value)


def _entry_for(qualifier: object) -> dict[str, Any]:
    """The table's entry for ``qualifier`` (None for a bare distance), or an error."""
    if qualifier is None:
        entry: dict[str, Any] = RULE["bare"]
        return entry
    if not isinstance(qualifier, str):
        raise ArgumentError(
            f"qualifier must be a str such as 'up to', or None for a bare distance (got "
            f"{qualifier!r:.40} that is a {type(qualifier).__name__})"
        )
    found: dict[str, Any] | None = RULE["qualifiers"].get(qualifier)
    if found is None:
        raise ArgumentValueError(
            f"qualifier {qualifier!r:.40} is not one of {', '.join(map(repr, QUALIFIERS))}; "
            "give one of those, or None for a bare distance"
        )
    return found


def _basis_entry(basis: object) -> dict[str, str | None]:
    if not isinstance(basis, str):
        raise ArgumentError(
            f"basis must be a str such as 'maximum' (got {basis!r:.40} that is a "
            f"{type(basis).__name__})"
        )
    found = RULE["bases"].get(basis)
    if found is None:
        raise ArgumentValueError(
            f"basis {basis!r:.40} is not one of {', '.join(map(repr, RULE['bases']))}"
        )
    entry: dict[str, str | None] = found
    return entry


def decide(
    distance_m: float,
    range_m: float,
    qualifier: str | None,
    minimum_m: float | None = None,
    *,
    upper_m: float | None = None,
    basis: str = DEFAULT_BASIS,
) -> tuple[str, str]:
    """The verdict and the name of the step of :data:`RULE` that gave it (``"too near"``,
    ``"within"``, ``"within band"`` or ``"beyond"``); see :func:`verdict`."""
    entry = _entry_for(qualifier)
    by_basis = _basis_entry(basis)
    values = {
        "distance_m": _length("distance_m", distance_m),
        "range_m": _length("range_m", range_m),
        "minimum_m": _optional_length("minimum_m", minimum_m),
        "upper_m": _optional_length("upper_m", upper_m),
    }
    if upper_m is not None and not entry["band"]:
        raise ArgumentValueError(
            f"upper_m is only for a band's lower end (qualifier {BAND!r}), not for "
            f"qualifier {qualifier!r:.40}; leave it None"
        )
    for step in RULE["steps"]:
        than = values[step["than"]]
        when = values[step["when"]]
        if than is not None and when is not None and _OPERATORS[step["is"]](when, than):
            status = by_basis.get(step["name"]) or step["status"]
            return status, step["name"]
    return by_basis["beyond"] or entry["beyond"], RULE["beyond"]


def verdict(
    distance_m: float,
    range_m: float,
    qualifier: str | None,
    minimum_m: float | None = None,
    *,
    upper_m: float | None = None,
    basis: str = DEFAULT_BASIS,
) -> str:
    """``"reaches"``, ``"does not reach"`` or ``"not established"``: the library's one verdict
    rule (:func:`rule_table`), as :attr:`Reach.status <weaponsref.reach.Reach.status>` gives
    it, for a target ``distance_m`` away, a range of ``range_m``
    published with ``qualifier`` (None for a bare distance, with no claim) and the system's
    published minimum range ``minimum_m`` (None when it has none). When ``range_m`` is a
    band's lower end, ``upper_m`` is the band's upper end. All in metres. ``basis`` is what
    the figure measures: beyond a ``"demonstrated"`` distance nothing is established, and a
    ``"requirement"`` establishes nothing within or beyond it.

    Nearer than the minimum range it does not reach; within the range it reaches; beyond a
    band's lower end but within its upper end it is not established; beyond the range, a
    lower bound ("more than", "at least") is not established and anything else does not
    reach.

    Raises :class:`~weaponsref.errors.ArgumentError` for a value of the wrong type, and
    :class:`~weaponsref.errors.ArgumentValueError` for a negative or non-finite length, an
    unknown qualifier, or ``upper_m`` with a qualifier other than ``"band"``.

    >>> verdict(757_104.0, 999_363.0, "up to")
    'reaches'
    >>> verdict(1_200_000.0, 999_363.0, "up to"), verdict(1_200_000.0, 999_363.0, "at least")
    ('does not reach', 'not established')
    >>> verdict(60_000.0, 15_000.0, "band", upper_m=84_000.0)
    'not established'
    >>> verdict(301_300.0, 280_000.0, "stated", basis="demonstrated")
    'not established'
    >>> verdict(100_000.0, 499_000.0, "stated", basis="requirement")
    'not established'
    """
    return decide(distance_m, range_m, qualifier, minimum_m, upper_m=upper_m, basis=basis)[0]


def half_last_place(magnitude: float) -> float:
    """Half the place value of the last significant digit of a figure as the source wrote it:
    1000 -> 500, 621 -> 0.5, 0.8 -> 0.05, 1170 -> 5.

    Raises :class:`~weaponsref.errors.ArgumentError` for a value that is not a real number,
    and :class:`~weaponsref.errors.ArgumentValueError` for a non-finite one.

    >>> half_last_place(1000), half_last_place(621), half_last_place(0.8), half_last_place(1170)
    (500.0, 0.5, 0.05, 5.0)
    """
    if isinstance(magnitude, bool) or not isinstance(magnitude, numbers.Real):
        raise ArgumentError(
            f"magnitude must be a number as the source wrote it (got {magnitude!r:.40} that "
            f"is a {type(magnitude).__name__})"
        )
    if not math.isfinite(magnitude):
        raise ArgumentValueError(f"magnitude must be a finite number (got {magnitude!r:.40})")
    if isinstance(magnitude, int) or float(magnitude).is_integer():
        number = abs(int(magnitude))
        place = 1
        while number and number % 10 == 0:
            number //= 10
            place *= 10
        return place / 2
    decimals = len(repr(float(magnitude)).split(".")[1].rstrip("0") or "0")
    return 0.5 * 10.0**-decimals


def rounding_m(qualifier: str | None, magnitude: float, unit_m: float) -> float | None:
    """How far a figure may be from the true value by rounding alone, in metres: half the
    place value of its last significant digit (:func:`half_last_place` of ``magnitude``, the
    number as the source wrote it) times ``unit_m``, the metres in the source's unit, whatever
    the qualifier. None for a bare distance (qualifier None), which is never close.

    Raises :class:`~weaponsref.errors.ArgumentError` for a value of the wrong type, and
    :class:`~weaponsref.errors.ArgumentValueError` for an unknown qualifier, a negative or
    non-finite ``unit_m`` or a non-finite ``magnitude``.

    >>> rounding_m("about", 1000, 1000.0), rounding_m("up to", 621, 1609.344)
    (500000.0, 804.672)
    """
    entry = _entry_for(qualifier)
    unit = _length("unit_m", unit_m)
    if not entry["rounded"]:
        return None
    return half_last_place(magnitude) * unit


class Closeness(NamedTuple):
    """Which figure a verdict is close to (see :func:`close_by`): its ``edge`` (``"range"``
    or ``"minimum range"``), what the verdict is inside in words (``text``, the rule table's)
    and that figure's rounding in metres (``rounding_m``)."""

    edge: str
    text: str
    rounding_m: float


def close(
    distance_m: float,
    range_m: float,
    rounding: float | None,
    *,
    minimum_m: float | None = None,
    minimum_rounding: float | None = None,
) -> bool:
    """Whether a verdict is decided by less than a figure's own rounding: the range's
    (``rounding``, in metres, see :func:`rounding_m`), ``abs(range_m - distance_m) <=
    rounding``, or a published minimum range's (``minimum_m`` and its ``minimum_rounding``),
    ``abs(distance_m - minimum_m) <= minimum_rounding``. A rounding of None is never close.
    :func:`close_by` says which.

    Raises :class:`~weaponsref.errors.ArgumentError` for a value of the wrong type, and
    :class:`~weaponsref.errors.ArgumentValueError` for a negative or non-finite length.

    >>> close(757_104.0, 1_000_000.0, 500_000.0), close(757_104.0, 1_000_000.0, None)
    (True, False)
    >>> close(58_000.0, 499_000.0, 500.0, minimum_m=60_000.0, minimum_rounding=5_000.0)
    True
    """
    found = close_by(
        distance_m, range_m, rounding, minimum_m=minimum_m, minimum_rounding=minimum_rounding
    )
    return found is not None


def close_by(
    distance_m: float,
    range_m: float,
    rounding: float | None,
    *,
    minimum_m: float | None = None,
    minimum_rounding: float | None = None,
) -> Closeness | None:
    """Which figure a verdict is close to (see :func:`close`), by the rule table's close
    tests in order (the range first): a :class:`Closeness` naming the edge, its words and
    the rounding of that figure, or None when it is close to neither.

    >>> close_by(301_300.0, 300_000.0, 500.0), close_by(290_000.0, 300_000.0, 500.0)
    (None, None)
    >>> close_by(62_000.0, 499_000.0, 500.0, minimum_m=60_000.0, minimum_rounding=5_000.0)
    Closeness(edge='minimum range', text="close: inside the minimum range's own rounding", rounding_m=5000.0)
    """
    distance = _length("distance_m", distance_m)
    minimum = _optional_length("minimum_m", minimum_m)
    values = {
        "margin_m": abs(_length("range_m", range_m) - distance),
        "rounding_m": _optional_length("rounding", rounding),
        "minimum_margin_m": None if minimum is None else abs(distance - minimum),
        "minimum_rounding_m": _optional_length("minimum_rounding", minimum_rounding),
    }
    for test in RULE["close"]:
        when, than = values[test["when"]], values[test["than"]]
        if when is not None and than is not None and _OPERATORS[test["is"]](when, than):
            return Closeness(test["edge"], test["text"], than)
    return None
