import { describe, expect, it } from 'vitest';
import type { Authority } from '../src/lib/bindings/Authority';
import type { Dispatch } from '../src/lib/bindings/Dispatch';
import type { ForceNeed } from '../src/lib/bindings/ForceNeed';
import type { NearWarehouse } from '../src/lib/bindings/NearWarehouse';
import type { Recommended } from '../src/lib/bindings/Recommended';
import type { Stage } from '../src/lib/bindings/Stage';
import type { StockRow } from '../src/lib/bindings/StockRow';
import { arrivalMs, hhmm, isOpen, orderActions, sortOrders, stageColour, stageTimes } from '../src/lib/components/dispatch/orders';
import { authorityView, defaultReason, needMet, topPick, whyLine } from '../src/lib/components/dispatch/picks';
import { allocActions, allocColour, checkQuantity, defaultItem, defaultSource, itemsOf, selectable, sourcesOf } from '../src/lib/components/dispatch/supplies';
import { movement } from '../src/lib/components/dispatch/placing';
import { refusal } from '../src/lib/components/dispatch/refusal';
import { SHORTCUTS } from '../src/lib/components/commander/keys';
import { TEAM_STATUS, UNKNOWN_COLOUR } from '../src/lib/map/palette';
import zh from '../src/lib/i18n/zh-CN.json';
import en from '../src/lib/i18n/en.json';

const ZH = zh as Record<string, string>;
const EN = en as Record<string, string>;
const STAGES: Stage[] = ['dispatched', 'en_route', 'on_scene', 'returning', 'stood_down', 'cancelled'];
const team = (status: string) => TEAM_STATUS.find((s) => s.value === status)?.colour;

const order = (over: Partial<Dispatch> = {}): Dispatch => ({
  incident: 'i',
  team: 't',
  task: null,
  ordered_by: '220502000000',
  reason: '水域救援：江东乡水旱灾害',
  eta_min: 12.6,
  dispatched_at: '2026-11-23T14:22:33+08:00',
  departed_at: null,
  arrived_at: null,
  returning_at: null,
  stood_down_at: null,
  cancelled_at: null,
  ...over,
});

describe('dispatch orders', () => {
  it('colour each stage as the map colours the team (stood down: standing by; cancelled: grey)', () => {
    expect(STAGES.map(stageColour)).toEqual([team('dispatched'), team('en_route'), team('on_scene'), team('returning'), team('standby'), UNKNOWN_COLOUR]);
    expect(stageColour('on_scene')).toBe('#ff3b30');
  });

  it('offer a button per allowed next stage, a cancellation last, a return from en route as a recall', () => {
    expect(orderActions({ stage: 'dispatched', next: ['cancelled', 'en_route'] })).toEqual([
      { stage: 'en_route', label: 'dispatch.act.en_route', undo: false },
      { stage: 'cancelled', label: 'dispatch.act.cancelled', undo: true },
    ]);
    expect(orderActions({ stage: 'en_route', next: ['on_scene', 'returning'] }).map((a) => a.label)).toEqual(['dispatch.act.on_scene', 'dispatch.act.recall']);
    expect(orderActions({ stage: 'on_scene', next: ['returning'] }).map((a) => a.label)).toEqual(['dispatch.act.returning']);
    expect(orderActions({ stage: 'stood_down', next: [] })).toEqual([]);
  });

  it('label every stage and action in both languages', () => {
    const keys = [...STAGES.map((s) => `dispatch.stage.${s}`), ...STAGES.slice(1).map((s) => `dispatch.act.${s}`), 'dispatch.act.recall'];
    for (const k of keys) expect([k in ZH, k in EN], k).toEqual([true, true]);
  });

  it('list the stages reached with their times, in order', () => {
    const o = order({ departed_at: '2026-11-23T14:25:00+08:00', arrived_at: '2026-11-23T14:40:10+08:00' });
    expect(stageTimes(o).map((s) => [s.stage, hhmm(s.at)])).toEqual([
      ['dispatched', '14:22'],
      ['en_route', '14:25'],
      ['on_scene', '14:40'],
    ]);
    expect(stageTimes(order({ cancelled_at: '2026-11-23T14:30:00+08:00' })).map((s) => s.stage)).toEqual(['dispatched', 'cancelled']);
  });

  it('estimate the arrival from the order time and its minutes, in Beijing time', () => {
    const at = arrivalMs(order());
    expect(at).toBe(Date.parse('2026-11-23T14:22:33+08:00') + 12.6 * 60_000);
    expect(hhmm(at as number)).toBe('14:35');
    expect(hhmm('2026-11-23T06:05:00Z')).toBe('14:05');
    expect(arrivalMs(order({ dispatched_at: 'soon' }))).toBeNull();
    expect(hhmm('soon')).toBe('—');
  });

  it('show open orders first, each group in the given (newest first) order', () => {
    const v = (id: string, stage: Stage) => ({ id, stage });
    expect(sortOrders([v('a', 'stood_down'), v('b', 'en_route'), v('c', 'cancelled'), v('d', 'dispatched')]).map((x) => x.id)).toEqual(['b', 'd', 'a', 'c']);
    expect(STAGES.filter(isOpen)).toEqual(['dispatched', 'en_route', 'on_scene', 'returning']);
  });
});

const rec = (team: string, over: Partial<Recommended> = {}): Recommended => ({
  team,
  name: team,
  team_type: 'fire_rescue',
  headcount: 12,
  km: 1.7,
  readiness_min: 10,
  travel_min: 2.6,
  minutes: 12.6,
  authority: { how: 'direct' },
  why_zh: ['待命，具备水域救援', '本级可直接调派'],
  why_en: ['standing by, water rescue', 'this centre orders it directly'],
  ...over,
});
const need = (picks: Recommended[], over: Partial<ForceNeed> = {}): ForceNeed => ({ specialty: 'water_rescue', zh: '水域救援', en: 'Water rescue', teams: 2, dispatched: 0, basis: '', picks, ...over });

describe('recommendation', () => {
  const names: Record<string, string> = { '220500000000': '通化市' };
  const nameOf = (c: string) => names[c] ?? c;
  const request: Authority = { how: 'request', via: '220500000000' };

  it('says who may order a team, and whom to ask otherwise', () => {
    expect(authorityView('zh-CN', 'dispatch', { how: 'direct' }, nameOf)).toEqual({ ok: true, badge: '本级调派', explain: '' });
    const r = authorityView('zh-CN', 'dispatch', request, nameOf);
    expect([r.ok, r.badge]).toEqual([false, '需经通化市申请']);
    expect(r.explain).toContain('须经通化市逐级调动');
    expect(authorityView('en', 'alloc', request, nameOf).badge).toBe('Request via 通化市');
    expect(authorityView('zh-CN', 'alloc', { how: 'outside' }, nameOf)).toMatchObject({ ok: false, badge: '辖区外' });
  });

  it('gives the keyboard to the top pick of the first need that has one', () => {
    expect(topPick({ needs: [need([rec('a'), rec('b')]), need([rec('c')])] })?.team).toBe('a');
    expect(topPick({ needs: [need([]), need([rec('c')])] })?.team).toBe('c');
    expect(topPick({ needs: [need([])] })).toBeNull();
  });

  it('writes the reasons on one line, in the language shown, the jurisdictions named', () => {
    const named = (c: string) => names[c] ?? null;
    expect(whyLine('zh-CN', rec('a'), named)).toBe('待命，具备水域救援 · 本级可直接调派');
    expect(whyLine('en', rec('a'), named)).toBe('standing by, water rescue · this centre orders it directly');
    expect(whyLine('en', rec('a', { why_en: [] }), named)).toBe('待命，具备水域救援 · 本级可直接调派');
    expect(whyLine('zh-CN', rec('b', { why_zh: ['属220500000000，需经220500000000逐级调动', '属220599000000'] }), named)).toBe('属通化市，需经通化市逐级调动 · 属220599000000');
  });

  it('proposes the need and the incident as the order’s reason', () => {
    expect(defaultReason('zh-CN', need([]), '江东乡水旱灾害')).toBe('水域救援：江东乡水旱灾害');
    expect(defaultReason('en', need([]), '江东乡水旱灾害')).toBe('Water rescue: 江东乡水旱灾害');
  });

  it('calls a need met once as many teams are dispatched as asked for', () => {
    expect([needMet({ teams: 2, dispatched: 1 }), needMet({ teams: 2, dispatched: 2 }), needMet({ teams: 0, dispatched: 0 })]).toEqual([false, true, false]);
  });
});

const row = (id: string, item_code: string, available: number, over: Partial<StockRow> = {}): StockRow => ({
  id,
  item_code,
  item_zh: item_code === '1010101' ? '帐篷(棉帐篷)' : `物资${item_code}`,
  item_en: item_code === '1010101' ? 'Tent (insulated cotton)' : `item ${item_code}`,
  unit_zh: '顶',
  on_hand: available,
  reserved: 0,
  available,
  reserve_mode: 'physical',
  expiry: null,
  activation_hours: null,
  ...over,
});
const wh = (id: string, km: number, stock: StockRow[], authority: Authority = { how: 'direct' }): NearWarehouse => ({ id, name: id, tier: 'county', km, stock, authority });

describe('allocation', () => {
  const near = [
    wh('street', 0.2, [row('s1', '1010102', 11)]),
    wh('province', 2.7, [row('p1', '1010101', 1200)], { how: 'request', via: '220500000000' }),
    wh('empty', 3.0, [row('e1', '1010101', 0, { on_hand: 40, reserved: 40 })]),
    wh('county', 4.1, [row('c1', '1010101', 110), row('c2', '1020101', 30)]),
  ];

  it('lists each item held near once, by code, and opens on tents', () => {
    expect(itemsOf(near).map((i) => i.code)).toEqual(['1010101', '1010102', '1020101']);
    expect(defaultItem(itemsOf(near))).toBe('1010101');
    expect(defaultItem(itemsOf([near[0] as NearWarehouse]))).toBe('1010102');
    expect(defaultItem([])).toBeNull();
  });

  it('takes the nearest line this centre may allocate from, with something available', () => {
    const src = sourcesOf(near, '1010101');
    expect(src.map((s) => s.row.id)).toEqual(['p1', 'e1', 'c1']);
    expect(src.map(selectable)).toEqual([false, false, true]);
    expect(defaultSource(src)).toBe('c1');
    expect(defaultSource(sourcesOf(near, '9999999'))).toBeNull();
  });

  it('checks the quantity: a whole number from 1 to what is available', () => {
    expect(checkQuantity('zh-CN', ' 40 ', 110, '顶')).toEqual({ ok: true, n: 40 });
    expect(checkQuantity('zh-CN', '110', 110, '顶')).toEqual({ ok: true, n: 110 });
    expect(checkQuantity('zh-CN', '111', 110, '顶')).toEqual({ ok: false, error: '超出可用数量：可用 110 顶' });
    expect(checkQuantity('en', '500', 110, 'tents')).toEqual({ ok: false, error: 'More than available: 110 tents available' });
    for (const bad of ['0', '', '4.5', '-3', 'abc', '1e3']) expect(checkQuantity('zh-CN', bad, 110, '顶'), bad).toEqual({ ok: false, error: '请输入 1 至 110 之间的整数' });
    expect(checkQuantity('zh-CN', '1', 0, '顶')).toEqual({ ok: false, error: '无可用数量' });
  });

  it('offers ship, receive and cancel as the allocation allows, coloured by stage', () => {
    expect(allocActions({ next: ['cancelled', 'in_transit'] })).toEqual([
      { stage: 'in_transit', label: 'alloc.act.in_transit', undo: false },
      { stage: 'cancelled', label: 'alloc.act.cancelled', undo: true },
    ]);
    expect(allocActions({ next: ['received'] }).map((a) => a.label)).toEqual(['alloc.act.received']);
    expect([allocColour('reserved'), allocColour('in_transit'), allocColour('received'), allocColour('cancelled')]).toEqual([team('dispatched'), team('returning'), team('standby'), UNKNOWN_COLOUR]);
    for (const s of ['reserved', 'in_transit', 'received', 'cancelled']) expect([`alloc.stage.${s}` in ZH, `alloc.stage.${s}` in EN]).toEqual([true, true]);
  });
});

describe('placing evacuees', () => {
  it('turns the number typed into a signed movement with its reason', () => {
    expect(movement('zh-CN', '150', 'in')).toEqual({ ok: true, delta: 150, reason: '安置转移群众 150 人' });
    expect(movement('en', ' 20', 'out')).toEqual({ ok: true, delta: -20, reason: '20 evacuees left' });
    for (const bad of ['0', '-5', '', '2.5', 'x']) expect(movement('zh-CN', bad, 'in').ok, bad).toBe(false);
  });
});

describe('refusals', () => {
  it('say what went wrong in words, then the host’s message with its figures', () => {
    const message = 'stock line c1 (1010101 帐篷(棉帐篷)) has 110 available (110 on hand, 0 reserved); 500 were asked for';
    expect(refusal('zh-CN', { code: 'ledger.overdraw', message })).toBe(`数量不足：${message}`);
    expect(refusal('en', { code: 'shelter.full', message: 'x has 27850 free places' })).toBe('Not enough free places: x has 27850 free places');
    expect(refusal('zh-CN', { code: 'transport', message: 'offline' })).toBe('transport: offline');
  });
});

describe('key G', () => {
  it('is in the help, labelled in both dictionaries', () => {
    const g = SHORTCUTS.find((s) => s.keys.includes('G'));
    expect(g?.label).toBe('commander.keys.dispatch');
    expect([ZH['commander.keys.dispatch']?.includes('调派'), EN['commander.keys.dispatch']?.includes('Dispatch')]).toEqual([true, true]);
  });
});
