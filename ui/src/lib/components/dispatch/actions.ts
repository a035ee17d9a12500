// What the dispatch and allocation workflow does: opening and closing the dispatch panel (调派,
// key G) and its dialogs, and the writes (dispatch, order stages, team requests and their
// answers, allocation, allocation stages, placing evacuees), each followed by a fresh read of
// the alerts it may raise or settle.
import { tick } from 'svelte';
import * as api from '../../api';
import type { AllocateRequest } from '../../bindings/AllocateRequest';
import type { AllocStage } from '../../bindings/AllocStage';
import type { Answer } from '../../bindings/Answer';
import type { DispatchRequest } from '../../bindings/DispatchRequest';
import type { EntityRef } from '../../bindings/EntityRef';
import type { Stage } from '../../bindings/Stage';
import { app, mapRef } from '../../state.svelte';
import { refreshAlerts } from '../../session';
import { closeIntake, currentIncident, revealBeside } from '../response/actions';

const PANEL = '[data-testid="dispatch-panel"]';

/** Opens the dispatch panel on an incident (the current one by default); the response panel
 *  and the intake form, which take the same place, close. */
export async function openDispatch(id: string | null = currentIncident()): Promise<void> {
  closeIntake();
  app.responseOpen = false;
  app.dispatchFor = id;
  app.dispatchOpen = true;
  app.dispatchOpened++;
  await tick();
  document.querySelector<HTMLElement>(PANEL)?.focus();
  if (id) await keepInSight(id);
}

export function closeDispatch(): void {
  app.dispatchOpen = false;
  if (app.resourceDialog === 'dispatch') app.resourceDialog = null;
}

/** Key G: opens the panel (on the current incident), or closes it when it already shows that one. */
export function toggleDispatch(): void {
  const id = currentIncident();
  if (app.dispatchOpen && (id === null || id === app.dispatchFor)) closeDispatch();
  else void openDispatch(id);
}

/** Keeps an incident in sight beside the panel. */
export async function keepInSight(id: string): Promise<void> {
  const f = mapRef.get()?.feature(id);
  if (f) await revealBeside({ lon: f.lon, lat: f.lat }, PANEL);
}

/** Closes whichever dialog of the workflow is open (Esc). */
export function closeResourceDialog(): void {
  app.resourceDialog = null;
}

/** An own write's answer, once it is in: the alerts are read again (not awaited). */
async function afterwards<T>(done: Promise<T>): Promise<T> {
  const out = await done;
  void refreshAlerts();
  return out;
}

export const dispatchTeam = (request: DispatchRequest) => afterwards(api.dispatch(request));
/** Asks the tier above for a team this centre may not order (逐级调动). */
export const requestTeam = (request: DispatchRequest) => afterwards(api.requestTeam(request));
export const answerRequest = (request: string, answer: Answer, note: string) => afterwards(api.answerRequest(request, answer, note));
export const moveOrder = (order: string, stage: Stage) => afterwards(api.dispatchStage(order, stage));
export const allocate = (request: AllocateRequest) => afterwards(api.allocate(request));
export const moveAllocation = (allocation: string, stage: AllocStage) => afterwards(api.allocationStage(allocation, stage));
/** Places `delta` people in a shelter (leaving when negative). */
export const place = (shelter: string, delta: number, reason: string) => afterwards(api.move({ kind: 'shelter', id: shelter } satisfies EntityRef, 'occupancy', delta, reason));
