"""The columns the records work out rather than read: what every row and ``to_dict()`` shows
beside a record's own fields.

Each record of :mod:`weaponsref.records` takes its tuple here as its ``_derived`` (and a
claim or an event the columns of its system as its ``_owner``); :func:`weaponsref._fields.columns`
puts each after the column it names. The getters read the records' attributes, so this module
needs nothing of :mod:`weaponsref.records` and sits below it.

A row names what it refers to by id (``source``, ``system``); what it shows of that for people
is under the referred record's name: ``source_cited_as``, ``source_kind``,
``source_published``, ``source_url``, ``system_name``.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence
from typing import Any, Final

from weaponsref import _units
from weaponsref._fields import DATE, ID, IDS, NUMBER, SOURCE, TEXT, TEXTS, Column, derived
from weaponsref._vocab import FIGURES, SI_UNITS, SOURCE_KINDS

__all__ = ["CLAIM", "EVENT", "OWNER", "SOURCE_COLUMNS", "SYSTEM", "headline_reason"]


def _iso(day: _dt.date | None) -> str | None:
    return day.isoformat() if day is not None else None


#: What a claim's or an event's row shows of its source beside its id (``source``).
_OF_SOURCE: Final[tuple[Column, ...]] = (
    derived(
        "source_cited_as",
        TEXT,
        "the outlet to cite for the source (the original outlet for a mirror)",
        lambda record: record.source.cited_as,
        after="source",
    ),
    derived(
        "source_kind",
        TEXT,
        "the kind of source: " + ", ".join(SOURCE_KINDS),
        lambda record: record.source.kind,
        after="source_cited_as",
    ),
    derived(
        "source_published",
        DATE,
        "the source's publication date",
        lambda record: _iso(record.source.published),
        after="source_kind",
    ),
    derived(
        "source_url",
        TEXT,
        "the source's address",
        lambda record: record.source.url,
        after="source_published",
    ),
)

#: The columns a claim's or an event's row takes from the system it belongs to.
OWNER: Final[tuple[Column, ...]] = (
    derived("system", ID, "the id of the system it belongs to", lambda system: system.id),
    derived("system_name", TEXT, "the name of that system", lambda system: system.name),
)

#: A source's worked-out columns.
SOURCE_COLUMNS: Final[tuple[Column, ...]] = (
    derived(
        "cited_as",
        TEXT,
        "the outlet to cite: the original outlet for a mirror, else the publisher",
        lambda source: source.cited_as,
        after="publisher",
    ),
    derived("citation", TEXT, "the source as a citation", lambda source: source.citation),
)


def _is_mach(claim: Any) -> bool:
    return _units.unit_name(claim.value) == "dimensionless"


def _low_cell(claim: Any) -> Any:
    """A band's lower end in the unit of its upper end, for the CSV table."""
    low, value = claim.low, claim.value
    if low is None:
        return None
    if _units.unit_name(low) == _units.unit_name(value):
        return low.magnitude
    return low.to(value.units).magnitude


#: A claim's worked-out columns.
CLAIM: Final[tuple[Column, ...]] = (
    derived(
        "unit",
        TEXT,
        "the source's unit by pint's name, e.g. 'mile' or 'kilometer / hour', or Mach",
        lambda claim: "Mach" if _is_mach(claim) else _units.unit_name(claim.value),
        after="value",
        in_dict=False,
    ),
    derived(
        "value_si",
        NUMBER,
        "the value (a band's upper end) in SI base units; none for a Mach number",
        lambda claim: (
            None
            if _is_mach(claim)
            else {"value": claim._si, "unit": SI_UNITS[FIGURES[claim.figure]]}
        ),
        cell=lambda claim: None if _is_mach(claim) else claim._si,
        after="unit",
    ),
    derived(
        "si_unit",
        TEXT,
        "the SI base unit of value_si by pint's name",
        lambda claim: None if _is_mach(claim) else SI_UNITS[FIGURES[claim.figure]],
        after="value_si",
        in_dict=False,
    ),
    derived(
        "text",
        TEXT,
        "the figure with its qualifier as the source put it, e.g. 'up to 621 mi'",
        lambda claim: claim.describe(),
        after="si_unit",
    ),
    *_OF_SOURCE,
    derived(
        "according_to",
        TEXT,
        "who says so and where, for a sentence: \"according to Ukraine's Air Force spokesman "
        'Yuriy Ignat (ANSA, 2022-06-26)", or "(ANSA, 2022-06-26)" for the outlet\'s own figure',
        lambda claim: claim.according_to,
        after="attributed_to",
    ),
)

#: How a claim's ``low`` shows in the CSV table.
LOW_CELL: Final = _low_cell

#: An event's worked-out columns.
EVENT: Final[tuple[Column, ...]] = (
    derived(
        "summary",
        TEXT,
        "what happened, in words, e.g. 'delivered to Ukraine'",
        lambda event: event.summary,
        after="when",
    ),
    *_OF_SOURCE,
)


def _headline(system: Any) -> Any:
    return system.headline


def _lost_on(best: Any, other: Any, group: Sequence[Any]) -> str:
    """Why ``other`` comes after ``best`` by the preference rule, in words: the first step
    of the rule's key where the two differ."""
    ours, theirs = best.preference_key(group), other.preference_key(group)
    step = next((i for i, (a, b) in enumerate(zip(ours, theirs, strict=True)) if a != b), 5)
    if step == 0:
        return str(other.basis_text)
    words = (
        f"from a weaker kind of source ({other.source.kind})",
        "a lower bound",
        "given by fewer sources",
        "undated" if other.source.published is None else "older",
        "listed later",
    )
    return f"of the same standing, {words[step - 1]}"


def headline_reason(system: Any) -> str:
    """Why a :class:`~weaponsref.records.System`'s headline range is the claim it is, in one
    line, from the preference rule (:func:`weaponsref.records.preference`): what the figure
    is and who states it, then the other claims it was preferred over, grouped by why each
    came after it.

    >>> import weaponsref as wr
    >>> print(headline_reason(wr.lookup("UJ-22")))
    maximum stated by the maker, Ukrjet's website (infodron.es, undated); preferred over 2 other claims: maximum stated by the outlet: maximum 800 km (Pravda.ru), up to 500 mi (Daily Mail)
    """
    best = system.headline
    launcher = (
        "a launcher has no range of its own, so verdicts, rings and maps are given for each "
        f"munition it fires ({', '.join(system.launches)}); of what the sources said of the "
        "launcher itself: "
        if system.launches
        else ""
    )
    group = system.claims_for("range", best.variant)
    who = f", {best.attributed_to}" if best.attributed_to else ""
    said = f"{best.basis_text}{who} ({best.dated_source})"
    if best.variant is not None:
        said = (
            f"no range claim without a variant is public yet, so the {best.variant} "
            f"variant's stands in: {said}"
        )
    others = [claim for claim in group if claim is not best]
    if not others and best.variant is not None:
        return f"{launcher}{said}; no other claim of that variant"
    if not others:
        return f"{launcher}{said}; no other range claim without a variant"
    by_rule = min(group, key=lambda claim: claim.preference_key(group))
    if by_rule is not best:
        return (
            f"{launcher}{said}; marked preferred in its catalogue file, which overrides the rule "
            f"(the rule would choose {by_rule.describe()}, {by_rule.dated_source})"
        )
    reasons: dict[str, list[str]] = {}
    for claim in sorted(others, key=lambda claim: claim.preference_key(group)):
        words = f"{claim.describe()} ({claim.source.cited_as})"
        reasons.setdefault(_lost_on(best, claim, group), []).append(words)
    plural = "s" if len(others) > 1 else ""
    listed = "; ".join(f"{why}: {', '.join(items)}" for why, items in reasons.items())
    return f"{launcher}{said}; preferred over {len(others)} other claim{plural}: {listed}"


#: A system's worked-out columns.
SYSTEM: Final[tuple[Column, ...]] = (
    derived(
        "operators",
        TEXTS,
        "who operates it: the operator of every delivered or in service event, in order",
        lambda system: list(system.operators),
        cell=lambda system: "|".join(system.operators),
        after="origin",
        hint="operators come from sourced events: add a [[systems.events]] of kind "
        "'delivered' or 'in service' with operator = \"...\", its source and phrase",
    ),
    derived(
        "range",
        TEXT,
        "the preferred range claim with no variant (in the CSV table as published, e.g. "
        "'up to 621 mi')",
        lambda system: _headline(system).to_dict(),
        cell=lambda system: _headline(system).describe(),
        after="description",
    ),
    derived(
        "range_m",
        NUMBER,
        "the preferred range in metres (a band's upper end)",
        lambda system: _headline(system).metres,
        after="range",
        in_dict=False,
    ),
    derived(
        "range_source",
        SOURCE,
        "the id of the source of the preferred range claim",
        lambda system: _headline(system).source.id,
        after="range_m",
        in_dict=False,
    ),
    derived(
        "range_reason",
        TEXT,
        "why the preferred range is the claim it is, by the preference rule",
        headline_reason,
        after="range_source",
    ),
    derived(
        "conflicts",
        TEXTS,
        "where its own figures contradict each other, in words",
        lambda system: list(system.conflicts),
        in_csv=False,
    ),
    derived(
        "sources",
        IDS,
        "the ids of the sources its claims and events cite, in first-cited order",
        lambda system: [source.id for source in system.sources],
        in_csv=False,
    ),
)
