// The map style, written in code: a dark, high-contrast command-hall basemap from the
// offline vector pack (layer contract: offline-tiles/README.md) and the situation layers
// on top. Every URL in it points at the host serving the app.
import type {
  ExpressionSpecification,
  FilterSpecification,
  LayerSpecification,
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
}

const E = (e: unknown[]): ExpressionSpecification => e as ExpressionSpecification;
const F = (e: unknown[]): FilterSpecification => e as FilterSpecification;

const zoomLinear = (...stops: number[]): ExpressionSpecification => E(['interpolate', ['linear'], ['zoom'], ...stops]);

const labelText = E(['case', ['!=', ['coalesce', ['get', 'name_zh'], ''], ''], ['get', 'name_zh'], ['coalesce', ['get', 'name_en'], '']]);

function basemapLayers(s: StyleInput): LayerSpecification[] {
  const src = BASEMAP_SOURCE;
  return [
    { id: 'background', type: 'background', paint: { 'background-color': COLOURS.background } },
    {
      id: 'county-fill',
      type: 'fill',
      source: src,
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
    {
      id: 'township-line',
      type: 'line',
      source: src,
      'source-layer': 'township',
      minzoom: 9,
      paint: { 'line-color': COLOURS.township, 'line-width': zoomLinear(9, 0.6, 13, 1.4), 'line-dasharray': [1, 2], 'line-opacity': 0.8 },
    },
    {
      id: 'river-minor',
      type: 'line',
      source: src,
      'source-layer': 'river',
      filter: F(['!=', ['get', 'class'], 'major']),
      layout: { 'line-join': 'round', 'line-cap': 'round' },
      paint: { 'line-color': COLOURS.riverMinor, 'line-width': zoomLinear(4, 0.4, 12, 1.6) },
    },
    {
      id: 'river-major',
      type: 'line',
      source: src,
      'source-layer': 'river',
      filter: F(['==', ['get', 'class'], 'major']),
      layout: { 'line-join': 'round', 'line-cap': 'round' },
      paint: { 'line-color': COLOURS.riverMajor, 'line-width': zoomLinear(4, 0.8, 12, 3.2) },
    },
    {
      id: 'county-line',
      type: 'line',
      source: src,
      'source-layer': 'county',
      minzoom: 6,
      paint: { 'line-color': COLOURS.county, 'line-width': zoomLinear(6, 0.5, 12, 1.4), 'line-dasharray': [4, 2] },
    },
    {
      id: 'city-line',
      type: 'line',
      source: src,
      'source-layer': 'city',
      paint: { 'line-color': COLOURS.city, 'line-width': zoomLinear(4, 0.6, 12, 2.2) },
    },
    {
      id: 'province-line',
      type: 'line',
      source: src,
      'source-layer': 'province',
      layout: { 'line-join': 'round' },
      paint: { 'line-color': COLOURS.province, 'line-width': zoomLinear(4, 1.4, 12, 4) },
    },
    {
      id: 'region-outline',
      type: 'line',
      source: src,
      'source-layer': 'county',
      filter: F(['==', ['get', 'code6'], s.region6]),
      layout: { 'line-join': 'round' },
      paint: { 'line-color': COLOURS.regionOutline, 'line-width': zoomLinear(4, 1.5, 12, 3.5), 'line-opacity': 0.9 },
    },
    {
      id: 'border-casing',
      type: 'line',
      source: src,
      'source-layer': 'border',
      paint: { 'line-color': COLOURS.border, 'line-width': zoomLinear(4, 4, 12, 9), 'line-opacity': 0.18 },
    },
    {
      id: 'border-line',
      type: 'line',
      source: src,
      'source-layer': 'border',
      paint: { 'line-color': COLOURS.border, 'line-width': zoomLinear(4, 1.6, 12, 3), 'line-dasharray': [5, 2, 1, 2] },
    },
    {
      id: 'river-label',
      type: 'symbol',
      source: src,
      'source-layer': 'river',
      minzoom: 8,
      filter: F(['!=', ['coalesce', ['get', 'name_zh'], ''], '']),
      layout: {
        'symbol-placement': 'line',
        'text-field': ['get', 'name_zh'],
        'text-font': FONT,
        'text-size': 14,
        'symbol-spacing': 400,
      },
      paint: { 'text-color': '#7fb8ff', 'text-halo-color': COLOURS.halo, 'text-halo-width': 1.5 },
    },
    {
      id: 'place-minor',
      type: 'symbol',
      source: src,
      'source-layer': 'place',
      minzoom: 9,
      filter: F(['>=', ['to-number', ['get', 'rank'], 5], 4]),
      layout: {
        'text-field': labelText,
        'text-font': FONT,
        'text-size': zoomLinear(9, 12, 13, 15),
        'text-padding': 4,
      },
      paint: { 'text-color': COLOURS.labelMinor, 'text-halo-color': COLOURS.halo, 'text-halo-width': 1.5 },
    },
    {
      id: 'place-major',
      type: 'symbol',
      source: src,
      'source-layer': 'place',
      filter: F(['<', ['to-number', ['get', 'rank'], 5], 4]),
      layout: {
        'text-field': labelText,
        'text-font': FONT,
        'text-size': E(['interpolate', ['linear'], ['zoom'], 4, ['match', ['to-number', ['get', 'rank'], 5], 1, 15, 2, 13, 12], 10, ['match', ['to-number', ['get', 'rank'], 5], 1, 22, 2, 19, 16]]),
        'text-padding': 6,
      },
      paint: { 'text-color': COLOURS.label, 'text-halo-color': COLOURS.halo, 'text-halo-width': 2 },
    },
  ];
}

function situationLayers(s: StyleInput): LayerSpecification[] {
  const p = s.palette;
  const radius = (base: number) => zoomLinear(4, base * 0.55, 10, base, 14, base * 1.5);
  const out: LayerSpecification[] = [];
  for (const l of LAYERS) {
    const ids = situationIds(l);
    let fill: ExpressionSpecification;
    let stroke: ExpressionSpecification | string = '#0b1626';
    let strokeWidth: ExpressionSpecification | number = 2;
    let r = radius(8);
    let opacity: ExpressionSpecification | number = 1;
    switch (l) {
      case 'incidents':
        fill = E(matchColour('grade', p.incidentGrade));
        stroke = '#ffffff';
        strokeWidth = 2.5;
        r = radius(11);
        opacity = E(['case', ['==', ['get', 'status'], 'closed'], 0.45, 1]);
        break;
      case 'teams':
        fill = E(matchColour('status', p.teamStatus));
        stroke = E(matchColour('class', p.teamType));
        strokeWidth = 3;
        r = radius(7);
        break;
      case 'warehouses':
        fill = E(['literal', '#101c2c']);
        stroke = E(matchColour('class', p.warehouseTier));
        strokeWidth = 4.5;
        r = radius(7);
        break;
      case 'shelters':
        fill = E(matchColour('status', p.shelterStatus));
        stroke = '#e8f6ff';
        strokeWidth = 1.5;
        r = radius(7);
        break;
      case 'hazards':
        fill = E(matchColour('class', p.hazardKind));
        stroke = '#2b0a0a';
        strokeWidth = 2;
        r = radius(6.5);
        break;
    }
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
        'circle-radius': r,
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
    layers: [...basemapLayers(s), ...situationLayers(s)],
  };
}
