"""Geodesy on the WGS84 ellipsoid: geodesics, range rings, exact bulk masks and areas.

Arguments are plain floats in degrees and metres, **latitude first**; nothing here knows of
systems, claims or catalogues (:mod:`weaponsref.reach` is where a claim meets the geodesy).
Only the names below cross this package's border.

>>> from weaponsref import geo
>>> round(geo.inverse_m(50.45, 30.5233, 55.7558, 37.6173), 3)
757104.357
"""

from __future__ import annotations

from ._areas import MAX_AREA_VERTICES, Area
from ._geodesy import (
    DEFAULT_TOLERANCE_M,
    EARTH_MODEL,
    HALF_MERIDIAN_M,
    MAX_RING_POINTS,
    MAX_TOLERANCE_M,
    MIN_TOLERANCE_M,
    WGS84_A_M,
    WGS84_F,
    TargetSet,
    geod,
    inverse,
    inverse_m,
    ring_geometry,
    within_range_m,
)

__all__ = [
    "DEFAULT_TOLERANCE_M",
    "EARTH_MODEL",
    "HALF_MERIDIAN_M",
    "MAX_AREA_VERTICES",
    "MAX_RING_POINTS",
    "MAX_TOLERANCE_M",
    "MIN_TOLERANCE_M",
    "WGS84_A_M",
    "WGS84_F",
    "Area",
    "TargetSet",
    "geod",
    "inverse",
    "inverse_m",
    "ring_geometry",
    "within_range_m",
]
