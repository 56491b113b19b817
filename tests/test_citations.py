"""Citations in the APA-like default, AP and Chicago styles, and the bibliography as CSL-JSON
and BibTeX.

The expected strings are written by hand from the style guides, not from the code's output:

- AP Stylebook ("months", "dates", "on", "composition titles", attribution): with a day, Jan.,
  Feb., Aug., Sept., Oct., Nov. and Dec. are abbreviated and March to July spelled out; a
  month with a year alone is spelled out with no comma ("July 2023"); the year is set off by
  commas after a month and day; "on" goes before a date that follows a proper name; quotes
  within a quote are single; attribution credits the original organization of a story another
  carried.
- Chicago Manual of Style, notes and bibliography: for an unsigned newspaper article "the
  name of the newspaper stands in place of the author" (CMOS 14.207, as Chicago's Q&A quotes
  it), so ``New York Times. "Title." July 30, 2002. URL.``; a website's name follows the
  title; "n.d." stands for no date; a period goes inside the closing quotation marks
  (6.9), but not after a title's own "?"; a month with a year is "July 2023".
"""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import Any

import pytest

import weaponsref as wr
from weaponsref.cli import main
from weaponsref.errors import ArgumentError, ArgumentValueError
from weaponsref.records import (
    CITATION_STYLES,
    SOURCE_KINDS,
    Outlet,
    PartialDate,
    Source,
    bibtex,
    csl_json,
)

CATALOGUE = wr.default_catalogue()
BBC = CATALOGUE.source("bbc-2003-03-21")
BBC_URL = "http://news.bbc.co.uk/2/hi/uk_news/2871525.stm"
REUTERS_COPY = CATALOGUE.source("tbsnews-2022-03-20-reuters-cruise-missiles")
TBS_URL = (
    "https://www.tbsnews.net/world/"
    "russia-strikes-ukraine-cruise-missiles-black-sea-and-caspian-sea-387958"
)
AFP = Outlet(id="afp", name="AFP", kind="news")
SPACEWAR = Outlet(id="spacewar", name="SpaceWar.com", kind="mirror")


def source(**fields: Any) -> Source:
    """A source of one's own: English news of The Example Times unless told."""
    base: dict[str, Any] = {
        "id": "made",
        "publisher": "The Example Times",
        "kind": "news",
        "language": "en",
    }
    return Source(**{**base, **fields})


# --------------------------------------------------------------------------- the default


def test_the_default_style_is_the_existing_one() -> None:
    expected = (
        'BBC News. (2003, March 21). "RAF Tornados join air strikes". '
        "http://news.bbc.co.uk/2/hi/uk_news/2871525.stm"
    )
    assert BBC.cite() == BBC.cite("apa") == BBC.citation == str(BBC) == expected
    assert CITATION_STYLES == ("apa", "ap", "chicago")


# --------------------------------------------------------------------------- AP


def test_ap_credits_a_report_with_its_date_as_ap_writes_it() -> None:
    assert BBC.cite("ap") == (
        'according to a report by BBC News on March 21, 2003, headlined "RAF Tornados join '
        'air strikes"'
    )
    # Aug., Sept. and Dec. are abbreviated with a day; June and April are not.
    for day, written in [
        (datetime.date(2023, 8, 1), "on Aug. 1, 2023"),
        (datetime.date(2022, 9, 30), "on Sept. 30, 2022"),
        (datetime.date(2025, 12, 26), "on Dec. 26, 2025"),
        (datetime.date(2024, 6, 5), "on June 5, 2024"),
        (datetime.date(2016, 4, 11), "on April 11, 2016"),
    ]:
        cited = source(published=day, title="T").cite("ap")
        assert cited == (f'according to a report by The Example Times {written}, headlined "T"')


def test_ap_writes_a_month_or_a_year_alone_and_invents_no_date() -> None:
    assert source(published=PartialDate(2023, 7)).cite("ap") == (
        "according to a report by The Example Times in July 2023"
    )
    assert source(published=PartialDate(2003)).cite("ap") == (
        "according to a report by The Example Times in 2003"
    )
    assert source().cite("ap") == "according to a report by The Example Times"


def test_ap_names_the_language_state_media_and_an_official_statement() -> None:
    assert source(language="it", title="Pronto").cite("ap") == (
        'according to an Italian-language report by The Example Times, headlined "Pronto"'
    )
    assert source(language="uk").cite("ap") == (
        "according to a Ukrainian-language report by The Example Times"
    )
    tass = source(publisher="TASS", kind="state media", language="ru")
    assert tass.cite("ap") == "according to a Russian-language report by state-run TASS"
    mbda = source(publisher="MBDA", kind="official", title="Storm Shadow")
    assert mbda.cite("ap") == 'according to a statement by MBDA, titled "Storm Shadow"'


def test_ap_credits_the_original_of_a_copy_and_nests_quotes() -> None:
    assert REUTERS_COPY.cite("ap") == (
        "according to a report by Reuters, as carried by The Business Standard (tbsnews.net) "
        'on March 20, 2022, headlined "Russia strikes Ukraine with cruise missiles from Black '
        'Sea and Caspian Sea"'
    )
    copy = Source.of_outlet(
        AFP,
        SPACEWAR,
        id="copy",
        language="en",
        title='Iraq fires "Ababil" rockets',
        published=datetime.date(2003, 11, 5),
    )
    assert copy.cite("ap") == (
        "according to a report by AFP, as carried by SpaceWar.com on Nov. 5, 2003, "
        "headlined \"Iraq fires 'Ababil' rockets\""
    )
    # AP copy credits the outlet and links it online: no address in the words.
    assert "http" not in BBC.cite("ap")


# --------------------------------------------------------------------------- Chicago


def test_chicago_puts_the_outlet_in_the_authors_place() -> None:
    assert BBC.cite("chicago") == (
        f'BBC News. "RAF Tornados join air strikes." March 21, 2003. {BBC_URL}.'
    )
    assert REUTERS_COPY.cite("chicago") == (
        'Reuters. "Russia strikes Ukraine with cruise missiles from Black Sea and Caspian '
        f'Sea." The Business Standard (tbsnews.net), March 20, 2022. {TBS_URL}.'
    )


def test_chicago_dates_to_the_precision_known_and_n_d_for_none() -> None:
    url = "https://example.com/a"
    assert source(title="T", url=url, published=PartialDate(2023, 7)).cite("chicago") == (
        f'The Example Times. "T." July 2023. {url}.'
    )
    assert source(title="T", url=url, published=PartialDate(2003)).cite("chicago") == (
        f'The Example Times. "T." 2003. {url}.'
    )
    assert source(title="T", url=url).cite("chicago") == f'The Example Times. "T." n.d. {url}.'
    assert source().cite("chicago") == "The Example Times. n.d."
    undated_copy = Source.of_outlet(AFP, SPACEWAR, id="c", language="en", url=url)
    assert undated_copy.cite("chicago") == f"AFP. SpaceWar.com, n.d. {url}."


def test_chicago_punctuates_inside_the_quotes_once() -> None:
    url = "https://example.com/a"
    asked = source(title="Can Storm Shadow reach Moscow?", url=url)
    assert (
        asked.cite("chicago") == f'The Example Times. "Can Storm Shadow reach Moscow?" n.d. {url}.'
    )
    quoted = source(title='Zelensky: "Ready to strike"', published=datetime.date(2025, 8, 22))
    assert quoted.cite("chicago") == (
        "The Example Times. \"Zelensky: 'Ready to strike.'\" August 22, 2025."
    )
    curly = source(title="Zelensky: \u201cPronto\u201d", language="it")
    assert curly.cite("chicago") == 'The Example Times. "Zelensky: \u2018Pronto.\u2019" n.d.'
    period = source(publisher="Example Inc.", title="Done.")
    assert period.cite("chicago") == 'Example Inc. "Done." n.d.'


def test_chicago_keeps_a_title_in_its_language_and_names_a_copy_read_elsewhere() -> None:
    interfax = CATALOGUE.source("interfax-2025-12-26-manturov-umpk")
    assert interfax.cite("chicago") == (
        'Interfax. "Мантуров заявил, что российская оборонка продолжает наращивать объемы '
        'производства." December 26, 2025. https://www.interfax.ru/russia/1065268.'
    )
    le_monde = CATALOGUE.source("lemonde-fire-point-fp1")
    assert le_monde.cite("chicago") == (
        "Le Monde. n.d. Original address not found; read at https://reuters-fr.com/news/?id=133375."
    )


# --------------------------------------------------------------------------- every source


@pytest.mark.parametrize("style", CITATION_STYLES)
def test_every_built_in_source_renders_in_every_style(style: str) -> None:
    for each in wr.sources():
        cited = each.cite(style)
        assert cited and "None" not in cited and "  " not in cited, (each.id, cited)
        assert (each.copies or each.publisher) in cited
        if each.title is not None:
            assert each.title in cited or style != "apa"
        if style == "chicago":
            assert cited.endswith(".") and ".." not in cited.replace("...", ""), cited
        if style == "ap":
            assert cited.startswith("according to ") and "http" not in cited


def test_a_style_that_is_not_known_is_refused() -> None:
    with pytest.raises(ArgumentValueError, match=r"'mla'.*apa, ap, chicago"):
        BBC.cite("mla")
    with pytest.raises(ArgumentError, match="style must be a str"):
        BBC.cite(5)  # type: ignore[arg-type]
    with pytest.raises(ArgumentError, match="Source records"):
        csl_json(["bbc-2003-03-21"])  # type: ignore[list-item]
    with pytest.raises(ArgumentError, match="Source records"):
        bibtex([BBC, 5])  # type: ignore[list-item]


# --------------------------------------------------------------------------- CSL-JSON


def _csl_schema() -> dict[str, Any]:
    path = Path(__file__).parent / "data" / "csl-data.json"
    return dict(json.loads(path.read_text(encoding="utf-8")))


def test_the_csl_json_of_every_source_is_valid_csl_data() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    items = csl_json(wr.sources())
    jsonschema.validate(items, _csl_schema())
    assert [item["id"] for item in items] == [s.id for s in wr.sources()]
    assert json.loads(json.dumps(items, ensure_ascii=False)) == items


def test_csl_json_fields_by_hand() -> None:
    assert BBC.to_csl() == {
        "id": "bbc-2003-03-21",
        "type": "article-newspaper",
        "title": "RAF Tornados join air strikes",
        "container-title": "BBC News",
        "issued": {"date-parts": [[2003, 3, 21]]},
        "URL": BBC_URL,
        "language": "en",
        "note": BBC.note,
    }
    copy = REUTERS_COPY.to_csl()
    assert copy["type"] == "article" and copy["author"] == [{"literal": "Reuters"}]
    assert copy["container-title"] == "The Business Standard (tbsnews.net)"
    assert source(published=PartialDate(2023, 7)).to_csl()["issued"] == {"date-parts": [[2023, 7]]}
    assert source(published=PartialDate(2003)).to_csl()["issued"] == {"date-parts": [[2003]]}
    bare = source().to_csl()
    assert bare == {
        "id": "made",
        "type": "article-newspaper",
        "container-title": "The Example Times",
        "language": "en",
    }
    daily_mail = CATALOGUE.source("dailymail-2023-08-01").to_csl()
    assert daily_mail["URL"] == CATALOGUE.source("dailymail-2023-08-01").mirror
    assert daily_mail["note"].startswith("Original address not found")


def test_every_kind_of_source_has_a_csl_type() -> None:
    expected = {
        "news": "article-newspaper",
        "state media": "article-newspaper",
        "trade press": "article-magazine",
        "official": "webpage",
        "reference": "webpage",
        "aggregator": "webpage",
    }
    for kind in SOURCE_KINDS:
        if kind == "mirror":
            continue
        assert source(kind=kind).to_csl()["type"] == expected[kind]
    assert set(expected) | {"mirror"} == set(SOURCE_KINDS)


# --------------------------------------------------------------------------- BibTeX


def test_bibtex_escapes_tex_by_hand() -> None:
    odd = source(
        publisher="Talk Business & Politics",
        title="R&D: 50% of $5 #1 costs_up {x} ~ ^ \\ Путин",
        url="https://example.com/a?b=1%20&c_d#e",
        published=PartialDate(2023, 7),
        language="ru",
    )
    assert odd.to_bibtex() == (
        "@online{made,\n"
        "  author = {{Talk Business \\& Politics}},\n"
        "  title = {{R\\&D: 50\\% of \\$5 \\#1 costs\\_up \\{x\\} \\textasciitilde{} "
        "\\textasciicircum{} \\textbackslash{} Путин}},\n"
        "  date = {2023-07},\n"
        "  url = {https://example.com/a?b=1%20&c_d#e},\n"
        "  language = {Russian},\n"
        "}"
    )
    ligatures = source(title="''Ready'' -- 15--84 km --- ?`x")
    assert "title = {{'{}'Ready'{}' -{}- 15-{}-84 km -{}-{}- ?{}`x}}" in ligatures.to_bibtex()
    copy = Source.of_outlet(AFP, SPACEWAR, id="copy", language="en", url="https://e.com/{x}")
    assert copy.to_bibtex() == (
        "@online{copy,\n"
        "  author = {{AFP}},\n"
        "  organization = {SpaceWar.com},\n"
        "  url = {https://e.com/%7Bx%7D},\n"
        "}"
    )


def test_the_bibtex_of_every_source_round_trips_through_pybtex() -> None:
    database = pytest.importorskip("pybtex.database")
    latex2text = pytest.importorskip("pylatexenc.latex2text")
    decode = latex2text.LatexNodes2Text().latex_to_text
    parsed = database.parse_string(bibtex(wr.sources()), "bibtex")
    assert list(parsed.entries) == [s.id for s in wr.sources()]
    for each in wr.sources():
        entry = parsed.entries[each.id]
        assert entry.type == "online"
        (author,) = entry.persons["author"]
        assert decode(str(author)) == (each.copies or each.publisher)  # one corporate name
        if each.title is not None:
            assert decode(entry.fields["title"]) == each.title
        else:
            assert "title" not in entry.fields
        assert entry.fields.get("date") == (each.published and each.published.isoformat())
        assert entry.fields.get("url") == (each.url or each.mirror)
        if each.copies is not None:
            assert decode(entry.fields["organization"]) == each.publisher


def test_the_bibtex_parses_in_bibtexparser_too() -> None:
    bibtexparser = pytest.importorskip("bibtexparser")
    if not hasattr(bibtexparser, "parse_string"):
        pytest.skip("bibtexparser 2 is needed")
    library = bibtexparser.parse_string(bibtex(wr.sources()))
    assert not library.failed_blocks
    assert [entry.key for entry in library.entries] == [s.id for s in wr.sources()]
    bbc = library.entries_dict["bbc-2003-03-21"]
    assert bbc.fields_dict["title"].value == "{RAF Tornados join air strikes}"
    assert bbc.fields_dict["date"].value == "2003-03-21"


# --------------------------------------------------------------------------- command line


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        status = main(list(argv))
    except SystemExit as exit_:  # argparse's own exits (bad arguments)
        status = int(exit_.code or 0)
    out, err = capsys.readouterr()
    return status, out, err


def test_sources_prints_each_style_and_the_bibliography_formats(
    capsys: pytest.CaptureFixture[str],
) -> None:
    bober = wr.lookup("bober").sources
    for style in CITATION_STYLES:
        status, out, err = run(capsys, "sources", "--system", "bober", "--style", style)
        assert status == 0 and err == ""
        assert out.splitlines() == [s.cite(style) for s in bober]
    status, out, _ = run(capsys, "sources", "-s", "bober", "-f", "csl-json")
    assert status == 0 and json.loads(out) == csl_json(bober)
    status, out, _ = run(capsys, "sources", "-s", "bober", "-f", "bibtex")
    assert status == 0 and out == bibtex(bober)
    status, out, _ = run(capsys, "sources", "-s", "bober", "-f", "json", "--style", "chicago")
    assert [row["citation"] for row in json.loads(out)] == [s.cite("chicago") for s in bober]


def test_sources_refuses_an_unknown_style_or_format(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "sources", "--style", "mla")
    assert status == 2 and out == "" and "apa" in err and "chicago" in err
    status, out, err = run(capsys, "sources", "--format", "ris")
    assert status == 2 and out == "" and "csl-json" in err and "bibtex" in err
