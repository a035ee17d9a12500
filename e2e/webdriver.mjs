// A minimal W3C WebDriver client for tauri-driver (which drives WebKitWebDriver): start the
// driver, open sessions on an application binary, run scripts, always clean up.
import { spawn } from 'node:child_process';

export const ELEMENT = 'element-6066-11e4-a52e-4f735466cecf';
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export async function waitFor(desc, fn, timeoutMs = 90000, everyMs = 250) {
  const until = Date.now() + timeoutMs;
  let last;
  while (Date.now() < until) {
    try { last = await fn(); if (last) return last; } catch (e) { last = e; }
    await sleep(everyMs);
  }
  throw new Error(`timed out waiting for ${desc} (last: ${last})`);
}

/** Starts tauri-driver on a random local port; returns a client bound to it. */
export async function startDriver(driverPath) {
  const port = 4460 + Math.floor(Math.random() * 400);
  const base = `http://127.0.0.1:${port}`;
  const proc = spawn(driverPath, ['--port', String(port), '--native-port', String(port + 500)], { stdio: ['ignore', 'inherit', 'inherit'] });
  async function wd(method, path, body, timeoutMs = 60000) {
    const res = await fetch(base + path, { method, headers: { 'content-type': 'application/json' }, body: body && JSON.stringify(body), signal: AbortSignal.timeout(timeoutMs) });
    const json = await res.json();
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json.value ?? json).slice(0, 400)}`);
    return json.value;
  }
  await waitFor('tauri-driver', async () => (await fetch(`${base}/status`)).ok, 20000);
  return {
    wd,
    /** Opens a session on `application` (with `args`); returns helpers for it. */
    async open(application, args = []) {
      const id = (await wd('POST', '/session', { capabilities: { alwaysMatch: { 'tauri:options': { application, args } } } }, 120000)).sessionId;
      const S = `/session/${id}`;
      return {
        id,
        exec: (script, a = []) => wd('POST', `${S}/execute/sync`, { script, args: a }),
        get: (path) => wd('GET', `${S}${path}`),
        post: (path, body) => wd('POST', `${S}${path}`, body),
        close: () => wd('DELETE', S).catch(() => {}),
      };
    },
    stop: () => proc.kill(),
  };
}
