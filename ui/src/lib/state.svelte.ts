// Application state shared by the components (Svelte 5 runes).
import type { Bootstrap } from './bindings/Bootstrap';
import type { Layer } from './bindings/Layer';
import type { EntityDetail } from './bindings/EntityDetail';
import type { LinkStatus } from './bindings/LinkStatus';
import type { Quarantined } from './bindings/Quarantined';
import type { Nearby } from './bindings/Nearby';
import type { WallState } from './bindings/WallState';
import type { Alert } from './bindings/Alert';
import { emptyByLayer } from './map/features';
import type { MapController, Pick } from './map/controller';

export interface Toast {
  id: number;
  text: string;
}

export interface AppState {
  boot: Bootstrap | null;
  /** Bootstrap progress, 0…1; 1 when the map is ready. */
  progress: number;
  ready: boolean;
  counts: Record<Layer, number>;
  visible: Record<Layer, boolean>;
  selected: Pick | null;
  detail: EntityDetail | null;
  detailLoading: boolean;
  layerPanelOpen: boolean;
  toasts: Toast[];
  head: number;
  /** Whether the last change poll succeeded (live link indicator). */
  live: boolean;
  /** This node's sync links to other centres' hubs (last answer; null before the first). */
  links: LinkStatus[] | null;
  /** Ops this node refused from other centres, newest first (last answer; null before the first). */
  quarantine: Quarantined[] | null;
  /** Whether the list of refused ops is open. */
  quarantineOpen: boolean;
  /** Grows whenever the situation features change (the map's table is not reactive). */
  featureVersion: number;
  /** Onset and jurisdiction of each incident (from its record), for the incident list. */
  incidentMeta: Record<string, IncidentMeta>;
  /** Whether the incident list is shown (key I). */
  incidentListOpen: boolean;
  /** Whether the "near this incident" panel is shown (key N). */
  nearbyOpen: boolean;
  /** The incident the nearby panel is about: the last incident selected. */
  nearbyFor: string | null;
  nearby: Nearby | null;
  nearbyLoading: boolean;
  /** The drill-down jurisdiction (12-digit code; null: the whole picture) and its extent. */
  drill: Drill | null;
  /** The measure tool. */
  measure: MeasureState;
  /** The pointer on the map (null when off the map) and the view's zoom. */
  pointer: { lon: number; lat: number } | null;
  view: { zoom: number; lat: number };
  /** The wall control panel (key W) and the wall's last known state. */
  wallOpen: boolean;
  wall: WallState | null;
  /** The keyboard help overlay (key ?). */
  helpOpen: boolean;
  /** An export in progress. */
  exporting: 'png' | 'pdf' | null;
  /** The intake form (接报, key R), and whether the next map click sets its location. */
  intakeOpen: boolean;
  intakePicking: boolean;
  /** The response panel (响应, key V) and the incident it shows. */
  responseOpen: boolean;
  responseFor: string | null;
  /** The response panel's tab: the plans (响应), the reports (信息报送, B), the journal (事件日志, J). */
  responseTab: ResponseTab;
  /** Replay (回放, key T): the moment shown instead of the live picture; null when live. */
  replay: ReplayState | null;
  /** What needs acting on now over every active incident (`alerts()`, last answer). */
  alerts: Alert[] | null;
  alertsOpen: boolean;
  /** The duty panel (值班, key D). */
  dutyOpen: boolean;
  /** The plan library (预案库, key Y). */
  plansOpen: boolean;
  /** The dispatch panel (调派, key G) and the incident it shows. */
  dispatchOpen: boolean;
  dispatchFor: string | null;
  /** Grows each time the dispatch panel is opened (again): it reads afresh and its first item takes the keyboard. */
  dispatchOpened: number;
  /** A dialog of the dispatch and allocation workflow open over the console (Esc closes it first). */
  resourceDialog: 'dispatch' | 'allocate' | null;
  /** The readiness table (一张表, key K) over the map. */
  readinessOpen: boolean;
  /** The registries' import and export dialog (导入导出, key X). */
  registryOpen: boolean;
}

export type ResponseTab = 'plans' | 'reports' | 'journal';

export interface ReplayState {
  /** The moment asked for (Unix ms). */
  at: number;
  /** The scrubber's range: the log's first moment … now (Unix ms). */
  min: number;
  max: number;
  /** The moment whose picture the map shows (null until the first one is drawn). */
  shown: number | null;
  /** A picture has been loading for a while (the progress indicator shows). */
  slow: boolean;
}

export interface IncidentMeta {
  onset: string | null;
  jurisdiction: string | null;
}

export interface Drill {
  code: string;
  /** West, south, east, north (null until known). */
  bounds: [number, number, number, number] | null;
  /** How records are filtered: by the bounding box, by the boundary polygon from the
   *  basemap tiles, or not at all (extent unknown). */
  shape: 'bbox' | 'polygon' | 'none';
}

export type MeasureMode = 'off' | 'distance' | 'area';

export interface MeasureState {
  mode: MeasureMode;
  /** Lon/lat vertices clicked so far. */
  points: [number, number][];
  /** The point under the pointer while drawing (rubber band). */
  hover: [number, number] | null;
  finished: boolean;
}

export const app: AppState = $state({
  boot: null,
  progress: 0,
  ready: false,
  counts: emptyByLayer(() => 0),
  visible: emptyByLayer(() => true),
  selected: null,
  detail: null,
  detailLoading: false,
  layerPanelOpen: true,
  toasts: [],
  head: 0,
  live: false,
  links: null,
  quarantine: null,
  quarantineOpen: false,
  featureVersion: 0,
  incidentMeta: {},
  incidentListOpen: true,
  nearbyOpen: true,
  nearbyFor: null,
  nearby: null,
  nearbyLoading: false,
  drill: null,
  measure: { mode: 'off', points: [], hover: null, finished: false },
  pointer: null,
  view: { zoom: 0, lat: 0 },
  wallOpen: false,
  wall: null,
  helpOpen: false,
  exporting: null,
  intakeOpen: false,
  intakePicking: false,
  responseOpen: false,
  responseFor: null,
  responseTab: 'plans',
  replay: null,
  alerts: null,
  alertsOpen: false,
  dutyOpen: false,
  plansOpen: false,
  dispatchOpen: false,
  dispatchFor: null,
  dispatchOpened: 0,
  resourceDialog: null,
  readinessOpen: false,
  registryOpen: false,
});

/** The map controller lives outside reactive state (MapLibre objects must not be proxied). */
let controller: MapController | null = null;
export const mapRef = {
  get(): MapController | null {
    return controller;
  },
  set(c: MapController | null): void {
    controller = c;
  },
};

let toastSeq = 0;
/** Shows an error toast for `ms` milliseconds (0: until dismissed). */
export function showToast(text: string, ms = 8000): void {
  const id = ++toastSeq;
  app.toasts = [...app.toasts, { id, text }];
  if (ms > 0) setTimeout(() => dismissToast(id), ms);
}

export function dismissToast(id: number): void {
  app.toasts = app.toasts.filter((t) => t.id !== id);
}
