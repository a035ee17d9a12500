import { describe, expect, it } from 'vitest';
import { indexIds, planDiff, toCollections, toFeature } from '../src/lib/map/features';
import { feature } from './fixtures';

describe('MapFeature → GeoJSON', () => {
  it('converts one feature with its uuid as id and all style properties', () => {
    const f = toFeature(feature('a', 'teams', { lon: 125.1, lat: 41.2, class: 'fire_rescue', status: 'standby' }));
    expect(f).toEqual({
      type: 'Feature',
      id: 'a',
      geometry: { type: 'Point', coordinates: [125.1, 41.2] },
      properties: { id: 'a', layer: 'teams', name: 'f-a', class: 'fire_rescue', status: 'standby', grade: 0, response: 0, demo: true },
    });
  });

  it('splits features by layer, every layer present', () => {
    const fcs = toCollections([feature('a', 'teams'), feature('b', 'incidents'), feature('c', 'teams')]);
    expect(fcs.teams.features.map((f) => f.id)).toEqual(['a', 'c']);
    expect(fcs.incidents.features.map((f) => f.id)).toEqual(['b']);
    expect(fcs.hazards).toEqual({ type: 'FeatureCollection', features: [] });
    expect(Object.keys(fcs).sort()).toEqual(['hazards', 'incidents', 'shelters', 'teams', 'warehouses']);
  });
});

describe('Changes → updateData diff', () => {
  it('adds unknown ids, updates known ones, removes deleted ones', () => {
    const ids = indexIds([feature('a', 'teams'), feature('b', 'teams'), feature('s', 'shelters')]);
    const diffs = planDiff(ids, {
      upserted: [feature('a', 'teams', { status: 'on_scene', lon: 126 }), feature('n', 'teams'), feature('i', 'incidents')],
      removed: ['b', 's', 'nope'],
    });
    expect(diffs.teams?.add.map((f) => f.id)).toEqual(['n']);
    expect(diffs.teams?.update.map((u) => u.id)).toEqual(['a']);
    expect(diffs.teams?.update[0]?.newGeometry).toEqual({ type: 'Point', coordinates: [126, 41.7] });
    expect(diffs.teams?.update[0]?.addOrUpdateProperties).toContainEqual({ key: 'status', value: 'on_scene' });
    expect(diffs.teams?.remove).toEqual(['b']);
    expect(diffs.shelters).toEqual({ add: [], update: [], remove: ['s'] });
    expect(diffs.incidents?.add.map((f) => f.id)).toEqual(['i']);
    expect(diffs.hazards).toBeUndefined();
    expect(diffs.warehouses).toBeUndefined();
    // The id index follows the diff.
    expect([...ids.teams].sort()).toEqual(['a', 'n']);
    expect(ids.shelters.size).toBe(0);
    expect(ids.incidents.has('i')).toBe(true);
  });

  it('plans the next page against the state after the previous one', () => {
    const ids = indexIds([]);
    expect(planDiff(ids, { upserted: [feature('x', 'hazards')], removed: [] }).hazards?.add).toHaveLength(1);
    const second = planDiff(ids, { upserted: [feature('x', 'hazards', { name: 'renamed' })], removed: [] });
    expect(second.hazards?.add).toHaveLength(0);
    expect(second.hazards?.update[0]?.addOrUpdateProperties).toContainEqual({ key: 'name', value: 'renamed' });
  });

  it('collapses repeats of one id within a page', () => {
    const ids = indexIds([feature('k', 'teams')]);
    const d = planDiff(ids, {
      upserted: [feature('n', 'teams', { name: 'v1' }), feature('n', 'teams', { name: 'v2' }), feature('k', 'teams', { name: 'k1' }), feature('k', 'teams', { name: 'k2' })],
      removed: [],
    });
    expect(d.teams?.add).toHaveLength(1);
    expect(d.teams?.add[0]?.properties.name).toBe('v2');
    expect(d.teams?.update).toHaveLength(1);
    expect(d.teams?.update[0]?.addOrUpdateProperties).toContainEqual({ key: 'name', value: 'k2' });
  });

  it('moves a feature that changed layer', () => {
    const ids = indexIds([feature('m', 'teams')]);
    const d = planDiff(ids, { upserted: [feature('m', 'hazards')], removed: [] });
    expect(d.teams?.remove).toEqual(['m']);
    expect(d.hazards?.add.map((f) => f.id)).toEqual(['m']);
  });
});
