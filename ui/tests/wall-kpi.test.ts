import { describe, expect, it } from 'vitest';
import type { Stats } from '../src/lib/bindings/Stats';
import type { EntityDetail } from '../src/lib/bindings/EntityDetail';
import { flatKpi, kpiOf, percent } from '../src/wall/kpi';
import { featureFacts, incidentFacts, shortTime } from '../src/wall/incident';
import { homeRegion, regionFromHits } from '../src/wall/region';
import { clockText } from '../src/lib/clock';
import { BOOT } from './fixtures';

const STATS: Stats = {
  active_by_grade: [1, 0, 0, 2, 3],
  active: 6,
  closed: 3,
  by_category: [],
  teams: [
    { key: 'standby', count: 55 },
    { key: 'dispatched', count: 1 },
    { key: 'en_route', count: 2 },
    { key: 'on_scene', count: 5 },
    { key: 'returning', count: 1 },
  ],
  team_people: 2945,
  shelters: { count: 28, capacity: 226_164, occupancy: 860, full: 1 },
  stock: [
    { class: 'flood', on_hand: 1_122_802, lines: 103 },
    { class: 'living', on_hand: 153_054, lines: 158 },
  ],
  stock_history: [],
  history_step_secs: 3600,
};

describe('kpi', () => {
  it('derives the panel figures', () => {
    const k = kpiOf(STATS);
    expect(k.incidents).toEqual({ active: 6, closed: 3, total: 9, byGrade: [1, 0, 0, 2, 3] });
    expect(k.teams.total).toBe(64);
    expect(k.teams.people).toBe(2945);
    expect(k.shelters).toEqual({ count: 28, capacity: 226_164, occupancy: 860, free: 225_304, full: 1, percent: 0.4 });
    expect(k.stock).toEqual([
      { class: 'flood', onHand: 1_122_802, lines: 103 },
      { class: 'living', onHand: 153_054, lines: 158 },
    ]);
  });

  it('names every figure as data-kpi does', () => {
    const f = flatKpi(kpiOf(STATS));
    expect(f['incidents.active']).toBe(6);
    expect(f['grade.0']).toBe(1);
    expect(f['grade.4']).toBe(3);
    expect(f['teams.on_scene']).toBe(5);
    expect(f['stock.flood']).toBe(1_122_802);
    expect(f['shelters.percent']).toBe(0.4);
    expect(Object.keys(f)).toHaveLength(10 + 5 + 5 + 2);
  });

  it('rounds percentages to one decimal and survives zero capacity', () => {
    expect(percent(1, 3)).toBe(33.3);
    expect(percent(5, 0)).toBe(0);
    expect(percent(226_164, 226_164)).toBe(100);
  });
});

describe('incidentFacts', () => {
  const detail: EntityDetail = {
    record: {
      entity: { kind: 'incident', id: 'i-1' },
      fields: {
        title: '老站街道居民楼火灾',
        category: 'accident',
        subtype: 'fire',
        grade: 4,
        jurisdiction: '220502003000',
        onset: '2026-11-22T07:50:00+08:00',
        status: 'active',
        casualties: { dead: 0, injured: 2, missing: 1 },
        affected: 85,
        relocated: 32,
      },
      balances: {},
      updated: 1,
    },
    derived: {},
    stock: [],
  };

  it('reads the card facts from the record', () => {
    expect(incidentFacts(detail)).toEqual({
      title: '老站街道居民楼火灾',
      category: 'accident',
      subtype: 'fire',
      grade: 4,
      jurisdiction: '220502003000',
      onset: '2026-11-22T07:50:00+08:00',
      status: 'active',
      dead: 0,
      missing: 1,
      injured: 2,
      affected: 85,
      relocated: 32,
      partial: false,
    });
  });

  it('has the map feature’s facts at once, marked partial', () => {
    const f = featureFacts({ id: 'i-1', layer: 'incidents', lon: 1, lat: 2, name: '火灾', class: 'accident', status: 'active', grade: 4, response: 0, demo: false });
    expect(f).toMatchObject({ title: '火灾', category: 'accident', grade: 4, status: 'active', partial: true });
  });

  it('defaults missing fields (ungraded, no casualties)', () => {
    const f = incidentFacts({ ...detail, record: { ...detail.record, fields: { title: 'x', grade: null } } });
    expect(f.grade).toBe(0);
    expect(f.dead + f.missing + f.injured + f.affected).toBe(0);
  });

  it('shows the onset in Beijing time', () => {
    expect(shortTime('2026-11-22T07:50:00+08:00')).toBe('11-22 07:50');
    expect(shortTime('2026-11-21T23:50:00Z')).toBe('11-22 07:50');
    expect(shortTime('not a time')).toBe('not a time');
  });
});

describe('region', () => {
  it('frames the console region when none is chosen', () => {
    expect(homeRegion(BOOT.region)).toEqual({ code: '220502000000', name_zh: '东昌区', name_en: 'Dongchang District', bounds: [125.7, 41.55, 126.2, 41.9], chosen: false });
  });

  it('takes the chosen jurisdiction’s bounds from search hits', () => {
    const hit = {
      layer: null,
      id: null,
      code: '220502001000',
      tier: 'township' as const,
      name_zh: '东昌街道',
      name_en: 'Dongchang Subdistrict',
      point: { lon: 125.938, lat: 41.733 },
      bounds: [125.927, 41.723, 125.947, 41.745] as [number, number, number, number],
      matched: 'code' as const,
    };
    expect(regionFromHits('220502001000', [{ ...hit, layer: 'incidents', id: 'x', code: null }, hit])).toEqual({
      code: '220502001000',
      name_zh: '东昌街道',
      name_en: 'Dongchang Subdistrict',
      bounds: [125.927, 41.723, 125.947, 41.745],
      chosen: true,
    });
    expect(regionFromHits('220502001000', [{ ...hit, bounds: null }])).toBeNull();
    expect(regionFromHits('220502002000', [hit])).toBeNull();
  });
});

describe('clockText', () => {
  it('shows 24-hour time in the given zone', () => {
    const d = new Date(Date.UTC(2026, 10, 23, 0, 5, 9));
    expect(clockText(d, 'zh-CN', 'Asia/Shanghai').time).toBe('08:05:09');
    expect(clockText(d, 'en', 'UTC').time).toBe('00:05:09');
    expect(clockText(d, 'zh-CN', 'Asia/Shanghai').date).toContain('2026');
  });
});
