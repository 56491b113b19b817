"""Coordinates as text, and :func:`as_location`, which turns anything a user gives for a
point (a place name, coordinates as text or numbers, a record, a GeoJSON point) into a
:class:`~weaponsref.gazetteer.Place` or a :class:`~weaponsref.gazetteer.Point`.

Latitude comes first everywhere, in WGS84 decimal degrees.

>>> as_location((50.45, 30.5233))
Point(lat=50.45, lon=30.5233)
>>> as_location("45°18′31″N 36°30′35″E").label
'45.3086°N, 36.5097°E'
"""

from __future__ import annotations

import math
import re
import warnings
from collections.abc import Mapping, Sequence
from typing import Final, cast

from weaponsref._text import shorten as _shorten_text
from weaponsref.errors import CoordinateError, WeaponsrefWarning
from weaponsref.gazetteer._cities import _Opened
from weaponsref.gazetteer._places import _CURRENT
from weaponsref.gazetteer._records import (
    _HOW,
    AmbiguousPlaceError,
    LocationLike,
    Place,
    Point,
    _coordinates_problem,
    _point_name_problem,
)
from weaponsref.gazetteer._store import _NEAR_BOX

__all__ = ["COORDINATE_FORMATS", "as_location"]


def _point(lat: object, lon: object, value: object) -> Point:
    problem = _coordinates_problem(lat, lon)
    if problem is not None:
        raise CoordinateError(f"{value!r}: {problem[1]}")
    return Point(cast(float, lat), cast(float, lon))


# One coordinate as text: decimal degrees with a sign or a hemisphere letter, or degrees,
# minutes and seconds with their marks (°′″, ASCII d m s or ' "). ASCII digits only.
_NUMBER = r"[0-9]{1,3}(?:\.[0-9]{1,20})?"
_SMALL = r"[0-9]{1,2}(?:\.[0-9]{1,20})?"
_COORDINATE = rf"""
    (?:(?P<{{p}}pre>[NSEW])\s*)?
    (?P<{{p}}sign>[-+\u2212])?
    (?P<{{p}}deg>{_NUMBER})
    (?:
        \s*(?:°|º|˚|d|deg)
        (?:\s*(?P<{{p}}min>{_SMALL})\s*(?:′|'|’|m|min)
            (?:\s*(?P<{{p}}sec>{_SMALL})\s*(?:″|"|”|''|′′|s|sec))?
        )?
    )?
    (?:\s*(?P<{{p}}post>[NSEW]))?
"""
_COORDINATES = re.compile(
    rf"\s*{_COORDINATE.replace('{p}', 'a')}(?:\s*[,;]\s*|\s+){_COORDINATE.replace('{p}', 'b')}\s*",
    re.VERBOSE | re.IGNORECASE | re.ASCII,
)
#: Formats :func:`as_location` reads, for error messages.
COORDINATE_FORMATS: Final = (
    "'50.45,30.5233', '-33.9 18.4', '45.3086N 36.5097E', '45°18′31″N 36°30′35″E' or "
    "'45d18m31sN 36d30m35sE', latitude first; 'NAME=COORDINATES' names the point"
)
# Text that can only have been meant as coordinates: digits, signs, separators, marks and
# hemisphere letters (and the letters of 'deg', 'min', 'sec').
_COORDINATE_LIKE = re.compile(r"[-+\u2212\s0-9.,;°º˚′″'’”\"NSEWdmsegin]+", re.IGNORECASE)
#: A point read from text is checked against gazetteer places this populous ...
_SWAP_POPULATION: Final = 15_000
#: ... this close (metres): near one only when read the other way round, it warns.
_SWAP_METRES: Final = 25_000.0


def _one_coordinate(match: re.Match[str], p: str, text: str) -> tuple[float, str | None]:
    """A coordinate in signed decimal degrees, and its hemisphere letter (upper case) or None."""
    pre, post, sign = match[f"{p}pre"], match[f"{p}post"], match[f"{p}sign"]
    if pre and post:
        raise CoordinateError(
            f"{_shorten_text(text)!r}: a coordinate has two hemisphere letters ({pre}, {post}); "
            "give one, e.g. '45.3086N 36.5097E'"
        )
    letter = (pre or post or "").upper() or None
    if letter and sign:
        raise CoordinateError(
            f"{_shorten_text(text)!r}: a coordinate has both a sign and a hemisphere letter; "
            "give one, e.g. '-33.9,18.4' or '33.9S 18.4E'"
        )
    degrees = float(match[f"{p}deg"])
    for part, word in ((match[f"{p}min"], "minutes"), (match[f"{p}sec"], "seconds")):
        if part is None:
            continue
        if float(part) >= 60:
            raise CoordinateError(
                f"{_shorten_text(text)!r}: {word} {part} is not below 60; give {COORDINATE_FORMATS}"
            )
    if match[f"{p}min"] is not None and "." in match[f"{p}deg"]:
        raise CoordinateError(
            f"{_shorten_text(text)!r}: degrees with decimals and minutes too; give whole "
            "degrees with minutes and seconds, or decimal degrees alone"
        )
    degrees += float(match[f"{p}min"] or 0) / 60 + float(match[f"{p}sec"] or 0) / 3600
    negative = sign in ("-", "\u2212") or letter in ("S", "W")
    return (-degrees if negative else degrees), letter


def _point_from_text(text: str, name: str | None = None) -> Point | None:
    """Coordinates as text, latitude first, as a :class:`Point`; None if the text is not
    written as coordinates.

    Reads decimal degrees with signs (``"50.45,30.5233"``, ``"-33.9 18.4"``), hemisphere
    letters before or after (``"45.3086N 36.5097E"``, ``"S33.9 E18.4"``), and degrees,
    minutes and seconds with ``° ′ ″`` or ASCII ``d m s`` (``"45°18′31″N 36°30′35″E"``,
    ``"45d18m31sN, 36d30m35sE"``). The two coordinates are separated by a comma, a semicolon
    or spaces. Hemisphere letters on both say which is which, so ``"36.5E 45.3N"`` is read
    too. Values out of range, minutes or seconds of 60 or more, or two latitudes raise
    :class:`CoordinateError`. A plain-number pair that lies near no city but would, read
    as (longitude, latitude), lie within 25 km of one of 15,000+ people gives a
    :class:`~weaponsref.errors.WeaponsrefWarning`.

    >>> _point_from_text("45°18′31″N 36°30′35″E")
    Point(lat=45.30861111111111, lon=36.50972222222222)
    >>> _point_from_text("33.9S, 18.4E")
    Point(lat=-33.9, lon=18.4)
    >>> _point_from_text("Kyiv") is None
    True
    """
    if len(text) > 200:
        return None
    match = _COORDINATES.fullmatch(text)
    if match is None:
        # Anything else float() reads ('5e1,30', 'nan,30'): a point, or an error naming it.
        parts = text.split(",")
        if len(parts) != 2:
            return None
        try:
            lat, lon = float(parts[0]), float(parts[1])
        except ValueError:
            return None
        point = _point(lat, lon, text)
        return point if name is None else Point(point.lat, point.lon, name=name)
    first, first_letter = _one_coordinate(match, "a", text)
    second, second_letter = _one_coordinate(match, "b", text)
    lettered = first_letter is not None or second_letter is not None
    if lettered:
        if first_letter is None or second_letter is None:
            raise CoordinateError(
                f"{_shorten_text(text)!r}: give a hemisphere letter on both coordinates or "
                "on neither, e.g. '45.3086N 36.5097E'"
            )
        latitudes = (first_letter in "NS") + (second_letter in "NS")
        if latitudes != 1:
            both = "latitudes (N or S)" if latitudes == 2 else "longitudes (E or W)"
            raise CoordinateError(
                f"{_shorten_text(text)!r}: both coordinates are {both}; give one latitude "
                "and one longitude, e.g. '45.3086N 36.5097E'"
            )
        if first_letter in "EW":
            first, second = second, first
    point = _point(first, second, text)
    if name is not None:
        point = Point(point.lat, point.lon, name=name)
    if not lettered:
        _warn_if_swapped(point, text)
    return point


def _near_city(state: _Opened, lat: float, lon: float) -> Place | None:
    """The most populous place of 15,000+ people within 25 km of (lat, lon), or None (an
    article place first): the article places and the built-in listed cities (every
    populated place of 15,000+, not a section of one)."""
    from weaponsref import geo as geodesy

    for article in state.articles:
        if (article.population or 0) >= _SWAP_POPULATION and (
            geodesy.inverse_m(lat, lon, article.lat, article.lon) <= _SWAP_METRES
        ):
            return article
    # 25 km is under 0.23 degrees of latitude; of longitude it is that over cos(latitude).
    dlat = 0.25
    dlon = min(180.0, 0.25 / max(math.cos(math.radians(min(abs(lat) + dlat, 90.0))), 1e-6))
    builtin = state.databases[0]
    box = (builtin.listed, _SWAP_POPULATION, lat - dlat, lat + dlat, lon - dlon, lon + dlon)
    rows = builtin.query(_NEAR_BOX, box)
    best: tuple[int, Place] | None = None
    for name, row_lat, row_lon, country, population in rows:
        metres = geodesy.inverse_m(lat, lon, row_lat, row_lon)
        if metres <= _SWAP_METRES and (best is None or population > best[0]):
            best = (population, Place(name, row_lat, row_lon, country, population, "GeoNames"))
    return best[1] if best is not None else None


def _warn_if_swapped(point: Point, text: str) -> None:
    """Warn when ``text`` reads as (longitude, latitude) near a city and not otherwise."""
    if abs(point.lon) > 90 or point.lat == point.lon:
        return
    state = _CURRENT.get()._opened()
    swapped = _near_city(state, point.lon, point.lat)
    if swapped is None or _near_city(state, point.lat, point.lon) is not None:
        return
    warnings.warn(
        f"{_shorten_text(text, 60)!r} is {point.coordinates}, over 25 km from any city of "
        f"15,000+; read as (longitude, latitude) it is near {swapped.name}, {swapped.country}. "
        f"Latitude comes first: give '{point.lon},{point.lat}' if you meant {swapped.name}",
        WeaponsrefWarning,
        stacklevel=5,
    )


def _named(text: str) -> tuple[str, str] | None:
    """``"NAME=COORDINATES"`` as (name, coordinates); None without an ``=``."""
    if "=" not in text:
        return None
    name, _, coordinates = text.rpartition("=")
    return name.strip(), coordinates


def as_location(value: LocationLike) -> Place | Point:
    """Return ``value`` as a :class:`Place` or a :class:`Point`, latitude first.

    Accepts a place name (see :func:`~weaponsref.gazetteer.place`; looked up in
    :func:`~weaponsref.gazetteer.current_gazetteer`), ``"lat,lon"`` text (see
    :data:`COORDINATE_FORMATS`), a ``(lat, lon)`` tuple or list of two real numbers in
    degrees, a :class:`Place`, a :class:`Point`, or anything whose ``__geo_interface__`` is
    a GeoJSON Point (``coordinates`` ``[lon, lat]``, e.g. a shapely Point; an elevation is
    ignored). Anything else raises :class:`~weaponsref.errors.CoordinateError` (a
    :class:`ValueError`) naming the value; an unknown name raises
    :class:`~weaponsref.errors.UnknownPlaceError`, and a name that fits several places
    :class:`~weaponsref.gazetteer.AmbiguousPlaceError` when the current gazetteer is strict
    (else the first place, as :func:`~weaponsref.gazetteer.place` returns it). A name read
    before is remembered, so reading it again costs about as little as a dictionary lookup.

    >>> as_location("Kiev").name
    'Kyiv'
    >>> as_location([55.7558, 37.6173])
    Point(lat=55.7558, lon=37.6173)
    >>> as_location("50.45, 30.5233").label
    '50.4500°N, 30.5233°E'
    >>> as_location((91, 30.5233))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    weaponsref.errors.CoordinateError: (91, 30.5233): latitude 91.0 is outside [-90, 90]; ...
    """
    if type(value) is str:
        # The hot path: a name read as a name before, in the current gazetteer's state.
        found = _CURRENT.get()._located(value)
        if found is not None:
            return found
        return _from_text(value)
    if isinstance(value, Place | Point):
        return value
    if isinstance(value, str):
        return _from_text(str(value))
    if isinstance(value, tuple | list):
        if len(value) != 2:
            items = "1 item" if len(value) == 1 else f"{len(value)} items"
            raise CoordinateError(f"{value!r} has {items}, not 2; {_HOW}")
        return _point(value[0], value[1], value)
    return _from_geo_interface(value)


def _from_text(value: str) -> Place | Point:
    """Text as a named point, a point, or a place name (remembered in the gazetteer's state)."""
    named = _named(value)
    if named is not None:
        name, coordinates = named
        problem = _point_name_problem(name)
        if problem is not None:
            raise CoordinateError(f"{_shorten_text(value)!r}: {problem}")
        point = _point_from_text(coordinates, name)
        if point is None:
            raise CoordinateError(
                f"{_shorten_text(value)!r}: after '=' give coordinates such as {COORDINATE_FORMATS}"
            )
        return point
    point = _point_from_text(value)
    if point is not None:
        return point
    if _COORDINATE_LIKE.fullmatch(value) and any(ch.isdigit() for ch in value):
        raise CoordinateError(
            f"{_shorten_text(value)!r} is neither a place name nor coordinates; give "
            f"{COORDINATE_FORMATS}"
        )
    if not any(ch.isalpha() for ch in value):
        raise CoordinateError(
            f"{_shorten_text(value)!r} is neither a place name nor 'latitude,longitude'; "
            f"give {COORDINATE_FORMATS}"
        )
    gazetteer = _CURRENT.get()
    state = gazetteer._opened()
    found = state.lookup(value)
    if len(found) > 1 and gazetteer.strict:
        raise AmbiguousPlaceError(value, found)
    state.located.put(value, found[0])
    return found[0]


def _from_geo_interface(value: object) -> Point:
    """An object whose ``__geo_interface__`` is a GeoJSON Point, as a :class:`Point`."""
    interface = getattr(value, "__geo_interface__", None)
    if interface is None:
        raise CoordinateError(
            f"{value!r} (a {type(value).__name__}) is not a location; give a place name, "
            "(latitude, longitude) in degrees, a Place, a Point or a GeoJSON Point"
        )
    kind = interface.get("type") if isinstance(interface, Mapping) else None
    if kind != "Point":
        raise CoordinateError(
            f"{value!r} has a __geo_interface__ of type {kind!r}, not 'Point'; "
            "give one point, e.g. a shape's centroid"
        )
    coordinates = interface.get("coordinates")
    if (
        isinstance(coordinates, str)
        or not isinstance(coordinates, Sequence)
        or len(coordinates) not in (2, 3)
    ):
        raise CoordinateError(
            f"{value!r} has GeoJSON coordinates {coordinates!r}; expected [longitude, latitude]"
        )
    return _point(coordinates[1], coordinates[0], value)
