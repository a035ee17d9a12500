import { describe, expect, it } from 'vitest';
import type { ReadinessRow } from '../src/lib/bindings/ReadinessRow';
import type { ImportReport } from '../src/lib/bindings/ImportReport';
import type { Diagnostic } from '../src/lib/bindings/Diagnostic';
import {
  LEVEL_COLOUR,
  NO_FILL,
  choroplethColour,
  choroplethFilter,
  columns,
  firstDir,
  legend,
  level,
  mapMetrics,
  measuredAt,
  metricLabel,
  nextSort,
  pct,
  ratioLevel,
  sortRows,
  supplyLines,
  supplyTooltip,
} from '../src/lib/components/readiness/readiness';
import { waitingProgress } from '../src/lib/components/readiness/waiting';
import {
  badRows,
  blockedText,
  columnLabel,
  errorRows,
  exportable,
  fileToBase64,
  mappingOf,
  nounOf,
  progressFraction,
  progressText,
  rowsText,
  toBase64,
  withProblems,
} from '../src/lib/components/registry/registry';

const RULES = { area_per_resident_m2: 2.5, reach_minutes: [30, 60] };

const supply = (item_code: string, needed: number, available: number) => ({ item_code, item_zh: `物资${item_code}`, item_en: `Item ${item_code}`, unit_zh: '顶', needed, available, ratio: needed === 0 ? 1 : available / needed });

function row(code: string, over: Partial<ReadinessRow> = {}): ReadinessRow {
  const supplies = over.supplies ?? [supply('1010101', 100, 100)];
  return {
    code,
    name_zh: `乡${code.slice(6, 9)}`,
    name_en: `Town ${code.slice(6, 9)}`,
    tier: 'township',
    population: 10_000,
    area_km2: 10,
    relocation: 40,
    supplies,
    supply_ratio: Math.min(...supplies.map((s) => s.ratio)),
    shelter_area_m2: 25_000,
    shelter_per_resident_m2: 2.5,
    reach: [
      { minutes: 30, share: 1, population: 10_000, area_km2: 10 },
      { minutes: 60, share: 1, population: 10_000, area_km2: 10 },
    ],
    aviation_share: 1,
    expiring_lines: 0,
    expiring_units: 0,
    samples: 40,
    ...over,
  };
}

const county = row('220502000000', { tier: 'county', name_zh: '东昌区', name_en: 'Dongchang', population: 303_000, relocation: 1200 });

describe('readiness: colour classes', () => {
  it('red under half, amber short of enough, green from enough, grey for nothing to measure', () => {
    expect([0, 0.49, 0.5, 0.99, 1, 7.1, Infinity].map(ratioLevel)).toEqual(['bad', 'bad', 'short', 'short', 'ok', 'ok', 'ok']);
    expect(ratioLevel(NaN)).toBe('none');
  });

  it('measures shelter area against the target per resident, expiring stock by any line', () => {
    expect(level(row('a', { shelter_per_resident_m2: 1.2 }), 'shelter', RULES)).toBe('bad');
    expect(level(row('a', { shelter_per_resident_m2: 1.25 }), 'shelter', RULES)).toBe('short');
    expect(level(row('a', { shelter_per_resident_m2: 2.5 }), 'shelter', RULES)).toBe('ok');
    expect(level(row('a', { expiring_lines: 1, expiring_units: 30 }), 'expiring', RULES)).toBe('short');
    expect(level(row('a'), 'expiring', RULES)).toBe('ok');
    expect(level(row('a', { supplies: [supply('x', 100, 20)] }), 'supply', RULES)).toBe('bad');
    expect(level(row('a', { supplies: [] }), 'supply', RULES)).toBe('none');
    expect(level(row('a', { reach: [{ minutes: 30, share: 0.6, population: 6000, area_km2: 6 }] }), 'reach:30', RULES)).toBe('short');
    expect(level(row('a'), 'reach:45', RULES)).toBe('none');
    expect(level(row('a'), 'population', RULES)).toBeNull();
  });

  it('table and map share one set of colours', () => {
    expect(LEVEL_COLOUR.bad).toBe('#ff4d4f');
    expect(LEVEL_COLOUR.short).toBe('#ffb020');
    expect(LEVEL_COLOUR.ok).toBe('#2ecc71');
  });
});

describe('readiness: columns and sorting', () => {
  it('has one reach column per threshold, and the map colours only classed figures', () => {
    expect(columns(RULES)).toEqual(['name', 'population', 'area', 'relocation', 'supply', 'shelter', 'reach:30', 'reach:60', 'aviation', 'expiring']);
    expect(mapMetrics({ reach_minutes: [15] })).toEqual(['supply', 'shelter', 'reach:15', 'aviation', 'expiring']);
    expect(metricLabel('zh-CN', 'reach:30', 'Ⅱ')).toBe('30分钟覆盖');
    expect(metricLabel('zh-CN', 'relocation', 'Ⅱ')).toBe('安置人口（Ⅱ级）');
    expect(metricLabel('en', 'relocation', 'Ⅱ')).toBe('Relocation (level Ⅱ)');
  });

  it('first click: worst first for coloured figures, largest first for counts; again: the other way', () => {
    expect(firstDir('supply')).toBe('asc');
    expect(firstDir('population')).toBe('desc');
    expect(firstDir('expiring')).toBe('desc');
    expect(nextSort(null, 'supply')).toEqual({ metric: 'supply', dir: 'asc' });
    expect(nextSort({ metric: 'supply', dir: 'asc' }, 'supply')).toEqual({ metric: 'supply', dir: 'desc' });
    expect(nextSort({ metric: 'supply', dir: 'asc' }, 'name')).toEqual({ metric: 'name', dir: 'asc' });
  });

  const towns = [
    row('220502003000', { supplies: [supply('a', 100, 300)], population: 5000 }),
    row('220502001000', { supplies: [supply('a', 100, 0)], population: 9000 }),
    row('220502002000', { supplies: [], population: 7000 }),
    row('220502004000', { supplies: [supply('a', 100, 50)], population: 9000 }),
  ];

  it('keeps the county first whatever the sort', () => {
    for (const dir of ['asc', 'desc'] as const) expect(sortRows([...towns, county], { metric: 'supply', dir }, 'zh-CN')[0]?.code).toBe(county.code);
    expect(sortRows([...towns, county], null, 'zh-CN').map((r) => r.code)).toEqual([county.code, ...towns.map((r) => r.code)]);
  });

  it('sorts townships by the figure, rows without it last either way, ties by code', () => {
    const codes = (s: ReturnType<typeof sortRows>) => s.slice(1).map((r) => r.code.slice(6, 9));
    expect(codes(sortRows([county, ...towns], { metric: 'supply', dir: 'asc' }, 'zh-CN'))).toEqual(['001', '004', '003', '002']);
    expect(codes(sortRows([county, ...towns], { metric: 'supply', dir: 'desc' }, 'zh-CN'))).toEqual(['003', '004', '001', '002']);
    expect(codes(sortRows([county, ...towns], { metric: 'population', dir: 'desc' }, 'zh-CN'))).toEqual(['001', '004', '002', '003']);
    expect(codes(sortRows([county, ...towns], { metric: 'name', dir: 'desc' }, 'en'))).toEqual(['004', '003', '002', '001']);
  });
});

describe('readiness: the choropleth', () => {
  const rows = [county, row('220502001000', { supplies: [supply('a', 100, 10)] }), row('220502201000', { supplies: [supply('a', 100, 70)] }), row('220502100000')];

  it('colours each township by its class, matched on the tiles’ 12-digit code; the county is not a township polygon', () => {
    expect(choroplethColour(rows, 'supply', RULES)).toEqual(['match', ['get', 'code12'], '220502001000', '#ff4d4f', '220502201000', '#ffb020', '220502100000', '#2ecc71', NO_FILL]);
    expect(choroplethColour(rows, 'expiring', RULES)).toEqual(['match', ['get', 'code12'], '220502001000', '#2ecc71', '220502201000', '#2ecc71', '220502100000', '#2ecc71', NO_FILL]);
    expect(choroplethFilter(rows)).toEqual(['in', ['get', 'code12'], ['literal', ['220502001000', '220502201000', '220502100000']]]);
  });

  it('has no match expression without townships (MapLibre refuses an empty match)', () => {
    expect(choroplethColour([county], 'supply', RULES)).toBe(NO_FILL);
  });

  it('legend: three classes with their bounds, no data only when a township has none', () => {
    expect(legend('zh-CN', 'supply', rows, RULES)).toEqual([
      { level: 'bad', label: '< 50%' },
      { level: 'short', label: '50%–100%' },
      { level: 'ok', label: '≥ 100%' },
    ]);
    expect(legend('zh-CN', 'shelter', rows, RULES).map((e) => e.label)).toEqual(['< 1.25 m²', '1.25 m²–2.50 m²', '≥ 2.50 m²']);
    expect(legend('en', 'supply', [...rows, row('220502009000', { supplies: [] })], RULES).map((e) => e.level)).toEqual(['bad', 'short', 'ok', 'none']);
    expect(legend('en', 'expiring', rows, RULES).map((e) => e.label)).toEqual(['None expiring', 'Some expiring']);
  });
});

describe('readiness: figures as text', () => {
  it('lists supplies worst first with units (English units from the catalogue)', () => {
    const lines = supplyLines('en', [supply('1020201', 1200, 11948), supply('1010101', 300, 150)], (c) => (c === '1010101' ? 'tents' : undefined));
    expect(lines.map((l) => [l.code, l.needed, l.available, l.ratio, l.level])).toEqual([
      ['1010101', '300 tents needed', '150 tents available', '50%', 'short'],
      ['1020201', '1,200 顶 needed', '11,948 顶 available', '996%', 'ok'],
    ]);
    expect(lines[1]?.share).toBe(1);
    const zh = supplyLines('zh-CN', [supply('1010101', 300, 150)], () => 'tents');
    expect(supplyTooltip('zh-CN', zh)).toBe('物资1010101：需 300 顶，可用 150 顶（50%）');
    expect(supplyTooltip('zh-CN', [])).toBe('无物资需求');
  });

  it('percentages, and the time measured as written by the API', () => {
    expect(pct('zh-CN', 0.713)).toBe('71%');
    expect(pct('en', NaN)).toBe('—');
    expect(measuredAt('2026-11-23T14:42:02+08:00')).toBe('2026-11-23 14:42');
  });

  it('the waiting bar grows and never reaches the end by itself', () => {
    expect(waitingProgress(0)).toBe(0);
    expect(waitingProgress(700)).toBeGreaterThan(waitingProgress(300));
    expect(waitingProgress(60_000)).toBe(0.95);
  });
});

describe('import and export', () => {
  it('stock exports only as CSV or XLSX', () => {
    expect(exportable('stock', 'csv')).toBe(true);
    expect(exportable('stock', 'xlsx')).toBe(true);
    expect(exportable('stock', 'geo_json')).toBe(false);
    expect(exportable('stock', 'kml')).toBe(false);
    expect(exportable('teams', 'kml')).toBe(true);
  });

  it('base64 of bytes, a big buffer and a File', async () => {
    const text = '编号,名称\nt-1,江东乡水上救援志愿队\n';
    const bytes = new TextEncoder().encode(text);
    expect(toBase64(bytes)).toBe(Buffer.from(text).toString('base64'));
    expect(toBase64(bytes.buffer)).toBe(Buffer.from(text).toString('base64'));
    const big = new Uint8Array(100_003).map((_, i) => (i * 31) % 256);
    expect(toBase64(big)).toBe(Buffer.from(big).toString('base64'));
    expect(await fileToBase64(new File([bytes], 'teams.csv'))).toBe(Buffer.from(text).toString('base64'));
  });

  const report: ImportReport = {
    registry: 'teams',
    format: 'csv',
    row_noun: 'line',
    source_headers: ['编号', '纬度'],
    columns: [
      { column: 'key', source: '编号' },
      { column: 'lat', source: '纬度' },
      { column: 'status', source: null },
    ],
    rows: 2,
    valid: 1,
    errors: [
      { file: 't.csv', line: 3 as unknown as bigint, field: 'status', message: 'missing' },
      { file: 't.csv', line: 2 as unknown as bigint, field: 'lat (纬度)', message: '141.702 is out of range [-90, 90]' },
    ],
    sample: [],
    written: null,
    created: null,
    head: null,
  };

  it('sends back every column of the mapping, none as empty', () => {
    expect(mappingOf(report)).toEqual({ key: '编号', lat: '纬度', status: '' });
  });

  it('turns problems into table rows in file order; a whole-file problem has no line', () => {
    const whole: Diagnostic = { file: 't.csv', line: 0 as unknown as bigint, field: 'data', message: 'not UTF-8' };
    expect(errorRows([...report.errors, whole])).toEqual([
      { line: null, field: 'data', message: 'not UTF-8' },
      { line: 2, field: 'lat (纬度)', message: '141.702 is out of range [-90, 90]' },
      { line: 3, field: 'status', message: 'missing' },
    ]);
  });

  it('says why the commit is refused, in the file’s own terms', () => {
    expect(badRows(report)).toBe(1);
    expect(blockedText('zh-CN', report)).toBe('有 1 行有误，修正后再导入；不会部分导入');
    expect(blockedText('en', { ...report, row_noun: 'feature', valid: 0 })).toBe('Bad: 2 features. Fix them and import again; nothing is imported in part');
    expect(blockedText('zh-CN', { ...report, valid: 2, errors: [report.errors[0] as Diagnostic] })).toBe('文件或对应列有 1 处问题，修正后再导入；不会部分导入');
    expect(blockedText('zh-CN', { ...report, rows: 0, valid: 0, errors: [] })).toBe('文件中没有数据行');
    expect(blockedText('zh-CN', { ...report, valid: 2, errors: [] })).toBeNull();
  });

  it('a refused commit’s problems replace the check’s', () => {
    const r = withProblems({ ...report, valid: 2, errors: [] }, [{ file: 't.csv', line: 2 as unknown as bigint, field: 'key', message: 'dup' }]);
    expect([r.valid, r.errors.length]).toEqual([1, 1]);
  });

  it('names rows and columns in words', () => {
    expect(rowsText('en', 'line', 1)).toBe('1 line');
    expect(rowsText('en', 'placemark', 3)).toBe('3 placemarks');
    expect(rowsText('zh-CN', 'feature', 1200)).toBe('1,200 个要素');
    expect(nounOf('sheet-row')).toBe('row');
    expect(columnLabel('zh-CN', 'lat')).toBe('纬度');
    expect(columnLabel('en', 'readiness_min')).toBe('Readiness (min)');
    expect(columnLabel('zh-CN', 'no_such_column')).toBe('no_such_column');
  });

  it('progress over the whole bar, and in words', () => {
    expect(progressFraction({ running: true, phase: 'read', done: 0, total: 5000 })).toBe(0);
    expect(progressFraction({ running: true, phase: 'check', done: 500, total: 1000 })).toBeCloseTo(0.4);
    expect(progressFraction({ running: true, phase: 'write', done: 2, total: 2 })).toBe(1);
    expect(progressFraction({ running: true, phase: 'check', done: 0, total: 0 })).toBeCloseTo(0.1);
    expect(progressText('zh-CN', { running: true, phase: 'check', done: 1000, total: 5000 })).toBe('检查 1,000 / 5,000');
    expect(progressText('en', { running: true, phase: 'write', done: 2, total: 2 })).toBe('Writing 2 / 2');
    expect(progressText('zh-CN', { running: true, phase: 'read', done: 0, total: 4096 })).toBe('读取文件');
  });
});
