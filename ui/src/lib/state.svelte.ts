// Application state shared by the components (Svelte 5 runes).
import type { Bootstrap } from './bindings/Bootstrap';
import type { Layer } from './bindings/Layer';
import type { EntityDetail } from './bindings/EntityDetail';
import type { LinkStatus } from './bindings/LinkStatus';
import type { Quarantined } from './bindings/Quarantined';
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
