// The wall's state (Svelte 5 runes), shared by its components.
import type { Bootstrap } from '../lib/bindings/Bootstrap';
import type { EntityDetail } from '../lib/bindings/EntityDetail';
import type { Layer } from '../lib/bindings/Layer';
import type { MapFeature } from '../lib/bindings/MapFeature';
import type { Stats } from '../lib/bindings/Stats';
import type { WallState } from '../lib/bindings/WallState';
import { emptyByLayer } from '../lib/map/features';
import type { Framed } from './region';
import { NO_SPOT, type Spot } from './spotlight';

export interface WallView {
  boot: Bootstrap | null;
  /** The operator's choice last applied (null before the first read). */
  control: WallState | null;
  stats: Stats | null;
  /** When the stats were read (ms). */
  statsAt: number;
  counts: Record<Layer, number>;
  head: number;
  live: boolean;
  ready: boolean;
  region: Framed | null;
  spot: Spot;
  /** The rotation now (ids of active incidents in the framed jurisdiction). */
  rotation: string[];
  detail: EntityDetail | null;
  /** The spotlight's map feature (the card's first facts, before its record is read). */
  spotFeature: MapFeature | null;
  /** Why the wall cannot show the picture (start-up failure); null when fine. */
  error: string | null;
}

export const view: WallView = $state({
  boot: null,
  control: null,
  stats: null,
  statsAt: 0,
  counts: emptyByLayer(() => 0),
  head: 0,
  live: false,
  ready: false,
  region: null,
  spot: NO_SPOT,
  rotation: [],
  detail: null,
  spotFeature: null,
  error: null,
});
