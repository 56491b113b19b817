"""Issue: what a figure measures and who says so; the preference rule that uses both; one
registry of outlets; dates known to the month; the catalogue as of a day."""

from __future__ import annotations

import datetime
import pickle
import re
from pathlib import Path
from typing import Any

import attrs
import pytest
from helpers import broken_file_error, load_text, schema_validator, toml_text

import weaponsref as wr
from weaponsref import _catalogue_file, _schema
from weaponsref.errors import CatalogueError, NotYetPublishedError, RecordError, UnknownSystemError
from weaponsref.records import (
    ATTRIBUTIONS,
    BASES,
    FIGURES,
    SOURCE_RANK,
    PartialDate,
    headline_reason,
)

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "weaponsref" / "data"

#: Each system's headline range after data 2026.12.7: the source of its claim and the figure
#: as published (the table in weaponsref/data/CHANGELOG.md).
HEADLINES = {
    "bober": ("mtvuutiset-2024-04-majava", "1,300 km"),
    "eram": ("aktuality-2025-08-29-eram-tasr", "240–450 km"),
    "kh-55": ("uwc-2023-05-12-kh55-poland", "3,000 km"),
    "trembita": ("baonghean-fr-trembita", "200 km"),
    "shahed-131": ("wptech-2023-08-shahed", "about 900 km"),
    "uj-22": ("infodron-uj22", "maximum 800 km"),
    "storm-shadow": ("cnn-2023-07-11-scalp", "more than 250 km"),
    "himars": ("theins-2021-04-29-himars-centcom", "more than 43 mi"),
    "kalibr": ("pravda-ru-2022-05-27-kalibr-newsweek", "up to 1,400 km"),
    "kh-101": ("sputnik-fr-ch101-poutine-syrie", "4,500 km"),
    "iskander-m": ("csis-missilethreat-iskander-tajikistan", "about 500 km"),
    "kinzhal": ("ani-2018-03-12-kinzhal-test", "2,000 km"),
    "shahed-136": ("newsmax-2022-10-08-shahed", "up to 1,200 mi"),
    "zala-lancet": ("mandiner-2024-04-lancet", "40 km"),
    "bayraktar-tb2": ("tvpinfo-2022-07-tb2-putin", "maximum 4,000 km"),
    "lyutyi": ("gifu-kyodo-lyutyi", "more than 1,000 km"),
    "r-360-neptune": ("incyprus-2022-04-16-neptune", "300 km"),
    "taurus-kepd-350": ("mbda-de-2024-12-20-bundeswehr-modernisiert-taurus", "more than 500 km"),
    "glsdb": ("opovo-2023-03-28-glsdb", "up to 150 km"),
    "atacms": ("talkbusiness-2016-03-lm-tacms-camden", "up to 300 km"),
    "gmlrs": ("defensepost-2024-01-16-gmlrs-australia", "more than 70 km"),
    "m270-mlrs": ("cdenews-us-long-range-rocket-systems", "up to 186 mi"),
    "kh-22": ("tf1info-2022-07-01-kh22", "600 km"),
    "kh-32": ("bharatshakti-tu22m-kh32", "up to 600 km"),
    "p-800-oniks": ("csis-missilethreat-kuril-bastion", "up to 300 km"),
    "kn-23": ("firstpost-kn23-kyiv-strike", "450–690 km"),
    "tochka-u": ("korrespondent-2008-08-19-tochka-u", "105 km"),
    "oreshnik": ("rbc-2025-10-07-oreshnik", "up to 5,500 km"),
    "zircon": ("washingtonpost-2021-07-19-zircon-ap", "1,000 km"),
    "kh-59": ("kyivindependent-2023-10-02-smolensk-kh59", "up to 280 km"),
    "kh-555": ("gagadget-de-kh55-poland", "maximum 2,000 km"),
    "kh-35": ("kbs-ja-kh35-north-korea", "maximum 130 km"),
    "iskander-k": ("rmf24-iskander-k-tests", "up to 500 km"),
    "9m729": ("thehindu-2019-01-23-9m729", "maximum 480 km"),
    "umpk": ("interfax-2025-12-26-manturov-umpk", "up to 300 km"),
    "tornado-s": ("ltn-2025-10-21-tornado-s-destroyed", "up to 120 km"),
    "smerch": ("ltn-2025-10-21-tornado-s-destroyed", "about 70 km"),
    "gerbera": ("papalinc-gerbera-drones", "about 372 mi"),
    "fath-360": ("fdd-2024-09-10-blinken-fath360", "maximum 75 mi"),
    "fp-1": ("lemonde-fire-point-fp1", "up to 1,400 km"),
    "fp-5-flamingo": ("debater-2025-08-22-flamingo", "3,000 km"),
    "palianytsia": ("tagtik-korii-palianytsia", "about 600 km"),
    "peklo": ("ntb-document-2024-12-06-peklo", "700 km"),
    "ruta": ("mezha-neptune-flamingo-pair", "more than 250 km"),
    "sapsan": ("portfolio-2023-05-06-hrim2", "500 km"),
    "vilkha": ("patrioty-vilkha-state-tests", "at least 100 km"),
    "long-neptune": ("idnes-2025-03-17-long-neptune", "1,000 km"),
    "prsm": ("defensepost-2024-01-16-gmlrs-australia", "499 km"),
    "er-gmlrs": ("zonamilitar-2024-06-28-er-gmlrs", "up to 150 km"),
    "aasm-hammer": ("laerorecrute-aasm-commande", "about 80 km"),
    "tomahawk": ("bostonherald-2017-04-08-raytheon-tomahawk", "more than 1,000 mi"),
    "jassm": ("worldofaviation-2010-10-jassm-er", "400 km"),
}

NOTES = wr.Source(
    "notes", "Notes", "news", "en", published=datetime.date(2024, 1, 15), title="Notes"
)


def _claim(**changes: Any) -> wr.Claim:
    fields: dict[str, Any] = {
        "figure": "range",
        "value": "500 km",
        "qualifier": "up to",
        "source": NOTES,
        "quote": "made up",
    }
    fields.update(changes)
    return wr.Claim(**fields)


# --------------------------------------------------------------------------- the fields


def test_the_vocabularies_of_basis_and_attribution() -> None:
    assert BASES == ("maximum", "demonstrated", "requirement", "carrier_reach")
    assert ATTRIBUTIONS == (
        "maker",
        "operator",
        "opposing_side",
        "third_party",
        "reference",
        "officials",
        "outlet",
    )
    assert FIGURES["control_radius"] == "[length]"
    claim = _claim()
    assert (claim.basis, claim.attribution, claim.attributed_to) == ("maximum", "outlet", None)


@pytest.mark.parametrize(
    ("changes", "field", "problem"),
    [
        ({"basis": "rumoured"}, "basis", "'rumoured' is not one of"),
        ({"attribution": "blogger"}, "attribution", "'blogger' is not one of"),
        ({"attribution": "maker"}, "attributed_to", "must say who"),
        ({"attribution": "officials", "attributed_to": " "}, "attributed_to", "must not be empty"),
        ({"attributed_to": 5}, "attributed_to", "must be a string"),
    ],
)
def test_bad_basis_or_attribution_is_a_record_error(
    changes: dict[str, Any], field: str, problem: str
) -> None:
    with pytest.raises(RecordError) as info:
        _claim(**changes)
    assert info.value.field == field
    assert problem in str(info.value)


def test_according_to_names_who_and_where() -> None:
    assert _claim().according_to == "(Notes, 2024-01-15)"
    maker = _claim(attribution="maker", attributed_to="MBDA Deutschland")
    assert maker.according_to == "according to MBDA Deutschland (Notes, 2024-01-15)"
    ansa = next(
        c for c in wr.lookup("Kh-101").claims_for("range") if c.source.id.startswith("ansa-")
    )
    assert ansa.according_to == (
        "according to Ukraine's Air Force spokesman Yuriy Ignat (ANSA, 2022-06-26)"
    )
    assert ansa.to_dict()["according_to"] == ansa.according_to


# --------------------------------------------------------------------------- the rule


#: (basis, attribution) -> the claim's standing in the rule's first step, as the issue gives it.
STANDINGS = {
    **{("maximum", who): 0 for who in ("maker", "operator", "reference")},
    **{("maximum", who): 1 for who in ("officials", "third_party", "outlet")},
    ("maximum", "opposing_side"): 2,
    **{(basis, who): 3 for basis in BASES[1:] for who in ATTRIBUTIONS},
}


@pytest.mark.parametrize(("basis", "attribution"), sorted(STANDINGS))
def test_standing_follows_the_issues_rule(basis: str, attribution: str) -> None:
    who = None if attribution == "outlet" else "someone"
    claim = _claim(basis=basis, attribution=attribution, attributed_to=who)
    assert claim.standing == STANDINGS[basis, attribution]
    assert wr.preference(claim)[0] == claim.standing


def test_standing_comes_before_the_kind_of_source() -> None:
    state = attrs.evolve(NOTES, id="state", kind="state media")
    official = attrs.evolve(NOTES, id="official", kind="official")
    operator = _claim(source=state, attribution="operator", attributed_to="the president")
    outlet = _claim(source=official)
    opposing = _claim(attribution="opposing_side", attributed_to="a spokesman", value="900 km")
    requirement = _claim(source=official, basis="requirement")
    group = [requirement, opposing, outlet, operator]
    ranked = sorted(group, key=lambda c: wr.preference(c, group))
    assert ranked == [operator, outlet, opposing, requirement]
    # Among equals the kind of source still decides, as before.
    news = _claim(attribution="maker", attributed_to="the maker")
    group = [operator, news]
    assert min(group, key=lambda c: wr.preference(c, group)) is news
    assert SOURCE_RANK["news"] < SOURCE_RANK["state media"]


@pytest.mark.parametrize("system", wr.systems(), ids=lambda s: s.id)
def test_the_headline_ranges(system: wr.System) -> None:
    claim = system.claim("range")
    assert (claim.source.id, claim.describe()) == HEADLINES[system.id]
    group = system.claims_for("range", None)
    assert claim.standing == min(c.standing for c in group)


@pytest.mark.parametrize("system", wr.systems(), ids=lambda s: s.id)
def test_the_reason_names_the_headline_and_every_other_claim(system: wr.System) -> None:
    reason = headline_reason(system)
    best = system.headline
    if system.launches:  # a launcher's own claims come after the word that it has no range
        said, _, reason = reason.partition("of what the sources said of the launcher itself: ")
        assert said.startswith("a launcher has no range of its own") and reason
        assert ", ".join(system.launches) in said
    assert reason.startswith(best.basis_text)
    assert f"({best.dated_source})" in reason
    others = [c for c in system.claims_for("range", None) if c is not best]
    if others:
        assert f"preferred over {len(others)} other claim" in reason
        for claim in others:
            assert f"{claim.describe()} ({claim.source.cited_as})" in reason
    assert system.to_dict()["range_reason"].endswith(reason)


def test_the_reason_says_why_each_claim_came_after() -> None:
    state = attrs.evolve(NOTES, id="state", kind="state media")
    older = attrs.evolve(NOTES, id="older", published=datetime.date(2020, 1, 1))
    claims = (
        _claim(attribution="maker", attributed_to="the maker"),
        _claim(source=state, attribution="maker", attributed_to="the maker", value="600 km"),
        _claim(source=older, value="510 km"),
        _claim(attribution="opposing_side", attributed_to="a spokesman", value="900 km"),
        _claim(basis="demonstrated", value="300 km", qualifier="stated"),
    )
    system = wr.System("x", "X", "example", "Nowhere", "made up", claims=claims)
    assert headline_reason(system) == (
        "maximum stated by the maker, the maker (Notes, 2024-01-15); preferred over 4 other "
        "claims: of the same standing, from a weaker kind of source (state media): up to 600 km "
        "(Notes); maximum stated by the outlet: up to 510 km (Notes); maximum stated by the "
        "side it is used against: up to 900 km (Notes); a distance flown or struck (a lower "
        "bound), stated by the outlet: 300 km (Notes)"
    )
    marked = attrs.evolve(system, claims=(*claims[:2], attrs.evolve(claims[2], preferred=True)))
    assert "marked preferred in its catalogue file" in headline_reason(marked)


def test_a_control_radius_is_not_a_range() -> None:
    tb2 = wr.lookup("Bayraktar TB2")
    radii = tb2.claims_for("control_radius")
    assert {c.source.id for c in radii} == {
        "geekweek-2023-08-tb2",
        "webtekno-tb2",
        "wptech-2022-07-tb2",
    }
    assert all(c.metres == 150_000 for c in radii)
    assert [c.source.id for c in tb2.claims_for("range")] == ["tvpinfo-2022-07-tb2-putin"]
    assert "control_radius" in (tb2.note or "")


def test_kinzhals_ranges_are_all_a_reach_with_its_carrier() -> None:
    ranges = wr.lookup("Kinzhal").claims_for("range")
    assert len(ranges) == 9
    assert {c.basis for c in ranges} == {"carrier_reach"}
    assert wr.lookup("Kinzhal").claim("range").standing == 3


def test_every_non_default_claim_shows_its_evidence() -> None:
    # A claim the outlet does not assert itself names who does, and a claim that is not the
    # system's own maximum says why in its note or its system's.
    for system in wr.systems():
        for claim in system.claims:
            if claim.attribution != "outlet":
                assert claim.attributed_to and claim.attributed_to.strip()
            if claim.basis != "maximum":
                assert claim.note or system.note, (system.id, claim.source.id)


# --------------------------------------------------------------------------- outlets


def test_every_source_names_one_registered_outlet() -> None:
    catalogue = wr.default_catalogue()
    outlets = {o.id: o for o in catalogue.outlets()}
    assert len(outlets) == len(catalogue.outlets())
    names = [o.name for o in catalogue.outlets()]
    assert len(names) == len(set(names))
    for source in catalogue.sources():
        assert source.outlet in outlets, source.id
        outlet = outlets[source.outlet]
        if source.via is None:
            assert (source.publisher, source.kind, source.cited_as) == (
                outlet.name,
                outlet.kind,
                outlet.name,
            )
        else:
            mirror = outlets[source.via]
            assert mirror.kind == source.kind == "mirror"
            assert source.cited_as == f"{outlet.name} via {mirror.name}"
    assert {o.id for o in outlets.values()} == {s.outlet for s in catalogue.sources()} | {
        s.via for s in catalogue.sources() if s.via
    }


@pytest.mark.parametrize(
    ("ids", "name"),
    [
        (("wptech-bobry", "wptech-bal-bastion-black-sea", "wptech-2020-10-tb2"), "WP Tech"),
        (("defenceexpress-uj22", "defence-ua-algeria-iskander-parade"), "Defense Express"),
        (("forcesnews-storm-shadow", "forcesnews-atacms-first-use"), "Forces News (BFBS)"),
        (("flightglobal-guided-mlrs-team", "flightglobal-2025-12-19-taurus-neo"), "FlightGlobal"),
        (("sputnik-fr-ch101-poutine-syrie", "sputnik-fr-2017-10-09-kalibr-mer-noire"), "Sputnik"),
        (("sputnik-de-waldai-putin-kalibr", "sputnik-de-2018-bastion-arktis"), "Sputnik"),
        (("pravda-uj22", "pravda-ru-2022-05-27-kalibr-newsweek"), "Pravda.ru"),
    ],
)
def test_the_duplicate_names_are_one_outlet(ids: tuple[str, ...], name: str) -> None:
    sources = [wr.default_catalogue().source(i) for i in ids]
    assert len({s.outlet for s in sources}) == 1
    assert len({s.cited_as for s in sources}) == 1
    assert sources[0].cited_as.startswith(name)


def test_a_republished_report_names_both_outlets() -> None:
    source = wr.default_catalogue().source("afp-spacedaily-2003-11-05-atacms-korea")
    assert source.cited_as == "AFP via SpaceDaily.com"
    assert source.citation.startswith("AFP via SpaceDaily.com. (2003, November 5).")
    yahoo = wr.default_catalogue().source("france24-beaver-yahoo")
    assert (yahoo.outlet, yahoo.via, yahoo.copies) == ("france-24", "yahoo-france", "France 24")
    assert wr.default_catalogue().outlet("afp").name == "AFP"
    with pytest.raises(wr.ArgumentValueError, match="did you mean 'afp'"):
        wr.default_catalogue().outlet("afpp")
    with pytest.raises(wr.ArgumentError, match="outlet_id must be a str"):
        wr.default_catalogue().outlet(5)  # type: ignore[arg-type]


OWN = """
[[outlets]]
id = "my-paper"
name = "My Paper"
kind = "news"

[[outlets]]
id = "my-mirror"
name = "My Mirror"
kind = "mirror"

[[sources]]
id = "mine"
outlet = "my-paper"
language = "en"
published = "2024-03"

[[sources]]
id = "copy"
outlet = "afp"
via = "my-mirror"
language = "en"

[[systems]]
id = "x"
name = "X"
category = "example"
origin = "Nowhere"
description = "made up"

[[systems.claims]]
figure = "range"
value = "100 km"
qualifier = "up to"
source = "mine"
quote = "up to 100 km"

[[systems.claims]]
figure = "range"
value = "120 km"
qualifier = "up to"
source = "copy"
quote = "up to 120 km"
attribution = "officials"
attributed_to = "unnamed officials"
"""


def test_a_user_catalogue_lists_its_outlets_and_names_built_in_ones(tmp_path: Path) -> None:
    mine = load_text(tmp_path, OWN, builtin=False)
    assert [o.id for o in mine.outlets()] == ["afp", "my-paper", "my-mirror"]
    both = load_text(tmp_path, OWN)
    assert len(both.outlets()) == len(wr.default_catalogue().outlets()) + 2
    copy = mine.source("copy")
    assert (copy.cited_as, copy.kind) == ("AFP via My Mirror", "mirror")
    assert mine.source("mine").published == PartialDate(2024, 3)
    x = mine.lookup("x")
    assert x.claims[1].according_to == "according to unnamed officials (AFP via My Mirror, undated)"
    # Of the same standing, the news report comes before the mirror's copy.
    assert x.claim("range").according_to == "(My Paper, 2024-03)"


@pytest.mark.parametrize(
    ("old", "new", "location", "problem"),
    [
        ('outlet = "my-paper"\n', 'outlet = "my-papers"\n', "sources[0].outlet", "my-paper"),
        (
            'outlet = "my-paper"\n',
            'outlet = "my-paper"\npublisher = "P"\n',
            "sources[0].publisher",
            "comes from the outlet",
        ),
        ('via = "my-mirror"', 'via = "my-paper"', "sources[1].via", "names a mirror"),
        ('outlet = "afp"\n', "", "sources[1].publisher", "or an 'outlet'"),
        ('kind = "mirror"', 'kind = "blog"', "outlets[1].kind", "not one of"),
        (
            'attributed_to = "unnamed officials"\n',
            "",
            "systems[0].claims[1].attributed_to",
            "must say who",
        ),
        ('published = "2024-03"', 'published = "March 2024"', "sources[0].published", "TOML date"),
        ('published = "2024-03"', 'published = "2024-13"', "sources[0].published", "TOML date"),
    ],
)
def test_broken_outlets_and_attributions_name_the_place(
    tmp_path: Path, old: str, new: str, location: str, problem: str
) -> None:
    error = broken_file_error(tmp_path, OWN, old, new)
    assert error.location == location
    assert problem in error.problem


def test_the_json_schema_and_the_loader_agree_on_the_new_rules() -> None:
    source = {"id": "s", "outlet": "o", "language": "en"}
    outlet = {"id": "o", "name": "O", "kind": "news"}
    claim = {"figure": "range", "value": "5 km", "qualifier": "up to", "source": "s", "quote": "q"}
    system = {"id": "x", "name": "X", "category": "c", "origin": "o", "description": "d"}
    good = {"outlets": [outlet], "sources": [source], "systems": [{**system, "claims": [claim]}]}
    plain = {"id": "s", "language": "en", "publisher": "P"}
    broken = [
        {**good, "sources": [{**source, "publisher": "P"}]},
        {**good, "sources": [plain]},
        {**good, "sources": [{**plain, "kind": "news", "via": "o"}]},
        {**good, "systems": [{**system, "claims": [{**claim, "attribution": "maker"}]}]},
        {**good, "systems": [{**system, "claims": [{**claim, "basis": "rumour"}]}]},
        {**good, "sources": [{**source, "published": "March"}]},
    ]
    validator = schema_validator()
    assert not list(validator.iter_errors(good))
    assert _catalogue_file.parse_document("good.toml", toml_text(good), {}).systems[0].id == "x"
    for document in broken:
        assert list(validator.iter_errors(document)), document
        with pytest.raises(CatalogueError):
            _catalogue_file.parse_document("broken.toml", toml_text(document), {})
    attributed = {**claim, "attribution": "maker", "attributed_to": "M", "basis": "requirement"}
    fine = {**good, "systems": [{**system, "claims": [attributed]}]}
    assert not list(validator.iter_errors(fine))
    assert (
        _catalogue_file.parse_document("fine.toml", toml_text(fine), {}).systems[0].claims[0].basis
    )


def test_the_key_table_lists_the_outlets() -> None:
    table = _schema.key_table()
    assert "| `outlets` | `id` | yes |" in table
    assert "|  | `publisher` | unless the source names its outlet |" in table
    assert "|  | `attributed_to` | unless the attribution is 'outlet' |" in table


# --------------------------------------------------------------------------- dates


def test_a_date_known_to_the_month() -> None:
    july = PartialDate.parse("2023-07")
    assert july is not None and july.precision == "month"
    assert (str(july), july.isoformat(), july.last_day) == (
        "2023-07",
        "2023-07",
        datetime.date(2023, 7, 31),
    )
    assert PartialDate.parse("2024-02").last_day == datetime.date(2024, 2, 29)  # a leap year
    assert PartialDate.parse("2023").last_day == datetime.date(2023, 12, 31)
    assert PartialDate.parse("2023-13") is None and PartialDate.parse("July") is None
    assert july != datetime.date(2023, 7, 1) and july == PartialDate(2023, 7)
    assert datetime.date(2023, 6, 30) < july < datetime.date(2023, 7, 2)
    assert pickle.loads(pickle.dumps(july)) == july and hash(july) == hash(PartialDate(2023, 7))
    source = wr.default_catalogue().source("wptech-bobry")
    assert source.published == july
    assert source.to_dict()["published"] == "2023-07"
    assert "(2023, July)." in source.citation


def test_dated_sources_and_how() -> None:
    sources = wr.sources()
    dated = [s for s in sources if s.published is not None]
    assert len(sources) == 415 and len(dated) == 260  # 409 and 255 before 2026.12.7
    for source in sources:
        if source.published is None:
            assert source.note, source.id


# --------------------------------------------------------------------------- as of a day


def test_a_system_is_kept_from_its_first_dated_range_claim() -> None:
    # ATACMS: its only range claim public in 2010 is AFP's of 2003 for the Block IA, a
    # named version, which stands in for the headline until one with no variant is public.
    then = wr.default_catalogue().as_of("2010-01-01")
    atacms = then.lookup("ATACMS")
    assert atacms.claim("range") is atacms.headline
    assert (atacms.headline.variant, atacms.headline.source.id) == (
        "Block IA",
        "afp-spacedaily-2003-11-05-atacms-korea",
    )
    assert atacms.range.to("km").magnitude == 300
    assert headline_reason(atacms).startswith("no range claim without a variant is public yet")
    assert atacms in then.systems()
    assert wr.reaches("ATACMS", "Kharkiv", "Belgorod", catalogue=then).claim is atacms.headline
    later = wr.default_catalogue().as_of("2023-01-01")
    assert later.lookup("ATACMS").claim("range").source.id == (
        "talkbusiness-2016-03-lm-tacms-camden"
    )


def test_a_system_not_yet_public_says_so() -> None:
    then = wr.default_catalogue().as_of("2023-01-01")
    with pytest.raises(NotYetPublishedError) as info:
        then.lookup("SCALP")
    error = info.value
    assert isinstance(error, UnknownSystemError) and isinstance(error, LookupError)
    assert (error.name, error.day, error.first) == ("Storm Shadow", "2023-01-01", "2023-05-11")
    assert str(error) == (
        "Storm Shadow has no range claim dated on or before 2023-01-01; its first is public "
        "from 2023-05-11: ask as of that day or later"
    )
    copy = pickle.loads(pickle.dumps(error))
    assert (type(copy), str(copy), vars(copy)) == (type(error), str(error), vars(error))
    with pytest.raises(NotYetPublishedError, match="none of its range claims is dated"):
        then.lookup("Lyutyi")
    assert then.get("Storm Shadow") is None and "Storm Shadow" not in then
    with pytest.raises(UnknownSystemError) as unknown:
        then.lookup("Trident")
    assert type(unknown.value) is UnknownSystemError
    # The day the error names is the first on which the system is there.
    assert "Storm Shadow" in wr.default_catalogue().as_of("2023-05-11")


def test_a_month_counts_from_its_last_day(tmp_path: Path) -> None:
    mine = load_text(tmp_path, OWN, builtin=False)
    assert "X" not in mine.as_of("2024-03-30")
    with pytest.raises(NotYetPublishedError, match="public from 2024-03-31"):
        mine.as_of("2024-03-30").lookup("x")
    assert mine.as_of("2024-03-31").lookup("x").claim("range").source.id == "mine"


def test_as_of_a_catalogue_as_of_a_day_adds_nothing_later() -> None:
    then = wr.default_catalogue().as_of("2023-01-01")
    again = then.as_of("2025-01-01")
    assert again.date == datetime.date(2023, 1, 1)
    assert [s.id for s in again.systems()] == [s.id for s in then.systems()]


def test_the_changelog_gives_every_headline() -> None:
    text = (DATA / "CHANGELOG.md").read_text(encoding="utf-8")
    entry = text.split("\n## ")[1]
    assert entry.startswith(wr.DATA_VERSION)
    rows = re.findall(r"^\| ([^|]+) \| [^|]+ \| [^|]+ \| [^|]+ \|$", entry, re.MULTILINE)
    names = [row.strip() for row in rows if row.strip() != "system"]
    assert sorted(names) == sorted(s.name for s in wr.systems())
