"""The docs site's offline range explorer (docs/explorer.md), opened from file:// in headless
Chromium and checked against the library and against GeographicLib's Python package.

The site is the session's, which tests/conftest.py builds once with ``sphinx-build -W
--keep-going -b html`` into a temporary folder (or ``$WEAPONSREF_SITE`` is used) for this
module and tests/test_docs_site.py; the page is opened straight from disk, with no server.
The session fixtures and the tab (``explorer_site``, ``Tab``, ``tab``, ``new_tab``) are
tests/conftest.py's; how the page reads places and coordinates is tested in
tests/test_explorer_places.py, areas as origins in tests/test_explorer_areas.py.

Skips, each with its reason: Sphinx (the ``docs`` extra) not installed; ``node_modules``
missing (``npm ci``); Playwright (the ``test`` extra) not installed; ``/usr/bin/chromium``
absent (``apt-get install chromium``).
"""

from __future__ import annotations

import importlib.util
import itertools
import json
import os
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs
import pytest
from helpers import explorer_script

import weaponsref as wr
from weaponsref._units import format_quantity

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
SCREENSHOTS = {1200: Path("/tmp/explorer-1200.png"), 390: Path("/tmp/explorer-390.png")}
VERTEX_TOLERANCE_M = 1.0


def _missing(*modules: str) -> str | None:
    for module in modules:
        if importlib.util.find_spec(module) is None:
            return module
    return None


def _row(rows: list[dict[str, str]], system: str, place: str) -> dict[str, str]:
    found = [r for r in rows if r["System"] == system and r["Place"].startswith(place)]
    assert len(found) == 1, (system, place, rows)
    return found[0]


# --------------------------------------------------------------------------- offline


@pytest.mark.browser
def test_opened_from_disk_it_requests_nothing_outside_the_site(tab: Any) -> None:
    tab.open("systems=bober,kalibr&from=Kyiv&mark=Moscow")
    page = tab.page
    # Use it: search, pick with the keyboard, change a claim, download both files.
    page.locator("#explorer-mark").fill("Odesa")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.get_by_label("Claim for Kalibr").select_option(label="Variant: sea-target (preferred)")
    tab.download("Download GeoJSON")
    tab.download("Download SVG")
    assert len(tab.rows()) == 4
    site = tab.site.resolve().as_uri() + "/"
    # The downloads are data: addresses the page makes itself; everything else is a file of
    # the built site.
    outside = [
        url for url in tab.requests if not url.startswith(site) and not url.startswith("data:")
    ]
    assert outside == [], outside
    assert any("_static/explorer/data.js" in url for url in tab.requests), tab.requests
    assert any("geographiclib-geodesic.min.js" in url for url in tab.requests)
    assert tab.errors == []


def test_the_html_build_fails_without_node_modules(tmp_path: Path, sphinx: Any) -> None:
    if _missing("sphinx", "myst_parser"):
        pytest.skip("sphinx is not installed: pip install -e '.[docs]'")
    source = tmp_path / "src"
    source.mkdir()
    (source / "conf.py").write_text(
        textwrap.dedent(
            f"""
            import sys
            sys.path.insert(0, {str(DOCS / "_ext")!r})
            extensions = ["weaponsref_explorer"]
            """
        ),
        encoding="utf-8",
    )
    (source / "index.rst").write_text("Nothing\n=======\n", encoding="utf-8")
    env = {**os.environ, "WEAPONSREF_NODE_MODULES": str(tmp_path / "nowhere")}
    result = sphinx("html", source, tmp_path / "out", env=env, timeout=600)
    assert result.returncode != 0
    assert "npm ci" in result.stderr, result.stderr
    assert "geographiclib-geodesic.min.js" in result.stderr, result.stderr


# --------------------------------------------------------------------------- verdicts


@pytest.mark.browser
def test_kyiv_bober_moscow(tab: Any) -> None:
    tab.open("systems=bober&from=Kyiv&mark=Moscow")
    row = _row(tab.rows(), "Bober", "Moscow")
    reach = wr.reaches("Bober", "Kyiv", "Moscow")
    assert row["Status"] == "reaches" == reach.status
    assert row["Distance"] == "757.1 km"
    claim = reach.claim
    assert row["Source"] == claim.said_by  # who says so, as the library's table says it
    assert reach.claim.quote in row["Phrase"]
    assert row["Claim (range)"] == "1,300 km"  # a plain figure: no qualifier word
    assert row["Margin"] == "542.9 km"  # 1,300 km - 757.1 km, by hand
    links = tab.page.locator(".explorer-table tbody td.explorer-source a")
    if reach.claim.source.url is None:
        assert links.count() == 0
    else:
        assert links.first.get_attribute("href") == reach.claim.source.url
    assert tab.errors == []


@pytest.mark.browser
def test_what_a_figure_measures_and_who_says_so_as_the_library_says_them(tab: Any) -> None:
    """Kinzhal's 2,000 km includes its carrier aircraft and is unnamed reports' (ANI);
    Kh-101's 4,500 km is Vladimir Putin's (Sputnik France): the table's Claim and Source
    cells are the library's (Claim.summary, Claim.said_by), and the map's legend names the
    same basis and the same speaker."""
    tab.open("systems=kinzhal,kh-101&from=Kyiv&mark=Moscow")
    rows = tab.rows()
    texts = tab.page.locator(".explorer-map svg text").all_text_contents()
    legend = " ".join(" ".join(texts).split())
    for name in ("Kinzhal", "Kh-101"):
        claim = wr.reaches(name, "Kyiv", "Moscow").claim
        assert claim is not None
        row = _row(rows, name, "Moscow")
        assert row["Source"] == claim.said_by
        assert row["Claim (range)"] == claim.summary
        assert claim.said_by in legend, (claim.said_by, legend)
        if claim.basis_tag:
            assert f", {claim.basis_tag}, {claim.said_by}" in legend, legend
    assert wr.lookup("Kinzhal").claim("range").basis_tag == "with carrier"
    assert wr.lookup("Kh-101").claim("range").asserted_by is not None
    assert tab.errors == []


@pytest.mark.browser
def test_every_verdict_agrees_with_the_library(tab: Any) -> None:
    """Every system's preferred claim, variants, a munition and one picked claim, from Kyiv
    to three places: the same status, distance and source as weaponsref.reaches."""
    storm = wr.lookup("Storm Shadow")
    picked = next(i for i, c in enumerate(storm.claims) if c.variant == "full version")
    tokens = [s.id for s in wr.systems()] + [
        "himars:ATACMS",
        "m270-mlrs:GMLRS",
        "storm-shadow:export",
        f"storm-shadow@{picked}",
    ]
    places = ["Moscow", "Sevastopol", "Belgorod"]
    tab.open("systems=" + ",".join(tokens) + "&from=Kyiv&" + "&".join(f"mark={p}" for p in places))
    rows = tab.rows()
    # A launcher (HIMARS, M270) has no range of its own: one verdict per munition it fires.
    asked = []
    for token in tokens:
        system_id, _, variant = token.partition(":")
        system_id, _, claim_index = system_id.partition("@")
        system = wr.lookup(system_id)
        claim = system.claims[int(claim_index)] if claim_index else None
        if variant or claim is not None:
            asked.append((token, system, variant or None, claim))
        else:
            asked += [(token, system, v, None) for v in wr.reach.range_choices(system)]
    assert len(rows) == len(asked) * len(places)
    for index, (token, system, variant, claim) in enumerate(asked):
        for place in places:
            reach = wr.reaches(system, "Kyiv", place, variant=variant, claim=claim)
            row = rows[places.index(place) * len(asked) + index]
            assert row["Place"].startswith(place), (row, place)
            assert row["Status"].startswith(reach.status), (token, place, row, str(reach))
            assert row["Distance"] == format_quantity(reach.distance), (token, place, row)
            assert reach.claim is not None
            said = reach.claim.according_to.removeprefix("according to ")
            who = said[1:-1] if said.startswith("(") else said  # "(CNN, 2023-07-11)"
            assert row["Source"] == who, (token, place, row)
            assert reach.claim.quote in row["Phrase"]
            assert ("close" in row["Status"]) == reach.close, (token, place, row)
    assert tab.errors == []


# An init script that gives Bober a published minimum range of 800 km in the page's data,
# as data.js is read.
MINIMUM_M = 800_000.0
WITH_MINIMUM = """
(() => {
  let stored;
  Object.defineProperty(window, "WEAPONSREF_EXPLORER", {
    configurable: true,
    get() { return stored; },
    set(data) {
      const bober = data.systems.find((s) => s.id === "bober");
      Object.keys(bober.minimum_m).forEach((k) => { bober.minimum_m[k] = MINIMUM_M; });
      stored = data;
    },
  });
})();
""".replace("MINIMUM_M", repr(MINIMUM_M))


@pytest.mark.browser
def test_a_target_inside_the_minimum_range_does_not_reach(tab: Any) -> None:
    """Bober with a minimum range of 800 km: Moscow (757 km) is too near, Budapest (901 km)
    is reached, Rome (1,678 km) is beyond its 1,300 km; as Reach says."""
    tab.page.add_init_script(WITH_MINIMUM)
    tab.open("systems=bober&from=Kyiv&mark=Moscow&mark=Budapest&mark=Rome")
    rows = tab.rows()
    expected = {"Moscow": "does not reach", "Budapest": "reaches", "Rome": "does not reach"}
    for place, status in expected.items():
        reach = attrs.evolve(wr.reaches("Bober", "Kyiv", place), min_range_m=MINIMUM_M)
        assert reach.status == status
        row = _row(rows, "Bober", place)
        assert row["Status"].startswith(status), row
        assert ("minimum range of 800 km" in row["Status"]) is reach.too_near, row
    # The ring has its hole: two closed loops in the ring's path.
    ring = tab.page.locator(".explorer-map svg path.explorer-ring").get_attribute("d")
    assert ring is not None and ring.count("M") == 2 and ring.count("Z") == 2, ring
    properties = json.loads(tab.download("Download GeoJSON").read_text(encoding="utf-8"))[
        "features"
    ][0]["properties"]
    assert properties["min_range_m"] == MINIMUM_M
    assert tab.errors == []


@pytest.mark.browser
def test_a_launcher_s_munition_keeps_its_own_minimum_range(tab: Any) -> None:
    """HIMARS's PrSM from Kharkiv: Chuhuiv (35 km) is nearer than PrSM's published minimum
    range of 60 km, Kupiansk (103 km) is not, and Vovchansk (60.1 km) is reached but close,
    inside the minimum range's own rounding (±5 km); the page says so for the launcher's row
    as for PrSM's own, as weaponsref.reaches does."""
    tab.open("systems=himars:PrSM,prsm&from=Kharkiv&mark=Chuhuiv&mark=Kupiansk&mark=Vovchansk")
    rows = tab.rows()
    for place in ("Chuhuiv", "Kupiansk", "Vovchansk"):
        for name, system in (("HIMARS (PrSM)", "HIMARS"), ("PrSM", "PrSM")):
            reach = wr.reaches(
                system, "Kharkiv", place, variant="PrSM" if system == "HIMARS" else None
            )
            row = _row(rows, name, place)
            assert row["Status"].startswith(reach.status), (name, place, row)
            assert ("minimum range of 60 km" in row["Status"]) is reach.too_near, row
            close = "close: inside the minimum range's own rounding (±5 km)"
            assert (close in row["Status"]) is reach.close, row
    assert wr.reaches("PrSM", "Kharkiv", "Vovchansk").close_to == "minimum range"
    assert wr.reaches("HIMARS", "Kharkiv", "Chuhuiv", variant="PrSM").too_near
    assert tab.errors == []


def _page_data(site: Path) -> dict[str, Any]:
    data: dict[str, Any] = explorer_script(site, "data.js", "WEAPONSREF_EXPLORER")
    return data


def test_the_page_holds_the_library_s_rule_and_minimum_ranges(explorer_site: Path) -> None:
    from weaponsref.reach import rule_table

    data = _page_data(explorer_site)
    assert data["rule"] == rule_table()
    here = (0.0, 0.0)
    for system in data["systems"]:
        for claim in system["claims"]:
            reach = wr.reaches(
                system["id"], here, here, claim=wr.lookup(system["id"]).claims[claim["index"]]
            )
            assert system["minimum_m"][claim["variant"] or ""] == reach.min_range_m
            assert system["minimum_rounding_m"][claim["variant"] or ""] == reach.minimum_rounding_m
            assert claim["rounding_m"] == reach.rounding_m
    assert (explorer_site / "_static" / "explorer" / "rule.js").is_file()


# --------------------------------------------------------------------------- rings


def _check_rings(path: Path, origin: tuple[float, float], expected: dict[str, float]) -> Any:
    from geographiclib.geodesic import Geodesic

    collection = json.loads(path.read_text(encoding="utf-8"))
    assert collection["type"] == "FeatureCollection"
    by_system = {f["properties"]["system_name"]: f for f in collection["features"]}
    assert set(by_system) == set(expected)
    for name, metres in expected.items():
        feature = by_system[name]
        assert feature["type"] == "Feature"
        assert feature["properties"]["range_m"] == pytest.approx(metres, abs=1e-3)
        geometry = feature["geometry"]
        polygons = (
            [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        )
        vertices = 0
        for polygon in polygons:
            for ring in polygon:
                assert ring[0] == ring[-1], "a ring is closed"
                area = 0.0
                for (x1, y1), (x2, y2) in itertools.pairwise(ring):
                    assert -180 <= x1 <= 180 and -90 <= y1 <= 90
                    assert abs(x2 - x1) <= 180, f"an edge crosses the antimeridian: {x1} {x2}"
                    area += x1 * y2 - x2 * y1
                assert area > 0, "exterior rings run counter-clockwise (RFC 7946)"
                for lon, lat in ring:
                    s12 = Geodesic.WGS84.Inverse(origin[0], origin[1], lat, lon)["s12"]
                    assert abs(s12 - metres) <= VERTEX_TOLERANCE_M, (name, lon, lat, s12)
                    vertices += 1
        assert vertices >= 360
    return by_system


@pytest.mark.browser
def test_downloaded_rings_lie_at_the_range(tab: Any) -> None:
    tab.open("systems=bober,uj-22,himars:ATACMS&from=Kyiv&mark=Moscow")
    kyiv = wr.place("Kyiv")
    expected = {
        "Bober": wr.lookup("Bober").claim("range").metres,
        "UJ-22 Airborne": wr.lookup("UJ-22").claim("range").metres,
        "HIMARS": wr.lookup("ATACMS").claim("range").metres,
    }
    rings = _check_rings(tab.download("Download GeoJSON"), (kyiv.lat, kyiv.lon), expected)
    bober = rings["Bober"]["properties"]
    assert bober["source"] == wr.lookup("Bober").claim("range").source.id
    assert bober["source_citation"] == wr.lookup("Bober").claim("range").dated_source
    # The page's ring properties carry the library's citation keys, under the same names.
    python = wr.range_ring("Bober", "Kyiv")["properties"]
    for key in ("system", "system_name", *(k for k in python if k.startswith("source"))):
        assert bober[key] == python[key], key
    assert bober["quote"] == wr.lookup("Bober").claim("range").quote
    assert rings["HIMARS"]["properties"]["variant"] == "ATACMS"


@pytest.mark.browser
def test_rings_across_the_antimeridian(tab: Any) -> None:
    """From Petropavlovsk-Kamchatsky (158.6 E): Lyutyi's 1,000 km stops short of 180
    (at about 173.7 E); Shahed-136's 1,200 mi (1,931 km) crosses it (the meridian is about
    1,410 km away at its nearest) and is cut there, into a MultiPolygon."""
    origin = wr.place("Petropavlovsk-Kamchatsky")
    tab.open("systems=lyutyi,shahed-136&from=Petropavlovsk-Kamchatsky")
    rings = _check_rings(
        tab.download("Download GeoJSON"),
        (origin.lat, origin.lon),
        {
            "Lyutyi": wr.lookup("Lyutyi").claim("range").metres,
            "Shahed-136": wr.lookup("Shahed-136").claim("range").metres,
        },
    )
    assert rings["Lyutyi"]["geometry"]["type"] == "Polygon"
    kalibr = rings["Shahed-136"]["geometry"]
    assert kalibr["type"] == "MultiPolygon"
    assert len(kalibr["coordinates"]) == 2
    sides = [{ring[0] > 0 for ring in polygon[0]} for polygon in kalibr["coordinates"]]
    assert {frozenset(s) for s in sides} == {frozenset({True}), frozenset({False})}
    # Both halves meet the antimeridian at the same two points, which lie on the ring too.
    east = sorted({lat for lon, lat in kalibr["coordinates"][0][0] if abs(lon) == 180})
    west = sorted({lat for lon, lat in kalibr["coordinates"][1][0] if abs(lon) == 180})
    assert len(east) == 2 and east == west
    # The same ring by the library, which interpolates only the cut vertices.
    library = wr.range_ring("Shahed-136", "Petropavlovsk-Kamchatsky")["geometry"]
    assert library["type"] == "MultiPolygon"


@pytest.mark.browser
def test_a_system_has_the_maps_colour(tab: Any) -> None:
    """The explorer's rings take the maps' colours (one style table, from Python), the same
    in any order: uj-22 and p-800-oniks share an own colour, and the first by id keeps it;
    HIMARS's munitions take theirs; a distance typed by hand is the maps' grey."""
    pytest.importorskip("matplotlib")
    from weaponsref.maps import style_table, system_colours

    ids = ["uj-22", "p-800-oniks", "bober"]
    expected = system_colours(ids)
    for order in (ids, ids[::-1]):
        tab.open("systems=" + ",".join(order) + "&from=Kyiv&km=300")
        strokes = tab.page.evaluate(
            """() => [...document.querySelectorAll('.explorer-map svg path.explorer-ring')]
                  .map(p => p.getAttribute('stroke'))"""
        )
        assert strokes == [expected[i][0] for i in order] + [style_table()["hand"]], strokes
    tab.open("systems=himars&from=Kyiv")
    strokes = tab.page.evaluate(
        """() => [...document.querySelectorAll('.explorer-map svg path.explorer-ring')]
              .map(p => p.getAttribute('stroke'))"""
    )
    munitions = [wr.lookup(m).id for m in wr.reach.range_choices(wr.lookup("HIMARS"))]
    colours = system_colours(munitions)
    assert strokes == [colours[m][0] for m in munitions]
    assert tab.errors == []


@pytest.mark.browser
def test_a_plain_distance_ring_and_typed_coordinates(tab: Any) -> None:
    tab.open("km=1000&from=53.0639, 158.6275&mark=55.7558, 37.6173")
    rows = tab.rows()
    assert len(rows) == 1 and rows[0]["Status"] == "does not reach"
    assert rows[0]["Distance"] == format_quantity(
        wr.distance((53.0639, 158.6275), (55.7558, 37.6173))
    )
    collection = json.loads(tab.download("Download GeoJSON").read_text(encoding="utf-8"))
    assert collection["features"][0]["properties"]["range_m"] == 1_000_000


# --------------------------------------------------------------------------- drawn like the maps

#: Every glyph of every name on the map, as boxes on the screen: the origin's, the marks',
#: the rings' (along their rings or beside them) and the scale bar's.
LABEL_BOXES = """() => [...document.querySelectorAll(
    '.explorer-map svg text.explorer-label, .explorer-map svg text.explorer-ring-name, ' +
    '.explorer-map svg .explorer-scale-bar text')].map(t => {
  const m = t.getScreenCTM(), boxes = [];
  for (let i = 0; i < t.getNumberOfChars(); i++) {
    const r = t.getExtentOfChar(i);
    const corners = [[r.x, r.y], [r.x + r.width, r.y], [r.x, r.y + r.height],
                     [r.x + r.width, r.y + r.height]].map(([x, y]) => new DOMPoint(x, y).matrixTransform(m));
    const xs = corners.map(p => p.x), ys = corners.map(p => p.y);
    boxes.push([Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)]);
  }
  return {kind: t.getAttribute('class'), text: t.textContent, boxes};
})"""
#: Ten systems from Sevastopol (two of one length), and marks near the origin and far.
TEN = (
    "systems=kalibr,kh-101,kh-22,kh-32,p-800-oniks,kinzhal,iskander-m,zircon,kh-59,tochka-u"
    "&from=Sevastopol&mark=Simferopol&mark=Bakhchysarai&mark=Yalta&mark=Kyiv&mark=Moscow"
    "&mark=Odesa&mark=Kharkiv&mark=Istanbul&mark=Ankara&mark=Berlin"
)


def _overlap(a: list[float], b: list[float], tolerance: float) -> bool:
    return (
        min(a[2], b[2]) - max(a[0], b[0]) > tolerance
        and min(a[3], b[3]) - max(a[1], b[1]) > tolerance
    )


@pytest.mark.browser
@pytest.mark.parametrize("width", [1280, 390])
def test_no_label_hides_another(new_tab: Callable[..., Any], width: int) -> None:
    """With ten systems and ten marks, some a few kilometres from the origin: every name is
    drawn (each mark's, the origin's, one per ring length), and no glyph of one name lies over
    a glyph of another by more than a pixel; the origin's name is clear of every mark's."""
    tab = new_tab(width=width)
    try:
        tab.open(TEN)
        labels = tab.page.evaluate(LABEL_BOXES)
        kinds = [label["kind"] for label in labels]
        assert kinds.count("explorer-label explorer-origin-label") == 1
        assert kinds.count("explorer-label explorer-mark-label") == 10
        names = [label["text"] for label in labels if label["kind"] == "explorer-ring-name"]
        assert len(names) == 9 and "Kh-22, Kh-32 · 600 km" in names, names
        for a, b in itertools.combinations(labels, 2):
            clash = [(x, y) for x in a["boxes"] for y in b["boxes"] if _overlap(x, y, 1.0)]
            assert clash == [], (a["text"], b["text"], clash[:2])
        assert tab.errors == []
    finally:
        tab.close()


@pytest.mark.browser
def test_marks_are_filled_when_a_ring_reaches_them(tab: Any) -> None:
    """A mark a ring reaches (the table's status) is a filled dot; one beyond every ring a
    hollow one; the key says so. Storm Shadow's "more than 250 km" fades outward, and the key
    says what that means."""
    tab.open("systems=storm-shadow,bober&from=Kyiv&mark=Moscow&mark=Rome&mark=Kharkiv")
    rows = tab.rows()
    reached = {
        place: any(r["Status"].startswith("reaches") for r in rows if r["Place"].startswith(place))
        for place in ("Moscow", "Rome", "Kharkiv")
    }
    assert reached == {"Moscow": True, "Rome": False, "Kharkiv": True}
    dots = tab.page.evaluate(
        """() => [...document.querySelectorAll('.explorer-map svg circle.explorer-mark')]
              .map(c => [c.getAttribute('fill'), c.classList.contains('explorer-reached')])"""
    )
    ink = tab.page.evaluate("window.WEAPONSREF_EXPLORER.style.ink")  # the maps' style table
    assert dots == [[ink, True], ["#ffffff", False], [ink, True]]
    key = tab.page.locator(".explorer-map svg text.explorer-key").all_text_contents()
    key_text = " ".join(key)
    assert "● reached by a ring" in key_text and "○ beyond every ring" in key_text
    assert "lower bound" in key_text
    assert tab.page.locator(".explorer-map svg path.explorer-ring-fade").count() == 6
    assert tab.errors == []


@pytest.mark.browser
def test_ring_names_scale_bar_and_title(tab: Any) -> None:
    """Rings of one length are named together once ("Kh-22, Kh-32 · 600 km"), each other ring
    by its own name and length; the scale bar is a round length, true at the centre (a ring's
    drawn radius over its range is the bar's pixels over its metres, to 1%); the title says
    what is shown and from where, and follows the state."""
    tab.open("systems=kh-22,kh-32,p-800-oniks,bober&from=Sevastopol")
    page = tab.page
    names = page.evaluate(
        "[...document.querySelectorAll('.explorer-map svg text.explorer-ring-name')]"
        ".map(t => t.textContent)"
    )
    oniks = wr.lookup("P-800 Oniks").range.m_as("km")  # the headline, as Python reads it
    assert sorted(names) == sorted(
        ["Bober · 1,300 km", "Kh-22, Kh-32 · 600 km", f"P-800 Oniks · {oniks:,.0f} km"]
    ), names
    bar_text = page.locator(".explorer-scale-bar text").first.text_content() or ""
    bar_km = float(bar_text.removesuffix(" km").replace(",", ""))
    assert f"{bar_km:g}"[0] in "125" and set(f"{bar_km:g}"[1:]) <= {"0"}, bar_text
    bar_px = page.evaluate(
        "document.querySelector('.explorer-scale-bar .explorer-scale-line').getBBox().width"
    )
    ring_px = page.evaluate(  # Bober's, the fourth ring
        "document.querySelector('.explorer-map svg path.explorer-ring[data-ring=\"3\"]')"
        ".getBBox().width / 2"
    )
    bober_m = wr.lookup("Bober").claim("range").metres
    assert bar_px / (bar_km * 1000) == pytest.approx(ring_px / bober_m, rel=0.01)
    title = page.locator(".explorer-map svg text.explorer-title").all_text_contents()
    subtitle = " ".join(
        page.locator(".explorer-map svg text.explorer-subtitle").all_text_contents()
    )
    # "Sevastopol, UA" is kept on one line by a no-break space.
    assert " ".join(title).replace("\xa0", " ") == "Published ranges from Sevastopol, UA"
    assert "Kh-22" in subtitle and "P-800 Oniks" in subtitle and "Bober" in subtitle
    page.get_by_role("checkbox", name="Bober").uncheck()
    subtitle = " ".join(
        page.locator(".explorer-map svg text.explorer-subtitle").all_text_contents()
    )
    assert "Bober" not in subtitle and "Kh-32" in subtitle
    assert tab.errors == []


# --------------------------------------------------------------------------- the address


@pytest.mark.browser
def test_the_address_restores_the_view(tab: Any, new_tab: Callable[..., Any]) -> None:
    tab.open()
    page = tab.page
    page.get_by_role("checkbox", name="Bober").check()
    page.get_by_role("checkbox", name="HIMARS").check()
    page.get_by_label("Claim for HIMARS").select_option(label="With ATACMS (its preferred claim)")
    origin = page.locator("#explorer-origin")
    origin.fill("Kiev")  # an old spelling finds Kyiv
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    assert origin.input_value() == "Kyiv"
    marks = page.locator("#explorer-mark")
    for name in ("Moskau", "Charkow", "Krakow"):  # German and Polish names, no accents
        marks.fill(name)
        page.get_by_role("button", name="Mark place").click()
    rows = tab.rows()
    assert {r["Place"] for r in rows} == {"Moscow, RU", "Kharkiv, UA", "Kraków, PL"}
    assert len(rows) == 6
    address = page.url
    assert "#" in address and "systems=bober,himars:ATACMS" in address
    assert "from=Kyiv" in address and "mark=Moscow" in address
    svg = page.inner_html(".explorer-map")

    again = new_tab()
    try:
        again.page.goto(address, wait_until="load")
        again.page.wait_for_selector("#explorer[data-ready=true]")
        assert again.rows() == rows
        assert again.page.url == address
        assert again.page.inner_html(".explorer-map") == svg
        assert again.page.get_by_label("Claim for HIMARS").input_value() == ":ATACMS"
        assert again.errors == []
    finally:
        again.close()
    # A namesake is written with its country, so that the address finds it again.
    marks.fill("London, CA")
    page.keyboard.press("Enter")
    assert "mark=London%2C%20CA" in page.url
    assert {r["Place"] for r in tab.rows()} >= {"London, CA"}
    assert tab.errors == []


@pytest.mark.browser
def test_a_bad_address_says_what_is_wrong(tab: Any) -> None:
    tab.open("systems=bober,nosuch&from=Lemuria-on-Sea&km=-5")
    problem = tab.page.locator(".explorer-problem").inner_text()
    assert "nosuch" in problem and "Lemuria-on-Sea" in problem and "km=-5" in problem
    assert tab.page.get_by_role("checkbox", name="Bober").is_checked()
    assert tab.errors == []


# --------------------------------------------------------------------------- access


@pytest.mark.browser
def test_labels_table_headers_and_keyboard(tab: Any) -> None:
    tab.open("systems=bober&from=Kyiv&mark=Moscow")
    page = tab.page
    unlabelled = page.evaluate(
        """() => [...document.querySelectorAll('#explorer input, #explorer select')]
              .filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label'))
              .map(e => e.outerHTML)"""
    )
    assert unlabelled == []
    assert page.locator(".explorer-table thead th[scope=col]").count() == 8
    assert page.locator(".explorer-table tbody th[scope=row]").count() == 1
    assert page.locator(".explorer-table caption").inner_text().startswith("Verdicts from Kyiv")
    assert page.locator("[role=status]").inner_text() == "1 verdict in the table."
    assert (page.locator(".explorer-map svg title").text_content() or "").startswith(
        "Range rings from Kyiv"
    )
    # Keyboard only: focus the mark box, type, arrow to the first suggestion, Enter.
    page.locator("#explorer-mark").focus()
    page.keyboard.type("Odes")
    expanded = page.locator("#explorer-mark").get_attribute("aria-expanded")
    assert expanded == "true"
    page.keyboard.press("ArrowDown")
    active = page.locator("#explorer-mark").get_attribute("aria-activedescendant")
    assert active and page.locator(f"#{active}").inner_text().startswith("Odesa")
    page.keyboard.press("Enter")
    assert {r["Place"] for r in tab.rows()} == {"Moscow, RU", "Odesa, UA"}
    # Tab from the last checkbox reaches the claim menu, its Remove button, the distance box.
    page.get_by_role("checkbox", name=wr.systems()[-1].name).focus()
    order = []
    for _ in range(3):
        page.keyboard.press("Tab")
        order.append(
            page.evaluate(
                "document.activeElement.getAttribute('aria-label') || "
                "document.activeElement.id || document.activeElement.tagName"
            )
        )
    assert order[1] == "Remove Bober" and order[2] == "explorer-km", order
    assert tab.errors == []


@pytest.mark.browser
@pytest.mark.parametrize("width", [1200, 390])
def test_screenshots(new_tab: Callable[..., Any], width: int) -> None:
    tab = new_tab(width=width)
    try:
        tab.open("systems=bober,uj-22,himars:ATACMS&from=Kyiv&mark=Moscow&mark=Belgorod")
        page = tab.page
        # Nothing but the table (which scrolls in its own region) is wider than the screen.
        overflow = page.evaluate("document.scrollingElement.scrollWidth")
        assert overflow <= width, overflow
        svg_width = page.evaluate(
            "document.querySelector('.explorer-map svg').getBoundingClientRect().width"
        )
        assert 250 <= svg_width <= width
        page.locator(".explorer-table-wrap").scroll_into_view_if_needed()
        page.screenshot(path=str(SCREENSHOTS[width]), full_page=True)
        assert tab.errors == []
    finally:
        tab.close()
