// The record editor's values and their way to the host: a record's fields as the form's values
// (all typed text kept as typed), the values checked and turned into the record's body for
// `upsert` (numbers parsed, blank optional ones null, equipment rows as EquipmentLine[], the
// closed flag, a location in China, a date, a `;`-separated list), and a refusal by the host
// placed beside the field it names. Pure, unit-tested.
import type { Bootstrap } from '../../bindings/Bootstrap';
import type { EntityBody } from '../../bindings/EntityBody';
import type { EquipmentLine } from '../../bindings/EquipmentLine';
import type { Point } from '../../bindings/Point';
import { translate, type Lang } from '../../i18n/core';
import { refusal } from '../dispatch/refusal';
import { SCHEMAS, type FormKind } from './schema';

export interface EquipmentRow {
  name: string;
  count: string;
}

export interface FormValues {
  /** Text, number, select and jurisdiction fields, as typed or chosen. */
  text: Record<string, string>;
  /** Check lists (specialties, facilities). */
  multi: Record<string, string[]>;
  /** Flags (a shelter's closed). */
  flag: Record<string, boolean>;
  equipment: EquipmentRow[];
  lon: string;
  lat: string;
}

const str = (v: unknown): string => (v === null || v === undefined ? '' : String(v));

/** How a list field's items are written in its one line of text; typed, `;` or `；` separates them. */
const LIST_SEP = '; ';

/** A list typed as text: its items, trimmed, blank ones dropped. */
export const splitList = (text: string): string[] =>
  text
    .split(/[;；]/)
    .map((x) => x.trim())
    .filter((x) => x !== '');

/** A record's fields as the form's values. */
export function valuesOf(kind: FormKind, fields: { readonly [k: string]: unknown }): FormValues {
  const out: FormValues = { text: {}, multi: {}, flag: {}, equipment: [], lon: '', lat: '' };
  for (const spec of SCHEMAS[kind]) {
    const v = fields[spec.key];
    switch (spec.control) {
      case 'multi':
        out.multi[spec.key] = Array.isArray(v) ? v.map(str) : [];
        break;
      case 'flag':
        out.flag[spec.key] = v === true;
        break;
      case 'equipment':
        out.equipment = Array.isArray(v) ? v.map((e: { name?: unknown; count?: unknown }) => ({ name: str(e?.name), count: str(e?.count) })) : [];
        break;
      case 'location': {
        const p = (v ?? {}) as { lon?: unknown; lat?: unknown };
        out.lon = str(p.lon);
        out.lat = str(p.lat);
        break;
      }
      case 'list':
        out.text[spec.key] = Array.isArray(v) ? v.map(str).join(LIST_SEP) : str(v);
        break;
      default:
        out.text[spec.key] = str(v);
    }
  }
  return out;
}

/** China's rough extent, as the host checks a location (geo.rs). */
const CHINA = { lon: [73, 135.5], lat: [3, 54] } as const;

const inside = (v: number, [lo, hi]: readonly [number, number]) => v >= lo && v <= hi;

/** What is wrong with a location typed as text (an error key with its parameters), or the point. */
export function checkPoint(lonText: string, latText: string): { ok: true; point: Point } | { ok: false; error: string } {
  const lon = Number(lonText.trim());
  const lat = Number(latText.trim());
  if (lonText.trim() === '' || latText.trim() === '' || !Number.isFinite(lon) || !Number.isFinite(lat)) return { ok: false, error: 'editor.err.coord' };
  if (inside(lon, CHINA.lon) && inside(lat, CHINA.lat)) return { ok: true, point: { lon, lat } };
  return { ok: false, error: inside(lat, CHINA.lon) && inside(lon, CHINA.lat) ? 'editor.err.swapped' : 'editor.err.china' };
}

const WHOLE = /^\d+$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

function equipmentOf(rows: readonly EquipmentRow[]): { ok: true; lines: EquipmentLine[] } | { ok: false; error: string } {
  const lines: EquipmentLine[] = [];
  // A row left blank (added, never filled) is no line.
  for (const r of rows.filter((r) => r.name.trim() !== '' || r.count.trim() !== '')) {
    if (r.name.trim() === '') return { ok: false, error: 'editor.err.equipment_name' };
    if (!WHOLE.test(r.count.trim())) return { ok: false, error: 'editor.err.equipment_count' };
    lines.push({ name: r.name.trim(), count: Number(r.count.trim()) });
  }
  return { ok: true, lines };
}

export type Built = { ok: true; body: EntityBody } | { ok: false; errors: Record<string, string> };

/** The values checked (errors by field, in the operator's language) and, when all is well, the record's body. */
export function toBody(lang: Lang, kind: FormKind, values: FormValues): Built {
  const body: Record<string, unknown> = { entity_kind: kind };
  const errors: Record<string, string> = {};
  const fail = (key: string, error: string) => (errors[key] = translate(lang, error, { lon: `${CHINA.lon[0]}–${CHINA.lon[1]}`, lat: `${CHINA.lat[0]}–${CHINA.lat[1]}` }));
  for (const spec of SCHEMAS[kind]) {
    const text = (values.text[spec.key] ?? '').trim();
    switch (spec.control) {
      case 'text':
        if (spec.required && text === '') fail(spec.key, 'editor.err.required');
        body[spec.key] = text;
        break;
      case 'paragraph':
        body[spec.key] = text;
        break;
      case 'select':
        if (text === '') fail(spec.key, 'editor.err.choose');
        body[spec.key] = text;
        break;
      case 'int':
        if (spec.optional && text === '') body[spec.key] = null;
        else if (!WHOLE.test(text) || !Number.isSafeInteger(Number(text))) fail(spec.key, 'editor.err.int');
        else body[spec.key] = Number(text);
        break;
      case 'date':
        if (text !== '' && !DATE.test(text)) fail(spec.key, 'editor.err.date');
        body[spec.key] = text === '' ? null : text;
        break;
      case 'list':
        body[spec.key] = splitList(text);
        break;
      case 'fixed':
        body[spec.key] = text;
        break;
      case 'number': {
        const n = Number(text);
        if (text === '' || !Number.isFinite(n) || n < 0) fail(spec.key, 'editor.err.number');
        body[spec.key] = n;
        break;
      }
      case 'code':
        if (!/^\d{12}$/.test(text)) fail(spec.key, 'editor.err.code');
        body[spec.key] = text;
        break;
      case 'multi':
        body[spec.key] = [...(values.multi[spec.key] ?? [])];
        break;
      case 'flag':
        body[spec.key] = values.flag[spec.key] === true;
        break;
      case 'equipment': {
        const e = equipmentOf(values.equipment);
        if (e.ok) body[spec.key] = e.lines;
        else fail(spec.key, e.error);
        break;
      }
      case 'location': {
        const p = checkPoint(values.lon, values.lat);
        if (p.ok) body[spec.key] = p.point;
        else fail(spec.key, p.error);
        break;
      }
    }
  }
  // The schema lists exactly the binding's fields of the kind (a unit test holds them together).
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, body: body as unknown as EntityBody };
}

/** A hazard's grade kept among its kind's grades (the first of them when the kind changed). */
export function gradeFor(boot: Pick<Bootstrap, 'taxonomy'>, hazardKind: string, grade: string): string {
  const grades = boot.taxonomy.hazard_kind.find((k) => k.id === hazardKind)?.grade ?? [];
  return grades.some((g) => g.id === grade) ? grade : (grades[0]?.id ?? '');
}

/** The field a `validation.field` refusal names (``field `name`: …``) and what it says, or null. */
export function refusedField(f: { code: string; message: string }): { field: string; message: string } | null {
  if (f.code !== 'validation.field') return null;
  const m = /^field `([^`]+)`:\s*([\s\S]*)$/.exec(f.message);
  return m ? { field: m[1] as string, message: m[2] as string } : null;
}

/** The host's names of fields the form shows under another (a location's parts, import column names). */
const ALIAS: { readonly [k: string]: string } = { lon: 'location', lat: 'location', owner_code: 'owner', base_code: 'base', jurisdiction_code: 'jurisdiction' };

/**
 * A refusal as the form shows it: beside the field it names (`field`), or above the buttons
 * (`field` null) when it names none of the form's fields.
 */
export function placeRefusal(lang: Lang, kind: FormKind, f: { code: string; message: string }): { field: string | null; text: string } {
  const named = refusedField(f);
  const key = named ? (ALIAS[named.field] ?? named.field) : null;
  if (named && key && SCHEMAS[kind].some((s) => s.key === key)) return { field: key, text: refusal(lang, { code: f.code, message: named.message }) };
  return { field: null, text: refusal(lang, f) };
}
