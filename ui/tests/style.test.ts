import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { expression, latest, validateStyleMin, type StylePropertySpecification } from '@maplibre/maplibre-gl-style-spec';
import { buildStyle, CLICKABLE, RESPONSE_RING, liveId, mapScale, scaleValue, situationIds, sizeProperties, SCALED_PROPERTIES, STALE, zoomRanges, zoomShift } from '../src/lib/map/style';
import { LAYERS } from '../src/lib/map/features';
import { asciiRoman, buildPalette } from '../src/lib/map/palette';
import { glyphsUrl, tileUrl } from '../src/lib/env';
import { BOOT } from './fixtures';

function styleFor(tauri: boolean, origin: string, scale?: number) {
  const where = { protocol: tauri ? 'tauri:' : 'http:', origin };
  return buildStyle({ tiles: tileUrl(tauri, where), glyphs: glyphsUrl(where), region6: '220502', city6: '220500', palette: buildPalette(BOOT.taxonomy), scale });
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

  it('has one clickable circle layer per situation layer, and its live twin', () => {
    const style = styleFor(false, 'http://x');
    const ids = style.layers.map((l) => l.id);
    for (const c of CLICKABLE) expect(ids).toContain(c);
    expect(CLICKABLE).toHaveLength(10);
    for (const [name, src] of Object.entries(style.sources)) {
      if (name.startsWith('situation-')) expect(src).toMatchObject({ type: 'geojson', promoteId: 'id' });
    }
  });

  it('draws a twin of every single-feature layer from the unclustered live source, right above it', () => {
    const style = styleFor(false, 'http://x');
    const layers = style.layers;
    let twins = 0;
    for (const [i, l] of layers.entries()) {
      if (!('source' in l) || typeof l.source !== 'string' || !l.source.startsWith('situation-') || l.source.endsWith('-live')) continue;
      const layer = LAYERS.find((x) => situationIds(x).source === l.source);
      const cluster = l.id.endsWith('-cluster') || l.id.endsWith('-cluster-count');
      const next = layers[i + 1];
      if (cluster) {
        expect(layers.some((x) => x.id === liveId(l.id))).toBe(false);
        continue;
      }
      twins++;
      expect(next?.id).toBe(liveId(l.id));
      expect(next && 'source' in next ? next.source : null).toBe(situationIds(layer!).live);
      expect(JSON.stringify(next && 'filter' in next ? next.filter : null)).not.toContain('point_count');
    }
    // Per layer: hit circle, symbol, selection ring, label (+ the incidents' halo and response ring).
    expect(twins).toBe(LAYERS.length * 4 + 2);
    for (const l of LAYERS) {
      const src = style.sources[situationIds(l).live] as { cluster?: boolean };
      expect(src).toMatchObject({ type: 'geojson', promoteId: 'id' });
      expect(src.cluster ?? false).toBe(false);
    }
  });

  it('makes a stale copy transparent, and leaves invisible hit circles constant', () => {
    const style = styleFor(false, 'http://x');
    const byId = new Map(style.layers.map((l) => [l.id, l as { type: string; paint?: Record<string, unknown> }]));
    const props = { id: 't', layer: 'teams', status: 'standby', grade: 4, class: 'rescue', name: 'x' };
    const symbol = byId.get(situationIds('teams').symbol)!;
    const opacity = (state: Record<string, unknown>) => evaluate('paint', 'symbol', 'icon-opacity', symbol.paint?.['icon-opacity'], 12, props, state);
    expect(opacity({})).toBe(1);
    expect(opacity({ [STALE]: true })).toBe(0);
    const label = byId.get(situationIds('teams').label)!;
    expect(evaluate('paint', 'symbol', 'text-opacity', label.paint?.['text-opacity'], 12, props, { [STALE]: true })).toBe(0);
    // The twin never goes transparent: it is the current copy.
    expect(byId.get(liveId(situationIds('teams').symbol))?.paint?.['icon-opacity']).toBe(1);
    const hit = byId.get(situationIds('teams').circle)!;
    expect(hit.paint?.['circle-opacity']).toBe(0);
    expect(hit.paint?.['circle-stroke-opacity']).toBe(0);
  });

  it('rings an incident in the colour of its response level, and adds the level to its label', () => {
    const style = styleFor(false, 'http://x');
    const byId = new Map(style.layers.map((l) => [l.id, l as { type: string; filter?: unknown; paint?: Record<string, unknown>; layout?: Record<string, unknown> }]));
    const ring = byId.get(RESPONSE_RING)!;
    expect(ring.type).toBe('circle');
    expect(byId.has(liveId(RESPONSE_RING))).toBe(true);
    const props = (response: number) => ({ id: 'i', layer: 'incidents', status: 'active', grade: 4, class: 'natural', name: '江东乡水旱灾害', response });
    const colour = (response: number) => {
      const c = evaluateAny('paint', 'circle', 'circle-stroke-color', ring.paint?.['circle-stroke-color'], 10, props(response)) as { r: number; g: number; b: number };
      return [c.r, c.g, c.b].map((v) => Math.round(v * 255));
    };
    expect(colour(4)).toEqual([0x1e, 0x6f, 0xd9]);
    expect(colour(1)).toEqual([0xc8, 0x10, 0x2e]);
    expect(JSON.stringify(ring.filter)).toContain('response');
    const label = byId.get(situationIds('incidents').label)!;
    const text = (response: number) => JSON.stringify(evaluateAny('layout', 'symbol', 'text-field', label.layout?.['text-field'], 10, props(response)));
    expect(text(0)).toContain('江东乡水旱灾害');
    expect(text(0)).not.toContain('级响应');
    expect(text(4)).toContain('IV级响应');
    expect(text(1)).toContain('I级响应');
    expect(asciiRoman('Ⅲ')).toBe('III');
  });

  it('colours incidents by the taxonomy grade colours', () => {
    const json = JSON.stringify(styleFor(false, 'http://x'));
    expect(json).toContain('#C8102E');
    expect(json).toContain('#1E6FD9');
  });
});

/** The root font size (px) the rule in src/scale.css gives a viewport. */
function rootFont(width: number, height: number): number {
  const css = readFileSync(new URL('../src/scale.css', import.meta.url), 'utf8');
  const m = /font-size:\s*clamp\((\d+)px,\s*min\(([\d.]+)vw,\s*([\d.]+)vh\),\s*(\d+)px\)/.exec(css);
  if (!m) throw new Error('scale rule not found in scale.css');
  const [lo, vw, vh, hi] = m.slice(1).map(Number) as [number, number, number, number];
  return Math.min(hi, Math.max(lo, Math.min((vw * width) / 100, (vh * height) / 100)));
}

/** A layout/paint value evaluated at a zoom for a feature (constants and expressions). */
function evaluate(kind: 'layout' | 'paint', type: string, name: string, value: unknown, zoom: number, properties: Record<string, unknown>, state: Record<string, unknown> = {}): number {
  const spec = (latest as unknown as Record<string, Record<string, StylePropertySpecification>>)[`${kind}_${type}`]?.[name];
  if (!spec) throw new Error(`no spec for ${kind}_${type} ${name}`);
  const e = expression.normalizePropertyExpression(value as never, name, spec);
  return e.evaluate({ zoom }, { type: 'Point', properties } as never, state as never) as number;
}

function evaluateAny(kind: 'layout' | 'paint', type: string, name: string, value: unknown, zoom: number, properties: Record<string, unknown>): unknown {
  const spec = (latest as unknown as Record<string, Record<string, StylePropertySpecification>>)[`${kind}_${type}`]?.[name];
  if (!spec) throw new Error(`no spec for ${kind}_${type} ${name}`);
  const e = expression.normalizePropertyExpression(value as never, name, spec);
  return e.evaluate({ zoom }, { type: 'Point', properties } as never);
}

describe('map scale (4K walls)', () => {
  it('follows the root font rule: 1 at 1920×1080, 2 at 3840×2160', () => {
    expect(mapScale(`${rootFont(1920, 1080)}px`)).toBe(1);
    expect(mapScale(`${rootFont(3840, 2160)}px`)).toBe(2);
    expect(mapScale(`${rootFont(1280, 720)}px`)).toBe(1);
    expect(mapScale(`${rootFont(2560, 1440)}px`)).toBeCloseTo(1.333, 2);
  });

  it('reads CSS pixel sizes and stays within 1…2', () => {
    expect(mapScale('16px')).toBe(1);
    expect(mapScale('24px')).toBe(1.5);
    expect(mapScale('32px')).toBe(2);
    expect(mapScale(12)).toBe(1);
    expect(mapScale('40px')).toBe(2);
    expect(mapScale('')).toBe(1);
    expect(mapScale('auto')).toBe(1);
  });

  it('leaves the style unchanged at scale 1', () => {
    expect(styleFor(false, 'http://x', 1)).toEqual(styleFor(false, 'http://x'));
  });

  it('produces a valid style at 4K', () => {
    expect(validateStyleMin(styleFor(false, 'http://x', 2)).map((e) => e.message)).toEqual([]);
    expect(validateStyleMin(styleFor(false, 'http://x', 1.333)).map((e) => e.message)).toEqual([]);
  });

  it('draws at 4K, one zoom level up, a 2× copy of every text size, circle radius and stroke, line width and halo', () => {
    const base = styleFor(false, 'http://x').layers;
    const big = new Map(styleFor(false, 'http://x', 2).layers.map((l) => [l.id, l]));
    let checked = 0;
    const seen = new Set<string>();
    for (const l of base) {
      const b = big.get(l.id) as typeof l;
      for (const kind of ['layout', 'paint'] as const) {
        const props = (l as unknown as Record<string, Record<string, unknown> | undefined>)[kind] ?? {};
        const bigProps = (b as unknown as Record<string, Record<string, unknown> | undefined>)[kind] ?? {};
        for (const name of Object.keys(props)) {
          const scaled = (SCALED_PROPERTIES[kind] as readonly string[]).includes(name);
          if (!scaled) {
            expect(bigProps[name], `${l.id} ${name}`).toEqual(props[name]);
            expect(JSON.stringify(props[name]) ?? '', `${l.id} ${name} depends on zoom`).not.toContain('["zoom"]');
            continue;
          }
          seen.add(name);
          for (const zoom of [4, 6.5, 8, 10, 11.6, 13, 16]) {
            for (const rank of [1, 2, 3, 4, 5]) {
              const f = { rank, grade: '1', status: 'active', class: 'x', id: 'a' };
              const v1 = evaluate(kind, l.type, name, props[name], zoom, f);
              const v2 = evaluate(kind, l.type, name, bigProps[name], zoom + 1, f);
              expect(v2, `${l.id} ${name} z${zoom}`).toBeCloseTo(2 * v1, 6);
              checked++;
            }
          }
        }
      }
    }
    expect([...seen].sort()).toEqual([...SCALED_PROPERTIES.layout, ...SCALED_PROPERTIES.paint].sort());
    expect(checked).toBeGreaterThan(100);
    // Zoom thresholds move up one level.
    for (const l of base) expect(big.get(l.id)?.minzoom, l.id).toBe(l.minzoom === undefined ? undefined : l.minzoom + 1);
    expect(big.get('teams-label')?.minzoom).toBe(12);
    // Every label and situation circle has a scaled size.
    for (const l of base) {
      if (l.type === 'symbol') expect(l.layout?.['text-size'] ?? l.layout?.['icon-size'], l.id).toBeDefined();
      if (l.type === 'circle') expect(l.paint?.['circle-radius'], l.id).toBeDefined();
    }
  });

  it('lists the same sizes for re-applying on resize as the built style has', () => {
    const base = styleFor(false, 'http://x').layers;
    const big = new Map(styleFor(false, 'http://x', 1.5).layers.map((l) => [l.id, l as unknown as Record<string, Record<string, unknown>>]));
    const props = sizeProperties(base, 1.5);
    expect(props.some((p) => p.name === 'text-size' && p.layer === 'incidents-label')).toBe(true);
    expect(props.some((p) => p.name === 'circle-radius' && p.layer === 'teams-circle')).toBe(true);
    for (const p of props) expect(p.value, `${p.layer} ${p.name}`).toEqual(big.get(p.layer)?.[p.kind]?.[p.name]);
    for (const z of zoomRanges(base, 1.5)) expect(z.minzoom, z.layer).toBe(big.get(z.layer)?.['minzoom'] as unknown as number);
    expect(zoomRanges(base, 1.5).map((z) => z.layer)).toContain('incidents-label');
    // Back to 1 restores the original values.
    for (const p of sizeProperties(base, 1)) {
      const l = base.find((x) => x.id === p.layer) as unknown as Record<string, Record<string, unknown>>;
      expect(p.value).toBe(l[p.kind]?.[p.name]);
    }
  });

  it('scales the outputs of zoom curves, match and case, never their stops', () => {
    expect(scaleValue(['interpolate', ['linear'], ['zoom'], 4, 1, 12, 3], 2)).toEqual(['interpolate', ['linear'], ['zoom'], 5, 2, 13, 6]);
    expect(scaleValue(['interpolate', ['linear'], ['get', 'n'], 4, 1, 12, 3], 2)).toEqual(['interpolate', ['linear'], ['get', 'n'], 4, 2, 12, 6]);
    expect(scaleValue(['step', ['zoom'], 1, 8, 2], 2)).toEqual(['step', ['zoom'], 2, 9, 4]);
    expect(scaleValue(['match', ['get', 'r'], 1, 10, 2, 8, 6], 2)).toEqual(['match', ['get', 'r'], 1, 20, 2, 16, 12]);
    expect(scaleValue(['case', ['==', ['get', 'a'], 1], 3, 5], 2)).toEqual(['case', ['==', ['get', 'a'], 1], 6, 10]);
    expect(scaleValue(['get', 'w'], 2)).toEqual(['*', 2, ['get', 'w']]);
    expect(scaleValue(7, 1)).toBe(7);
    expect(zoomShift(1)).toBe(0);
    expect(zoomShift(2)).toBe(1);
    expect(zoomShift(1.5)).toBeCloseTo(0.585, 3);
  });
});
