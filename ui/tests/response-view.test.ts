import { describe, expect, it } from 'vitest';
import type { Plan } from '../src/lib/bindings/Plan';
import type { PlanMatch } from '../src/lib/bindings/PlanMatch';
import type { ResponseView } from '../src/lib/bindings/ResponseView';
import type { StepRow } from '../src/lib/bindings/StepRow';
import { allowed, checklist, defaultStartLevel, planCards, romanOf, stepTitle } from '../src/lib/components/response/view';
import { BOOT } from './fixtures';

const action = (id: string, en: string) => ({ id, zh: `${id}-zh`, en, owner: 'o', due_min: 60 });
const level = (n: number, actions: ReturnType<typeof action>[] = []) => ({ level: n, decider: 'd', triggers: {}, manual: null, action: actions, need: [], force: [] });
const plan = (id: string, levels: ReturnType<typeof level>[]): Plan => ({
  id,
  zh: `${id}预案`,
  en: `${id} plan`,
  doc_no: '',
  kind: 'special',
  jurisdiction: '220502000000',
  lead: '',
  scope: [],
  version: '1',
  lifecycle: 'in_force',
  effective: '',
  evaluation_due: '',
  supersedes: null,
  source: '',
  confidence: 'U',
  links: { upper: [], neighbour: [], lower: [] },
  member: [],
  level: levels,
});
const PLANS = [plan('flood', [level(4, [action('consult', 'Consult')]), level(3), level(2), level(1)]), plan('relief', [level(4), level(3)]), plan('overall', [level(4)])];
const match = (p: string, lv: number | null, kind: PlanMatch['kind'] = 'special'): PlanMatch => ({ plan: p, zh: `${p}预案`, kind, jurisdiction: '220502000000', level: lv, why: [`why ${p}`] });
const step = (over: Partial<StepRow>): StepRow => ({ task: 't', decision: 'd1', level: 4, step: 's', title: '标题', owner: 'o', due: '2026-11-23T13:00:00+08:00', done: false, overdue: false, current: true, ...over });
const view = (p: string, lv: number | null, steps: StepRow[] = [], order = ['d1']): ResponseView => ({
  plan: p,
  plan_zh: `${p}预案`,
  state: { plan: p, level: lv, order, heads: order.slice(-1), conflict: [], entered_by: lv === null ? null : (order[order.length - 1] ?? null) },
  decisions: order.map((id) => ({ id, decision: { incident: 'i', plan: p, action: 'start', level: 4, decider_role: 'r', recorded_by: 'op', reason: 'x', at: '2026-11-23T12:00:00+08:00', after: [] } })),
  steps,
  now: '2026-11-23T12:00:00+08:00',
});

describe('plan cards', () => {
  it('lists running, ended, triggered, then the other plans', () => {
    const cards = planCards([match('overall', null, 'overall'), match('flood', 4), match('relief', null)], [view('relief', 3), view('old', null)], PLANS);
    expect(cards.map((c) => c.plan)).toEqual(['relief', 'old', 'flood', 'overall']);
    const flood = cards.find((c) => c.plan === 'flood');
    expect(flood).toMatchObject({ suggested: 4, applies: true, levels: [4, 3, 2, 1], response: null, kind: 'special', en: 'flood plan', why: ['why flood'] });
    expect(cards.find((c) => c.plan === 'old')).toMatchObject({ applies: false, suggested: null, zh: 'old预案', levels: [] });
    expect(cards.find((c) => c.plan === 'relief')?.response?.state.level).toBe(3);
  });

  it('lists a plan once even if suggested twice', () => {
    expect(planCards([match('flood', 4), match('flood', 3)], [], PLANS)).toHaveLength(1);
  });
});

describe('decisions allowed', () => {
  it('starts at any level when not running; else up, down or terminate', () => {
    expect(allowed(null, [1, 4, 3, 2])).toEqual({ start: [4, 3, 2, 1], upgrade: [], downgrade: [], terminate: false });
    expect(allowed(4, [4, 3, 2, 1])).toEqual({ start: [], upgrade: [3, 2, 1], downgrade: [], terminate: true });
    expect(allowed(3, [4, 3, 2, 1])).toEqual({ start: [], upgrade: [2, 1], downgrade: [4], terminate: true });
    expect(allowed(4, [4])).toEqual({ start: [], upgrade: [], downgrade: [], terminate: true });
  });

  it('proposes the suggested level to start, else the lowest', () => {
    expect(defaultStartLevel({ suggested: 4, levels: [4, 3] })).toBe(4);
    expect(defaultStartLevel({ suggested: 1, levels: [4, 3] })).toBe(4);
    expect(defaultStartLevel({ suggested: null, levels: [4, 3] })).toBe(4);
    expect(defaultStartLevel({ suggested: null, levels: [] })).toBeNull();
  });
});

describe('checklist', () => {
  it('keeps the level in force by due time and earlier levels as history, latest first', () => {
    const v = view(
      'flood',
      3,
      [
        step({ task: 'a', decision: 'd1', level: 4, current: false, done: true, due: '2026-11-23T13:00:00+08:00' }),
        step({ task: 'b', decision: 'd1', level: 4, current: false, due: '2026-11-23T12:30:00+08:00' }),
        step({ task: 'c', decision: 'd2', level: 3, due: '2026-11-23T18:00:00+08:00' }),
        step({ task: 'd', decision: 'd2', level: 3, due: '2026-11-23T14:00:00+08:00' }),
        step({ task: 'e', decision: 'd0', level: 4, current: false, due: '2026-11-23T11:00:00+08:00' }),
      ],
      ['d0', 'd1', 'd2'],
    );
    const c = checklist(v);
    expect(c.current.map((s) => s.task)).toEqual(['d', 'c']);
    expect(c.history.map((g) => [g.decision, g.level, g.steps.map((s) => s.task), g.done])).toEqual([
      ['d1', 4, ['b', 'a'], 1],
      ['d0', 4, ['e'], 0],
    ]);
  });

  it('has no current list once terminated', () => {
    expect(checklist(view('flood', null, [step({ current: false })])).current).toEqual([]);
  });
});

describe('labels', () => {
  it('titles steps from the plan in English, as recorded in Chinese', () => {
    const s = { level: 4, step: 'consult', title: '会商' };
    expect(stepTitle('zh-CN', PLANS, 'flood', s)).toBe('会商');
    expect(stepTitle('en', PLANS, 'flood', s)).toBe('Consult');
    expect(stepTitle('en', PLANS, 'flood', { ...s, step: 'other' })).toBe('会商');
    expect(stepTitle('en', PLANS, 'nope', s)).toBe('会商');
  });

  it('writes levels as the taxonomy numerals', () => {
    expect(romanOf(BOOT.taxonomy.grade, 4)).toBe('Ⅳ');
    expect(romanOf(BOOT.taxonomy.grade, 3)).toBe('3');
    expect(romanOf(BOOT.taxonomy.grade, null)).toBe('—');
  });
});

describe('keys', () => {
  it('R (intake) and V (response) are in the shortcut list with their labels', async () => {
    const { SHORTCUTS } = await import('../src/lib/components/commander/keys');
    const zh = (await import('../src/lib/i18n/zh-CN.json')).default as Record<string, string>;
    const find = (k: string) => SHORTCUTS.find((s) => s.keys.includes(k));
    expect(find('R')?.label).toBe('commander.keys.intake');
    expect(find('V')?.label).toBe('commander.keys.response');
    expect(zh['commander.keys.intake']).toContain('接报');
  });
});
