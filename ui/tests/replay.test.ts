import { describe, expect, it } from 'vitest';
import { HOUR, MINUTE, STEP_BUTTONS, beijingFull, clampMoment, foldPages, keyStep, parseMoment, replayRange, stepMoment } from '../src/lib/components/replay/replay';
import { feature } from './fixtures';

const NOW = Date.parse('2026-11-23T12:37:10+08:00');

describe('replay range and steps', () => {
  it('spans the log’s first moment to now (or the log’s last, if later)', () => {
    expect(replayRange([NOW - 5 * HOUR, NOW - HOUR], NOW)).toEqual({ min: NOW - 5 * HOUR, max: NOW });
    expect(replayRange([NOW - HOUR, NOW + 2000], NOW)).toEqual({ min: NOW - HOUR, max: NOW + 2000 });
    expect(replayRange(null, NOW)).toEqual({ min: NOW, max: NOW });
  });

  it('steps by the buttons inside the range; "to now" goes to the end', () => {
    const min = NOW - 3 * HOUR;
    expect(STEP_BUTTONS.map((b) => b.delta)).toEqual([-HOUR, -10 * MINUTE, 10 * MINUTE, HOUR, null]);
    expect(stepMoment(NOW - HOUR, -HOUR, min, NOW)).toBe(NOW - 2 * HOUR);
    expect(stepMoment(NOW - 150 * MINUTE, -HOUR, min, NOW)).toBe(min);
    expect(stepMoment(NOW - 5 * MINUTE, 10 * MINUTE, min, NOW)).toBe(NOW);
    expect(stepMoment(min, null, min, NOW)).toBe(NOW);
    expect(clampMoment(NOW - 0.4, min, NOW)).toBe(NOW);
  });

  it('maps the slider’s keys: ←/→ a minute, Shift ten, PageUp/PageDown an hour, Home/End the ends', () => {
    expect(keyStep('ArrowLeft', false)).toEqual({ delta: -MINUTE });
    expect(keyStep('ArrowRight', false)).toEqual({ delta: MINUTE });
    expect(keyStep('ArrowLeft', true)).toEqual({ delta: -10 * MINUTE });
    expect(keyStep('ArrowRight', true)).toEqual({ delta: 10 * MINUTE });
    expect(keyStep('PageDown', false)).toEqual({ delta: -HOUR });
    expect(keyStep('PageUp', false)).toEqual({ delta: HOUR });
    expect(keyStep('Home', false)).toBe('start');
    expect(keyStep('End', false)).toBe('end');
    expect(keyStep('a', false)).toBeNull();
    expect(keyStep('Tab', false)).toBeNull();
  });
});

describe('Beijing time in replay', () => {
  it('shows a moment as YYYY-MM-DD HH:mm:ss in Beijing time', () => {
    expect(beijingFull(NOW)).toBe('2026-11-23 12:37:10');
    expect(beijingFull(Date.parse('2026-11-23T16:30:05Z'))).toBe('2026-11-24 00:30:05');
  });

  it('reads a typed moment: full, without seconds, or a time on the current Beijing date', () => {
    expect(parseMoment('2026-11-23 12:37:10', 0)).toBe(NOW);
    expect(parseMoment('2026/11/23 12:37', 0)).toBe(NOW - 10_000);
    expect(parseMoment('12:37:10', NOW - 5 * HOUR)).toBe(NOW);
    // 01:00 Beijing on 11-24 is still 11-23 in UTC: the date is Beijing's.
    const late = Date.parse('2026-11-24T01:00:00+08:00');
    expect(parseMoment('00:30', late)).toBe(Date.parse('2026-11-24T00:30:00+08:00'));
    expect(parseMoment('2026-02-30 10:00', 0)).toBeNull();
    expect(parseMoment('25:00', NOW)).toBeNull();
    expect(parseMoment('soon', NOW)).toBeNull();
  });
});

describe('catching up after replay', () => {
  it('applies the pages read meanwhile, in order, to the features held when replay began', () => {
    const a = feature('a', 'teams', { status: 'standby' });
    const b = feature('b', 'teams');
    const c = feature('c', 'incidents', { response: 4 });
    const out = foldPages(
      [a, b, c],
      [
        { upserted: [{ ...a, status: 'dispatched' }], removed: ['b'] },
        { upserted: [feature('d', 'shelters'), { ...c, response: 3 }], removed: [] },
        { upserted: [{ ...a, status: 'on_scene' }], removed: ['d'] },
      ],
    );
    expect(out.map((f) => [f.id, f.status, f.response])).toEqual([
      ['a', 'on_scene', 0],
      ['c', 's', 3],
    ]);
    expect(foldPages([a], [])).toEqual([a]);
  });
});
