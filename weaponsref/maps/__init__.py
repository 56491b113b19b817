"""Range-ring maps, offline: published ranges drawn as rings on country outlines.

Needs the ``maps`` extra (``pip install 'weaponsref[maps]'``); importing it without matplotlib
raises :class:`~weaponsref.errors.MissingExtraError`. Only the names below cross this
package's border.
"""

from __future__ import annotations

from ._maps import FORMATS, MAX_ORIGINS, MIN_FONT_PX, OriginLike, RingLike, range_map

__all__ = ["FORMATS", "MAX_ORIGINS", "MIN_FONT_PX", "OriginLike", "RingLike", "range_map"]
