import type { Bootstrap } from '../src/lib/bindings/Bootstrap';
import type { MapFeature } from '../src/lib/bindings/MapFeature';

export const BOOT: Bootstrap = {
  version: 'test',
  node: 'node-1',
  demo: true,
  region: {
    code: '220502000000',
    name_zh: '东昌区',
    name_en: 'Dongchang District',
    centre: { lon: 125.955, lat: 41.735 },
    zoom: 10.6,
    bounds: [125.7, 41.55, 126.2, 41.9],
  },
  taxonomy: {
    version: '2024.1',
    source: 'test',
    category: [{ id: 'natural', zh: '自然灾害', en: 'Natural disaster', graded: true, subtype: [{ id: 'flood_drought', zh: '水旱灾害', en: 'Flood and drought' }] }],
    grade: [
      { id: 1, roman: 'Ⅰ', zh: '特别重大', en: 'Especially serious', colour: '#C8102E' },
      { id: 4, roman: 'Ⅳ', zh: '一般', en: 'Ordinary', colour: '#1E6FD9' },
    ],
    warning_level: [],
    team_type: [{ id: 'fire_rescue', zh: '消防救援队伍', en: 'Fire and rescue', pillar: 'comprehensive', speed_kmh: 40 }],
    specialty: [
      { id: 'water_rescue', zh: '水上搜救', en: 'Water rescue' },
      { id: 'medical', zh: '应急医疗救护', en: 'Emergency medical care' },
    ],
    hazard_kind: [{ id: 'reservoir', zh: '水库', en: 'Reservoir', grade: [{ id: 'medium', zh: '中型', en: 'Medium' }] }],
    shelter_type: [{ id: 'emergency', zh: '紧急避难场所', en: 'Emergency shelter' }],
    reserve_mode: [{ id: 'physical', zh: '实物储备', en: 'Physical stock' }],
    warehouse_kind: [{ id: 'relief', zh: '救灾物资库', en: 'Relief supplies depot' }],
  },
  items: [],
  jurisdictions: [{ code: '220502000000', name_zh: '东昌区', name_en: 'Dongchang District', tier: 'county', parent: '220500000000' }],
  relief: { targets: [{ hours: 10, zh: '基本生活得到救助', en: 'Basic living relief' }] },
};

export function feature(id: string, layer: MapFeature['layer'], over: Partial<MapFeature> = {}): MapFeature {
  return { id, layer, lon: 125.9, lat: 41.7, name: `f-${id}`, class: 'c', status: 's', grade: 0, response: 0, demo: true, ...over };
}
