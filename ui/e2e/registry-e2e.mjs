// End-to-end test of the readiness table (一张表 K) and the registries' import and export (导入导出
// X), as an operator new to the console works them (playwright-core + Debian Chromium, against
// a hub).
//   node e2e/registry-e2e.mjs [BASE_URL] [OUT_DIR]
// K: the table lists 东昌区 (first, bold) and its townships with the API's figures (`readiness`);
// a supply cell opens its items; sorted by clicking a header and by Enter on one; the map
// coloured by township (the fill layer's rendered features and their colours against the API's
// figures), a row framed on the map above the panel. X: a CSV of two teams with Chinese
// headers — the mapping guessed (纬度 → lat), one bad row (lat 141.702) named by its line and
// `lat (纬度)`, the commit refused and nothing written; a mapping changed by hand checks again;
// the file fixed and chosen again, committed with written/created shown, closed by Enter, the
// two teams on the map and in the API; a file of an unknown kind refused with its message.
// Export: stock offers no GeoJSON/KML; teams as XLSX and CSV downloaded (the CSV with a UTF-8
// BOM and the registry's columns as its header). The table in English. Writes to the hub: run
// it on a fresh data directory. Last line `N passed, M failed`, exit 1 on any failure.
// Screenshots (1920×1080): readiness-table.png, readiness-map.png, import-mapping.png,
// import-errors.png, import-done.png, export.png, readiness-en.png; 3840×2160: readiness-4k.png.
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { check, cliArgs, expectConsoleErrors, finish, gotoReady, idleOf, launchBrowser, openPage, pageRpc, step } from './harness.mjs';

const { base, out } = cliArgs();
await launchBrowser();

const FILL = 'readiness-choropleth';
const HEADER = '编号,名称,队伍类型,专业,人数,装备,所属行政区划代码,驻地区划代码,经度,纬度,出动准备时间,状态';
const TEAM_1 = '江东乡水上救援志愿队';
const TEAM_2 = '江东乡山地搜救志愿队';
const teamsCsv = (lat) =>
  [HEADER, `t-e2e-1,${TEAM_1},social,water_rescue;diving,18,冲锋舟:2,220502000000,220502201000,125.991,${lat},20,standby`, `t-e2e-2,${TEAM_2},social,mountain_search,12,,220502000000,220502201000,125.984,41.713,30,standby`].join('\n') + '\n';
/** The class colours of the table and the map (readiness.ts LEVEL_COLOUR) as the browser writes them. */
const RGB = { bad: 'rgb(255, 77, 79)', short: 'rgb(255, 176, 32)', ok: 'rgb(46, 204, 113)' };
const ratioLevel = (v) => (v < 0.5 ? 'bad' : v < 1 ? 'short' : 'ok');

const page = await openPage(1920, 1080);
/** When the console asked for the readiness table (Unix ms). */
const readinessCalls = [];
page.on('request', (r) => {
  if (r.url().endsWith('/api/rpc') && r.method() === 'POST' && (r.postData() ?? '').includes('"method":"readiness"')) readinessCalls.push(Date.now());
});
const shot = (name) => page.screenshot({ path: join(out, `${name}.png`) });
const $ = (sel) => page.locator(sel);
const testid = (id) => `[data-testid="${id}"]`;
/** An API answer through the page's own origin; throws on an error answer. */
const api = async (request) => {
  const r = await pageRpc(page, request);
  if (r.status !== 200) throw new Error(`${request.method}: ${r.status} ${JSON.stringify(r.body).slice(0, 200)}`);
  return r.body.result;
};
const blur = () => page.evaluate(() => document.activeElement instanceof HTMLElement && document.activeElement.blur());
const apiTeams = async () => (await api({ method: 'layers' })).features.filter((f) => f.layer === 'teams');
/** The table's rows as shown: code, tier, the cells' text and the classes of the coloured cells. */
const tableRows = () =>
  $(testid('readiness-row')).evaluateAll((rows) =>
    rows.map((r) => ({
      code: r.dataset.code,
      tier: r.dataset.tier,
      weight: getComputedStyle(r.querySelector('[data-testid="readiness-name"]')).fontWeight,
      cells: Object.fromEntries([...r.querySelectorAll('td[data-metric]')].map((c) => [c.dataset.metric, { text: c.innerText.replace(/\s+/g, ' ').trim(), level: c.dataset.level ?? null }])),
      name: r.querySelector('[data-testid="readiness-name"]').innerText.trim(),
    })),
  );
/** Text cut inside `sel` (wider than its box and not scrolling), or anything over the window's edge. */
const cut = (sel) =>
  page.evaluate((s) => {
    const bad = [];
    const root = document.querySelector(s);
    if (!root) return [`${s} missing`];
    for (const el of [root, ...root.querySelectorAll('*')]) {
      const cs = getComputedStyle(el);
      const r = el.getBoundingClientRect();
      if (r.width === 0 || el.closest('[hidden]')) continue;
      const scrolls = ['auto', 'scroll'].includes(cs.overflowX) || ['auto', 'scroll'].includes(cs.overflowY);
      if (!scrolls && el.scrollWidth > el.clientWidth + 1 && !(el.classList.contains('sample') || el.closest('.sample'))) bad.push(`cut: ${el.className || el.tagName} “${el.textContent.trim().slice(0, 30)}”`);
      if (r.right > innerWidth + 1 || r.left < -1) bad.push(`off the window: ${el.className || el.tagName}`);
    }
    return bad;
  }, sel);
/** The township features the fill layer draws, by code, with their fill colour. */
const rendered = () =>
  page.evaluate((layer) => {
    const map = window.__onemap.map;
    if (!map.getLayer(layer)) return null;
    const out = {};
    for (const f of map.queryRenderedFeatures({ layers: [layer] })) {
      const c = f.layer.paint['fill-color'];
      out[f.properties.code12] = c && typeof c === 'object' ? `rgb(${Math.round(c.r * 255)}, ${Math.round(c.g * 255)}, ${Math.round(c.b * 255)})` : String(c);
    }
    return out;
  }, FILL);
const waitLoaded = () => page.waitForFunction(() => document.querySelector('[data-testid="readiness-panel"]')?.dataset.loading === 'false' && document.querySelectorAll('[data-testid="readiness-row"]').length > 0, null, { timeout: 15_000 });
const waitCheck = (pred) => page.waitForFunction(pred, null, { timeout: 15_000 });
const checked = () => page.evaluate(() => {
  const c = document.querySelector('[data-testid="import-check"]');
  return c && document.querySelector('[data-testid="import-tab"]').dataset.busy === '' ? { rows: Number(c.dataset.rows), valid: Number(c.dataset.valid), errors: Number(c.dataset.errors) } : null;
});

let readiness = null;
let teamsBefore = 0;
let teamColumns = null;

try {
  await gotoReady(page, base.href, 'console becomes ready');
  readiness = await api({ method: 'readiness' });
  teamsBefore = (await apiTeams()).length;

  await step('keys K and X are in the help', async () => {
    await blur();
    await page.keyboard.press('?');
    const help = await $(testid('help')).innerText();
    check('help lists K (一张表) and X (导入导出)', help.includes('一张表') && help.includes('导入导出'));
    await page.keyboard.press('Escape');
  });

  await step('K opens the readiness table', async () => {
    await blur();
    await page.keyboard.press('k');
    await waitLoaded();
    const rows = await tableRows();
    const county = readiness.rows.find((r) => r.tier === 'county');
    const towns = rows.filter((r) => r.tier === 'township');
    check('the county first, in bold: 东昌区', rows[0]?.name === '东昌区' && rows[0].tier === 'county' && Number(rows[0].weight) >= 700, `${rows[0]?.name} ${rows[0]?.weight}`);
    check('≥ 10 townships listed, as many as the API has', towns.length >= 10 && towns.length === readiness.rows.length - 1, `${towns.length}`);
    check('the county’s relocation figure is the API’s', rows[0]?.cells.relocation.text === county.relocation.toLocaleString('zh-CN'), `${rows[0]?.cells.relocation.text} vs ${county.relocation}`);
    const wrong = rows.filter((r) => {
      const a = readiness.rows.find((x) => x.code === r.code);
      const supply = a.supplies.length ? ratioLevel(a.supply_ratio) : 'none';
      const shelter = ratioLevel(a.shelter_per_resident_m2 / readiness.rules.area_per_resident_m2);
      const expiring = a.expiring_lines > 0 ? 'short' : 'ok';
      return r.cells.supply.level !== supply || r.cells.shelter.level !== shelter || r.cells.expiring.level !== expiring || r.cells.population.text !== a.population.toLocaleString('zh-CN');
    });
    check('every row’s figures and colour classes follow the API', wrong.length === 0, wrong.map((r) => r.name).join(', '));
    const dc = rows.find((r) => r.name === '东昌街道');
    check('东昌街道: supplies 0% in red', dc?.cells.supply.text.includes('0%') && dc.cells.supply.level === 'bad', JSON.stringify(dc?.cells.supply));
    const colour = await $(`${testid('readiness-row')}[data-code="220502001000"] td[data-metric="supply"] .v`).evaluate((e) => getComputedStyle(e).color);
    check('… its figure drawn in the red of the map’s class', colour === RGB.bad, colour);
    const notes = await $(testid('readiness-notes')).innerText();
    check('the method notes and the time measured under the table', readiness.method_zh.every((m) => notes.includes(m)) && notes.includes('测算时间'));
    check('the keyboard is in the panel', await page.evaluate(() => document.activeElement?.getAttribute('data-testid') === 'readiness-panel'));
    const bad = await cut(testid('readiness-panel'));
    check('nothing cut or off the window', bad.length === 0, bad.slice(0, 4).join('; '));
    await shot('readiness-table');
  });

  await step('a supply cell opens its items, needed against available', async () => {
    const county = readiness.rows.find((r) => r.tier === 'county');
    await $(`${testid('readiness-row')}[data-tier="county"] ${testid('readiness-supply')}`).click();
    const items = await $(`${testid('readiness-items')} tr[data-item]`).allInnerTexts();
    const first = county.supplies.find((s) => s.item_code === '1010101');
    check('every item listed with units', items.length === county.supplies.length && items.some((t) => t.includes(`需 ${first.needed.toLocaleString('zh-CN')} ${first.unit_zh}`) && t.includes(`可用 ${first.available.toLocaleString('zh-CN')} ${first.unit_zh}`)), items.join(' | ').replace(/\s+/g, ' ').slice(0, 160));
    await $(`${testid('readiness-row')}[data-tier="county"] ${testid('readiness-supply')}`).click();
    check('… and closes again', (await $(testid('readiness-items')).count()) === 0);
  });

  await step('sorting by a header (click, then Enter)', async () => {
    const ratio = Object.fromEntries(readiness.rows.map((r) => [r.code, r.supplies.length ? r.supply_ratio : Infinity]));
    await $(`${testid('readiness-sort')}[data-metric="supply"]`).click();
    let rows = await tableRows();
    const shown = rows.slice(1).map((r) => ratio[r.code]);
    const sorted = shown.every((v, i) => i === 0 || shown[i - 1] <= v);
    const aria = await $(`th:has(${testid('readiness-sort')}[data-metric="supply"])`).getAttribute('aria-sort');
    check('物资保障率: worst first, the county still on top', rows[0].tier === 'county' && sorted && aria === 'ascending', `${aria} ${shown.map((v) => v.toFixed(2)).join(',')}`);
    await $(`${testid('readiness-sort')}[data-metric="population"]`).focus();
    await page.keyboard.press('Enter');
    rows = await tableRows();
    const pop = Object.fromEntries(readiness.rows.map((r) => [r.code, r.population]));
    const p = rows.slice(1).map((r) => pop[r.code]);
    check('Enter on 人口: largest first', p.every((v, i) => i === 0 || p[i - 1] >= v) && (await $(`th:has(${testid('readiness-sort')}[data-metric="population"])`).getAttribute('aria-sort')) === 'descending', p.join(','));
    await page.keyboard.press('Enter');
    const again = (await tableRows()).slice(1).map((r) => pop[r.code]);
    check('Enter again: the other way', again.every((v, i) => i === 0 || again[i - 1] <= v), again.join(','));
  });

  await step('measured again 2 s after the change feed moves while open', async () => {
    const n0 = readinessCalls.length;
    const shelter = (await api({ method: 'layers' })).features.find((f) => f.layer === 'shelters');
    const c = await api({ method: 'move', params: { entity: { kind: 'shelter', id: shelter.id }, account: 'occupancy', delta: 1, reason: 'e2e: 一张表刷新' } });
    await page.waitForFunction((h) => window.__onemap.head >= h, c.head, { timeout: 10_000 });
    const moved = Date.now();
    for (const end = moved + 8000; readinessCalls.length === n0 && Date.now() < end; ) await page.waitForTimeout(50);
    const after = readinessCalls[n0] === undefined ? null : readinessCalls[n0] - moved;
    check('one new reading, after a quiet 2 s (not at once)', after !== null && after >= 1800 && after < 6000 && readinessCalls.length === n0 + 1, `${after} ms, ${readinessCalls.length - n0} readings`);
    await waitLoaded();
  });

  await step('the map coloured by township', async () => {
    await $(testid('readiness-map-toggle')).click();
    await page.waitForFunction((l) => window.__onemap.map.getLayer(l), FILL, { timeout: 5000 });
    await page.waitForTimeout(900);
    await idleOf(page);
    const drawn = await rendered();
    const codes = Object.keys(drawn ?? {});
    check('the fill layer colours ≥ 10 townships', codes.length >= 10, `${codes.length}`);
    const wrong = codes.filter((c) => {
      const r = readiness.rows.find((x) => x.code === c);
      return !r || drawn[c] !== RGB[r.supplies.length ? ratioLevel(r.supply_ratio) : 'ok'];
    });
    check('each in its supply class colour (red / amber / green as in the table)', wrong.length === 0, wrong.map((c) => `${c}:${drawn[c]}`).slice(0, 3).join(' '));
    const under = await page.evaluate((l) => {
      const ids = window.__onemap.map.getStyle().layers.map((x) => x.id);
      const first = window.__onemap.map.getStyle().layers.findIndex((x) => typeof x.source === 'string' && x.source.startsWith('situation-'));
      return ids.indexOf(l) < first;
    }, FILL);
    check('… under the situation layers', under);
    const legend = await $(testid('readiness-legend')).innerText();
    check('a legend of its classes', legend.includes('物资保障率') && legend.includes('< 50%') && legend.includes('≥ 100%'), legend.replace(/\s+/g, ' '));
    // The county is framed in the map above the panel.
    const framed = await page.evaluate(() => {
      const map = window.__onemap.map;
      const top = document.querySelector('[data-testid="readiness-panel"]').getBoundingClientRect().top - map.getCanvas().getBoundingClientRect().top;
      const p = map.project([125.974, 41.68]);
      return { y: p.y, top, zoom: map.getZoom() };
    });
    check('the county framed above the panel', framed.y > 0 && framed.y < framed.top, JSON.stringify(framed));
    await shot('readiness-map');
    await page.selectOption(testid('readiness-map-metric'), 'shelter');
    await page.waitForTimeout(300);
    await idleOf(page);
    const byShelter = await rendered();
    const mz = readiness.rows.find((r) => r.name_zh === '民主街道');
    check('by 人均避难面积: 民主街道 recoloured by its shelter class', byShelter?.[mz.code] === RGB[ratioLevel(mz.shelter_per_resident_m2 / readiness.rules.area_per_resident_m2)], `${byShelter?.[mz.code]}`);
  });

  await step('a row’s name frames it on the map', async () => {
    const code = '220502201000';
    await $(`${testid('readiness-row')}[data-code="${code}"] ${testid('readiness-name')}`).click();
    await page.waitForTimeout(1000);
    await idleOf(page);
    const hit = (await api({ method: 'search', params: { q: code, limit: 5 } })).find((h) => h.code === code);
    const seen = await page.evaluate(([w, s, e, n]) => {
      const map = window.__onemap.map;
      const top = document.querySelector('[data-testid="readiness-panel"]').getBoundingClientRect().top - map.getCanvas().getBoundingClientRect().top;
      const a = map.project([w, n]);
      const b = map.project([e, s]);
      return { a: [a.x, a.y], b: [b.x, b.y], top, width: map.getCanvas().clientWidth, outline: map.getLayer('readiness-chosen') !== undefined };
    }, hit.bounds);
    check('江东乡 framed wholly in the map above the panel, outlined', seen.a[1] >= -2 && seen.b[1] <= seen.top + 2 && seen.a[0] >= -2 && seen.b[0] <= seen.width + 2 && seen.outline, JSON.stringify(seen));
    check('… its row marked', (await $(`${testid('readiness-row')}[data-code="${code}"] ${testid('readiness-name')}`).getAttribute('aria-pressed')) === 'true');
    await page.keyboard.press('Escape');
    check('Esc closes the table and takes its layers off the map', (await $(testid('readiness-panel')).count()) === 0 && (await page.evaluate(() => !window.__onemap.map.getLayer('readiness-choropleth') && !window.__onemap.map.getLayer('readiness-chosen'))));
  });

  await step('X: a CSV with a bad row is checked, not imported', async () => {
    await blur();
    await page.keyboard.press('x');
    await $(testid('registry-dialog')).waitFor({ state: 'visible', timeout: 5000 });
    await $(testid('import-file')).setInputFiles({ name: 'teams-e2e.csv', mimeType: 'text/csv', buffer: Buffer.from(teamsCsv('141.702')) });
    await waitCheck(() => document.querySelector('[data-testid="import-check"]') && document.querySelector('[data-testid="import-tab"]').dataset.busy === '');
    const lat = await $(`${testid('mapping-select')}[data-column="lat"]`).inputValue();
    const key = await $(`${testid('mapping-select')}[data-column="key"]`).inputValue();
    check('the mapping guessed from the Chinese headers: 纬度 → lat, 编号 → key', lat === '纬度' && key === '编号', `${lat} ${key}`);
    const sample = await $(`${testid('mapping-row')}[data-column="name"] .sample`).first().innerText();
    check('the first rows shown as they map', sample === TEAM_1, sample);
    await shot('import-mapping');
    const errors = await $(testid('import-error')).evaluateAll((rows) => rows.map((r) => ({ line: r.dataset.line, field: r.dataset.field, text: r.innerText })));
    const heading = await $(`${testid('import-errors')} thead th`).first().innerText();
    check('the error table names the line and `lat (纬度)`', errors.length === 1 && errors[0].line === '2' && errors[0].field === 'lat (纬度)' && errors[0].text.includes('141.702') && heading === '行', errors.map((e) => e.text.replace(/\s+/g, ' ')).join(' | '));
    const c = await checked();
    check('rows 2, valid 1, bad 1', c?.rows === 2 && c.valid === 1 && (await $(testid('import-bad')).innerText()) === '1', JSON.stringify(c));
    check('the commit is disabled, and says why', (await $(testid('import-commit')).isDisabled()) && (await $(testid('import-blocked')).innerText()).includes('有 1 行有误，修正后再导入；不会部分导入'));
    await shot('import-errors');
    check('the API’s team count unchanged', (await apiTeams()).length === teamsBefore);
  });

  await step('a mapping changed by hand checks again', async () => {
    await page.selectOption(`${testid('mapping-select')}[data-column="lat"]`, '');
    await waitCheck(() => document.querySelector('[data-testid="import-tab"]').dataset.busy === '' && [...document.querySelectorAll('[data-testid="import-error"]')].length === 2);
    const fields = await $(testid('import-error')).evaluateAll((rows) => rows.map((r) => r.dataset.field));
    check('lat not imported: both rows now miss it', fields.join() === 'lat,lat', fields.join());
    await page.selectOption(`${testid('mapping-select')}[data-column="lat"]`, '纬度');
    await waitCheck(() => document.querySelector('[data-testid="import-tab"]').dataset.busy === '' && [...document.querySelectorAll('[data-testid="import-error"]')].length === 1);
    check('mapped back: the one bad row again', true);
  });

  await step('the fixed file committed', async () => {
    await $(testid('import-file')).setInputFiles({ name: 'teams-e2e.csv', mimeType: 'text/csv', buffer: Buffer.from(teamsCsv('41.702')) });
    await waitCheck(() => document.querySelector('[data-testid="import-check"]')?.dataset.errors === '0' && document.querySelector('[data-testid="import-tab"]').dataset.busy === '');
    check('no errors: the commit enabled', !(await $(testid('import-commit')).isDisabled()));
    await $(testid('import-commit')).click();
    await $(testid('import-done')).waitFor({ state: 'visible', timeout: 15_000 });
    const done = await $(testid('import-done')).evaluate((e) => ({ written: e.dataset.written, created: e.dataset.created, text: e.innerText }));
    check('written 2, created 2', done.written === '2' && done.created === '2' && done.text.includes('写入 2 条') && done.text.includes('新增 2 条'), done.text.replace(/\s+/g, ' '));
    await shot('import-done');
    await page.keyboard.press('Enter');
    await $(testid('registry-dialog')).waitFor({ state: 'hidden', timeout: 5000 });
    check('Enter closes the dialog', true);
    const teams = await apiTeams();
    check('the API’s team count rose by 2', teams.length === teamsBefore + 2, `${teamsBefore} → ${teams.length}`);
    const ids = teams.filter((t) => t.name === TEAM_1 || t.name === TEAM_2).map((t) => t.id);
    await page.waitForFunction((list) => list.every((id) => window.__onemap.feature(id)), ids, { timeout: 10_000 });
    const counts = await page.evaluate(() => window.__onemap.counts().teams);
    check('both teams on the map by the change feed', ids.length === 2 && counts === teamsBefore + 2, `${ids.length} ids, ${counts} on the map`);
  });

  await step('a file of an unknown kind is refused with its message', async () => {
    await blur();
    await page.keyboard.press('x');
    await $(testid('registry-dialog')).waitFor({ state: 'visible', timeout: 5000 });
    expectConsoleErrors(/status of 422/, 1);
    await $(testid('import-file')).setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('hello') });
    await $(testid('import-problem')).waitFor({ state: 'visible', timeout: 10_000 });
    const text = await $(testid('import-problem')).innerText();
    check('import.unsupported named, with the file', text.includes('import.unsupported') && text.includes('notes.txt'), text);
  });

  await step('export: stock offers no GeoJSON/KML; teams downloads as XLSX and CSV', async () => {
    await $(`${testid('registry-tab')}[data-tab="export"]`).click();
    await page.selectOption(testid('export-registry'), 'stock');
    const off = await $(testid('export-format')).evaluateAll((els) => els.filter((e) => e.disabled).map((e) => e.dataset.format));
    check('stock: GeoJSON and KML disabled', off.join() === 'geo_json,kml', off.join());
    await page.selectOption(testid('export-registry'), 'teams');
    await $(`${testid('export-format')}[data-format="xlsx"]`).check();
    const [xlsx] = await Promise.all([page.waitForEvent('download', { timeout: 15_000 }), $(testid('export-run')).click()]);
    const xfile = join(out, 'export-teams.xlsx');
    await xlsx.saveAs(xfile);
    const xb = readFileSync(xfile);
    check('XLSX downloaded (a zip workbook)', xlsx.suggestedFilename().endsWith('.xlsx') && xb.subarray(0, 2).toString('latin1') === 'PK', `${xlsx.suggestedFilename()} ${xb.length} bytes`);
    await $(`${testid('export-format')}[data-format="csv"]`).check();
    const [csv] = await Promise.all([page.waitForEvent('download', { timeout: 15_000 }), $(testid('export-run')).click()]);
    const cfile = join(out, 'export-teams.csv');
    await csv.saveAs(cfile);
    const cb = readFileSync(cfile);
    teamColumns ??= (await api({ method: 'import', params: { registry: 'teams', file_name: 'x.csv', data: Buffer.from(teamsCsv('41.7')).toString('base64'), mapping: {}, commit: false } })).columns.map((c) => c.column);
    const header = cb.subarray(3).toString('utf8').split(/\r?\n/)[0].split(',').map((c) => c.replace(/^"(.*)"$/, '$1')).join(',');
    check('CSV starts with a UTF-8 BOM', cb[0] === 0xef && cb[1] === 0xbb && cb[2] === 0xbf, [...cb.subarray(0, 3)].join(','));
    check('… its header row is the registry’s columns', header === teamColumns.join(','), header);
    const rows = Number(await $(testid('export-done')).getAttribute('data-rows'));
    check('the row count shown is the teams’ count', rows === teamsBefore + 2 && (await $(testid('export-done')).innerText()).includes(`${rows} 条`), `${rows}`);
    const bad = await cut(testid('registry-dialog'));
    check('nothing cut in the dialog', bad.length === 0, bad.slice(0, 4).join('; '));
    await shot('export');
    await page.keyboard.press('Escape');
  });

  await step('the table in English', async () => {
    await $(testid('lang-toggle')).click();
    await blur();
    await page.keyboard.press('k');
    await waitLoaded();
    const head = await $(`${testid('readiness-table')} thead`).innerText();
    const notes = await $(testid('readiness-notes')).innerText();
    check('headings and notes in English', head.includes('Population') && head.includes('Supply cover') && notes.includes(readiness.method_en[0]) && notes.includes('Measured at'), head.replace(/\s+/g, ' ').slice(0, 120));
    const rows = await tableRows();
    check('names in English', rows[0]?.name === 'Dongchang District', rows[0]?.name);
    await $(testid('readiness-map-toggle')).click();
    await page.waitForTimeout(900);
    await idleOf(page);
    const bad = await cut(testid('readiness-panel'));
    check('nothing cut in English', bad.length === 0, bad.slice(0, 4).join('; '));
    await shot('readiness-en');
    await page.keyboard.press('Escape');
    await $(testid('lang-toggle')).click();
  });

  await step('the 4K wall scale: the same table, twice the size', async () => {
    const wall = await openPage(3840, 2160);
    await gotoReady(wall, base.href, '4K console becomes ready');
    await wall.keyboard.press('k');
    await wall.waitForFunction(() => document.querySelector('[data-testid="readiness-panel"]')?.dataset.loading === 'false' && document.querySelectorAll('[data-testid="readiness-row"]').length > 0, null, { timeout: 15_000 });
    const size = await wall.$eval('[data-testid="readiness-table"]', (t) => parseFloat(getComputedStyle(t).fontSize));
    const over = await wall.$$eval('[data-testid="readiness-panel"] *', (els) => els.filter((e) => e.getBoundingClientRect().right > innerWidth + 1).length);
    check('4K: the table at twice the 1080p text size, nothing off the screen', size >= 33 && over === 0, `${size}px, ${over} over`);
    await wall.screenshot({ path: join(out, 'readiness-4k.png') });
    await wall.close();
  });
} catch (e) {
  check('registry e2e ran to the end', false, e instanceof Error ? e.message.split('\n')[0] : String(e));
}

await finish(base, out, 'no page errors or console errors');
