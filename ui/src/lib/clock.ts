// Clock text of the wall and the console (pure; unit-tested): a date and a 24-hour time in a time zone.

/** The one time zone of every centre. */
export const BEIJING = 'Asia/Shanghai';

export interface ClockText {
  date: string;
  time: string;
}

export function clockText(now: Date, lang: 'zh-CN' | 'en', timeZone: string): ClockText {
  const date = new Intl.DateTimeFormat(lang, { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', weekday: 'short' }).format(now);
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }).formatToParts(now);
  const get = (t: Intl.DateTimeFormatPartTypes): string => parts.find((p) => p.type === t)?.value ?? '00';
  return { date, time: `${get('hour')}:${get('minute')}:${get('second')}` };
}
