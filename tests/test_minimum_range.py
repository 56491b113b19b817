"""A published minimum range: a target nearer than it does not reach, and the ring has a hole."""

from __future__ import annotations

import subprocess
import sys

import attrs
import numpy as np
import pytest
from helpers import far_only, load_text, north_of

import weaponsref as wr
from weaponsref.tables import reach_table_text


@pytest.fixture(scope="module")
def mine(tmp_path_factory: pytest.TempPathFactory) -> wr.Catalogue:
    return load_text(tmp_path_factory.mktemp("minimum"), far_only("up to"), builtin=False)


def _north(km: float) -> tuple[float, float]:
    return north_of(10.0, 20.0, km)


@pytest.mark.parametrize(
    ("km", "status"), [(50, "does not reach"), (99.9, "does not reach"), (100.1, "reaches"),
                       (499, "reaches"), (501, "does not reach")],
)  # fmt: skip
def test_a_target_inside_the_minimum_range_does_not_reach(
    mine: wr.Catalogue, km: float, status: str
) -> None:
    reach = wr.reaches("Far Only", (10.0, 20.0), _north(km), catalogue=mine)
    assert reach.status == status
    assert bool(reach) is (status == "reaches")
    if km < 100:
        assert reach.too_near and "minimum range of 100 km" in str(reach)


def test_the_ring_has_a_hole_and_the_mask_leaves_it_out(mine: wr.Catalogue) -> None:
    ring = wr.range_ring("Far Only", (10.0, 20.0), catalogue=mine)
    assert ring["geometry"]["type"] == "Polygon"
    assert len(ring["geometry"]["coordinates"]) == 2  # the outer ring and the hole
    points = [_north(km) for km in (50, 150, 600)]
    lats, lons = np.array([p[0] for p in points]), np.array([p[1] for p in points])
    mask = wr.within_range("Far Only", (10.0, 20.0), lats, lons, catalogue=mine)
    assert mask.tolist() == [False, True, False]


def test_a_launcher_s_munition_keeps_its_own_minimum_range() -> None:
    """HIMARS has no range of its own: for its PrSM a verdict, a table row, a mask and a ring
    apply PrSM's published minimum range (60 km, data 2026.12.7), as for PrSM itself."""
    from geographiclib.geodesic import Geodesic

    kharkiv, near, far = wr.place("Kharkiv"), wr.place("Chuhuiv"), wr.place("Kupiansk")
    minimum_m = wr.lookup("PrSM").claim("minimum_range").metres
    to_near = Geodesic.WGS84.Inverse(kharkiv.lat, kharkiv.lon, near.lat, near.lon)["s12"]
    to_far = Geodesic.WGS84.Inverse(kharkiv.lat, kharkiv.lon, far.lat, far.lon)["s12"]
    assert to_near < minimum_m < to_far < wr.lookup("PrSM").claim("range").metres
    for target, status in ((near, "does not reach"), (far, "reaches")):
        by_name = wr.reaches("HIMARS", "Kharkiv", target.name, variant="PrSM")
        by_point = wr.reaches(
            "HIMARS", (kharkiv.lat, kharkiv.lon), (target.lat, target.lon), variant="PrSM"
        )
        itself = wr.reaches("PrSM", "Kharkiv", target.name)
        assert by_name.status == by_point.status == itself.status == status, target.name
        assert by_name.min_range_m == itself.min_range_m == minimum_m
        row = next(
            r
            for r in wr.reach_table("Kharkiv", target.name, systems=["HIMARS"])
            if r.variant == "PrSM"
        )
        assert row.status == status and row.min_range_m == minimum_m
    mask = wr.within_range(
        "HIMARS", "Kharkiv", np.array([near.lat, far.lat]), np.array([near.lon, far.lon]),
        variant="PrSM",
    )  # fmt: skip
    assert mask.tolist() == [False, True]
    ring = wr.range_ring("HIMARS", "Kharkiv", variant="PrSM")
    assert len(ring["geometry"]["coordinates"]) == 2  # the outer ring and the hole
    assert ring == wr.range_ring("PrSM", "Kharkiv") | {"properties": ring["properties"]}
    # A munition without one (ATACMS) has no hole.
    assert len(wr.range_ring("HIMARS", "Kharkiv", variant="ATACMS")["geometry"]["coordinates"]) == 1


def test_places_within_leaves_out_the_places_nearer_than_the_minimum_range() -> None:
    """PrSM from Kharkiv: the places within 60 km (Kharkiv itself, Chuhuiv) are not reached,
    as the verdicts say, so they are not listed, and the sentence and rows say why."""
    found = wr.places_within("PrSM", "Kharkiv", min_population=15_000)
    names = [p.name for p in found.places]
    assert "Kharkiv" not in names and "Chuhuiv" not in names and "Kupiansk" in names
    assert min(found.distances_m) >= 60_000.0
    for place in found.places[:20]:
        assert wr.reaches("PrSM", "Kharkiv", (place.lat, place.lon)).status == "reaches"
    assert found.min_range_m == 60_000.0
    assert "and not nearer than its published minimum range of 60 km;" in str(found)
    assert {row["min_range_km"] for row in found.rows()} == {60.0}
    # The same for the launcher's munition; none for a system without one.
    launcher = wr.places_within("HIMARS", "Kharkiv", variant="PrSM", min_population=15_000)
    assert [p.name for p in launcher.places] == names
    atacms = wr.places_within("ATACMS", "Kharkiv", min_population=15_000)
    assert atacms.min_range_m is None and "Kharkiv" in [p.name for p in atacms.places]
    assert "minimum range" not in str(atacms)


def test_a_verdict_inside_a_minimum_range_names_who_says_so() -> None:
    """The sentence and the row (JSON, CSV) cite the minimum range's own claim, which may be
    another source's than the range's: Oreshnik's range is the Russian government's, its
    minimum range Zelensky's."""
    oreshnik = wr.reaches("Oreshnik", "Minsk", "Kyiv")
    minimum = wr.lookup("Oreshnik").claim("minimum_range")
    assert oreshnik.too_near and oreshnik.claim is not None
    assert oreshnik.claim.source.id != minimum.source.id
    assert str(oreshnik).endswith(
        f"inside its published minimum range of 700 km (about 700 km, {minimum.according_to})"
    )
    row = oreshnik.row()
    assert (row["min_range_km"], row["min_range_citation"]) == (700.0, minimum.said_by)
    prsm = wr.reaches("HIMARS", "Kharkiv", "Chuhuiv", variant="PrSM")
    said = wr.lookup("PrSM").claim("minimum_range")
    assert str(prsm).endswith(f"minimum range of 60 km, {said.according_to}")
    assert prsm.row()["min_range_citation"] == said.said_by
    far = wr.reaches("Bober", "Kyiv", "Moscow").row()
    assert far["min_range_km"] is None and far["min_range_citation"] is None


def test_a_verdict_within_the_minimum_range_s_own_rounding_is_close() -> None:
    """ "Close" applies to a published minimum range as to the range: PrSM's "60 km" is given
    to the nearest 10 km (±5 km), so a target from 55 to 65 km away is close, on either side
    of it, and the sentence, the row and the JSON say which figure it is close to. The
    distances are GeographicLib's; 0.1 degree of latitude near 50 N is about 11.1 km."""
    from geographiclib.geodesic import Geodesic

    said = wr.lookup("PrSM").claim("minimum_range")
    origin = (50.0, 30.0)
    for lat, status, close in (
        (50.45, "does not reach", False),  # 50.0 km: 10 km inside, beyond the rounding
        (50.50, "does not reach", True),  # 55.6 km
        (50.55, "reaches", True),  # 61.2 km
        (50.58, "reaches", True),  # 64.5 km
        (50.60, "reaches", False),  # 66.7 km
    ):
        distance = Geodesic.WGS84.Inverse(*origin, lat, 30.0)["s12"]
        reach = wr.reaches("PrSM", origin, (lat, 30.0))
        assert abs(reach.distance_m - distance) < 1e-6
        assert reach.status == status, lat
        assert (abs(distance - said.metres) <= 5_000.0) is close is reach.close, lat
        assert reach.close_to == ("minimum range" if close else None)
        assert reach.minimum_rounding_m == 5_000.0
        tail = "; close: inside the minimum range's own rounding (±5 km)"
        assert str(reach).endswith(tail) is close, str(reach)
        assert reach.row()["close_to"] == reach.to_dict()["close_to"] == reach.close_to
    # A table's Status cell says which figure, as the command line prints it.
    near = wr.reaches("PrSM", "Kharkiv", "Vovchansk")
    assert "reaches (close to its minimum range)" in reach_table_text([near])
    done = subprocess.run(
        [sys.executable, "-m", "weaponsref", "reach", "--system", "PrSM", "--from", "Kharkiv",
         "--to", "Vovchansk"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert "reaches (close to its minimum range)" in done.stdout
    # The range's own rounding is tried first; a system without a minimum range, or a
    # minimum range set by hand, is never close to one.
    assert wr.reaches("Bober", "Kyiv", "Moscow").minimum_rounding_m is None
    by_hand = attrs.evolve(wr.reaches("Bober", "Kyiv", "Moscow"), min_range_m=760_000.0)
    assert by_hand.too_near and by_hand.minimum_rounding_m is None and not by_hand.close
