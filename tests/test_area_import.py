"""Areas a user imports (issue 20): a map of control read from GeoJSON or a GeoPackage, kept
by name with its date and source, measured from by name in Python and on the command line,
and refused with a clear error when the file, the name or the date is wrong.

The GeoPackages are written by pyogrio (GDAL), an independent writer; coordinates converted
from Web Mercator are checked against the degrees they were made from (a hand-chosen square),
and distances against GeographicLib's own solution for the same geodesic.
"""

from __future__ import annotations

import datetime
import json
import os
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from geographiclib.geodesic import Geodesic

import weaponsref as wr
from weaponsref import errors
from weaponsref.cli import main
from weaponsref.gazetteer import (
    ImportedArea,
    area,
    import_area,
    imported_areas,
    remove_area,
)

# A square of Donetsk oblast's size, in degrees, and a triangle beside it.
SQUARE = [[36.0, 47.0], [38.0, 47.0], [38.0, 48.0], [36.0, 48.0], [36.0, 47.0]]
TRIANGLE = [[33.0, 45.0], [35.0, 45.0], [34.0, 46.0], [33.0, 45.0]]
# Degrees after a round trip through Web Mercator (pyproj is exact to far below this).
DEGREE_TOLERANCE = 1e-7
# Distances to the area agree with GeographicLib to this (the area's edge search).
DISTANCE_TOLERANCE_M = 1.0


@pytest.fixture(autouse=True)
def data_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty user data folder for every test."""
    folder = tmp_path / "data"
    monkeypatch.setenv("WEAPONSREF_DATA_DIR", str(folder))
    return folder


def _polygon(ring: list[list[float]], **properties: Any) -> dict[str, Any]:
    return {
        "type": "Feature",
        "properties": properties,
        "geometry": {"type": "Polygon", "coordinates": [ring]},
    }


def _geojson(path: Path, *features: dict[str, Any], **extra: Any) -> Path:
    path.write_text(
        json.dumps({"type": "FeatureCollection", "features": list(features), **extra}),
        encoding="utf-8",
    )
    return path


def _gpkg(path: Path, layers: dict[str, list[tuple[list[list[float]], str]]], crs: int) -> Path:
    """A GeoPackage written by pyogrio: per layer, polygons (lon, lat rings) with a
    ``status`` each, stored in EPSG ``crs`` (converted from degrees by pyproj)."""
    pyogrio_raw = pytest.importorskip("pyogrio.raw")
    shapely = pytest.importorskip("shapely")
    from pyproj import Transformer

    forward = Transformer.from_crs(4326, crs, always_xy=True)
    for index, (layer, polygons) in enumerate(layers.items()):
        shapes = []
        for ring, _ in polygons:
            xy = np.array(ring)
            x, y = forward.transform(xy[:, 0], xy[:, 1])
            shapes.append(shapely.to_wkb(shapely.Polygon(np.column_stack([x, y]))))
        pyogrio_raw.write(
            str(path),
            np.array(shapes, dtype=object),
            [np.array([status for _, status in polygons], dtype=object)],
            ["status"],
            layer=layer,
            driver="GPKG",
            crs=f"EPSG:{crs}",
            geometry_type="Polygon",
            append=index > 0,
        )
    return path


def _geographiclib_to_edge(lat: float, lon: float) -> float:
    """The distance from a point due north of the square to its north edge, a geodesic from
    (48, 36) to (48, 38): the minimum over the edge, found by GeographicLib alone (a fine
    sampling of the edge's geodesic line, refined by golden-section search)."""
    geod = Geodesic.WGS84
    line = geod.InverseLine(48.0, 36.0, 48.0, 38.0)

    def at(t: float) -> float:
        point = line.Position(t * line.s13)
        return float(geod.Inverse(lat, lon, point["lat2"], point["lon2"])["s12"])

    ts = np.linspace(0.0, 1.0, 2001)
    best = float(ts[int(np.argmin([at(t) for t in ts]))])
    low, high = max(0.0, best - 1e-3), min(1.0, best + 1e-3)
    ratio = (5**0.5 - 1) / 2
    for _ in range(80):
        a, b = high - ratio * (high - low), low + ratio * (high - low)
        if at(a) < at(b):
            high = b
        else:
            low = a
    return at((low + high) / 2)


# --------------------------------------------------------------------------- GeoJSON


def test_a_geojson_map_is_imported_named_dated_and_measured_from(tmp_path: Path) -> None:
    path = _geojson(tmp_path / "control.geojson", _polygon(SQUARE, status="occupied"))
    info = import_area(path, name="Held, 2025-11-01", date="2025-11-01", source="Example map")
    assert isinstance(info, ImportedArea)
    assert (info.name, info.date, info.source, info.file, info.features) == (
        "Held, 2025-11-01",
        "2025-11-01",
        "Example map",
        "control.geojson",
        1,
    )
    held = area("held 2025-11-01")  # matched as every name is
    assert held.properties() == {
        "area": "Held, 2025-11-01",
        "area_source": "Example map (imported from control.geojson)",
        "area_date": "2025-11-01",
        "area_cited": ["Example map (imported from control.geojson), 2025-11-01"],
        "file": "control.geojson",
        "imported": info.imported,
    }
    assert held.__geo_interface__["coordinates"] == [[SQUARE]]
    assert wr.distance(held, (47.5, 37.0)).m_as("m") == 0.0
    north = (49.0, 37.0)
    expected = _geographiclib_to_edge(*north)
    assert abs(wr.distance(held, north).m_as("m") - expected) <= DISTANCE_TOLERANCE_M
    assert imported_areas() == (info,)


def test_the_import_is_kept_for_later_sessions(tmp_path: Path, data_folder: Path) -> None:
    path = _geojson(tmp_path / "c.geojson", _polygon(SQUARE))
    import_area(path, name="Kept", date=datetime.date(2025, 11, 1), source="Example map")
    path.unlink()  # the area no longer needs the file it came from
    stored = list((data_folder / "areas").glob("*.geojson"))
    assert len(stored) == 1
    feature = json.loads(stored[0].read_text(encoding="utf-8"))
    assert feature["properties"]["date"] == "2025-11-01"
    assert area("KEPT").date == "2025-11-01"


def test_an_imported_areas_name_given_as_a_place_says_it_is_an_area(
    tmp_path: Path, data_folder: Path
) -> None:
    """An imported map's name given where a place goes is met with that it is an area and
    how to give it, as a country's or region's is; its stored file is not read to say so,
    so a broken one cannot turn a place lookup into a file error."""
    path = _geojson(tmp_path / "c.geojson", _polygon(SQUARE))
    import_area(path, name="Held zone", date="2025-11-01", source="Example map")
    with pytest.raises(wr.UnknownPlaceError) as caught:
        wr.place("Held zone")
    assert caught.value.because is not None
    assert caught.value.because.startswith(
        "'Held zone' names an area (an imported area), not a place: give it as wr.area('Held zone')"
    )
    for stored in (data_folder / "areas").glob("*.geojson"):
        stored.write_text("{ not json", encoding="utf-8")
    with pytest.raises(wr.UnknownPlaceError, match="names an area"):
        wr.place("Held zone")


def test_where_keeps_only_the_chosen_features(tmp_path: Path) -> None:
    path = _geojson(
        tmp_path / "control.geojson",
        _polygon(SQUARE, status="occupied"),
        _polygon(TRIANGLE, status="contested"),
    )
    info = import_area(
        path, name="Occupied", date="2025-11-01", source="Map", where={"status": "occupied"}
    )
    assert (info.features, info.selection) == (1, "status=occupied")
    assert area("Occupied").__geo_interface__["coordinates"] == [[SQUARE]]
    both = import_area(path, name="Both", date="2025-11-01", source="Map")
    assert both.features == 2
    assert len(area("Both").__geo_interface__["coordinates"]) == 2
    with pytest.raises(
        errors.AreaFileError,
        match=r"no feature has status='liberated'.*"
        r"'contested', 'occupied'",
    ):
        import_area(path, name="X", date="2025-11-01", source="M", where={"status": "liberated"})


def test_a_legacy_crs_member_is_converted(tmp_path: Path) -> None:
    from pyproj import Transformer

    forward = Transformer.from_crs(4326, 3857, always_xy=True)
    x, y = forward.transform([p[0] for p in SQUARE], [p[1] for p in SQUARE])
    mercator = [[float(a), float(b)] for a, b in zip(x, y, strict=True)]
    crs = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3857"}}
    path = _geojson(tmp_path / "m.geojson", _polygon(mercator), crs=crs)
    import_area(path, name="Mercator", date="2025-11-01", source="Map")
    ring = np.array(area("Mercator").__geo_interface__["coordinates"][0][0])
    assert np.abs(ring - np.array(SQUARE)).max() < DEGREE_TOLERANCE


# --------------------------------------------------------------------------- GeoPackage


def test_a_geopackage_in_web_mercator_is_read_in_degrees(tmp_path: Path) -> None:
    path = _gpkg(
        tmp_path / "control.gpkg",
        {"control": [(SQUARE, "occupied"), (TRIANGLE, "contested")]},
        3857,
    )
    info = import_area(
        path, name="GPKG held", date="2025-11-01", source="Map", where={"status": "occupied"}
    )
    assert info.features == 1
    ring = np.array(area("gpkg held").__geo_interface__["coordinates"][0][0])
    assert ring.shape == (5, 2)
    assert np.abs(ring - np.array(SQUARE)).max() < DEGREE_TOLERANCE


def test_a_geopackage_of_several_layers_needs_one_named(tmp_path: Path) -> None:
    path = _gpkg(
        tmp_path / "two.gpkg",
        {"occupied": [(SQUARE, "a")], "liberated": [(TRIANGLE, "b")]},
        4326,
    )
    with pytest.raises(errors.AreaFileError, match=r"holds 2 layers .*'occupied'.*layer="):
        import_area(path, name="X", date="2025-11-01", source="M")
    with pytest.raises(errors.AreaFileError, match=r"has no layer 'gone'; its layers are"):
        import_area(path, name="X", date="2025-11-01", source="M", layer="gone")
    info = import_area(path, name="Lib", date="2025-11-01", source="M", layer="liberated")
    assert info.selection == "layer liberated"
    ring = np.array(area("Lib").__geo_interface__["coordinates"][0][0])
    assert np.abs(ring - np.array(TRIANGLE)).max() < DEGREE_TOLERANCE


def test_only_a_real_geopackage_reaches_gdal(tmp_path: Path) -> None:
    """A file named .gpkg that is not an SQLite GeoPackage (here a GDAL VRT, which could
    name remote sources) is refused before GDAL opens it."""
    fake = tmp_path / "fake.gpkg"
    fake.write_text('<OGRVRTDataSource><OGRVRTLayer name="x"/></OGRVRTDataSource>')
    with pytest.raises(errors.AreaFileError, match="is not a GeoPackage"):
        import_area(fake, name="X", date="2025-11-01", source="M")


def test_a_geopackage_without_the_extra_says_which_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _gpkg(tmp_path / "c.gpkg", {"control": [(SQUARE, "a")]}, 4326)
    monkeypatch.setitem(__import__("sys").modules, "pyogrio.raw", None)
    with pytest.raises(errors.AreaFileError, match=r"weaponsref\[area-files\]"):
        import_area(path, name="X", date="2025-11-01", source="M")


# --------------------------------------------------------------------------- refusals


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"date": "2025-13-01"}, errors.ArgumentValueError, r"date needs a day .*'2025-13-01'"),
        ({"date": "1 Nov 2025"}, errors.ArgumentValueError, r"YYYY-MM-DD"),
        ({"date": 20251101}, errors.ArgumentError, r"date needs a date .* a datetime.date"),
        ({"name": ""}, errors.ArgumentValueError, r"name '' must be a name of 1 to 200"),
        ({"name": "--"}, errors.ArgumentValueError, r"with a letter or digit"),
        ({"name": 5}, errors.ArgumentError, r"name must be a str"),
        ({"name": "Ukraine"}, errors.ArgumentValueError, r"built-in country or region's"),
        ({"name": "kursk oblast"}, errors.ArgumentValueError, r"built-in"),
        ({"source": " "}, errors.ArgumentValueError, r"source ' ' must be"),
        ({"where": {"status": 1}}, errors.ArgumentError, r"where must map"),
        ({"layer": "x"}, errors.AreaFileError, r"a GeoJSON file has no layers"),
    ],
)
def test_bad_arguments_are_refused_by_kind(
    tmp_path: Path, kwargs: dict[str, Any], error: type[Exception], message: str
) -> None:
    path = _geojson(tmp_path / "c.geojson", _polygon(SQUARE))
    given = {"name": "Held", "date": "2025-11-01", "source": "Map", **kwargs}
    with pytest.raises(error, match=message):
        import_area(path, **given)
    assert imported_areas() == ()  # nothing half-imported


def test_a_name_is_not_overwritten_without_replace(tmp_path: Path) -> None:
    path = _geojson(tmp_path / "c.geojson", _polygon(SQUARE))
    import_area(path, name="Held", date="2025-11-01", source="Map")
    with pytest.raises(errors.ArgumentValueError, match=r"'Held' was imported on .*replace=True"):
        import_area(path, name="held", date="2025-12-01", source="Map")
    assert area("Held").date == "2025-11-01"
    other = _geojson(tmp_path / "t.geojson", _polygon(TRIANGLE))
    import_area(other, name="HELD", date="2025-12-01", source="Map", replace=True)
    replaced = area("Held")  # not the cached area of the file before
    assert (replaced.name, replaced.date) == ("HELD", "2025-12-01")
    assert replaced.__geo_interface__["coordinates"] == [[TRIANGLE]]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "not a GeoJSON file"),
        ("[1, 2]", "not a GeoJSON object"),
        ('{"type": "Point", "coordinates": [30, 50]}', "none of its 1 features is a Polygon"),
        (
            '{"type": "Polygon", "coordinates": [[[30, 50], [31, 95], [30, 51], [30, 50]]]}',
            "not a polygon",
        ),
        ('{"type": "Polygon", "coordinates": "x"}', "not a polygon"),
    ],
)
def test_broken_files_are_refused_naming_the_file(
    tmp_path: Path, content: str, message: str
) -> None:
    path = tmp_path / "broken.geojson"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(errors.AreaFileError, match=message) as caught:
        import_area(path, name="X", date="2025-11-01", source="M")
    assert caught.value.path.endswith("broken.geojson")


def test_folders_fifos_and_other_formats_are_refused(tmp_path: Path) -> None:
    folder = tmp_path / "dir.geojson"
    folder.mkdir()
    with pytest.raises(errors.AreaFileError, match="not a regular file"):
        import_area(folder, name="X", date="2025-11-01", source="M")
    if hasattr(os, "mkfifo"):
        fifo = tmp_path / "pipe.gpkg"
        os.mkfifo(fifo)
        with pytest.raises(errors.AreaFileError, match="not a regular file"):
            import_area(fifo, name="X", date="2025-11-01", source="M")
    shp = tmp_path / "x.shp"
    shp.write_bytes(b"\x00")
    with pytest.raises(errors.AreaFileError, match=r"GeoJSON file .* or a GeoPackage"):
        import_area(shp, name="X", date="2025-11-01", source="M")


def test_a_damaged_stored_area_names_the_fix(tmp_path: Path, data_folder: Path) -> None:
    path = _geojson(tmp_path / "c.geojson", _polygon(SQUARE))
    info = import_area(path, name="Held", date="2025-11-01", source="Map")
    Path(info.path).write_text("{", encoding="utf-8")
    with pytest.raises(errors.AreaFileError, match=r"import it again .* or delete this file"):
        area("Held")


def test_remove_and_suggestions(tmp_path: Path) -> None:
    path = _geojson(tmp_path / "c.geojson", _polygon(SQUARE))
    import_area(path, name="Russian-held, 2025-11-01", date="2025-11-01", source="Map")
    with pytest.raises(errors.UnknownAreaError) as caught:
        area("Russian-held, 2025-11-02")
    assert "Russian-held, 2025-11-01" in caught.value.suggestions
    with pytest.raises(errors.UnknownImportedAreaError, match="among your imported areas"):
        remove_area("Russian-held")
    assert remove_area("russian held 2025 11 01").name == "Russian-held, 2025-11-01"
    assert imported_areas() == ()
    with pytest.raises(errors.UnknownAreaError):
        area("Russian-held, 2025-11-01")


# --------------------------------------------------------------------------- command line


def test_the_command_line_imports_lists_measures_and_removes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _geojson(
        tmp_path / "control.geojson",
        _polygon(SQUARE, status="occupied"),
        _polygon(TRIANGLE, status="contested"),
    )
    argv = ["areas", "import", str(path), "--name", "Held, 2025-11-01", "--date", "2025-11-01"]
    assert main([*argv, "--source", "Example map", "--where", "status=occupied"]) == 0
    out = capsys.readouterr().out
    assert "imported 1 feature (status=occupied) of control.geojson as 'Held, 2025-11-01'" in out
    assert main(["areas", "held", "-f", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["name"], r["kind"], r["date"], r["selection"]) for r in rows] == [
        ("Held, 2025-11-01", "imported", "2025-11-01", "status=occupied")
    ]
    reach = ["reach", "--system", "kalibr", "--from-area", "Held, 2025-11-01", "--to", "Moscow"]
    assert main([*reach, "-f", "json"]) == 0
    row = json.loads(capsys.readouterr().out)[0]
    assert (row["origin"], row["origin_source"], row["origin_date"], row["origin_cited"]) == (
        "Held, 2025-11-01",
        "Example map (imported from control.geojson)",
        "2025-11-01",
        "Example map (imported from control.geojson), 2025-11-01",
    )
    assert main(reach) == 0
    assert "From Held, 2025-11-01 (Example map (imported from control.geojson), 2025-11-01)" in (
        capsys.readouterr().out
    )
    assert main(["areas", "remove", "Held, 2025-11-01"]) == 0
    assert "removed 'Held, 2025-11-01'" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            [
                "areas",
                "import",
                "missing.geojson",
                "--name",
                "X",
                "--date",
                "2025-11-01",
                "--source",
                "M",
            ],
            "missing.geojson: cannot be read",
        ),
        (
            ["areas", "import", "c.geojson", "--name", "X", "--date", "2025-11-01"],
            "the following arguments are required: --source",
        ),
        (
            [
                "areas",
                "import",
                "c.geojson",
                "--name",
                "X",
                "--date",
                "2025-11-01",
                "--source",
                "M",
                "--where",
                "status",
            ],
            "--where 'status' is not KEY=VALUE",
        ),
        (["areas", "remove", "nothing"], "no imported area named 'nothing'"),
        (["areas", "--kind", "lake"], "invalid choice: 'lake'"),
    ],
)
def test_command_line_errors_are_one_line(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    message: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    _geojson(tmp_path / "c.geojson", _polygon(SQUARE))
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert message in err
    assert err.count("\n") == 1
    assert "Traceback" not in err


def test_areas_lists_the_built_in_ones_with_source_and_date(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["areas", "crimea", "-f", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    names = {r["name"]: r for r in rows}
    assert names["Crimea"]["kind"] == "region"
    assert names["Crimea"]["source"] == wr.gazetteer.REGIONS_SOURCE
    assert names["Crimea"]["date"] == wr.gazetteer.REGIONS_DATE
