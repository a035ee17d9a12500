import { describe, expect, it } from 'vitest';
import { compactNumber, stepLabel } from '../src/lib/charts/format';

describe('compactNumber', () => {
  it('uses 万 and 亿 in Chinese', () => {
    expect(compactNumber('zh-CN', 1494)).toBe('1,494');
    expect(compactNumber('zh-CN', 17_857)).toBe('1.8万');
    expect(compactNumber('zh-CN', 153_054)).toBe('15.3万');
    expect(compactNumber('zh-CN', 1_122_802)).toBe('112万');
    expect(compactNumber('zh-CN', 250_000_000)).toBe('2.5亿');
    expect(compactNumber('zh-CN', 20_000)).toBe('2万');
  });
  it('uses k, M and B in English', () => {
    expect(compactNumber('en', 999)).toBe('999');
    expect(compactNumber('en', 1494)).toBe('1,494');
    expect(compactNumber('en', 17_857)).toBe('17.9k');
    expect(compactNumber('en', 153_054)).toBe('153k');
    expect(compactNumber('en', 1_122_802)).toBe('1.1M');
    expect(compactNumber('en', 2_000_000_000)).toBe('2B');
  });
  it('keeps the sign', () => {
    expect(compactNumber('zh-CN', -25_000)).toBe('-2.5万');
    expect(compactNumber('en', -1_500_000)).toBe('-1.5M');
  });
});

describe('stepLabel', () => {
  // 2026-11-23 00:00 UTC = 08:00 in Beijing.
  const t = Date.UTC(2026, 10, 23, 0, 0);
  it('shows hours for hourly steps and days for daily ones, in Beijing time', () => {
    expect(stepLabel(t, 3600)).toBe('08:00');
    expect(stepLabel(t, 86_400)).toBe('11-23');
    expect(stepLabel(Date.UTC(2026, 10, 22, 16, 0), 86_400)).toBe('11-23');
    expect(stepLabel(t, 3600, 'UTC')).toBe('00:00');
  });
});
