"""Points and places: the records of the gazetteer, and how their fields are checked.

Coordinates are WGS84 latitude and longitude in decimal degrees, latitude first.

>>> Point(50.45, 30.5233).label
'50.4500°N, 30.5233°E'
>>> Place("Somewhere", 50, 30, "UA", None, "made up").point
Point(lat=50.0, lon=30.0)
"""

from __future__ import annotations

import difflib
import math
import numbers
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Final, Protocol, TypeAlias, cast, runtime_checkable

import attrs

from weaponsref._text import fold
from weaponsref._text import shorten as _shorten_text
from weaponsref.errors import ArgumentValueError, CoordinateError, RecordError

__all__ = [
    "MAX_POINT_NAME",
    "PLACE_KINDS",
    "AmbiguousPlaceError",
    "GeoInterface",
    "LocationLike",
    "Place",
    "Point",
]

_HOW: Final = "give (latitude, longitude) in degrees"
#: The address of a GeoNames place's page, before its geonameid.
_GEONAMES_PAGE: Final = "https://www.geonames.org/"
_COUNTRY = re.compile(r"[A-Z]{2}")
_ICAO = re.compile(r"[A-Z0-9]{4}")
#: What a gazetteer place is (:attr:`Place.kind`): a populated place (a city, town or
#: village), an airport or air base, a section of a populated place (a district: never
#: listed as a city), a populated place that is no more (historical or abandoned), or a
#: landmark the news names (a bridge; from ``data/places.toml`` only, with its source).
PLACE_KINDS: Final = ("city", "airport", "section", "former", "landmark")


def _degrees_problem(value: object, word: str, limit: int) -> str | None:
    """Return what is wrong with ``value`` as a ``word`` in degrees, or None."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        return f"{word} {value!r} is a {type(value).__name__}, not a number"
    try:
        number = float(value)
    except (OverflowError, ValueError):
        return f"{word} {value!r} is not a finite number"
    if not math.isfinite(number):
        return f"{word} {number!r} is not a finite number"
    if not -limit <= number <= limit:
        return f"{word} {number!r} is outside [-{limit}, {limit}]"
    return None


def _coordinates_problem(lat: object, lon: object) -> tuple[str, str] | None:
    """Return ``(field, problem)`` for the first bad coordinate, or None."""
    # The common case, settled without the numbers.Real ABC checks (they cost microseconds).
    if (
        type(lat) is float
        and type(lon) is float
        and -90.0 <= lat <= 90.0
        and -180.0 <= lon <= 180.0
    ):
        return None
    for field, value, word, limit in (("lat", lat, "latitude", 90), ("lon", lon, "longitude", 180)):
        problem = _degrees_problem(value, word, limit)
        if problem is not None:
            problem = f"{problem}; {_HOW}"
            if (
                field == "lat"
                and _degrees_problem(lon, "", 90) is None
                and _degrees_problem(lat, "", 180) is None
            ):
                # Both would fit the other way round: the usual slip is (lon, lat) order.
                problem += ", latitude first: these look like (longitude, latitude)"
            return field, problem
    return None


def _to_degrees(value: float) -> float:
    # Real numbers (ints, numpy floats, fractions) become floats; anything else is kept for
    # the validation to name.
    if type(value) is float:
        return value
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        try:
            return float(value)
        except (OverflowError, ValueError):
            return value
    return value


def _hemisphere(value: float, positive: str, negative: str) -> str:
    return f"{abs(value):.4f}°{negative if value < 0 else positive}"


def _point_interface(lat: float, lon: float) -> dict[str, Any]:
    # GeoJSON puts longitude first (RFC 7946, section 3.1.1).
    return {"type": "Point", "coordinates": (lon, lat)}


#: The longest name a :class:`Point` may carry.
MAX_POINT_NAME: Final = 100


def _point_name_problem(name: object) -> str | None:
    if name is None:
        return None
    if not isinstance(name, str):
        return f"a point's name must be a str or None (got {name!r:.40} that is a {type(name).__name__})"
    if not name.strip():
        return f"a point's name {name!r} is blank; give a name such as 'Kerch bridge', or None"
    if len(name) > MAX_POINT_NAME:
        return f"a point's name is {len(name):,} characters long; give at most {MAX_POINT_NAME}"
    if not name.isprintable():
        return f"a point's name {_shorten_text(name)!r} holds control characters"
    return None


_set_field = object.__setattr__  # how a frozen record sets its own fields in __init__


@attrs.frozen(init=False)
class Point:
    """A point on the WGS84 ellipsoid: latitude and longitude in decimal degrees.

    Latitude comes first, in [-90, 90]; longitude in [-180, 180]. Anything else (a bool, a
    string, NaN, infinity, a value out of range) raises :class:`CoordinateError`. ``name``
    (keyword only, at most 100 printable characters) labels the point in tables, JSON and
    maps instead of its coordinates; it is part of the point, so two points at the same
    coordinates with different names are different points (equal points hash alike).

    >>> Point(50.45, 30.5233).label
    '50.4500°N, 30.5233°E'
    >>> Point(50.45, 30.5233).__geo_interface__
    {'type': 'Point', 'coordinates': (30.5233, 50.45)}
    >>> bridge = Point(45.3086, 36.5097, name="Kerch bridge")
    >>> bridge.label, str(bridge)
    ('Kerch bridge', 'Kerch bridge (45.3086°N, 36.5097°E)')
    >>> bridge == Point(45.3086, 36.5097), bridge.unnamed == Point(45.3086, 36.5097)
    (False, True)
    >>> Point(100, 100)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    weaponsref.errors.CoordinateError: latitude 100.0 is outside [-90, 90]; give (latitude, ...
    """

    lat: float
    lon: float
    name: str | None = attrs.field(default=None, kw_only=True)

    def __init__(self, lat: float, lon: float, *, name: str | None = None) -> None:
        # Validated here rather than by attrs converters and a post-init hook: verdicts make
        # two points per call, and the common case (two floats in range) costs two compares.
        if not (
            type(lat) is float
            and type(lon) is float
            and -90.0 <= lat <= 90.0
            and -180.0 <= lon <= 180.0
        ):
            lat, lon = _to_degrees(lat), _to_degrees(lon)
            problem = _coordinates_problem(lat, lon)
            if problem is not None:
                raise CoordinateError(problem[1])
        if name is not None:
            named = _point_name_problem(name)
            if named is not None:
                raise RecordError(named, field="name")
        _set_field(self, "lat", lat)
        _set_field(self, "lon", lon)
        _set_field(self, "name", name)

    def __repr__(self) -> str:
        named = "" if self.name is None else f", name={self.name!r}"
        return f"Point(lat={self.lat!r}, lon={self.lon!r}{named})"

    @property
    def coordinates(self) -> str:
        """The coordinates as text with hemispheres, four decimals (about 11 m).

        >>> Point(-33.8688, -151.2093, name="somewhere").coordinates
        '33.8688°S, 151.2093°W'
        """
        return f"{_hemisphere(self.lat, 'N', 'S')}, {_hemisphere(self.lon, 'E', 'W')}"

    @property
    def label(self) -> str:
        """The point's name, or without one its coordinates (:attr:`coordinates`).

        >>> Point(-33.8688, -151.2093).label
        '33.8688°S, 151.2093°W'
        """
        return self.name if self.name is not None else self.coordinates

    @property
    def unnamed(self) -> Point:
        """The same coordinates without a name.

        >>> Point(1.5, 2.5, name="here").unnamed
        Point(lat=1.5, lon=2.5)
        """
        return self if self.name is None else Point(self.lat, self.lon)

    @property
    def __geo_interface__(self) -> dict[str, Any]:
        """The point as a GeoJSON Point mapping, longitude first as GeoJSON requires."""
        return _point_interface(self.lat, self.lon)

    def __str__(self) -> str:
        if self.name is None:
            return self.coordinates
        return f"{self.name} ({self.coordinates})"


def _to_population(value: int | None) -> int | None:
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        return int(value)
    return value


def _to_aliases(value: Iterable[str]) -> tuple[str, ...]:
    if isinstance(value, str) or not isinstance(value, Iterable):
        # Kept as given so that the validation names the place and the field.
        return cast("tuple[str, ...]", value)
    return tuple(value)


def _name_problem(value: object, what: str) -> str | None:
    if not isinstance(value, str):
        return f"{what} must be a str (got {value!r} that is a {type(value).__name__})"
    if not fold(value):
        return f"{what} {value!r} has no letters or digits to look it up by"
    return None


def _text_problem(value: object, what: str) -> str | None:
    """What is wrong with an optional text field, or None."""
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip() or not value.isprintable():
        return f"{what} {value!r:.60} is not a non-empty line of text or None"
    if len(value) > 200:
        return f"{what} is {len(value):,} characters long; give at most 200"
    return None


def _extra_problem(
    region: object, kind: object, code: object, population_source: object
) -> tuple[str, str] | None:
    """``(field, problem)`` for the first bad field of those a gazetteer place adds."""
    problem = _text_problem(region, "region")
    if problem is not None:
        return "region", problem
    if kind is not None and kind not in PLACE_KINDS:
        return "kind", f"kind {kind!r:.40} is not one of {PLACE_KINDS} or None"
    if code is not None and (not isinstance(code, str) or not _ICAO.fullmatch(code)):
        return "code", f"code {code!r:.40} is not a four-character ICAO code or None"
    problem = _text_problem(population_source, "population_source")
    if problem is not None:
        return "population_source", problem
    return None


def _place_problem(
    name: object,
    lat: object,
    lon: object,
    country: object,
    population: object,
    source: object,
    address: object,
    aliases: object,
) -> tuple[str, str] | None:
    """Return ``(field, problem)`` for the first bad field of a place, or None.

    ``field`` is the attribute's name, with an index for an alias (``aliases[1]``).
    """
    problem = _name_problem(name, "name")
    if problem is not None:
        return "name", problem
    coordinates = _coordinates_problem(lat, lon)
    if coordinates is not None:
        return coordinates
    if not isinstance(country, str) or not _COUNTRY.fullmatch(country):
        return "country", (
            f"country {country!r} is not an ISO 3166-1 alpha-2 code; give two capital "
            "letters such as 'UA'"
        )
    if population is not None and (
        isinstance(population, bool) or not isinstance(population, int) or population < 0
    ):
        return "population", f"population {population!r} is not a whole number >= 0 or None"
    if not isinstance(source, str) or not source.strip():
        return "source", f"source {source!r} is not a non-empty str; say where the place came from"
    if address is not None and (
        not isinstance(address, str) or not address.startswith(("https://", "http://"))
    ):
        return "address", f"address {address!r} is not an http(s) URL or None"
    if not isinstance(aliases, tuple):
        return "aliases", f"aliases {aliases!r} is not a list of names"
    for index, alias in enumerate(aliases):
        problem = _name_problem(alias, f"aliases[{index}]")
        if problem is not None:
            return f"aliases[{index}]", problem
    return None


@attrs.frozen(repr=False)
class Place:
    """A named place: where it is, which country it is in, and where that was read.

    ``lat`` and ``lon`` are WGS84 decimal degrees, latitude first. ``country`` is an ISO
    3166-1 alpha-2 code. ``population`` is None when the source gives none. ``source`` says
    what was read; ``address`` is the URL it was read at. ``aliases`` are other names that
    find the place. The gazetteer's places say more, by keyword: ``region`` (the first-level
    division, e.g. an oblast, by GeoNames' name), ``kind`` (one of :data:`PLACE_KINDS`),
    ``code`` (an airport's ICAO code) and ``population_source`` (which dump, of which date,
    the population is from); each is None where unknown. A bad coordinate raises
    :class:`CoordinateError`, any other bad field :class:`RecordError`; both name the place
    and the field.

    >>> from weaponsref.gazetteer import place
    >>> kyiv = place("Kyiv")
    >>> kyiv.country, kyiv.point
    ('UA', Point(lat=50.45, lon=30.5233))
    >>> kyiv.source
    'Wikipedia, "Kyiv" (50°27′00″N 30°31′24″E)'
    >>> Place("Nowhere", 0, 200, "XX", None, "made up")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    weaponsref.errors.CoordinateError: place 'Nowhere': longitude 200.0 is outside [-180, 180]; ...
    """

    name: str
    lat: float = attrs.field(converter=_to_degrees)
    lon: float = attrs.field(converter=_to_degrees)
    country: str
    population: int | None = attrs.field(converter=_to_population)
    source: str
    address: str | None = None
    aliases: tuple[str, ...] = attrs.field(default=(), converter=_to_aliases)
    region: str | None = attrs.field(default=None, kw_only=True)
    kind: str | None = attrs.field(default=None, kw_only=True)
    code: str | None = attrs.field(default=None, kw_only=True)
    population_source: str | None = attrs.field(default=None, kw_only=True)

    def __attrs_post_init__(self) -> None:
        found = _place_problem(
            self.name,
            self.lat,
            self.lon,
            self.country,
            self.population,
            self.source,
            self.address,
            self.aliases,
        ) or _extra_problem(self.region, self.kind, self.code, self.population_source)
        if found is None:
            return
        field, problem = found
        message = f"place {self.name!r}: {problem}"
        if field in ("lat", "lon"):
            raise CoordinateError(message)
        raise RecordError(message)

    def __repr__(self) -> str:
        # The fields a gazetteer place adds are shown only when set; aliases and the
        # population's source never (they are long, and the source says where it is from).
        shown = [
            f"name={self.name!r}",
            f"lat={self.lat!r}",
            f"lon={self.lon!r}",
            f"country={self.country!r}",
            f"population={self.population!r}",
            f"source={self.source!r}",
            f"address={self.address!r}",
        ]
        shown += [
            f"{field}={value!r}"
            for field, value in (("region", self.region), ("kind", self.kind), ("code", self.code))
            if value is not None
        ]
        return f"Place({', '.join(shown)})"

    @property
    def label(self) -> str:
        """The place's name, as tables and maps show it.

        >>> from weaponsref.gazetteer import place
        >>> place("Kremlin").label
        'Moscow Kremlin'
        """
        return self.name

    @property
    def qualified_name(self) -> str:
        """The name, an airport's ICAO code, the region where known and the country: which
        place this is, as reports and warnings say it. A region named after the place
        ("Kyiv City" for Kyiv, "Kharkivs'ka Oblast'" for Kharkiv) is left out.

        >>> Place("Pokrovsk", 48.28, 37.18, "UA", 60127, "made up", region="Donetsk").qualified_name
        'Pokrovsk, Donetsk, UA'
        >>> Place("Engels Airbase", 51.47, 46.2, "RU", None, "made up", code="XWSG").qualified_name
        'Engels Airbase (XWSG), RU'
        >>> Place("Kyiv", 50.45, 30.52, "UA", None, "made up", region="Kyiv City").qualified_name
        'Kyiv, UA'
        >>> Place("Odesa", 46.48, 30.73, "UA", None, "made up", region="Odessa").qualified_name
        'Odesa, UA'
        """
        name = self.name if self.code is None else f"{self.name} ({self.code})"
        if self.region is None or _named_after(self.region, self.name):
            return f"{name}, {self.country}"
        return f"{name}, {self.region}, {self.country}"

    @property
    def reference(self) -> str:
        """A text that names this place alone, whatever else shares its name:
        ``"geonames:ID"`` for a GeoNames place, the ICAO code for an airport, else the name.

        >>> from weaponsref.gazetteer import place
        >>> place("Pokrovsk, RU").reference, place("Engels air base").reference
        ('geonames:2017824', 'XWSG')
        """
        if self.address is not None and self.address.startswith(_GEONAMES_PAGE):
            return f"geonames:{self.address[len(_GEONAMES_PAGE) :]}"
        return self.code if self.code is not None else self.name

    @property
    def point(self) -> Point:
        """The place's coordinates as a :class:`Point`.

        >>> from weaponsref.gazetteer import place
        >>> place("Odesa").point.label
        '46.4857°N, 30.7434°E'
        """
        return Point(self.lat, self.lon)

    @property
    def __geo_interface__(self) -> dict[str, Any]:
        """The place as a GeoJSON Point mapping, longitude first as GeoJSON requires."""
        return _point_interface(self.lat, self.lon)

    def __str__(self) -> str:
        return f"{self.qualified_name} ({Point(self.lat, self.lon).label})"


def _named_after(region: str, name: str) -> bool:
    """Whether ``region`` is named after the place ``name``: it starts with the name, or
    its first word is another spelling of it ("Odessa" for Odesa, "Zaporizhzhia" for
    Zaporizhzhya, "Kharkivs'ka Oblast'" for Kharkiv)."""
    region_key, name_key = fold(region), fold(name)
    if region_key.startswith(name_key):
        return True
    first = region_key.split(" ")[0]
    return difflib.SequenceMatcher(None, first, name_key).ratio() >= _SPELLING_RATIO


#: How alike (difflib's ratio) a region's first word and a place's name are when the one is
#: another spelling of the other.
_SPELLING_RATIO: Final = 0.85


class AmbiguousPlaceError(ArgumentValueError):
    """A name fits several places equally well and a strict lookup was asked for
    (``place(name, strict=True)``, or a gazetteer made with ``strict=True``).

    ``name`` is the name looked up; ``candidates`` the places it fits, the one a lenient
    lookup would return first. The message lists them with their regions and GeoNames ids;
    ``"NAME, CC"`` (an ISO country code) or ``"geonames:ID"`` picks one.
    """

    __module__ = "weaponsref.gazetteer"

    def __init__(self, name: str, candidates: Sequence[Place]) -> None:
        self.name = name
        self.candidates = tuple(candidates)
        listed = "; ".join(_which(p) for p in self.candidates[:6])
        more = len(self.candidates) - 6
        tail = f"; and {more} more" if more > 0 else ""
        super().__init__(
            f"{_shorten_text(name)!r} fits {len(self.candidates)} places: {listed}{tail}; "
            "give 'NAME, CC' (an ISO country code) or 'geonames:ID' to pick one"
        )

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.name, self.candidates))


def _which(found: Place) -> str:
    """A place as an ambiguity lists it: its qualified name and how to name it alone."""
    if found.reference in (found.name, found.code):
        return found.qualified_name
    return f"{found.qualified_name} ({found.reference})"


@runtime_checkable
class GeoInterface(Protocol):
    """Anything with a ``__geo_interface__`` (shapely, geopandas rows, :class:`Point`)."""

    @property
    def __geo_interface__(self) -> Mapping[str, Any]: ...


#: What a function taking a point accepts; :func:`as_location` turns it into one.
LocationLike: TypeAlias = str | Place | Point | tuple[float, float] | list[float] | GeoInterface
