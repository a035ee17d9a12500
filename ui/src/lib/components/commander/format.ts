// Figures of the commander panels as text: travel minutes, kilometres, measured lengths and
// areas, onset times. Pure (the language is passed in), unit-tested.
import { translate, type Lang } from '../../i18n/core';

const fixed = (lang: Lang, n: number, digits: number) => n.toLocaleString(lang, { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** Estimated minutes: "6 分钟", "1 小时 05 分钟" (rounded up: an arrival is never early). */
export function formatMinutes(lang: Lang, minutes: number): string {
  if (!Number.isFinite(minutes) || minutes < 0) return '—';
  const m = Math.max(1, Math.ceil(minutes - 1e-9));
  if (m < 60) return translate(lang, 'commander.unit.min', { n: m });
  return translate(lang, 'commander.unit.h_min', { h: Math.floor(m / 60), m: String(m % 60).padStart(2, '0') });
}

/** A distance given in kilometres: one decimal below 10 km, whole kilometres beyond. */
export function formatKm(lang: Lang, km: number): string {
  if (!Number.isFinite(km) || km < 0) return '—';
  return translate(lang, 'commander.unit.km', { n: fixed(lang, km, km < 10 ? 1 : 0) });
}

/** A measured length: metres below 1 km, then km with 2 / 1 / 0 decimals. */
export function formatLength(lang: Lang, metres: number): string {
  if (!Number.isFinite(metres) || metres < 0) return '—';
  if (metres < 1000) return translate(lang, 'commander.unit.m', { n: fixed(lang, Math.round(metres), 0) });
  const km = metres / 1000;
  return translate(lang, 'commander.unit.km', { n: fixed(lang, km, km < 10 ? 2 : km < 100 ? 1 : 0) });
}

/** A measured area: m² below 1 ha, m² and 公顷 below 1 km², then km² and 公顷. */
export function formatArea(lang: Lang, m2: number): string {
  if (!Number.isFinite(m2) || m2 < 0) return '—';
  const sep = translate(lang, 'commander.unit.sep');
  const ha = m2 / 10_000;
  if (m2 < 10_000) return translate(lang, 'commander.unit.m2', { n: fixed(lang, Math.round(m2), 0) });
  const haText = translate(lang, 'commander.unit.ha', { n: fixed(lang, ha, ha < 100 ? 2 : ha < 1000 ? 1 : 0) });
  if (m2 < 1_000_000) return `${translate(lang, 'commander.unit.m2', { n: fixed(lang, Math.round(m2), 0) })}${sep}${haText}`;
  const km2 = m2 / 1_000_000;
  return `${translate(lang, 'commander.unit.km2', { n: fixed(lang, km2, km2 < 100 ? 2 : km2 < 1000 ? 1 : 0) })}${sep}${haText}`;
}

/** An onset time, short: month-day hour:minute in local time ("—" when unknown). */
export function formatOnset(lang: Lang, iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString(lang, { month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false });
}

/** 1:50,000 */
export function formatScale(lang: Lang, denominator: number): string {
  return denominator > 0 ? `1:${denominator.toLocaleString(lang)}` : '—';
}
