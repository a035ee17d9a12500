// End-to-end test of the response workflow of the commander layout (接报 R → 响应 V → 报送 B →
// 日志 J → 回放 T → 告警 ! → 值班 D → 预案库 Y), as a duty operator works it, keyboard first
// (playwright-core + Debian Chromium, against a hub).
//   node e2e/response-e2e.mjs [BASE_URL] [OUT_DIR]
// A flood call in 东昌区 江东乡 with 150 people relocated: the suggestion (东昌区防汛抗旱应急预案,
// level Ⅳ, its reason), the grade set by hand with a reason (a journal line), save → the new
// incident selected and its response panel open; start a Ⅳ response (its 4 steps with due
// times), complete two steps, upgrade to Ⅲ (5 steps, Ⅳ's as history), file the 初报 and 续报一
// on the reports tab (a refusal shown at its field; the 初报 PDF downloaded), terminate; the
// journal in words; replay to a moment between the start and the upgrade (response Ⅳ on the
// map, a live change held until back to live); the alerts badge and list, the duty log and a
// shift with its handover, the plan library. At each step the panel is compared with the API
// (`responses`, `entity`, `journal`, `reports`, `picture_at` through the map, `alerts`,
// `duty_log`, `plans`). It writes to the hub: run it on a fresh data directory. Last line
// `N passed, M failed`, exit 1 on any failure.
// Screenshots (1920×1080): response-intake.png, response-suggest.png, response-started.png,
// response-checklist.png, response-upgraded.png, response-overdue.png, response-reports.png,
// response-report-pdf.png (+ the PDF itself, response-initial-report.pdf), response-ended.png,
// response-journal.png, response-replay.png, response-panel-en.png, response-alerts.png,
// response-duty.png, response-plans.png.
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { check, cliArgs, expectConsoleErrors, finish, gotoReady, idleOf, launchBrowser, openPage, pageRpc, sleep, step } from './harness.mjs';

const { base, out } = cliArgs();
await launchBrowser();

const PLACE = '江东乡';
const PLACE_CODE = '220502201000';
const FLOOD = 'dongchang-flood';
const FLOOD_ZH = '东昌区防汛抗旱应急预案';
const REASON_GRADE = '县级防汛预案Ⅳ级启动条件已达到';
const REASON_START = '江东乡转移安置150人，达到Ⅳ级响应启动条件';
const REASON_UP = '浑江水位持续上涨，转移人数快速增加';
const REASON_END = '洪水退去，群众已返回，险情解除';
/** The texts of the 初报 and 续报一, by element. */
const INITIAL = {
  source: '12:05 江东乡政府值班室电话报告，区应急管理局值班员接报',
  sequence: '浑江水位持续上涨，江东乡沿江三个村屯进水',
  measures: '已转移安置群众150人，开放避难场所2处',
  reporter: '东昌区应急管理局 王明 0435-3212345',
};
const FOLLOW_UP = {
  progress: '核实转移安置150人，无人员伤亡，水位开始回落',
  measures: '工作组已到达一线，发放帐篷38顶、棉被150床',
  reporter: '东昌区应急管理局 王明 0435-3212345',
};

const page = await openPage(1920, 1080);
const shot = (name) => page.screenshot({ path: join(out, `response-${name}.png`) });
/** An API answer through the page's own origin; throws on an error answer. */
const api = async (request) => {
  const r = await pageRpc(page, request);
  if (r.status !== 200) throw new Error(`${request.method}: ${r.status} ${JSON.stringify(r.body).slice(0, 200)}`);
  return r.body.result;
};
const $ = (sel) => page.locator(sel);
const testid = (id) => `[data-testid="${id}"]`;
const focused = () => page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? document.activeElement?.tagName ?? null);
/** The upserts the console sends (request and answer), to find the records it wrote. */
const upserts = [];
page.on('response', async (r) => {
  if (!r.url().endsWith('/api/rpc') || r.request().method() !== 'POST') return;
  try {
    const req = JSON.parse(r.request().postData() ?? '{}');
    if (req.method === 'upsert') upserts.push({ req, res: await r.json() });
  } catch {
    // not an answer to read
  }
});
/** Beijing wall time "YYYY-MM-DD HH:mm:ss" of Unix ms (the replay banner and its field). */
const beijingFull = (ms) => new Date(ms + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
/** Takes the keyboard off whatever has it, so a shortcut reaches the console. */
const blur = () => page.evaluate(() => document.activeElement instanceof HTMLElement && document.activeElement.blur());
/** Beijing wall time "MM-DD HH:mm" of an RFC 3339 time (as the panel writes due times). */
const beijing = (iso) => new Date(Date.parse(iso) + 8 * 3600_000).toISOString().replace(/^\d{4}-(\d\d-\d\d)T(\d\d:\d\d).*$/, '$1 $2');
/** The flood plan's card and its rows as the panel shows them. */
const card = () => $(`${testid('response-plan')}[data-plan="${FLOOD}"]`);
const panelSteps = (sel = `${testid('checklist')} ${testid('step')}`) =>
  card()
    .locator(sel)
    .evaluateAll((els) =>
      els.map((e) => ({
        task: e.dataset.task,
        due: e.dataset.due,
        done: e.dataset.done === 'true',
        overdue: e.dataset.overdue === 'true',
        level: Number(e.dataset.level),
        text: e.innerText.replace(/\s+/g, ' ').trim(),
        box: e.querySelector('input[type=checkbox]')?.checked ?? null,
      })),
    );
const panelDecisions = () =>
  card()
    .locator(testid('decision-row'))
    .evaluateAll((els) => els.map((e) => ({ id: e.dataset.id, action: e.dataset.action, level: e.dataset.level, text: e.innerText.replace(/\s+/g, ' ').trim() })));
/** The flood plan's response as the API has it. */
const floodView = async (incident) => (await api({ method: 'responses', params: { incident } })).find((v) => v.plan === FLOOD) ?? null;
/** Until the flood card shows a state (running/ended) and level. */
const waitCard = (state, level) =>
  page.waitForFunction(
    ([s, l]) => {
      const c = document.querySelector('[data-testid="response-plan"][data-plan="dongchang-flood"]');
      return c?.getAttribute('data-state') === s && c.getAttribute('data-level') === l;
    },
    [state, level],
    { timeout: 8000 },
  );
/** Table-like rows whose cells run into each other: a cell over the next column, a row over
 *  the next row, or a cell wider than its box. */
const overlaps = (sel) =>
  page.locator(sel).evaluateAll((rows) => {
    const bad = [];
    let prev = null;
    for (const row of rows) {
      const cells = [...row.children].map((c) => c.getBoundingClientRect()).filter((r) => r.width > 0);
      for (let i = 1; i < cells.length; i++) if (cells[i].left < cells[i - 1].right - 1 && cells[i].top < cells[i - 1].bottom - 1) bad.push(`${row.dataset.testid}#${i}: ${row.innerText.slice(0, 30)}`);
      for (const c of row.querySelectorAll('*')) if (c.scrollWidth > c.clientWidth + 1 && getComputedStyle(c).overflow !== 'visible') bad.push(`${c.className} overflows`);
      const top = Math.min(...cells.map((r) => r.top));
      const bottom = Math.max(...cells.map((r) => r.bottom));
      if (prev && prev.parent === row.parentElement && top < prev.bottom - 1) bad.push(`row over row: ${row.innerText.slice(0, 30)}`);
      prev = { parent: row.parentElement, bottom };
    }
    return bad;
  });
/** Whether an element lies wholly inside the window and has no horizontal overflow. */
const fits = (sel) =>
  $(sel).evaluate((el) => {
    const r = el.getBoundingClientRect();
    return { inside: r.left >= 0 && r.top >= 0 && r.right <= innerWidth && r.bottom <= innerHeight, wide: el.scrollWidth > el.clientWidth + 1, rect: [r.left, r.top, r.right, r.bottom].map(Math.round) };
  });

/** The first truthy `get()`, polled for up to `ms`. */
const until = async (get, ms = 3000) => {
  for (const end = Date.now() + ms; ; await sleep(50)) {
    const v = get();
    if (v || Date.now() > end) return v;
  }
};

let incident = null;
let seat = null;
let picked = null;

try {
  await gotoReady(page, base.href, 'console becomes ready');
  const boot = await api({ method: 'bootstrap' });

  await step('keys R and V are listed in the help', async () => {
    await page.keyboard.press('?');
    await $(testid('help')).locator('h2').waitFor({ timeout: 3000 });
    const rows = await $(testid('help-row')).allInnerTexts();
    const has = (k, words) => rows.some((r) => r.split(/\s+/).includes(k) && r.includes(words));
    check('? lists R (接报) and V (响应)', has('R', '接报') && has('V', '响应'), `${rows.length} rows`);
    await page.keyboard.press('Escape');
    await $(testid('help')).locator('h2').waitFor({ state: 'detached', timeout: 3000 });
  });

  await step('R opens the intake form', async () => {
    const t0 = Date.now();
    await page.keyboard.press('r');
    await $(testid('intake')).waitFor({ timeout: 3000 });
    check('R opens the intake form with the keyboard in its first field', (await focused()) === 'intake-category', String(await focused()));
    const cat = await $(testid('intake-category')).inputValue();
    const sub = await $(testid('intake-subtype')).inputValue();
    const first = boot.taxonomy.category[0];
    check('class defaults to the taxonomy’s first (natural / flood_drought)', cat === first.id && sub === first.subtype[0].id && cat === 'natural' && sub === 'flood_drought', `${cat}/${sub}`);
    const subs = await $(testid('intake-subtype')).locator('option').evaluateAll((os) => os.map((o) => o.value));
    check('subtypes are the chosen class’s', subs.join() === first.subtype.map((s) => s.id).join(), subs.join());
    const onset = await $(testid('intake-onset')).inputValue();
    const ms = Date.parse(`${onset.replace(' ', 'T')}:00+08:00`);
    check('onset defaults to now, Beijing time', /^\d{4}-\d\d-\d\d \d\d:\d\d$/.test(onset) && ms <= Date.now() && ms > t0 - 120_000, onset);
    check('the suggestion waits for a place', (await $(testid('suggest')).getAttribute('data-state')) === 'idle');
  });

  await step('place typed by name, location at its seat', async () => {
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    check('Tab reaches the place field', (await focused()) === 'intake-jurisdiction', String(await focused()));
    await page.keyboard.type(PLACE);
    await page.waitForFunction((c) => document.querySelector('[data-testid=intake-place]')?.getAttribute('data-code') === c, PLACE_CODE, { timeout: 3000 });
    check('江东乡 resolves to 220502201000', (await $(testid('intake-place')).innerText()).includes(PLACE_CODE));
    const [hit] = (await api({ method: 'search', params: { q: PLACE_CODE, limit: 5 } })).filter((h) => h.code === PLACE_CODE);
    seat = hit.point;
    await page.waitForFunction(() => document.querySelector('[data-testid=intake-location]')?.getAttribute('data-lon'), null, { timeout: 3000 });
    const loc = await $(testid('intake-location')).evaluate((e) => ({ lon: Number(e.dataset.lon), lat: Number(e.dataset.lat), picked: e.dataset.picked }));
    check('location defaults to the township’s seat', Math.abs(loc.lon - seat.lon) < 1e-9 && Math.abs(loc.lat - seat.lat) < 1e-9 && loc.picked === 'false', `${JSON.stringify(loc)} vs ${JSON.stringify(seat)}`);
    await idleOf(page);
    const ring = await page.evaluate(() => window.__onemap.map.queryRenderedFeatures({ layers: ['response-intake-location-ring'] }).map((f) => f.geometry.coordinates));
    check('the location is drawn on the map', ring.length === 1 && Math.abs(ring[0][0] - seat.lon) < 1e-4 && Math.abs(ring[0][1] - seat.lat) < 1e-4, JSON.stringify(ring));
    check('title defaults to place + subtype', (await $(testid('intake-title')).inputValue()) === '江东乡水旱灾害', await $(testid('intake-title')).inputValue());
    await page.waitForFunction(() => document.querySelector('[data-testid=suggest]')?.getAttribute('data-state') === 'ready', null, { timeout: 5000 });
    await shot('intake');
    const f = await fits(testid('intake'));
    const col = await $(`${testid('intake')} .fields`).evaluate((e) => e.scrollHeight <= e.clientHeight + 1);
    check('intake form fits the window, every field in view at 1920×1080', f.inside && !f.wide && col, JSON.stringify(f));
  });

  await step('pick on map', async () => {
    await page.keyboard.press('Tab');
    check('Tab reaches “pick on map”', (await focused()) === 'intake-pick', String(await focused()));
    await page.keyboard.press('Enter');
    await $(testid('intake-picking')).waitFor({ timeout: 3000 });
    await page.keyboard.press('Escape');
    await $(testid('intake-picking')).waitFor({ state: 'detached', timeout: 3000 });
    await sleep(100);
    check('Esc leaves picking, not the form; the keyboard is back on the button', (await $(`${testid('intake')} form`).isVisible()) && (await focused()) === 'intake-pick', String(await focused()));
    await page.keyboard.press('Enter');
    await $(testid('intake-picking')).waitFor({ timeout: 3000 });
    const canvas = await page.evaluate(() => {
      const r = window.__onemap.map.getCanvas().getBoundingClientRect();
      return { x: r.left, y: r.top, w: r.width, h: r.height };
    });
    const form = await $(`${testid('intake')} form`).isVisible();
    check('while picking the form steps aside', !form);
    const selectedBefore = await $(testid('detail')).count();
    const click = { x: Math.round(canvas.x + canvas.w * 0.62), y: Math.round(canvas.y + canvas.h * 0.55) };
    const want = await page.evaluate(([x, y, r]) => {
      const l = window.__onemap.map.unproject([x - r.x, y - r.y]);
      return { lon: l.lng, lat: l.lat };
    }, [click.x, click.y, canvas]);
    await page.mouse.click(click.x, click.y);
    await $(testid('intake-picking')).waitFor({ state: 'detached', timeout: 3000 });
    await sleep(100);
    const loc = await $(testid('intake-location')).evaluate((e) => ({ lon: Number(e.dataset.lon), lat: Number(e.dataset.lat), picked: e.dataset.picked }));
    picked = { lon: loc.lon, lat: loc.lat };
    check('a click on the map sets the location', loc.picked === 'true' && Math.abs(loc.lon - want.lon) < 2e-6 && Math.abs(loc.lat - want.lat) < 2e-6, `${JSON.stringify(loc)} vs ${JSON.stringify(want)}`);
    await sleep(400);
    check('the picking click selects nothing', (await $(testid('detail')).count()) === selectedBefore, `detail panels ${selectedBefore} → ${await $(testid('detail')).count()}`);
    check('focus is back on “pick on map”', (await focused()) === 'intake-pick', String(await focused()));
  });

  await step('figures → suggestion beside the form', async () => {
    // From "pick on map": onset, dead, missing, injured, affected, relocated.
    for (let i = 0; i < 6; i++) await page.keyboard.press('Tab');
    check('Tab reaches 转移安置', (await focused()) === 'intake-relocated', String(await focused()));
    await page.keyboard.type('150');
    await page.waitForFunction(() => document.querySelector('[data-testid=suggest-plan][data-plan=dongchang-flood]')?.getAttribute('data-level') === '4', null, { timeout: 5000 });
    const facts = { dead: 0, missing: 0, injured: 0, relocated: 150, affected: 0, houses_damaged: 0, direct_loss_cny: 0, burned_area_ha: null, magnitude: null, density: null };
    const want = await api({ method: 'suggest', params: { category: 'natural', subtype: 'flood_drought', jurisdiction: PLACE_CODE, facts } });
    const shown = await $(testid('suggest-plan')).evaluateAll((els) => els.map((e) => ({ plan: e.dataset.plan, level: e.dataset.level, text: e.innerText.replace(/\s+/g, ' ') })));
    check('the plans shown are suggest()’s, in its order, with its levels', JSON.stringify(shown.map((p) => [p.plan, p.level])) === JSON.stringify(want.plans.map((p) => [p.plan, p.level === null ? '' : String(p.level)])), shown.map((p) => `${p.plan}:${p.level}`).join(' '));
    const flood = shown.find((p) => p.plan === FLOOD);
    const whyApi = want.plans.find((p) => p.plan === FLOOD)?.why ?? [];
    check('东昌区防汛抗旱应急预案 suggests level Ⅳ', !!flood && flood.text.includes(FLOOD_ZH) && flood.text.includes('建议启动Ⅳ级响应') && flood.text.startsWith('Ⅳ'), flood?.text);
    check('its reason “relocated 150 ∈ [100, 500)” is shown', whyApi.includes('relocated 150 ∈ [100, 500)') && whyApi.every((w) => flood?.text.includes(w)), JSON.stringify(whyApi));
    const grade = await $(testid('suggest-grade')).getAttribute('data-grade');
    check('grade suggestion agrees with suggest() (none met: 未达到)', want.grade === null && grade === '' && (await $(testid('suggest-grade')).innerText()).includes('未达到'), `api ${JSON.stringify(want.grade)}, ui "${grade}"`);
    await shot('suggest');
  });

  await step('grade set by hand needs a reason', async () => {
    await $(testid('intake-grade')).focus();
    for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowDown');
    check('the keyboard picks Ⅳ in the grade select', (await $(testid('intake-grade')).inputValue()) === '4' && (await $(testid('intake-grade')).getAttribute('data-chosen')) === '4', await $(testid('intake-grade')).inputValue());
    const before = upserts.length;
    await page.keyboard.press('Enter');
    await sleep(300);
    check('Enter without a reason saves nothing and asks for it', upserts.length === before && (await focused()) === 'intake-grade-reason' && (await $(`${testid('intake')} .err`).allInnerTexts()).some((t) => t.includes('理由')), String(await focused()));
    await page.keyboard.type(REASON_GRADE);
    await $(testid('intake-reporter')).focus();
    await page.keyboard.type('张伟');
    await page.keyboard.press('Tab');
    await page.keyboard.type('13800000000');
  });

  await step('Enter saves: the new incident selected, its response panel open', async () => {
    const t0 = Date.now();
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.querySelector('[data-testid=response-panel]')?.getAttribute('data-incident'), null, { timeout: 10_000 });
    const made = await until(() => upserts.find((u) => u.req.params.body.entity_kind === 'incident' && u.req.params.id === null));
    incident = made?.res?.result?.entity?.id ?? null;
    check('one incident created', !!incident && upserts.filter((u) => u.req.params.body.entity_kind === 'incident').length === 1, incident ?? 'none');
    check('intake closed after saving', (await $(testid('intake')).count()) === 0);
    await idleOf(page);
    check('… and its location ring gone from the map', (await page.evaluate(() => window.__onemap.map.queryRenderedFeatures({ layers: ['response-intake-location-ring'] }).length)) === 0);
    await page.waitForFunction((id) => document.querySelector('[data-testid=detail]')?.getAttribute('data-id') === id, incident, { timeout: 5000 });
    check('the new incident is selected (detail panel)', true, `${Date.now() - t0} ms`);
    const row = await $(`${testid('incident-row')}[data-id="${incident}"]`).getAttribute('aria-selected');
    check('… and in the incident list', row === 'true', String(row));
    check('response panel open on it', (await $(testid('response-panel')).getAttribute('data-incident')) === incident);
    const rec = (await api({ method: 'entity', params: { entity: { kind: 'incident', id: incident } } })).record.fields;
    check(
      'the record holds the call',
      rec.title === '江东乡水旱灾害' && rec.category === 'natural' && rec.subtype === 'flood_drought' && rec.jurisdiction === PLACE_CODE && rec.relocated === 150 && rec.grade === 4 && rec.status === 'active' && rec.casualties.dead === 0,
      JSON.stringify(rec).slice(0, 240),
    );
    check('… at the location picked on the map', Math.abs(rec.location.lon - picked.lon) < 1e-9 && Math.abs(rec.location.lat - picked.lat) < 1e-9, JSON.stringify(rec.location));
    check('… with its onset in Beijing time', /\+08:00$/.test(rec.onset) && Math.abs(Date.parse(rec.onset) - t0) < 180_000, rec.onset);
    const lines = await api({ method: 'journal', params: { incident } });
    const texts = [];
    for (const l of lines.filter((x) => x.entity.kind === 'journal')) texts.push((await api({ method: 'entity', params: { entity: l.entity } })).record.fields.text);
    check('journal: the grade set by hand, with the reason', texts.includes(`定级：建议 未定级，人工改为 Ⅳ级（一般）。理由：${REASON_GRADE}`), JSON.stringify(texts));
    check('journal: the reporter and phone', texts.includes('接报：报告人 张伟；电话 13800000000'), JSON.stringify(texts));
    await page.waitForFunction(() => document.querySelector('[data-testid="response-plan"][data-plan="dongchang-flood"]'), null, { timeout: 5000 });
    check('the flood plan’s card: not started, suggests Ⅳ', (await card().getAttribute('data-state')) === 'idle' && (await card().getAttribute('data-suggested')) === '4');
    check('… with its reason', (await card().locator(testid('response-why')).allInnerTexts()).includes('relocated 150 ∈ [100, 500)'));
    const targets = await $(testid('relief-target')).evaluateAll((els) => els.map((e) => [Number(e.dataset.hours), e.dataset.passed]));
    check('relief clock: bootstrap’s targets, none passed yet', JSON.stringify(targets) === JSON.stringify(boot.relief.targets.map((t) => [t.hours, 'false'])) && targets.length === 3, JSON.stringify(targets));
    const elapsed = Number(await $(testid('relief-clock')).getAttribute('data-elapsed-min'));
    check('relief clock counts from the onset', elapsed >= 0 && elapsed <= 3, `${elapsed} min`);
    const map = await page.evaluate((id) => {
      const m = window.__onemap.map;
      const f = window.__onemap.feature(id);
      const p = m.project([f.lon, f.lat]);
      const c = m.getCanvas().getBoundingClientRect();
      const panel = document.querySelector('[data-testid=response-panel]').getBoundingClientRect();
      return { x: c.left + p.x, right: panel.right, max: c.right };
    }, incident);
    check('the incident stays in sight beside the panel', map.x > map.right && map.x < map.max, JSON.stringify(map));
  });

  await step('start a Ⅳ response with a reason', async () => {
    await card().locator(testid('response-start')).focus();
    await page.keyboard.press('Enter');
    await card().locator(testid('decision-form')).waitFor({ timeout: 3000 });
    check('the start form takes the keyboard at its level', (await focused()) === 'decision-level', String(await focused()));
    check('level defaults to the suggested Ⅳ', (await card().locator(testid('decision-level')).inputValue()) === '4');
    await page.keyboard.press('Enter');
    await card().locator(testid('decision-error')).waitFor({ timeout: 3000 });
    check('no reason: refused, nothing recorded', (await api({ method: 'responses', params: { incident } })).length === 0 && (await focused()) === 'decision-reason', String(await focused()));
    await page.keyboard.type(REASON_START);
    await page.keyboard.press('Enter');
    await waitCard('running', '4');
    await card().locator(`${testid('checklist')} ${testid('step')}`).first().waitFor({ timeout: 5000 });
    const view = await floodView(incident);
    const cur = view.steps.filter((s) => s.current);
    const ui = await panelSteps();
    check('API: a level Ⅳ response with 4 steps', view.state.level === 4 && cur.length === 4, `${view.state.level}, ${cur.length}`);
    check('panel: the 4 steps of the Ⅳ checklist', ui.length === 4 && ui.every((s) => s.level === 4), `${ui.length}`);
    check(
      'panel steps = API steps (task, due, title) in due order',
      JSON.stringify(ui.map((s) => [s.task, s.due])) === JSON.stringify([...cur].sort((a, b) => Date.parse(a.due) - Date.parse(b.due) || a.step.localeCompare(b.step)).map((s) => [s.task, s.due])) && cur.every((s) => ui.find((u) => u.task === s.task)?.text.includes(s.title)),
      ui.map((s) => s.text).join(' | '),
    );
    check('each step shows its owner, due time (Beijing) and a countdown', cur.every((s) => {
      const u = ui.find((x) => x.task === s.task);
      return u && u.text.includes(s.owner) && u.text.includes(beijing(s.due)) && /还剩 (\d+ 小时 )?\d+ 分钟/.test(u.text);
    }), ui.map((s) => s.text).join(' | '));
    const dec = await panelDecisions();
    check('timeline: the start, as recorded', dec.length === 1 && dec[0].id === view.decisions[0].id && dec[0].action === 'start' && dec[0].level === '4' && dec[0].text.includes(REASON_START) && dec[0].text.includes(view.decisions[0].decision.decider_role), JSON.stringify(dec));
    check('focus is back on the plan’s actions', ['response-upgrade', 'response-terminate'].includes(String(await focused())), String(await focused()));
    const bad = await overlaps(`${testid('step')}, ${testid('decision-row')}`);
    check('no step or decision text runs into the next column', bad.length === 0, bad.slice(0, 4).join('; '));
    await shot('started');
  });

  await step('complete two steps', async () => {
    const before = await panelSteps();
    for (const i of [0, 1]) {
      await card().locator(`${testid('checklist')} ${testid('step-done')}`).nth(i).focus();
      await page.keyboard.press('Space');
      await page.waitForFunction(
        (task) => document.querySelector(`[data-testid=step][data-task="${task}"]`)?.getAttribute('data-done') === 'true',
        before[i].task,
        { timeout: 5000 },
      );
    }
    const view = await floodView(incident);
    const done = view.steps.filter((s) => s.done).map((s) => s.task).sort();
    const ui = await panelSteps();
    check('API: those two steps done', JSON.stringify(done) === JSON.stringify([before[0].task, before[1].task].sort()), done.join());
    check('panel: the same two checked and marked done', JSON.stringify(ui.filter((s) => s.done && s.box).map((s) => s.task).sort()) === JSON.stringify(done) && ui.filter((s) => !s.done && s.box === false).length === 2, JSON.stringify(ui.map((s) => [s.done, s.box])));
    check('panel: 已完成 2 / 4', (await card().locator(testid('checklist-title')).innerText()).includes('已完成 2 / 4'));
    const task = (await api({ method: 'entity', params: { entity: { kind: 'task', id: before[0].task } } })).record.fields;
    check('task record: done, other fields kept, no demo flag', task.done === true && task.title && task.due === before[0].due && task.incident === incident && !('demo' in task), JSON.stringify(task).slice(0, 200));
    await shot('checklist');
  });

  await step('upgrade to Ⅲ', async () => {
    // Replay (below) looks at a moment between the start and the upgrade: leave a few seconds.
    await sleep(3500);
    await card().locator(testid('response-upgrade')).focus();
    await page.keyboard.press('Enter');
    await card().locator(testid('decision-form')).waitFor({ timeout: 3000 });
    check('upgrade proposes the next level, Ⅲ', (await card().locator(testid('decision-level')).inputValue()) === '3');
    await page.keyboard.press('Tab');
    await page.keyboard.type(REASON_UP);
    await page.keyboard.press('Enter');
    await waitCard('running', '3');
    await page.waitForFunction(() => document.querySelectorAll('[data-plan=dongchang-flood] [data-testid=checklist] [data-testid=step]').length === 5, null, { timeout: 5000 });
    const view = await floodView(incident);
    const cur = view.steps.filter((s) => s.current);
    const old = view.steps.filter((s) => !s.current);
    const ui = await panelSteps();
    check('API: level Ⅲ, 5 steps in force, Ⅳ’s 4 kept (2 done)', view.state.level === 3 && cur.length === 5 && old.length === 4 && old.filter((s) => s.done).length === 2, `${view.state.level} ${cur.length} ${old.length}`);
    check('panel: the 5 steps of Ⅲ = API', ui.length === 5 && JSON.stringify(ui.map((s) => s.task).sort()) === JSON.stringify(cur.map((s) => s.task).sort()) && ui.every((s) => s.level === 3), `${ui.length}`);
    const hist = card().locator(`${testid('step-history')}[data-level="4"]`);
    check('Ⅳ’s steps collapsed as history', (await hist.count()) === 1 && !(await hist.evaluate((d) => d.open)));
    await hist.locator('summary').focus();
    await page.keyboard.press('Enter');
    const hsteps = await panelSteps(`${testid('step-history')} ${testid('step')}`);
    check('history opens with the keyboard: Ⅳ’s 4 steps, 2 done = API', (await hist.evaluate((d) => d.open)) && hsteps.length === 4 && JSON.stringify(hsteps.filter((s) => s.done).map((s) => s.task).sort()) === JSON.stringify(old.filter((s) => s.done).map((s) => s.task).sort()), `${hsteps.length}`);
    const dec = await panelDecisions();
    check('timeline: start Ⅳ, upgrade Ⅲ = API', JSON.stringify(dec.map((d) => [d.id, d.action, d.level])) === JSON.stringify(view.decisions.map((d) => [d.id, d.decision.action, String(d.decision.level)])) && dec[1]?.text.includes(REASON_UP), JSON.stringify(dec.map((d) => d.action)));
    check('panel state: Ⅲ级响应中', (await card().locator(testid('response-state')).innerText()).includes('Ⅲ级响应中') && (await card().locator(testid('response-level')).innerText()).trim() === 'Ⅲ');
    await shot('upgraded');
  });

  await step('Esc leaves a decision form, not the panel', async () => {
    await card().locator(testid('response-downgrade')).focus();
    await page.keyboard.press('Enter');
    await card().locator(testid('decision-form')).waitFor({ timeout: 3000 });
    await page.keyboard.press('Escape');
    await card().locator(testid('decision-form')).waitFor({ state: 'detached', timeout: 3000 });
    check('Esc closes the form, the panel stays, focus back on its button', (await $(testid('response-panel')).count()) === 1 && (await focused()) === 'response-downgrade', String(await focused()));
  });

  await step('countdowns run on the clock: overdue in red', async () => {
    // Three hours on for the page's clock (Date.now only; the map keeps its own timing).
    await page.evaluate(() => {
      const real = Date.now.bind(Date);
      window.__realNow = real;
      Date.now = () => real() + 3 * 3600_000;
    });
    await sleep(1500);
    const now = Date.now() + 3 * 3600_000;
    const ui = await panelSteps();
    const late = ui.filter((s) => Date.parse(s.due) < now);
    check('steps due within 3 h turn overdue, the others count down', late.length > 0 && ui.every((s) => s.overdue === Date.parse(s.due) < now) && late.every((s) => /已超时/.test(s.text)), ui.map((s) => `${s.overdue}:${s.text.slice(-14)}`).join(' | '));
    const red = await card().locator(`${testid('step')}[data-overdue=true] .title`).first().evaluate((e) => getComputedStyle(e).color);
    check('overdue steps in red', /^rgb\(255, 138, 139\)$/.test(red), red);
    const elapsed = Number(await $(testid('relief-clock')).getAttribute('data-elapsed-min'));
    check('the relief clock moves with it', elapsed >= 180 && elapsed <= 184, `${elapsed} min`);
    await shot('overdue');
    await page.evaluate(() => {
      Date.now = window.__realNow;
    });
    await sleep(1200);
    check('back on time: nothing overdue', (await panelSteps()).every((s) => !s.overdue));
  });

  await step('reports: 初报 and 续报一 through the reports tab, the 初报 PDF', async () => {
    await blur();
    await page.keyboard.press('b');
    await $(testid('report-form')).waitFor({ timeout: 5000 });
    check('B opens the incident’s panel on its reports tab', (await $(`${testid('response-tab')}[data-tab="reports"]`).getAttribute('aria-selected')) === 'true' && (await $(testid('response-panel')).getAttribute('data-incident')) === incident);
    const rv = await api({ method: 'reports', params: { incident } });
    const rows = () =>
      $(testid('deadline')).evaluateAll((els) => els.map((e) => ({ timer: e.dataset.timer, due: e.dataset.due, state: e.dataset.state, text: e.innerText.replace(/\s+/g, ' ').trim(), source: e.querySelector('[data-testid=deadline-source]')?.getBoundingClientRect().height ?? 0 })));
    const ui = await rows();
    const key = (d) => `${d.timer}@${d.due}`;
    check('deadlines = API (timer, due time), by due time, none met yet', rv.deadlines.length >= 1 && JSON.stringify(ui.map(key).sort()) === JSON.stringify(rv.deadlines.map(key).sort()) && ui.every((d, i) => i === 0 || Date.parse(d.due) >= Date.parse(ui[i - 1].due)) && ui.every((d) => d.state !== 'met'), ui.map((d) => `${d.timer}:${d.state}`).join(', '));
    check(
      'each deadline shows its addressee, a countdown and its source in text (not on hover)',
      rv.deadlines.every((d) => {
        const u = ui.find((x) => key(x) === key(d));
        return u && u.text.includes(d.to) && u.text.includes(d.source) && u.source > 0 && (d.overdue ? /已超时/.test(u.text) : /还剩/.test(u.text));
      }),
      ui.map((d) => d.text.slice(0, 60)).join(' | '),
    );
    const open = rv.deadlines.filter((d) => d.report === 'initial' && !d.met_by).sort((a, b) => Date.parse(a.due) - Date.parse(b.due))[0];
    const form = { kind: await $(testid('report-kind')).inputValue(), to: await $(testid('report-to')).inputValue(), channel: await $(testid('report-channel')).inputValue() };
    check('the form offers 初报 (API next), to and channel from its first open deadline', rv.next.map((n) => n[1]).join() === '初报' && form.kind === 'initial' && open && form.to === open.to && form.channel === open.channel, JSON.stringify(form));
    const elements = rv.kinds.find((k) => k.kind === 'initial').elements;
    const boxes = await $(testid('report-section')).evaluateAll((els) => els.map((e) => ({ id: e.dataset.element, label: e.closest('label')?.innerText.trim() ?? '' })));
    check('one labelled box per element of 初报', JSON.stringify(boxes.map((b) => b.id)) === JSON.stringify(elements.map((e) => e.id)) && boxes.every((b, i) => b.label.startsWith(elements[i].zh)), boxes.map((b) => b.label).join(' | '));
    for (const e of elements) if (e.id !== 'measures') await $(`${testid('report-section')}[data-element="${e.id}"]`).fill(INITIAL[e.id]);
    expectConsoleErrors(/422/, 1); // the refusal's HTTP status, which the browser logs
    await $(testid('report-submit')).click();
    const refusal = $(`${testid('report-error')}[data-field="measures"]`);
    await refusal.waitFor({ timeout: 5000 });
    const said = await refusal.innerText();
    const next = await page.evaluate(() => document.activeElement?.getAttribute('data-element'));
    check('an empty element is refused: the API’s words next to that box, the keyboard in it, nothing filed', said.includes('已采取的措施') && said.includes('is required') && next === 'measures' && (await api({ method: 'reports', params: { incident } })).filed.length === 0, `${said} (focus ${next})`);
    await page.keyboard.type(INITIAL.measures);
    await page.keyboard.press('Control+Enter');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=report-row]').length === 1, null, { timeout: 8000 });
    const one = await api({ method: 'reports', params: { incident } });
    const filed = one.filed[0];
    check('Ctrl+Enter files the 初报: API has it with every text, the addressee and the channel', one.filed.length === 1 && filed.label === '初报' && filed.report.kind === 'initial' && elements.every((e) => filed.report.sections[e.id] === INITIAL[e.id]) && filed.report.to === open.to && filed.report.channel === open.channel, JSON.stringify(filed?.report.sections ?? {}).slice(0, 160));
    check('its title names the place, the class, the figures and the label', filed.report.title.includes('江东乡') && filed.report.title.includes('转移安置150人') && filed.report.title.endsWith('（初报）'), filed.report.title);
    check('API: the deadline is met by 初报', one.deadlines.some((d) => d.timer === open.timer && d.met_by === '初报'));
    await page.waitForFunction((t) => document.querySelector(`[data-testid=deadline][data-timer="${t}"]`)?.getAttribute('data-state') === 'met', open.timer, { timeout: 5000 });
    const met = $(`${testid('deadline')}[data-timer="${open.timer}"] ${testid('deadline-state')}`);
    check('panel: that deadline 已由初报报送, in green', (await met.innerText()).includes('已由初报报送') && (await met.evaluate((e) => getComputedStyle(e).color)) === 'rgb(46, 204, 113)', await met.innerText());
    check('the form moves on to 续报一', (await $(testid('report-kind')).inputValue()) === 'follow_up' && (await $(testid('report-kind')).locator('option:checked').innerText()).includes('续报一') && one.next.some((n) => n[1] === '续报一'));
    const fu = one.kinds.find((k) => k.kind === 'follow_up').elements;
    const fuBoxes = await $(testid('report-section')).evaluateAll((els) => els.map((e) => e.dataset.element));
    check('续报一 asks for its own elements', JSON.stringify(fuBoxes) === JSON.stringify(fu.map((e) => e.id)), fuBoxes.join());
    for (const e of fu) await $(`${testid('report-section')}[data-element="${e.id}"]`).fill(FOLLOW_UP[e.id]);
    await $(testid('report-submit')).click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=report-row]').length === 2, null, { timeout: 8000 });
    const two = await api({ method: 'reports', params: { incident } });
    const list = await $(testid('report-row')).evaluateAll((els) => els.map((e) => [e.dataset.label, e.querySelector('[data-testid=report-title]')?.textContent?.trim() ?? '']));
    check('filed list = API: 初报, 续报一 with their titles', JSON.stringify(list) === JSON.stringify(two.filed.map((f) => [f.label, f.report.title])) && list.map((r) => r[0]).join() === '初报,续报一' && two.filed[1].report.kind === 'follow_up' && two.filed[1].report.number === 1, JSON.stringify(list));
    check('API: the 续报一 with its texts', fu.every((e) => two.filed[1].report.sections[e.id] === FOLLOW_UP[e.id]) && two.filed[1].report.title.endsWith('（续报一）'), two.filed[1].report.title);
    const bad = await overlaps(`${testid('deadline')}, ${testid('report-row')}`);
    check('no deadline or report text runs into the next column', bad.length === 0, bad.slice(0, 4).join('; '));
    await shot('reports');
    const pdfButton = $(`${testid('report-row')}[data-label="初报"] ${testid('report-pdf')}`);
    await pdfButton.scrollIntoViewIfNeeded();
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 20_000 }), pdfButton.click()]);
    const file = join(out, 'response-initial-report.pdf');
    await download.saveAs(file);
    const bytes = readFileSync(file);
    const name = download.suggestedFilename();
    check('PDF: the 初报 downloads as a real PDF (%PDF-, > 10 kB), named after the place and label', bytes.subarray(0, 5).toString('latin1') === '%PDF-' && bytes.length > 10_000 && name.endsWith('.pdf') && name.includes('初报') && name.includes('江东乡'), `${bytes.length} bytes, ${name}`);
    await $(testid('reports-filed')).evaluate((e) => e.scrollIntoView({ block: 'end' }));
    await shot('report-pdf');
    await $(`${testid('response-tab')}[data-tab="plans"]`).click();
    await card().locator(testid('response-terminate')).waitFor({ timeout: 5000 });
  });

  await step('terminate', async () => {
    await card().locator(testid('response-terminate')).focus();
    await page.keyboard.press('Enter');
    await card().locator(testid('decision-form')).waitFor({ timeout: 3000 });
    check('terminate asks only for a reason', (await card().locator(testid('decision-level')).count()) === 0 && (await focused()) === 'decision-reason', String(await focused()));
    await page.keyboard.type(REASON_END);
    await page.keyboard.press('Enter');
    await waitCard('ended', '');
    const view = await floodView(incident);
    const dec = await panelDecisions();
    check('API: ended (no level), 3 decisions, no step in force', view.state.level === null && view.decisions.length === 3 && view.steps.every((s) => !s.current), `${view.state.level} ${view.decisions.length}`);
    check('panel: no checklist in force, both levels as history', (await card().locator(testid('checklist')).count()) === 0 && (await card().locator(testid('step-history')).count()) === 2);
    check('timeline = API: start, upgrade, terminate', JSON.stringify(dec.map((d) => [d.id, d.action])) === JSON.stringify(view.decisions.map((d) => [d.id, d.decision.action])) && dec.map((d) => d.action).join() === 'start,upgrade,terminate' && dec[2].text.includes(REASON_END), dec.map((d) => d.action).join());
    check('panel state: 响应已终止, can start again', (await card().locator(testid('response-state')).innerText()).includes('响应已终止') && (await card().locator(testid('response-start')).count()) === 1 && (await card().locator(testid('response-terminate')).count()) === 0);
    const f = await fits(testid('response-panel'));
    check('response panel fits the window', f.inside && !f.wide, JSON.stringify(f));
    await shot('ended');
  });

  await step('journal: decisions and reports in words, newest first', async () => {
    await blur();
    await page.keyboard.press('j');
    await $(testid('journal-line')).first().waitFor({ timeout: 5000 });
    const lines = await api({ method: 'journal', params: { incident } });
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid=journal-line]').length === n, lines.length, { timeout: 6000 }).catch(() => {});
    const ui = await $(testid('journal-line')).evaluateAll((els) => els.map((e) => ({ kind: e.dataset.kind, at: Number(e.dataset.at), intent: e.dataset.intent, text: e.innerText.replace(/\s+/g, ' ').trim() })));
    check('J opens the journal tab: one line per API journal line', (await $(`${testid('response-tab')}[data-tab="journal"]`).getAttribute('aria-selected')) === 'true' && ui.length === lines.length && lines.length > 0, `${ui.length} / ${lines.length}`);
    check('newest first (the API’s lines reversed)', JSON.stringify(ui.map((l) => [l.at, l.intent])) === JSON.stringify([...lines].reverse().map((l) => [l.at_ms, l.intent])));
    const decided = ui.filter((l) => l.kind === 'decision').map((l) => l.text);
    check('the decisions in words: 终止, 升级Ⅲ级响应, 启动Ⅳ级响应 · the plan', decided.length === 3 && decided[0].includes(`终止 · ${FLOOD_ZH}`) && decided[1].includes(`升级Ⅲ级响应 · ${FLOOD_ZH}`) && decided[2].includes(`启动Ⅳ级响应 · ${FLOOD_ZH}`), decided.join(' | '));
    const reported = ui.filter((l) => l.kind === 'report').map((l) => l.text);
    check('the reports: 报送续报一, 报送初报', reported.length === 2 && reported[0].includes('报送续报一') && reported[1].includes('报送初报'), reported.join(' | '));
    check('the call taken in, its notes and the checklist laid out', ui.some((l) => l.kind === 'incident' && l.text.includes('接报登记')) && ui.some((l) => l.kind === 'note' && l.text.includes('接报：报告人')) && ui.filter((l) => l.text.includes('布置任务：')).length === 9, ui.filter((l) => l.kind !== 'decision').slice(0, 4).map((l) => l.text).join(' | '));
    await shot('journal');
    await $(`${testid('response-tab')}[data-tab="plans"]`).click();
    await card().waitFor({ timeout: 5000 });
  });

  await step('replay: the level in force before the upgrade, then back to live', async () => {
    const view = await floodView(incident);
    const start = Date.parse(view.decisions.find((d) => d.decision.action === 'start').decision.at);
    const upgrade = Date.parse(view.decisions.find((d) => d.decision.action === 'upgrade').decision.at);
    const target = Math.floor((start + upgrade) / 2 / 1000) * 1000;
    check('the start and the upgrade lie seconds apart (a moment between them)', upgrade - start >= 3000, `${(upgrade - start) / 1000} s`);
    const team = (await api({ method: 'layers' })).features.find((f) => f.layer === 'teams' && f.status === 'standby');
    const teamFields = (await api({ method: 'entity', params: { entity: { kind: 'team', id: team.id } } })).record.fields;
    await blur();
    await page.keyboard.press('t');
    await $(testid('replay-bar')).waitFor({ timeout: 3000 });
    await page.waitForFunction(() => document.querySelector('[data-testid=replay-banner]')?.getAttribute('data-shown-ms'), null, { timeout: 8000 });
    const bar = () => $(testid('replay-bar')).evaluate((e) => ({ min: Number(e.dataset.min), max: Number(e.dataset.max), at: Number(e.dataset.at) }));
    const b0 = await bar();
    check('T: replay with its banner (回放中), the slider has the keyboard, range = the log’s first moment … now', (await $(testid('replay-banner')).innerText()).includes('回放中') && (await focused()) === 'replay-slider' && b0.min <= start && b0.max >= Date.now() - 10_000 && b0.max - b0.at < 5000, JSON.stringify(b0));
    const shown = (ms) => page.waitForFunction((t) => document.querySelector('[data-testid=replay-banner]')?.getAttribute('data-shown-ms') === String(t), ms, { timeout: 8000 });
    await page.keyboard.press('Shift+ArrowLeft');
    const b1 = await bar();
    await page.keyboard.press('ArrowRight');
    const b2 = await bar();
    // (The range's end is now: it may have grown between the key presses.)
    const minuteOn = b2.at === b1.at + 60_000 || (b1.at + 60_000 > b2.at && b2.at >= b1.max && b2.at <= b2.max);
    check('Shift+← ten minutes back, → one minute on (inside the log’s span)', b1.at === Math.max(b0.min, b0.at - 600_000) && minuteOn, `${b0.at} → ${b1.at} → ${b2.at} (min ${b0.min}, max ${b1.max})`);
    await $(`${testid('replay-step')}[data-delta="-3600000"]`).click();
    const b3 = await bar();
    check('−1 小时 steps back an hour (or to the log’s start)', b3.at === Math.max(b3.min, b2.at - 3_600_000), `${b3.at}`);
    // A picture that takes long shows the progress indicator (its answer held back here).
    const slow = async (route) => {
      if ((route.request().postData() ?? '').includes('"picture_at"')) await sleep(1200);
      await route.continue();
    };
    await page.route('**/api/rpc', slow);
    await $(`${testid('replay-step')}[data-delta="600000"]`).click();
    const flagged = await page.waitForFunction(() => document.querySelector('[data-testid=replay-banner]')?.getAttribute('data-slow') === 'true' && document.querySelector('[data-testid=replay-loading]'), null, { timeout: 1100 }).then(() => true, () => false);
    await page.waitForFunction(() => document.querySelector('[data-testid=replay-banner]')?.getAttribute('data-slow') === 'false', null, { timeout: 8000 });
    await page.unroute('**/api/rpc', slow);
    check('a picture taking over 300 ms shows the progress indicator, gone once drawn', flagged);
    await $(testid('replay-goto')).fill(beijingFull(target));
    await page.keyboard.press('Enter');
    await shown(target);
    const f = await page.evaluate((id) => window.__onemap.feature(id), incident);
    check('between the start and the upgrade the incident’s feature has response 4 (Ⅳ)', f?.response === 4, JSON.stringify(f));
    await idleOf(page);
    const ring = await page.evaluate((id) => window.__onemap.map.queryRenderedFeatures({ layers: ['incidents-response', 'live-incidents-response'] }).filter((x) => x.properties.id === id).map((x) => x.properties.response), incident);
    check('the map draws its Ⅳ response ring', ring.length > 0 && ring.every((r) => r === 4), JSON.stringify(ring));
    const label = await page.evaluate((id) => window.__onemap.map.queryRenderedFeatures({ layers: ['incidents-label', 'live-incidents-label'] }).find((x) => x.properties.id === id)?.properties.response ?? null, incident);
    check('its label carries the level (a second line)', label === 4, String(label));
    check('the banner shows that moment in Beijing time', (await $(testid('replay-banner-time')).innerText()).trim() === beijingFull(target), await $(testid('replay-banner-time')).innerText());
    const head = await page.evaluate(() => window.__onemap.head);
    const up = await pageRpc(page, { method: 'upsert', params: { id: team.id, body: { entity_kind: 'team', ...teamFields, status: 'dispatched' } } });
    await page.waitForFunction((h) => window.__onemap.head > h, head, { timeout: 8000 });
    const held = await page.evaluate((id) => window.__onemap.feature(id)?.status, team.id);
    check('a live change meanwhile is read (head moves) but not drawn: the map stays at that moment', up.status === 200 && held === 'standby', `${held}`);
    await shot('replay');
    await page.keyboard.press('Escape');
    await $(testid('replay-bar')).waitFor({ state: 'detached', timeout: 3000 });
    const live = await page.evaluate(([t, i]) => ({ team: window.__onemap.feature(t)?.status, response: window.__onemap.feature(i)?.response }), [team.id, incident]);
    check('Esc: back to live — no banner, the change read meanwhile drawn, the incident at response 0 (terminated)', (await $(testid('replay-banner')).count()) === 0 && live.team === 'dispatched' && live.response === 0, JSON.stringify(live));
    await idleOf(page);
    const after = await page.evaluate((id) => window.__onemap.map.queryRenderedFeatures({ layers: ['incidents-response', 'live-incidents-response'] }).filter((x) => x.properties.id === id).length, incident);
    check('live: no response ring on the terminated incident', after === 0, String(after));
    await pageRpc(page, { method: 'upsert', params: { id: team.id, body: { entity_kind: 'team', ...teamFields, status: 'standby' } } });
    await page.waitForFunction((id) => window.__onemap.feature(id)?.status === 'standby', team.id, { timeout: 5000 });
  });

  await step('English', async () => {
    await $(testid('lang-toggle')).click();
    await page.waitForFunction(() => document.querySelector('#response-title')?.textContent?.trim() === 'Response', null, { timeout: 3000 });
    const state = (await card().locator(testid('response-state')).innerText()).trim();
    const acts = await card().locator(`${testid('decision-row')} .act`).allInnerTexts();
    const summary = await card().locator(`${testid('step-history')}[data-level="3"] summary`).innerText();
    await card().locator(`${testid('step-history')}[data-level="3"] summary`).click();
    const titles = await card().locator(`${testid('step-history')}[data-level="3"] ${testid('step')} .title`).allInnerTexts();
    check('panel in English: state, actions, history', state === 'Response terminated' && acts.join() === 'Start,Upgrade,Terminate' && summary.includes('Level Ⅲ checklist'), `${state}; ${acts.join()}; ${summary}`);
    check('step titles from the plan in English', titles.includes('Deputy commander holds a consultation and deploys') && titles.length === 5, titles.join(' | '));
    const bad = await overlaps(`${testid('step')}, ${testid('decision-row')}`);
    check('no English text runs into the next column', bad.length === 0, bad.slice(0, 4).join('; '));
    await idleOf(page);
    await shot('panel-en');
    await $(testid('lang-toggle')).click();
    await page.waitForFunction(() => document.querySelector('#response-title')?.textContent?.trim() === '响应处置', null, { timeout: 3000 });
  });

  await step('V and Esc', async () => {
    await page.evaluate(() => document.activeElement instanceof HTMLElement && document.activeElement.blur());
    await page.keyboard.press('v');
    await $(testid('response-panel')).waitFor({ state: 'detached', timeout: 3000 });
    check('V closes the panel of the selected incident', true);
    await page.keyboard.press('v');
    await page.waitForFunction((id) => document.querySelector('[data-testid=response-panel]')?.getAttribute('data-incident') === id, incident, { timeout: 3000 });
    check('V opens it again on the selected incident', true);
    await page.keyboard.press('Escape');
    await $(testid('response-panel')).waitFor({ state: 'detached', timeout: 3000 });
    check('Esc closes the panel, the incident stays selected', (await $(testid('detail')).getAttribute('data-id')) === incident);
    await $(testid('detail-response')).click();
    await page.waitForFunction((id) => document.querySelector('[data-testid=response-panel]')?.getAttribute('data-incident') === id, incident, { timeout: 3000 });
    check('the incident detail opens the response panel', true);
    await page.keyboard.press('Escape');
    await page.keyboard.press('r');
    await $(testid('intake')).waitFor({ timeout: 3000 });
    await page.keyboard.press('Escape');
    await $(testid('intake')).waitFor({ state: 'detached', timeout: 3000 });
    const incidents = (await api({ method: 'layers' })).features.filter((f) => f.layer === 'incidents' && f.name === '江东乡水旱灾害');
    check('Esc cancels an intake: nothing saved', incidents.length === 1, `${incidents.length} incidents named 江东乡水旱灾害`);
  });
  await step('alerts: the badge counts the API’s, the list opens an incident', async () => {
    const list = await api({ method: 'alerts' });
    await page.waitForFunction((n) => document.querySelector('[data-testid=alerts-badge]')?.getAttribute('data-count') === String(n), list.length, { timeout: 15_000 }).catch(() => {});
    const badge = await $(testid('alerts-badge')).evaluate((e) => ({ n: Number(e.dataset.count), text: e.innerText.replace(/\s+/g, ' ').trim() }));
    check('the alerts badge = API alerts (count and text)', badge.n === list.length && badge.text.includes(list.length === 0 ? '无告警' : `告警 ${list.length}`), JSON.stringify(badge));
    await blur();
    await page.keyboard.press('!');
    await $(testid('alerts-panel')).locator('h2').waitFor({ timeout: 3000 });
    // Alerts on stock or shelters concern no incident: their rows carry no data-incident.
    const rows = await $(testid('alert-row')).evaluateAll((els) => els.map((e) => `${e.dataset.incident ?? ''}/${e.dataset.kind}`));
    check('! lists every alert (incident and kind = API)', JSON.stringify([...rows].sort()) === JSON.stringify(list.map((a) => `${a.incident ?? ''}/${a.kind}`).sort()), `${rows.length} rows`);
    await shot('alerts');
    if (list.length > 0) {
      const [id, kind] = rows[0].split('/');
      await $(testid('alert-row')).first().focus();
      await page.keyboard.press('Enter');
      await page.waitForFunction((i) => document.querySelector('[data-testid=response-panel]')?.getAttribute('data-incident') === i, id, { timeout: 5000 });
      const tab = await $(`${testid('response-tab')}[aria-selected="true"]`).getAttribute('data-tab');
      check('Enter on an alert: its incident selected, its response panel open (reports tab for a late report)', (await $(testid('alerts-panel')).locator('h2').count()) === 0 && (await $(testid('detail')).getAttribute('data-id')) === id && tab === (kind === 'report_overdue' ? 'reports' : 'plans'), `${tab}`);
      await page.keyboard.press('Escape');
    }
  });

  await step('duty: the log of the last 24 h, a shift and its handover', async () => {
    await blur();
    await page.keyboard.press('d');
    await $(testid('duty-line')).first().waitFor({ timeout: 5000 });
    const now = Date.now();
    const log = await api({ method: 'duty_log', params: { from_ms: now - 86_400_000, to_ms: now } });
    const lines = () => $(testid('duty-line')).evaluateAll((els) => els.map((e) => ({ kind: e.dataset.kind, incident: e.dataset.incident, text: e.querySelector('.text')?.textContent?.trim() ?? '' })));
    const ui = await lines();
    check('D: no shift on duty yet, the log of the last 24 h', (await $(testid('shift-none')).count()) === 1 && (await $(testid('duty')).getAttribute('data-window')) === 'day');
    const ours = (l) => l.incident === incident;
    const pairs = (ls) => JSON.stringify(ls.filter(ours).map((l) => `${l.kind}:${l.text}`).sort());
    const apiPairs = JSON.stringify(log.lines.filter(ours).map((l) => `${l.kind}:${l.text}`).sort());
    check('the incident’s lines = API (kind and text)', pairs(ui) === apiPairs && ui.filter(ours).length >= 6, `${ui.filter(ours).length} lines`);
    const mine = ui.filter(ours);
    check('the intake as received (接报: its title)', mine.some((l) => l.kind === 'received' && l.text.includes('江东乡水旱灾害')));
    const decided = mine.filter((l) => l.kind === 'decided').map((l) => l.text);
    check('the three decisions as decided', decided.length === 3 && decided.some((x) => x.includes('启动 Ⅳ级')) && decided.some((x) => x.includes('升级为 Ⅲ级')) && decided.some((x) => x.includes('终止')), decided.join(' | '));
    const sent = mine.filter((l) => l.kind === 'sent').map((l) => l.text);
    check('the two reports as sent (title → addressee)', sent.length === 2 && sent.some((x) => x.includes('（初报）') && x.includes('→')) && sent.some((x) => x.includes('（续报一）')), sent.join(' | '));
    const groups = await $(testid('duty-group')).evaluateAll((els) => els.map((e) => e.dataset.kind));
    const order = ['received', 'decided', 'sent', 'done', 'note', 'handover'];
    check('grouped by kind in a fixed order (接报, 决策, 报送, 完成, 记录, 交接班)', groups.length >= 3 && groups.every((g, i) => i === 0 || order.indexOf(g) > order.indexOf(groups[i - 1])), groups.join());
    const starts = await $(testid('shift-starts')).inputValue();
    const ends = await $(testid('shift-ends')).inputValue();
    const at = (v) => Date.parse(`${v.replace(' ', 'T')}:00+08:00`);
    check('a new shift defaults to now … +8 h (Beijing time)', Math.abs(at(starts) - now) < 120_000 && at(ends) - at(starts) === 8 * 3_600_000, `${starts} – ${ends}`);
    await $(testid('shift-leader')).fill('张伟');
    await $(testid('shift-officers')).fill('李娜、王强');
    await $(testid('shift-phone')).fill('0435-3210000');
    await $(testid('shift-save')).click();
    await $(testid('shift-current')).waitFor({ timeout: 5000 });
    const around = await api({ method: 'duty_log', params: { from_ms: Date.now(), to_ms: Date.now() } });
    const shift = around.shifts.find(([, sh]) => sh.leader === '张伟');
    check('the shift is recorded (leader, officers, phone, 8 h, this centre)', shift && JSON.stringify(shift[1].officers) === JSON.stringify(['李娜', '王强']) && shift[1].phone === '0435-3210000' && Date.parse(shift[1].ends) - Date.parse(shift[1].starts) === 8 * 3_600_000 && shift[1].jurisdiction === boot.region.code, JSON.stringify(shift?.[1] ?? null));
    await page.waitForFunction(() => document.querySelector('[data-testid=duty]')?.getAttribute('data-window') === 'shift', null, { timeout: 5000 });
    check('the panel shows the shift on duty, the log in its window', (await $(testid('shift-current-leader')).innerText()).trim() === '张伟' && (await $(testid('shift-current')).getAttribute('data-id')) === shift[0]);
    const NOTE = '江东乡洪涝响应已终止，续报一已报市局；次日核实终报材料';
    await $(testid('shift-handover')).fill(NOTE);
    await $(testid('shift-handover-save')).click();
    await $(testid('shift-saved')).waitFor({ timeout: 5000 });
    const handed = (await api({ method: 'entity', params: { entity: { kind: 'shift', id: shift[0] } } })).record.fields;
    check('the handover note is written on the shift', handed.handover === NOTE && handed.leader === '张伟', String(handed.handover));
    await page.waitForFunction((n) => [...document.querySelectorAll('[data-testid=duty-line][data-kind=handover]')].some((e) => e.textContent.includes(n)), NOTE, { timeout: 12_000 }).catch(() => {});
    check('the duty log shows the handover (交接班)', (await lines()).some((l) => l.kind === 'handover' && l.text.includes(`交班：${NOTE}`)));
    await shot('duty');
    await $(testid('duty-window-day')).check();
    await $(`${testid('duty-line')}[data-incident="${incident}"] button`).first().waitFor({ timeout: 5000 });
    await $(`${testid('duty-line')}[data-incident="${incident}"] button`).first().click();
    await page.waitForFunction((i) => document.querySelector('[data-testid=response-panel]')?.getAttribute('data-incident') === i, incident, { timeout: 5000 });
    check('a line opens its incident’s response panel (the dialog closes)', (await $(testid('duty-panel')).locator('h2').count()) === 0 && (await $(testid('detail')).getAttribute('data-id')) === incident);
  });

  await step('plan library', async () => {
    await blur();
    await page.keyboard.press('y');
    await $(testid('plan-row')).first().waitFor({ timeout: 5000 });
    const plans = await api({ method: 'plans' });
    const rows = await $(testid('plan-row')).evaluateAll((els) => els.map((e) => ({ plan: e.dataset.plan, lifecycle: e.dataset.lifecycle, overdue: e.dataset.overdue === 'true', text: e.innerText })));
    check('Y lists every plan with its lifecycle and version', rows.length === plans.length && plans.every((p) => rows.some((r) => r.plan === p.id && r.lifecycle === p.lifecycle && r.text.includes(p.version))), `${rows.length} / ${plans.length}`);
    const late = plans.filter((p) => p.lifecycle !== 'superseded' && Date.parse(p.evaluation_due) < Date.now()).map((p) => p.id).sort();
    check('overdue evaluations marked (评估逾期), the others not', late.length > 0 && JSON.stringify(rows.filter((r) => r.overdue).map((r) => r.plan).sort()) === JSON.stringify(late) && rows.filter((r) => r.overdue).every((r) => r.text.includes('评估逾期')), late.join());
    await $(`${testid('plan-row')}[data-plan="${FLOOD}"]`).click();
    await $(`${testid('plan-detail')}[data-plan="${FLOOD}"]`).waitFor({ timeout: 3000 });
    const plan = plans.find((p) => p.id === FLOOD);
    const levels = await $(testid('plan-level')).evaluateAll((els) => els.map((e) => Number(e.dataset.level)));
    const actions = await $(testid('plan-action')).count();
    check('the flood plan in detail: levels Ⅳ → Ⅰ, every checklist step', JSON.stringify(levels) === JSON.stringify(plan.level.map((l) => l.level).sort((a, b) => b - a)) && actions === plan.level.reduce((n, l) => n + l.action.length, 0), `${levels.join()} · ${actions} steps`);
    await shot('plans');
    await page.keyboard.press('Escape');
    await $(testid('plans-panel')).locator('h2').waitFor({ state: 'detached', timeout: 3000 });
  });
} catch (e) {
  check('response e2e ran to the end', false, e instanceof Error ? e.message.split('\n')[0] : String(e));
}

await finish(base, out, 'no page errors or console errors');
