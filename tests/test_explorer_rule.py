"""The explorer's verdicts come from the library's rule table, read by the page's rule.js:
the same cases through weaponsref.reach's rule in Python and through rule.js in node give the
same status, deciding step and close flag, and refuse the same bad input.

The cases cover every qualifier and a bare distance, on, just inside and just outside the
range, inside, on and outside a published minimum range, and a band's lower end. Skipped only
when ``node`` is not installed.
"""

from __future__ import annotations

import json
import math
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from weaponsref.reach import _rule
from weaponsref.records import QUALIFIERS

ROOT = Path(__file__).resolve().parent.parent
RULE_JS = ROOT / "docs" / "_static" / "explorer" / "rule.js"
EXPLORER_JS = ROOT / "docs" / "_static" / "explorer" / "explorer.js"

# Reads {"table", "cases"} from stdin; writes one result a case: [status, step, close], close
# being null or [edge, text, rounding], or ["error", message].
NODE_SCRIPT = """
const rule = require(process.argv[1]);
let input = "";
process.stdin.on("data", (chunk) => { input += chunk; });
process.stdin.on("end", () => {
  const { table, cases } = JSON.parse(input);
  const out = cases.map((c) => {
    try {
      const decided = rule.decide(table, c.distance_m, c.range_m, c.qualifier, c.minimum_m, c.upper_m, c.basis);
      const status = rule.verdict(table, c.distance_m, c.range_m, c.qualifier, c.minimum_m, c.upper_m, c.basis);
      if (status !== decided.status) throw new Error("verdict and decide disagree");
      const args = [table, c.distance_m, c.range_m, c.rounding, c.minimum_m, c.minimum_rounding];
      const by = rule.closeBy(...args);
      if (rule.close(...args) !== (by !== null)) throw new Error("close and closeBy disagree");
      return [decided.status, decided.step, by && [by.edge, by.text, by.rounding]];
    } catch (error) {
      return ["error", String(error.message)];
    }
  });
  process.stdout.write(JSON.stringify(out));
});
"""


def _case(
    distance: float,
    range_m: float,
    qualifier: str | None,
    minimum: float | None = None,
    upper: float | None = None,
    rounding: float | None = None,
    basis: str = _rule.DEFAULT_BASIS,
    minimum_rounding: float | None = None,
) -> dict[str, Any]:
    return {
        "minimum_rounding": minimum_rounding,
        "distance_m": distance,
        "range_m": range_m,
        "qualifier": qualifier,
        "minimum_m": minimum,
        "upper_m": upper,
        "rounding": rounding,
        "basis": basis,
    }


def _cases() -> list[dict[str, Any]]:
    r, minimum = 300_000.0, 40_000.0
    below, above = math.nextafter(r, 0.0), math.nextafter(r, math.inf)
    cases = []
    for qualifier in (*QUALIFIERS, None):
        rounding = _rule.rounding_m(qualifier, 300, 1000.0)
        for distance in (0.0, below, r - 1.0, r, above, r + 1.0, 349_000.0, 351_000.0, 2 * r):
            cases.append(_case(distance, r, qualifier, rounding=rounding))
            cases.append(_case(distance, r, qualifier, minimum, rounding=rounding))
        for distance in (0.0, 39_999.0, math.nextafter(minimum, 0.0), minimum, 40_001.0):
            cases.append(_case(distance, r, qualifier, minimum, rounding=rounding))
        # Close to a minimum range given as "40 km" (±5 km): on, inside and outside its
        # rounding, on both sides of it.
        for distance in (34_999.0, 35_000.0, 39_000.0, 45_000.0, 45_001.0, 60_000.0):
            cases.append(
                _case(distance, r, qualifier, minimum, rounding=rounding, minimum_rounding=5e3)
            )
    # What the figure measures, for every qualifier: on, inside and beyond the figure, and
    # inside a minimum range.
    for basis in _rule.rule_table()["bases"]:
        for qualifier in QUALIFIERS:
            for distance in (10_000.0, r - 1.0, r, r + 1.0, 2 * r):
                cases.append(_case(distance, r, qualifier, minimum, basis=basis))
    # A band's lower end (use_low): 15 km of "15 - 84 km".
    for distance in (14_000.0, 15_000.0, 15_001.0, 84_000.0, math.nextafter(84_000.0, 1e9)):
        cases.append(_case(distance, 15_000.0, "band", upper=84_000.0, rounding=500.0))
        cases.append(_case(distance, 15_000.0, "band", 20_000.0, 84_000.0))
    # What both refuse.
    cases += [
        _case(1.0, 1.0, "roughly"),
        _case(1.0, 1.0, "up to", upper=2.0),
        _case(-1.0, 1.0, "up to"),
        _case(1.0, -1.0, "about"),
        _case(1.0, 1.0, "about", minimum=-5.0),
        _case(1.0, 1.0, "about", rounding=-5.0),
        _case(1.0, 1.0, "about", minimum=0.5, minimum_rounding=-5.0),
        _case(1.0, 1.0, "about", basis="guess"),
    ]
    return cases


def _python(case: dict[str, Any]) -> list[Any]:
    try:
        status, step = _rule.decide(
            case["distance_m"],
            case["range_m"],
            case["qualifier"],
            case["minimum_m"],
            upper_m=case["upper_m"],
            basis=case["basis"],
        )
        close = _rule.close_by(
            case["distance_m"],
            case["range_m"],
            case["rounding"],
            minimum_m=case["minimum_m"],
            minimum_rounding=case["minimum_rounding"],
        )
    except (TypeError, ValueError) as error:
        return ["error", str(error)]
    if close is None:
        return [status, step, None]
    # The rounding is the one given for the figure it is close to.
    rounding = case["rounding"] if close.edge == "range" else case["minimum_rounding"]
    assert close.rounding_m == rounding, case
    return [status, step, [close.edge, close.text, close.rounding_m]]


def _node(cases: list[dict[str, Any]]) -> list[list[Any]]:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed: it runs the explorer's rule.js")
    payload = json.dumps({"table": _rule.rule_table(), "cases": cases}, allow_nan=False)
    result = subprocess.run(
        [node, "-e", NODE_SCRIPT, str(RULE_JS)],
        input=payload,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    found: list[list[Any]] = json.loads(result.stdout)
    return found


def test_python_and_the_page_s_script_agree() -> None:
    cases = _cases()
    from_node = _node(cases)
    assert len(from_node) == len(cases)
    steps = set()
    for case, js in zip(cases, from_node, strict=True):
        py = _python(case)
        if py[0] == "error":
            assert js[0] == "error", (case, py, js)
        else:
            assert js == py, case
            steps.add(py[1])
    assert steps == {"too near", "within", "within band", "beyond"}
    edges = {(_python(c)[2] or [None])[0] for c in cases if _python(c)[0] != "error"}
    assert edges == {None, "range", "minimum range"}
    statuses = {tuple(_python(c)[:1]) for c in cases}
    assert {("reaches",), ("does not reach",), ("not established",), ("error",)} == statuses


def test_the_page_s_script_reads_a_changed_table() -> None:
    """rule.js holds no rule of its own: change the table and its verdicts change."""
    table = _rule.rule_table()
    table["qualifiers"]["about"]["beyond"] = "not established"
    table["steps"][1]["is"] = "<"
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed: it runs the explorer's rule.js")
    cases = [_case(400_000.0, 300_000.0, "about"), _case(300_000.0, 300_000.0, "up to")]
    payload = json.dumps({"table": table, "cases": cases})
    result = subprocess.run(
        [node, "-e", NODE_SCRIPT, str(RULE_JS)],
        input=payload,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert [row[:2] for row in json.loads(result.stdout)] == [
        ["not established", "beyond"],
        ["does not reach", "beyond"],
    ]


def test_the_explorer_decides_no_verdict_by_hand() -> None:
    """explorer.js names no status and no qualifier: every verdict goes through rule.js."""
    script = EXPLORER_JS.read_text(encoding="utf-8")
    for word in (*_rule.STATUSES, *QUALIFIERS):
        found = re.findall(rf"[\"']{re.escape(word)}[\"']", script)
        assert found == [], word
    assert "LOWER_BOUNDS" not in script and "lower_bounds" not in script
    assert "RULE.decide(DATA.rule" in script and "RULE.closeBy(DATA.rule" in script
