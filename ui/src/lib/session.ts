// What the console does: start-up, live change polling, selection, shortcuts' actions,
// and the test hooks (window.__onemap).
import { tick } from 'svelte';
import * as api from './api';
import { ApiFailure, toFailure } from './api';
import type { EntityKind } from './bindings/EntityKind';
import type { Layer } from './bindings/Layer';
import { MapController } from './map/controller';
import { LAYERS, emptyByLayer } from './map/features';
import { app, mapRef, showToast } from './state.svelte';

/** Interval of the change feed poll. */
export const POLL_MS = 1000;
/** At most this many pages are read in one poll (then the next tick goes on). */
const MAX_PAGES_PER_POLL = 20;
/** The sync-link status and the quarantine are read on every LINKS_EVERY-th tick of the
 *  change poll (2 s). */
export const LINKS_EVERY = 2;

export const KIND_OF: { readonly [L in Layer]: EntityKind } = {
  incidents: 'incident',
  teams: 'team',
  warehouses: 'warehouse',
  shelters: 'shelter',
  hazards: 'hazard',
};

/** The stable contract the desktop and browser end-to-end tests use. */
export interface OneMapHooks {
  readonly map: unknown;
  ready: boolean;
  counts(): Record<Layer, number>;
  rendered(): Record<Layer, number>;
  select(id: string): void;
  readonly head: number;
}

declare global {
  interface Window {
    __onemap?: OneMapHooks;
  }
}

function report(e: unknown, sticky = false): ApiFailure {
  const f = toFailure(e);
  showToast(f.toString(), sticky ? 0 : undefined);
  console.error(f);
  return f;
}

function installHooks(): OneMapHooks {
  const hooks: OneMapHooks = {
    get map() {
      return mapRef.get()?.map ?? null;
    },
    ready: false,
    counts: () => mapRef.get()?.counts() ?? emptyByLayer(() => 0),
    rendered: () => mapRef.get()?.rendered() ?? emptyByLayer(() => 0),
    select: (id: string) => void select(id),
    get head() {
      return app.head;
    },
  };
  window.__onemap = hooks;
  return hooks;
}

let started = false;

/** Loads bootstrap and layers, creates the map, and starts the live feed. */
export async function start(container: HTMLElement): Promise<void> {
  if (started) return;
  started = true;
  const hooks = installHooks();
  try {
    app.progress = 0.05;
    const boot = await api.bootstrap();
    app.boot = boot;
    app.progress = 0.3;
    const ctl = await MapController.create(container, boot);
    mapRef.set(ctl);
    app.progress = 0.55;
    const layers = await api.layers();
    app.progress = 0.75;
    ctl.setFeatures(layers.features);
    for (const l of LAYERS) ctl.setVisible(l, app.visible[l]);
    app.head = layers.head;
    app.counts = ctl.counts();
    ctl.onPick((p) => (p ? void select(p.id, { reveal: false }) : closeDetail()));
    app.progress = 0.9;
    await ctl.idle();
    app.progress = 1;
    app.ready = true;
    app.live = true;
    hooks.ready = true;
    document.documentElement.dataset['ready'] = 'true';
    void pollLinks();
    void pollQuarantine();
    schedulePoll();
  } catch (e) {
    report(e, true); // the console is unusable: keep the reason on screen
    app.progress = 0;
  }
}

let pollTicks = 0;

function schedulePoll(): void {
  setTimeout(() => {
    // The link status and the quarantine ride on the change poll's timer but do not hold it up.
    if (++pollTicks % LINKS_EVERY === 0) {
      void pollLinks();
      void pollQuarantine();
    }
    void pollOnce().finally(schedulePoll);
  }, POLL_MS);
}

/**
 * A guarded poll of one read from the node: never two at once, the last answer kept while
 * the read fails, and one error report per outage (while the node itself is unreachable
 * the change poll says so).
 */
function poller<T>(read: () => Promise<T>, keep: (value: T) => void): () => Promise<void> {
  let inFlight = false;
  let failing = false;
  return async () => {
    if (inFlight) return;
    inFlight = true;
    try {
      keep(await read());
      failing = false;
    } catch (e) {
      if (!failing && app.live) report(e);
      failing = true;
    } finally {
      inFlight = false;
    }
  };
}

/** Reads this node's sync links into `app.links`. */
export const pollLinks = poller(api.links, (links) => {
  app.links = links;
});

/** Reads the ops this node refused into `app.quarantine`. */
export const pollQuarantine = poller(api.quarantine, (refused) => {
  app.quarantine = refused;
});

/** Opens or closes the list of refused ops (the quarantine badge, key Q). */
export function toggleQuarantine(open = !app.quarantineOpen): void {
  app.quarantineOpen = open;
}

/** Reads the change feed from `head` until it stops advancing and applies it as diffs. */
export async function pollOnce(): Promise<void> {
  const ctl = mapRef.get();
  if (!ctl) return;
  let touchedSelected = false;
  try {
    for (let i = 0; i < MAX_PAGES_PER_POLL; i++) {
      const since = app.head;
      const page = await api.changes(since);
      if (page.upserted.length > 0 || page.removed.length > 0) {
        await ctl.apply(page);
        const sel = app.selected?.id;
        if (sel && (page.upserted.some((f) => f.id === sel) || page.removed.includes(sel))) touchedSelected = true;
      }
      app.head = page.head;
      if (page.head <= since) break;
    }
    app.counts = ctl.counts();
    if (!app.live) app.live = true;
  } catch (e) {
    if (app.live) report(e); // one toast per outage, not one a second
    app.live = false;
    return;
  }
  if (touchedSelected && app.selected) {
    if (ctl.feature(app.selected.id)) await loadDetail(app.selected.id, app.selected.layer);
    else closeDetail();
  }
}

let detailSeq = 0;

async function loadDetail(id: string, layer: Layer): Promise<void> {
  const seq = ++detailSeq;
  app.detailLoading = true;
  try {
    const d = await api.entity({ kind: KIND_OF[layer], id });
    if (seq === detailSeq && app.selected?.id === id) app.detail = d;
  } catch (e) {
    if (seq === detailSeq) report(e);
  } finally {
    if (seq === detailSeq) app.detailLoading = false;
  }
}

/** Selects a situation feature by id: ring on the map, detail panel filled. */
export async function select(id: string, opts: { focus?: boolean; reveal?: boolean } = {}): Promise<void> {
  const ctl = mapRef.get();
  const f = ctl?.feature(id);
  if (!ctl || !f) {
    showToast(`not_found: ${id}`);
    return;
  }
  if (app.selected?.id !== id) app.detail = null;
  app.selected = { id, layer: f.layer };
  ctl.select(id);
  if (opts.focus || opts.reveal !== false) {
    // Let the detail panel take its place first, so "in view" means the map that remains.
    await tick();
    ctl.map.resize();
    if (opts.focus) ctl.focus(id);
    else ctl.reveal(id);
  }
  await loadDetail(id, f.layer);
}

export function closeDetail(): void {
  detailSeq++;
  app.selected = null;
  app.detail = null;
  app.detailLoading = false;
  mapRef.get()?.select(null);
}

/** Moves the selection to the next (+1) or previous (−1) incident, active ones first. */
export function cycleIncidents(step: 1 | -1): void {
  const ctl = mapRef.get();
  if (!ctl) return;
  const list = ctl.list('incidents').sort((a, b) => Number(a.status !== 'active') - Number(b.status !== 'active'));
  if (list.length === 0) return;
  const cur = app.selected ? list.findIndex((f) => f.id === app.selected?.id) : -1;
  const next = cur < 0 ? (step > 0 ? 0 : list.length - 1) : (cur + step + list.length) % list.length;
  const f = list[next];
  if (f) void select(f.id, { focus: true });
}

export function setLayerVisible(l: Layer, visible: boolean): void {
  app.visible[l] = visible;
  mapRef.get()?.setVisible(l, visible);
  if (!visible && app.selected?.layer === l) closeDetail();
}
