import { describe, expect, it } from 'vitest';
import { glyphsUrl, isTauri, tileUrl } from '../src/lib/env';

const hub = { protocol: 'http:', origin: 'http://127.0.0.1:8787' };
const tauri = { protocol: 'tauri:', origin: 'tauri://localhost' };

describe('tile URL switch', () => {
  it('uses the tiles:// scheme inside Tauri', () => {
    expect(tileUrl(true, tauri)).toBe('tiles://localhost/{z}/{x}/{y}.pbf');
  });
  it("uses the page's own origin in a browser", () => {
    expect(tileUrl(false, hub)).toBe('http://127.0.0.1:8787/tiles/{z}/{x}/{y}.pbf');
  });
  it('keeps the glyph template braces literal and absolute', () => {
    expect(glyphsUrl(hub)).toBe('http://127.0.0.1:8787/glyphs/{fontstack}/{range}.pbf');
    expect(glyphsUrl(tauri)).toBe('tauri://localhost/glyphs/{fontstack}/{range}.pbf');
  });
  it('detects Tauri by its injected internals', () => {
    expect(isTauri({ __TAURI_INTERNALS__: {} })).toBe(true);
    expect(isTauri({})).toBe(false);
  });
});
