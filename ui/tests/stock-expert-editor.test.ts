import { describe, expect, it } from 'vitest';
import type { Expert } from '../src/lib/bindings/Expert';
import type { StockLine } from '../src/lib/bindings/StockLine';
import type { StockRow } from '../src/lib/bindings/StockRow';
import { placeRefusal, splitList, toBody, valuesOf } from '../src/lib/components/editor/form';
import { choicesOf, SCHEMAS } from '../src/lib/components/editor/schema';
import { lineFields, moveRefusal, stockMove } from '../src/lib/components/editor/stock';
import { blankExpert, categoryNames } from '../src/lib/components/registry/experts';
import zh from '../src/lib/i18n/zh-CN.json';
import en from '../src/lib/i18n/en.json';
import { BOOT } from './fixtures';

const ZH = zh as Record<string, string>;
const EN = en as Record<string, string>;
const inBoth = (keys: string[]) => keys.filter((k) => !(k in ZH) || !(k in EN));

const BOOT2 = {
  ...BOOT,
  items: [{ code: '1010101', name_zh: '帐篷', name_en: 'Tent', unit_zh: '顶', unit_en: 'tents', class: 'shelter' }],
  taxonomy: {
    ...BOOT.taxonomy,
    reserve_mode: [
      { id: 'physical', zh: '实物储备', en: 'Physical stock' },
      { id: 'agreement', zh: '协议储备', en: 'Agreement reserve' },
      { id: 'capacity', zh: '产能储备', en: 'Capacity reserve' },
    ],
    category: [...BOOT.taxonomy.category, { id: 'accident', zh: '事故灾难', en: 'Accident', graded: true, subtype: [] }],
  },
};

const LINE: StockLine = { warehouse: 'w1', item_code: '1010101', reserve_mode: 'agreement', expiry: '2027-01-31', activation_hours: 24 };
const ROW: StockRow = { id: 's1', item_code: '1010101', item_zh: '帐篷', item_en: 'Tent', unit_zh: '顶', on_hand: 100, reserved: 5, available: 95, reserve_mode: 'physical', expiry: null, activation_hours: null };
const EXPERT: Expert = { name: '王水文', fields: ['水文', '防汛'], event_classes: ['natural'], tier: 'chief', organisation: '通化市水文局', phone: '0435-5550101', jurisdiction: '220502000000', status: 'active' };

describe('stock line editor', () => {
  it('has exactly the binding’s fields, each labelled in both languages', () => {
    expect(SCHEMAS.stock_line.map((s) => s.key).sort()).toEqual(Object.keys(LINE).sort());
    expect(inBoth(SCHEMAS.stock_line.map((s) => s.label ?? `field.${s.key}`))).toEqual([]);
  });

  it('turns a line into the form and back unchanged; a blank expiry or activation time is null', () => {
    expect(toBody('zh-CN', 'stock_line', valuesOf('stock_line', LINE))).toEqual({ ok: true, body: { entity_kind: 'stock_line', ...LINE } });
    const v = valuesOf('stock_line', LINE);
    Object.assign(v.text, { expiry: ' ', activation_hours: '' });
    expect(toBody('zh-CN', 'stock_line', v)).toMatchObject({ ok: true, body: { expiry: null, activation_hours: null } });
    v.text['activation_hours'] = ' 48 ';
    expect(toBody('zh-CN', 'stock_line', v)).toMatchObject({ ok: true, body: { activation_hours: 48 } });
  });

  it('catches a bad date or activation time; the rule by reserve mode is the host’s', () => {
    const v = valuesOf('stock_line', LINE);
    Object.assign(v.text, { expiry: '31/01/2027', activation_hours: '1.5' });
    const built = toBody('zh-CN', 'stock_line', v);
    expect(built.ok ? null : built.errors).toEqual({ expiry: '请输入日期（年-月-日）', activation_hours: '请输入整数（0 或更大）' });
    // Physical stock with hours: for the host to refuse, beside the field.
    const physical = valuesOf('stock_line', { ...LINE, reserve_mode: 'physical' });
    expect(toBody('zh-CN', 'stock_line', physical).ok).toBe(true);
    const refused = placeRefusal('zh-CN', 'stock_line', { code: 'validation.field', message: 'field `activation_hours`: physical stock is available at once; got 24 h' });
    expect(refused).toEqual({ field: 'activation_hours', text: '填写有误：physical stock is available at once; got 24 h' });
  });

  it('offers the catalogue’s items and the taxonomy’s reserve modes', () => {
    expect(choicesOf('zh-CN', BOOT2, 'item')).toEqual([{ value: '1010101', label: '帐篷 1010101' }]);
    expect(choicesOf('en', BOOT2, 'reserve_mode').map((c) => c.value)).toEqual(['physical', 'agreement', 'capacity']);
  });

  it('edits a row’s line of its warehouse; a new line is physical stock with nothing chosen', () => {
    expect(lineFields('w1', ROW)).toEqual({ warehouse: 'w1', item_code: '1010101', reserve_mode: 'physical', expiry: null, activation_hours: null });
    expect(lineFields('w2', null)).toEqual({ warehouse: 'w2', item_code: '', reserve_mode: 'physical', expiry: null, activation_hours: null });
  });

  it('receives with a positive delta and issues with a negative one, quantity and reason checked', () => {
    expect(stockMove('zh-CN', ' 20 ', ' 采购入库 ', 'in')).toEqual({ ok: true, delta: 20, reason: '采购入库' });
    expect(stockMove('zh-CN', '20', '调拨出库', 'out')).toEqual({ ok: true, delta: -20, reason: '调拨出库' });
    expect(stockMove('zh-CN', '0', '', 'out')).toEqual({ ok: false, errors: { quantity: '请输入数量（正整数）', reason: '请填写原因' } });
    expect(stockMove('en', '-3', 'x', 'in')).toEqual({ ok: false, errors: { quantity: EN['stock.move.err_quantity'] } });
  });

  it('says an overdraw with the quantity available, other refusals as they are', () => {
    const f = { code: 'ledger.overdraw', message: 'on_hand of stock_line s1 is 100 (5 of it reserved); a movement of -200 would overdraw it' };
    expect(moveRefusal('zh-CN', f, 95, '顶')).toBe(`数量不足：可用 95 顶，出库不能超过此数（${f.message}）`);
    expect(moveRefusal('zh-CN', { code: 'transport', message: 'offline' }, 95, '顶')).toBe('transport: offline');
  });
});

describe('expert editor', () => {
  it('has exactly the binding’s fields, each labelled in both languages', () => {
    expect(SCHEMAS.expert.map((s) => s.key).sort()).toEqual(Object.keys(EXPERT).sort());
    expect(inBoth(SCHEMAS.expert.map((s) => s.label ?? `field.${s.key}`))).toEqual([]);
    expect(inBoth([...['chief', 'group', 'pool'].map((x) => `editor.expert_tier.${x}`), 'editor.expert_status.active', 'editor.expert_status.withdrawn', 'registry.tab.experts'])).toEqual([]);
  });

  it('turns an expert into the form and back unchanged', () => {
    const v = valuesOf('expert', EXPERT);
    expect(v.text['fields']).toBe('水文; 防汛');
    expect(v.multi['event_classes']).toEqual(['natural']);
    expect(toBody('zh-CN', 'expert', v)).toEqual({ ok: true, body: { entity_kind: 'expert', ...EXPERT } });
  });

  it('splits the fields typed at ; or ；, trimmed, blanks dropped; event classes as checked', () => {
    expect(splitList(' 水文 ;；防汛； 气象;')).toEqual(['水文', '防汛', '气象']);
    const v = valuesOf('expert', blankExpert('220502000000'));
    Object.assign(v.text, { name: '测试专家', fields: '水文', organisation: '某单位', phone: '0435-5550199' });
    v.multi['event_classes'] = ['natural', 'accident'];
    expect(toBody('zh-CN', 'expert', v)).toEqual({
      ok: true,
      body: { entity_kind: 'expert', name: '测试专家', fields: ['水文'], event_classes: ['natural', 'accident'], tier: 'pool', organisation: '某单位', phone: '0435-5550199', jurisdiction: '220502000000', status: 'active' },
    });
  });

  it('leaves a bad phone to the host and shows its refusal beside phone', () => {
    const v = valuesOf('expert', { ...EXPERT, phone: 'abc' });
    expect(toBody('zh-CN', 'expert', v).ok).toBe(true);
    expect(placeRefusal('zh-CN', 'expert', { code: 'validation.field', message: 'field `phone`: `abc` is not a phone number' })).toEqual({ field: 'phone', text: '填写有误：`abc` is not a phone number' });
    const blank = valuesOf('expert', { ...EXPERT, name: ' ', phone: '' });
    const built = toBody('en', 'expert', blank);
    expect(built.ok ? null : Object.keys(built.errors).sort()).toEqual(['name', 'phone']);
  });

  it('offers the taxonomy’s categories, the tiers and statuses, and names the categories covered', () => {
    expect(choicesOf('zh-CN', BOOT2, 'category').map((c) => c.label)).toEqual(['自然灾害', '事故灾难']);
    expect(choicesOf('zh-CN', BOOT2, 'expert_tier').map((c) => c.label)).toEqual(['首席专家', '专家组', '专家库']);
    expect(choicesOf('zh-CN', BOOT2, 'expert_status').map((c) => c.label)).toEqual(['在库', '已退出']);
    expect(categoryNames('en', BOOT2, ['natural', 'other'])).toEqual(['Natural disaster', 'other']);
  });
});
