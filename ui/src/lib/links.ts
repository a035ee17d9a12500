// Sync-link badges: what each badge says, as pure functions of a LinkStatus, the language
// and the time (unit-tested; LinkBadges.svelte only lays the strings out).
import type { LinkStatus } from './bindings/LinkStatus';
import { translate, type Lang } from './i18n/core';

export type LinkState = 'up' | 'down' | 'none';

/** Visible length of a down link's error line; the full text is in the accessible name. */
export const ERROR_MAX = 56;

/** The peer as `host:port` (default port spelled out), or the text itself if it is no URL. */
export function peerHost(peer: string): string {
  try {
    const u = new URL(peer);
    if (!u.hostname) return peer;
    const port = u.port || (u.protocol === 'https:' ? '443' : u.protocol === 'http:' ? '80' : '');
    return port ? `${u.hostname}:${port}` : u.hostname;
  } catch {
    // Not a URL (e.g. `host:port` without a scheme): drop any path.
    return peer.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').replace(/\/.*$/, '') || peer;
  }
}

/** Whole seconds since `lastOkMs` (never negative: the host's clock may be a little ahead). */
export function ageSeconds(lastOkMs: number | null, nowMs: number): number | null {
  if (lastOkMs === null) return null;
  return Math.max(0, Math.floor((nowMs - lastOkMs) / 1000));
}

/** "N 秒前" / "N s ago" under a minute, then minutes, hours, days; "从未同步" before any round. */
export function formatAge(lang: Lang, lastOkMs: number | null, nowMs: number): string {
  const s = ageSeconds(lastOkMs, nowMs);
  if (s === null) return translate(lang, 'links.never');
  if (s < 60) return translate(lang, 'links.age_s', { n: s });
  if (s < 3600) return translate(lang, 'links.age_m', { n: Math.floor(s / 60) });
  if (s < 86400) return translate(lang, 'links.age_h', { n: Math.floor(s / 3600) });
  return translate(lang, 'links.age_d', { n: Math.floor(s / 86400) });
}

/** "待收 3 / 待发 0" when either side has ops waiting, else null (nothing shown). */
export function formatLag(lang: Lang, behind: number, ahead: number): string | null {
  if (behind <= 0 && ahead <= 0) return null;
  const n = (v: number) => Math.max(0, v).toLocaleString(lang);
  return translate(lang, 'links.lag', { behind: n(behind), ahead: n(ahead) });
}

/** A down link's error as shown on the badge: without a leading request URL (the peer is
 *  already on the badge, the reason is what operators need), cut to `max` characters. */
export function errorLine(error: string, max = ERROR_MAX): string {
  const reason = error.trim().replace(/^[a-z][a-z0-9+.-]*:\/\/\S*?:\s+/i, '');
  return truncate(reason || error, max);
}

/** Shortens `text` to at most `max` characters, ending in "…". */
export function truncate(text: string, max = ERROR_MAX): string {
  const chars = Array.from(text.trim());
  if (chars.length <= max) return chars.join('');
  return `${chars.slice(0, Math.max(1, max - 1)).join('').trimEnd()}…`;
}

export function linkState(l: LinkStatus | null): LinkState {
  if (l === null) return 'none';
  return l.up ? 'up' : 'down';
}

/** The badge's accessible name: everything it shows, with the untruncated error. */
export function linkLabel(lang: Lang, l: LinkStatus | null, nowMs: number): string {
  if (l === null) return translate(lang, 'links.standalone_label');
  const parts = [
    translate(lang, 'links.label', {
      peer: peerHost(l.peer),
      state: translate(lang, l.up ? 'links.up' : 'links.down'),
      when: l.last_ok_ms === null ? translate(lang, 'links.never') : translate(lang, 'links.last_ok', { age: formatAge(lang, l.last_ok_ms, nowMs) }),
    }),
  ];
  const lag = formatLag(lang, l.behind, l.ahead);
  if (lag) parts.push(lag);
  if (!l.up && l.error) parts.push(translate(lang, 'links.error', { error: l.error.trim() }));
  return parts.join(translate(lang, 'links.sep'));
}
