"""Files and packages appear whole or not at all; a killed write is cleared by the next one.

The kill tests run a real writer in a child process and SIGKILL it while it holds its
temporary file or folder, as a crash or an out-of-memory kill would.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from weaponsref._files import clear_leftovers, write_atomically, write_folder_atomically

_WRITER = textwrap.dedent(
    """
    import sys, time
    from weaponsref import _files

    target, kind = sys.argv[1], sys.argv[2]

    def stall(fd):
        print("writing", flush=True)
        time.sleep(60)

    _files.os.fsync = stall
    if kind == "file":
        _files.write_atomically(target, b"new")
    else:
        _files.write_folder_atomically(target, {"a.csv": b"new a", "b.csv": b"new b"}, ("c.json",))
    """
)


def _killed_mid_write(target: Path, kind: str) -> None:
    child = subprocess.Popen(
        [sys.executable, "-c", _WRITER, str(target), kind],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "writing"
    # While it runs, its temporary file is held: the next write must not clear it.
    assert clear_leftovers(str(target)) == []
    os.kill(child.pid, signal.SIGKILL)
    child.wait(timeout=10)


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith((".part", ".old")))


def test_a_killed_file_write_leaves_the_old_file_and_the_next_write_clears_up(
    tmp_path: Path,
) -> None:
    target = tmp_path / "map.png"
    target.write_bytes(b"old")
    _killed_mid_write(target, "file")
    assert target.read_bytes() == b"old"
    assert len(_leftovers(tmp_path)) == 1
    write_atomically(target, b"newer")
    assert target.read_bytes() == b"newer"
    assert _leftovers(tmp_path) == []


def test_a_killed_package_write_leaves_the_old_package_whole(tmp_path: Path) -> None:
    target = tmp_path / "package"
    write_folder_atomically(target, {"a.csv": b"old a", "b.csv": b"old b", "c.json": b"old c"})
    _killed_mid_write(target, "folder")
    assert sorted(p.name for p in target.iterdir()) == ["a.csv", "b.csv", "c.json"]
    assert (target / "a.csv").read_bytes() == b"old a"
    assert len(_leftovers(tmp_path)) == 1
    write_folder_atomically(target, {"a.csv": b"new a", "b.csv": b"new b"}, ("c.json",))
    assert sorted(p.name for p in target.iterdir()) == ["a.csv", "b.csv"]
    assert _leftovers(tmp_path) == []


def test_a_package_never_replaces_a_folder_with_other_files(tmp_path: Path) -> None:
    target = tmp_path / "mine"
    target.mkdir()
    (target / "thesis.docx").write_bytes(b"keep me")
    with pytest.raises(FileExistsError, match=r"thesis\.docx"):
        write_folder_atomically(target, {"a.csv": b"x"})
    assert (target / "thesis.docx").read_bytes() == b"keep me"
    assert not (target / "a.csv").exists()
    file = tmp_path / "afile"
    file.write_bytes(b"x")
    with pytest.raises(FileExistsError, match="not a folder"):
        write_folder_atomically(file, {"a.csv": b"x"})


def test_a_package_is_not_written_over_the_current_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(FileExistsError, match="current folder"):
        write_folder_atomically(tmp_path, {"a.csv": b"x"})


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_a_full_disk_names_the_file_and_keeps_the_old_package(tmp_path: Path) -> None:
    target = tmp_path / "package"
    write_folder_atomically(target, {"a.csv": b"old a", "b.csv": b"old b"})
    real_open = open

    def full(file: object, mode: str = "r", *args: object, **kwargs: object) -> object:
        if "w" in mode and str(file).endswith("b.csv"):
            return real_open("/dev/full", mode, *args, **kwargs)  # type: ignore[call-overload]
        return real_open(file, mode, *args, **kwargs)  # type: ignore[call-overload]

    import builtins

    builtins_open = builtins.open
    builtins.open = full  # type: ignore[assignment]
    try:
        with pytest.raises(OSError, match=r"b\.csv"):
            write_folder_atomically(target, {"a.csv": b"new a", "b.csv": b"new b" * 10_000})
    finally:
        builtins.open = builtins_open
    assert (target / "a.csv").read_bytes() == b"old a"
    assert (target / "b.csv").read_bytes() == b"old b"
    assert _leftovers(tmp_path) == []
