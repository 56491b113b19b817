"""The user's gazetteer: GeoNames dumps imported with import_geonames and `places import`."""

from __future__ import annotations

import datetime
import importlib
import sqlite3
import zipfile
from pathlib import Path

import pytest
from helpers import run_cli as run

from weaponsref.errors import DataFileError, GazetteerFileError, UnknownPlaceError
from weaponsref.gazetteer import (
    GazetteerInfo,
    default_gazetteer,
    import_geonames,
    place,
    places,
    places_in_box,
    search_places,
    user_gazetteer_info,
)

geonames_module = importlib.import_module("weaponsref.gazetteer._geonames")

# A village of about 350 people, far too small for the built-in cities of 15,000+.
VILLAGE_ID = 9_999_901


def row(
    geonameid: int = VILLAGE_ID,
    name: str = "Zelenyi Yar",
    alternates: str = "Zelenyj Jar,Зелений Яр,zelenyj jar,ZYR",
    lat: str = "50.1",
    lon: str = "30.2",
    feature: str = "P",
    country: str = "UA",
    population: str = "350",
    code: str = "PPL",
) -> str:
    """One line of GeoNames' geoname table (19 tab-separated columns)."""
    columns = [str(geonameid), name, name, alternates, lat, lon, feature, code, country, ""]
    columns += ["13", "", "", "", population, "", "150", "Europe/Kyiv", "2024-01-01"]
    assert len(columns) == 19
    return "\t".join(columns) + "\n"


DUMP = (
    row()
    + row(9_999_902, "Mount Test", "", feature="T")
    + row(9_999_903, "Nowhere", "", country="")
)


@pytest.fixture
def folder(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """The user data folder, empty, as $WEAPONSREF_DATA_DIR names it."""
    path = tmp_path / "data"
    monkeypatch.setenv("WEAPONSREF_DATA_DIR", str(path))
    return path


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def zipped(path: Path, members: dict[str, str]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in members.items():
            archive.writestr(name, text)
    return path


def test_a_village_is_found_after_import_by_name_and_alternate_name(
    folder: Path, tmp_path: Path
) -> None:
    with pytest.raises(UnknownPlaceError):
        place("Zelenyi Yar")
    assert user_gazetteer_info() is None
    info = import_geonames(write(tmp_path / "cities500.txt", DUMP))
    today = datetime.datetime.now(datetime.UTC).date().isoformat()
    assert info == GazetteerInfo(
        str(folder / "geonames.sqlite"),
        "cities500.txt",
        None,
        1,
        2,
        info.imported,
        geonames_module._LICENCE,
    )
    assert info.imported.startswith(today)
    assert "CC BY 4.0" in info.licence
    assert user_gazetteer_info() == info
    village = place("Zelenyi Yar")
    assert (village.lat, village.lon, village.country, village.population) == (
        50.1,
        30.2,
        "UA",
        350,
    )
    assert (
        village.source
        == f"GeoNames cities500.txt (CC BY 4.0), imported {today}, geonameid {VILLAGE_ID}"
    )
    assert village.address == f"https://www.geonames.org/{VILLAGE_ID}"
    # Alternate names, Cyrillic ones too, whatever the case and accents.
    assert place("Zelenyj Jar") is village
    assert place("ЗЕЛЕНИЙ ЯР") is village
    assert place("zelényi-yar, UA") is village
    assert village.aliases == ("Zelenyj Jar", "Зелений Яр")  # the same rules as built-in
    with pytest.raises(UnknownPlaceError):
        place("ZYR")  # three capitals: an airport code, dropped
    with pytest.raises(UnknownPlaceError):
        place("Mount Test")  # not a populated place
    # The built-in towns of 1,000+ people whose names start so come first, by population.
    assert village in search_places("Zelenyi", limit=50)
    assert search_places("Zelenyi Yar")[0] is village
    assert search_places("Zelenyi Yar, UA")[0] is village
    # Its region, named as the built-in places name GeoNames' first-level divisions.
    assert village.region == place("Bila Tserkva").region == "Kiev"  # UA.13: Kyiv Oblast
    assert (village.kind, village.population_source) == (
        "city",
        "GeoNames cities500.txt, dump of 2024-01-01",  # its latest modification date
    )
    # The built-in layers are untouched: article places first.
    assert place("Kyiv") is places()[3]
    assert place("Kharkov").address == "https://www.geonames.org/706483"


def test_a_zip_with_a_readme_is_read_like_geonames_country_files(
    folder: Path, tmp_path: Path
) -> None:
    archive = zipped(tmp_path / "UA.zip", {"readme.txt": "GeoNames readme\n", "UA.txt": DUMP})
    info = import_geonames(archive)
    assert (info.source, info.member, info.rows) == ("UA.zip", "UA.txt", 1)
    assert place("Zelenyi Yar").source.startswith("GeoNames UA.zip (CC BY 4.0)")
    # A cities file: one .txt of another name.
    single = zipped(tmp_path / "cities1000.zip", {"cities1000.txt": DUMP})
    assert import_geonames(single).member == "cities1000.txt"


def test_user_and_built_in_cities_merge_by_population(folder: Path, tmp_path: Path) -> None:
    big = row(
        9_999_910, "Springfield", "", lat="10.0", lon="10.0", country="US", population="9000000"
    )
    small = row(9_999_911, "Odesa", "", lat="11.0", lon="11.0", country="US", population="12")
    import_geonames(write(tmp_path / "US.txt", big + small))
    assert place("Springfield").population == 9_000_000  # more populous than any built-in one
    assert place("Springfield, US").population == 9_000_000
    assert place("Odesa").name == "Odesa"  # the article place still wins
    assert place("Odesa").country == "UA"
    odesas = [(p.country, p.population) for p in search_places("Odesa", limit=10)]
    assert odesas[0] == ("UA", None)
    # Its own name is "Odesa": it comes before the built-in Odessa, Texas, whose alternate
    # name "Odesa" is.
    assert odesas.index(("US", 12)) == 1
    assert odesas.index(("US", 118968)) > 1


def test_a_city_both_hold_is_the_built_in_place_once(folder: Path, tmp_path: Path) -> None:
    # GeoNames' Kharkiv and Kyiv, with a made-up alternate name each.
    kharkiv = row(706483, "Kharkiv", "Kharkivtest", lat="49.98081", lon="36.25272", population="1")
    kyiv = row(703448, "Kyiv", "Kyivtest", lat="50.45466", lon="30.5238", population="1")
    import_geonames(write(tmp_path / "UA.txt", kharkiv + kyiv))
    assert place("Kharkivtest") is place("Kharkov")
    assert place("Kharkov").source.startswith(geonames_module._GEONAMES_SOURCE)
    assert [p.name for p in search_places("Kharkiv")].count("Kharkiv") == 1
    assert place("Kyivtest") is place("Kyiv") is places()[3]  # the article's Kyiv


def test_a_new_import_replaces_the_previous_one(folder: Path, tmp_path: Path) -> None:
    import_geonames(write(tmp_path / "a.txt", DUMP))
    other = row(9_999_920, "Lisove Test", "", population="99")
    info = import_geonames(write(tmp_path / "b.txt", other))
    assert (info.source, info.rows, info.skipped) == ("b.txt", 1, 0)
    assert place("Lisove Test").population == 99
    with pytest.raises(UnknownPlaceError):
        place("Zelenyi Yar")
    assert sorted(p.name for p in folder.iterdir()) == ["geonames.sqlite"]


TOO_LONG = row(alternates="A" * 200_000)
BAD_FILES = [
    (
        "short.txt",
        row()[:-1].rsplit("\t", 3)[0] + "\n",
        "line 1",
        "expected 19 tab-separated columns, got 16",
    ),
    ("lat.txt", row() + row(9_999_930, lat="fifty"), "line 2", "latitude 'fifty' is not a number"),
    ("lat.txt", row(lat="95.5"), "line 1", "latitude 95.5 is outside [-90, 90]"),
    ("id.txt", row(geonameid=-5), "line 1", "geonameid '-5' is not a whole number"),
    ("twice.txt", row() + row(), "line 2", f"geonameid {VILLAGE_ID} appears a second time"),
    ("cc.txt", row(country="Ukraine"), "line 1", "country code 'Ukraine'"),
    ("long.txt", row() + TOO_LONG, "line 2", "longer than 131,072 bytes"),
    ("empty.txt", "", "", "the file is empty"),
    ("blank.txt", "\n", "line 1", "expected 19 tab-separated columns, got 1"),
    ("mountains.txt", row(feature="T"), "", "none of its 1 rows is a populated place"),
    ("latin1.txt", "Zelen\xe9", "line 1", "not UTF-8"),
]


@pytest.mark.parametrize(
    ("name", "text", "location", "needle"), BAD_FILES, ids=[b[0] for b in BAD_FILES]
)
def test_a_bad_file_raises_naming_file_line_and_fix_and_changes_nothing(
    folder: Path, tmp_path: Path, name: str, text: str, location: str, needle: str
) -> None:
    import_geonames(write(tmp_path / "good.txt", DUMP))
    before = (folder / "geonames.sqlite").read_bytes()
    bad = tmp_path / name
    if name == "latin1.txt":
        bad.write_bytes(row().encode() + text.encode("latin-1") + b"\n")
        location = "line 2"
    else:
        write(bad, text)
    with pytest.raises(GazetteerFileError) as info:
        import_geonames(bad)
    error = info.value
    assert isinstance(error, DataFileError)
    assert isinstance(error, ValueError)
    assert (error.path, error.location) == (str(bad), location)
    assert needle in error.problem
    assert "https://download.geonames.org/export/dump/" in error.problem  # the fix
    assert (folder / "geonames.sqlite").read_bytes() == before
    assert sorted(p.name for p in folder.iterdir()) == ["geonames.sqlite"]  # no temporary left
    assert place("Zelenyi Yar").name == "Zelenyi Yar"


def test_bad_zips_raise_and_change_nothing(folder: Path, tmp_path: Path) -> None:
    import_geonames(write(tmp_path / "good.txt", DUMP))
    before = (folder / "geonames.sqlite").read_bytes()
    whole = zipped(tmp_path / "UA.zip", {"UA.txt": DUMP * 200})
    cut = tmp_path / "cut.zip"
    cut.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    # A zip whose data is damaged: its central directory is whole, its deflate stream is not.
    data = bytearray(whole.read_bytes())
    data[100:140] = b"\xff" * 40
    damaged = tmp_path / "damaged.zip"
    damaged.write_bytes(bytes(data))
    cases = [
        (write(tmp_path / "fake.zip", "not a zip at all\n"), "not a valid zip file"),
        (cut, "not a valid zip file"),
        (zipped(tmp_path / "nothing.zip", {"readme.txt": "hello"}), "holds no GeoNames .txt"),
        (zipped(tmp_path / "two.zip", {"a.txt": DUMP, "b.txt": DUMP}), "more than one"),
        (damaged, "line 1: cannot be read"),
    ]
    for path, needle in cases:
        with pytest.raises(GazetteerFileError) as info:
            import_geonames(path)
        assert str(info.value).startswith(str(path)), path
        assert needle in str(info.value), path
        assert (folder / "geonames.sqlite").read_bytes() == before
        assert sorted(p.name for p in folder.iterdir()) == ["geonames.sqlite"]


def test_a_missing_file_is_a_gazetteer_file_error_naming_it(folder: Path, tmp_path: Path) -> None:
    missing = tmp_path / "nope.zip"
    with pytest.raises(GazetteerFileError) as info:
        import_geonames(missing)
    assert info.value.path == str(missing)
    assert "No such file" in info.value.problem
    assert not folder.exists() or not any(folder.iterdir())


def test_a_broken_user_database_is_reported_with_the_fix(folder: Path) -> None:
    folder.mkdir()
    (folder / "geonames.sqlite").write_bytes(b"not a database" * 100)
    with pytest.raises(GazetteerFileError, match="places import FILE"):
        place("Kyiv")
    with pytest.raises(GazetteerFileError, match=r"geonames\.sqlite"):
        user_gazetteer_info()


def test_the_user_database_has_the_built_in_layout(folder: Path, tmp_path: Path) -> None:
    import_geonames(write(tmp_path / "UA.txt", DUMP))
    connection = sqlite3.connect(folder / "geonames.sqlite")
    try:
        meta = dict(connection.execute("SELECT key, value FROM meta"))
        keys = connection.execute("SELECT key, own FROM keys ORDER BY key").fetchall()
    finally:
        connection.close()
    assert meta["kind"] == "user"
    assert meta["file"] == "UA.txt"
    assert meta["rows"] == "1"
    assert keys == [("zelenyiyar", 1), ("zelenyjjar", 0), ("зелениияр", 0)]


# --------------------------------------------------------------------------- the command


def test_places_import_command(
    folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    archive = zipped(tmp_path / "UA.zip", {"readme.txt": "", "UA.txt": DUMP})
    status, out, err = run(capsys, "places", "import", str(archive))
    assert (status, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == f"imported 1 places from UA.zip (UA.txt) into {folder / 'geonames.sqlite'}"
    assert lines[1] == "skipped 2 rows: not populated places, or without a country"
    assert "CC BY 4.0" in lines[2]
    status, out, _ = run(capsys, "places", "zelenyj jar")
    assert status == 0
    assert "Zelenyi Yar" in out
    # A search for a place called "import" is still possible.
    status, out, err = run(capsys, "places", "--", "import")
    assert status == 0


def test_places_import_errors_are_one_line(
    folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = write(tmp_path / "bad.txt", row(lat="north"))
    status, out, err = run(capsys, "places", "import", str(bad))
    assert (status, out) == (2, "")
    assert err.startswith(f"weaponsref: error: {bad}: line 1: latitude 'north' is not a number")
    assert len(err.splitlines()) == 1
    assert not folder.exists() or not (folder / "geonames.sqlite").exists()
    status, out, err = run(capsys, "places", "import", str(tmp_path / "missing.zip"))
    assert (status, out) == (2, "")
    assert "missing.zip" in err
    assert len(err.splitlines()) == 1
    status, out, err = run(capsys, "places", "import")
    assert (status, out) == (2, "")
    assert "FILE" in err
    status, out, _ = run(capsys, "places", "import", "--help")
    assert status == 0
    assert "example:" in out
    assert "weaponsref places import" in out


# ------------------------------------------------------------------------------- capitals


def test_an_imported_capital_is_one_by_its_feature_code(folder: Path, tmp_path: Path) -> None:
    # Made-up capitals far from any built-in one, so the built-in capitals cannot answer:
    # one of a sovereign state (Ukraine), one of a code that is no state (XA, user-assigned).
    dump = (
        row(9_999_911, "Testopol", "", lat="10.5", lon="-150.5", country="UA", code="PPLC")
        + row(9_999_912, "Big Town", "", lat="10.6", lon="-150.6", country="XA",
              population="900000")
        + row(9_999_913, "Seat Town", "", lat="10.7", lon="-150.7", country="XA", code="PPLA")
        + row(9_999_914, "Dependency Town", "", lat="10.8", lon="-150.8", country="XA",
              code="PPLC", population="300")
    )  # fmt: skip
    import_geonames(write(tmp_path / "XA.txt", dump))
    box = (10.0, -151.0, 11.0, -150.0)
    expected = ["Big Town", "Testopol", "Seat Town", "Dependency Town"]
    assert [p.name for p in places_in_box(*box)] == expected
    # A national capital is a sovereign state's, as the built-in list of states says.
    assert [p.name for p in places_in_box(*box, capitals=True)] == ["Testopol"]


def test_a_gazetteer_of_the_first_layout_is_read_and_names_no_capitals(
    folder: Path, tmp_path: Path
) -> None:
    import_geonames(write(tmp_path / "UA.txt", DUMP))
    database = folder / "geonames.sqlite"
    connection = sqlite3.connect(database)
    connection.execute("DROP TABLE capitals")
    connection.execute("PRAGMA user_version = 1")
    connection.commit()
    connection.close()
    default_gazetteer().reload()
    assert place("Zelenyi Yar").population == 350
    box = (49.0, 29.0, 51.0, 31.0)
    assert "Zelenyi Yar" in [p.name for p in places_in_box(*box, limit=1000)]
    assert [p.name for p in places_in_box(*box, capitals=True)] == ["Kyiv"]


# The layout a user's gazetteer had before layout 3 (kinds, regions, airports) came in.
LAYOUT_2 = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE cities (
    row INTEGER PRIMARY KEY, geonameid INTEGER NOT NULL UNIQUE, name TEXT NOT NULL,
    lat REAL NOT NULL, lon REAL NOT NULL, country TEXT NOT NULL, population INTEGER NOT NULL,
    alternates TEXT NOT NULL
);
CREATE TABLE keys (
    key TEXT NOT NULL, row INTEGER NOT NULL, own INTEGER NOT NULL, PRIMARY KEY (key, row)
) WITHOUT ROWID;
CREATE TABLE capitals (row INTEGER PRIMARY KEY, country TEXT NOT NULL);
INSERT INTO meta VALUES ('kind', 'user'), ('source', 'GeoNames UA.txt (CC BY 4.0), geonameid '),
    ('licence', 'CC BY 4.0'), ('rows', '2'), ('countries', 'UA'), ('file', 'UA.txt'),
    ('member', ''), ('skipped', '0'), ('imported', '2024-01-01T00:00:00+00:00');
INSERT INTO cities VALUES (1, 9999921, 'Testove', 10.5, -150.5, 'UA', 5000, 'Testowe'),
    (2, 9999922, 'Malo Testove', 10.6, -150.6, 'UA', 40, '');
INSERT INTO keys VALUES ('maloTestove', 2, 1), ('testove', 1, 1), ('testowe', 1, 0);
INSERT INTO capitals VALUES (1, 'UA');
PRAGMA user_version = 2;
"""


def test_a_gazetteer_of_the_second_layout_is_still_read(folder: Path) -> None:
    folder.mkdir()
    connection = sqlite3.connect(folder / "geonames.sqlite")
    connection.executescript(LAYOUT_2.replace("maloTestove", "malotestove"))
    connection.close()
    default_gazetteer().reload()
    found = place("Testowe")
    assert (found.name, found.population, found.kind, found.region) == (
        "Testove",
        5000,
        "city",
        None,
    )
    assert found.population_source is None  # a layout-2 file does not say
    box = (10.0, -151.0, 11.0, -150.0)
    assert [p.name for p in places_in_box(*box)] == ["Testove", "Malo Testove"]
    assert [p.name for p in places_in_box(*box, capitals=True)] == ["Testove"]
    assert [p.name for p in search_places("Testov", limit=3)][:1] == ["Testove"]
    with pytest.raises(UnknownPlaceError) as info:
        place("Testovee")
    assert "Testove" in info.value.suggestions
    assert user_gazetteer_info() is not None


def test_a_gazetteer_of_an_unknown_layout_is_refused_with_the_fix(
    folder: Path, tmp_path: Path
) -> None:
    import_geonames(write(tmp_path / "UA.txt", DUMP))
    connection = sqlite3.connect(folder / "geonames.sqlite")
    connection.execute("PRAGMA user_version = 7")
    connection.commit()
    connection.close()
    default_gazetteer().reload()
    with pytest.raises(GazetteerFileError, match="layout 7"):
        place("Zelenyi Yar")
    default_gazetteer().reload()
