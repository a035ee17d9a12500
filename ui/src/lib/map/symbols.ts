// The situation map's symbol set, drawn at run time (no sprite files, nothing fetched): one
// frame shape per layer, filled and outlined from the palette, with a pictogram ("glyph") for
// the feature's type inside. The same drawing goes to the map (ImageData given to
// `map.addImage` on demand, see `controller.ts`), to the legend (PNG data: URLs) and to the
// exported view (drawn straight onto its canvas), so the three always agree.
//
//   incidents   triangle, fill = taxonomy grade colour (Ⅰ–Ⅳ), the grade's numeral inside
//   teams       circle, fill = status, ring = team type colour, team-type pictogram
//   warehouses  square, dark fill, border and crate in the tier colour
//   shelters    house outline, fill = open / in use / full, shelter-type mark inside
//   hazards     diamond, fill = hazard kind colour, hazard-kind pictogram
//
// Everything but the canvas drawing (`drawSymbol` and what calls it) is pure and unit-tested.
import type { Layer } from '../bindings/Layer';
import type { Palette, Swatch } from './palette';

/** Colour of anything the palette does not know (an id added to the taxonomy later). */
export const UNKNOWN_COLOUR = '#8a94a6';
/** Fill of a legend entry that stands for a type only (no status). */
export const NEUTRAL_FILL = '#1b2a3d';
/** Ring of a legend entry that stands for a status only (no type). */
export const NEUTRAL_RING = '#c8d6e5';
/** Dark and light glyph ink. */
export const INK_DARK = '#0b1626';
export const INK_LIGHT = '#ffffff';

/** The square a symbol is drawn in, in logical pixels (its image is this × pixel ratio). */
export const SYMBOL_BOX = 32;
/** Glyph coordinates are in a 16 × 16 box. */
const GLYPH_BOX = 16;

export type Frame = 'circle' | 'square' | 'triangle' | 'house' | 'diamond';

/** One path of a glyph: SVG path data in the 16 × 16 glyph box, filled or stroked. */
export interface GlyphPart {
  d: string;
  stroke?: number;
}

/** Everything needed to draw one symbol. Plain data: legend swatches carry it. */
export interface SymbolSpec {
  frame: Frame;
  fill: string;
  stroke: string;
  /** Outline width in the 32-unit box. */
  strokeWidth: number;
  /** A key of GLYPHS, or null for a bare frame. */
  glyph: string | null;
  /** Glyph colour (dark or light, whichever contrasts more with the fill). */
  ink: string;
  /** Short text drawn instead of a glyph (the cluster legend's count). */
  text?: string;
}

const circlePath = (cx: number, cy: number, r: number): string => `M${cx} ${cy - r}A${r} ${r} 0 1 1 ${cx} ${cy + r}A${r} ${r} 0 1 1 ${cx} ${cy - r}Z`;
const rect = (x: number, y: number, w: number, h: number): string => `M${x} ${y}H${x + w}V${y + h}H${x}Z`;
const round2 = (v: number): number => Math.round(v * 100) / 100;

/** A five-pointed star centred at (cx, cy), outer radius r1, inner r2. */
export function starPath(cx: number, cy: number, r1: number, r2: number): string {
  const pts: string[] = [];
  for (let i = 0; i < 10; i++) {
    const r = i % 2 === 0 ? r1 : r2;
    const a = -Math.PI / 2 + (i * Math.PI) / 5;
    pts.push(`${round2(cx + r * Math.cos(a))} ${round2(cy + r * Math.sin(a))}`);
  }
  return `M${pts.join('L')}Z`;
}

/** `n` horizontal bars, stacked and centred (short / medium / long-term shelters). */
function bars(n: number): string {
  const h = 2.6;
  const gap = 1.5;
  const total = n * h + (n - 1) * gap;
  let y = 8 - total / 2;
  const out: string[] = [];
  for (let i = 0; i < n; i++, y += h + gap) out.push(rect(2, round2(y), 12, h));
  return out.join('');
}

/** The incident grade numeral Ⅰ–Ⅳ as bars (no font needed, same on every machine). */
function numeral(n: 1 | 2 | 3 | 4): string {
  const bar = (x: number): string => rect(x, 2, 2.4, 12);
  switch (n) {
    case 1:
      return bar(6.8);
    case 2:
      return bar(4.6) + bar(9);
    case 3:
      return bar(2.4) + bar(6.8) + bar(11.2);
    case 4:
      return bar(1.4) + 'M5.4 2H7.9L10.3 10.9L12.7 2H15.2L11.6 14H9Z';
  }
}

const WAVE = (y: number): string => `M1 ${y}Q2.75 ${y - 2} 4.5 ${y}T8 ${y}T11.5 ${y}T15 ${y}`;

/** The pictograms. Silhouettes, readable at 10–20 px. */
export const GLYPHS: { readonly [name: string]: readonly GlyphPart[] } = {
  // Team types
  flame: [{ d: 'M8 0.8C8.6 3.6 12.8 5.6 12.8 10.2C12.8 13.2 10.6 15.2 8 15.2C5.4 15.2 3.2 13.2 3.2 10.4C3.2 8 4.6 6.6 5.6 5C6 6.6 6.6 7.6 7.6 8C7.4 5.4 7.6 3 8 0.8Z' }],
  tree: [{ d: 'M8 0.6L13 7H10.8L14 11.6H9.1V15.4H6.9V11.6H2L5.2 7H3Z' }],
  helmet: [{ d: 'M1.2 11.2H14.8V13.6H1.2Z' }, { d: 'M2.8 10.4C2.8 6.2 5 3.6 8 3.6C11 3.6 13.2 6.2 13.2 10.4Z' }],
  factory: [{ d: 'M1 15V7.2L5 9.8V7.2L9 9.8V7.2L12 9.2V1.5H14.6V15Z' }],
  people: [
    { d: circlePath(5.6, 4.8, 2.4) },
    { d: 'M0.8 14.6C0.8 10.9 2.9 8.6 5.6 8.6C8.3 8.6 10.4 10.9 10.4 14.6Z' },
    { d: circlePath(11.6, 5.6, 2) },
    { d: 'M11.2 14.6C11.2 12.4 10.8 10.6 9.9 9.3C10.4 9.1 10.9 9 11.4 9C13.6 9 15.2 10.9 15.2 14.6Z' },
  ],
  building: [{ d: `M8 1L15.2 5.4H0.8Z${rect(2, 6.4, 12, 1.4)}${rect(2.8, 8.6, 2.1, 4)}${rect(6.95, 8.6, 2.1, 4)}${rect(11.1, 8.6, 2.1, 4)}${rect(1, 13.4, 14, 1.8)}` }],
  house: [{ d: 'M8 1.2L15.4 8H13.2V15H9.7V10.6H6.3V15H2.8V8H0.6Z' }],
  star: [{ d: starPath(8, 8.6, 7.6, 3.1) }],
  dot: [{ d: circlePath(8, 8, 3.6) }],
  exclaim: [{ d: 'M6.6 1.5H9.4L9 10.4H7Z' }, { d: circlePath(8, 13.4, 1.6) }],
  // Shelter types: an exclamation mark for emergency shelters, 1–3 bars for short, medium and
  // long-term fixed shelters, a star for the central shelter, blocks for resettlement points.
  bars1: [{ d: bars(1) }],
  bars2: [{ d: bars(2) }],
  bars3: [{ d: bars(3) }],
  blocks: [{ d: rect(1.5, 1.5, 5.5, 5.5) + rect(9, 1.5, 5.5, 5.5) + rect(1.5, 9, 5.5, 5.5) + rect(9, 9, 5.5, 5.5) }],
  // Warehouses
  crate: [{ d: 'M8 1.2L14.8 4.6V11.4L8 14.8L1.2 11.4V4.6Z M1.2 4.6L8 8L14.8 4.6 M8 8V14.8', stroke: 1.7 }],
  // Hazard kinds
  waves: [{ d: WAVE(5.5) + WAVE(10.5), stroke: 1.9 }],
  tailings: [{ d: 'M0.8 13.8L4.4 4.4H11.6L15.2 13.8Z M3 10.6H13 M4.2 7.5H11.8', stroke: 1.6 }],
  landslide: [{ d: 'M0.8 15V5.2L15.2 15Z' }, { d: circlePath(11.3, 5.3, 1.9) }, { d: circlePath(14, 9.1, 1.3) }],
  flask: [{ d: 'M5.8 1H10.2V2.6H9.3V6.3L14.3 13.2C14.9 14.1 14.3 15.2 13.2 15.2H2.8C1.7 15.2 1.1 14.1 1.7 13.2L6.7 6.3V2.6H5.8Z' }],
  dyke: [{ d: 'M0.6 14.6L4.8 8.2H11.2L15.4 14.6Z' }, { d: WAVE(4.6), stroke: 1.7 }],
  pipeline: [
    { d: rect(0.6, 9.2, 14.8, 3.6) + rect(3.4, 7.8, 1.8, 6.4) + rect(10.8, 7.8, 1.8, 6.4) },
    { d: 'M8 0.8C8.6 2.2 10 3 10 4.8C10 6 9.1 6.9 8 6.9C6.9 6.9 6 6 6 4.8C6 3.8 6.6 3.2 7 2.4C7.2 3.1 7.5 3.4 7.9 3.6C7.8 2.6 7.8 1.6 8 0.8Z' },
  ],
  // Incident grades
  grade1: [{ d: numeral(1) }],
  grade2: [{ d: numeral(2) }],
  grade3: [{ d: numeral(3) }],
  grade4: [{ d: numeral(4) }],
};

/** Team type id (taxonomy.toml [[team_type]]) → glyph; an unknown type gets `dot`. */
export const TEAM_TYPE_GLYPH: { readonly [id: string]: string } = {
  fire_rescue: 'flame',
  forest_fire: 'tree',
  professional: 'helmet',
  enterprise: 'factory',
  social: 'people',
  township: 'building',
  village: 'house',
  militia: 'star',
};

/** Shelter type id ([[shelter_type]]) → glyph; an unknown type gets `dot`. */
export const SHELTER_TYPE_GLYPH: { readonly [id: string]: string } = {
  emergency: 'exclaim',
  fixed_short: 'bars1',
  fixed_medium: 'bars2',
  fixed_long: 'bars3',
  central: 'star',
  resettlement: 'blocks',
};

/** Hazard kind id ([[hazard_kind]]) → glyph; an unknown kind gets `exclaim`. */
export const HAZARD_KIND_GLYPH: { readonly [id: string]: string } = {
  reservoir: 'waves',
  tailings_pond: 'tailings',
  geohazard: 'landslide',
  chemical_plant: 'flask',
  dyke: 'dyke',
  gas_pipeline: 'pipeline',
};

export const FRAME_OF: { readonly [L in Layer]: Frame } = {
  incidents: 'triangle',
  teams: 'circle',
  warehouses: 'square',
  shelters: 'house',
  hazards: 'diamond',
};

/** Drawn size of each layer's symbol in px at z10 on a 1080p screen (×0.55 at z4, ×1.5 at z14). */
export const SYMBOL_PX: { readonly [L in Layer]: number } = {
  incidents: 32,
  teams: 24,
  warehouses: 22,
  shelters: 24,
  hazards: 24,
};

/** Where the glyph sits inside each frame: centre and size in the 32-unit box. */
const GLYPH_SLOT: { readonly [F in Frame]: { x: number; y: number; size: number } } = {
  circle: { x: 16, y: 16, size: 16 },
  square: { x: 16, y: 16, size: 15 },
  triangle: { x: 16, y: 20, size: 12 },
  house: { x: 16, y: 20, size: 12.5 },
  diamond: { x: 16, y: 16, size: 13 },
};

// --- colours -------------------------------------------------------------------------------

function channels(colour: string): [number, number, number] | null {
  const m = /^#([0-9a-f]{6})$/i.exec(colour.trim());
  if (!m) return null;
  const v = parseInt(m[1] as string, 16);
  return [(v >> 16) & 255, (v >> 8) & 255, v & 255];
}

/** WCAG relative luminance of a #rrggbb colour (0 black … 1 white); 0 for anything else. */
export function luminance(colour: string): number {
  const c = channels(colour);
  if (!c) return 0;
  const lin = c.map((v) => {
    const s = v / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2];
}

/** The glyph ink that contrasts more with `fill`: dark on bright fills, white on dark ones. */
export function inkFor(fill: string): string {
  const l = luminance(fill);
  const dark = (l + 0.05) / (luminance(INK_DARK) + 0.05);
  const light = 1.05 / (l + 0.05);
  return dark >= light ? INK_DARK : INK_LIGHT;
}

function colourOf(swatches: readonly Swatch[], value: string): string {
  return swatches.find((s) => s.value === value)?.colour ?? UNKNOWN_COLOUR;
}

// --- ids ----------------------------------------------------------------------------------

/**
 * The image id of a feature's symbol: `incidents:<grade>`, `teams:<type>:<status>`,
 * `warehouses:<tier>`, `shelters:<type>:<status>`, `hazards:<kind>`. An empty part stands for
 * "any" (legend entries: `teams::standby` is a standby team of no particular type).
 */
export function symbolId(layer: Layer, cls: string, status: string, grade: number): string {
  switch (layer) {
    case 'incidents':
      return `incidents:${grade}`;
    case 'teams':
    case 'shelters':
      return `${layer}:${cls}:${status}`;
    case 'warehouses':
    case 'hazards':
      return `${layer}:${cls}`;
  }
}

/** The same id as a MapLibre expression over the feature's properties (`icon-image`). */
export function iconImage(layer: Layer): unknown[] {
  const s = (p: string): unknown[] => ['to-string', ['get', p]];
  switch (layer) {
    case 'incidents':
      return ['concat', 'incidents:', s('grade')];
    case 'teams':
    case 'shelters':
      return ['concat', `${layer}:`, s('class'), ':', s('status')];
    case 'warehouses':
    case 'hazards':
      return ['concat', `${layer}:`, s('class')];
  }
}

const LAYER_NAMES: readonly string[] = ['incidents', 'teams', 'warehouses', 'shelters', 'hazards'];

/** Splits a symbol id; null when it is not one of ours. */
export function parseSymbolId(id: string): { layer: Layer; cls: string; status: string; grade: number } | null {
  const [layer, a = '', b = ''] = id.split(':');
  if (!layer || !LAYER_NAMES.includes(layer)) return null;
  const l = layer as Layer;
  if (l === 'incidents') {
    const grade = Number(a);
    return Number.isInteger(grade) && a !== '' ? { layer: l, cls: '', status: '', grade } : null;
  }
  return { layer: l, cls: a, status: b, grade: 0 };
}

/** The symbol of a feature of `layer` (empty `cls` / `status`: a legend entry for the other). */
export function symbolSpec(p: Palette, layer: Layer, cls: string, status: string, grade = 0): SymbolSpec {
  const frame = FRAME_OF[layer];
  switch (layer) {
    case 'incidents': {
      const fill = colourOf(p.incidentGrade, String(grade));
      const known = grade >= 1 && grade <= 4 && fill !== UNKNOWN_COLOUR;
      return { frame, fill, stroke: '#ffffff', strokeWidth: 2.5, glyph: known ? `grade${grade}` : 'exclaim', ink: inkFor(fill) };
    }
    case 'teams': {
      const fill = status === '' ? NEUTRAL_FILL : colourOf(p.teamStatus, status);
      const ring = cls === '' ? NEUTRAL_RING : colourOf(p.teamType, cls);
      return { frame, fill, stroke: ring, strokeWidth: 4, glyph: TEAM_TYPE_GLYPH[cls] ?? 'dot', ink: inkFor(fill) };
    }
    case 'warehouses': {
      const tier = cls === '' ? NEUTRAL_RING : colourOf(p.warehouseTier, cls);
      return { frame, fill: '#101c2c', stroke: tier, strokeWidth: 4, glyph: 'crate', ink: tier };
    }
    case 'shelters': {
      const fill = status === '' ? NEUTRAL_FILL : colourOf(p.shelterStatus, status);
      return { frame, fill, stroke: '#e8f6ff', strokeWidth: 2, glyph: SHELTER_TYPE_GLYPH[cls] ?? 'dot', ink: inkFor(fill) };
    }
    case 'hazards': {
      const fill = cls === '' ? NEUTRAL_FILL : colourOf(p.hazardKind, cls);
      return { frame, fill, stroke: '#ffffff', strokeWidth: 1.6, glyph: HAZARD_KIND_GLYPH[cls] ?? 'exclaim', ink: inkFor(fill) };
    }
  }
}

/** The symbol an image id stands for, or null when the id is not a symbol id. */
export function specForId(p: Palette, id: string): SymbolSpec | null {
  const s = parseSymbolId(id);
  return s ? symbolSpec(p, s.layer, s.cls, s.status, s.grade) : null;
}

/** The legend's picture of a cluster of `layer`: a ring in the layer's colour with a count. */
export function clusterSpec(colour: string, text = '12'): SymbolSpec {
  return { frame: 'circle', fill: CLUSTER_FILL, stroke: colour, strokeWidth: 3.5, glyph: null, ink: '#ffffff', text };
}

/** The legend's picture of a response level: the ring drawn round the incident, in its colour. */
export function responseRingSpec(colour: string): SymbolSpec {
  return { frame: 'circle', fill: 'rgba(0,0,0,0)', stroke: colour, strokeWidth: 4, glyph: null, ink: '#ffffff' };
}

/** Fill of the cluster circles (the ring is the layer's colour). */
export const CLUSTER_FILL = '#10233b';

/**
 * The pixel ratio the map's symbol images are drawn at: enough for the largest size they are
 * shown at (×1.5 at z14, × the 4K scale, × the screen's device pixel ratio), at most 4.
 */
export function iconPixelRatio(devicePixelRatio: number, scale: number): number {
  const dpr = Number.isFinite(devicePixelRatio) && devicePixelRatio > 0 ? devicePixelRatio : 1;
  return Math.min(4, Math.max(2, Math.ceil(dpr * scale * 1.5)));
}

// --- drawing (browser only) ----------------------------------------------------------------

/** The frame outline, inset by half the stroke so the stroke stays inside the box. */
function framePath(ctx: CanvasRenderingContext2D, frame: Frame, sw: number): void {
  const i = sw / 2 + 0.75;
  ctx.beginPath();
  switch (frame) {
    case 'circle':
      ctx.arc(16, 16, 16 - i, 0, Math.PI * 2);
      break;
    case 'square': {
      const a = 2.5 + i;
      const w = 32 - 2 * a;
      const r = 4;
      ctx.moveTo(a + r, a);
      ctx.arcTo(a + w, a, a + w, a + w, r);
      ctx.arcTo(a + w, a + w, a, a + w, r);
      ctx.arcTo(a, a + w, a, a, r);
      ctx.arcTo(a, a, a + w, a, r);
      break;
    }
    case 'triangle':
      ctx.moveTo(16, 1 + i * 1.6);
      ctx.lineTo(32 - i * 1.4, 29.5 - i * 0.6);
      ctx.lineTo(i * 1.4, 29.5 - i * 0.6);
      break;
    case 'house':
      ctx.moveTo(16, 1 + i * 1.2);
      ctx.lineTo(31 - i, 12.5);
      ctx.lineTo(31 - i, 31 - i);
      ctx.lineTo(1 + i, 31 - i);
      ctx.lineTo(1 + i, 12.5);
      break;
    case 'diamond':
      ctx.moveTo(16, i * 1.4);
      ctx.lineTo(32 - i * 1.4, 16);
      ctx.lineTo(16, 32 - i * 1.4);
      ctx.lineTo(i * 1.4, 16);
      break;
  }
  ctx.closePath();
}

/**
 * Draws a symbol with its box's top-left corner at (x, y), `size` pixels wide and high (in
 * the context's current units). Needs a 2D canvas context with Path2D (every browser, the
 * Tauri webview included).
 */
export function drawSymbol(ctx: CanvasRenderingContext2D, spec: SymbolSpec, x: number, y: number, size: number): void {
  ctx.save();
  ctx.translate(x, y);
  ctx.scale(size / SYMBOL_BOX, size / SYMBOL_BOX);
  ctx.lineJoin = 'round';
  ctx.lineCap = 'round';
  framePath(ctx, spec.frame, spec.strokeWidth);
  ctx.fillStyle = spec.fill;
  ctx.fill();
  ctx.lineWidth = spec.strokeWidth;
  ctx.strokeStyle = spec.stroke;
  ctx.stroke();
  if (spec.text !== undefined) {
    ctx.fillStyle = spec.ink;
    ctx.font = 'bold 13px sans-serif';
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    ctx.fillText(spec.text, 16, 16.5);
  } else if (spec.glyph) {
    const parts = GLYPHS[spec.glyph] ?? [];
    const slot = GLYPH_SLOT[spec.frame];
    ctx.translate(slot.x - slot.size / 2, slot.y - slot.size / 2);
    ctx.scale(slot.size / GLYPH_BOX, slot.size / GLYPH_BOX);
    ctx.fillStyle = spec.ink;
    ctx.strokeStyle = spec.ink;
    for (const part of parts) {
      const path = new Path2D(part.d);
      if (part.stroke) {
        ctx.lineWidth = part.stroke;
        ctx.stroke(path);
      } else {
        ctx.fill(path);
      }
    }
  }
  ctx.restore();
}

function canvas2d(px: number): { canvas: HTMLCanvasElement; ctx: CanvasRenderingContext2D } {
  const canvas = document.createElement('canvas');
  canvas.width = px;
  canvas.height = px;
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx) throw new Error('2D canvas unavailable');
  return { canvas, ctx };
}

/** The symbol as RGBA pixels for `map.addImage(id, image, { pixelRatio })`. */
export function rasterise(spec: SymbolSpec, pixelRatio: number): { width: number; height: number; data: Uint8Array } {
  const px = Math.round(SYMBOL_BOX * pixelRatio);
  const { ctx } = canvas2d(px);
  drawSymbol(ctx, spec, 0, 0, px);
  const img = ctx.getImageData(0, 0, px, px);
  return { width: px, height: px, data: new Uint8Array(img.data.buffer) };
}

const urls = new Map<string, string>();

/** The symbol as a PNG data: URL `px` pixels square (legends; CSP img-src allows data:). */
export function symbolDataUrl(spec: SymbolSpec, px = 48): string {
  const key = `${px}|${JSON.stringify(spec)}`;
  let url = urls.get(key);
  if (url === undefined) {
    const { canvas, ctx } = canvas2d(px);
    drawSymbol(ctx, spec, 0, 0, px);
    url = canvas.toDataURL('image/png');
    urls.set(key, url);
  }
  return url;
}
