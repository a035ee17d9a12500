// Information reporting (信息报送) in the response panel: each deadline's state (met by a report,
// counting down, overdue), the form's addressee and channel from the first open deadline of a
// kind, and the field an API refusal names. Pure (language and the current time passed in),
// unit-tested.
import type { Channel } from '../../bindings/Channel';
import type { Deadline } from '../../bindings/Deadline';
import type { ReportKind } from '../../bindings/ReportKind';
import type { ReportsView } from '../../bindings/ReportsView';
import { translate, type Lang } from '../../i18n/core';
import { countdown } from './clock';

export type DeadlineState = 'met' | 'late' | 'due' | 'overdue';

export interface DeadlineRow {
  deadline: Deadline;
  state: DeadlineState;
  /** Minutes left (negative: overdue; 0 when met). */
  minutes: number;
  /** 已由「初报」报送 / 初报迟报 / 还剩 42 分钟 / 已超时 5 分钟. */
  text: string;
}

/** A deadline as it stands at `nowMs` (the page's clock, so it counts down between reads). */
export function deadlineRow(lang: Lang, d: Deadline, nowMs: number): DeadlineRow {
  if (d.met_by && d.late) return { deadline: d, state: 'late', minutes: 0, text: translate(lang, 'reports.deadline.late', { label: d.met_by }) };
  if (d.met_by) return { deadline: d, state: 'met', minutes: 0, text: translate(lang, 'reports.deadline.met', { label: d.met_by }) };
  const c = countdown(lang, d.due, nowMs, false);
  return { deadline: d, state: c.state === 'overdue' ? 'overdue' : 'due', minutes: c.minutes, text: c.text };
}

/** The deadlines by due time (open ones keep the API's order among equal times). */
export function deadlineRows(lang: Lang, deadlines: readonly Deadline[], nowMs: number): DeadlineRow[] {
  return deadlines
    .map((d, i) => ({ d, i }))
    .sort((a, b) => Date.parse(a.d.due) - Date.parse(b.d.due) || a.i - b.i)
    .map(({ d }) => deadlineRow(lang, d, nowMs));
}

export interface Addressee {
  to: string;
  channel: Channel;
}

/**
 * Whom a report of `kind` goes to and how: the first open (unmet) deadline of that kind by due
 * time; else the last report of that kind filed; else nobody yet, in writing.
 */
export function addresseeFor(view: Pick<ReportsView, 'deadlines' | 'filed'>, kind: ReportKind): Addressee {
  const open = view.deadlines.filter((d) => d.report === kind && !d.met_by).sort((a, b) => Date.parse(a.due) - Date.parse(b.due))[0];
  if (open) return { to: open.to, channel: open.channel };
  const last = [...view.filed].reverse().find((f) => f.report.kind === kind);
  if (last) return { to: last.report.to, channel: last.report.channel };
  return { to: '', channel: 'written' };
}

/**
 * The form field an API refusal is about: `field \`sections.measures\`: …` → `measures`,
 * `field \`to\`` → `to`; null when it names none (shown above the form).
 */
export function refusedField(message: string): string | null {
  const m = /field `([^`]+)`/.exec(message);
  if (!m) return null;
  const name = m[1] as string;
  return name.startsWith('sections.') ? name.slice('sections.'.length) : name;
}

/** The refusal's own words without the field prefix (the field is named by where it shows). */
export function refusalText(message: string): string {
  return message.replace(/^field `[^`]+`:\s*/, '');
}
