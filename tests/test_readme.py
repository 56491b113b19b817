"""What the README shows is what the tool prints, and every command it lists runs.

The README's first table is the output of its first command; a change in the data or the
tables that changes it fails here until the README is regenerated (copy the command's output
into the README). Every command of "On the command line" runs, with its files written into a
temporary folder.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from weaponsref.cli import main

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _first_command() -> list[str]:
    match = re.search(r"^    pip install '\.\[maps\]' && (weaponsref .*)$", README, re.MULTILINE)
    assert match, "the README opens with an install-and-run command"
    return shlex.split(match.group(1))[1:]


def _shown_table() -> str:
    match = re.search(r"^```\n(System .*?)^```$", README, re.MULTILINE | re.DOTALL)
    assert match, "the README shows the first command's table"
    return match.group(1)


def test_the_readme_table_is_what_its_first_command_prints(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(_first_command()) == 0
    assert capsys.readouterr().out == _shown_table()


def _commands() -> list[str]:
    section = README.split("## On the command line", 1)[1].split("\n## ", 1)[0]
    return [
        line.strip().split("#", 1)[0].strip()
        for line in section.splitlines()
        if line.startswith("    weaponsref ")
    ]


def test_the_readme_lists_commands() -> None:
    assert len(_commands()) >= 10


@pytest.mark.slow
@pytest.mark.parametrize("command", _commands())
def test_every_readme_command_runs(
    command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    words = shlex.split(command)[1:]
    if ">" in words:  # a shell redirection: the output is checked below instead
        words = words[: words.index(">")]
    if "-o" in words:
        index = words.index("-o") + 1
        words[index] = str(tmp_path / Path(words[index]).name)
    if words[0] == "export":
        words[1] = str(tmp_path / words[1])
    if words[0] == "map":
        pytest.importorskip("matplotlib")
    status = main(words)
    captured = capsys.readouterr()
    assert status == 0, captured.err
    if words[0] in ("map", "export"):
        assert any(tmp_path.iterdir())
    else:
        assert captured.out.strip()
