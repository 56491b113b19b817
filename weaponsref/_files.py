"""Writing files so that a reader never sees half of one.

A file is written beside its place and renamed into it in one step; a folder of files (an
export package) is written as a whole beside its place and swapped in. While a write runs,
its temporary file or folder is locked (``flock``), so the next write of the same path can
tell what a killed run left behind (unlocked) from what a running one is writing (locked),
and clears only the first.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Collection, Iterator, Mapping

__all__ = ["clear_leftovers", "write_atomically", "write_folder_atomically"]

_PART = ".part"
_OLD = ".old"


@contextlib.contextmanager
def _locked(path: str) -> Iterator[None]:
    """Hold an exclusive lock on ``path`` (a file or a folder) while the block runs; a no-op
    where the platform has no ``flock``."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        yield
        return
    handle = os.open(path, os.O_RDONLY)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        os.close(handle)


def _abandoned(path: str) -> bool:
    """Whether no live writer holds ``path``'s lock (so a killed run left it)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: never guess
        return False
    try:
        handle = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return False
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    finally:
        os.close(handle)
    return True


def clear_leftovers(target: str) -> list[str]:
    """Remove what killed writes of ``target`` left beside it (``.NAME.*.part`` files and
    folders, ``.NAME.*.old`` folders) and return their paths; a leftover a running write
    still holds is kept."""
    folder = os.path.dirname(os.path.abspath(target)) or "."
    prefix = f".{os.path.basename(os.path.abspath(target))}."
    removed: list[str] = []
    try:
        names = os.listdir(folder)
    except OSError:
        return removed
    for name in names:
        if not (name.startswith(prefix) and name.endswith((_PART, _OLD))):
            continue
        path = os.path.join(folder, name)
        if not _abandoned(path):
            continue
        with contextlib.suppress(OSError):
            if os.path.isdir(path) and not os.path.islink(path):
                shutil.rmtree(path)
            else:
                os.unlink(path)
            removed.append(path)
    return removed


def write_atomically(path: str | os.PathLike[str], data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path``, then rename it into place, so that
    a full disk or a crash never leaves a truncated file where a good one was. What an
    earlier, killed write of the same path left beside it is cleared first. OSError
    propagates; the temporary file is removed on any failure."""
    target = os.fspath(path)
    folder = os.path.dirname(os.path.abspath(target))
    clear_leftovers(target)
    handle, temporary = tempfile.mkstemp(
        prefix=f".{os.path.basename(target)}.", suffix=_PART, dir=folder
    )
    try:
        with _locked(temporary), os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
            os.chmod(temporary, 0o644)
            os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def _check_replaceable(target: str, names: set[str]) -> None:
    if not os.path.lexists(target):
        return
    if os.path.islink(target) or not os.path.isdir(target):
        raise FileExistsError(f"{target} exists and is not a folder; give a new folder's name")
    if target == os.path.abspath(os.getcwd()) or os.getcwd().startswith(target + os.sep):
        raise FileExistsError(
            f"{target} is the current folder (or holds it); give a new folder's name"
        )
    others = sorted(set(os.listdir(target)) - names)
    if others:
        shown = ", ".join(others[:3]) + (f" and {len(others) - 3} more" if len(others) > 3 else "")
        raise FileExistsError(
            f"{target} holds other files ({shown}); give a new or empty folder, or one an "
            "earlier export made"
        )


def write_folder_atomically(
    path: str | os.PathLike[str],
    files: Mapping[str, bytes],
    replaceable: Collection[str] = (),
) -> None:
    """Write ``files`` (name -> bytes) as the folder ``path``, whole or not at all.

    ``path`` must be new, empty, or hold only files this call writes or names in
    ``replaceable`` (what an earlier version wrote): a folder with anything else in it, a
    file, or the current working folder raises :class:`FileExistsError` naming it, and
    nothing is written.

    The files go into a temporary folder beside ``path``; only when every one is written and
    synced is it swapped for ``path`` (an old folder there is moved aside, then removed).
    A reader sees the old package or the new one, never a mix; a full disk leaves the old
    one as it was and the OSError names the file that could not be written. What a killed
    run left beside ``path`` is cleared first.
    """
    target = os.path.abspath(os.fspath(path))
    parent = os.path.dirname(target)
    base = os.path.basename(target)
    _check_replaceable(target, {*files, *replaceable})
    clear_leftovers(target)
    temporary = tempfile.mkdtemp(prefix=f".{base}.", suffix=_PART, dir=parent)
    old = None
    try:
        with _locked(temporary):
            for name, data in files.items():
                file = os.path.join(temporary, name)
                try:
                    with open(file, "wb") as stream:
                        stream.write(data)
                        stream.flush()
                        os.fsync(stream.fileno())
                except OSError as error:
                    raise type(error)(
                        error.errno,
                        f"{error.strerror} while writing {name}",
                        os.path.join(target, name),
                    ) from None
                os.chmod(file, 0o644)
            os.chmod(temporary, 0o755)
            if os.path.lexists(target):
                old = tempfile.mkdtemp(prefix=f".{base}.", suffix=_OLD, dir=parent)
                os.rmdir(old)
                os.rename(target, old)
            os.rename(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            shutil.rmtree(temporary)
        if old is not None and not os.path.lexists(target):
            with contextlib.suppress(OSError):
                os.rename(old, target)
        raise
    if old is not None:
        with contextlib.suppress(OSError):
            shutil.rmtree(old)
