// Search results, grouped for the search box: jurisdictions first (by tier), then records by
// layer (incidents, teams, warehouses, shelters, hazards), the host's order kept within a
// group. Pure, unit-tested.
import type { Layer } from '../../bindings/Layer';
import type { SearchHit } from '../../bindings/SearchHit';
import type { Tier } from '../../bindings/Tier';

export type GroupKey = 'jurisdictions' | Layer;

export interface HitGroup {
  key: GroupKey;
  hits: SearchHit[];
}

export const GROUP_ORDER: readonly GroupKey[] = ['jurisdictions', 'incidents', 'teams', 'warehouses', 'shelters', 'hazards'];
export const TIER_ORDER: readonly Tier[] = ['province', 'city', 'county', 'township', 'village'];

/** Groups hits; within the jurisdictions, higher tiers first. */
export function groupHits(hits: readonly SearchHit[]): HitGroup[] {
  const by = new Map<GroupKey, SearchHit[]>();
  for (const h of hits) {
    const key: GroupKey = h.layer ?? 'jurisdictions';
    const list = by.get(key) ?? [];
    list.push(h);
    by.set(key, list);
  }
  const out: HitGroup[] = [];
  for (const key of GROUP_ORDER) {
    const list = by.get(key);
    if (!list) continue;
    if (key === 'jurisdictions') {
      const rank = (h: SearchHit) => (h.tier ? TIER_ORDER.indexOf(h.tier) : TIER_ORDER.length);
      // A stable sort: the host's relevance order within one tier.
      list.sort((a, b) => rank(a) - rank(b));
    }
    out.push({ key, hits: list });
  }
  return out;
}

/** The groups' hits in display order (what the arrow keys walk through). */
export function flatten(groups: readonly HitGroup[]): SearchHit[] {
  return groups.flatMap((g) => g.hits);
}

/** A stable key of a hit (for keyed lists and the DOM). */
export function hitKey(h: SearchHit): string {
  return h.id ?? `j:${h.code ?? `${h.point.lon},${h.point.lat}`}`;
}

/** Zoom to show a jurisdiction whose boundary is unknown around its seat (at scale 1). */
export function tierZoom(tier: Tier | null): number {
  switch (tier) {
    case 'province':
      return 6;
    case 'city':
      return 8;
    case 'county':
      return 10;
    case 'township':
      return 12;
    case 'village':
      return 13.5;
    default:
      return 12;
  }
}

/** What picking a hit does: frame a jurisdiction (bounds, else its seat at a tier zoom) or
 *  select a record. */
export type HitAction =
  | { kind: 'bounds'; bounds: [number, number, number, number] }
  | { kind: 'seat'; centre: [number, number]; zoom: number }
  | { kind: 'record'; id: string; layer: Layer };

export function hitAction(h: SearchHit): HitAction {
  if (h.layer && h.id) return { kind: 'record', id: h.id, layer: h.layer };
  if (h.bounds) return { kind: 'bounds', bounds: h.bounds };
  return { kind: 'seat', centre: [h.point.lon, h.point.lat], zoom: tierZoom(h.tier) };
}
