// What the wall does: start-up, the long-poll change loop (map diffs, then fresh KPI
// figures), following the operator's choice (`wall()` every second), sync-link status, the
// incident spotlight, and the test hooks (window.__onemap, with `wall`).
import { tick } from 'svelte';
import * as api from '../lib/api';
import { toFailure } from '../lib/api';
import type { Layer } from '../lib/bindings/Layer';
import type { WallState } from '../lib/bindings/WallState';
import { MapController } from '../lib/map/controller';
import { LAYERS } from '../lib/map/features';
import { mapScale, zoomShift } from '../lib/map/style';
import { installMapHooks, type OneMapHooks } from '../lib/hooks';
import { app } from '../lib/state.svelte';
import { homeRegion, regionFromHits, type Framed } from './region';
import { nextSpot, rotation, type Spot } from './spotlight';
import { view } from './state.svelte';

/** How long one change read may wait for a change (the host answers at once when there is one). */
export const LONG_POLL_MS = 20_000;
/** How often the wall asks what the operator wants it to show. */
export const WALL_POLL_MS = 1000;
/** How often the sync-link badges are refreshed. */
export const LINKS_POLL_MS = 2000;
/** The stats are re-read at least this often (the stock chart's time axis moves on). */
export const STATS_REFRESH_MS = 60_000;
/** Pause after a failed read before the next one. */
const RETRY_MS = 2000;
/** How often the spotlight checks whether it is time to move on. */
const SPOT_TICK_MS = 250;

export interface WallHooks extends OneMapHooks {
  readonly wall: {
    /** The `WallState.version` applied. */
    readonly version: number;
    /** The incident in the spotlight (null: none). */
    readonly spotlight: string | null;
    /** Whether an operator holds it there. */
    readonly held: boolean;
    /** The framed jurisdiction's admin code. */
    readonly region: string | null;
    /** The layers shown. */
    readonly layers: Layer[];
    /** Every KPI number on screen, by name (`data-kpi`). */
    kpi(): Record<string, number>;
  };
}

let ctl: MapController | null = null;
let regionZoom = 10;
/** The rotation is worked out again only after the features or the framed region changed. */
let rotationDirty = true;
let rotationList: string[] = [];

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function rootScale(): number {
  return mapScale(getComputedStyle(document.documentElement).fontSize);
}

/** Pixels of `n` rem now. */
function rem(n: number): number {
  return n * parseFloat(getComputedStyle(document.documentElement).fontSize);
}

function readKpi(): Record<string, number> {
  const out: Record<string, number> = {};
  for (const el of document.querySelectorAll<HTMLElement>('[data-kpi]')) {
    const name = el.dataset['kpi'];
    const v = Number(el.dataset['value']);
    if (name && Number.isFinite(v)) out[name] = v;
  }
  return out;
}

function installHooks(): WallHooks {
  return installMapHooks(
    () => ctl,
    () => view.head,
    (id) => {
      ctl?.select(id);
      ctl?.focus(id);
    },
    {
      wall: {
        get version() {
          return view.control?.version ?? 0;
        },
        get spotlight() {
          return view.spot.id;
        },
        get held() {
          return view.spot.held;
        },
        get region() {
          return view.region?.code ?? null;
        },
        get layers() {
          return [...(view.control?.control.layers ?? [])];
        },
        kpi: readKpi,
      },
    },
  );
}

let started = false;

/** Loads everything, draws the map, and starts following the node and the operator. */
export async function start(container: HTMLElement): Promise<void> {
  if (started) return;
  started = true;
  const hooks = installHooks();
  try {
    const boot = await api.bootstrap();
    view.boot = boot;
    const [control, layers, stats] = await Promise.all([api.wall(), api.layers(), api.stats()]);
    view.stats = stats;
    view.statsAt = Date.now();
    const map = await MapController.create(container, boot);
    ctl = map;
    map.setFeatures(layers.features);
    view.head = layers.head;
    view.counts = map.counts();
    await applyWall(control, false);
    updateSpot();
    await tick();
    await map.idle();
    view.live = true;
    view.ready = true;
    hooks.ready = true;
    document.documentElement.dataset['ready'] = 'true';
    void changeLoop();
    void wallLoop();
    void linksLoop();
    setInterval(updateSpot, SPOT_TICK_MS);
    setInterval(() => {
      if (Date.now() - view.statsAt >= STATS_REFRESH_MS) void refreshStats();
    }, 5000);
  } catch (e) {
    const f = toFailure(e);
    console.error(f);
    view.error = f.toString();
    document.documentElement.dataset['error'] = f.toString();
    // A wall has nobody at a keyboard: try again from the start in a while.
    setTimeout(() => location.reload(), 15_000);
  }
}

/** Follows the change feed with long polls: map diffs at once, then fresh KPI figures. */
async function changeLoop(): Promise<void> {
  for (;;) {
    const map = ctl;
    if (!map) return;
    try {
      const since = view.head;
      const page = await api.changes(since, LONG_POLL_MS);
      // The KPI figures are read while the map applies the diff.
      if (page.head > since) void refreshStats();
      if (page.upserted.length > 0 || page.removed.length > 0) {
        await map.apply(page);
        view.counts = map.counts();
        rotationDirty = true;
        const spot = view.spot.id;
        if (spot && (page.upserted.some((f) => f.id === spot) || page.removed.includes(spot))) {
          view.spotFeature = map.feature(spot) ?? null;
          void loadDetail(spot);
        }
        updateSpot();
      }
      view.head = page.head;
      view.live = true;
    } catch (e) {
      if (view.live) console.warn(toFailure(e).toString());
      view.live = false;
      await sleep(RETRY_MS);
    }
  }
}

let statsInFlight = false;
let statsDirty = false;

/** Re-reads the KPI figures (one read at a time; a change during a read asks for another). */
export async function refreshStats(): Promise<void> {
  if (statsInFlight) {
    statsDirty = true;
    return;
  }
  statsInFlight = true;
  try {
    do {
      statsDirty = false;
      view.stats = await api.stats();
      view.statsAt = Date.now();
    } while (statsDirty);
  } catch (e) {
    console.warn(toFailure(e).toString());
  } finally {
    statsInFlight = false;
  }
}

/** Reads the operator's choice every second and applies a new version at once. */
async function wallLoop(): Promise<void> {
  for (;;) {
    await sleep(WALL_POLL_MS);
    try {
      const w = await api.wall();
      if (w.version !== view.control?.version) await applyWall(w, true);
    } catch (e) {
      console.warn(toFailure(e).toString());
    }
  }
}

async function linksLoop(): Promise<void> {
  for (;;) {
    try {
      app.links = await api.links();
    } catch (e) {
      console.warn(toFailure(e).toString()); // the badges keep their last answer
    }
    await sleep(LINKS_POLL_MS);
  }
}

/** Shows the layers, frames the jurisdiction and sets the spotlight of a wall state. */
async function applyWall(w: WallState, animate: boolean): Promise<void> {
  const map = ctl;
  if (!map) return;
  const prev = view.control;
  view.control = w;
  const shown = new Set(w.control.layers);
  for (const l of LAYERS) map.setVisible(l, shown.has(l));
  if (!prev || prev.control.region !== w.control.region || !view.region) {
    view.region = await framedRegion(w.control.region);
    rotationDirty = true;
    frame(view.region, animate && !view.spot.id);
  }
  updateSpot(true);
}

async function framedRegion(code: string | null): Promise<Framed> {
  const boot = view.boot;
  if (!boot) throw new Error('bootstrap missing');
  if (!code) return homeRegion(boot.region);
  try {
    const found = regionFromHits(code, await api.search(code, 5));
    if (found) return found;
    console.warn(`region ${code}: no boundary known; showing the console's region`);
  } catch (e) {
    console.warn(toFailure(e).toString());
  }
  return homeRegion(boot.region);
}

/** Frames a jurisdiction (and remembers its zoom for the spotlight). */
function frame(r: Framed, animate: boolean): void {
  const map = ctl?.map;
  if (!map) return;
  const padding = rem(2);
  regionZoom = map.cameraForBounds([...r.bounds] as [number, number, number, number], { padding })?.zoom ?? map.getZoom();
  map.fitBounds([...r.bounds] as [number, number, number, number], { padding, animate, duration: animate ? 1200 : 0 });
}

/** Moves the spotlight on when it is time (or at once after the operator's choice changed). */
function updateSpot(force = false): void {
  const map = ctl;
  if (!map || !view.control) return;
  if (rotationDirty) {
    rotationDirty = false;
    const region = view.region;
    const list = rotation(map.list('incidents'), region?.chosen ? region.bounds : null);
    if (list.join() !== rotationList.join()) view.rotation = [...list];
    rotationList = list;
  }
  const list = rotationList;
  const cur: Spot = { id: view.spot.id, held: view.spot.held, since: view.spot.since };
  const next = nextSpot(cur, view.control.control.spotlight, list, view.control.spotlight_secs, Date.now());
  if (next === cur) {
    if (force && next.id) flyTo(next.id);
    return;
  }
  view.spot = next;
  if (next.id !== cur.id) showSpot(next.id);
  else if (force && next.id) flyTo(next.id);
}

function flyTo(id: string): void {
  const map = ctl?.map;
  const f = ctl?.feature(id);
  if (!map || !f) return;
  const zoom = Math.max(regionZoom, Math.min(regionZoom + 1.5, 13 + zoomShift(rootScale())));
  map.flyTo({ center: [f.lon, f.lat], zoom, duration: 1600, essential: true });
}

function showSpot(id: string | null): void {
  ctl?.select(id);
  view.detail = null;
  view.spotFeature = id ? (ctl?.feature(id) ?? null) : null;
  if (id) {
    flyTo(id);
    void loadDetail(id);
  } else if (view.region) {
    frame(view.region, view.ready);
  }
}

let detailSeq = 0;

async function loadDetail(id: string): Promise<void> {
  const seq = ++detailSeq;
  try {
    const d = await api.entity({ kind: 'incident', id });
    if (seq === detailSeq && view.spot.id === id) view.detail = d;
  } catch (e) {
    console.warn(toFailure(e).toString());
  }
}
