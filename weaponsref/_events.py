"""A dated event in a system's reported history (delivered, in service, first use...), with
its source and phrase: the record :class:`weaponsref.records.System` holds in ``events``.
Re-exported by :mod:`weaponsref.records`, where it is documented."""

# field() declares an attrs field with its column metadata; attrs, not dataclasses, reads it.
# ruff: noqa: RUF009

from __future__ import annotations

import datetime as _dt
from typing import Any, ClassVar, Literal

import attrs

from weaponsref import _columns
from weaponsref._fields import CHOICE, SOURCE, TEXT, WHEN, Column, as_dict, check, fail, field
from weaponsref._sources import Source
from weaponsref._vocab import EVENT_KINDS, OPERATOR_EVENTS, PREPOSITIONS
from weaponsref._vocab import WHEN as _WHEN

__all__ = ["Event"]


@attrs.frozen(repr=False, cache_hash=True)
class Event:
    """A dated event in a system's reported history, with its source and phrase.

    ``when`` is an ISO date to the precision the source gives: ``"2023"``, ``"2003-03"`` or
    ``"2023-07-30"``. Raises :class:`~weaponsref.errors.RecordError` (a ValueError) naming the
    field when one is bad.
    """

    kind: str = field(CHOICE, "what happened", choices=EVENT_KINDS)
    when: str = field(
        WHEN,
        "when, as precisely as the source says: 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD' (a TOML "
        "date is read as 'YYYY-MM-DD')",
    )
    source: Source = field(SOURCE, "the id of the source that reports it", table=Source)
    quote: str = field(TEXT, "the exact phrase of the source that reports it")
    place: str | None = field(TEXT, "where, if the source says", default=None)
    operator: str | None = field(
        TEXT,
        "who received or operates the system: a system's operators come only from these events",
        default=None,
        required_when="for " + " and ".join(OPERATOR_EVENTS),
    )
    note: str | None = field(TEXT, "caveats about the event", default=None)

    _owner: ClassVar[tuple[Column, ...]] = _columns.OWNER
    _derived: ClassVar[tuple[Column, ...]] = _columns.EVENT

    def __attrs_post_init__(self) -> None:
        record = f"Event {self.kind!r:.40}" if isinstance(self.kind, str) else "Event"
        check(self, record)
        if self.kind in OPERATOR_EVENTS and self.operator is None:
            raise fail(
                record,
                "operator",
                f'a {self.kind!r} event must name its operator, e.g. operator = "Ukraine"',
            )

    @property
    def precision(self) -> Literal["year", "month", "day"]:
        """How precise ``when`` is."""
        precisions: tuple[Literal["year"], Literal["month"], Literal["day"]] = (
            "year",
            "month",
            "day",
        )
        return precisions[self.when.count("-")]

    @property
    def date(self) -> _dt.date:
        """The first day of the period ``when`` names."""
        match = _WHEN.match(self.when)
        assert match is not None
        year, month, day = match.groups()
        return _dt.date(int(year), int(month or 1), int(day or 1))

    def to_dict(self) -> dict[str, Any]:
        """The event as JSON-ready data, its source by id (``source``)."""
        return as_dict(self)

    @property
    def summary(self) -> str:
        """What happened, in words a reader understands, e.g. ``'delivered to Ukraine'``."""
        words = {
            "delivered": "delivered to {operator}",
            "in service": "in service with {operator}",
            "announced": "announced",
            "first reported use": "first reported use",
            "reported use": "reported use",
            "first combat use": "first combat use",
        }[self.kind].format(operator=self.operator)
        if self.kind == "announced" and self.operator is not None:
            words = f"announced: delivery to {self.operator}"
        place = self.place
        if place is None or place == self.operator:
            return words
        first = place.split()[0].lower()
        return f"{words} {place}" if first in PREPOSITIONS else f"{words} in {place}"

    def __str__(self) -> str:
        date = self.source.published.isoformat() if self.source.published else "undated"
        return f'{self.when}: {self.summary} ({self.source.cited_as}, {date}) "{self.quote}"'

    def __repr__(self) -> str:
        return f"Event({self.kind!r}, {self.when!r}, source={self.source.id!r})"
