"""The catalogue's vocabularies: the words a record's fields may take, read-only.

The records validate against these, the TOML reader and the JSON Schema list them, and the
HTML templates read :data:`FIGURES`; they sit below all of those so that none imports
another for them. Every one is immutable: a tuple, a frozenset or a read-only mapping, so that
no caller can change what validation accepts.

>>> FIGURES["range"]
'[length]'
>>> FIGURES["warhead"] = "[mass]"
Traceback (most recent call last):
...
TypeError: 'mappingproxy' object does not support item assignment
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

__all__ = [
    "ATTRIBUTIONS",
    "ATTRIBUTION_WORDS",
    "BASES",
    "BASIS_TAGS",
    "BASIS_WORDS",
    "COMPARE_UNITS",
    "EVENT_KINDS",
    "FIGURES",
    "ID",
    "ID_PATTERN",
    "LANGUAGES",
    "LANGUAGE_CODE",
    "LANGUAGE_PATTERN",
    "LOWER_BOUNDS",
    "OPERATOR_EVENTS",
    "OWN_MAXIMUM",
    "PREPOSITIONS",
    "PUBLISHED",
    "PUBLISHED_PATTERN",
    "QUALIFIERS",
    "SI_UNITS",
    "SOURCE_KINDS",
    "SOURCE_RANK",
    "UPPER_BOUNDS",
    "URL_PATTERN",
    "WHEN",
    "WHEN_PATTERN",
    "WIKIDATA",
    "WIKIDATA_PATTERN",
]

#: The figures a claim may give, and the dimension each must have.
FIGURES: Final[Mapping[str, str]] = MappingProxyType(
    {
        "range": "[length]",
        "minimum_range": "[length]",
        "radius_of_action": "[length]",
        "control_radius": "[length]",
        "cruise_altitude": "[length]",
        "ceiling": "[length]",
        "speed": "[length] / [time]",
        "endurance": "[time]",
    }
)

#: How a source hedged its figure. ``stated`` is a plain statement ("hitting targets 350 miles
#: away"); ``band`` is a span with a lower and an upper end.
QUALIFIERS: Final[tuple[str, ...]] = (
    "up to",
    "about",
    "more than",
    "at least",
    "only",
    "maximum",
    "official",
    "reduced",
    "band",
    "stated",
)

#: What a figure measures (a claim's ``basis``): the system's own maximum (the default); a
#: flight or strike that far, which is a lower bound on the range; a requirement, goal or
#: planned figure; a reach that includes a carrier aircraft's.
BASES: Final[tuple[str, ...]] = ("maximum", "demonstrated", "requirement", "carrier_reach")

#: Who asserts a figure (a claim's ``attribution``): its maker; its operator (the operating
#: state's government or military); the side it is used against; a third party (a government
#: or military neither making, operating nor fighting it); a reference work or named analyst;
#: unnamed officials; the outlet itself (the default).
ATTRIBUTIONS: Final[tuple[str, ...]] = (
    "maker",
    "operator",
    "opposing_side",
    "third_party",
    "reference",
    "officials",
    "outlet",
)

#: Who asserts a figure, in words for a sentence: "stated by the maker".
ATTRIBUTION_WORDS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "maker": "the maker",
        "operator": "its operator",
        "opposing_side": "the side it is used against",
        "third_party": "a third party",
        "reference": "a reference work",
        "officials": "unnamed officials",
        "outlet": "the outlet",
    }
)

#: What a figure measures, in words for a sentence, where it is not the system's maximum.
BASIS_WORDS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "maximum": "maximum",
        "demonstrated": "a distance flown or struck (a lower bound)",
        "requirement": "a requirement or planned figure",
        "carrier_reach": "a reach that includes its carrier's",
    }
)

#: What a figure measures, as a tag after it in a table's cell or a map's legend
#: (``'2,000 km (with carrier)'``), where it is not the system's maximum.
BASIS_TAGS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "demonstrated": "flown",
        "requirement": "required",
        "carrier_reach": "with carrier",
    }
)

#: The attributions whose statement of a system's own maximum comes first in the preference
#: rule: those who make it, operate it, or describe it in a reference work.
OWN_MAXIMUM: Final[frozenset[str]] = frozenset({"maker", "operator", "reference"})

#: What kind of publication a source is. A ``mirror`` copies another outlet's article.
SOURCE_KINDS: Final[tuple[str, ...]] = (
    "news",
    "mirror",
    "state media",
    "aggregator",
    "official",
    "trade press",
    "reference",
)

#: The kinds of dated event a system's record may hold.
EVENT_KINDS: Final[tuple[str, ...]] = (
    "first reported use",
    "reported use",
    "first combat use",
    "delivered",
    "in service",
    "announced",
)

#: The events that make their ``operator`` one of the system's operators; each must name one.
OPERATOR_EVENTS: Final[tuple[str, ...]] = ("delivered", "in service")

#: Who stands behind a figure, best first: the rank of each source kind in the preference
#: rule (see :func:`weaponsref.records.preference`). News and trade press share a rank.
SOURCE_RANK: Final[Mapping[str, int]] = MappingProxyType(
    {
        "official": 0,
        "reference": 1,
        "news": 2,
        "trade press": 2,
        "aggregator": 3,
        "mirror": 3,
        "state media": 4,
    }
)

#: Qualifiers that give a lower bound: beyond the figure, a verdict is "not established".
LOWER_BOUNDS: Final[frozenset[str]] = frozenset({"more than", "at least"})
#: Qualifiers that give an upper bound: beyond the figure, a verdict is "does not reach".
UPPER_BOUNDS: Final[frozenset[str]] = frozenset({"up to", "maximum", "only"})

#: The SI base unit of each dimension a figure may have, by pint's name.
SI_UNITS: Final[Mapping[str, str]] = MappingProxyType(
    {"[length]": "meter", "[length] / [time]": "meter / second", "[time]": "second"}
)

#: The unit a figure is shown in when two claims are compared.
COMPARE_UNITS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "range": "km",
        "minimum_range": "km",
        "radius_of_action": "km",
        "control_radius": "km",
        "cruise_altitude": "m",
        "ceiling": "m",
        "speed": "km/h",
        "endurance": "h",
    }
)

#: Language names for citations, by ISO 639-1 code; others are cited by their code.
LANGUAGES: Final[Mapping[str, str]] = MappingProxyType(
    {
        "ar": "Arabic",
        "az": "Azerbaijani",
        "bg": "Bulgarian",
        "cs": "Czech",
        "da": "Danish",
        "de": "German",
        "el": "Greek",
        "es": "Spanish",
        "et": "Estonian",
        "fi": "Finnish",
        "fr": "French",
        "hi": "Hindi",
        "hu": "Hungarian",
        "id": "Indonesian",
        "it": "Italian",
        "ja": "Japanese",
        "ko": "Korean",
        "lt": "Lithuanian",
        "nl": "Dutch",
        "no": "Norwegian",
        "pl": "Polish",
        "pt": "Portuguese",
        "ro": "Romanian",
        "ru": "Russian",
        "sk": "Slovak",
        "tr": "Turkish",
        "uk": "Ukrainian",
        "vi": "Vietnamese",
        "zh": "Chinese",
    }
)

#: Words that start a place written as it is ("near Baghdad", not "in near Baghdad").
PREPOSITIONS: Final[frozenset[str]] = frozenset(
    {"near", "over", "off", "around", "at", "in", "on", "outside"}
)

# The patterns of the fields that have one, as regular expressions that Python, JSON Schema
# (ECMA-262) and Rust (Taplo) read alike.

#: An id of a source or a system: ``storm-shadow``, ``dailymail-2023-08-01``.
ID_PATTERN: Final = "^[a-z0-9][a-z0-9._-]*$"
#: An event's date to the precision the source gives: ``2023``, ``2023-07``, ``2023-07-30``.
WHEN_PATTERN: Final = "^([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?$"
#: A Wikidata item id.
WIKIDATA_PATTERN: Final = "^Q[1-9][0-9]{0,11}$"
#: An ISO 639 language code.
LANGUAGE_PATTERN: Final = "^[a-z]{2,3}$"
#: A web address.
URL_PATTERN: Final = "^https?://"
#: A publication date known only to the month or the year, written as text: ``2023-07``.
PUBLISHED_PATTERN: Final = "^([0-9]{4})(?:-([0-9]{2}))?$"

ID: Final = re.compile(ID_PATTERN)
WHEN: Final = re.compile(WHEN_PATTERN)
WIKIDATA: Final = re.compile(WIKIDATA_PATTERN)
LANGUAGE_CODE: Final = re.compile(LANGUAGE_PATTERN)
PUBLISHED: Final = re.compile(PUBLISHED_PATTERN)
