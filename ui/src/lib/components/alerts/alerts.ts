// The alerts (告警) as the badge and the list show them: the badge's text, and the list in the
// order to act on — conflicts first, then by due time (longest overdue first) — each with how
// long it is overdue. Pure (language and the current time passed in), unit-tested.
import type { Alert } from '../../bindings/Alert';
import { translate, type Lang } from '../../i18n/core';
import { formatMinutes } from '../commander/format';

export interface AlertRow {
  alert: Alert;
  /** "已超时 2 小时 05 分钟" (nothing for a conflict). */
  late: string;
}

/** The badge: "告警 3", or "无告警" when there are none (null before the first read). */
export function alertsBadge(lang: Lang, alerts: readonly Alert[] | null): string | null {
  if (alerts === null) return null;
  return alerts.length === 0 ? translate(lang, 'alerts.none_badge') : translate(lang, 'alerts.badge', { n: alerts.length });
}

export function alertRows(lang: Lang, alerts: readonly Alert[], nowMs: number): AlertRow[] {
  const due = (a: Alert) => (a.due ? Date.parse(a.due) : -Infinity);
  return [...alerts]
    .sort((a, b) => due(a) - due(b) || a.incident_title.localeCompare(b.incident_title, 'zh-CN'))
    .map((alert) => {
      const at = alert.due ? Date.parse(alert.due) : NaN;
      const late = Number.isNaN(at) ? '' : translate(lang, 'response.step.overdue', { t: formatMinutes(lang, Math.max(0, nowMs - at) / 60_000) });
      return { alert, late };
    });
}
