// What the record editor (编辑) offers for each kind of registry record — the fields of the
// bindings' Team, Warehouse, Shelter, Hazard, StockLine and Expert, in order, each with its kind
// of control — and the choices of its selects and check lists (taxonomy terms and catalogue
// items from the bootstrap, enum values, jurisdictions). Ledger figures (stock on hand,
// occupancy) are not fields: never edited here. Pure, unit-tested.
import type { Bootstrap } from '../../bindings/Bootstrap';
import type { EntityKind } from '../../bindings/EntityKind';
import type { ExpertStatus } from '../../bindings/ExpertStatus';
import type { ExpertTier } from '../../bindings/ExpertTier';
import type { TeamStatus } from '../../bindings/TeamStatus';
import type { Tier } from '../../bindings/Tier';
import { pick, translate, type Lang } from '../../i18n/core';

export type EditableKind = Extract<EntityKind, 'team' | 'warehouse' | 'shelter' | 'hazard'>;
export const EDITABLE: readonly EditableKind[] = ['team', 'warehouse', 'shelter', 'hazard'];

export function isEditable(kind: EntityKind | null): kind is EditableKind {
  return kind !== null && (EDITABLE as readonly string[]).includes(kind);
}

/** Every kind the editor has a form for: the detail panel's records, a warehouse's stock lines, experts. */
export type FormKind = EditableKind | Extract<EntityKind, 'stock_line' | 'expert'>;

/** Where a select's or a check list's choices come from. */
export type Choices =
  | 'team_type'
  | 'specialty'
  | 'team_status'
  | 'warehouse_kind'
  | 'tier'
  | 'shelter_type'
  | 'facility'
  | 'hazard_kind'
  | 'hazard_grade'
  | 'item'
  | 'reserve_mode'
  | 'category'
  | 'expert_tier'
  | 'expert_status';

/** The unit a number is in (editor.unit.*). */
export type Unit = 'people' | 'minutes' | 'hours' | 'm2' | 'm2_per_person';

/**
 * One field and its control: a line of text (`required`: not blank), a paragraph, a whole
 * number or a number (≥ 0, in `unit`; `optional`: blank is null), a select or a check list
 * (`choices`), a jurisdiction (admin code), equipment lines, a location (lon/lat), a flag, a
 * date (YYYY-MM-DD, blank is null), a list typed as text separated by `;`, a value shown but
 * not editable (`fixed`). `label`: its label's key when not `field.<key>`.
 */
export type FieldSpec = { label?: string } & (
  | { key: string; control: 'text'; required: boolean }
  | { key: string; control: 'int' | 'number'; unit: Unit; optional?: boolean }
  | { key: string; control: 'paragraph' | 'code' | 'equipment' | 'location' | 'flag' | 'date' | 'list' | 'fixed' }
  | { key: string; control: 'select' | 'multi'; choices: Choices }
);

const name: FieldSpec = { key: 'name', control: 'text', required: true };
const location: FieldSpec = { key: 'location', control: 'location' };
const jurisdiction: FieldSpec = { key: 'jurisdiction', control: 'code' };

export const SCHEMAS: { readonly [K in FormKind]: readonly FieldSpec[] } = {
  team: [
    name,
    { key: 'team_type', control: 'select', choices: 'team_type' },
    { key: 'specialties', control: 'multi', choices: 'specialty' },
    { key: 'headcount', control: 'int', unit: 'people' },
    { key: 'equipment', control: 'equipment' },
    { key: 'owner', control: 'code' },
    { key: 'base', control: 'code' },
    location,
    { key: 'readiness_min', control: 'int', unit: 'minutes' },
    { key: 'status', control: 'select', choices: 'team_status' },
  ],
  warehouse: [
    name,
    { key: 'kind', control: 'select', choices: 'warehouse_kind' },
    { key: 'tier', control: 'select', choices: 'tier' },
    { key: 'owner', control: 'code' },
    { key: 'holder', control: 'text', required: true },
    jurisdiction,
    location,
  ],
  shelter: [
    name,
    { key: 'shelter_type', control: 'select', choices: 'shelter_type' },
    jurisdiction,
    location,
    { key: 'effective_area_m2', control: 'number', unit: 'm2' },
    { key: 'per_capita_m2', control: 'number', unit: 'm2_per_person' },
    { key: 'facilities', control: 'multi', choices: 'facility' },
    { key: 'closed', control: 'flag' },
  ],
  hazard: [
    name,
    { key: 'hazard_kind', control: 'select', choices: 'hazard_kind' },
    { key: 'grade', control: 'select', choices: 'hazard_grade' },
    jurisdiction,
    location,
    { key: 'threatened_people', control: 'int', unit: 'people' },
    { key: 'description', control: 'paragraph' },
  ],
  stock_line: [
    { key: 'warehouse', control: 'fixed' },
    { key: 'item_code', control: 'select', choices: 'item' },
    { key: 'reserve_mode', control: 'select', choices: 'reserve_mode' },
    { key: 'expiry', control: 'date' },
    { key: 'activation_hours', control: 'int', unit: 'hours', optional: true },
  ],
  expert: [
    name,
    { key: 'fields', control: 'list' },
    { key: 'event_classes', control: 'multi', choices: 'category' },
    { key: 'tier', control: 'select', choices: 'expert_tier', label: 'field.expert_tier' },
    { key: 'organisation', control: 'text', required: true },
    { key: 'phone', control: 'text', required: true },
    jurisdiction,
    { key: 'status', control: 'select', choices: 'expert_status' },
  ],
};

const TEAM_STATUS: readonly TeamStatus[] = ['standby', 'dispatched', 'en_route', 'on_scene', 'returning'];
const TIERS: readonly Tier[] = ['province', 'city', 'county', 'township', 'village'];
const EXPERT_TIERS: readonly ExpertTier[] = ['chief', 'group', 'pool'];
const EXPERT_STATUS: readonly ExpertStatus[] = ['active', 'withdrawn'];
/** The shelter facilities the console names (facility.*); others recorded are offered as they are. */
const FACILITIES = ['water', 'toilet', 'power', 'medical', 'broadcast', 'command', 'fire', 'storage', 'helipad'];

export interface Choice {
  value: string;
  label: string;
}

const terms = (lang: Lang, list: readonly { id: string; zh: string; en: string }[]): Choice[] => list.map((x) => ({ value: x.id, label: pick(lang, x.zh, x.en) }));
const keyed = (lang: Lang, prefix: string, values: readonly string[]): Choice[] => values.map((value) => ({ value, label: translate(lang, `${prefix}.${value}`) }));

/** The choices of a select or check list; `hazardKind` is the hazard kind chosen (its grades). */
export function choicesOf(lang: Lang, boot: Pick<Bootstrap, 'taxonomy' | 'items'>, choices: Choices, hazardKind = ''): Choice[] {
  const tax = boot.taxonomy;
  switch (choices) {
    case 'team_type':
      return terms(lang, tax.team_type);
    case 'specialty':
      return terms(lang, tax.specialty);
    case 'team_status':
      return keyed(lang, 'status.team', TEAM_STATUS);
    case 'warehouse_kind':
      return terms(lang, tax.warehouse_kind);
    case 'tier':
      return keyed(lang, 'tier', TIERS);
    case 'shelter_type':
      return terms(lang, tax.shelter_type);
    case 'facility':
      return keyed(lang, 'facility', FACILITIES);
    case 'hazard_kind':
      return terms(lang, tax.hazard_kind);
    case 'hazard_grade':
      return terms(lang, tax.hazard_kind.find((k) => k.id === hazardKind)?.grade ?? []);
    case 'item':
      return boot.items.map((i) => ({ value: i.code, label: `${pick(lang, i.name_zh, i.name_en)} ${i.code}` }));
    case 'reserve_mode':
      return terms(lang, tax.reserve_mode);
    case 'category':
      return terms(lang, tax.category);
    case 'expert_tier':
      return keyed(lang, 'editor.expert_tier', EXPERT_TIERS);
    case 'expert_status':
      return keyed(lang, 'editor.expert_status', EXPERT_STATUS);
  }
}

/** The jurisdictions to choose from, "东昌区 220502000000", by code. */
export function jurisdictionChoices(lang: Lang, boot: Pick<Bootstrap, 'jurisdictions'>): Choice[] {
  return boot.jurisdictions.map((j) => ({ value: j.code, label: `${pick(lang, j.name_zh, j.name_en)} ${j.code}` }));
}

/** `choices` with any value recorded but not among them added as it is (nothing recorded is lost). */
export function withRecorded(choices: readonly Choice[], recorded: readonly string[]): Choice[] {
  const known = new Set(choices.map((c) => c.value));
  return [...choices, ...recorded.filter((v) => v !== '' && !known.has(v)).map((v) => ({ value: v, label: v }))];
}
