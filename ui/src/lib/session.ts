// What the console does: start-up, live change polling, selection, shortcuts' actions,
// and the test hooks (window.__onemap).
import { tick } from 'svelte';
import * as api from './api';
import { ApiFailure, toFailure } from './api';
import type { EntityKind } from './bindings/EntityKind';
import type { Layer } from './bindings/Layer';
import type { MapFeature } from './bindings/MapFeature';
import type { Changes } from './bindings/Changes';
import { MapController } from './map/controller';
import { sortIncidents, stepIn } from './components/commander/incidents';
import { inDrill, installCommander, loadIncidentMeta, refreshNearby, scheduleNearby } from './components/commander/actions';
import { LAYERS } from './map/features';
import { installMapHooks, type OneMapHooks } from './hooks';
import { holdPage, replaying } from './components/replay/actions';
import { app, mapRef, showToast } from './state.svelte';

/** How long the host may hold a change read open (a long poll; the host answers at once
 *  when anything is committed, and empty after this long). */
export const LONG_POLL_MS = 20_000;
/** Back-off after a failed change read: 1 s, 2 s, 4 s, 8 s, then every 10 s. */
export const BACKOFF_MS: readonly number[] = [1000, 2000, 4000, 8000, 10_000];
/** Interval of the sync-link status and quarantine reads (a timer of their own). */
export const LINKS_MS = 2000;
/** Interval of the alerts read (also read again after the operator's own actions). */
export const ALERTS_MS = 10_000;
/** An empty answer sooner than this was not held by the host: wait out the rest. */
const MIN_EMPTY_ROUND_MS = 1000;
/** At most this many pages are read in a row before the loop yields (then it goes on). */
const MAX_PAGES_PER_READ = 20;

export const KIND_OF: { readonly [L in Layer]: EntityKind } = {
  incidents: 'incident',
  teams: 'team',
  warehouses: 'warehouse',
  shelters: 'shelter',
  hazards: 'hazard',
};

function report(e: unknown, sticky = false): ApiFailure {
  const f = toFailure(e);
  showToast(f.toString(), sticky ? 0 : undefined);
  console.error(f);
  return f;
}

function installHooks(): OneMapHooks {
  return installMapHooks(
    () => mapRef.get(),
    () => app.head,
    (id) => void select(id),
    { feature: (id: string) => mapRef.get()?.feature(id) ?? null },
  );
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
    app.featureVersion++;
    ctl.onPick((p) => {
      // While measuring or picking the intake's location, a click selects nothing.
      if (app.measure.mode !== 'off' || app.intakePicking) return;
      if (p) void select(p.id, { reveal: false });
      else closeDetail();
    });
    installCommander(ctl);
    app.progress = 0.9;
    await ctl.idle();
    app.progress = 1;
    app.ready = true;
    app.live = true;
    hooks.ready = true;
    document.documentElement.dataset['ready'] = 'true';
    void pollLinks();
    void pollQuarantine();
    setInterval(() => {
      void pollLinks();
      void pollQuarantine();
    }, LINKS_MS);
    void refreshAlerts();
    setInterval(() => void refreshAlerts(), ALERTS_MS);
    void loadIncidentMeta(ctl.list('incidents').map((f) => f.id));
    void followChanges();
  } catch (e) {
    report(e, true); // the console is unusable: keep the reason on screen
    app.progress = 0;
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The live feed: a long poll of `changes(head, LONG_POLL_MS)`, re-issued as soon as it
 * answers, so an op committed anywhere reaches the map within one round trip. A failed read
 * is reported once per outage and retried after 1 s, 2 s, 4 s, 8 s, then every 10 s. A host
 * that answers "nothing new" at once (one that does not hold the request) is asked again
 * after a second, not in a tight loop.
 */
async function followChanges(): Promise<void> {
  let failures = 0;
  for (;;) {
    const asked = Date.now();
    const headBefore = app.head;
    const ok = await pollOnce(LONG_POLL_MS);
    if (ok) {
      failures = 0;
      const quick = Date.now() - asked;
      if (app.head === headBefore && quick < MIN_EMPTY_ROUND_MS) await sleep(MIN_EMPTY_ROUND_MS - quick);
      continue;
    }
    await sleep(BACKOFF_MS[Math.min(failures, BACKOFF_MS.length - 1)] ?? 10_000);
    failures++;
  }
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

let alertsAsked = 0;
let alertsShown = 0;
let alertsFailing = false;
/**
 * Reads the alerts into `app.alerts` (every `ALERTS_MS` and after the operator's own actions):
 * reads may overlap, the answer to the latest one asked is kept; a failure is reported once.
 */
export async function refreshAlerts(): Promise<void> {
  const mine = ++alertsAsked;
  try {
    const list = await api.alerts();
    if (mine > alertsShown) {
      alertsShown = mine;
      app.alerts = list;
    }
    alertsFailing = false;
  } catch (e) {
    if (!alertsFailing && app.live) report(e);
    alertsFailing = true;
  }
}

/** Opens or closes the list of refused ops (the quarantine badge, key Q). */
export function toggleQuarantine(open = !app.quarantineOpen): void {
  app.quarantineOpen = open;
}

/**
 * Reads the change feed from `head` and applies it as diffs; the first read may wait up to
 * `waitMs` for a change (long poll), later ones (while `head` still advances) do not.
 * Resolves false when a read failed (reported once per outage).
 */
export async function pollOnce(waitMs = 0): Promise<boolean> {
  const ctl = mapRef.get();
  if (!ctl) return false;
  let touchedSelected = false;
  let changed = false;
  const incidents = new Set<string>();
  try {
    for (let i = 0; i < MAX_PAGES_PER_READ; i++) {
      const since = app.head;
      const page = await api.changes(since, i === 0 ? waitMs : undefined);
      if ((page.upserted.length > 0 || page.removed.length > 0) && replaying()) {
        // Replay shows a past picture: the page is kept for the catch-up, not drawn.
        holdPage(page);
      } else if (page.upserted.length > 0 || page.removed.length > 0) {
        await ctl.apply(page);
        changed = true;
        noteIncidents(page, incidents);
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
    return false;
  }
  if (changed) {
    app.featureVersion++;
    if (incidents.size > 0) void loadIncidentMeta([...incidents].filter((id) => ctl.feature(id)));
    if (app.nearbyFor && !ctl.feature(app.nearbyFor)) app.nearbyFor = null;
    scheduleNearby();
  }
  if (touchedSelected && app.selected) {
    if (ctl.feature(app.selected.id)) await loadDetail(app.selected.id, app.selected.layer);
    else closeDetail();
  }
  return true;
}

function noteIncidents(page: Changes, into: Set<string>): void {
  for (const f of page.upserted) if (f.layer === 'incidents') into.add(f.id);
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
  if (f.layer === 'incidents' && app.nearbyFor !== id) {
    app.nearbyFor = id;
    app.nearby = null;
    void refreshNearby();
  }
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

/** The incidents in the incident list's order (active first, by grade, latest onset),
 *  those inside the drill-down jurisdiction only. */
export function orderedIncidents(): MapFeature[] {
  const ctl = mapRef.get();
  if (!ctl) return [];
  const list = ctl.list('incidents').filter((f) => inDrill(f.lon, f.lat));
  return sortIncidents(list, (id) => app.incidentMeta[id]?.onset);
}

/** Moves the selection to the next (+1) or previous (−1) incident of the incident list. */
export function cycleIncidents(step: 1 | -1): void {
  const list = orderedIncidents();
  const cur = app.selected ? list.findIndex((f) => f.id === app.selected?.id) : -1;
  const f = list[stepIn(list, cur, step)];
  if (f) void select(f.id, { focus: true });
}

export function setLayerVisible(l: Layer, visible: boolean): void {
  app.visible[l] = visible;
  mapRef.get()?.setVisible(l, visible);
  if (!visible && app.selected?.layer === l) closeDetail();
}
