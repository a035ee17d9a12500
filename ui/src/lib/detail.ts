// Turns an entity's record into labelled, translated rows for the detail panel.
// Pure (language and bootstrap passed in), so it is unit-tested.
import type { Bootstrap } from './bindings/Bootstrap';
import type { Layer } from './bindings/Layer';
import type { MapFeature } from './bindings/MapFeature';
import type { StockRow } from './bindings/StockRow';
import type { Term } from './bindings/Term';
import { pick, translate, type Lang } from './i18n/core';

export interface Ctx {
  lang: Lang;
  boot: Bootstrap;
}

export interface Row {
  key: string;
  label: string;
  value: string;
}

/** Fields shown first, in this order; any other field follows alphabetically. */
const ORDER = [
  'name', 'title', 'team_type', 'category', 'subtype', 'grade', 'hazard_kind', 'shelter_type', 'kind', 'tier', 'status',
  'headcount', 'specialties', 'equipment', 'readiness_min', 'onset', 'casualties', 'affected', 'relocated', 'houses_damaged',
  'direct_loss_cny', 'threatened_people', 'effective_area_m2', 'per_capita_m2', 'facilities', 'holder', 'owner', 'base',
  'jurisdiction', 'location', 'description',
];

const tr = (c: Ctx, key: string, params?: { [k: string]: string | number }) => translate(c.lang, key, params);
const termOf = (c: Ctx, list: readonly Term[] | undefined, id: string) => {
  const t = list?.find((x) => x.id === id);
  return t ? pick(c.lang, t.zh, t.en) : id;
};
const fmtNum = (c: Ctx, n: number) => n.toLocaleString(c.lang);

/** Label of a dictionary-backed enum value, e.g. status.team.standby; the raw value if unknown. */
export function enumLabel(c: Ctx, prefix: string, value: string): string {
  const key = `${prefix}.${value}`;
  const s = tr(c, key);
  return s === key ? value : s;
}

export function jurisdictionName(c: Ctx, code: string): string {
  const j = c.boot.jurisdictions.find((x) => x.code === code);
  return j ? pick(c.lang, j.name_zh, j.name_en) : code;
}

export function formatLocation(lon: number, lat: number): string {
  const ew = lon >= 0 ? 'E' : 'W';
  const ns = lat >= 0 ? 'N' : 'S';
  return `${Math.abs(lon).toFixed(5)}°${ew}, ${Math.abs(lat).toFixed(5)}°${ns}`;
}

export function formatTime(c: Ctx, iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString(c.lang, { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false });
}

/** Taxonomy label of a feature's class (team type, incident category, …). */
export function classLabel(c: Ctx, layer: Layer, cls: string): string {
  const tax = c.boot.taxonomy;
  switch (layer) {
    case 'teams':
      return termOf(c, tax.team_type, cls);
    case 'incidents':
      return termOf(c, tax.category, cls);
    case 'warehouses':
      return enumLabel(c, 'tier', cls);
    case 'shelters':
      return termOf(c, tax.shelter_type, cls);
    case 'hazards':
      return termOf(c, tax.hazard_kind, cls);
  }
}

/** Label of a feature's status (team status, shelter open/full, hazard grade, …). */
export function statusLabel(c: Ctx, f: Pick<MapFeature, 'layer' | 'class' | 'status'>): string {
  switch (f.layer) {
    case 'teams':
      return enumLabel(c, 'status.team', f.status);
    case 'incidents':
      return enumLabel(c, 'status.incident', f.status);
    case 'shelters':
      return enumLabel(c, 'status.shelter', f.status);
    case 'warehouses':
      return termOf(c, c.boot.taxonomy.warehouse_kind, f.status);
    case 'hazards':
      return termOf(c, c.boot.taxonomy.hazard_kind.find((k) => k.id === f.class)?.grade, f.status);
  }
}

function isObj(v: unknown): v is { [k: string]: unknown } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** One field value, readable and translated. */
export function formatField(c: Ctx, kind: string, key: string, value: unknown, fields: { [k: string]: unknown } = {}): string {
  const tax = c.boot.taxonomy;
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'boolean') return tr(c, value ? 'value.yes' : 'value.no');
  switch (key) {
    case 'team_type':
      return termOf(c, tax.team_type, String(value));
    case 'specialties':
      return Array.isArray(value) ? value.map((s) => termOf(c, tax.specialty, String(s))).join(tr(c, 'value.list_sep')) : String(value);
    case 'category':
      return termOf(c, tax.category, String(value));
    case 'subtype':
      return termOf(c, tax.category.find((x) => x.id === fields['category'])?.subtype, String(value));
    case 'grade':
      if (typeof value === 'number') {
        const g = tax.grade.find((x) => x.id === value);
        return g ? `${g.roman} ${pick(c.lang, g.zh, g.en)}` : String(value);
      }
      return termOf(c, tax.hazard_kind.find((k) => k.id === fields['hazard_kind'])?.grade, String(value));
    case 'hazard_kind':
      return termOf(c, tax.hazard_kind, String(value));
    case 'shelter_type':
      return termOf(c, tax.shelter_type, String(value));
    case 'kind':
      return kind === 'warehouse' ? termOf(c, tax.warehouse_kind, String(value)) : String(value);
    case 'tier':
      return enumLabel(c, 'tier', String(value));
    case 'reserve_mode':
      return termOf(c, tax.reserve_mode, String(value));
    case 'status':
      return enumLabel(c, `status.${kind}`, String(value));
    case 'owner':
    case 'base':
    case 'jurisdiction':
      return typeof value === 'string' && /^\d{12}$/.test(value) ? `${jurisdictionName(c, value)} (${value})` : String(value);
    case 'location':
      if (isObj(value) && typeof value['lon'] === 'number' && typeof value['lat'] === 'number') return formatLocation(value['lon'], value['lat']);
      break;
    case 'onset':
    case 'due':
    case 'at':
      return formatTime(c, String(value));
    case 'casualties':
      if (isObj(value)) {
        return ['dead', 'missing', 'injured'].map((k) => `${tr(c, `casualties.${k}`)} ${fmtNum(c, Number(value[k] ?? 0))}`).join(' · ');
      }
      break;
    case 'equipment':
      if (Array.isArray(value)) {
        return value.map((e) => (isObj(e) ? `${String(e['name'])} ×${String(e['count'])}` : String(e))).join(tr(c, 'value.list_sep'));
      }
      break;
    case 'facilities':
      if (Array.isArray(value)) return value.map((f) => enumLabel(c, 'facility', String(f))).join(tr(c, 'value.list_sep'));
      break;
    case 'direct_loss_cny':
      return tr(c, 'unit.cny', { n: fmtNum(c, Number(value)) });
    case 'effective_area_m2':
      return tr(c, 'unit.m2', { n: fmtNum(c, Number(value)) });
    case 'per_capita_m2':
      return tr(c, 'unit.m2_per_person', { n: fmtNum(c, Number(value)) });
    case 'readiness_min':
      return tr(c, 'unit.minutes', { n: fmtNum(c, Number(value)) });
    case 'headcount':
    case 'affected':
    case 'relocated':
    case 'threatened_people':
      return tr(c, 'unit.people', { n: fmtNum(c, Number(value)) });
    case 'houses_damaged':
      return tr(c, 'unit.houses', { n: fmtNum(c, Number(value)) });
  }
  if (typeof value === 'number') return fmtNum(c, value);
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map((v) => (isObj(v) ? JSON.stringify(v) : String(v))).join(tr(c, 'value.list_sep'));
  return JSON.stringify(value);
}

export function fieldLabel(c: Ctx, key: string): string {
  const k = `field.${key}`;
  const s = tr(c, k);
  return s === k ? key : s;
}

/** All fields of a record as rows, known ones first in a sensible order. */
export function fieldRows(c: Ctx, kind: string, fields: { [k: string]: unknown }): Row[] {
  const keys = Object.keys(fields);
  const rank = (k: string) => {
    const i = ORDER.indexOf(k);
    return i < 0 ? ORDER.length : i;
  };
  keys.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  return keys.map((key) => ({ key, label: fieldLabel(c, key), value: formatField(c, kind, key, fields[key], fields) }));
}

/** Days from `today` to an ISO date (negative when past). */
export function daysUntil(isoDate: string, today: Date): number {
  const d = Date.parse(`${isoDate}T00:00:00`);
  const t = new Date(today.getFullYear(), today.getMonth(), today.getDate()).getTime();
  return Math.round((d - t) / 86_400_000);
}

/** A stock row whose expiry is within `days` (or already passed) must be rotated soon. */
export function expiresSoon(row: Pick<StockRow, 'expiry'>, today: Date, days = 90): boolean {
  return row.expiry !== null && row.expiry !== '' && daysUntil(row.expiry, today) <= days;
}
