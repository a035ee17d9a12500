// The readiness table's model (一张表): its columns, the colour class of each figure (red under
// half, amber short of enough, green from enough — the same colours on the table and on the
// map), the rows in order (the county first), the choropleth's colour expression by township
// code, its legend, and the figures as text. Pure (language passed in), unit-tested.
import type { ExpressionSpecification, FilterSpecification } from '@maplibre/maplibre-gl-style-spec';
import type { ReadinessRow } from '../../bindings/ReadinessRow';
import type { ReadinessRules } from '../../bindings/ReadinessRules';
import type { SupplyCheck } from '../../bindings/SupplyCheck';
import { pick, translate, type Lang } from '../../i18n/core';

/** A figure's class: under half, short of enough, enough; `none` when there is nothing to measure. */
export type Level = 'bad' | 'short' | 'ok' | 'none';

/** The classes' colours (the console's danger, warn and ok; grey for none). */
export const LEVEL_COLOUR: { readonly [L in Level]: string } = { bad: '#ff4d4f', short: '#ffb020', ok: '#2ecc71', none: '#6b7c91' };

/** What a column shows and sorts by; `reach:30` is the share reached within 30 minutes. */
export type Metric = 'name' | 'population' | 'area' | 'relocation' | 'supply' | 'shelter' | 'aviation' | 'expiring' | `reach:${number}`;

export type Dir = 'asc' | 'desc';
export interface Sort {
  metric: Metric;
  dir: Dir;
}

/** Whether a column has colour classes (and the map can colour by it). */
const CLASSED = (m: Metric): boolean => m === 'supply' || m === 'shelter' || m === 'aviation' || m === 'expiring' || m.startsWith('reach:');

/** The table's columns in order (one reach column per threshold of the rules). */
export function columns(rules: Pick<ReadinessRules, 'reach_minutes'>): Metric[] {
  return ['name', 'population', 'area', 'relocation', 'supply', 'shelter', ...rules.reach_minutes.map((m): Metric => `reach:${m}`), 'aviation', 'expiring'];
}

/** The figures the map can colour by (those with a colour class). */
export function mapMetrics(rules: Pick<ReadinessRules, 'reach_minutes'>): Metric[] {
  return columns(rules).filter(CLASSED);
}

/** The minutes of a reach column (null for any other). */
export function reachMinutes(m: Metric): number | null {
  return m.startsWith('reach:') ? Number(m.slice('reach:'.length)) : null;
}

/** Red below half, amber short of 1, green from 1 (a ratio or a share; NaN: none). */
export function ratioLevel(ratio: number): Level {
  if (Number.isNaN(ratio)) return 'none';
  return ratio < 0.5 ? 'bad' : ratio < 1 ? 'short' : 'ok';
}

/** A row's figure for a numeric column (NaN when it has none: no supplies needed, no such reach). */
export function figure(row: ReadinessRow, m: Metric): number {
  switch (m) {
    case 'population':
      return row.population;
    case 'area':
      return row.area_km2;
    case 'relocation':
      return row.relocation;
    case 'supply':
      return row.supplies.length > 0 ? row.supply_ratio : NaN;
    case 'shelter':
      return row.shelter_per_resident_m2;
    case 'aviation':
      return row.aviation_share;
    case 'expiring':
      return row.expiring_units;
    case 'name':
      return NaN;
    default:
      return row.reach.find((r) => r.minutes === reachMinutes(m))?.share ?? NaN;
  }
}

/** A row's colour class for a column (null: the column is not coloured). Shelter area is
 *  measured against the target per resident; expiring stock is amber when there is any. */
export function level(row: ReadinessRow, m: Metric, rules: Pick<ReadinessRules, 'area_per_resident_m2'>): Level | null {
  if (!CLASSED(m)) return null;
  if (m === 'expiring') return row.expiring_lines > 0 ? 'short' : 'ok';
  const v = figure(row, m);
  return ratioLevel(m === 'shelter' ? v / rules.area_per_resident_m2 : v);
}

/** The order of a first click on a header: names A→Z, the coloured figures worst first, counts largest first. */
export function firstDir(m: Metric): Dir {
  return m === 'name' || (CLASSED(m) && m !== 'expiring') ? 'asc' : 'desc';
}

/** The sort after clicking a column's header: the other direction on the same column, else its first direction. */
export function nextSort(current: Sort | null, m: Metric): Sort {
  if (current?.metric === m) return { metric: m, dir: current.dir === 'asc' ? 'desc' : 'asc' };
  return { metric: m, dir: firstDir(m) };
}

/** A column's heading (`roman`: the relief level the relocation figure is for, as Ⅱ). */
export function metricLabel(lang: Lang, m: Metric, roman: string): string {
  const n = reachMinutes(m);
  return n !== null ? translate(lang, 'readiness.col.reach', { n }) : translate(lang, `readiness.col.${m}`, { level: roman });
}

/** A row's name in a language. */
export const rowName = (lang: Lang, r: Pick<ReadinessRow, 'name_zh' | 'name_en'>): string => pick(lang, r.name_zh, r.name_en);

/**
 * The rows in table order: the county (every row above township tier) first as given, then
 * the townships by the sort (null: as given); a row without the figure goes last either way,
 * ties by code.
 */
export function sortRows(rows: readonly ReadinessRow[], sort: Sort | null, lang: Lang): ReadinessRow[] {
  const top = rows.filter((r) => r.tier !== 'township');
  const towns = rows.filter((r) => r.tier === 'township');
  if (!sort) return [...top, ...towns];
  const sign = sort.dir === 'asc' ? 1 : -1;
  const cmp = (a: ReadinessRow, b: ReadinessRow): number => {
    if (sort.metric === 'name') return sign * rowName(lang, a).localeCompare(rowName(lang, b), lang);
    const x = figure(a, sort.metric);
    const y = figure(b, sort.metric);
    if (Number.isNaN(x) || Number.isNaN(y)) return Number(Number.isNaN(x)) - Number(Number.isNaN(y));
    return sign * (x - y);
  };
  return [...top, ...[...towns].sort((a, b) => cmp(a, b) || a.code.localeCompare(b.code))];
}

/** The property of the basemap's township polygons that holds their 12-digit code (offline-tiles/README.md). */
export const CODE_PROPERTY = 'code12';
/** The fill of a township the table has no row for. */
export const NO_FILL = 'rgba(0, 0, 0, 0)';

/** The choropleth's fill colour: each township's class colour by its code. */
export function choroplethColour(rows: readonly ReadinessRow[], m: Metric, rules: Pick<ReadinessRules, 'area_per_resident_m2'>): ExpressionSpecification | string {
  const pairs = rows.filter((r) => r.tier === 'township').flatMap((r) => [r.code, LEVEL_COLOUR[level(r, m, rules) ?? 'none']]);
  return pairs.length > 0 ? (['match', ['get', CODE_PROPERTY], ...pairs, NO_FILL] as unknown as ExpressionSpecification) : NO_FILL;
}

/** The choropleth's filter: the townships the table has a row for. */
export function choroplethFilter(rows: readonly ReadinessRow[]): FilterSpecification {
  return ['in', ['get', CODE_PROPERTY], ['literal', rows.filter((r) => r.tier === 'township').map((r) => r.code)]] as FilterSpecification;
}

export interface LegendEntry {
  level: Level;
  label: string;
}

const fmt = (lang: Lang, n: number): string => n.toLocaleString(lang, { maximumFractionDigits: 0 });

/** A share or ratio as a percentage ("71%"; "—" for none). */
export function pct(lang: Lang, v: number): string {
  return Number.isFinite(v) ? v.toLocaleString(lang, { style: 'percent', maximumFractionDigits: 0 }) : '—';
}

/** Square metres per resident, two decimals. */
export const m2 = (lang: Lang, v: number): string => v.toLocaleString(lang, { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** Square kilometres, one decimal. */
export const km2 = (lang: Lang, v: number): string => v.toLocaleString(lang, { minimumFractionDigits: 1, maximumFractionDigits: 1 });

/** The legend of the choropleth by `m`: its classes (and no data, when a row has none). */
export function legend(lang: Lang, m: Metric, rows: readonly ReadinessRow[], rules: Pick<ReadinessRules, 'area_per_resident_m2'>): LegendEntry[] {
  if (m === 'expiring') {
    return [
      { level: 'ok', label: translate(lang, 'readiness.legend.expiring_none') },
      { level: 'short', label: translate(lang, 'readiness.legend.expiring_some') },
    ];
  }
  const bound = (f: number): string => (m === 'shelter' ? `${m2(lang, f * rules.area_per_resident_m2)} m²` : pct(lang, f));
  const out: LegendEntry[] = [
    { level: 'bad', label: translate(lang, 'readiness.legend.lt', { v: bound(0.5) }) },
    { level: 'short', label: translate(lang, 'readiness.legend.range', { a: bound(0.5), b: bound(1) }) },
    { level: 'ok', label: translate(lang, 'readiness.legend.gte', { v: bound(1) }) },
  ];
  if (rows.some((r) => r.tier === 'township' && level(r, m, rules) === 'none')) out.push({ level: 'none', label: translate(lang, 'readiness.legend.none') });
  return out;
}

/** One supply of a row as the expanded cell lists it. */
export interface SupplyLine {
  code: string;
  item: string;
  needed: string;
  available: string;
  ratio: string;
  share: number;
  level: Level;
}

/** A row's supplies, worst first, with units (the catalogue's English unit by item code, for English). */
export function supplyLines(lang: Lang, supplies: readonly SupplyCheck[], unitEn: (code: string) => string | undefined): SupplyLine[] {
  return [...supplies]
    .sort((a, b) => a.ratio - b.ratio || a.item_code.localeCompare(b.item_code))
    .map((s) => {
      const unit = lang === 'en' ? (unitEn(s.item_code) ?? s.unit_zh) : s.unit_zh;
      return {
        code: s.item_code,
        item: pick(lang, s.item_zh, s.item_en),
        needed: translate(lang, 'readiness.needed', { n: fmt(lang, s.needed), unit }),
        available: translate(lang, 'readiness.available', { n: fmt(lang, s.available), unit }),
        ratio: pct(lang, s.ratio),
        share: Math.min(1, Math.max(0, s.ratio)),
        level: ratioLevel(s.ratio),
      };
    });
}

/** The supplies as one line each (the cell's tooltip). */
export function supplyTooltip(lang: Lang, lines: readonly SupplyLine[]): string {
  return lines.length === 0 ? translate(lang, 'readiness.no_supplies') : lines.map((l) => translate(lang, 'readiness.item_line', { item: l.item, needed: l.needed, available: l.available, ratio: l.ratio })).join('\n');
}

/** When the table was measured, "2026-11-23 14:42" (the API's Beijing time as written). */
export function measuredAt(at: string): string {
  const m = /^(\d{4}-\d\d-\d\d)T(\d\d:\d\d)/.exec(at);
  return m ? `${m[1]} ${m[2]}` : at;
}
