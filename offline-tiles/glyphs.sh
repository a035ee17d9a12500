#!/usr/bin/env bash
# Build the Latin SDF glyph PBFs MapLibre GL JS needs for text, fully offline:
#
#   ui/public/glyphs/{fontstack}/{start}-{end}.pbf     fontstack: "Noto Sans Regular", "Noto Sans Bold"
#
# Style:  "glyphs": "<app origin>/glyphs/{fontstack}/{range}.pbf",
#         "text-font": ["Noto Sans Regular"]   (or ["Noto Sans Bold"])
# CJK is drawn locally by MapLibre (map option localIdeographFontFamily), so the CJK
# ranges are shipped as EMPTY stubs only (no 404s, nothing drawn from them).
#
# Generator: the npm package fontnik (Mapbox, BSD-3-Clause), which ships a prebuilt
# native binary for linux-x64/arm64 and darwin in its tarball (no download at install).
# Fonts: Debian fonts-noto-core (Noto Sans, SIL OFL 1.1).
#
#   offline-tiles/glyphs.sh [OUT_DIR]     (default: ui/public/glyphs)
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$HERE/common.sh"    # ROOT, CACHE, apt_install
OUT="${1:-$ROOT/ui/public/glyphs}"
FONTNIK_VERSION="0.7.7"
FONTNIK_DIR="$CACHE/fontnik-$FONTNIK_VERSION"
FONT_DIR=/usr/share/fonts/truetype/noto
declare -A FONTS=( ["Noto Sans Regular"]="NotoSans-Regular.ttf" ["Noto Sans Bold"]="NotoSans-Bold.ttf" )
# Ranges shipped with real glyphs: Basic Latin + Latin-1, Latin Extended-A/B (pinyin
# tone marks ǎ ǐ ǒ ǔ), IPA + spacing modifiers, combining marks + Greek, Cyrillic,
# general punctuation (– — ‘’ “” … ※), letterlike/number forms/arrows (℃ № Ⅰ-Ⅻ ←→).
KEEP_RANGES="0-255 256-511 512-767 768-1023 1024-1279 8192-8447 8448-8703"
SMALL_BYTES=4096   # ranges with only a handful of glyphs are kept as generated

log() { printf '[glyphs] %s\n' "$*"; }

# ---- fonts
if [[ ! -f "$FONT_DIR/NotoSans-Regular.ttf" || ! -f "$FONT_DIR/NotoSans-Bold.ttf" ]]; then
  log "installing fonts-noto-core"
  apt_install fonts-noto-core
fi

# ---- fontnik (install scripts are skipped: the prebuilt binary is in the tarball)
if [[ ! -x "$FONTNIK_DIR/node_modules/fontnik/bin/build-glyphs" ]]; then
  log "installing fontnik@$FONTNIK_VERSION (npm) into $FONTNIK_DIR"
  mkdir -p "$FONTNIK_DIR"
  npm install --prefix "$FONTNIK_DIR" --ignore-scripts --no-audit --no-fund --no-save \
      --loglevel=error "fontnik@$FONTNIK_VERSION" >/dev/null
fi
FONTNIK="$FONTNIK_DIR/node_modules/fontnik"
plat="$(node -p 'process.platform + "-" + process.arch')"
[[ -f "$FONTNIK/prebuilds/$plat/fontnik.node" ]] || {
  echo "glyphs.sh: fontnik has no prebuilt binary for $plat; see offline-tiles/README.md" >&2; exit 1; }

# ---- generate
TMP="$(mktemp -d "${TMPDIR:-/tmp}/onemap-glyphs.XXXXXX")"
trap 'rm -rf "$TMP"' EXIT
for stack in "${!FONTS[@]}"; do
  font="$FONT_DIR/${FONTS[$stack]}"
  mkdir -p "$TMP/$stack"
  node "$FONTNIK/bin/build-glyphs" "$font" "$TMP/$stack" >/dev/null
  # keep KEEP_RANGES and tiny ranges; every other range becomes an empty stub
  node - "$TMP/$stack" "$stack" "$KEEP_RANGES" "$SMALL_BYTES" <<'JSEOF'
const fs = require('fs'), path = require('path');
const [dir, stack, keep, small] = process.argv.slice(2);
const keepSet = new Set(keep.split(' '));
// glyphs.proto: glyphs { repeated fontstack stacks = 1 }  fontstack { name = 1; range = 2; glyphs = 3 }
const str = (field, s) => { const b = Buffer.from(s, 'utf8'); return Buffer.concat([Buffer.from([(field << 3) | 2, b.length]), b]); };
let stubs = 0;
for (let start = 0; start < 65536; start += 256) {
  const range = `${start}-${start + 255}`, file = path.join(dir, `${range}.pbf`);
  const size = fs.existsSync(file) ? fs.statSync(file).size : -1;
  if (keepSet.has(range) || (size >= 0 && size <= Number(small))) continue;
  const inner = Buffer.concat([str(1, stack), str(2, range)]);
  fs.writeFileSync(file, Buffer.concat([Buffer.from([(1 << 3) | 2, inner.length]), inner]));
  stubs++;
}
console.log(`${stack}: ${stubs} ranges replaced by empty stubs`);
JSEOF
  rm -rf "${OUT:?}/$stack"
  mkdir -p "$OUT"
  cp -r "$TMP/$stack" "$OUT/$stack"
  log "$stack <- $(basename "$font"): $(ls "$OUT/$stack" | wc -l) ranges, $(du -sh "$OUT/$stack" | cut -f1)"
done
