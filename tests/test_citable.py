"""Issue: citable verdicts, a printable bibliography, and data a newsroom and a notebook take."""

from __future__ import annotations

import csv
import datetime
import json
import re
import tomllib
from pathlib import Path
from typing import Any

import pytest
from helpers import NOTES_SOURCE, load_text, north_of, schema_validator, toml_text

import weaponsref as wr
from weaponsref import _catalogue_file, _schema
from weaponsref._fields import columns, header, owner_columns
from weaponsref.catalogue import CLAIM_COLUMNS, DATA_DATE, DATA_VERSION, claim_records
from weaponsref.export import TABLES, export_catalogue
from weaponsref.tables import claim_rows, event_rows

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "weaponsref" / "data"

MINE = f"""{NOTES_SOURCE}
[[systems]]
id = "lower"
name = "Lower Bound"
category = "example"
origin = "Nowhere"
description = "A made-up system."
[[systems.claims]]
figure = "range"
value = "300 km"
qualifier = "more than"
source = "notes"
quote = "more than 300 km"

[[systems]]
id = "upper"
name = "Upper Bound"
category = "example"
origin = "Nowhere"
description = "A made-up system."
[[systems.claims]]
figure = "range"
value = "300 km"
qualifier = "up to"
source = "notes"
quote = "up to 300 km"

[[systems]]
id = "plain"
name = "Plain Figure"
category = "example"
origin = "Nowhere"
description = "A made-up system."
[[systems.claims]]
figure = "range"
value = "1,000 km"
qualifier = "about"
source = "notes"
quote = "about 1,000 km"
"""


@pytest.fixture(scope="module")
def mine(tmp_path_factory: pytest.TempPathFactory) -> wr.Catalogue:
    return load_text(tmp_path_factory.mktemp("citable"), MINE, builtin=False)


def _target(km: float) -> tuple[float, float]:
    """A point ``km`` kilometres due north of (0, 0)."""
    return north_of(0.0, 0.0, km)


# --------------------------------------------------------------------------- verdicts


@pytest.mark.parametrize(
    ("system", "km", "status"),
    [
        ("Lower Bound", 400, "not established"),
        ("Lower Bound", 200, "reaches"),
        ("Upper Bound", 400, "does not reach"),
        ("Upper Bound", 200, "reaches"),
        ("Plain Figure", 1200, "does not reach"),
        ("Plain Figure", 990, "reaches"),
    ],
)
def test_a_verdict_follows_the_qualifier(
    mine: wr.Catalogue, system: str, km: float, status: str
) -> None:
    reach = wr.reaches(system, (0.0, 0.0), _target(km), catalogue=mine)
    assert reach.status == status
    assert bool(reach) is (status == "reaches")
    assert status in str(reach) or (status == "reaches" and " reaches " in str(reach))


def test_a_margin_inside_the_figures_rounding_is_flagged_close(mine: wr.Catalogue) -> None:
    # "about 1,000 km" is rounded to the thousand: +-500 km. 990 km is inside it.
    near = wr.reaches("Plain Figure", (0.0, 0.0), _target(990), catalogue=mine)
    assert near.close and near.rounding_m == pytest.approx(500_000)
    assert "close" in str(near)
    # A bound is rounded as its source wrote it too: "up to 300 km" is given to +-50 km.
    bound = wr.reaches("Upper Bound", (0.0, 0.0), _target(290), catalogue=mine)
    assert bound.close and bound.rounding_m == pytest.approx(50_000)
    assert not wr.reaches("Upper Bound", (0.0, 0.0), _target(200), catalogue=mine).close


def test_the_status_shows_in_tables_and_rows(mine: wr.Catalogue) -> None:
    rows = wr.reach_table((0.0, 0.0), _target(400), catalogue=mine)
    text = wr.table(rows, fmt="plain")
    assert "not established" in text and "does not reach" in text
    data = wr.tables.reach_rows(rows)
    assert [row["status"] for row in data] == ["not established", "does not reach", "reaches"]


def test_one_sources_figure_can_be_asked_for() -> None:
    reach = wr.reaches("Bober", "Kyiv", "Moscow", source="dailymail-2023-08-01")
    assert reach.claim.source.id == "dailymail-2023-08-01"
    with pytest.raises(wr.ArgumentValueError, match="its range sources are"):
        wr.reaches("Bober", "Kyiv", "Moscow", source="pravda-uj22")
    with pytest.raises(wr.UnknownSourceError):
        wr.reach_table("Kyiv", "Moscow", source="no-such-source")


# --------------------------------------------------------------------------- bibliography


@pytest.mark.parametrize("source", wr.sources(), ids=lambda s: s.id)
def test_every_source_is_complete_or_says_why(source: wr.Source) -> None:
    assert source.kind in wr.records.SOURCE_KINDS
    assert source.publisher and source.language
    missing = [f for f in ("title", "published", "url") if getattr(source, f) is None]
    if missing:
        assert source.note, f"{source.id} lacks {missing} and its note does not say why"
    if source.kind == "mirror":
        assert source.copies and source.note


@pytest.mark.parametrize("system", wr.systems(), ids=lambda s: s.id)
def test_no_figure_rests_on_a_copy_alone_unless_noted(system: wr.System) -> None:
    for claim in system.claims:
        group = system.claims_for(claim.figure, claim.variant)
        if all(c.source.kind == "mirror" for c in group):
            assert claim.note or claim.source.note


@pytest.mark.parametrize("system", wr.systems(), ids=lambda s: s.id)
def test_every_operator_is_backed_by_a_sourced_event(system: wr.System) -> None:
    for operator in system.operators:
        events = system.operator_events(operator)
        assert events and all(e.quote and e.source for e in events)
        assert "..." not in events[0].quote and "…" not in events[0].quote


@pytest.mark.parametrize("system", wr.systems(), ids=lambda s: s.id)
def test_most_ranges_have_two_independent_sources_or_say_so(system: wr.System) -> None:
    outlets = {c.source.cited_as for c in system.claims_for("range")}
    assert len(outlets) >= 2 or (system.note and "one source" in system.note)


def test_most_systems_name_a_sourced_operator() -> None:
    # Where no page naming an operator was found, the record says "not reported" rather than
    # list an unsourced one; most systems have one.
    # The eight without one are named, so that a new system without an operator still fails.
    without = {s.id for s in wr.systems() if not s.operators}
    named = {"kalibr", "lyutyi", "sapsan", "vilkha", "prsm", "er-gmlrs", "eram", "trembita"}
    assert without <= named
    assert len(without) <= len(wr.systems()) // 6
    for system_id in ("sapsan", "vilkha", "prsm", "er-gmlrs", "eram", "trembita"):
        assert "Operator: not reported" in (wr.lookup(system_id).note or "")


def test_a_source_renders_as_a_citation() -> None:
    source = wr.default_catalogue().source("bbc-2003-03-21")
    assert (
        str(source)
        == source.citation
        == (
            'BBC News. (2003, March 21). "RAF Tornados join air strikes". '
            "http://news.bbc.co.uk/2/hi/uk_news/2871525.stm"
        )
    )
    daily_mail = wr.default_catalogue().source("dailymail-2023-08-01")
    assert daily_mail.url is None and daily_mail.mirror is not None
    assert "Original address not found" in daily_mail.citation
    assert "original" in (daily_mail.note or "")


# --------------------------------------------------------------------------- as of a date


def test_the_catalogue_as_it_stood_on_a_day() -> None:
    then = wr.default_catalogue().as_of(datetime.date(2023, 6, 1))
    assert "Bober" not in then  # the Daily Mail article came out on 2023-08-01
    for system in then.systems():
        for claim in system.claims:
            assert claim.source.published is not None
            assert claim.source.published <= datetime.date(2023, 6, 1)
        group = system.claims_for("range", system.headline.variant)
        assert sum(c.preferred for c in group) == 1
    later = wr.default_catalogue().as_of("2023-08-01")
    assert "Bober" in later
    assert len(later) <= len(wr.systems())
    with pytest.raises(wr.ArgumentValueError, match="as_of needs a day written YYYY-MM-DD"):
        wr.default_catalogue().as_of("yesterday")


# --------------------------------------------------------------------------- data


def test_every_record_has_a_json_ready_dict() -> None:
    for system in wr.systems():
        data = json.loads(json.dumps(system.to_dict()))
        assert data["id"] == system.id
        assert data["range"]["value"]["unit"] == str(system.claim("range").value.units)
    for source in wr.sources():
        assert json.loads(json.dumps(source.to_dict()))["id"] == source.id


def test_claims_frame_has_one_row_per_claim() -> None:
    frame = wr.claims_frame()
    assert len(frame) == sum(len(s.claims) for s in wr.systems())
    assert list(frame.columns) == list(CLAIM_COLUMNS)
    bober = frame[(frame.system == "bober") & (frame.source == "dailymail-2023-08-01")]
    assert bober.iloc[0]["value_si"] == pytest.approx(621 * 1609.344)  # by hand
    himars = frame[
        (frame.system == "himars")
        & frame.preferred
        & (frame.figure == "range")
        & frame.variant.isna()
    ]
    assert himars.iloc[0]["value_si"] == pytest.approx(43 * 1609.344)  # by hand


def test_the_export_is_a_valid_frictionless_package(tmp_path: Path) -> None:
    from frictionless import validate

    written = export_catalogue(tmp_path / "out")
    assert {p.name for p in written} == {
        "systems.csv",
        "claims.csv",
        "events.csv",
        "sources.csv",
        "datapackage.json",
        "catalogue.json",
    }
    report = validate(str(tmp_path / "out" / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    package = json.loads((tmp_path / "out" / "datapackage.json").read_text())
    assert package["version"] == DATA_VERSION
    with pytest.raises(wr.ArgumentValueError, match="is a file"):
        export_catalogue(written[0])


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


@pytest.mark.parametrize(
    "path",
    [
        DATA / "sources.toml",
        DATA / "systems.toml",
        ROOT / "docs" / "examples" / "my-catalogue.toml",
    ],
    ids=lambda p: p.name,
)
def test_the_json_schema_accepts_the_data_and_the_example(path: Path) -> None:
    document = _plain(tomllib.loads(path.read_text(encoding="utf-8")))
    errors = [f"{list(e.path)}: {e.message}" for e in schema_validator().iter_errors(document)]
    assert errors == []


def test_the_json_schema_refuses_what_the_loader_refuses() -> None:
    bad = {"systems": [{"id": "x", "name": "X", "category": "c", "origin": "o",
                        "description": "d", "claims": [{"figure": "warhead", "value": "5 kg",
                        "qualifier": "up to", "source": "s", "quote": "q"}]}]}  # fmt: skip
    assert list(schema_validator().iter_errors(bad))


def test_the_schema_lists_the_records_vocabularies() -> None:
    schema = json.loads((DATA / "catalogue.schema.json").read_text(encoding="utf-8"))
    defs = schema["$defs"]
    assert defs["claim"]["properties"]["figure"]["enum"] == list(wr.FIGURES)
    assert defs["claim"]["properties"]["qualifier"]["enum"] == list(wr.QUALIFIERS)
    assert defs["source"]["properties"]["kind"]["enum"] == list(wr.records.SOURCE_KINDS)
    assert defs["event"]["properties"]["kind"]["enum"] == list(wr.records.EVENT_KINDS)


def test_the_example_loads_as_a_user_catalogue() -> None:
    mine = wr.load_catalogue(ROOT / "docs" / "examples" / "my-catalogue.toml")
    assert mine.lookup("ED-1").wikidata == "Q123456"
    assert mine.lookup("ED-1").operators == ("Nowhere",)


def test_the_data_has_its_own_dated_version_and_changelog() -> None:
    assert re.fullmatch(r"\d{4}\.\d{1,2}\.\d+", DATA_VERSION)
    changelog = (DATA / "CHANGELOG.md").read_text(encoding="utf-8")
    first = re.search(r"^## (\S+) \((\d{4}-\d{2}-\d{2})\)", changelog, re.MULTILINE)
    assert first is not None
    assert (first.group(1), first.group(2)) == (DATA_VERSION, DATA_DATE.isoformat())
    assert wr.DATA_VERSION == DATA_VERSION != wr.__version__


def test_citation_cff_names_the_package() -> None:
    text = (ROOT / "CITATION.cff").read_text(encoding="utf-8")
    assert text.startswith("cff-version: 1.2.0")
    assert re.search(r"^title: .*weaponsref", text, re.MULTILINE)
    assert re.search(r"^license: MIT$", text, re.MULTILINE)


def test_a_verdict_is_json_ready_data() -> None:
    reach = wr.reaches("Storm Shadow", "Zaporizhzhia", "Sevastopol")
    data = json.loads(json.dumps(reach.to_dict()))
    assert data["status"] == "not established"
    assert data["claim"]["qualifier"] == "more than"
    assert data["distance"]["value"] == pytest.approx(reach.distance_m / 1000)
    assert data["origin"]["lat"] == pytest.approx(reach.origin.lat)
    assert reach.row()["status"] == data["status"]


def test_conflicts_are_found_when_the_catalogue_loads() -> None:
    # Checked when the record is made: a user catalogue with a contradiction shows it at once.
    source = wr.default_catalogue().source("dailymail-2023-08-01")
    system = wr.System(
        "x", "X", "example", "Nowhere", "made up",
        claims=(
            wr.Claim("range", "100 km", "up to", source, "q"),
            wr.Claim("cruise_altitude", "20000 ft", "stated", source, "q"),
            wr.Claim("ceiling", "6000 m", "up to", source, "q"),
        ),
    )  # fmt: skip
    assert len(system.conflicts) == 1 and "above the ceiling" in system.conflicts[0]


# --------------------------------------------------------------------------- one schema


def test_the_shipped_schema_is_what_the_declaration_generates() -> None:
    shipped = (DATA / "catalogue.schema.json").read_text(encoding="utf-8")
    assert shipped == _schema.schema_text(), "run: python -m weaponsref._schema --write"


def test_the_docs_table_of_keys_is_current() -> None:
    page = (ROOT / "docs" / "guide" / "catalogues.md").read_text(encoding="utf-8")
    assert f"{_schema.BEGIN}\n{_schema.key_table()}{_schema.END}" in page, (
        "run: python -m weaponsref._schema --docs docs/guide/catalogues.md"
    )
    assert _schema.with_key_table(page) == page
    # Every key a file may give has its row, and nothing else does.
    rows = re.findall(r"^\| (`[a-z.]+`)? \| `(\w+)` \|", _schema.key_table(), re.MULTILINE)
    keys = [key for _, key in rows]
    expected = [c.name for record, _, _ in _schema.RECORDS for c in columns(record) if c.read]
    assert keys == expected


def test_the_parsed_copy_of_the_builtin_files_is_current() -> None:
    texts = {name: (DATA / name).read_text(encoding="utf-8") for name in _catalogue_file.BUILTIN}
    shipped = (DATA / _catalogue_file.PARSED).read_text(encoding="utf-8")
    assert shipped == _catalogue_file.parsed_text(texts), (
        "run: python -m weaponsref._schema --write"
    )
    documents = _catalogue_file.parsed_documents(texts, shipped)
    assert documents == {name: tomllib.loads(text) for name, text in texts.items()}
    # A file whose text changed is not read from the copy, so it is parsed again.
    edited = {**texts, "systems.toml": texts["systems.toml"] + "\n# edited\n"}
    assert set(_catalogue_file.parsed_documents(edited, shipped)) == {
        "outlets.toml",
        "sources.toml",
    }
    assert _catalogue_file.parsed_documents(texts, "not json") == {}
    assert _catalogue_file.parsed_documents(texts, None) == {}


def _declared(record: type, output: str) -> list[str]:
    return [c.name for c in columns(record) if getattr(c, output)]


@pytest.mark.parametrize(
    "record", [wr.Source, wr.System, wr.Claim, wr.Event], ids=lambda r: r.__name__
)
def test_every_output_has_the_declared_keys(record: type, tmp_path: Path) -> None:
    system = wr.lookup("HIMARS")
    sample = {
        wr.Source: system.claim("range").source,
        wr.System: system,
        wr.Claim: system.claim("range"),
        wr.Event: system.events[0],
    }[record]
    assert list(sample.to_dict()) == _declared(record, "in_dict")
    owner = [c.name for c in owner_columns(record)]
    assert list(header(record)) == owner + _declared(record, "in_csv")
    # The JSON Schema's properties are the keys a file gives; its required ones, the fields
    # with no default.
    definition = _schema.json_schema()["$defs"][record.__name__.lower()]
    assert list(definition["properties"]) == _declared(record, "read")
    assert definition["required"] == [c.name for c in columns(record) if c.read and c.required]
    # The CSV file's header and the Frictionless fields are the declared columns.
    export_catalogue(tmp_path)
    name = next(table for table, kind in TABLES if kind is record)
    with (tmp_path / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
        assert next(csv.reader(handle)) == list(header(record))
    package = json.loads((tmp_path / "datapackage.json").read_text(encoding="utf-8"))
    resource = next(r for r in package["resources"] if r["name"] == name)
    assert [f["name"] for f in resource["schema"]["fields"]] == list(header(record))


def test_claim_rows_are_one_shape() -> None:
    himars = wr.lookup("HIMARS")
    assert list(claim_records([himars])[0]) == list(CLAIM_COLUMNS) == list(header(wr.Claim))
    assert list(event_rows(himars)[0]) == list(header(wr.Event))
    assert list(claim_rows(himars)[0]) == [*CLAIM_COLUMNS, "value_in_unit"]
    assert [row["value_in_unit"] for row in claim_rows(himars, "km")][:1] == ["80.5 km"]


def test_a_row_names_what_it_refers_to_by_id() -> None:
    # "source" is the source's id in every claim and event row and dict; what is shown of the
    # source for people is under source_cited_as, source_kind, source_published, source_url.
    for system in wr.systems():
        for record, row in [
            *((c, r) for c, r in zip(system.claims, claim_rows(system), strict=True)),
            *((e, r) for e, r in zip(system.events, event_rows(system), strict=True)),
        ]:
            source = record.source
            for data in (row, record.to_dict()):
                assert data["source"] == source.id
                assert data["source_cited_as"] == source.cited_as
                assert data["source_kind"] == source.kind
                assert data["source_published"] == (
                    source.published.isoformat() if source.published else None
                )
                assert data["source_url"] == source.url
            assert (row["system"], row["system_name"]) == (system.id, system.name)
        systems_row = _fields_row(system, None)
        assert systems_row["range_source"] == system.claim("range").source.id
        assert system.to_dict()["range"]["source"] == system.claim("range").source.id


def _fields_row(record: Any, owner: Any) -> dict[str, Any]:
    from weaponsref._fields import as_row

    return as_row(record, owner)


def test_the_schema_and_the_loader_agree_on_broken_entries() -> None:
    # Each entry breaks one rule of the declaration; the loader and the JSON Schema both
    # refuse it.
    source = {"id": "s", "publisher": "P", "kind": "news", "language": "en"}
    claim = {"figure": "range", "value": "5 km", "qualifier": "up to", "source": "s", "quote": "q"}
    system = {"id": "x", "name": "X", "category": "c", "origin": "o", "description": "d"}
    broken = [
        {"sources": [{**source, "language": "English"}]},
        {"sources": [{**source, "kind": "mirror"}]},
        {"sources": [{**source, "url": "ftp://x"}]},
        {"sources": [{**source, "colour": "red"}]},
        {"sources": [source], "systems": [{**system, "claims": [{**claim, "low": "1 km"}]}]},
        {"sources": [source], "systems": [{**system, "claims": [{**claim, "value": "5"}]}]},
        {"sources": [source], "systems": [{**system, "claims": [{**claim, "variant": "v"}]}]},
        {"sources": [source], "systems": [{**system, "claims": [claim], "wikidata": "X1"}]},
        {"sources": [source], "systems": [{**system, "claims": [claim], "operators": ["U"]}]},
        {
            "sources": [source],
            "systems": [
                {
                    **system,
                    "claims": [claim],
                    "events": [{"kind": "delivered", "when": "2023", "source": "s", "quote": "q"}],
                }
            ],
        },
    ]
    validator = schema_validator()
    for document in broken:
        assert list(validator.iter_errors(document)), document
        with pytest.raises(wr.CatalogueError):
            _catalogue_file.parse("broken.toml", toml_text(document), {})
    good = {"sources": [source], "systems": [{**system, "claims": [claim]}]}
    assert not list(validator.iter_errors(good))
    assert _catalogue_file.parse("good.toml", toml_text(good), {})[1][0].id == "x"
