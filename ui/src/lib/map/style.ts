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
import { CLUSTER_FILL, LAYER_COLOUR, UNKNOWN_COLOUR, matchColour, type Palette } from './palette';
import { SYMBOL_BOX, SYMBOL_PX, iconImage } from './symbols';

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
  /** The feature's hit area (not drawn): clicks and `rendered()` query it. */
  circle: `${l}-circle`,
  /** The feature's symbol (icon drawn from `symbols.ts`). */
  symbol: `${l}-symbol`,
  label: `${l}-label`,
  selected: `${l}-selected`,
  /** Cluster circles and their counts (clustered layers only). */
  cluster: `${l}-cluster`,
  clusterCount: `${l}-cluster-count`,
  /** The live overlay's source: the latest version of features changed a moment ago (`live.ts`). */
  live: `situation-${l}-live`,
});

/**
 * The live overlay's twin of a situation layer: drawn the same from the layer's live source,
 * right above it (an id ending as the original's, so `-selected` still names selection rings).
 */
export const liveId = (id: string): string => `live-${id}`;

/**
 * The feature-state flag on a feature of a situation source whose newer version the live
 * overlay draws: the old copy turns transparent until the source has the new one.
 */
export const STALE = 'stale';

/** The response level's ring round an incident (drawn under its symbol; the level's colour). */
export const RESPONSE_RING = 'incidents-response';

/** The incidents' layers beyond the common ones (halo of active incidents, response ring). */
export const INCIDENT_EXTRAS: readonly string[] = ['incidents-halo', RESPONSE_RING];

/** The layers whose features can be clicked (and are counted by `rendered()`), twins included. */
export const CLICKABLE: readonly string[] = LAYERS.flatMap((l) => [situationIds(l).circle, liveId(situationIds(l).circle)]);


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

/** The layers whose sources cluster below `CLUSTER.maxZoom` (incidents never do). */
export const CLUSTERED: readonly Layer[] = ['warehouses', 'shelters', 'hazards', 'teams'];

/** The cluster circle layers (clicking one zooms in; `rendered()` counts their points). */
export const CLUSTER_LAYERS: readonly string[] = CLUSTERED.map((l) => situationIds(l).cluster);

/**
 * Clustering of the dense layers, at scale 1: points within `radius` px of each other group
 * into one circle with a count when at least `minPoints` of them do, up to `maxZoom`
 * (clusters show until maxZoom + 1). A source holding more features clusters longer
 * (`dense`: more than 2,000 → z13, more than 20,000 → z14), so a layer of ten thousand
 * points never has thousands of single symbols and labels on screen. The demo set shows a
 * couple of clusters in the city centre at its opening view. A 4K wall (scale k) gets a
 * radius × k and a maximum zoom + log2(k), rounded (supercluster works on integer zooms),
 * as every other threshold.
 */
export const CLUSTER = {
  maxZoom: 11,
  radius: 32,
  minPoints: 8,
  dense: [
    [2_000, 13],
    [20_000, 14],
  ],
} as const;

/** The largest zoom at which a source of `count` features clusters, at scale 1. */
export function clusterMaxZoom(count: number): number {
  let z: number = CLUSTER.maxZoom;
  for (const [more, zoom] of CLUSTER.dense) if (count > more) z = zoom;
  return z;
}

/**
 * The cluster options of a clustered source holding `count` features at scale `k`
 * (`setClusterOptions` takes them too).
 */
export function clusterOptions(k: number, count = 0): { clusterMaxZoom: number; clusterRadius: number } {
  return { clusterMaxZoom: clusterMaxZoom(count) + Math.round(zoomShift(k)), clusterRadius: Math.round(CLUSTER.radius * k) };
}

/** Filter of a clustered source's single features (cluster features have `point_count`). */
const NOT_CLUSTER = F(['!', ['has', 'point_count']]);

/** Outline width of each layer's (invisible) hit circle, part of its radius for picking. */
const HIT_STROKE: Record<Layer, number> = { incidents: 2.5, teams: 3, warehouses: 4.5, shelters: 1.5, hazards: 2 };

function situationLayers(s: StyleInput): LayerSpecification[] {
  const p = s.palette;
  /** A size at z10 on the common zoom curve: ×0.55 at z4, ×1.5 at z14. */
  const curve = (base: number) => zoomLinear(4, round3(base * 0.55), 10, base, 14, round3(base * 1.5));
  const out: LayerSpecification[] = [];
  // Cluster circles and their counts under every single feature: a feature drawn on its own
  // (an incident, which never clusters) is never hidden by another layer's cluster.
  for (const l of CLUSTERED) {
    const ids = situationIds(l);
    out.push({
      id: ids.cluster,
      type: 'circle',
      source: ids.source,
      filter: F(['has', 'point_count']),
      paint: {
        'circle-radius': E(['step', ['to-number', ['get', 'point_count'], 0], 13, 25, 16, 250, 20, 2500, 25]),
        'circle-color': CLUSTER_FILL,
        'circle-opacity': 0.92,
        'circle-stroke-color': LAYER_COLOUR[l],
        'circle-stroke-width': 3,
      },
    });
    out.push({
      id: ids.clusterCount,
      type: 'symbol',
      source: ids.source,
      filter: F(['has', 'point_count']),
      layout: {
        'text-field': ['get', 'point_count_abbreviated'],
        'text-font': FONT,
        'text-size': 13,
        'text-allow-overlap': true,
        'text-ignore-placement': true,
      },
      paint: { 'text-color': '#ffffff' },
    });
  }
  for (const l of LAYERS) {
    const ids = situationIds(l);
    const clustered = CLUSTERED.includes(l);
    const only = clustered ? { filter: NOT_CLUSTER } : {};
    const px = SYMBOL_PX[l];
    if (l === 'incidents') {
      out.push({
        id: 'incidents-halo',
        type: 'circle',
        source: ids.source,
        filter: F(['==', ['get', 'status'], 'active']),
        paint: { 'circle-radius': curve(24), 'circle-color': E(matchColour('grade', p.incidentGrade)), 'circle-opacity': 0.22, 'circle-blur': 0.6 },
      });
      // The response level in force: a ring in the level's colour, outside the selection ring.
      out.push({
        id: RESPONSE_RING,
        type: 'circle',
        source: ids.source,
        filter: F(['>', RESPONSE, 0]),
        paint: { 'circle-radius': curve(25), 'circle-color': 'rgba(0,0,0,0)', 'circle-stroke-color': responseColour(p), 'circle-stroke-width': 4 },
      });
    }
    // The hit area of each feature: an undrawn circle as large as its symbol (MapLibre skips
    // drawing a circle layer whose fill and outline are both fully transparent), so clicks
    // and `rendered()` work on circles exactly as before the symbols.
    out.push({
      id: ids.circle,
      type: 'circle',
      source: ids.source,
      ...only,
      paint: {
        'circle-radius': curve(round3(px / 2 - HIT_STROKE[l])),
        'circle-stroke-width': HIT_STROKE[l],
        'circle-opacity': 0,
        'circle-stroke-opacity': 0,
      },
    });
    out.push({
      id: ids.symbol,
      type: 'symbol',
      source: ids.source,
      ...only,
      layout: {
        'icon-image': E(iconImage(l)),
        'icon-size': curve(round3(px / SYMBOL_BOX)),
        'icon-allow-overlap': true,
        'icon-ignore-placement': true,
        ...(SORT_KEY[l] ? { 'symbol-sort-key': SORT_KEY[l] } : {}),
      },
      paint: { 'icon-opacity': l === 'incidents' ? E(['case', ['==', ['get', 'status'], 'closed'], 0.45, 1]) : 1 },
    });
    out.push({
      id: ids.selected,
      type: 'circle',
      source: ids.source,
      filter: F(['==', ['get', 'id'], '']),
      paint: {
        'circle-radius': zoomLinear(4, 12, 10, l === 'incidents' ? 21 : 18, 14, l === 'incidents' ? 30 : 25),
        'circle-color': 'rgba(0,0,0,0)',
        'circle-stroke-color': COLOURS.selected,
        'circle-stroke-width': 3,
      },
    });
  }
  // Labels after all symbols, so no symbol hides a label.
  for (const l of LAYERS) {
    const ids = situationIds(l);
    const size = l === 'incidents' ? 16 : 13;
    out.push({
      id: ids.label,
      type: 'symbol',
      source: ids.source,
      minzoom: l === 'incidents' ? 8 : 11,
      ...(CLUSTERED.includes(l) ? { filter: NOT_CLUSTER } : {}),
      layout: {
        'text-field': l === 'incidents' ? incidentLabel(p) : ['get', 'name'],
        'text-font': FONT,
        'text-size': size,
        // Below the symbol as drawn at z14 (1.5 × its z10 size), in ems of the text size.
        'text-offset': [0, round3((SYMBOL_PX[l] * 0.75 + 2) / size)],
        'text-anchor': 'top',
        'text-max-width': 10,
        'text-optional': true,
      },
      paint: { 'text-color': l === 'incidents' ? '#ffffff' : '#dfe9f5', 'text-halo-color': COLOURS.halo, 'text-halo-width': 2 },
    });
  }
  return out.flatMap(withLiveTwin);
}

/** An incident's response level in force (0: none). */
const RESPONSE = E(['to-number', ['get', 'response'], 0]);

/** The colour of each response level (the grade colours). */
const responseColour = (p: Palette): ExpressionSpecification =>
  E(['match', RESPONSE, ...p.responseLevel.flatMap((r) => [r.level, r.colour]), UNKNOWN_COLOUR]);

/**
 * An incident's label: its name, and while a response runs a second line "Ⅲ级响应" in the
 * level's colour.
 */
function incidentLabel(p: Palette): ExpressionSpecification {
  const level = E(['match', RESPONSE, ...p.responseLevel.flatMap((r) => [r.level, r.label]), '']);
  return E(['case', ['>', RESPONSE, 0], ['format', ['get', 'name'], {}, '\n', {}, level, { 'text-color': responseColour(p) }], ['get', 'name']]);
}

/** The opacity paint properties of the layer types the situation layers use (default 1). */
const OPACITY: Partial<Record<LayerSpecification['type'], readonly string[]>> = {
  circle: ['circle-opacity', 'circle-stroke-opacity'],
  symbol: ['icon-opacity', 'text-opacity'],
};

/**
 * A situation layer as drawn with the live overlay: itself, with its stale copies transparent,
 * followed by its twin on the live source (never clustered: no cluster filter). Cluster
 * layers have no twin. An opacity of 0 stays a constant, so MapLibre still skips drawing an
 * invisible hit circle.
 */
function withLiveTwin(spec: LayerSpecification): LayerSpecification[] {
  if (spec.type !== 'circle' && spec.type !== 'symbol') return [spec];
  const l = LAYERS.find((x) => situationIds(x).source === spec.source);
  if (!l || spec.id === situationIds(l).cluster || spec.id === situationIds(l).clusterCount) return [spec];
  const paint: Record<string, unknown> = { ...spec.paint };
  for (const name of OPACITY[spec.type] ?? []) {
    const v = paint[name] ?? 1;
    if (v !== 0) paint[name] = E(['case', ['boolean', ['feature-state', STALE], false], 0, v]);
  }
  const { filter, ...rest } = spec;
  const twin = { ...rest, id: liveId(spec.id), source: situationIds(l).live, ...(filter && filter !== NOT_CLUSTER ? { filter } : {}) };
  return [{ ...spec, paint } as LayerSpecification, twin as LayerSpecification];
}

/** Which features draw on top: teams on scene over the rest, active and higher-grade incidents over others. */
const SORT_KEY: Partial<Record<Layer, ExpressionSpecification>> = {
  teams: E(['match', ['get', 'status'], 'on_scene', 4, 'en_route', 3, 'dispatched', 2, 'returning', 1, 0]),
  incidents: E(['+', ['case', ['==', ['get', 'status'], 'active'], 10, 0], ['-', 5, ['to-number', ['get', 'grade'], 5]]]),
};

/**
 * A situation source, empty. Points only, and MapLibre draws circles and symbols unclipped
 * across tile edges, so no tile buffer: each point is in one tile, and a diff reloads only the
 * tiles its points are in (the default buffer, a quarter tile, reloads up to four).
 */
function emptySource(l: Layer, k: number, cluster = CLUSTERED.includes(l)): GeoJSONSourceSpecification {
  const base: GeoJSONSourceSpecification = { type: 'geojson', data: { type: 'FeatureCollection', features: [] }, promoteId: 'id', buffer: 0 };
  return cluster ? { ...base, cluster: true, clusterMinPoints: CLUSTER.minPoints, ...clusterOptions(k) } : base;
}

export function buildStyle(s: StyleInput): StyleSpecification {
  const sources: StyleSpecification['sources'] = {
    [BASEMAP_SOURCE]: { type: 'vector', tiles: [s.tiles], minzoom: 4, maxzoom: 12 },
  };
  for (const l of LAYERS) {
    sources[situationIds(l).source] = emptySource(l, s.scale ?? 1);
    sources[situationIds(l).live] = emptySource(l, s.scale ?? 1, false);
  }
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
  layout: ['text-size', 'text-padding', 'symbol-spacing', 'icon-size'],
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
