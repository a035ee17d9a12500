import { afterEach, describe, expect, it } from 'vitest';
import zh from '../src/lib/i18n/zh-CN.json';
import en from '../src/lib/i18n/en.json';
import { ERROR_MAX, ageSeconds, errorLine, formatAge, formatLag, linkLabel, linkState, peerHost, truncate } from '../src/lib/links';
import { links, setTransport } from '../src/lib/api';
import type { LinkStatus } from '../src/lib/bindings/LinkStatus';

const NOW = Date.UTC(2025, 5, 1, 8, 0, 0);
const link = (over: Partial<LinkStatus> = {}): LinkStatus => ({
  peer: 'http://127.0.0.1:8787',
  node: 'city-hub',
  up: true,
  last_ok_ms: NOW - 3000,
  error: null,
  behind: 0,
  ahead: 0,
  sent_bytes: 10,
  received_bytes: 20,
  ...over,
});

afterEach(() => setTransport(null));

describe('peer host extraction', () => {
  it('shows host:port of the peer URL', () => {
    expect(peerHost('http://127.0.0.1:8787')).toBe('127.0.0.1:8787');
    expect(peerHost('http://10.1.2.3:9000/onemap/')).toBe('10.1.2.3:9000');
    expect(peerHost('https://hub.city.example/')).toBe('hub.city.example:443');
    expect(peerHost('http://hub.city.example')).toBe('hub.city.example:80');
    expect(peerHost('http://[::1]:8787')).toBe('[::1]:8787');
    expect(peerHost('http://user:pw@10.0.0.1:81/x')).toBe('10.0.0.1:81');
  });
  it('falls back to the text without a path when it is no URL', () => {
    expect(peerHost('hub-a:8787')).toBe('hub-a:8787');
    expect(peerHost('10.0.0.1:8787/api')).toBe('10.0.0.1:8787');
    expect(peerHost('')).toBe('');
  });
});

describe('age since the last good round', () => {
  it('counts whole seconds, never negative', () => {
    expect(ageSeconds(NOW - 2999, NOW)).toBe(2);
    expect(ageSeconds(NOW + 1500, NOW)).toBe(0);
    expect(ageSeconds(null, NOW)).toBeNull();
  });
  it('reads "N 秒前" under a minute, then minutes, hours, days', () => {
    expect(formatAge('zh-CN', NOW - 0, NOW)).toBe('0 秒前');
    expect(formatAge('zh-CN', NOW - 9_400, NOW)).toBe('9 秒前');
    expect(formatAge('zh-CN', NOW - 59_999, NOW)).toBe('59 秒前');
    expect(formatAge('zh-CN', NOW - 60_000, NOW)).toBe('1 分钟前');
    expect(formatAge('zh-CN', NOW - 3_599_000, NOW)).toBe('59 分钟前');
    expect(formatAge('zh-CN', NOW - 7_200_000, NOW)).toBe('2 小时前');
    expect(formatAge('zh-CN', NOW - 3 * 86_400_000, NOW)).toBe('3 天前');
    expect(formatAge('en', NOW - 9_400, NOW)).toBe('9 s ago');
    expect(formatAge('en', NOW - 120_000, NOW)).toBe('2 min ago');
  });
  it('says so before any round succeeded', () => {
    expect(formatAge('zh-CN', null, NOW)).toBe('从未同步');
    expect(formatAge('en', null, NOW)).toBe('never synced');
  });
});

describe('lag', () => {
  it('is shown only when either side has ops waiting', () => {
    expect(formatLag('zh-CN', 0, 0)).toBeNull();
    expect(formatLag('zh-CN', 3, 0)).toBe('待收 3 / 待发 0');
    expect(formatLag('zh-CN', 0, 12)).toBe('待收 0 / 待发 12');
    expect(formatLag('en', 1200, 5)).toBe('to receive 1,200 / to send 5');
  });
});

describe('badge state, error and accessible name', () => {
  it('maps up / down / no link', () => {
    expect(linkState(link())).toBe('up');
    expect(linkState(link({ up: false }))).toBe('down');
    expect(linkState(null)).toBe('none');
  });
  it('truncates long errors with an ellipsis', () => {
    const long = 'error sending request: tcp connect error: Connection refused (os error 111) while syncing';
    const short = truncate(long);
    expect(Array.from(short).length).toBeLessThanOrEqual(ERROR_MAX);
    expect(short.endsWith('…')).toBe(true);
    expect(long.startsWith(short.slice(0, -1))).toBe(true);
    expect(truncate('  timeout  ')).toBe('timeout');
    expect(truncate('连接被拒绝连接被拒绝', 5)).toBe('连接被拒绝'.slice(0, 4) + '…');
  });
  it('shows the reason of an error without the request URL in front', () => {
    const e = 'http://127.0.0.1:37343/sync/v1/hello: io: Connection refused (os error 111)';
    expect(errorLine(e)).toBe('io: Connection refused (os error 111)');
    expect(errorLine('https://[::1]:8787/sync/v1/pull?after=3: timed out')).toBe('timed out');
    expect(errorLine('peer answered 503')).toBe('peer answered 503');
    expect(errorLine('http://h:1/x: ' + 'y'.repeat(200)).endsWith('…')).toBe(true);
    expect(linkLabel('en', link({ up: false, error: e }), NOW)).toContain(`Error: ${e}`);
  });
  it('names an up link with peer, state and age', () => {
    expect(linkLabel('zh-CN', link(), NOW)).toBe('同步链路 127.0.0.1:8787：在线，上次同步 3 秒前');
    expect(linkLabel('en', link({ behind: 4, ahead: 1 }), NOW)).toBe('Sync link 127.0.0.1:8787: Up, last sync 3 s ago; to receive 4 / to send 1');
  });
  it('puts the full error of a down link in its name', () => {
    const error = 'x'.repeat(ERROR_MAX * 3);
    const label = linkLabel('zh-CN', link({ up: false, error, last_ok_ms: null }), NOW);
    expect(label).toBe(`同步链路 127.0.0.1:8787：中断，从未同步；错误：${error}`);
  });
  it('names the standalone badge', () => {
    expect(linkLabel('zh-CN', null, NOW)).toContain('单机运行');
    expect(linkLabel('en', null, NOW)).toContain('Standalone');
  });
});

describe('links i18n keys', () => {
  const keys = ['links.title', 'links.up', 'links.down', 'links.never', 'links.age_s', 'links.age_m', 'links.age_h', 'links.age_d', 'links.lag', 'links.standalone', 'links.standalone_label', 'links.label', 'links.last_ok', 'links.error', 'links.sep'];
  it('exist in both dictionaries with the same placeholders', () => {
    const ph = (s: string) => (s.match(/\{\w+\}/g) ?? []).sort();
    for (const k of keys) {
      expect(zh, k).toHaveProperty([k]);
      expect(en, k).toHaveProperty([k]);
      expect(ph((en as Record<string, string>)[k] ?? ''), k).toEqual(ph((zh as Record<string, string>)[k] ?? ''));
    }
    expect(Object.keys(zh).filter((k) => k.startsWith('links.')).sort()).toEqual([...keys].sort());
  });
  it('are the operator words', () => {
    expect([zh['links.up'], zh['links.down'], zh['links.standalone']]).toEqual(['在线', '中断', '单机运行']);
    expect([en['links.up'], en['links.down'], en['links.standalone']]).toEqual(['Up', 'Down', 'Standalone']);
  });
});

describe('links() request', () => {
  it('asks for links and returns the LinkStatus rows', async () => {
    const seen: unknown[] = [];
    setTransport(async (req) => {
      seen.push(req);
      return { method: 'links', result: [link()] };
    });
    const rows: LinkStatus[] = await links();
    expect(seen).toEqual([{ method: 'links' }]);
    expect(rows[0]?.peer).toBe('http://127.0.0.1:8787');
  });
  it('returns an empty list for a standalone node', async () => {
    setTransport(async () => ({ method: 'links', result: [] }));
    expect(await links()).toEqual([]);
  });
});
