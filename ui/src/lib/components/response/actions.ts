// What the response workflow does: opening and closing the intake (R) and response (V)
// panels, and its requests over the one rpc client (suggest, plans, decide, responses, the
// incident, task and journal writes, a jurisdiction's seat).
import { tick } from 'svelte';
import * as api from '../../api';
import { rpc, toFailure } from '../../api';
import type { DecideRequest } from '../../bindings/DecideRequest';
import type { EntityBody } from '../../bindings/EntityBody';
import type { Facts } from '../../bindings/Facts';
import type { Plan } from '../../bindings/Plan';
import type { Point } from '../../bindings/Point';
import type { Request } from '../../bindings/Request';
import type { Response } from '../../bindings/Response';
import type { Task } from '../../bindings/Task';
import type { FileReportRequest } from '../../bindings/FileReportRequest';
import type { ResponseTab } from '../../state.svelte';
import { app, mapRef, showToast } from '../../state.svelte';
import { refreshAlerts, select } from '../../session';
import { fromBase64, openBlob, saveBlob } from '../../export/save';
import { cancelMeasure } from '../commander/actions';
import { cancelPick } from './pick';

type Answer<M extends Request['method']> = Extract<Response, { method: M }>['result'];

/** One request through `rpc`, its result narrowed to the method's. */
async function ask<M extends Request['method']>(request: Extract<Request, { method: M }>): Promise<Answer<M>> {
  return ((await rpc(request)) as Extract<Response, { method: M }>).result as Answer<M>;
}

/** Shows a failure as the console does (`code: message` toast); returns its text. */
export function report(e: unknown): string {
  const text = toFailure(e).toString();
  showToast(text);
  return text;
}

// ── requests ─────────────────────────────────────────────────────────────────────────────

export const suggest = (category: string, subtype: string, jurisdiction: string, facts: Facts) =>
  ask<'suggest'>({ method: 'suggest', params: { category, subtype, jurisdiction, facts } });
export const responses = (incident: string) => ask<'responses'>({ method: 'responses', params: { incident } });
/** Records a decision (and re-reads the alerts it may settle or raise). */
export const decide = (request: DecideRequest) => afterwards(ask<'decide'>({ method: 'decide', params: request }));
export const upsert = (id: string | null, body: EntityBody) => ask<'upsert'>({ method: 'upsert', params: { id, body } });

let plansOnce: Promise<Plan[]> | null = null;
/** The plan templates (read once; again after a failure). */
export function plans(): Promise<Plan[]> {
  plansOnce ??= ask<'plans'>({ method: 'plans' }).catch((e: unknown) => {
    plansOnce = null;
    throw e;
  });
  return plansOnce;
}

const seats = new Map<string, Point | null>();
/** A jurisdiction's seat (its search hit's point), or null when the search does not know it. */
export async function seatOf(code: string): Promise<Point | null> {
  if (!seats.has(code)) {
    const hit = (await api.search(code, 5)).find((h) => h.code === code && h.layer === null);
    seats.set(code, hit ? { lon: hit.point.lon, lat: hit.point.lat } : null);
  }
  return seats.get(code) ?? null;
}

/** Adds a journal line to an incident (now, unless `at` says when). */
export const journal = (incident: string, text: string, at = new Date().toISOString()) => upsert(null, { entity_kind: 'journal', incident, at, text });

/** Marks a checklist step done (or not): its task record as stored, `done` set, `demo` dropped. */
export async function setStepDone(task: string, done: boolean): Promise<void> {
  const fields: Record<string, unknown> = { ...(await api.entity({ kind: 'task', id: task })).record.fields };
  delete fields['demo'];
  await afterwards(upsert(task, { entity_kind: 'task', ...(fields as Task), done }));
}

/** An own action's answer, once it is in: the alerts are read again (not awaited). */
async function afterwards<T>(done: Promise<T>): Promise<T> {
  const out = await done;
  void refreshAlerts();
  return out;
}

/** Files a report; resolves with the incident's reports as they now stand. */
export const fileReport = (request: FileReportRequest) => afterwards(api.fileReport(request));

/**
 * A filed report's PDF: saved as a download, or (`open`) opened in a new window to read or
 * print — a webview that opens no window gets the download.
 */
export async function reportPdf(incident: string, report: string, open = false): Promise<void> {
  const pdf = await api.reportPdf(incident, report);
  const blob = new Blob([fromBase64(pdf.base64)], { type: 'application/pdf' });
  if (!open || !openBlob(blob)) saveBlob(blob, pdf.file_name);
}

/** Creates the incident, then its journal lines; resolves with its id. */
export async function createIncident(body: EntityBody, notes: readonly string[]): Promise<string> {
  const id = (await upsert(null, body)).entity.id;
  for (const text of notes) await journal(id, text);
  void refreshAlerts();
  return id;
}

// ── panels ───────────────────────────────────────────────────────────────────────────────

/** Key R: the intake form (focus goes to it when it is open already). */
export async function openIntake(): Promise<void> {
  if (app.measure.mode !== 'off') cancelMeasure();
  app.responseOpen = false;
  app.intakeOpen = true;
  await tick();
  document.querySelector<HTMLElement>('[data-testid="intake-category"]')?.focus();
}

export function closeIntake(): void {
  cancelPick();
  app.intakeOpen = false;
}

/** Esc in the intake: leaves "pick on map" first, then the form (nothing is saved). */
export function escapeIntake(): void {
  if (app.intakePicking) cancelPick();
  else closeIntake();
}

/** The incident the response panel is for: the selected one, else the last one selected. */
export function currentIncident(): string | null {
  return app.selected?.layer === 'incidents' ? app.selected.id : app.nearbyFor;
}

/** Opens the response panel on an incident (the current one by default), on a tab if given. */
export async function openResponse(id: string | null = currentIncident(), tab?: ResponseTab): Promise<void> {
  closeIntake();
  if (tab) app.responseTab = tab;
  app.responseFor = id;
  app.responseOpen = true;
  await tick();
  document.querySelector<HTMLElement>('[data-testid="response-panel"]')?.focus();
  if (id) await keepInView(id);
}

export function closeResponse(): void {
  app.responseOpen = false;
}

/** Key V: opens the panel (on the current incident), or closes it when it already shows that one. */
export function toggleResponse(): void {
  const id = currentIncident();
  if (app.responseOpen && (id === null || id === app.responseFor)) closeResponse();
  else void openResponse(id);
}

/** Keys B (reports) and J (journal): the panel on that tab; the key again closes it. */
export function toggleResponseTab(tab: ResponseTab): void {
  const id = currentIncident();
  if (app.responseOpen && app.responseTab === tab && (id === null || id === app.responseFor)) closeResponse();
  else void openResponse(id, tab);
}

/** Selects an incident (centred) and opens its response panel, on a tab if given (alerts, duty log). */
export async function showIncident(id: string, tab?: ResponseTab): Promise<void> {
  if (mapRef.get()?.feature(id)) await select(id, { focus: true });
  await openResponse(id, tab);
}

/** Keeps an incident in sight beside the response panel. */
export async function keepInView(id: string): Promise<void> {
  const f = mapRef.get()?.feature(id);
  if (f) await revealBeside({ lon: f.lon, lat: f.lat }, '[data-testid="response-panel"]');
}

/**
 * Keeps a point in sight beside a panel that covers the map's left part: once the map has
 * stopped, if the point lies under the panel (or off the map), the map pans it to the middle
 * of the map that remains.
 */
export async function revealBeside(p: Point, panelSelector: string): Promise<void> {
  const map = mapRef.get()?.map;
  const panel = document.querySelector<HTMLElement>(panelSelector);
  if (!map || !panel) return;
  // A selection may have just asked the map to centre on it: let that move begin first.
  await new Promise<void>((resolve) => requestAnimationFrame(() => resolve()));
  if (map.isMoving()) await new Promise<void>((resolve) => map.once('moveend', () => resolve()));
  const canvas = map.getCanvas().getBoundingClientRect();
  const cover = panel.getBoundingClientRect().right - canvas.left;
  const at = map.project([p.lon, p.lat]);
  const margin = 40;
  if (cover <= 0 || cover > canvas.width - 2 * margin || (at.x > cover + margin && at.x < canvas.width - margin && at.y > margin && at.y < canvas.height - margin)) return;
  map.easeTo({ center: [p.lon, p.lat], offset: [cover / 2, 0], duration: 300 });
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * After saving: waits until the change feed has brought the new incident to the map (at most
 * `ms`), selects it and opens its response panel.
 */
export async function showNewIncident(id: string, ms = 8000): Promise<void> {
  const until = Date.now() + ms;
  while (!mapRef.get()?.feature(id) && Date.now() < until) await sleep(100);
  if (mapRef.get()?.feature(id)) await select(id, { focus: true });
  await openResponse(id);
}
