// Desktop smoke test: drives the real OneMap window through tauri-driver + WebKitWebDriver
// (run under Xvfb by `cargo xtask test`). Opens the app on a fresh data dir, waits for the
// map, checks every situation layer's feature count against the store file, clicks a team
// and reads its details, goes through the commander layout (incident list → detail, the
// "near this incident" panel, search for 东昌区 by its pinyin initials dcq and Enter to fly
// there), saves a screenshot, and proves from an strace of the app and its WebKit processes
// that nothing connected to any address outside this machine.
import { execFileSync } from 'node:child_process';
import { writeFileSync, readFileSync, existsSync, mkdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ELEMENT, sleep, startDriver, waitFor } from './webdriver.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const env = (k) => { const v = process.env[k]; if (!v) throw new Error(`${k} is not set`); return v; };
const DATA = env('ONEMAP_DATA');
const SHOTS = env('ONEMAP_SCREENSHOTS');
const STRACE_LOG = env('ONEMAP_STRACE_LOG');

let passed = 0, failed = 0;
function check(name, ok, detail = '') {
  if (ok) { passed++; console.log(`ok   ${name}`); } else { failed++; console.log(`FAIL ${name} ${detail}`); }
}

function storeCount(kind) {
  const db = join(DATA, 'onemap.db');
  const sql = `SELECT count(*) FROM entities WHERE kind='${kind}' AND doc<>'{}' AND coalesce(json_extract(doc,'$.deleted'),0)=0`;
  return Number(execFileSync('sqlite3', ['-readonly', db, sql]).toString().trim());
}

const driver = await startDriver(env('TAURI_DRIVER'));
let session;
try {
  const started = Date.now();
  // The app inherits this process's environment (ONEMAP_DATA, ONEMAP_APP, ONEMAP_STRACE_LOG).
  session = await driver.open(join(here, 'strace-app.sh'));
  const { exec } = session;

  await waitFor('the map to be ready', () => exec('return document.documentElement.dataset.ready === "true"'));
  console.log(`     window ready ${((Date.now() - started) / 1000).toFixed(1)} s after session start`);

  const counts = await exec('return window.__onemap.counts()');
  const kinds = { incidents: 'incident', teams: 'team', warehouses: 'warehouse', shelters: 'shelter', hazards: 'hazard' };
  for (const [layer, kind] of Object.entries(kinds)) {
    const want = storeCount(kind);
    check(`layer ${layer}: ${counts[layer]} features = ${want} in the store`, counts[layer] === want && want > 0);
  }
  const rendered = await waitFor('situation features drawn', async () => {
    const r = await exec('return window.__onemap.rendered()');
    return r.teams > 0 && r.incidents > 0 ? r : null;
  }, 30000);
  check(`situation layers are drawn (${JSON.stringify(rendered)})`, rendered.teams > 0);
  const basemap = await exec(`return window.__onemap.map.queryRenderedFeatures().filter(f => !String(f.source).startsWith('situation-')).length`);
  check(`the offline basemap is drawn (${basemap} features)`, basemap > 0);

  // Click the first team drawn on screen and read its details.
  const target = await exec(`
    const m = window.__onemap.map;
    const fs = m.queryRenderedFeatures({ layers: m.getStyle().layers.filter(l => l.source === 'situation-teams').map(l => l.id) })
      .filter(f => f.geometry.type === 'Point' && !f.properties.cluster);
    const c = m.getCanvas().getBoundingClientRect();
    for (const f of fs) {
      const p = m.project(f.geometry.coordinates);
      if (p.x > 40 && p.y > 40 && p.x < c.width - 40 && p.y < c.height - 40) {
        return { name: f.properties.name, x: Math.round(c.left + p.x), y: Math.round(c.top + p.y) };
      }
    }
    return null;`);
  check('a team is visible to click', !!target, JSON.stringify(target));
  if (target) {
    await session.post('/actions', { actions: [{ type: 'pointer', id: 'mouse', parameters: { pointerType: 'mouse' }, actions: [
      { type: 'pointerMove', duration: 0, origin: 'viewport', x: target.x, y: target.y },
      { type: 'pointerDown', button: 0 }, { type: 'pointerUp', button: 0 }] }] });
    const shown = await waitFor('the detail panel', async () => {
      const el = await session.post('/element', { using: 'css selector', value: '[data-testid="detail-name"]' });
      const text = await session.get(`/element/${el[ELEMENT]}/text`);
      return text.trim() ? text.trim() : null;
    }, 15000).catch((e) => String(e));
    check(`clicking the team shows its details ("${shown}")`, shown === target.name, `expected "${target.name}"`);
  }

  // The commander layout: the incident list (one row per incident in the store, active first),
  // a row opens its detail and the "near this incident" panel.
  const el = async (css) => (await session.post('/element', { using: 'css selector', value: css }))[ELEMENT];
  const rows = await waitFor('the incident list', async () => {
    const r = await exec('return [...document.querySelectorAll("[data-testid=incident-row]")].map((e) => ({ id: e.dataset.id, status: e.dataset.status }))');
    return r.length > 0 ? r : null;
  }, 15000).catch(() => []);
  const activeFirst = rows.every((r, i) => i === 0 || r.status !== 'active' || rows[i - 1].status === 'active');
  check(`incident list: ${rows.length} rows = ${counts.incidents} incidents, active first`, rows.length === counts.incidents && rows.length > 0 && activeFirst, JSON.stringify(rows.map((r) => r.status)));
  if (rows[0]) {
    await session.post(`/element/${await el(`[data-testid="incident-row"][data-id="${rows[0].id}"]`)}/click`, {});
    const opened = await waitFor('the incident detail', () => exec('return document.querySelector("[data-testid=detail]")?.dataset.id ?? null').then((id) => (id === rows[0].id ? id : null)), 15000).catch((e) => String(e));
    check('an incident list row opens the incident detail', opened === rows[0].id, opened);
    const near = await waitFor('the nearby panel', async () => {
      const n = await exec('return { incident: document.querySelector("[data-testid=nearby]")?.dataset.incident, teams: document.querySelectorAll("[data-testid=nearby-team]").length, shelters: document.querySelectorAll("[data-testid=nearby-shelter]").length, method: document.querySelector("[data-testid=nearby-method]")?.textContent ?? "" }');
      return n.incident === rows[0].id && n.teams > 0 ? n : null;
    }, 15000).catch((e) => String(e));
    check(`nearby panel lists teams by arrival time (${JSON.stringify(near)})`, typeof near === 'object' && near.teams > 0 && near.method.length > 0);
  }

  // Search: 东昌区 by its pinyin initials; Enter frames its bounds.
  {
    await exec('window.__onemap.map.jumpTo({ center: [127.5, 43.5], zoom: 7 })');
    const input = await el('[data-testid="search-input"]');
    await session.post(`/element/${input}/click`, {});
    await session.post(`/element/${input}/value`, { text: 'dcq' });
    const first = await waitFor('search results for dcq', async () => {
      const r = await exec('const l = document.querySelector("[data-testid=search-results]"); const h = document.querySelector("[data-testid=search-hit]"); return l?.dataset.query === "dcq" && h ? { code: h.dataset.code, matched: h.dataset.matched, text: h.textContent.trim() } : null');
      return r;
    }, 15000).catch((e) => String(e));
    check(`search 'dcq' finds 东昌区 first (${JSON.stringify(first)})`, typeof first === 'object' && first.code === '220502000000' && first.matched === 'pinyin');
    await session.post(`/element/${input}/value`, { text: '\uE007' }); // Enter
    const framed = await waitFor('the map to frame 东昌区', async () => {
      const v = await exec('const m = window.__onemap.map; if (m.isMoving()) return null; const b = m.getBounds(); return [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()]');
      return v && v[0] <= 125.833 && v[1] <= 41.539 && v[2] >= 126.115 && v[3] >= 41.82 && v[3] - v[1] < 0.6 ? v : null;
    }, 15000).catch((e) => String(e));
    check(`Enter flies to 东昌区 (${JSON.stringify(framed)})`, Array.isArray(framed));
  }

  // The console syncs with its centre hub: its link reports up and caught up, and the hub
  // holds the console's ops.
  const upstream = process.env.ONEMAP_UPSTREAM;
  if (upstream) {
    const link = await waitFor('the link to the hub', async () => {
      const r = await exec(`return window.__TAURI_INTERNALS__.invoke('rpc', { request: { method: 'links' } })`);
      return r.result.find((l) => l.up && l.ahead === 0 && l.behind === 0) ?? null;
    }, 60000).catch((e) => String(e));
    check(`the console's link to ${upstream} is up and caught up`, typeof link === 'object', JSON.stringify(link));
    const hubHead = async () => {
      const res = await fetch(`${upstream}/api/rpc`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ method: 'changes', params: { since: 0 } }) });
      return (await res.json()).result.head;
    };
    const own = await exec(`return window.__TAURI_INTERNALS__.invoke('rpc', { request: { method: 'changes', params: { since: 0 } } })`);
    const hub = await hubHead();
    check(`the hub holds the console's ops too (${hub} ops there, ${own.result.head} here)`, hub === own.result.head && hub > 0);
  }

  mkdirSync(SHOTS, { recursive: true });
  const png = await session.get('/screenshot');
  writeFileSync(join(SHOTS, 'desktop-commander.png'), Buffer.from(png, 'base64'));
  check('screenshot saved', existsSync(join(SHOTS, 'desktop-commander.png')));
} catch (e) {
  check('desktop session', false, e.stack || String(e));
} finally {
  if (session) await session.close();
  driver.stop();
}

// No request outside the machine: every IP connect() of the app's process tree must target
// loopback. Unix sockets (X server, D-Bus, WebKit IPC) are local by construction.
await sleep(500);
if (existsSync(STRACE_LOG)) {
  const lines = readFileSync(STRACE_LOG, 'utf8').split('\n').filter((l) => l.includes('connect('));
  const ip = lines.filter((l) => /sa_family=AF_INET6?/.test(l));
  const outside = ip.filter((l) => !/inet_addr\("127\.|inet_pton\(AF_INET6, "::1"|inet_pton\(AF_INET6, "::ffff:127\./.test(l));
  check(`no connection outside the machine (${lines.length} connect calls, ${ip.length} to IP addresses)`, outside.length === 0, outside.slice(0, 5).join('\n'));
} else {
  check('strace log of the app exists', false, STRACE_LOG);
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
