"""The layer contract: imports point one way, from the face down to the data.

import-linter checks it from ``pyproject.toml`` (docs/design.md, "Layers"). The second test
plants a back-edge in a copy of the package and checks that the contract then fails, so the
contract cannot pass by checking nothing.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT = shutil.which("lint-imports") or str(Path(sys.executable).with_name("lint-imports"))


def _lint(folder: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(folder)}
    return subprocess.run(
        [LINT, "--config", str(folder / "pyproject.toml"), "--no-cache"],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _copy(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "weaponsref", tmp_path / "weaponsref")
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


@pytest.mark.skipif(not Path(LINT).exists(), reason="import-linter is in the test extra")
def test_the_package_keeps_its_layers(tmp_path: Path) -> None:
    result = _lint(_copy(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "6 kept, 0 broken" in result.stdout


@pytest.mark.skipif(not Path(LINT).exists(), reason="import-linter is in the test extra")
@pytest.mark.parametrize(
    ("module", "back_edge"),
    [
        ("geo/_geodesy.py", "from ..catalogue import current_catalogue"),
        ("maps/_api.py", "from ..geo._areas import Area"),
        ("cli/_reach.py", "from ..gazetteer._countries import area"),
        ("records.py", "from .tables import render"),
        ("catalogue.py", "from .reach import reaches"),
    ],
)
def test_a_back_edge_breaks_the_contract(tmp_path: Path, module: str, back_edge: str) -> None:
    folder = _copy(tmp_path)
    path = folder / "weaponsref" / module
    text = path.read_text(encoding="utf-8")
    marker = "from __future__ import annotations\n"
    path.write_text(text.replace(marker, marker + back_edge + "  # noqa\n", 1), encoding="utf-8")
    result = _lint(folder)
    assert result.returncode != 0
    assert "BROKEN" in result.stdout


def test_no_module_over_800_lines_and_no_function_over_80() -> None:
    """The size rule of docs/design.md: a module a reader can hold, a function a screen."""
    import ast

    too_long = []
    for path in sorted((ROOT / "weaponsref").rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        name = path.relative_to(ROOT).as_posix()
        if text.count("\n") > 800:
            too_long.append(f"{name}: {text.count(chr(10))} lines")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > 80:
                    too_long.append(f"{name}: {node.name}() is {length} lines")
    assert too_long == []
