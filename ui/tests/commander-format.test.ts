import { describe, expect, it } from 'vitest';
import { formatArea, formatKm, formatLength, formatMinutes, formatOnset, formatScale } from '../src/lib/components/commander/format';
import { measured, measureFeatures } from '../src/lib/components/commander/shapes';

describe('travel minutes and kilometres', () => {
  it('rounds minutes up and writes hours beyond 60', () => {
    expect(formatMinutes('zh-CN', 5.53)).toBe('6 分钟');
    expect(formatMinutes('zh-CN', 6)).toBe('6 分钟');
    expect(formatMinutes('zh-CN', 0.2)).toBe('1 分钟');
    expect(formatMinutes('zh-CN', 65.2)).toBe('1 小时 06 分钟');
    expect(formatMinutes('en', 5.53)).toBe('6 min');
    expect(formatMinutes('en', 125)).toBe('2 h 05 min');
    expect(formatMinutes('en', Number.NaN)).toBe('—');
  });

  it('writes km with one decimal below 10 km', () => {
    expect(formatKm('zh-CN', 0.3533)).toBe('0.4 km');
    expect(formatKm('zh-CN', 7.25)).toBe('7.3 km');
    expect(formatKm('en', 12.4)).toBe('12 km');
    expect(formatKm('en', 1234.4)).toBe('1,234 km');
    expect(formatKm('en', -1)).toBe('—');
  });
});

describe('measured lengths and areas', () => {
  it('lengths: m below 1 km, then km with fewer decimals as it grows', () => {
    expect(formatLength('zh-CN', 850.4)).toBe('850 m');
    expect(formatLength('zh-CN', 1234)).toBe('1.23 km');
    expect(formatLength('zh-CN', 21727)).toBe('21.7 km');
    expect(formatLength('en', 123_456)).toBe('123 km');
    expect(formatLength('en', 1_234_567)).toBe('1,235 km');
  });

  it('areas: m², then m² and 公顷 / ha, then km² and 公顷 / ha', () => {
    expect(formatArea('zh-CN', 850.2)).toBe('850 m²');
    expect(formatArea('zh-CN', 25_000)).toBe('25,000 m² · 2.50 公顷');
    expect(formatArea('en', 250_000)).toBe('250,000 m² · 25.00 ha');
    expect(formatArea('zh-CN', 114_127_024)).toBe('114.1 km² · 11,413 公顷');
    expect(formatArea('en', 2_345_678)).toBe('2.35 km² · 234.6 ha');
    expect(formatArea('en', Number.POSITIVE_INFINITY)).toBe('—');
  });

  it('scale and onset', () => {
    expect(formatScale('zh-CN', 160_000)).toBe('1:160,000');
    expect(formatScale('en', 0)).toBe('—');
    expect(formatOnset('en', null)).toBe('—');
    expect(formatOnset('en', 'not a time')).toBe('not a time');
    expect(formatOnset('zh-CN', '2026-11-22T07:50:00+08:00')).toMatch(/\d\d\D\d\d.*\d\d:\d\d/);
  });

  it('figures and drawing of a measurement', () => {
    const pts: [number, number][] = [
      [126, 41],
      [126, 42],
      [127, 42],
    ];
    const d = measured('distance', pts);
    expect(d.length).toBeGreaterThan(190_000);
    expect(d.area).toBe(0);
    const a = measured('area', pts);
    expect(a.area).toBeGreaterThan(4e9);
    expect(a.perimeter).toBeGreaterThan(d.length);

    const fc = measureFeatures('distance', pts, [127, 41], (m) => `${Math.round(m)}`);
    const roles = fc.features.map((f) => f.properties?.['role']);
    expect(roles).toEqual(['line', 'preview', 'vertex', 'vertex', 'vertex']);
    expect(fc.features.filter((f) => f.properties?.['role'] === 'vertex').map((f) => f.properties?.['label'])).toEqual(['', String(Math.round(d.length - measured('distance', pts.slice(1)).length)), String(Math.round(d.length))]);
    const area = measureFeatures('area', pts, null, () => '');
    expect(area.features.map((f) => f.geometry.type)).toEqual(['Polygon', 'LineString', 'Point', 'Point', 'Point']);
    expect(measureFeatures('off', pts, null, () => '').features).toEqual([]);
  });
});
