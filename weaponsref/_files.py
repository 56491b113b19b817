"""Writing files so that a reader never sees half of one.

A file is written beside its place and renamed into it in one step
(:func:`write_atomically`); a folder of files (an export package) is written whole beside its
place and swapped for it in one step (:func:`write_folder_atomically`). While a write runs,
its temporary file or folder is locked (``flock``), so the next write of the same path can
tell what a killed run left behind (unlocked) from what a running one is writing (locked),
and clears only the first (:func:`clear_leftovers`). Every fault while writing (a full disk,
no permission, a read-only disk) is a :class:`WriteError` naming the file being written, and
leaves what was there before as it was.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import shutil
import stat
import sys
import tempfile
from collections.abc import Collection, Iterator, Mapping
from typing import Final

from weaponsref._text import shorten
from weaponsref.errors import WriteError

__all__ = ["WriteError", "clear_leftovers", "write_atomically", "write_folder_atomically"]

_PART: Final = ".part"
_OLD: Final = ".old"


@contextlib.contextmanager
def _writing(shown: str) -> Iterator[None]:
    """Turn any OSError of the block into a :class:`WriteError` naming ``shown``."""
    try:
        yield
    except WriteError:
        raise
    except OSError as error:
        code = error.errno if error.errno is not None else errno.EIO
        raise WriteError(code, error.strerror or str(error), shown) from error


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


def _leftover_pattern(*names: str) -> re.Pattern[str]:
    """The names the temporary files and folders of writes of ``names`` take."""
    alternatives = "|".join(re.escape(name) for name in names)
    return re.compile(rf"\.(?:{alternatives})\.[^/\\]+(?:{re.escape(_PART)}|{re.escape(_OLD)})\Z")


def clear_leftovers(target: str | os.PathLike[str]) -> list[str]:
    """Remove what killed writes of ``target`` left beside it (``.NAME.*.part`` files and
    folders, ``.NAME.*.old`` folders) and return their paths; a leftover a running write
    still holds is kept. An old folder a killed swap moved aside is moved back when nothing
    took its place."""
    path = os.path.abspath(os.fspath(target))
    folder, base = os.path.split(path)
    pattern = _leftover_pattern(base)
    removed: list[str] = []
    try:
        names = os.listdir(folder)
    except OSError:
        return removed
    for name in sorted(names):
        leftover = os.path.join(folder, name)
        if not pattern.match(name) or not _abandoned(leftover):
            continue
        with contextlib.suppress(OSError):
            if name.endswith(_OLD) and not os.path.lexists(path):
                os.rename(leftover, path)  # killed between its two renames: put it back
            elif os.path.isdir(leftover) and not os.path.islink(leftover):
                shutil.rmtree(leftover)
            else:
                os.unlink(leftover)
            removed.append(leftover)
    return removed


def _write_all(descriptor: int, data: bytes) -> None:
    """Write every byte of ``data`` to ``descriptor`` and sync it to the disk."""
    view = memoryview(data)
    while view:
        view = view[os.write(descriptor, view) :]
    os.fsync(descriptor)


def _sync_folder(folder: str) -> None:
    """Make a folder's renames durable, where the platform can (never raises)."""
    with contextlib.suppress(OSError, AttributeError):
        handle = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        try:
            os.fsync(handle)
        finally:
            os.close(handle)


def write_atomically(path: str | os.PathLike[str], data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path``, then rename it into place, so that
    a full disk or a crash never leaves a truncated file where a good one was. What an
    earlier, killed write of the same path left beside it is cleared first.

    Raises :class:`WriteError` (an OSError) naming ``path`` when it cannot be written; the
    file there before is unchanged and the temporary file is removed.
    """
    target = os.path.abspath(os.fspath(path))
    shown = os.fspath(path)
    clear_leftovers(target)
    with _writing(shown):
        handle, temporary = tempfile.mkstemp(
            prefix=f".{os.path.basename(target)}.", suffix=_PART, dir=os.path.dirname(target)
        )
    try:
        with _writing(shown), _locked(temporary):
            try:
                _write_all(handle, data)
            finally:
                os.close(handle)
            os.chmod(temporary, 0o644)
            os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    _sync_folder(os.path.dirname(target))


# --------------------------------------------------------------------------- folders


def _holds(folder: str, inner: str) -> bool:
    """Whether the folder ``inner`` is ``folder`` or inside it (links followed)."""
    folder, inner = os.path.realpath(folder), os.path.realpath(inner)
    return inner == folder or inner.startswith(folder.rstrip(os.sep) + os.sep)


def _current() -> str | None:
    """The current folder, or None if it has been removed."""
    try:
        return os.getcwd()
    except OSError:
        return None


def _check_replaceable(target: str, names: set[str]) -> None:
    """Refuse a ``target`` that is a file, holds the current folder, or holds anything but
    ``names`` (and leftovers of earlier writes of them)."""
    if not os.path.lexists(target):
        return
    shown = shorten(repr(target), 120)
    if not os.path.isdir(target):
        raise FileExistsError(f"{shown} exists and is not a folder; give a new folder's name")
    current = _current()
    if current is not None and _holds(target, current) and not _holds(current, target):
        raise FileExistsError(f"{shown} holds the current folder; give a new folder's name")
    leftovers = _leftover_pattern(*names, os.path.basename(target))
    others = sorted(
        name for name in os.listdir(target) if name not in names and not leftovers.match(name)
    )
    if others:
        listed = ", ".join(shorten(name, 40) for name in others[:3])
        listed += f" and {len(others) - 3} more" if len(others) > 3 else ""
        raise FileExistsError(
            f"{shown} holds other files ({listed}); give a new or empty folder, or one an "
            "earlier export made"
        )


def _in_place(target: str) -> bool:
    """Whether ``target`` must be written file by file rather than swapped: it is the current
    folder (a shell standing in it would be left in the old, removed one), a mount point, or
    its parent folder cannot be written."""
    if not os.path.isdir(target):
        return False
    parent, current = os.path.dirname(target), _current()
    return (
        (current is not None and _holds(target, current))
        or os.path.ismount(target)
        or not os.access(parent, os.W_OK | os.X_OK)
    )


def _exchange(first: str, second: str) -> bool:
    """Swap two existing paths in one step (Linux ``renameat2(RENAME_EXCHANGE)``); False where
    the system or the file system cannot."""
    if not sys.platform.startswith("linux"):
        return False
    import ctypes

    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return False
    at_cwd, exchange = -100, 2
    if renameat2(at_cwd, os.fsencode(first), at_cwd, os.fsencode(second), exchange) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), second)


def _swap_in(temporary: str, target: str) -> str | None:
    """Put the finished folder ``temporary`` at ``target`` in one step; return where the old
    ``target`` now is (to be removed), or None if there was none."""
    if not os.path.lexists(target):
        os.rename(temporary, target)
        return None
    if _exchange(temporary, target):
        return temporary
    # No exchange here: move the old folder aside (locked, so that no other write takes it
    # for a leftover), then the new one in. A kill in between leaves no target; the next
    # write moves the old folder back (clear_leftovers).
    old = tempfile.mkdtemp(
        prefix=f".{os.path.basename(target)}.", suffix=_OLD, dir=os.path.dirname(target)
    )
    os.rmdir(old)
    with _locked(target):
        os.rename(target, old)
        try:
            os.rename(temporary, target)
        except BaseException:
            os.rename(old, target)
            raise
    return old


def _fill(folder: str, files: Mapping[str, bytes], shown: str) -> None:
    """Write ``files`` into the new ``folder``, each synced, naming ``shown``/NAME in an error."""
    for name, data in files.items():
        with _writing(os.path.join(shown, name)):
            flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
            handle = os.open(os.path.join(folder, name), flags, 0o644)
            try:
                _write_all(handle, data)
            finally:
                os.close(handle)
    os.chmod(folder, 0o755)
    _sync_folder(folder)


def write_folder_atomically(
    path: str | os.PathLike[str],
    files: Mapping[str, bytes],
    replaceable: Collection[str] = (),
) -> None:
    """Write ``files`` (name -> bytes) as the folder ``path``, whole or not at all.

    ``path`` must be new, empty, or hold only files this call writes or names in
    ``replaceable`` (what an earlier version wrote): a folder with anything else in it, a
    file, or a folder that holds the current one raises :class:`FileExistsError` naming it,
    and nothing is written. A link to a folder stands for the folder.

    The files go into a temporary folder beside ``path``; only when every one is written and
    synced is it swapped for ``path`` (an old folder there is then removed). A reader sees
    the old package or the new one, never a mix. On Linux the two folders are exchanged in
    one step, so there is never a moment without a package either; elsewhere (or on a file
    system that cannot exchange) the old folder is moved aside and the new one in, and a
    run killed between those two renames leaves no folder, which the next write puts back.
    What a killed run left beside ``path`` is cleared first.

    Where the folder cannot be swapped (it is the current folder, a mount point, or its
    parent folder is read-only) the temporary folder is made inside it, and the files, every
    one written and synced, are renamed into place one after another: a full disk or a kill
    while writing still leaves the old files as they were.

    Raises :class:`WriteError` (an OSError) naming the file being written when one cannot
    be written (a full disk, no permission); the old folder is then as it was and nothing is
    left beside it.
    """
    shown = os.fspath(path)
    target = os.path.abspath(shown)
    if os.path.islink(target) and os.path.isdir(target):
        target = os.path.realpath(target)
    names = {*files, *replaceable}
    _check_replaceable(target, names)
    if _in_place(target):
        _write_in_place(target, files, names, shown)
        return
    clear_leftovers(target)
    with _writing(shown):
        os.makedirs(os.path.dirname(target), exist_ok=True)
        temporary = tempfile.mkdtemp(
            prefix=f".{os.path.basename(target)}.", suffix=_PART, dir=os.path.dirname(target)
        )
    old = None
    try:
        with _locked(temporary):
            _fill(temporary, files, shown)
            with _writing(shown):
                old = _swap_in(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            shutil.rmtree(temporary)
        raise
    _sync_folder(os.path.dirname(target))
    if old is not None:
        with contextlib.suppress(OSError):
            shutil.rmtree(old)


def _write_in_place(target: str, files: Mapping[str, bytes], names: set[str], shown: str) -> None:
    """:func:`write_folder_atomically` for a folder that cannot be swapped: every file
    written and synced in a temporary folder inside it, then each renamed into place, and
    the ``names`` an earlier write left that this one does not write removed."""
    for name in (os.path.basename(target), *sorted(names)):
        clear_leftovers(os.path.join(target, name))
    with _writing(shown):
        temporary = tempfile.mkdtemp(
            prefix=f".{os.path.basename(target)}.", suffix=_PART, dir=target
        )
    try:
        with _locked(temporary):
            _fill(temporary, files, shown)
            for name in files:
                with _writing(os.path.join(shown, name)):
                    os.replace(os.path.join(temporary, name), os.path.join(target, name))
            for name in sorted(names - set(files)):
                path = os.path.join(target, name)
                with contextlib.suppress(OSError):
                    if stat.S_ISREG(os.lstat(path).st_mode):
                        os.unlink(path)
            _sync_folder(target)
    finally:
        with contextlib.suppress(OSError):
            shutil.rmtree(temporary)
