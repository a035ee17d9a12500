// The duty panel's model (值班): the shift on duty now, the window of the duty log (that shift's,
// or the last 24 hours), the log's lines grouped by kind (接报, 决策, 报送, 完成, 记录, 交接班) in a
// fixed order, newest first in each, and a new shift's defaults (now … +8 h, Beijing time).
// Pure (the current time passed in), unit-tested.
import type { DutyKind } from '../../bindings/DutyKind';
import type { DutyLine } from '../../bindings/DutyLine';
import type { Shift } from '../../bindings/Shift';
import { beijingInput } from '../response/intake';

export const DAY_MS = 24 * 3600_000;
export const SHIFT_MS = 8 * 3600_000;

/** The groups in the order an officer reads them, each with its mark. */
export const DUTY_KINDS: readonly { kind: DutyKind; icon: string }[] = [
  { kind: 'received', icon: '☎' },
  { kind: 'decided', icon: '⚑' },
  { kind: 'sent', icon: '➚' },
  { kind: 'done', icon: '✔' },
  { kind: 'note', icon: '✎' },
  { kind: 'handover', icon: '⇄' },
];

const ms = (t: string): number => Date.parse(t);

/** The shift on duty at `nowMs` (the latest to start, if several), or null. */
export function currentShift(shifts: readonly [string, Shift][], nowMs: number): [string, Shift] | null {
  const on = shifts.filter(([, s]) => ms(s.starts) <= nowMs && nowMs <= ms(s.ends));
  on.sort((a, b) => ms(b[1].starts) - ms(a[1].starts));
  return on[0] ?? null;
}

export type DutyWindowKind = 'shift' | 'day';

/** The duty log's window: the shift's (its start … its end or now, whichever is later), or the last 24 h. */
export function dutyWindow(kind: DutyWindowKind, shift: Shift | null, nowMs: number): { from: number; to: number } {
  if (kind === 'shift' && shift && Number.isFinite(ms(shift.starts))) return { from: ms(shift.starts), to: Math.max(nowMs, ms(shift.ends) || nowMs) };
  return { from: nowMs - DAY_MS, to: nowMs };
}

export interface DutyGroup {
  kind: DutyKind;
  icon: string;
  lines: DutyLine[];
}

/** The lines by kind, in `DUTY_KINDS` order, newest first; kinds without lines are left out. */
export function groupDuty(lines: readonly DutyLine[]): DutyGroup[] {
  return DUTY_KINDS.map(({ kind, icon }) => ({ kind, icon, lines: lines.filter((l) => l.kind === kind).sort((a, b) => b.at_ms - a.at_ms) })).filter((g) => g.lines.length > 0);
}

/** Duty officers typed in one field: separated by commas, 、, semicolons or spaces. */
export function officersOf(text: string): string[] {
  return text
    .split(/[,，、;；\s]+/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** A new shift's start and end as the form shows them: now … now + 8 h, Beijing time. */
export function shiftDefaults(nowMs: number): { starts: string; ends: string } {
  return { starts: beijingInput(nowMs), ends: beijingInput(nowMs + SHIFT_MS) };
}
