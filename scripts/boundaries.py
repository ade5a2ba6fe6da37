"""Make ``data/boundaries.csv`` from Natural Earth's 1:110m countries, once, by hand.

The book never downloads anything: the boundaries are part of the data package. This
script records how that table was made, so that it can be made again. Its input is the
copy of Natural Earth's *Admin 0 – Countries* (1:110m, version 5.1.1, public domain)
that geopandas 0.14.4 distributes as ``geopandas/datasets/naturalearth_lowres``; that
copy gives Crimea to Ukraine. Get it without installing geopandas::

    pip download geopandas==0.14.4 --no-deps -d /tmp/ne
    unzip /tmp/ne/geopandas-0.14.4-py3-none-any.whl 'geopandas/datasets/naturalearth_lowres/*' -d /tmp/ne
    python scripts/boundaries.py /tmp/ne/geopandas/datasets/naturalearth_lowres/naturalearth_lowres

Only the standard library is used (the shapefile and dBASE formats are read directly).
Countries whose outline touches the book's map window are kept; coordinates are rounded
to 0.01 degree, finer than the 1:110m line work.
"""

from __future__ import annotations

import csv
import json
import struct
import sys
from pathlib import Path

#: The map window (longitude, latitude): Eurasia from the Baltic to the Pacific, south to the Indian Ocean.
WINDOW = (15.0, 0.0, 150.0, 82.0)
SOURCE = "naturalearth2022admin0"
OUT = Path(__file__).resolve().parent.parent / "data" / "boundaries.csv"


def read_dbf(path: Path) -> list[dict[str, str]]:
    """The records of a dBASE III file, as text in the encoding its ``.cpg`` file names."""
    encoding = path.with_suffix(".cpg").read_text(encoding="ascii").strip()
    data = path.read_bytes()
    count, header_len, record_len = struct.unpack("<IHH", data[4:12])
    fields, at = [], 32
    while data[at] != 0x0D:
        name = data[at:at + 11].split(b"\0")[0].decode("ascii")
        fields.append((name, data[at + 16]))
        at += 32
    rows = []
    for i in range(count):
        record, pos, row = data[header_len + i * record_len:header_len + (i + 1) * record_len], 1, {}
        for name, width in fields:
            row[name] = record[pos:pos + width].decode(encoding).strip()
            pos += width
        rows.append(row)
    return rows


def read_polygons(path: Path) -> list[list[list[tuple[float, float]]]]:
    """The rings of each (multi)polygon record of a shapefile, in record order."""
    data = path.read_bytes()
    shapes, at = [], 100
    while at < len(data):
        length = struct.unpack(">I", data[at + 4:at + 8])[0] * 2
        body = data[at + 8:at + 8 + length]
        shape_type = struct.unpack("<i", body[:4])[0]
        if shape_type != 5:
            raise ValueError(f"record at byte {at}: shape type {shape_type}, expected 5 (polygon)")
        parts, points = struct.unpack("<ii", body[36:44])
        starts = list(struct.unpack(f"<{parts}i", body[44:44 + 4 * parts])) + [points]
        xy = struct.unpack(f"<{2 * points}d", body[44 + 4 * parts:44 + 4 * parts + 16 * points])
        coords = list(zip(xy[0::2], xy[1::2]))
        shapes.append([coords[a:b] for a, b in zip(starts, starts[1:])])
        at += 8 + length
    return shapes


def _clockwise(ring: list[tuple[float, float]]) -> bool:
    return sum((x2 - x1) * (y2 + y1) for (x1, y1), (x2, y2) in zip(ring, ring[1:])) > 0


def geojson(rings: list[list[tuple[float, float]]]) -> dict:
    """A shapefile's rings as a GeoJSON MultiPolygon: each clockwise ring starts a polygon,
    the counter-clockwise rings after it are its holes (GeoJSON winding: outer rings
    counter-clockwise)."""
    polygons: list[list[list[list[float]]]] = []
    for ring in rings:
        pts = [[round(x, 2), round(y, 2)] for x, y in ring]
        if _clockwise(ring):
            polygons.append([pts[::-1]])
        else:
            polygons[-1].append(pts[::-1])
    return {"type": "MultiPolygon", "coordinates": polygons}


def touches_window(rings: list[list[tuple[float, float]]]) -> bool:
    west, south, east, north = WINDOW
    return any(west <= x <= east and south <= y <= north for ring in rings for x, y in ring)


def main(stem: str) -> None:
    records = read_dbf(Path(stem + ".dbf"))
    shapes = read_polygons(Path(stem + ".shp"))
    rows = []
    for record, rings in zip(records, shapes, strict=True):
        if touches_window(rings):
            geometry = json.dumps(geojson(rings), separators=(",", ":"))
            rows.append([record["iso_a3"], record["name"], geometry, SOURCE])
    rows.sort()
    with OUT.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["iso3", "name", "geometry", "source_ids"])
        writer.writerows(rows)
    print(f"{OUT}: {len(rows)} countries")


if __name__ == "__main__":
    main(sys.argv[1])
