"""The verdict rule written once (weaponsref/reach/_rule.py): the same answers as Reach for
every claim of the built-in catalogue, at and around the range, a band's ends and a minimum
range; the same answers as a hand-written table for every qualifier; and a rule module that
stands below the rest of weaponsref.reach.

``_status_as_written`` is Reach.status as it was written before the rule became a table
(commit 9a3ec59), kept as an oracle that does not read the table: once Reach asks the rule,
comparing with Reach alone could no longer fail.
"""

from __future__ import annotations

import ast
import json
import math
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from helpers import far_only, load_text, north_of

import weaponsref as wr
from weaponsref import _units
from weaponsref.errors import ArgumentError, ArgumentValueError
from weaponsref.reach import _rule, minimum_claim_for
from weaponsref.records import LOWER_BOUNDS, QUALIFIERS, Claim

RULE_FILE = Path(_rule.__file__)
REACHES, DOES_NOT_REACH, NOT_ESTABLISHED = "reaches", "does not reach", "not established"
HERE = wr.Point(0.0, 0.0)
#: The rule module, untyped: for calls with arguments of the wrong type.
LOOSE: Any = _rule
#: Catalogue figures a verdict can use (Reach refuses the others).
REACH_FIGURES = ("range", "radius_of_action")

#: Beyond the figure, by qualifier, as the user guide and Reach's docstring say it in words:
#: a lower bound is not established, everything else does not reach. Written out, not derived
#: from records.LOWER_BOUNDS, so that a new qualifier has to be decided here too.
BEYOND = {
    "up to": DOES_NOT_REACH,
    "about": DOES_NOT_REACH,
    "more than": NOT_ESTABLISHED,
    "at least": NOT_ESTABLISHED,
    "only": DOES_NOT_REACH,
    "maximum": DOES_NOT_REACH,
    "official": DOES_NOT_REACH,
    "reduced": DOES_NOT_REACH,
    "band": DOES_NOT_REACH,
    "stated": DOES_NOT_REACH,
}
#: Whether a figure's own rounding can make a verdict close: not for a bound.
# Every published figure is rounded as its source wrote it, bounds too ("close applies to
# every qualifier": "up to 300 km" is given to the nearest 50 km as much as "about 300 km").
ROUNDED = {
    "up to": True,
    "about": True,
    "more than": True,
    "at least": True,
    "only": True,
    "maximum": True,
    "official": True,
    "reduced": True,
    "band": True,
    "stated": True,
}


def _status_as_written(
    distance_m: float, range_m: float, claim: Claim | None, use_low: bool, minimum_m: float | None
) -> str:
    """Reach.status before the rule table (commit 9a3ec59), line for line, with what a
    figure measures added: a requirement establishes nothing, and beyond a demonstrated
    distance nothing is established."""
    if minimum_m is not None and distance_m < minimum_m:
        return DOES_NOT_REACH
    if claim is not None and claim.basis == "requirement":
        return NOT_ESTABLISHED
    if distance_m <= range_m:
        return REACHES
    if claim is None:
        return DOES_NOT_REACH
    if claim.basis == "demonstrated":
        return NOT_ESTABLISHED
    if use_low and claim.low_metres is not None:
        upper = claim.metres
        return NOT_ESTABLISHED if distance_m <= upper else DOES_NOT_REACH
    if claim.qualifier in LOWER_BOUNDS:
        return NOT_ESTABLISHED
    return DOES_NOT_REACH


def _around(*metres: float) -> list[float]:
    """Each length, the floats next to it, a metre either side, and half and twice it."""
    found = {0.0}
    for m in metres:
        found |= {
            m,
            math.nextafter(m, 0.0),
            math.nextafter(m, math.inf),
            m - 1.0,
            m + 1.0,
            m / 2,
            m * 2,
        }
    return sorted(d for d in found if d >= 0.0)


def _unit_m(quantity: Any) -> float:
    """Metres in the quantity's unit, as Reach.rounding_m converts it."""
    return float(_units.make(1, str(quantity.units)).m_as("m"))


def _cases() -> Iterator[tuple[Any, Claim, bool]]:
    """Every (system, claim, use_low) of the built-in catalogue a verdict can use."""
    for system in wr.systems():
        for claim in system.claims:
            if claim.figure in REACH_FIGURES:
                yield system, claim, False
                if claim.low is not None:
                    yield system, claim, True


def test_every_claim_of_the_catalogue_gets_reach_s_answers() -> None:
    checked = 0
    qualifiers = set()
    for system, claim, use_low in _cases():
        range_m = claim.low_metres if use_low else claim.metres
        assert range_m is not None
        upper_m = claim.metres if use_low else None
        published = wr.reaches(system, HERE, HERE, claim=claim).min_range_m
        minimums = {published, None, 0.4 * range_m, range_m, 1.3 * range_m}
        value = claim.low if use_low and claim.low is not None else claim.value
        rounding = _rule.rounding_m(claim.qualifier, value.magnitude, _unit_m(value))
        said = minimum_claim_for(system, claim)
        for minimum in minimums:
            # The published minimum range's own rounding counts only for the published one,
            # not for one set by hand.
            minimum_rounding = (
                _rule.rounding_m(said.qualifier, said.value.magnitude, _unit_m(said.value))
                if said is not None and minimum == said.metres
                else None
            )
            lengths = [range_m, *(x for x in (minimum, upper_m) if x is not None)]
            for distance in _around(*lengths):
                reach = wr.Reach(
                    system,
                    claim,
                    HERE,
                    HERE,
                    distance_m=distance,
                    range_m=range_m,
                    use_low=use_low,
                    min_range_m=minimum,
                )
                expected = _status_as_written(distance, range_m, claim, use_low, minimum)
                status = _rule.verdict(
                    distance, range_m, claim.qualifier, minimum, upper_m=upper_m, basis=claim.basis
                )
                assert status == reach.status == expected, (system.id, str(claim), distance)
                assert rounding == reach.rounding_m, (system.id, str(claim))
                assert reach.minimum_rounding_m == minimum_rounding
                assert (
                    _rule.close(
                        distance,
                        range_m,
                        rounding,
                        minimum_m=minimum,
                        minimum_rounding=minimum_rounding,
                    )
                    is reach.close
                )
                checked += 1
        qualifiers.add(claim.qualifier)
    assert checked > 5_000
    assert qualifiers == set(QUALIFIERS)  # the catalogue has no "at least"


def test_a_bare_distance_gets_reach_s_answers() -> None:
    range_m = 500_000.0
    for distance in _around(range_m):
        reach = wr.Reach(None, None, HERE, HERE, distance_m=distance, range_m=range_m)
        expected = _status_as_written(distance, range_m, None, False, None)
        assert _rule.verdict(distance, range_m, None) == reach.status == expected
        assert reach.rounding_m is None
        assert _rule.rounding_m(None, 500, 1000.0) is None
        assert _rule.close(distance, range_m, None) is reach.close is False


def _targets(range_m: float) -> Iterator[tuple[float, float]]:
    """Points north of (0, 0) at half, just inside and just beyond ``range_m`` (GeographicLib)."""
    from geographiclib.geodesic import Geodesic

    for metres in (range_m / 2, range_m - 1_000.0, range_m + 1_000.0):
        line = Geodesic.WGS84.Direct(0.0, 0.0, 0.0, metres)
        yield line["lat2"], line["lon2"]


def test_reaches_on_the_globe_agrees_with_the_rule() -> None:
    """wr.reaches itself, for every claim, at geodesic distances around its range."""
    for system, claim, use_low in _cases():
        range_m = claim.low_metres if use_low else claim.metres
        assert range_m is not None
        for target in _targets(range_m):
            reach = wr.reaches(system, (0.0, 0.0), target, claim=claim, use_low=use_low)
            status = _rule.verdict(
                reach.distance_m,
                reach.range_m,
                claim.qualifier,
                reach.min_range_m,
                upper_m=claim.metres if use_low else None,
                basis=claim.basis,
            )
            assert status == reach.status, (system.id, str(claim), target)


def test_a_published_minimum_range_on_the_globe(tmp_path: Path) -> None:
    mine = load_text(tmp_path, far_only("more than"), builtin=False)
    expected = {50: DOES_NOT_REACH, 99.9: DOES_NOT_REACH, 100.1: REACHES, 499: REACHES}
    expected |= {501: NOT_ESTABLISHED}  # beyond "more than 500 km"
    for km, status in expected.items():
        reach = wr.reaches("Far Only", (10.0, 20.0), north_of(10.0, 20.0, km), catalogue=mine)
        assert reach.min_range_m == 100_000.0
        assert reach.status == status
        ruled = _rule.verdict(reach.distance_m, reach.range_m, "more than", reach.min_range_m)
        assert ruled == status


@pytest.mark.parametrize("qualifier", QUALIFIERS)
def test_every_qualifier_by_hand(qualifier: str) -> None:
    """On, just inside and just beyond a 300 km range, and inside a 50 km minimum."""
    r = 300_000.0
    assert _rule.verdict(r, r, qualifier) == REACHES
    assert _rule.verdict(math.nextafter(r, 0.0), r, qualifier) == REACHES
    assert _rule.verdict(math.nextafter(r, math.inf), r, qualifier) == BEYOND[qualifier]
    assert _rule.verdict(r + 1.0, r, qualifier) == BEYOND[qualifier]
    assert _rule.verdict(49_999.0, r, qualifier, 50_000.0) == DOES_NOT_REACH
    assert _rule.decide(49_999.0, r, qualifier, 50_000.0) == (DOES_NOT_REACH, "too near")
    assert _rule.verdict(50_000.0, r, qualifier, 50_000.0) == REACHES  # at the minimum
    # "about 300 km" is +-50 km; "up to 300 km" is a bound, never close.
    rounding = _rule.rounding_m(qualifier, 300, 1000.0)
    assert rounding == (50_000.0 if ROUNDED[qualifier] else None)
    assert _rule.close(349_000.0, r, rounding) is ROUNDED[qualifier]
    assert _rule.close(351_000.0, r, rounding) is False


def test_the_hand_tables_cover_every_qualifier() -> None:
    assert set(BEYOND) == set(ROUNDED) == set(QUALIFIERS)
    table = _rule.rule_table()
    assert {q: e["beyond"] for q, e in table["qualifiers"].items()} == BEYOND
    assert {q: e["rounded"] for q, e in table["qualifiers"].items()} == ROUNDED
    assert table["bare"]["beyond"] == DOES_NOT_REACH and table["bare"]["rounded"] is False


def test_a_band_s_lower_end() -> None:
    """GMLRS "15 – 84 km" with use_low: within 15 km it reaches; between the ends it is not
    established; beyond 84 km it does not reach."""
    low, high = 15_000.0, 84_000.0
    assert _rule.decide(15_000.0, low, "band", upper_m=high) == (REACHES, "within")
    assert _rule.decide(50_000.0, low, "band", upper_m=high) == (NOT_ESTABLISHED, "within band")
    assert _rule.decide(84_000.0, low, "band", upper_m=high) == (NOT_ESTABLISHED, "within band")
    assert _rule.decide(84_001.0, low, "band", upper_m=high) == (DOES_NOT_REACH, "beyond")
    assert _rule.verdict(50_000.0, high, "band") == REACHES  # the upper end, without use_low


def test_half_last_place_by_hand() -> None:
    cases = {1000: 500.0, 621: 0.5, 0.8: 0.05, 1170: 5.0, 2.25: 0.005, 300: 50.0, 7: 0.5}
    assert {m: _rule.half_last_place(m) for m in cases} == cases
    # "621 mi" is +-0.5 mi: 0.5 * 1609.344 m (the international mile, by definition).
    assert _rule.rounding_m("stated", 621, 1609.344) == 0.5 * 1609.344


def test_the_table_is_json_and_a_copy() -> None:
    table = _rule.rule_table()
    assert json.loads(json.dumps(table, allow_nan=False)) == table
    assert table["statuses"] == list(wr.reach.STATUSES)
    table["qualifiers"]["about"]["beyond"] = REACHES
    table["steps"].clear()
    assert _rule.verdict(400_000.0, 300_000.0, "about") == DOES_NOT_REACH
    assert _rule.rule_table()["qualifiers"]["about"]["beyond"] == DOES_NOT_REACH


@pytest.mark.parametrize(
    ("call", "error", "named"),
    [
        (lambda: LOOSE.verdict("1 km", 1.0, "up to"), ArgumentError, "'1 km'"),
        (lambda: LOOSE.verdict(True, 1.0, "up to"), ArgumentError, "True"),
        (lambda: LOOSE.verdict(1.0, None, "up to"), ArgumentError, "range_m"),
        (lambda: LOOSE.verdict(1.0, 1.0, 5), ArgumentError, "qualifier"),
        (lambda: LOOSE.verdict(1.0, 1.0, "up to", "9"), ArgumentError, "minimum_m"),
        (lambda: _rule.verdict(math.nan, 1.0, "up to"), ArgumentValueError, "nan"),
        (lambda: _rule.verdict(-1.0, 1.0, "up to"), ArgumentValueError, "-1.0"),
        (lambda: _rule.verdict(1.0, math.inf, "up to"), ArgumentValueError, "inf"),
        (lambda: _rule.verdict(1.0, 1.0, "roughly"), ArgumentValueError, "'roughly'"),
        (lambda: _rule.verdict(1.0, 1.0, "up to", upper_m=2.0), ArgumentValueError, "band"),
        (lambda: _rule.rounding_m("about", math.inf, 1.0), ArgumentValueError, "inf"),
        (lambda: LOOSE.rounding_m("about", "1", 1.0), ArgumentError, "'1'"),
        (lambda: _rule.close(1.0, 1.0, -2.0), ArgumentValueError, "-2.0"),
        (lambda: _rule.verdict(1.0, 1.0, "x" * 10_000), ArgumentValueError, "xxx"),
    ],
)
def test_bad_arguments_say_what_is_wrong(call: Any, error: type[Exception], named: str) -> None:
    with pytest.raises(error) as raised:
        call()
    assert named in str(raised.value)
    assert len(str(raised.value)) < 400  # a huge argument is not echoed whole


def test_numpy_numbers_are_lengths() -> None:
    np = pytest.importorskip("numpy")
    assert _rule.verdict(np.float64(2.0), np.float32(1.0), "more than") == NOT_ESTABLISHED
    assert _rule.verdict(np.int64(1), 1, "up to", np.float64(0.5)) == REACHES


def test_the_rule_stands_below_the_rest_of_reach() -> None:
    """Only the standard library, weaponsref.records and weaponsref.errors are imported."""
    tree = ast.parse(RULE_FILE.read_text(encoding="utf-8"))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, "absolute imports only"
            imported.add(node.module or "")
    ours = {name for name in imported if name.split(".")[0] == "weaponsref"}
    assert ours == {"weaponsref.records", "weaponsref.errors"}
    others = {name.split(".")[0] for name in imported - ours}
    assert others <= set(sys.stdlib_module_names) | {"__future__"}, others


@pytest.mark.parametrize(
    ("basis", "within", "beyond"),
    [
        ("maximum", REACHES, DOES_NOT_REACH),
        ("carrier_reach", REACHES, DOES_NOT_REACH),
        ("demonstrated", REACHES, NOT_ESTABLISHED),
        ("requirement", NOT_ESTABLISHED, NOT_ESTABLISHED),
    ],
)
def test_what_a_figure_measures_comes_before_its_qualifier(
    basis: str, within: str, beyond: str
) -> None:
    """A distance flown is a lower bound; a requirement establishes nothing; a maximum or a
    carrier's reach follow the qualifier. Too near is too near whatever the basis."""
    for qualifier in ("stated", "up to", "about"):
        assert _rule.verdict(200_000.0, 280_000.0, qualifier, basis=basis) == within
        assert _rule.verdict(301_300.0, 280_000.0, qualifier, basis=basis) == beyond
    assert _rule.verdict(301_300.0, 280_000.0, "more than", basis=basis) == NOT_ESTABLISHED
    assert _rule.verdict(5_000.0, 280_000.0, "up to", 10_000.0, basis=basis) == DOES_NOT_REACH


def test_an_unknown_basis_is_refused() -> None:
    with pytest.raises(wr.ArgumentValueError, match="basis 'guess'"):
        _rule.verdict(1.0, 2.0, "stated", basis="guess")
    with pytest.raises(wr.ArgumentError, match="basis must be a str"):
        _rule.verdict(1.0, 2.0, "stated", basis=3)  # type: ignore[arg-type]
