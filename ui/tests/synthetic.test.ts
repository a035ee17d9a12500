import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { prng } from '../src/lib/map/prng';
import { BARE_DEFAULTS, BARE_TAXONOMY, parseBareParams, syntheticFeatures, type Bounds } from '../src/lib/map/synthetic';
import { LAYERS, toCollections } from '../src/lib/map/features';
import { SHELTER_STATUS, TEAM_STATUS, WAREHOUSE_TIER } from '../src/lib/map/palette';

const BOUNDS: Bounds = [125.7, 41.55, 126.2, 41.9];
const COUNTS = { incidents: 5, teams: 64, warehouses: 21, shelters: 28, hazards: 36 };

describe('synthetic features (bare.html)', () => {
  it('makes exactly the requested count per layer, with unique uuid-shaped ids', () => {
    const fs = syntheticFeatures(COUNTS, BOUNDS, 1);
    const fcs = toCollections(fs);
    for (const l of LAYERS) expect(fcs[l].features.length).toBe(COUNTS[l]);
    expect(new Set(fs.map((f) => f.id)).size).toBe(fs.length);
    for (const f of fs) expect(f.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(syntheticFeatures({ incidents: 0, teams: 0, warehouses: 0, shelters: 0, hazards: 3 }, BOUNDS, 1).map((f) => f.layer)).toEqual(['hazards', 'hazards', 'hazards']);
  });

  it('is deterministic for a seed and differs between seeds', () => {
    expect(syntheticFeatures(COUNTS, BOUNDS, 7)).toEqual(syntheticFeatures(COUNTS, BOUNDS, 7));
    expect(syntheticFeatures(COUNTS, BOUNDS, 7)).not.toEqual(syntheticFeatures(COUNTS, BOUNDS, 8));
    const a = prng(42);
    const b = prng(42);
    for (let i = 0; i < 100; i++) expect(a()).toBe(b());
  });

  it('places every feature inside the bounds, spread over them', () => {
    const fs = syntheticFeatures({ incidents: 50, teams: 500, warehouses: 50, shelters: 50, hazards: 50 }, BOUNDS, 3);
    const [w, s, e, n] = BOUNDS;
    for (const f of fs) {
      expect(f.lon).toBeGreaterThanOrEqual(w);
      expect(f.lon).toBeLessThan(e);
      expect(f.lat).toBeGreaterThanOrEqual(s);
      expect(f.lat).toBeLessThan(n);
    }
    const lons = fs.map((f) => f.lon);
    expect(Math.max(...lons) - Math.min(...lons)).toBeGreaterThan((e - w) * 0.8);
  });

  it('has properties shaped like the API rows, with values the style colours', () => {
    const fs = syntheticFeatures(COUNTS, BOUNDS, 1);
    for (const f of fs) {
      const p = toCollections([f])[f.layer].features[0]?.properties;
      expect(Object.keys(p ?? {}).sort()).toEqual(['class', 'demo', 'grade', 'id', 'layer', 'name', 'response', 'status']);
      switch (f.layer) {
        case 'incidents':
          expect(['active', 'closed']).toContain(f.status);
          expect(f.grade).toBeGreaterThanOrEqual(1);
          expect(f.grade).toBeLessThanOrEqual(4);
          break;
        case 'teams':
          expect(BARE_TAXONOMY.team_type.map((t) => t.id)).toContain(f.class);
          expect(TEAM_STATUS.map((s) => s.value)).toContain(f.status);
          break;
        case 'warehouses':
          expect(WAREHOUSE_TIER.map((s) => s.value)).toContain(f.class);
          break;
        case 'shelters':
          expect(SHELTER_STATUS.map((s) => s.value)).toContain(f.status);
          break;
        case 'hazards':
          expect(BARE_TAXONOMY.hazard_kind.map((t) => t.id)).toContain(f.class);
          break;
      }
      if (f.layer !== 'incidents') expect(f.grade).toBe(0);
    }
  });
});

describe('bare.html query string', () => {
  it('defaults to the console region (fixtures/console.toml) and the demo counts', () => {
    const p = parseBareParams('');
    expect(p.setup.region).toEqual({ code: '220502000000', centre: { lon: 125.955, lat: 41.735 }, zoom: 10.6, bounds: [125.7, 41.55, 126.2, 41.9] });
    expect(p.counts).toEqual(BARE_DEFAULTS.counts);
    expect(p.seed).toBe(1);
    const toml = readFileSync(new URL('../../fixtures/console.toml', import.meta.url), 'utf8');
    expect(toml).toContain('centre = { lon = 125.955, lat = 41.735 }');
    expect(toml).toContain('zoom = 10.6');
    expect(toml).toContain('bounds = [125.70, 41.55, 126.20, 41.90]');
    expect(toml).toContain('code = "220502000000"');
  });

  it('reads counts, view and seed', () => {
    const p = parseBareParams('?incidents=1&teams=2&warehouses=0&shelters=4&hazards=5&centre=126,42&zoom=9&bounds=125,41,127,43&seed=9');
    expect(p.counts).toEqual({ incidents: 1, teams: 2, warehouses: 0, shelters: 4, hazards: 5 });
    expect(p.setup.region.centre).toEqual({ lon: 126, lat: 42 });
    expect(p.setup.region.zoom).toBe(9);
    expect(p.setup.region.bounds).toEqual([125, 41, 127, 43]);
    expect(p.seed).toBe(9);
  });

  it('rejects malformed values', () => {
    expect(() => parseBareParams('?teams=-1')).toThrow(/teams/);
    expect(() => parseBareParams('?teams=abc')).toThrow(/teams/);
    expect(() => parseBareParams('?bounds=1,2,3')).toThrow(/bounds/);
    expect(() => parseBareParams('?bounds=126,41,125,42')).toThrow(/bounds/);
    expect(() => parseBareParams('?centre=x,1')).toThrow(/centre/);
  });

  it('colours with the same taxonomy terms as fixtures/taxonomy.toml', () => {
    const toml = readFileSync(new URL('../../fixtures/taxonomy.toml', import.meta.url), 'utf8');
    const blocks = (table: string): string[] => toml.split(/^\[\[/m).filter((b) => b.startsWith(`${table}]]`));
    const field = (b: string, k: string): string | undefined => new RegExp(`^${k} = "?([^"\\n]*)"?$`, 'm').exec(b)?.[1];
    expect(BARE_TAXONOMY.grade.map((g) => [String(g.id), g.roman, g.zh, g.en, g.colour])).toEqual(
      blocks('grade').map((b) => ['id', 'roman', 'zh', 'en', 'colour'].map((k) => field(b, k))),
    );
    expect(BARE_TAXONOMY.team_type.map((t) => t.id)).toEqual(blocks('team_type').map((b) => field(b, 'id')));
    expect(BARE_TAXONOMY.hazard_kind.map((t) => t.id)).toEqual(blocks('hazard_kind').map((b) => field(b, 'id')));
    expect(BARE_TAXONOMY.shelter_type?.map((t) => t.id)).toEqual(blocks('shelter_type').map((b) => field(b, 'id')));
  });
});
