"""The bibliography's records: the outlets that publish, and the sources a figure was taken
from (the pages that were read).

:mod:`weaponsref.records` holds them with the claims, events and systems that cite them, and
is where to import them from. An outlet has one id, one name and one kind; a source names its
outlet (and, for a report read on a mirror, the mirror as ``via``), so that every source of
one outlet is cited by one name.
"""

# ``field`` below is weaponsref._fields.field, an attrs field with its declaration, not a
# function call whose value every instance would share.
# ruff: noqa: RUF009

from __future__ import annotations

import datetime as _dt
from typing import Any, ClassVar, Final

import attrs

from weaponsref import _columns
from weaponsref._fields import (
    CHOICE,
    DATE,
    ID,
    LANGUAGE,
    TEXT,
    URL,
    Column,
    PartialDate,
    as_dict,
    check,
    fail,
    field,
)
from weaponsref._vocab import LANGUAGES, SOURCE_KINDS

__all__ = ["Outlet", "Source"]

_UNLESS_OUTLET: Final = "unless the source names its outlet"


@attrs.frozen(repr=False, cache_hash=True)
class Outlet:
    """A publisher: one id, one name and one kind, which every source it published shares.

    A catalogue file lists them under ``[[outlets]]`` and a source names its ``outlet`` by
    id (and, for a report read where another outlet republished it, the republisher as
    ``via``), so that one outlet is always cited by one name. Raises
    :class:`~weaponsref.errors.RecordError` (a ValueError) naming the field when one is bad.

    >>> import weaponsref as wr
    >>> afp = wr.default_catalogue().outlet("afp")
    >>> afp.name, afp.kind
    ('AFP', 'news')
    """

    id: str = field(
        ID, "the outlet's id, unique among the outlets: lower-case letters, digits, '.', '_' or '-'"
    )
    name: str = field(TEXT, "the one name it is cited by")
    kind: str = field(CHOICE, "what kind of publisher it is", choices=SOURCE_KINDS)
    note: str | None = field(TEXT, "what else it is known as, and caveats", default=None)

    def __attrs_post_init__(self) -> None:
        check(self, f"Outlet {self.id!r:.60}")

    def to_dict(self) -> dict[str, Any]:
        """The outlet as JSON-ready data."""
        return as_dict(self)

    def __repr__(self) -> str:
        return f"Outlet({self.id!r}, {self.name!r})"


@attrs.frozen(repr=False, cache_hash=True)
class Source:
    """A publication a figure was taken from.

    ``publisher`` is who published the page that was read and ``url`` its address. For a
    ``mirror``, ``copies`` names the outlet whose article it copies, and :attr:`cited_as` cites
    that outlet first. In a catalogue file a source names its ``outlet`` (and ``via``, the
    mirror it was read on) among the ``[[outlets]]``, which give these. Raises
    :class:`~weaponsref.errors.RecordError` (a ValueError) naming the field when one is bad.

    >>> import weaponsref as wr
    >>> source = wr.lookup("Bober").claim("range").source
    >>> source.cited_as, source.published.isoformat(), source.kind, source.outlet
    ('MTV Uutiset', '2024-04', 'news', 'mtv-uutiset')
    >>> wr.default_catalogue().source("afp-spacewar-2023-10-18-atacms").cited_as
    'AFP via SpaceWar.com'
    """

    id: str = field(
        ID,
        "the source's id, unique in the bibliography: lower-case letters, digits, '.', '_' "
        "or '-', e.g. 'bbc-2003-03-21'",
    )
    publisher: str = field(
        TEXT, "who published the page that was read", required_when=_UNLESS_OUTLET
    )
    kind: str = field(
        CHOICE,
        "what kind of publication it is",
        choices=SOURCE_KINDS,
        required_when=_UNLESS_OUTLET,
    )
    language: str = field(LANGUAGE, "the ISO 639-1 code of the page's language, e.g. 'en'")
    outlet: str | None = field(
        ID,
        "the id of the outlet whose report it is, among the [[outlets]]; it gives the "
        "publisher and kind (or, with via, copies)",
        default=None,
    )
    via: str | None = field(
        ID,
        "for a report read where a mirror republished it: the id of the mirror's outlet, "
        "which gives the publisher (the source is then a mirror of its outlet's report)",
        default=None,
    )
    title: str | None = field(TEXT, "the title as the page shows it", default=None)
    url: str | None = field(
        URL, "the page's address, starting with http:// or https://", default=None
    )
    published: _dt.date | None = field(
        DATE,
        "the publication date as the page shows it: a day (2023-08-01), or '2023-08' or "
        "'2023' where the page shows only the month or the year",
        default=None,
    )
    copies: str | None = field(
        TEXT,
        "the outlet whose article a mirror copies",
        default=None,
        required_when="for a mirror, and only then (given by outlet with via)",
    )
    mirror: str | None = field(
        URL,
        "the address of a copy that was read where the original's could not be found",
        default=None,
    )
    note: str | None = field(TEXT, "caveats, and why a field is missing", default=None)

    _derived: ClassVar[tuple[Column, ...]] = _columns.SOURCE_COLUMNS

    def __attrs_post_init__(self) -> None:
        record = f"Source {self.id!r:.60}"
        check(self, record)
        if self.kind == "mirror" and self.copies is None:
            raise fail(record, "copies", "a mirror must name the outlet it copies")
        if self.kind != "mirror" and self.copies is not None:
            raise fail(
                record, "copies", f"only a mirror copies another outlet (kind is {self.kind!r})"
            )
        if self.via is not None and self.outlet is None:
            raise fail(record, "via", "names the mirror of an outlet's report: give the outlet")

    @classmethod
    def of_outlet(cls, outlet: Outlet, via: Outlet | None = None, **fields: Any) -> Source:
        """A source of ``outlet``'s report, read where ``via`` (a mirror) republished it, if
        given: its publisher, kind and copies come from them. Raises
        :class:`~weaponsref.errors.RecordError` when ``via`` is not a mirror."""
        if via is None:
            return cls(outlet=outlet.id, publisher=outlet.name, kind=outlet.kind, **fields)
        if via.kind != "mirror":
            raise fail(
                f"Source {fields.get('id')!r:.60}",
                "via",
                f"{via.id!r} is a {via.kind!r} outlet; via names a mirror, which republishes "
                "another outlet's report",
            )
        return cls(
            outlet=outlet.id,
            via=via.id,
            publisher=via.name,
            kind="mirror",
            copies=outlet.name,
            **fields,
        )

    @property
    def cited_as(self) -> str:
        """The name to cite: the original outlet for a mirror, with the mirror
        ("AFP via SpaceWar.com"), else the publisher."""
        if self.copies is not None:
            return f"{self.copies} via {self.publisher}"
        return self.publisher

    @property
    def citation(self) -> str:
        """The source as a citation in one style (author-date, as in APA's for web pages):
        outlet, date, title in quotes, the language where it is not English, the address or
        the copy that was read. A date known to the month reads "(2023, July)", a missing one
        "(n.d.)"; nothing missing is invented.

        >>> import weaponsref as wr
        >>> print(wr.default_catalogue().source("bbc-2003-03-21").citation)
        BBC News. (2003, March 21). "RAF Tornados join air strikes". http://news.bbc.co.uk/2/hi/uk_news/2871525.stm
        """
        published = self.published
        if published is None:
            date = "(n.d.)"
        elif isinstance(published, PartialDate):
            month = f", {published:%B}" if published.precision == "month" else ""
            date = f"({published.year}{month})"
        else:
            date = f"({published.year}, {published:%B} {published.day})"
        parts = [f"{self.cited_as}.", f"{date}."]
        if self.title is not None:
            title = f'"{self.title}"'
            if self.language != "en":
                title += f" [in {LANGUAGES.get(self.language, self.language)}]"
            parts.append(f"{title}.")
        if self.url is not None:
            parts.append(self.url)
        elif self.mirror is not None:
            parts.append(f"Original address not found; read at {self.mirror}")
        return " ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        """The source as JSON-ready data; the date as ISO text.

        >>> import weaponsref as wr
        >>> wr.default_catalogue().source("bbc-2003-03-21").to_dict()["published"]
        '2003-03-21'
        """
        return as_dict(self)

    def __str__(self) -> str:
        return self.citation

    def __repr__(self) -> str:
        return f"Source({self.id!r})"
