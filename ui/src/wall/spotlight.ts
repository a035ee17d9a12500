// Which incident the wall's spotlight shows (pure; unit-tested): the one an operator chose,
// else a rotation through the active incidents of the framed jurisdiction, most severe first.
import type { MapFeature } from '../lib/bindings/MapFeature';

export type Bounds = readonly [number, number, number, number];

export function inBounds(p: { lon: number; lat: number }, b: Bounds): boolean {
  return p.lon >= b[0] && p.lon <= b[2] && p.lat >= b[1] && p.lat <= b[3];
}

const collator = new Intl.Collator('zh-CN');

/** Grade order: Ⅰ (1) first … Ⅳ (4), ungraded (0) last. */
const severity = (g: number): number => (g >= 1 && g <= 4 ? g : 5);

/**
 * The rotation: ids of the active incidents (inside `bounds` when given), by grade (Ⅰ
 * first), then name, then id — a stable order, so every wall rotates alike.
 */
export function rotation(incidents: readonly MapFeature[], bounds: Bounds | null = null): string[] {
  return incidents
    .filter((f) => f.layer === 'incidents' && f.status === 'active' && (!bounds || inBounds(f, bounds)))
    .sort((a, b) => severity(a.grade) - severity(b.grade) || collator.compare(a.name, b.name) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((f) => f.id);
}

export interface Spot {
  /** The incident shown (null: none to show). */
  id: string | null;
  /** Chosen by an operator (held), not rotating. */
  held: boolean;
  /** When it came into the spotlight (ms). */
  since: number;
}

export const NO_SPOT: Spot = { id: null, held: false, since: 0 };

/**
 * The next spotlight at `now`. An operator's choice holds (at once, whatever the rotation).
 * Otherwise the current incident stays for `secs` seconds while it is still in the rotation,
 * then the next one in the list follows (the first one when the current one left it).
 */
export function nextSpot(cur: Spot, chosen: string | null, list: readonly string[], secs: number, now: number): Spot {
  if (chosen) return cur.id === chosen && cur.held ? cur : { id: chosen, held: true, since: now };
  if (list.length === 0) return cur.id === null ? cur : { ...NO_SPOT, since: now };
  const at = cur.id ? list.indexOf(cur.id) : -1;
  if (at >= 0 && !cur.held && now - cur.since < secs * 1000) return cur;
  if (at < 0) return { id: list[0] ?? null, held: false, since: now };
  const next = list[(at + 1) % list.length] ?? null;
  return { id: next, held: false, since: now };
}

/** Position of the spotlight in the rotation, 1-based ("2 / 5"), or 0 when it is not in it. */
export function position(list: readonly string[], id: string | null): number {
  return id ? list.indexOf(id) + 1 : 0;
}
