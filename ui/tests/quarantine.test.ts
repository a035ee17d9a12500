import { afterEach, describe, expect, it } from 'vitest';
import zh from '../src/lib/i18n/zh-CN.json';
import en from '../src/lib/i18n/en.json';
import { ID_CHARS, KIND_KEYS, ORIGIN_CHARS, badgeLabel, badgeText, formatDateTime, formatTime, kindLabel, loggedText, prefix, quarantineRow, suffix } from '../src/lib/quarantine';
import { quarantine, setTransport } from '../src/lib/api';
import type { EntityKind } from '../src/lib/bindings/EntityKind';
import type { Quarantined } from '../src/lib/bindings/Quarantined';

// Local wall-clock instants, so the tests pass in any time zone.
const AT = new Date(2025, 5, 1, 8, 5, 3, 250).getTime();
const ORIGIN = '7c9e6679-7425-40de-944b-e07fc1f90ae7';
const RECORD = '0034b7e1-b4a0-8f00-9c3d-2f1e5a6b7c8d';

const refused = (over: Partial<Quarantined> = {}): Quarantined => ({
  op: {
    origin: ORIGIN,
    seq: 42,
    hlc: '7441234567890123456',
    actor: 'county-duty-officer',
    entity: { kind: 'team', id: RECORD },
    change: { set: { status: 'dispatched' } },
    intent: 'upsert team',
  },
  reason: 'origin 7c9e6679 (county 220502) may not change a record of 220000000000',
  logged: true,
  at: AT,
  ...over,
});

afterEach(() => setTransport(null));

describe('time of refusal', () => {
  it('is local wall-clock time, HH:mm:ss, zero-padded', () => {
    expect(formatTime(AT)).toBe('08:05:03');
    expect(formatTime(new Date(2025, 0, 9, 23, 59, 59, 999).getTime())).toBe('23:59:59');
    expect(formatTime(new Date(2025, 0, 9, 0, 0, 0).getTime())).toBe('00:00:00');
  });
  it('has the date in the long form', () => {
    expect(formatDateTime(AT)).toBe('2025-06-01 08:05:03');
  });
  it('does not throw on a bad instant', () => {
    expect(formatTime(Number.NaN)).toBe('--:--:--');
    expect(formatDateTime(Number.NaN)).toBe('');
  });
});

describe('id prefixes', () => {
  it('keeps the first n characters', () => {
    expect(prefix(ORIGIN, ORIGIN_CHARS)).toBe('7c9e6679');
    expect(prefix(RECORD, ID_CHARS)).toBe('0034b7e1');
    expect(prefix('abc', 8)).toBe('abc');
    expect(prefix('  node-1  ', 8)).toBe('node-1');
    expect(prefix('', 8)).toBe('');
  });
  it('keeps the last n characters of record ids, which tell apart records of one jurisdiction', () => {
    expect(suffix(RECORD, ID_CHARS)).toBe('5a6b7c8d');
    expect(suffix('abc', 8)).toBe('abc');
    expect(suffix('', 8)).toBe('');
  });
});

describe('entity kinds', () => {
  const KINDS: EntityKind[] = ['jurisdiction', 'centre', 'incident', 'team', 'warehouse', 'stock_line', 'shelter', 'hazard', 'task', 'journal', 'shift', 'dispatch', 'allocation', 'expert', 'team_request'];
  it('have a label key in both dictionaries for every kind', () => {
    expect(Object.keys(KIND_KEYS).sort()).toEqual([...KINDS].sort());
    for (const k of KINDS) {
      expect(KIND_KEYS[k] in zh, k).toBe(true);
      expect(KIND_KEYS[k] in en, k).toBe(true);
    }
  });
  it('reuse the map layers\' names and translate the rest', () => {
    expect(kindLabel('zh-CN', 'team')).toBe(zh['layer.teams.one']);
    expect(kindLabel('en', 'team')).toBe('Rescue team');
    expect(kindLabel('en', 'incident')).toBe('Incident');
    expect(kindLabel('zh-CN', 'jurisdiction')).toBe('行政区划');
    expect(kindLabel('en', 'stock_line')).toBe('Stock line');
  });
  it('show an unknown kind as it is', () => {
    expect(kindLabel('zh-CN', 'drone')).toBe('drone');
  });
});

describe('quarantine rows', () => {
  it('show time, origin and id prefixes, seq, kind, actor, intent and the reason as sent', () => {
    const r = quarantineRow('zh-CN', refused());
    expect(r).toEqual({
      time: '08:05:03',
      when: '2025-06-01 08:05:03',
      origin: '7c9e6679',
      originFull: ORIGIN,
      seq: '42',
      kind: '救援队伍',
      id: '5a6b7c8d',
      idFull: RECORD,
      actor: 'county-duty-officer',
      intent: 'upsert team',
      reason: 'origin 7c9e6679 (county 220502) may not change a record of 220000000000',
      logged: true,
      loggedText: '已记录于日志',
    });
  });
  it('say whether the op is in the log, in both languages', () => {
    expect(quarantineRow('zh-CN', refused({ logged: false })).loggedText).toBe('未入日志');
    expect(quarantineRow('en', refused({ logged: false })).loggedText).toBe('not logged');
    expect(quarantineRow('en', refused()).loggedText).toBe('in log');
    expect(loggedText('en', true)).toBe('in log');
    expect(loggedText('zh-CN', false)).toBe('未入日志');
  });
  it('keep the English reason untranslated and the seq without separators', () => {
    const r = quarantineRow('zh-CN', refused({ reason: '  broken seal: signature does not verify \n', op: { ...refused().op, seq: 123456 } }));
    expect(r.reason).toBe('broken seal: signature does not verify');
    expect(r.seq).toBe('123456');
  });
});

describe('quarantine badge', () => {
  it('is not shown for an empty or unread quarantine', () => {
    expect(badgeText('zh-CN', [])).toBeNull();
    expect(badgeText('en', null)).toBeNull();
  });
  it('reads "隔离 N" / "Quarantine N"', () => {
    expect(badgeText('zh-CN', [refused()])).toBe('隔离 1');
    expect(badgeText('en', [refused(), refused({ logged: false })])).toBe('Quarantine 2');
    expect(badgeText('en', Array.from({ length: 1200 }, () => refused()))).toBe('Quarantine 1,200');
  });
  it('has an accessible name that starts with the visible text and counts the logged ops', () => {
    const list = [refused(), refused({ logged: false }), refused({ logged: false })];
    const zhName = badgeLabel('zh-CN', list);
    expect(zhName.startsWith('隔离 3')).toBe(true);
    expect(zhName).toContain('其中 1 个已记录于日志');
    expect(zhName).toContain('Q');
    const enName = badgeLabel('en', list);
    expect(enName.startsWith('Quarantine 3')).toBe(true);
    expect(enName).toContain('1 of them in the log');
  });
});

describe('quarantine() request', () => {
  it('asks for the quarantine and returns the Quarantined rows', async () => {
    const seen: unknown[] = [];
    setTransport(async (req) => {
      seen.push(req);
      return { method: 'quarantine', result: [refused()] };
    });
    const rows: Quarantined[] = await quarantine();
    expect(seen).toEqual([{ method: 'quarantine' }]);
    expect(rows[0]?.op.origin).toBe(ORIGIN);
  });
  it('returns an empty list when nothing was refused', async () => {
    setTransport(async () => ({ method: 'quarantine', result: [] }));
    expect(await quarantine()).toEqual([]);
  });
  it('rejects an answer for another method', async () => {
    setTransport(async () => ({ method: 'links', result: [] }));
    await expect(quarantine()).rejects.toMatchObject({ code: 'protocol' });
  });
});
