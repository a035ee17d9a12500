// The one command surface, over Tauri IPC in the desktop app and over HTTP from the hub.
import type { Request } from './bindings/Request';
import type { Response } from './bindings/Response';
import type { ApiError } from './bindings/ApiError';
import type { Bootstrap } from './bindings/Bootstrap';
import type { Layers } from './bindings/Layers';
import type { Changes } from './bindings/Changes';
import type { EntityRef } from './bindings/EntityRef';
import type { EntityDetail } from './bindings/EntityDetail';
import type { Diagnostic } from './bindings/Diagnostic';
import type { LinkStatus } from './bindings/LinkStatus';
import type { Quarantined } from './bindings/Quarantined';
import type { SearchHit } from './bindings/SearchHit';
import type { Nearby } from './bindings/Nearby';
import type { Stats } from './bindings/Stats';
import type { WallState } from './bindings/WallState';
import type { WallControl } from './bindings/WallControl';
import type { FileReportRequest } from './bindings/FileReportRequest';
import type { ReportsView } from './bindings/ReportsView';
import type { PdfFile } from './bindings/PdfFile';
import type { Picture } from './bindings/Picture';
import type { JournalLine } from './bindings/JournalLine';
import type { DutyLog } from './bindings/DutyLog';
import type { Alert } from './bindings/Alert';
import type { Recommendation } from './bindings/Recommendation';
import type { DispatchRequest } from './bindings/DispatchRequest';
import type { DispatchView } from './bindings/DispatchView';
import type { Stage } from './bindings/Stage';
import type { NearWarehouse } from './bindings/NearWarehouse';
import type { AllocateRequest } from './bindings/AllocateRequest';
import type { AllocationView } from './bindings/AllocationView';
import type { AllocStage } from './bindings/AllocStage';
import type { Committed } from './bindings/Committed';
import type { Readiness } from './bindings/Readiness';
import type { ImportRequest } from './bindings/ImportRequest';
import type { ImportReport } from './bindings/ImportReport';
import type { ImportProgress } from './bindings/ImportProgress';
import type { Registry } from './bindings/Registry';
import type { FileFormat } from './bindings/FileFormat';
import type { ExportFile } from './bindings/ExportFile';
import type { ExpertRow } from './bindings/ExpertRow';
import type { TeamRequestView } from './bindings/TeamRequestView';
import type { Answer } from './bindings/Answer';
import { isTauri } from './env';

/** A failed request: the server's ApiError, or a transport failure (`code` = `transport`). */
export class ApiFailure extends Error {
  readonly code: string;
  readonly diagnostics: Diagnostic[];
  constructor(code: string, message: string, diagnostics: Diagnostic[] = []) {
    super(message);
    this.name = 'ApiFailure';
    this.code = code;
    this.diagnostics = diagnostics;
  }
  /** `code: message`, as shown in the error toast. */
  override toString(): string {
    return `${this.code}: ${this.message}`;
  }
}

function isApiError(v: unknown): v is ApiError {
  return typeof v === 'object' && v !== null && typeof (v as ApiError).code === 'string' && typeof (v as ApiError).message === 'string';
}

/** Turns anything thrown by a transport into an ApiFailure. */
export function toFailure(e: unknown): ApiFailure {
  if (e instanceof ApiFailure) return e;
  if (isApiError(e)) return new ApiFailure(e.code, e.message, Array.isArray(e.diagnostics) ? e.diagnostics : []);
  if (typeof e === 'string') return new ApiFailure('transport', e);
  if (e instanceof Error) return new ApiFailure('transport', e.message);
  return new ApiFailure('transport', String(e));
}

/** One request/response exchange with the host. */
export type Transport = (request: Request) => Promise<unknown>;

async function tauriTransport(request: Request): Promise<unknown> {
  const { invoke } = await import('@tauri-apps/api/core');
  return invoke('rpc', { request });
}

async function httpTransport(request: Request): Promise<unknown> {
  const res = await fetch('api/rpc', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(request),
  });
  let body: unknown;
  try {
    body = await res.json();
  } catch {
    throw new ApiFailure(res.ok ? 'transport' : `http.${res.status}`, `${res.status} ${res.statusText}: not JSON`);
  }
  if (!res.ok) throw isApiError(body) ? body : new ApiFailure(`http.${res.status}`, res.statusText);
  return body;
}

let transport: Transport | null = null;

/** Replaces the transport (tests). */
export function setTransport(t: Transport | null): void {
  transport = t;
}

function currentTransport(): Transport {
  transport ??= isTauri() ? tauriTransport : httpTransport;
  return transport;
}

/** Sends one request; resolves with the tagged response or rejects with an ApiFailure. */
export async function rpc(request: Request): Promise<Response> {
  let out: unknown;
  try {
    out = await currentTransport()(request);
  } catch (e) {
    throw toFailure(e);
  }
  const r = out as Response;
  if (typeof r !== 'object' || r === null || r.method !== request.method || !('result' in r)) {
    throw new ApiFailure('protocol', `unexpected answer to ${request.method}`);
  }
  return r;
}

type ResultOf<M extends Response['method']> = Extract<Response, { method: M }>['result'];

async function call<M extends Request['method']>(request: Extract<Request, { method: M }>): Promise<ResultOf<M>> {
  const r = await rpc(request);
  return (r as Extract<Response, { method: M }>).result as ResultOf<M>;
}

export const bootstrap = (): Promise<Bootstrap> => call<'bootstrap'>({ method: 'bootstrap' });
export const layers = (): Promise<Layers> => call<'layers'>({ method: 'layers' });
/** Map features changed since `since`; with `waitMs` the host holds the answer until
 *  something changes (a long poll) or `waitMs` passes. */
export const changes = (since: number, waitMs?: number): Promise<Changes> =>
  call<'changes'>({ method: 'changes', params: waitMs ? { since, wait_ms: waitMs } : { since } });
export const entity = (ref: EntityRef): Promise<EntityDetail> => call<'entity'>({ method: 'entity', params: { entity: ref } });
export const links = (): Promise<LinkStatus[]> => call<'links'>({ method: 'links' });
/** Ops this node refused from other centres, newest first. */
export const quarantine = (): Promise<Quarantined[]> => call<'quarantine'>({ method: 'quarantine' });
/** Jurisdictions and records by Chinese/English name, pinyin (initials) or admin code. */
export const search = (q: string, limit?: number): Promise<SearchHit[]> => call<'search'>({ method: 'search', params: { q, limit: limit ?? null } });
/** Teams by estimated arrival, warehouses and shelters with free places near an incident. */
export const nearby = (incident: string): Promise<Nearby> => call<'nearby'>({ method: 'nearby', params: { incident } });
/** KPI and chart figures. */
export const stats = (): Promise<Stats> => call<'stats'>({ method: 'stats' });
/** What the command hall's wall shows now. */
export const wall = (): Promise<WallState> => call<'wall'>({ method: 'wall' });
/** Chooses what the wall shows (refused from the read-only wall view itself). */
export const setWall = (control: WallControl): Promise<WallState> => call<'set_wall'>({ method: 'set_wall', params: { control } });
/** An incident's reports, the deadlines that apply and what may be filed next. */
export const reports = (incident: string): Promise<ReportsView> => call<'reports'>({ method: 'reports', params: { incident } });
/** Files a report (refused whole, naming the field, when out of order or incomplete). */
export const fileReport = (request: FileReportRequest): Promise<ReportsView> => call<'file_report'>({ method: 'file_report', params: request });
/** A filed report as an A4 PDF (base64). */
export const reportPdf = (incident: string, report: string): Promise<PdfFile> => call<'report_pdf'>({ method: 'report_pdf', params: { incident, report } });
/** The whole situation picture as the op log has it at a moment (Unix ms). */
export const pictureAt = (atMs: number): Promise<Picture> => call<'picture_at'>({ method: 'picture_at', params: { at_ms: Math.round(atMs) } });
/** Everything recorded on an incident and its checklist, by time. */
export const journal = (incident: string): Promise<JournalLine[]> => call<'journal'>({ method: 'journal', params: { incident } });
/** The duty log between two moments (Unix ms) and the shifts overlapping them. */
export const dutyLog = (fromMs: number, toMs: number): Promise<DutyLog> => call<'duty_log'>({ method: 'duty_log', params: { from_ms: Math.round(fromMs), to_ms: Math.round(toMs) } });
/** Overdue steps, overdue reports and decision conflicts of every active incident. */
export const alerts = (): Promise<Alert[]> => call<'alerts'>({ method: 'alerts' });
/** The teams recommended for an incident: per force need of its response in force, by estimated arrival. */
export const recommend = (incident: string): Promise<Recommendation> => call<'recommend'>({ method: 'recommend', params: { incident } });
/** Sends a team to an incident (refused for a team of another tier or one not standing by). */
export const dispatch = (request: DispatchRequest): Promise<DispatchView> => call<'dispatch'>({ method: 'dispatch', params: request });
/** Moves a dispatch order to its next stage (`DispatchView.next`). */
export const dispatchStage = (order: string, stage: Stage): Promise<DispatchView> => call<'dispatch_stage'>({ method: 'dispatch_stage', params: { order, stage } });
/** The dispatch orders of an incident (null: every order), newest first. */
export const dispatches = (incident: string | null): Promise<DispatchView[]> => call<'dispatches'>({ method: 'dispatches', params: { incident } });
/** The warehouses near a shelter or incident with their stock, nearest first. */
export const stockFor = (to: EntityRef): Promise<NearWarehouse[]> => call<'stock_for'>({ method: 'stock_for', params: { to } });
/** Reserves units of a stock line for a shelter or incident. */
export const allocate = (request: AllocateRequest): Promise<AllocationView> => call<'allocate'>({ method: 'allocate', params: request });
/** Moves an allocation to its next stage (`AllocationView.next`). */
export const allocationStage = (allocation: string, stage: AllocStage): Promise<AllocationView> =>
  call<'allocation_stage'>({ method: 'allocation_stage', params: { allocation, stage } });
/** The allocations to a shelter or incident (null: every allocation), newest first. */
export const allocations = (to: EntityRef | null): Promise<AllocationView[]> => call<'allocations'>({ method: 'allocations', params: { to } });
/** A ledger movement on a record's account (a shelter's `occupancy`: people placed, or leaving when negative). */
export const move = (entity: EntityRef, account: string, delta: number, reason: string): Promise<Committed> =>
  call<'move'>({ method: 'move', params: { entity, account, delta, reason } });
/** The readiness table (一张表): per jurisdiction, the relief plan's needs against the supplies, shelters and reach there. */
export const readiness = (): Promise<Readiness> => call<'readiness'>({ method: 'readiness' });
/** Checks a registry file (and with `commit`, writes it whole; refused with `import.invalid` when any row is bad). */
export const importFile = (request: ImportRequest): Promise<ImportReport> => call<'import'>({ method: 'import', params: request });
/** How far the running import is. */
export const importProgress = (): Promise<ImportProgress> => call<'import_progress'>({ method: 'import_progress' });
/** A registry as a CSV, XLSX, GeoJSON or KML file (base64). */
export const exportRegistry = (registry: Registry, format: FileFormat): Promise<ExportFile> => call<'export'>({ method: 'export', params: { registry, format } });
/** The active experts covering an event category (null: every one), chief first. */
export const experts = (category: string | null): Promise<ExpertRow[]> => call<'experts'>({ method: 'experts', params: { category } });
/** Asks the tier above for a team this centre may not order (逐级调动). */
export const requestTeam = (request: DispatchRequest): Promise<TeamRequestView> => call<'request_team'>({ method: 'request_team', params: request });
/** The team requests this centre made or is asked to answer, newest first. */
export const teamRequests = (): Promise<TeamRequestView[]> => call<'team_requests'>({ method: 'team_requests' });
/** Answers a request put to this centre: order the team, pass it up, or decline (with a note). */
export const answerRequest = (request: string, answer: Answer, note: string): Promise<TeamRequestView> =>
  call<'answer_request'>({ method: 'answer_request', params: { request, answer, note } });
