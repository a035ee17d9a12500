// End-to-end test of dispatch and allocation (调派 G → 调派令 → 调拨 → 安置 → 告警), as a duty
// operator new to the console works it (playwright-core + Debian Chromium, against a hub).
//   node e2e/dispatch-e2e.mjs [BASE_URL] [OUT_DIR]
// Setup through the API: a flood incident in 东昌区 江东乡 and a level Ⅲ response of
// 东昌区防汛抗旱应急预案. Then in the console: the incident clicked in the list, G, Enter, Enter —
// the top recommended team dispatched in at most 6 interactions (counted), the order in the API
// and the team `dispatched` on the map; the order walked to en route and on scene by its
// buttons; a team to be requested up the hierarchy offered as a request (申请调动), not a
// dispatch; the panel in English;
// shelter 滨江公园应急避难场所: 40 tents allocated from the nearest county warehouse by the
// dialog (the ledger: on hand unchanged, reserved +40), shipped and received by the buttons; an
// overdraw refused (by the dialog, and by the host when the dialog's figures are stale), nothing
// written; 150 evacuees placed, a release and a placing beyond capacity refused inline; a
// dispatch conflict (an order from the city centre merged in) in the alerts, leading to the
// team. Writes to the hub: run it on a fresh data directory. Last line `N passed, M failed`,
// exit 1 on any failure.
// Screenshots (1920×1080): dispatch-recommend.png, dispatch-confirm.png, dispatch-orders.png,
// dispatch-panel-en.png, allocation-dialog.png, allocation-list.png, shelter-placing.png,
// dispatch-alerts.png.
import { join } from 'node:path';
import { beijingNow, check, cliArgs, expectConsoleErrors, finish, floodWithResponse, gotoReady, idleOf, launchBrowser, openPage, pageRpc, step } from './harness.mjs';

const { base, out } = cliArgs();
await launchBrowser();

const TITLE = '江东乡沿江村屯洪涝';
const FLOOD = 'dongchang-flood';
const SHELTER = '滨江公园应急避难场所';
const TENT = '1010101';
const MAX_INTERACTIONS = 6;
/** The team status colours (palette.ts TEAM_STATUS) as the browser writes them. */
const COLOUR = { dispatched: 'rgb(245, 166, 35)', en_route: 'rgb(245, 166, 35)', on_scene: 'rgb(255, 59, 48)' };

const page = await openPage(1920, 1080);
const shot = (name) => page.screenshot({ path: join(out, `${name}.png`) });
const $ = (sel) => page.locator(sel);
const testid = (id) => `[data-testid="${id}"]`;
/** An API answer through the page's own origin; throws on an error answer. */
const api = async (request) => {
  const r = await pageRpc(page, request);
  if (r.status !== 200) throw new Error(`${request.method}: ${r.status} ${JSON.stringify(r.body).slice(0, 200)}`);
  return r.body.result;
};
const focused = () => page.evaluate(() => ({ testid: document.activeElement?.getAttribute('data-testid') ?? null, team: document.activeElement?.getAttribute('data-team') ?? null }));
const blur = () => page.evaluate(() => document.activeElement instanceof HTMLElement && document.activeElement.blur());
const teamStatus = (id) => page.evaluate((t) => window.__onemap.feature(t)?.status ?? null, id);
const waitStatus = (id, status) => page.waitForFunction(([t, s]) => window.__onemap.feature(t)?.status === s, [id, status], { timeout: 8000 });
/** Elements inside `sel` whose text is cut (wider or taller than their box, not scrolling),
 *  elements over the window's edge, and sibling rows running into each other. */
const layoutProblems = (sel, rowSel) =>
  page.evaluate(
    ([s, r]) => {
      const bad = [];
      const root = document.querySelector(s);
      if (!root) return [`${s} missing`];
      for (const el of [root, ...root.querySelectorAll('*')]) {
        const cs = getComputedStyle(el);
        const rect = el.getBoundingClientRect();
        if (rect.width === 0 || cs.visibility === 'hidden' || el.closest('.visually-hidden')) continue;
        const scrolls = ['auto', 'scroll'].includes(cs.overflowX) || ['auto', 'scroll'].includes(cs.overflowY);
        if (!scrolls && cs.overflowX !== 'visible' && el.scrollWidth > el.clientWidth + 1) bad.push(`cut: ${el.className || el.tagName} “${el.textContent.trim().slice(0, 30)}”`);
        if (rect.right > innerWidth + 1 || rect.left < -1) bad.push(`off the window: ${el.className || el.tagName}`);
      }
      let prev = null;
      for (const row of root.querySelectorAll(r)) {
        const b = row.getBoundingClientRect();
        if (prev && prev.parent === row.parentElement && b.top < prev.bottom - 1) bad.push(`row over row: ${row.textContent.trim().slice(0, 30)}`);
        const kids = [...row.children].map((c) => c.getBoundingClientRect()).filter((x) => x.width > 0);
        for (let i = 1; i < kids.length; i++) if (kids[i].left < kids[i - 1].right - 1 && kids[i].top < kids[i - 1].bottom - 1) bad.push(`cell over cell #${i}: ${row.textContent.trim().slice(0, 30)}`);
        prev = { parent: row.parentElement, bottom: b.bottom };
      }
      return bad;
    },
    [sel, rowSel],
  );

let incident = null;
let top = null;
let order = null;
let shelter = null;
let line = null;

try {
  await gotoReady(page, base.href, 'console becomes ready');
  const boot = await api({ method: 'bootstrap' });

  await step('setup: a flood in 江东乡 with a level Ⅲ response (through the API)', async () => {
    incident = await floodWithResponse(api, page, TITLE);
    const rec = await api({ method: 'recommend', params: { incident } });
    top = rec.needs[0]?.picks[0] ?? null;
    check('the API recommends for the Ⅲ flood response, its top pick ours to dispatch', rec.plan === FLOOD && rec.level === 3 && rec.needs.length > 0 && top?.authority.how === 'direct', `${rec.needs.map((n) => `${n.zh}×${n.picks.length}`).join(' ')}; top ${top?.name}`);
  });

  await step('from the incident list to a dispatched team: click, G, Enter, Enter', async () => {
    let interactions = 0;
    const rec = await api({ method: 'recommend', params: { incident } });
    const need = rec.needs[0];
    // 1: the incident in the list.
    await $(`${testid('incident-row')}[data-id="${incident}"]`).click();
    interactions++;
    await page.waitForFunction((id) => document.querySelector('[data-testid=detail]')?.getAttribute('data-id') === id, incident, { timeout: 5000 });
    // 2: G.
    await page.keyboard.press('g');
    interactions++;
    await page.waitForFunction((id) => {
      const p = document.querySelector('[data-testid=dispatch-panel]');
      return p?.getAttribute('data-incident') === id && p.getAttribute('data-ready') === 'true';
    }, incident, { timeout: 8000 });
    await page.waitForFunction((team) => document.activeElement?.getAttribute('data-team') === team, top.team, { timeout: 3000 }).catch(() => {});
    const f = await focused();
    check('G opens the dispatch panel with the keyboard on the top pick’s button', f.testid === 'pick-dispatch' && f.team === top.team, JSON.stringify(f));
    const basis = await $(testid('dispatch-basis')).evaluate((e) => ({ plan: e.dataset.plan, level: e.dataset.level, text: e.textContent.replace(/\s+/g, ' ').trim() }));
    check('the panel says where the needs come from (东昌区防汛抗旱应急预案 · Ⅲ级响应)', basis.plan === FLOOD && basis.level === '3' && basis.text.includes('东昌区防汛抗旱应急预案') && basis.text.includes('Ⅲ级响应'), basis.text);
    const needs = await $(testid('dispatch-need')).evaluateAll((els) =>
      els.map((e) => ({
        specialty: e.dataset.specialty,
        head: e.querySelector('h3')?.textContent.replace(/\s+/g, ' ').trim(),
        picks: [...e.querySelectorAll('[data-testid=pick]')].map((p) => ({ team: p.dataset.team, how: p.dataset.how, eta: p.querySelector('[data-testid=pick-eta]')?.textContent.trim(), text: p.textContent.replace(/\s+/g, ' ') })),
      })),
    );
    check('one section per force need, in the API’s order', JSON.stringify(needs.map((n) => n.specialty)) === JSON.stringify(rec.needs.map((n) => n.specialty ?? '')), needs.map((n) => n.head).join(' | '));
    check('each need’s header: 专业 · 需 N 支 · 已派 M 支', rec.needs.every((n, i) => needs[i]?.head.includes(n.zh) && needs[i].head.includes(`需 ${n.teams} 支`) && needs[i].head.includes(`已派 ${n.dispatched} 支`)), needs.map((n) => n.head).join(' | '));
    check('the picks of each need = API (team, order)', rec.needs.every((n, i) => JSON.stringify(needs[i]?.picks.map((p) => p.team)) === JSON.stringify(n.picks.map((p) => p.team))));
    const first = needs[0].picks[0];
    check('a pick shows its name, type, headcount, ETA (minutes, rounded up), km and reasons', first.text.includes(top.name) && first.text.includes(`${top.headcount} 人`) && first.eta === `${Math.ceil(top.minutes)} 分钟` && first.text.includes(`${top.km.toFixed(1)} km`) && top.why_zh.every((w) => first.text.includes(w)) && first.text.includes('本级调派'), first.text.slice(0, 160));
    const bad = await layoutProblems(testid('dispatch-panel'), `${testid('pick')}, ${testid('dispatch-need')}`);
    check('dispatch panel: nothing cut, over the edge or overlapping', bad.length === 0, bad.slice(0, 4).join('; '));
    await idleOf(page);
    await shot('dispatch-recommend');
    // 3: Enter on the top pick.
    await page.keyboard.press('Enter');
    interactions++;
    await $(`${testid('dispatch-confirm')} form`).waitFor({ timeout: 3000 });
    await page.waitForFunction(() => document.activeElement?.getAttribute('data-testid') === 'dispatch-confirm-reason', null, { timeout: 3000 }).catch(() => {});
    const reason = await $(testid('dispatch-confirm-reason')).inputValue();
    check('Enter asks for confirmation, the reason proposed (need：incident), the keyboard in it', reason === `${need.zh}：${TITLE}` && (await focused()).testid === 'dispatch-confirm-reason', reason);
    check('the confirmation names the team and its estimate', (await $(testid('dispatch-confirm-team')).innerText()).trim() === top.name && (await $(testid('dispatch-confirm')).innerText()).includes(`${Math.ceil(top.minutes)} 分钟`));
    await shot('dispatch-confirm');
    // 4: Enter confirms.
    await page.keyboard.press('Enter');
    interactions++;
    await $(`${testid('dispatch-confirm')} form`).waitFor({ state: 'detached', timeout: 5000 });
    check(`the top pick dispatched in ${interactions} interactions (at most ${MAX_INTERACTIONS})`, interactions <= MAX_INTERACTIONS, `${interactions}: click incident, G, Enter, Enter`);
    const orders = await api({ method: 'dispatches', params: { incident } });
    order = orders.find((o) => o.order.team === top.team) ?? null;
    check('API: an order for the top pick’s team, dispatched, with the reason', orders.length === 1 && order?.stage === 'dispatched' && order.order.reason === reason && order.order.ordered_by === boot.region.code, JSON.stringify(orders.map((o) => [o.team_name, o.stage])));
    await waitStatus(top.team, 'dispatched').catch(() => {});
    check('the team is `dispatched` on the map (the change feed)', (await teamStatus(top.team)) === 'dispatched', String(await teamStatus(top.team)));
    await page.waitForFunction((team) => !document.querySelector(`[data-testid=pick][data-team="${team}"]`), top.team, { timeout: 5000 });
    const dispatched = await $(testid('dispatch-need')).first().getAttribute('data-dispatched');
    check('the panel refreshed: the pick gone, the need’s dispatched count up', dispatched === String(need.dispatched + 1) && (await $(testid('dispatch-need')).first().locator(testid('need-dispatched')).innerText()).includes(`已派 ${need.dispatched + 1} 支`), String(dispatched));
    const done = (await $(testid('dispatch-done')).innerText()).trim();
    check('a confirmation says so (已调派 … 预计 … 到达)', done.includes(`已调派${top.name}`) && done.includes('到达'), done);
  });

  await step('the order walked through its stages by its buttons', async () => {
    const row = () => $(`${testid('dispatch-order')}[data-id="${order.id}"]`);
    const badge = () => row().locator(testid('order-stage')).evaluate((e) => ({ stage: e.dataset.stage, colour: getComputedStyle(e).backgroundColor, text: e.textContent.trim() }));
    const buttons = () => row().locator(testid('order-action')).evaluateAll((els) => els.map((e) => `${e.dataset.stage}:${e.textContent.trim()}`));
    let b = await badge();
    check('the order: 已调派 in the team status colour, buttons 出发 and 撤销', b.stage === 'dispatched' && b.text === '已调派' && b.colour === COLOUR.dispatched && JSON.stringify(await buttons()) === JSON.stringify(['en_route:出发', 'cancelled:撤销']), `${JSON.stringify(b)} ${await buttons()}`);
    check('… and its ETA', (await row().locator(testid('order-eta')).innerText()).includes(`${Math.ceil(order.order.eta_min)} 分钟`));
    // 出发 by the keyboard: Tab reaches the button, Enter presses it.
    await row().locator(`${testid('order-action')}[data-stage="en_route"]`).focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction((id) => document.querySelector(`[data-testid=dispatch-order][data-id="${id}"]`)?.getAttribute('data-stage') === 'en_route', order.id, { timeout: 5000 });
    let v = (await api({ method: 'dispatches', params: { incident } })).find((o) => o.id === order.id);
    await waitStatus(top.team, 'en_route').catch(() => {});
    check('出发 (Enter on it): en route in the API and on the map; 到达 and 召回 offered', v.stage === 'en_route' && !!v.order.departed_at && (await teamStatus(top.team)) === 'en_route' && JSON.stringify(await buttons()) === JSON.stringify(['on_scene:到达', 'returning:召回']), `${v.stage} ${await teamStatus(top.team)} ${await buttons()}`);
    await row().locator(`${testid('order-action')}[data-stage="on_scene"]`).click();
    await page.waitForFunction((id) => document.querySelector(`[data-testid=dispatch-order][data-id="${id}"]`)?.getAttribute('data-stage') === 'on_scene', order.id, { timeout: 5000 });
    v = (await api({ method: 'dispatches', params: { incident } })).find((o) => o.id === order.id);
    await waitStatus(top.team, 'on_scene').catch(() => {});
    b = await badge();
    check('到达: on scene in the API and on the map, the badge red as the map', v.stage === 'on_scene' && !!v.order.arrived_at && (await teamStatus(top.team)) === 'on_scene' && b.colour === COLOUR.on_scene, `${v.stage} ${await teamStatus(top.team)} ${b.colour}`);
    const times = await row().locator('.times li').evaluateAll((els) => els.map((e) => e.dataset.stage));
    check('the times of the three stages reached', JSON.stringify(times) === JSON.stringify(['dispatched', 'en_route', 'on_scene']), times.join());
    await idleOf(page);
    await shot('dispatch-orders');
  });

  await step('a team to be requested up the hierarchy is asked for, not dispatched', async () => {
    const rec = await api({ method: 'recommend', params: { incident } });
    const req = rec.needs.flatMap((n) => n.picks).find((p) => p.authority.how === 'request');
    if (!req) {
      check('a pick to request through the city (none recommended now)', true, 'skipped');
      return;
    }
    const via = boot.jurisdictions.find((j) => j.code === req.authority.via)?.name_zh;
    const pick = $(`${testid('pick')}[data-team="${req.team}"]`).first();
    const text = await pick.innerText();
    const btn = pick.locator(testid('pick-dispatch'));
    check('its badge and explanation name whom to ask (需经通化市申请, 逐级调动), its button 向通化市申请', text.includes(`需经${via}申请`) && text.includes('逐级调动') && (await btn.innerText()).trim() === `向${via}申请` && (await btn.getAttribute('aria-disabled')) === null, text.replace(/\s+/g, ' ').slice(0, 160));
    await btn.focus();
    await page.keyboard.press('Enter');
    await $(`${testid('dispatch-confirm')} form[data-mode="request"]`).waitFor({ timeout: 3000 });
    check('Enter asks to confirm a request (申请调动) naming the centre asked', (await $(`${testid('dispatch-confirm')} h2`).innerText()).trim() === '申请调动' && (await $(testid('dispatch-confirm-via')).innerText()).trim() === via);
    await page.keyboard.press('Escape');
    await $(`${testid('dispatch-confirm')} form`).waitFor({ state: 'detached', timeout: 3000 });
    check('Esc: nothing asked, no order', (await api({ method: 'team_requests' })).length === 0 && (await api({ method: 'dispatches', params: { incident } })).length === 1);
  });

  await step('the panel in English', async () => {
    await $(testid('lang-toggle')).click();
    await page.waitForFunction(() => document.querySelector('#dispatch-title')?.textContent?.trim() === 'Dispatch', null, { timeout: 3000 });
    const text = await $(testid('dispatch-panel')).innerText();
    check('English: needs, badges, orders', text.includes('wanted') && text.includes('dispatched') && text.includes('Orders') && text.includes('On scene') && /Ours to dispatch|Request via/.test(text), text.replace(/\s+/g, ' ').slice(0, 200));
    const bad = await layoutProblems(testid('dispatch-panel'), `${testid('pick')}, ${testid('dispatch-order')}`);
    check('English: nothing cut or overlapping', bad.length === 0, bad.slice(0, 4).join('; '));
    await idleOf(page);
    await shot('dispatch-panel-en');
    await $(testid('lang-toggle')).click();
    await page.waitForFunction(() => document.querySelector('#dispatch-title')?.textContent?.trim() === '调派', null, { timeout: 3000 });
  });

  await step('G and Esc', async () => {
    await blur();
    await page.keyboard.press('g');
    await $(testid('dispatch-panel')).waitFor({ state: 'detached', timeout: 3000 });
    await $(testid('detail-dispatch')).click();
    await page.waitForFunction((id) => document.querySelector('[data-testid=dispatch-panel]')?.getAttribute('data-incident') === id, incident, { timeout: 3000 });
    check('G closes the panel; the detail’s 调派 button opens it again', true);
    await page.keyboard.press('v');
    await $(testid('response-panel')).waitFor({ timeout: 3000 });
    check('V: the response panel takes its place (one at a time)', (await $(testid('dispatch-panel')).count()) === 0);
    await blur();
    await page.keyboard.press('g');
    await $(testid('dispatch-panel')).waitFor({ timeout: 3000 });
    check('G: back to dispatch, the response panel closed', (await $(testid('response-panel')).count()) === 0);
    await page.keyboard.press('Escape');
    await $(testid('dispatch-panel')).waitFor({ state: 'detached', timeout: 3000 });
    check('Esc closes the panel, the incident stays selected', (await $(testid('detail')).getAttribute('data-id')) === incident);
  });

  await step('allocation: 40 tents from the nearest county warehouse to 滨江公园', async () => {
    shelter = (await api({ method: 'layers' })).features.find((f) => f.layer === 'shelters' && f.name === SHELTER)?.id;
    // The nearby panel aside (N), so the shelter's detail has the column.
    await blur();
    await page.keyboard.press('n');
    await $(testid('nearby')).waitFor({ state: 'detached', timeout: 3000 });
    await page.evaluate((id) => window.__onemap.select(id), shelter);
    await page.waitForFunction((id) => document.querySelector('[data-testid=detail]')?.getAttribute('data-id') === id, shelter, { timeout: 5000 });
    await $(testid('alloc-none')).waitFor({ timeout: 5000 });
    check('the shelter’s detail: no allocation yet, the 调拨物资 button', (await $(testid('alloc-open')).innerText()).includes('调拨物资'));
    await $(testid('alloc-open')).click();
    await $(testid('alloc-source')).first().waitFor({ timeout: 5000 });
    const near = await api({ method: 'stock_for', params: { to: { kind: 'shelter', id: shelter } } });
    const want = near.flatMap((w) => w.stock.filter((r) => r.item_code === TENT).map((r) => ({ w, r })));
    const county = want.find((s) => s.w.tier === 'county' && s.w.authority.how === 'direct' && s.r.available > 0);
    line = county.r;
    check('the item defaults to 帐篷(棉帐篷) 1010101', (await $(testid('alloc-item')).inputValue()) === TENT);
    const rows = await $(testid('alloc-source')).evaluateAll((els) => els.map((e) => ({ line: e.dataset.line, can: e.dataset.selectable === 'true', checked: e.querySelector('input[type=radio]')?.checked, disabled: e.querySelector('input[type=radio]')?.disabled, text: e.textContent.replace(/\s+/g, ' ') })));
    check('the warehouses holding it, nearest first (= stock_for)', JSON.stringify(rows.map((r) => r.line)) === JSON.stringify(want.map((s) => s.r.id)), `${rows.length} rows`);
    check('only this centre’s own are selectable; the others say whom to ask', rows.every((r, i) => r.can === (want[i].w.authority.how === 'direct' && want[i].r.available > 0) && r.disabled === !r.can) && rows.filter((r, i) => want[i].w.authority.how === 'request').every((r) => r.text.includes('逐级调拨')), rows.map((r) => `${r.can}`).join());
    const chosen = rows.find((r) => r.checked);
    check(`chosen by default: the nearest county warehouse (${county.w.name}), available ${county.r.available}`, chosen?.line === county.r.id && want.findIndex((s) => s.r.id === county.r.id) === want.findIndex((s) => s.w.authority.how === 'direct' && s.r.available > 0), chosen?.text.slice(0, 80));
    check('its row shows available / on hand / reserved and km', chosen.text.includes(`${county.r.available} 顶`) && chosen.text.includes(`${county.w.km.toFixed(1)} km`));
    const before = (await api({ method: 'entity', params: { entity: { kind: 'stock_line', id: line.id } } })).record.balances;
    await $(testid('alloc-quantity')).fill('40');
    check('the reason is proposed', (await $(testid('alloc-reason')).inputValue()) === `调拨帐篷(棉帐篷)至${SHELTER}`, await $(testid('alloc-reason')).inputValue());
    const bad = await layoutProblems(`${testid('alloc-dialog')} form`, testid('alloc-source'));
    check('allocation dialog: nothing cut or overlapping', bad.length === 0, bad.slice(0, 4).join('; '));
    await shot('allocation-dialog');
    await $(testid('alloc-quantity')).press('Enter');
    await $(`${testid('alloc-dialog')} form`).waitFor({ state: 'detached', timeout: 5000 });
    const list = await api({ method: 'allocations', params: { to: { kind: 'shelter', id: shelter } } });
    check('API: one allocation of 40 tents from that line to the shelter, reserved', list.length === 1 && list[0].allocation.quantity === 40 && list[0].allocation.line === line.id && list[0].stage === 'reserved', JSON.stringify(list.map((a) => [a.item_zh, a.allocation.quantity, a.stage])));
    const after = (await api({ method: 'entity', params: { entity: { kind: 'stock_line', id: line.id } } })).record.balances;
    check('ledger: on hand unchanged, reserved +40', after.on_hand === before.on_hand && (after.reserved ?? 0) === (before.reserved ?? 0) + 40, `${JSON.stringify(before)} → ${JSON.stringify(after)}`);
    await $(`${testid('allocation')}[data-stage="reserved"]`).waitFor({ timeout: 5000 });
    const shown = await $(testid('allocation')).first().innerText();
    check('the detail lists it: item, 40 顶, warehouse, 已预留', shown.includes('帐篷(棉帐篷)') && shown.includes('40 顶') && shown.includes(county.w.name) && shown.includes('已预留'), shown.replace(/\s+/g, ' '));
  });

  await step('the allocation shipped and received by its buttons', async () => {
    const [a] = await api({ method: 'allocations', params: { to: { kind: 'shelter', id: shelter } } });
    const stageOf = (s) => page.waitForFunction(([id, st]) => document.querySelector(`[data-testid=allocation][data-id="${id}"]`)?.getAttribute('data-stage') === st, [a.id, s], { timeout: 5000 });
    await $(`${testid('alloc-action')}[data-stage="in_transit"]`).click();
    await stageOf('in_transit');
    let v = (await api({ method: 'allocations', params: { to: { kind: 'shelter', id: shelter } } }))[0];
    check('发运: in transit in the API, 接收 offered', v.stage === 'in_transit' && (await $(`${testid('alloc-action')}[data-allocation="${a.id}"]`).evaluateAll((els) => els.map((e) => e.dataset.stage))).join() === 'received');
    await $(`${testid('alloc-action')}[data-stage="received"]`).click();
    await stageOf('received');
    v = (await api({ method: 'allocations', params: { to: { kind: 'shelter', id: shelter } } }))[0];
    const bal = (await api({ method: 'entity', params: { entity: { kind: 'stock_line', id: line.id } } })).record.balances;
    check('接收: received in the API; the line 40 fewer on hand, nothing reserved', v.stage === 'received' && !!v.allocation.received_at && bal.on_hand === line.on_hand - 40 && (bal.reserved ?? 0) === line.reserved, JSON.stringify(bal));
    check('the badge says 已接收, no buttons left', (await $(`${testid('allocation')}[data-id="${a.id}"] ${testid('alloc-stage')}`).innerText()).trim() === '已接收' && (await $(`${testid('alloc-action')}[data-allocation="${a.id}"]`).count()) === 0);
    const bad = await layoutProblems(testid('detail'), testid('allocation'));
    check('shelter detail: nothing cut or overlapping', bad.length === 0, bad.slice(0, 4).join('; '));
    await shot('allocation-list');
  });

  await step('an overdraw is refused inline, nothing written', async () => {
    const count = async () => (await api({ method: 'allocations', params: { to: null } })).length;
    const n0 = await count();
    const bal0 = (await api({ method: 'entity', params: { entity: { kind: 'stock_line', id: line.id } } })).record.balances;
    const available = bal0.on_hand - (bal0.reserved ?? 0);
    await $(testid('alloc-open')).click();
    await page.waitForFunction((l) => document.querySelector(`[data-testid=alloc-source][data-line="${l}"] input`)?.checked, line.id, { timeout: 5000 });
    await $(testid('alloc-quantity')).fill(String(available + 1));
    await $(testid('alloc-quantity')).press('Enter');
    const err = (await $(testid('alloc-quantity-error')).innerText()).trim();
    check(`more than available (${available + 1} > ${available}): refused in the dialog, naming ${available}`, err.includes(String(available)) && (await $(`${testid('alloc-dialog')} form`).count()) === 1, err);
    check('… nothing written', (await count()) === n0);
    // Figures gone stale: another allocation takes most of the line meanwhile; the host refuses.
    const taken = available - 10;
    await api({ method: 'allocate', params: { line: line.id, to: { kind: 'incident', id: incident }, quantity: taken, reason: '另一调拨（同时进行）' } });
    expectConsoleErrors(/status of 422/, 1);
    await $(testid('alloc-quantity')).fill('30');
    await $(testid('alloc-quantity')).press('Enter');
    await $(testid('alloc-error')).waitFor({ timeout: 5000 });
    const refused = (await $(testid('alloc-error')).innerText()).trim();
    check('figures stale: the host’s refusal inline, naming the 10 available', refused.startsWith('数量不足') && /\b10 available\b/.test(refused), refused);
    check('… nothing written to the shelter, the dialog stays', (await api({ method: 'allocations', params: { to: { kind: 'shelter', id: shelter } } })).length === 1 && (await $(`${testid('alloc-dialog')} form`).count()) === 1);
    await page.waitForFunction((l) => document.querySelector(`[data-testid=alloc-source][data-line="${l}"]`)?.getAttribute('data-available') === '10', line.id, { timeout: 5000 });
    check('… and the dialog reads the stock again (10 available)', true);
    await page.keyboard.press('Escape');
    await $(`${testid('alloc-dialog')} form`).waitFor({ state: 'detached', timeout: 3000 });
    check('Esc closes the dialog only', (await $(testid('detail')).getAttribute('data-id')) === shelter);
  });

  await step('placing 150 evacuees; a release and an overfill refused inline', async () => {
    const occ = async () => (await api({ method: 'entity', params: { entity: { kind: 'shelter', id: shelter } } })).derived;
    const d0 = await occ();
    await $(testid('placing-count')).fill('150');
    await $(testid('placing-count')).press('Enter');
    await page.waitForFunction((n) => document.querySelector('[data-testid=shelter-gauge]')?.textContent.includes(`${n} 人`), (d0.occupancy + 150).toLocaleString('zh-CN'), { timeout: 5000 });
    const d1 = await occ();
    check('安置 150: occupancy +150 in the API, the gauge follows', d1.occupancy === d0.occupancy + 150 && d1.free === d0.free - 150, `${d0.occupancy} → ${d1.occupancy}`);
    check('… confirmed (已安置 150 人)', (await $(testid('placing-done')).innerText()).includes('已安置 150 人'));
    await idleOf(page);
    await shot('shelter-placing');
    // The refusals' HTTP status, which the browser logs: more leaving than placed is an
    // overdraw (422); more arriving than places is a conflict with the shelter's state (409).
    expectConsoleErrors(/status of 422/, 1);
    expectConsoleErrors(/status of 409/, 1);
    await $(testid('placing-count')).fill('200');
    await $(testid('placing-out')).click();
    const e1 = (await $(testid('placing-error')).waitFor({ timeout: 5000 }).then(() => $(testid('placing-error')).innerText())).trim();
    check('离开 200 of 150 placed: refused inline, naming 150', e1.includes('150') && (await occ()).occupancy === d1.occupancy, e1);
    await $(testid('placing-count')).fill(String(d1.free + 1));
    await $(testid('placing-in')).click();
    await page.waitForFunction((t) => document.querySelector('[data-testid=placing-error]')?.textContent !== t, e1, { timeout: 5000 });
    const e2 = (await $(testid('placing-error')).innerText()).trim();
    check(`安置 ${d1.free + 1}: 空余床位不足, naming the ${d1.free} free places`, e2.startsWith('空余床位不足') && e2.includes(String(d1.free)) && (await occ()).occupancy === d1.occupancy, e2);
  });

  await step('a dispatch conflict in the alerts leads to the team', async () => {
    // Another centre's order for the same team, merged in by sync (written here directly).
    const other = (await api({ method: 'layers' })).features.find((f) => f.layer === 'incidents' && f.status === 'active' && f.id !== incident);
    const body = { entity_kind: 'dispatch', incident: other.id, team: top.team, task: null, ordered_by: '220500000000', reason: '市级调派', eta_min: 20, dispatched_at: beijingNow(), departed_at: null, arrived_at: null, returning_at: null, stood_down_at: null, cancelled_at: null };
    await api({ method: 'upsert', params: { id: null, body } });
    const alerts = await api({ method: 'alerts' });
    const conflict = alerts.find((a) => a.kind === 'dispatch_conflict' && a.subject.id === top.team);
    check('API: a dispatch conflict on the team', !!conflict, String(alerts.length));
    await blur();
    await page.keyboard.press('!');
    await $(testid('alerts-panel')).locator('h2').waitFor({ timeout: 3000 });
    await page.waitForFunction((t) => document.querySelector(`[data-testid=alert-row][data-kind=dispatch_conflict][data-subject="team:${t}"]`), top.team, { timeout: 15_000 });
    const row = $(`${testid('alert-row')}[data-kind="dispatch_conflict"]`).first();
    const text = await row.innerText();
    check('the list shows it first: 调派冲突, the team, the incidents named', (await $(testid('alert-row')).first().getAttribute('data-kind')) === 'dispatch_conflict' && text.includes('调派冲突') && text.includes(top.name) && text.includes(other.name) && text.includes(TITLE), text.replace(/\s+/g, ' '));
    const kinds = await $(testid('alert-row')).evaluateAll((els) => els.map((e) => e.dataset.kind));
    check('every API alert listed', kinds.length === alerts.length, `${kinds.length} / ${alerts.length}`);
    await shot('dispatch-alerts');
    await row.focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction((t) => document.querySelector('[data-testid=detail]')?.getAttribute('data-id') === t, top.team, { timeout: 5000 });
    await page.waitForFunction((i) => document.querySelector('[data-testid=dispatch-panel]')?.getAttribute('data-incident') === i, conflict.incident, { timeout: 5000 });
    check('Enter: the team selected on the map, the dispatch panel of its incident open', (await $(testid('alerts-panel')).locator('h2').count()) === 0);
  });

  await step('no response in force: the nearest teams; Esc leaves the confirmation only', async () => {
    const other = (await api({ method: 'layers' })).features.find((f) => f.layer === 'incidents' && f.status === 'active' && f.response === 0 && f.id !== incident);
    const rec = await api({ method: 'recommend', params: { incident: other.id } });
    const orders = (await api({ method: 'dispatches', params: { incident: other.id } })).length;
    await page.keyboard.press('Escape');
    await $(`${testid('incident-row')}[data-id="${other.id}"]`).click();
    await page.keyboard.press('g');
    await page.waitForFunction((id) => {
      const p = document.querySelector('[data-testid=dispatch-panel]');
      return p?.getAttribute('data-incident') === id && p.getAttribute('data-ready') === 'true';
    }, other.id, { timeout: 8000 });
    const basis = (await $(testid('dispatch-basis')).innerText()).trim();
    const picks = await $(testid('pick')).count();
    check('one need “any specialty” with the API’s picks, the basis says no response is in force', rec.plan === null && rec.needs.length === 1 && picks === rec.needs[0].picks.length && basis.includes('尚未启动响应'), `${basis}; ${picks} picks`);
    const first = rec.needs[0].picks[0];
    await page.waitForFunction((team) => document.activeElement?.getAttribute('data-team') === team, first.team, { timeout: 3000 });
    if (first.authority.how !== 'direct') {
      check('the top pick is ours to dispatch (to try Esc on its confirmation)', false, first.authority.how);
      return;
    }
    await page.keyboard.press('Enter');
    await $(`${testid('dispatch-confirm')} form`).waitFor({ timeout: 3000 });
    await page.keyboard.press('Escape');
    await $(`${testid('dispatch-confirm')} form`).waitFor({ state: 'detached', timeout: 3000 });
    const f = await focused();
    check('Esc closes the confirmation, the panel stays, the keyboard back on the pick; nothing dispatched', (await $(testid('dispatch-panel')).count()) === 1 && f.team === first.team && (await api({ method: 'dispatches', params: { incident: other.id } })).length === orders, JSON.stringify(f));
  });
} catch (e) {
  check('dispatch e2e ran to the end', false, e instanceof Error ? e.message.split('\n')[0] : String(e));
}

await finish(base, out, 'no page errors or console errors');
