// The response panel's model: one card per plan (the plans that apply and the responses
// recorded), the decisions a response allows now, its checklist in force and earlier levels'
// steps as history. Pure, unit-tested.
import type { Grade } from '../../bindings/Grade';
import type { Plan } from '../../bindings/Plan';
import type { PlanKind } from '../../bindings/PlanKind';
import type { PlanMatch } from '../../bindings/PlanMatch';
import type { ResponseView } from '../../bindings/ResponseView';
import type { StepRow } from '../../bindings/StepRow';
import { pick, type Lang } from '../../i18n/core';

export interface PlanCard {
  plan: string;
  zh: string;
  en: string;
  kind: PlanKind | null;
  /** The level the incident's facts trigger (null: none yet, or the plan no longer applies). */
  suggested: number | null;
  why: string[];
  /** Whether `suggest` lists the plan for the incident now. */
  applies: boolean;
  /** The plan's levels, lowest (Ⅳ) first. */
  levels: number[];
  response: ResponseView | null;
}

/** Running first, then ended responses, then plans whose facts trigger a level, then the others. */
function rank(c: PlanCard): number {
  if (c.response?.state.level != null) return 0;
  if (c.response && c.response.decisions.length > 0) return 1;
  if (c.suggested !== null) return 2;
  return 3;
}

/** The cards of the panel: every plan that applies or has a response, in the order above. */
export function planCards(matches: readonly PlanMatch[], responses: readonly ResponseView[], plans: readonly Plan[]): PlanCard[] {
  const byId = new Map(plans.map((p) => [p.id, p]));
  const cards: PlanCard[] = [];
  const seen = new Set<string>();
  const card = (id: string, zh: string, m: PlanMatch | null): PlanCard => {
    const p = byId.get(id);
    return {
      plan: id,
      zh: p?.zh ?? zh,
      en: p?.en ?? '',
      kind: m?.kind ?? p?.kind ?? null,
      suggested: m?.level ?? null,
      why: m?.why ?? [],
      applies: m !== null,
      levels: (p?.level ?? []).map((l) => l.level).sort((a, b) => b - a),
      response: responses.find((r) => r.plan === id) ?? null,
    };
  };
  for (const m of matches) {
    if (seen.has(m.plan)) continue;
    seen.add(m.plan);
    cards.push(card(m.plan, m.zh, m));
  }
  for (const r of responses) {
    if (seen.has(r.plan)) continue;
    seen.add(r.plan);
    cards.push(card(r.plan, r.plan_zh, null));
  }
  return cards.map((c, i) => ({ c, i })).sort((a, b) => rank(a.c) - rank(b.c) || a.i - b.i).map(({ c }) => c);
}

export interface Allowed {
  /** Levels a start may enter (none while a response runs). */
  start: number[];
  /** More serious levels (smaller numbers) than the one in force. */
  upgrade: number[];
  /** Less serious levels (larger numbers). */
  downgrade: number[];
  terminate: boolean;
}

/** What a response at `level` (null: not running) allows among the plan's levels. */
export function allowed(level: number | null, levels: readonly number[]): Allowed {
  const all = [...levels].sort((a, b) => b - a);
  if (level === null) return { start: all, upgrade: [], downgrade: [], terminate: false };
  return { start: [], upgrade: all.filter((l) => l < level), downgrade: all.filter((l) => l > level), terminate: true };
}

/** The level a start proposes: the suggested one if the plan has it, else its lowest. */
export function defaultStartLevel(card: Pick<PlanCard, 'suggested' | 'levels'>): number | null {
  if (card.suggested !== null && card.levels.includes(card.suggested)) return card.suggested;
  return card.levels[0] ?? null;
}

export interface HistoryGroup {
  decision: string;
  level: number;
  steps: StepRow[];
  done: number;
}

export interface Checklist {
  /** The level in force's steps, by due time. */
  current: StepRow[];
  /** Earlier levels' steps, one group per level entered, latest first. */
  history: HistoryGroup[];
}

/** The checklist in force and the history of a response. */
export function checklist(view: ResponseView): Checklist {
  const byDue = (a: StepRow, b: StepRow) => Date.parse(a.due) - Date.parse(b.due) || a.step.localeCompare(b.step);
  const current = view.steps.filter((s) => s.current).sort(byDue);
  const order = view.state.order;
  const groups = new Map<string, HistoryGroup>();
  for (const s of view.steps) {
    if (s.current) continue;
    const g = groups.get(s.decision) ?? { decision: s.decision, level: s.level, steps: [], done: 0 };
    g.steps.push(s);
    if (s.done) g.done++;
    groups.set(s.decision, g);
  }
  const history = [...groups.values()].sort((a, b) => order.indexOf(b.decision) - order.indexOf(a.decision));
  for (const g of history) g.steps.sort(byDue);
  return { current, history };
}

/** A step's title in the UI language (the plan's English text of its action, when known). */
export function stepTitle(lang: Lang, plans: readonly Plan[], planId: string, s: Pick<StepRow, 'level' | 'step' | 'title'>): string {
  if (lang !== 'en') return s.title;
  const action = plans.find((p) => p.id === planId)?.level.find((l) => l.level === s.level)?.action.find((a) => a.id === s.step);
  return action ? pick(lang, s.title, action.en) : s.title;
}

/** A level's numeral from the taxonomy's grades (Ⅰ–Ⅳ), "—" for none. */
export function romanOf(grades: readonly Grade[], level: number | null): string {
  if (level === null) return '—';
  return grades.find((g) => g.id === level)?.roman ?? String(level);
}
