// The registries' import and export model (导入导出): registries and formats and which format a
// registry exports to, a file's bytes as base64, the column mapping as shown and sent, an
// import's problems as table rows, what blocks a commit, and a running import's progress as a
// fraction and a text. Pure (language passed in), unit-tested.
import type { Diagnostic } from '../../bindings/Diagnostic';
import type { FileFormat } from '../../bindings/FileFormat';
import type { ImportProgress } from '../../bindings/ImportProgress';
import type { ImportReport } from '../../bindings/ImportReport';
import type { Registry } from '../../bindings/Registry';
import { DICTS, translate, type Lang } from '../../i18n/core';

export const REGISTRIES: readonly Registry[] = ['teams', 'warehouses', 'stock', 'shelters', 'hazards'];
export const FORMATS: readonly FileFormat[] = ['csv', 'xlsx', 'geo_json', 'kml'];
/** The files the import takes (the extension says the format). */
export const ACCEPT = '.csv,.xlsx,.geojson,.json,.kml';
/** How often a running import's progress is read. */
export const POLL_MS = 250;

/** Whether a registry exports to a format: stock lines have no place of their own (CSV, XLSX only). */
export function exportable(registry: Registry, format: FileFormat): boolean {
  return registry !== 'stock' || format === 'csv' || format === 'xlsx';
}

/** Base64 of bytes, in chunks (a whole file at once overflows the argument list). */
export function toBase64(bytes: ArrayBuffer | Uint8Array): string {
  const u8 = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  const CHUNK = 0x8000;
  let bin = '';
  for (let i = 0; i < u8.length; i += CHUNK) bin += String.fromCharCode(...u8.subarray(i, i + CHUNK));
  return btoa(bin);
}

/** A file's bytes as base64 (as the import takes them). */
export async function fileToBase64(file: Blob): Promise<string> {
  return toBase64(await file.arrayBuffer());
}

/** The mapping of a report, every registry column spelt out ('' : not imported), to send back. */
export function mappingOf(report: Pick<ImportReport, 'columns'>): Record<string, string> {
  return Object.fromEntries(report.columns.map((c) => [c.column, c.source ?? '']));
}

/** What one row of the file is called, as the dictionaries know it. */
export type Noun = 'line' | 'row' | 'feature' | 'placemark';
export function nounOf(rowNoun: string): Noun {
  return rowNoun === 'line' || rowNoun === 'feature' || rowNoun === 'placemark' ? rowNoun : 'row';
}

/** `n` rows of the file in words: "2 行", "1 line", "3 features". */
export function rowsText(lang: Lang, rowNoun: string, n: number): string {
  const noun = nounOf(rowNoun);
  return translate(lang, n === 1 ? `registry.unit1.${noun}` : `registry.unit.${noun}`, { n: n.toLocaleString(lang) });
}

/** A registry column's name in words (the column id itself when the dictionaries have none). */
export function columnLabel(lang: Lang, column: string): string {
  const key = `registry.col.${column}`;
  return key in DICTS[lang] ? translate(lang, key) : column;
}

/** One line of the problems table: where (the row number in the file's terms; null: the whole file), which column, what. */
export interface ErrorRow {
  line: number | null;
  field: string;
  message: string;
}

/** Problems as table rows, in the file's order (the API's line numbers arrive as JSON numbers). */
export function errorRows(diagnostics: readonly Diagnostic[]): ErrorRow[] {
  return diagnostics
    .map((d) => ({ line: Number(d.line) > 0 ? Number(d.line) : null, field: d.field, message: d.message }))
    .sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
}

/** A checked report with the problems a refused commit named (the store may have changed since the check). */
export function withProblems(r: ImportReport, diagnostics: Diagnostic[]): ImportReport {
  const bad = new Set(diagnostics.map((d) => Number(d.line)).filter((l) => l > 0));
  return { ...r, errors: diagnostics, valid: Math.max(0, r.rows - bad.size) };
}

/** How many rows are bad. */
export const badRows = (r: Pick<ImportReport, 'rows' | 'valid'>): number => r.rows - r.valid;

/** Why the commit is refused (null: nothing stops it): bad rows, or problems with the whole file or the mapping. */
export function blockedText(lang: Lang, r: Pick<ImportReport, 'rows' | 'valid' | 'errors' | 'row_noun'>): string | null {
  if (r.errors.length === 0 && r.rows > 0) return null;
  if (r.rows === 0) return translate(lang, 'registry.empty');
  const bad = badRows(r);
  return bad > 0 ? translate(lang, 'registry.blocked', { rows: rowsText(lang, r.row_noun, bad) }) : translate(lang, 'registry.blocked_file', { n: r.errors.length.toLocaleString(lang) });
}

/** Where each phase of an import lies on the whole bar: reading, checking, writing. */
const PHASES: { readonly [phase: string]: readonly [number, number] } = { read: [0, 0.1], check: [0.1, 0.7], write: [0.7, 1], done: [1, 1] };

/** A running import's progress over the whole bar, 0…1. */
export function progressFraction(p: ImportProgress): number {
  const [lo, hi] = PHASES[p.phase] ?? [0, 0];
  const part = p.total > 0 ? Math.min(1, p.done / p.total) : 0;
  return lo + (hi - lo) * part;
}

/** A running import's progress in words: "检查 1,000 / 5,000", "写入 2 / 2" (reading: the phase alone). */
export function progressText(lang: Lang, p: ImportProgress): string {
  const phase = translate(lang, `registry.phase.${p.phase in PHASES ? p.phase : 'read'}`);
  if (p.phase === 'read' || p.phase === 'done' || p.total === 0) return phase;
  return translate(lang, 'registry.progress', { phase, done: p.done.toLocaleString(lang), total: p.total.toLocaleString(lang) });
}
