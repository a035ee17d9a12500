// The page of an exported view, as numbers: where the header, the map image, the legend and
// the footer go, the scale bar's length and label, the file name. Pure functions, unit-tested
// (tests/export-layout.test.ts); `view.ts` draws what they decide.

/** A rectangle in output pixels. */
export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** The size of the legend to place: items per group, in order. */
export interface LegendShape {
  groups: readonly number[];
}

export interface ExportLayout {
  width: number;
  height: number;
  /** Output pixels per layout unit (text, margins and symbols are sized in units). */
  unit: number;
  /** Classification line (top), title, region and time. */
  header: Box;
  map: Box;
  /** The legend panel, right of the map (zero width without a legend). */
  legend: Box;
  /** Top-left corner of each legend group, and the column width. */
  groups: { x: number; y: number }[];
  column: number;
  /** Scale bar, attribution, notes and the classification line again (bottom). */
  footer: Box;
}

/** Layout units (at unit = 1). */
export const METRICS = {
  margin: 24,
  header: 92,
  footer: 64,
  column: 290,
  groupTitle: 30,
  item: 26,
  groupGap: 12,
  symbol: 20,
} as const;

/** The height of one legend group in layout units. */
export function groupHeight(items: number): number {
  return METRICS.groupTitle + items * METRICS.item + METRICS.groupGap;
}

/**
 * The unit of an export: the map image's pixels per CSS pixel, times how much wider than
 * 1600 CSS px the map is (a wall's 3200 px map gets text twice as large), so text and
 * symbols keep the same size relative to the map.
 */
export function exportUnit(imageWidth: number, cssWidth: number): number {
  if (!(imageWidth > 0) || !(cssWidth > 0)) return 1;
  const ratio = imageWidth / cssWidth;
  return Math.round(ratio * Math.max(1, cssWidth / 1600) * 1000) / 1000;
}

/**
 * Places the parts around a map image of `mapWidth` × `mapHeight` pixels: header above it,
 * the legend's groups in as many columns right of it as its height needs, footer below.
 * Nothing overlaps, everything is inside the page, and the map image is drawn 1:1.
 */
export function exportLayout(mapWidth: number, mapHeight: number, unit: number, legend: LegendShape): ExportLayout {
  const u = unit;
  const m = Math.round(METRICS.margin * u);
  const header: Box = { x: m, y: m, w: mapWidth, h: Math.round(METRICS.header * u) };
  const map: Box = { x: m, y: header.y + header.h, w: mapWidth, h: mapHeight };
  // Legend groups top to bottom; a new column when the next group would pass the map's
  // bottom (a group taller than the map gets a column of its own).
  const column = Math.round(METRICS.column * u);
  const groups: { x: number; y: number }[] = [];
  let col = 0;
  let y = 0;
  let tallest = 0;
  const legendX = map.x + map.w + m;
  for (const n of legend.groups) {
    const h = Math.round(groupHeight(n) * u);
    if (y > 0 && y + h > mapHeight) {
      col++;
      y = 0;
    }
    groups.push({ x: legendX + col * column, y: map.y + y });
    y += h;
    tallest = Math.max(tallest, y);
  }
  const columns = legend.groups.length === 0 ? 0 : col + 1;
  const legendBox: Box = { x: legendX, y: map.y, w: columns * column, h: Math.max(mapHeight, tallest) };
  const footer: Box = { x: m, y: map.y + legendBox.h, w: mapWidth + (columns > 0 ? m + legendBox.w : 0), h: Math.round(METRICS.footer * u) };
  const width = footer.x + footer.w + m;
  header.w = footer.w;
  return { width, height: footer.y + footer.h + m, unit: u, header, map, legend: legendBox, groups, column, footer };
}

/**
 * A scale bar: the longest round length (1, 2 or 5 × 10ⁿ metres) that fits in `maxPixels`
 * at `metresPerPixel`, its length in pixels and its label ("500 m", "2 km").
 */
export function niceScale(metresPerPixel: number, maxPixels: number): { metres: number; pixels: number; label: string } {
  if (!(metresPerPixel > 0) || !(maxPixels > 0)) return { metres: 0, pixels: 0, label: '' };
  const max = metresPerPixel * maxPixels;
  const pow = 10 ** Math.floor(Math.log10(max));
  const metres = [5, 2, 1].map((d) => d * pow).find((v) => v <= max) ?? pow;
  const label = metres >= 1000 ? `${metres / 1000} km` : `${metres} m`;
  return { metres, pixels: Math.round((metres / metresPerPixel) * 100) / 100, label };
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** `onemap-<region>-<yyyyMMdd-HHmm>` (local time), safe as a file name. */
export function exportFilename(region: string, time: Date): string {
  const stamp = `${time.getFullYear()}${pad(time.getMonth() + 1)}${pad(time.getDate())}-${pad(time.getHours())}${pad(time.getMinutes())}`;
  const safe = region.replace(/[\\/:*?"<>|\s]+/g, '_').replace(/^_+|_+$/g, '');
  return safe ? `onemap-${safe}-${stamp}` : `onemap-${stamp}`;
}

/** The export's time line: date, time and UTC offset in the given locale (zh-CN: 2026年11月22日 14:03:05 GMT+8). */
export function formatExportTime(time: Date, locale: string): string {
  return new Intl.DateTimeFormat(locale, {
    year: 'numeric',
    month: 'long',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hour12: false,
    timeZoneName: 'short',
  }).format(time);
}
