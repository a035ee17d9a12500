import { describe, expect, it } from 'vitest';
import { METRICS, exportFilename, exportLayout, exportUnit, formatExportTime, groupHeight, niceScale, type Box } from '../src/lib/export/layout';
import { legendGroups } from '../src/lib/export/view';
import { buildPalette } from '../src/lib/map/palette';
import { BARE_TAXONOMY } from '../src/lib/map/synthetic';

const inside = (b: Box, w: number, h: number): boolean => b.x >= 0 && b.y >= 0 && b.x + b.w <= w && b.y + b.h <= h;
const overlap = (a: Box, b: Box): boolean => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

describe('export layout', () => {
  it('puts header, map, legend and footer on the page without overlap', () => {
    for (const [w, h, u, groups] of [
      [1280, 720, 1, [5, 8, 6, 5, 6, 4]],
      [2560, 1440, 2, [5, 8]],
      [800, 300, 1, [12, 12, 12]],
      [1600, 900, 1, []],
    ] as [number, number, number, number[]][]) {
      const L = exportLayout(w, h, u, { groups });
      const parts = [L.header, L.map, L.footer, ...(groups.length ? [L.legend] : [])];
      for (const p of parts) expect(inside(p, L.width, L.height), JSON.stringify(p)).toBe(true);
      for (let i = 0; i < parts.length; i++) for (let j = i + 1; j < parts.length; j++) expect(overlap(parts[i] as Box, parts[j] as Box)).toBe(false);
      // The map is drawn 1:1.
      expect([L.map.w, L.map.h]).toEqual([w, h]);
      expect(L.groups).toHaveLength(groups.length);
      if (groups.length === 0) expect(L.legend.w).toBe(0);
      // Every group lies inside the legend panel, in columns, none overlapping another.
      const boxes = L.groups.map((g, i) => ({ x: g.x, y: g.y, w: L.column, h: groupHeight(groups[i] as number) * u }));
      for (const b of boxes) expect(inside(b, L.legend.x + L.legend.w, L.legend.y + L.legend.h)).toBe(true);
      for (const b of boxes) expect(b.x).toBeGreaterThanOrEqual(L.legend.x);
      for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) expect(overlap(boxes[i] as Box, boxes[j] as Box)).toBe(false);
    }
  });

  it('adds legend columns when the groups are taller than the map', () => {
    const one = exportLayout(1000, 2000, 1, { groups: [5, 5, 5] });
    expect(one.legend.w).toBe(METRICS.column);
    const three = exportLayout(1000, 300, 1, { groups: [5, 5, 5] });
    expect(three.legend.w).toBe(3 * METRICS.column);
    expect(new Set(three.groups.map((g) => g.x)).size).toBe(3);
    // A single group taller than the map makes the panel (and the page) taller.
    const tall = exportLayout(1000, 100, 1, { groups: [40] });
    expect(tall.legend.h).toBe(groupHeight(40));
    expect(tall.footer.y).toBe(tall.map.y + groupHeight(40));
  });

  it('scales with the unit', () => {
    const a = exportLayout(1000, 600, 1, { groups: [4] });
    const b = exportLayout(2000, 1200, 2, { groups: [4] });
    expect(b.width).toBe(2 * a.width);
    expect(b.height).toBe(2 * a.height);
    expect(exportUnit(1280, 1280)).toBe(1);
    expect(exportUnit(2560, 1280)).toBe(2);
    expect(exportUnit(3200, 3200)).toBe(2);
    expect(exportUnit(0, 0)).toBe(1);
  });

  it('chooses a round scale bar length', () => {
    expect(niceScale(10, 200)).toEqual({ metres: 2000, pixels: 200, label: '2 km' });
    expect(niceScale(10, 150)).toEqual({ metres: 1000, pixels: 100, label: '1 km' });
    expect(niceScale(3, 200)).toEqual({ metres: 500, pixels: 166.67, label: '500 m' });
    expect(niceScale(0.5, 200)).toEqual({ metres: 100, pixels: 200, label: '100 m' });
    expect(niceScale(120, 200)).toEqual({ metres: 20000, pixels: 166.67, label: '20 km' });
    expect(niceScale(0, 200).pixels).toBe(0);
    for (const mpp of [0.3, 7, 42, 999]) {
      const s = niceScale(mpp, 180);
      expect(s.pixels).toBeLessThanOrEqual(180);
      expect(s.pixels).toBeGreaterThan(180 / 5);
      expect(String(s.metres)).toMatch(/^[125]0*$/);
    }
  });

  it('names the file after the region and the local time', () => {
    const t = new Date(2026, 10, 22, 9, 5, 0);
    expect(exportFilename('东昌区', t)).toBe('onemap-东昌区-20261122-0905');
    expect(exportFilename('a/b c', t)).toBe('onemap-a_b_c-20261122-0905');
    expect(exportFilename('', t)).toBe('onemap-20261122-0905');
  });

  it('prints the time in the zh-CN locale', () => {
    const s = formatExportTime(new Date(2026, 10, 22, 14, 3, 5), 'zh-CN');
    expect(s).toContain('2026年11月22日');
    expect(s).toContain('14:03:05');
  });
});

describe('export legend', () => {
  const p = buildPalette(BARE_TAXONOMY);
  const all = { incidents: true, teams: true, warehouses: true, shelters: true, hazards: true };

  it('lists the visible layers top first, with symbols and labels in the language asked', () => {
    const g = legendGroups(p, all, 'zh-CN');
    expect(g[0]?.title).toContain('突发事件');
    expect(g[0]?.items.map((i) => i.label)).toContain('未定级');
    const titles = g.map((x) => x.title);
    // Teams: status then type; shelters: status then type; one group of clusters at the end.
    expect(titles.filter((t) => t.startsWith('救援队伍'))).toHaveLength(2);
    expect(titles.at(-1)).toContain('聚合');
    expect(g.at(-1)?.items).toHaveLength(4);
    for (const grp of g) for (const it of grp.items) expect(it.symbol, `${grp.title} ${it.label}`).toBeDefined();
    const en = legendGroups(p, all, 'en');
    expect(en[0]?.items.map((i) => i.label)).toContain('Ungraded');
  });

  it('leaves hidden layers out', () => {
    const g = legendGroups(p, { ...all, teams: false, warehouses: false, shelters: false, hazards: false }, 'zh-CN');
    // The incidents' grades (and ungraded), then their response levels as a group of their own.
    expect(g).toHaveLength(2);
    expect(g[0]?.items.length).toBe(BARE_TAXONOMY.grade.length + 1);
    expect(g[1]?.items.map((i) => i.label)).toEqual(BARE_TAXONOMY.grade.map((x) => `${x.roman}级响应`));
  });
});
