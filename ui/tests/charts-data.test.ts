import { describe, expect, it } from 'vitest';
import { categoryByGrade, countBars, stackTotals, stockClassColour, stockSteps } from '../src/lib/charts/data';
import type { CategoryCount } from '../src/lib/bindings/CategoryCount';

const H = 3_600_000;
const T0 = Date.UTC(2026, 10, 23, 0, 0);

describe('stockSteps', () => {
  it('is empty without history', () => {
    expect(stockSteps([], 3600, T0)).toEqual({ steps: [], byClass: [] });
  });

  it('carries the last figures forward to the step holding now', () => {
    const points = [
      { at_ms: T0, class: 'living', on_hand: 10 },
      { at_ms: T0 + H, class: 'living', on_hand: 12 },
      { at_ms: T0 + H, class: 'flood', on_hand: 5 },
    ];
    const s = stockSteps(points, 3600, T0 + 3 * H + 10);
    expect(s.steps).toEqual([T0, T0 + H, T0 + 2 * H, T0 + 3 * H]);
    expect(s.byClass).toEqual([
      { class: 'flood', values: [0, 5, 5, 5] },
      { class: 'living', values: [10, 12, 12, 12] },
    ]);
  });

  it('keeps the last maxSteps steps, with the figures reached before them', () => {
    const points = [
      { at_ms: T0, class: 'living', on_hand: 1 },
      { at_ms: T0 + H, class: 'living', on_hand: 2 },
      { at_ms: T0 + 2 * H, class: 'living', on_hand: 3 },
    ];
    const s = stockSteps(points, 3600, T0 + 5 * H, 3);
    expect(s.steps).toEqual([T0 + 3 * H, T0 + 4 * H, T0 + 5 * H]);
    expect(s.byClass).toEqual([{ class: 'living', values: [3, 3, 3] }]);
  });

  it('never ends before the last step of the history (clock behind the node)', () => {
    const s = stockSteps([{ at_ms: T0 + H, class: 'living', on_hand: 4 }, { at_ms: T0, class: 'living', on_hand: 1 }], 3600, T0 - H);
    expect(s.steps).toEqual([T0, T0 + H]);
    expect(s.byClass[0]?.values).toEqual([1, 4]);
  });
});

describe('categoryByGrade', () => {
  const counts: CategoryCount[] = [
    { category: 'natural', name_zh: '自然灾害', name_en: 'Natural disaster', by_grade: [0, 1, 0, 0, 3] },
    { category: 'social_security', name_zh: '社会安全事件', name_en: 'Social security event', by_grade: [2, 0, 0, 0, 0] },
  ];
  const grades = [1, 2, 3, 4].map((id) => ({ id, label: `G${id}`, colour: `#00000${id}` }));

  it('stacks one series per grade, plus ungraded when there are any', () => {
    const d = categoryByGrade(counts, grades, (c) => c.name_en, { label: 'Ungraded', colour: '#888' });
    expect(d.labels).toEqual(['Natural disaster', 'Social security event']);
    expect(d.series.map((s) => s.key)).toEqual(['grade-1', 'grade-2', 'grade-3', 'grade-4', 'grade-0']);
    expect(d.series[0]?.values).toEqual([1, 0]);
    expect(d.series[3]?.values).toEqual([3, 0]);
    expect(d.series[4]?.values).toEqual([0, 2]);
    expect(stackTotals(d.series, 2)).toEqual([4, 2]);
  });

  it('leaves the ungraded series out when it is all zero', () => {
    const d = categoryByGrade(counts.slice(0, 1), grades, (c) => c.name_zh, { label: '未定级', colour: '#888' });
    expect(d.series).toHaveLength(4);
    expect(d.labels).toEqual(['自然灾害']);
  });
});

describe('countBars', () => {
  it('makes one series with a colour per bar', () => {
    const d = countBars(
      [
        { key: 'standby', count: 55 },
        { key: 'on_scene', count: 5 },
      ],
      (k) => k.toUpperCase(),
      (k) => (k === 'standby' ? 'green' : 'red'),
      'Teams',
    );
    expect(d).toEqual({ labels: ['STANDBY', 'ON_SCENE'], series: [{ key: 'count', label: 'Teams', colour: ['green', 'red'], values: [55, 5] }] });
  });
});

describe('stockClassColour', () => {
  it('has a fixed colour per catalogue class and a spare one otherwise', () => {
    expect(stockClassColour('flood')).toBe('#4fd1ff');
    expect(stockClassColour('unknown', 0)).toMatch(/^#[0-9a-f]{6}$/);
  });
});
