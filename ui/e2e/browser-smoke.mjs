// Browser smoke test of the hub-served console (playwright-core + Debian Chromium).
//   node e2e/browser-smoke.mjs [BASE_URL] [OUT_DIR]
// defaults: http://127.0.0.1:8787/ and ./e2e-out. Exits non-zero on any failure; the last
// line is `N passed, M failed`. Env: CHROMIUM (default /usr/bin/chromium), SMOKE_LIVE=0 to
// skip the live-update check (it writes +120/−120 occupancy to one shelter through the API).
// Screenshots: browser-commander-1920x1080.png and browser-commander-3840x2160.png (the
// commander layout as it opens, device scale 1), browser-<step>.png for the detail panels,
// browser-bare.png (bare.html, the cold-start benchmark's baseline page).
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

const base = new URL(process.argv[2] ?? 'http://127.0.0.1:8787/');
const out = resolve(process.argv[3] ?? 'e2e-out');
const executablePath = process.env.CHROMIUM ?? '/usr/bin/chromium';
const LAYERS = ['incidents', 'teams', 'warehouses', 'shelters', 'hazards'];
mkdirSync(out, { recursive: true });

let passed = 0;
let failed = 0;
function check(name, ok, detail = '') {
  if (ok) passed++;
  else failed++;
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}${detail ? ` — ${detail}` : ''}`);
  return ok;
}
async function step(name, fn) {
  try {
    await fn();
  } catch (e) {
    check(name, false, e instanceof Error ? e.message.split('\n')[0] : String(e));
  }
}

const browser = await chromium.launch({
  executablePath,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
});
const requests = [];
const problems = [];
/** A fresh page at width×height (device scale 1) whose requests and errors are recorded. */
async function openPage(width, height) {
  const context = await browser.newContext({ viewport: { width, height }, deviceScaleFactor: 1 });
  context.on('request', (r) => requests.push(r.url()));
  const p = await context.newPage();
  p.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  p.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console.error: ${m.text()}`);
  });
  // CSP violations (script-src 'self', no inline script) surface as console errors.
  await p.addInitScript(() => document.addEventListener('securitypolicyviolation', (e) => console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`)));
  return p;
}
const waitReady = (p) => p.waitForFunction(() => document.documentElement.dataset.ready === 'true' || document.documentElement.dataset.error, null, { timeout: 90_000 });
const idleOf = (p) =>
  p.evaluate(
    () =>
      new Promise((res) => {
        const map = window.__onemap.map;
        map.once('idle', () => res(true));
        map.triggerRepaint();
      }),
  );

const page = await openPage(1920, 1080);
const shot = (name) => page.screenshot({ path: join(out, `browser-${name}.png`) });
const idle = () => idleOf(page);
const rpc = (request) =>
  page.evaluate(async (req) => {
    const r = await fetch('api/rpc', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(req) });
    return { status: r.status, body: await r.json() };
  }, request);

try {
  const t0 = Date.now();
  await page.goto(base.href, { waitUntil: 'domcontentloaded' });
  await step('page becomes ready', async () => {
    await waitReady(page);
    const error = await page.evaluate(() => document.documentElement.dataset.error);
    check('page becomes ready', !error, error ?? `${Date.now() - t0} ms`);
  });
  await shot('commander-1920x1080');

  const hooks = await page.evaluate(() => ({
    ready: window.__onemap?.ready,
    counts: window.__onemap?.counts(),
    head: window.__onemap?.head,
  }));
  check('hooks: ready', hooks.ready === true);
  check('hooks: head > 0', typeof hooks.head === 'number' && hooks.head > 0, `head=${hooks.head}`);
  check('demo badge shown', await page.locator('[data-testid=demo-badge]').isVisible());

  // A single hub has no sync links: one neutral "standalone" badge says it is not syncing.
  await step('standalone link badge', async () => {
    const { body } = await rpc({ method: 'links' });
    check('links() of a single hub is empty', Array.isArray(body.result) && body.result.length === 0, JSON.stringify(body).slice(0, 160));
    await page.locator('[data-testid=link-badge]').first().waitFor({ timeout: 5000 });
    const badges = await page.locator('[data-testid=link-badge]').evaluateAll((els) =>
      els.map((e) => ({ state: e.dataset.state, text: e.innerText.trim(), name: e.getAttribute('aria-label'), visible: e.getBoundingClientRect().height > 0 })),
    );
    const b = badges[0];
    check('standalone link badge', badges.length === 1 && b.state === 'none' && b.text === '单机运行' && b.visible && (b.name ?? '').includes('单机运行'), JSON.stringify(badges));
  });

  // The sync quarantine: a single hub has refused nothing, so there is no quarantine badge;
  // Q opens the list (empty state, which also shows the console has read the quarantine), Esc
  // closes it.
  await step('quarantine badge and list', async () => {
    const { status, body } = await rpc({ method: 'quarantine' });
    const list = body?.result;
    if (!check('quarantine() answers an array', status === 200 && body.method === 'quarantine' && Array.isArray(list), JSON.stringify(body).slice(0, 160))) return;
    await page.keyboard.press('q');
    await page.locator('[data-testid=quarantine-panel]').waitFor({ timeout: 5000 });
    const panelName = await page.locator('#quarantine-title').innerText();
    check('Q opens the quarantine list', panelName.trim() === '同步隔离', panelName);
    if (list.length === 0) {
      await page.locator('[data-testid=quarantine-empty]').waitFor({ timeout: 5000 });
      check('quarantine list shows the empty state', (await page.locator('[data-testid=quarantine-empty]').innerText()).includes('隔离区为空'));
    } else {
      await page.locator('[data-testid=quarantine-row]').first().waitFor({ timeout: 5000 });
      const rows = await page.locator('[data-testid=quarantine-row]').count();
      check('quarantine list has one row per refused op', rows === list.length, `${rows} rows, ${list.length} refused`);
    }
    await shot('quarantine');
    await page.keyboard.press('Escape');
    await page.locator('[data-testid=quarantine-panel]').waitFor({ state: 'hidden', timeout: 5000 });
    check('Esc closes the quarantine list', true);
    const badges = await page.locator('[data-testid=quarantine-badge]').evaluateAll((els) => els.map((e) => ({ text: e.querySelector('[data-testid=quarantine-badge-text]')?.textContent?.trim(), name: e.getAttribute('aria-label'), visible: e.getBoundingClientRect().height > 0 })));
    if (list.length === 0) check('quarantine badge hidden when the quarantine is empty', badges.length === 0, JSON.stringify(badges));
    else check('quarantine badge shows the count', badges.length === 1 && badges[0].visible && badges[0].text === `隔离 ${list.length}`, JSON.stringify(badges));
  });

  // Every layer has features, and the count badges say so.
  const { body: layersAnswer } = await rpc({ method: 'layers' });
  const features = layersAnswer.result.features;
  for (const l of LAYERS) {
    const n = hooks.counts?.[l] ?? 0;
    const expected = features.filter((f) => f.layer === l).length;
    check(`count ${l} > 0`, n > 0, `${n}`);
    check(`count ${l} = layers() rows`, n === expected, `${n} vs ${expected}`);
    const badge = (await page.locator(`[data-testid=count-${l}]`).innerText()).replace(/[^\d]/g, '');
    check(`badge count-${l}`, Number(badge) === n, `badge ${badge}`);
  }

  // With every feature in view, each one is drawn.
  await step('rendered = counts with all in view', async () => {
    const lons = features.map((f) => f.lon);
    const lats = features.map((f) => f.lat);
    await page.evaluate((b) => window.__onemap.map.fitBounds(b, { animate: false, padding: 60 }), [Math.min(...lons), Math.min(...lats), Math.max(...lons), Math.max(...lats)]);
    await idle();
    const [rendered, counts] = await page.evaluate(() => [window.__onemap.rendered(), window.__onemap.counts()]);
    for (const l of LAYERS) check(`rendered ${l}`, rendered[l] === counts[l] && rendered[l] > 0, `${rendered[l]} of ${counts[l]}`);
    await shot('all-features');
  });

  // Click a team on the map.
  await step('click a team', async () => {
    const teams = features.filter((f) => f.layer === 'teams');
    const lonely = teams.find((t) => features.every((f) => f.id === t.id || Math.hypot(f.lon - t.lon, f.lat - t.lat) > 0.003)) ?? teams[0];
    await page.evaluate((t) => window.__onemap.map.jumpTo({ center: [t.lon, t.lat], zoom: 13 }), lonely);
    await idle();
    const pt = await page.evaluate((t) => {
      const p = window.__onemap.map.project([t.lon, t.lat]);
      const r = window.__onemap.map.getCanvas().getBoundingClientRect();
      return { x: r.left + p.x, y: r.top + p.y };
    }, lonely);
    await page.mouse.click(pt.x, pt.y);
    await page.locator('[data-testid=detail]').waitFor({ timeout: 10_000 });
    await page.waitForFunction((name) => document.querySelector('[data-testid=detail-name]')?.textContent?.trim() === name, lonely.name, { timeout: 10_000 });
    check('click a team', true, lonely.name);
    const kind = await page.locator('[data-testid=detail-kind]').innerText();
    check('detail kind is a team (zh)', kind.trim() === '救援队伍', kind);
    check('team summary shown', await page.locator('[data-testid=team-summary]').isVisible());
    await page.locator('[data-testid=detail-fields]').waitFor({ timeout: 10_000 });
    await shot('team-detail-zh');

    // Language switch.
    const layerLabelZh = await page.locator('[data-testid=layer-panel] h2').innerText();
    await page.locator('[data-testid=lang-toggle]').click();
    await page.waitForFunction(() => document.querySelector('[data-testid=detail-kind]')?.textContent?.trim() === 'Rescue team', null, { timeout: 5000 });
    const layerLabelEn = await page.locator('[data-testid=layer-panel] h2').innerText();
    check('language toggles to English', layerLabelZh === '图层' && layerLabelEn === 'Layers', `${layerLabelZh} → ${layerLabelEn}`);
    await shot('team-detail-en');
    await page.locator('[data-testid=lang-toggle]').click();
    await page.waitForFunction(() => document.querySelector('[data-testid=layer-panel] h2')?.textContent?.trim() === '图层', null, { timeout: 5000 });

    await page.keyboard.press('Escape');
    await page.locator('[data-testid=detail]').waitFor({ state: 'detached', timeout: 5000 });
    check('Esc closes the detail panel', true);
  });

  await step('] selects an incident', async () => {
    await page.locator('body').click({ position: { x: 5, y: 1070 } }).catch(() => {});
    await page.keyboard.press(']');
    await page.waitForFunction(() => document.querySelector('[data-testid=detail-kind]')?.textContent?.trim() === '突发事件', null, { timeout: 5000 });
    check('] selects an incident', true, await page.locator('[data-testid=detail-name]').innerText());
    await page.waitForTimeout(600);
    await idle();
    await shot('incident');
  });

  await step('warehouse detail with stock', async () => {
    const wh = features.find((f) => f.layer === 'warehouses' && f.class === 'county') ?? features.find((f) => f.layer === 'warehouses');
    await page.evaluate((id) => window.__onemap.select(id), wh.id);
    await page.locator('[data-testid=stock-table]').waitFor({ timeout: 10_000 });
    const rows = await page.locator('[data-testid=stock-table] tbody tr').count();
    check('warehouse detail with stock', rows > 0, `${wh.name}: ${rows} lines`);
    await shot('warehouse');
  });

  await step('shelter detail and live update', async () => {
    const sh = features.find((f) => f.layer === 'shelters');
    await page.evaluate((id) => window.__onemap.select(id), sh.id);
    await page.locator('[data-testid=shelter-gauge]').waitFor({ timeout: 10_000 });
    check('shelter gauge shown', true, sh.name);
    await shot('shelter');
    if (process.env.SMOKE_LIVE === '0') return;
    const headBefore = await page.evaluate(() => window.__onemap.head);
    const gaugeBefore = await page.locator('[data-testid=shelter-gauge] dl').innerText();
    const moved = await rpc({ method: 'move', params: { entity: { kind: 'shelter', id: sh.id }, account: 'occupancy', delta: 120, reason: 'browser smoke test' } });
    if (!check('move occupancy accepted', moved.status === 200, JSON.stringify(moved.body).slice(0, 160))) return;
    await page.waitForFunction((h) => window.__onemap.head > h, headBefore, { timeout: 5000 });
    // Compare innerText with innerText (textContent differs in whitespace and would pass at once).
    await page.waitForFunction((b) => document.querySelector('[data-testid=shelter-gauge] dl')?.innerText !== b, gaugeBefore, { timeout: 5000 }).catch(() => {});
    const gaugeAfter = await page.locator('[data-testid=shelter-gauge] dl').innerText();
    check('live change reaches the panel within 5 s', gaugeAfter !== gaugeBefore, `${gaugeBefore.replace(/\s+/g, ' ')} → ${gaugeAfter.replace(/\s+/g, ' ')}`);
    await rpc({ method: 'move', params: { entity: { kind: 'shelter', id: sh.id }, account: 'occupancy', delta: -120, reason: 'browser smoke test (undo)' } });
  });

  // Layer toggle by keyboard: L hides the layer panel.
  await step('L toggles the layer panel', async () => {
    await page.keyboard.press('Escape');
    await page.keyboard.press('l');
    await page.locator('[data-testid=layer-panel]').waitFor({ state: 'detached', timeout: 3000 });
    await page.keyboard.press('l');
    await page.locator('[data-testid=layer-panel]').waitFor({ timeout: 3000 });
    check('L toggles the layer panel', true);
  });

  // Back to the opening view for a clean screenshot of the region.
  await page.evaluate(() => {
    const m = window.__onemap.map;
    m.jumpTo({ center: [125.955, 41.735], zoom: 10.6 });
  });
  await idle();
  await shot('region');

  // The commander layout on a 4K wall (device scale 1): text must scale with the screen.
  await step('4K commander layout', async () => {
    const big = await openPage(3840, 2160);
    await big.goto(base.href, { waitUntil: 'domcontentloaded' });
    await waitReady(big);
    await idleOf(big);
    const px = await big.evaluate(() => ({
      root: parseFloat(getComputedStyle(document.documentElement).fontSize),
      title: parseFloat(getComputedStyle(document.querySelector('h1') ?? document.body).fontSize),
    }));
    await big.screenshot({ path: join(out, 'browser-commander-3840x2160.png') });
    check('4K commander layout', px.root >= 30 && px.title >= 44, `root ${px.root}px, title ${px.title}px`);
    // Map labels and symbols scale with the root font (16 px incident labels at 1080p), and
    // zoom thresholds move up by log2(scale) (team labels from z11 at 1080p): a 2× copy.
    const sizes = () =>
      big.evaluate(() => {
        const m = window.__onemap.map;
        return { label: m.getLayoutProperty('incidents-label', 'text-size'), stroke: m.getPaintProperty('teams-circle', 'circle-stroke-width'), minzoom: m.getLayer('teams-label')?.minzoom };
      });
    const at4k = await sizes();
    check('4K map labels scaled', at4k.label === 32 && at4k.stroke === 6 && at4k.minzoom === 12, JSON.stringify(at4k));
    await big.setViewportSize({ width: 1920, height: 1080 });
    await big.waitForFunction(() => window.__onemap.map.getLayoutProperty('incidents-label', 'text-size') === 16, null, { timeout: 5000 }).catch(() => {});
    const at1080 = await sizes();
    check('map labels rescale on resize', at1080.label === 16 && at1080.stroke === 3 && at1080.minzoom === 11, JSON.stringify(at1080));
    await big.context().close();
  });

  // bare.html: the benchmark baseline (same map, synthetic features, no API) reaches ready.
  await step('bare.html ready', async () => {
    const counts = { incidents: 5, teams: 64, warehouses: 21, shelters: 28, hazards: 36 };
    const bare = await openPage(1920, 1080);
    const t1 = Date.now();
    await bare.goto(new URL(`bare.html?${new URLSearchParams(Object.entries(counts).map(([k, v]) => [k, String(v)]))}`, base).href, { waitUntil: 'domcontentloaded' });
    await waitReady(bare);
    const r = await bare.evaluate(() => ({ error: document.documentElement.dataset.error, counts: window.__onemap?.counts(), rendered: window.__onemap?.rendered() }));
    check('bare.html ready', !r.error, r.error ?? `${Date.now() - t1} ms`);
    check('bare.html counts = query', JSON.stringify(r.counts) === JSON.stringify(counts), JSON.stringify(r.counts));
    check('bare.html draws every feature', JSON.stringify(r.rendered) === JSON.stringify(counts), JSON.stringify(r.rendered));
    await bare.screenshot({ path: join(out, 'browser-bare.png') });
    await bare.context().close();
  });
} catch (e) {
  check('smoke run', false, e instanceof Error ? e.message : String(e));
}

const foreign = requests.filter((u) => {
  const url = new URL(u);
  if (url.protocol === 'data:' || url.protocol === 'blob:') return false;
  return url.origin !== base.origin;
});
check('no request leaves the origin', foreign.length === 0, foreign.length ? foreign.slice(0, 5).join(', ') : `${requests.length} requests`);
check('no page errors', problems.length === 0, problems.slice(0, 5).join(' | '));
await browser.close();
console.log(`screenshots: ${out}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
