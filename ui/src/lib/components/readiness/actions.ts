// What the readiness table (一张表, key K) does outside itself: opening and closing it, its
// layers on the map (the choropleth and the chosen jurisdiction) and framing a jurisdiction in
// the part of the map above the panel.
import * as api from '../../api';
import type { Readiness } from '../../bindings/Readiness';
import type { ReadinessRow } from '../../bindings/ReadinessRow';
import { mapScale, zoomShift } from '../../map/style';
import { app, mapRef } from '../../state.svelte';
import { hitAction } from '../commander/search';
import { Choropleth } from './choropleth';
import { choroplethColour, choroplethFilter, type Metric } from './readiness';

let layers: Choropleth | null = null;
let layersOf: unknown = null;

/** The map's readiness layers (null before the map exists). */
function choropleth(): Choropleth | null {
  const ctl = mapRef.get();
  if (!ctl) return null;
  if (!layers || layersOf !== ctl.map) {
    layers = new Choropleth(ctl.map);
    layersOf = ctl.map;
  }
  return layers;
}

export function toggleReadiness(open = !app.readinessOpen): void {
  app.readinessOpen = open;
  if (!open) choropleth()?.clear();
}

/** Colours the townships by `metric` (null: takes the colouring off). */
export function colourMap(data: Readiness | null, metric: Metric | null): void {
  const c = choropleth();
  if (!c) return;
  if (!data || !metric) c.clearFill();
  else c.fill(choroplethColour(data.rows, metric, data.rules), choroplethFilter(data.rows));
}

/**
 * Outlines a jurisdiction and frames it in the part of the map above the panel, whose top is
 * at `panelTop` (client px): its search hit's bounds, else its seat.
 */
export async function frameJurisdiction(row: Pick<ReadinessRow, 'code' | 'tier'>, panelTop: number): Promise<void> {
  const ctl = mapRef.get();
  if (!ctl) return;
  choropleth()?.outline(row);
  const hit = (await api.search(row.code, 5)).find((h) => h.code === row.code && h.layer === null);
  if (!hit) return;
  const a = hitAction(hit);
  const k = mapScale(getComputedStyle(document.documentElement).fontSize);
  const pad = 24 * k;
  const canvas = ctl.map.getCanvas().getBoundingClientRect();
  const covered = Math.max(0, canvas.bottom - panelTop);
  // A panel over nearly all the map: frame in the whole map rather than in a sliver.
  const bottom = canvas.height - covered > 160 * k ? covered + pad : pad;
  if (a.kind === 'bounds') ctl.map.fitBounds(a.bounds, { padding: { top: pad, left: pad, right: pad, bottom }, duration: 700, maxZoom: 14 });
  else if (a.kind === 'seat') ctl.map.flyTo({ center: a.centre, zoom: a.zoom + zoomShift(k), offset: [0, -(bottom - pad) / 2], duration: 700 });
}
