"""TargetSet.indices_within: the indices of the targets within range, ascending, against
Geod.inv on every point (GeographicLib, the definition) over small and cell-sorted sets,
uniform and clustered points, origins at the poles and across 180, ranges from 0 to past the
half meridian and minimum ranges; both ways it builds the answer (gathering and sorting few
indices, or a mask for many); and the arguments it refuses, as within does."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from helpers import cluster_points, uniform_points

import weaponsref as wr
from weaponsref import geo
from weaponsref.geo import _cells, _masks

G = geo.geod()
RANGES_M = [0.0, 1.0, 8e4, 3e5, 1e6, 5e6, 1.0001e7, 1.5e7, 1.99e7, 2.1e7]
ORIGINS = [(50.45, 30.5233), (90.0, 0.0), (-90.0, 123.0), (0.0, 180.0), (-33.9, -179.99)]


def _distances(lat0: float, lon0: float, lats: Any, lons: Any) -> Any:
    n = lats.size
    return np.asarray(G.inv(np.full(n, lon0), np.full(n, lat0), lons.ravel(), lats.ravel())[2])


def _truth(lat0: float, lon0: float, lats: Any, lons: Any, range_m: float, inner: float) -> Any:
    """The flat indices Geod.inv puts within range (and not nearer than ``inner``)."""
    s = _distances(lat0, lon0, lats, lons)
    return np.flatnonzero((s <= range_m) & (s >= inner))


def _check(targets: geo.TargetSet, lats: Any, lons: Any, lat0: float, lon0: float) -> None:
    s = _distances(lat0, lon0, lats, lons)
    for range_m in RANGES_M:
        for inner in (0.0, 0.5 * range_m):
            options = {"min_range_m": inner} if inner >= 1.0 else {}
            found = targets.indices_within(lat0, lon0, range_m, **options)
            truth = np.flatnonzero((s <= range_m) & (s >= (inner if inner >= 1.0 else 0.0)))
            assert found.dtype == np.int64 and found.ndim == 1
            assert np.array_equal(found, truth), (lat0, lon0, range_m, inner)
            # sort=False: the same indices, each once, in the set's own order.
            loose = targets.indices_within(lat0, lon0, range_m, sort=False, **options)
            assert loose.dtype == np.int64 and loose.ndim == 1
            assert np.array_equal(np.sort(loose), truth), (lat0, lon0, range_m, inner)


@pytest.mark.parametrize("kind", ["uniform", "pole cluster", "antimeridian cluster"])
def test_a_sorted_set_gives_the_indices_geod_inv_gives(kind: str) -> None:
    """Sets sorted into cells (over 65,536 points): every origin, range and minimum range
    gives exactly Geod.inv's indices, ascending."""
    rng = np.random.default_rng(7)
    if kind == "uniform":
        lats, lons = uniform_points(120_000, rng)
    elif kind == "pole cluster":
        lats, lons = cluster_points(100_000, 87.0, 20.0, rng)
    else:
        lats, lons = cluster_points(100_000, -30.0, 179.0, rng)
    targets = geo.TargetSet(lats, lons)
    assert targets._cells is not None
    for lat0, lon0 in [*ORIGINS, (float(lats[3]), float(lons[3]))]:
        _check(targets, lats, lons, lat0, lon0)


def test_a_small_set_gives_the_indices_geod_inv_gives() -> None:
    """Sets too small to be sorted into cells, and the empty set."""
    rng = np.random.default_rng(8)
    lats, lons = uniform_points(3_000, rng)
    targets = geo.TargetSet(lats, lons)
    assert targets._cells is None
    for lat0, lon0 in ORIGINS:
        _check(targets, lats, lons, lat0, lon0)
    empty = geo.TargetSet(np.zeros(0), np.zeros(0))
    found = empty.indices_within(50.0, 30.0, 1e6)
    assert found.dtype == np.int64 and found.size == 0


def test_both_ways_of_building_the_answer_are_taken_and_agree(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Few points within range are gathered and sorted, many come from a mask; each way is
    taken where it should be, and forcing the other gives the same indices."""
    rng = np.random.default_rng(9)
    lats, lons = cluster_points(200_000, 48.0, 31.0, rng)
    targets = geo.TargetSet(lats, lons)
    taken: list[str] = []
    found, query = geo.TargetSet._found, geo.TargetSet._query

    def spy_found(self: geo.TargetSet, *args: Any) -> Any:
        taken.append("gathered")
        return found(self, *args)

    def spy_query(self: geo.TargetSet, *args: Any) -> Any:
        taken.append("mask")
        return query(self, *args)

    monkeypatch.setattr(geo.TargetSet, "_found", spy_found)
    monkeypatch.setattr(geo.TargetSet, "_query", spy_query)
    results = {}
    for range_m, way in ((3e4, "gathered"), (6e5, "mask")):  # few within, then most (not all)
        taken.clear()
        results[range_m] = targets.indices_within(48.0, 31.0, range_m)
        assert np.array_equal(results[range_m], _truth(48.0, 31.0, lats, lons, range_m, 0.0))
        assert taken == [way], (range_m, taken)
    monkeypatch.setattr(_masks, "_DENSE", 1)  # everything gathered and sorted
    taken.clear()
    assert np.array_equal(targets.indices_within(48.0, 31.0, 6e5), results[6e5])
    assert taken == ["gathered"]
    monkeypatch.setattr(_masks, "_DENSE", 10**12)  # everything through a mask
    taken.clear()
    assert np.array_equal(targets.indices_within(48.0, 31.0, 3e4), results[3e4])
    assert taken == ["mask"]


def test_indices_are_into_the_flattened_points() -> None:
    """A set made from 2-D arrays: indices in C order, np.unravel_index gives the cells."""
    rng = np.random.default_rng(10)
    lats, lons = uniform_points(300 * 250, rng)
    lats, lons = lats.reshape(300, 250), lons.reshape(300, 250)
    targets = geo.TargetSet(lats, lons)
    found = targets.indices_within(50.45, 30.5233, 2e6)
    mask = targets.within(50.45, 30.5233, 2e6)
    assert np.array_equal(found, np.flatnonzero(mask))
    rows, columns = np.unravel_index(found, targets.shape)
    assert mask[rows, columns].all() and mask.sum() == found.size


def test_ascending_sorts_as_uint32_and_as_int64() -> None:
    """_ascending against np.sort: as 32-bit keys for bounds up to 2**32 (with indices that
    use every bit, the largest allowed among them), and as int64 past it."""
    rng = np.random.default_rng(11)
    cases = [(0, 10), (500, 1_000), (5_000, 70_000), (60_000, 3_000_000_000)]
    cases += [(20_000, 2**24 - 1), (20_000, 2**24), (20_000, 2**24 + 1), (20_000, 2**32)]
    for size, bound in cases:
        indices = rng.choice(bound, size, replace=False).astype(np.intp)
        if size and bound - 1 not in indices:
            indices[size // 2] = bound - 1  # still distinct
        for parts in ([indices], np.array_split(indices, 7)):  # one array, or several
            out = _cells._ascending(list(parts), bound)
            assert out.dtype == np.int64 and np.array_equal(out, np.sort(indices)), bound
    assert _cells._ascending([], 10).dtype == np.int64 and _cells._ascending([], 10).size == 0
    indices = rng.choice(10**6, 5_000, replace=False).astype(np.intp)
    assert np.array_equal(_cells._ascending([indices], 2**40), np.sort(indices))


def _positions(first: Any, end: Any) -> list[int]:
    return [p for a, b in zip(first.tolist(), end.tolist(), strict=True) for p in range(a, b)]


def test_groups_cover_the_ranges_in_order_and_in_bounded_groups(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """_groups: one group when the ranges are short in all; otherwise long ranges cut and
    the pieces grouped, in order, every position once, each group under 2 _GATHER."""
    monkeypatch.setattr(_cells, "_GATHER", 64)
    rng = np.random.default_rng(13)
    empty = np.zeros(0, dtype=np.intp)
    assert list(_cells._groups(empty, empty)) == []
    for lengths in ([10, 20, 30], [300, 1, 64, 65, 129, 3, 500], list(rng.integers(1, 40, 200))):
        gaps = rng.integers(0, 50, len(lengths))
        first = np.cumsum(gaps + np.r_[0, lengths[:-1]]).astype(np.intp)
        end = first + np.asarray(lengths, dtype=np.intp)
        groups = list(_cells._groups(first, end))
        joined = [p for f, e in groups for p in _positions(f, e)]
        assert joined == _positions(first, end)
        if sum(lengths) <= 64:
            assert len(groups) == 1 and np.array_equal(groups[0][0], first)
        else:
            assert len(groups) > 1
            assert all(int(np.max(e - f)) <= 64 for f, e in groups)
            assert all(int(np.sum(e - f)) < 2 * 64 for f, e in groups)


def test_take_gathers_by_view_slices_or_index_alike() -> None:
    """_take gives values[..., positions] for the ranges' positions whichever way it takes
    them: one range (a view), long ranges (slices joined), short ones (an index array), none;
    on 1-D and on (3, n) arrays."""
    rng = np.random.default_rng(14)
    flat = rng.permutation(5_000).astype(np.intp)
    rows = rng.random((3, 5_000)).astype(np.float32)
    # (first, end, how many pieces _pieces makes): slices for ranges averaging at least
    # _SLICES positions, else one gathered array.
    cases = [([100], [900], 1), ([0, 100, 4_000], [90, 200, 5_000], 3)]
    cases += [([5, 20, 31], [7, 21, 40], 1), ([], [], 1)]
    for first_list, end_list, pieces in cases:
        first = np.array(first_list, dtype=np.intp)
        end = np.array(end_list, dtype=np.intp)
        positions = np.array(_positions(first, end), dtype=np.intp)
        for values in (flat, rows):
            spans = _cells._spans(first, end)
            assert len(_cells._pieces(values, spans)) == pieces
            taken = _cells._take(values, spans)
            assert np.array_equal(taken, values[..., positions]), (first_list, values.ndim)


@pytest.mark.parametrize("size", [8_000, 8_003, 5])
def test_true_positions_are_flatnonzero_by_words_and_by_bytes(
    size: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """_true_positions against np.flatnonzero, by 8-byte words first (shares in its window)
    and by numpy's nonzero alone (outside it, or a mask not contiguous), for lengths that
    are and are not whole words, and true values in the last few bytes."""
    rng = np.random.default_rng(15)
    for share in (0.0, 0.001, 0.05, 0.3, 1.0):
        mask = rng.random(size) < share
        mask[-1] = share > 0.0
        truth = np.flatnonzero(mask)
        for window in ((0.0, 1.0), (2.0, 3.0)):  # by words always, then never
            monkeypatch.setattr(_cells, "_WORDWISE", window)
            out = _cells._true_positions(mask, share)
            assert out.dtype == np.int64 and np.array_equal(out, truth), (share, window)
        strided = np.repeat(mask, 2)[::2]
        monkeypatch.setattr(_cells, "_WORDWISE", (0.0, 1.0))
        assert np.array_equal(_cells._true_positions(strided, share), truth)


def test_both_ways_of_reading_the_mask_give_the_indices_geod_inv_gives(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A set just past 2**16 points (the smallest sorted into cells), queried through a mask
    with a share of points within range inside the word-wise window and outside it (each
    forced), and gathered and sorted: always Geod.inv's indices."""
    rng = np.random.default_rng(16)
    lats, lons = uniform_points(2**16 + 1, rng)
    targets = geo.TargetSet(lats, lons)
    assert targets._cells is not None
    for range_m in (2.9e6, 8e6):  # about 5 % and 30 % of the sphere
        truth = _truth(10.0, 20.0, lats, lons, range_m, 0.0)
        for window in ((0.0, 1.0), (2.0, 3.0)):
            monkeypatch.setattr(_cells, "_WORDWISE", window)
            assert np.array_equal(targets.indices_within(10.0, 20.0, range_m), truth)
        monkeypatch.setattr(_masks, "_DENSE", 1)  # gathered and sorted
        assert np.array_equal(targets.indices_within(10.0, 20.0, range_m), truth)
        monkeypatch.undo()


def test_bad_arguments_are_refused_as_within_refuses_them() -> None:
    rng = np.random.default_rng(12)
    targets = geo.TargetSet(*uniform_points(100, rng))
    for bad in ((91.0, 0.0, 1e5), (0.0, 181.0, 1e5), (float("nan"), 0.0, 1e5)):
        with pytest.raises(wr.CoordinateError):
            targets.indices_within(*bad)
    with pytest.raises(wr.UnitError):
        targets.indices_within(50.0, 30.0, -1.0)
    with pytest.raises(wr.UnitError):
        targets.indices_within(50.0, 30.0, "300 km")  # type: ignore[arg-type]
    with pytest.raises(wr.LimitError):
        targets.indices_within(50.0, 30.0, 0.5)
    with pytest.raises(wr.LimitError):
        targets.indices_within(50.0, 30.0, 1e5, min_range_m=0.5)
    for bad_sort in (1, "no", None):
        with pytest.raises(wr.ArgumentError, match="sort must be True or False"):
            targets.indices_within(50.0, 30.0, 1e5, sort=bad_sort)  # type: ignore[arg-type]


def test_unsorted_indices_of_a_sorted_set_follow_its_cells() -> None:
    """sort=False on a set sorted into cells gives the indices in the set's own order (not
    ascending, for points given in no spatial order), and np.sort of them is the answer."""
    rng = np.random.default_rng(13)
    lats, lons = cluster_points(100_000, 50.0, 30.0, rng)
    targets = geo.TargetSet(lats, lons)
    truth = _truth(50.45, 30.5233, lats, lons, 3e5, 0.0)
    loose = targets.indices_within(50.45, 30.5233, 3e5, sort=False)
    assert truth.size > 1000
    assert np.array_equal(np.sort(loose), truth)
    assert not np.array_equal(loose, truth)


def test_a_few_bands_give_the_cells_the_array_search_gives(monkeypatch: pytest.MonkeyPatch) -> None:
    """Cells.near band by band in floats (a cap over a few bands) finds the cells its array
    version finds, round the poles and across 180 too: the same ones for a cap that holds a
    pole, and for one that holds none (which takes its whole longitude span in every band)
    those and at most a few more a band."""
    rng = np.random.default_rng(7)
    for lats, lons in (
        uniform_points(200_000, rng),
        cluster_points(100_000, 88.0, 0.0, rng),
        cluster_points(100_000, 0.0, 180.0, rng),
    ):
        cells = _cells._Cells(lats, lons)
        queries = [(float(lat), float(lon)) for lat, lon in zip(lats[:40], lons[:40], strict=True)]
        queries += [(90.0, 0.0), (-90.0, 45.0), (0.0, 180.0), (0.0, -180.0), (89.99, 179.999)]
        for lat0, lon0 in queries:
            for angle in (1e-6, 1e-3, 0.01, 0.05):
                few = cells.near(lat0, lon0, angle)
                monkeypatch.setattr(_cells, "_FEW_BANDS", 0)  # the array version, always
                every = cells.near(lat0, lon0, angle)
                monkeypatch.undo()
                reach = np.degrees(angle + 1e-9) + 1e-9
                if reach >= 90.0 - abs(lat0) - 1e-6:  # a cap that holds a pole
                    assert np.array_equal(few, every), (lat0, lon0, angle)
                else:
                    assert set(every.tolist()) <= set(few.tolist()), (lat0, lon0, angle)
                    bands = cells.grid.band_of(lat0 + reach) - cells.grid.band_of(lat0 - reach)
                    assert few.size <= every.size + 4 * (bands + 1), (lat0, lon0, angle)


def test_a_set_certainly_all_within_range_is_answered_without_reading(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """When the bound puts every cell certainly within range the answer is every index,
    with no mask and no gathering (either would fail here); Geod.inv agrees. A range that
    leaves one cell to read is answered the ordinary way, and agrees too."""
    rng = np.random.default_rng(17)
    lats, lons = cluster_points(70_000, 48.0, 31.0, rng)
    targets = geo.TargetSet(lats, lons)
    for range_m in (3e6, 1.99e7, 2.1e7):
        truth = _truth(48.0, 31.0, lats, lons, range_m, 0.0)
        assert truth.size == lats.size
        with monkeypatch.context() as patched:
            patched.setattr(geo.TargetSet, "_query", None)
            patched.setattr(geo.TargetSet, "_found", None)
            found = targets.indices_within(48.0, 31.0, range_m)
        assert found.dtype == np.int64 and np.array_equal(found, truth)
    distances = _distances(48.0, 31.0, lats, lons)
    range_m = float(np.max(distances))  # the farthest point is on the range: read, and in
    assert np.array_equal(targets.indices_within(48.0, 31.0, range_m), np.arange(lats.size))
    assert targets.indices_within(48.0, 31.0, math.nextafter(range_m, 0.0)).size == lats.size - 1
