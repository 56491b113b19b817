"""Faults (issue 23): kill -9 at many moments of an export, an import and a map write; a full
disk; a FIFO given to every reader.

A writer runs with a hook (:data:`HOOK`) that counts the file-system steps it takes inside the
test's folder (an open for writing, a write, an fsync, a close, a rename, an unlink, a mkdir,
a chmod, an SQL statement on a database there) and stops at the k-th: the test looks at the
output while it waits there, as a reader would, then kills it with SIGKILL, as a crash or an
out-of-memory kill would end it (no ``finally`` runs). What a reader sees, while it waits and
after the kill, must be the old output or the complete new one, never a mix, a truncated file
or nothing; the next run must leave nothing behind. The command-line runs are real processes
of ``weaponsref``; the export is also killed at every one of its steps in forked children,
which is quick.
"""

from __future__ import annotations

import contextlib
import errno
import os
import select
import shutil
import signal
import sqlite3
import subprocess
import sys
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import weaponsref as wr
from weaponsref import _files
from weaponsref.export import export_catalogue

pytestmark = pytest.mark.skipif(os.name == "nt", reason="SIGKILL, fork, FIFOs and flock are POSIX")

#: Seconds a step may take before the run counts as a hang.
HANG_S = 60

#: Run in a writer before it starts: counts its file-system steps inside $FAULT_ROOT and, at
#: step $FAULT_PAUSE_AT, reports "paused K WHAT" on the descriptor $FAULT_REPORT_FD and waits
#: to be killed. A run that ends reports "done K".
HOOK = r"""
import builtins, os, sqlite3, time

_ROOT = os.path.realpath(os.environ["FAULT_ROOT"])
_PAUSE_AT = int(os.environ["FAULT_PAUSE_AT"])
_REPORT = int(os.environ["FAULT_REPORT_FD"])
_WRITING = os.O_WRONLY | os.O_RDWR | os.O_CREAT
_steps = [0]
_ours = set()


def _step(what):
    _steps[0] += 1
    if _steps[0] == _PAUSE_AT:
        os.write(_REPORT, f"paused {_steps[0]} {what}\n".encode())
        time.sleep(600)


def _inside(path, dir_fd=None):
    if dir_fd is not None:
        return True
    try:
        return os.path.realpath(os.fsdecode(path)).startswith(_ROOT)
    except (TypeError, ValueError):
        return False


def _name(path):
    try:
        return os.path.basename(os.fsdecode(path))
    except (TypeError, ValueError):
        return "?"


def _hook_path(name, count):
    real = getattr(os, name)

    def hooked(*args, **kwargs):
        fd = kwargs.get("dir_fd") or kwargs.get("src_dir_fd")
        if any(_inside(arg, fd) for arg in args[:count]):
            _step(f"{name} {_name(args[0])}")
        return real(*args, **kwargs)

    setattr(os, name, hooked)


for _call, _count in [("rename", 2), ("replace", 2), ("unlink", 1), ("remove", 1),
                      ("rmdir", 1), ("mkdir", 1), ("chmod", 1)]:
    _hook_path(_call, _count)

_real_open = os.open


def _open(path, flags, *args, **kwargs):
    mine = bool(flags & _WRITING) and _inside(path, kwargs.get("dir_fd"))
    if mine:
        _step(f"open {_name(path)}")
    fd = _real_open(path, flags, *args, **kwargs)
    if mine:
        _ours.add(fd)
    return fd


os.open = _open


def _hook_fd(name):
    real = getattr(os, name)

    def hooked(fd, *args):
        if fd in _ours:
            _step(name)
            if name == "close":
                _ours.discard(fd)
        return real(fd, *args)

    setattr(os, name, hooked)


for _call in ("write", "fsync", "close"):
    _hook_fd(_call)

_builtin_open = builtins.open


def _open_file(file, mode="r", *args, **kwargs):
    if isinstance(file, (str, bytes, os.PathLike)) and set(mode) & set("wax+") and _inside(file):
        _step(f"open {_name(file)}")
    return _builtin_open(file, mode, *args, **kwargs)


builtins.open = _open_file
_connect = sqlite3.connect


def _connect_traced(database, *args, **kwargs):
    connection = _connect(database, *args, **kwargs)
    path = os.fsdecode(database) if isinstance(database, (str, bytes, os.PathLike)) else ""
    if path.startswith("file:"):  # a URI: file:PATH?mode=ro
        path = path[len("file:"):].split("?")[0]
    if path and _inside(path):
        connection.set_trace_callback(lambda sql: _step("sql " + sql.split(None, 1)[0]))
    return connection


sqlite3.connect = _connect_traced
"""

#: After HOOK in a command-line writer: run ``weaponsref`` with the arguments, then report.
_CLI = """
import sys
from weaponsref.cli import main
_status = main(sys.argv[1:])
os.write(_REPORT, f"done {_steps[0]}\\n".encode())
raise SystemExit(_status)
"""


def _report(descriptor: int) -> str:
    """The writer's one report line, or "" when it ended without one (it crashed)."""
    data = b""
    while not data.endswith(b"\n"):
        ready, _, _ = select.select([descriptor], [], [], HANG_S)
        assert ready, f"the writer took more than {HANG_S} s to reach its next step"
        chunk = os.read(descriptor, 256)
        if not chunk:
            break
        data += chunk
    os.close(descriptor)
    return data.decode().strip()


def _environment(root: Path, pause_at: int = 0, report: int = -1, **extra: str) -> dict[str, str]:
    """A child's environment: this Python's path, and where HOOK stops and reports."""
    hook = {"FAULT_ROOT": str(root), "FAULT_PAUSE_AT": str(pause_at)}
    return {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(p for p in sys.path if p),
        **(hook if report >= 0 else {}),
        "FAULT_REPORT_FD": str(report),
        **extra,
    }


class Outcome:
    """How one run of a writer ended: ``paused`` at step ``step`` (then killed), or ``done``
    after ``step`` steps with exit ``status``; what a reader ``saw`` while it waited and
    ``after`` it ended."""

    def __init__(self, report: str) -> None:
        assert report.startswith(("paused ", "done ")), f"the writer crashed: {report!r}"
        words = report.split()
        self.paused = words[0] == "paused"
        self.step = int(words[1])
        self.what = " ".join(words[2:])
        self.status: int | None = None
        self.stderr = ""
        self.saw: Any = None
        self.after: Any = None

    def states(self) -> list[Any]:
        """What a reader saw: while the run waited (if it was stopped) and after it ended."""
        return [self.saw, self.after] if self.paused else [self.after]


def run_cli(
    root: Path,
    argv: list[str],
    look: Callable[[], Any],
    pause_at: int = 0,
    *,
    check: bool = True,
    **env: str,
) -> Outcome:
    """Run ``weaponsref ARGV`` in ``root`` with the hook; if it stops at step ``pause_at``,
    look at the output (``look()``), kill it with SIGKILL, and look again. With ``check``,
    a run that is not stopped must succeed."""
    read, write = os.pipe()
    child = subprocess.Popen(
        [sys.executable, "-c", HOOK + _CLI, *argv],
        cwd=root,
        env=_environment(root, pause_at, write, **env),
        pass_fds=(write,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    os.close(write)
    try:
        outcome = Outcome(_report(read))
        if outcome.paused:
            outcome.saw = look()
            os.kill(child.pid, signal.SIGKILL)
        _, outcome.stderr = child.communicate(timeout=HANG_S)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    outcome.status = child.returncode
    outcome.after = look()
    if outcome.paused:
        assert outcome.status == -signal.SIGKILL, outcome.stderr
    elif check:
        assert outcome.status == 0, outcome.stderr
    return outcome


def run_forked(
    root: Path, call: Callable[[], object], look: Callable[[], Any], pause_at: int
) -> Outcome:
    """:func:`run_cli` for ``call()`` in a forked child of this process (no start-up cost)."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        status = 1
        try:
            os.close(read)
            os.environ.update(_environment(root, pause_at, write))
            exec(HOOK, {"__name__": "fault_hook"})
            call()
            os.write(write, b"done 0\n")
            status = 0
        except BaseException:
            traceback.print_exc()
        finally:
            os._exit(status)
    os.close(write)
    try:
        outcome = Outcome(_report(read))
        if outcome.paused:
            outcome.saw = look()
            os.kill(pid, signal.SIGKILL)
    finally:
        _, code = os.waitpid(pid, 0)
    outcome.status = os.waitstatus_to_exitcode(code)
    outcome.after = look()
    assert outcome.status == (-signal.SIGKILL if outcome.paused else 0)
    return outcome


def package(folder: Path) -> dict[str, bytes] | None:
    """Every file of an export folder, by name, or None if there is no folder."""
    if not folder.is_dir():
        return None
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def strays(folder: Path, *expected: str) -> list[str]:
    """What ``folder`` holds besides ``expected``: what a write left behind."""
    return sorted(p.name for p in folder.iterdir() if p.name not in expected)


def steps_across(total: int) -> list[int]:
    """Steps to stop a run at, spread over the ``total`` steps an earlier run took, and one
    beyond (a run that replaces something takes more steps than one that made it)."""
    return sorted({1, max(1, total // 2), total, total + 6})


# --------------------------------------------------------------------------- the export


@pytest.fixture(scope="module")
def earlier() -> wr.Catalogue:
    """The catalogue as it stood on 2010-01-01: a small, different package than today's."""
    return wr.default_catalogue().as_of("2010-01-01")


@pytest.fixture(scope="module")
def later() -> wr.Catalogue:
    """The catalogue as it stood on 2020-01-01: small, so that a step is quick."""
    return wr.default_catalogue().as_of("2020-01-01")


def _killed_at_every_step(
    root: Path, target: Path, catalogue: wr.Catalogue, fresh: bool, exchange: bool = True
) -> tuple[list[Any], dict[str, bytes] | None]:
    """Export ``catalogue`` to ``target`` once for every step it takes, killed at that step
    (without an atomic exchange of folders if not ``exchange``); return what a reader saw at
    each, and the package of a last, whole run. After each kill, what it left is cleared as
    the next export clears it first (:func:`weaponsref._files.clear_leftovers`), so that
    every run takes the same steps and step k is the same moment in each."""

    def export() -> None:
        if not exchange:  # as where there is none: not Linux, or a file system without it
            _files._exchange = lambda first, second: False  # type: ignore[assignment]
        export_catalogue(target, catalogue=catalogue)

    seen = []
    for step in range(1, 200):
        if fresh and target.exists():
            shutil.rmtree(target)
        outcome = run_forked(root, export, lambda: package(target), step)
        seen += [(step, outcome.what, state) for state in outcome.states()]
        if not outcome.paused:
            return seen, outcome.after
        _files.clear_leftovers(target)
        assert strays(target.parent, target.name) == [], f"step {step}: not cleared"
    pytest.fail("the export took more than 200 steps")


@pytest.mark.parametrize("exchange", [True, False], ids=["exchanged", "moved aside"])
def test_an_export_killed_at_every_step_is_the_old_package_or_the_new(
    tmp_path: Path, earlier: wr.Catalogue, later: wr.Catalogue, exchange: bool
) -> None:
    target = tmp_path / "out" / "data"
    export_catalogue(target, catalogue=earlier)
    old = package(target)
    seen, new = _killed_at_every_step(tmp_path, target, later, fresh=False, exchange=exchange)
    assert old is not None and new is not None and old != new
    for step, what, state in seen:
        if state is None and not exchange:
            # Killed between moving the old folder aside and the new one in: no package
            # until the next export moves the old one back (which the next step shows).
            assert what.startswith("rename"), f"killed at step {step} ({what}): no package"
            continue
        assert state in (old, new), f"killed at step {step} ({what}): a mixed package"
    assert {state == new for _, _, state in seen} == {True, False}, "no step before the swap"
    assert any(state is None for _, _, state in seen) is not exchange
    assert strays(tmp_path / "out", "data") == []  # the last, whole run cleared every leftover


def test_a_first_export_killed_at_every_step_is_nothing_or_the_whole_package(
    tmp_path: Path, later: wr.Catalogue
) -> None:
    target = tmp_path / "out" / "data"
    (tmp_path / "out").mkdir()
    seen, new = _killed_at_every_step(tmp_path, target, later, fresh=True)
    for step, what, state in seen:
        assert state in (None, new), f"killed at step {step} ({what}): half a package"
    assert strays(tmp_path / "out", "data") == []


def kill_at(
    root: Path, target: Path, argv: list[str], look: Callable[[], Any], steps: list[int]
) -> list[Any]:
    """Run ``weaponsref ARGV`` once for each of ``steps``, killed there; return what a reader
    saw. Between runs, what a killed run left beside ``target`` is cleared as the next write
    clears it (:func:`weaponsref._files.clear_leftovers`), so that every run takes the same
    steps; what the last one left, the next whole run must clear."""
    seen = []
    for index, step in enumerate(steps):
        run = run_cli(root, argv, look, step)
        seen += run.states()
        if index < len(steps) - 1:
            left = strays(target.parent, target.name)
            cleared = _files.clear_leftovers(target)
            assert sorted(Path(path).name for path in cleared) == left
    return seen


def test_weaponsref_export_killed_is_the_old_package_or_the_new(tmp_path: Path) -> None:
    target = tmp_path / "data"

    def look() -> dict[str, bytes] | None:
        return package(target)

    old = run_cli(tmp_path, ["export", "--as-of", "2023-06-01", "data"], look).after
    shutil.copytree(target, tmp_path / "probe")
    steps = run_cli(tmp_path, ["export", "probe"], lambda: None).step  # as many as the next
    shutil.rmtree(tmp_path / "probe")
    # Before anything, with half the files written, and while the old package is removed.
    seen = kill_at(tmp_path, target, ["export", "data"], look, [1, steps // 2, steps - 1])
    new = run_cli(tmp_path, ["export", "data"], look).after
    assert old != new and set(new) == {
        "catalogue.json",
        "claims.csv",
        "datapackage.json",
        "events.csv",
        "sources.csv",
        "systems.csv",
    }
    assert [state == new for state in seen] == [False, False, False, False, True, True]
    assert all(state == old for state in seen[:4])
    assert strays(tmp_path, "data") == []


# --------------------------------------------------------------------------- a map and an import


def _file(path: Path) -> bytes | None:
    return path.read_bytes() if path.exists() else None


def test_weaponsref_map_killed_leaves_the_old_map_and_nothing_after_the_next(
    tmp_path: Path,
) -> None:
    target = tmp_path / "x.png"
    argv = ["map", "50 km", "--from", "Kyiv", "-o", "x.png", "--width", "300", "--title"]
    first = run_cli(tmp_path, [*argv, "Old map"], lambda: _file(target))
    old = first.after
    # With the temporary file half made: a map takes seconds to draw, so one moment only
    # (the file writer is killed at every step below).
    seen = kill_at(tmp_path, target, [*argv, "New map"], lambda: _file(target), [first.step // 2])
    new = run_cli(tmp_path, [*argv, "New map"], lambda: _file(target)).after
    assert old is not None and new is not None and old != new and new.startswith(b"\x89PNG")
    assert seen == [old, old]
    assert strays(tmp_path, "x.png") == []


def test_a_file_write_killed_at_every_step_is_the_old_file_or_the_new(tmp_path: Path) -> None:
    # The writer of maps: weaponsref._files.write_atomically.
    target = tmp_path / "x.png"
    target.write_bytes(b"old")
    new = b"new" * 100_000
    seen = []
    for step in range(1, 50):
        run = run_forked(
            tmp_path, lambda: _files.write_atomically(target, new), lambda: _file(target), step
        )
        seen += run.states()
        if not run.paused:
            break
    assert set(seen) == {b"old", new} and seen[-1] == new
    assert strays(tmp_path, "x.png") == []


#: One line of GeoNames' geoname table (19 tab-separated columns): a populated place.
ROW = "\t".join(
    [
        "{gid}",
        "{name}",
        "{name}",
        "",
        "50.1",
        "30.2",
        "P",
        "PPL",
        "UA",
        "",
        "13",
        "",
        "",
        "",
        "350",
        "",
        "150",
        "Europe/Kyiv",
        "2024-01-01",
    ]
)


def _dump(path: Path, *names: str) -> Path:
    """A GeoNames dump (19 tab-separated columns a line) of populated places in Ukraine."""
    lines = [ROW.format(gid=9_999_901 + i, name=name) for i, name in enumerate(names)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def gazetteer(folder: Path) -> str | None:
    """What the user's gazetteer in ``folder`` holds ("FILE:ROWS"), None if there is none,
    "broken ..." if it cannot be read."""
    path = folder / "geonames.sqlite"
    if not path.exists():
        return None
    try:
        with contextlib.closing(sqlite3.connect(path.as_uri() + "?mode=ro", uri=True)) as db:
            (file,) = db.execute("SELECT value FROM meta WHERE key = 'file'").fetchone()
            (rows,) = db.execute("SELECT count(*) FROM cities").fetchone()
    except (sqlite3.Error, TypeError) as error:
        return f"broken: {error}"
    return f"{file}:{rows}"


def test_weaponsref_places_import_killed_is_the_old_gazetteer_or_the_new(tmp_path: Path) -> None:
    data = tmp_path / "data"
    _dump(tmp_path / "a.txt", "Old Town")
    _dump(tmp_path / "b.txt", "New Town", "Lisove")
    env = {"WEAPONSREF_DATA_DIR": str(data)}
    first = run_cli(tmp_path, ["places", "import", "a.txt"], lambda: gazetteer(data), **env)
    again = ["places", "import", "b.txt"]
    killed = [
        run_cli(tmp_path, again, lambda: gazetteer(data), step, **env)
        for step in steps_across(first.step)
    ]
    last = run_cli(tmp_path, again, lambda: gazetteer(data), **env)
    assert (first.after, last.after) == ("a.txt:1", "b.txt:2")
    states = {state for run in killed for state in run.states()}
    assert states <= {"a.txt:1", "b.txt:2"} and len(states) == 2
    assert strays(data, "geonames.sqlite") == []


# --------------------------------------------------------------------------- a full disk


@contextlib.contextmanager
def disk_with_room(room: int) -> Iterator[None]:
    """Make ``os.write`` behave as a disk with ``room`` bytes free: a write that does not fit
    writes what fits (a short write), and the next raises ENOSPC. Standard streams are
    left alone."""
    real = os.write
    used = [0]

    def write(descriptor: int, data: Any) -> int:
        if descriptor <= 2:
            return real(descriptor, data)
        left = room - used[0]
        if left <= 0:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        written = real(descriptor, bytes(memoryview(data)[:left]))
        used[0] += written
        return written

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(os, "write", write)
        yield


def _size(files: dict[str, bytes] | None) -> int:
    return sum(len(data) for data in (files or {}).values())


def test_an_export_on_a_full_disk_names_the_file_and_keeps_the_old_package(
    tmp_path: Path, earlier: wr.Catalogue
) -> None:
    target = tmp_path / "out" / "data"
    export_catalogue(target, catalogue=earlier)
    old = package(target)
    export_catalogue(tmp_path / "reference")
    new = package(tmp_path / "reference")
    total = _size(new)
    for room in (0, 1, 40_000, total // 2, total - 1):
        with disk_with_room(room), pytest.raises(_files.WriteError) as caught:
            export_catalogue(target)
        error = caught.value
        assert isinstance(error, OSError) and error.errno == errno.ENOSPC
        assert Path(error.filename).parent == target and Path(error.filename).name in new
        assert f"cannot write {str(error.filename)!r}: " in str(error), str(error)
        assert "free some space" in str(error)
        assert package(target) == old, f"{room} bytes free: the old package changed"
        assert strays(tmp_path / "out", "data") == []
    with disk_with_room(total):  # exactly enough room: the whole package
        export_catalogue(target)
    assert package(target) == new
    assert strays(tmp_path / "out", "data") == []


def test_a_failed_fsync_is_a_write_error_and_keeps_the_old_package(
    tmp_path: Path, earlier: wr.Catalogue, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Network file systems report a full disk (or quota) at fsync or close, not at write.
    target = tmp_path / "data"
    export_catalogue(target, catalogue=earlier)
    old = package(target)

    def fsync(descriptor: int) -> None:
        raise OSError(errno.EDQUOT, os.strerror(errno.EDQUOT))

    monkeypatch.setattr(os, "fsync", fsync)
    with pytest.raises(_files.WriteError, match="disk quota") as caught:
        export_catalogue(target)
    assert caught.value.errno == errno.EDQUOT
    monkeypatch.undo()
    assert package(target) == old
    assert strays(tmp_path, "data") == []


def test_a_map_on_a_full_disk_keeps_the_old_map(tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    from weaponsref.maps import range_map

    target = tmp_path / "x.svg"
    target.write_bytes(b"<svg>old</svg>")
    with disk_with_room(1000), pytest.raises(OSError, match=r"x\.svg") as caught:
        range_map([("HIMARS", "80.5 km")], (49.9935, 36.2304), path=target)
    assert caught.value.errno == errno.ENOSPC
    assert target.read_bytes() == b"<svg>old</svg>"
    assert strays(tmp_path, "x.svg") == []


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    """A real 1 MB disk (tmpfs), mounted for the test: needs root and a mount that works."""
    if os.geteuid() != 0:
        pytest.skip("mounting a 1 MB tmpfs needs root (the simulated full disks still run)")
    disk = tmp_path / "disk"
    disk.mkdir()
    try:
        mounted = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=1m,mode=0755", "tmpfs", str(disk)],
            capture_output=True,
            text=True,
            timeout=30,
        )
    except (OSError, subprocess.SubprocessError) as error:
        pytest.skip(f"cannot run mount: {error}")
    if mounted.returncode != 0:
        pytest.skip(f"mount refused a tmpfs: {mounted.stderr.strip()[:200]}")
    try:
        yield disk
    finally:
        subprocess.run(["umount", "-l", str(disk)], capture_output=True, timeout=30, check=False)


def _fill(disk: Path, leave: int) -> None:
    """Fill ``disk`` with a file so that about ``leave`` bytes stay free."""
    free = os.statvfs(disk).f_bavail * os.statvfs(disk).f_frsize
    with open(disk / "filler", "wb") as filler:
        filler.write(b"\0" * max(0, free - leave))


def _one_line_error(run: Outcome) -> str:
    lines = run.stderr.strip().splitlines()
    assert run.status == 0 or (len(lines) == 1 and lines[0].startswith("weaponsref: error: "))
    assert "Traceback" not in run.stderr
    return lines[0] if lines else ""


def test_a_real_1_mb_disk_keeps_the_old_export_and_gazetteer(tiny_disk: Path) -> None:
    def look_package() -> dict[str, bytes] | None:
        return package(tiny_disk / "data")

    old = run_cli(tiny_disk, ["export", "--as-of", "2010-01-01", "data"], look_package).after
    assert old is not None and 0 < _size(old) < 400_000
    failed = run_cli(tiny_disk, ["export", "data"], look_package, check=False)
    message = _one_line_error(failed)
    assert failed.status == 2 and "No space left on device" in message, message
    assert any(f"data/{name}" in message for name in old), message
    assert failed.after == old
    assert strays(tiny_disk, "data") == []

    data = tiny_disk / "gazetteer"
    env = {"WEAPONSREF_DATA_DIR": str(data)}
    dumps = tiny_disk.parent
    _dump(dumps / "a.txt", "Old Town")
    _dump(dumps / "b.txt", *(f"Town {i}" for i in range(3000)))
    run_cli(tiny_disk, ["places", "import", str(dumps / "a.txt")], lambda: None, **env)
    _fill(tiny_disk, 20_000)
    failed = run_cli(
        tiny_disk,
        ["places", "import", str(dumps / "b.txt")],
        lambda: gazetteer(data),
        check=False,
        **env,
    )
    message = _one_line_error(failed)
    assert failed.status == 2 and "full" in message, message
    assert failed.after == "a.txt:1"
    assert strays(data, "geonames.sqlite") == []


# --------------------------------------------------------------------------- FIFOs


READERS = [
    ("--catalogue", "pipe.toml", ["list", "--catalogue", "pipe.toml"], {}),
    ("WEAPONSREF_CATALOGUE", "pipe.toml", ["list"], {"WEAPONSREF_CATALOGUE": "pipe.toml"}),
    ("places import", "cities500.txt", ["places", "import", "cities500.txt"], {}),
    ("an area file", "area.geojson", ["inside", "bober", "--from-area", "area.geojson"], {}),
]


@pytest.mark.parametrize(
    ("reader", "name", "argv", "env"),
    READERS,
    ids=["--catalogue", "WEAPONSREF_CATALOGUE", "places import", "an area file"],
)
def test_a_fifo_is_refused_at_once_by_every_reader(
    tmp_path: Path, reader: str, name: str, argv: list[str], env: dict[str, str]
) -> None:
    os.mkfifo(tmp_path / name)
    data = tmp_path / "data"
    try:
        result = subprocess.run(
            [sys.executable, "-m", "weaponsref", *argv],
            cwd=tmp_path,
            env={**_environment(tmp_path), "WEAPONSREF_DATA_DIR": str(data), **env},
            capture_output=True,
            text=True,
            timeout=HANG_S,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"{reader}: a FIFO hung the command for {HANG_S} s")
    lines = result.stderr.strip().splitlines()
    assert result.returncode == 2 and result.stdout == ""
    assert len(lines) == 1 and lines[0].startswith("weaponsref: error: "), result.stderr
    assert name in lines[0] and "not a regular file" in lines[0]
    assert not data.exists() or strays(data) == []
    fixes = [part.strip() for part in lines[0].split(";") if part.strip().startswith("give ")]
    assert len(fixes) == 1, f"the fix is given {len(fixes)} times: {lines[0]}"
