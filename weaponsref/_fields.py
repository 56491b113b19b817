"""One declaration of every record's fields, and everything derived from it.

Each field of a record (:mod:`weaponsref.records`) is declared once, with :func:`field`: its
kind, what it means, and whether it goes into ``to_dict()`` and the CSV tables. Its TOML key
and its CSV column are its name, and it is required where it has no default. Each record
also takes the columns it works out rather than reads (``_derived``: a source's citation, a
claim's value in SI units), and a claim or an event the columns of the system it belongs to
(``_owner``), from :mod:`weaponsref._columns`.

From that one declaration come the records' validation (:func:`check`), their ``to_dict()``
(:func:`as_dict`), their rows in the CSV tables and DataFrames (:func:`as_row`,
:func:`header`), and, in :mod:`weaponsref._schema` and :mod:`weaponsref._catalogue_file`, the
catalogue's JSON Schema, the Frictionless descriptor, the docs' table of keys and the TOML
reader's checks.

A row names a record it refers to by its id, under the record's name: ``source`` is the id of
the source, ``system`` the id of the system. What is shown of the source for people is under
``source_`` names: ``source_cited_as``, ``source_kind``, ``source_published``, ``source_url``.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Callable, Iterable, Mapping
from functools import cache
from types import MappingProxyType
from typing import Any, Final, NamedTuple

import attrs

from weaponsref import _units, _vocab
from weaponsref._text import shorten
from weaponsref.errors import ArgumentError, ArgumentValueError, RecordError, WeaponsrefError

__all__ = [
    "Column",
    "Kind",
    "PartialDate",
    "Unreadable",
    "as_dict",
    "as_row",
    "check",
    "columns",
    "day_argument",
    "derived",
    "fail",
    "field",
    "header",
    "owner_columns",
    "read_columns",
]

#: The key of a field's :class:`Column` in its attrs metadata.
KEY: Final = "weaponsref"


class Kind:
    """What a field holds: its words in error messages, its JSON Schema and CSV type. Each
    kind is one object, compared by identity."""

    __slots__ = ("frictionless", "name", "schema", "toml")

    def __init__(self, name: str, toml: str, frictionless: str, schema: Mapping[str, Any]) -> None:
        #: The kind's name, e.g. ``"text"``.
        self.name = name
        #: What a catalogue file must give, in words: "a string", "true or false".
        self.toml = toml
        #: The Frictionless Data type of its CSV column.
        self.frictionless = frictionless
        #: The JSON Schema of its value in a catalogue file (a description is added per field).
        self.schema = schema

    def __repr__(self) -> str:
        return f"Kind({self.name!r})"


def _frozen(schema: dict[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType(schema)


_TEXT_SCHEMA: Final = {"type": "string", "minLength": 1, "pattern": "\\S"}
_ID_SCHEMA: Final = {"type": "string", "pattern": _vocab.ID_PATTERN}

TEXT: Final = Kind("text", "a string", "string", _frozen(_TEXT_SCHEMA))
ID: Final = Kind("id", "a string", "string", _frozen(_ID_SCHEMA))
#: A reference to a source, by its id.
SOURCE: Final = Kind("source", "a string", "string", _frozen(_ID_SCHEMA))
#: One word of a vocabulary (the column's ``choices``).
CHOICE: Final = Kind("choice", "a string", "string", _frozen({}))
LANGUAGE: Final = Kind(
    "language",
    "a string",
    "string",
    _frozen({"type": "string", "pattern": _vocab.LANGUAGE_PATTERN}),
)
URL: Final = Kind(
    "url", "a string", "string", _frozen({"type": "string", "pattern": _vocab.URL_PATTERN})
)
#: A publication date: a day (a TOML date), or a month or a year as text (``"2023-07"``).
DATE: Final = Kind(
    "date",
    "a TOML date such as 2023-08-01, or text '2023-08' or '2023' for a month or a year",
    "string",
    _frozen(
        {
            "anyOf": [
                {"type": "string", "format": "date"},
                {"type": "string", "pattern": _vocab.PUBLISHED_PATTERN},
            ]
        }
    ),
)
WHEN: Final = Kind(
    "when", "a string", "string", _frozen({"type": "string", "pattern": _vocab.WHEN_PATTERN})
)
WIKIDATA: Final = Kind(
    "wikidata",
    "a string",
    "string",
    _frozen({"type": "string", "pattern": _vocab.WIKIDATA_PATTERN}),
)
QUANTITY: Final = Kind(
    "quantity",
    "a string",
    "number",
    _frozen(
        {
            "type": "string",
            "minLength": 1,
            "maxLength": _units.MAX_TEXT,
            "pattern": _units.QUANTITY_PATTERN,
        }
    ),
)
BOOL: Final = Kind("bool", "true or false", "boolean", _frozen({"type": "boolean"}))
TEXTS: Final = Kind(
    "texts", "a list of strings", "string", _frozen({"type": "array", "items": _TEXT_SCHEMA})
)
IDS: Final = Kind(
    "ids", "a list of strings", "string", _frozen({"type": "array", "items": _ID_SCHEMA})
)
#: An array of tables of another record (the column's ``table``).
TABLES: Final = Kind("tables", "an array of tables", "string", _frozen({"type": "array"}))
#: A number worked out from the record (derived columns only).
NUMBER: Final = Kind("number", "a number", "number", _frozen({"type": "number"}))

#: The kinds whose values a CSV cell joins with ``|``.
LISTS: Final = frozenset({TEXTS, IDS})


class Column(NamedTuple):
    """One field or worked-out column of a record, as every output shows it."""

    #: The attribute, the TOML key, the ``to_dict()`` key and the CSV column.
    name: str
    kind: Kind
    #: What it means, for the docs, the JSON Schema and the Frictionless descriptor.
    about: str
    #: Whether a catalogue file gives it (False for a worked-out column).
    read: bool = True
    #: Whether a catalogue file must give it.
    required: bool = False
    #: When a catalogue file must give it though it is not always required, in words.
    required_when: str = ""
    #: The words a ``CHOICE`` may take.
    choices: tuple[str, ...] = ()
    #: The record class a ``TABLES`` column holds, or a ``SOURCE`` column refers to.
    table: type | None = None
    in_dict: bool = True
    in_csv: bool = True
    #: A worked-out column's value in ``to_dict()``, from the record (or from the owner).
    get: Callable[[Any], Any] | None = None
    #: Its CSV cell where that differs from its ``to_dict()`` value.
    cell: Callable[[Any], Any] | None = None
    #: The column a worked-out column follows in the outputs (None: at the end).
    after: str | None = None
    #: What the reader says when a catalogue file gives a worked-out column.
    hint: str = ""


class Unreadable:
    """What a quantity field's converter keeps of a value it could not read, so that the
    record's validation names the record, the field and the parser's own reason."""

    __slots__ = ("problem",)

    def __init__(self, problem: str) -> None:
        self.problem = problem

    def __repr__(self) -> str:
        return self.problem


class PartialDate(_dt.date):
    """A date known only to the month or the year, as a page shows it: ``PartialDate(2023, 7)``
    is July 2023, ``PartialDate(2023)`` the year.

    It is a :class:`datetime.date`, its period's first day, so it sorts and compares with
    dates; :attr:`precision` says how precise it is, :attr:`last_day` is the period's last
    day, and ``isoformat()`` and ``str()`` give it as written: ``'2023-07'``. It equals only a
    PartialDate of the same period, never a day.

    >>> import datetime as _dt
    >>> july = PartialDate(2023, 7)
    >>> str(july), july.precision, july.last_day.isoformat(), july < _dt.date(2023, 7, 2)
    ('2023-07', 'month', '2023-07-31', True)
    >>> july == _dt.date(2023, 7, 1)
    False
    """

    __slots__ = ("_month_known",)

    _month_known: bool

    def __new__(cls, year: int, month: int | None = None, day: int | None = None) -> Any:
        if day is not None:  # date arithmetic makes a new day, which is known to the day
            return _dt.date(year, month or 1, day)
        made = super().__new__(cls, year, month or 1, 1)
        made._month_known = month is not None
        return made

    @classmethod
    def parse(cls, text: str) -> PartialDate | None:
        """The date ``'2023-07'`` or ``'2023'`` names, or None for other text."""
        match = _vocab.PUBLISHED.match(text)
        if match is None:
            return None
        year, month = match.groups()
        if month is not None and not 1 <= int(month) <= 12:
            return None
        made: PartialDate = cls(int(year), int(month) if month else None)
        return made

    @property
    def precision(self) -> str:
        """``'month'`` or ``'year'``."""
        return "month" if self._month_known else "year"

    @property
    def last_day(self) -> _dt.date:
        """The last day of the month or year."""
        if not self._month_known:
            return _dt.date(self.year, 12, 31)
        following = _dt.date(self.year + self.month // 12, self.month % 12 + 1, 1)
        return following - _dt.timedelta(days=1)

    def isoformat(self) -> str:
        return f"{self.year:04d}-{self.month:02d}" if self._month_known else f"{self.year:04d}"

    def __str__(self) -> str:
        return self.isoformat()

    def __repr__(self) -> str:
        return f"PartialDate({self.isoformat()!r})"

    def __eq__(self, other: object) -> bool:
        if isinstance(other, PartialDate):
            return self.isoformat() == other.isoformat()
        if isinstance(other, _dt.date):
            return False
        return NotImplemented

    def __ne__(self, other: object) -> bool:
        equal = self.__eq__(other)
        return equal if equal is NotImplemented else not equal

    def __hash__(self) -> int:
        return hash(("PartialDate", self.isoformat()))

    def __reduce__(self) -> tuple[Any, ...]:
        return (PartialDate, (self.year, self.month if self._month_known else None))


def last_day(day: _dt.date) -> _dt.date:
    """The last day a date may mean: a PartialDate's last day, else the day itself."""
    return day.last_day if isinstance(day, PartialDate) else day


_DAY: Final = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def day_argument(value: object, what: str, example: str = "2023-08-01") -> _dt.date:
    """A day given as an argument: a ``datetime.date``, a ``datetime.datetime`` (its day) or
    text written exactly ``YYYY-MM-DD``; the one reading of a day the catalogue's ``as_of``
    and an imported area's date share.

    >>> day_argument("2023-08-01", "as_of")
    datetime.date(2023, 8, 1)
    >>> day_argument("1 August", "as_of")
    Traceback (most recent call last):
    ...
    weaponsref.errors.ArgumentValueError: as_of needs a day written YYYY-MM-DD, such as '2023-08-01' (got '1 August')

    Raises :class:`~weaponsref.errors.ArgumentError` (a TypeError) for a value that is not a
    date or text, :class:`~weaponsref.errors.ArgumentValueError` (a ValueError) for text that
    is not such a day.
    """
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return _dt.date(value.year, value.month, value.day)
    if not isinstance(value, str):
        raise ArgumentError(
            f"{what} needs a date such as {example!r} or a datetime.date "
            f"(got {shorten(repr(value))} that is a {type(value).__name__})"
        )
    text = value.strip()
    if _DAY.fullmatch(text):
        try:
            return _dt.date.fromisoformat(text)
        except ValueError:
            pass
    raise ArgumentValueError(
        f"{what} needs a day written YYYY-MM-DD, such as {example!r} (got {shorten(repr(value))})"
    )


def _to_date(value: object) -> Any:
    if isinstance(value, str):
        partial = PartialDate.parse(value)
        if partial is not None:
            return partial
    return value  # the validator names a bad value


def _to_quantity(value: object) -> Any:
    if value is None:
        return None
    try:
        return _units.parse_quantity(value)
    except WeaponsrefError as error:  # a UnitError, or an ArgumentError for a wrong type
        return Unreadable(str(error))


def _to_tuple(value: object) -> Any:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, Iterable):
        return tuple(value)
    return value  # the validator names the bad value


#: How a field of each kind turns what it is given into what it holds.
_CONVERTERS: Final[Mapping[Kind, Callable[[Any], Any]]] = MappingProxyType(
    {
        QUANTITY: _to_quantity,
        TEXTS: _to_tuple,
        IDS: _to_tuple,
        TABLES: _to_tuple,
        DATE: _to_date,
    }
)


def field(
    kind: Kind,
    about: str,
    *,
    default: Any = attrs.NOTHING,
    eq: bool = True,
    choices: tuple[str, ...] = (),
    table: type | None = None,
    required_when: str = "",
    in_dict: bool = True,
    in_csv: bool = True,
    cell: Callable[[Any], Any] | None = None,
) -> Any:
    """An attrs field declared with its :class:`Column` (its name is filled in later). A
    quantity's text is read into a pint quantity, and a list into a tuple; what cannot be
    read is kept for the record's validation to name."""
    column = Column(
        "",
        kind,
        about,
        choices=choices,
        table=table,
        required_when=required_when,
        in_dict=in_dict,
        in_csv=in_csv,
        cell=cell,
    )
    return attrs.field(
        default=default, converter=_CONVERTERS.get(kind), eq=eq, metadata={KEY: column}
    )


def derived(
    name: str,
    kind: Kind,
    about: str,
    get: Callable[[Any], Any],
    *,
    cell: Callable[[Any], Any] | None = None,
    after: str | None = None,
    in_dict: bool = True,
    in_csv: bool = True,
    hint: str = "",
) -> Column:
    """A column a record works out from its fields rather than reads."""
    return Column(
        name,
        kind,
        about,
        read=False,
        get=get,
        cell=cell,
        after=after,
        in_dict=in_dict,
        in_csv=in_csv,
        hint=hint,
    )


@cache
def columns(cls: type) -> tuple[Column, ...]:
    """Every column of a record class in output order: its fields in attrs order, each
    worked-out column after the column it names."""
    found: list[Column] = []
    for attribute in attrs.fields(cls):
        column = attribute.metadata.get(KEY)
        if column is not None:
            # A field with required_when is required only then, though the record itself may
            # always need it (a source's publisher, which its outlet gives in a file).
            required = attribute.default is attrs.NOTHING and not column.required_when
            found.append(column._replace(name=attribute.name, required=required))
    for extra in cls.__dict__.get("_derived", ()):
        names = [c.name for c in found]
        found.insert(names.index(extra.after) + 1 if extra.after else len(found), extra)
    return tuple(found)


@cache
def read_columns(cls: type) -> tuple[Column, ...]:
    """The columns a catalogue file gives, in declared order."""
    return tuple(c for c in columns(cls) if c.read)


def owner_columns(cls: type) -> tuple[Column, ...]:
    """The columns a row of ``cls`` takes from the record it belongs to (a claim's system)."""
    owner: tuple[Column, ...] = cls.__dict__.get("_owner", ())
    return owner


@cache
def header(cls: type) -> tuple[str, ...]:
    """The CSV columns of a table of ``cls`` records: its owner's, then its own."""
    own = tuple(c.name for c in columns(cls) if c.in_csv)
    return tuple(c.name for c in owner_columns(cls)) + own


# --------------------------------------------------------------------------- outputs


def _quantity(value: Any) -> dict[str, Any] | None:
    if value is None:
        return None
    return {"value": value.magnitude, "unit": _units.unit_name(value)}


def _dict_value(column: Column, value: Any) -> Any:
    kind = column.kind
    if value is None:
        return None
    if kind is QUANTITY:
        return _quantity(value)
    if kind is DATE:
        return value.isoformat()
    if kind is SOURCE:
        return value.id
    if kind in LISTS:
        return list(value)
    if kind is TABLES:
        return [item.to_dict() for item in value]
    return value


def _cell_value(column: Column, value: Any) -> Any:
    kind = column.kind
    if value is None:
        return None
    if kind is QUANTITY:
        return value.magnitude
    if kind is DATE:
        return value.isoformat()
    if kind is SOURCE:
        return value.id
    if kind in LISTS:
        return "|".join(value)
    return value


def _class(record: object) -> type:
    return type(record)


def as_dict(record: Any) -> dict[str, Any]:
    """The record as JSON-ready data: every ``to_dict`` column, quantities as value and
    unit, dates as ISO text, records it refers to by id."""
    out: dict[str, Any] = {}
    for column in columns(_class(record)):
        if not column.in_dict:
            continue
        if column.get is not None:
            out[column.name] = column.get(record)
        else:
            out[column.name] = _dict_value(column, getattr(record, column.name))
    return out


def as_row(record: Any, owner: Any = None) -> dict[str, Any]:
    """The record as one row of its CSV table (see :func:`header`): JSON-ready cells,
    quantities as their magnitude, lists joined with ``|``, dates as ISO text, records it
    refers to by id, the owner's columns first."""
    out: dict[str, Any] = {}
    for column in owner_columns(_class(record)):
        assert column.get is not None
        out[column.name] = None if owner is None else column.get(owner)
    for column in columns(_class(record)):
        if not column.in_csv:
            continue
        if column.cell is not None:
            out[column.name] = column.cell(record)
        elif column.get is not None:
            out[column.name] = column.get(record)
        else:
            out[column.name] = _cell_value(column, getattr(record, column.name))
    return out


# --------------------------------------------------------------------------- validation


def fail(record: str, field: str, problem: str) -> RecordError:
    """The error for a bad field: ``Claim 'range'.value: <problem>``."""
    return RecordError(f"{record}.{field}: {problem}", field=field)


def _text(record: str, name: str, value: object) -> None:
    if not isinstance(value, str):
        raise fail(
            record, name, f"must be a string (got {value!r:.60} that is a {type(value).__name__})"
        )
    if not value.strip():
        raise fail(record, name, "must not be empty")


def _ident(record: str, name: str, value: object) -> None:
    _text(record, name, value)
    assert isinstance(value, str)
    if not _vocab.ID.match(value):
        raise fail(
            record,
            name,
            f"{value!r:.60} must be lower-case letters, digits, '.', '_' or '-', "
            "e.g. 'storm-shadow'",
        )


def _tuple_of(kind: type, record: str, name: str, values: object) -> tuple[Any, ...]:
    if not isinstance(values, tuple):
        raise fail(record, name, f"must be a tuple (got {values!r:.60})")
    for index, value in enumerate(values):
        if not isinstance(value, kind):
            raise fail(record, f"{name}[{index}]", f"must be a {kind.__name__} (got {value!r:.60})")
    return values


def _check_when(record: str, name: str, value: object) -> None:
    match = _vocab.WHEN.match(value) if isinstance(value, str) else None
    if match is None:
        raise fail(record, name, f"{value!r:.60} must be 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD'")
    year, month, day = match.groups()
    try:
        _dt.date(int(year), int(month or 1), int(day or 1))
    except ValueError as error:
        raise fail(record, name, f"{value!r} is not a calendar date ({error})") from None


def _check_text(record: str, column: Column, value: object) -> None:
    _text(record, column.name, value)


def _check_language(record: str, column: Column, value: object) -> None:
    _text(record, column.name, value)
    assert isinstance(value, str)
    if not _vocab.LANGUAGE_CODE.match(value):
        raise fail(
            record, column.name, f"{value!r:.40} is not an ISO 639 code such as 'en' or 'uk'"
        )


def _check_url(record: str, column: Column, value: object) -> None:
    _text(record, column.name, value)
    assert isinstance(value, str)
    if not value.startswith(("http://", "https://")):
        raise fail(record, column.name, f"{value!r:.60} must start with http:// or https://")


def _check_id(record: str, column: Column, value: object) -> None:
    _ident(record, column.name, value)


def _check_choice(record: str, column: Column, value: object) -> None:
    if value not in column.choices:
        listed = ", ".join(repr(c) for c in column.choices)
        raise fail(record, column.name, f"{value!r:.60} is not one of {listed}")


def _check_bool(record: str, column: Column, value: object) -> None:
    if not isinstance(value, bool):
        raise fail(record, column.name, f"must be true or false (got {value!r:.60})")


def _check_date(record: str, column: Column, value: object) -> None:
    if not isinstance(value, _dt.date) or isinstance(value, _dt.datetime):
        raise fail(
            record,
            column.name,
            f"must be a date, or text 'YYYY-MM' or 'YYYY' for a month or a year "
            f"(got {value!r:.60})",
        )


def _check_when_column(record: str, column: Column, value: object) -> None:
    _check_when(record, column.name, value)


def _check_wikidata(record: str, column: Column, value: object) -> None:
    if not (isinstance(value, str) and _vocab.WIKIDATA.match(value)):
        raise fail(
            record, column.name, f"{value!r:.40} is not a Wikidata item id such as 'Q123456'"
        )


def _check_source(record: str, column: Column, value: object) -> None:
    if not isinstance(value, column.table or ()):
        raise fail(record, column.name, f"must be a Source record (got {value!r:.60})")


def _check_texts(record: str, column: Column, value: object) -> None:
    name = column.name
    for index, item in enumerate(_tuple_of(str, record, name, value)):
        _text(record, f"{name}[{index}]", item)


def _check_ids(record: str, column: Column, value: object) -> None:
    name = column.name
    for index, item in enumerate(_tuple_of(str, record, name, value)):
        _ident(record, f"{name}[{index}]", item)


def _check_tables(record: str, column: Column, value: object) -> None:
    assert column.table is not None
    _tuple_of(column.table, record, column.name, value)


_Check = Callable[[str, Column, object], None]

#: How a field of each kind is checked; a quantity or a number is its record's to check.
_CHECKS: Final[Mapping[Kind, _Check]] = MappingProxyType(
    {
        TEXT: _check_text,
        LANGUAGE: _check_language,
        URL: _check_url,
        ID: _check_id,
        CHOICE: _check_choice,
        BOOL: _check_bool,
        DATE: _check_date,
        WHEN: _check_when_column,
        WIKIDATA: _check_wikidata,
        SOURCE: _check_source,
        TEXTS: _check_texts,
        IDS: _check_ids,
        TABLES: _check_tables,
    }
)


@cache
def _checks(cls: type) -> tuple[tuple[str, bool, Column, _Check], ...]:
    """For each column a catalogue file gives of ``cls``: its name, whether it is required,
    the column and its kind's check (the kinds without one are left out)."""
    return tuple(
        (column.name, column.required, column, _CHECKS[column.kind])
        for column in read_columns(cls)
        if column.kind in _CHECKS
    )


def check(record: Any, label: str) -> None:
    """Check every field a catalogue file gives against its kind, in declared order; an
    optional field may be None. Raises :class:`~weaponsref.errors.RecordError` naming
    ``label`` (e.g. ``"Source 'bbc-2003-03-21'"``) and the field."""
    for name, required, column, checker in _checks(_class(record)):
        value = getattr(record, name)
        if value is None and not required:
            continue
        checker(label, column, value)
