import { describe, expect, it } from 'vitest';
import type { JurisdictionSummary } from '../src/lib/bindings/JurisdictionSummary';
import { boundaryOf, buildTree, childrenOf, parentOf, pathTo } from '../src/lib/components/commander/tiers';

const J = (code: string, name: string, tier: JurisdictionSummary['tier'], parent: string | null): JurisdictionSummary => ({ code, name_zh: name, name_en: name, tier, parent });
const LIST = [
  J('220502100000', '金厂镇', 'township', '220502000000'),
  J('220000000000', '吉林省', 'province', null),
  J('220502000000', '东昌区', 'county', '220500000000'),
  J('220500000000', '通化市', 'city', '220000000000'),
  J('220502001000', '东昌街道', 'township', '220502000000'),
  J('220100000000', '长春市', 'city', '220000000000'),
  J('990000000000', '孤儿', 'county', '980000000000'),
];

describe('tier tree', () => {
  const tree = buildTree(LIST);

  it('roots are those without a known parent', () => {
    expect(childrenOf(tree, null).map((j) => j.code)).toEqual(['220000000000', '990000000000']);
  });

  it('children by code order', () => {
    expect(childrenOf(tree, '220000000000').map((j) => j.name_zh)).toEqual(['长春市', '通化市']);
    expect(childrenOf(tree, '220502000000').map((j) => j.name_zh)).toEqual(['东昌街道', '金厂镇']);
    expect(childrenOf(tree, '220502100000')).toEqual([]);
  });

  it('path from the root down, parent one level up', () => {
    expect(pathTo(tree, '220502100000').map((j) => j.name_zh)).toEqual(['吉林省', '通化市', '东昌区', '金厂镇']);
    expect(pathTo(tree, null)).toEqual([]);
    expect(pathTo(tree, '123')).toEqual([]);
    expect(parentOf(tree, '220502100000')).toBe('220502000000');
    expect(parentOf(tree, '220000000000')).toBeNull();
    expect(parentOf(tree, '990000000000')).toBeNull();
    expect(parentOf(tree, null)).toBeNull();
  });

  it('survives a parent cycle', () => {
    const t = buildTree([J('1', 'a', 'city', '2'), J('2', 'b', 'city', '1')]);
    expect(pathTo(t, '1').length).toBeLessThanOrEqual(2);
  });

  it('finds boundaries in the basemap layers', () => {
    expect(boundaryOf({ code: '220502000000', tier: 'county' })).toEqual({ sourceLayer: 'county', key: 'code6', value: '220502' });
    expect(boundaryOf({ code: '220000000000', tier: 'province' })).toEqual({ sourceLayer: 'province', key: 'code6', value: '220000' });
    expect(boundaryOf({ code: '220502100000', tier: 'township' })).toEqual({ sourceLayer: 'township', key: 'code12', value: '220502100000' });
    expect(boundaryOf({ code: '220502100201', tier: 'village' })).toBeNull();
  });
});
