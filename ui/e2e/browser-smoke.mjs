// Browser smoke test of the hub-served console (playwright-core + Debian Chromium).
//   node e2e/browser-smoke.mjs [BASE_URL] [OUT_DIR]
// defaults: http://127.0.0.1:8787/ and ./e2e-out. Exits non-zero on any failure; the last
// line is `N passed, M failed`. Env: CHROMIUM (default /usr/bin/chromium), SMOKE_LIVE=0 to
// skip the live-update check (it writes +120/−120 occupancy to one shelter through the API).
// Screenshots: browser-commander-1920x1080.png and browser-commander-3840x2160.png (the
// commander layout as it opens, device scale 1), browser-<step>.png for the detail panels and
// the commander panels (incident list, nearby, search, drill-down, measure, wall control,
// help), browser-export.png/.pdf (the export buttons' files), browser-bare.png (bare.html,
// the cold-start benchmark's baseline page).
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { LAYERS, check, cliArgs, finish, gotoReady, idleOf, launchBrowser, openPage, pageRpc, step, waitReady } from './harness.mjs';

const { base, out } = cliArgs();
await launchBrowser();

const page = await openPage(1920, 1080);
const shot = (name) => page.screenshot({ path: join(out, `browser-${name}.png`) });
const idle = () => idleOf(page);
const rpc = (request) => pageRpc(page, request);

/** Commander texts that follow the language: incident list title, search placeholder, first crumb. */
const commanderTexts = () =>
  page.evaluate(() => ({
    list: document.querySelector('#incident-list-title')?.textContent?.trim(),
    search: document.querySelector('[data-testid=search-input]')?.getAttribute('placeholder') ?? '',
    drill: document.querySelector('[data-testid=drill-crumb]')?.textContent?.trim(),
  }));
/** Page point of a lon/lat on the map. */
const screenOf = (lon, lat) =>
  page.evaluate(([x, y]) => {
    const m = window.__onemap.map;
    const p = m.project([x, y]);
    const r = m.getCanvas().getBoundingClientRect();
    return { x: r.left + p.x, y: r.top + p.y };
  }, [lon, lat]);
/** Lon/lat under a page point. */
const lngLatAt = (x, y) =>
  page.evaluate(([px, py]) => {
    const m = window.__onemap.map;
    const r = m.getCanvas().getBoundingClientRect();
    const l = m.unproject([px - r.left, py - r.top]);
    return [l.lng, l.lat];
  }, [x, y]);
/** Haversine distance, metres (the console's ellipsoidal geodesic agrees to 0.5 %). */
const haversine = (a, b) => {
  const rad = Math.PI / 180;
  const h = Math.sin(((b[1] - a[1]) * rad) / 2) ** 2 + Math.cos(a[1] * rad) * Math.cos(b[1] * rad) * Math.sin(((b[0] - a[0]) * rad) / 2) ** 2;
  return 2 * 6371008.8 * Math.asin(Math.sqrt(h));
};
/** Waits until the map stops moving and has drawn. */
const settle = async () => {
  await page.waitForFunction(() => !window.__onemap.map.isMoving(), null, { timeout: 10_000 });
  await idle();
};

try {
  await gotoReady(page, base.href, 'page becomes ready');
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
    const commanderZh = await commanderTexts();
    await page.locator('[data-testid=lang-toggle]').click();
    await page.waitForFunction(() => document.querySelector('[data-testid=detail-kind]')?.textContent?.trim() === 'Rescue team', null, { timeout: 5000 });
    const layerLabelEn = await page.locator('[data-testid=layer-panel] h2').innerText();
    check('language toggles to English', layerLabelZh === '图层' && layerLabelEn === 'Layers', `${layerLabelZh} → ${layerLabelEn}`);
    const commanderEn = await commanderTexts();
    check(
      'language switch changes the commander texts',
      commanderZh.list === '事件列表' && commanderEn.list === 'Incidents' && commanderZh.search.includes('拼音') && commanderEn.search.includes('pinyin') && commanderZh.drill === '全部' && commanderEn.drill === 'All',
      `${JSON.stringify(commanderZh)} → ${JSON.stringify(commanderEn)}`,
    );
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
    const committed = Date.now();
    if (!check('move occupancy accepted', moved.status === 200, JSON.stringify(moved.body).slice(0, 160))) return;
    await page.waitForFunction((h) => window.__onemap.head > h, headBefore, { timeout: 5000 });
    // Compare innerText with innerText (textContent differs in whitespace and would pass at once).
    await page.waitForFunction((b) => document.querySelector('[data-testid=shelter-gauge] dl')?.innerText !== b, gaugeBefore, { timeout: 5000, polling: 20 }).catch(() => {});
    const shownAfter = Date.now() - committed;
    const gaugeAfter = await page.locator('[data-testid=shelter-gauge] dl').innerText();
    check('live change reaches the panel within 1.5 s (long poll)', gaugeAfter !== gaugeBefore && shownAfter <= 1500, `${shownAfter} ms: ${gaugeBefore.replace(/\s+/g, ' ')} → ${gaugeAfter.replace(/\s+/g, ' ')}`);
    await rpc({ method: 'move', params: { entity: { kind: 'shelter', id: sh.id }, account: 'occupancy', delta: -120, reason: 'browser smoke test (undo)' } });
  });

  // ── The commander layout's panels and tools ─────────────────────────────────────────────
  const incidents = features.filter((f) => f.layer === 'incidents');

  await step('commander layout', async () => {
    await page.keyboard.press('Escape');
    const shown = await page.evaluate(() =>
      ['command-bar', 'search-input', 'drill', 'incident-list', 'statusbar', 'layer-panel', 'map'].map((id) => {
        const el = document.querySelector(`[data-testid=${id}]`);
        const r = el?.getBoundingClientRect();
        return [id, !!r && r.width > 0 && r.height > 0];
      }),
    );
    check('commander layout: command bar, search, drill-down, incident list, status bar, layers, map', shown.every(([, ok]) => ok), JSON.stringify(shown));
    const rem = await page.evaluate(() => parseFloat(getComputedStyle(document.documentElement).fontSize));
    const bar = await page.locator('[data-testid=command-bar]').boundingBox();
    check('command bar sized in rem', bar && bar.height >= 3 * rem - 1 && bar.height < 5 * rem, `${bar?.height}px at ${rem}px/rem`);
  });

  // The incident list: active first, then grade (Ⅰ first), then the latest onset.
  const onsets = {};
  for (const f of incidents) {
    const { body } = await rpc({ method: 'entity', params: { entity: { kind: 'incident', id: f.id } } });
    onsets[f.id] = body.result?.record?.fields?.onset ?? null;
  }
  const gradeRank = (g) => (g >= 1 && g <= 4 ? g : 9);
  const ms = (iso) => (iso ? Date.parse(iso) : -Infinity);
  const expectedOrder = [...incidents]
    .sort((a, b) => Number(a.status !== 'active') - Number(b.status !== 'active') || gradeRank(a.grade) - gradeRank(b.grade) || ms(onsets[b.id]) - ms(onsets[a.id]) || a.name.localeCompare(b.name, 'zh-CN') || a.id.localeCompare(b.id))
    .map((f) => f.id);

  await step('incident list', async () => {
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid=incident-row]').length === n, incidents.length, { timeout: 5000 });
    // Onsets arrive after the first paint; wait until the list is in their order.
    await page
      .waitForFunction((want) => JSON.stringify([...document.querySelectorAll('[data-testid=incident-row]')].map((e) => e.dataset.id)) === JSON.stringify(want), expectedOrder, { timeout: 5000 })
      .catch(() => {});
    const rows = await page.locator('[data-testid=incident-row]').evaluateAll((els) => els.map((e) => ({ id: e.dataset.id, status: e.dataset.status, chip: e.querySelector('[data-testid=incident-grade]')?.textContent?.trim(), bg: getComputedStyle(e.querySelector('[data-testid=incident-grade]')).backgroundColor })));
    const count = (await page.locator('[data-testid=incident-count]').innerText()).trim();
    check('incident list: one row per incident, count shown', rows.length === incidents.length && Number(count) === incidents.length, `${rows.length} rows, count ${count}`);
    check('incident list: active first, then grade, latest onset', JSON.stringify(rows.map((r) => r.id)) === JSON.stringify(expectedOrder), rows.map((r) => `${r.status}:${r.chip}`).join(' '));
    check('incident list: grade colour chips', rows.every((r) => r.chip && r.bg && r.bg !== 'rgba(0, 0, 0, 0)'), JSON.stringify(rows.map((r) => [r.chip, r.bg])));
    // A click selects (detail panel); ↓ in the list moves the selection to the next row.
    await page.locator('[data-testid=incident-row]').nth(0).click();
    await page.waitForFunction((id) => document.querySelector('[data-testid=detail]')?.dataset.id === id, expectedOrder[0], { timeout: 5000 });
    await page.locator('[data-testid=incident-listbox]').focus();
    await page.keyboard.press('ArrowDown');
    await page.waitForFunction((id) => document.querySelector('[data-testid=detail]')?.dataset.id === id, expectedOrder[1], { timeout: 5000 });
    await page.keyboard.press('End');
    await page.waitForFunction((id) => document.querySelector('[data-testid=detail]')?.dataset.id === id, expectedOrder[expectedOrder.length - 1], { timeout: 5000 });
    check('incident list: click selects, ↓ and End move the selection', true);
    await page.keyboard.press('Home');
    await page.waitForFunction((id) => document.querySelector('[data-testid=detail]')?.dataset.id === id, expectedOrder[0], { timeout: 5000 });
    await settle();
    await shot('incident-list');
  });

  await step('nearby panel', async () => {
    const id = expectedOrder[0];
    const { body } = await rpc({ method: 'nearby', params: { incident: id } });
    const near = body.result;
    await page.waitForFunction((i) => document.querySelector('[data-testid=nearby]')?.dataset.incident === i && document.querySelectorAll('[data-testid=nearby-team]').length > 0, id, { timeout: 10_000 });
    const teams = await page.locator('[data-testid=nearby-team]').evaluateAll((els) => els.map((e) => ({ id: e.dataset.id, minutes: Number(e.dataset.minutes), available: e.dataset.available === 'true', highlighted: e.classList.contains('available'), eta: e.querySelector('.eta')?.textContent?.trim() })));
    check('nearby: teams in the order of nearby()', JSON.stringify(teams.map((t) => t.id)) === JSON.stringify(near.teams.map((t) => t.id)) && teams.length > 0, `${teams.length} rows`);
    check('nearby: teams by estimated arrival', teams.every((t, i) => i === 0 || teams[i - 1].minutes <= t.minutes), teams.map((t) => t.eta).join(' '));
    check('nearby: available teams highlighted', teams.every((t) => t.available === t.highlighted) && teams.some((t) => t.highlighted), `${teams.filter((t) => t.highlighted).length} available`);
    check('nearby: ETA in minutes', teams.every((t) => /^\d+ 分钟$|小时/.test(t.eta ?? '')), teams[0]?.eta);
    const method = await page.locator('[data-testid=nearby-method]').innerText();
    check('nearby: how travel is estimated (footnote)', method.includes(near.method_zh), method);
    const wh = await page.locator('[data-testid=nearby-warehouse]').count();
    const sh = await page.locator('[data-testid=nearby-shelter]').count();
    check('nearby: warehouses and shelters shown', wh === near.warehouses.length && sh === near.shelters.length && wh > 0 && sh > 0, `${wh} warehouses, ${sh} shelters`);
    await shot('nearby');
    // A row selects its record on the map; the panel stays on the incident.
    const team = near.teams[1] ?? near.teams[0];
    await page.locator(`[data-testid=nearby-team][data-id="${team.id}"] button`).click();
    await page.waitForFunction((t) => document.querySelector('[data-testid=detail]')?.dataset.id === t, team.id, { timeout: 5000 });
    const still = await page.locator('[data-testid=nearby]').getAttribute('data-incident');
    check('nearby: clicking a team selects it, the panel stays', still === id, team.name);
  });

  await step('click an incident on the map', async () => {
    await page.keyboard.press('Escape');
    const inc = incidents.find((i) => features.every((f) => f.id === i.id || Math.hypot(f.lon - i.lon, f.lat - i.lat) > 0.002)) ?? incidents[0];
    await page.evaluate((i) => window.__onemap.map.jumpTo({ center: [i.lon, i.lat], zoom: 14 }), inc);
    await settle();
    const pt = await screenOf(inc.lon, inc.lat);
    await page.mouse.click(pt.x, pt.y);
    await page.waitForFunction((id) => document.querySelector('[data-testid=detail]')?.dataset.id === id, inc.id, { timeout: 10_000 });
    const kind = await page.locator('[data-testid=detail-kind]').innerText();
    check('clicking an incident on the map opens its detail', kind.trim() === '突发事件', inc.name);
  });

  // Search: by name, pinyin initials and code; Enter flies there (the view frames its bounds).
  await step('search', async () => {
    await page.keyboard.press('Escape');
    await page.locator('body').click({ position: { x: 5, y: 1075 } }).catch(() => {});
    await page.keyboard.press('Control+k');
    check('Ctrl+K focuses the search box', await page.evaluate(() => document.activeElement?.getAttribute('data-testid') === 'search-input'));
    await page.locator('[data-testid=search-input]').blur();
    for (const [q, how, matched] of [
      ['东昌区', 'name', 'name'],
      ['dcq', 'pinyin initials', 'pinyin'],
      ['220502', 'code', 'code'],
      ['220502000000', 'full code', 'code'],
    ]) {
      await page.evaluate(() => window.__onemap.map.jumpTo({ center: [127.5, 43.5], zoom: 7 }));
      await page.keyboard.press('/');
      const input = page.locator('[data-testid=search-input]');
      const focused = await page.evaluate(() => document.activeElement?.getAttribute('data-testid') === 'search-input');
      await input.fill(q);
      await page.waitForFunction((query) => document.querySelector('[data-testid=search-results]')?.dataset.query === query, q, { timeout: 5000 });
      const first = await page.locator('[data-testid=search-hit]').first().evaluate((e) => ({ code: e.dataset.code, matched: e.dataset.matched, text: e.innerText.replace(/\s+/g, ' ') }));
      const groups = await page.locator('[data-testid=search-results] [data-group]').evaluateAll((els) => els.map((e) => e.dataset.group));
      if (q === 'dcq') await shot('search');
      await page.keyboard.press('Enter');
      await page.waitForTimeout(150);
      await settle();
      const view = await page.evaluate(() => {
        const b = window.__onemap.map.getBounds();
        return [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()];
      });
      const B = [125.832728, 41.53867, 126.115429, 41.820507];
      const holds = view[0] <= B[0] + 1e-4 && view[1] <= B[1] + 1e-4 && view[2] >= B[2] - 1e-4 && view[3] >= B[3] - 1e-4;
      const tight = view[3] - view[1] < (B[3] - B[1]) * 2;
      check(`search '${q}' (${how}) finds 东昌区 first and flies there`, focused && first.code === '220502000000' && first.matched === matched && groups[0] === 'jurisdictions' && holds && tight, `${first.text}; groups ${groups.join(',')}; view ${view.map((v) => v.toFixed(3)).join(',')}`);
    }
    // A record hit selects the record.
    const team = features.find((f) => f.layer === 'teams' && f.name.startsWith('东昌区'));
    await page.keyboard.press('/');
    await page.locator('[data-testid=search-input]').fill(team.name);
    await page.locator(`[data-testid=search-hit][data-id="${team.id}"]`).waitFor({ timeout: 5000 });
    await page.locator(`[data-testid=search-hit][data-id="${team.id}"]`).click();
    await page.waitForFunction((id) => document.querySelector('[data-testid=detail]')?.dataset.id === id, team.id, { timeout: 5000 });
    check('search: a record hit selects the record', true, team.name);
    await page.keyboard.press('Escape');
  });

  // Drill-down 省 → 市 → 县 → 乡: frames the jurisdiction, filters the situation layers and
  // the incident list to it, breadcrumb back up.
  await step('drill-down', async () => {
    await page.keyboard.press('Escape');
    for (const code of ['220000000000', '220500000000', '220502000000', '220502100000']) {
      await page.selectOption('[data-testid=drill-select]', code);
      await page.waitForFunction((c) => document.querySelector('[data-testid=drill]')?.dataset.code === c, code, { timeout: 5000 });
    }
    const crumbs = await page.locator('[data-testid=drill-crumb]').allInnerTexts();
    check('drill-down: breadcrumb 全部 › 吉林省 › 通化市 › 东昌区 › 金厂镇', crumbs.map((c) => c.trim()).join('›') === '全部›吉林省›通化市›东昌区›金厂镇', crumbs.join(' › '));
    await page.waitForFunction(() => document.querySelector('[data-testid=drill]')?.dataset.shape === 'polygon', null, { timeout: 10_000 }).catch(() => {});
    const shape = await page.locator('[data-testid=drill]').getAttribute('data-shape');
    check('drill-down: filter by the boundary polygon from the basemap tiles', shape === 'polygon', shape);
    await settle();
    const inside = incidents.filter((i) => i.lon >= 125.855928 && i.lon <= 126.111721 && i.lat >= 41.53867 && i.lat <= 41.657583);
    const rows = await page.locator('[data-testid=incident-row]').evaluateAll((els) => els.map((e) => e.dataset.id));
    check('drill-down: incident list keeps the incidents inside', rows.length === inside.length && inside.every((i) => rows.includes(i.id)), `${rows.length} of ${incidents.length}`);
    const rendered = await page.evaluate(() => window.__onemap.rendered());
    const drawnIds = await page.evaluate(() => [...new Set(window.__onemap.map.queryRenderedFeatures({ layers: ['incidents-circle'] }).map((f) => f.properties.id))]);
    check('drill-down: map shows only the incidents inside', rendered.incidents === inside.length && drawnIds.every((id) => inside.some((i) => i.id === id)), `${rendered.incidents} drawn`);
    const view = await page.evaluate(() => window.__onemap.map.getBounds().toArray().flat());
    check('drill-down: frames the jurisdiction', view[0] <= 125.856 && view[2] >= 126.111 && view[1] <= 41.539 && view[3] >= 41.657, view.map((v) => v.toFixed(3)).join(','));
    await shot('drill');
    await page.keyboard.press('u');
    await page.waitForFunction(() => document.querySelector('[data-testid=drill]')?.dataset.code === '220502000000', null, { timeout: 5000 });
    check('U goes one tier up', true);
    await page.locator('[data-testid=drill-crumb][data-code=""]').click();
    await page.waitForFunction(() => document.querySelector('[data-testid=drill]')?.dataset.code === '', null, { timeout: 5000 });
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid=incident-row]').length === n, incidents.length, { timeout: 5000 });
    await settle();
    const back = await page.evaluate(() => window.__onemap.rendered().incidents);
    check('drill-down: back to the whole picture', back === incidents.length, `${back} incidents drawn`);
  });

  // Measure a distance (two clicks, Enter) and an area (three clicks, double-click), and the
  // pointer readout in the status bar.
  await step('measure and pointer readout', async () => {
    const box = await page.locator('[data-testid=map]').boundingBox();
    const cx = Math.round(box.x + box.width / 2);
    const cy = Math.round(box.y + box.height / 2);
    await page.mouse.move(cx + 13, cy + 7);
    await page.waitForFunction(() => document.querySelector('[data-testid=pointer-decimal]'), null, { timeout: 3000 });
    const ll = await lngLatAt(cx + 13, cy + 7);
    const dec = await page.locator('[data-testid=pointer-decimal]').innerText();
    const dms = await page.locator('[data-testid=pointer-dms]').innerText();
    check('pointer readout: lon/lat to 5 decimals', dec.includes(`${ll[0].toFixed(5)}, ${ll[1].toFixed(5)}`), dec);
    check('pointer readout: degrees, minutes, seconds', /^\d+°\d\d′\d\d\.\d″E \d+°\d\d′\d\d\.\d″N$/.test(dms.trim()), dms);
    const scale = await page.locator('[data-testid=view-scale]').innerText();
    check('status bar shows the scale', /1:[\d,]+/.test(scale), scale);

    await page.keyboard.press('m');
    await page.locator('[data-testid=measure]').waitFor({ timeout: 3000 });
    const a = [cx - 250, cy - 40];
    const b = [cx + 230, cy + 90];
    await page.mouse.click(a[0], a[1]);
    await page.waitForTimeout(350);
    await page.mouse.click(b[0], b[1]);
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.querySelector('[data-testid=measure]')?.dataset.finished === 'true', null, { timeout: 3000 });
    const want = haversine(await lngLatAt(a[0], a[1]), await lngLatAt(b[0], b[1]));
    const got = Number(await page.locator('[data-testid=measure]').getAttribute('data-metres'));
    const text = await page.locator('[data-testid=measure-value]').innerText();
    check('measure: distance between two clicked points', Math.abs(got - want) / want < 0.005 && /km|m/.test(text), `${text} (${got.toFixed(1)} m, haversine ${want.toFixed(1)} m)`);
    check('measure: no selection while measuring', (await page.locator('[data-testid=detail]').count()) === 0);
    await shot('measure-distance');

    await page.keyboard.press('a');
    await page.waitForFunction(() => document.querySelector('[data-testid=measure]')?.dataset.mode === 'area', null, { timeout: 3000 });
    const p = [
      [cx - 200, cy + 150],
      [cx + 200, cy + 150],
      [cx + 200, cy - 150],
    ];
    await page.mouse.click(p[0][0], p[0][1]);
    await page.waitForTimeout(350);
    await page.mouse.click(p[1][0], p[1][1]);
    await page.waitForTimeout(350);
    await page.mouse.dblclick(p[2][0], p[2][1]);
    await page.waitForFunction(() => document.querySelector('[data-testid=measure]')?.dataset.finished === 'true', null, { timeout: 3000 });
    const pts = await page.locator('[data-testid=measure]').getAttribute('data-points');
    const m2 = Number(await page.locator('[data-testid=measure]').getAttribute('data-m2'));
    const ll3 = await Promise.all(p.map(([x, y]) => lngLatAt(x, y)));
    const legA = haversine(ll3[0], ll3[1]);
    const legB = haversine(ll3[1], ll3[2]);
    const areaText = await page.locator('[data-testid=measure-value]').innerText();
    check('measure: area of a clicked right triangle (double-click finishes)', pts === '3' && Math.abs(m2 - (legA * legB) / 2) / ((legA * legB) / 2) < 0.01 && /公顷/.test(areaText), `${areaText} (${m2} m², legs ${legA.toFixed(0)} × ${legB.toFixed(0)} m)`);
    await shot('measure-area');
    await page.keyboard.press('Escape');
    await page.locator('[data-testid=measure]').waitFor({ state: 'detached', timeout: 3000 });
    check('Esc leaves the measure tool', true);
  });

  // The live feed reaches the map at once: a team's status changed through the API.
  await step('live change on the map', async () => {
    if (process.env.SMOKE_LIVE === '0') return;
    const team = features.find((f) => f.layer === 'teams' && f.status === 'standby');
    const { body } = await rpc({ method: 'entity', params: { entity: { kind: 'team', id: team.id } } });
    const fields = body.result.record.fields;
    await page.evaluate((t) => window.__onemap.map.jumpTo({ center: [t.lon, t.lat], zoom: 15 }), team);
    await settle();
    const up = await rpc({ method: 'upsert', params: { id: team.id, body: { entity_kind: 'team', ...fields, status: 'dispatched' } } });
    const committed = Date.now();
    if (!check('team status change accepted', up.status === 200, JSON.stringify(up.body).slice(0, 160))) return;
    // First drawn by the live overlay (its twin layer), the large source's old copy flagged stale.
    const drawnStatus = (layer) => page.evaluate(([id, l]) => window.__onemap.map.queryRenderedFeatures({ layers: [l] }).find((f) => f.properties.id === id)?.properties.status ?? null, [team.id, layer]);
    const staleFlag = () => page.evaluate((id) => window.__onemap.map.getFeatureState({ source: 'situation-teams', id })?.stale === true, team.id);
    await page
      .waitForFunction((id) => window.__onemap.map.queryRenderedFeatures({ layers: ['live-teams-symbol'] }).some((f) => f.properties.id === id && f.properties.status === 'dispatched'), team.id, { timeout: 5000, polling: 10 })
      .catch(() => {});
    const took = Date.now() - committed;
    const [overlaid, staleWhileLive] = [await drawnStatus('live-teams-symbol'), await staleFlag()];
    check('an op applied through the API is on the map within 1.5 s (live overlay)', took <= 1500 && overlaid === 'dispatched' && staleWhileLive, `${took} ms, overlay draws ${overlaid}, old copy flagged stale: ${staleWhileLive}`);
    // Then the large source takes it over: drawn there, gone from the overlay, flag cleared.
    await idle();
    const [settled, leftInOverlay, staleAfter] = [await drawnStatus('teams-symbol'), await drawnStatus('live-teams-symbol'), await staleFlag()];
    check('the large source takes the change over from the overlay', settled === 'dispatched' && leftInOverlay === null && !staleAfter, `teams-symbol ${settled}, overlay ${leftInOverlay}, stale ${staleAfter}`);
    await rpc({ method: 'upsert', params: { id: team.id, body: { entity_kind: 'team', ...fields, status: 'standby' } } });
    await page.waitForFunction((id) => window.__onemap.feature(id)?.status === 'standby', team.id, { timeout: 5000 }).catch(() => {});
  });

  // Wall control: spotlight an incident, a layer set; the hub's wall() answers it.
  await step('wall control', async () => {
    const active = incidents.find((i) => i.status === 'active');
    await page.keyboard.press('w');
    await page.locator('[data-testid=wall-panel]').waitFor({ timeout: 3000 });
    await page.waitForFunction(() => document.querySelector('[data-testid=wall-state]')?.dataset.version !== '', null, { timeout: 5000 });
    const before = (await rpc({ method: 'wall' })).body.result;
    await page.selectOption('[data-testid=wall-spotlight]', active.id);
    await page.locator('[data-testid=wall-layer-hazards]').uncheck();
    await page.locator('[data-testid=wall-apply]').click();
    await page.locator('[data-testid=wall-sent]').waitFor({ timeout: 5000 });
    const after = (await rpc({ method: 'wall' })).body.result;
    check(
      'wall control sets the wall state',
      after.version > before.version && after.control.spotlight === active.id && !after.control.layers.includes('hazards') && after.control.layers.includes('incidents'),
      JSON.stringify(after.control),
    );
    const nowShown = await page.locator('[data-testid=wall-state]').getAttribute('data-spotlight');
    check('wall panel shows the wall state', nowShown === active.id, nowShown);
    await shot('wall-control');
    // Back to rotating, every layer.
    await page.selectOption('[data-testid=wall-spotlight]', '');
    await page.locator('[data-testid=wall-layer-hazards]').check();
    await page.locator('[data-testid=wall-apply]').click();
    await page.waitForFunction(() => document.querySelector('[data-testid=wall-state]')?.dataset.spotlight === '', null, { timeout: 5000 });
    const reset = (await rpc({ method: 'wall' })).body.result;
    check('wall control back to rotating', reset.control.spotlight === null && reset.control.layers.length === 5, JSON.stringify(reset.control));
    await page.keyboard.press('Escape');
    await page.locator('[data-testid=wall-panel]').waitFor({ state: 'detached', timeout: 3000 });
  });

  await step('help overlay', async () => {
    await page.locator('body').click({ position: { x: 5, y: 1075 } }).catch(() => {});
    await page.keyboard.press('?');
    await page.locator('[data-testid=help]').waitFor({ timeout: 3000 });
    const rows = await page.locator('[data-testid=help-row]').allInnerTexts();
    const keys = ['/', 'I', 'N', 'M', 'W', 'E', 'L', 'Q', 'Esc'];
    check('? lists the shortcuts', keys.every((k) => rows.some((r) => r.split(/\s+/).includes(k))), `${rows.length} rows`);
    await shot('help');
    await page.keyboard.press('Escape');
    await page.locator('[data-testid=help] h2').waitFor({ state: 'detached', timeout: 3000 });
  });

  await step('export', async () => {
    await page.evaluate(() => window.__onemap.map.fitBounds([125.832728, 41.53867, 126.115429, 41.820507], { animate: false, padding: 20 }));
    await settle();
    for (const [fmt, size] of [
      ['png', 20_000],
      ['pdf', 20_000],
    ]) {
      const [download] = await Promise.all([page.waitForEvent('download', { timeout: 20_000 }), page.locator(`[data-testid=export-${fmt}]`).click()]);
      const file = join(out, `browser-export.${fmt}`);
      await download.saveAs(file);
      const bytes = statSync(file).size;
      check(`export ${fmt.toUpperCase()} of the view`, download.suggestedFilename().endsWith(`.${fmt}`) && bytes > size, `${download.suggestedFilename()} ${bytes} bytes`);
    }
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

await finish(base, out, 'no page errors');
