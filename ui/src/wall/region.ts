// The jurisdiction the wall frames (pure; unit-tested).
import type { SearchHit } from '../lib/bindings/SearchHit';
import type { Region } from '../lib/bindings/Region';
import type { Bounds } from './spotlight';

export interface Framed {
  /** 12-digit admin code. */
  code: string;
  name_zh: string;
  name_en: string;
  bounds: Bounds;
  /** Whether an operator chose it (else the console's region). */
  chosen: boolean;
}

/** The console's own region (when no jurisdiction is chosen). */
export function homeRegion(r: Region): Framed {
  return { code: r.code, name_zh: r.name_zh, name_en: r.name_en, bounds: r.bounds, chosen: false };
}

/** The search hit of jurisdiction `code` with a known boundary, as the framed region. */
export function regionFromHits(code: string, hits: readonly SearchHit[]): Framed | null {
  const hit = hits.find((h) => h.layer === null && h.code === code && h.bounds !== null);
  if (!hit?.bounds) return null;
  return { code, name_zh: hit.name_zh, name_en: hit.name_en, bounds: hit.bounds, chosen: true };
}
