"""The docs site, built for real and driven in a real browser (headless Chromium).

The session's site (tests/conftest.py builds it once with ``sphinx-build -W --keep-going -b
html`` into a temporary folder, or uses the built site ``$WEAPONSREF_SITE`` points to) is served on
a free loopback port with ``python -m http.server``, and drives Debian's Chromium through
Playwright. The doctest build is checked here too: it must run many examples and fail none,
and a wrong expected output must fail it.

Skips, each with its reason: Sphinx (the ``docs`` extra) not installed; Playwright (the
``test`` extra) not installed; ``/usr/bin/chromium`` absent (``apt-get install chromium``).
"""

from __future__ import annotations

import importlib.util
import re
import socket
import subprocess
import sys
import textwrap
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urldefrag, urljoin

import pytest

import weaponsref as wr

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
SCREENSHOTS = {"home": Path("/tmp/docs-home.png"), "bober": Path("/tmp/docs-bober.png")}
# A doctest build of these docs runs the guide's, the README's and the docstrings' examples:
# far more than this. Fewer means a page or a fence kind silently stopped being tested.
MIN_DOCTESTS = 100

SYSTEMS = [system.id for system in wr.systems()]


def _missing(*modules: str) -> str | None:
    for module in modules:
        if importlib.util.find_spec(module) is None:
            return module
    return None


def _need_sphinx() -> None:
    missing = _missing("sphinx", "myst_parser", "furo")
    if missing:
        pytest.skip(f"{missing} is not installed: pip install -e '.[docs]' to build the docs")


# --------------------------------------------------------------------------- fixtures


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture(scope="session")
def server(site: Path) -> Iterator[str]:
    """The site served over HTTP on a free loopback port; the base URL ends with '/'."""
    port = _free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "http.server",
            str(port),
            "--bind",
            "127.0.0.1",
            "--directory",
            str(site),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 15
        while True:
            try:
                with urllib.request.urlopen(base + "index.html", timeout=2):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"http.server did not start on port {port}") from None
                time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


class Page:
    """A browser tab that records JavaScript errors and console errors."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.errors: list[str] = []
        page.on("pageerror", lambda error: self.errors.append(f"pageerror: {error}"))
        page.on(
            "response",
            lambda response: (
                self.errors.append(f"HTTP {response.status}: {response.url}")
                if response.status >= 400
                else None
            ),
        )
        page.on(
            "console",
            lambda message: (
                self.errors.append(f"console.{message.type}: {message.text}")
                if message.type == "error"
                else None
            ),
        )

    def open(self, url: str) -> Any:
        response = self.page.goto(url, wait_until="load")
        assert response is not None, f"{url}: no response"
        assert response.ok, f"{url}: HTTP {response.status}"
        return response


@pytest.fixture
def tab(browser: Any, server: str) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        yield Page(context.new_page())
    finally:
        context.close()


# --------------------------------------------------------------------------- pages


def system_url(server: str, system_id: str) -> str:
    return f"{server}_generated/systems/{system_id}.html"


@pytest.mark.browser
def test_home_page_loads_and_says_what_it_is(tab: Page, server: str) -> None:
    tab.open(server + "index.html")
    text = tab.page.inner_text("article")
    assert "reference" in text
    assert "warheads" in text  # says what it leaves out
    assert "WGS84" in text
    assert "pip install '.[maps]' && weaponsref reach --from Kyiv --to Moscow" in text
    assert "pip install -e '.[test,maps,docs]' && pytest" in text
    assert tab.errors == []
    tab.page.screenshot(path=str(SCREENSHOTS["home"]), full_page=False)


@pytest.mark.browser
@pytest.mark.parametrize("system_id", SYSTEMS)
def test_system_page(tab: Page, server: str, system_id: str) -> None:
    system = wr.lookup(system_id)
    preferred = system.claim("range")
    tab.open(system_url(server, system_id))
    page = tab.page

    # The map drawn at build time is there and decodes.
    image = page.locator("article img").first
    image.wait_for()
    src = image.get_attribute("src") or ""
    assert "from-kyiv" in src
    page.wait_for_function("img => img.complete", arg=image.element_handle())
    assert image.evaluate("img => img.naturalWidth") > 0
    assert image.get_attribute("alt")

    # Values keep their number and unit together with a no-break space.
    text = page.inner_text("article").replace("\xa0", " ")
    assert page.locator("h1").first.inner_text().rstrip("#¶ \n") == system.name
    for needle in (
        preferred.describe(),
        preferred.value_text("km"),
        preferred.source.cited_as,
        preferred.quote,
    ):
        assert needle in text, f"{needle!r} is not on {system.name}'s page"
    # Every claim's exact phrase, not just the preferred one.
    for claim in system.claims:
        assert claim.quote in text, f"the phrase {claim.quote!r} is not on {system.name}'s page"
    assert "Where the sources disagree" in text
    assert tab.errors == []
    if system_id == "bober":
        page.screenshot(path=str(SCREENSHOTS["bober"]), full_page=False)


@pytest.mark.browser
def test_catalogue_links_every_system(tab: Page, server: str) -> None:
    tab.open(server + "_generated/catalogue.html")
    for system in wr.systems():
        link = tab.page.get_by_role("link", name=system.name, exact=True).first
        href = link.get_attribute("href") or ""
        assert href.endswith(f"systems/{system.id}.html"), href
    assert tab.errors == []


@pytest.mark.browser
def test_catalogue_table_sorts_and_filters(tab: Page, server: str) -> None:
    tab.open(server + "_generated/catalogue.html")
    page = tab.page
    systems = wr.systems()

    def visible_names() -> list[str]:
        return page.eval_on_selector_all(
            "#catalogue-table tbody tr:not([hidden]) th", "cells => cells.map(c => c.innerText)"
        )

    assert visible_names() == [s.name for s in systems]
    page.fill("#min-range", "1000")
    expected = [s.name for s in systems if s.claim("range").metres >= 1_000_000]
    assert visible_names() == expected
    assert page.inner_text("#shown") == f"{len(expected)} of {len(systems)} systems"
    page.fill("#min-range", "")
    page.select_option("#operator", "Ukraine")
    assert visible_names() == [s.name for s in systems if "Ukraine" in s.operators]
    page.select_option("#operator", "")
    page.select_option("#origin", "Russia")
    assert visible_names() == [s.name for s in systems if s.origin == "Russia"]
    page.select_option("#origin", "")
    page.click("#catalogue-table thead button[data-column='4']")  # Range, ascending
    by_range = sorted(systems, key=lambda s: s.claim("range").metres)
    assert visible_names() == [s.name for s in by_range]
    page.click("#catalogue-table thead button[data-column='4']")  # and descending
    metres = [wr.lookup(name).claim("range").metres for name in visible_names()]
    assert metres == sorted(metres, reverse=True) and len(metres) == len(systems)
    assert tab.errors == []


@pytest.mark.browser
def test_search_finds_storm_shadow(tab: Page, server: str) -> None:
    tab.open(server + "search.html?q=Storm+Shadow")
    results = tab.page.locator("#search-results ul.search li")
    results.first.wait_for(timeout=20_000)
    links = [
        results.nth(i).locator("a").first.get_attribute("href") or ""
        for i in range(results.count())
    ]
    assert any("systems/storm-shadow.html" in href for href in links), links
    assert tab.errors == []


# --------------------------------------------------------------------------- links


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for key in ("id", "name") if tag == "a" else ("id",):
            if values.get(key):
                self.ids.add(str(values[key]))
        target = (
            values.get("href")
            if tag in ("a", "link")
            else values.get("src")
            if tag in ("img", "script")
            else None
        )
        if target:
            self.links.append(target)


def _fetch(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, b""


@pytest.mark.browser
def test_every_internal_link_resolves(server: str) -> None:
    """Crawl every page from the index; every internal link and #anchor must exist."""
    pages: dict[str, _Links] = {}
    queue = [server + "index.html"]
    links: list[tuple[str, str]] = []  # (page it is on, absolute target)
    statuses: dict[str, int] = {}
    while queue:
        url = queue.pop()
        if url in pages:
            continue
        status, body = _fetch(url)
        statuses[url] = status
        assert status == 200, f"{url}: HTTP {status}"
        parser = _Links()
        parser.feed(body.decode("utf-8", errors="replace"))
        pages[url] = parser
        for href in parser.links:
            target = urljoin(url, href)
            if not target.startswith(server):
                continue  # another site, or mailto:, or javascript:
            links.append((url, target))
            page, _ = urldefrag(target)
            if page.endswith(".html") and page not in pages:
                queue.append(page)
    broken = []
    for on, target in links:
        page, fragment = urldefrag(target)
        if page not in statuses:
            statuses[page] = _fetch(page)[0]
        if statuses[page] != 200:
            broken.append(f"{on} -> {target}: HTTP {statuses[page]}")
        elif fragment and page in pages and fragment not in pages[page].ids:
            broken.append(f"{on} -> {target}: no element with id {fragment!r}")
    assert len(pages) > 20, sorted(pages)
    for system_id in SYSTEMS:
        assert system_url(server, system_id) in pages, f"no link leads to {system_id}'s page"
    assert broken == [], "\n".join(broken)


# --------------------------------------------------------------------------- doctests


def _summary(output: str) -> tuple[int, int]:
    """(tests run, failures) from the doctest builder's summary."""
    tests = re.search(r"^\s*(\d+) tests?\s*$", output, re.MULTILINE)
    failures = re.search(r"^\s*(\d+) failures? in tests\s*$", output, re.MULTILINE)
    assert tests, f"no doctest count in:\n{output}"
    assert failures, f"no doctest failure count in:\n{output}"
    return int(tests.group(1)), int(failures.group(1))


def test_doctest_build_runs_every_example(tmp_path: Path, sphinx: Any) -> None:
    _need_sphinx()
    result = sphinx("doctest", DOCS, tmp_path / "doctest", "-W")
    report = (tmp_path / "doctest" / "output.txt").read_text(encoding="utf-8")
    tests, failures = _summary(report)
    assert failures == 0, report
    assert result.returncode == 0, f"{result.stdout}\n{result.stderr}\n{report}"
    assert tests > MIN_DOCTESTS, report
    # Each kind of example is counted: the guide's {doctest} fences, the README's ```python
    # fences (turned into doctests by docs/_ext) and the docstrings in the API reference.
    for document in (
        "Document: index",
        "Document: guide/distances",
        "Document: readme",
        "Document: api/records",
    ):
        assert document in report, f"{document} ran no doctest"


def test_a_wrong_example_fails_the_doctest_build(tmp_path: Path, sphinx: Any) -> None:
    """Both ways of writing an example in MyST are really run: a wrong output fails."""
    _need_sphinx()
    source = tmp_path / "src"
    source.mkdir()
    (source / "conf.py").write_text(
        textwrap.dedent(
            f"""
            import sys
            sys.path.insert(0, {str(DOCS / "_ext")!r})
            from weaponsref_docs import mark_doctests
            extensions = ["myst_parser", "sphinx.ext.doctest"]
            def setup(app):
                app.connect("doctree-read", mark_doctests)
            """
        ),
        encoding="utf-8",
    )
    fence = "```"
    (source / "index.md").write_text(
        f"# Wrong\n\n{fence}{{doctest}}\n>>> 1 + 1\n3\n{fence}\n\n"
        f"{fence}python\n>>> 2 + 2\n5\n{fence}\n\n{fence}python\n>>> 3 + 3\n6\n{fence}\n",
        encoding="utf-8",
    )
    result = sphinx("doctest", source, tmp_path / "out")
    report = (tmp_path / "out" / "output.txt").read_text(encoding="utf-8")
    assert result.returncode != 0, report
    assert _summary(report) == (3, 2), report
