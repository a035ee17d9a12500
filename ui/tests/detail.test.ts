import { describe, expect, it } from 'vitest';
import { classLabel, expiresSoon, fieldRows, formatField, statusLabel, type Ctx } from '../src/lib/detail';
import { BOOT } from './fixtures';

const zh: Ctx = { lang: 'zh-CN', boot: BOOT };
const en: Ctx = { lang: 'en', boot: BOOT };

describe('detail rows', () => {
  it('translates taxonomy values', () => {
    expect(formatField(zh, 'team', 'team_type', 'fire_rescue')).toBe('消防救援队伍');
    expect(formatField(en, 'team', 'team_type', 'fire_rescue')).toBe('Fire and rescue');
    expect(formatField(zh, 'team', 'specialties', ['water_rescue', 'medical'])).toBe('水上搜救、应急医疗救护');
    expect(formatField(en, 'team', 'status', 'on_scene')).toBe('On scene');
    expect(formatField(zh, 'incident', 'grade', 4)).toBe('Ⅳ 一般');
    expect(formatField(en, 'hazard', 'grade', 'medium', { hazard_kind: 'reservoir' })).toBe('Medium');
    expect(formatField(zh, 'incident', 'subtype', 'flood_drought', { category: 'natural' })).toBe('水旱灾害');
    expect(formatField(zh, 'shelter', 'jurisdiction', '220502000000')).toBe('东昌区 (220502000000)');
    expect(formatField(en, 'incident', 'casualties', { dead: 0, missing: 1, injured: 2 })).toBe('dead 0 · missing 1 · injured 2');
    expect(formatField(zh, 'team', 'equipment', [{ name: '水罐消防车', count: 3 }])).toBe('水罐消防车 ×3');
    expect(formatField(zh, 'team', 'location', { lon: 125.93, lat: 41.74 })).toBe('125.93000°E, 41.74000°N');
    expect(formatField(en, 'x', 'demo', true)).toBe('Yes');
  });

  it('lists every field, known ones first, with translated labels', () => {
    const rows = fieldRows(zh, 'team', { zzz: 1, status: 'standby', name: '队', headcount: 5 });
    expect(rows.map((r) => r.key)).toEqual(['name', 'status', 'headcount', 'zzz']);
    expect(rows[0]?.label).toBe('名称');
    expect(rows[3]?.label).toBe('zzz');
  });

  it('labels classes and statuses per layer', () => {
    expect(classLabel(zh, 'warehouses', 'province')).toBe('省级');
    expect(statusLabel(en, { layer: 'warehouses', class: 'province', status: 'relief' })).toBe('Relief supplies depot');
    expect(statusLabel(zh, { layer: 'shelters', class: 'emergency', status: 'full' })).toBe('已满');
  });

  it('flags stock expiring within 90 days', () => {
    const today = new Date(2026, 0, 1);
    expect(expiresSoon({ expiry: '2026-03-01' }, today)).toBe(true);
    expect(expiresSoon({ expiry: '2025-12-01' }, today)).toBe(true);
    expect(expiresSoon({ expiry: '2026-06-01' }, today)).toBe(false);
    expect(expiresSoon({ expiry: null }, today)).toBe(false);
  });
});
