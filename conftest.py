"""Collection settings for pytest: the package's docstrings run as doctests.

Every test, doctests too, gets its own empty user data folder, so that a gazetteer the
developer imported (``weaponsref places import``) changes no result and no test writes one.
"""

from __future__ import annotations

import pytest

collect_ignore = ["weaponsref/__main__.py", "docs", "benchmarks", "tools"]


@pytest.fixture(autouse=True)
def _own_user_data_folder(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> None:
    monkeypatch.setenv("WEAPONSREF_DATA_DIR", str(tmp_path_factory.mktemp("user-data")))
