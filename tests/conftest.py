"""Fixtures shared by the docs and browser tests (tests/test_docs_site.py, the explorer's
tests/test_explorer*.py, and the SVG check in tests/test_maps.py): a Sphinx runner, the built
HTML site (built once per session), Chromium, and the explorer page in a tab that records
every request and error (:class:`Tab`; the ``tab`` and ``new_tab`` fixtures). It also makes
the shared helpers (tests/helpers.py) importable as ``helpers``."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DOCS = ROOT / "docs"

# tests/ is not a package and pytest imports it in importlib mode, which puts nothing on
# sys.path: this folder goes there so that the test modules can import tests/helpers.py.
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _missing(*modules: str) -> str | None:
    for module in modules:
        if importlib.util.find_spec(module) is None:
            return module
    return None


def _sphinx(
    builder: str,
    source: Path,
    out: Path,
    *extra: str,
    env: dict[str, str] | None = None,
    timeout: float = 300,
) -> subprocess.CompletedProcess[str]:
    """Run ``sphinx-build -b builder`` from ``source`` into ``out`` in a fresh process."""
    command = [sys.executable, "-m", "sphinx", "-b", builder, "-d", str(out / ".doctrees")]
    return subprocess.run(
        [*command, *extra, str(source), str(out)],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        env=env,
    )


@pytest.fixture(scope="session")
def sphinx() -> Callable[..., subprocess.CompletedProcess[str]]:
    """The Sphinx runner: ``sphinx(builder, source, out, *extra, env=None, timeout=300)``."""
    return _sphinx


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The built HTML site, once for the session: $WEAPONSREF_SITE if set, else a fresh
    ``-W --keep-going`` build."""
    given = os.environ.get("WEAPONSREF_SITE")
    if given:
        path = Path(given)
        assert (path / "index.html").is_file(), f"WEAPONSREF_SITE={given} holds no index.html"
        return path
    missing = _missing("sphinx", "myst_parser", "furo")
    if missing:
        pytest.skip(f"{missing} is not installed: pip install -e '.[docs]' to build the docs")
    out = tmp_path_factory.mktemp("site")
    result = _sphinx("html", DOCS, out, "-W", "--keep-going", "-q")
    assert result.returncode == 0, f"the docs build failed:\n{result.stdout}\n{result.stderr}"
    return out


@pytest.fixture(scope="session")
def chromium_launch() -> dict[str, Any]:
    """How to launch Debian's Chromium, headless, through Playwright (never a browser
    Playwright downloads): the keyword arguments of ``playwright.chromium.launch``."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is absent: apt-get install chromium to run the browser tests")
    if _missing("playwright"):
        pytest.skip("playwright is not installed: pip install -e '.[test]'")
    return {"executable_path": str(CHROMIUM), "headless": True, "args": CHROMIUM_ARGS}


# One for the session: a second sync Playwright cannot start while another runs.
@pytest.fixture(scope="session")
def browser(chromium_launch: dict[str, Any]) -> Iterator[Any]:
    """Chromium as :func:`chromium_launch` says, for the session."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(**chromium_launch)
        try:
            yield chromium
        finally:
            chromium.close()


# --------------------------------------------------------------------------- the explorer


@pytest.fixture(scope="session")
def explorer_site(request: pytest.FixtureRequest) -> Path:
    """The session's built site (tests/conftest.py), with its explorer page; skipped without
    ``node_modules``, which the page's build needs."""
    if not os.environ.get("WEAPONSREF_SITE") and not (ROOT / "node_modules" / "d3-geo").is_dir():
        pytest.skip("node_modules is missing: run `npm ci` to build the explorer page")
    path: Path = request.getfixturevalue("site")
    assert (path / "explorer.html").is_file(), f"{path} has no explorer"
    return path


class Tab:
    """A tab on the explorer that records every request and every error."""

    def __init__(self, browser: Any, site: Path, width: int = 1280) -> None:
        self.context = browser.new_context(
            viewport={"width": width, "height": 900}, accept_downloads=True
        )
        self.page = self.context.new_page()
        self.site = site
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("pageerror", lambda error: self.errors.append(f"pageerror: {error}"))
        self.page.on(
            "console",
            lambda message: (
                self.errors.append(f"console.{message.type}: {message.text}")
                if message.type == "error"
                else None
            ),
        )

    def url(self, state: str = "") -> str:
        return (self.site / "explorer.html").resolve().as_uri() + (f"#{state}" if state else "")

    def open(self, state: str = "") -> None:
        self.page.goto(self.url(state), wait_until="load")
        self.page.wait_for_selector("#explorer[data-ready=true]")

    def rows(self) -> list[dict[str, str]]:
        """The verdict table as {header: cell text} per row."""
        return self.page.evaluate(
            """() => {
              const table = document.querySelector('.explorer-table');
              if (table.hidden) return [];
              const heads = [...table.querySelectorAll('thead th')].map(th => th.textContent);
              return [...table.querySelectorAll('tbody tr')].map(tr => Object.fromEntries(
                [...tr.children].map((cell, i) => [heads[i], cell.textContent.trim()])));
            }"""
        )

    def download(self, button: str) -> Path:
        with self.page.expect_download() as info:
            self.page.get_by_role("button", name=button).click()
        path = info.value.path()
        assert path is not None
        return Path(path)

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def tab(browser: Any, explorer_site: Path) -> Iterator[Tab]:
    opened = Tab(browser, explorer_site)
    try:
        yield opened
    finally:
        opened.close()


@pytest.fixture
def new_tab(browser: Any, explorer_site: Path) -> Iterator[Callable[..., Tab]]:
    """Opens more tabs on the explorer: ``new_tab(width=1280)``; all closed at the end."""
    opened: list[Tab] = []

    def make(width: int = 1280) -> Tab:
        opened.append(Tab(browser, explorer_site, width=width))
        return opened[-1]

    try:
        yield make
    finally:
        for each in opened:
            each.close()


# --------------------------------------------------------------------------- parallel runs


#: The fixtures that build the docs site or start Chromium: once per worker process.
_SHARED_PER_WORKER = frozenset({"site", "browser", "explorer_site", "chromium_launch"})


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist's hook reads the groups
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Under pytest-xdist (``-n 2 --dist loadgroup``, as the README's test command runs),
    every test that needs the built site or Chromium goes to one worker, so that the site is
    built once and one Chromium runs, as in a serial run."""
    for item in items:
        if _SHARED_PER_WORKER & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.xdist_group("site"))
