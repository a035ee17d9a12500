// Team requests up the hierarchy (调动申请, 逐级调动) as the dispatch panel shows them: which of an
// incident's requests await this centre's answer and which it follows, each status's badge,
// the history in lines ("通化市 转报 吉林省 10:32"), the answers this centre may give and the
// note a refusal needs, the teams already asked for. Pure (language and names passed in),
// unit-tested.
import type { Answer } from '../../bindings/Answer';
import type { RequestEvent } from '../../bindings/RequestEvent';
import type { RequestStatus } from '../../bindings/RequestStatus';
import type { TeamRequestView } from '../../bindings/TeamRequestView';
import { translate, type Lang } from '../../i18n/core';
import { hhmm } from './orders';

/** An incident's requests: those this centre is asked to answer now, and the others it made or passed on. */
export function requestsOf(views: readonly TeamRequestView[], incident: string): { incoming: TeamRequestView[]; followed: TeamRequestView[] } {
  const mine = views.filter((v) => v.request.incident === incident);
  return { incoming: mine.filter((v) => v.mine_to_answer), followed: mine.filter((v) => !v.mine_to_answer) };
}

/** The teams of an incident still waiting for an answer (their pick says so instead of asking twice). */
export function pendingTeams(views: readonly TeamRequestView[], incident: string): Set<string> {
  return new Set(views.filter((v) => v.request.incident === incident && v.state.status === 'pending').map((v) => v.request.team));
}

/** The badge colours (the console's warn, ok and danger). */
const STATUS_COLOUR: { readonly [S in RequestStatus]: string } = { pending: '#ffb020', approved: '#2ecc71', declined: '#ff4d4f' };

/** A status badge: its label key and colour. */
export function statusBadge(status: RequestStatus): { label: string; colour: string } {
  return { label: `request.status.${status}`, colour: STATUS_COLOUR[status] };
}

/** Who is asked now or gave the final answer: "待通化市答复", "吉林省已批准", "通化市已拒绝". */
export function whereNow(lang: Lang, v: Pick<TeamRequestView, 'state'>, nameOf: (code: string) => string): string {
  return translate(lang, `request.where.${v.state.status}`, { who: nameOf(v.state.asked) });
}

function eventLine(lang: Lang, e: RequestEvent, nameOf: (code: string) => string): string {
  const line = translate(lang, `request.history.${e.answer}`, {
    by: nameOf(e.by),
    to: e.answer === 'forwarded' ? nameOf(e.to) : '',
    t: hhmm(e.at),
  });
  return e.note ? translate(lang, 'request.history.note', { line, note: e.note }) : line;
}

/** The request's history, one line each: the asking first, then every answer (late ones marked). */
export function historyLines(lang: Lang, v: Pick<TeamRequestView, 'request' | 'state'>, nameOf: (code: string) => string): string[] {
  const asked = translate(lang, 'request.history.asked', { by: nameOf(v.request.from), to: nameOf(v.request.to), t: hhmm(v.request.requested_at) });
  const late = v.state.late.map((e) => translate(lang, 'request.history.late', { line: eventLine(lang, e, nameOf) }));
  return [asked, ...v.state.history.map((e) => eventLine(lang, e, nameOf)), ...late];
}

/** The answers this centre may give: approve only when it may order the team itself. */
export function answersFor(v: Pick<TeamRequestView, 'mine_to_answer' | 'can_order'>): Answer[] {
  if (!v.mine_to_answer) return [];
  return v.can_order ? ['approve', 'forward', 'decline'] : ['forward', 'decline'];
}

/** What is missing before an answer may go (a refusal says why): an error key, or null. */
export function answerProblem(answer: Answer, note: string): string | null {
  return answer === 'decline' && note.trim() === '' ? 'request.err.note' : null;
}
