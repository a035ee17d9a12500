import { describe, expect, it } from 'vitest';
import { validateStyleMin } from '@maplibre/maplibre-gl-style-spec';
import { buildStyle, CLICKABLE } from '../src/lib/map/style';
import { buildPalette } from '../src/lib/map/palette';
import { glyphsUrl, tileUrl } from '../src/lib/env';
import { BOOT } from './fixtures';

function styleFor(tauri: boolean, origin: string) {
  const where = { protocol: tauri ? 'tauri:' : 'http:', origin };
  return buildStyle({ tiles: tileUrl(tauri, where), glyphs: glyphsUrl(where), region6: '220502', city6: '220500', palette: buildPalette(BOOT.taxonomy) });
}

describe('style builder', () => {
  it('produces a valid style', () => {
    const errors = validateStyleMin(styleFor(false, 'http://127.0.0.1:8787'));
    expect(errors.map((e) => e.message)).toEqual([]);
  });

  it('references only the page origin (browser)', () => {
    const origin = 'http://127.0.0.1:8787';
    const json = JSON.stringify(styleFor(false, origin));
    const urls = json.match(/[a-z][a-z0-9+.-]*:\/\/[^"/]*/gi) ?? [];
    expect(urls.length).toBeGreaterThan(0);
    for (const u of urls) expect(u).toBe(origin);
    expect(json).not.toMatch(/sprite/);
  });

  it('references only local schemes (Tauri)', () => {
    const json = JSON.stringify(styleFor(true, 'tauri://localhost'));
    const urls = new Set(json.match(/[a-z][a-z0-9+.-]*:\/\/[^"/]*/gi) ?? []);
    expect([...urls].sort()).toEqual(['tauri://localhost', 'tiles://localhost']);
    expect(json).not.toMatch(/https?:\/\//);
  });

  it('has one clickable circle layer per situation layer', () => {
    const style = styleFor(false, 'http://x');
    const ids = style.layers.map((l) => l.id);
    for (const c of CLICKABLE) expect(ids).toContain(c);
    expect(CLICKABLE).toHaveLength(5);
    for (const [name, src] of Object.entries(style.sources)) {
      if (name.startsWith('situation-')) expect(src).toMatchObject({ type: 'geojson', promoteId: 'id' });
    }
  });

  it('colours incidents by the taxonomy grade colours', () => {
    const json = JSON.stringify(styleFor(false, 'http://x'));
    expect(json).toContain('#C8102E');
    expect(json).toContain('#1E6FD9');
  });
});
