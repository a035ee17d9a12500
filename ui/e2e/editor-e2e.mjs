// End-to-end test of the record editor (编辑), the experts to consult (可咨询专家) and team
// requests up the hierarchy (调动申请), as a duty operator works them (playwright-core + Debian
// Chromium, against a hub).
//   node e2e/editor-e2e.mjs [BASE_URL] [OUT_DIR]
// (a) a team's detail, 编辑: headcount, readiness and position changed and saved — the API's
// record and the map feature follow; F2 opens the editor, Esc leaves it (the detail stays);
// (b) headcount 0, which the host refuses: its message beside headcount, nothing written; a
// location outside China caught by the form itself; (c) a shelter closed with its checkbox:
// placing evacuees there refused inline; (d) a flood incident with a level Ⅲ response (set up
// through the API): the dispatch panel lists the experts covering natural disasters; (e) a team
// to be requested through 通化市 asked for by its pick's button: the request listed 待答复,
// awaiting 通化市; (f) a request put to this centre (a township's, written through the API as
// sync would bring it) reached from its alert: a refusal without a note stopped, then approved —
// the order given; (g) 东昌区应急物资储备库's stock: the 帐篷 (1010101) line's expiry set 30 days
// ahead with the record editor — the API's line has it and an `expiring` alert for it; an
// agreement reserve without activation hours refused beside that field; (h) 入库 20: on hand
// +20; 出库 beyond what is available: refused inline naming the quantity available, nothing
// written; (i) X → 专家库: the active experts listed; 测试专家 added (listed, and among the
// natural-disaster experts), then a phone `abc` refused beside phone; Esc leaves the editor
// only. Writes to the hub: run it on a fresh data directory. Last line `N passed, M failed`,
// exit 1 on any failure.
// Screenshots (1920×1080): editor-team.png, editor-error.png, shelter-closed.png, experts.png,
// request-outgoing.png, request-incoming.png, editor-stock.png, stock-receive.png,
// experts-tab.png, expert-form.png.
import { join } from 'node:path';
import { beijingNow, check, cliArgs, expectConsoleErrors, finish, floodWithResponse, gotoReady, idleOf, launchBrowser, openPage, pageRpc, step } from './harness.mjs';

const { base, out } = cliArgs();
await launchBrowser();

const PLACE_CODE = '220502201000'; // 江东乡
const TITLE = '江东乡沿江村屯洪涝（编辑测试）';
const SHELTER = '滨江公园应急避难场所';
const CITY = '220500000000';
const WAREHOUSE = '东昌区应急物资储备库';
const TENT = '1010101';

const page = await openPage(1920, 1080);
const shot = (name) => page.screenshot({ path: join(out, `${name}.png`) });
const $ = (sel) => page.locator(sel);
const testid = (id) => `[data-testid="${id}"]`;
const form = testid('editor-form');
const field = (name) => $(`${form} [name="${name}"]`);
/** An API answer through the page's own origin; throws on an error answer. */
const api = async (request) => {
  const r = await pageRpc(page, request);
  if (r.status !== 200) throw new Error(`${request.method}: ${r.status} ${JSON.stringify(r.body).slice(0, 200)}`);
  return r.body.result;
};
const record = async (kind, id) => (await api({ method: 'entity', params: { entity: { kind, id } } })).record;
const head = async () => (await api({ method: 'layers' })).head;
const blur = () => page.evaluate(() => document.activeElement instanceof HTMLElement && document.activeElement.blur());
const text = async (sel) => (await $(sel).first().innerText()).replace(/\s+/g, ' ').trim();
/** Selects a record through the map hooks and waits for its detail (the record read). */
async function open(id) {
  await page.evaluate((i) => window.__onemap.select(i), id);
  await page.waitForFunction((i) => document.querySelector('[data-testid=detail]')?.getAttribute('data-id') === i && document.querySelector('[data-testid=detail-edit]:not([disabled])'), id, { timeout: 8000 });
}
/** The editor opened by its button. */
async function edit() {
  await $(testid('detail-edit')).click();
  await $(form).waitFor({ timeout: 3000 });
}
const panelReady = (id) =>
  page.waitForFunction(
    (i) => {
      const p = document.querySelector('[data-testid=dispatch-panel]');
      return p?.getAttribute('data-incident') === i && p.getAttribute('data-ready') === 'true';
    },
    id,
    { timeout: 10_000 },
  );

let team = null;
let incident = null;

try {
  await gotoReady(page, base.href, 'console becomes ready');
  const boot = await api({ method: 'bootstrap' });
  const features = (await api({ method: 'layers' })).features;
  // The nearby panel aside (N), so the detail has the column.
  await blur();
  await page.keyboard.press('n');

  await step('(a) a team edited: headcount, readiness, position saved; the map follows', async () => {
    team = features.find((f) => f.layer === 'teams' && f.status === 'standby');
    const before = await record('team', team.id);
    await open(team.id);
    await edit();
    const f0 = before.fields;
    const shown = {
      name: await field('name').inputValue(),
      type: await field('team_type').inputValue(),
      specialties: await $(`${form} input[name="specialties"]:checked`).evaluateAll((els) => els.map((e) => e.value).sort()),
      headcount: await field('headcount').inputValue(),
      equipment: await $(`${form} ${testid('equipment-name')}`).count(),
      owner: await field('owner').inputValue(),
      status: await field('status').inputValue(),
    };
    check(
      'the form holds the record: name, type, specialties, headcount, equipment lines, owner, status',
      shown.name === f0.name && shown.type === f0.team_type && JSON.stringify(shown.specialties) === JSON.stringify([...f0.specialties].sort()) && shown.headcount === String(f0.headcount) && shown.equipment === f0.equipment.length && shown.owner === f0.owner && shown.status === f0.status,
      JSON.stringify(shown),
    );
    check('the keyboard is in its first field', await page.evaluate(() => document.activeElement?.getAttribute('name') === 'name'));
    const options = await field('team_type').locator('option').count();
    check('team types from the taxonomy to choose from', options >= boot.taxonomy.team_type.length, `${options} options`);
    const headcount = f0.headcount + 3;
    const readiness = f0.readiness_min + 2;
    const lon = Math.round((f0.location.lon + 0.004) * 1e6) / 1e6;
    await field('headcount').fill(String(headcount));
    await field('readiness_min').fill(String(readiness));
    await field('lon').fill(String(lon));
    await idleOf(page);
    await shot('editor-team');
    await field('readiness_min').press('Enter');
    await $(form).waitFor({ state: 'detached', timeout: 5000 });
    const after = (await record('team', team.id)).fields;
    check(`API: headcount ${headcount}, readiness ${readiness} min, lon ${lon}; the rest unchanged`, after.headcount === headcount && after.readiness_min === readiness && after.location.lon === lon && after.location.lat === f0.location.lat && after.name === f0.name && JSON.stringify(after.equipment) === JSON.stringify(f0.equipment) && JSON.stringify(after.specialties) === JSON.stringify(f0.specialties), JSON.stringify({ h: after.headcount, r: after.readiness_min, loc: after.location }));
    await page.waitForFunction(([id, x]) => Math.abs((window.__onemap.feature(id)?.lon ?? 0) - x) < 1e-6, [team.id, lon], { timeout: 8000 }).catch(() => {});
    check('the map feature moved with it', await page.evaluate(([id, x]) => Math.abs((window.__onemap.feature(id)?.lon ?? 0) - x) < 1e-6, [team.id, lon]));
    await page.waitForFunction((n) => document.querySelector('[data-testid=detail-fields]')?.textContent.includes(`${n} 人`), headcount, { timeout: 5000 });
    check('the detail read again shows the new headcount', true);
    check('the keyboard back on 编辑', await page.evaluate(() => document.activeElement?.getAttribute('data-testid') === 'detail-edit'));
    const saved = (await record('team', team.id)).updated;
    await page.keyboard.press('F2');
    await $(form).waitFor({ timeout: 3000 });
    check('F2 (the detail panel has the keyboard) opens the editor', true);
    await page.keyboard.press('Escape');
    await $(form).waitFor({ state: 'detached', timeout: 3000 });
    check('Esc leaves the editor only: the detail stays, nothing written', (await $(testid('detail')).getAttribute('data-id')) === team.id && (await record('team', team.id)).updated === saved && (await $(testid('detail-fields')).count()) === 1);
  });

  await step('(b) headcount 0: the host’s refusal beside headcount, nothing written', async () => {
    const h0 = await head();
    const r0 = await record('team', team.id);
    await edit();
    await field('headcount').fill('0');
    expectConsoleErrors(/status of 422/, 1);
    await field('headcount').press('Enter');
    const err = $(`${testid('editor-error')}[data-field="headcount"]`);
    await err.waitFor({ timeout: 5000 });
    const said = (await err.innerText()).trim();
    check('beside headcount: 填写有误：a team has at least one member', said === '填写有误：a team has at least one member', said);
    check('the field marked, the keyboard in it', (await field('headcount').getAttribute('aria-invalid')) === 'true' && (await page.evaluate(() => document.activeElement?.getAttribute('name'))) === 'headcount');
    const r1 = await record('team', team.id);
    check('nothing written (API head and record unchanged)', (await head()) === h0 && r1.updated === r0.updated && r1.fields.headcount === r0.fields.headcount, `head ${h0}`);
    await shot('editor-error');
    // A position outside China: the form's own check, no request.
    await field('headcount').fill(String(r0.fields.headcount));
    await field('lon').fill('2.35');
    await field('lat').fill('48.85');
    await field('lat').press('Enter');
    const loc = await text(`${testid('editor-error')}[data-field="location"]`);
    check('lon 2.35 / lat 48.85: “not in China”, with the ranges, beside the location', loc.includes('中国境内') && loc.includes('73–135.5') && loc.includes('3–54') && (await $(`${testid('editor-error')}[data-field="headcount"]`).count()) === 0, loc);
    check('… nothing written', (await head()) === h0);
    await $(testid('editor-cancel')).click();
    await $(form).waitFor({ state: 'detached', timeout: 3000 });
  });

  await step('(c) a shelter closed by its checkbox: placing evacuees there refused inline', async () => {
    const shelter = features.find((f) => f.layer === 'shelters' && f.name === SHELTER);
    const r0 = await record('shelter', shelter.id);
    await open(shelter.id);
    await edit();
    const area = await field('effective_area_m2').inputValue();
    check('the form holds the shelter (area, per capita, facilities, not closed)', area === String(r0.fields.effective_area_m2) && (await field('per_capita_m2').inputValue()) === String(r0.fields.per_capita_m2) && (await $(`${form} input[name="facilities"]:checked`).count()) === r0.fields.facilities.length && !(await field('closed').isChecked()), area);
    check('no ledger figure in the form (occupancy is placed, not typed)', (await $(`${form} [name="occupancy"]`).count()) === 0);
    await field('closed').check();
    await $(testid('editor-save')).click();
    await $(form).waitFor({ state: 'detached', timeout: 5000 });
    const r1 = await record('shelter', shelter.id);
    check('API: closed, the rest unchanged, occupancy untouched', r1.fields.closed === true && r1.fields.effective_area_m2 === r0.fields.effective_area_m2 && JSON.stringify(r1.balances) === JSON.stringify(r0.balances), JSON.stringify(r1.balances));
    expectConsoleErrors(/status of 409/, 1);
    await $(testid('placing-count')).fill('10');
    await $(testid('placing-in')).click();
    await $(testid('placing-error')).waitFor({ timeout: 5000 });
    const refused = (await $(testid('placing-error')).innerText()).trim();
    check('安置 10: refused inline — 避难场所已关闭', refused.startsWith('避难场所已关闭') && refused.includes('closed'), refused);
    check('… nobody placed', JSON.stringify((await record('shelter', shelter.id)).balances) === JSON.stringify(r0.balances));
    await $(testid('placing-error')).scrollIntoViewIfNeeded();
    await shot('shelter-closed');
  });

  await step('setup: a flood in 江东乡 with a level Ⅲ response (through the API)', async () => {
    incident = await floodWithResponse(api, page, TITLE);
    check('the incident is on the map', true);
  });

  await step('(d) the dispatch panel lists the experts covering natural disasters', async () => {
    const experts = await api({ method: 'experts', params: { category: 'natural' } });
    await page.evaluate((id) => window.__onemap.select(id), incident);
    await page.waitForFunction((id) => document.querySelector('[data-testid=detail]')?.getAttribute('data-id') === id, incident, { timeout: 5000 });
    await blur();
    await page.keyboard.press('g');
    await panelReady(incident);
    await $(testid('experts-toggle')).click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=expert]').length > 0, null, { timeout: 5000 });
    const rows = await $(testid('expert')).evaluateAll((els) => els.map((e) => ({ tier: e.dataset.tier, text: e.textContent.replace(/\s+/g, ' ').trim() })));
    check(`≥ 1 expert, the API’s ${experts.length} in its order (chief first)`, rows.length >= 1 && rows.length === experts.length && rows.every((r, i) => r.tier === experts[i].expert.tier && r.text.includes(experts[i].expert.name)), rows.map((r) => r.text.slice(0, 20)).join(' | '));
    const first = experts[0].expert;
    check('a row: name, tier badge (首席), fields, organisation, phone', rows[0].text.includes('首席') && first.fields.every((f) => rows[0].text.includes(f)) && rows[0].text.includes(first.organisation) && rows[0].text.includes(first.phone), rows[0].text);
    const selectable = await $(testid('expert-phone')).first().evaluate((e) => getComputedStyle(e).userSelect);
    check('the phone is selectable text', selectable === 'all' || selectable === 'text', selectable);
    await $(testid('expert')).last().scrollIntoViewIfNeeded();
    await idleOf(page);
    await shot('experts');
  });

  await step('(e) a team requested through 通化市 from its pick: listed 待答复', async () => {
    const rec = await api({ method: 'recommend', params: { incident } });
    const need = rec.needs.find((n) => n.picks.some((p) => p.authority.how === 'request'));
    const pick = need?.picks.find((p) => p.authority.how === 'request');
    if (!check('a pick to request up the hierarchy is recommended', !!pick, rec.needs.map((n) => n.picks.map((p) => p.authority.how).join()).join(' | '))) return;
    const via = boot.jurisdictions.find((j) => j.code === pick.authority.via)?.name_zh;
    const btn = $(`${testid('pick-dispatch')}[data-team="${pick.team}"]`).first();
    const label = (await btn.innerText()).trim();
    check(`its button: 向${via}申请, enabled`, label === `向${via}申请` && (await btn.getAttribute('aria-disabled')) === null && (await btn.getAttribute('data-action')) === 'request', label);
    await btn.focus();
    await page.keyboard.press('Enter');
    await $(`${testid('dispatch-confirm')} form[data-mode="request"]`).waitFor({ timeout: 3000 });
    const reason = await $(testid('dispatch-confirm-reason')).inputValue();
    const title = await text(`${testid('dispatch-confirm')} h2`);
    check('the confirmation: 申请调动, the centre asked, the reason proposed', title === '申请调动' && (await text(testid('dispatch-confirm-via'))) === via && reason === `${need.zh}：${TITLE}`, `${title} / ${reason}`);
    await page.keyboard.press('Enter');
    await $(`${testid('dispatch-confirm')} form`).waitFor({ state: 'detached', timeout: 5000 });
    const mine = (await api({ method: 'team_requests' })).filter((v) => v.request.incident === incident && v.request.team === pick.team);
    check(`API: one request, from ${boot.region.name_zh} to ${via}, pending, the reason as confirmed`, mine.length === 1 && mine[0].request.from === boot.region.code && mine[0].request.to === CITY && mine[0].state.status === 'pending' && mine[0].request.reason === reason && !mine[0].mine_to_answer, JSON.stringify(mine.map((v) => [v.request.to, v.state.status])));
    check('nothing dispatched by it', (await api({ method: 'dispatches', params: { incident } })).every((o) => o.order.team !== pick.team));
    const row = $(`${testid('request-list')} ${testid('team-request')}[data-team="${pick.team}"]`);
    await row.waitFor({ timeout: 5000 });
    const status = await text(`${testid('request-list')} ${testid('team-request')}[data-team="${pick.team}"] ${testid('request-status')}`);
    const where = await text(`${testid('request-list')} ${testid('team-request')}[data-team="${pick.team}"] ${testid('request-where')}`);
    const history = await text(`${testid('request-list')} ${testid('team-request')}[data-team="${pick.team}"] ${testid('request-history')}`);
    check(`the requests list: the team, 待答复, 待${via}答复, “${boot.region.name_zh} 报请 ${via} HH:MM”`, (await row.innerText()).includes(pick.name) && status === '待答复' && where === `待${via}答复` && new RegExp(`${boot.region.name_zh} 报请 ${via} \\d\\d:\\d\\d`).test(history), `${status} / ${where} / ${history}`);
    const again = $(`${testid('pick-dispatch')}[data-team="${pick.team}"]`).first();
    check('its pick now says 已申请 and asks no more', (await again.innerText()).trim() === '已申请' && (await again.getAttribute('aria-disabled')) === 'true');
    const done = await text(testid('dispatch-done'));
    check('a confirmation says so', done.includes(`已向${via}申请调动${pick.name}`), done);
    await row.scrollIntoViewIfNeeded();
    await idleOf(page);
    await shot('request-outgoing');
  });

  await step('(f) a request put to this centre, from its alert: a refusal needs a note; approved, the order given', async () => {
    const rec = await api({ method: 'recommend', params: { incident } });
    const ours = rec.needs.flatMap((n) => n.picks).find((p) => p.authority.how === 'direct');
    // A township's request to this centre, as sync would bring it.
    const body = { entity_kind: 'team_request', incident, team: ours.team, from: PLACE_CODE, to: boot.region.code, reason: '江东乡请求支援：沿江村屯转移', requested_at: beijingNow() };
    const id = (await api({ method: 'upsert', params: { id: null, body } })).entity.id;
    await blur();
    await page.keyboard.press('!');
    const alertRow = $(`${testid('alert-row')}[data-kind="team_request"][data-subject="team_request:${id}"]`);
    await alertRow.waitFor({ timeout: 15_000 });
    const said = (await alertRow.innerText()).replace(/\s+/g, ' ');
    check('the alerts list it: 调动申请, the team, 江东乡 named', said.includes('调动申请') && said.includes(ours.name) && said.includes('江东乡'), said);
    await alertRow.focus();
    await page.keyboard.press('Enter');
    await panelReady(incident);
    const card = `${testid('incoming-requests')} ${testid('team-request')}[data-id="${id}"]`;
    await $(card).waitFor({ timeout: 5000 });
    await page.waitForFunction((r) => document.activeElement?.getAttribute('data-request') === r, id, { timeout: 3000 }).catch(() => {});
    const answers = await $(`${card} ${testid('request-answer')}`).evaluateAll((els) => els.map((e) => `${e.dataset.answer}:${e.textContent.trim()}`));
    check('Enter: the dispatch panel, the request first with 批准调派 / 转报上级 / 拒绝, the keyboard on its note', JSON.stringify(answers) === JSON.stringify(['approve:批准调派', 'forward:转报上级', 'decline:拒绝']) && (await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))) === 'request-note', answers.join());
    await $(`${card} ${testid('request-answer')}[data-answer="decline"]`).click();
    const err = await text(`${card} ${testid('request-error')}`);
    const still = (await api({ method: 'team_requests' })).find((v) => v.id === id);
    check('拒绝 without a note: asked for one inline, nothing written', err.includes('拒绝须说明理由') && still.state.status === 'pending' && still.state.history.length === 0, err);
    await shot('request-incoming');
    await $(`${card} ${testid('request-note')}`).fill('同意，立即出动');
    await $(`${card} ${testid('request-answer')}[data-answer="approve"]`).click();
    await $(card).waitFor({ state: 'detached', timeout: 5000 });
    const v = (await api({ method: 'team_requests' })).find((x) => x.id === id);
    const orders = await api({ method: 'dispatches', params: { incident } });
    check('API: approved by this centre with the note, the order given for the team', v.state.status === 'approved' && v.state.history[0]?.by === boot.region.code && v.state.history[0]?.note === '同意，立即出动' && orders.some((o) => o.id === v.state.order && o.order.team === ours.team), JSON.stringify(v.state));
    const followed = `${testid('request-list')} ${testid('team-request')}[data-id="${id}"]`;
    await $(`${followed} ${testid('request-order')}`).waitFor({ timeout: 5000 });
    const line = await text(followed);
    check('the panel: the request 已批准 with its order (调派令：… · 已调派)', line.includes('已批准') && line.includes(`调派令：${ours.name} · 已调派`) && line.includes('批准'), line.slice(0, 160));
  });

  let line = null;
  let store = null;

  await step('(g) a stock line’s expiry set 30 days ahead: the API has it, and an expiring alert', async () => {
    await blur();
    await page.keyboard.press('Escape');
    const [hit] = (await api({ method: 'search', params: { q: WAREHOUSE, limit: 5 } })).filter((h) => h.layer === 'warehouses' && h.name_zh === WAREHOUSE);
    store = hit.id;
    const detail = await api({ method: 'entity', params: { entity: { kind: 'warehouse', id: store } } });
    line = detail.stock.find((r) => r.item_code === TENT);
    await open(store);
    const row = `${testid('stock-row')}[data-id="${line.id}"]`;
    await $(`${row} ${testid('stock-edit')}`).click();
    const stockForm = `${form}[data-kind="stock_line"]`;
    await $(stockForm).waitFor({ timeout: 3000 });
    const shown = { store: await text(`${stockForm} ${testid('editor-fixed')}`), item: await field('item_code').inputValue(), mode: await field('reserve_mode').inputValue(), expiry: await field('expiry').inputValue(), items: await field('item_code').locator('option').count(), modes: await field('reserve_mode').locator('option').count() };
    check('the form: the warehouse fixed by name, 帐篷 1010101 and its reserve mode chosen, items of the catalogue, the three reserve modes', shown.store === WAREHOUSE && shown.item === TENT && shown.mode === line.reserve_mode && shown.expiry === (line.expiry ?? '') && shown.items >= boot.items.length && shown.modes === boot.taxonomy.reserve_mode.length, JSON.stringify(shown));
    check('the keyboard in its first field (the item)', await page.evaluate(() => document.activeElement?.getAttribute('name') === 'item_code'));
    const date = new Date(Date.now() + 8 * 3600_000 + 30 * 86_400_000).toISOString().slice(0, 10);
    await field('expiry').fill(date);
    await idleOf(page);
    await shot('editor-stock');
    await $(testid('editor-save')).click();
    await $(stockForm).waitFor({ state: 'detached', timeout: 5000 });
    const saved = await record('stock_line', line.id);
    check(`API: the line’s expiry ${date}, item, mode and warehouse unchanged`, saved.fields.expiry === date && saved.fields.item_code === TENT && saved.fields.reserve_mode === line.reserve_mode && saved.fields.warehouse === store, JSON.stringify(saved.fields));
    const alerts = await api({ method: 'alerts' });
    check('API: an expiring alert for the line', alerts.some((a) => a.kind === 'expiring' && a.subject?.kind === 'stock_line' && a.subject.id === line.id), `${alerts.filter((a) => a.kind === 'expiring').length} expiring`);
    await page.waitForFunction(([sel, d]) => document.querySelector(sel)?.textContent.includes(d), [row, date], { timeout: 5000 });
    check('the table read again: the date, marked 临期', (await text(row)).includes('临期'), await text(row));
    check('the keyboard back on the row’s 编辑', await page.evaluate((id) => document.activeElement?.getAttribute('data-testid') === 'stock-edit' && document.activeElement.getAttribute('data-id') === id, line.id));
    // An agreement reserve needs its activation hours: the host's rule, beside the field.
    const h0 = await head();
    await page.keyboard.press('Enter');
    await $(stockForm).waitFor({ timeout: 3000 });
    await field('reserve_mode').selectOption('agreement');
    expectConsoleErrors(/status of 422/, 1);
    await $(testid('editor-save')).click();
    const err = $(`${testid('editor-error')}[data-field="activation_hours"]`);
    await err.waitFor({ timeout: 5000 });
    const said = (await err.innerText()).trim();
    check('agreement without hours: the host’s refusal beside 启用时间, nothing written', said.startsWith('填写有误：') && said.includes('activation delay') && (await head()) === h0, said);
    await page.keyboard.press('Escape');
    await $(stockForm).waitFor({ state: 'detached', timeout: 3000 });
    check('Esc leaves the line’s editor only', (await $(testid('detail')).getAttribute('data-id')) === store);
  });

  await step('(h) 入库 20: on hand +20; 出库 beyond what is available refused inline, nothing written', async () => {
    const before = (await record('stock_line', line.id)).balances;
    const move = testid('stock-move');
    await $(`${testid('stock-move-open')}[data-id="${line.id}"]`).click();
    await $(move).waitFor({ timeout: 3000 });
    check('the keyboard in the quantity', await page.evaluate(() => document.activeElement?.getAttribute('data-testid') === 'stock-move-quantity'));
    await page.keyboard.type('20');
    await $(testid('stock-move-reason')).fill('采购入库');
    await $(testid('stock-move-reason')).press('Enter');
    await $(move).waitFor({ state: 'detached', timeout: 5000 });
    const after = (await record('stock_line', line.id)).balances;
    check(`API: on hand ${before.on_hand} → ${before.on_hand + 20}`, after.on_hand === before.on_hand + 20, JSON.stringify(after));
    const done = await text(testid('stock-done'));
    check('a confirmation: 已入库 … 20 顶', done.includes('已入库') && done.includes('20 顶'), done);
    const available = after.on_hand - (after.reserved ?? 0);
    const h0 = await head();
    await $(`${testid('stock-move-open')}[data-id="${line.id}"]`).click();
    await $(move).waitFor({ timeout: 3000 });
    const figures = await text(testid('stock-move-figures'));
    check(`the form shows on hand and available (${available} 顶)`, figures.includes(`可用 ${available.toLocaleString('zh-CN')} 顶`), figures);
    await $(testid('stock-move-quantity')).fill(String(available + 1));
    await $(testid('stock-move-reason')).fill('调拨出库');
    expectConsoleErrors(/status of 4\d\d/, 1);
    await $(testid('stock-move-out')).click();
    await $(testid('stock-move-error')).waitFor({ timeout: 5000 });
    const refused = await text(testid('stock-move-error'));
    check(`出库 ${available + 1}: refused inline, naming the ${available} available`, refused.startsWith('数量不足') && refused.includes(`可用 ${available} 顶`), refused);
    check('… nothing written (API head and on hand unchanged)', (await head()) === h0 && (await record('stock_line', line.id)).balances.on_hand === after.on_hand);
    await $(testid('stock-move-error')).scrollIntoViewIfNeeded();
    await shot('stock-receive');
    await $(testid('stock-move-cancel')).click();
    await $(move).waitFor({ state: 'detached', timeout: 3000 });
  });

  await step('(i) X → 专家库: the active experts; 测试专家 added; a bad phone refused beside phone', async () => {
    const all = await api({ method: 'experts', params: { category: null } });
    await blur();
    await page.keyboard.press('x');
    await $(testid('registry-dialog')).waitFor({ state: 'visible', timeout: 5000 });
    await $(`${testid('registry-tab')}[data-tab="experts"]`).click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=expert-row]').length > 0, null, { timeout: 5000 });
    const names = await $(testid('expert-row')).evaluateAll((els) => els.map((e) => e.querySelector('th')?.textContent.trim()));
    check(`≥ 10 experts, the API’s ${all.length} in its order`, names.length >= 10 && JSON.stringify(names) === JSON.stringify(all.map((r) => r.expert.name)), names.join(' '));
    await idleOf(page);
    await shot('experts-tab');
    await $(testid('experts-filter')).selectOption('natural');
    const natural = await api({ method: 'experts', params: { category: 'natural' } });
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid=expert-row]').length === n, natural.length, { timeout: 5000 });
    check(`filtered by 自然灾害: the API’s ${natural.length}`, true);
    await $(testid('experts-filter')).selectOption('');
    await $(testid('expert-add')).click();
    const expertForm = `${form}[data-kind="expert"]`;
    await $(expertForm).waitFor({ timeout: 3000 });
    check('a new expert: in this centre’s pool, active', (await field('jurisdiction').inputValue()) === boot.region.code && (await field('tier').inputValue()) === 'pool' && (await field('status').inputValue()) === 'active');
    await field('name').fill('测试专家');
    await field('fields').fill('水文');
    await $(`${expertForm} input[name="event_classes"][value="natural"]`).check();
    await field('tier').selectOption('pool');
    await field('organisation').fill('某单位');
    await field('phone').fill('0435-5550199');
    await field('phone').press('Enter');
    await $(expertForm).waitFor({ state: 'detached', timeout: 5000 });
    const row = $(testid('expert-row')).filter({ hasText: '测试专家' });
    await row.waitFor({ timeout: 5000 });
    const listed = (await row.innerText()).replace(/\s+/g, ' ');
    check('listed: 测试专家, 专家库, 水文, 自然灾害, 某单位, 0435-5550199', ['专家库', '水文', '自然灾害', '某单位', '0435-5550199'].every((x) => listed.includes(x)), listed);
    const mine = (await api({ method: 'experts', params: { category: 'natural' } })).find((r) => r.expert.name === '测试专家');
    check('API: experts {category: natural} includes it, as typed', !!mine && JSON.stringify(mine.expert.fields) === '["水文"]' && mine.expert.tier === 'pool' && mine.expert.organisation === '某单位' && mine.expert.phone === '0435-5550199' && mine.expert.jurisdiction === boot.region.code, JSON.stringify(mine?.expert));
    const h0 = await head();
    await $(`${testid('expert-edit')}[data-id="${mine.id}"]`).click();
    await $(expertForm).waitFor({ timeout: 3000 });
    await field('phone').fill('abc');
    expectConsoleErrors(/status of 422/, 1);
    await field('phone').press('Enter');
    const err = $(`${testid('editor-error')}[data-field="phone"]`);
    await err.waitFor({ timeout: 5000 });
    const said = (await err.innerText()).trim();
    check('phone “abc”: the host’s refusal beside phone, nothing written', said === '填写有误：`abc` is not a phone number' && (await head()) === h0, said);
    await shot('expert-form');
    await page.keyboard.press('Escape');
    await $(expertForm).waitFor({ state: 'detached', timeout: 3000 });
    check('Esc leaves the editor only: the dialog stays', await $(testid('registry-dialog')).isVisible());
  });
} catch (e) {
  check('editor e2e ran to the end', false, e instanceof Error ? e.message.split('\n')[0] : String(e));
}

await finish(base, out, 'no page errors or console errors');
