"""The catalogue: records, data, lookup, user catalogues and tables."""

from __future__ import annotations

import ast
import datetime
import math
import pickle
import re
import threading
import tomllib
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any

import attrs
import pint
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import weaponsref as wr
from weaponsref import _units, _vocab, export, records, tables
from weaponsref import catalogue as catalogue_module
from weaponsref.errors import (
    CatalogueError,
    NotYetPublishedError,
    RecordError,
    UnknownSystemError,
)
from weaponsref.records import FIGURES, SOURCE_RANK

ROOT = Path(__file__).resolve().parent.parent

ALL_CLAIMS = [
    pytest.param(system, claim, id=f"{system.id}-{index}")
    for system in wr.systems()
    for index, claim in enumerate(system.claims)
]

#: Hand conversions with the international mile (1,609.344 m), as figures.md states them.
ARTICLE_RANGES_KM = {"bober": 999.4, "uj-22": 804.7, "storm-shadow": 563.3, "himars": 80.5}


@pytest.mark.parametrize(("system", "claim"), ALL_CLAIMS)
def test_every_claim_is_sourced_dimensioned_and_finite(system: wr.System, claim: wr.Claim) -> None:
    assert isinstance(claim.source, wr.Source)
    assert claim.quote.strip()
    assert claim.figure in FIGURES
    mach = claim.figure == "speed" and str(claim.value.units) == "dimensionless"
    if mach:
        assert claim.value.magnitude > 0  # a Mach number
    else:
        assert claim.value.check(FIGURES[claim.figure])
    magnitude = float(claim.value.to_base_units().magnitude)
    assert math.isfinite(magnitude)
    assert magnitude > 0
    if claim.low is not None:
        assert claim.qualifier == "band"
        if mach:
            assert str(claim.low.units) == "dimensionless"
        else:
            assert claim.low.check(FIGURES[claim.figure])
        assert claim.low <= claim.value
    # A claim of lower standing (what it measures, who asserts it) is never preferred, nor a
    # weaker kind of source where one of the same standing is better.
    group = system.claims_for(claim.figure, claim.variant)
    if claim.preferred:
        assert claim.standing == min(c.standing for c in group)
        peers = [c for c in group if c.standing == claim.standing]
        assert SOURCE_RANK[claim.source.kind] == min(SOURCE_RANK[c.source.kind] for c in peers)


@pytest.mark.parametrize("system", wr.systems(), ids=lambda s: s.id)
def test_the_preferred_range_follows_the_rule(system: wr.System) -> None:
    claim = system.claim("range")
    assert claim.preferred
    assert claim.variant is None
    group = system.claims_for("range", None)
    assert claim is min(group, key=lambda c: wr.preference(c, group))
    assert system.range is claim.value


def test_the_articles_figures_stay_beside_the_headlines_the_rule_chose() -> None:
    # Hand conversions with the international mile (1,609.344 m). The article's figures are
    # the outlet's own; the rule prefers a maximum stated by the operator, the maker or a
    # reference work where a source gives one.
    for system_id in ("bober", "himars"):
        article = next(
            c
            for c in wr.lookup(system_id).claims_for("range", None)
            if c.source.id == "dailymail-2023-08-01"
        )
        assert (article.basis, article.attribution) == ("maximum", "outlet")
        km = article.value.to("km").magnitude
        assert km == pytest.approx(ARTICLE_RANGES_KM[system_id], abs=0.1)
        assert not article.preferred
    # Bober: Ukraine's own 1,300 km (MTV Uutiset) before the Daily Mail's 621 mi.
    bober = wr.lookup("Bober").claim("range")
    assert (bober.source.id, bober.attribution, bober.value_text()) == (
        "mtvuutiset-2024-04-majava",
        "operator",
        "1,300 km",
    )
    # HIMARS: US Central Command's "more than 43 miles", 43 x 1.609344 = 69.201792 km.
    himars = wr.lookup("HIMARS").claim("range")
    assert (himars.attribution, himars.qualifier) == ("operator", "more than")
    assert himars.value.to("km").magnitude == pytest.approx(69.201792, abs=1e-6)
    # Storm Shadow's 350 mi is the full version's; Ukraine received the export version, so the
    # article's figure is kept as the "full version" variant, not the headline range.
    storm = next(
        c
        for c in wr.lookup("Storm Shadow").claims_for("range", "full version")
        if c.source.id == "dailymail-2023-08-01"
    )
    assert storm.value.to("km").magnitude == pytest.approx(
        ARTICLE_RANGES_KM["storm-shadow"], abs=0.1
    )
    # UJ-22: 800 km as the maker's website gives it (infodron.es), above the article's
    # 500 mi; the article's figure stays beside it.
    uj22 = wr.lookup("UJ-22")
    assert uj22.claim("range").value.to("km").magnitude == 800
    assert uj22.claim("range").attribution == "maker"
    article = [c for c in uj22.claims_for("range") if c.source.id == "dailymail-2023-08-01"]
    assert article[0].value.to("km").magnitude == pytest.approx(ARTICLE_RANGES_KM["uj-22"], abs=0.1)


@pytest.mark.parametrize("system", wr.systems(), ids=lambda s: s.id)
def test_every_figure_and_variant_has_exactly_one_preferred_claim(system: wr.System) -> None:
    groups: dict[tuple[str, str | None], list[bool]] = {}
    for claim in system.claims:
        groups.setdefault((claim.figure, claim.variant), []).append(claim.preferred)
    for key, flags in groups.items():
        assert flags.count(True) == 1, key


def test_the_articles_figures_in_the_articles_units() -> None:
    assert wr.lookup("Bober").range == wr.lookup("bober").range
    bober = wr.lookup("Bober").claims_for("range")[0]
    assert str(bober.value.units) == "mile" and bober.value.magnitude == 621
    assert next(c.value.magnitude for c in wr.lookup("UJ-22").claims_for("range")) == 500
    storm = wr.lookup("Storm Shadow").claims_for("range", "full version")[0]
    assert storm.value.magnitude == 350
    assert wr.lookup("HIMARS").claims_for("range")[0].value.magnitude == 50
    assert str(wr.lookup("HIMARS").range.units) == "mile"
    altitude = wr.lookup("UJ-22").claim("cruise_altitude")
    assert altitude.value.to("m").magnitude == pytest.approx(6096.0, abs=0.01)  # 20,000 ft


def test_disagreements_are_kept_side_by_side() -> None:
    storm = wr.lookup("Storm Shadow")
    assert storm.claim("range", variant="export").value.to("km").magnitude == 250
    export = {c.source.id: c.value.to("km").magnitude for c in storm.claims_for("range", "export")}
    assert export["aerotime-scalp"] == 250
    assert export["euromaidanpress-2024-04-28-storm-shadow"] == 290  # kept beside, not hidden
    himars = wr.lookup("HIMARS")
    assert himars.variants == ()  # its PrSM figures are the prsm system's since data 2026.12.3
    assert himars.launches == ("gmlrs", "atacms", "prsm", "er-gmlrs")
    prsm = {c.source.id: c.value.to("km").magnitude for c in wr.lookup("PrSM").claims_for("range")}
    assert prsm["defensenews-2020-03-25-prsm"] == 499  # the requirement, kept beside the headline
    # The maker's span (data 2026.12.7): 499 km the headline, 60 km the minimum range.
    assert wr.lookup("PrSM").claim("range").source.id == "defensepost-2024-01-16-gmlrs-australia"
    assert wr.lookup("PrSM").claim("minimum_range").value.to("km").magnitude == 60
    atacms = wr.lookup("ATACMS")
    assert atacms.claim("range").value.to("km").magnitude == 300
    assert atacms.claim("range", "165 km version sent in 2023").value.to("km").magnitude == 165
    gmlrs = wr.lookup("GMLRS").claims_for("range", None)
    assert "band" in [c.qualifier for c in gmlrs]
    uj22 = wr.lookup("UJ-22 Airborne")
    assert uj22.claim("radius_of_action").value.to("km").magnitude == 800
    assert uj22.claims_for("range")[0].value.to("km").magnitude == pytest.approx(804.672)


def test_a_missing_variant_names_the_variants_there_are() -> None:
    # A variant the system has no claim for is a bad argument, not a bad record.
    with pytest.raises(wr.ArgumentValueError, match=r"'export'.*'full version'") as info:
        wr.lookup("Storm Shadow").claim("range", variant="Tomahawk")
    assert isinstance(info.value, ValueError)
    assert not isinstance(info.value, RecordError)


# --------------------------------------------------------------------------- str and repr


def test_str_and_repr_of_a_claim() -> None:
    claim = wr.lookup("Bober").claims_for("range")[0]
    assert (
        str(claim)
        == 'range: up to 621 mi (Daily Mail, 2023-08-01) "With a range of up to 621 miles"'
    )
    assert repr(claim) == (
        "Claim('range', '621 mi', 'up to', variant=None, source='dailymail-2023-08-01', "
        "preferred=False)"
    )
    band = next(c for c in wr.lookup("GMLRS").claims_for("range") if c.qualifier == "band")
    assert str(band) == (
        'range: 15–84 km (WP Tech (Wirtualna Polska), 2023-09) "Dla porównania rakiety GMLRS '
        'oferują zasięg "tylko" 15 – 84 km."'
    )
    maker = wr.lookup("GMLRS").claim("range")
    assert str(maker).startswith(
        'range: more than 70 km (The Defense Post, 2024-01-16) "According to Lockheed, '
    )
    assert str(maker).endswith('(37 to 310 miles)." [preferred]')


def test_str_and_repr_of_a_system() -> None:
    system = wr.lookup("Bober")
    assert str(system) == (
        "Bober: long-range one-way attack drone, Ukraine\n"
        "range: 1,300 km = 1,300 km (MTV Uutiset, 2024-04)\n"
        "5 claims from 5 sources"
    )
    assert repr(system) == "System('bober', 'Bober', claims=5)"
    assert repr(system.claim("range").source) == "Source('mtvuutiset-2024-04-majava')"


def test_html_reprs_for_notebooks() -> None:
    html = wr.lookup("Storm Shadow")._repr_html_()
    assert "<table>" in html
    assert "capable of hitting targets 350 miles away" in html
    assert "Storm Shadow" in wr.default_catalogue()._repr_html_()


# --------------------------------------------------------------------------- immutability


def test_records_are_frozen() -> None:
    system = wr.lookup("Bober")
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        system.name = "Beaver"  # type: ignore[misc]
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        system.claims[0].value = wr.lookup("HIMARS").range  # type: ignore[misc]
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        system.claims[0].source.publisher = "someone"  # type: ignore[misc]


def test_records_pickle_and_hash() -> None:
    for system in wr.systems():
        copy = pickle.loads(pickle.dumps(system))
        assert copy == system
        assert hash(copy) == hash(system)
        assert copy.claim("range").metres == system.claim("range").metres
        assert copy.range.to("km").magnitude == pytest.approx(system.range.to("km").magnitude)
    assert len({*wr.systems(), *wr.systems()}) == len(wr.systems())


@pytest.mark.parametrize(
    "error",
    [
        UnknownSystemError("Bobr", ("Bober",)),
        NotYetPublishedError("Storm Shadow", "2023-01-01", "2023-05-11"),
        wr.UnknownPlaceError("Kyyiv", ("Kyiv",)),
        CatalogueError("x.toml", "systems[0].id", "missing"),
        RecordError("Claim 'range'.value: bad", field="value"),
        wr.UnitError("bad unit"),
        wr.CoordinateError("latitude 91 is outside [-90, 90]"),
        wr.MissingExtraError("pip install 'weaponsref[maps]'"),
        wr.FormatError("unknown format"),
        wr.ArgumentError("title must be a str or None (got 5 that is a int)"),
    ],
    ids=lambda e: type(e).__name__,
)
def test_errors_pickle_with_their_fields(error: Exception) -> None:
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is type(error)
    assert str(copy) == str(error)
    assert vars(copy) == vars(error)


def test_errors_refine_the_builtins() -> None:
    assert issubclass(wr.ArgumentError, TypeError)
    assert issubclass(UnknownSystemError, LookupError)
    assert issubclass(wr.UnknownPlaceError, LookupError)
    for cls in (CatalogueError, RecordError, wr.UnitError, wr.CoordinateError, wr.FormatError):
        assert issubclass(cls, ValueError)
    assert issubclass(wr.MissingExtraError, ImportError)
    for cls in (UnknownSystemError, CatalogueError, RecordError, wr.MissingExtraError):
        assert issubclass(cls, wr.WeaponsrefError)


# --------------------------------------------------------------------------- validators


def _source() -> wr.Source:
    return wr.lookup("Bober").claim("range").source


def _claim(**changes: object) -> wr.Claim:
    fields: dict[str, object] = {
        "figure": "range",
        "value": "621 mi",
        "qualifier": "up to",
        "source": _source(),
        "quote": "With a range of up to 621 miles",
    }
    fields.update(changes)
    return wr.Claim(**fields)  # type: ignore[arg-type]


def test_converter_turns_text_into_quantities() -> None:
    claim = _claim(value="1,000 km")
    assert claim.value == pint.get_application_registry().Quantity(1000, "km")
    assert claim.metres == 1_000_000


@pytest.mark.parametrize(
    ("changes", "field", "problem"),
    [
        ({"source": None}, "source", "must be a Source"),
        ({"quote": ""}, "quote", "must not be empty"),
        ({"quote": None}, "quote", "must be a string"),
        ({"value": "20 kg"}, "value", "not a"),
        ({"value": "-5 km"}, "value", "above zero"),
        ({"value": "0 km"}, "value", "above zero"),
        ({"value": "inf km"}, "value", "not a figure"),
        ({"value": "nan km"}, "value", "not a figure"),
        ({"value": "1e999 km"}, "value", "not a finite number"),
        ({"value": "1,5 km"}, "value", "a comma only separates thousands"),
        ({"value": "5.000,5 km"}, "value", "a comma only separates thousands"),
        ({"value": "km"}, "value", "has a unit but no number"),
        ({"value": "5 km / 0"}, "value", "no arithmetic"),
        ({"value": "10**400 km"}, "value", "no arithmetic"),
        ({"value": "(5 km"}, "value", "no arithmetic"),
        ({"value": "\u0661\u0662 km"}, "value", "ASCII digits"),
        ({"value": "2000000000 km"}, "value", "too large"),
        ({"value": 621}, "value", "no unit"),
        ({"value": "621 parsecs per fortnight"}, "value", "too large"),
        ({"value": "twelve leagues"}, "value", "not a figure"),
        ({"figure": "warhead"}, "figure", "'warhead' is not one of"),
        ({"qualifier": "roughly"}, "qualifier", "'roughly' is not one of"),
        ({"qualifier": "band"}, "low", "lower end"),
        ({"low": "15 km"}, "low", "only a band"),
        ({"qualifier": "band", "low": "2000 km"}, "low", "above the upper end"),
        ({"preferred": "yes"}, "preferred", "true or false"),
    ],
)
def test_validators_refuse_bad_claims_naming_record_and_field(
    changes: dict[str, object], field: str, problem: str
) -> None:
    with pytest.raises(RecordError) as info:
        _claim(**changes)
    assert info.value.field == field
    assert f".{field}:" in str(info.value)
    assert problem in str(info.value)
    assert str(info.value).startswith("Claim")


def test_a_speed_must_be_a_speed_or_a_mach_number() -> None:
    assert _claim(figure="speed", value="Mach 0.8").value.magnitude == 0.8
    assert _claim(figure="speed", value="900 km/h").value.check("[length]/[time]")
    with pytest.raises(RecordError, match="speed"):
        _claim(figure="speed", value="900 km")


def test_only_one_preferred_claim_per_figure_and_variant() -> None:
    bober = wr.lookup("Bober")
    twice = (*bober.claims, _claim(preferred=True))
    with pytest.raises(RecordError, match=r"claims\[5\]\.preferred.*claims\[4\]") as info:
        attrs.evolve(bober, claims=twice)
    assert info.value.field == "claims[5].preferred"
    # Another variant may have its own preferred claim.
    attrs.evolve(bober, claims=(*bober.claims, _claim(preferred=True, variant="mk2")))


def test_a_system_needs_a_range_claim() -> None:
    bober = wr.lookup("Bober")
    with pytest.raises(RecordError, match=r"System 'bober'\.claims: needs a range claim"):
        attrs.evolve(bober, claims=(_claim(figure="ceiling", value="6000 m"),))


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"kind": "mirror"}, "copies"),
        ({"copies": "BBC"}, "copies"),
        ({"url": "ftp://x"}, "url"),
        ({"kind": "blog"}, "kind"),
        ({"id": "Daily Mail"}, "id"),
        ({"published": "2023-08-01"}, "published"),
    ],
)
def test_source_validators(changes: dict[str, object], field: str) -> None:
    with pytest.raises(RecordError) as info:
        attrs.evolve(_source(), **changes)
    assert info.value.field == field


# --------------------------------------------------------------------------- lookup


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Beaver", "bober"),
        ("bober", "bober"),
        ("  BOBER ", "bober"),
        ("uj22", "uj-22"),
        ("UJ-22 Airborne", "uj-22"),
        ("SCALP-EG", "storm-shadow"),
        ("SCALP", "storm-shadow"),
        ("storm-shadow", "storm-shadow"),
        ("Storm Shadow/SCALP-EG", "storm-shadow"),
        ("M142", "himars"),
        ("m-142", "himars"),
        ("Bóber", "bober"),
    ],
)
def test_lookup_by_any_name(name: str, expected: str) -> None:
    assert wr.lookup(name) is wr.lookup(expected)
    assert wr.lookup(name).id == expected
    assert wr.get(name) is wr.lookup(expected)
    assert name in wr.default_catalogue()


def test_unknown_names_raise_with_suggestions() -> None:
    with pytest.raises(UnknownSystemError) as info:
        wr.lookup("Bobr")
    assert isinstance(info.value, LookupError)
    assert info.value.suggestions == ("Bober",)
    assert str(info.value) == "no system named 'Bobr' in the catalogue; did you mean 'Bober'?"
    with pytest.raises(UnknownSystemError, match="weaponsref list") as nothing_close:
        wr.lookup("Trident")  # no close name (Tomahawk is a system since data 2026.12.3)
    assert nothing_close.value.suggestions == ()
    assert wr.get("nope") is None
    assert wr.get("nope", "fallback") == "fallback"


def test_search_is_ranked_and_deterministic() -> None:
    assert [s.id for s in wr.search("storm")] == ["storm-shadow"]
    assert next(s.id for s in wr.search("uj")) == "uj-22"
    assert wr.search("him")[0].id == "himars"
    assert next(s.id for s in wr.search("Bobr")) == "bober"
    assert wr.search("") == ()
    assert wr.search("s") == wr.search("s")


def test_no_alias_names_two_systems() -> None:
    seen: dict[str, str] = {}
    from weaponsref._text import fold

    for system in wr.systems():
        for name in {fold(n) for n in (system.id, system.name, *system.aliases)}:
            assert name not in seen, f"{name!r} names both {seen[name]} and {system.id}"
            seen[name] = system.id


def test_systems_are_in_a_stable_order() -> None:
    ids = [s.id for s in wr.systems()]
    assert ids[:4] == ["bober", "uj-22", "storm-shadow", "himars"]
    assert ids == [s.id for s in wr.systems()]


def test_every_cited_source_is_in_the_bibliography_and_every_source_listed_once() -> None:
    ids = [s.id for s in wr.sources()]
    assert len(ids) == len(set(ids))
    for system in wr.systems():
        for source in system.sources:
            assert wr.default_catalogue().source(source.id) is source
    with pytest.raises(LookupError, match="did you mean"):
        wr.default_catalogue().source("dailymail-2023")


# --------------------------------------------------------------------------- loading


def test_import_does_not_load_the_data_or_build_pint(tmp_path: Path) -> None:
    import subprocess
    import sys

    code = (
        "import sys, weaponsref, pint\n"
        "assert weaponsref.default_catalogue()._contents is None\n"
        "registry = pint.get_application_registry()\n"
        "assert type(registry._registry).__name__ == 'LazyRegistry', 'pint registry was built'\n"
        "assert 'pyproj' not in sys.modules and 'tabulate' not in sys.modules\n"
        "assert 'matplotlib' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=tmp_path)


def test_concurrent_first_use_yields_the_same_objects() -> None:
    fresh = catalogue_module.Catalogue(catalogue_module._load_builtin, "test")
    barrier = threading.Barrier(8)
    results: list[tuple[wr.System, ...]] = []
    errors: list[BaseException] = []

    def first_use() -> None:
        try:
            barrier.wait()
            results.append(fresh.systems())
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=first_use) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert len(results) == 8
    assert all(r is results[0] for r in results)
    assert all(a is b for a, b in zip(results[0], fresh.systems(), strict=True))


def test_user_quantities_combine_with_ours() -> None:
    registry = pint.get_application_registry()
    total = registry.Quantity(1, "km") + wr.lookup("Bober").claims_for("range")[0].value
    assert total.to("km").magnitude == pytest.approx(1000.402624)  # 1 + 621 x 1.609344
    assert (registry.Quantity(1, "km") + wr.lookup("Bober").range).to("km").magnitude == 1301
    assert wr.lookup("HIMARS").range < registry.Quantity(100, "km")


def _builtin_figures() -> list[str]:
    """Every quantity's text in the built-in data, as written there."""
    text = (resources.files("weaponsref") / "data" / "systems.toml").read_text("utf-8")
    systems = tomllib.loads(text)["systems"]
    return [c[k] for s in systems for c in s["claims"] for k in ("value", "low") if k in c]


def test_the_fast_path_reads_every_figure_as_pints_parser_does() -> None:
    # pint's own string parser is the authority. It cannot read a thousands separator or
    # "Mach", so it is given the number without commas, and a Mach number as a bare number.
    registry = pint.get_application_registry()
    figures = _builtin_figures()
    assert len(figures) > 200
    for text in figures:
        fast = _units.parse_quantity(text)
        plain = text.replace(",", "")
        if plain.lower().startswith("mach"):
            plain = plain[4:]
        pints = registry.Quantity(plain)
        assert type(fast) is type(pints), text
        assert fast._REGISTRY is pints._REGISTRY, text
        assert fast.units == pints.units and str(fast.units) == str(pints.units), text
        # Exactly equal; "140 km/h" stays the integer 140 as written, where pint's parser
        # divides 140 km by an hour and gives 140.0.
        assert fast.magnitude == pints.magnitude, text
        assert _units.si_magnitude(fast) == float(pints.to_base_units().magnitude), text


@pytest.mark.parametrize(("system", "claim"), ALL_CLAIMS)
def test_si_values_are_pints_conversions(system: wr.System, claim: wr.Claim) -> None:
    # The SI value is worked out from a factor cached per unit; pint's conversion of the
    # quantity itself must give the very same float.
    mach = str(claim.value.units) == "dimensionless"
    assert claim._si == float(claim.value.to_base_units().magnitude)
    if claim.low is not None:
        assert claim._si_low == float(claim.low.to_base_units().magnitude)
    if not mach and FIGURES[claim.figure] == "[length]":
        assert claim.metres == claim.value.m_as("m")


@pytest.mark.parametrize(
    "vocabulary",
    [
        _vocab.FIGURES,
        _vocab.SOURCE_RANK,
        _vocab.LANGUAGES,
        _vocab.SI_UNITS,
        _vocab.COMPARE_UNITS,
        _vocab.ATTRIBUTION_WORDS,
        _vocab.BASIS_WORDS,
    ],
    ids=[
        "FIGURES",
        "SOURCE_RANK",
        "LANGUAGES",
        "SI_UNITS",
        "COMPARE_UNITS",
        "ATTRIBUTION_WORDS",
        "BASIS_WORDS",
    ],
)
def test_vocabularies_are_read_only(vocabulary: Any) -> None:
    assert isinstance(vocabulary, MappingProxyType)
    before = dict(vocabulary)
    with pytest.raises(TypeError):
        vocabulary["warhead"] = "[mass]"
    with pytest.raises(TypeError):
        del vocabulary[next(iter(vocabulary))]
    with pytest.raises(AttributeError):
        vocabulary.clear()  # type: ignore[attr-defined]
    assert dict(vocabulary) == before


def test_the_public_vocabularies_are_the_read_only_ones() -> None:
    assert wr.FIGURES is records.FIGURES is _vocab.FIGURES
    assert records.SOURCE_RANK is _vocab.SOURCE_RANK
    for name in ("QUALIFIERS", "SOURCE_KINDS", "EVENT_KINDS", "OPERATOR_EVENTS", "BASES"):
        assert isinstance(getattr(records, name), tuple), name
    for name in ("LOWER_BOUNDS", "UPPER_BOUNDS"):
        assert isinstance(getattr(records, name), frozenset), name
    with pytest.raises(TypeError):
        wr.FIGURES["warhead"] = "[mass]"  # type: ignore[index]
    # A figure that validation would have taken had the dict been changed is still refused.
    with pytest.raises(RecordError, match="'warhead' is not one of"):
        _claim(figure="warhead")


def _imports(module: str) -> set[str]:
    """The weaponsref modules a module of the package imports, read from its source."""
    tree = ast.parse((ROOT / "weaponsref" / f"{module}.py").read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            base = node.module
            found |= {f"{base}.{a.name}" if base == "weaponsref" else base for a in node.names}
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
    return {name for name in found if name.startswith("weaponsref")}


def test_records_and_their_html_do_not_import_each_other() -> None:
    # The templates take what they show as arguments; the vocabularies both read sit below.
    assert _imports("_html") == set()
    assert _imports("_vocab") == set()
    assert "weaponsref._html" in _imports("records")
    assert "weaponsref.records" not in _imports("_html")


@pytest.mark.parametrize(
    ("call", "kind", "words"),
    [
        (lambda: wr.lookup("Bober").claims_for(5), wr.ArgumentError, "figure must be a str"),
        (lambda: wr.lookup("Bober").claims_for("warhead"), wr.ArgumentValueError, "'warhead'"),
        (lambda: wr.lookup("Bober").claim("range", "mk9"), wr.ArgumentValueError, "'mk9'"),
        (lambda: wr.lookup(5), wr.ArgumentError, "name must be a str"),
        (lambda: wr.default_catalogue().source(None), wr.ArgumentError, "source_id must be"),
        (lambda: wr.default_catalogue().as_of(2023), wr.ArgumentError, "as_of needs a date"),
        (lambda: wr.default_catalogue().as_of("May"), wr.ArgumentValueError, "as_of needs"),
        (lambda: wr.table(figures=("warhead",)), wr.ArgumentValueError, "unknown figure"),
        (lambda: wr.table(figures=(5,)), wr.ArgumentError, "figures must be strs"),
        (lambda: _units.parse_quantity(None), wr.ArgumentError, "must be a string"),
        (lambda: _units.parse_quantity(500), wr.ArgumentError, "has no unit"),
        (lambda: _units.as_length([500]), wr.ArgumentError, "must be a string"),
        (lambda: _units.as_length("500 kg"), wr.UnitError, "not a length"),
        (lambda: _units.length_unit(5), wr.ArgumentError, "unit must be a string"),
        (lambda: _units.length_unit("kg"), wr.UnitError, "not a length"),
        (lambda: wr.lookup("Bober").claim().value_text("kg"), wr.UnitError, "in 'kg'"),
        (lambda: wr.lookup("Bober").claim().value_text(5), wr.ArgumentError, "unit must be"),
        (lambda: wr.search("storm", limit="5"), wr.ArgumentError, "limit must be an int"),
        (lambda: wr.search("storm", limit=-1), wr.ArgumentValueError, "limit must be 0"),
        (lambda: tables.claim_rows("bober"), wr.ArgumentError, "system must be a System"),
        (lambda: tables.reach_rows([5]), wr.ArgumentError, "each verdict must be a Reach"),
        (lambda: export.ring_kml([]), wr.ArgumentError, "needs a GeoJSON Feature"),
        (lambda: export.ring_kml({}), wr.ArgumentValueError, "Polygon or MultiPolygon"),
        (lambda: export.export_catalogue(5), wr.ArgumentError, "directory must be"),
    ],
    ids=[
        "claims_for-type",
        "claims_for-figure",
        "claim-variant",
        "lookup-type",
        "source-type",
        "as_of-type",
        "as_of-text",
        "table-figure",
        "table-figure-type",
        "parse-none",
        "parse-number",
        "as_length-list",
        "as_length-mass",
        "length_unit-type",
        "length_unit-mass",
        "value_text-mass",
        "value_text-type",
        "search-limit-type",
        "search-limit-negative",
        "claim_rows-type",
        "reach_rows-type",
        "ring_kml-type",
        "ring_kml-geometry",
        "export-type",
    ],
)
def test_errors_say_what_kind_of_fault(call: Any, kind: type, words: str) -> None:
    # A wrong type is an ArgumentError (a TypeError), a bad value of a call's argument an
    # ArgumentValueError or a UnitError; RecordError is kept for a record's own fields.
    with pytest.raises(kind, match=re.escape(words)) as info:
        call()
    assert not isinstance(info.value, RecordError | CatalogueError)
    assert isinstance(info.value, TypeError if kind is wr.ArgumentError else ValueError)


def test_a_bad_field_is_still_a_record_error() -> None:
    for changes in ({"value": None}, {"value": 621}, {"value": [621]}, {"low": object()}):
        with pytest.raises(RecordError):
            _claim(qualifier="band", **{"low": "100 km", **changes})
    with pytest.raises(RecordError, match=r"Source 'bbc-2003-03-21'\.language: 'English'"):
        attrs.evolve(wr.default_catalogue().source("bbc-2003-03-21"), language="English")


# --------------------------------------------------------------------------- hypothesis

_NAMES = [
    (system, name) for system in wr.systems() for name in (system.name, system.id, *system.aliases)
]
_NOISE = st.sampled_from([" ", "-", "_", ".", "/", "'", "  ", "\t", "·", "(", ")"])


@st.composite
def spelled(draw: st.DrawFn) -> tuple[wr.System, str]:
    """A system and one of its names with random case and random punctuation or spacing
    between (and around) its letters."""
    system, name = draw(st.sampled_from(_NAMES))
    letters = [ch for ch in name if ch.isalnum()]
    out = draw(st.lists(_NOISE, max_size=2))
    for letter in letters:
        out.append(letter.upper() if draw(st.booleans()) else letter.lower())
        if draw(st.integers(0, 4)) == 0:
            out.append(draw(_NOISE))
    out += draw(st.lists(_NOISE, max_size=2))
    return system, "".join(out)


@settings(max_examples=300)
@given(spelled())
def test_lookup_finds_the_same_object_through_any_spelling(case: tuple[wr.System, str]) -> None:
    system, spelling = case
    assert wr.lookup(spelling) is system
    assert wr.get(spelling) is system
    assert wr.search(spelling)[0] is system


@pytest.mark.parametrize(
    ("value", "error"),
    [
        ("2023-02-30", "ArgumentValueError"),
        ("20230801", "ArgumentValueError"),
        ("2023-8-1", "ArgumentValueError"),
        (2023.5, "ArgumentError"),
    ],
)
def test_as_of_and_an_imported_area_read_a_day_the_same_way(value: object, error: str) -> None:
    """One reading of a day: as_of and an area's import date refuse the same values with
    the same kind of error, and take a date, a datetime's day and YYYY-MM-DD alike."""
    from weaponsref._fields import day_argument

    expected = getattr(wr, error)
    with pytest.raises(expected, match="as_of needs"):
        wr.default_catalogue().as_of(value)
    with pytest.raises(expected, match="date needs"):
        day_argument(value, "date", "2025-11-01")
    day = datetime.date(2023, 8, 1)
    for value_given in (day, datetime.datetime(2023, 8, 1, 23, 59), "2023-08-01", " 2023-08-01 "):
        assert day_argument(value_given, "as_of") == day
    assert wr.default_catalogue().as_of(" 2023-08-01 ").systems() == (
        wr.default_catalogue().as_of(day).systems()
    )
