"""One name index (weaponsref._text.NameIndex) for every name weaponsref looks up: folded
names and aliases, clashes reported, close names suggested; countries found by it."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import weaponsref as wr
from weaponsref._text import MAX_NAME, NameIndex, fold
from weaponsref.gazetteer import area, place


def test_names_and_aliases_are_found_whatever_their_spelling() -> None:
    index: NameIndex[str] = NameIndex([("Côte d'Ivoire", "CIV")])
    assert index.add("United Kingdom", "GBR", aliases=["GB", "826"]) == []
    for name in ["Cote d'Ivoire", "côte d’ivoire", "COTE-D-IVOIRE", " cote divoire "]:
        assert index.get(name) == "CIV", name
    for name in ["united-kingdom", "UNITED KINGDOM", "United_Kingdom", "gb", "826"]:
        assert index.get(name) == "GBR", name
    assert "gb" in index and "uk" not in index
    assert index.get("uk") is None and index.get("uk", "none") == "none"
    assert index.get(826) is None  # not a str: names nothing
    assert len(index) == 4
    assert list(index) == ["cotedivoire", "unitedkingdom", "gb", "826"]
    assert dict(index.items())["gb"] == "GBR"


def test_the_first_value_keeps_a_name_and_clashes_come_back() -> None:
    index: NameIndex[str] = NameIndex()
    assert index.add("Kyiv", "first", aliases=["Kiev", "Kyiv", "KYIV"]) == []  # its own names
    refused = index.add("Kiev", "second", aliases=["--", "Kijów"])
    assert refused == [("Kiev", "first"), ("--", None)]
    assert index.get("kiev") == "first"
    assert index.get("kijow") == "second"  # what was not refused is added


def test_suggestions_name_values_once_by_their_own_name() -> None:
    index: NameIndex[int] = NameIndex()
    index.add("Ukraine", 1, aliases=["UKR", "UA", "Ukrayina"])
    index.add("United Kingdom", 2, aliases=["GBR"])
    index.add("Bahrain", 3)
    assert index.suggest("Ukrain") == ["Ukraine", "Bahrain"]
    assert index.suggest("Ukrayna") == ["Ukraine"]  # through an alias, named by the name
    assert index.suggest("Ukrain", limit=1) == ["Ukraine"]
    assert index.suggest("zzzz") == []
    assert index.suggest("x" * (MAX_NAME + 1)) == []
    assert index.get("Ukraine" * 1000) is None


@settings(deadline=None, max_examples=200)
@given(st.text(max_size=20), st.text(max_size=20))
def test_a_name_is_found_exactly_when_it_folds_like_one_held(name: str, other: str) -> None:
    index: NameIndex[str] = NameIndex([(name, "value")])
    if fold(name):
        assert (index.get(other) == "value") == (fold(other) == fold(name))
    else:
        assert len(index) == 0


# --------------------------------------------------------------------------- countries


@pytest.mark.parametrize(
    ("name", "country"),
    [
        ("Cote d'Ivoire", "Côte d'Ivoire"),
        ("côte d’ivoire", "Côte d'Ivoire"),
        ("COTE D IVOIRE", "Côte d'Ivoire"),
        ("Ivory Coast", "Côte d'Ivoire"),  # GeoNames' English name
        ("CIV", "Côte d'Ivoire"),
        ("united-kingdom", "United Kingdom"),
        ("UNITED KINGDOM", "United Kingdom"),
        ("GB", "United Kingdom"),  # ISO 3166-1 alpha-2; "UK" is not an ISO code
        ("826", "United Kingdom"),
        ("Bosnia and Herzegovina", "Bosnia and Herz."),
        ("united states", "United States of America"),
        ("sao-tome-and-principe", "São Tomé and Principe"),
        ("Aland", "Åland"),
    ],
)
def test_a_country_is_found_by_any_spelling_of_a_name_or_code(name: str, country: str) -> None:
    assert area(name).label == country
    assert area(name) is area(country)


def test_uk_is_no_iso_code_and_is_refused_with_suggestions() -> None:
    with pytest.raises(wr.UnknownAreaError) as caught:
        area("uk")
    assert caught.value.suggestions  # something close is offered


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("United Kingdon", "United Kingdom"),
        ("Cote d Ivoir", "Côte d'Ivoire"),
        ("Ukrain", "Ukraine"),
        ("Bosnia Herzegovina", "Bosnia and Herz."),
    ],
)
def test_an_unknown_country_suggests_close_names(name: str, expected: str) -> None:
    with pytest.raises(wr.UnknownAreaError) as caught:
        area(name)
    assert caught.value.suggestions[0] == expected
    assert len(caught.value.suggestions) <= 3


def test_places_and_countries_fold_names_alike() -> None:
    # The gazetteer's names and the countries' are matched by the same fold.
    assert place("kyïv") is place("KYIV")
    assert area("ukraïne") is area("Ukraine")
