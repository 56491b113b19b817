"""Reach: where a system's published claim meets the WGS84 geodesy.

Distances between named places, reach verdicts, range rings and exact bulk masks for
systems, claims or plain lengths. Only the names below cross this package's border.

>>> from weaponsref import reach
>>> reach.reaches("HIMARS", "Kyiv", "Moscow").status
'does not reach'
"""

from __future__ import annotations

from ._reach import (
    DOES_NOT_REACH,
    MAX_ORIGINS,
    NOT_ESTABLISHED,
    REACHES,
    STATUSES,
    OriginLike,
    PlacesWithin,
    RangeLike,
    Reach,
    distance,
    places_within,
    range_claim,
    range_ring,
    reach_table,
    reaches,
    resolve_range,
    within_range,
)
from ._reach import _area_of as area_of
from ._reach import _nearest_origin as nearest_origin

__all__ = [
    "DOES_NOT_REACH",
    "MAX_ORIGINS",
    "NOT_ESTABLISHED",
    "REACHES",
    "STATUSES",
    "OriginLike",
    "PlacesWithin",
    "RangeLike",
    "Reach",
    "area_of",
    "distance",
    "nearest_origin",
    "places_within",
    "range_claim",
    "range_ring",
    "reach_table",
    "reaches",
    "resolve_range",
    "within_range",
]
