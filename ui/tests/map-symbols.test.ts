import { describe, expect, it } from 'vitest';
import { expression, latest, type StylePropertySpecification } from '@maplibre/maplibre-gl-style-spec';
import { buildPalette, legendOf, LAYER_COLOUR, symbolIds } from '../src/lib/map/palette';
import { BARE_TAXONOMY, syntheticFeatures } from '../src/lib/map/synthetic';
import { LAYERS, toFeature } from '../src/lib/map/features';
import {
  FRAME_OF,
  GLYPHS,
  HAZARD_KIND_GLYPH,
  INK_DARK,
  INK_LIGHT,
  SHELTER_TYPE_GLYPH,
  TEAM_TYPE_GLYPH,
  UNKNOWN_COLOUR,
  iconImage,
  iconPixelRatio,
  inkFor,
  parseSymbolId,
  specForId,
  symbolId,
  symbolSpec,
} from '../src/lib/map/symbols';
import { buildStyle, CLUSTER, CLUSTERED, CLUSTER_LAYERS, clusterMaxZoom, clusterOptions, situationIds } from '../src/lib/map/style';
import { readFileSync } from 'node:fs';

const p = buildPalette(BARE_TAXONOMY);
/** The style spec of one property (e.g. layout_symbol, icon-image). */
const spec = (group: string, name: string): StylePropertySpecification => {
  const s = (latest as unknown as Record<string, Record<string, StylePropertySpecification>>)[group]?.[name];
  if (!s) throw new Error(`no spec for ${group} ${name}`);
  return s;
};
const ids = (table: string): string[] => {
  const toml = readFileSync(new URL('../../fixtures/taxonomy.toml', import.meta.url), 'utf8');
  return toml
    .split(/^\[\[/m)
    .filter((b) => b.startsWith(`${table}]]`))
    .map((b) => /^id = "?([^"\n]*)"?$/m.exec(b)?.[1] as string);
};

describe('symbol set', () => {
  it('has a glyph for every team type, shelter type and hazard kind of the taxonomy', () => {
    for (const [table, map] of [
      ['team_type', TEAM_TYPE_GLYPH],
      ['shelter_type', SHELTER_TYPE_GLYPH],
      ['hazard_kind', HAZARD_KIND_GLYPH],
    ] as const) {
      const want = ids(table);
      expect(want.length).toBeGreaterThan(3);
      expect(Object.keys(map).sort()).toEqual([...want].sort());
      for (const g of Object.values(map)) expect(GLYPHS[g], g).toBeDefined();
      // Distinct pictograms within a layer.
      expect(new Set(Object.values(map)).size).toBe(want.length);
    }
  });

  it('draws every glyph from SVG path data inside its 16 × 16 box', () => {
    for (const [name, parts] of Object.entries(GLYPHS)) {
      expect(parts.length, name).toBeGreaterThan(0);
      for (const part of parts) {
        expect(part.d, name).toMatch(/^M[\d.\sMLHVCSQTAZmlhvcsqtaz-]+$/);
        const nums = (part.d.match(/-?\d+(\.\d+)?/g) ?? []).map(Number);
        for (const n of nums) expect(n, `${name}: ${n}`).toBeLessThanOrEqual(16);
      }
    }
  });

  it('gives each layer its own frame', () => {
    expect(new Set(Object.values(FRAME_OF)).size).toBe(LAYERS.length);
  });

  it('colours incidents by the taxonomy grade colour with the grade numeral inside', () => {
    for (const g of BARE_TAXONOMY.grade) {
      const s = symbolSpec(p, 'incidents', '', '', g.id);
      expect(s.fill).toBe(g.colour);
      expect(s.glyph).toBe(`grade${g.id}`);
      expect(s.frame).toBe('triangle');
    }
    expect(symbolSpec(p, 'incidents', '', '', 0)).toMatchObject({ fill: UNKNOWN_COLOUR, glyph: 'exclaim' });
    expect(symbolSpec(p, 'incidents', '', '', 9).glyph).toBe('exclaim');
  });

  it('takes team fill from the status and ring from the type, unknown ids as grey with a dot', () => {
    const s = symbolSpec(p, 'teams', 'fire_rescue', 'on_scene');
    expect(s.fill).toBe(p.teamStatus.find((x) => x.value === 'on_scene')?.colour);
    expect(s.stroke).toBe(p.teamType.find((x) => x.value === 'fire_rescue')?.colour);
    expect(s.glyph).toBe('flame');
    const u = symbolSpec(p, 'teams', 'space_marines', 'lost');
    expect(u).toMatchObject({ fill: UNKNOWN_COLOUR, stroke: UNKNOWN_COLOUR, glyph: 'dot' });
    expect(symbolSpec(p, 'warehouses', 'county', '').stroke).toBe(p.warehouseTier.find((x) => x.value === 'county')?.colour);
    expect(symbolSpec(p, 'shelters', 'central', 'full').glyph).toBe('star');
    expect(symbolSpec(p, 'hazards', 'reservoir', '').fill).toBe(p.hazardKind.find((x) => x.value === 'reservoir')?.colour);
  });

  it('picks the glyph ink that contrasts more with the fill', () => {
    expect(inkFor('#C8102E')).toBe(INK_LIGHT); // grade Ⅰ red
    expect(inkFor('#1E6FD9')).toBe(INK_LIGHT); // grade Ⅳ blue
    expect(inkFor('#F2C500')).toBe(INK_DARK); // grade Ⅲ yellow
    expect(inkFor('#2ecc71')).toBe(INK_DARK);
    expect(inkFor('#101c2c')).toBe(INK_LIGHT);
    expect(inkFor('not a colour')).toBe(INK_LIGHT);
  });

  it('names images so that the style expression and the resolver agree', () => {
    const fs = syntheticFeatures({ incidents: 20, teams: 60, warehouses: 20, shelters: 30, hazards: 20 }, [125.7, 41.55, 126.2, 41.9], 5);
    for (const f of fs) {
      const id = symbolId(f.layer, f.class, f.status, f.grade);
      const e = expression.createExpression(iconImage(f.layer), 'icon-image', spec('layout_symbol', 'icon-image'));
      expect(e.result).toBe('success');
      if (e.result !== 'success') continue;
      const v = e.value.evaluate({ zoom: 10 }, toFeature(f) as never);
      expect(String(v)).toBe(id);
      const parsed = parseSymbolId(id);
      expect(parsed?.layer).toBe(f.layer);
      expect(specForId(p, id)).toEqual(symbolSpec(p, f.layer, f.class, f.status, f.grade));
    }
    expect(parseSymbolId('nope:x')).toBeNull();
    expect(parseSymbolId('incidents:')).toBeNull();
    expect(specForId(p, 'background')).toBeNull();
  });

  it('lists every symbol the taxonomy can draw, once, for drawing when the map starts', () => {
    const ids = symbolIds(p);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(specForId(p, id), id).not.toBeNull();
    // 5 grades (with ungraded) + 8 team types × 5 statuses + 5 tiers + 6 shelter types × 4 + 6 hazard kinds.
    expect(ids.length).toBe(5 + BARE_TAXONOMY.team_type.length * 5 + 5 + 6 * 4 + BARE_TAXONOMY.hazard_kind.length);
    const fs = syntheticFeatures({ incidents: 40, teams: 200, warehouses: 40, shelters: 60, hazards: 40 }, [125.7, 41.55, 126.2, 41.9], 9);
    const listed = new Set(ids);
    for (const f of fs) expect(listed.has(symbolId(f.layer, f.class, f.status, f.grade)), `${f.layer} ${f.class} ${f.status} ${f.grade}`).toBe(true);
  });

  it('draws images at a pixel ratio for the screen and the 4K scale', () => {
    expect(iconPixelRatio(1, 1)).toBe(2);
    expect(iconPixelRatio(1, 2)).toBe(3);
    expect(iconPixelRatio(2, 2)).toBe(4);
    expect(iconPixelRatio(Number.NaN, 1)).toBe(2);
  });
});

describe('legends carry the symbols', () => {
  it('every entry of every layer legend has its symbol; clustered layers end with the cluster entry', () => {
    for (const l of LAYERS) {
      const sw = legendOf(p, l);
      for (const s of sw) expect(s.symbol, `${l} ${s.value}`).toBeDefined();
      const last = sw.at(-1);
      if (CLUSTERED.includes(l)) expect(last).toMatchObject({ value: 'cluster', heading: 'map.legend.cluster', colour: LAYER_COLOUR[l] });
      else expect(last?.value).not.toBe('cluster');
      expect(new Set(sw.map((s) => s.value)).size).toBe(sw.length);
    }
    for (const s of p.teamType) expect(s.symbol?.glyph).toBe(TEAM_TYPE_GLYPH[s.value]);
    const shelters = legendOf(p, 'shelters');
    expect(shelters.find((s) => s.heading === 'map.legend.shelter_type')?.value).toBe('emergency');
  });
});

describe('clustering', () => {
  const style = buildStyle({ tiles: 'http://x/{z}/{x}/{y}.pbf', glyphs: 'http://x/{fontstack}/{range}.pbf', region6: '220502', city6: '220500', palette: p });

  it('clusters the dense layers, never incidents', () => {
    expect(CLUSTERED).not.toContain('incidents');
    expect([...CLUSTERED].sort()).toEqual(['hazards', 'shelters', 'teams', 'warehouses']);
    for (const l of LAYERS) {
      const src = style.sources[situationIds(l).source] as Record<string, unknown>;
      if (CLUSTERED.includes(l)) expect(src).toMatchObject({ cluster: true, clusterMaxZoom: CLUSTER.maxZoom, clusterRadius: CLUSTER.radius, clusterMinPoints: CLUSTER.minPoints, promoteId: 'id' });
      else expect(src['cluster']).toBeUndefined();
    }
    expect(CLUSTER_LAYERS).toEqual(CLUSTERED.map((l) => `${l}-cluster`));
  });

  it('keeps clusters out of the feature layers and features out of the cluster layers', () => {
    const byId = new Map(style.layers.map((l) => [l.id, l as { filter?: unknown; type: string }]));
    for (const l of CLUSTERED) {
      const i = situationIds(l);
      for (const id of [i.circle, i.symbol, i.label]) expect(JSON.stringify(byId.get(id)?.filter), id).toBe('["!",["has","point_count"]]');
      for (const id of [i.cluster, i.clusterCount]) expect(JSON.stringify(byId.get(id)?.filter), id).toBe('["has","point_count"]');
    }
    // Cluster circles lie under every feature symbol.
    const order = style.layers.map((l) => l.id);
    const lastCluster = Math.max(...CLUSTERED.map((l) => order.indexOf(situationIds(l).clusterCount)));
    for (const l of LAYERS) expect(order.indexOf(situationIds(l).symbol)).toBeGreaterThan(lastCluster);
  });

  it('clusters a larger source up to a higher zoom', () => {
    expect(clusterMaxZoom(0)).toBe(CLUSTER.maxZoom);
    expect(clusterMaxZoom(64)).toBe(11);
    expect(clusterMaxZoom(2_000)).toBe(11);
    expect(clusterMaxZoom(2_001)).toBe(13);
    expect(clusterMaxZoom(10_000)).toBe(13);
    expect(clusterMaxZoom(100_000)).toBe(14);
    expect(clusterOptions(2, 100_000)).toEqual({ clusterMaxZoom: 15, clusterRadius: 64 });
  });

  it('moves the cluster radius and maximum zoom with the 4K scale', () => {
    expect(clusterOptions(1)).toEqual({ clusterMaxZoom: CLUSTER.maxZoom, clusterRadius: CLUSTER.radius });
    expect(clusterOptions(2)).toEqual({ clusterMaxZoom: CLUSTER.maxZoom + 1, clusterRadius: CLUSTER.radius * 2 });
    expect(clusterOptions(1.333).clusterMaxZoom).toBe(CLUSTER.maxZoom);
  });

  it('keeps the hit circles undrawn and as large as the symbols', () => {
    for (const l of LAYERS) {
      const c = style.layers.find((x) => x.id === situationIds(l).circle) as { paint: Record<string, unknown> };
      expect(c.paint['circle-opacity']).toBe(0);
      expect(c.paint['circle-stroke-opacity']).toBe(0);
      const r = expression.normalizePropertyExpression(c.paint['circle-radius'] as never, 'circle-radius', spec('paint_circle', 'circle-radius')).evaluate({ zoom: 10 }) as number;
      const sym = style.layers.find((x) => x.id === situationIds(l).symbol) as { layout: Record<string, unknown> };
      const size = expression.normalizePropertyExpression(sym.layout['icon-size'] as never, 'icon-size', spec('layout_symbol', 'icon-size')).evaluate({ zoom: 10 }) as number;
      expect(r + (c.paint['circle-stroke-width'] as number)).toBeCloseTo((size * 32) / 2, 1);
    }
  });
});
