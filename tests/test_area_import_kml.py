"""Areas a user imports from KML and KMZ (issue 20): a Google Earth or My Maps export read
with pyogrio from bytes weaponsref checked itself, folders as layers, placemark names for
``where``, altitudes dropped, and every fault (not KML, a DOCTYPE, a NetworkLink, a zip
bomb, a broken zip, a folder, a FIFO) refused with an AreaFileError naming the file.

The KML text is written here by hand from the same degrees as the GeoJSON it is compared
with, so the two imports must agree exactly; the distance to the square's north edge is
checked against GeographicLib's own geodesic midpoint of that edge.
"""

from __future__ import annotations

import json
import os
import struct
import zipfile
from pathlib import Path
from typing import Any

import pytest
from geographiclib.geodesic import Geodesic

import weaponsref as wr
from weaponsref import errors
from weaponsref.cli import main
from weaponsref.gazetteer import _imported, area, import_area, imported_areas

pytest.importorskip("pyogrio")
pytest.importorskip("shapely")

# A square of Donetsk oblast's size, in degrees, and a triangle beside it (as in
# test_area_import.py).
SQUARE = [[36.0, 47.0], [38.0, 47.0], [38.0, 48.0], [36.0, 48.0], [36.0, 47.0]]
TRIANGLE = [[33.0, 45.0], [35.0, 45.0], [34.0, 46.0], [33.0, 45.0]]
# Distances to the area agree with GeographicLib to this (the area's edge search).
DISTANCE_TOLERANCE_M = 1.0
HEADER = '<?xml version="1.0" encoding="UTF-8"?>\n<kml xmlns="http://www.opengis.net/kml/2.2">'
DAY = {"date": "2025-11-01", "source": "Example map"}


@pytest.fixture(autouse=True)
def data_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty user data folder for every test."""
    folder = tmp_path / "data"
    monkeypatch.setenv("WEAPONSREF_DATA_DIR", str(folder))
    return folder


def _placemark(
    name: str, ring: list[list[float]], altitude: float | None = None, **data: str
) -> str:
    """A KML Placemark: a Polygon of ``ring`` (longitude, latitude, and ``altitude`` when
    given), with ExtendedData ``data``."""
    positions = " ".join(
        f"{lon!r},{lat!r}" + ("" if altitude is None else f",{altitude!r}") for lon, lat in ring
    )
    extended = "".join(f'<Data name="{k}"><value>{v}</value></Data>' for k, v in data.items())
    return (
        f"<Placemark><name>{name}</name><description>{name} on the map</description>"
        f"<ExtendedData>{extended}</ExtendedData><Polygon><altitudeMode>absolute</altitudeMode>"
        f"<outerBoundaryIs><LinearRing><coordinates>{positions}</coordinates></LinearRing>"
        "</outerBoundaryIs></Polygon></Placemark>"
    )


def _folder(name: str, *placemarks: str) -> str:
    return f"<Folder><name>{name}</name>{''.join(placemarks)}</Folder>"


def _document(*parts: str, name: str | None = "Control") -> str:
    title = "" if name is None else f"<name>{name}</name>"
    return f"{HEADER}<Document>{title}{''.join(parts)}</Document></kml>"


def _write(path: Path, text: str | bytes) -> Path:
    if isinstance(text, str):
        path.write_text(text, encoding="utf-8")
    else:
        path.write_bytes(text)
    return path


def _kmz(path: Path, members: dict[str, str | bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return path


def _refused(path: Path, match: str, **kwargs: Any) -> errors.AreaFileError:
    """The AreaFileError importing ``path`` as "X" raises (a ValueError too), naming the
    file, with nothing stored."""
    with pytest.raises(errors.AreaFileError, match=match) as caught:
        import_area(path, name="X", **DAY, **kwargs)
    assert isinstance(caught.value, ValueError)
    assert caught.value.path.endswith(path.name)
    assert path.name in str(caught.value)
    assert "X" not in [a.name for a in imported_areas()]
    return caught.value


def _geographiclib_to_north_edge(lat: float, lon: float) -> float:
    """The distance from a point on the square's meridian of symmetry (37 E), north of it,
    to its north edge, the geodesic from (48, 36) to (48, 38): by symmetry the nearest point
    is that geodesic's midpoint, found by GeographicLib alone."""
    geod = Geodesic.WGS84
    line = geod.InverseLine(48.0, 36.0, 48.0, 38.0)
    middle = line.Position(line.s13 / 2)
    return float(geod.Inverse(lat, lon, middle["lat2"], middle["lon2"])["s12"])


# --------------------------------------------------------------------------- KML read


def test_a_kml_polygon_is_the_same_area_as_the_geojson_one(tmp_path: Path) -> None:
    kml = _write(
        tmp_path / "control.kml",
        _document(_folder("Occupied", _placemark("Zone A", SQUARE, altitude=120.5))),
    )
    geojson = tmp_path / "control.geojson"
    geojson.write_text(json.dumps({"type": "Polygon", "coordinates": [SQUARE]}))
    info = import_area(kml, name="From KML", **DAY)
    import_area(geojson, name="From GeoJSON", **DAY)
    assert (info.file, info.features, info.selection) == ("control.kml", 1, "")
    from_kml, from_geojson = area("From KML"), area("From GeoJSON")
    # The altitudes are dropped: the positions are exactly the degrees written.
    assert from_kml.__geo_interface__["coordinates"] == [[SQUARE]]
    assert from_kml.__geo_interface__ == from_geojson.__geo_interface__
    north = (49.0, 37.0)
    assert wr.distance(from_kml, north) == wr.distance(from_geojson, north)
    expected = _geographiclib_to_north_edge(*north)
    assert abs(wr.distance(from_kml, north).m_as("m") - expected) <= DISTANCE_TOLERANCE_M
    assert wr.distance(from_kml, (47.5, 37.0)).m_as("m") == 0.0
    assert from_kml.properties()["area_source"] == "Example map (imported from control.kml)"
    # GDAL is asked for 2D: no altitude reaches the area (which would drop it anyway).
    features, crs = _imported._ogr_features(kml.read_bytes(), "control.kml", None, "KML", "c")
    assert crs == "EPSG:4326"
    assert json.loads(json.dumps(features[0]["geometry"]["coordinates"])) == [SQUARE]


def test_folders_are_layers_named_as_for_a_geopackage(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "two.kml",
        _document(
            _folder("Occupied", _placemark("Zone A", SQUARE)),
            _folder("Contested", _placemark("Zone B", TRIANGLE)),
        ),
    )
    _refused(path, r"holds 2 layers \('Occupied', 'Contested'\); name one with layer=")
    _refused(path, r"has no layer 'gone'; its layers are 'Occupied', 'Contested'", layer="gone")
    info = import_area(path, name="Contested", **DAY, layer="Contested")
    assert (info.features, info.selection) == (1, "layer Contested")
    assert area("Contested").__geo_interface__["coordinates"] == [[TRIANGLE]]


def test_a_document_without_a_name_is_a_layer_named_after_the_file(tmp_path: Path) -> None:
    """GDAL names such a layer after the in-memory copy weaponsref gives it; the error
    and ``layer=`` use the file's own name instead."""
    path = _write(
        tmp_path / "control.kml",
        _document(_placemark("Zone A", SQUARE), _folder("F", _placemark("B", TRIANGLE)), name=None),
    )
    error = _refused(path, r"holds 2 layers \('control', 'F'\)")
    assert "pyogrio" not in str(error)
    info = import_area(path, name="Top", **DAY, layer="control")
    assert area(info.name).__geo_interface__["coordinates"] == [[SQUARE]]


def test_where_picks_placemarks_by_name_and_extended_data(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "zones.kml",
        _document(
            _folder(
                "Zones",
                _placemark("Zone A", SQUARE, status="occupied"),
                _placemark("Zone B", TRIANGLE, status="contested"),
            )
        ),
    )
    info = import_area(path, name="A", **DAY, where={"Name": "Zone A"})
    assert (info.features, info.selection) == (1, "Name=Zone A")
    assert area("A").__geo_interface__["coordinates"] == [[SQUARE]]
    info = import_area(path, name="B", **DAY, where={"status": "contested"})
    assert area("B").__geo_interface__["coordinates"] == [[TRIANGLE]]
    info = import_area(path, name="C", **DAY, where={"description": "Zone B on the map"})
    assert area("C").__geo_interface__["coordinates"] == [[TRIANGLE]]
    both = import_area(path, name="Both", **DAY)
    assert both.features == 2
    with pytest.raises(errors.AreaFileError, match=r"no feature has Name='Zone C'.*'Zone A'"):
        import_area(path, name="Z", **DAY, where={"Name": "Zone C"})


def test_a_multigeometry_gives_its_polygon_and_points_are_left_out(tmp_path: Path) -> None:
    square = " ".join(f"{lon},{lat},0" for lon, lat in SQUARE)
    body = (
        "<Placemark><name>Town</name><Point><coordinates>37,49,0</coordinates></Point>"
        "</Placemark><Placemark><name>Held</name><MultiGeometry><Point><coordinates>37,47.5"
        "</coordinates></Point><Polygon><outerBoundaryIs><LinearRing><coordinates>"
        f"{square}</coordinates></LinearRing></outerBoundaryIs></Polygon></MultiGeometry>"
        "</Placemark>"
    )
    path = _write(tmp_path / "multi.kml", _document(body))
    info = import_area(path, name="Multi", **DAY)
    assert info.features == 1
    assert area("Multi").__geo_interface__["coordinates"] == [[SQUARE]]
    only_points = _write(
        tmp_path / "points.kml",
        _document("<Placemark><Point><coordinates>37,49</coordinates></Point></Placemark>"),
    )
    _refused(only_points, "none of its 1 features is a Polygon or MultiPolygon")


def test_a_byte_order_mark_and_comments_may_come_before_the_root(tmp_path: Path) -> None:
    text = _document(_placemark("Zone A", SQUARE)).replace(
        "<kml ", "<!-- exported <kml> -->\n<?pi x?>\n<kml ", 1
    )
    path = _write(tmp_path / "bom.kml", b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert import_area(path, name="Bom", **DAY).features == 1


# --------------------------------------------------------------------------- KMZ


def test_a_kmz_is_read_from_its_doc_kml(tmp_path: Path) -> None:
    inside = _document(_folder("Occupied", _placemark("Zone A", SQUARE, altitude=0.0)))
    decoy = _document(_folder("Occupied", _placemark("Decoy", TRIANGLE)))
    path = _kmz(
        tmp_path / "control.kmz",
        {"other.kml": decoy, "doc.kml": inside, "images/icon.png": b"\x89PNG"},
    )
    info = import_area(path, name="Zipped", **DAY, layer="Occupied")
    assert (info.file, info.features) == ("control.kmz", 1)
    assert area("Zipped").__geo_interface__["coordinates"] == [[SQUARE]]


def test_a_kmz_without_doc_kml_is_read_from_its_first_top_level_kml(tmp_path: Path) -> None:
    path = _kmz(
        tmp_path / "export.kmz",
        {
            "files/nested.kml": _document(_placemark("Nested", TRIANGLE)),
            "Control map.kml": _document(_placemark("Zone A", SQUARE)),
            "later.kml": _document(_placemark("Later", TRIANGLE)),
        },
    )
    import_area(path, name="First", **DAY, where={"Name": "Zone A"})
    assert area("First").__geo_interface__["coordinates"] == [[SQUARE]]


def test_a_kmz_is_refused_without_a_kml_or_when_it_is_no_zip(tmp_path: Path) -> None:
    _refused(
        _kmz(tmp_path / "empty.kmz", {"images/a.png": b"x", "files/inner.kml": HEADER}),
        r"holds no KML document at its top level \(doc\.kml\)",
    )
    folder_only = tmp_path / "folder.kmz"
    with zipfile.ZipFile(folder_only, "w") as archive:
        archive.writestr(zipfile.ZipInfo("x.kml/"), b"")
    _refused(folder_only, "holds no KML document")
    plain = _write(tmp_path / "plain.kmz", _document(_placemark("Zone A", SQUARE)))
    _refused(plain, r"is not a KMZ archive \(not a zip file\)")


def test_a_corrupt_zip_is_refused(tmp_path: Path) -> None:
    good = _kmz(tmp_path / "good.kmz", {"doc.kml": _document(_placemark("Zone A", SQUARE))})
    raw = good.read_bytes()
    _refused(_write(tmp_path / "cut.kmz", raw[:-30]), "is not a complete zip archive")
    _refused(_write(tmp_path / "junk.kmz", b"PK\x03\x04" + b"\x00" * 100), "not a complete zip")
    # The deflated KML damaged in the middle: zipfile's or zlib's fault, turned into ours.
    middle = raw.index(b"doc.kml") + 7 + 20
    damaged = raw[:middle] + bytes(b ^ 0xFF for b in raw[middle : middle + 40]) + raw[middle + 40 :]
    _refused(_write(tmp_path / "damaged.kmz", damaged), "is not a readable KMZ archive")


def test_a_zip_bomb_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A KML that unzips past the cap (here lowered to 1 MiB so the test is quick) is
    refused however small the archive is."""
    monkeypatch.setattr(_imported, "_MAX_KML_BYTES", 1 << 20)
    padding = "<!--" + " " * (3 << 20) + "-->"
    bomb = _kmz(tmp_path / "bomb.kmz", {"doc.kml": padding + _document()})
    assert bomb.stat().st_size < 50_000
    error = _refused(bomb, r"unzips to more than 1,048,576 bytes, refused \(a zip bomb\?\)")
    assert error.location == "doc.kml"


def _set_sizes(raw: bytes, size: int) -> bytes:
    """``raw`` (a zip of one member) with that member's uncompressed size given as ``size``
    in its local and central headers."""
    value = size.to_bytes(4, "little")
    local = raw.index(b"PK\x03\x04")
    raw = raw[: local + 22] + value + raw[local + 26 :]
    central = raw.index(b"PK\x01\x02")
    return raw[: central + 24] + value + raw[central + 28 :]


def test_a_zip_whose_headers_lie_about_sizes_is_refused(tmp_path: Path) -> None:
    """The real cap: a member whose header claims 300 MB is refused before it is unzipped;
    one whose header claims less than it holds is read only as far as the header says and
    then fails its checksum."""
    raw = _kmz(tmp_path / "a.kmz", {"doc.kml": _document(_placemark("A", SQUARE))}).read_bytes()
    claims_more = _write(tmp_path / "more.kmz", _set_sizes(raw, 300_000_000))
    _refused(claims_more, "unzips to more than 200,000,000 bytes")
    claims_less = _write(tmp_path / "less.kmz", _set_sizes(raw, 100))
    _refused(claims_less, r"is not a readable KMZ archive \(Bad CRC-32")


def test_a_zip_of_too_many_members_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_imported, "_MAX_KMZ_MEMBERS", 3)
    members: dict[str, str | bytes] = {f"images/{n}.png": b"x" for n in range(4)}
    many = _kmz(tmp_path / "many.kmz", {"doc.kml": _document(_placemark("A", SQUARE)), **members})
    _refused(many, r"lists 5 members in [\d,]+ bytes; a KMZ archive may hold at most 3")
    # Its end record saying 2: the members counted as zipfile reads them are refused too.
    raw = many.read_bytes()
    end = raw.rindex(b"PK\x05\x06")
    lying = raw[: end + 8] + (2).to_bytes(2, "little") * 2 + raw[end + 12 :]
    _refused(_write(tmp_path / "lying.kmz", lying), "holds 5 members; a KMZ may hold 3")


def test_a_zip64_record_is_read_for_the_member_count(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A ZIP64 end record (and its locator) before the end record: its count is the one
    zipfile reads, so it is the one checked, whatever the end record says."""
    monkeypatch.setattr(_imported, "_MAX_KMZ_MEMBERS", 3)
    members: dict[str, str | bytes] = {f"images/{n}.png": b"x" for n in range(4)}
    raw = _kmz(
        tmp_path / "plain.kmz", {"doc.kml": _document(_placemark("A", SQUARE)), **members}
    ).read_bytes()
    end = raw.rindex(b"PK\x05\x06")
    size, offset = struct.unpack("<LL", raw[end + 12 : end + 20])
    record = struct.pack("<4sQ2H2L4Q", b"PK\x06\x06", 44, 45, 45, 0, 0, 5, 5, size, offset)
    locator = struct.pack("<4sLQL", b"PK\x06\x07", 0, end, 1)
    says_two = raw[end : end + 8] + struct.pack("<HH", 2, 2) + raw[end + 12 :]
    zip64 = _write(tmp_path / "z64.kmz", raw[:end] + record + locator + says_two)
    _refused(zip64, "lists 5 members")


# --------------------------------------------------------------------------- refusals


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"hello, not a map", r"is not XML: no element begins it"),
        (b'{"type": "Polygon", "coordinates": []}', "is not XML"),
        (b"<!-- never closed <kml>", "is not XML"),
        (
            b'<?xml version="1.0"?><gpx version="1.1"><trk/></gpx>',
            r"is not KML: its root element is <gpx>, not <kml>",
        ),
        (b"<kml:kml xmlns:kml='http://www.opengis.net/kml/2.2'/>", r"root element is <kml:kml>"),
        ("<kml/>".encode("utf-16"), "is UTF-16 or UTF-32 text; save it as UTF-8"),
        (
            (HEADER + "<Document><Placemark><name>A").encode(),
            r"cannot be read as a KML file \(.*broken\.kml",
        ),
        (_document().encode(), "holds no layer of features; nothing to import"),
    ],
)
def test_what_is_not_kml_is_refused(tmp_path: Path, content: bytes, message: str) -> None:
    error = _refused(_write(tmp_path / "broken.kml", content), message)
    assert "pyogrio" not in str(error)
    assert "/vsimem/" not in str(error)


@pytest.mark.parametrize(
    "declaration",
    [
        '<!DOCTYPE kml [<!ENTITY secret SYSTEM "file://{secret}">]>',
        '<!DOCTYPE kml SYSTEM "file://{secret}">',
        '<!ENTITY secret SYSTEM "file://{secret}">',
    ],
)
def test_a_doctype_or_entity_is_refused_xxe(tmp_path: Path, declaration: str) -> None:
    secret = _write(tmp_path / "secret.txt", "the secret words")
    name = _placemark("&secret;", SQUARE) if "[" in declaration else _placemark("A", SQUARE)
    text = _document(name).replace(
        "<kml ", declaration.format(secret=secret.as_posix()) + "\n<kml ", 1
    )
    error = _refused(_write(tmp_path / "xxe.kml", text), r"declares a DOCTYPE or ENTITY")
    assert "(XXE)" in str(error)
    assert "remove the declaration" in str(error)
    assert "the secret words" not in str(error)


def test_a_network_link_is_refused_and_its_target_never_read(tmp_path: Path) -> None:
    """The linked file holds the triangle: the import is refused (nothing stored), and the
    triangle appears nowhere. Even GDAL, given the same bytes past the check, does not
    follow the link: the features it reads are the document's own square."""
    target = _write(tmp_path / "linked.kml", _document(_placemark("Linked", TRIANGLE)))
    link = f"<NetworkLink><name>Live</name><Link><href>{target}</href></Link></NetworkLink>"
    text = _document(_placemark("Own", SQUARE), link)
    path = _write(tmp_path / "live.kml", text)
    error = _refused(path, r"holds a NetworkLink .* which is not followed")
    assert "Keep data up to date with network link KML" in str(error)
    features, _ = _imported._ogr_features(text.encode(), "live.kml", None, "a KML file", "live")
    assert [f["properties"]["Name"] for f in features] == ["Own"]
    assert json.loads(json.dumps([f["geometry"] for f in features])) == [
        {"type": "Polygon", "coordinates": [SQUARE]}
    ]
    zipped = _kmz(tmp_path / "live.kmz", {"doc.kml": text})
    assert _refused(zipped, "holds a NetworkLink").location == "doc.kml"
    prefixed = text.replace("NetworkLink", "kml:NetworkLink").replace(
        "<kml ", '<kml xmlns:kml="http://www.opengis.net/kml/2.2" ', 1
    )
    _refused(_write(tmp_path / "prefixed.kml", prefixed), "holds a NetworkLink")


def test_folders_and_fifos_are_refused_before_they_are_opened(tmp_path: Path) -> None:
    for name in ("dir.kml", "dir.kmz"):
        (tmp_path / name).mkdir()
        _refused(tmp_path / name, "is not a regular file")
    if hasattr(os, "mkfifo"):
        for name in ("pipe.kml", "pipe.kmz"):
            os.mkfifo(tmp_path / name)
            _refused(tmp_path / name, "is not a regular file")
    _refused(tmp_path / "missing.kml", "cannot be read")


def test_a_kml_without_the_extra_says_which_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _write(tmp_path / "c.kml", _document(_placemark("A", SQUARE)))
    monkeypatch.setitem(__import__("sys").modules, "pyogrio.raw", None)
    _refused(
        path,
        r"reading a KML file needs pyogrio and shapely: pip install 'weaponsref\[area-files\]'",
    )


# --------------------------------------------------------------------------- command line


def test_the_command_line_imports_a_kml(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _write(
        tmp_path / "control.kml",
        _document(
            _folder("Occupied", _placemark("Zone A", SQUARE), _placemark("Zone B", TRIANGLE)),
            _folder("Contested", _placemark("Zone C", TRIANGLE)),
        ),
    )
    argv = ["areas", "import", str(path), "--name", "Held, 2025-11-01", "--date", "2025-11-01"]
    chosen = ["--layer", "Occupied", "--where", "Name=Zone A"]
    assert main([*argv, "--source", "Example map", *chosen]) == 0
    out = capsys.readouterr().out
    assert (
        "imported 1 feature (layer Occupied; Name=Zone A) of control.kml as 'Held, 2025-11-01'"
    ) in out
    reach = ["reach", "--system", "kalibr", "--from-area", "Held, 2025-11-01", "--to", "Moscow"]
    assert main([*reach, "-f", "json"]) == 0
    row = json.loads(capsys.readouterr().out)[0]
    assert (row["origin"], row["origin_source"], row["origin_date"]) == (
        "Held, 2025-11-01",
        "Example map (imported from control.kml)",
        "2025-11-01",
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (_document(_placemark("A", SQUARE)).replace("<kml ", "<!DOCTYPE kml>\n<kml ", 1), "XXE"),
        (HEADER + "<Document><Placemark>", "cannot be read as a KML file"),
        (_document(_folder("A", _placemark("A", SQUARE)), _folder("B")), "holds 2 layers"),
    ],
)
def test_command_line_errors_are_one_line(
    tmp_path: Path, capfd: pytest.CaptureFixture[str], content: str, message: str
) -> None:
    """One line on stderr, GDAL's own output included (captured at the descriptor)."""
    path = _write(tmp_path / "bad.kml", content)
    argv = ["areas", "import", str(path), "--name", "X", "--date", "2025-11-01"]
    assert main([*argv, "--source", "M"]) == 2
    err = capfd.readouterr().err
    assert message in err
    assert "bad.kml" in err
    assert err.count("\n") == 1
    assert "Traceback" not in err
    assert imported_areas() == ()


def test_a_kml_or_kmz_path_is_an_area_without_an_import(tmp_path: Path) -> None:
    """``area("map.kml")`` and ``--from-area map.kmz`` read the file as a path, not a name."""
    text = _document(_placemark("Zone A", SQUARE))
    kml = _write(tmp_path / "zone.kml", text)
    kmz = _kmz(tmp_path / "zone.kmz", {"doc.kml": text})
    for path in (kml, kmz):
        found = area(str(path))
        assert found.__geo_interface__["coordinates"] == [[SQUARE]]
        assert wr.distance(found, (47.5, 37.0)).m_as("m") == 0.0
    code = main(["reach", "--from-area", str(kmz), "--to", "47.5N 37.0E", "--format", "json"])
    assert code == 0
