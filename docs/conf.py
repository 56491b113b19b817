"""Sphinx configuration for the weaponsref docs.

Build the site and run every example:

    sphinx-build -W --keep-going -b html docs docs/_build/html
    sphinx-build -W -b doctest docs docs/_build/doctest

The catalogue, system, places, sources and command-line pages are generated from the
package's data when the build starts, by ``_ext/weaponsref_docs.py``, into ``_generated/``.
The range explorer's data and JavaScript are written into the site's ``_static/explorer/`` by
``_ext/weaponsref_explorer.py``; it needs ``npm ci`` run first (``node_modules``).
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
# The package from this checkout, not another installed copy; and the docs' own extension.
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE / "_ext"))

import weaponsref  # noqa: E402

project = "weaponsref"
author = "weaponsref maintainers"
copyright = "weaponsref maintainers; GeoNames data CC BY 4.0; Natural Earth public domain"
release = weaponsref.__version__
version = ".".join(release.split(".")[:2])

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "sphinx.ext.doctest",
    "sphinx.ext.viewcode",
    "weaponsref_docs",
    "weaponsref_explorer",
]

source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
root_doc = "index"
# Snippets are included into pages, never pages of their own.
exclude_patterns = ["_build", "_generated/snippets", "Thumbs.db", ".DS_Store"]
language = "en"
today_fmt = "%Y-%m-%d"
# Quoted phrases must reach the page exactly as the sources wrote them: no curly quotes,
# dashes or ellipses made up by docutils.
smartquotes = False
# An unlabelled code block (the README's table, commands) is plain text, not Python.
highlight_language = "text"

# -- MyST ------------------------------------------------------------------------------------
myst_enable_extensions = ["colon_fence", "deflist", "fieldlist"]
myst_heading_anchors = 3

# -- autodoc and napoleon ----------------------------------------------------------------------
autodoc_member_order = "bysource"
autodoc_typehints = "signature"
# Keep the names of the public type aliases in signatures instead of their expansions.
autodoc_type_aliases = {
    "LocationLike": "weaponsref.gazetteer.LocationLike",
    "RangeLike": "weaponsref.reach.RangeLike",
    "Quantity": "pint.Quantity",
}
napoleon_google_docstring = True
napoleon_numpy_docstring = False
napoleon_use_rtype = False

# -- doctest -----------------------------------------------------------------------------------
# Examples import what they use, so that each reads on its own; only the optional
# folium is looked up here, for the one example that needs it.
doctest_global_setup = """
try:
    import folium
except ImportError:
    folium = None
"""

# -- HTML ----------------------------------------------------------------------------------------
html_theme = "furo"
html_title = f"weaponsref {release}"
html_short_title = "weaponsref"
html_static_path = ["_static"]
html_css_files = ["weaponsref.css"]
html_favicon = "_static/favicon.svg"
html_last_updated_fmt = None
html_copy_source = False
html_show_sourcelink = False
html_theme_options = {"navigation_with_keys": True}
