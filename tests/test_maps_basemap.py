"""The basemap's derived arrays, and the shortcuts that make a map fast without changing it:
rings out of view are not projected, and labels skip spots where they surely do not fit."""

from __future__ import annotations

import datetime
import importlib.util
import io
import json
import math
import zipfile
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
import pytest

pytest.importorskip("matplotlib")

from pyproj import Geod

import weaponsref as wr
from weaponsref.errors import DataFileError
from weaponsref.maps import _api, _basemap, _labels, range_map

ROOT = Path(__file__).resolve().parents[1]
GEOJSON = ROOT / "weaponsref" / "data" / "basemap" / "countries-50m.geojson"
DERIVED = GEOJSON.with_suffix(".npz")
MADE = datetime.date(2025, 3, 1)
KYIV = (50.45, 30.5233)
REBUILD = f"rebuild it: python tools/build_basemap.py {GEOJSON.relative_to(ROOT)}"


def _build_script() -> ModuleType:
    script = ROOT / "tools" / "build_basemap.py"
    spec = importlib.util.spec_from_file_location("build_basemap", script)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _stored(data: bytes | Path) -> dict[str, np.ndarray]:
    source = io.BytesIO(data) if isinstance(data, bytes) else data
    with np.load(source, allow_pickle=False) as archive:
        return {name: archive[name] for name in archive.files}


# ------------------------------------------------------------------------------------------
# The derived file


def test_derived_file_is_exactly_what_the_builder_makes_from_the_geojson() -> None:
    build = _build_script()
    expected = build.derive(json.loads(GEOJSON.read_text("utf-8")))
    stored = _stored(DERIVED)
    assert sorted(stored) == sorted(expected) == [
        "codes", "country", "exterior", "lonlat", "names", "stops",
    ]  # fmt: skip
    for name, array in expected.items():
        assert stored[name].dtype == array.dtype, f"{name}: {REBUILD}"
        assert stored[name].shape == array.shape, f"{name}: {REBUILD}"
        assert np.array_equal(stored[name], array), f"{name}: {REBUILD}"
    # Written as the builder writes it: stored, not deflated, and dated 1980-01-01.
    with zipfile.ZipFile(DERIVED) as archive:
        for info in archive.infolist():
            assert info.compress_type == zipfile.ZIP_STORED
            assert info.date_time == (1980, 1, 1, 0, 0, 0)


def test_builder_writes_the_same_bytes_every_time_and_numpy_reads_them_back() -> None:
    build = _build_script()
    arrays = build.derive(json.loads(GEOJSON.read_text("utf-8")))
    data = build.npz_bytes(arrays)
    assert build.npz_bytes(arrays) == data
    back = _stored(data)
    assert all(np.array_equal(back[name], array) for name, array in arrays.items())


def test_derived_rings_hold_every_geojson_vertex_in_order_half_a_degree_apart() -> None:
    """Checked against the GeoJSON itself, not the builder: every ring of three or more
    distinct points is there, in order, with its own vertices in order, and densification
    only adds points, none more than half a degree (the short way round) from the last."""
    collection = json.loads(GEOJSON.read_text("utf-8"))
    stored = _stored(DERIVED)
    lonlat, stops = stored["lonlat"], stored["stops"]
    starts = np.r_[0, stops[:-1]]
    assert [str(n) for n in stored["names"]] == [
        f["properties"]["name"] for f in collection["features"]
    ]
    ring = 0
    for number, feature in enumerate(collection["features"]):
        geometry = feature["geometry"]
        polygons = [] if geometry is None else geometry["coordinates"]
        if geometry is not None and geometry["type"] == "Polygon":
            polygons = [polygons]
        for polygon in polygons:
            for index, coordinates in enumerate(polygon):
                if len({tuple(p) for p in coordinates}) < 3:
                    continue
                derived = lonlat[starts[ring] : stops[ring]]
                assert stored["country"][ring] == number
                assert bool(stored["exterior"][ring]) == (index == 0)
                # The GeoJSON's vertices are a subsequence of the derived ring's, which
                # begins and ends where the GeoJSON's ring does.
                rows = derived.tolist()
                assert rows[0] == coordinates[0]
                assert rows[-1] == coordinates[-1]
                at = 0
                for point in coordinates:
                    while at < len(rows) and rows[at] != point:
                        at += 1
                    assert at < len(rows), (feature["properties"]["name"], point)
                    at += 1
                step = np.diff(derived, axis=0)
                step[:, 0] = (step[:, 0] + 180.0) % 360.0 - 180.0
                assert np.abs(step).max(initial=0.0) <= 0.5 + 1e-12
                ring += 1
    assert ring == len(stops)


def test_densify_splits_a_segment_across_the_antimeridian_the_short_way() -> None:
    build = _build_script()
    ring = np.array([[179.5, 0.0], [-179.5, 0.0], [-179.5, 1.0], [179.5, 0.0]])
    dense = build.densify(ring, 0.5)
    # Across the antimeridian: 1 degree east in two steps, not 359 degrees west in 718.
    assert dense[:3].tolist() == [[179.5, 0.0], [180.0, 0.0], [-179.5, 0.0]]
    assert dense[3:5].tolist() == [[-179.5, 0.5], [-179.5, 1.0]]
    # Back across it: 1 degree west and 1 south in two steps, through -180.
    assert dense[5:].tolist() == [[-180.0, 0.5], [179.5, 0.0]]


def _npz(tmp_path: Path, arrays: dict[str, Any]) -> Path:
    path = tmp_path / "countries.npz"
    np.savez(path, **{name: array for name, array in arrays.items() if array is not None})
    return path


def _good_arrays() -> dict[str, Any]:
    return {
        "lonlat": np.array([[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 0.0]]),
        "stops": np.array([4]),
        "exterior": np.array([True]),
        "country": np.array([0]),
        "names": np.array(["Square"]),
    }


def test_a_good_small_file_loads(tmp_path: Path) -> None:
    arrays = _basemap._load_arrays(_npz(tmp_path, _good_arrays()))
    assert arrays["stops"].tolist() == [4]


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"lonlat": None}, "lonlat: missing"),
        ({"stops": np.array([4.0])}, "stops: missing, or not of numpy kind 'i'"),
        ({"stops": np.array([3])}, "do not describe rings"),
        ({"country": np.array([1])}, "do not describe rings"),
        ({"lonlat": np.array([[0.0, 0.0], [1.0, np.nan], [1.0, 1.0], [0.0, 0.0]])}, "rings"),
        ({"names": np.array([object()], dtype=object)}, "cannot read it"),
    ],
)
def test_a_broken_file_raises_data_file_error_naming_it(
    tmp_path: Path, change: dict[str, Any], words: str
) -> None:
    path = _npz(tmp_path, {**_good_arrays(), **change})
    with pytest.raises(DataFileError, match=words) as caught:
        _basemap._load_arrays(path)
    assert caught.value.path == str(path)
    assert "tools/build_basemap.py" in str(caught.value)


def _one_array() -> bytes:
    buffer = io.BytesIO()
    np.save(buffer, np.zeros(3))
    return buffer.getvalue()


@pytest.mark.parametrize(
    "content", [None, b"", b"PK\x03\x04 not a zip", b"\x93NUMPY garbage", _one_array()]
)
def test_a_missing_or_unreadable_file_raises_data_file_error(
    tmp_path: Path, content: bytes | None
) -> None:
    path = tmp_path / "countries.npz"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(DataFileError, match="cannot read it") as caught:
        _basemap._load_arrays(path)
    assert caught.value.path == str(path)


# ------------------------------------------------------------------------------------------
# Culling: the rings skipped are the rings that change nothing


def _origins() -> list[tuple[float, float]]:
    named = [
        KYIV,
        (53.0167, 158.65),  # Petropavlovsk: Russia and the antimeridian
        (-17.7, 178.0),  # Fiji, cut by the antimeridian
        (64.8, -147.7),  # Alaska
        (89.5, 0.0),
        (90.0, 0.0),
        (-90.0, 0.0),
        (-77.85, 166.67),  # McMurdo
        (78.2, 15.6),  # Svalbard: the antipode in Antarctica
        (0.0, 180.0),
        (0.0, 0.0),
        (-33.45, -70.66),  # Santiago
        (60.0, 90.0),  # deep in Russia
    ]
    rng = np.random.default_rng(20250301)
    lat = np.degrees(np.arcsin(rng.uniform(-1.0, 1.0, 20)))
    lon = rng.uniform(-180.0, 180.0, 20)
    return named + [(float(a), float(b)) for a, b in zip(lat, lon, strict=True)]


def _turns_and_nearest(base: Any, lat: float, lon: float) -> tuple[np.ndarray, np.ndarray]:
    """Each ring's nearest distance to (lat, lon) and its turn round it, as
    _project_basemap and _turn work them out, for all rings at once."""
    x, y = _basemap._transformer(lat, lon).transform(base.lonlat[:, 0], base.lonlat[:, 1])
    xy = np.column_stack([np.asarray(x), np.asarray(y)])
    distance = np.hypot(xy[:, 0], xy[:, 1])
    bad = ~np.isfinite(distance)
    distance[bad], xy[bad] = np.inf, 0.0
    step = _basemap._wrap(np.diff(np.arctan2(xy[:, 1], xy[:, 0])))
    step[base.stops[:-1] - 1] = 0.0  # from one ring's last vertex to the next ring's first
    turns = np.add.reduceat(np.r_[step, 0.0], base.starts)
    return turns, np.minimum.reduceat(distance, base.starts)


@pytest.mark.slow
def test_culled_rings_lie_beyond_the_cap_and_do_not_go_round_the_origin() -> None:
    """What _Pieces.out_of_view needs to add nothing: every vertex beyond the cap, and a turn
    round the origin of zero. Checked by projecting every ring, for origins at the poles, on
    the antimeridian, by the antipode of land and at random, and caps from 30 km to nearly
    the antipode."""
    base = _basemap._basemap()
    skipped = 0
    for lat, lon in _origins():
        turns, nearest = _turns_and_nearest(base, lat, lon)
        for cap in (30_000.0, 300_000.0, 1_900_000.0, 6_000_000.0, 12_000_000.0, 19_700_000.0):
            culled = ~_basemap._visible(base, lat, lon, cap)
            assert (nearest[culled] > cap).all(), (lat, lon, cap)
            assert (np.abs(turns[culled]) < 1e-6).all(), (lat, lon, cap)
            skipped += int(culled.sum())
    assert skipped > 100_000  # most rings, most of the time: the test has something to check


@pytest.mark.slow
def test_culling_random_circles_keeps_every_ring_that_matters() -> None:
    """The same on 600 geodesic circles of 10 to 5,000 km at random, seen from random
    origins with random caps: rings of every size, near the origin and near its antipode."""
    rng = np.random.default_rng(99)
    geod = Geod(ellps="WGS84")
    lons, lats = [], []
    for _ in range(600):
        lat0, lon0 = math.degrees(math.asin(rng.uniform(-1.0, 1.0))), rng.uniform(-180.0, 180.0)
        radius = rng.uniform(10_000.0, 5_000_000.0)
        count = max(8, int(radius / 30_000.0))
        azimuths = np.linspace(0.0, 360.0, count + 1)
        lon, lat, _ = geod.fwd(
            np.full(count + 1, lon0), np.full(count + 1, lat0), azimuths, np.full(count + 1, radius)
        )
        lon[-1], lat[-1] = lon[0], lat[0]
        lons.append(lon)
        lats.append(lat)
    lonlat = np.column_stack([np.concatenate(lons), np.concatenate(lats)])
    stops = np.cumsum([len(lon) for lon in lons]).astype(np.intp)
    starts = np.r_[0, stops[:-1]].astype(np.intp)
    centres, radii = _basemap._caps(lonlat, starts)
    rings = len(stops)
    base = _basemap._Basemap(
        lonlat, starts, stops, np.ones(rings, bool), np.zeros(rings, np.intp), ("circle",),
        centres, radii,
    )  # fmt: skip
    skipped = 0
    for _ in range(12):
        lat = math.degrees(math.asin(rng.uniform(-1.0, 1.0)))
        lon = float(rng.uniform(-180.0, 180.0))
        turns, nearest = _turns_and_nearest(base, lat, lon)
        for cap in rng.uniform(10_000.0, 19_700_000.0, 6):
            culled = ~_basemap._visible(base, lat, lon, float(cap))
            assert (nearest[culled] > cap).all(), (lat, lon, cap)
            assert (np.abs(turns[culled]) < 1e-6).all(), (lat, lon, cap)
            skipped += int(culled.sum())
    assert skipped > 10_000


def test_turns_worked_out_at_once_agree_with_turn() -> None:
    base = _basemap._basemap()
    turns, nearest = _turns_and_nearest(base, *KYIV)
    x, y = _basemap._transformer(*KYIV).transform(base.lonlat[:, 0], base.lonlat[:, 1])
    xy = np.column_stack([np.asarray(x), np.asarray(y)])
    for ring in (0, 1, 100, len(base.stops) - 1):
        lo, hi = base.starts[ring], base.stops[ring]
        assert math.isclose(turns[ring], _basemap._turn(xy[lo:hi]), abs_tol=1e-9)
        assert nearest[ring] == np.hypot(xy[lo:hi, 0], xy[lo:hi, 1]).min()


def test_a_regional_view_projects_only_the_rings_near_it() -> None:
    base = _basemap._basemap()
    visible = _basemap._visible(base, *KYIV, 1_900_000.0)
    names = {base.names[c] for c in base.country[visible]}
    assert {"Ukraine", "Belarus", "Poland", "Russia"} <= names
    assert not names & {"Brazil", "Australia", "Japan", "Chile"}
    assert visible.sum() < len(visible) / 5


def _svg(systems: Any, origin: Any, **kwargs: Any) -> bytes:
    return range_map(systems, origin, fmt="svg", made=MADE, **kwargs)


CULLING_CASES: dict[str, tuple[Any, Any, dict[str, Any]]] = {
    "borders across the view's edge (Kyiv)": (["Bober", "UJ-22"], "Kyiv", {"marks": ["Moscow"]}),
    "Russia across the antimeridian": (["3000 km"], (53.0167, 158.65), {}),
    "Fiji across the antimeridian": (["800 km"], (-17.7, 178.0), {}),
    "the North Pole": (["1500 km"], (89.5, 0.0), {}),
    "Antarctica round the South Pole": (["2500 km"], (-77.85, 166.67), {}),
    "half a hemisphere": (["5000 km"], KYIV, {"width": 390}),
}


@pytest.mark.slow
@pytest.mark.parametrize("case", list(CULLING_CASES))
def test_culling_changes_no_map(case: str, monkeypatch: pytest.MonkeyPatch) -> None:
    systems, origin, kwargs = CULLING_CASES[case]
    calls: list[int] = []
    visible = _basemap._visible

    def counting(base: Any, lat: float, lon: float, cap: float) -> Any:
        kept = visible(base, lat, lon, cap)
        calls.append(int((~kept).sum()))
        return kept

    monkeypatch.setattr(_basemap, "_visible", counting)
    culled = _svg(systems, origin, **kwargs)
    assert calls and calls[0] > 0  # rings were skipped in this map
    monkeypatch.setattr(_basemap, "_visible", lambda base, *_: np.ones(len(base.stops), bool))
    assert _svg(systems, origin, **kwargs) == culled


# ------------------------------------------------------------------------------------------
# Labels: a spot ruled out without measuring is a spot where the label does not fit


def test_a_label_moved_has_the_box_measured_where_it_lands() -> None:
    """The premise of _Placer.may_fit: a text's box moved by some pixels is, to far less
    than _SURE_PX, the box measured at the new place."""
    figure = _api._figure(["500 km"], KYIV, made=MADE)
    ax = figure.axes[0]
    placer = _labels._Placer(figure, ax, [500_000.0], 1e-3)
    points = 72.0 / figure.dpi
    text = ax.annotate(
        "ŁÓDŹ · 12 km", (0.0, 0.0), xytext=(0.0, 0.0), textcoords="offset points",
        fontsize=9.5, parse_math=False,
    )  # fmt: skip
    for ha, va in (("left", "bottom"), ("center", "center"), ("right", "top")):
        text.set_horizontalalignment(ha)  # type: ignore[arg-type]
        text.set_verticalalignment(va)  # type: ignore[arg-type]
        text.set_position((0.0, 0.0))
        first = placer.box_of(text)
        for dx, dy in ((13.7, -4.25), (-250.0, 310.5), (0.3, 0.0), (-61.11, -97.0)):
            text.set_position((dx * points, dy * points))
            box = placer.box_of(text)
            moved = (first[0] + dx, first[1] + dy, first[2] + dx, first[3] + dy)
            assert max(abs(a - b) for a, b in zip(box, moved, strict=True)) < 1e-6


def test_may_fit_is_false_only_where_free_is_false() -> None:
    figure = _api._figure(["300 km"], KYIV, made=MADE)
    # A ring 300 pixels round the centre, so that crossing it rules spots out too.
    placer = _labels._Placer(figure, figure.axes[0], [300_000.0], 1e-3)
    placer.take((100.0, 100.0, 160.0, 120.0))
    rng = np.random.default_rng(7)
    ruled_out = 0
    for _ in range(2000):
        x0, y0 = rng.uniform(-50.0, 900.0, 2)
        box = (x0, y0, x0 + rng.uniform(5.0, 120.0), y0 + rng.uniform(5.0, 30.0))
        dx, dy = rng.uniform(-40.0, 40.0, 2)
        moved = (box[0] + dx, box[1] + dy, box[2] + dx, box[3] + dy)
        for rings in (True, False):
            if not placer.may_fit(box, dx, dy, rings):
                ruled_out += 1
                assert not placer.free(moved, rings)
    assert ruled_out > 100


LABEL_CASES: dict[str, tuple[Any, Any, dict[str, Any]]] = {
    "crowded": (
        ["Bober", "UJ-22", "Storm Shadow", "ATACMS", "Kalibr", "Shahed-136"],
        "Kyiv",
        {"marks": ["Moscow", "Bryansk", "Orel", "Kursk", "Belgorod"]},
    ),
    "crowded, 390 px": (
        ["Bober", "UJ-22", "Storm Shadow", "ATACMS", "Kalibr", "Shahed-136"],
        "Kyiv",
        {"marks": ["Moscow", "Bryansk", "Orel", "Kursk", "Belgorod"], "width": 390},
    ),
    "an area and outlines": (["HIMARS"], "Belarus", {"variant": "ATACMS", "width": 1200}),
    "several points": (["Shahed-136"], ["Kursk", "Bryansk"], {"marks": ["Kyiv"]}),
}


@pytest.mark.slow
@pytest.mark.parametrize("case", list(LABEL_CASES))
def test_ruling_spots_out_changes_no_map(case: str, monkeypatch: pytest.MonkeyPatch) -> None:
    systems, origin, kwargs = LABEL_CASES[case]
    if origin == "Belarus":
        origin = wr.area("Belarus")
    quick = _svg(systems, origin, **kwargs)
    monkeypatch.setattr(_labels._Placer, "may_fit", lambda *_args, **_kwargs: True)
    assert _svg(systems, origin, **kwargs) == quick
