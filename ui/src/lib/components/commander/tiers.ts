// The tier tree of the drill-down (省 → 市 → 县 → 乡 → 村) from bootstrap's jurisdictions and
// their parent links. Pure, unit-tested.
import type { JurisdictionSummary } from '../../bindings/JurisdictionSummary';
import type { Tier } from '../../bindings/Tier';

export interface TierTree {
  byCode: ReadonlyMap<string, JurisdictionSummary>;
  /** Children of a code, by code (the tree's roots under ''). */
  children: ReadonlyMap<string, readonly JurisdictionSummary[]>;
}

/** The key of the roots in `children`. */
export const ROOT = '';

/**
 * Builds the tree. A jurisdiction whose parent is missing from the list (or null) is a root.
 * Children are ordered by code (the statistical order: 街道 before 镇 before 乡).
 */
export function buildTree(list: readonly JurisdictionSummary[]): TierTree {
  const byCode = new Map<string, JurisdictionSummary>();
  for (const j of list) byCode.set(j.code, j);
  const children = new Map<string, JurisdictionSummary[]>();
  for (const j of list) {
    const parent = j.parent && byCode.has(j.parent) && j.parent !== j.code ? j.parent : ROOT;
    const l = children.get(parent) ?? [];
    l.push(j);
    children.set(parent, l);
  }
  for (const l of children.values()) l.sort((a, b) => a.code.localeCompare(b.code));
  return { byCode, children };
}

/** The chain from a root down to `code` (inclusive); empty when `code` is unknown. */
export function pathTo(tree: TierTree, code: string | null): JurisdictionSummary[] {
  const out: JurisdictionSummary[] = [];
  const seen = new Set<string>();
  let cur = code ? tree.byCode.get(code) : undefined;
  while (cur && !seen.has(cur.code)) {
    seen.add(cur.code);
    out.unshift(cur);
    cur = cur.parent ? tree.byCode.get(cur.parent) : undefined;
  }
  return out;
}

/** The jurisdictions one level below `code` (the roots for null). */
export function childrenOf(tree: TierTree, code: string | null): readonly JurisdictionSummary[] {
  return tree.children.get(code ?? ROOT) ?? [];
}

/** One level up from `code`: its parent, or null (the whole picture) from a root. */
export function parentOf(tree: TierTree, code: string | null): string | null {
  if (!code) return null;
  const p = tree.byCode.get(code)?.parent;
  return p && tree.byCode.has(p) ? p : null;
}

/** Where a jurisdiction's boundary lies in the basemap tiles (offline-tiles/README.md). */
export function boundaryOf(j: Pick<JurisdictionSummary, 'code' | 'tier'>): { sourceLayer: string; key: string; value: string } | null {
  const t: Tier = j.tier;
  switch (t) {
    case 'province':
    case 'city':
    case 'county':
      return { sourceLayer: t, key: 'code6', value: j.code.slice(0, 6) };
    case 'township':
      return { sourceLayer: 'township', key: 'code12', value: j.code };
    default:
      return null;
  }
}
