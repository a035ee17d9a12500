// Export check page (dev server only: `npx vite`, then /bench/export-check.html?format=png
// with a hub's /tiles proxied): the bare map's synthetic data, then `exportView` without a
// download; the file is left in `window.__export` as a data: URL for the caller to save.
import '../src/bare.css';
import { MapController } from '../src/lib/map/controller';
import { parseBareParams, syntheticFeatures } from '../src/lib/map/synthetic';
import { exportView, legendGroups } from '../src/lib/export/view';

declare global {
  interface Window {
    __export?: string;
  }
}

async function main(): Promise<void> {
  const p = parseBareParams(location.search);
  const ctl = await MapController.create(document.getElementById('map') as HTMLElement, p.setup);
  ctl.setFeatures(syntheticFeatures(p.counts, p.setup.region.bounds, p.seed));
  await ctl.idle();
  const format = new URLSearchParams(location.search).get('format') === 'pdf' ? 'pdf' : 'png';
  const all = { incidents: true, teams: true, warehouses: true, shelters: true, hazards: true };
  const blob = await exportView(ctl.map, format, {
    region: '东昌区',
    classification: '内部 · 注意保密',
    legend: legendGroups(ctl.palette, all, 'zh-CN'),
    demo: true,
    download: false,
    time: new Date(2026, 10, 22, 14, 3, 5),
  });
  window.__export = await new Promise<string>((resolve) => {
    const r = new FileReader();
    r.onload = () => resolve(String(r.result));
    r.readAsDataURL(blob);
  });
  document.documentElement.dataset['ready'] = 'true';
}

main().catch((e: unknown) => {
  document.documentElement.dataset['error'] = e instanceof Error ? e.message : String(e);
});
