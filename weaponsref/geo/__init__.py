"""Geodesy on the WGS84 ellipsoid: geodesics, range rings, exact bulk masks, areas, and the
one converter between GeoJSON and shapely.

Arguments are plain floats in degrees and metres, **latitude first**; nothing here knows of
systems, claims or catalogues (:mod:`weaponsref.reach` is where a claim meets the geodesy).
Only the names below cross this package's border.

>>> from weaponsref import geo
>>> round(geo.inverse_m(50.45, 30.5233, 55.7558, 37.6173), 3)
757104.357
"""

from __future__ import annotations

from weaponsref.geo._algebra import OPERATIONS, SLIVER_M, combine
from weaponsref.geo._areas import MAX_AREA_VERTICES, Area
from weaponsref.geo._geodesy import (
    DEFAULT_TOLERANCE_M,
    EARTH_MODEL,
    HALF_MERIDIAN_M,
    MAX_RING_POINTS,
    MAX_TOLERANCE_M,
    MIN_RANGE_M,
    MIN_TOLERANCE_M,
    WGS84_A_M,
    WGS84_F,
    check_range_m,
    geod,
    inverse,
    inverse_m,
)
from weaponsref.geo._masks import TargetSet, within_range_m
from weaponsref.geo._rings import ring_geometry
from weaponsref.geo._shapes import to_geojson, to_shape, union

__all__ = [
    "DEFAULT_TOLERANCE_M",
    "EARTH_MODEL",
    "HALF_MERIDIAN_M",
    "MAX_AREA_VERTICES",
    "MAX_RING_POINTS",
    "MAX_TOLERANCE_M",
    "MIN_RANGE_M",
    "MIN_TOLERANCE_M",
    "OPERATIONS",
    "SLIVER_M",
    "WGS84_A_M",
    "WGS84_F",
    "Area",
    "TargetSet",
    "check_range_m",
    "combine",
    "geod",
    "inverse",
    "inverse_m",
    "ring_geometry",
    "to_geojson",
    "to_shape",
    "union",
    "within_range_m",
]
