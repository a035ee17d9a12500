// What the commander panels do: incident onsets for the list, the nearby read, search hits
// flown to, the drill-down, the measure tool, the pointer readout and the wall control.
import { tick } from 'svelte';
import * as api from '../../api';
import { toFailure } from '../../api';
import type { SearchHit } from '../../bindings/SearchHit';
import type { WallControl } from '../../bindings/WallControl';
import type { MapController } from '../../map/controller';
import { mapScale, zoomShift } from '../../map/style';
import { app, mapRef, showToast } from '../../state.svelte';
import { select, setLayerVisible } from '../../session';
import { DrillFilter, bboxPolygons } from './drill';
import { inBbox, inPolygons, type Polygons } from './geo';
import { MeasureTool } from './measure';
import { hitAction } from './search';
import { buildTree, parentOf, pathTo, type TierTree } from './tiers';

let measureTool: MeasureTool | null = null;
let drillFilter: DrillFilter | null = null;

const scaleNow = () => mapScale(getComputedStyle(document.documentElement).fontSize);

function report(e: unknown): void {
  const f = toFailure(e);
  showToast(f.toString());
}

/** Wires the commander tools to the map (once, after the first data is drawn). */
export function installCommander(ctl: MapController): void {
  const map = ctl.map;
  measureTool = new MeasureTool(map);
  drillFilter = new DrillFilter(map);
  let frame = 0;
  let pending: { lon: number; lat: number } | null = null;
  const flush = () => {
    frame = 0;
    app.pointer = pending;
    const c = map.getCenter();
    app.view = { zoom: map.getZoom(), lat: c.lat };
  };
  const later = () => {
    if (!frame) frame = requestAnimationFrame(flush);
  };
  map.on('mousemove', (e) => {
    pending = { lon: e.lngLat.lng, lat: e.lngLat.lat };
    later();
  });
  map.on('mouseout', () => {
    pending = null;
    later();
  });
  map.on('move', later);
  flush();
}

// ── incidents ────────────────────────────────────────────────────────────────────────────

/** Reads the onset and jurisdiction of incidents (for the list's order), four at a time. */
export async function loadIncidentMeta(ids: readonly string[]): Promise<void> {
  const queue = [...ids];
  const worker = async () => {
    for (let id = queue.shift(); id; id = queue.shift()) {
      try {
        const d = await api.entity({ kind: 'incident', id });
        const f = d.record.fields;
        app.incidentMeta[id] = {
          onset: typeof f['onset'] === 'string' ? f['onset'] : null,
          jurisdiction: typeof f['jurisdiction'] === 'string' ? f['jurisdiction'] : null,
        };
      } catch {
        // The list still shows the incident, ordered without its onset.
      }
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
}

// ── near this incident ───────────────────────────────────────────────────────────────────

let nearbySeq = 0;
let nearbyTimer: ReturnType<typeof setTimeout> | null = null;

/** Reads what is near the nearby panel's incident. */
export async function refreshNearby(): Promise<void> {
  const id = app.nearbyFor;
  const seq = ++nearbySeq;
  if (!id || !app.nearbyOpen) return;
  app.nearbyLoading = true;
  try {
    const n = await api.nearby(id);
    if (seq === nearbySeq && app.nearbyFor === id) app.nearby = n;
  } catch (e) {
    if (seq === nearbySeq) report(e);
  } finally {
    if (seq === nearbySeq) app.nearbyLoading = false;
  }
}

/** Reads it again shortly after the situation changed (teams move, shelters fill). */
export function scheduleNearby(): void {
  if (!app.nearbyFor || !app.nearbyOpen) return;
  if (nearbyTimer) clearTimeout(nearbyTimer);
  nearbyTimer = setTimeout(() => {
    nearbyTimer = null;
    void refreshNearby();
  }, 300);
}

export function toggleNearby(open = !app.nearbyOpen): void {
  app.nearbyOpen = open;
  if (open) void refreshNearby();
}

/** Selects a record from a panel: its layer is shown, the map centres on it. */
export function selectRecord(id: string): void {
  const f = mapRef.get()?.feature(id);
  if (f && !app.visible[f.layer]) setLayerVisible(f.layer, true);
  void select(id, { focus: true });
}

// ── search ───────────────────────────────────────────────────────────────────────────────

/** Frames a jurisdiction hit (its bounds, else its seat at a tier zoom) or selects a record. */
export function flyToHit(hit: SearchHit): void {
  const ctl = mapRef.get();
  if (!ctl) return;
  const a = hitAction(hit);
  const k = scaleNow();
  if (a.kind === 'record') {
    if (!ctl.feature(a.id)) {
      showToast(`not_found: ${a.id}`);
      return;
    }
    selectRecord(a.id);
  } else if (a.kind === 'bounds') {
    ctl.map.fitBounds(a.bounds, { padding: 40 * k, duration: 700, maxZoom: 15 });
  } else {
    ctl.map.flyTo({ center: a.centre, zoom: a.zoom + zoomShift(k), duration: 700 });
  }
}

/** Puts the keyboard in the search box (keys / and Ctrl+K). */
export function focusSearch(): void {
  const el = document.querySelector<HTMLInputElement>('[data-testid="search-input"]');
  el?.focus();
  el?.select();
}

// ── drill-down ───────────────────────────────────────────────────────────────────────────

let tree: TierTree | null = null;
let treeOf: unknown = null;
/** The tier tree of bootstrap's jurisdictions (built once). */
export function tierTree(): TierTree {
  const list = app.boot?.jurisdictions ?? [];
  if (!tree || treeOf !== list) {
    tree = buildTree(list);
    treeOf = list;
  }
  return tree;
}

const boundsCache = new Map<string, SearchHit | null>();
/** The search hit of a jurisdiction by its code (its bounds and seat). */
async function jurisdictionHit(code: string): Promise<SearchHit | null> {
  if (boundsCache.has(code)) return boundsCache.get(code) ?? null;
  const hits = await api.search(code, 5);
  const hit = hits.find((h) => h.code === code && h.layer === null) ?? null;
  boundsCache.set(code, hit);
  return hit;
}

let drillSeq = 0;
let drillPolygons: Polygons | null = null;

/** Whether a point is inside the drill-down jurisdiction (always, with none). */
export function inDrill(lon: number, lat: number): boolean {
  const d = app.drill;
  if (!d || d.shape === 'none') return true;
  if (d.shape === 'polygon' && drillPolygons) return inPolygons([lon, lat], drillPolygons);
  return d.bounds ? inBbox([lon, lat], d.bounds) : true;
}

/**
 * Drills down to a jurisdiction (null: back to the whole picture, framed on the console's
 * region): frames it, outlines it and keeps only the records inside it on the map and in
 * the incident list — by its bounding box at once, by its boundary polygon once the
 * basemap tiles that hold it are loaded.
 */
export async function drillTo(code: string | null): Promise<void> {
  const ctl = mapRef.get();
  if (!ctl || !drillFilter) return;
  const seq = ++drillSeq;
  const k = scaleNow();
  const filter = drillFilter;
  drillPolygons = null;
  if (!code) {
    app.drill = null;
    filter.clear();
    const b = app.boot?.region.bounds;
    if (b) ctl.map.fitBounds(b, { padding: 20 * k, duration: 600 });
    return;
  }
  const j = tierTree().byCode.get(code);
  app.drill = { code, bounds: null, shape: 'none' };
  let hit: SearchHit | null = null;
  try {
    hit = await jurisdictionHit(code);
  } catch (e) {
    report(e);
  }
  if (seq !== drillSeq) return;
  if (!hit?.bounds) {
    // Extent unknown: frame its seat, filter nothing.
    filter.clear();
    if (j) filter.outline(j);
    const a = hit ? hitAction(hit) : null;
    if (a?.kind === 'seat') ctl.map.flyTo({ center: a.centre, zoom: a.zoom + zoomShift(k), duration: 600 });
    return;
  }
  const bounds: [number, number, number, number] = [...hit.bounds];
  app.drill = { code, bounds: [...bounds], shape: 'bbox' };
  filter.apply(bboxPolygons(bounds));
  if (j) filter.outline(j);
  ctl.map.fitBounds(bounds, { padding: 30 * k, duration: 600 });
  if (!j) return;
  // Once the framed view has its tiles, the boundary polygon replaces the box.
  await new Promise<void>((resolve) => {
    ctl.map.once('idle', () => resolve());
  });
  if (seq !== drillSeq) return;
  const polys = filter.boundary(j);
  if (!polys) return;
  drillPolygons = polys;
  filter.apply(polys);
  app.drill = { code, bounds: [...bounds], shape: 'polygon' };
}

/** One tier up (key U), or back to the whole picture from a root. */
export function drillUp(): void {
  if (!app.drill) return;
  void drillTo(parentOf(tierTree(), app.drill.code));
}

/** The breadcrumb of the drill-down: the chain from the root to the current jurisdiction. */
export function drillPath(): ReturnType<typeof pathTo> {
  return pathTo(tierTree(), app.drill?.code ?? null);
}

// ── measure ──────────────────────────────────────────────────────────────────────────────

/** Starts measuring a distance or an area; the same mode again leaves the tool. */
export function toggleMeasure(mode: 'distance' | 'area'): void {
  if (!measureTool) return;
  if (app.measure.mode === mode) measureTool.cancel();
  else measureTool.start(mode);
}

export function finishMeasure(): void {
  measureTool?.finish();
}

export function cancelMeasure(): void {
  measureTool?.cancel();
}

/** Redraws the measurement's labels (after a language switch). */
export function redrawMeasure(): void {
  measureTool?.render();
}

// ── wall ─────────────────────────────────────────────────────────────────────────────────

/** Reads what the wall shows now. */
export async function loadWall(): Promise<void> {
  try {
    app.wall = await api.wall();
  } catch (e) {
    report(e);
  }
}

/** Sends the operator's choice to the wall; resolves with success. */
export async function applyWall(control: WallControl): Promise<boolean> {
  try {
    app.wall = await api.setWall(control);
    return true;
  } catch (e) {
    report(e);
    return false;
  }
}

export function toggleWall(open = !app.wallOpen): void {
  app.wallOpen = open;
  if (open) void loadWall();
}

// ── panels ───────────────────────────────────────────────────────────────────────────────

/** Shows or hides the incident list (the button); shown, it takes the keyboard. */
export async function toggleIncidentList(open = !app.incidentListOpen): Promise<void> {
  app.incidentListOpen = open;
  if (!open) return;
  await tick();
  incidentListbox()?.focus();
}

const incidentListbox = () => document.querySelector<HTMLElement>('[data-testid="incident-listbox"]');

/** Key I: opens the incident list and puts the keyboard in it; pressed in the list, closes it. */
export function incidentListKey(): void {
  const box = incidentListbox();
  if (app.incidentListOpen && box && document.activeElement !== box) box.focus();
  else void toggleIncidentList();
}

export function toggleHelp(open = !app.helpOpen): void {
  app.helpOpen = open;
}
