// The spotlight card's facts from an incident record (pure; unit-tested).
import type { EntityDetail } from '../lib/bindings/EntityDetail';
import type { MapFeature } from '../lib/bindings/MapFeature';

export interface IncidentFacts {
  title: string;
  category: string;
  subtype: string;
  /** 1–4, or 0 when ungraded. */
  grade: number;
  jurisdiction: string;
  /** RFC 3339, as recorded. */
  onset: string;
  status: string;
  dead: number;
  missing: number;
  injured: number;
  affected: number;
  relocated: number;
  /** Only what the map feature tells (the record is still being read): no figures yet. */
  partial: boolean;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const int = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : 0);

export function incidentFacts(d: EntityDetail): IncidentFacts {
  const f = d.record.fields;
  const c = typeof f['casualties'] === 'object' && f['casualties'] !== null ? (f['casualties'] as Record<string, unknown>) : {};
  return {
    title: str(f['title']) || str(f['name']),
    category: str(f['category']),
    subtype: str(f['subtype']),
    grade: int(f['grade']),
    jurisdiction: str(f['jurisdiction']),
    onset: str(f['onset']),
    status: str(f['status']),
    dead: int(c['dead']),
    missing: int(c['missing']),
    injured: int(c['injured']),
    affected: int(f['affected']),
    relocated: int(f['relocated']),
    partial: false,
  };
}

/** What the card can show at once from the map feature, while the record is read. */
export function featureFacts(f: MapFeature): IncidentFacts {
  return {
    title: f.name,
    category: f.class,
    subtype: '',
    grade: f.grade,
    jurisdiction: '',
    onset: '',
    status: f.status,
    dead: 0,
    missing: 0,
    injured: 0,
    affected: 0,
    relocated: 0,
    partial: true,
  };
}

/** "MM-DD HH:mm" in a time zone (Beijing time on the wall); the input itself when unreadable. */
export function shortTime(rfc3339: string, timeZone = 'Asia/Shanghai'): string {
  const ms = Date.parse(rfc3339);
  if (!Number.isFinite(ms)) return rfc3339;
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone, month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(new Date(ms));
  const get = (t: Intl.DateTimeFormatPartTypes): string => parts.find((p) => p.type === t)?.value ?? '00';
  return `${get('month')}-${get('day')} ${get('hour')}:${get('minute')}`;
}
