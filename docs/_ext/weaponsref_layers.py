"""The layout table of docs/design.md, made from the package itself.

Each row is a layer of the import-linter ``layers`` contract in ``pyproject.toml``, top
(the face) to bottom (the data), with every module in it and the first line of the module's
docstring, so the table cannot drift from the code.
"""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

#: How the design page names each layer, top to bottom (the contract's order).
LAYER_NAMES = ("face", "presentation", "reach", "catalogue and gazetteer", "geodesy", "data")


def _summary(path: Path) -> str:
    docstring = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
    return docstring.strip().split("\n\n", 1)[0].replace("\n", " ")


def _modules(package: Path, name: str) -> list[tuple[str, str]]:
    """``(dotted name, summary)`` for a module, or for a package and each of its modules."""
    folder = package / name
    if folder.is_dir():
        found = [(f"weaponsref.{name}", _summary(folder / "__init__.py"))]
        for module in sorted(folder.glob("*.py")):
            if module.name != "__init__.py":
                found.append((f"weaponsref.{name}.{module.stem}", _summary(module)))
        return found
    return [(f"weaponsref.{name}", _summary(package / f"{name}.py"))]


def layers(root: Path) -> list[tuple[str, list[str]]]:
    """The contract's layers, top to bottom, each as (its name, its modules)."""
    config = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    contract = next(c for c in config["tool"]["importlinter"]["contracts"] if c["type"] == "layers")
    found = []
    for label, layer in zip(LAYER_NAMES, contract["layers"], strict=True):
        names = [n.strip() for n in layer.replace("|", ":").split(":")]
        found.append((label, names))
    return found


def layers_snippet(root: Path) -> str:
    """The design page's layout table, as Markdown."""
    package = root / "weaponsref"
    lines = [
        "| layer | module | what it holds |",
        "|---|---|---|",
    ]
    for label, names in layers(root):
        first = True
        for name in names:
            for module, summary in _modules(package, name):
                cell = label if first else ""
                first = False
                lines.append(f"| {cell} | `{module}` | {summary} |")
    listed = {m for _, names in layers(root) for n in names for m, _ in _modules(package, n)}
    every = {
        "weaponsref."
        + ".".join(p.relative_to(package).with_suffix("").parts).removesuffix(".__init__")
        for p in package.rglob("*.py")
    } - {"weaponsref.__init__"}
    missing = sorted(every - listed)
    if missing:
        raise RuntimeError(f"modules outside every layer of pyproject.toml: {missing}")
    return "\n".join(lines) + "\n"
