// Replay (回放, key T): the map shows the situation picture as the op log has it at a moment
// (`picture_at`, loaded with the controller's whole-set load) instead of the live one. The
// change feed is still read meanwhile (nothing is lost) but its pages are held, not drawn;
// leaving replay puts back the features held when it began with those pages applied.
import { tick } from 'svelte';
import * as api from '../../api';
import type { Changes } from '../../bindings/Changes';
import type { MapFeature } from '../../bindings/MapFeature';
import { app, mapRef } from '../../state.svelte';
import { closeDetail } from '../../session';
import { loadIncidentMeta, scheduleNearby } from '../commander/actions';
import { report } from '../response/actions';
import { clampMoment, foldPages, replayRange, stepMoment } from './replay';

/** A picture taking longer than this shows the progress indicator. */
export const SLOW_MS = 300;
/** Scrubbing waits this long for the slider to rest before asking for a picture. */
const SCRUB_MS = 120;

/** The live features when replay began, and the change pages read since. */
let live: MapFeature[] = [];
let held: Pick<Changes, 'upserted' | 'removed'>[] = [];
let seq = 0;
let scrubTimer: ReturnType<typeof setTimeout> | null = null;

/** Whether the map shows a past picture (change pages are then held, not drawn). */
export const replaying = (): boolean => app.replay !== null;

/** Keeps a change page read while replaying, for the catch-up. */
export function holdPage(page: Pick<Changes, 'upserted' | 'removed'>): void {
  held.push({ upserted: page.upserted, removed: page.removed });
}

/** Key T / the replay button: into replay (at now, the scrubber on the log's span) or back to live. */
export function toggleReplay(): void {
  if (app.replay) leaveReplay();
  else void enterReplay();
}

export async function enterReplay(): Promise<void> {
  const ctl = mapRef.get();
  if (app.replay || !ctl) return;
  live = ctl.all();
  held = [];
  const now = Date.now();
  app.replay = { at: now, min: now, max: now, shown: null, slow: false };
  await tick();
  document.querySelector<HTMLElement>('[data-testid="replay-slider"]')?.focus();
  await showMoment(now);
}

/** Back to live: the features held when replay began, with every page read since applied. */
export function leaveReplay(): void {
  const ctl = mapRef.get();
  if (!app.replay || !ctl) return;
  seq++;
  if (scrubTimer !== null) clearTimeout(scrubTimer);
  scrubTimer = null;
  app.replay = null;
  const touched = new Set(held.flatMap((p) => p.upserted.filter((f) => f.layer === 'incidents').map((f) => f.id)));
  ctl.setFeatures(foldPages(live, held));
  live = [];
  held = [];
  app.counts = ctl.counts();
  app.featureVersion++;
  if (touched.size > 0) void loadIncidentMeta([...touched].filter((id) => ctl.feature(id)));
  if (app.selected && !ctl.feature(app.selected.id)) closeDetail();
  if (app.nearbyFor && !ctl.feature(app.nearbyFor)) app.nearbyFor = null;
  scheduleNearby();
}

/** Moves the scrubber by `delta` ms (null: to now) and shows that moment. */
export function stepReplay(delta: number | null): Promise<void> {
  const r = app.replay;
  if (!r) return Promise.resolve();
  if (delta === null) r.max = Math.max(r.max, Date.now());
  return showMoment(stepMoment(r.at, delta, r.min, r.max));
}

/** The slider moved: the moment follows at once, the picture once the slider rests. */
export function scrubTo(at: number): void {
  const r = app.replay;
  if (!r) return;
  r.at = clampMoment(at, r.min, r.max);
  if (scrubTimer !== null) clearTimeout(scrubTimer);
  scrubTimer = setTimeout(() => {
    scrubTimer = null;
    if (app.replay) void showMoment(app.replay.at);
  }, SCRUB_MS);
}

/**
 * Shows the picture at `at` (clamped to the scrubber's range): the whole set loaded into the
 * map; the last moment asked for wins. The progress indicator shows after `SLOW_MS`.
 */
export async function showMoment(at: number): Promise<void> {
  const r = app.replay;
  const ctl = mapRef.get();
  if (!r || !ctl) return;
  r.at = clampMoment(at, r.min, r.max);
  const mine = ++seq;
  const slow = setTimeout(() => {
    if (mine === seq && app.replay) app.replay.slow = true;
  }, SLOW_MS);
  try {
    const picture = await api.pictureAt(r.at);
    const now = app.replay;
    if (mine !== seq || !now) return;
    ctl.setFeatures(picture.features);
    const range = replayRange(picture.span, Date.now());
    now.min = Math.min(range.min, now.at);
    now.max = Math.max(range.max, now.max);
    now.shown = picture.at_ms;
    app.counts = ctl.counts();
    app.featureVersion++;
  } catch (e) {
    if (mine === seq) report(e);
  } finally {
    clearTimeout(slow);
    if (mine === seq && app.replay) app.replay.slow = false;
  }
}
