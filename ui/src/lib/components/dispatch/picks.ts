// The recommendation (调派推荐) as the dispatch panel shows it: who may order a team or
// allocate a stock line (本级 / 需经上级申请) as a badge and an explanation, what a pick's button
// does, which pick takes the keyboard, the reasons on one line, a dispatch order's default
// reason. Pure, unit-tested.
import type { Authority } from '../../bindings/Authority';
import type { ForceNeed } from '../../bindings/ForceNeed';
import type { Recommendation } from '../../bindings/Recommendation';
import type { Recommended } from '../../bindings/Recommended';
import { pick, translate, type Lang } from '../../i18n/core';
import { readableText } from '../alerts/alerts';

export interface AuthorityView {
  /** Whether this centre may act on it directly. */
  ok: boolean;
  badge: string;
  /** Why it may not (empty when it may). */
  explain: string;
}

/**
 * A team's (`dispatch`) or a warehouse's (`alloc`) authority in words; `nameOf` names the
 * jurisdiction to ask through.
 */
export function authorityView(lang: Lang, scope: 'dispatch' | 'alloc', a: Authority, nameOf: (code: string) => string): AuthorityView {
  const via = a.how === 'request' ? nameOf(a.via) : '';
  return {
    ok: a.how === 'direct',
    badge: translate(lang, `${scope}.authority.${a.how}`, { via }),
    explain: a.how === 'direct' ? '' : translate(lang, `${scope}.explain.${a.how}`, { via }),
  };
}

/** What a pick's button does: dispatch it (本级), request it up the hierarchy, nothing while a
 *  request for it awaits an answer (`requested`), nothing for a team out of reach (辖区外). */
export type PickAction = 'dispatch' | 'request' | 'requested' | 'none';

export function pickAction(a: Authority, requested: boolean): PickAction {
  if (a.how === 'direct') return 'dispatch';
  if (a.how === 'outside') return 'none';
  return requested ? 'requested' : 'request';
}

/** The pick that takes the keyboard as the panel opens: the top pick of the first need that has one. */
export function topPick(rec: Pick<Recommendation, 'needs'>): Recommended | null {
  for (const need of rec.needs) if (need.picks[0]) return need.picks[0];
  return null;
}

/** The reasons of a pick, on one line, the admin codes in them named (`nameOf`). */
export function whyLine(lang: Lang, p: Pick<Recommended, 'why_zh' | 'why_en'>, nameOf: (code: string) => string | null): string {
  const why = lang === 'en' && p.why_en.length > 0 ? p.why_en : p.why_zh;
  return readableText(why.join(' · '), nameOf);
}

/** A dispatch order's reason as the confirmation proposes it: "水域救援：江东乡水旱灾害". */
export function defaultReason(lang: Lang, need: Pick<ForceNeed, 'zh' | 'en'>, incidentTitle: string): string {
  return translate(lang, 'dispatch.confirm.reason_default', { need: pick(lang, need.zh, need.en), incident: incidentTitle });
}

/** Whether a need has as many teams as the plan asks for. */
export function needMet(need: Pick<ForceNeed, 'teams' | 'dispatched'>): boolean {
  return need.teams > 0 && need.dispatched >= need.teams;
}
