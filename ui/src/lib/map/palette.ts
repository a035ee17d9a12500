// Colours of the situation layers. One place for the map style and the legends, so a
// legend swatch is always the colour drawn on the map.
import type { Grade } from '../bindings/Grade';
import type { Layer } from '../bindings/Layer';
import type { Term } from '../bindings/Term';
import { CLUSTER_FILL, UNKNOWN_COLOUR, clusterSpec, responseRingSpec, symbolId, symbolSpec, type SymbolSpec } from './symbols';

export { UNKNOWN_COLOUR } from './symbols';

/** A labelled colour: `label` is a dictionary key (`key`) or a taxonomy term (`term`). */
export interface Swatch {
  value: string;
  colour: string;
  /** i18n key, when the label comes from the UI dictionaries. */
  key?: string;
  /** zh/en label, when it comes from the taxonomy. */
  term?: { zh: string; en: string };
  /** The map symbol this entry stands for (legends draw it instead of a plain dot). */
  symbol?: SymbolSpec;
  /** i18n key of a sub-heading shown above this entry (a legend's second group). */
  heading?: string;
}

/** Swatches labelled by dictionary keys `<prefix>.<value>`, in the order given. */
function keyed(prefix: string, colours: { [value: string]: string }): readonly Swatch[] {
  return Object.entries(colours).map(([value, colour]) => ({ value, colour, key: `${prefix}.${value}` }));
}

export const TEAM_STATUS = keyed('status.team', {
  standby: '#2ecc71',
  dispatched: '#f5a623',
  en_route: '#f5a623',
  on_scene: '#ff3b30',
  returning: '#3d9bff',
});

export const SHELTER_STATUS = keyed('status.shelter', {
  open: '#00c9a7',
  in_use: '#ffc048',
  full: '#ff4757',
  closed: '#7f8c9a',
});

export const WAREHOUSE_TIER = keyed('tier', {
  province: '#ff6b81',
  city: '#ffa502',
  county: '#70a1ff',
  township: '#b39ddb',
  village: '#7bed9f',
});

const TEAM_TYPE_COLOURS: { [id: string]: string } = {
  fire_rescue: '#ff5e3a',
  forest_fire: '#ff9f43',
  professional: '#a55eea',
  enterprise: '#c8d6e5',
  social: '#1dd1a1',
  township: '#feca57',
  village: '#48dbfb',
  militia: '#9ccc65',
};
const EXTRA = ['#f368e0', '#00d2d3', '#54a0ff', '#5f27cd', '#ee5253', '#10ac84'];

const HAZARD_KIND_COLOURS: { [id: string]: string } = {
  reservoir: '#2e86de',
  tailings_pond: '#c7a17a',
  geohazard: '#e17055',
  chemical_plant: '#e056fd',
  dyke: '#00cec9',
  gas_pipeline: '#fdcb6e',
};

function byId(terms: readonly { id: string; zh: string; en: string }[], colours: { [id: string]: string }): Swatch[] {
  return terms.map((t, i) => ({
    value: t.id,
    colour: colours[t.id] ?? EXTRA[i % EXTRA.length] ?? UNKNOWN_COLOUR,
    term: { zh: t.zh, en: t.en },
  }));
}

/**
 * The colour of each layer as a whole: the ring of its cluster circles (and the legend's
 * cluster entry). Incidents never cluster; theirs is only for completeness.
 */
export const LAYER_COLOUR: { readonly [L in Layer]: string } = {
  incidents: '#ff4d4f',
  teams: '#4aa3ff',
  warehouses: '#ffa502',
  shelters: '#00c9a7',
  hazards: '#e056fd',
};

export { CLUSTER_FILL };

/** Swatch colour of a shelter type (types have no colour of their own). */
const NEUTRAL_TYPE_COLOUR = '#c8d6e5';

/** Everything the style and the legends need to colour the situation layers. */
export interface Palette {
  incidentGrade: Swatch[];
  teamStatus: readonly Swatch[];
  teamType: Swatch[];
  warehouseTier: readonly Swatch[];
  shelterStatus: readonly Swatch[];
  /** Shelter types: no colour of their own (the mark inside the symbol tells them apart). */
  shelterType: Swatch[];
  hazardKind: Swatch[];
  /**
   * The response level in force on an incident (a ring and a second label line in the level's
   * colour, the grade colours); `value` is `response:<level>`, `level` the number the feature
   * carries, `label` the map's text ("Ⅲ级响应").
   */
  responseLevel: ResponseSwatch[];
}

export interface ResponseSwatch extends Swatch {
  level: number;
  label: string;
}

/** The part of the taxonomy the palette reads (a full `Taxonomy` from bootstrap is one). */
export interface PaletteTaxonomy {
  grade: readonly Grade[];
  team_type: readonly Term[];
  hazard_kind: readonly Term[];
  /** Optional: without it the shelter-type legend is empty (the map still draws every type). */
  shelter_type?: readonly Term[];
}

const ROMAN: { readonly [c: string]: string } = { 'Ⅰ': 'I', 'Ⅱ': 'II', 'Ⅲ': 'III', 'Ⅳ': 'IV', 'Ⅴ': 'V' };

/**
 * A Roman numeral in Latin letters (Ⅳ → IV) for the map's labels: the glyph font the map
 * draws Latin text with has no Number Forms (CJK is drawn locally, these are not CJK).
 */
export function asciiRoman(roman: string): string {
  return [...roman].map((c) => ROMAN[c] ?? c).join('');
}

export function buildPalette(tax: PaletteTaxonomy): Palette {
  const p: Palette = {
    incidentGrade: [
      ...tax.grade.map((g) => ({ value: String(g.id), colour: g.colour, term: { zh: `${g.roman} ${g.zh}`, en: `${g.roman} ${g.en}` } })),
      { value: '0', colour: UNKNOWN_COLOUR, key: 'legend.ungraded' },
    ],
    teamStatus: TEAM_STATUS,
    teamType: byId(tax.team_type, TEAM_TYPE_COLOURS),
    warehouseTier: WAREHOUSE_TIER,
    shelterStatus: SHELTER_STATUS,
    shelterType: (tax.shelter_type ?? []).map((t) => ({ value: t.id, colour: NEUTRAL_TYPE_COLOUR, term: { zh: t.zh, en: t.en } })),
    hazardKind: byId(tax.hazard_kind, HAZARD_KIND_COLOURS),
    responseLevel: tax.grade.map((g, i) => ({
      value: `response:${g.id}`,
      level: g.id,
      label: `${asciiRoman(g.roman)}级响应`,
      colour: g.colour,
      term: { zh: `${g.roman}级响应`, en: `Level ${g.roman} response` },
      symbol: responseRingSpec(g.colour),
      ...(i === 0 ? { heading: 'map.legend.response' } : {}),
    })),
  };
  // Each legend entry carries the symbol it stands for (drawn from the palette just built).
  const sym = (layer: Layer, cls: (s: Swatch) => string, status: (s: Swatch) => string) => (s: Swatch): Swatch => ({
    ...s,
    symbol: symbolSpec(p, layer, cls(s), status(s), layer === 'incidents' ? Number(s.value) : 0),
  });
  const value = (s: Swatch): string => s.value;
  const none = (): string => '';
  return {
    incidentGrade: p.incidentGrade.map(sym('incidents', none, none)),
    teamStatus: p.teamStatus.map(sym('teams', none, value)),
    teamType: p.teamType.map(sym('teams', value, none)),
    warehouseTier: p.warehouseTier.map(sym('warehouses', value, none)),
    shelterStatus: p.shelterStatus.map(sym('shelters', none, value)),
    shelterType: p.shelterType.map(sym('shelters', value, none)),
    hazardKind: p.hazardKind.map(sym('hazards', value, none)),
    responseLevel: p.responseLevel,
  };
}

/** The legend entry of a layer's clusters (a ring in the layer's colour with a count). */
export function clusterSwatch(layer: Layer): Swatch {
  return { value: 'cluster', colour: LAYER_COLOUR[layer], key: 'map.legend.cluster_hint', heading: 'map.legend.cluster', symbol: clusterSpec(LAYER_COLOUR[layer]) };
}

/**
 * The legend of each layer: the swatches of the property that sets the fill colour (each
 * with its symbol), then — under a sub-heading — the incidents' response levels, shelter
 * types and, for layers that cluster, the cluster circle.
 */
export function legendOf(p: Palette, layer: Layer): readonly Swatch[] {
  switch (layer) {
    case 'incidents':
      return [...p.incidentGrade, ...p.responseLevel];
    case 'teams':
      return [...p.teamStatus, clusterSwatch(layer)];
    case 'warehouses':
      return [...p.warehouseTier, clusterSwatch(layer)];
    case 'shelters':
      return [...p.shelterStatus, ...p.shelterType.map((s, i) => (i === 0 ? { ...s, heading: 'map.legend.shelter_type' } : s)), clusterSwatch(layer)];
    case 'hazards':
      return [...p.hazardKind, clusterSwatch(layer)];
  }
}

/** A MapLibre `match` expression over a property, with a fallback colour. */
export function matchColour(prop: string, swatches: readonly Swatch[], asString = true): unknown[] {
  const input = asString ? ['to-string', ['get', prop]] : ['get', prop];
  const pairs = swatches.flatMap((s) => [s.value, s.colour]);
  if (pairs.length === 0) return ['literal', UNKNOWN_COLOUR];
  // `match` needs unique labels.
  const seen = new Set<string>();
  const unique: (string)[] = [];
  for (let i = 0; i < pairs.length; i += 2) {
    const v = pairs[i] as string;
    if (seen.has(v)) continue;
    seen.add(v);
    unique.push(v, pairs[i + 1] as string);
  }
  return ['match', input, ...unique, UNKNOWN_COLOUR];
}

/**
 * The image id of every symbol the palette's classes can draw (each grade, team type ×
 * status, tier, shelter type × status, hazard kind): drawn once when the map starts, so a
 * change never waits for a symbol to be drawn and added mid-frame.
 */
export function symbolIds(p: Palette): string[] {
  const values = (s: readonly Swatch[]): string[] => s.map((x) => x.value);
  const pairs = (layer: Layer, classes: readonly Swatch[], statuses: readonly Swatch[]): string[] =>
    values(classes).flatMap((c) => values(statuses).map((st) => symbolId(layer, c, st, 0)));
  return [
    ...p.incidentGrade.map((g) => symbolId('incidents', '', '', Number(g.value))),
    ...pairs('teams', p.teamType, p.teamStatus),
    ...values(p.warehouseTier).map((t) => symbolId('warehouses', t, '', 0)),
    ...pairs('shelters', p.shelterType, p.shelterStatus),
    ...values(p.hazardKind).map((k) => symbolId('hazards', k, '', 0)),
  ];
}
