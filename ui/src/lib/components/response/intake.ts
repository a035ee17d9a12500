// The intake form's values as records (接报): the facts `suggest` measures, the default title,
// the jurisdiction typed as a name or a code, Beijing-time onset, the incident body and the
// journal lines (reporter, grading override). Pure (language and lists passed in), unit-tested.
import type { Density } from '../../bindings/Density';
import type { EntityBody } from '../../bindings/EntityBody';
import type { Facts } from '../../bindings/Facts';
import type { Grade } from '../../bindings/Grade';
import type { JurisdictionSummary } from '../../bindings/JurisdictionSummary';
import type { Point } from '../../bindings/Point';
import { pick, translate, type Lang } from '../../i18n/core';

/** The numbers of the form as the inputs hold them (null or NaN: left empty). */
export interface Figures {
  dead: number | null;
  missing: number | null;
  injured: number | null;
  affected: number | null;
  relocated: number | null;
  houses_damaged: number | null;
  direct_loss_cny: number | null;
  /** Forest fires only. */
  burned_area_ha?: number | null;
  /** Earthquakes only. */
  magnitude?: number | null;
  density?: Density | null;
}

/** The subtypes whose rules measure an extra fact, and that fact. */
export const EXTRA_FACT: { readonly [subtype: string]: 'burned_area_ha' | 'magnitude' } = {
  forest_grass_fire: 'burned_area_ha',
  earthquake: 'magnitude',
};

/** A head count or amount: a whole number ≥ 0 (empty, negative or not a number: 0). */
export function count(v: number | null | undefined): number {
  return typeof v === 'number' && Number.isFinite(v) && v > 0 ? Math.floor(v) : 0;
}

/** A measured quantity ≥ 0 with decimals, or null when not given. */
function measure(v: number | null | undefined): number | null {
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : null;
}

/** The facts `suggest` grades by, from the form (extra facts only for their subtype). */
export function factsOf(f: Figures, subtype: string): Facts {
  const extra = EXTRA_FACT[subtype];
  return {
    dead: count(f.dead),
    missing: count(f.missing),
    injured: count(f.injured),
    relocated: count(f.relocated),
    affected: count(f.affected),
    houses_damaged: count(f.houses_damaged),
    direct_loss_cny: count(f.direct_loss_cny),
    burned_area_ha: extra === 'burned_area_ha' ? measure(f.burned_area_ha) : null,
    magnitude: extra === 'magnitude' ? measure(f.magnitude) : null,
    density: extra === 'magnitude' ? (f.density ?? null) : null,
  };
}

const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

/** The facts of a stored incident record (its fields as `entity()` answers them). */
export function factsOfRecord(fields: Record<string, unknown>): Facts {
  const c = (typeof fields['casualties'] === 'object' && fields['casualties'] !== null ? fields['casualties'] : {}) as Record<string, unknown>;
  return factsOf(
    {
      dead: num(c['dead']),
      missing: num(c['missing']),
      injured: num(c['injured']),
      affected: num(fields['affected']),
      relocated: num(fields['relocated']),
      houses_damaged: num(fields['houses_damaged']),
      direct_loss_cny: num(fields['direct_loss_cny']),
    },
    '',
  );
}

/** The default title: place and subtype ("江东乡水旱灾害", "Flood and drought, Jiangdong"). */
export function defaultTitle(lang: Lang, place: string, subtype: string): string {
  if (!place) return subtype;
  if (!subtype) return place;
  return translate(lang, 'response.intake.title_pattern', { place, subtype });
}

/** What a datalist option of a jurisdiction holds (name and code; either is matched). */
export const jurisdictionOption = (j: JurisdictionSummary, lang: Lang): string => `${pick(lang, j.name_zh, j.name_en)} ${j.code}`;

/**
 * The jurisdiction meant by what the operator typed: a 12-digit code (also inside an option's
 * text), a 6-digit county code, a Chinese or English name, or a unique start or part of one.
 * Null when nothing or more than one fits.
 */
export function matchJurisdiction(list: readonly JurisdictionSummary[], text: string): JurisdictionSummary | null {
  const q = text.trim();
  if (!q) return null;
  const code = /\b(\d{12})\b/.exec(q)?.[1] ?? (/^\d{6}$/.test(q) ? `${q}000000` : null);
  if (code) return list.find((j) => j.code === code) ?? null;
  const low = q.toLowerCase();
  const names = (j: JurisdictionSummary) => [j.name_zh, j.name_en.toLowerCase()];
  const exact = list.filter((j) => names(j).includes(low));
  if (exact.length === 1) return exact[0] ?? null;
  for (const test of [(n: string) => n.startsWith(low), (n: string) => n.includes(low)]) {
    const hits = list.filter((j) => names(j).some((n) => n !== '' && test(n)));
    if (hits.length === 1) return hits[0] ?? null;
    if (hits.length > 1) return null;
  }
  return null;
}

const BEIJING_MS = 8 * 3600_000;

/** A moment as the onset field writes it: "YYYY-MM-DD HH:mm" in Beijing time (UTC+8, no
 *  daylight saving), whatever the machine's zone and locale. */
export function beijingInput(ms: number): string {
  return new Date(ms + BEIJING_MS).toISOString().slice(0, 16).replace('T', ' ');
}

/** The onset field read as Beijing time ("YYYY-MM-DD HH:mm[:ss]", also with "T" or "/") →
 *  RFC 3339 with +08:00; null if it is not a real time. */
export function fromBeijingInput(value: string): string | null {
  const m = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(value.trim());
  if (!m) return null;
  const [, y, mo, d, h, mi, s] = m;
  const p2 = (x: string | undefined) => (x ?? '00').padStart(2, '0');
  const iso = `${y}-${p2(mo)}-${p2(d)}T${p2(h)}:${mi}:${p2(s)}+08:00`;
  const t = Date.parse(iso);
  // Date.parse rolls 02-30 over to March: a real time reads back the same in Beijing.
  return Number.isNaN(t) || beijingInput(t) !== `${y}-${p2(mo)}-${p2(d)} ${p2(h)}:${mi}` ? null : iso;
}

/** A grade as written in a journal line: "Ⅳ级（一般）", or 未定级. */
export function gradeText(lang: Lang, grades: readonly Grade[], id: number | null): string {
  const g = id === null ? undefined : grades.find((x) => x.id === id);
  return g ? translate(lang, 'response.grade_named', { roman: g.roman, name: pick(lang, g.zh, g.en) }) : translate(lang, 'response.ungraded');
}

/** The journal line of a grade chosen against the suggestion (null when they agree). */
export function gradingNote(lang: Lang, grades: readonly Grade[], suggested: number | null, chosen: number | null, reason: string): string | null {
  if (suggested === chosen) return null;
  return translate(lang, 'response.intake.grade_note', {
    suggested: gradeText(lang, grades, suggested),
    chosen: gradeText(lang, grades, chosen),
    reason: reason.trim(),
  });
}

/** The journal line of the call: reporter, phone and the facts the record has no field for. */
export function reportNote(lang: Lang, reporter: string, phone: string, extras: readonly string[] = []): string | null {
  const parts: string[] = [];
  if (reporter.trim()) parts.push(translate(lang, 'response.intake.note_reporter', { name: reporter.trim() }));
  if (phone.trim()) parts.push(translate(lang, 'response.intake.note_phone', { phone: phone.trim() }));
  parts.push(...extras);
  if (parts.length === 0) return null;
  return translate(lang, 'response.intake.report_note', { text: parts.join(translate(lang, 'response.sep')) });
}

export interface IncidentDraft {
  title: string;
  category: string;
  subtype: string;
  grade: number | null;
  jurisdiction: string;
  location: Point;
  onset: string;
  figures: Figures;
  description: string;
}

/** The incident record to create (active). */
export function incidentBody(d: IncidentDraft): EntityBody {
  return {
    entity_kind: 'incident',
    title: d.title.trim(),
    category: d.category,
    subtype: d.subtype,
    grade: d.grade,
    jurisdiction: d.jurisdiction,
    location: { lon: d.location.lon, lat: d.location.lat },
    onset: d.onset,
    casualties: { dead: count(d.figures.dead), missing: count(d.figures.missing), injured: count(d.figures.injured) },
    affected: count(d.figures.affected),
    relocated: count(d.figures.relocated),
    houses_damaged: count(d.figures.houses_damaged),
    direct_loss_cny: count(d.figures.direct_loss_cny),
    status: 'active',
    description: d.description.trim(),
  };
}
