// Sync quarantine: what the badge and the list of refused ops say, as pure functions of the
// `quarantine()` answer and the language (unit-tested; QuarantineBadge.svelte and
// QuarantinePanel.svelte only lay the strings out). Reasons are the backend's English text,
// shown as they are.
import type { EntityKind } from './bindings/EntityKind';
import type { Quarantined } from './bindings/Quarantined';
import { translate, type Lang } from './i18n/core';

/** Characters of a node id shown as an op's origin (the full id is in the title). */
export const ORIGIN_CHARS = 8;
/** Characters of a record id shown (the full id is in the title). */
export const ID_CHARS = 8;

/** The label key of each entity kind: the map layers' own "one feature" names where there
 *  is a layer, else a `kind.*` key. */
export const KIND_KEYS: { readonly [K in EntityKind]: string } = {
  incident: 'layer.incidents.one',
  team: 'layer.teams.one',
  warehouse: 'layer.warehouses.one',
  shelter: 'layer.shelters.one',
  hazard: 'layer.hazards.one',
  jurisdiction: 'kind.jurisdiction',
  centre: 'kind.centre',
  stock_line: 'kind.stock_line',
  task: 'kind.task',
  journal: 'kind.journal',
  shift: 'kind.shift',
  dispatch: 'kind.dispatch',
  allocation: 'kind.allocation',
  expert: 'kind.expert',
  team_request: 'kind.team_request',
};

/** One refused op, as the list shows it. */
export interface QuarantineRow {
  /** Local time of refusal, HH:mm:ss. */
  time: string;
  /** Local date and time of refusal, YYYY-MM-DD HH:mm:ss (title of the time cell). */
  when: string;
  /** First ORIGIN_CHARS characters of the origin node id. */
  origin: string;
  originFull: string;
  seq: string;
  kind: string;
  /** Last ID_CHARS characters of the record id (its first ones are its jurisdiction's code). */
  id: string;
  idFull: string;
  actor: string;
  intent: string;
  reason: string;
  logged: boolean;
  /** "已记录于日志" / "未入日志". */
  loggedText: string;
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** Local wall-clock time of a unix-millisecond instant, HH:mm:ss. */
export function formatTime(ms: number): string {
  const d = new Date(ms);
  if (Number.isNaN(d.getTime())) return '--:--:--';
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** Local date and time of a unix-millisecond instant, YYYY-MM-DD HH:mm:ss. */
export function formatDateTime(ms: number): string {
  const d = new Date(ms);
  if (Number.isNaN(d.getTime())) return '';
  return `${pad(d.getFullYear(), 4)}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${formatTime(ms)}`;
}

/** The first `n` characters of an id (whole characters, no ellipsis: a fixed-width prefix). */
export function prefix(id: string, n: number): string {
  return Array.from(id.trim()).slice(0, n).join('');
}

/** The last `n` characters of an id: record ids begin with their jurisdiction's code, so the
 * end is what tells records of one jurisdiction apart. */
export function suffix(id: string, n: number): string {
  const chars = Array.from(id.trim());
  return chars.slice(Math.max(0, chars.length - n)).join('');
}

/** An entity kind in the current language (an unknown kind shows itself). */
export function kindLabel(lang: Lang, kind: string): string {
  const key = (KIND_KEYS as { readonly [k: string]: string | undefined })[kind];
  return key ? translate(lang, key) : kind;
}

/** "已记录于日志" for an op that is in the log (authentic, beyond its origin's rights), else "未入日志". */
export function loggedText(lang: Lang, logged: boolean): string {
  return translate(lang, logged ? 'quarantine.logged' : 'quarantine.not_logged');
}

export function quarantineRow(lang: Lang, q: Quarantined): QuarantineRow {
  const { op } = q;
  return {
    time: formatTime(q.at),
    when: formatDateTime(q.at),
    origin: prefix(op.origin, ORIGIN_CHARS),
    originFull: op.origin,
    seq: String(op.seq),
    kind: kindLabel(lang, op.entity.kind),
    id: suffix(op.entity.id, ID_CHARS),
    idFull: op.entity.id,
    actor: op.actor,
    intent: op.intent,
    reason: q.reason.trim(),
    logged: q.logged,
    loggedText: loggedText(lang, q.logged),
  };
}

/** The badge text, "隔离 N" / "Quarantine N"; null when there is nothing to show. */
export function badgeText(lang: Lang, list: readonly Quarantined[] | null): string | null {
  if (!list || list.length === 0) return null;
  return translate(lang, 'quarantine.badge', { n: list.length.toLocaleString(lang) });
}

/** The badge's accessible name: the count, how many are in the log, and how to open the list. */
export function badgeLabel(lang: Lang, list: readonly Quarantined[]): string {
  const logged = list.filter((q) => q.logged).length;
  return translate(lang, 'quarantine.badge_label', { n: list.length.toLocaleString(lang), logged: logged.toLocaleString(lang) });
}
