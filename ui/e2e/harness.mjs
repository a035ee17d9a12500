// Shared harness of the browser e2e scripts: check tally, Chromium launch, recorded pages, hook waits, page rpc, closing checks.
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';

/** The situation layers (the hooks' and `layers()`' names). */
export const LAYERS = ['incidents', 'teams', 'warehouses', 'shelters', 'hazards'];

/** `[BASE_URL] [OUT_DIR]` from the command line (defaults http://127.0.0.1:8787/ and ./e2e-out); OUT_DIR is created. */
export function cliArgs() {
  const base = new URL(process.argv[2] ?? 'http://127.0.0.1:8787/');
  const out = resolve(process.argv[3] ?? 'e2e-out');
  mkdirSync(out, { recursive: true });
  return { base, out };
}

let passed = 0;
let failed = 0;
/** Counts and prints one check; returns `ok`. */
export function check(name, ok, detail = '') {
  if (ok) passed++;
  else failed++;
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}${detail ? ` — ${detail}` : ''}`);
  return ok;
}
/** Runs a group of checks; an exception fails `name` (first line of its message) and the run goes on. */
export async function step(name, fn) {
  try {
    await fn();
  } catch (e) {
    check(name, false, e instanceof Error ? e.message.split('\n')[0] : String(e));
  }
}
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

let browser = null;
/** Every request URL of every page opened, and the page errors, console errors and CSP violations seen. */
const requests = [];
const problems = [];
/** Console errors caused on purpose: [pattern, how many more to pass over]. */
const expected = [];

/** Debian's Chromium (`CHROMIUM`, default /usr/bin/chromium), headless, nothing fetched in the background. */
export async function launchBrowser() {
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
  return browser;
}

/** The next `count` console errors matching `pattern` are expected (a request refused on purpose), not problems. */
export function expectConsoleErrors(pattern, count) {
  expected.push([pattern, count]);
}

/** A fresh page at width×height (device scale 1) whose requests and errors are recorded. */
export async function openPage(width, height) {
  const context = await browser.newContext({ viewport: { width, height }, deviceScaleFactor: 1 });
  context.on('request', (r) => requests.push(r.url()));
  const p = await context.newPage();
  p.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  p.on('console', (m) => {
    if (m.type() !== 'error') return;
    const e = expected.find(([pattern, left]) => left > 0 && pattern.test(m.text()));
    if (e) {
      e[1]--;
      return;
    }
    problems.push(`console.error: ${m.text()}`);
  });
  // CSP violations (script-src 'self', no inline script) surface as console errors.
  await p.addInitScript(() => document.addEventListener('securitypolicyviolation', (e) => console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`)));
  return p;
}

/** Until the page says it is ready (`dataset.ready`) or why it is not (`dataset.error`). */
export const waitReady = (p, timeout = 90_000) => p.waitForFunction(() => document.documentElement.dataset.ready === 'true' || document.documentElement.dataset.error, null, { timeout });
/** Opens `url` in `p` and checks, as `name`, that the layout becomes ready (no `dataset.error`). */
export async function gotoReady(p, url, name) {
  const t0 = Date.now();
  await p.goto(url, { waitUntil: 'domcontentloaded' });
  await step(name, async () => {
    await waitReady(p);
    const error = await p.evaluate(() => document.documentElement.dataset.error);
    check(name, !error, error ?? `${Date.now() - t0} ms`);
  });
}
/**
 * Until the live overlay has settled and then the map's next `idle` (a repaint is asked for,
 * so a map at rest answers at once).
 */
export const idleOf = (p) =>
  p.evaluate(async () => {
    await window.__onemap.settle();
    return new Promise((res) => {
      const map = window.__onemap.map;
      map.once('idle', () => res(true));
      map.triggerRepaint();
    });
  });
/** `POST api/rpc` from the page itself (relative: the API of the page's origin and path). */
export const pageRpc = (p, request) =>
  p.evaluate(async (req) => {
    const r = await fetch('api/rpc', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(req) });
    return { status: r.status, body: await r.json() };
  }, request);

/**
 * The closing checks (no request left `base`'s origin; no page error, console error or CSP
 * violation, checked as `problemsCheck`), then closes the browser, prints the tally
 * (`N passed, M failed`, the last line) and exits 1 on any failure.
 */
export async function finish(base, out, problemsCheck) {
  const foreign = requests.filter((u) => {
    const url = new URL(u);
    if (url.protocol === 'data:' || url.protocol === 'blob:') return false;
    return url.origin !== base.origin;
  });
  check('no request leaves the origin', foreign.length === 0, foreign.length ? foreign.slice(0, 5).join(', ') : `${requests.length} requests`);
  check(problemsCheck, problems.length === 0, problems.slice(0, 5).join(' | '));
  await browser?.close();
  console.log(`screenshots: ${out}`);
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed === 0 ? 0 : 1);
}

/** Now in Beijing time, RFC 3339 to the second. */
export const beijingNow = () => `${new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 19)}+08:00`;

/**
 * A flood taken in for 江东乡 (600 relocated) through the API with a level Ⅲ response of
 * the district flood plan started; resolves with its id once the map has it.
 */
export async function floodWithResponse(api, page, title) {
  const place = '220502201000'; // 江东乡
  const [seat] = (await api({ method: 'search', params: { q: place, limit: 5 } })).filter((h) => h.code === place);
  const body = {
    entity_kind: 'incident',
    title,
    category: 'natural',
    subtype: 'flood_drought',
    grade: 3,
    jurisdiction: place,
    location: { lon: seat.point.lon - 0.01, lat: seat.point.lat },
    onset: beijingNow(),
    casualties: { dead: 0, missing: 0, injured: 0 },
    affected: 1200,
    relocated: 600,
    houses_damaged: 0,
    direct_loss_cny: 0,
    status: 'active',
    description: '浑江水位上涨，沿江村屯进水',
  };
  const incident = (await api({ method: 'upsert', params: { id: null, body } })).entity.id;
  await api({ method: 'decide', params: { incident, plan: 'dongchang-flood', action: 'start', level: 3, reason: '转移安置600人，达到Ⅲ级响应启动条件' } });
  await page.waitForFunction((id) => window.__onemap.feature(id), incident, { timeout: 10_000 });
  return incident;
}
