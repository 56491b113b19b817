"""Bulk masks at scale: dask arrays (lazily, block by block, on dask's local scheduler),
xarray DataArrays with their coordinates, and a population raster read with rasterio."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import weaponsref as wr

da = pytest.importorskip("dask.array", reason="the scale extra brings dask")
xr = pytest.importorskip("xarray", reason="the scale extra brings xarray")


def _grid() -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(11)
    return rng.uniform(40.0, 62.0, (120, 160)), rng.uniform(18.0, 48.0, (120, 160))


@pytest.mark.parametrize("origin", ["Kyiv", ["Sumy", "Odesa"]])
def test_a_dask_mask_is_lazy_and_equals_the_numpy_mask(origin: object) -> None:
    lats, lons = _grid()
    exact = wr.within_range("Bober", origin, lats, lons)  # type: ignore[arg-type]
    lazy = wr.within_range(
        "Bober", origin, da.from_array(lats, chunks=(40, 50)), da.from_array(lons, chunks=(40, 50))
    )  # type: ignore[arg-type]
    assert type(lazy).__module__.startswith("dask")
    assert lazy.chunks == ((40, 40, 40), (50, 50, 50, 10))
    assert np.array_equal(lazy.compute(scheduler="threads"), exact)
    assert np.array_equal(lazy.compute(scheduler="synchronous"), exact)


def test_an_xarray_mask_keeps_dimensions_and_coordinates() -> None:
    lats, lons = _grid()
    coords = {"y": np.arange(lats.shape[0]), "x": np.arange(lats.shape[1])}
    lat_array = xr.DataArray(lats, dims=("y", "x"), coords=coords)
    lon_array = xr.DataArray(lons, dims=("y", "x"), coords=coords)
    mask = wr.within_range("UJ-22", "Kyiv", lat_array, lon_array)
    assert mask.dims == ("y", "x")
    assert np.array_equal(mask["x"].values, coords["x"])
    assert np.array_equal(mask.values, wr.within_range("UJ-22", "Kyiv", lats, lons))
    chunked = wr.within_range(
        "UJ-22", "Kyiv", lat_array.chunk({"y": 30}), lon_array.chunk({"y": 30})
    )
    assert type(chunked.data).__module__.startswith("dask")
    assert np.array_equal(chunked.compute().values, mask.values)


def test_a_bad_range_fails_at_the_call_not_at_compute() -> None:
    lats, lons = _grid()
    with pytest.raises(wr.UnitError):
        wr.within_range("10**400 km", "Kyiv", da.from_array(lats), da.from_array(lons))


def test_population_within_range_of_a_raster(tmp_path: Path) -> None:
    rasterio = pytest.importorskip("rasterio", reason="the scale extra brings rasterio")
    from rasterio.transform import from_origin

    # A 0.1-degree grid of people over Ukraine and around, 1,000 per cell, written as a
    # GeoTIFF in WGS84 (EPSG:4326), read back as the guide shows.
    width, height = 200, 120
    transform = from_origin(22.0, 56.0, 0.1, 0.1)
    people = np.full((height, width), 1000, dtype=np.int32)
    path = tmp_path / "people.tif"
    with rasterio.open(
        path, "w", driver="GTiff", height=height, width=width, count=1, dtype="int32",
        crs="EPSG:4326", transform=transform,
    ) as out:  # fmt: skip
        out.write(people, 1)

    with rasterio.open(path) as raster:
        counts = raster.read(1)
        rows, cols = np.indices(counts.shape)
        xs, ys = rasterio.transform.xy(raster.transform, rows, cols, offset="center")
        lons = np.asarray(xs).reshape(counts.shape)
        lats = np.asarray(ys).reshape(counts.shape)
    # A launcher has no range of its own (issue 18): its munition's, as the guide's recipe.
    mask = wr.within_range("GMLRS", "Kharkiv", lats, lons)
    total = int(counts[mask].sum())
    # The same by brute force: Geod.inv on every cell centre.
    geod = wr.geo.geod()
    kharkiv = wr.place("Kharkiv")
    _, _, metres = geod.inv(
        np.full(lats.size, kharkiv.lon), np.full(lats.size, kharkiv.lat), lons.ravel(), lats.ravel()
    )
    assert total == int(counts.ravel()[metres <= wr.lookup("GMLRS").claim("range").metres].sum())
    assert total > 0
