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
import re
from collections.abc import Iterable
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
from weaponsref._units import shown
from weaponsref._vocab import LANGUAGES, SOURCE_KINDS
from weaponsref.errors import ArgumentError, ArgumentValueError

__all__ = ["CITATION_STYLES", "Outlet", "Source", "bibtex", "csl_json"]

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
        """The source as a citation in the default style, ``apa`` (see :meth:`cite`).

        >>> import weaponsref as wr
        >>> print(wr.default_catalogue().source("bbc-2003-03-21").citation)
        BBC News. (2003, March 21). "RAF Tornados join air strikes". http://news.bbc.co.uk/2/hi/uk_news/2871525.stm
        """
        return _apa(self)

    def cite(self, style: str = "apa") -> str:
        """The source as a citation in ``style``, one of :data:`CITATION_STYLES`:

        - ``"apa"`` (the default, as :attr:`citation`): author-date, as APA's for web pages:
          outlet, "(2023, July)" or "(n.d.)", the title in quotes with "[in Russian]" where
          it is not English, then the address.
        - ``"ap"``: the attribution a newsroom writes in copy, as the AP Stylebook has it
          (AP prescribes no reference list): "according to a report by BBC News on March 21,
          2003, headlined ...". Months abbreviated with a day (Aug. 1, Sept. 30; March to
          July in full), "in August 2023" or "in 2023" for a month or a year, nothing for no
          date; "a Russian-language report", "state-run TASS", "a statement" by an official
          outlet; a copy "as carried by" its mirror. No address: online copy links it.
        - ``"chicago"``: a Chicago notes-bibliography entry for an unsigned news or web
          article, the outlet in the author's place: ``Outlet. "Title." Month Day, Year.
          URL.``; a mirror's copy names the original outlet first and the mirror where the
          website goes (``Reuters. "Title." The Business Standard, March 20, 2022. URL.``),
          "n.d." for no date.

        Titles stay as written, in their language and capitals (in ``ap`` and ``chicago``
        double quotes inside a title become single ones). Nothing missing is invented: a missing title or date is left out
        (or "n.d."), and a copy read where the original's address was not found is named.
        Raises :class:`~weaponsref.errors.ArgumentError` for a style that is not a string
        and :class:`~weaponsref.errors.ArgumentValueError` for one that is not known.

        >>> import weaponsref as wr
        >>> bbc = wr.default_catalogue().source("bbc-2003-03-21")
        >>> print(bbc.cite("ap"))
        according to a report by BBC News on March 21, 2003, headlined "RAF Tornados join air strikes"
        >>> print(bbc.cite("chicago"))
        BBC News. "RAF Tornados join air strikes." March 21, 2003. http://news.bbc.co.uk/2/hi/uk_news/2871525.stm.
        """
        if not isinstance(style, str):
            raise ArgumentError(
                f"style must be a str, one of {', '.join(CITATION_STYLES)} "
                f"(got {shown(style)} that is a {type(style).__name__})"
            )
        render = _STYLES.get(style)
        if render is None:
            raise ArgumentValueError(
                f"unknown citation style {shown(style)}; use one of {', '.join(CITATION_STYLES)}"
            )
        return render(self)

    def to_csl(self) -> dict[str, Any]:
        """The source as an item of CSL-JSON, the data that reference managers (Zotero,
        Mendeley) and CSL processors (citeproc-js, pandoc) read: ``id``, ``type`` by the
        kind of outlet (``article-newspaper`` for news and state media,
        ``article-magazine`` for the trade press, ``article`` for a mirror's copy,
        ``webpage`` for official, reference and aggregator pages), ``title``,
        ``container-title`` (the outlet whose page was read; no ``publisher`` besides, which
        styles would print a second time), for a mirror the original outlet as ``author``
        (a literal name), ``issued`` as date-parts to the precision known, ``URL``,
        ``language`` and ``note``. Where the original's address was not found, ``URL`` is
        the copy that was read and ``note`` says so. Missing fields are left out, so that a
        style neither prints nor invents them.

        >>> import weaponsref as wr
        >>> item = wr.default_catalogue().source("bbc-2003-03-21").to_csl()
        >>> item["type"], item["container-title"], item["issued"]
        ('article-newspaper', 'BBC News', {'date-parts': [[2003, 3, 21]]})
        """
        item: dict[str, Any] = {"id": self.id, "type": _CSL_TYPES[self.kind]}
        if self.copies is not None:
            item["author"] = [{"literal": self.copies}]
        if self.title is not None:
            item["title"] = self.title
        item["container-title"] = self.publisher
        if self.published is not None:
            item["issued"] = {"date-parts": [_date_parts(self.published)]}
        address = self.url or self.mirror
        if address is not None:
            item["URL"] = address
        item["language"] = self.language
        note = " ".join(filter(None, (_copy_note(self), self.note)))
        if note:
            item["note"] = note
        return item

    def to_bibtex(self) -> str:
        """The source as a biblatex ``@online`` entry keyed by its id (UTF-8, for biber):
        the cited outlet as a corporate ``author`` in double braces, the ``title`` braced as
        written (so that no style changes its capitals), a mirror as ``organization``,
        ``date`` in ISO 8601 to the precision known (``2003-03-21``, ``2023-07`` or
        ``2003``: biblatex has no day field, and its ``year`` and ``month`` cannot hold
        one), ``url``, ``language`` where it is not English, ``note`` where the address is
        a copy's, and the caveats as ``annotation``. TeX's special characters (``\\ { } &
        % $ # _ ~ ^``) are escaped in text and percent-encoded in the address.

        >>> import weaponsref as wr
        >>> print(wr.default_catalogue().source("bbc-2003-03-21").to_bibtex())
        @online{bbc-2003-03-21,
          author = {{BBC News}},
          title = {{RAF Tornados join air strikes}},
          date = {2003-03-21},
          url = {http://news.bbc.co.uk/2/hi/uk_news/2871525.stm},
          annotation = {The BBC's own page (original, not a copy). It shows "Last Updated: Friday, 21 March, 2003, 23:29 GMT", recorded as the date.},
        }
        """
        fields: list[tuple[str, str]] = [("author", f"{{{_tex(self.copies or self.publisher)}}}")]
        if self.title is not None:
            fields.append(("title", f"{{{_tex(self.title)}}}"))
        if self.copies is not None:
            fields.append(("organization", _tex(self.publisher)))
        if self.published is not None:
            fields.append(("date", self.published.isoformat()))
        address = self.url or self.mirror
        if address is not None:
            fields.append(("url", _url_for_tex(address)))
        if self.language != "en":
            fields.append(("language", _tex(_language(self.language))))
        copy_note = _copy_note(self)
        if copy_note is not None:
            fields.append(("note", _tex(copy_note)))
        if self.note is not None:
            fields.append(("annotation", _tex(self.note)))
        body = "".join(f"  {name} = {{{value}}},\n" for name, value in fields)
        return f"@online{{{self.id},\n{body}}}"

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


#: The styles :meth:`Source.cite` writes: ``apa`` (the default), ``ap`` and ``chicago``.
CITATION_STYLES: Final[tuple[str, ...]] = ("apa", "ap", "chicago")

#: The CSL item type of each kind of source.
_CSL_TYPES: Final[dict[str, str]] = {
    "news": "article-newspaper",
    "state media": "article-newspaper",
    "trade press": "article-magazine",
    "mirror": "article",
    "official": "webpage",
    "reference": "webpage",
    "aggregator": "webpage",
}

#: Months as the AP Stylebook writes them with a day: the five short ones in full.
_AP_MONTHS: Final = (
    "Jan.", "Feb.", "March", "April", "May", "June", "July", "Aug.", "Sept.", "Oct.", "Nov.",
    "Dec.",
)  # fmt: skip

#: TeX's special characters, as text in a .bib file writes them.
_TEX: Final = str.maketrans(
    {
        "\\": r"\textbackslash{}",
        "{": r"\{",
        "}": r"\}",
        "&": r"\&",
        "%": r"\%",
        "$": r"\$",
        "#": r"\#",
        "_": r"\_",
        "~": r"\textasciitilde{}",
        "^": r"\textasciicircum{}",
    }
)

#: Where TeX would join two characters into one: between the two of ``--``, ``''``, two
#: backticks, and ``?`` or ``!`` before a backtick.
_LIGATURE: Final = re.compile(r"(?<=-)(?=-)|(?<=')(?=')|(?<=`)(?=`)|(?<=[?!])(?=`)")

#: What a .bib address may not hold as it is, percent-encoded as a URL allows.
_URL_TEX: Final = str.maketrans({"\\": "%5C", "{": "%7B", "}": "%7D", " ": "%20"})


def _precision(day: _dt.date) -> str:
    """'day', 'month' or 'year': how precisely a publication date is known."""
    return day.precision if isinstance(day, PartialDate) else "day"


def _date_parts(day: _dt.date) -> list[int]:
    """A date as CSL date-parts, to the precision known: [2023, 7, 1], [2023, 7], [2023]."""
    return [day.year, day.month, day.day][: {"year": 1, "month": 2, "day": 3}[_precision(day)]]


def _language(code: str) -> str:
    """The English name of a language code, e.g. 'Russian'; the code where none is known."""
    return LANGUAGES.get(code, code)


def _inner_quotes(title: str) -> str:
    """A title set inside double quotes: its own double quotes become single ones."""
    return title.replace('"', "'").replace("\u201c", "\u2018").replace("\u201d", "\u2019")


def _stop(text: str) -> str:
    """``text`` ending a sentence: a period unless it ends with one, '?' or '!'."""
    return text if text.endswith((".", "?", "!", "\u2026")) else text + "."


def _quoted_sentence(title: str) -> str:
    """A title in double quotes ending an element, the period inside the quotes (American
    style, as Chicago has it) and inside a quotation that closes the title:
    ``"Title."``, ``"Why?"``, ``"Zelensky: 'Ready.'"``."""
    inner = _inner_quotes(title)
    body = inner.rstrip("'\u2019")
    closing = inner[len(body) :]
    return f'"{_stop(body)}{closing}"'


def _copy_note(source: Source) -> str | None:
    """What to say of a copy read where the original's address was not found."""
    if source.url is None and source.mirror is not None:
        return "Original address not found; the address given is the copy that was read."
    return None


def _apa(source: Source) -> str:
    """Author-date, as APA's for web pages (see :meth:`Source.cite`)."""
    published = source.published
    if published is None:
        date = "(n.d.)"
    elif isinstance(published, PartialDate):
        month = f", {published:%B}" if published.precision == "month" else ""
        date = f"({published.year}{month})"
    else:
        date = f"({published.year}, {published:%B} {published.day})"
    parts = [f"{source.cited_as}.", f"{date}."]
    if source.title is not None:
        title = f'"{source.title}"'
        if source.language != "en":
            title += f" [in {_language(source.language)}]"
        parts.append(f"{title}.")
    if source.url is not None:
        parts.append(source.url)
    elif source.mirror is not None:
        parts.append(f"Original address not found; read at {source.mirror}")
    return " ".join(parts)


def _ap_date(day: _dt.date) -> str:
    """A date as AP writes it after a name: 'on Aug. 1, 2023', 'in August 2023', 'in 2023'."""
    precision = _precision(day)
    if precision == "year":
        return f"in {day.year}"
    if precision == "month":
        return f"in {day:%B} {day.year}"
    return f"on {_AP_MONTHS[day.month - 1]} {day.day}, {day.year}"


def _ap(source: Source) -> str:
    """The attribution a newsroom writes in copy, as AP has it (see :meth:`Source.cite`)."""
    noun = "statement" if source.kind == "official" else "report"
    if source.language != "en":
        language = _language(source.language)
        noun = f"{language}-language {noun}"
    article = "an" if noun[0] in "AEIO" else "a"
    by = "state-run " if source.kind == "state media" else ""
    words = f"according to {article} {noun} by {by}{source.copies or source.publisher}"
    if source.copies is not None:
        words += f", as carried by {source.publisher}"
    if source.published is not None:
        words += f" {_ap_date(source.published)}"
    if source.title is not None:
        verb = "titled" if source.kind == "official" else "headlined"
        words += f', {verb} "{_inner_quotes(source.title)}"'
    return words


def _chicago(source: Source) -> str:
    """A Chicago notes-bibliography entry (see :meth:`Source.cite`)."""
    parts = [_stop(source.copies or source.publisher)]
    if source.title is not None:
        parts.append(_quoted_sentence(source.title))
    published = source.published
    if published is None:
        when = "n.d."
    elif _precision(published) == "year":
        when = str(published.year)
    elif _precision(published) == "month":
        when = f"{published:%B} {published.year}"
    else:
        when = f"{published:%B} {published.day}, {published.year}"
    if source.copies is not None:
        when = f"{source.publisher}, {when}"
    parts.append(_stop(when))
    if source.url is not None:
        parts.append(_stop(source.url))
    elif source.mirror is not None:
        parts.append(f"Original address not found; read at {source.mirror}.")
    return " ".join(parts)


_STYLES: Final = {"apa": _apa, "ap": _ap, "chicago": _chicago}


def _tex(text: str) -> str:
    """Text for a .bib field: TeX's special characters escaped, and the ligatures TeX would
    make of two characters (``''`` a closing quote, ``--`` a dash, ``?`` + backtick an
    inverted mark) broken with ``{}``, so that it prints as written."""
    return _LIGATURE.sub("{}", text.translate(_TEX))


def _url_for_tex(url: str) -> str:
    """An address for a .bib url field, which biblatex reads verbatim: only what would break
    the braces (and a space) percent-encoded."""
    return url.translate(_URL_TEX)


def csl_json(sources: Iterable[Source]) -> list[dict[str, Any]]:
    """The sources as CSL-JSON, a list of items (see :meth:`Source.to_csl`) ready for
    :func:`json.dumps`. Raises :class:`~weaponsref.errors.ArgumentError` when one is not a
    :class:`Source`.

    >>> import weaponsref as wr
    >>> [item["id"] for item in wr.records.csl_json(wr.lookup("Bober").sources)][:1]
    ['dailymail-2023-08-01']
    """
    return [_checked(source).to_csl() for source in sources]


def bibtex(sources: Iterable[Source]) -> str:
    """The sources as a .bib file of biblatex ``@online`` entries (see
    :meth:`Source.to_bibtex`), one blank line between them. Raises
    :class:`~weaponsref.errors.ArgumentError` when one is not a :class:`Source`."""
    return "\n\n".join(_checked(source).to_bibtex() for source in sources) + "\n"


def _checked(source: object) -> Source:
    if not isinstance(source, Source):
        raise ArgumentError(
            f"sources must be Source records (got {shown(source)} that is a "
            f"{type(source).__name__})"
        )
    return source
