"""The maps' one style table: the colours of land, sea and ink, and each system's colour.

Nothing here needs matplotlib: the table is plain data (hex colours, ids and numbers) that
the command line's maps and the docs' explorer page both read, so that a system has the same
colour wherever it is drawn. :func:`style_table` gives all of it as one JSON-ready dict.

**A system's colour.** :data:`PALETTE` holds twelve colours, each a line colour and a darker
ink for text of the same hue. Every built-in system has its own colour in
:data:`SYSTEM_COLOURS`, chosen once and kept, so that systems likely to share a map (of one
operator, with published ranges within four times of each other; the systems of the maps
the docs show) share one as seldom as twelve colours allow, and then not a similar one; a
system of a user's catalogue takes the colour at the CRC-32 of its id. The colour does not
depend on the order of the systems on a map, nor on the catalogue's order.

Two systems on one map may still share a colour (twelve colours, many more systems). Then
the system whose id sorts first keeps it, and each other takes the first colour of its
sequence (its own colour, then every :data:`COLOUR_STEP`-th colour after it, round the
palette) that no system on the map has: see :func:`system_colours`. Every ring is named on
the map, so a reader never needs the colour alone to tell two rings apart.

**Contrast** (WCAG 2's relative luminance): every line colour is at least 3:1 against both
the land and the sea, and every ink at least 4.5:1 against both, and so against white (the
labels' halo). The tests compute the ratios from these colours.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Any, Final

SEA: Final = "#d4e6f1"
LAND: Final = "#f2eee4"
BORDER: Final = "#9b9384"
INK: Final = "#1a1a1a"
MUTED: Final = "#555555"
OUTSIDE: Final = "#8a8a8a"  # the rim of a place beyond every ring
OUTSIDE_TEXT: Final = "#5f5f5f"
COUNTRY_TEXT: Final = "#6b6457"
#: A distance typed by hand: dashed grey, never taken for a published claim.
HAND_COLOUR: Final = "#6f6f6f"
#: The name of a distance typed by hand, on the map.
HAND_INK: Final = "#555555"

#: The systems' colours: (name, line colour, ink colour for text). Each line is at least 3:1
#: against :data:`LAND` and :data:`SEA`; each ink, the same hue darker where needed, 4.5:1.
PALETTE: Final[tuple[tuple[str, str, str], ...]] = (
    ("blue", "#1f63b0", "#1e61ac"),
    ("vermilion", "#c0470c", "#a93e0b"),
    ("green", "#23803a", "#1e6f32"),
    ("purple", "#7b45a8", "#7b45a8"),
    ("raspberry", "#b5306e", "#ae2e6a"),
    ("teal", "#00737a", "#006c73"),
    ("brown", "#6e4623", "#6e4623"),
    ("crimson", "#9e1b32", "#9e1b32"),
    ("olive", "#667000", "#5d6600"),
    ("indigo", "#2e3a8c", "#2e3a8c"),
    ("ochre", "#9a6a00", "#815900"),
    ("plum", "#6b2d5c", "#6b2d5c"),
)

#: On a map where a colour is taken, a system tries its own colour's index plus this, then
#: plus twice this, and so on round the palette (5 is prime to 12: every colour comes once).
COLOUR_STEP: Final = 5

#: Each built-in system's colour: its index in :data:`PALETTE`, by system id. A system added
#: to the built-in catalogue gets its entry here (a test says so).
SYSTEM_COLOURS: Final[Mapping[str, int]] = MappingProxyType(
    {
        "bober": 10,
        "uj-22": 8,
        "storm-shadow": 11,
        "himars": 4,
        "kalibr": 5,
        "kh-101": 10,
        "iskander-m": 11,
        "kinzhal": 0,
        "shahed-136": 2,
        "zala-lancet": 8,
        "bayraktar-tb2": 9,
        "lyutyi": 2,
        "r-360-neptune": 3,
        "taurus-kepd-350": 5,
        "glsdb": 7,
        "atacms": 9,
        "gmlrs": 6,
        "m270-mlrs": 1,
        "kh-22": 9,
        "kh-32": 6,
        "p-800-oniks": 8,
        "kn-23": 10,
        "tochka-u": 8,
        "oreshnik": 7,
        "zircon": 3,
        "kh-59": 1,
        "kh-555": 8,
        "kh-35": 10,
        "iskander-k": 7,
        "9m729": 0,
        "umpk": 2,
        "tornado-s": 7,
        "smerch": 3,
        "gerbera": 4,
        "fath-360": 5,
        "fp-1": 11,
        "fp-5-flamingo": 6,
        "palianytsia": 0,
        "peklo": 7,
        "ruta": 10,
        "sapsan": 6,
        "vilkha": 0,
        "long-neptune": 5,
        "prsm": 2,
        "er-gmlrs": 8,
        "aasm-hammer": 5,
        "tomahawk": 7,
        "jassm": 10,
        "eram": 5,
        "kh-55": 1,
        "trembita": 2,
        "shahed-131": 6,
    }
)


def own_colour(system_id: str) -> int:
    """The index in :data:`PALETTE` of a system's own colour: its entry in
    :data:`SYSTEM_COLOURS`, or else the CRC-32 of its id (UTF-8) modulo the palette's size.

    >>> own_colour("kalibr"), PALETTE[own_colour("kalibr")][0]
    (5, 'teal')
    """
    found = SYSTEM_COLOURS.get(system_id)
    if found is not None:
        return found
    return zlib.crc32(system_id.encode("utf-8")) % len(PALETTE)


def system_colours(system_ids: Iterable[str]) -> dict[str, tuple[str, str]]:
    """Each system's (line, ink) colours on one map that shows every system of
    ``system_ids``; the same ids in any order give the same colours.

    A system keeps its own colour (:func:`own_colour`) unless a system whose id sorts before
    its own has that colour on the same map; then it takes the first colour of its sequence
    (its own index plus 1, 2, ... times :data:`COLOUR_STEP`, modulo 12) that no system on
    the map has as its own or has been given, taking the ids in sorted order. Past twelve
    systems a colour must repeat: the least used one of the sequence is taken.

    >>> system_colours(["uj-22", "bober"])["uj-22"] == system_colours(["uj-22"])["uj-22"]
    True
    >>> system_colours(["uj-22", "p-800-oniks"])  # both olive of their own: the first keeps it
    {'p-800-oniks': ('#667000', '#5d6600'), 'uj-22': ('#c0470c', '#a93e0b')}
    """
    ids = sorted(set(system_ids))
    own = {system_id: own_colour(system_id) for system_id in ids}
    given: dict[str, int] = {}
    for system_id in ids:  # the first of each colour keeps it
        if own[system_id] not in given.values():
            given[system_id] = own[system_id]
    kept = set(given.values())
    used = dict.fromkeys(range(len(PALETTE)), 0)
    for index in given.values():
        used[index] += 1
    for system_id in ids:
        if system_id in given:
            continue
        sequence = [(own[system_id] + k * COLOUR_STEP) % len(PALETTE) for k in range(1, 13)]
        free = [i for i in sequence if used[i] == 0 and i not in kept]
        index = free[0] if free else min(sequence, key=lambda i: (used[i], sequence.index(i)))
        given[system_id] = index
        used[index] += 1
    return {
        system_id: (PALETTE[given[system_id]][1], PALETTE[given[system_id]][2]) for system_id in ids
    }


def style_table() -> dict[str, Any]:
    """The whole style table as plain JSON-ready data, for a page that draws as the maps do
    (the docs' explorer): the land, sea and ink colours, the hand-typed ring's colour, the
    palette, each built-in system's colour and the step of :func:`system_colours`.

    >>> table = style_table()
    >>> table["palette"][0], table["systems"]["kalibr"], table["step"]
    ({'name': 'blue', 'line': '#1f63b0', 'ink': '#1e61ac'}, 5, 5)
    """
    return {
        "land": LAND,
        "sea": SEA,
        "border": BORDER,
        "ink": INK,
        "muted": MUTED,
        "outside": OUTSIDE,
        "hand": HAND_COLOUR,
        "hand_ink": HAND_INK,
        "palette": [{"name": n, "line": line, "ink": ink} for n, line, ink in PALETTE],
        "systems": dict(SYSTEM_COLOURS),
        "step": COLOUR_STEP,
    }
