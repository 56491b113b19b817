"""The command line's errors (issue 23, item 9): one line on stderr, exit status 2, never a
traceback, never a long argument echoed whole; a missing catalogue file and an empty export
folder said plainly."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import assert_short_error
from helpers import run_cli as run

ROOT = Path(__file__).resolve().parent.parent

#: A 100,000-character argument, and one of the same length made of short words.
LONG = "x" * 100_000
SPACED = "a b " * 25_000


def assert_one_line_error(status: int, out: str, err: str, *needles: str) -> None:
    assert_short_error(status, out, err, *needles)
    assert err.startswith("weaponsref")


# --------------------------------------------------------------------------- usage errors


@pytest.mark.parametrize(
    ("argv", "needles"),
    [
        (("show",), ("the following arguments are required: name", "'weaponsref show --help'")),
        (("frobnicate",), ("invalid choice: 'frobnicate'", "'weaponsref --help'")),
        ((), ("required", "'weaponsref --help'")),
        (("list", "--format", "nonsense"), ("unknown table format 'nonsense'",)),
        (("list", "--unit", "kg"), ("'kg' is not a length",)),
        (("list", "--unit", "furlongz"), ("unknown unit 'furlongz'",)),
        (("list", "--bogus"), ("unrecognized arguments: --bogus",)),
        (("map", "bober", "--from", "Kyiv"), ("-o/--output",)),
        (("ring", "bober", "--from", "Kyiv", "--format", "gpx"), ("invalid choice: 'gpx'",)),
        (("places", "import"), ("'weaponsref places import --help'",)),
        (("inside", "bober", "--from", "Kyiv", "--limit", "0"), ("not from 1 to 100,000",)),
    ],
)
def test_a_usage_error_is_one_line_and_status_2(
    capsys: pytest.CaptureFixture[str], argv: tuple[str, ...], needles: tuple[str, ...]
) -> None:
    # argparse printed the usage block and the error: two lines or more. Now one.
    status, out, err = run(capsys, *argv)
    assert_one_line_error(status, out, err, "error:", *needles)
    assert "usage:" not in err


def test_help_and_version_still_end_with_status_0(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "reach", "--help")
    assert (status, err) == (0, "") and out.startswith("usage: weaponsref reach")
    status, out, err = run(capsys, "--version")
    assert (status, err) == (0, "") and out.startswith("weaponsref ")


def test_a_usage_error_in_a_real_process_is_one_line() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "weaponsref", "show"],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == (
        "weaponsref show: error: the following arguments are required: name; "
        "see 'weaponsref show --help'\n"
    )


def test_an_unknown_system_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "show", "bobr")
    assert_one_line_error(status, out, err, "'bobr'", "did you mean 'Bober'?")


def test_python_dash_m_and_the_script_agree() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "weaponsref", "show", "bobr"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.startswith("weaponsref: error: no system named 'bobr'")
    assert "Traceback" not in result.stderr


# --------------------------------------------------------------------------- long arguments


@pytest.mark.parametrize(
    "template",
    [
        ("{v}",),
        ("--{v}",),
        ("list", "{v}"),
        ("list", "--format", "{v}"),
        ("list", "--unit", "{v}"),
        ("list", "--catalogue", "{v}"),
        ("list", "--catalogue", "/tmp/{v}"),
        ("list", "--as-of", "{v}"),
        ("show", "{v}"),
        ("reach", "--from", "{v}", "--to", "Moscow"),
        ("reach", "--from", "Kyiv", "--to", "Moscow", "--variant", "{v}"),
        ("reach", "--from", "Kyiv", "--to", "Moscow", "--source", "{v}"),
        ("ring", "{v}", "--from", "Kyiv"),
        ("ring", "bober", "--from", "Kyiv", "--format", "{v}"),
        ("ring", "bober", "--from", "Kyiv", "--points", "{v}"),
        ("map", "bober", "--from", "Kyiv", "-o", "{v}.svg"),
        ("inside", "bober", "--from-area", "{v}"),
        ("sources", "--system", "{v}"),
        ("export", "/nonexistent/{v}"),
        ("places", "import", "{v}"),
    ],
)
@pytest.mark.parametrize("value", [LONG, SPACED], ids=["one word", "short words"])
def test_a_long_argument_is_cut_to_80_characters_in_the_message(
    capsys: pytest.CaptureFixture[str], template: tuple[str, ...], value: str
) -> None:
    status, out, err = run(capsys, *(part.replace("{v}", value) for part in template))
    assert_one_line_error(status, out, err)
    assert value[:81] not in err  # at most 80 characters of it, as typed or quoted
    assert value[:41] not in err  # its start and its end, with an ellipsis between them
    assert len(err) < 400
    if value[:39] in err:  # where it is repeated, an ellipsis says that it was cut
        assert "…" in err


def test_no_place_matches_a_long_query_in_one_short_line(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, out, err = run(capsys, "places", "q" * 100_000)
    assert (status, out) == (0, "")
    assert err == f"no place matches '{'q' * 38}…{'q' * 39}'\n"


def test_a_long_argument_is_cut_in_a_warning(capsys: pytest.CaptureFixture[str]) -> None:
    # White-box: no warning of today's library repeats a long argument, but the hook that
    # prints warnings cuts one as errors do.
    from weaponsref.cli._common import given_arguments
    from weaponsref.cli._main import _one_line_warning

    with given_arguments(["ring", LONG]):
        _one_line_warning(UserWarning(f"{LONG!r} was\nclamped"), UserWarning, "x.py", 1)
    err = capsys.readouterr().err
    assert err == f"weaponsref: warning: '{'x' * 39}…{'x' * 40}' was clamped\n"


# --------------------------------------------------------------------------- catalogue files


@pytest.mark.parametrize("where", ["--catalogue", "WEAPONSREF_CATALOGUE"])
def test_a_missing_catalogue_file_is_reported_as_missing(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    where: str,
) -> None:
    missing = tmp_path / "missing.toml"
    if where == "--catalogue":
        argv: tuple[str, ...] = ("list", "--catalogue", str(missing))
    else:
        monkeypatch.setenv("WEAPONSREF_CATALOGUE", str(missing))
        argv = ("list",)
    status, out, err = run(capsys, *argv)
    assert_one_line_error(status, out, err, f"{where}: no such file: ")
    # The whole path, or, when it is longer than 80 characters, its start and its end.
    shown = repr(str(missing))
    assert shown in err or (shown[:39] + "…" in err and "/missing.toml'" in err)
    assert "regular file" not in err


def test_a_long_path_keeps_its_file_name_in_the_message(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    deep = tmp_path.joinpath(*["folder-of-the-desk"] * 8)
    deep.mkdir(parents=True)
    status, out, err = run(capsys, "list", "--catalogue", str(deep / "missing.toml"))
    assert_one_line_error(status, out, err, "--catalogue: no such file: ", "/missing.toml'")
    assert str(deep)[:80] not in err  # cut, in its middle


def test_a_catalogue_that_is_a_folder_is_still_not_a_regular_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    status, out, err = run(capsys, "list", "--catalogue", str(tmp_path))
    assert_one_line_error(status, out, err, "--catalogue", "is not a regular file")
    assert "no such file" not in err


def test_an_empty_catalogue_name_is_refused_and_an_empty_variable_ignored(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    status, out, err = run(capsys, "list", "--catalogue", "")
    assert_one_line_error(status, out, err, "--catalogue: the file name is empty")
    monkeypatch.setenv("WEAPONSREF_CATALOGUE", "")
    status, out, err = run(capsys, "list", "-f", "csv")
    assert status == 0 and err == "" and out.startswith("system,system_name,")


# --------------------------------------------------------------------------- export


@pytest.mark.parametrize("folder", ["", "  "])
def test_export_to_an_empty_folder_name_is_refused(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    folder: str,
) -> None:
    # It wrote six files into the current folder.
    monkeypatch.chdir(tmp_path)
    status, out, err = run(capsys, "export", folder)
    assert_one_line_error(status, out, err, "export: the folder name is empty", "'.'")
    assert list(tmp_path.iterdir()) == []


def test_export_to_dot_still_writes_into_the_current_folder(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    status, out, err = run(capsys, "export", ".")
    assert status == 0, err
    assert (tmp_path / "datapackage.json").is_file()
    assert len(out.splitlines()) == 6


@pytest.mark.parametrize(
    ("argv", "needles"),
    [
        (
            ("reach", "--from", "Crimea", "--to", "Moscow"),
            ("--from: 'Crimea' names an area, not a place", "give --from-area Crimea"),
        ),
        (
            ("reach", "--from", "Kursk Oblast", "--to", "Moscow"),
            ("give --from-area 'Kursk Oblast' to measure from its border",),
        ),
        (
            ("reach", "--from", "Kyiv", "--to", "Ukraine"),
            ("--to: 'Ukraine' names an area, not a place; give a place in it or coordinates",),
        ),
        (
            ("map", "bober", "--from", "Kyiv", "--mark", "UA", "-o", "x.png"),
            ("--mark: 'UA' names an area",),
        ),
        (
            ("reach", "--from", "Kyyiv", "--to", "Moscow"),
            ("did you mean 'Kyiv'", "'Kyyiv' also names an area: give --from-area Kyyiv"),
        ),
    ],
)
def test_an_area_given_as_a_place_says_how_to_give_it_as_an_area(
    capsys: pytest.CaptureFixture[str], argv: tuple[str, ...], needles: tuple[str, ...]
) -> None:
    """A name that is no place but an area's is not met with places of similar names
    ("did you mean 'Cremella'?"): the error says it is an area and, for --from, gives the
    --from-area that measures from it."""
    status, out, err = run(capsys, *argv)
    assert_one_line_error(status, out, err, *needles)
    assert ("did you mean" in err) == ("Kyyiv" in argv)
