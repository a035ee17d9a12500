// The wall's KPI figures from the API's Stats (pure; unit-tested). The same names are the
// `data-kpi` attributes of the numbers on screen and the keys of `__onemap.wall.kpi()`.
import type { Stats } from '../lib/bindings/Stats';

export const TEAM_KEYS = ['standby', 'dispatched', 'en_route', 'on_scene', 'returning'] as const;

export interface Kpi {
  incidents: {
    active: number;
    closed: number;
    total: number;
    /** Active incidents by grade: index 0 ungraded, 1–4 grades Ⅰ–Ⅳ. */
    byGrade: [number, number, number, number, number];
  };
  teams: { byStatus: { key: string; count: number }[]; total: number; people: number };
  shelters: { count: number; capacity: number; occupancy: number; free: number; full: number; percent: number };
  stock: { class: string; onHand: number; lines: number }[];
}

/** Occupancy as a percentage with one decimal (0 when there is no capacity). */
export function percent(part: number, whole: number): number {
  return whole > 0 ? Math.round((part / whole) * 1000) / 10 : 0;
}

export function kpiOf(s: Stats): Kpi {
  const byStatus = s.teams.map((c) => ({ key: c.key, count: c.count }));
  return {
    incidents: { active: s.active, closed: s.closed, total: s.active + s.closed, byGrade: [...s.active_by_grade] },
    teams: { byStatus, total: byStatus.reduce((a, c) => a + c.count, 0), people: s.team_people },
    shelters: {
      count: s.shelters.count,
      capacity: s.shelters.capacity,
      occupancy: s.shelters.occupancy,
      free: Math.max(0, s.shelters.capacity - s.shelters.occupancy),
      full: s.shelters.full,
      percent: percent(s.shelters.occupancy, s.shelters.capacity),
    },
    stock: s.stock.map((c) => ({ class: c.class, onHand: c.on_hand, lines: c.lines })),
  };
}

/** Every KPI number by its name (`incidents.active`, `grade.1`, `teams.standby`, `stock.flood`, …). */
export function flatKpi(k: Kpi): Record<string, number> {
  const out: Record<string, number> = {
    'incidents.active': k.incidents.active,
    'incidents.closed': k.incidents.closed,
    'incidents.total': k.incidents.total,
    'teams.total': k.teams.total,
    'teams.people': k.teams.people,
    'shelters.count': k.shelters.count,
    'shelters.capacity': k.shelters.capacity,
    'shelters.occupancy': k.shelters.occupancy,
    'shelters.percent': k.shelters.percent,
    'shelters.full': k.shelters.full,
  };
  k.incidents.byGrade.forEach((n, g) => (out[`grade.${g}`] = n));
  for (const t of k.teams.byStatus) out[`teams.${t.key}`] = t.count;
  for (const c of k.stock) out[`stock.${c.class}`] = c.onHand;
  return out;
}
