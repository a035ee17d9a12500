import { describe, expect, it } from 'vitest';
import zh from '../src/lib/i18n/zh-CN.json';
import { sortIncidents, stepIn, textOn } from '../src/lib/components/commander/incidents';
import { SHORTCUTS } from '../src/lib/components/commander/keys';
import { feature } from './fixtures';

describe('incident order', () => {
  it('active first, then grade Ⅰ→Ⅳ (ungraded last), then latest onset, then name', () => {
    const list = [
      feature('closed-1', 'incidents', { status: 'closed', grade: 1, name: 'c1' }),
      feature('a-4-old', 'incidents', { status: 'active', grade: 4, name: 'x' }),
      feature('a-0', 'incidents', { status: 'active', grade: 0, name: 'u' }),
      feature('a-4-new', 'incidents', { status: 'active', grade: 4, name: 'y' }),
      feature('a-2', 'incidents', { status: 'active', grade: 2, name: 'z' }),
      feature('a-4-none', 'incidents', { status: 'active', grade: 4, name: 'w' }),
    ];
    const onset: Record<string, string> = { 'a-4-old': '2026-11-20T08:00:00+08:00', 'a-4-new': '2026-11-22T08:00:00+08:00' };
    expect(sortIncidents(list, (id) => onset[id]).map((f) => f.id)).toEqual(['a-2', 'a-4-new', 'a-4-old', 'a-4-none', 'a-0', 'closed-1']);
    expect(list[0]?.id).toBe('closed-1'); // not sorted in place
  });

  it('steps through a list, wrapping', () => {
    const l = ['a', 'b', 'c'];
    expect(stepIn(l, -1, 1)).toBe(0);
    expect(stepIn(l, -1, -1)).toBe(2);
    expect(stepIn(l, 2, 1)).toBe(0);
    expect(stepIn(l, 0, -1)).toBe(2);
    expect(stepIn([], 0, 1)).toBe(-1);
  });

  it('picks readable chip text', () => {
    expect(textOn('#C8102E')).toBe('#ffffff'); // grade Ⅰ red
    expect(textOn('#1E6FD9')).toBe('#ffffff'); // grade Ⅳ blue
    expect(textOn('#F5C400')).toBe('#000000'); // grade Ⅲ yellow
    expect(textOn('#ffffff')).toBe('#000000');
    expect(textOn('red')).toBe('#ffffff');
  });
});

describe('keyboard help', () => {
  it('every shortcut has a label in the dictionaries, and no key is listed twice', () => {
    for (const s of SHORTCUTS) expect(s.label in zh, s.label).toBe(true);
    const keys = SHORTCUTS.flatMap((s) => s.keys);
    expect(new Set(keys).size).toBe(keys.length);
    for (const k of ['/', 'I', 'N', 'M', 'A', 'W', 'E', 'P', 'L', '[', ']', 'Q', 'U', '?', 'Esc']) expect(keys).toContain(k);
  });
});
