// Map benchmark (`cargo xtask bench`, map part), measured as reference/stack.md §8 says:
// headless Debian Chromium on SwiftShader with the flags listed there, real input events sent
// on a fixed schedule (never waiting for their acknowledgement), requestAnimationFrame deltas
// recorded in the page, pages alternated (A B C, C B A, …) for ROUNDS rounds, medians.
//
//   node ui/bench/map-bench.mjs HUB_BINARY FIXTURES_DIR OUTPUT_JSON
//
// It starts two hubs on copies of FIXTURES_DIR whose demo teams.csv holds 10,000 and 100,000
// synthetic teams (valid rows, uniform over the region's bounds; the other demo files as they
// are), so the console loads them from the hub's store, and prints from one run:
//   (a) p50/p95 frame time of a scripted 10 s pan/zoom on the console with 10,000 teams, and on
//       bare.html with the same feature counts, view, map size and style; console / bare;
//   (b) the same on the console with 100,000 teams (clustered), as a ratio to (a)'s console;
//   (c) update latency: an `upsert` through `POST api/rpc` moving a team to a point in view
//       (zoomed in past the teams' clusters),
//       until a rendered frame shows its symbol there (queryRenderedFeatures on the teams'
//       symbol layer or its live-overlay twin in a `render` event), p50/p95 from the commit's
//       acknowledgement (and from the request).
// Env: CHROMIUM (/usr/bin/chromium), MAP_BENCH_ROUNDS (5), MAP_BENCH_SECONDS (10),
// MAP_BENCH_SAMPLES (30 latency samples), MAP_BENCH_WIDTH / MAP_BENCH_HEIGHT (1280×720),
// MAP_BENCH_SMALL / MAP_BENCH_LARGE (10000 / 100000 teams).
import { chromium } from 'playwright-core';
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { idleOf as idle, sleep, waitReady } from '../e2e/harness.mjs';
import { prng } from '../src/lib/map/prng.js';

const [hubBin, fixturesArg, outArg] = process.argv.slice(2);
if (!hubBin || !fixturesArg || !outArg) {
  console.error('usage: node ui/bench/map-bench.mjs HUB_BINARY FIXTURES_DIR OUTPUT_JSON');
  process.exit(2);
}
const env = (k, d) => {
  const v = Number(process.env[k]);
  return Number.isFinite(v) && v > 0 ? v : d;
};
// 0 rounds: the latency part only (for a quick look; no frame-time figures).
const ROUNDS = process.env.MAP_BENCH_ROUNDS === '0' ? 0 : env('MAP_BENCH_ROUNDS', 5);
const SECONDS = env('MAP_BENCH_SECONDS', 10);
const SAMPLES = env('MAP_BENCH_SAMPLES', 30);
const WIDTH = env('MAP_BENCH_WIDTH', 1280);
const HEIGHT = env('MAP_BENCH_HEIGHT', 720);
const SMALL = env('MAP_BENCH_SMALL', 10_000);
const LARGE = env('MAP_BENCH_LARGE', 100_000);
const ui = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const repo = resolve(ui, '..');
const fixtures = resolve(fixturesArg);
const out = resolve(outArg);

// Flags from reference/stack.md §8 (keep --disable-gpu: rAF follows rendering only with it).
const FLAGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-gpu-vsync',
  '--disable-frame-rate-limit',
];

// ---------------------------------------------------------------------------- data

/** The region (code, bounds) of console.toml. */
function region(dir) {
  const toml = readFileSync(join(dir, 'console.toml'), 'utf8');
  const code = /^code\s*=\s*"(\d{12})"/m.exec(toml)?.[1];
  const b = /^bounds\s*=\s*\[([^\]]+)\]/m.exec(toml)?.[1]?.split(',').map(Number);
  if (!code || !b || b.length !== 4 || b.some((v) => !Number.isFinite(v))) throw new Error(`${dir}/console.toml: no [region] code and bounds`);
  return { code, bounds: b };
}

/** Writes `n` valid synthetic team rows (demo/README.md's columns) into dir/demo/teams.csv. */
function writeTeams(dir, n, seed) {
  const { code, bounds } = region(dir);
  const [w, s, e, north] = bounds;
  const taxonomy = readFileSync(join(dir, 'taxonomy.toml'), 'utf8');
  const types = taxonomy
    .split(/^\[\[/m)
    .filter((b) => b.startsWith('team_type]]'))
    .map((b) => /^id = "([^"]+)"/m.exec(b)?.[1])
    .filter(Boolean);
  const statuses = ['standby', 'dispatched', 'en_route', 'on_scene', 'returning'];
  // Townships of the region (the jurisdictions one level below it).
  const prefix = code.slice(0, 6);
  const towns = readFileSync(join(dir, 'demo/jurisdictions.csv'), 'utf8')
    .split('\n')
    .slice(1)
    .map((l) => l.split(',')[0])
    .filter((c) => c && c.startsWith(prefix) && c !== code);
  if (types.length === 0 || towns.length === 0) throw new Error('no team types or townships in the fixtures');
  const rnd = prng(seed);
  const pick = (xs) => xs[Math.floor(rnd() * xs.length)];
  const rows = ['key,name,team_type,specialties,headcount,equipment,owner_code,base_code,lon,lat,readiness_min,status'];
  for (let i = 0; i < n; i++) {
    const lon = (w + rnd() * (e - w)).toFixed(6);
    const lat = (s + rnd() * (north - s)).toFixed(6);
    rows.push(`team-bench-${String(i).padStart(6, '0')},基准队伍${i + 1},${pick(types)},urban_search,12,,${code},${pick(towns)},${lon},${lat},30,${pick(statuses)}`);
  }
  writeFileSync(join(dir, 'demo/teams.csv'), `${rows.join('\n')}\n`);
}

// ---------------------------------------------------------------------------- hubs

const children = [];
process.on('exit', () => {
  for (const c of children) c.kill();
});

/** Starts a hub on a copy of the fixtures with `n` teams; resolves with its URL. */
async function startHub(work, name, n) {
  const fx = join(work, `fixtures-${name}`);
  cpSync(fixtures, fx, { recursive: true });
  writeTeams(fx, n, 7);
  const data = join(work, `data-${name}`);
  mkdirSync(data, { recursive: true });
  const t0 = Date.now();
  const child = spawn(hubBin, ['serve', '--fixtures', fx, '--data', data, '--port', '0', '--ui', join(ui, 'dist'), '--tiles', join(repo, 'offline-tiles/onemap-basemap.mbtiles')], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let errors = '';
  child.stderr.on('data', (d) => (errors = (errors + d).slice(-2000)));
  const url = await new Promise((res, rej) => {
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (l) => {
      const m = /^OneMap console: (\S+)/.exec(l);
      if (m) res(m[1]);
    });
    child.on('exit', (code) => rej(new Error(`hub (${name}) exited with ${code}: ${errors}`)));
  });
  console.error(`   hub ${name}: ${n} teams loaded in ${((Date.now() - t0) / 1000).toFixed(1)} s, ${url}`);
  return url;
}

async function rpc(base, request) {
  const r = await fetch(new URL('api/rpc', base), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(request) });
  const body = await r.json();
  if (!r.ok) throw new Error(`${request.method}: ${r.status} ${JSON.stringify(body).slice(0, 200)}`);
  return body.result;
}

// ---------------------------------------------------------------------------- browser

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', headless: true, args: FLAGS });

async function open(url, width, height) {
  const context = await browser.newContext({ viewport: { width, height }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(e.message));
  await page.goto(url, { waitUntil: 'domcontentloaded' });
  await waitReady(page, 180_000);
  const error = await page.evaluate(() => document.documentElement.dataset.error);
  if (error) throw new Error(`${url}: ${error}`);
  await idle(page);
  return { page, context, problems };
}

/** The map's rectangle in the page (the console's map element, or bare.html's whole window). */
const mapRect = (page) =>
  page.evaluate(() => {
    const r = window.__onemap.map.getCanvas().getBoundingClientRect();
    return { x: r.left, y: r.top, w: r.width, h: r.height };
  });

/**
 * The scripted pan/zoom: a list of [ms, CDP Input.dispatchMouseEvent params] over SECONDS,
 * relative to the map's rectangle — drag in a circle, wheel in (30 notches, ≈ +4.3 zoom
 * levels: from the region's view to where 10,000 teams' clusters open), drag a figure of
 * eight, wheel out, drag a circle.
 */
function schedule(rect) {
  const ms = SECONDS * 1000;
  const cx = Math.round(rect.x + rect.w / 2);
  const cy = Math.round(rect.y + rect.h / 2);
  const R = Math.round(Math.min(rect.w, rect.h) * 0.25);
  const ev = [];
  const drag = (t0, t1, path) => {
    const [x0, y0] = path(0);
    ev.push([t0, { type: 'mousePressed', x: x0, y: y0, button: 'left', buttons: 1, clickCount: 1 }]);
    for (let t = t0 + 16; t < t1; t += 16) {
      const [x, y] = path((t - t0) / (t1 - t0));
      ev.push([t, { type: 'mouseMoved', x, y, button: 'left', buttons: 1 }]);
    }
    const [x1, y1] = path(1);
    ev.push([t1, { type: 'mouseReleased', x: x1, y: y1, button: 'left', buttons: 0, clickCount: 1 }]);
  };
  const wheel = (t0, t1, dy) => {
    for (let t = t0; t < t1; t += (t1 - t0) / 30) ev.push([Math.round(t), { type: 'mouseWheel', x: cx, y: cy, deltaX: 0, deltaY: dy }]);
  };
  const circle = (f) => [Math.round(cx + R * Math.cos(2 * Math.PI * f)), Math.round(cy + R * Math.sin(2 * Math.PI * f))];
  const eight = (f) => [Math.round(cx + R * Math.sin(2 * Math.PI * f)), Math.round(cy + (R / 2) * Math.sin(4 * Math.PI * f))];
  drag(0, 0.25 * ms, circle);
  wheel(0.25 * ms + 50, 0.45 * ms, -WHEEL);
  drag(0.45 * ms + 50, 0.7 * ms, eight);
  wheel(0.7 * ms + 50, 0.9 * ms, WHEEL);
  drag(0.9 * ms + 50, ms - 100, circle);
  return ev;
}

/**
 * One wheel notch: a multiple of MapLibre's wheel step (4.000244140625), so every event (and
 * any Chromium coalesces) counts as a mouse wheel, ≈ 0.15 zoom levels each, never as a
 * trackpad, whose zoom per event would depend on the page's timing.
 */
const WHEEL = 25 * 4.000244140625;

/** One measured run: rAF deltas in the page while the schedule's events are sent on time. */
async function run(url, width, height) {
  const { page, context, problems } = await open(url, width, height);
  try {
    const rect = await mapRect(page);
    const cdp = await context.newCDPSession(page);
    const events = schedule(rect);
    await page.evaluate((ms) => {
      const w = window;
      w.__bench = { deltas: [], zooms: [] };
      let last = null;
      const end = performance.now() + ms;
      const frame = (t) => {
        if (last !== null) w.__bench.deltas.push(t - last);
        w.__bench.zooms.push(w.__onemap.map.getZoom());
        last = t;
        if (t < end) requestAnimationFrame(frame);
        else w.__bench.done = true;
      };
      requestAnimationFrame(frame);
    }, SECONDS * 1000);
    const start = performance.now();
    const sent = [];
    for (const [at, params] of events) {
      const wait = start + at - performance.now();
      if (wait > 1) await sleep(wait);
      sent.push(cdp.send('Input.dispatchMouseEvent', { pointerType: 'mouse', ...params }).catch((e) => problems.push(String(e))));
    }
    await page.waitForFunction(() => window.__bench?.done === true, null, { timeout: SECONDS * 1000 + 60_000 });
    await Promise.all(sent);
    const r = await page.evaluate(() => window.__bench);
    const counts = await page.evaluate(() => window.__onemap.counts());
    if (problems.length) throw new Error(`${url}: ${problems.slice(0, 3).join(' | ')}`);
    return { ...summary(r.deltas), zoomMin: Math.min(...r.zooms), zoomMax: Math.max(...r.zooms), counts };
  } finally {
    await context.close();
  }
}

function quantile(xs, q) {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
}
const median = (xs) => quantile(xs, 0.5);
const summary = (deltas) => ({ frames: deltas.length, p50: quantile(deltas, 0.5), p95: quantile(deltas, 0.95) });

/**
 * Update latency on the console: a team is moved (upsert through the API) to a point in the
 * current view; the time until a rendered frame shows it there.
 */
async function latency(base, samples) {
  const { page, context } = await open(base.href, WIDTH, HEIGHT);
  try {
    const boot = await rpc(base, { method: 'bootstrap' });
    const { lon, lat } = boot.region.centre;
    // Above the teams' cluster limit, so single teams are drawn.
    const zoom = await page.evaluate(([lo, la]) => {
      const map = window.__onemap.map;
      const z = Math.max(13, map.getSource('situation-teams').getClusterOptions().clusterMaxZoom + 1.5);
      map.jumpTo({ center: [lo, la], zoom: z });
      return z;
    }, [lon, lat]);
    // When each change page reaches the page: a look inside `fetch` (the console's rpc uses
    // it), to split the latency into delivery and drawing. Only calls made from now on.
    await page.evaluate(() => {
      const w = window;
      const orig = w.fetch.bind(w);
      w.__changes = [];
      w.fetch = async (input, init) => {
        const res = await orig(input, init);
        if (typeof init?.body === 'string' && init.body.includes('"changes"')) {
          const t = performance.now();
          res
            .clone()
            .json()
            .then((b) => w.__changes.push({ t, ids: (b?.result?.upserted ?? []).map((f) => f.id) }))
            .catch(() => {});
        }
        return res;
      };
    });
    await idle(page);
    const layers = await rpc(base, { method: 'layers' });
    const teams = layers.features.filter((f) => f.layer === 'teams');
    const rnd = prng(11);
    const rows = [];
    // One warm-up move first, not counted: the live layers' first tile and first labels.
    for (let i = -1; i < samples; i++) {
      const team = teams[Math.floor(rnd() * teams.length)];
      const detail = await rpc(base, { method: 'entity', params: { entity: { kind: 'team', id: team.id } } });
      const { demo: _demo, ...fields } = detail.record.fields;
      const point = await page.evaluate(
        ([fx, fy]) => {
          const c = window.__onemap.map.getCanvas();
          return window.__onemap.map.unproject([c.clientWidth * fx, c.clientHeight * fy]).toArray();
        },
        [0.2 + 0.6 * rnd(), 0.2 + 0.6 * rnd()],
      );
      const body = { entity_kind: 'team', ...fields, location: { lon: Number(point[0].toFixed(6)), lat: Number(point[1].toFixed(6)) } };
      const r = await page.evaluate(
        async ({ id, body }) => {
          const map = window.__onemap.map;
          const at = [body.location.lon, body.location.lat];
          const t0 = performance.now();
          let frames = 0;
          const drawn = new Promise((resolve) => {
            const check = () => {
              frames++;
              const p = map.project(at);
              const hits = map.queryRenderedFeatures(
                [
                  [p.x - 3, p.y - 3],
                  [p.x + 3, p.y + 3],
                ],
                { layers: ['teams-symbol', 'live-teams-symbol'] },
              );
              if (hits.some((h) => h.properties?.id === id)) {
                map.off('render', check);
                resolve(performance.now());
              }
            };
            map.on('render', check);
            setTimeout(() => {
              map.off('render', check);
              resolve(NaN);
            }, 15_000);
          });
          const res = await fetch('api/rpc', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ method: 'upsert', params: { id, body } }) });
          const t1 = performance.now();
          if (!res.ok) return { error: `${res.status} ${(await res.text()).slice(0, 200)}` };
          const t2 = await drawn;
          const got = window.__changes.find((c) => c.t >= t0 && c.ids.includes(id))?.t ?? NaN;
          return { commit: t1 - t0, fromRequest: t2 - t0, fromCommit: t2 - t1, delivered: got - t1, drawing: t2 - got, frames };
        },
        { id: team.id, body },
      );
      if (r.error) throw new Error(`upsert: ${r.error}`);
      if (!Number.isFinite(r.fromRequest)) throw new Error(`team ${team.id} was not drawn at its new place within 15 s`);
      if (i >= 0) rows.push(r);
      // Uncorrelated with any polling period: 200–1200 ms between samples.
      await sleep(200 + 1000 * rnd());
    }
    const pick = (k) => rows.map((r) => r[k]).filter(Number.isFinite);
    return {
      samples: rows.length,
      zoom,
      delivered: { p50: quantile(pick('delivered'), 0.5), p95: quantile(pick('delivered'), 0.95) },
      drawing: { p50: quantile(pick('drawing'), 0.5), p95: quantile(pick('drawing'), 0.95) },
      fromCommit: { p50: quantile(pick('fromCommit'), 0.5), p95: quantile(pick('fromCommit'), 0.95) },
      fromRequest: { p50: quantile(pick('fromRequest'), 0.5), p95: quantile(pick('fromRequest'), 0.95) },
      commit: { p50: quantile(pick('commit'), 0.5), p95: quantile(pick('commit'), 0.95) },
      // Each sample in order: ms from commit to drawn, and the frames rendered from the request.
      each: rows.map((r) => ({ ms: Math.round(r.fromCommit), frames: r.frames })),
    };
  } finally {
    await context.close();
  }
}

// ---------------------------------------------------------------------------- main

const work = mkdtempSync(join(tmpdir(), 'onemap-map-bench-'));
const started = Date.now();
let result;
try {
  const [small, large] = await Promise.all([startHub(work, 'small', SMALL), ROUNDS > 0 ? startHub(work, 'large', LARGE) : Promise.resolve(null)]);
  const smallUrl = new URL(small);
  // The bare page gets the console's feature counts, region and view, and its map size.
  const probe = await open(smallUrl.href, WIDTH, HEIGHT);
  const counts = await probe.page.evaluate(() => window.__onemap.counts());
  const rect = await mapRect(probe.page);
  await probe.context.close();
  const boot = await rpc(smallUrl, { method: 'bootstrap' });
  const r = boot.region;
  const q = new URLSearchParams({
    ...Object.fromEntries(Object.entries(counts).map(([k, v]) => [k, String(v)])),
    centre: `${r.centre.lon},${r.centre.lat}`,
    zoom: String(r.zoom),
    bounds: r.bounds.join(','),
    region: r.code,
  });
  const pages = {
    console: { url: smallUrl.href, w: WIDTH, h: HEIGHT, runs: [] },
    bare: { url: new URL(`bare.html?${q}`, smallUrl).href, w: Math.round(rect.w), h: Math.round(rect.h), runs: [] },
    large: { url: large ? new URL(large).href : '', w: WIDTH, h: HEIGHT, runs: [] },
  };
  console.error(`   console map ${Math.round(rect.w)}×${Math.round(rect.h)} px in a ${WIDTH}×${HEIGHT} window; bare.html at the same map size; counts ${JSON.stringify(counts)}`);
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? ['console', 'bare', 'large'] : ['large', 'bare', 'console'];
    for (const name of order) {
      const p = pages[name];
      const m = await run(p.url, p.w, p.h);
      p.runs.push(m);
      console.error(`   round ${round + 1}/${ROUNDS} ${name.padEnd(7)} p50 ${m.p50.toFixed(1)} ms  p95 ${m.p95.toFixed(1)} ms  ${m.frames} frames  zoom ${m.zoomMin.toFixed(2)}–${m.zoomMax.toFixed(2)}`);
    }
  }
  const med = (name, k) => median(pages[name].runs.map((x) => x[k]));
  const frame = Object.fromEntries(Object.keys(pages).map((n) => [n, { p50: med(n, 'p50'), p95: med(n, 'p95'), frames: med(n, 'frames'), counts: pages[n].runs[0]?.counts }]));
  const lat = await latency(smallUrl, SAMPLES);
  result = {
    when: new Date().toISOString(),
    seconds: SECONDS,
    rounds: ROUNDS,
    window: [WIDTH, HEIGHT],
    teams: { small: SMALL, large: LARGE },
    frame,
    ratios: {
      consoleOverBare: { p50: frame.console.p50 / frame.bare.p50, p95: frame.console.p95 / frame.bare.p95 },
      largeOverSmall: { p50: frame.large.p50 / frame.console.p50, p95: frame.large.p95 / frame.console.p95 },
    },
    latency: lat,
    runs: Object.fromEntries(Object.entries(pages).map(([n, p]) => [n, p.runs])),
  };
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
} finally {
  await browser.close();
  for (const c of children) c.kill();
  rmSync(work, { recursive: true, force: true });
}

const f = (v, d = 1) => v.toFixed(d);
const n = (v) => v.toLocaleString('en');
const goal = (ok) => (ok ? 'goal met' : 'goal missed');
const { frame, ratios, latency: lat } = result;
console.log(`\nmap frame time: ${SECONDS} s scripted pan/zoom, ${WIDTH}×${HEIGHT} window, SwiftShader, median of ${ROUNDS} alternated rounds (rAF deltas)`);
console.log(`  console, ${n(SMALL)} teams + demo layers   p50 ${f(frame.console.p50)} ms   p95 ${f(frame.console.p95)} ms`);
console.log(`  bare.html, same data, view, size, style   p50 ${f(frame.bare.p50)} ms   p95 ${f(frame.bare.p95)} ms   (baseline)`);
console.log(`  console / bare                            p50 ${f(ratios.consoleOverBare.p50, 2)}×      p95 ${f(ratios.consoleOverBare.p95, 2)}×      (goal ≤ 1.15×: ${goal(Math.max(ratios.consoleOverBare.p50, ratios.consoleOverBare.p95) <= 1.15)})`);
console.log(`  console, ${n(LARGE)} teams (clustered)     p50 ${f(frame.large.p50)} ms   p95 ${f(frame.large.p95)} ms`);
console.log(`  ${n(LARGE)} / ${n(SMALL)}                        p50 ${f(ratios.largeOverSmall.p50, 2)}×      p95 ${f(ratios.largeOverSmall.p95, 2)}×      (goal ≤ 2×: ${goal(Math.max(ratios.largeOverSmall.p50, ratios.largeOverSmall.p95) <= 2)})`);
console.log(`update latency: API upsert → team drawn at its new place (console, ${n(SMALL)} teams, z${lat.zoom}, ${lat.samples} samples)`);
console.log(`  from the commit's acknowledgement         p50 ${f(lat.fromCommit.p50, 0)} ms   p95 ${f(lat.fromCommit.p95, 0)} ms   (goal p95 ≤ 100 ms: ${goal(lat.fromCommit.p95 <= 100)})`);
console.log(`  from the request (commit ${f(lat.commit.p50, 0)} ms p50)      p50 ${f(lat.fromRequest.p50, 0)} ms   p95 ${f(lat.fromRequest.p95, 0)} ms`);
console.log(`  of which commit → change page received    p50 ${f(lat.delivered.p50, 0)} ms   p95 ${f(lat.delivered.p95, 0)} ms;  received → drawn  p50 ${f(lat.drawing.p50, 0)} ms   p95 ${f(lat.drawing.p95, 0)} ms`);
console.log(`map bench: ${((Date.now() - started) / 1000).toFixed(0)} s; figures in ${out}`);
