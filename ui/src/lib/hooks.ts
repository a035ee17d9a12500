// The test hooks' contract (window.__onemap) and their installation over a layout's map controller.
import type { Layer } from './bindings/Layer';
import type { MapFeature } from './bindings/MapFeature';
import type { MapController } from './map/controller';
import { emptyByLayer } from './map/features';

/** The stable contract the desktop and browser end-to-end tests use. */
export interface OneMapHooks {
  readonly map: unknown;
  ready: boolean;
  counts(): Record<Layer, number>;
  rendered(): Record<Layer, number>;
  /** Until every change has left the live overlay for the large sources, drawn. */
  settle(): Promise<void>;
  select(id: string): void;
  readonly head: number;
  /** A situation feature as the map holds it (null when it has none by that id); the
   *  console only (bare.html has no table to ask). */
  feature?(id: string): MapFeature | null;
}

declare global {
  interface Window {
    __onemap?: OneMapHooks;
  }
}

/**
 * Installs `window.__onemap` for a layout whose map controller is `ctl()` (null until it
 * exists), whose applied change-feed position is `head()` and which selects a feature with
 * `select`; `ready` starts false. `extra`'s own properties are added as they are (a getter
 * belongs inside a nested object, as the wall's).
 */
export function installMapHooks<E extends object>(ctl: () => MapController | null, head: () => number, select: (id: string) => void, extra: E): OneMapHooks & E {
  const hooks: OneMapHooks = {
    get map() {
      return ctl()?.map ?? null;
    },
    ready: false,
    counts: () => ctl()?.counts() ?? emptyByLayer(() => 0),
    rendered: () => ctl()?.rendered() ?? emptyByLayer(() => 0),
    settle: async () => ctl()?.settle(),
    select,
    get head() {
      return head();
    },
  };
  const installed = Object.assign(hooks, extra);
  window.__onemap = installed;
  return installed;
}
