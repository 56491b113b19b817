"""What is generated from the records' one declaration of their fields: the catalogue's JSON
Schema, the Frictionless Table Schemas of the CSV tables, and the docs' table of keys.

The shipped files are this module's output, and tests check that they are current:
``weaponsref/data/catalogue.schema.json`` (:func:`schema_text`), the table of keys in
``docs/guide/catalogues.md`` (:func:`key_table`) and ``weaponsref/data/catalogue.parsed.json``
(the built-in TOML files parsed, see :mod:`weaponsref._catalogue_file`). Write them again
after changing a field or the data with::

    python -m weaponsref._schema --write --docs docs/guide/catalogues.md

>>> from weaponsref.records import Claim
>>> [field["name"] for field in table_schema(Claim)["fields"]][:5]
['system', 'system_name', 'figure', 'value', 'unit']
"""

from __future__ import annotations

import argparse
import copy
import json
import re
from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from typing import Any, Final

from weaponsref._catalogue_file import BUILTIN, DOCUMENT, PARSED, parsed_text
from weaponsref._fields import CHOICE, LISTS, SOURCE, TABLES, Column, columns, owner_columns
from weaponsref._vocab import OPERATOR_EVENTS
from weaponsref.records import Claim, Event, Outlet, Source, System

__all__ = ["RECORDS", "json_schema", "key_table", "schema_text", "table_schema"]

#: Each record's name in the JSON Schema's ``$defs``, its TOML table and its CSV table.
RECORDS: Final[tuple[tuple[type, str, str], ...]] = (
    (Outlet, "outlets", "outlets"),
    (Source, "sources", "sources"),
    (System, "systems", "systems"),
    (Claim, "systems.claims", "claims"),
    (Event, "systems.events", "events"),
)

_DESCRIPTION: Final = (
    "A weaponsref catalogue file (TOML): outlets, sources, and systems with their sourced "
    "claims and events. Editors that read JSON Schema for TOML (Taplo, Even Better TOML) check a file as "
    "it is typed with a first line `#:schema ./catalogue.schema.json`."
)


def _def_name(record: type) -> str:
    return record.__name__.lower()


def _property(column: Column) -> dict[str, Any]:
    if column.kind is CHOICE:
        found: dict[str, Any] = {"enum": list(column.choices)}
    elif column.kind is TABLES:
        assert column.table is not None
        found = {"type": "array", "items": {"$ref": f"#/$defs/{_def_name(column.table)}"}}
    else:
        found = copy.deepcopy(dict(column.kind.schema))
    found["description"] = column.about
    return found


#: The rules across fields that the records check in ``__attrs_post_init__``, as JSON Schema.
_RULES: Final[dict[type, dict[str, Any]]] = {
    Source: {
        "allOf": [
            {
                # An outlet gives the publisher, the kind and what a mirror copies.
                "if": {"required": ["outlet"]},
                "then": {
                    "not": {
                        "anyOf": [
                            {"required": ["publisher"]},
                            {"required": ["kind"]},
                            {"required": ["copies"]},
                        ]
                    }
                },
                "else": {"required": ["publisher", "kind"], "not": {"required": ["via"]}},
            },
            {
                "if": {"required": ["kind"], "properties": {"kind": {"const": "mirror"}}},
                "then": {"required": ["copies"]},
                "else": {"not": {"required": ["copies"]}},
            },
        ]
    },
    Claim: {
        "allOf": [
            {
                "if": {"properties": {"qualifier": {"const": "band"}}},
                "then": {"required": ["low"]},
                "else": {"not": {"required": ["low"]}},
            },
            {
                # The outlet's own figure is the default; anyone else must be named.
                "if": {
                    "required": ["attribution"],
                    "properties": {"attribution": {"not": {"const": "outlet"}}},
                },
                "then": {"required": ["attributed_to"]},
            },
        ]
    },
    Event: {
        "if": {"properties": {"kind": {"enum": list(OPERATOR_EVENTS)}}},
        "then": {"required": ["operator"]},
    },
}

#: A system's claims: at least one, and a range with no variant among them.
_HEADLINE: Final[dict[str, Any]] = {
    "minItems": 1,
    "contains": {
        "type": "object",
        "properties": {"figure": {"const": "range"}},
        "required": ["figure"],
        "not": {"required": ["variant"]},
    },
}


def _record_schema(record: type) -> dict[str, Any]:
    read = [c for c in columns(record) if c.read]
    properties = {c.name: _property(c) for c in read}
    if record is System:
        properties["claims"].update(_HEADLINE)
    schema: dict[str, Any] = {
        "type": "object",
        "additionalProperties": False,
        "required": [c.name for c in read if c.required],
        "properties": properties,
    }
    schema.update(copy.deepcopy(_RULES.get(record, {})))
    return schema


def json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a catalogue file, from the records' declaration."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://weaponsref.readthedocs.io/schema/catalogue.schema.json",
        "title": "weaponsref catalogue",
        "description": _DESCRIPTION,
        "type": "object",
        "additionalProperties": False,
        "properties": {c.name: _property(c) for c in DOCUMENT},
        "$defs": {_def_name(record): _record_schema(record) for record, _, _ in RECORDS},
    }


def schema_text() -> str:
    """:func:`json_schema` as the text of ``weaponsref/data/catalogue.schema.json``."""
    return json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n"


def _described(column: Column, csv: bool = False) -> str:
    about = column.about
    if column.kind is CHOICE:
        about += "; one of " + ", ".join(column.choices)
    if csv and column.kind in LISTS:
        about += ", separated by '|'"
    return about


def table_schema(record: type) -> dict[str, Any]:
    """The Frictionless Table Schema of the CSV table of ``record``: its columns with their
    types and meanings, its primary key, and its foreign keys (the owning system's id, and
    every source id) into the ``systems`` and ``sources`` tables."""
    owner = owner_columns(record)
    own = [c for c in columns(record) if c.in_csv]
    schema: dict[str, Any] = {
        "fields": [
            {"name": c.name, "type": c.kind.frictionless, "description": _described(c, True)}
            for c in (*owner, *own)
        ],
        "missingValues": [""],
    }
    if not owner and any(c.name == "id" for c in own):
        schema["primaryKey"] = ["id"]
    foreign = [(c.name, "systems") for c in owner if c.name == "system"]
    foreign += [(c.name, "sources") for c in own if c.kind is SOURCE]
    if foreign:
        schema["foreignKeys"] = [
            {"fields": name, "reference": {"resource": table, "fields": "id"}}
            for name, table in foreign
        ]
    return schema


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def key_table() -> str:
    """The docs' table of a catalogue file's keys, one row a key: its table, whether it is
    required and what it means (Markdown)."""
    lines = ["| table | key | required | what |", "|---|---|---|---|"]
    for record, table, _ in RECORDS:
        shown = f"`{table}`"
        for column in columns(record):
            if not column.read:
                continue
            required = "yes" if column.required else column.required_when or "no"
            lines.append(
                f"| {shown} | `{column.name}` | {required} | {_cell(_described(column))} |"
            )
            shown = ""
    return "\n".join(lines) + "\n"


#: The comments around the generated table in the docs.
BEGIN: Final = "<!-- the keys: generated by `python -m weaponsref._schema --docs FILE` -->"
END: Final = "<!-- end of the generated keys -->"


def with_key_table(page: str) -> str:
    """``page`` (Markdown) with the text between :data:`BEGIN` and :data:`END` replaced by
    the current :func:`key_table`."""
    pattern = re.compile(re.escape(BEGIN) + r"\n.*?" + re.escape(END), re.DOTALL)
    if not pattern.search(page):
        raise ValueError(f"the page has no {BEGIN!r} ... {END!r} block")
    return pattern.sub(lambda _: f"{BEGIN}\n{key_table()}{END}", page)


def main(argv: Sequence[str] | None = None) -> int:
    """Print the JSON Schema, or write the generated files (see the module's docstring)."""
    parser = argparse.ArgumentParser(prog="python -m weaponsref._schema", description=__doc__)
    parser.add_argument(
        "--write", action="store_true", help="write the schema and the parsed data files"
    )
    parser.add_argument("--docs", type=Path, help="a Markdown page whose key table to update")
    args = parser.parse_args(argv)
    if not args.write and args.docs is None:
        print(schema_text(), end="")
        return 0
    if args.write:
        folder = Path(str(resources.files("weaponsref") / "data"))
        (folder / "catalogue.schema.json").write_text(schema_text(), encoding="utf-8")
        texts = {name: (folder / name).read_text(encoding="utf-8") for name in BUILTIN}
        (folder / PARSED).write_text(parsed_text(texts), encoding="utf-8")
    if args.docs is not None:
        page = args.docs.read_text(encoding="utf-8")
        args.docs.write_text(with_key_table(page), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
