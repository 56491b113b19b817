"""Fixtures shared by the browser tests (tests/test_docs_site.py, tests/test_explorer.py,
and the SVG check in tests/test_maps.py)."""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

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
