#!/usr/bin/env python3
"""Check an MBTiles vector pack built by build.sh.  Standard library only.

    python offline-tiles/verify_pack.py PACK.mbtiles [--strict] [--max-bytes N] [--warn-bytes N]

Prints the metadata, tile count per zoom, features per layer at sample zooms
(summed over tiles, so a feature crossing tiles counts once per tile), and
decodes the z12 tile over 东昌区 (125.94E 41.73N).  With --strict (the default
build) it fails unless every built-in layer is declared in vector_layers and
that z12 tile holds the county, township and river layers.
"""
from __future__ import annotations

import argparse
import gzip
import json
import math
import os
import sqlite3
import sys
from collections import Counter

BUILTIN = ["province", "city", "county", "township", "river", "border", "place"]
PROBE = (125.94, 41.73)         # 通化市 centre, 东昌区
PROBE_REQUIRED = {"county", "township", "river"}


def varint(buf: bytes, i: int) -> tuple[int, int]:
    shift = result = 0
    while True:
        b = buf[i]
        i += 1
        result |= (b & 0x7F) << shift
        if not b & 0x80:
            return result, i
        shift += 7


def fields(buf: bytes):
    """Yield (field number, wire type, value) of a protobuf message."""
    i = 0
    while i < len(buf):
        key, i = varint(buf, i)
        num, wt = key >> 3, key & 7
        if wt == 0:
            val, i = varint(buf, i)
        elif wt == 2:
            ln, i = varint(buf, i)
            val, i = buf[i:i + ln], i + ln
        elif wt == 1:
            val, i = buf[i:i + 8], i + 8
        elif wt == 5:
            val, i = buf[i:i + 4], i + 4
        else:
            raise ValueError(f"unsupported wire type {wt}")
        yield num, wt, val


def tile_layers(blob: bytes) -> Counter:
    """{layer name: feature count} of one (possibly gzipped) MVT tile."""
    if blob[:2] == b"\x1f\x8b":
        blob = gzip.decompress(blob)
    out = Counter()
    for num, _, layer in fields(blob):
        if num != 3:            # Tile.layers
            continue
        name, n = "", 0
        for lnum, _, val in fields(layer):
            if lnum == 1:       # Layer.name
                name = val.decode("utf-8")
            elif lnum == 2:     # Layer.features
                n += 1
        out[name] += n
    return out


def lonlat_to_tile(lon: float, lat: float, z: int) -> tuple[int, int]:
    n = 2 ** z
    x = int((lon + 180.0) / 360.0 * n)
    y = int((1.0 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2.0 * n)
    return x, y


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("pack")
    ap.add_argument("--strict", action="store_true")
    ap.add_argument("--max-bytes", type=int, default=20 * 1024 * 1024)
    ap.add_argument("--warn-bytes", type=int, default=15 * 1024 * 1024)
    a = ap.parse_args()
    errors: list[str] = []

    size = os.path.getsize(a.pack)
    print(f"size: {size} bytes ({size / 1048576:.2f} MiB)")
    if size > a.max_bytes:
        errors.append(f"pack is {size} bytes, over the hard limit {a.max_bytes}")
    elif size > a.warn_bytes:
        print(f"WARNING: pack is over the {a.warn_bytes} byte target")

    db = sqlite3.connect(f"file:{a.pack}?mode=ro", uri=True)
    meta = dict(db.execute("SELECT name, value FROM metadata"))
    for k in ("name", "format", "minzoom", "maxzoom", "bounds", "center", "attribution"):
        print(f"metadata {k}: {meta.get(k)}")
    if meta.get("format") != "pbf":
        errors.append(f"metadata format is {meta.get('format')!r}, expected 'pbf'")
    vl = json.loads(meta.get("json") or "{}").get("vector_layers") or []
    print("vector_layers: " + ", ".join(f"{l['id']}(z{l.get('minzoom')}-{l.get('maxzoom')})" for l in vl))
    declared = {l["id"] for l in vl}
    if a.strict and set(BUILTIN) - declared:
        errors.append(f"vector_layers lacks {sorted(set(BUILTIN) - declared)}")

    per_zoom = dict(db.execute("SELECT zoom_level, count(*) FROM tiles GROUP BY zoom_level"))
    print("tiles per zoom: " + ", ".join(f"z{z}:{n}" for z, n in sorted(per_zoom.items())))
    zmax = max(per_zoom) if per_zoom else 0
    for z in sorted({min(per_zoom, default=0), 6, 8, 10, zmax} & set(per_zoom)):
        total = Counter()
        for (blob,) in db.execute("SELECT tile_data FROM tiles WHERE zoom_level=?", (z,)):
            total += tile_layers(blob)
        print(f"z{z} features per layer: " + ", ".join(f"{k}={v}" for k, v in sorted(total.items())))

    for z in (12, 9):
        x, y = lonlat_to_tile(*PROBE, z)
        row = db.execute("SELECT tile_data FROM tiles WHERE zoom_level=? AND tile_column=? AND tile_row=?",
                         (z, x, (2 ** z - 1) - y)).fetchone()   # MBTiles rows are TMS
        if row is None:
            print(f"probe z{z}/{x}/{y} (XYZ) over 东昌区: MISSING")
            if a.strict and z == 12:
                errors.append(f"no z12 tile over 东昌区 ({x}/{y})")
            continue
        layers = tile_layers(row[0])
        print(f"probe z{z}/{x}/{y} (XYZ) over 东昌区: {len(row[0])} bytes, "
              + ", ".join(f"{k}={v}" for k, v in sorted(layers.items())))
        if a.strict and z == 12 and PROBE_REQUIRED - set(layers):
            errors.append(f"z12 tile over 东昌区 lacks {sorted(PROBE_REQUIRED - set(layers))}")

    for e in errors:
        print(f"ERROR: {e}")
    print("verify: " + ("FAILED" if errors else "OK"))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
