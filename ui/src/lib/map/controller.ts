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
import { buildPalette, type Palette, type PaletteTaxonomy } from './palette';
import { CLICKABLE, buildStyle, mapScale, sizeProperties, situationIds, zoomRanges, zoomShift } from './style';
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

export class MapController {
  readonly map: maplibregl.Map;
  readonly palette: Palette;
  private ids: IdIndex = emptyByLayer(() => new Set<string>());
  private readonly table = new Map<string, MapFeature>();
  private selected: string | null = null;
  /** The style's layers at scale 1, which `rescale` multiplies. */
  private readonly unscaled: readonly LayerSpecification[];
  private scale: number;
  private readonly onResize = (): void => this.rescale();

  private constructor(map: maplibregl.Map, palette: Palette, unscaled: readonly LayerSpecification[], scale: number) {
    this.map = map;
    this.palette = palette;
    this.unscaled = unscaled;
    this.scale = scale;
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
      // Keep the frame after render so screenshots of the canvas are not blank.
      canvasContextAttributes: { preserveDrawingBuffer: true },
    });
    map.addControl(new maplibregl.NavigationControl({ showCompass: true }), 'bottom-right');
    map.addControl(new maplibregl.ScaleControl({ unit: 'metric' }), 'bottom-left');
    map.fitBounds([w, s, e, n], { animate: false, padding: 20 });
    const ctl = new MapController(map, palette, buildStyle(input).layers, scale);
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
  }

  private source(l: Layer): GeoJSONSource {
    const s = this.map.getSource<GeoJSONSource>(situationIds(l).source);
    if (!s) throw new Error(`source of ${l} missing`);
    return s;
  }

  /** First load: the whole set, one setData per layer. */
  setFeatures(features: readonly MapFeature[]): void {
    const fcs = toCollections(features);
    this.ids = indexIds(features);
    this.table.clear();
    for (const f of features) this.table.set(f.id, f);
    for (const l of LAYERS) this.source(l).setData(fcs[l]);
  }

  /** Applies one page of changes as diffs. */
  async apply(page: Changes): Promise<boolean> {
    for (const id of page.removed) this.table.delete(id);
    for (const f of page.upserted) this.table.set(f.id, f);
    const diffs = planDiff(this.ids, page);
    const pending: Promise<void>[] = [];
    for (const l of LAYERS) {
      const d = diffs[l];
      if (d) pending.push(this.source(l).updateData(d as maplibregl.GeoJSONSourceDiff));
    }
    await Promise.all(pending);
    return pending.length > 0;
  }

  counts(): Record<Layer, number> {
    const out = emptyByLayer(() => 0);
    for (const l of LAYERS) out[l] = this.ids[l].size;
    return out;
  }

  rendered(): Record<Layer, number> {
    const out = emptyByLayer(() => 0);
    for (const l of LAYERS) {
      const id = situationIds(l).circle;
      if (!this.map.getLayer(id)) continue;
      const seen = new Set<string>();
      for (const f of this.map.queryRenderedFeatures({ layers: [id] })) {
        const fid = f.properties?.['id'];
        if (typeof fid === 'string') seen.add(fid);
      }
      out[l] = seen.size;
    }
    return out;
  }

  feature(id: string): MapFeature | undefined {
    return this.table.get(id);
  }

  /** Features of one layer, in a stable order (by name, then id). */
  list(l: Layer): MapFeature[] {
    return [...this.table.values()].filter((f) => f.layer === l).sort((a, b) => a.name.localeCompare(b.name, 'zh-CN') || a.id.localeCompare(b.id));
  }

  setVisible(l: Layer, visible: boolean): void {
    const v = visible ? 'visible' : 'none';
    const ids = situationIds(l);
    for (const id of [ids.circle, ids.label, ids.selected, l === 'incidents' ? 'incidents-halo' : '']) {
      if (id && this.map.getLayer(id)) this.map.setLayoutProperty(id, 'visibility', v);
    }
  }

  /** Rings the selected feature (or none). */
  select(id: string | null): void {
    this.selected = id;
    for (const l of LAYERS) this.map.setFilter(situationIds(l).selected, ['==', ['get', 'id'], id ?? '']);
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

  /** Centres the map on a feature without changing the zoom unless it is far out. */
  focus(id: string): void {
    const f = this.table.get(id);
    if (!f) return;
    this.map.easeTo({ center: [f.lon, f.lat], zoom: Math.max(this.map.getZoom(), 11 + zoomShift(this.scale)), duration: 400 });
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
      if (typeof id !== 'string' || typeof layer !== 'string') continue;
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

  onPick(cb: (pick: Pick | null) => void): void {
    this.map.on('click', (e) => cb(this.pickAt(e.point)));
    this.map.on('mousemove', (e) => {
      this.map.getCanvas().style.cursor = this.pickAt(e.point) ? 'pointer' : '';
    });
  }

  idle(): Promise<void> {
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
    window.removeEventListener('resize', this.onResize);
    this.map.remove();
  }
}
