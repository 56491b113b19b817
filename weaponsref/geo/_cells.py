"""A TargetSet's cells: its points sorted by the cell of an equal-area latitude-longitude grid,
so that a range mask reads only the cells near the range.

The grid's bands are of equal height, each cut into a number of cells proportional to the
cosine of its latitude, so that cells are about square and of equal area; the grid is fine
enough for about :data:`_PER_CELL` points a cell over the area the points occupy (measured on
a sample), and only the cells that hold points are kept. :meth:`_Cells.near` gives the cells
that may hold a point whose normal (geodetic latitude and longitude read as spherical
coordinates) is within an angle of the origin's; :meth:`_Cells.geometry` bounds every point of
a cell by a centre and a radius, from which :mod:`._masks` settles whole cells unread.

Every bound is widened by far more than float64 rounding: 1e-9 degree for the bands, for the
longitudes the bound's cancellation over its denominator, and a point's band and cell come
from the same monotone expressions the query uses.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any, Final

import numpy as np
import numpy.typing as npt

from weaponsref.geo._geodesy import _BLOCK, _DEG, FloatArray, _unit_vectors

IndexArray = npt.NDArray[np.intp]

# Points a cell, about, over the area the points occupy.
_PER_CELL: Final = 32
_MAX_BANDS: Final = 1 << 15
# Points sampled to measure the area they occupy.
_SAMPLE: Final = 1 << 16
# A cap over at most this many bands is looked up band by band in floats (_Cells.near).
_FEW_BANDS: Final = 10
# Up to this many runs of occupied cells are listed run by run (_Cells._near_few).
_FEW_RUNS: Final = 16
# Candidates up to this many (to twice as many) are gathered into one array at a time.
_GATHER: Final = 1 << 18
# Ranges of sorted positions at least this long on average are gathered as slices (about
# 0.3 us of Python a slice, where an index gather costs 5 to 20 ns a position).
_SLICES: Final = 64
# Masks with a share of true values in this range are read 8 bytes at a time first.
_WORDWISE: Final = (0.02, 0.1)


def _bands_for(count: int, share: float) -> int:
    """Bands of a grid with about :data:`_PER_CELL` points a cell when ``count`` points
    cover ``share`` of the sphere: 4 bands^2 / pi cells in all."""
    bands = math.sqrt(math.pi * count / (4.0 * _PER_CELL * max(share, 1e-9)))
    return int(min(_MAX_BANDS, max(1, round(bands))))


class _Grid:
    """The equal-area grid of ``bands`` bands: a cell id for a latitude and longitude."""

    __slots__ = ("bands", "cells", "offsets")

    def __init__(self, bands: int) -> None:
        self.bands = bands
        middle = np.radians(-90.0 + 180.0 * (np.arange(bands) + 0.5) / bands)
        self.cells = np.maximum(1.0, np.round(2.0 * bands * np.cos(middle)))
        self.offsets = np.concatenate(([0], np.cumsum(self.cells))).astype(np.int64)

    def band_of(self, lat: float) -> int:
        """The band of one latitude, as :meth:`cell` computes it."""
        return min(self.bands - 1, max(0, math.floor((lat + 90.0) * (self.bands / 180.0))))

    def cell(self, lat: FloatArray, lon: FloatArray) -> npt.NDArray[np.int64]:
        band = np.floor((lat + 90.0) * (self.bands / 180.0))
        band = np.minimum(np.maximum(band, 0.0), self.bands - 1).astype(np.intp)
        per = self.cells[band]
        column = np.minimum(np.maximum(np.floor((lon + 180.0) * per / 360.0), 0.0), per - 1.0)
        cell: npt.NDArray[np.int64] = self.offsets[band] + column.astype(np.int64)
        return cell


class _Cells:
    """Points sorted by cell: ``order`` (sorted position -> index into the points), for each
    occupied cell (ascending) its ``ids`` and ``starts`` (first sorted position, and the end),
    and the float32 unit vectors ``xyz`` (3, n) in sorted order."""

    __slots__ = ("centre", "cos_radius", "grid", "ids", "order", "sin_radius", "starts", "xyz")

    def __init__(self, lat: FloatArray, lon: FloatArray) -> None:
        n = lat.size
        sample = slice(None, None, max(1, n // _SAMPLE))
        coarse = _Grid(_bands_for(lat[sample].size, 1.0))
        occupied = np.unique(coarse.cell(lat[sample], lon[sample])).size
        self.grid = _Grid(_bands_for(n, occupied / float(coarse.offsets[-1])))
        cell = np.empty(n, dtype=np.int64)
        for start in range(0, n, _BLOCK):
            stop = min(n, start + _BLOCK)
            cell[start:stop] = self.grid.cell(lat[start:stop], lon[start:stop])
        # Kept as intp, not int32: a mask's scatter through int32 indices costs twice as much.
        self.order = np.argsort(cell, kind="stable")
        ordered = cell[self.order]
        del cell
        head = np.flatnonzero(np.diff(ordered)) + 1 if n else np.zeros(0, dtype=np.intp)
        self.ids = ordered[np.concatenate(([0], head))] if n else ordered
        self.starts = (
            np.concatenate(([0], head, [n])).astype(np.intp) if n else np.zeros(1, np.intp)
        )
        del ordered
        self.xyz = np.empty((3, n), dtype=np.float32)
        for start in range(0, n, _BLOCK):
            index = self.order[start : start + _BLOCK]
            self.xyz[:, start : start + _BLOCK] = _unit_vectors(lat[index], lon[index])
        self.centre, radius = self.geometry(np.arange(self.ids.size))
        radius += 1e-7  # and the rounding of a query's angles
        self.cos_radius, self.sin_radius = np.cos(radius), np.sin(radius)
        for array in (self.order, self.ids, self.starts, self.xyz, self.centre):
            array.setflags(write=False)

    def every(self) -> IndexArray:
        """All occupied cells."""
        return np.arange(self.ids.size)

    def near(self, lat0: float, lon0: float, angle: float) -> IndexArray:
        """The occupied cells (indices, ascending) that may hold a point whose normal is
        within ``angle`` (radians, at most pi/2) of the origin's.

        For each band, the longitudes within an angle psi of the origin at latitude phi
        satisfy cos(dlon) >= (cos psi - sin phi0 sin phi) / (cos phi0 cos phi), which is least
        at the band's edges or where sin phi = sin phi0 / cos psi: one or two runs of cells.
        """
        grid = self.grid
        angle += 1e-9
        reach = math.degrees(angle) + 1e-9
        if grid.band_of(lat0 + reach) - grid.band_of(lat0 - reach) < _FEW_BANDS:
            return self._near_few(lat0, lon0, angle, reach)
        band = np.arange(grid.band_of(lat0 - reach), grid.band_of(lat0 + reach) + 1)
        south, north = max(-90.0, lat0 - reach), min(90.0, lat0 + reach)
        phi = np.empty((3, band.size))
        np.multiply(band, 180.0 / grid.bands, out=phi[0])
        phi[0] -= 90.0 + 1e-9
        np.add(phi[0], 180.0 / grid.bands + 2e-9, out=phi[1])
        np.minimum(np.maximum(phi[:2], south, out=phi[:2]), north, out=phi[:2])
        np.radians(phi[:2], out=phi[:2])
        sin0, cos0, cap = math.sin(lat0 * _DEG), math.cos(lat0 * _DEG), math.cos(angle)
        tangent = math.asin(max(-1.0, min(1.0, sin0 / cap)))
        phi[2] = np.where((phi[0] <= tangent) & (tangent <= phi[1]), tangent, phi[0])
        # No division by zero: cos phi0 cos phi >= cos(pi/2)^2 > 0 in floating point. The
        # bound is widened against the numerator's cancellation and the division's rounding.
        least = (cap - sin0 * np.sin(phi) - 1e-15) / (cos0 * np.cos(phi))
        least = np.min(least - 1e-15 * np.abs(least), axis=0)
        half = np.degrees(np.arccos(np.minimum(np.maximum(least, -1.0), 1.0)) + 1e-7)
        per, base = grid.cells[band], grid.offsets[band]
        lo, hi = lon0 - half, lon0 + half
        if lo[0] >= -180.0 and hi[0] <= 180.0 and np.all(lo >= -180.0) and np.all(hi <= 180.0):
            west, east, used = lo, hi, None  # one run of columns a band
        else:
            # Up to three runs of columns a band, [lon0 - half, lon0 + half] cut at +-180,
            # or the whole band: the rows of these (3, bands) arrays.
            whole = half >= 180.0
            west = np.stack((np.maximum(lo, -180.0), lo + 360.0, np.full(band.size, -180.0)))
            east = np.stack((np.minimum(hi, 180.0), np.full(band.size, 180.0), hi - 360.0))
            used = np.stack((~whole, ~whole & (lo < -180.0), ~whole & (hi > 180.0)))
            west[0, whole], east[0, whole], used[0, whole] = -180.0, 180.0, True
        top = per - 1.0
        first = np.minimum(np.maximum(np.floor((west + 180.0) * per / 360.0), 0.0), top)
        last = np.minimum(np.maximum(np.floor((east + 180.0) * per / 360.0), 0.0), top)
        firsts = base + first.astype(np.int64)
        lasts = base + last.astype(np.int64)
        if used is not None:
            firsts, lasts = firsts[used], lasts[used]
        # Cell-id runs to runs of occupied cells (merged where they touch or overlap), then
        # to the occupied cells themselves, ascending and each once.
        lo_index = np.searchsorted(self.ids, firsts, side="left")
        hi_index = np.searchsorted(self.ids, lasts, side="right")
        keep = hi_index > lo_index
        if not keep.any():
            return np.zeros(0, dtype=np.intp)
        lo_index, hi_index = lo_index[keep], hi_index[keep]
        by = np.argsort(lo_index, kind="stable")
        lo_index, hi_index = lo_index[by], np.maximum.accumulate(hi_index[by])
        head = np.flatnonzero(np.concatenate(([True], lo_index[1:] > hi_index[:-1])))
        tail = np.concatenate((head[1:], [lo_index.size])) - 1
        return _expand(lo_index[head], hi_index[tail])

    def _near_few(self, lat0: float, lon0: float, angle: float, reach: float) -> IndexArray:
        """:meth:`near` for a few bands, band by band in floats (without the overhead of many
        operations on tiny arrays): the same bound and margins, or, for a cap that holds no
        pole, its whole longitude span in every band; ``angle`` and ``reach`` already
        widened as :meth:`near` widens them."""
        grid = self.grid
        height = 180.0 / grid.bands
        south, north = max(-90.0, lat0 - reach), min(90.0, lat0 + reach)
        sin0, cos0, cap = math.sin(lat0 * _DEG), math.cos(lat0 * _DEG), math.cos(angle)
        tangent = math.asin(max(-1.0, min(1.0, sin0 / cap)))
        firsts: list[int] = []
        lasts: list[int] = []
        # A cap that holds no pole spans at most asin(sin psi / cos phi0) of longitude either
        # side of its centre, in every band: one half-width for all (a little wider than a
        # band's own near the cap's top and bottom, and found without a loop of trig).
        whole: float | None = None
        if reach < 90.0 - abs(lat0) - 1e-6:
            spread = math.sin(angle) / cos0
            whole = math.degrees(math.asin(min(1.0, spread * (1.0 + 1e-12))) + 1e-7)
        for band in range(grid.band_of(lat0 - reach), grid.band_of(lat0 + reach) + 1):
            if whole is not None:
                half = whole
            else:
                half = self._half_width(band, height, (south, north), (sin0, cos0, cap, tangent))
            per, base = float(grid.cells[band]), int(grid.offsets[band])
            west, east = lon0 - half, lon0 + half
            if half >= 180.0:
                runs = [(-180.0, 180.0)]
            else:
                runs = [(max(west, -180.0), min(east, 180.0))]
                if west < -180.0:
                    runs.append((west + 360.0, 180.0))
                if east > 180.0:
                    runs.append((-180.0, east - 360.0))
            for a, b in runs:
                firsts.append(
                    base + int(min(max(math.floor((a + 180.0) * per / 360.0), 0.0), per - 1.0))
                )
                lasts.append(
                    base + int(min(max(math.floor((b + 180.0) * per / 360.0), 0.0), per - 1.0))
                )
        lo_index = np.searchsorted(self.ids, firsts, side="left").tolist()
        hi_index = np.searchsorted(self.ids, lasts, side="right").tolist()
        merged: list[list[int]] = []
        for lo, hi in sorted(zip(lo_index, hi_index, strict=True)):
            if hi <= lo:
                continue
            if merged and lo <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], hi)
            else:
                merged.append([lo, hi])
        if not merged:
            return np.zeros(0, dtype=np.intp)
        if len(merged) <= _FEW_RUNS:  # quicker one by one than by _expand
            return np.concatenate([np.arange(lo, hi, dtype=np.intp) for lo, hi in merged])
        starts, ends = np.array(merged, dtype=np.intp).reshape(-1, 2).T
        return _expand(starts, ends)

    @staticmethod
    def _half_width(
        band: int,
        height: float,
        span: tuple[float, float],
        cap_terms: tuple[float, float, float, float],
    ) -> float:
        """The half-width (degrees) of longitude within the cap in one band, as
        :meth:`near` bounds it (``span``: the cap's latitudes, degrees; ``cap_terms``: the
        sine and cosine of the origin's latitude, the cosine of the angle, and the latitude
        where the bound may be least)."""
        south, north = span
        sin0, cos0, cap, tangent = cap_terms
        low = band * height - (90.0 + 1e-9)
        high = low + (height + 2e-9)
        low = math.radians(min(max(low, south), north))
        high = math.radians(min(max(high, south), north))
        least = math.inf
        for phi in (low, high, tangent if low <= tangent <= high else low):
            bound = (cap - sin0 * math.sin(phi) - 1e-15) / (cos0 * math.cos(phi))
            least = min(least, bound - 1e-15 * abs(bound))
        return math.degrees(math.acos(min(max(least, -1.0), 1.0)) + 1e-7)

    def geometry(self, occupied: IndexArray) -> tuple[FloatArray, FloatArray]:
        """The centre (unit vectors, (3, k), float64) and radius (radians) of the given
        occupied cells: every point of a cell is within its radius of its centre (half its
        height along the meridian, then half its width along the parallel at its lowest
        |latitude|, at least the great-circle way)."""
        grid, ids = self.grid, self.ids[occupied]
        band = np.searchsorted(grid.offsets, ids, side="right") - 1
        per = grid.cells[band]
        south = -90.0 + 180.0 / grid.bands * band
        north = south + 180.0 / grid.bands
        centre_lon = -180.0 + 360.0 / per * (ids - grid.offsets[band] + 0.5)
        lowest = np.where(south * north <= 0.0, 0.0, np.minimum(np.abs(south), np.abs(north)))
        radius = np.radians(90.0 / grid.bands) + np.radians(180.0 / per) * np.cos(
            np.radians(lowest)
        )
        return _unit_vectors(0.5 * (south + north), centre_lon), radius + 1e-9

    def runs(self, occupied: IndexArray, state: npt.NDArray[np.int8]) -> tuple[Any, Any, Any]:
        """Occupied cells (ascending) merged into runs of consecutive cells in one
        ``state``: (state, first sorted position, end sorted position) of each run."""
        if not occupied.size:
            empty = np.zeros(0, dtype=np.intp)
            return np.zeros(0, dtype=np.int8), empty, empty
        cut = np.flatnonzero((occupied[1:] - occupied[:-1] != 1) | (state[1:] != state[:-1]))
        cut += 1
        head = np.concatenate(([0], cut))
        tail = np.concatenate((cut, [occupied.size])) - 1
        return state[head], self.starts[occupied[head]], self.starts[occupied[tail] + 1]


def _expand(first: Any, end: Any) -> IndexArray:
    """Every integer of the ranges [first, end), in order."""
    lengths = np.maximum(end - first, 0)
    out: IndexArray = np.arange(int(lengths.sum())) + np.repeat(
        first - np.cumsum(lengths) + lengths, lengths
    )
    return out


def _gaps(first: IndexArray, end: IndexArray, n: int) -> tuple[IndexArray, IndexArray]:
    """The ranges of [0, n) outside the sorted, disjoint ranges [first, end)."""
    gap_first = np.concatenate(([0], end))
    gap_end = np.concatenate((first, [n]))
    keep = gap_end > gap_first
    return gap_first[keep], gap_end[keep]


def _groups(first: IndexArray, end: IndexArray) -> Iterator[tuple[IndexArray, IndexArray]]:
    """The ranges [first, end), in order, in groups of fewer than 2 :data:`_GATHER`
    positions each (a range longer than :data:`_GATHER` is cut into pieces of that length)."""
    lengths = end - first
    if not first.size:
        return
    if int(lengths.sum()) <= _GATHER:
        yield first, end  # the common case: one group
        return
    pieces = np.maximum(1, -(-lengths // _GATHER))
    if int(pieces.sum()) > first.size:
        piece_first = np.repeat(first, pieces) + _GATHER * (
            np.arange(int(pieces.sum())) - np.repeat(np.cumsum(pieces) - pieces, pieces)
        )
        end = np.minimum(piece_first + _GATHER, np.repeat(end, pieces))
        first, lengths = piece_first, end - piece_first
    # A group is the pieces that start within one stretch of _GATHER positions.
    group = (np.cumsum(lengths) - lengths) // _GATHER
    cut = np.flatnonzero(np.diff(group)) + 1
    for g0, g1 in zip([0, *cut.tolist()], [*cut.tolist(), first.size], strict=True):
        yield first[g0:g1], end[g0:g1]


def _spans(first: IndexArray, end: IndexArray) -> list[slice] | IndexArray:
    """The positions of the ranges [first, end), in order: as slices when the ranges hold
    :data:`_SLICES` positions or more on average, else as one index array."""
    if first.size and int(np.sum(end - first)) >= _SLICES * first.size:
        return [slice(a, b) for a, b in zip(first.tolist(), end.tolist(), strict=True)]
    return _expand(first, end)


def _pieces(values: npt.NDArray[Any], spans: list[slice] | IndexArray) -> list[Any]:
    """``values[..., positions]`` for the positions of :func:`_spans`, in pieces: a view a
    slice, or one array gathered through the index array."""
    if isinstance(spans, list):
        return [values[..., span] for span in spans]
    return [np.take(values, spans, axis=-1)]


def _take(values: npt.NDArray[Any], spans: list[slice] | IndexArray) -> npt.NDArray[Any]:
    """:func:`_pieces` as one array: one range as a view, slices joined (a copy at memory
    speed)."""
    pieces = _pieces(values, spans)
    return pieces[0] if len(pieces) == 1 else np.concatenate(pieces, axis=-1)


def _ascending(parts: list[IndexArray], bound: int) -> npt.NDArray[np.int64]:
    """The indices in ``parts`` (distinct, from 0 to ``bound`` - 1) in ascending order, as
    one new int64 array: sorted by numpy as uint32 when ``bound`` is at most 2**32 (half the
    bytes to move, and numpy's vectorised sort of 32-bit keys is several times quicker than
    of 64-bit ones, or than radix passes by argsort), else as int64."""
    if not parts:
        return np.zeros(0, dtype=np.int64)
    if bound > 1 << 32:
        out = np.concatenate(parts, dtype=np.int64)
        out.sort()
        return out
    keys = np.concatenate(parts, dtype=np.uint32, casting="unsafe")  # all below 2**32
    keys.sort()
    ordered: npt.NDArray[np.int64] = keys.astype(np.int64)
    return ordered


def _true_positions(mask: npt.NDArray[np.bool_], share: float) -> npt.NDArray[np.int64]:
    """``np.flatnonzero(mask)`` of a 1-D contiguous mask, as int64. When about ``share`` of
    it is true, within :data:`_WORDWISE` (where numpy's nonzero seeks each true value on its
    own, as it does below a tenth), the 8-byte words holding any true value are found first,
    then the true bytes among theirs: two denser, quicker passes."""
    low, high = _WORDWISE
    whole = mask.size - mask.size % 8
    if not low <= share <= high or not mask.flags.c_contiguous or not whole:
        return np.flatnonzero(mask).astype(np.int64, copy=False)
    words = mask[:whole].view(np.uint64)
    held = np.flatnonzero(words != 0)
    within = np.flatnonzero(words[held].view(np.bool_))  # byte 8 i + j is mask[8 held[i] + j]
    out: npt.NDArray[np.int64] = held[within >> 3].astype(np.int64, copy=False)
    out <<= 3
    within &= 7
    out |= within
    if whole < mask.size:
        out = np.concatenate((out, np.flatnonzero(mask[whole:]) + whole))
    return out
