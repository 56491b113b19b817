"""Areas as origins in the explorer page (docs/explorer.md): the page finds the countries and
regions weaponsref.area finds, by the same names, and measures from them as the library
does (0 inside; else the geodesic distance to the nearest point of the outline's geodesic
edges), to a metre, with the same nearest point and the same verdicts; it says which area,
its source and date, and for Crimea who administers and who claims it.

The page is the session's built site, opened from file:// in headless Chromium (the fixtures
are tests/conftest.py's; skips as tests/test_explorer.py says). The nearest points are
compared by GeographicLib's Python package, an authority independent of both.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from helpers import explorer_script

import weaponsref as wr
from weaponsref._units import format_quantity

#: How near the page's distance and nearest point must be to the library's.
TOLERANCE_M = 1.0
SCREENSHOTS = {1280: Path("/tmp/explorer-area-1280.png"), 390: Path("/tmp/explorer-area-390.png")}

#: Areas and places: countries (one with an islet drawn as a point, one across the
#: antimeridian), regions, Crimea; places inside, just outside and far away.
TABLE: list[tuple[str, str | tuple[float, float]]] = [
    ("Ukraine", "Moscow"),
    ("Ukraine", "Krasnodar"),
    ("Ukraine", "Chisinau"),
    ("Ukraine", "Sevastopol"),  # inside: the UN-recognised outline holds Crimea
    ("Belarus", "Vilnius"),
    ("Belarus", "Minsk"),
    ("Belarus", "Warsaw"),
    ("Kursk Oblast", "Kharkiv"),
    ("Kursk Oblast", "Sumy"),
    ("Kursk Oblast", "Kursk"),
    ("Kursk region", "Kyiv"),
    ("Crimea", "Krasnodar"),
    ("Crimea", "Odesa"),
    ("Crimea", "Kherson"),
    ("Crimea", "Sevastopol"),
    ("Fiji", "Suva"),
    ("Fiji", "Nuku'alofa"),
    ("Fiji", (-20.5, -179.9)),
    ("Fiji", (-21.5, 178.2)),
    ("Russia", "Anchorage"),
    ("Russia", "Tokyo"),
    ("Russia", "Kyiv"),
    ("Russia", (65.0, -175.0)),  # Chukotka, east of the antimeridian
    ("Russia", (66.0, -169.0)),  # the Bering Strait
    ("RU-KRS", "Belgorod"),
    ("UA", "Minsk"),
]


def _where(place: str | tuple[float, float]) -> tuple[float, float]:
    if isinstance(place, tuple):
        return place
    found = wr.place(place)
    return (found.lat, found.lon)


@pytest.mark.browser
def test_distances_from_areas_agree_with_the_library(tab: Any) -> None:
    """For every area and place of the table: the page's distance is
    weaponsref.distance(wr.area(name), place) to 1 m, its nearest point is the library's to
    1 m (or both say inside), and it names the area as Area.label and Area.description do."""
    from geographiclib.geodesic import Geodesic

    tab.open()
    inside = 0
    for name, place in TABLE:
        lat, lon = _where(place)
        area = wr.area(name)
        page = tab.page.evaluate(
            "([n, lat, lon]) => window.weaponsrefExplorer.areaDistance(n, lat, lon)",
            [name, lat, lon],
        )
        metres, near_lat, near_lon = area.distance_m(lat, lon)
        library = wr.distance(area, place if isinstance(place, str) else (lat, lon))
        assert abs(page["metres"] - metres) <= TOLERANCE_M, (name, place, page, metres)
        assert abs(page["metres"] / 1000 - library.to("km").magnitude) * 1000 <= TOLERANCE_M
        assert page["label"] == area.label and page["description"] == area.description
        if near_lat is None or near_lon is None:
            assert page["inside"] and page["lat"] is None and metres == 0.0, (name, place)
            inside += 1
            continue
        apart = Geodesic.WGS84.Inverse(near_lat, near_lon, page["lat"], page["lon"])["s12"]
        assert apart <= TOLERANCE_M, (name, place, page, (near_lat, near_lon))
    assert inside >= 4  # the table holds both kinds
    assert tab.errors == []


@pytest.mark.browser
def test_verdicts_from_areas_are_the_library_s(tab: Any) -> None:
    """From Kursk Oblast, Crimea and Russia, three systems to several places: the same
    status, distance and nearest point as weaponsref.reaches with wr.area; the caption names
    the area as Area.description does (Crimea's with who administers and who claims it)."""
    systems = ["ATACMS", "Storm Shadow", "Kalibr"]
    cases = {
        "Kursk Oblast": ["Kharkiv", "Kyiv", "Sumy", "Kursk"],
        "Crimea": ["Krasnodar", "Odesa", "Kherson", "Sevastopol"],
        "Russia": ["Kyiv", "Lviv", "Anchorage"],
    }
    ids = ",".join(wr.lookup(s).id for s in systems)
    for name, places in cases.items():
        area = wr.area(name)
        marks = "&".join(f"mark={p}" for p in places)
        tab.open(f"systems={ids}&from-area={name}&{marks}")
        rows = tab.rows()
        assert len(rows) == len(systems) * len(places)
        for index, row in enumerate(rows):
            system, place = systems[index % len(systems)], places[index // len(systems)]
            reach = wr.reaches(system, area, place)
            assert row["System"] == reach.system_name and row["Place"].startswith(place)
            assert row["Status"].startswith(reach.status), (name, place, row, str(reach))
            assert ("close" in row["Status"]) == reach.close, (name, place, row)
            distance = format_quantity(reach.distance)
            if reach.nearest is None:
                assert row["Distance"] == f"{distance} inside the area", row
            else:
                nearest = f"{reach.nearest.lat:.4f}, {reach.nearest.lon:.4f}"
                assert row["Distance"] == f"{distance} from its nearest point {nearest}", row
        caption = tab.page.locator(".explorer-table caption").inner_text()
        assert caption.startswith(f"Verdicts from {area.description}: "), caption
        credits = " ".join(tab.page.locator(".explorer-map svg text").all_text_contents())
        assert area.description in credits.replace("\xa0", " ")
        assert f"from-area={name.replace(' ', '%20')}" in tab.page.url
    assert "administered by Russia, claimed by Ukraine" in wr.area("Crimea").description
    assert tab.errors == []


def _area_data(site: Path) -> dict[str, Any]:
    data: dict[str, Any] = explorer_script(site, "areas-data.js", "WEAPONSREF_AREAS")
    return data


def test_every_name_the_page_knows_finds_the_library_s_area(explorer_site: Path) -> None:
    """Every folded name in the page's area index finds, through weaponsref.area, the area
    of the page's label, source and date; every country and region is there; a country's
    outline is the very basemap feature the library measures to."""
    from weaponsref import gazetteer

    data = _area_data(explorer_site)
    areas = data["areas"]
    for key, index in data["keys"].items():
        area = wr.area(key)
        entry = areas[index]
        assert (area.label, area.source, area.date) == (
            entry["label"],
            entry["source"],
            entry["date"],
        ), key
        assert area.details == entry["details"], key
    countries = {a["name"] for a in areas if a["kind"] == "country"}
    regions = {a["name"] for a in areas if a["kind"] == "region"}
    assert countries == set(gazetteer.country_names())
    assert regions == set(gazetteer.region_names())
    assert len(regions) == 119  # 117 regions, Crimea and Donbas
    features = explorer_script(explorer_site, "basemap.js", "WEAPONSREF_BASEMAP")["features"]
    for entry in areas:
        if entry["kind"] == "country":
            feature = features[entry["basemap"]]
            assert feature["properties"]["name"] == entry["name"]
            assert wr.area(entry["name"]).__geo_interface__["coordinates"] == (
                [feature["geometry"]["coordinates"]]
                if feature["geometry"]["type"] == "Polygon"
                else feature["geometry"]["coordinates"]
            )


@pytest.mark.browser
def test_an_area_is_picked_by_name_and_refused_when_unknown(tab: Any) -> None:
    """The area box suggests and takes an area as --from-area does ("kursk region" is Kursk
    Oblast); an unknown name is refused with suggestions; the address keeps the area."""
    tab.open("systems=atacms&mark=Kharkiv")
    page = tab.page
    box = page.get_by_label("Or an area", exact=False)
    box.fill("kursk region")
    page.keyboard.press("Enter")
    assert "from-area=Kursk%20Oblast" in page.url
    assert tab.rows()[0]["Status"].startswith(
        wr.reaches("ATACMS", wr.area("Kursk"), "Kharkiv").status
    )
    box.fill("Krim")
    # The suggestions are shown before the arrow picks the first (a busy machine may be
    # slower to show them than the test is to press), and the address is waited for.
    page.locator("#explorer-area-list li").first.wait_for(state="visible")
    assert "Crimea" in page.locator("#explorer-area-list li").first.inner_text()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_function("location.hash.includes('from-area=Crimea')", timeout=10_000)
    assert "from-area=Crimea" in page.url
    box.fill("Ukrain")
    page.keyboard.press("Enter")
    problem = page.locator(".explorer-problem").inner_text()
    assert "Ukrain" in problem and "Ukraine" in problem
    tab.open("systems=atacms&from-area=Lemuria&mark=Kharkiv")
    assert "Lemuria" in tab.page.locator(".explorer-problem").inner_text()
    # A place origin and an area are one origin: typing a place replaces the area.
    tab.open("systems=atacms&from-area=Crimea&mark=Kharkiv")
    tab.page.locator("#explorer-origin").fill("Kyiv")
    tab.page.keyboard.press("Enter")
    assert "from=Kyiv" in tab.page.url and "from-area" not in tab.page.url
    assert tab.page.locator("#explorer-area").input_value() == ""
    assert tab.errors == []


@pytest.mark.browser
@pytest.mark.parametrize("width", [1280, 390])
def test_the_map_hatches_the_area_and_rings_it(new_tab: Callable[..., Any], width: int) -> None:
    """The area is drawn hatched, a thin line joins each place outside it to its nearest
    point, a ring round the area is drawn for each range (a lower bound fading outward), the
    credits state the drawing tolerance; the GeoJSON of rings is refused, saying that the
    command line gives rings round an area."""
    tab = new_tab(width=width)
    tab.open(
        "systems=atacms,storm-shadow,bober&from-area=Kursk%20Oblast"
        "&mark=Kharkiv&mark=Kyiv&mark=Sumy&mark=Kursk"
    )
    page = tab.page
    area = page.locator(".explorer-map svg path.explorer-area")
    assert area.count() == 1 and area.get_attribute("fill") == "url(#explorer-hatch)"
    assert page.locator(".explorer-map svg pattern#explorer-hatch").count() == 1
    assert page.locator(".explorer-map svg path.explorer-area-ring").count() == 3
    assert page.locator(".explorer-map svg path.explorer-ring-fade").count() == 6  # Storm Shadow
    assert page.locator(".explorer-map svg path.explorer-nearest-line").count() == 3
    names = page.locator(".explorer-map svg text.explorer-ring-name").all_text_contents()
    assert sorted(names) == [
        "ATACMS · 300 km",
        "Bober · 1,300 km",
        "Storm Shadow · more than 250 km",
    ]
    text = " ".join(page.locator(".explorer-map svg text").all_text_contents())
    assert "within one screen pixel" in text
    assert "Published ranges from Kursk Oblast, Russia" in text.replace("\xa0", " ")
    page.get_by_role("button", name="Download GeoJSON").click()
    assert "weaponsref map --from-area" in page.locator(".explorer-problem").inner_text()
    assert page.evaluate("document.scrollingElement.scrollWidth") <= width
    page.locator(".explorer-map").screenshot(path=str(SCREENSHOTS[width]))
    assert tab.errors == []


@pytest.mark.browser
def test_rings_round_an_area_lie_at_the_range(tab: Any) -> None:
    """Every vertex of every ring drawn round an area (Kursk Oblast; Crimea; Fiji, across
    the antimeridian), taken back from the screen to longitude and latitude, lies at the
    range from the area as weaponsref measures it, within the drawing tolerance the page
    states (one screen pixel at the centre)."""
    cases = [
        ("Kursk Oblast", "systems=atacms,storm-shadow,bober&from-area=Kursk%20Oblast", 3),
        ("Crimea", "systems=atacms,kalibr&from-area=Crimea", 2),
        ("Fiji", "km=400&from-area=Fiji", 1),
    ]
    for name, state, count in cases:
        tab.open(state)
        rings = tab.page.evaluate("window.weaponsrefExplorer.areaRings()")
        assert len(rings) == count, (name, len(rings))
        area = wr.area(name)
        for ring in rings:
            vertices = ring["vertices"]
            assert len(vertices) >= 16
            tolerance = ring["tolerance_m"]
            assert 0 < tolerance < 20_000
            for lon, lat in vertices[:: max(1, len(vertices) // 150)]:
                metres = area.distance_m(lat, lon)[0]
                assert abs(metres - ring["metres"]) <= tolerance, (
                    name,
                    lat,
                    lon,
                    metres,
                    ring["metres"],
                )
        if name == "Fiji":
            lons = [lon for lon, _ in rings[0]["vertices"]]
            assert min(lons) < -179 and max(lons) > 179  # it spans the antimeridian
    assert tab.errors == []
