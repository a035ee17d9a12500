import { describe, expect, it } from 'vitest';
import type { Alert } from '../src/lib/bindings/Alert';
import type { DutyLine } from '../src/lib/bindings/DutyLine';
import type { Plan } from '../src/lib/bindings/Plan';
import type { Shift } from '../src/lib/bindings/Shift';
import { alertRows, alertTarget, alertsBadge, readableText } from '../src/lib/components/alerts/alerts';
import { DAY_MS, currentShift, dutyWindow, groupDuty, officersOf, shiftDefaults } from '../src/lib/components/duty/duty';
import { evaluationOverdue, needText, sortPlans, triggerText, triggers } from '../src/lib/components/plans/plans';
import { SHORTCUTS } from '../src/lib/components/commander/keys';
import zh from '../src/lib/i18n/zh-CN.json';

const NOW = Date.parse('2026-11-23T12:00:00+08:00');
const H = 3600_000;

describe('alerts', () => {
  const alert = (over: Partial<Alert>): Alert => ({ incident: 'i', subject: { kind: 'incident', id: 'i' }, title: '火灾', kind: 'report_overdue', text: 't', due: null, ...over });
  it('badge: the count, or none', () => {
    expect(alertsBadge('zh-CN', null)).toBeNull();
    expect(alertsBadge('zh-CN', [])).toBe('无告警');
    expect(alertsBadge('zh-CN', [alert({}), alert({})])).toBe('告警 2');
    expect(alertsBadge('en', [alert({})])).toBe('Alerts 1');
  });
  it('list: conflicts first, then the longest overdue, each with how long', () => {
    const rows = alertRows('zh-CN', [alert({ text: 'b', due: '2026-11-23T11:00:00+08:00' }), alert({ kind: 'conflict', text: 'c' }), alert({ kind: 'step_overdue', text: 'a', due: '2026-11-23T09:30:00+08:00' })], NOW);
    expect(rows.map((r) => [r.alert.text, r.late])).toEqual([
      ['c', ''],
      ['a', '已超时 2 小时 30 分钟'],
      ['b', '已超时 1 小时 00 分钟'],
    ]);
    expect(rows.map((r) => r.due)).toEqual(['', '时限 11-23 09:30', '时限 11-23 11:00']);
  });
  it('list: what is wrong now first, overdue work next, expiring stock last (soonest first, in days)', () => {
    const line = (id: string, due: string) => alert({ incident: null, subject: { kind: 'stock_line', id }, title: `1050101 家庭应急包 ${id}`, kind: 'expiring', text: id, due });
    const rows = alertRows(
      'zh-CN',
      [
        line('later', '2026-12-20'),
        alert({ kind: 'step_overdue', text: 'step', due: '2026-11-23T11:00:00+08:00' }),
        line('past', '2026-11-20'),
        alert({ incident: null, subject: { kind: 'shelter', id: 's' }, title: '滨江公园', kind: 'shelter_full', text: 'full' }),
        line('today', '2026-11-23'),
        alert({ subject: { kind: 'team', id: 'tm' }, title: '消防队', kind: 'dispatch_conflict', text: 'two' }),
      ],
      NOW,
    );
    expect(rows.map((r) => r.alert.text)).toEqual(['full', 'two', 'step', 'past', 'today', 'later']); // 滨江公园 before 消防队 (by name)
    expect(rows.slice(3).map((r) => [r.due, r.late])).toEqual([
      ['有效期至 2026-11-20', '已过期 3 天'],
      ['有效期至 2026-11-23', '今天到期'],
      ['有效期至 2026-12-20', '还剩 27 天'],
    ]);
    expect(alertRows('en', [line('x', '2026-12-20')], NOW)[0]?.late).toBe('27 days left');
  });
  it('names the ids and admin codes in an alert’s text, leaves unknown ones', () => {
    const names: Record<string, string> = { '3356f18d-38d4-834b-898e-d5de2f19002c': '老站街道居民楼火灾', '220500000000': '通化市' };
    const text = '2 open orders: 3356f18d-38d4-834b-898e-d5de2f19002c（220500000000）; 3356f492-a84d-83f6-a9f7-cd04667657bb（220502000000）';
    expect(readableText(text, (x) => names[x] ?? null)).toBe('2 open orders: 老站街道居民楼火灾（通化市）; 3356f492-a84d-83f6-a9f7-cd04667657bb（220502000000）');
  });
  it('leads an incident’s alert to its response panel, a resource’s to its record', () => {
    expect(alertTarget(alert({ kind: 'report_overdue' }))).toEqual({ to: 'incident', id: 'i', tab: 'reports' });
    expect(alertTarget(alert({ kind: 'step_overdue' }))).toEqual({ to: 'incident', id: 'i', tab: 'plans' });
    expect(alertTarget(alert({ kind: 'dispatch_conflict', subject: { kind: 'team', id: 'tm' } }))).toEqual({ to: 'record', id: 'tm', dispatchFor: 'i' });
    expect(alertTarget(alert({ incident: null, kind: 'shelter_full', subject: { kind: 'shelter', id: 's' } }))).toEqual({ to: 'record', id: 's', dispatchFor: null });
    expect(alertTarget(alert({ incident: null, kind: 'overdraw', subject: { kind: 'stock_line', id: 'l' } }))).toEqual({ to: 'line', id: 'l' });
  });
});

describe('duty', () => {
  const shift = (starts: string, ends: string, leader = '张伟'): Shift => ({ jurisdiction: '220502000000', starts, ends, leader, officers: ['李娜'], phone: '', handover: '' });
  const line = (at_ms: number, kind: DutyLine['kind']): DutyLine => ({ at_ms, kind, text: `${kind}@${at_ms}`, incident: null, actor: 'op', origin: 'n' });

  it('finds the shift on duty now (the latest to start)', () => {
    const early = shift('2026-11-23T08:00:00+08:00', '2026-11-23T16:00:00+08:00', '甲');
    const late = shift('2026-11-23T11:00:00+08:00', '2026-11-23T19:00:00+08:00', '乙');
    const past = shift('2026-11-22T08:00:00+08:00', '2026-11-22T16:00:00+08:00', '丙');
    expect(currentShift([['a', early], ['b', late], ['c', past]], NOW)?.[0]).toBe('b');
    expect(currentShift([['c', past]], NOW)).toBeNull();
  });

  it('reads the shift’s window, or the last 24 hours', () => {
    const s = shift('2026-11-23T08:00:00+08:00', '2026-11-23T16:00:00+08:00');
    expect(dutyWindow('shift', s, NOW)).toEqual({ from: NOW - 4 * H, to: NOW + 4 * H });
    expect(dutyWindow('day', s, NOW)).toEqual({ from: NOW - DAY_MS, to: NOW });
    expect(dutyWindow('shift', null, NOW)).toEqual({ from: NOW - DAY_MS, to: NOW });
  });

  it('groups the log by kind in a fixed order, newest first, empty kinds left out', () => {
    const groups = groupDuty([line(1, 'sent'), line(5, 'received'), line(3, 'sent'), line(2, 'handover'), line(4, 'decided')]);
    expect(groups.map((g) => [g.kind, g.lines.map((l) => l.at_ms)])).toEqual([
      ['received', [5]],
      ['decided', [4]],
      ['sent', [3, 1]],
      ['handover', [2]],
    ]);
    expect(groups.every((g) => g.icon.length > 0)).toBe(true);
  });

  it('splits the officers typed in one field, and defaults a shift to now … +8 h', () => {
    expect(officersOf(' 李娜、王强,赵六；  钱七 ')).toEqual(['李娜', '王强', '赵六', '钱七']);
    expect(officersOf('  ')).toEqual([]);
    expect(shiftDefaults(NOW)).toEqual({ starts: '2026-11-23 12:00', ends: '2026-11-23 20:00' });
  });
});

describe('plan library', () => {
  const plan = (id: string, over: Partial<Plan>): Plan => ({ id, zh: id, en: id, doc_no: '', kind: 'special', jurisdiction: '220502000000', lead: '', scope: [], version: '1', lifecycle: 'in_force', effective: '2024-01-01', evaluation_due: '2027-01-01', supersedes: null, source: '', confidence: 'U', links: { upper: [], lower: [], neighbour: [] }, member: [], level: [], ...over });
  it('orders in force first, overall before special before departmental, superseded last', () => {
    const out = sortPlans([plan('old', { lifecycle: 'superseded' }), plan('dept', { kind: 'departmental' }), plan('b', {}), plan('filed', { lifecycle: 'filed', kind: 'overall' }), plan('all', { kind: 'overall' }), plan('a', {})]);
    expect(out.map((p) => p.id)).toEqual(['all', 'a', 'b', 'dept', 'filed', 'old']);
  });
  it('marks an evaluation overdue unless the plan is superseded', () => {
    expect(evaluationOverdue({ lifecycle: 'in_force', evaluation_due: '2025-09-01' }, NOW)).toBe(true);
    expect(evaluationOverdue({ lifecycle: 'in_force', evaluation_due: '2027-05-20' }, NOW)).toBe(false);
    expect(evaluationOverdue({ lifecycle: 'superseded', evaluation_due: '2024-06-01' }, NOW)).toBe(false);
  });
  it('writes triggers and needs', () => {
    expect(triggerText('zh-CN', 'relocated', { gte: 100, lt: 500 })).toBe('转移安置 ≥ 100 且 < 500');
    expect(triggerText('en', 'dead_missing', { gte: 10, lt: null })).toBe('dead or missing ≥ 10');
    expect(triggers('zh-CN', { relocated: { gte: 1, lt: null }, dead: undefined })).toEqual(['转移安置 ≥ 1']);
    expect(needText('zh-CN', { quantity: null, per_relocated: 0.25 })).toBe('每转移 1 人 0.25');
    expect(needText('en', { quantity: 200n, per_relocated: null })).toBe('× 200');
  });
});

describe('keys of the new panels', () => {
  it('B, J, !, T, D and Y are in the help with labels in the dictionaries', () => {
    const find = (k: string) => SHORTCUTS.find((s) => s.keys.includes(k))?.label;
    expect([find('B'), find('J'), find('!'), find('T'), find('D'), find('Y')]).toEqual([
      'commander.keys.reports',
      'commander.keys.journal',
      'commander.keys.alerts',
      'commander.keys.replay',
      'commander.keys.duty',
      'commander.keys.plans',
    ]);
    expect((zh as Record<string, string>)['commander.keys.replay']).toContain('回放');
  });
});
