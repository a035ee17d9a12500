// Benchmark: the console's cold start to the first rendered map, beside a bare Tauri window
// opening a page with the same map (basemap style, same number of point features) and
// nothing else. Both are timed the same way through tauri-driver: from the session request
// (process launch) until the page reports the map idle with its data. Runs alternate for
// ROUNDS rounds; medians are compared. Run under Xvfb by `cargo xtask bench`.
import { startDriver, waitFor } from './webdriver.mjs';

const env = (k) => { const v = process.env[k]; if (!v) throw new Error(`${k} is not set`); return v; };
const APP = env('ONEMAP_APP');
const BARE = env('ONEMAP_BARE_APP');
const QUERY = env('ONEMAP_BARE_QUERY');
const ROUNDS = Number(process.env.ONEMAP_ROUNDS ?? 5);

const driver = await startDriver(env('TAURI_DRIVER'));
async function time(app, args) {
  const t0 = performance.now();
  const s = await driver.open(app, args);
  try {
    await waitFor('map ready', () => s.exec('return document.documentElement.dataset.ready === "true"'), 120000, 20);
    return performance.now() - t0;
  } finally {
    await s.close();
  }
}
const median = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
try {
  // The first start creates the store and loads the demo set: not a cold start, discard it.
  await time(APP, []);
  const app = [], bare = [];
  for (let r = 0; r < ROUNDS; r++) {
    if (r % 2 === 0) { app.push(await time(APP, [])); bare.push(await time(BARE, [QUERY])); }
    else { bare.push(await time(BARE, [QUERY])); app.push(await time(APP, [])); }
  }
  const a = median(app), b = median(bare);
  console.log(`desktop cold start to first rendered map (median of ${ROUNDS}, via tauri-driver):`);
  console.log(`  OneMap console      : ${a.toFixed(0).padStart(6)} ms   runs ${app.map((x) => x.toFixed(0)).join(' ')}`);
  console.log(`  bare Tauri + MapLibre: ${b.toFixed(0).padStart(5)} ms   runs ${bare.map((x) => x.toFixed(0)).join(' ')}   (baseline)`);
  console.log(`  ratio               : ${(a / b).toFixed(2)}x`);
} finally {
  driver.stop();
}
