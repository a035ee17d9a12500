import { describe, expect, it } from 'vitest';
import { countdown, elapsedText, reliefClock, targetText } from '../src/lib/components/response/clock';

const T0 = Date.parse('2026-11-23T12:00:00+08:00');
const MIN = 60_000;
const TARGETS = [
  { hours: 24, zh: '基本生活保障', en: 'Basic living secured' },
  { hours: 10, zh: '基本生活得到救助', en: 'Basic living relief' },
  { hours: 12, zh: '初步救助到位', en: 'Initial relief in place' },
];

describe('step countdown', () => {
  const due = '2026-11-23T13:00:00+08:00';
  it('counts down in whole minutes, rounded up', () => {
    expect(countdown('zh-CN', due, T0 + 18 * MIN - 30_000, false)).toEqual({ state: 'due', minutes: 43, text: '还剩 43 分钟' });
    expect(countdown('zh-CN', due, T0 - 65 * MIN, false).text).toBe('还剩 2 小时 05 分钟');
    expect(countdown('en', due, T0 + 59.5 * MIN, false).text).toBe('1 min left');
  });

  it('says how long it is overdue, and nothing counts for a done step', () => {
    expect(countdown('zh-CN', due, T0 + 65 * MIN, false)).toEqual({ state: 'overdue', minutes: -5, text: '已超时 5 分钟' });
    expect(countdown('zh-CN', due, T0 + 60 * MIN, false).state).toBe('overdue');
    expect(countdown('en', due, T0 + 200 * MIN, false).text).toBe('2 h 20 min overdue');
    expect(countdown('zh-CN', due, T0 + 65 * MIN, true)).toEqual({ state: 'done', minutes: 0, text: '已完成' });
    expect(countdown('zh-CN', 'soon', T0, false).text).toBe('—');
  });
});

describe('relief clock', () => {
  it('orders the targets and places them on a bar up to the last one', () => {
    const c = reliefClock('2026-11-23T12:00:00+08:00', TARGETS, T0 + 11 * 60 * MIN);
    expect(c).not.toBeNull();
    if (!c) return;
    expect(c.spanHours).toBe(24);
    expect(c.fill).toBeCloseTo(11 / 24);
    expect(c.targets.map((t) => [t.hours, t.passed, t.at])).toEqual([
      [10, true, 10 / 24],
      [12, false, 0.5],
      [24, false, 1],
    ]);
    expect(targetText('zh-CN', c.targets[0]!)).toBe('已过时限 1 小时 00 分钟');
    expect(targetText('zh-CN', c.targets[1]!)).toBe('还剩 1 小时 00 分钟');
    expect(targetText('en', c.targets[2]!)).toBe('13 h 00 min left');
  });

  it('is full past the last target, empty before onset, absent without an onset', () => {
    expect(reliefClock('2026-11-23T12:00:00+08:00', TARGETS, T0 + 30 * 60 * MIN)?.fill).toBe(1);
    const before = reliefClock('2026-11-23T12:00:00+08:00', TARGETS, T0 - MIN);
    expect(before?.elapsedMs).toBe(0);
    expect(before?.targets.every((t) => !t.passed)).toBe(true);
    expect(reliefClock('unknown', TARGETS, T0)).toBeNull();
    expect(reliefClock('2026-11-23T12:00:00+08:00', [], T0)?.spanHours).toBe(1);
  });

  it('writes elapsed time rounded down', () => {
    expect(elapsedText('zh-CN', 0)).toBe('0 分钟');
    expect(elapsedText('zh-CN', 59_999)).toBe('0 分钟');
    expect(elapsedText('zh-CN', (3 * 60 + 12) * MIN + 59_000)).toBe('3 小时 12 分钟');
    expect(elapsedText('en', 42 * MIN)).toBe('42 min');
  });
});
