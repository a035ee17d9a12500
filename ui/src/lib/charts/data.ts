// Shapes the API's figures (Stats) into chart series (pure; unit-tested). The chart
// components take only these plain shapes, so any layout can feed them.
import type { CategoryCount } from '../bindings/CategoryCount';
import type { Count } from '../bindings/Count';
import type { StockPoint } from '../bindings/StockPoint';

/** One series of a chart: a colour per series, or one per bar. */
export interface Series {
  key: string;
  label: string;
  colour: string | string[];
  values: number[];
}

export interface ChartData {
  labels: string[];
  series: Series[];
}

/** Colours of the catalogue's item classes (stock charts and panels). */
export const STOCK_CLASS_COLOUR: { readonly [cls: string]: string } = {
  living: '#ffb020',
  flood: '#4fd1ff',
  forest_fire: '#ff6b3d',
  equipment: '#c39bff',
  engineering: '#7bed9f',
  other: '#9fb4cc',
};
const EXTRA = ['#f368e0', '#00d2d3', '#feca57', '#54a0ff'];

/** The colour of an item class (a fixed one for the catalogue's classes). */
export function stockClassColour(cls: string, index = 0): string {
  return STOCK_CLASS_COLOUR[cls] ?? EXTRA[index % EXTRA.length] ?? '#9fb4cc';
}

export interface StockSteps {
  /** Start of each step (Unix ms), oldest first. */
  steps: number[];
  /** On hand at the end of each step, by class (one value per step). */
  byClass: { class: string; values: number[] }[];
}

/**
 * Stock on hand by class, one value per step from the first step of the history to the step
 * holding `nowMs` (the last known figure carries forward: nothing moved since), keeping the
 * last `maxSteps` steps. A class before its first movement has 0.
 */
export function stockSteps(points: readonly StockPoint[], stepSecs: number, nowMs: number, maxSteps = 48): StockSteps {
  if (points.length === 0 || stepSecs <= 0) return { steps: [], byClass: [] };
  const stepMs = stepSecs * 1000;
  const classes = [...new Set(points.map((p) => p.class))].sort();
  const at = new Map<number, Map<string, number>>();
  for (const p of points) {
    let m = at.get(p.at_ms);
    if (!m) at.set(p.at_ms, (m = new Map()));
    m.set(p.class, p.on_hand);
  }
  const known = [...at.keys()].sort((a, b) => a - b);
  const first = known[0] as number;
  const last = known[known.length - 1] as number;
  // Steps are aligned on `first` (the API aligns them on CST days or hours).
  const end = Math.max(last, first + Math.floor((nowMs - first) / stepMs) * stepMs);
  const steps: number[] = [];
  for (let t = first; t <= end; t += stepMs) steps.push(t);
  const kept = steps.slice(Math.max(0, steps.length - maxSteps));
  const current = new Map<string, number>(classes.map((c) => [c, 0]));
  const values = new Map<string, number[]>(classes.map((c) => [c, []]));
  for (const t of steps) {
    const m = at.get(t);
    if (m) for (const [c, v] of m) current.set(c, v);
    if (t < (kept[0] as number)) continue;
    for (const c of classes) values.get(c)?.push(current.get(c) ?? 0);
  }
  return { steps: kept, byClass: classes.map((c) => ({ class: c, values: values.get(c) ?? [] })) };
}

/** A grade as the category chart needs it (the taxonomy's `Grade` is one). */
export interface GradeColour {
  id: number;
  label: string;
  colour: string;
}

/**
 * Incidents by category, stacked by grade: one series per grade (Ⅰ–Ⅳ, in the taxonomy's
 * order) and one for ungraded incidents when there are any.
 */
export function categoryByGrade(
  counts: readonly CategoryCount[],
  grades: readonly GradeColour[],
  categoryLabel: (c: CategoryCount) => string,
  ungraded: { label: string; colour: string },
): ChartData {
  const labels = counts.map(categoryLabel);
  const series: Series[] = grades.map((g) => ({
    key: `grade-${g.id}`,
    label: g.label,
    colour: g.colour,
    values: counts.map((c) => c.by_grade[g.id] ?? 0),
  }));
  const zero = counts.map((c) => c.by_grade[0]);
  if (zero.some((v) => v > 0)) series.push({ key: 'grade-0', label: ungraded.label, colour: ungraded.colour, values: zero });
  return { labels, series };
}

/** One bar per key (team status, …), each in its own colour. */
export function countBars(counts: readonly Count[], label: (key: string) => string, colour: (key: string) => string, seriesLabel: string): ChartData {
  return {
    labels: counts.map((c) => label(c.key)),
    series: [{ key: 'count', label: seriesLabel, colour: counts.map((c) => colour(c.key)), values: counts.map((c) => c.count) }],
  };
}

/** Sum of each column of stacked series. */
export function stackTotals(series: readonly Series[], n: number): number[] {
  const out = new Array<number>(n).fill(0);
  for (const s of series) for (let i = 0; i < n; i++) out[i] = (out[i] ?? 0) + (s.values[i] ?? 0);
  return out;
}
