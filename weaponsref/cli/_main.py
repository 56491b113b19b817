"""Running the ``weaponsref`` command: the catalogue it uses, one-line warnings and errors,
exit status 2 for every error and never a traceback, and a quiet end when a pipe closes."""

from __future__ import annotations

import argparse
import contextlib
import gc
import os
import sys
import warnings
from collections.abc import Iterator, Sequence
from typing import TextIO

from weaponsref.cli._common import (
    CATALOGUE_ENV,
    EXIT_ERROR,
    CommandLineError,
    cap,
    given_arguments,
    one_line,
)
from weaponsref.cli._completion import autocomplete
from weaponsref.cli._parser import build_parser, join_negative_points, reserved_parser
from weaponsref.errors import WeaponsrefError, WeaponsrefWarning

__all__ = ["main"]

#: The exit status after Ctrl-C, as a shell gives it.
_INTERRUPTED = 130


def _quiet_broken_pipe() -> int:
    # The reader (`| head`) has gone: point stdout at /dev/null so that Python's own flush at
    # exit does not raise again, and end quietly as a well-behaved filter does.
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
    return 0


def _one_line_warning(
    message: Warning | str,
    category: type[Warning],
    filename: str,
    lineno: int,
    file: TextIO | None = None,
    line: str | None = None,
) -> None:
    print(f"weaponsref: warning: {one_line(str(message))}", file=sys.stderr)


def _catalogue_path(args: argparse.Namespace) -> tuple[str | None, str]:
    """The catalogue file of --catalogue, else of a non-empty $WEAPONSREF_CATALOGUE (None
    for neither), and where it was given.

    Raises :class:`CommandLineError` for an empty --catalogue, or a file that does not exist.
    """
    path: str | None = getattr(args, "catalogue", None)
    where = "--catalogue"
    if path is None and os.environ.get(CATALOGUE_ENV):
        path, where = os.environ[CATALOGUE_ENV], CATALOGUE_ENV
    if path is None:
        return None, where
    if not path.strip():
        raise CommandLineError(f"{where}: the file name is empty; give the path of a TOML file")
    try:
        os.stat(path)
    except FileNotFoundError:
        raise CommandLineError(
            f"{where}: no such file: {cap(repr(path))}; give the path of a TOML catalogue file"
        ) from None
    except (OSError, ValueError):
        pass  # the loader says what is wrong with it
    return path, where


@contextlib.contextmanager
def _catalogue_in_use(args: argparse.Namespace) -> Iterator[None]:
    """Use the catalogue of --catalogue, or of $WEAPONSREF_CATALOGUE, as it stood on --as-of,
    while a command runs.

    Raises :class:`CommandLineError` naming the option or variable for a missing or broken
    catalogue file or a bad date.
    """
    from weaponsref.catalogue import current_catalogue, load_catalogue, use_catalogue
    from weaponsref.errors import ArgumentValueError, CatalogueError

    path, where = _catalogue_path(args)
    as_of = getattr(args, "as_of", None)
    if path is None and not as_of:
        yield
        return
    catalogue = current_catalogue()
    if path is not None:
        try:
            catalogue = load_catalogue(path)
        except CatalogueError as error:
            raise CommandLineError(f"{where}: {error}") from None
    if as_of:
        try:
            catalogue = catalogue.as_of(as_of)
        except ArgumentValueError as error:
            raise CommandLineError(f"--as-of: {error}") from None
    with use_catalogue(catalogue):
        yield


def _parse(argv: Sequence[str] | None) -> argparse.Namespace:
    """The arguments, after a shell's completion request (which exits) if this is one."""
    words = list(sys.argv[1:] if argv is None else argv)
    reserved = reserved_parser(words)
    if reserved is not None:
        parser = reserved
        words = words[2:]
    else:
        parser = build_parser()
        words = join_negative_points(words)
    if argv is None and "_ARGCOMPLETE" in os.environ:
        autocomplete(parser)
    return parser.parse_args(words)


def _run(argv: Sequence[str] | None) -> int:
    """Parse and run the command; the exit status of a usage error, --help or --version."""
    try:
        args = _parse(argv)
    except SystemExit as exit_:  # a usage error (one line already printed), --help, --version
        return exit_.code if isinstance(exit_.code, int) else EXIT_ERROR
    with warnings.catch_warnings(), _catalogue_in_use(args):
        warnings.simplefilter("always", WeaponsrefWarning)
        warnings.showwarning = _one_line_warning
        args.run(args)
        sys.stdout.flush()
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv`` (default: ``sys.argv[1:]``) and return the exit
    status: 0, or 2 after any error (printed as one line on stderr, never a traceback), or
    130 after Ctrl-C.

    Run as the program (``argv`` None), it hands every object left to the permanent
    generation before it returns (:func:`gc.freeze`), so that the interpreter's exit does not
    spend a last garbage collection over matplotlib's and pint's objects (about a third of a
    second of a map command); called from Python with ``argv``, it leaves the collector
    alone."""
    try:
        return _main(argv)
    finally:
        if argv is None:
            gc.freeze()


def _main(argv: Sequence[str] | None) -> int:
    words = sys.argv[1:] if argv is None else argv
    with given_arguments(words):
        try:
            return _run(argv)
        except BrokenPipeError:
            return _quiet_broken_pipe()
        except (WeaponsrefError, ValueError, LookupError, OSError) as error:
            print(f"weaponsref: error: {one_line(str(error))}", file=sys.stderr)
            return EXIT_ERROR
        except KeyboardInterrupt:
            return _INTERRUPTED
        except RecursionError:
            print("weaponsref: error: the input nests too deeply", file=sys.stderr)
            return EXIT_ERROR
        except Exception as error:  # never a traceback: one line, and the bug is named
            print(
                f"weaponsref: error: internal error {type(error).__name__}: "
                f"{one_line(str(error))}; please report it",
                file=sys.stderr,
            )
            return EXIT_ERROR
