// Owns the MapLibre map: basemap + situation sources, diffs, visibility, selection, picking.
import * as maplibregl from 'maplibre-gl';
import 'maplibre-gl/dist/maplibre-gl.css';
import type { GeoJSONSource } from 'maplibre-gl';
import type { LayerSpecification } from '@maplibre/maplibre-gl-style-spec';
import type { Region } from '../bindings/Region';
import type { MapFeature } from '../bindings/MapFeature';
import type { Layer } from '../bindings/Layer';
import type { Changes } from '../bindings/Changes';
import { LOCAL_IDEOGRAPH_FONT_FAMILY, glyphsUrl, isTauri, tileUrl } from '../env';
import { LAYERS, emptyByLayer, indexIds, planDiff, toCollections, type IdIndex } from './features';
import { buildPalette, symbolIds, type Palette, type PaletteTaxonomy } from './palette';
import { CLICKABLE, CLUSTERED, CLUSTER_LAYERS, INCIDENT_EXTRAS, buildStyle, clusterOptions, liveId, mapScale, sizeProperties, situationIds, zoomRanges, zoomShift } from './style';
import { LiveOverlay } from './live';
import { iconPixelRatio, rasterise, specForId } from './symbols';
import { NorthArrowControl, pageLang } from './north';
import { translate } from '../i18n/core';
import { configureWorker } from './worker';

export interface Pick {
  id: string;
  layer: Layer;
}

/**
 * What the map needs to start: the region it opens on and the taxonomy that colours the
 * situation layers. The console passes its `Bootstrap`; the bare benchmark page
 * (`src/bare.ts`) passes the same shape without an API.
 */
export interface MapSetup {
  region: Omit<Region, 'name_zh' | 'name_en'>;
  taxonomy: PaletteTaxonomy;
}

/** Pixels around a click that still hit a point (fingers, 4K walls), at scale 1. */
const PICK_TOLERANCE = 8;

/** The map's pixel scale now: the root font size / 16 (1 at 1920×1080, 2 at 3840×2160). */
function currentScale(): number {
  return mapScale(getComputedStyle(document.documentElement).fontSize);
}

const clusterKey = (o: { clusterMaxZoom: number; clusterRadius: number }): string => `${o.clusterMaxZoom}/${o.clusterRadius}`;

/**
 * The symbol images: drawn on demand when a layer first asks for an id (MapLibre's missing
 * image resolver), at a pixel ratio for the screen and the 4K scale; redrawn when the scale
 * grows past what they were drawn for.
 */
class SymbolImages {
  private readonly added = new Set<string>();
  private ratio: number;

  constructor(
    private readonly map: maplibregl.Map,
    private readonly palette: Palette,
    scale: number,
  ) {
    this.ratio = iconPixelRatio(window.devicePixelRatio, scale);
    for (const id of symbolIds(palette)) this.add(id);
    // Classes the taxonomy did not name (drawn with the fallback mark) are drawn on demand.
    map.setMissingStyleImageResolver((id) => this.add(id));
  }

  private add(id: string): void {
    const spec = specForId(this.palette, id);
    if (!spec || this.map.hasImage(id)) return;
    this.map.addImage(id, rasterise(spec, this.ratio), { pixelRatio: this.ratio });
    this.added.add(id);
  }

  /** Redraws every image at the ratio `scale` needs, if it changed. */
  rescale(scale: number): void {
    const ratio = iconPixelRatio(window.devicePixelRatio, scale);
    if (ratio === this.ratio) return;
    this.ratio = ratio;
    for (const id of this.added) {
      const spec = specForId(this.palette, id);
      if (!spec) continue;
      this.map.removeImage(id);
      this.map.addImage(id, rasterise(spec, ratio), { pixelRatio: ratio });
    }
  }
}

export class MapController {
  readonly map: maplibregl.Map;
  readonly palette: Palette;
  private ids: IdIndex = emptyByLayer(() => new Set<string>());
  private readonly table = new Map<string, MapFeature>();
  private selected: string | null = null;
  /** The style's layers at scale 1, which `rescale` multiplies. */
  private readonly unscaled: readonly LayerSpecification[];
  private scale: number;
  /** The cluster options each clustered source has now (they follow its size and the scale). */
  private readonly clusters = new Map<Layer, string>();
  private readonly images: SymbolImages;
  private readonly live: LiveOverlay;
  private scaleBar: maplibregl.ScaleControl;
  private readonly onResize = (): void => this.rescale();

  private constructor(map: maplibregl.Map, palette: Palette, unscaled: readonly LayerSpecification[], scale: number, images: SymbolImages, scaleBar: maplibregl.ScaleControl) {
    this.map = map;
    this.palette = palette;
    this.unscaled = unscaled;
    this.scale = scale;
    this.images = images;
    this.scaleBar = scaleBar;
    this.live = new LiveOverlay(map, (id) => this.sourceById(id));
    // The style starts every clustered source with the options of an empty one.
    for (const l of CLUSTERED) this.clusters.set(l, clusterKey(clusterOptions(scale)));
  }

  /** Creates the map in `container` and resolves once its style has loaded. */
  static async create(container: HTMLElement, boot: MapSetup): Promise<MapController> {
    await configureWorker();
    const palette = buildPalette(boot.taxonomy);
    const code = boot.region.code;
    const input = {
      tiles: tileUrl(isTauri(), location),
      glyphs: glyphsUrl(location),
      region6: code.slice(0, 6),
      city6: `${code.slice(0, 4)}00`,
      palette,
    };
    const scale = currentScale();
    const style = buildStyle({ ...input, scale });
    const [w, s, e, n] = boot.region.bounds;
    const map = new maplibregl.Map({
      container,
      style,
      center: [boot.region.centre.lon, boot.region.centre.lat],
      zoom: boot.region.zoom,
      minZoom: 4,
      maxZoom: 16,
      localIdeographFontFamily: LOCAL_IDEOGRAPH_FONT_FAMILY,
      attributionControl: false,
      fadeDuration: 0,
      locale: {
        'NavigationControl.ZoomIn': translate(pageLang(), 'map.zoom_in'),
        'NavigationControl.ZoomOut': translate(pageLang(), 'map.zoom_out'),
        'NavigationControl.ResetBearing': translate(pageLang(), 'map.reset_bearing'),
      },
    });
    const images = new SymbolImages(map, palette, scale);
    // Zoom buttons and a compass (click: back to north), a north arrow, a metric scale bar.
    map.addControl(new maplibregl.NavigationControl({ showCompass: true, visualizePitch: false }), 'bottom-right');
    map.addControl(new NorthArrowControl(), 'top-right');
    const scaleBar = new maplibregl.ScaleControl({ unit: 'metric', maxWidth: Math.round(100 * scale) });
    map.addControl(scaleBar, 'bottom-left');
    map.fitBounds([w, s, e, n], { animate: false, padding: 20 });
    const ctl = new MapController(map, palette, buildStyle(input).layers, scale, images, scaleBar);
    await new Promise<void>((resolve, reject) => {
      if (map.loaded()) return resolve();
      map.once('load', () => resolve());
      map.once('error', (ev) => {
        if (!map.loaded()) reject(ev.error ?? new Error('map error'));
      });
    });
    // The root font size follows the window: keep the map's pixel sizes in step with it.
    window.addEventListener('resize', ctl.onResize);
    return ctl;
  }

  /** Re-applies the pixel sizes and zoom thresholds when the root font size (the window) changed. */
  rescale(): void {
    const k = currentScale();
    if (k === this.scale) return;
    this.scale = k;
    for (const p of sizeProperties(this.unscaled, k)) {
      if (!this.map.getLayer(p.layer)) continue;
      if (p.kind === 'layout') this.map.setLayoutProperty(p.layer, p.name, p.value);
      else this.map.setPaintProperty(p.layer, p.name, p.value);
    }
    for (const z of zoomRanges(this.unscaled, k)) {
      if (this.map.getLayer(z.layer)) this.map.setLayerZoomRange(z.layer, z.minzoom, z.maxzoom);
    }
    this.updateClusters();
    this.images.rescale(k);
    this.map.removeControl(this.scaleBar);
    this.scaleBar = new maplibregl.ScaleControl({ unit: 'metric', maxWidth: Math.round(100 * k) });
    this.map.addControl(this.scaleBar, 'bottom-left');
  }

  /** Sets each clustered source's options for its size and the scale, where they changed. */
  private updateClusters(): void {
    for (const l of CLUSTERED) {
      const o = clusterOptions(this.scale, this.ids[l].size);
      const key = clusterKey(o);
      if (this.clusters.get(l) === key) continue;
      this.clusters.set(l, key);
      void this.source(l).setClusterOptions({ cluster: true, ...o });
    }
  }

  /** The zoom from which a layer shows single features (above its cluster maximum). */
  singlesFrom(l: Layer): number {
    return CLUSTERED.includes(l) ? clusterOptions(this.scale, this.ids[l].size).clusterMaxZoom + 1 : 0;
  }

  private source(l: Layer): GeoJSONSource {
    return this.sourceById(situationIds(l).source);
  }

  private sourceById(id: string): GeoJSONSource {
    const s = this.map.getSource<GeoJSONSource>(id);
    if (!s) throw new Error(`source ${id} missing`);
    return s;
  }

  /** First load: the whole set, one setData per layer. */
  setFeatures(features: readonly MapFeature[]): void {
    const fcs = toCollections(features);
    this.ids = indexIds(features);
    this.table.clear();
    for (const f of features) this.table.set(f.id, f);
    for (const l of LAYERS) this.source(l).setData(fcs[l]);
    this.live.reset(features);
    this.updateClusters();
  }

  /**
   * Applies one page of changes: drawn at once by the live overlay, as `updateData` diffs
   * (`live.ts`). Resolves when the overlay has them.
   */
  async apply(page: Changes): Promise<void> {
    for (const id of page.removed) this.table.delete(id);
    for (const f of page.upserted) this.table.set(f.id, f);
    planDiff(this.ids, page);
    this.updateClusters();
    await this.live.apply(page);
  }

  /** Until every change has reached the large sources and the map has drawn it. */
  async settle(): Promise<void> {
    await this.live.settle();
  }

  counts(): Record<Layer, number> {
    const out = emptyByLayer(() => 0);
    for (const l of LAYERS) out[l] = this.ids[l].size;
    return out;
  }

  /**
   * The features drawn now, per layer: distinct features drawn on their own (their hit
   * circles, as `queryRenderedFeatures` finds them, live or not stale), plus the points inside
   * each distinct cluster circle drawn. With every feature in view and the overlay settled
   * (`settle`) this equals `counts()`, clustered or not.
   */
  rendered(): Record<Layer, number> {
    const out = emptyByLayer(() => 0);
    for (const l of LAYERS) {
      const ids = situationIds(l);
      if (!this.map.getLayer(ids.circle)) continue;
      const seen = new Set<string>();
      for (const f of this.map.queryRenderedFeatures({ layers: [ids.circle, liveId(ids.circle)] })) {
        const fid = f.properties?.['id'];
        if (typeof fid === 'string' && !this.staleHit(f)) seen.add(fid);
      }
      let inClusters = 0;
      if (this.map.getLayer(ids.cluster)) {
        const clusters = new Map<number, number>();
        for (const f of this.map.queryRenderedFeatures({ layers: [ids.cluster] })) {
          const cid = f.properties?.['cluster_id'];
          const n = f.properties?.['point_count'];
          if (typeof cid === 'number' && typeof n === 'number') clusters.set(cid, n);
        }
        for (const n of clusters.values()) inClusters += n;
      }
      out[l] = seen.size + inClusters;
    }
    return out;
  }

  feature(id: string): MapFeature | undefined {
    return this.table.get(id);
  }

  /** Every feature the map holds (the whole set, as `setFeatures` takes it). */
  all(): MapFeature[] {
    return [...this.table.values()];
  }

  /** Features of one layer, in a stable order (by name, then id). */
  list(l: Layer): MapFeature[] {
    return [...this.table.values()].filter((f) => f.layer === l).sort((a, b) => a.name.localeCompare(b.name, 'zh-CN') || a.id.localeCompare(b.id));
  }

  setVisible(l: Layer, visible: boolean): void {
    const v = visible ? 'visible' : 'none';
    const ids = situationIds(l);
    for (const id of [ids.circle, ids.symbol, ids.label, ids.selected, ids.cluster, ids.clusterCount, ...(l === 'incidents' ? INCIDENT_EXTRAS : [])]) {
      for (const each of [id, liveId(id)]) if (id && this.map.getLayer(each)) this.map.setLayoutProperty(each, 'visibility', v);
    }
  }

  /** Rings the selected feature (or none). */
  select(id: string | null): void {
    this.selected = id;
    for (const l of LAYERS) {
      const ring = situationIds(l).selected;
      for (const each of [ring, liveId(ring)]) this.map.setFilter(each, ['==', ['get', 'id'], id ?? '']);
    }
  }

  /** Pans to a feature when it is outside the visible map (keeps the zoom). */
  reveal(id: string): void {
    const f = this.table.get(id);
    if (!f) return;
    const p = this.map.project([f.lon, f.lat]);
    const c = this.map.getCanvas();
    const w = c.clientWidth;
    const h = c.clientHeight;
    const m = 40;
    if (p.x < m || p.y < m || p.x > w - m || p.y > h - m) this.map.easeTo({ center: [f.lon, f.lat], duration: 300 });
  }

  /** Centres the map on a feature without changing the zoom unless it is far out (or in a cluster). */
  focus(id: string): void {
    const f = this.table.get(id);
    if (!f) return;
    // A clustered layer shows single features above its cluster maximum zoom.
    const least = Math.max(this.singlesFrom(f.layer), 11 + zoomShift(this.scale));
    this.map.easeTo({ center: [f.lon, f.lat], zoom: Math.max(this.map.getZoom(), least), duration: 400 });
  }

  /** The topmost situation feature near a screen point. */
  pickAt(point: { x: number; y: number }): Pick | null {
    const layers = CLICKABLE.filter((id) => this.map.getLayer(id) && this.map.getLayoutProperty(id, 'visibility') !== 'none');
    if (layers.length === 0) return null;
    const t = PICK_TOLERANCE * this.scale;
    const hits = this.map.queryRenderedFeatures(
      [
        [point.x - t, point.y - t],
        [point.x + t, point.y + t],
      ],
      { layers },
    );
    // queryRenderedFeatures lists the topmost first; prefer the one nearest the point.
    let best: Pick | null = null;
    let bestD = Infinity;
    for (const h of hits) {
      const id = h.properties?.['id'];
      const layer = h.properties?.['layer'];
      if (typeof id !== 'string' || typeof layer !== 'string' || this.staleHit(h)) continue;
      const f = this.table.get(id);
      if (!f) continue;
      const p = this.map.project([f.lon, f.lat]);
      const d = Math.hypot(p.x - point.x, p.y - point.y);
      if (d < bestD - 0.5) {
        best = { id, layer: f.layer };
        bestD = d;
      }
    }
    return best;
  }

  /** The cluster circle under a screen point, if any (visible layers only). */
  clusterAt(point: { x: number; y: number }): { layer: Layer; clusterId: number } | null {
    const layers = CLUSTER_LAYERS.filter((id) => this.map.getLayer(id) && this.map.getLayoutProperty(id, 'visibility') !== 'none');
    if (layers.length === 0) return null;
    for (const h of this.map.queryRenderedFeatures([point.x, point.y], { layers })) {
      const cid = h.properties?.['cluster_id'];
      const layer = LAYERS.find((l) => situationIds(l).cluster === h.layer.id);
      if (typeof cid === 'number' && layer) return { layer, clusterId: cid };
    }
    return null;
  }

  /** Zooms in on a cluster until it falls apart (its expansion zoom), centred on it. */
  async expandCluster(point: { x: number; y: number }): Promise<boolean> {
    const hit = this.clusterAt(point);
    if (!hit) return false;
    const zoom = await this.source(hit.layer).getClusterExpansionZoom(hit.clusterId);
    this.map.easeTo({ center: this.map.unproject([point.x, point.y]), zoom: Math.min(zoom, this.map.getMaxZoom()), duration: 400 });
    return true;
  }

  /**
   * Clicks: a feature → `cb(pick)`; a cluster circle → zoom in on it (no `cb`, so the
   * selection stays); empty map → `cb(null)`.
   */
  onPick(cb: (pick: Pick | null) => void): void {
    this.map.on('click', (e) => {
      const pick = this.pickAt(e.point);
      if (pick) return cb(pick);
      void this.expandCluster(e.point).then((expanded) => {
        if (!expanded) cb(null);
      });
    });
    this.map.on('mousemove', (e) => {
      this.map.getCanvas().style.cursor = this.pickAt(e.point) || this.clusterAt(e.point) ? 'pointer' : '';
    });
  }

  /** A hit on a large source's copy of a feature the live overlay draws anew. */
  private staleHit(h: maplibregl.MapGeoJSONFeature): boolean {
    return !h.layer.id.startsWith(liveId('')) && this.live.isStale(String(h.properties?.['id']));
  }

  /** Until every change is in the large sources and the map is at rest with all of it drawn. */
  async idle(): Promise<void> {
    await this.settle();
    return new Promise((resolve) => {
      if (this.map.loaded() && !this.map.isMoving() && this.map.areTilesLoaded()) {
        // Still wait one idle so freshly set data is rendered.
        this.map.once('idle', () => resolve());
        this.map.triggerRepaint();
        return;
      }
      this.map.once('idle', () => resolve());
    });
  }

  get selectedId(): string | null {
    return this.selected;
  }

  destroy(): void {
    this.live.dispose();
    window.removeEventListener('resize', this.onResize);
    this.map.remove();
  }
}
