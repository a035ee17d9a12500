// The incident journal (事件日志) as readable lines: each op on the incident and its checklist
// (`journal`) summarised from its intent — a decision with its level and plan, a report by its
// label, the call taken in, a task laid out or updated (by its title), a note (its text), a
// movement (its reason) — newest first, with the time in Beijing and who recorded it. Pure
// (language and the names it needs passed in), unit-tested.
import type { JournalLine } from '../../bindings/JournalLine';
import { pick, translate, type Lang } from '../../i18n/core';

export type JournalKind = 'decision' | 'report' | 'incident' | 'task' | 'note' | 'other';

export interface JournalRow {
  at_ms: number;
  /** "MM-DD HH:mm:ss", Beijing time. */
  time: string;
  kind: JournalKind;
  text: string;
  actor: string;
  /** The recorded intent, as sent (for the row's data attribute). */
  intent: string;
}

/** What the summaries look up: plan names, task titles and journal-note texts by id. */
export interface JournalNames {
  plans: readonly { id: string; zh: string; en: string }[];
  tasks: ReadonlyMap<string, string>;
  notes: ReadonlyMap<string, string>;
}

const DECISION = /^response\.(start|upgrade|downgrade|terminate):\s*(\S+)\s*(\S*)$/;

/** "MM-DD HH:mm:ss" in Beijing time (UTC+8). */
export function beijingClock(ms: number): string {
  return new Date(ms + 8 * 3600_000).toISOString().slice(5, 19).replace('T', ' ');
}

/** Field names as the detail panel labels them ("状态、等级"), unknown ones as they are. */
function fieldList(lang: Lang, what: string): string {
  const sep = translate(lang, 'journal.sep');
  return what
    .split(',')
    .map((f) => f.trim())
    .filter((f) => f && f !== 'demo')
    .map((f) => {
      const key = `field.${f}`;
      const label = translate(lang, key);
      return label === key ? f : label;
    })
    .join(sep);
}

/** One line's summary. `first` says whether it is the incident's first record write (the call taken in). */
export function summarise(lang: Lang, line: JournalLine, names: JournalNames, first: boolean): Pick<JournalRow, 'kind' | 'text'> {
  const tr = (key: string, params?: { [k: string]: string | number }) => translate(lang, key, params);
  const d = DECISION.exec(line.intent);
  if (d) {
    const [, action, planId, roman] = d as unknown as [string, string, string, string];
    const plan = names.plans.find((p) => p.id === planId);
    const planName = plan ? pick(lang, plan.zh, plan.en) : planId;
    if (line.entity.kind === 'task') return { kind: 'task', text: tr('journal.task_laid', { title: names.tasks.get(line.entity.id) ?? line.entity.id.slice(0, 8) }) };
    const level = roman ? tr('response.level', { roman }) : '';
    return { kind: 'decision', text: tr('journal.decision', { action: tr(`response.action.${action}`), level, plan: planName }).replace(/\s+/g, ' ').trim() };
  }
  const r = /^report\.(.+)$/.exec(line.intent);
  if (r) return { kind: 'report', text: tr('journal.report', { label: r[1] as string }) };
  if (line.intent.startsWith('fixtures.')) return { kind: 'other', text: tr('journal.fixtures') };
  const move = /^\w+\.move:\s*(.*)$/.exec(line.intent);
  if (move) return { kind: 'other', text: tr('journal.move', { reason: move[1] as string }) };
  switch (line.entity.kind) {
    case 'incident':
      return first ? { kind: 'incident', text: tr('journal.received') } : { kind: 'incident', text: tr('journal.updated', { fields: fieldList(lang, line.what) }) };
    case 'task':
      return { kind: 'task', text: tr('journal.task_updated', { title: names.tasks.get(line.entity.id) ?? line.entity.id.slice(0, 8) }) };
    case 'journal':
      return { kind: 'note', text: tr('journal.note', { text: names.notes.get(line.entity.id) ?? '…' }) };
    default:
      return { kind: 'other', text: `${line.intent} (${line.what})` };
  }
}

/** The journal's rows, newest first. */
export function journalRows(lang: Lang, lines: readonly JournalLine[], names: JournalNames): JournalRow[] {
  const firstWrite = lines.find((l) => l.entity.kind === 'incident' && !DECISION.test(l.intent) && !l.intent.startsWith('report.'));
  return lines
    .map((l) => ({ at_ms: l.at_ms, time: beijingClock(l.at_ms), actor: l.actor, intent: l.intent, ...summarise(lang, l, names, l === firstWrite) }))
    .reverse();
}
