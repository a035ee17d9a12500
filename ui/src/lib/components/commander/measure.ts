// The measure tool on the map: click points, double-click or Enter to finish, Esc to cancel.
// Its state is `app.measure` (mode, points, pointer); this draws it as a GeoJSON source with
// fill, line, vertex and label layers added on top of the style (ids `commander-measure-*`).
import type * as maplibregl from 'maplibre-gl';
import type { GeoJSONSource } from 'maplibre-gl';
import { FONT } from '../../map/style';
import { i18n } from '../../i18n/index.svelte';
import { app, type MeasureMode } from '../../state.svelte';
import { formatLength } from './format';
import { measureFeatures } from './shapes';

export const MEASURE_SOURCE = 'commander-measure';
const COLOUR = '#ffd54a';
/** Clicks this close (px, at scale 1) to the last point add nothing (the clicks of a double-click). */
const SAME_POINT_PX = 4;

const scaleNow = () => parseFloat(getComputedStyle(document.documentElement).fontSize) / 16 || 1;

export class MeasureTool {
  private readonly map: maplibregl.Map;

  constructor(map: maplibregl.Map) {
    this.map = map;
    map.on('click', (e) => this.onClick(e));
    map.on('dblclick', (e) => {
      if (app.measure.mode === 'off') return;
      e.preventDefault();
      this.finish();
    });
    map.on('mousemove', (e) => {
      if (app.measure.mode === 'off' || app.measure.finished) return;
      app.measure.hover = [e.lngLat.lng, e.lngLat.lat];
      this.render();
    });
    map.on('mouseout', () => {
      if (app.measure.mode === 'off' || !app.measure.hover) return;
      app.measure.hover = null;
      this.render();
    });
  }

  start(mode: Exclude<MeasureMode, 'off'>): void {
    app.measure = { mode, points: [], hover: null, finished: false };
    this.map.doubleClickZoom.disable();
    this.map.getContainer().classList.add('measuring');
    this.ensureLayers();
    this.render();
  }

  /** Ends the drawing; the result stays on the map until the tool is left. */
  finish(): void {
    const m = app.measure;
    if (m.mode === 'off') return;
    const need = m.mode === 'area' ? 3 : 2;
    if (m.points.length < need) return;
    app.measure = { ...m, hover: null, finished: true };
    this.render();
  }

  /** Leaves the tool and removes its drawing. */
  cancel(): void {
    app.measure = { mode: 'off', points: [], hover: null, finished: false };
    this.map.doubleClickZoom.enable();
    this.map.getContainer().classList.remove('measuring');
    this.render();
  }

  /** Adds a point (lon/lat); a new measurement starts after a finished one. */
  add(p: [number, number]): void {
    const m = app.measure;
    if (m.mode === 'off') return;
    if (m.finished) app.measure = { mode: m.mode, points: [p], hover: null, finished: false };
    else app.measure = { ...m, points: [...m.points, p] };
    this.render();
  }

  private onClick(e: maplibregl.MapMouseEvent): void {
    const m = app.measure;
    if (m.mode === 'off') return;
    const last = m.points[m.points.length - 1];
    if (last && !m.finished) {
      const q = this.map.project(last);
      if (Math.hypot(q.x - e.point.x, q.y - e.point.y) < SAME_POINT_PX * scaleNow()) return;
    }
    this.add([e.lngLat.lng, e.lngLat.lat]);
  }

  private ensureLayers(): void {
    const map = this.map;
    const k = scaleNow();
    if (!map.getSource(MEASURE_SOURCE)) map.addSource(MEASURE_SOURCE, { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
    const role = (r: string) => ['==', ['get', 'role'], r] as ['==', ['get', string], string];
    const layers: maplibregl.LayerSpecification[] = [
      { id: 'commander-measure-fill', type: 'fill', source: MEASURE_SOURCE, filter: role('fill'), paint: { 'fill-color': COLOUR, 'fill-opacity': 0.18 } },
      { id: 'commander-measure-casing', type: 'line', source: MEASURE_SOURCE, filter: role('line'), layout: { 'line-join': 'round', 'line-cap': 'round' }, paint: { 'line-color': '#07111f', 'line-width': 6 * k, 'line-opacity': 0.8 } },
      { id: 'commander-measure-line', type: 'line', source: MEASURE_SOURCE, filter: role('line'), layout: { 'line-join': 'round', 'line-cap': 'round' }, paint: { 'line-color': COLOUR, 'line-width': 3 * k } },
      { id: 'commander-measure-preview', type: 'line', source: MEASURE_SOURCE, filter: role('preview'), paint: { 'line-color': COLOUR, 'line-width': 2 * k, 'line-dasharray': [2, 2] } },
      { id: 'commander-measure-vertex', type: 'circle', source: MEASURE_SOURCE, filter: role('vertex'), paint: { 'circle-radius': 5 * k, 'circle-color': COLOUR, 'circle-stroke-color': '#07111f', 'circle-stroke-width': 2 * k } },
      {
        id: 'commander-measure-label',
        type: 'symbol',
        source: MEASURE_SOURCE,
        filter: ['all', role('vertex'), ['!=', ['get', 'label'], '']],
        layout: { 'text-field': ['get', 'label'], 'text-font': FONT, 'text-size': 14 * k, 'text-offset': [0, -1.2], 'text-anchor': 'bottom', 'text-allow-overlap': true },
        paint: { 'text-color': '#ffffff', 'text-halo-color': '#07111f', 'text-halo-width': 2 * k },
      },
    ];
    for (const l of layers) {
      if (map.getLayer(l.id)) map.removeLayer(l.id);
      map.addLayer(l);
    }
  }

  /** Draws `app.measure` (a cleared source when the tool is off). */
  render(): void {
    const src = this.map.getSource<GeoJSONSource>(MEASURE_SOURCE);
    if (!src) return;
    const m = app.measure;
    const lang = i18n.lang;
    void src.setData(measureFeatures(m.mode, m.points, m.finished ? null : m.hover, (metres) => formatLength(lang, metres)));
  }
}
