"""Hostile and broken files for the gazetteer (issue 23): FIFOs, devices, folders, empty and
missing paths, damaged, encrypted and oversized zips, damaged databases, huge names, and the
temporary files of a killed import. Every fault is a GazetteerFileError (or an AreaFileError
for an area file) naming the file, and no call blocks."""

from __future__ import annotations

import contextlib
import importlib
import io
import os
import signal
import struct
import subprocess
import sys
import threading
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import weaponsref as wr
from weaponsref.errors import (
    AreaFileError,
    DataFileError,
    GazetteerFileError,
    UnknownAreaError,
    UnknownPlaceError,
)
from weaponsref.gazetteer import (
    area,
    as_location,
    default_gazetteer,
    import_geonames,
    place,
    search_places,
)

geonames = importlib.import_module("weaponsref.gazetteer._geonames")
area_files = importlib.import_module("weaponsref.gazetteer._imported")

POSIX = pytest.mark.skipif(os.name == "nt", reason="FIFOs, devices and flock are POSIX")


def row(geonameid: int = 9_999_901, name: str = "Zelenyi Yar") -> str:
    """One line of GeoNames' geoname table (19 tab-separated columns)."""
    columns = [str(geonameid), name, name, "", "50.1", "30.2", "P", "PPL", "UA", ""]
    columns += ["13", "", "", "", "350", "", "150", "Europe/Kyiv", "2024-01-01"]
    return "\t".join(columns) + "\n"


@pytest.fixture
def folder(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """The user data folder, as $WEAPONSREF_DATA_DIR names it (not made yet)."""
    path = tmp_path / "data"
    monkeypatch.setenv("WEAPONSREF_DATA_DIR", str(path))
    return path


def returns_within(call: Callable[[], Any], seconds: float, unblock: Path | None = None) -> Any:
    """Run ``call`` in a thread; fail unless it returns or raises within ``seconds``. Its
    result or exception comes back (an exception is returned, not raised). If it hangs on
    the FIFO ``unblock``, a writer is opened on it so that the thread can end."""
    outcome: list[Any] = []

    def run() -> None:
        try:
            outcome.append(call())
        except BaseException as error:  # handed to the test, which checks it
            outcome.append(error)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    hung = thread.is_alive()
    if hung and unblock is not None:
        with contextlib.suppress(OSError):
            os.close(os.open(unblock, os.O_WRONLY | os.O_NONBLOCK))
        thread.join(seconds)
    assert not hung, f"the call did not return within {seconds} s"
    return outcome[0]


# --------------------------------------------------------------------------- what a path is


@POSIX
def test_a_fifo_is_refused_at_once_and_never_opened(folder: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "cities500.txt"
    os.mkfifo(fifo)
    error = returns_within(lambda: import_geonames(fifo), 10, unblock=fifo)
    assert isinstance(error, GazetteerFileError), error
    assert error.path == str(fifo)
    assert "not a regular file" in error.problem
    assert not (folder / "geonames.sqlite").exists()


@POSIX
def test_a_fifo_named_like_a_zip_is_refused_too(folder: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "UA.zip"
    os.mkfifo(fifo)
    error = returns_within(lambda: import_geonames(fifo), 10, unblock=fifo)
    assert isinstance(error, GazetteerFileError), error
    assert "not a regular file" in str(error)


@POSIX
@pytest.mark.parametrize("device", ["/dev/zero", "/dev/null", "/dev/urandom"])
def test_a_device_is_refused(folder: Path, device: str) -> None:
    if not os.path.exists(device):
        pytest.skip(f"{device} is not on this system")
    error = returns_within(lambda: import_geonames(device), 10)
    assert isinstance(error, GazetteerFileError), error
    assert error.path == device
    assert "not a regular file" in error.problem


@pytest.mark.parametrize(
    ("make", "needle"),
    [
        (lambda tmp: tmp, "folder"),
        (lambda tmp: "", "empty path"),
        (lambda tmp: tmp / "missing.zip", "cannot be read"),
        (lambda tmp: tmp / "missing" / "UA.txt", "cannot be read"),
    ],
    ids=["folder", "empty path", "missing", "missing folder"],
)
def test_a_path_that_is_no_file_is_a_gazetteer_file_error(
    folder: Path, tmp_path: Path, make: Callable[[Path], Any], needle: str
) -> None:
    path = make(tmp_path)
    with pytest.raises(GazetteerFileError) as caught:
        import_geonames(path)
    error = caught.value
    assert isinstance(error, DataFileError)
    assert error.path == (str(path) if str(path) else "''")
    assert needle in error.problem
    assert "https://download.geonames.org/export/dump/" in error.problem


def test_a_path_of_the_wrong_type_is_an_argument_error(folder: Path) -> None:
    with pytest.raises(wr.ArgumentError, match="a GeoNames file must be a path"):
        import_geonames(5)  # type: ignore[arg-type]


def test_a_file_over_the_bound_is_refused_before_it_is_read(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(geonames, "_MAX_DUMP_BYTES", 100)
    big = tmp_path / "UA.txt"
    big.write_text(row() * 3, encoding="utf-8")
    with pytest.raises(GazetteerFileError, match="more than 100"):
        import_geonames(big)


def test_a_zip_member_over_the_bound_is_refused(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A small zip that unpacks to more than the bound: a zip bomb in miniature.
    archive = tmp_path / "UA.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as made:
        made.writestr("UA.txt", row() * 50)
    monkeypatch.setattr(geonames, "_MAX_DUMP_BYTES", archive.stat().st_size + 10)
    with pytest.raises(GazetteerFileError, match="bytes unpacked"):
        import_geonames(archive)


def test_the_text_read_is_bounded_whatever_a_zip_declares(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The stream itself stops at the bound, even if a member's declared size lied.
    monkeypatch.setattr(geonames, "_MAX_DUMP_BYTES", len(row().encode()) * 3)
    stream = io.BytesIO(row().encode() * 10)
    with pytest.raises(GazetteerFileError, match="line 4: the text is longer"):
        list(geonames._read_dump(stream, "UA.txt", geonames._Reading()))


# --------------------------------------------------------------------------- damaged zips


def _stored_zip(name: str = "UA.txt", text: str = row()) -> bytearray:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as made:
        made.writestr(name, text)
    return bytearray(buffer.getvalue())


def _encrypted() -> bytes:
    # zipfile cannot write an encrypted member: set the "encrypted" flag (bit 0 of the
    # general purpose flags, APPNOTE.TXT 4.4.4) in the local and the central header.
    data = _stored_zip()
    central = data.index(b"PK\x01\x02")
    data[6] |= 1
    data[central + 8] |= 1
    return bytes(data)


def _unsupported_method() -> bytes:
    # Compression method 99 (AES, APPNOTE.TXT 4.4.5), which zipfile cannot read.
    data = _stored_zip()
    central = data.index(b"PK\x01\x02")
    struct.pack_into("<H", data, 8, 99)
    struct.pack_into("<H", data, central + 10, 99)
    return bytes(data)


def _bad_local_header() -> bytes:
    data = _stored_zip()
    data[0:4] = b"XXXX"
    return bytes(data)


def _bad_crc() -> bytes:
    data = _stored_zip()
    at = data.index(b"Zelenyi")
    data[at] = ord("X")
    return bytes(data)


@pytest.mark.parametrize(
    ("make", "needle"),
    [
        (_encrypted, "is encrypted"),
        (_unsupported_method, "compression method is not supported"),
        (_bad_local_header, "Bad magic number"),
        (_bad_crc, "line 1: cannot be read, damaged or cut short (Bad CRC-32"),
    ],
    ids=["encrypted", "unsupported method", "bad local header", "bad CRC"],
)
def test_damaged_and_encrypted_zip_members_name_the_file(
    folder: Path, tmp_path: Path, make: Callable[[], bytes], needle: str
) -> None:
    good = tmp_path / "good.txt"
    good.write_text(row(), encoding="utf-8")
    import_geonames(good)
    before = (folder / "geonames.sqlite").read_bytes()
    archive = tmp_path / "UA.zip"
    archive.write_bytes(make())
    with pytest.raises(GazetteerFileError) as caught:
        import_geonames(archive)
    assert caught.value.path == str(archive)
    assert needle in str(caught.value)
    assert (folder / "geonames.sqlite").read_bytes() == before
    assert sorted(p.name for p in folder.iterdir()) == ["geonames.sqlite"]


# --------------------------------------------------------------------------- the user database


def _import_many(folder: Path, tmp_path: Path, count: int = 3000) -> Path:
    dump = tmp_path / "UA.txt"
    dump.write_text("".join(row(9_000_000 + i, f"Testville {i}") for i in range(count)))
    import_geonames(dump)
    return folder / "geonames.sqlite"


def test_a_damaged_user_database_is_a_gazetteer_file_error(folder: Path, tmp_path: Path) -> None:
    database = _import_many(folder, tmp_path)
    data = bytearray(database.read_bytes())
    half = len(data) // 2
    data[half:] = b"\xff" * (len(data) - half)  # the first pages (layout, meta) stay whole
    database.write_bytes(bytes(data))
    default_gazetteer().reload()
    with pytest.raises(GazetteerFileError) as caught:
        place("Testville 2999")
    assert caught.value.path == str(database)
    assert "places import FILE" in caught.value.problem


@pytest.mark.parametrize("kind", ["folder", "fifo"])
def test_a_user_database_that_is_no_file_is_refused_without_blocking(
    folder: Path, kind: str
) -> None:
    folder.mkdir()
    database = folder / "geonames.sqlite"
    if kind == "folder":
        database.mkdir()
    elif os.name == "nt":
        pytest.skip("no FIFOs on Windows")
    else:
        os.mkfifo(database)
    error = returns_within(
        lambda: place("Kyiv"), 10, unblock=None if kind == "folder" else database
    )
    assert isinstance(error, GazetteerFileError), error
    assert error.path == str(database)
    assert "not a regular file" in error.problem


# --------------------------------------------------------------------------- huge names


@pytest.mark.parametrize("size", [300, 100_000, 2_000_000])
def test_an_unknown_huge_name_is_cut_in_the_message(size: int) -> None:
    name = "Kyiv" + "x" * size
    with pytest.raises(UnknownPlaceError) as caught:
        place(name)
    assert len(str(caught.value)) < 300
    assert len(caught.value.name) <= 80
    assert search_places(name) == ()
    with pytest.raises(UnknownPlaceError) as located:
        as_location(name)
    assert len(str(located.value)) < 300


def test_a_huge_name_with_a_country_code_is_cut_too() -> None:
    # Before the cap, ".*\S\s*,\s*" of the country suffix backtracked over every space.
    name = "Moscow" + " " * 200_000 + "x, US"
    with pytest.raises(UnknownPlaceError) as caught:
        place(name)
    assert len(str(caught.value)) < 300


def test_an_unknown_huge_country_is_cut_in_the_message() -> None:
    with pytest.raises(UnknownAreaError) as caught:
        area("Ukraine" * 100_000)
    assert len(str(caught.value)) < 400
    assert caught.value.suggestions == ()


# --------------------------------------------------------------------------- a killed import


def test_a_later_import_removes_what_a_killed_one_left(folder: Path, tmp_path: Path) -> None:
    folder.mkdir()
    leftover = folder / ".geonames-k1ll3d.tmp"
    leftover.write_bytes(b"half a database")
    dump = tmp_path / "UA.txt"
    dump.write_text(row(), encoding="utf-8")
    import_geonames(dump)
    assert sorted(p.name for p in folder.iterdir()) == ["geonames.sqlite"]


@POSIX
def test_the_temporary_file_of_a_running_import_is_left_alone(folder: Path, tmp_path: Path) -> None:
    import fcntl

    folder.mkdir()
    running = folder / ".geonames-running.tmp"
    with open(running, "wb") as held:
        fcntl.flock(held.fileno(), fcntl.LOCK_EX)  # as a running import holds its file
        dump = tmp_path / "UA.txt"
        dump.write_text(row(), encoding="utf-8")
        import_geonames(dump)
        assert running.exists()
    import_geonames(dump)  # the lock is gone with the "process": now it is a leftover
    assert not running.exists()


@POSIX
def test_an_import_killed_mid_way_leaves_a_file_the_next_import_removes(
    folder: Path, tmp_path: Path
) -> None:
    dump = tmp_path / "UA.txt"
    dump.write_text(row() + row(9_999_902, "Lisove"), encoding="utf-8")
    # A real SIGKILL while the database is being written: no finally clause runs.
    code = (
        "import os, signal\n"
        "from weaponsref.gazetteer import _geonames, import_geonames\n"
        "def killed(path, *rest):\n"
        "    open(path, 'ab').write(b'half written')\n"
        "    os.kill(os.getpid(), signal.SIGKILL)\n"
        "_geonames._write_database = killed\n"
        f"import_geonames({str(dump)!r})\n"
    )
    environment = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(p for p in sys.path if p),
        "WEAPONSREF_DATA_DIR": str(folder),
    }
    result = subprocess.run(
        [sys.executable, "-c", code], env=environment, capture_output=True, timeout=120
    )
    assert result.returncode == -signal.SIGKILL, result.stderr
    left = [p.name for p in folder.iterdir()]
    assert len(left) == 1 and left[0].startswith(".geonames-") and left[0].endswith(".tmp")
    info = import_geonames(dump)
    assert info.rows == 2
    assert sorted(p.name for p in folder.iterdir()) == ["geonames.sqlite"]


# --------------------------------------------------------------------------- area files


def test_area_file_faults_are_area_file_errors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    missing = tmp_path / "missing.geojson"
    with pytest.raises(AreaFileError, match="cannot be read") as caught:
        area(missing)
    assert caught.value.path == str(missing)
    folder = tmp_path / "shapes.geojson"
    folder.mkdir()
    with pytest.raises(AreaFileError, match="not a regular file"):
        area(folder)
    broken = tmp_path / "broken.geojson"
    broken.write_text("{not json", encoding="utf-8")
    with pytest.raises(AreaFileError, match="not a GeoJSON file"):
        area(broken)
    point = tmp_path / "point.geojson"
    point.write_text('{"type": "Point", "coordinates": [30, 50]}', encoding="utf-8")
    with pytest.raises(AreaFileError) as caught:
        area(str(point))
    assert caught.value.path == str(point)
    big = tmp_path / "big.geojson"
    big.write_text('{"type": "Polygon", "coordinates": []}' + " " * 100, encoding="utf-8")
    monkeypatch.setattr(area_files, "MAX_AREA_FILE_BYTES", 50)
    with pytest.raises(AreaFileError, match="at most 50"):
        area(big)


@POSIX
def test_an_area_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "area.geojson"
    os.mkfifo(fifo)
    error = returns_within(lambda: area(fifo), 10, unblock=fifo)
    assert isinstance(error, AreaFileError), error
    assert "not a regular file" in error.problem


def test_an_area_file_is_still_read(tmp_path: Path) -> None:
    square = tmp_path / "square.geojson"
    ring = [[30.0, 50.0], [31.0, 50.0], [31.0, 51.0], [30.0, 51.0], [30.0, 50.0]]
    square.write_text(
        '{"type": "Feature", "properties": {"name": "Square"}, "geometry": '
        f'{{"type": "Polygon", "coordinates": [{ring}]}}}}',
        encoding="utf-8",
    )
    found = area(square)
    assert found.name == "Square"
    assert wr.distance(found, (50.5, 30.5)).m_as("m") == 0.0
