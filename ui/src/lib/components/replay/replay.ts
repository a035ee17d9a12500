// Replay (回放) arithmetic: the scrubber's range over the op log, steps by button and key, a
// moment in Beijing time (shown and typed), and the live map caught up after replay (the change
// pages read meanwhile folded into the features the map held). Pure, unit-tested.
import type { Changes } from '../../bindings/Changes';
import type { MapFeature } from '../../bindings/MapFeature';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;

/** The step buttons, in their order on the bar (ms; null: to now). */
export const STEP_BUTTONS: readonly { delta: number | null; label: string }[] = [
  { delta: -HOUR, label: 'replay.step.back_1h' },
  { delta: -10 * MINUTE, label: 'replay.step.back_10m' },
  { delta: 10 * MINUTE, label: 'replay.step.fwd_10m' },
  { delta: HOUR, label: 'replay.step.fwd_1h' },
  { delta: null, label: 'replay.step.now' },
];

/** The scrubber's range: the log's first moment … now (or the log's last, if later). */
export function replayRange(span: readonly [number, number] | null, nowMs: number): { min: number; max: number } {
  if (!span) return { min: nowMs, max: nowMs };
  const max = Math.max(nowMs, span[1]);
  return { min: Math.min(span[0], max), max };
}

export function clampMoment(at: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, Math.round(at)));
}

/** A step from `at` by `delta` ms, inside the range (null `delta`: the end, now). */
export function stepMoment(at: number, delta: number | null, min: number, max: number): number {
  return delta === null ? max : clampMoment(at + delta, min, max);
}

/**
 * What a key does on the focused scrubber: ← / → one minute, with Shift ten minutes, PageUp /
 * PageDown an hour, Home / End the range's ends. Null for any other key (left to the browser).
 */
export function keyStep(key: string, shift: boolean): { delta: number } | 'start' | 'end' | null {
  switch (key) {
    case 'ArrowLeft':
    case 'ArrowDown':
      return { delta: -(shift ? 10 : 1) * MINUTE };
    case 'ArrowRight':
    case 'ArrowUp':
      return { delta: (shift ? 10 : 1) * MINUTE };
    case 'PageDown':
      return { delta: -HOUR };
    case 'PageUp':
      return { delta: HOUR };
    case 'Home':
      return 'start';
    case 'End':
      return 'end';
    default:
      return null;
  }
}

const BEIJING_MS = 8 * HOUR;

/** A moment as "YYYY-MM-DD HH:mm:ss" in Beijing time (UTC+8), whatever the machine's zone. */
export function beijingFull(ms: number): string {
  return new Date(ms + BEIJING_MS).toISOString().slice(0, 19).replace('T', ' ');
}

/**
 * A typed moment in Beijing time: "YYYY-MM-DD HH:mm[:ss]" (also with T or /), or "HH:mm[:ss]"
 * on the Beijing date of `refMs`. Null when it is not a real time.
 */
export function parseMoment(text: string, refMs: number): number | null {
  const typed = text.trim();
  const full = /^\d{1,2}:\d{2}(:\d{2})?$/.test(typed) ? `${beijingFull(refMs).slice(0, 10)} ${typed}` : typed;
  const m = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(full);
  if (!m) return null;
  const p2 = (x: string | undefined) => (x ?? '00').padStart(2, '0');
  const wall = `${m[1]}-${p2(m[2])}-${p2(m[3])} ${p2(m[4])}:${m[5]}:${p2(m[6])}`;
  const ms = Date.parse(`${wall.replace(' ', 'T')}+08:00`);
  // Date.parse rolls 02-30 over to March: a real time reads back the same.
  return Number.isNaN(ms) || beijingFull(ms) !== wall ? null : ms;
}

/**
 * The live features after replay: those the map held when replay began, with the change pages
 * read meanwhile applied in order (a removal drops a feature, an upsert replaces or adds it).
 */
export function foldPages(features: readonly MapFeature[], pages: readonly Pick<Changes, 'upserted' | 'removed'>[]): MapFeature[] {
  const byId = new Map(features.map((f) => [f.id, f]));
  for (const p of pages) {
    for (const id of p.removed) byId.delete(id);
    for (const f of p.upserted) byId.set(f.id, f);
  }
  return [...byId.values()];
}
