// The plan library's model (预案库): plans in reading order (in force first; overall, special,
// departmental; superseded last), whether a plan's evaluation is overdue, and a level's
// triggers and needs as text. Pure (language and the current time passed in), unit-tested.
import type { Interval } from '../../bindings/Interval';
import type { Metric } from '../../bindings/Metric';
import type { Need } from '../../bindings/Need';
import type { Plan } from '../../bindings/Plan';
import { translate, type Lang } from '../../i18n/core';

const LIFECYCLE: readonly string[] = ['in_force', 'filed', 'reviewed', 'draft', 'superseded'];
const KIND: readonly string[] = ['overall', 'special', 'departmental'];

/** In force first (then filed, reviewed, draft, superseded), overall before special before departmental, then by name. */
export function sortPlans(plans: readonly Plan[]): Plan[] {
  return [...plans].sort((a, b) => LIFECYCLE.indexOf(a.lifecycle) - LIFECYCLE.indexOf(b.lifecycle) || KIND.indexOf(a.kind) - KIND.indexOf(b.kind) || a.zh.localeCompare(b.zh, 'zh-CN') || a.id.localeCompare(b.id));
}

/** Whether a plan still in use is past its evaluation date (a superseded plan is not evaluated). */
export function evaluationOverdue(plan: Pick<Plan, 'lifecycle' | 'evaluation_due'>, nowMs: number): boolean {
  const due = Date.parse(plan.evaluation_due);
  return plan.lifecycle !== 'superseded' && Number.isFinite(due) && due < nowMs;
}

const fmt = (lang: Lang, n: number) => n.toLocaleString(lang, { maximumFractionDigits: 2 });

/** One trigger: "转移安置 ≥ 100 且 < 500" (a missing bound is open). */
export function triggerText(lang: Lang, metric: Metric, i: Interval): string {
  const name = translate(lang, `plans.metric.${metric}`);
  const parts: string[] = [];
  if (i.gte !== null) parts.push(`≥ ${fmt(lang, i.gte)}`);
  if (i.lt !== null) parts.push(`< ${fmt(lang, i.lt)}`);
  return `${name} ${parts.join(translate(lang, 'plans.and'))}`.trim();
}

/** A level's triggers in the metric order of the binding. */
export function triggers(lang: Lang, t: Partial<Record<Metric, Interval>>): string[] {
  return (Object.entries(t) as [Metric, Interval | undefined][]).flatMap(([m, i]) => (i ? [triggerText(lang, m, i)] : []));
}

/** A need's quantity: "× 200" or "每转移 1 人 0.25". */
export function needText(lang: Lang, n: Pick<Need, 'quantity' | 'per_relocated'>): string {
  if (n.quantity !== null) return translate(lang, 'plans.need.fixed', { n: fmt(lang, Number(n.quantity)) });
  if (n.per_relocated !== null) return translate(lang, 'plans.need.per', { n: fmt(lang, n.per_relocated) });
  return '—';
}
