"""Files and packages appear whole or not at all; a killed write is cleared by the next one;
a full disk is a WriteError naming the file, and leaves what was there as it was.

The kill tests run a real writer in a child process and SIGKILL it while it holds its
temporary file or folder, as a crash or an out-of-memory kill would.
"""

from __future__ import annotations

import errno
import os
import pickle
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from weaponsref import _files
from weaponsref._files import (
    WriteError,
    clear_leftovers,
    write_atomically,
    write_folder_atomically,
)
from weaponsref.errors import WeaponsrefError

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


def test_the_current_folder_is_written_in_place_and_what_holds_it_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A shell standing in the folder would be left in a removed one if it were swapped.
    here = tmp_path / "here"
    here.mkdir()
    monkeypatch.chdir(here)
    write_folder_atomically(".", {"a.csv": b"old a", "b.csv": b"old b", "c.json": b"old c"})
    inode = here.stat().st_ino
    write_folder_atomically(".", {"a.csv": b"new a", "b.csv": b"new b"}, ("c.json",))
    assert here.stat().st_ino == inode  # the same folder, not a swapped one
    assert {p.name: p.read_bytes() for p in here.iterdir()} == {
        "a.csv": b"new a",
        "b.csv": b"new b",
    }
    assert _leftovers(tmp_path) == []
    with pytest.raises(FileExistsError, match="holds the current folder"):
        write_folder_atomically(tmp_path, {"a.csv": b"x"})
    (here / "thesis.docx").write_bytes(b"keep me")
    with pytest.raises(FileExistsError, match="thesis"):
        write_folder_atomically(".", {"a.csv": b"x"})


def _no_room(descriptor: int, data: object) -> int:
    if descriptor <= 2:
        raise AssertionError("the test writes no standard stream")
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def test_a_full_disk_names_the_file_and_keeps_the_old_package(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "package"
    write_folder_atomically(target, {"a.csv": b"old a", "b.csv": b"old b"})
    real = os.write

    def full_at_b(descriptor: int, data: bytes) -> int:
        if os.readlink(f"/proc/self/fd/{descriptor}").endswith("b.csv"):
            return _no_room(descriptor, data)
        return real(descriptor, data)

    if not Path("/proc/self/fd").is_dir():
        pytest.skip("needs /proc to tell which file a descriptor writes")
    monkeypatch.setattr(os, "write", full_at_b)
    with pytest.raises(WriteError) as caught:
        write_folder_atomically(target, {"a.csv": b"new a", "b.csv": b"new b" * 10_000})
    monkeypatch.undo()
    assert caught.value.errno == errno.ENOSPC and caught.value.filename == str(target / "b.csv")
    assert str(caught.value).startswith(f"cannot write {str(target / 'b.csv')!r}: ")
    assert (target / "a.csv").read_bytes() == b"old a"
    assert (target / "b.csv").read_bytes() == b"old b"
    assert _leftovers(tmp_path) == []


def test_a_full_disk_keeps_the_old_files_of_the_current_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write_folder_atomically(".", {"a.csv": b"old a"})
    monkeypatch.setattr(os, "write", _no_room)
    with pytest.raises(WriteError, match=r"a\.csv"):
        write_folder_atomically(".", {"a.csv": b"new a"})
    monkeypatch.undo()
    assert [p.name for p in tmp_path.iterdir()] == ["a.csv"]
    assert (tmp_path / "a.csv").read_bytes() == b"old a"


def test_a_full_disk_keeps_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "map.png"
    target.write_bytes(b"old")
    monkeypatch.setattr(os, "write", _no_room)
    with pytest.raises(WriteError, match=r"map\.png") as caught:
        write_atomically(target, b"new")
    monkeypatch.undo()
    assert caught.value.filename == str(target)
    assert target.read_bytes() == b"old"
    assert _leftovers(tmp_path) == []


def test_a_write_error_is_the_library_s_own_and_an_os_error() -> None:
    error = WriteError(errno.EROFS, os.strerror(errno.EROFS), "out/x.png")
    assert isinstance(error, WeaponsrefError) and isinstance(error, OSError)
    assert str(error) == (
        f"cannot write 'out/x.png': {os.strerror(errno.EROFS)}; the disk is read-only: write "
        "elsewhere; what was there is unchanged"
    )
    again = pickle.loads(pickle.dumps(error))
    assert type(again) is WriteError and again.errno == errno.EROFS and str(again) == str(error)
    assert len(str(WriteError(errno.EIO, "I/O error", "x" * 10_000))) < 400


def test_a_swap_killed_between_its_two_renames_is_undone_by_the_next_write(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Without an atomic exchange (not Linux, or a file system without one) the old folder is
    # moved aside, then the new one in: a kill in between leaves no package, and the old
    # folder where the next write finds it and puts it back.
    monkeypatch.setattr(_files, "_exchange", lambda first, second: False)
    target = tmp_path / "package"
    write_folder_atomically(target, {"a.csv": b"old a"})
    write_folder_atomically(target, {"a.csv": b"new a"})
    assert (target / "a.csv").read_bytes() == b"new a"
    assert _leftovers(tmp_path) == []
    aside = tmp_path / ".package.k1ll3d.old"
    target.rename(aside)  # as the killed run left it
    assert clear_leftovers(str(target)) == [str(aside)]
    assert (target / "a.csv").read_bytes() == b"new a"
    assert _leftovers(tmp_path) == []


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="renameat2 is Linux's")
def test_two_folders_are_exchanged_in_one_step_on_linux(tmp_path: Path) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    (first / "one").write_bytes(b"1")
    (second / "two").write_bytes(b"2")
    assert _files._exchange(str(first), str(second))
    assert [p.name for p in first.iterdir()] == ["two"]
    assert [p.name for p in second.iterdir()] == ["one"]


def test_a_link_to_a_folder_is_written_through(tmp_path: Path) -> None:
    real = tmp_path / "real"
    write_folder_atomically(real, {"a.csv": b"old"})
    link = tmp_path / "link"
    link.symlink_to(real, target_is_directory=True)
    write_folder_atomically(link, {"a.csv": b"new"})
    assert link.is_symlink() and (real / "a.csv").read_bytes() == b"new"


def test_leftovers_of_the_file_by_file_writer_do_not_block_a_package(tmp_path: Path) -> None:
    # The export used to write its files one by one beside each other: what a killed one of
    # those left in the folder is an earlier export's, and goes with it.
    target = tmp_path / "package"
    target.mkdir()
    (target / "a.csv").write_bytes(b"old a")
    (target / ".a.csv.x1y2z3.part").write_bytes(b"half")
    write_folder_atomically(target, {"a.csv": b"new a"})
    assert [p.name for p in target.iterdir()] == ["a.csv"]
    assert _leftovers(tmp_path) == []


def test_a_missing_parent_folder_is_made(tmp_path: Path) -> None:
    write_folder_atomically(tmp_path / "a" / "b" / "package", {"a.csv": b"x"})
    assert (tmp_path / "a" / "b" / "package" / "a.csv").read_bytes() == b"x"
