// Synthetic situation data for the bare baseline page (`bare.html`, used by the cold-start
// benchmark): the view and the feature counts come from the query string, the features are
// MapFeature rows at deterministic pseudo-random positions inside the bounds, so the page
// draws the same kind of map as the console without an API. Pure functions, unit-tested.
import type { Layer } from '../bindings/Layer';
import type { MapFeature } from '../bindings/MapFeature';
import type { MapSetup } from './controller';
import { LAYERS, emptyByLayer } from './features';
import type { PaletteTaxonomy } from './palette';
import { SHELTER_STATUS, TEAM_STATUS, WAREHOUSE_TIER } from './palette';
import { prng } from './prng';

/** West, south, east, north. */
export type Bounds = [number, number, number, number];

export interface BareParams {
  setup: MapSetup;
  counts: Record<Layer, number>;
  seed: number;
}

/**
 * The console's defaults (`fixtures/console.toml`) and the demo set's feature counts.
 * Query string: `centre=lon,lat&zoom=z&bounds=w,s,e,n&region=code&seed=n&<layer>=count`.
 */
export const BARE_DEFAULTS = {
  region: '220502000000',
  centre: { lon: 125.955, lat: 41.735 },
  zoom: 10.6,
  bounds: [125.7, 41.55, 126.2, 41.9] as Bounds,
  counts: { incidents: 5, teams: 64, warehouses: 21, shelters: 28, hazards: 36 } as Record<Layer, number>,
  seed: 1,
} as const;

/** Most features one layer may ask for (keeps a typo from hanging the page). */
export const MAX_PER_LAYER = 100_000;

/**
 * The taxonomy terms that colour the map, as in `fixtures/taxonomy.toml` (a test compares
 * them), so the bare page's paint expressions are the console's.
 */
export const BARE_TAXONOMY: PaletteTaxonomy = {
  grade: [
    { id: 1, roman: 'Ⅰ', zh: '特别重大', en: 'Especially serious', colour: '#C8102E' },
    { id: 2, roman: 'Ⅱ', zh: '重大', en: 'Serious', colour: '#F28C28' },
    { id: 3, roman: 'Ⅲ', zh: '较大', en: 'Relatively serious', colour: '#F2C500' },
    { id: 4, roman: 'Ⅳ', zh: '一般', en: 'Ordinary', colour: '#1E6FD9' },
  ],
  team_type: ['fire_rescue', 'forest_fire', 'professional', 'enterprise', 'social', 'township', 'village', 'militia'].map(term),
  hazard_kind: ['reservoir', 'tailings_pond', 'geohazard', 'chemical_plant', 'dyke', 'gas_pipeline'].map(term),
  shelter_type: ['emergency', 'fixed_short', 'fixed_medium', 'fixed_long', 'central', 'resettlement'].map(term),
};

function term(id: string): { id: string; zh: string; en: string } {
  return { id, zh: id, en: id };
}

const CATEGORIES = ['natural', 'accident', 'public_health', 'social_security'];
const SHELTER_TYPES = (BARE_TAXONOMY.shelter_type ?? []).map((t) => t.id);
const WAREHOUSE_KINDS = ['comprehensive', 'relief', 'flood', 'forest_fire', 'key_equipment', 'township_point'];
const HAZARD_GRADES = ['small_1', 'medium', 'large_1', 'high', 'key'];
const NAMES: Record<Layer, string> = {
  incidents: '合成事件',
  teams: '合成队伍',
  warehouses: '合成物资库',
  shelters: '合成避难场所',
  hazards: '合成风险点',
};

function numbers(raw: string, n: number, name: string): number[] {
  const parts = raw.split(',').map((p) => Number(p.trim()));
  if (parts.length !== n || parts.some((v) => !Number.isFinite(v))) throw new Error(`bare.html: ${name} must be ${n} comma-separated numbers, got "${raw}"`);
  return parts;
}

/** Reads the view, counts and seed from a query string (`location.search`). */
export function parseBareParams(search: string): BareParams {
  const q = new URLSearchParams(search);
  const get = (k: string): string | null => {
    const v = q.get(k);
    return v === null || v.trim() === '' ? null : v;
  };
  const c = get('centre');
  const [lon, lat] = c === null ? [BARE_DEFAULTS.centre.lon, BARE_DEFAULTS.centre.lat] : numbers(c, 2, 'centre');
  const z = get('zoom');
  const zoom = z === null ? BARE_DEFAULTS.zoom : (numbers(z, 1, 'zoom')[0] as number);
  const b = get('bounds');
  const bounds = (b === null ? [...BARE_DEFAULTS.bounds] : numbers(b, 4, 'bounds')) as Bounds;
  if (!(bounds[0] < bounds[2] && bounds[1] < bounds[3])) throw new Error(`bare.html: bounds must be west,south,east,north, got ${bounds.join(',')}`);
  const region = get('region') ?? BARE_DEFAULTS.region;
  if (!/^\d{12}$/.test(region)) throw new Error(`bare.html: region must be a 12-digit code, got "${region}"`);
  const s = get('seed');
  const seed = s === null ? BARE_DEFAULTS.seed : (numbers(s, 1, 'seed')[0] as number);
  const counts = emptyByLayer(() => 0);
  for (const l of LAYERS) {
    const v = get(l);
    const n = v === null ? BARE_DEFAULTS.counts[l] : Number(v);
    if (!Number.isInteger(n) || n < 0 || n > MAX_PER_LAYER) throw new Error(`bare.html: ${l} must be an integer 0…${MAX_PER_LAYER}, got "${v}"`);
    counts[l] = n;
  }
  return {
    setup: { region: { code: region, centre: { lon: lon as number, lat: lat as number }, zoom, bounds }, taxonomy: BARE_TAXONOMY },
    counts,
    seed,
  };
}

/** A uuid-shaped id (version 4 layout), unique per layer and index. */
function uuid(layer: number, i: number): string {
  const hex = (v: number, w: number) => v.toString(16).padStart(w, '0');
  return `00000000-0000-4000-8${hex(layer, 3)}-${hex(i, 12)}`;
}

/**
 * `counts[layer]` MapFeature rows per layer at positions drawn from `prng(seed)` inside
 * `bounds`, with classes and statuses the style colours (as the API's MapFeature rows).
 */
export function syntheticFeatures(counts: Record<Layer, number>, bounds: Bounds, seed: number): MapFeature[] {
  const rnd = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  const [w, s, e, n] = bounds;
  const out: MapFeature[] = [];
  LAYERS.forEach((layer, li) => {
    for (let i = 0; i < counts[layer]; i++) {
      const lon = w + rnd() * (e - w);
      const lat = s + rnd() * (n - s);
      let cls: string;
      let status: string;
      let grade = 0;
      switch (layer) {
        case 'incidents':
          cls = pick(CATEGORIES);
          status = rnd() < 0.6 ? 'active' : 'closed';
          grade = 1 + Math.floor(rnd() * 4);
          break;
        case 'teams':
          cls = pick(BARE_TAXONOMY.team_type).id;
          status = pick(TEAM_STATUS).value;
          break;
        case 'warehouses':
          cls = pick(WAREHOUSE_TIER).value;
          status = pick(WAREHOUSE_KINDS);
          break;
        case 'shelters':
          cls = pick(SHELTER_TYPES);
          status = pick(SHELTER_STATUS).value;
          break;
        case 'hazards':
          cls = pick(BARE_TAXONOMY.hazard_kind).id;
          status = pick(HAZARD_GRADES);
          break;
      }
      out.push({ id: uuid(li, i), layer, lon, lat, name: `${NAMES[layer]} ${i + 1}`, class: cls, status, grade, response: 0, demo: true });
    }
  });
  return out;
}
