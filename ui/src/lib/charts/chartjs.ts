// Chart.js, tree-shaken: only the controllers, elements, scales and plugins the charts use
// are registered. Canvas rendering, no DOM or style injection, no network (CSP-safe).
// Sizes follow the root font (src/scale.css), so a 4K wall gets a 2× copy of a 1080p chart.
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LineController,
  LineElement,
  LinearScale,
  LogarithmicScale,
  PointElement,
  type ChartType,
  type Plugin,
} from 'chart.js';

Chart.register(BarController, BarElement, LineController, LineElement, PointElement, CategoryScale, LinearScale, LogarithmicScale, Legend);

export { Chart };

/** Colours of charts on the dark wall and console themes. */
export const CHART_THEME = {
  text: '#f2f7ff',
  muted: '#b7c8dc',
  grid: 'rgba(159, 180, 204, 0.22)',
  axis: 'rgba(159, 180, 204, 0.55)',
  font: "'Noto Sans CJK SC', 'Noto Sans SC', 'Source Han Sans SC', 'Microsoft YaHei', 'WenQuanYi Micro Hei', 'Noto Sans', sans-serif",
} as const;

/** The root font size in px (16 at 1920×1080, 32 at 3840×2160). */
export function rootPx(): number {
  const v = parseFloat(getComputedStyle(document.documentElement).fontSize);
  return Number.isFinite(v) && v > 0 ? v : 16;
}

/** Pixel sizes of a chart for a root font size. */
export function chartSizes(root: number) {
  return {
    tick: Math.round(root * 0.95),
    legend: Math.round(root * 0.95),
    value: Math.round(root * 1.05),
    box: Math.round(root * 0.9),
    line: Math.max(2, Math.round(root * 0.2)),
    point: Math.max(2, Math.round(root * 0.25)),
    pad: Math.round(root * 0.5),
  };
}

/** The charts' legend: top left, in the theme's text colour, sized like the rest of the chart. */
export function chartLegend(s: ReturnType<typeof chartSizes>, display: boolean) {
  return {
    display,
    position: 'top',
    align: 'start',
    labels: { color: CHART_THEME.text, font: { family: CHART_THEME.font, size: s.legend }, boxWidth: s.box, boxHeight: s.box, padding: s.pad },
  } as const;
}

export interface ValueLabelOptions {
  /** Draw the total of each (stacked) column at its end. */
  enabled?: boolean;
  format?: (n: number) => string;
  size?: number;
}

declare module 'chart.js' {
  interface PluginOptionsByType<TType extends ChartType> {
    valueLabels?: ValueLabelOptions;
  }
}

/** Writes each column's total at the end of its bar (read from afar, no hover needed). */
export const valueLabels: Plugin<'bar', ValueLabelOptions> = {
  id: 'valueLabels',
  afterDatasetsDraw(chart, _args, opts) {
    if (!opts.enabled) return;
    const datasets = chart.data.datasets;
    const n = chart.data.labels?.length ?? 0;
    const horizontal = chart.options.indexAxis === 'y';
    const { ctx } = chart;
    const size = opts.size ?? 16;
    ctx.save();
    ctx.font = `700 ${size}px ${CHART_THEME.font}`;
    ctx.fillStyle = CHART_THEME.text;
    ctx.textBaseline = horizontal ? 'middle' : 'bottom';
    ctx.textAlign = horizontal ? 'left' : 'center';
    for (let i = 0; i < n; i++) {
      let total = 0;
      let end: { x: number; y: number } | null = null;
      for (let d = 0; d < datasets.length; d++) {
        if (!chart.isDatasetVisible(d)) continue;
        const v = datasets[d]?.data[i];
        if (typeof v === 'number') total += v;
        const el = chart.getDatasetMeta(d).data[i];
        if (el) end = { x: el.x, y: el.y };
      }
      if (!end) continue;
      const text = opts.format ? opts.format(total) : String(total);
      if (horizontal) ctx.fillText(text, end.x + size * 0.4, end.y);
      else ctx.fillText(text, end.x, end.y - size * 0.25);
    }
    ctx.restore();
  },
};

/** Whether a canvas has any painted pixel (tests and the wall's ready check). */
export function canvasPainted(canvas: HTMLCanvasElement): boolean {
  const ctx = canvas.getContext('2d');
  if (!ctx || canvas.width === 0 || canvas.height === 0) return false;
  const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
  for (let i = 3; i < data.length; i += 4) if ((data[i] ?? 0) > 0) return true;
  return false;
}
