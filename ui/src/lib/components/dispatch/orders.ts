// Dispatch orders (调派令) as the console shows them: each stage's colour (the team status
// palette's, so a badge matches the team's symbol on the map), the buttons for the stages an
// order may move to next, the times of the stages reached and the arrival estimate. Pure,
// unit-tested.
import type { Dispatch } from '../../bindings/Dispatch';
import type { DispatchView } from '../../bindings/DispatchView';
import type { Stage } from '../../bindings/Stage';
import { TEAM_STATUS, UNKNOWN_COLOUR } from '../../map/palette';
import { shortTime } from '../../../wall/incident';

/** The team status an order at each stage gives its team (stood down: standing by again). */
const TEAM_STATUS_OF: { readonly [S in Stage]: string | null } = {
  dispatched: 'dispatched',
  en_route: 'en_route',
  on_scene: 'on_scene',
  returning: 'returning',
  stood_down: 'standby',
  cancelled: null,
};

/** A badge colour from the team status palette (grey for a status it has none for). */
export function paletteColour(status: string | null): string {
  return TEAM_STATUS.find((s) => s.value === status)?.colour ?? UNKNOWN_COLOUR;
}

export function stageColour(stage: Stage): string {
  return paletteColour(TEAM_STATUS_OF[stage]);
}

/** Whether the order still holds its team (not stood down, not cancelled). */
export function isOpen(stage: Stage): boolean {
  return stage !== 'stood_down' && stage !== 'cancelled';
}

/** A button moving an order (or an allocation) to a next stage: its label key; `undo` marks a cancellation. */
export interface StageAction<S extends string = Stage> {
  stage: S;
  label: string;
  undo: boolean;
}

/** The buttons of an order: one per allowed next stage, a cancellation last; "returning"
 *  straight from en route is a recall (召回). */
export function orderActions(v: Pick<DispatchView, 'stage' | 'next'>): StageAction[] {
  return [...v.next]
    .sort((a, b) => Number(a === 'cancelled') - Number(b === 'cancelled'))
    .map((stage) => ({ stage, label: stage === 'returning' && v.stage === 'en_route' ? 'dispatch.act.recall' : `dispatch.act.${stage}`, undo: stage === 'cancelled' }));
}

const STAGE_AT: readonly (readonly [Stage, keyof Dispatch])[] = [
  ['dispatched', 'dispatched_at'],
  ['en_route', 'departed_at'],
  ['on_scene', 'arrived_at'],
  ['returning', 'returning_at'],
  ['stood_down', 'stood_down_at'],
  ['cancelled', 'cancelled_at'],
];

/** The stages an order has reached, in order, with their times (RFC 3339). */
export function stageTimes(order: Dispatch): { stage: Stage; at: string }[] {
  return STAGE_AT.flatMap(([stage, key]) => {
    const at = order[key];
    return typeof at === 'string' ? [{ stage, at }] : [];
  });
}

/** When the team is expected on scene (Unix ms): ordered + the estimate; null when unreadable. */
export function arrivalMs(order: Pick<Dispatch, 'dispatched_at' | 'eta_min'>): number | null {
  const at = Date.parse(order.dispatched_at);
  return Number.isFinite(at) && Number.isFinite(order.eta_min) ? at + order.eta_min * 60_000 : null;
}

/** "HH:mm", Beijing time, of an RFC 3339 time or Unix ms ("—" when unreadable). */
export function hhmm(at: string | number): string {
  const ms = typeof at === 'number' ? at : Date.parse(at);
  return Number.isFinite(ms) ? shortTime(new Date(ms).toISOString()).slice(-5) : '—';
}

/** Open orders first, each group newest first (the API's order kept). */
export function sortOrders<T extends { stage: Stage }>(views: readonly T[]): T[] {
  return [...views.filter((v) => isOpen(v.stage)), ...views.filter((v) => !isOpen(v.stage))];
}
