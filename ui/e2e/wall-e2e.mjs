// Browser end-to-end test of the hub-served wall layout (/wall/), playwright-core + Debian Chromium.
//   node e2e/wall-e2e.mjs [BASE_URL] [OUT_DIR]
// defaults: http://127.0.0.1:8787/ and ./e2e-out. Exits non-zero on any failure; the last line
// is `N passed, M failed`. Env: CHROMIUM (default /usr/bin/chromium).
// It changes the node: set_wall (spotlight, layers, region; restored at the end) and
// +120/−120 occupancy on one shelter, through the console's API (BASE/api/rpc).
// Screenshots: wall-1920x1080.png, wall-3840x2160.png (device scale 1), wall-en.png,
// wall-held.png, wall-layers.png, wall-township.png.
import { join } from 'node:path';
import { LAYERS, check, cliArgs, expectConsoleErrors, finish, gotoReady, idleOf, launchBrowser, openPage, pageRpc, sleep, step, waitReady } from './harness.mjs';

const { base, out } = cliArgs();
const wallUrl = new URL('wall/', base);
const TOWNSHIP = '220502001000';

/** The console's API (it may write), from this process — not a page request. */
async function consoleRpc(request) {
  const r = await fetch(new URL('api/rpc', base), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(request) });
  return { status: r.status, body: await r.json() };
}
const setWall = (control) => consoleRpc({ method: 'set_wall', params: { control } });
const HOME = { spotlight: null, layers: LAYERS, region: null };

await launchBrowser();
/** Chromium logs every 4xx answer; the two refused writes of the read-only check are expected. */
const REFUSED = /status of 403 \(Forbidden\)/;

/** The KPI figures the wall should show for a Stats answer (names as `data-kpi`). */
function expectedKpi(s) {
  const teams = s.teams.reduce((a, c) => a + c.count, 0);
  const out = {
    'incidents.active': s.active,
    'incidents.closed': s.closed,
    'incidents.total': s.active + s.closed,
    'teams.total': teams,
    'teams.people': s.team_people,
    'shelters.count': s.shelters.count,
    'shelters.capacity': s.shelters.capacity,
    'shelters.occupancy': s.shelters.occupancy,
    'shelters.full': s.shelters.full,
    'shelters.percent': s.shelters.capacity > 0 ? Math.round((s.shelters.occupancy / s.shelters.capacity) * 1000) / 10 : 0,
  };
  s.active_by_grade.forEach((n, g) => (out[`grade.${g}`] = n));
  for (const t of s.teams) out[`teams.${t.key}`] = t.count;
  for (const c of s.stock) out[`stock.${c.class}`] = c.on_hand;
  return out;
}
const diffKpi = (want, got) => Object.keys({ ...want, ...got }).filter((k) => want[k] !== got[k]).map((k) => `${k}: want ${want[k]}, shown ${got[k]}`);
/** Canvases of the charts that have painted pixels. */
const chartsPainted = (p) =>
  p.evaluate(() =>
    [...document.querySelectorAll('[data-testid^="chart-"]')].map((el) => {
      const c = el.querySelector('canvas');
      let painted = false;
      if (c && c.width > 0 && c.height > 0) {
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        for (let i = 3; i < d.length; i += 4) if (d[i] > 0) { painted = true; break; }
      }
      return { id: el.dataset.testid, w: c?.width ?? 0, h: c?.height ?? 0, painted };
    }),
  );
/** Elements whose text spills out of their box (clipped or overlapping), and the page's own overflow. */
const overflowing = (p) =>
  p.evaluate(() => {
    const bad = [];
    const root = document.documentElement;
    if (root.scrollHeight > root.clientHeight + 1 || root.scrollWidth > root.clientWidth + 1) bad.push(`page ${root.scrollWidth}×${root.scrollHeight}`);
    for (const el of document.querySelectorAll('[data-testid^="kpi-"], [data-testid^="panel-"], [data-testid=spotlight], header *, footer *')) {
      if (el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).textOverflow !== 'ellipsis' && getComputedStyle(el).overflow !== 'visible') bad.push(`${el.dataset.testid ?? el.tagName} w ${el.scrollWidth}>${el.clientWidth}`);
      if (el.scrollHeight > el.clientHeight + 2 && el.clientHeight > 0 && getComputedStyle(el).overflow !== 'visible') bad.push(`${el.dataset.testid ?? el.tagName} h ${el.scrollHeight}>${el.clientHeight}`);
    }
    return bad;
  });

let page;
try {
  // Start from the operator's defaults: whole region, every layer, rotating.
  await setWall(HOME);
  page = await openPage(1920, 1080);
  const shot = (name) => page.screenshot({ path: join(out, `wall-${name}.png`) });
  await gotoReady(page, wallUrl.href, 'wall page becomes ready');
  const wallState = (await pageRpc(page, { method: 'wall' })).body.result;
  const secs = wallState.spotlight_secs;

  await step('hooks', async () => {
    const h = await page.evaluate(() => ({ ready: window.__onemap?.ready, head: window.__onemap?.head, map: !!window.__onemap?.map, version: window.__onemap?.wall?.version, layers: window.__onemap?.wall?.layers }));
    check('hooks: ready, head, map', h.ready === true && h.head > 0 && h.map, JSON.stringify(h));
    check('hooks: wall version = wall()', h.version === wallState.version, `${h.version} vs ${wallState.version}`);
    check('layout is the wall', (await page.locator('[data-testid=wall]').count()) === 1 && (await page.evaluate(() => document.documentElement.dataset.layout)) === 'wall');
  });

  await step('classification line', async () => {
    const text = (await page.locator('[data-testid=classification]').innerText()).trim();
    const box = await page.locator('[data-testid=classification]').boundingBox();
    check('classification line shown at the top', text === wallState.classification && box && box.y < 120, `"${text}" at y=${box?.y}`);
  });

  // Map features = the store's.
  const { body: layersAnswer } = await pageRpc(page, { method: 'layers' });
  const features = layersAnswer.result.features;
  await step('layer counts = store', async () => {
    const counts = await page.evaluate(() => window.__onemap.counts());
    for (const l of LAYERS) {
      const want = features.filter((f) => f.layer === l).length;
      check(`count ${l} = layers()`, counts[l] === want && want > 0, `${counts[l]} vs ${want}`);
    }
    const chips = await page.locator('[data-testid^=wall-layer-]').evaluateAll((els) => els.map((e) => `${e.dataset.testid}:${e.dataset.count}`));
    check('a chip per layer shown, with its count', chips.length === LAYERS.length && LAYERS.every((l) => chips.includes(`wall-layer-${l}:${counts[l]}`)), chips.join(' '));
  });

  await step('KPI = stats', async () => {
    const { body } = await pageRpc(page, { method: 'stats' });
    const want = expectedKpi(body.result);
    const got = await page.evaluate(() => window.__onemap.wall.kpi());
    const diff = diffKpi(want, got);
    check('KPI numbers = stats()', diff.length === 0, diff.length ? diff.slice(0, 6).join('; ') : `${Object.keys(got).length} figures`);
    const active = (await page.locator('[data-testid=kpi-incidents-active]').innerText()).trim();
    check('active incidents shown as text', active === String(body.result.active), active);
  });

  await step('charts rendered', async () => {
    const charts = await chartsPainted(page);
    const ids = charts.map((c) => c.id).sort().join(',');
    check('three charts', ids === 'chart-incidents,chart-stock,chart-teams', ids);
    for (const c of charts) check(`${c.id} painted`, c.painted && c.w > 100 && c.h > 100, `${c.w}×${c.h}`);
  });

  await step('read-only wall', async () => {
    const sh = features.find((f) => f.layer === 'shelters');
    expectConsoleErrors(REFUSED, 2);
    const w = await pageRpc(page, { method: 'move', params: { entity: { kind: 'shelter', id: sh.id }, account: 'occupancy', delta: 1, reason: 'wall e2e: must be refused' } });
    check('write from the wall page → 403 auth.read_only', w.status === 403 && w.body.code === 'auth.read_only', `${w.status} ${JSON.stringify(w.body).slice(0, 120)}`);
    const s = await pageRpc(page, { method: 'set_wall', params: { control: HOME } });
    check('set_wall from the wall page → 403 auth.read_only', s.status === 403 && s.body.code === 'auth.read_only', `${s.status}`);
  });

  await step('spotlight shown', async () => {
    await page.waitForFunction(() => document.querySelector('[data-testid=spotlight-title]')?.textContent?.trim(), null, { timeout: 10_000 });
    const id = await page.evaluate(() => window.__onemap.wall.spotlight);
    const f = features.find((x) => x.id === id);
    const title = (await page.locator('[data-testid=spotlight-title]').innerText()).trim();
    check('spotlight card shows the rotating active incident', !!f && f.status === 'active' && title === f.name, `${title} (${id})`);
    await page.locator('[data-testid=spotlight-figures]').waitFor({ timeout: 10_000 });
    const { body } = await pageRpc(page, { method: 'entity', params: { entity: { kind: 'incident', id } } });
    const c = body.result.record.fields.casualties;
    const shown = await page.evaluate(() => ['dead', 'missing', 'injured', 'affected'].map((k) => document.querySelector(`[data-testid=spotlight-${k}]`)?.textContent?.trim()));
    check('spotlight figures = the incident record', shown.join() === [c.dead, c.missing, c.injured, body.result.record.fields.affected].map((n) => n.toLocaleString('zh-CN')).join(), shown.join());
    await idleOf(page);
    await shot('1920x1080');
  });

  await step('page fits the screen (1920×1080)', async () => {
    const bad = await overflowing(page);
    check('no overflowing panel or text at 1920×1080', bad.length === 0, bad.slice(0, 6).join('; '));
  });

  await step('spotlight rotates', async () => {
    const active = features.filter((f) => f.layer === 'incidents' && f.status === 'active');
    if (active.length < 2) {
      check('spotlight rotates (needs 2 active incidents)', false, `${active.length} active`);
      return;
    }
    const first = await page.evaluate(() => window.__onemap.wall.spotlight);
    const t1 = Date.now();
    await page.waitForFunction((a) => window.__onemap.wall.spotlight && window.__onemap.wall.spotlight !== a, first, { timeout: (2 * secs + 5) * 1000 });
    const second = await page.evaluate(() => window.__onemap.wall.spotlight);
    await page.waitForFunction((id) => document.querySelector('[data-testid=spotlight]')?.dataset.id === id && document.querySelector('[data-testid=spotlight-title]'), second, { timeout: 5000 });
    check('spotlight rotates to another active incident', active.some((f) => f.id === second) && second !== first, `${first} → ${second} after ${((Date.now() - t1) / 1000).toFixed(1)} s (spotlight_secs ${secs})`);
  });

  await step('an op updates the shelter KPI within 2 s', async () => {
    const sh = features.find((f) => f.layer === 'shelters');
    // Right after a spotlight move, with the map at rest: this machine draws WebGL in software,
    // and a flight holds the page's main thread (a wall's GPU does not).
    await idleOf(page);
    const before = await page.evaluate(() => window.__onemap.wall.kpi()['shelters.occupancy']);
    const t0 = Date.now();
    const moved = await consoleRpc({ method: 'move', params: { entity: { kind: 'shelter', id: sh.id }, account: 'occupancy', delta: 120, reason: 'e2e' } });
    if (!check('move occupancy +120 accepted', moved.status === 200, `${JSON.stringify(moved.body).slice(0, 120)} in ${Date.now() - t0} ms`)) return;
    // From the op's acknowledgement to the figure on the wall.
    const t1 = Date.now();
    await page.waitForFunction((b) => window.__onemap.wall.kpi()['shelters.occupancy'] === b + 120, before, { timeout: 2000 }).catch(() => {});
    const after = await page.evaluate(() => window.__onemap.wall.kpi()['shelters.occupancy']);
    check('shelter KPI +120 within 2 s', after === before + 120 && Date.now() - t1 <= 2100, `${before} → ${after} in ${Date.now() - t1} ms`);
    const back = await consoleRpc({ method: 'move', params: { entity: { kind: 'shelter', id: sh.id }, account: 'occupancy', delta: -120, reason: 'e2e (undo)' } });
    check('move occupancy −120 accepted', back.status === 200);
    const t2 = Date.now();
    await page.waitForFunction((b) => window.__onemap.wall.kpi()['shelters.occupancy'] === b, before, { timeout: 2000 }).catch(() => {});
    check('shelter KPI back within 2 s', (await page.evaluate(() => window.__onemap.wall.kpi()['shelters.occupancy'])) === before, `${Date.now() - t2} ms`);
  });

  await step('operator holds the spotlight', async () => {
    const current = await page.evaluate(() => window.__onemap.wall.spotlight);
    const target = features.find((f) => f.layer === 'incidents' && f.id !== current && f.status === 'closed') ?? features.find((f) => f.layer === 'incidents' && f.id !== current);
    const r = await setWall({ spotlight: target.id, layers: LAYERS, region: null });
    if (!check('set_wall through the console API', r.status === 200, JSON.stringify(r.body).slice(0, 160))) return;
    const t1 = Date.now();
    await page.waitForFunction(
      ([id, name]) => document.querySelector('[data-testid=spotlight]')?.dataset.id === id && document.querySelector('[data-testid=spotlight-title]')?.textContent?.trim() === name,
      [target.id, target.name],
      { timeout: 3000 },
    );
    const s = await page.evaluate(() => ({ id: window.__onemap.wall.spotlight, held: window.__onemap.wall.held, version: window.__onemap.wall.version }));
    check('wall follows the held spotlight within 3 s', s.id === target.id && s.held && s.version === r.body.result.version, `${target.name} in ${Date.now() - t1} ms`);
    await sleep(2000);
    await idleOf(page);
    const centre = await page.evaluate(() => window.__onemap.map.getCenter());
    check('map flew to the held incident', Math.abs(centre.lng - target.lon) < 0.01 && Math.abs(centre.lat - target.lat) < 0.01, `${centre.lng.toFixed(4)},${centre.lat.toFixed(4)} vs ${target.lon},${target.lat}`);
    await shot('held');
  });

  await step('operator chooses the layers', async () => {
    const r = await setWall({ spotlight: null, layers: ['incidents', 'teams'], region: null });
    if (!check('set_wall layers', r.status === 200, JSON.stringify(r.body).slice(0, 160))) return;
    await page.waitForFunction((v) => window.__onemap.wall.version === v, r.body.result.version, { timeout: 3000 });
    const vis = await page.evaluate((ls) => Object.fromEntries(ls.map((l) => [l, window.__onemap.map.getLayoutProperty(`${l}-circle`, 'visibility') ?? 'visible'])), LAYERS);
    const shown = LAYERS.filter((l) => vis[l] !== 'none');
    check('only incidents and teams drawn', shown.join() === 'incidents,teams', JSON.stringify(vis));
    await idleOf(page);
    const rendered = await page.evaluate(() => window.__onemap.rendered());
    check('hidden layers render nothing', ['warehouses', 'shelters', 'hazards'].every((l) => rendered[l] === 0), JSON.stringify(rendered));
    const chips = await page.locator('[data-testid^=wall-layer-]').evaluateAll((els) => els.map((e) => e.dataset.testid));
    check('layer chips follow', chips.join() === 'wall-layer-incidents,wall-layer-teams', chips.join());
    await shot('layers');
  });

  await step('operator frames a township', async () => {
    const before = await page.evaluate(() => window.__onemap.map.getBounds().toArray().flat());
    const r = await setWall({ spotlight: null, layers: LAYERS, region: TOWNSHIP });
    if (!check('set_wall region', r.status === 200, JSON.stringify(r.body).slice(0, 160))) return;
    const [hit] = (await consoleRpc({ method: 'search', params: { q: TOWNSHIP, limit: 1 } })).body.result;
    await page.waitForFunction((code) => window.__onemap.wall.region === code, TOWNSHIP, { timeout: 3000 });
    await sleep(1800);
    await idleOf(page);
    const after = await page.evaluate(() => window.__onemap.map.getBounds().toArray().flat());
    const [w, s, e, n] = hit.bounds;
    const c = [(after[0] + after[2]) / 2, (after[1] + after[3]) / 2];
    const changed = before.some((v, i) => Math.abs(v - after[i]) > 1e-4);
    const narrower = after[2] - after[0] < (before[2] - before[0]) * 0.7;
    check('map bounds changed to the township', changed && narrower && c[0] > w && c[0] < e && c[1] > s && c[1] < n, `${before.map((v) => v.toFixed(3))} → ${after.map((v) => v.toFixed(3))}`);
    const name = (await page.locator('[data-testid=wall-region]').innerText()).trim();
    check('framed jurisdiction named', name === hit.name_zh, name);
    await shot('township');
    await setWall(HOME);
    await page.waitForFunction(() => window.__onemap.wall.region !== '220502001000', null, { timeout: 3000 });
  });

  await step('language switch', async () => {
    const zh = (await page.locator('[data-testid=wall-title]').innerText()).trim();
    const panelZh = (await page.locator('#panel-kpi-incidents').innerText()).trim();
    await page.keyboard.press('e');
    await page.waitForFunction((z) => document.querySelector('[data-testid=wall-title]')?.textContent?.trim() !== z, zh, { timeout: 3000 });
    const en = (await page.locator('[data-testid=wall-title]').innerText()).trim();
    const panelEn = (await page.locator('#panel-kpi-incidents').innerText()).trim();
    check('E switches to English', zh.includes('应急一张图') && en.startsWith('OneMap') && panelZh === '突发事件' && panelEn === 'Incidents', `${zh} → ${en}; ${panelZh} → ${panelEn}`);
    await sleep(300);
    await shot('en');
    const bad = await overflowing(page);
    check('no overflowing panel or text in English', bad.length === 0, bad.slice(0, 6).join('; '));
    await page.locator('[data-testid=lang-toggle]').click();
    await page.waitForFunction(() => document.querySelector('[data-testid=wall-title]')?.textContent?.includes('应急一张图'), null, { timeout: 3000 });
    check('the toggle switches back to Chinese', true);
  });

  // The wall on a 4K screen (device scale 1): everything twice the size of 1080p.
  await step('4K wall', async () => {
    const big = await openPage(3840, 2160);
    await big.goto(wallUrl.href, { waitUntil: 'domcontentloaded' });
    await waitReady(big);
    await big.locator('[data-testid=spotlight-figures]').waitFor({ timeout: 10_000 });
    await big.waitForTimeout(2000);
    await idleOf(big);
    const px = await big.evaluate(() => ({
      root: parseFloat(getComputedStyle(document.documentElement).fontSize),
      active: parseFloat(getComputedStyle(document.querySelector('[data-testid=kpi-incidents-active]')).fontSize),
      classification: parseFloat(getComputedStyle(document.querySelector('[data-testid=classification]')).fontSize),
      // The wall's own text (the map's controls belong to the map module).
      smallest: Math.min(...[...document.querySelectorAll('.wall *')].filter((e) => !e.closest('.maplibregl-map') && e.childNodes.length && [...e.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim()) && e.getBoundingClientRect().width > 0).map((e) => parseFloat(getComputedStyle(e).fontSize))),
    }));
    check('4K: root font 32 px, big figures', px.root >= 30 && px.active >= 120 && px.classification >= 44, JSON.stringify(px));
    check('4K: no text smaller than 24 px', px.smallest >= 24, `${px.smallest} px`);
    const charts = await chartsPainted(big);
    check('4K: charts painted', charts.length === 3 && charts.every((c) => c.painted), charts.map((c) => `${c.id} ${c.w}×${c.h}`).join(', '));
    const bad = await overflowing(big);
    check('4K: no overflowing panel or text', bad.length === 0, bad.slice(0, 6).join('; '));
    const want = expectedKpi((await pageRpc(big, { method: 'stats' })).body.result);
    const diff = diffKpi(want, await big.evaluate(() => window.__onemap.wall.kpi()));
    check('4K: KPI numbers = stats()', diff.length === 0, diff.slice(0, 4).join('; '));
    await big.screenshot({ path: join(out, 'wall-3840x2160.png') });
    await big.context().close();
  });
} catch (e) {
  check('wall run', false, e instanceof Error ? e.message : String(e));
} finally {
  await setWall(HOME).catch(() => {});
}

await finish(base, out, 'no page errors, no CSP violations');
