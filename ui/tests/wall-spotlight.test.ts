import { describe, expect, it } from 'vitest';
import type { MapFeature } from '../src/lib/bindings/MapFeature';
import { NO_SPOT, inBounds, nextSpot, position, rotation } from '../src/wall/spotlight';

const inc = (id: string, name: string, grade: number, status = 'active', lon = 125.9, lat = 41.7): MapFeature => ({
  id,
  layer: 'incidents',
  lon,
  lat,
  name,
  class: 'natural',
  status,
  grade,
  response: 0,
  demo: false,
});

describe('rotation', () => {
  const list = [
    inc('c', '丙', 4),
    inc('a', '甲', 4),
    inc('x', '已结束', 1, 'closed'),
    inc('b', '乙', 2),
    inc('u', '未定级', 0),
    { ...inc('t', 'team', 1), layer: 'teams' as const },
  ];

  it('has the active incidents only, grade Ⅰ first, ungraded last, then by name', () => {
    const r = rotation(list);
    expect(r[0]).toBe('b');
    expect(r[r.length - 1]).toBe('u');
    expect(new Set(r)).toEqual(new Set(['a', 'b', 'c', 'u']));
    expect(r.indexOf('a') < r.indexOf('c')).toBe('甲'.localeCompare('丙', 'zh-CN') < 0);
  });

  it('keeps to the framed bounds when given', () => {
    const inside = inc('in', 'in', 4, 'active', 125.93, 41.73);
    const outside = inc('out', 'out', 4, 'active', 125.5, 41.73);
    const b = [125.92, 41.72, 125.95, 41.75] as const;
    expect(inBounds(inside, b)).toBe(true);
    expect(inBounds(outside, b)).toBe(false);
    expect(rotation([inside, outside], b)).toEqual(['in']);
    expect(rotation([inside, outside], null)).toEqual(['in', 'out']);
  });
});

describe('nextSpot', () => {
  const list = ['a', 'b', 'c'];
  const secs = 15;

  it('starts on the first incident of the rotation', () => {
    expect(nextSpot(NO_SPOT, null, list, secs, 1000)).toEqual({ id: 'a', held: false, since: 1000 });
  });

  it('stays for spotlight_secs, then moves to the next one, wrapping round', () => {
    const a = { id: 'a', held: false, since: 0 };
    expect(nextSpot(a, null, list, secs, 14_999)).toBe(a);
    expect(nextSpot(a, null, list, secs, 15_000)).toEqual({ id: 'b', held: false, since: 15_000 });
    expect(nextSpot({ id: 'c', held: false, since: 0 }, null, list, secs, 20_000)).toEqual({ id: 'a', held: false, since: 20_000 });
  });

  it('moves on at once when the incident left the rotation (closed)', () => {
    expect(nextSpot({ id: 'gone', held: false, since: 999 }, null, list, secs, 1000)).toEqual({ id: 'a', held: false, since: 1000 });
  });

  it('holds the operator’s choice at once, active or not, until released', () => {
    const held = nextSpot({ id: 'a', held: false, since: 0 }, 'closed-one', list, secs, 500);
    expect(held).toEqual({ id: 'closed-one', held: true, since: 500 });
    expect(nextSpot(held, 'closed-one', list, secs, 60_000)).toBe(held);
    // Released: the rotation resumes after it (or from the start when it is not in it).
    expect(nextSpot(held, null, list, secs, 61_000)).toEqual({ id: 'a', held: false, since: 61_000 });
    expect(nextSpot({ id: 'b', held: true, since: 0 }, null, list, secs, 100)).toEqual({ id: 'c', held: false, since: 100 });
  });

  it('shows nothing when nothing is active', () => {
    expect(nextSpot({ id: 'a', held: false, since: 0 }, null, [], secs, 10)).toEqual({ id: null, held: false, since: 10 });
    const none = { id: null, held: false, since: 10 };
    expect(nextSpot(none, null, [], secs, 99_999)).toBe(none);
  });

  it('tells the position in the rotation', () => {
    expect(position(list, 'b')).toBe(2);
    expect(position(list, 'zz')).toBe(0);
    expect(position(list, null)).toBe(0);
  });
});
