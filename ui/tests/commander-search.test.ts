import { describe, expect, it } from 'vitest';
import type { SearchHit } from '../src/lib/bindings/SearchHit';
import { flatten, groupHits, hitAction, hitKey, tierZoom } from '../src/lib/components/commander/search';

const j = (code: string, tier: SearchHit['tier'], bounds: SearchHit['bounds'] = null): SearchHit => ({
  layer: null,
  id: null,
  code,
  tier,
  name_zh: code,
  name_en: '',
  point: { lon: 125.9, lat: 41.7 },
  bounds,
  matched: 'code',
});
const r = (id: string, layer: NonNullable<SearchHit['layer']>): SearchHit => ({
  layer,
  id,
  code: null,
  tier: null,
  name_zh: id,
  name_en: '',
  point: { lon: 125.95, lat: 41.73 },
  bounds: null,
  matched: 'pinyin',
});

describe('search hits grouped', () => {
  it('puts jurisdictions first (higher tiers first), then records by layer, keeping the host order within', () => {
    const hits = [r('s1', 'shelters'), r('t1', 'teams'), j('220502001000', 'township'), r('t2', 'teams'), j('220502000000', 'county'), r('i1', 'incidents'), j('220502100000', 'township')];
    const groups = groupHits(hits);
    expect(groups.map((g) => g.key)).toEqual(['jurisdictions', 'incidents', 'teams', 'shelters']);
    expect(groups[0]?.hits.map((h) => h.code)).toEqual(['220502000000', '220502001000', '220502100000']);
    expect(groups[2]?.hits.map((h) => h.id)).toEqual(['t1', 't2']);
    expect(flatten(groups).map(hitKey)).toEqual(['j:220502000000', 'j:220502001000', 'j:220502100000', 'i1', 't1', 't2', 's1']);
    expect(groupHits([])).toEqual([]);
  });

  it('picks: bounds for a framed jurisdiction, its seat at a tier zoom without, a record by id', () => {
    expect(hitAction(j('220502000000', 'county', [125.83, 41.54, 126.12, 41.82]))).toEqual({ kind: 'bounds', bounds: [125.83, 41.54, 126.12, 41.82] });
    expect(hitAction(j('220502001001', 'village'))).toEqual({ kind: 'seat', centre: [125.9, 41.7], zoom: tierZoom('village') });
    expect(hitAction(r('t1', 'teams'))).toEqual({ kind: 'record', id: 't1', layer: 'teams' });
  });

  it('zooms deeper for lower tiers', () => {
    const z = (['province', 'city', 'county', 'township', 'village'] as const).map(tierZoom);
    expect([...z].sort((a, b) => a - b)).toEqual(z);
    expect(tierZoom(null)).toBeGreaterThan(0);
  });
});
