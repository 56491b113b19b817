"""Hypothesis strategies for points, ranges and target arrays, shared by the test modules.

Load this module by path (``tests`` is not a package), for example::

    spec = importlib.util.spec_from_file_location("strategies", Path(__file__).with_name(...))

Every strategy draws plain floats in degrees and metres, latitude first, and leans on the
awkward values on purpose: the poles, the antimeridian, zero, and exact edges.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

__all__ = [
    "HALF_MERIDIAN_M",
    "latitudes",
    "longitudes",
    "points",
    "ranges_m",
    "ring_ranges_m",
    "target_arrays",
]

#: The pole-to-pole geodesic on WGS84, metres: no two points are farther apart.
HALF_MERIDIAN_M = 20003931.458625447

_EDGE_LATITUDES = (-90.0, -89.999999, -45.0, -0.0, 0.0, 1e-12, 45.0, 89.999999, 90.0)
_EDGE_LONGITUDES = (-180.0, -179.999999, -90.0, -0.0, 0.0, 90.0, 179.999999, 180.0)


def latitudes() -> st.SearchStrategy[float]:
    """Latitudes in degrees, [-90, 90], with the poles and the equator drawn often."""
    return st.one_of(
        st.sampled_from(_EDGE_LATITUDES),
        st.floats(min_value=-90.0, max_value=90.0, allow_nan=False),
    )


def longitudes() -> st.SearchStrategy[float]:
    """Longitudes in degrees, [-180, 180], with the antimeridian drawn often."""
    return st.one_of(
        st.sampled_from(_EDGE_LONGITUDES),
        st.floats(min_value=-180.0, max_value=180.0, allow_nan=False),
    )


def points() -> st.SearchStrategy[tuple[float, float]]:
    """(latitude, longitude) pairs in degrees."""
    return st.tuples(latitudes(), longitudes())


def ranges_m(
    min_value: float = 0.0, max_value: float = 1.05 * HALF_MERIDIAN_M
) -> st.SearchStrategy[float]:
    """Ranges in metres, from ``min_value`` to ``max_value``, spread over every scale.

    Draws a uniform value, or a log-uniform one (so that 1 m and 19,000 km are both likely),
    or one of the awkward ranges near the antipode and the half meridian.
    """
    low = max(min_value, 1e-3)
    log_uniform = st.floats(min_value=np.log10(low), max_value=np.log10(max_value)).map(
        lambda x: min(max(10.0**x, min_value), max_value)
    )
    awkward_values = (0.0, 1.0, 100.0, 19.0e6, 19.97e6, 20.0e6, HALF_MERIDIAN_M)
    awkward = st.sampled_from(
        [r for r in awkward_values if min_value <= r <= max_value] or [min_value]
    )
    return st.one_of(
        st.floats(min_value=min_value, max_value=max_value, allow_nan=False), log_uniform, awkward
    )


def ring_ranges_m() -> st.SearchStrategy[float]:
    """Ranges for rings: above 0 and below the half meridian (no clamping warning)."""
    return ranges_m(min_value=1.0, max_value=19.9e6)


@st.composite
def target_arrays(
    draw: st.DrawFn, max_side: int = 12
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """(lats, lons): float64 arrays of one shape (1-D or 2-D, sides up to ``max_side``,
    possibly empty), degrees.

    The poles, the equator and the antimeridian are drawn often, so repeated points and
    edges occur.
    """
    shape = draw(hnp.array_shapes(min_dims=1, max_dims=2, min_side=0, max_side=max_side))
    lats = draw(hnp.arrays(np.float64, shape, elements=latitudes()))
    lons = draw(hnp.arrays(np.float64, shape, elements=longitudes()))
    return lats, lons
