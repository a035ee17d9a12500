// Number and time-step labels for charts and KPI panels (pure; unit-tested).

import { BEIJING } from '../clock';

export type ChartLang = 'zh-CN' | 'en';

/** China Standard Time: the API's history steps start at 00:00 CST, and the wall shows Beijing time. */
export const CHART_TIME_ZONE = BEIJING;

function trimmed(n: number, digits: number): string {
  return n.toFixed(digits).replace(/\.0+$/, '').replace(/(\.\d*?)0+$/, '$1');
}

/**
 * A short number for a big screen: 1,122,802 → "112.3万" (zh) or "1.1M" (en); below ten
 * thousand (zh) or one thousand (en) the exact figure with grouping.
 */
export function compactNumber(lang: ChartLang, n: number): string {
  const sign = n < 0 ? '-' : '';
  const a = Math.abs(n);
  if (lang === 'zh-CN') {
    if (a >= 1e8) return `${sign}${trimmed(a / 1e8, a >= 1e10 ? 0 : 1)}亿`;
    if (a >= 1e4) return `${sign}${trimmed(a / 1e4, a >= 1e6 ? 0 : 1)}万`;
    return n.toLocaleString('zh-CN');
  }
  if (a >= 1e9) return `${sign}${trimmed(a / 1e9, 1)}B`;
  if (a >= 1e6) return `${sign}${trimmed(a / 1e6, 1)}M`;
  if (a >= 1e4) return `${sign}${trimmed(a / 1e3, a >= 1e5 ? 0 : 1)}k`;
  return n.toLocaleString('en');
}

/** Label of one history step: "HH:00" for hourly steps, "MM-DD" for daily ones (Beijing time). */
export function stepLabel(atMs: number, stepSecs: number, timeZone = CHART_TIME_ZONE): string {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(atMs));
  const get = (type: Intl.DateTimeFormatPartTypes): string => parts.find((p) => p.type === type)?.value ?? '00';
  return stepSecs >= 86_400 ? `${get('month')}-${get('day')}` : `${get('hour')}:${get('minute')}`;
}
