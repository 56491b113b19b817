"""How the explorer page (docs/explorer.md) reads places and coordinates: as the command
line does (weaponsref.gazetteer.as_location and namesakes), the same places in the same
order with the same coordinates, the same coordinate grammar and the same refusals, and
names folded as weaponsref._text.fold folds them.

The page is the session's built site, opened from file:// in headless Chromium (the
fixtures are tests/conftest.py's; skips as tests/test_explorer.py says).
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import pytest

import weaponsref as wr
from weaponsref._text import fold


def _database_rows(sql: str, *parameters: object) -> list[Any]:
    import sqlite3
    from importlib.resources import files

    database = Path(str(files("weaponsref") / "data" / "gazetteer.sqlite"))
    with sqlite3.connect(database.resolve().as_uri() + "?mode=ro", uri=True) as db:
        return db.execute(sql, parameters).fetchall()


@pytest.mark.browser
def test_stand_ins_follow_the_gazetteer_s_rule(tab: Any) -> None:
    """A GeoNames place that shares a folded name with an article place of its country within
    half a degree, of the article place's kind, is that place (the gazetteer's documented
    rule): found by its GeoNames id (an airport by its ICAO code), the page gives the article
    place, as the library does."""
    from weaponsref.gazetteer import name_key

    # An article place stands in only for places of its own kind: the airport Vnukovo is not
    # the town Vnukovo beside it. (One with no GeoNames twin has no kind, and stands in for
    # nothing.)
    articles = [(p, wr.PLACE_KINDS.index(p.kind) if p.kind else -1) for p in wr.places()]
    expected: dict[str, str] = {}
    rows = _database_rows(
        "SELECT geonameid, name, lat, lon, country, alternates, kind, code FROM cities"
    )
    for geonameid, name, lat, lon, country, alternates, kind, code in rows:
        keys = {name_key(n) for n in [name, *alternates.split("\t")] if n} - {""}
        for article, article_kind in articles:
            same = article.country == country and abs(article.lat - lat) < 0.5
            same = same and abs(article.lon - lon) < 0.5 and article_kind == kind
            if same and keys & {name_key(n) for n in [article.name, *article.aliases]}:
                expected.setdefault(code or f"geonames:{geonameid}", article.name)
    assert len(expected) >= 10, "some GeoNames places are article places"
    assert any(not text.startswith("geonames:") for text in expected), "and an airport"
    tab.open()
    texts = list(expected)
    found = tab.page.evaluate("texts => texts.map(window.weaponsrefExplorer.read)", texts)
    for text, page in zip(texts, found, strict=True):
        python = [p.name for p in wr.namesakes(text)]
        assert python == [expected[text]], text
        assert [p[0] for p in page] == python, text
    kyiv = tab.page.evaluate("['Kiev', 'Kijów', 'Київ'].map(window.weaponsrefExplorer.read)")
    assert [k[0][0] for k in kyiv] == ["Kyiv"] * 3
    assert tab.errors == []


# --------------------------------------------------------------------------- places and points

#: Coordinates as text, good and bad: tests/test_points.py's and test_hostile_input.py's,
#: then more (spacing, marks, signs, what only float() reads, what no grammar reads).
COORDINATE_TEXTS = [
    "-33.9,18.4", "-33.9 18.4", "\u221233.9; 18.4", "+33.9, -18.4", "45.3086N 36.5097E",
    "45.3086 n, 36.5097 e", "33.9S 18.4W", "S33.9 W18.4", "36.5097E 45.3086N",
    "45°18′31″N 36°30′35″E", "45° 18′ 31″ N, 36° 30′ 35″ E", "45°18'31\"N 36°30'35\"E",
    "45d18m31sN 36d30m35sE", "45d18m31sN,36d30m35sE", "45d18.5mS 36dE", "33°55′S 18°25′E",
    "45d75mN 36E", "45d10m60sN 36E", "45.3N 36.5N", "45.3E 36.5W", "45.3N 36.5", "-45S 36E",
    "N45N 36E", "95N 36E", "45.5d10mN 36E", "12 13 14", "1.2.3", "Somewhere=Kyiv", "=45,36",
    " =45,36", "x" * 101 + "=45,36", "a\x07b=45,36", "=1,2", "37.6173,55.7558", "-1,-2",
    "55.7558,37.6173", "50.45,30.5233", "0.0,-140.0", "18.4241,-33.9249", "2.3522,48.8566",
    "Kerch bridge=45.3086,36.5097", " Cape Town = 33°55′S 18°25′E ", "45.3086, 36.5097",
    "  45.3086 ,\t36.5097  ", "45,36", "90,180", "-90,-180", "90.0000001,0", "0,180.5",
    "5e1,30", "1e2,30", "nan,30", "inf,0", "-infinity,0", "1_0.5,20", "١٠,٢٠", "45.,36.",
    ".5,.5", "45.3086N36.5097E", "45.3086N, 36.5097E", "45.3086;36.5097", "45 36",
    "45°N 36°E", "45ºN 36˚E", "45deg18min31secN 36deg30min35secE", "45d 18m 31s N 36d 30m 35s E",
    "45°18’31”N 36°30’35”E", "45°18′31′′N 36°30′35′′E", "45°18'31''N 36°30'35''E",
    "45.12345678901234567890,36", "45.123456789012345678901,36", "1000,36", "045.5,036.5",
    "45.3086 N 36.5097 E", "n45.3 e36.5", "45.3086N 36.5097Ex", "45,36,37", "45", "",
    "   ", ",", "45,", ",36", "N 45 E 36", "45°60′N 36°E", "45°59.999′N 36°E", "−45.5, −36.5",
    "+45.5,+36.5", "--45,36", "45 , 36", "45.3086\u00a036.5097", "1e999,0", "0x10,20",
    "Kyiv", "45.3086N 36.5097E=1,2", "Point=45.3086N 36.5097E", "Kerch=95,36",
    "\U0001f680=45,36", "x=45,36=46,37",
]  # fmt: skip


@functools.cache
def _builtin_gazetteer() -> Any:
    """The built-in gazetteer alone (no user's GeoNames import), opened once."""
    from weaponsref import gazetteer

    return gazetteer.Gazetteer(user=False)


def _python_reads(text: str) -> Any:
    """What the command line makes of ``text``: ("point", lat, lon, name, warned), the
    places it fits (name, country, lat, lon) best first, or "refused"."""
    import warnings

    from weaponsref import gazetteer
    from weaponsref.errors import CoordinateError, UnknownPlaceError

    with gazetteer.use_gazetteer(_builtin_gazetteer()):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                found = gazetteer.as_location(text)
            except (CoordinateError, UnknownPlaceError):
                return "refused"
        if isinstance(found, gazetteer.Point):
            return ("point", found.lat, found.lon, found.label, bool(caught))
        return [(p.name, p.country, p.lat, p.lon) for p in gazetteer.namesakes(text)]


def _page_reads(tab: Any, texts: list[str]) -> list[Any]:
    found = tab.page.evaluate("texts => texts.map(window.weaponsrefExplorer.read)", texts)
    out: list[Any] = []
    for item in found:
        if isinstance(item, list):
            out.append([tuple(p) for p in item])
        elif "error" in item:
            out.append("refused")
        else:
            out.append(("point", *item["point"], item["name"], item["warning"] is not None))
    return out


def _same(python: Any, page: Any) -> bool:
    if python == "refused" or page == "refused":
        return python == page
    if isinstance(python, tuple):
        return (
            isinstance(page, tuple)
            and abs(python[1] - page[1]) <= 1e-9
            and abs(python[2] - page[2]) <= 1e-9
            and python[3:] == page[3:]
        )
    return len(python) == len(page) and all(
        a[:2] == b[:2] and abs(a[2] - b[2]) <= 1e-9 and abs(a[3] - b[3]) <= 1e-9
        for a, b in zip(python, page, strict=True)
    )


@pytest.mark.browser
def test_coordinates_read_as_the_command_line_reads_them(tab: Any) -> None:
    """One grammar: every text gives the same point (to 1e-9 degrees, with the same label and
    the same warning of swapped numbers) in the page as in weaponsref.gazetteer.as_location,
    or both refuse it."""
    tab.open()
    python = [_python_reads(text) for text in COORDINATE_TEXTS]
    page = _page_reads(tab, COORDINATE_TEXTS)
    differ = [
        (t, a, b) for t, a, b in zip(COORDINATE_TEXTS, python, page, strict=True) if not _same(a, b)
    ]
    assert differ == []
    points = sum(isinstance(p, tuple) for p in python)
    refused = python.count("refused")
    assert points >= 40 and refused >= 30, (points, refused)  # the table holds both kinds
    # The example, in the box: the origin is the point, labelled by its coordinates.
    tab.open("systems=bober&from=45.3086N 36.5097E&mark=Kerch bridge=45°18′31″N 36°30′35″E")
    assert tab.rows()[0]["Place"] == "Kerch bridge"
    assert (
        tab.page.locator(".explorer-table caption")
        .inner_text()
        .startswith("Verdicts from 45.3086°N, 36.5097°E")
    )
    tab.open("from=37.6173,55.7558")
    assert "Latitude comes first" in tab.page.locator(".explorer-note").inner_text()
    assert tab.errors == []


#: Names a newsroom types, with the command line's answers to match: namesakes, a country
#: code, an ICAO and an IATA code, an air base, a small town, older names, unknown names.
NEWSROOM_NAMES = [
    "Pokrovsk", "Pokrovsk, UA", "Pokrovsk, RU", "Pokrovsk, FR", "Anadyr", "EGLL", "KBP", "UUWW",
    "Engels air base", "Engels Airbase", "Belbek", "Morozovsk", "Kiev", "Kyiv", "Moscow",
    "Moscow, US", "London", "London, CA", "Sevastopol", "Simferopol", "Sudzha", "Chasiv Yar",
    "Lgov", "Washington, DC", "geonames:703448", "geonames:2017824", "geonames:1", "Heathrow",
    "Vnukovo", "Vnukovo airport", "Kremlin", "Kerch bridge", "Crimean Bridge", "Atlantis",
    "Lemuria-on-Sea", "Pest", "Budapest", "Mariupol",
    "Magadan", "Anchorage", "Vuhledar", "Avdiivka", "Bakhmut", "Robotyne", "Krynky",
    "Kharkov", "Zaporozhye", "Dnipropetrovsk", "Artemovsk", "Königsberg", "Kaliningrad",
    "Tartus", "Hmeimim", "Saky", "Millerovo", "Shaykovka", "Olenya", "Soltsy", "Tiksi",
    "Petropavlovsk-Kamchatsky", "Springfield", "Springfield, US", "São Paulo", "Sao Paulo",
    "Łódź", "Köln", "Cologne", "Den Haag", "The Hague", "Al Mawsil", "Mosul", "Esenyurt",
    "Istanbul", "Tórshavn", "Mariehamn", "Douglas", "Sankt-Peterburg", "Санкт-Петербург",
    "Київ", "Харків", "Одеса", "Charkow", "Moskau", "Kijów", "Lemberg", "Lviv", "Lvov",
]  # fmt: skip


def _newsroom_sample(seed: int = 20261203) -> list[str]:
    """The newsroom's names, then a sample of what the built-in gazetteer holds: own names
    of populated places of every size, alternate names, airports by name, short name and
    code, "NAME, CC", GeoNames ids and "... air base" texts."""
    import random

    pick = random.Random(seed)
    rows = _database_rows("SELECT geonameid, name, country, alternates, kind FROM cities")
    cities = [r for r in rows if r[4] == 0]
    airports = [r for r in rows if r[4] == 1]
    sample = list(NEWSROOM_NAMES)
    sample += [r[1] for r in pick.sample(cities, 400)]
    sample += [f"{r[1]}, {r[2]}" for r in pick.sample(cities, 150)]
    sample += [f"geonames:{r[0]}" for r in pick.sample(cities, 60)]
    sample += [r[1] for r in pick.sample(rows, 100) if r[4] > 1]
    with_alternates = [r for r in rows if r[3]]
    sample += [pick.choice(r[3].split("\t")) for r in pick.sample(with_alternates, 300)]
    sample += [r[1] for r in pick.sample(airports, 120)]
    keys = _database_rows("SELECT key, own FROM keys WHERE own < 0")
    for tier in (-1, -2, -3):
        sample += pick.sample([k for k, own in keys if own == tier], 80)
    sample += [f"{k} air base" for k, own in pick.sample(keys, 40) if own == -1]
    return list(dict.fromkeys(sample))


@pytest.mark.browser
def test_places_resolve_as_on_the_command_line(tab: Any) -> None:
    """Every name of the sample finds the same places, in the same order, with the same
    coordinates (to 1e-9 degrees), in the page as weaponsref.gazetteer.namesakes finds them
    (the first is the one used), or is refused by both."""
    tab.open()
    names = _newsroom_sample()
    assert len(names) >= 1300
    python = [_python_reads(name) for name in names]
    page = _page_reads(tab, names)
    differ = [(n, a, b) for n, a, b in zip(names, python, page, strict=True) if not _same(a, b)]
    assert differ[:10] == [] and len(differ) == 0
    table = dict(zip(names, python, strict=True))
    assert [p[:2] for p in table["Pokrovsk"]] == [("Pokrovsk", "UA"), ("Pokrovsk", "RU")]
    assert [p[:2] for p in table["Pokrovsk, UA"]] == [("Pokrovsk", "UA")]
    assert table["Anadyr"][0][:2] == ("Anadyr", "RU")
    assert table["EGLL"][0][:2] == ("London Heathrow Airport", "GB")
    assert table["Lemuria-on-Sea"] == "refused"
    # The page says which namesake it took, and the address keeps it.
    tab.open("systems=bober&from=Kyiv&mark=Pokrovsk")
    assert "Pokrovsk, Sakha, RU" in tab.page.locator(".explorer-note").inner_text()
    assert tab.rows()[0]["Place"] == "Pokrovsk, UA"
    tab.page.locator("#explorer-mark").fill("Pokrovsk, RU")
    tab.page.keyboard.press("Enter")
    assert "mark=Pokrovsk%2C%20RU" in tab.page.url
    assert tab.errors == []


# --------------------------------------------------------------------------- search


@pytest.mark.browser
def test_search_folds_names_like_the_library(tab: Any) -> None:
    tab.open()
    names = ["Kraków", "  Storm-Shadow ", "Łódź", "Straße", "Øresund", "ΣΊΣΥΦΟΣ", "Київ", "Ærø"]
    folded = tab.page.evaluate("names => names.map(window.weaponsrefExplorer.fold)", names)
    assert folded == [fold(name) for name in names]
    for query, expected in (
        ("Kiev", "Kyiv"),
        ("kijow", "Kyiv"),
        ("Kharkov", "Kharkiv"),
        ("zaporozhye", "Zaporizhzhya"),
        ("São Paulo", "São Paulo"),
        ("sao paulo", "São Paulo"),
        ("Moscow", "Moscow"),
    ):
        found = tab.page.evaluate(
            "q => window.weaponsrefExplorer.searchPlaces(q, 3).map(p => p.name)", query
        )
        assert found and found[0] == expected, (query, found)
        assert wr.search_places(query, limit=1)[0].name == expected
