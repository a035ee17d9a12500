// Time in the response panel: a checklist step's live countdown ("还剩 42 分钟" / "已超时 5
// 分钟") and the relief clock (time since onset against the relief targets). Pure (language and
// the current time passed in), unit-tested.
import type { ReliefTarget } from '../../bindings/ReliefTarget';
import { translate, type Lang } from '../../i18n/core';
import { formatMinutes } from '../commander/format';

export type StepClock = 'done' | 'due' | 'overdue';

export interface Countdown {
  state: StepClock;
  /** Minutes left (negative: overdue), whole minutes towards zero's far side. */
  minutes: number;
  text: string;
}

/** A step's countdown to its due time (done steps: no countdown). */
export function countdown(lang: Lang, due: string, nowMs: number, done: boolean): Countdown {
  const dueMs = Date.parse(due);
  if (done) return { state: 'done', minutes: 0, text: translate(lang, 'response.step.done') };
  if (Number.isNaN(dueMs)) return { state: 'due', minutes: 0, text: '—' };
  const left = (dueMs - nowMs) / 60_000;
  if (left > 0) return { state: 'due', minutes: Math.ceil(left), text: translate(lang, 'response.step.left', { t: formatMinutes(lang, left) }) };
  return { state: 'overdue', minutes: -Math.max(1, Math.ceil(-left)), text: translate(lang, 'response.step.overdue', { t: formatMinutes(lang, -left) }) };
}

/** A span of time as "3 小时 12 分钟" (whole minutes, rounded down; under a minute: "0 分钟"). */
export function elapsedText(lang: Lang, ms: number): string {
  const m = Math.max(0, Math.floor(ms / 60_000));
  return m === 0 ? translate(lang, 'commander.unit.min', { n: 0 }) : formatMinutes(lang, m);
}

export interface TargetState extends ReliefTarget {
  /** The time limit has run out. */
  passed: boolean;
  /** Milliseconds left until the limit (negative: since it ran out). */
  leftMs: number;
  /** Where the limit sits on the clock's bar, 0…1. */
  at: number;
}

export interface ReliefClock {
  /** Milliseconds since onset (0 before it). */
  elapsedMs: number;
  /** The bar's span in hours: the last target. */
  spanHours: number;
  /** How much of the bar has run, 0…1. */
  fill: number;
  targets: TargetState[];
}

/** The relief clock of an incident (null when its onset is unreadable). */
export function reliefClock(onset: string, targets: readonly ReliefTarget[], nowMs: number): ReliefClock | null {
  const start = Date.parse(onset);
  if (Number.isNaN(start)) return null;
  const elapsedMs = Math.max(0, nowMs - start);
  const sorted = [...targets].sort((a, b) => a.hours - b.hours);
  const spanHours = Math.max(1, ...sorted.map((t) => t.hours));
  const spanMs = spanHours * 3600_000;
  return {
    elapsedMs,
    spanHours,
    fill: Math.min(1, elapsedMs / spanMs),
    targets: sorted.map((t) => {
      const leftMs = t.hours * 3600_000 - elapsedMs;
      return { ...t, passed: leftMs <= 0, leftMs, at: (t.hours * 3600_000) / spanMs };
    }),
  };
}

/** A target's line: "还剩 6 小时 48 分钟" or "已过时限 1 小时 12 分钟". */
export function targetText(lang: Lang, t: TargetState): string {
  return t.passed
    ? translate(lang, 'response.relief.passed', { t: elapsedText(lang, -t.leftMs) })
    : translate(lang, 'response.relief.left', { t: formatMinutes(lang, t.leftMs / 60_000) });
}
