// The incident list's order: active first, then by grade (Ⅰ most serious first, ungraded
// last), then the most recent onset first, then by name. Pure, unit-tested.
import type { MapFeature } from '../../bindings/MapFeature';

export interface OnsetOf {
  (id: string): string | null | undefined;
}

const gradeRank = (g: number) => (g >= 1 && g <= 4 ? g : 9);
const onsetMs = (iso: string | null | undefined) => {
  const t = iso ? Date.parse(iso) : NaN;
  return Number.isNaN(t) ? -Infinity : t;
};

export function compareIncidents(a: MapFeature, b: MapFeature, onset: OnsetOf): number {
  return (
    Number(a.status !== 'active') - Number(b.status !== 'active') ||
    gradeRank(a.grade) - gradeRank(b.grade) ||
    onsetMs(onset(b.id)) - onsetMs(onset(a.id)) ||
    a.name.localeCompare(b.name, 'zh-CN') ||
    a.id.localeCompare(b.id)
  );
}

export function sortIncidents(list: readonly MapFeature[], onset: OnsetOf): MapFeature[] {
  return [...list].sort((a, b) => compareIncidents(a, b, onset));
}

/** The next (+1) or previous (−1) entry of a list after `current` (wrapping; the first or
 *  last when nothing is current). */
export function stepIn<T>(list: readonly T[], current: number, step: number): number {
  if (list.length === 0) return -1;
  if (current < 0) return step > 0 ? 0 : list.length - 1;
  return (((current + step) % list.length) + list.length) % list.length;
}

/** Black or white text, whichever reads better on a `#rrggbb` colour (WCAG luminance). */
export function textOn(hex: string): '#000000' | '#ffffff' {
  const m = /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex.trim());
  if (!m) return '#ffffff';
  const lin = (h: string) => {
    const c = parseInt(h, 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  const l = 0.2126 * lin(m[1] as string) + 0.7152 * lin(m[2] as string) + 0.0722 * lin(m[3] as string);
  // Contrast with black (l + 0.05) / 0.05 against white 1.05 / (l + 0.05).
  return (l + 0.05) / 0.05 >= 1.05 / (l + 0.05) ? '#000000' : '#ffffff';
}
