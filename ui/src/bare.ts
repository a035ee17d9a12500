// The bare baseline page of the cold-start benchmark (bare.html): the console's map —
// same MapController (style builder, basemap/glyph URLs, worker setup, initial view) — on
// synthetic situation data, without Svelte, the API or any panel. Query string: see
// `parseBareParams` in lib/map/synthetic.ts. Ready signal as in the console:
// `document.documentElement.dataset.ready = "true"` once the map is idle with the data set;
// `dataset.error` carries the message when start-up fails.
import './bare.css';
import { MapController } from './lib/map/controller';
import { syntheticFeatures, parseBareParams } from './lib/map/synthetic';
import { installMapHooks } from './lib/hooks';

async function main(): Promise<void> {
  const container = document.getElementById('map');
  if (!container) throw new Error('#map missing');
  const p = parseBareParams(location.search);
  const ctl = await MapController.create(container, p.setup);
  ctl.setFeatures(syntheticFeatures(p.counts, p.setup.region.bounds, p.seed));
  // The same hooks as the console (select only rings the feature: there is no panel).
  const hooks = installMapHooks(
    () => ctl,
    () => 0,
    (id) => ctl.select(id),
    {},
  );
  await ctl.idle();
  hooks.ready = true;
  document.documentElement.dataset['ready'] = 'true';
}

main().catch((e: unknown) => {
  const message = e instanceof Error ? e.message : String(e);
  console.error(e);
  document.documentElement.dataset['error'] = message; // the benchmark stops waiting
});
