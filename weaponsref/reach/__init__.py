"""Reach: where a system's published claim meets the WGS84 geodesy.

Distances between named places, reach verdicts, range rings and exact bulk masks for
systems, claims or plain lengths. Only the names below cross this package's border.

>>> from weaponsref import reach
>>> reach.reaches("ATACMS", "Kyiv", "Moscow").status
'does not reach'
"""

from __future__ import annotations

from ._masks import PlacesWithin, places_within, within_range
from ._origin import MAX_ORIGINS, Nearest, Origin, OriginLike, origin
from ._points import distance
from ._ranges import (
    RangeLike,
    citation,
    minimum_claim_for,
    minimum_range_claim,
    range_choices,
    range_claim,
    resolve_range,
)
from ._rings import range_ring
from ._rule import (
    DOES_NOT_REACH,
    NOT_ESTABLISHED,
    REACHES,
    STATUSES,
    rule_table,
    verdict,
)
from ._verdict import Reach, reach_table, reaches

__all__ = [
    "DOES_NOT_REACH",
    "MAX_ORIGINS",
    "NOT_ESTABLISHED",
    "REACHES",
    "STATUSES",
    "Nearest",
    "Origin",
    "OriginLike",
    "PlacesWithin",
    "RangeLike",
    "Reach",
    "citation",
    "distance",
    "minimum_claim_for",
    "minimum_range_claim",
    "origin",
    "places_within",
    "range_choices",
    "range_claim",
    "range_ring",
    "reach_table",
    "reaches",
    "resolve_range",
    "rule_table",
    "verdict",
    "within_range",
]
