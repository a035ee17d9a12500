// Placing evacuees in a shelter (安置) and their leaving (离开): the number typed, checked, as a
// signed ledger movement with its reason. Pure, unit-tested.
import { translate, type Lang } from '../../i18n/core';

export type Movement = { ok: true; delta: number; reason: string } | { ok: false; error: string };

/** `raw` people placed (`in`) or leaving (`out`) as a movement of the shelter's occupancy. */
export function movement(lang: Lang, raw: string, way: 'in' | 'out'): Movement {
  const text = raw.trim();
  const n = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(n) || n < 1) return { ok: false, error: translate(lang, 'placing.err.count') };
  return { ok: true, delta: way === 'in' ? n : -n, reason: translate(lang, `placing.reason_${way}`, { n }) };
}
