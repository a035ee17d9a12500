// The map style, written in code: a dark, high-contrast command-hall basemap from the
// offline vector pack (layer contract: offline-tiles/README.md) and the situation layers
// on top. Every URL in it points at the host serving the app.
import type {
  DataDrivenPropertyValueSpecification,
  ExpressionSpecification,
  FilterSpecification,
  LayerSpecification,
  LineLayerSpecification,
  SymbolLayerSpecification,
  StyleSpecification,
  GeoJSONSourceSpecification,
} from '@maplibre/maplibre-gl-style-spec';
import type { Layer } from '../bindings/Layer';
import { LAYERS } from './features';
import { matchColour, type Palette } from './palette';

export const BASEMAP_SOURCE = 'basemap';
export const FONT = ['Noto Sans Regular'];

export const COLOURS = {
  background: '#07111f',
  land: '#0c1a2c',
  landTonghua: '#11253d',
  landRegion: '#173a5e',
  province: '#b9d3f0',
  city: '#7fa7d1',
  county: '#4f7296',
  township: '#6d95bd',
  regionOutline: '#4fd1ff',
  riverMajor: '#2f86e0',
  riverMinor: '#1f5e9e',
  border: '#c0583a',
  label: '#e2ecf8',
  labelMinor: '#a8bdd6',
  halo: '#07111f',
  selected: '#ffffff',
} as const;

/** The ids of the MapLibre layers drawn for a situation layer. */
export const situationIds = (l: Layer) => ({
  source: `situation-${l}`,
  circle: `${l}-circle`,
  label: `${l}-label`,
  selected: `${l}-selected`,
});

/** The layers whose features can be clicked (and are counted by `rendered()`). */
export const CLICKABLE: readonly string[] = LAYERS.map((l) => situationIds(l).circle);

export interface StyleInput {
  tiles: string;
  glyphs: string;
  /** 6-digit code of the county the console opens on (e.g. 220502). */
  region6: string;
  /** 6-digit code of its prefecture (e.g. 220500). */
  city6: string;
  palette: Palette;
  /**
   * Screen scale of the map (the root font size / 16: 1 up to 1920×1080, 2 at 3840×2160,
   * see `mapScale`): multiplies its pixel sizes (text, halos, circles, strokes, lines) and
   * moves its zoom thresholds by log2(scale), so a 4K wall shows a 2× copy. Default 1.
   */
  scale?: number;
}

const E = (e: unknown[]): ExpressionSpecification => e as ExpressionSpecification;
const F = (e: unknown[]): FilterSpecification => e as FilterSpecification;

const zoomLinear = (...stops: number[]): ExpressionSpecification => E(['interpolate', ['linear'], ['zoom'], ...stops]);

const labelText = E(['case', ['!=', ['coalesce', ['get', 'name_zh'], ''], ''], ['get', 'name_zh'], ['coalesce', ['get', 'name_en'], '']]);

interface LineOptions {
  minzoom?: number;
  filter?: FilterSpecification;
  layout?: LineLayerSpecification['layout'];
  paint?: LineLayerSpecification['paint'];
}

/** A basemap line layer of `colour`, `width` px wide. */
function line(id: string, sourceLayer: string, colour: string, width: ExpressionSpecification, o: LineOptions = {}): LayerSpecification {
  const { paint, ...rest } = o;
  return { id, type: 'line', source: BASEMAP_SOURCE, 'source-layer': sourceLayer, ...rest, paint: { 'line-color': colour, 'line-width': width, ...paint } };
}

interface LabelOptions {
  minzoom?: number;
  filter?: FilterSpecification;
  layout?: SymbolLayerSpecification['layout'];
  haloWidth: number;
}

/** A basemap label layer: `text` in the glyph font, `size` px, on a background halo. */
function label(id: string, sourceLayer: string, text: unknown, size: number | ExpressionSpecification, colour: string, o: LabelOptions): LayerSpecification {
  const { layout, haloWidth, ...rest } = o;
  return {
    id,
    type: 'symbol',
    source: BASEMAP_SOURCE,
    'source-layer': sourceLayer,
    ...rest,
    layout: { ...layout, 'text-field': text as ExpressionSpecification, 'text-font': FONT, 'text-size': size },
    paint: { 'text-color': colour, 'text-halo-color': COLOURS.halo, 'text-halo-width': haloWidth },
  };
}

const round = { 'line-join': 'round' } as const;
const roundCap = { 'line-join': 'round', 'line-cap': 'round' } as const;
const rank = ['to-number', ['get', 'rank'], 5];

function basemapLayers(s: StyleInput): LayerSpecification[] {
  return [
    { id: 'background', type: 'background', paint: { 'background-color': COLOURS.background } },
    {
      id: 'county-fill',
      type: 'fill',
      source: BASEMAP_SOURCE,
      'source-layer': 'county',
      paint: {
        'fill-color': E([
          'case',
          ['==', ['get', 'code6'], s.region6],
          COLOURS.landRegion,
          ['==', ['get', 'city6'], s.city6],
          COLOURS.landTonghua,
          COLOURS.land,
        ]),
        'fill-opacity': 0.95,
      },
    },
    line('township-line', 'township', COLOURS.township, zoomLinear(9, 0.6, 13, 1.4), { minzoom: 9, paint: { 'line-dasharray': [1, 2], 'line-opacity': 0.8 } }),
    line('river-minor', 'river', COLOURS.riverMinor, zoomLinear(4, 0.4, 12, 1.6), { filter: F(['!=', ['get', 'class'], 'major']), layout: roundCap }),
    line('river-major', 'river', COLOURS.riverMajor, zoomLinear(4, 0.8, 12, 3.2), { filter: F(['==', ['get', 'class'], 'major']), layout: roundCap }),
    line('county-line', 'county', COLOURS.county, zoomLinear(6, 0.5, 12, 1.4), { minzoom: 6, paint: { 'line-dasharray': [4, 2] } }),
    line('city-line', 'city', COLOURS.city, zoomLinear(4, 0.6, 12, 2.2)),
    line('province-line', 'province', COLOURS.province, zoomLinear(4, 1.4, 12, 4), { layout: round }),
    line('region-outline', 'county', COLOURS.regionOutline, zoomLinear(4, 1.5, 12, 3.5), {
      filter: F(['==', ['get', 'code6'], s.region6]),
      layout: round,
      paint: { 'line-opacity': 0.9 },
    }),
    line('border-casing', 'border', COLOURS.border, zoomLinear(4, 4, 12, 9), { paint: { 'line-opacity': 0.18 } }),
    line('border-line', 'border', COLOURS.border, zoomLinear(4, 1.6, 12, 3), { paint: { 'line-dasharray': [5, 2, 1, 2] } }),
    label('river-label', 'river', ['get', 'name_zh'], 14, '#7fb8ff', {
      minzoom: 8,
      filter: F(['!=', ['coalesce', ['get', 'name_zh'], ''], '']),
      layout: { 'symbol-placement': 'line', 'symbol-spacing': 400 },
      haloWidth: 1.5,
    }),
    label('place-minor', 'place', labelText, zoomLinear(9, 12, 13, 15), COLOURS.labelMinor, {
      minzoom: 9,
      filter: F(['>=', rank, 4]),
      layout: { 'text-padding': 4 },
      haloWidth: 1.5,
    }),
    label('place-major', 'place', labelText, E(['interpolate', ['linear'], ['zoom'], 4, ['match', rank, 1, 15, 2, 13, 12], 10, ['match', rank, 1, 22, 2, 19, 16]]), COLOURS.label, {
      filter: F(['<', rank, 4]),
      layout: { 'text-padding': 6 },
      haloWidth: 2,
    }),
  ];
}

interface SituationLook {
  fill: ExpressionSpecification;
  stroke: ExpressionSpecification | string;
  strokeWidth: number;
  /** Circle radius at z10 (×0.55 at z4, ×1.5 at z14). */
  radius: number;
  opacity?: ExpressionSpecification | number;
}

function situationLayers(s: StyleInput): LayerSpecification[] {
  const p = s.palette;
  const radius = (base: number) => zoomLinear(4, base * 0.55, 10, base, 14, base * 1.5);
  // Fill, ring (colour, width) and radius at z10 of each layer's circles.
  const looks: Record<Layer, SituationLook> = {
    incidents: { fill: E(matchColour('grade', p.incidentGrade)), stroke: '#ffffff', strokeWidth: 2.5, radius: 11, opacity: E(['case', ['==', ['get', 'status'], 'closed'], 0.45, 1]) },
    teams: { fill: E(matchColour('status', p.teamStatus)), stroke: E(matchColour('class', p.teamType)), strokeWidth: 3, radius: 7 },
    warehouses: { fill: E(['literal', '#101c2c']), stroke: E(matchColour('class', p.warehouseTier)), strokeWidth: 4.5, radius: 7 },
    shelters: { fill: E(matchColour('status', p.shelterStatus)), stroke: '#e8f6ff', strokeWidth: 1.5, radius: 7 },
    hazards: { fill: E(matchColour('class', p.hazardKind)), stroke: '#2b0a0a', strokeWidth: 2, radius: 6.5 },
  };
  const out: LayerSpecification[] = [];
  for (const l of LAYERS) {
    const ids = situationIds(l);
    const { fill, stroke, strokeWidth, radius: z10, opacity = 1 } = looks[l];
    if (l === 'incidents') {
      out.push({
        id: 'incidents-halo',
        type: 'circle',
        source: ids.source,
        filter: F(['==', ['get', 'status'], 'active']),
        paint: { 'circle-radius': radius(24), 'circle-color': fill, 'circle-opacity': 0.22, 'circle-blur': 0.6 },
      });
    }
    out.push({
      id: ids.circle,
      type: 'circle',
      source: ids.source,
      paint: {
        'circle-radius': radius(z10),
        'circle-color': fill,
        'circle-stroke-color': stroke,
        'circle-stroke-width': strokeWidth,
        'circle-opacity': opacity,
        'circle-stroke-opacity': opacity,
      },
    });
    out.push({
      id: ids.selected,
      type: 'circle',
      source: ids.source,
      filter: F(['==', ['get', 'id'], '']),
      paint: {
        'circle-radius': zoomLinear(4, 12, 10, 18, 14, 24),
        'circle-color': 'rgba(0,0,0,0)',
        'circle-stroke-color': COLOURS.selected,
        'circle-stroke-width': 3,
      },
    });
  }
  // Labels after all circles, so no circle hides a label.
  for (const l of LAYERS) {
    const ids = situationIds(l);
    out.push({
      id: ids.label,
      type: 'symbol',
      source: ids.source,
      minzoom: l === 'incidents' ? 8 : 11,
      layout: {
        'text-field': ['get', 'name'],
        'text-font': FONT,
        'text-size': l === 'incidents' ? 16 : 13,
        'text-offset': [0, 1.3],
        'text-anchor': 'top',
        'text-max-width': 10,
        'text-optional': true,
      },
      paint: { 'text-color': l === 'incidents' ? '#ffffff' : '#dfe9f5', 'text-halo-color': COLOURS.halo, 'text-halo-width': 2 },
    });
  }
  return out;
}

function emptySource(): GeoJSONSourceSpecification {
  return { type: 'geojson', data: { type: 'FeatureCollection', features: [] }, promoteId: 'id' };
}

export function buildStyle(s: StyleInput): StyleSpecification {
  const sources: StyleSpecification['sources'] = {
    [BASEMAP_SOURCE]: { type: 'vector', tiles: [s.tiles], minzoom: 4, maxzoom: 12 },
  };
  for (const l of LAYERS) sources[situationIds(l).source] = emptySource();
  return {
    version: 8,
    name: 'OneMap command hall',
    glyphs: s.glyphs,
    sources,
    layers: scaleLayers([...basemapLayers(s), ...situationLayers(s)], s.scale ?? 1),
  };
}

/** The layout and paint properties in screen pixels, which the scale factor multiplies. */
export const SCALED_PROPERTIES = {
  layout: ['text-size', 'text-padding', 'symbol-spacing'],
  paint: ['circle-radius', 'circle-stroke-width', 'line-width', 'text-halo-width'],
} as const;

/**
 * The map's scale factor from the root font size (`getComputedStyle(html).fontSize`), which
 * the one rule in `scale.css` sets: 16 px → 1 (up to 1920×1080), 32 px → 2 (3840×2160).
 */
export function mapScale(rootFontSize: string | number): number {
  const px = typeof rootFontSize === 'number' ? rootFontSize : parseFloat(rootFontSize);
  if (!Number.isFinite(px) || px <= 0) return 1;
  return round3(Math.min(32, Math.max(16, px)) / 16);
}

/**
 * Zoom levels the scale adds: a map `k` times larger shows the same area log2(k) levels
 * higher, so every zoom threshold moves by that much (a 4K wall: +1).
 */
export const zoomShift = (k: number): number => round3(Math.log2(k));

const round3 = (v: number): number => Math.round(v * 1000) / 1000;
const isZoom = (v: unknown): boolean => Array.isArray(v) && v.length === 1 && v[0] === 'zoom';

/**
 * A pixel size at scale `k`: a number times `k`, or an `interpolate` / `step` / `match` /
 * `case` expression with its outputs times `k` and its zoom stops moved by `zoomShift(k)`
 * (a zoom curve must stay the top-level expression, so it is not wrapped in `*`).
 */
export function scaleValue(v: unknown, k: number): unknown {
  if (k === 1) return v;
  if (typeof v === 'number') return round3(v * k);
  if (!Array.isArray(v)) return v;
  const dz = isZoom(v[v[0] === 'interpolate' ? 2 : 1]) ? zoomShift(k) : 0;
  const map = (isOutput: (i: number) => boolean, isStop: (i: number) => boolean): unknown[] =>
    v.map((x: unknown, i: number) => (isOutput(i) ? scaleValue(x, k) : isStop(i) && typeof x === 'number' ? round3(x + dz) : x));
  switch (v[0]) {
    case 'interpolate': // op, curve, input, (stop, output)…
      return map((i) => i >= 4 && i % 2 === 0, (i) => i >= 3);
    case 'step': // op, input, output, (stop, output)…
      return map((i) => i >= 2 && i % 2 === 0, (i) => i >= 3);
    case 'match': // op, input, (label, output)…, fallback
      return map((i) => i >= 3 && (i % 2 === 1 || i === v.length - 1), () => false);
    case 'case': // op, (condition, output)…, fallback
      return map((i) => i >= 2 && (i % 2 === 0 || i === v.length - 1), () => false);
    default:
      return ['*', k, v];
  }
}

/** A pixel size: a number or an expression giving one. */
type Size = DataDrivenPropertyValueSpecification<number>;

/** One pixel-sized property of a layer, at scale `k`. */
export type SizeProperty =
  | { layer: string; kind: 'layout'; name: (typeof SCALED_PROPERTIES.layout)[number]; value: Size }
  | { layer: string; kind: 'paint'; name: (typeof SCALED_PROPERTIES.paint)[number]; value: Size };

/** Every pixel-sized property of `layers` (built at scale 1), at scale `k`. */
export function sizeProperties(layers: readonly LayerSpecification[], k: number): SizeProperty[] {
  const out: SizeProperty[] = [];
  for (const l of layers) {
    const { layout, paint } = l as { layout?: Record<string, unknown>; paint?: Record<string, unknown> };
    for (const name of SCALED_PROPERTIES.layout) if (layout && name in layout) out.push({ layer: l.id, kind: 'layout', name, value: scaleValue(layout[name], k) as Size });
    for (const name of SCALED_PROPERTIES.paint) if (paint && name in paint) out.push({ layer: l.id, kind: 'paint', name, value: scaleValue(paint[name], k) as Size });
  }
  return out;
}

/** The zoom range of every layer (built at scale 1) with a minimum zoom, at scale `k`. */
export function zoomRanges(layers: readonly LayerSpecification[], k: number): { layer: string; minzoom: number; maxzoom: number }[] {
  return layers.flatMap((l) => (l.minzoom === undefined ? [] : [{ layer: l.id, minzoom: round3(l.minzoom + zoomShift(k)), maxzoom: l.maxzoom ?? 24 }]));
}

function scaleLayers(layers: LayerSpecification[], k: number): LayerSpecification[] {
  if (k === 1) return layers;
  const byId = new Map(layers.map((l) => [l.id, { ...l } as Record<string, unknown> & LayerSpecification]));
  for (const p of sizeProperties(layers, k)) {
    const l = byId.get(p.layer);
    if (l) l[p.kind] = { ...(l[p.kind] as object), [p.name]: p.value };
  }
  for (const z of zoomRanges(layers, k)) {
    const l = byId.get(z.layer);
    if (l) l.minzoom = z.minzoom;
  }
  return layers.map((l) => byId.get(l.id) ?? l);
}
