import { describe, expect, it } from 'vitest';
import type { JurisdictionSummary } from '../src/lib/bindings/JurisdictionSummary';
import {
  beijingInput,
  count,
  defaultTitle,
  factsOf,
  factsOfRecord,
  fromBeijingInput,
  gradeText,
  gradingNote,
  incidentBody,
  jurisdictionOption,
  matchJurisdiction,
  reportNote,
  type Figures,
} from '../src/lib/components/response/intake';
import { BOOT } from './fixtures';

const J: JurisdictionSummary[] = [
  { code: '220502000000', name_zh: '东昌区', name_en: 'Dongchang District', tier: 'county', parent: '220500000000' },
  { code: '220502201000', name_zh: '江东乡', name_en: 'Jiangdong Township', tier: 'township', parent: '220502000000' },
  { code: '220502200000', name_zh: '环通乡', name_en: 'Huantong Township', tier: 'township', parent: '220502000000' },
  { code: '220502100000', name_zh: '金厂镇', name_en: 'Jinchang Town', tier: 'township', parent: '220502000000' },
];
const empty: Figures = { dead: null, missing: null, injured: null, affected: null, relocated: null, houses_damaged: null, direct_loss_cny: null };
const GRADES = BOOT.taxonomy.grade;

describe('facts from the form', () => {
  it('reads empty, negative and fractional inputs as whole counts', () => {
    expect(count(null)).toBe(0);
    expect(count(Number.NaN)).toBe(0);
    expect(count(-3)).toBe(0);
    expect(count(150.7)).toBe(150);
    const f = factsOf({ ...empty, relocated: 150, dead: 2, direct_loss_cny: 460000 }, 'flood_drought');
    expect(f).toEqual({ dead: 2, missing: 0, injured: 0, relocated: 150, affected: 0, houses_damaged: 0, direct_loss_cny: 460000, burned_area_ha: null, magnitude: null, density: null });
    // JSON carries the loss as a number (ts-rs says bigint).
    expect(JSON.stringify(f)).toContain('"direct_loss_cny":460000');
  });

  it('sends the extra fact only for its subtype', () => {
    const fig = { ...empty, burned_area_ha: 12.5, magnitude: 5.2, density: 'dense' as const };
    expect(factsOf(fig, 'forest_grass_fire')).toMatchObject({ burned_area_ha: 12.5, magnitude: null, density: null });
    expect(factsOf(fig, 'earthquake')).toMatchObject({ burned_area_ha: null, magnitude: 5.2, density: 'dense' });
    expect(factsOf(fig, 'flood_drought')).toMatchObject({ burned_area_ha: null, magnitude: null, density: null });
    expect(factsOf({ ...fig, magnitude: -1 }, 'earthquake').magnitude).toBeNull();
  });

  it('reads the facts of a stored incident record', () => {
    const f = factsOfRecord({ casualties: { dead: 1, missing: 2, injured: 3 }, affected: 85, relocated: 32, houses_damaged: 3, direct_loss_cny: 460000, title: 'x' });
    expect(f).toMatchObject({ dead: 1, missing: 2, injured: 3, affected: 85, relocated: 32, houses_damaged: 3, direct_loss_cny: 460000 });
    expect(factsOfRecord({})).toMatchObject({ dead: 0, relocated: 0 });
  });
});

describe('default title', () => {
  it('joins place and subtype in the language', () => {
    expect(defaultTitle('zh-CN', '江东乡', '水旱灾害')).toBe('江东乡水旱灾害');
    expect(defaultTitle('en', 'Jiangdong Township', 'Flood and drought')).toBe('Flood and drought, Jiangdong Township');
    expect(defaultTitle('zh-CN', '', '水旱灾害')).toBe('水旱灾害');
    expect(defaultTitle('zh-CN', '江东乡', '')).toBe('江东乡');
  });
});

describe('jurisdiction typed as a name or a code', () => {
  it('finds codes, names, options and unique parts', () => {
    expect(matchJurisdiction(J, '220502201000')?.name_zh).toBe('江东乡');
    expect(matchJurisdiction(J, '220502')?.name_zh).toBe('东昌区');
    expect(matchJurisdiction(J, '江东乡')?.code).toBe('220502201000');
    expect(matchJurisdiction(J, ' 江东 ')?.code).toBe('220502201000');
    expect(matchJurisdiction(J, 'jiangdong township')?.code).toBe('220502201000');
    expect(matchJurisdiction(J, jurisdictionOption(J[1] as JurisdictionSummary, 'zh-CN'))?.code).toBe('220502201000');
    expect(jurisdictionOption(J[1] as JurisdictionSummary, 'en')).toBe('Jiangdong Township 220502201000');
  });

  it('refuses what fits none or more than one', () => {
    expect(matchJurisdiction(J, '')).toBeNull();
    expect(matchJurisdiction(J, '乡')).toBeNull(); // 江东乡 and 环通乡
    expect(matchJurisdiction(J, '999999999999')).toBeNull();
    expect(matchJurisdiction(J, '上海')).toBeNull();
  });
});

describe('onset in Beijing time', () => {
  it('writes and reads Beijing wall time whatever the zone', () => {
    const ms = Date.parse('2026-11-23T04:05:59Z');
    expect(beijingInput(ms)).toBe('2026-11-23 12:05');
    expect(fromBeijingInput('2026-11-23 12:05')).toBe('2026-11-23T12:05:00+08:00');
    expect(Date.parse(fromBeijingInput(beijingInput(ms)) ?? '')).toBe(Date.parse('2026-11-23T04:05:00Z'));
    expect(fromBeijingInput('2026/1/5 7:30')).toBe('2026-01-05T07:30:00+08:00');
    expect(fromBeijingInput('2026-11-23T23:59:30')).toBe('2026-11-23T23:59:30+08:00');
  });

  it('refuses what is not a real time', () => {
    expect(fromBeijingInput('')).toBeNull();
    expect(fromBeijingInput('yesterday')).toBeNull();
    expect(fromBeijingInput('2026-02-30 10:00')).toBeNull();
    expect(fromBeijingInput('2026-11-23 24:10')).toBeNull();
  });
});

describe('journal lines', () => {
  it('writes a grade chosen against the suggestion, and nothing when they agree', () => {
    expect(gradeText('zh-CN', GRADES, 4)).toBe('Ⅳ级（一般）');
    expect(gradeText('zh-CN', GRADES, null)).toBe('未定级');
    expect(gradingNote('zh-CN', GRADES, 4, 4, 'x')).toBeNull();
    expect(gradingNote('zh-CN', GRADES, null, 4, ' 县级预案已启动 ')).toBe('定级：建议 未定级，人工改为 Ⅳ级（一般）。理由：县级预案已启动');
    expect(gradingNote('en', GRADES, 4, 1, 'dam breach')).toBe('Grading: suggested Grade Ⅳ (Ordinary), set by hand to Grade Ⅰ (Especially serious). Reason: dam breach');
  });

  it('writes the reporter and extra facts, nothing when none', () => {
    expect(reportNote('zh-CN', '张伟', '13800000000')).toBe('接报：报告人 张伟；电话 13800000000');
    expect(reportNote('zh-CN', '', '', ['过火面积 3 公顷'])).toBe('接报：过火面积 3 公顷');
    expect(reportNote('en', 'Zhang', '')).toBe('Call received: reported by Zhang');
    expect(reportNote('zh-CN', ' ', '')).toBeNull();
  });
});

describe('incident body', () => {
  it('is an active incident with whole figures', () => {
    const b = incidentBody({
      title: ' 江东乡水旱灾害 ',
      category: 'natural',
      subtype: 'flood_drought',
      grade: null,
      jurisdiction: '220502201000',
      location: { lon: 126.02, lat: 41.7 },
      onset: '2026-11-23T12:05:00+08:00',
      figures: { ...empty, relocated: 150, injured: 2.9 },
      description: '',
    });
    expect(b).toMatchObject({ entity_kind: 'incident', title: '江东乡水旱灾害', status: 'active', relocated: 150, casualties: { dead: 0, missing: 0, injured: 2 }, grade: null, direct_loss_cny: 0 });
  });
});
