// Owns the live overlay: a change is drawn at once from small unclustered twin sources, while
// the large (clustered) situation sources take changes in batches.
//
// A diff to a source of 10,000 clustered points costs a regrouping of all of them in the
// worker before any tile reloads; a diff to a source of a few points costs almost nothing.
// So a feature that changed is put in its layer's live source and its old copy in the large
// source is flagged `STALE` (feature state: transparent, no re-tiling). The changes waiting
// for the large sources go to them together once the feed has been quiet for `QUIET_MS` (at
// the latest `MAX_WAIT_MS` after the first), and when the map has drawn them the overlay lets
// go of those features. A catch-up page of more than `OVERLAY_MAX` changes goes to the large
// sources at once: the overlay is for live edits, not for bulk.
//
// A batch costs the one map worker a regrouping and every tile in view (≈ 100 ms on a
// software renderer), and a live change arriving meanwhile waits behind it. So while changes
// keep coming (a feed of positions every second or so) batches wait for a pause; the cap
// only bounds how long a cluster's count at low zoom may still hold a moved feature's old
// place (the feature itself is drawn where it is now).
import type * as maplibregl from 'maplibre-gl';
import type { GeoJSONSource } from 'maplibre-gl';
import type { Layer } from '../bindings/Layer';
import type { MapFeature } from '../bindings/MapFeature';
import type { Changes } from '../bindings/Changes';
import { LAYERS, emptyByLayer, indexIds, planDiff, type IdIndex, type SourceDiff } from './features';
import { STALE, situationIds } from './style';

export const QUIET_MS = 2000;
export const MAX_WAIT_MS = 30_000;
export const OVERLAY_MAX = 200;
/** How long a batch may wait for the map to draw it before the overlay lets go anyway. */
const DRAWN_WAIT_MS = 1000;

type Page = Pick<Changes, 'upserted' | 'removed'>;

export class LiveOverlay {
  /** The ids each large source holds. */
  private held: IdIndex = emptyByLayer(() => new Set<string>());
  /** The ids each live source holds. */
  private drawn: IdIndex = emptyByLayer(() => new Set<string>());
  /** The latest version of each feature the large sources do not have yet (null: removed). */
  private pending = new Map<string, MapFeature | null>();
  /** The features flagged stale in a large source, and which. */
  private readonly stale = new Map<string, Layer>();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private firstPendingAt = 0;
  private flushing: Promise<void> = Promise.resolve();
  /** Bumped by `reset`: a batch in flight from before it leaves the new state alone. */
  private generation = 0;

  constructor(
    private readonly map: maplibregl.Map,
    private readonly source: (id: string) => GeoJSONSource,
  ) {}

  /** After a whole-set load of the large sources: nothing pending, nothing live. */
  reset(features: readonly MapFeature[]): void {
    this.generation++;
    this.clearTimer();
    this.held = indexIds(features);
    this.drawn = emptyByLayer(() => new Set<string>());
    this.pending.clear();
    this.stale.clear();
    for (const l of LAYERS) {
      const ids = situationIds(l);
      this.map.removeFeatureState({ source: ids.source });
      this.source(ids.live).setData({ type: 'FeatureCollection', features: [] });
    }
  }

  /** Whether a large source's copy of `id` is out of date (the overlay draws the current one). */
  isStale(id: string): boolean {
    return this.stale.has(id);
  }

  /** Changes waiting for the large sources. */
  get waiting(): number {
    return this.pending.size;
  }

  /** Applies one page of the change feed; resolves when the live sources have it. */
  async apply(page: Page): Promise<void> {
    for (const id of page.removed) this.pending.set(id, null);
    for (const f of page.upserted) this.pending.set(f.id, f);
    const bulk = page.upserted.length + page.removed.length > OVERLAY_MAX;
    // A bulk page still replaces the versions the overlay already draws.
    const live = bulk ? { upserted: page.upserted.filter((f) => this.drawn[f.layer]?.has(f.id)), removed: page.removed } : page;
    await this.update(planDiff(this.drawn, live), 'live');
    if (bulk) return this.flush();
    // Hidden only now that the live sources are reloading their tiles: the frame that
    // reload asks for is the one that hides the old copies (no extra frame).
    for (const f of page.upserted) this.markStale(f.id, f.layer);
    for (const id of page.removed) {
      const l = LAYERS.find((x) => this.held[x].has(id));
      if (l) this.markStale(id, l);
    }
    this.schedule();
  }

  /** Sends everything pending to the large sources now; resolves when the overlay let go of it. */
  async settle(): Promise<void> {
    while (this.pending.size > 0) await this.flush();
    await this.flushing;
  }

  dispose(): void {
    this.generation++;
    this.clearTimer();
  }

  private markStale(id: string, l: Layer): void {
    this.stale.set(id, l);
    this.map.setFeatureState({ source: situationIds(l).source, id }, { [STALE]: true });
  }

  private update(diffs: Partial<Record<Layer, SourceDiff>>, which: 'source' | 'live'): Promise<unknown> {
    return Promise.all(LAYERS.flatMap((l) => (diffs[l] ? [this.source(situationIds(l)[which]).updateData(diffs[l] as maplibregl.GeoJSONSourceDiff)] : [])));
  }

  private schedule(): void {
    const now = performance.now();
    if (this.timer === null) this.firstPendingAt = now;
    else clearTimeout(this.timer);
    const wait = Math.max(0, Math.min(QUIET_MS, this.firstPendingAt + MAX_WAIT_MS - now));
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.flush();
    }, wait);
  }

  private clearTimer(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  /** Queues one batch after the one in flight (batches reach the large sources in order). */
  private flush(): Promise<void> {
    this.clearTimer();
    this.flushing = this.flushing.then(() => this.flushBatch());
    return this.flushing;
  }

  private async flushBatch(): Promise<void> {
    if (this.pending.size === 0) return;
    const generation = this.generation;
    const batch = this.pending;
    this.pending = new Map();
    const page: Page = { upserted: [], removed: [] };
    for (const [id, f] of batch) {
      if (f) page.upserted.push(f);
      else page.removed.push(id);
    }
    await this.update(planDiff(this.held, page), 'source');
    await this.drawnOnce();
    if (generation !== this.generation) return;
    // Let go of what the large sources now draw, unless it changed again meanwhile: first
    // the stale flag (the new copy shows at once), then the live copy (a frame later).
    const done = [...batch.keys()].filter((id) => !this.pending.has(id));
    for (const id of done) {
      const l = this.stale.get(id);
      if (!l) continue;
      this.stale.delete(id);
      this.map.removeFeatureState({ source: situationIds(l).source, id }, STALE);
    }
    await this.update(planDiff(this.drawn, { upserted: [], removed: done }), 'live');
  }

  /** Until the map has drawn what its sources hold (its next `idle`), or `DRAWN_WAIT_MS`. */
  private drawnOnce(): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.map.off('idle', done);
        resolve();
      };
      const timer = setTimeout(done, DRAWN_WAIT_MS);
      this.map.on('idle', done);
      this.map.triggerRepaint();
    });
  }
}
