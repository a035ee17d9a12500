// The alerts (告警) as the badge and the list show them: the badge's text, and the list in the
// order to act on — what is wrong or asked now (decision and dispatch conflicts, overdrawn stock,
// a shelter over capacity, a team request put to this centre) first, then the overdue steps and reports (longest overdue first), then
// stock near its expiry (soonest first) — each with its due time and how late or how near it
// is; the record words made readable (ids and codes named); where a row leads. Pure (language,
// names and the current time passed in), unit-tested.
import type { Alert } from '../../bindings/Alert';
import type { AlertKind } from '../../bindings/AlertKind';
import type { ResponseTab } from '../../state.svelte';
import { translate, type Lang } from '../../i18n/core';
import { formatMinutes } from '../commander/format';
import { shortTime } from '../../../wall/incident';

export interface AlertRow {
  alert: Alert;
  /** "时限 11-23 09:30", "有效期至 2026-12-20" (nothing without a due time). */
  due: string;
  /** "已超时 2 小时 05 分钟", "还剩 27 天", "已过期 3 天" (nothing for a conflict). */
  late: string;
}

/** The badge: "告警 3", or "无告警" when there are none (null before the first read). */
export function alertsBadge(lang: Lang, alerts: readonly Alert[] | null): string | null {
  if (alerts === null) return null;
  return alerts.length === 0 ? translate(lang, 'alerts.none_badge') : translate(lang, 'alerts.badge', { n: alerts.length });
}

/** The groups, in the order to act on. */
const GROUP: { readonly [K in AlertKind]: number } = {
  conflict: 0,
  dispatch_conflict: 0,
  overdraw: 0,
  shelter_full: 0,
  team_request: 0,
  step_overdue: 1,
  report_overdue: 1,
  expiring: 2,
};

const DAY_MS = 86_400_000;
/** Days from today to a date (YYYY-MM-DD), by the Beijing calendar. */
function daysTo(date: string, nowMs: number): number {
  const today = new Date(nowMs + 8 * 3_600_000).toISOString().slice(0, 10);
  return Math.round((Date.parse(`${date}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / DAY_MS);
}

function timing(lang: Lang, a: Alert, nowMs: number): { due: string; late: string } {
  if (!a.due) return { due: '', late: '' };
  if (a.kind === 'expiring') {
    const d = daysTo(a.due, nowMs);
    const late = Number.isNaN(d) ? '' : translate(lang, d < 0 ? 'alerts.expired_days' : d === 0 ? 'alerts.expires_today' : 'alerts.expires_in', { n: Math.abs(d) });
    return { due: translate(lang, 'alerts.expires', { d: a.due }), late };
  }
  const at = Date.parse(a.due);
  const late = Number.isNaN(at) ? '' : translate(lang, 'response.step.overdue', { t: formatMinutes(lang, Math.max(0, nowMs - at) / 60_000) });
  return { due: translate(lang, 'alerts.due', { t: shortTime(a.due) }), late };
}

export function alertRows(lang: Lang, alerts: readonly Alert[], nowMs: number): AlertRow[] {
  const due = (a: Alert) => (a.due ? Date.parse(a.due) : -Infinity);
  return [...alerts]
    .sort((a, b) => GROUP[a.kind] - GROUP[b.kind] || due(a) - due(b) || a.title.localeCompare(b.title, 'zh-CN'))
    .map((alert) => ({ alert, ...timing(lang, alert, nowMs) }));
}

const UUID = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi;
const ADMIN_CODE = /\b\d{12}\b/g;

/** An alert's text with the record ids and admin codes in it named (`nameOf`; null: left as it is). */
export function readableText(text: string, nameOf: (idOrCode: string) => string | null): string {
  const name = (m: string) => nameOf(m) ?? m;
  return text.replace(UUID, name).replace(ADMIN_CODE, name);
}

/** Where a row leads: an incident's response panel (on the reports tab for a late report); a
 *  team, shelter or warehouse selected on the map (a dispatch conflict also opens the dispatch
 *  panel of its incident); a stock line's warehouse selected; a team request's incident's
 *  dispatch panel, where it is answered. */
export type AlertTarget =
  | { to: 'incident'; id: string; tab: ResponseTab }
  | { to: 'dispatch'; id: string | null }
  | { to: 'record'; id: string; dispatchFor: string | null }
  | { to: 'line'; id: string };

export function alertTarget(a: Alert): AlertTarget {
  switch (a.subject.kind) {
    case 'incident':
      return { to: 'incident', id: a.subject.id, tab: a.kind === 'report_overdue' ? 'reports' : 'plans' };
    case 'stock_line':
      return { to: 'line', id: a.subject.id };
    case 'team_request':
      return { to: 'dispatch', id: a.incident };
    default:
      return { to: 'record', id: a.subject.id, dispatchFor: a.kind === 'dispatch_conflict' ? a.incident : null };
  }
}
