"""Collection settings for pytest: the package's docstrings run as doctests."""

collect_ignore = ["weaponsref/__main__.py", "docs", "benchmarks", "tools"]
